"""The overview dashboard: headline shares with coverage, the trend, leakage by category,
top suppliers and data quality at a glance, for the network or one member and a period."""

from __future__ import annotations

from contextlib import closing
from typing import Annotated

from fastapi import APIRouter, Query, Request

from anchornet.analysis.metrics import Analysis, Scope
from anchornet.analysis.periods import parse_analysis_period
from anchornet.ingest import browse
from anchornet.ingest.quality import file_quality, member_quality
from anchornet.reports import charts
from anchornet.web import permissions
from anchornet.web.deps import WS, SignedIn
from anchornet.web.permissions import PUBLIC_CLASSES, Principal
from anchornet.web.rendering import render
from anchornet.workspace import Workspace

router = APIRouter()
TOP = 15


def trend_of(analysis: Analysis) -> dict:
    """Quarters, or financial years when there are more than twelve quarters (as the report does)."""
    trend = analysis.trend("quarter")
    if len(trend["periods"]) > 12:
        trend = analysis.trend("financial_year")
    return trend


def quality_glance(all_files: list[dict], principal: Principal, members: list[str]) -> dict:
    """Network totals for everyone; per member only for the members the account may see."""
    files = [f for f in all_files if not members or f["member"] in members]
    rows = sum(f.get("rows_loaded", 0) or 0 for f in files)
    valid = sum(f.get("valid_dates", 0) or 0 for f in files)
    summary = {
        "files": len(files),
        "rows_loaded": rows,
        "rows_quarantined": sum(f.get("rows_quarantined", 0) or 0 for f in files),
        "valid_date_share": round(valid / rows, 4) if rows else None,
        "placeholder_dates": sum(f.get("placeholder_dates", 0) or 0 for f in files),
        "duplicate_rows": sum(f.get("duplicate_rows", 0) or 0 for f in files),
        "redacted_payees": sum(f.get("redacted_payees", 0) or 0 for f in files),
        "lgtc_score": min((f["lgtc_score"] for f in files), default=None),
    }
    visible = [f for f in files if permissions.can_see_member_quality(principal, f["member"])]
    return {"summary": summary, "members": member_quality(visible)}


def overview_figures(ws: Workspace, members: list[str], period: str | None) -> dict:
    """The figures of one scope, the same for every account that may see it (names are
    filtered per account afterwards): what the cache keeps and warms."""
    scope = Scope(members=members, period=parse_analysis_period(period) if period else None)
    with closing(Analysis(ws, scope)) as analysis:  # frees its temporary table
        headline = analysis.headline()
        return {
            "scope": headline["scope"],
            "has_data": browse.has_payments(ws),
            "headline": headline,
            "trend": trend_of(analysis),
            "leakage": analysis.leakage(limit=10) if analysis.tiers else {"tier": None, "categories": []},
            "top_suppliers": analysis.top_suppliers(TOP * 4),
            "by_category": analysis.by("category", 10),
        }


def cached_figures(results, ws: Workspace, members: list[str], period: str | None) -> dict:
    """overview_figures, kept until the next change to the data (see web/cache.py)."""
    return results.get(("overview", tuple(members), period), lambda: overview_figures(ws, members, period))


def warm(results, ws: Workspace) -> None:
    """What most visits ask first: the whole network's figures and the files' quality."""
    cached_figures(results, ws, [], None)
    results.get(("file_quality",), lambda: file_quality(ws))


def overview_data(ws: Workspace, principal: Principal, member: str | None, period: str | None,
                  results=None) -> dict:
    members = permissions.overview_members(principal, member)
    figures = (cached_figures(results, ws, members, period) if results is not None
               else overview_figures(ws, members, period))
    files = results.get(("file_quality",), lambda: file_quality(ws)) if results is not None else file_quality(ws)
    full_names = permissions.names_in_full(principal, members)
    top = figures["top_suppliers"]
    if not full_names:  # shared view: name only what is surely an organisation
        top = [t for t in top if t["class"] in PUBLIC_CLASSES]
    return {**figures, "names_in_full": full_names, "top_suppliers": top[:TOP],
            "quality": quality_glance(files, principal, members)}


def cached_overview(request: Request, ws: Workspace, principal: Principal, member: str | None,
                    period: str | None) -> dict:
    """overview_data with its figures from the cache; the key of the figures holds their
    scope, and what differs per account (names, file quality) is applied per request."""
    return overview_data(ws, principal, member, period, results=request.app.state.results)


def overview_charts(data: dict) -> dict:
    out = {}
    if any(p[k]["share"] is not None for p in data["trend"]["periods"] for k in ("sme", "vcse")):
        out["trend"] = charts.shares_over_time(data["trend"])
    if data["leakage"]["categories"]:
        out["leakage"] = charts.bars(data["leakage"]["categories"], "category", "outside",
                                     f"Spend leaving {data['leakage']['tier']}, by category", "£")
    if data["top_suppliers"]:
        out["top_suppliers"] = charts.bars(data["top_suppliers"], "supplier", "spend", "Largest suppliers", "£")
    if data["by_category"]:
        out["by_category"] = charts.bars(data["by_category"], "category", "influenceable_spend",
                                         "Influenceable spend by category", "£")
    return out


@router.get("/", include_in_schema=False)
def overview_page(request: Request, *, member: str | None = None, period: str | None = None, principal: SignedIn,
                  ws: WS):
    member = member or None
    period = (period or "").strip() or None
    data = cached_overview(request, ws, principal, member, period)
    return render(request, "overview.html", {
        "d": data, "charts": overview_charts(data), "member": member, "period": period or "",
        "member_choices": permissions.visible_members(principal, browse.member_names(ws)),
        "period_choices": browse.period_choices(ws),
    })


MEMBER_HELP = "one member (default: the whole network)"
PERIOD_HELP = "FY2014/15, 2014-Q2, 2014-05, 2015 or a range 2014-04..2015-03 (default: all)"


@router.get("/api/overview", tags=["overview"], summary="The overview dashboard's figures")
def api_overview(request: Request, *, member: Annotated[str | None, Query(description=MEMBER_HELP)] = None,
                 period: Annotated[str | None, Query(description=PERIOD_HELP)] = None,
                 principal: SignedIn, ws: WS) -> dict:
    """Headline shares with their coverage, the trend, leakage by category, the largest
    suppliers and data quality: exactly what the overview page shows."""
    return cached_overview(request, ws, principal, member or None, (period or "").strip() or None)
