"""The network report: headline shares with coverage, charts, tables, data quality and
methods, as HTML, PDF (the same HTML through WeasyPrint) or XLSX (one sheet per table).

``public=True`` removes what could be personal: payees not positively identified as
organisations are never named (they are summed as "other payees"), the service-area
breakdown (free text) is left out, and file-level notes are dropped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from pathlib import Path

from anchornet import __version__
from anchornet.analysis.metrics import Analysis, Scope
from anchornet.errors import AnchornetError
from anchornet.ingest.quality import file_quality
from anchornet.network.report import network_report
from anchornet.reports import charts
from anchornet.reports.exports import add_table_sheet
from anchornet.reports.rendering import environment
from anchornet.suppliers.classify import PUBLIC_CLASSES
from anchornet.workspace import Workspace

FORMATS = ("html", "pdf", "xlsx")


def report_data(ws: Workspace, scope: Scope | None = None, *, public: bool = False,
                top: int = 25) -> dict:
    analysis = Analysis(ws, scope)
    headline = analysis.headline()
    top_suppliers = analysis.top_suppliers(top)
    if public:
        top_suppliers = [t for t in top_suppliers if t["class"] in PUBLIC_CLASSES]
    trend_grain = "quarter"
    trend = analysis.trend(trend_grain)
    if len(trend["periods"]) > 12:
        trend = analysis.trend("financial_year")
    by_member = analysis.by("member")
    by_category = analysis.by("category", 20)
    shared = analysis.shared_suppliers()
    from anchornet.analysis.opportunities import LEAKING_CATEGORIES, opportunities

    # one pass over the payments for both the leakage table and the shortlist
    leaking = analysis.leakage(limit=LEAKING_CATEGORIES) if analysis.tiers else None
    leakage = ({**leaking, "categories": leaking["categories"][:20]} if leaking
               else {"tier": None, "categories": []})
    shortlist = opportunities(analysis, per_category=10, leakage=leaking)
    if public:
        shared = [s for s in shared if s["supplier"]]
    quality = file_quality(ws)
    members = {m["member"] for m in by_member}
    quality = [q for q in quality if q["member"] in members]
    data = {
        "title": "Where the network's money goes",
        "network": ws.path.name,
        "public": public,
        "generated": dt.date.today().strftime("%d %B %Y"),
        "version": __version__,
        "scope": headline["scope"],
        "headline": headline,
        "trend": trend,
        "by_member": by_member,
        "by_category": by_category,
        "by_service_area": [] if public else analysis.by("service_area", 20),
        "top_suppliers": top_suppliers,
        "shared_suppliers": shared,
        "leakage": leakage,
        "opportunities": shortlist,
        "quality": [
            {k: q[k] for k in ("member", "file", "period", "rows_loaded", "amount_loaded",
                               "valid_date_share", "placeholder_dates", "rows_quarantined",
                               "redacted_payees", "lgtc_score")}
            | ({} if public else {"notes": q["notes"]})
            for q in quality
        ],
        "rules": [{"name": r.name, "why": r.why} for r in analysis.rules],
        "network_records": network_report(ws, members=list(scope.members) if scope and scope.members else None,
                                          public=public),
    }
    data["charts"] = _charts(data)
    analysis.close()
    return data


def _charts(data: dict) -> dict:
    out = {}
    if data["trend"]["periods"]:
        out["shares_over_time"] = charts.shares_over_time(data["trend"])
    if data["by_member"]:
        out["spend_by_member"] = charts.bars(
            data["by_member"][:15], "member", "influenceable_spend", "Influenceable spend by member", "£")
    if data["top_suppliers"]:
        out["top_suppliers"] = charts.bars(
            data["top_suppliers"][:15], "supplier", "spend", "Largest suppliers", "£")
    if data["leakage"]["categories"]:
        out["leakage"] = charts.bars(
            data["leakage"]["categories"][:15], "category", "outside",
            f"Spend leaving {data['leakage']['tier']}, by category", "£")
    if data["by_category"]:
        out["spend_by_category"] = charts.bars(
            data["by_category"][:15], "category", "influenceable_spend",
            "Influenceable spend by category", "£")
    return out


def render_html(data: dict) -> str:
    svgs = {name: charts.to_svg(spec) for name, spec in data["charts"].items()}
    return environment().get_template("annual.html.j2").render(d=data, svgs=svgs)


def write_report(ws: Workspace, path: Path, scope: Scope | None = None, *, public: bool = False,
                 fmt: str | None = None) -> Path:
    """Write the report; the format comes from ``fmt`` or the file's extension."""
    path = Path(path)
    fmt = fmt or path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise AnchornetError(f"cannot write a report as {fmt!r}; use .html, .pdf or .xlsx")
    if not path.parent.exists():
        raise AnchornetError(f"the folder {path.parent} does not exist")
    data = report_data(ws, scope, public=public)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        if fmt == "html":
            Path(tmp).write_text(render_html(data), encoding="utf-8")
        elif fmt == "pdf":
            import weasyprint

            weasyprint.HTML(string=render_html(data)).write_pdf(tmp, presentational_hints=True)
        else:
            _write_xlsx(data, Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def _write_xlsx(data: dict, path: Path) -> None:
    import xlsxwriter

    h = data["headline"]
    headline_rows = [
        {"figure": "total spend", "numerator": h["total_spend"], "denominator": None, "share": None,
         "coverage": None},
        *[{"figure": f"excluded: {e['rule']}", "numerator": e["amount"], "denominator": None,
           "share": None, "coverage": None} for e in h["excluded"]],
        {"figure": "influenceable spend", "numerator": h["influenceable_spend"], "denominator": None,
         "share": None, "coverage": None},
        {"figure": "spend with a located supplier", "numerator": h["located"]["numerator"],
         "denominator": h["located"]["denominator"], "share": h["located"]["share"], "coverage": None},
        *[{"figure": f"{key} share", "numerator": h[key]["numerator"],
           "denominator": h[key]["denominator"], "share": h[key]["share"],
           "coverage": h[key]["coverage"]} for key in ("sme", "vcse")],
    ]
    for tier in h.get("local", []):
        headline_rows.append({"figure": f"local share: {tier['tier']}", "numerator": tier["numerator"],
                              "denominator": tier["denominator"], "share": tier["share"],
                              "coverage": tier["coverage"]})
    trend_rows = [
        {"period": p["period"], "payments": p["payments"], "influenceable_spend": p["influenceable_spend"],
         "sme_share": p["sme"]["share"], "sme_coverage": p["sme"]["coverage"],
         "vcse_share": p["vcse"]["share"], "vcse_coverage": p["vcse"]["coverage"]}
        for p in data["trend"]["periods"]
    ]
    sheets = {
        "Headline": headline_rows,
        "Trend": trend_rows,
        "By member": data["by_member"],
        "By category": data["by_category"],
        "By service area": data["by_service_area"],
        "Top suppliers": data["top_suppliers"],
        "Leakage": data["leakage"]["categories"],
        "Opportunities": [
            {"category": c["category"], "spend_leaving": c["outside"], "firms_kind": c["firms_kind"],
             "company_number": f["company_number"], "name": f["name"], "postcode": f["postcode"],
             "size_band": f["size_band"], "sic_codes": ", ".join(f["sic_codes"] or [])}
            for c in data["opportunities"]["categories"] for f in c["firms"]
        ],
        "Shared suppliers": [{**s, "members": ", ".join(s["members"])} for s in data["shared_suppliers"]],
        "Data quality": [{k: v for k, v in q.items() if k != "notes"} for q in data["quality"]],
        "Rules": data["rules"],
        **_network_sheets(data.get("network_records") or {}),
    }
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    for name, rows in sheets.items():
        if data["public"] and name == "By service area":
            continue
        add_table_sheet(book, name, rows, empty="nothing to show for this scope", bold=bold)
    book.close()


def _network_sheets(n: dict) -> dict[str, list[dict]]:
    """The network's records as sheets, with the same rows the report's tables show."""
    sheets: dict[str, list[dict]] = {}
    if n.get("pledges"):
        sheets["Pledge progress"] = [
            {"pledge": p["title"], "measure": p["measure"], "unit": p["unit"], "target": p["target_value"],
             "target_date": p["target_date"], **s} for p in n["pledges"] for s in p["signatories"]]
    if n.get("framework"):
        sheets["Framework distribution"] = [
            {"framework": f["name"], "dimension": d["name"], "level": lv["level"], "level_name": lv["name"],
             "members": lv["members"], "hidden": "fewer than the minimum" if f["suppressed"] else None}
            for f in n["framework"]["frameworks"] for d in f["dimensions"] for lv in d["levels"]]
    if n.get("social_value"):
        sv = n["social_value"]
        sheets["Social value by measure"] = sv["measures"]
        sheets["Social value by contract"] = sv["contracts"]
    if n.get("plans"):
        sheets["Action plans"] = [
            {k: p[k] for k in ("title", "start_year", "end_year", "status_label")}
            | {k: p["progress"][k] for k in ("done", "counted", "percent", "at_risk", "overdue")} for p in n["plans"]]
    if n.get("members"):
        sheets["Members"] = n["members"]
    return sheets
