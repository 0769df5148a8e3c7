"""What the public dashboard shows: the coordinator's choice, and the figures for it.

Nothing is public until the coordinator publishes. The public figures are network-level
(or the members chosen), from :class:`Analysis`, with the public report's rules: payees
not surely organisations are never named (only classes in ``PUBLIC_CLASSES``), no
free-text service areas, no file names or notes, no drill-down to payments. The network's
own records appear only as far as each member agreed to publish them, and never with a
person's name (network/report.py).
"""

from __future__ import annotations

from contextlib import closing

from anchornet.analysis.metrics import Analysis, Scope
from anchornet.analysis.periods import parse_analysis_period
from anchornet.errors import AnchornetError
from anchornet.reports import charts
from anchornet.web.permissions import PUBLIC_CLASSES
from anchornet.workspace import Workspace

SECTIONS = {
    "headline": "Headline shares with their coverage",
    "trend": "Shares over time",
    "leakage": "Spend leaving the place, by category",
    "top_suppliers": "Largest suppliers (organisations only)",
    "by_category": "Spend by category",
    "by_member": "Spend by member",
    # the network's own records: only what members agreed to publish (network/report.py)
    "pledges": "Pledges and progress (members that agreed to publish theirs)",
    "framework": "Progression framework: the network's anonymous picture",
    "social_value": "Social value delivered (contracts their members agreed to publish)",
    "plans": "Action plans (the plans marked to publish)",
    "members": "The network's members (those that agreed to be listed)",
}
NETWORK_SECTIONS = ("pledges", "framework", "social_value", "plans", "members")
TOP = 15


def settings(ws: Workspace) -> dict:
    result = ws.con.execute(
        "SELECT published, title, period, members, sections, updated_at, updated_by FROM public_dashboard LIMIT 1")
    names = [d[0] for d in result.description]
    rows = result.fetchall()
    if not rows:
        return {"published": False, "title": "Where the network's money goes", "period": None, "members": [],
                "sections": ["headline", "trend", "leakage", "top_suppliers"], "updated_at": None,
                "updated_by": None}
    return dict(zip(names, rows[0], strict=True))


def save_settings(ws: Workspace, *, published: bool, title: str, period: str | None, members: list[str],
                  sections: list[str], by: str) -> dict:
    title = (title or "").strip()[:200] or "Where the network's money goes"
    period = (period or "").strip() or None
    if period:
        parse_analysis_period(period)  # refuse what the analysis would not understand
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        raise AnchornetError(f"no section called {', '.join(unknown)}")
    known = {r[0] for r in ws.con.execute("SELECT name FROM members").fetchall()}
    missing = [m for m in members if m not in known]
    if missing:
        raise AnchornetError(f"no member called {', '.join(missing)}")
    with ws.transaction() as con:
        con.execute("DELETE FROM public_dashboard")
        con.execute(
            "INSERT INTO public_dashboard (published, title, period, members, sections, updated_by) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [published, title, period, members, [s for s in SECTIONS if s in sections], by])
    return settings(ws)


def public_data(ws: Workspace, chosen: dict) -> dict:
    """The published figures: only the sections chosen, nothing personal."""
    period = parse_analysis_period(chosen["period"]) if chosen["period"] else None
    with closing(Analysis(ws, Scope(members=list(chosen["members"]), period=period))) as analysis:
        sections = set(chosen["sections"])
        out: dict = {"title": chosen["title"], "sections": [s for s in SECTIONS if s in sections],
                     "scope": {"members": list(chosen["members"]) or "all", "period": chosen["period"] or "all"}}
        headline = analysis.headline()
        out["has_data"] = headline["payments"] > 0
        if "headline" in sections:
            out["headline"] = {k: headline[k] for k in (
                "payments", "total_spend", "excluded", "influenceable_spend", "suppliers", "sme", "vcse",
                "located", "local", "deprivation")}
        if "trend" in sections:
            trend = analysis.trend("quarter")
            if len(trend["periods"]) > 12:
                trend = analysis.trend("financial_year")
            out["trend"] = trend
        if "leakage" in sections:
            out["leakage"] = analysis.leakage(limit=10) if analysis.tiers else {"tier": None, "categories": []}
        if "top_suppliers" in sections:
            top = [t for t in analysis.top_suppliers(TOP * 4) if t["class"] in PUBLIC_CLASSES and t["supplier"]]
            out["top_suppliers"] = [{k: t[k] for k in ("supplier", "class", "members", "payments", "spend")}
                                    for t in top[:TOP]]
        if "by_category" in sections:
            out["by_category"] = analysis.by("category", 10)
        if "by_member" in sections:
            out["by_member"] = analysis.by("member")
    chosen_network = [s for s in NETWORK_SECTIONS if s in sections]
    if chosen_network:
        from anchornet.network.report import network_report

        out["network"] = network_report(ws, members=list(chosen["members"]) or None, public=True,
                                        sections=chosen_network)
    return out


def public_charts(data: dict) -> dict:
    out = {}
    trend = data.get("trend")
    if trend and any(p[k]["share"] is not None for p in trend["periods"] for k in ("sme", "vcse")):
        out["trend"] = charts.shares_over_time(trend)
    if data.get("leakage", {}).get("categories"):
        out["leakage"] = charts.bars(data["leakage"]["categories"], "category", "outside",
                                     f"Spend leaving {data['leakage']['tier']}, by category", "£")
    if data.get("top_suppliers"):
        out["top_suppliers"] = charts.bars(data["top_suppliers"], "supplier", "spend", "Largest suppliers", "£")
    if data.get("by_category"):
        out["by_category"] = charts.bars(data["by_category"], "category", "influenceable_spend",
                                         "Influenceable spend by category", "£")
    if data.get("by_member"):
        out["by_member"] = charts.bars(data["by_member"][:15], "member", "influenceable_spend",
                                       "Influenceable spend by member", "£")
    return out
