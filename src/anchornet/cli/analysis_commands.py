"""`anchornet analyse`: the headline figures for a scope, as a table or JSON."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from anchornet.cli.commands import out
from anchornet.cli.main import open_workspace, print_json


def add_parsers(sub) -> None:
    p = sub.add_parser("analyse", help="headline spend figures with their coverage")
    p.add_argument("--member", action="append", default=[], help="only this member (repeatable)")
    p.add_argument("--period", help="YYYY-MM, YYYY-Qn, YYYY, FY2014/15 or YYYY-MM..YYYY-MM")
    p.add_argument("--by", choices=["member", "category", "service_area"], help="also break spend down")
    p.add_argument("--trend", choices=["month", "quarter", "financial_year", "year"],
                   help="also show the figures by period")
    p.add_argument("--top", type=int, default=10, help="how many top suppliers to list (0 for none)")
    p.add_argument("--baseline", help="a baseline period to compare the figures with")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("report", help="the network report as HTML, PDF or XLSX")
    p.add_argument("--member", action="append", default=[], help="only this member (repeatable)")
    p.add_argument("--period", help="YYYY-MM, YYYY-Qn, YYYY, FY2014/15 or YYYY-MM..YYYY-MM")
    p.add_argument("--public", action="store_true", help="the public edition: no personal data")
    p.add_argument("-o", "--output", type=Path, required=True, help="FILE.html, FILE.pdf or FILE.xlsx")


def add_opportunity_parser(sub) -> None:
    p = sub.add_parser("opportunities", help="local firms that could win the spend that leaves")
    p.add_argument("--tier", help="the tier to keep spend in (default: the innermost)")
    p.add_argument("--member", action="append", default=[])
    p.add_argument("--period")
    p.add_argument("--categories", type=int, default=5, help="how many leaking categories")
    p.add_argument("--per-category", type=int, default=25, help="firms per category")
    p.add_argument("-o", "--output", type=Path, help="write the shortlist as CSV")
    p.add_argument("--json", action="store_true")


def cmd_opportunities(args, workspace: Path) -> int:
    import csv

    from anchornet.analysis.metrics import Analysis, Scope
    from anchornet.analysis.opportunities import opportunities
    from anchornet.analysis.periods import parse_analysis_period

    period = parse_analysis_period(args.period) if args.period else None
    ws = open_workspace(workspace, read_only=True)
    try:
        result = opportunities(Analysis(ws, Scope(members=args.member, period=period)), tier=args.tier,
                               categories=args.categories, per_category=args.per_category)
    finally:
        ws.close()
    rows = [
        {"category": c["category"], "spend_leaving": c["outside"], "firms_kind": c["firms_kind"],
         "company_number": f["company_number"], "name": f["name"], "postcode": f["postcode"],
         "size_band": f["size_band"], "sic_codes": " ".join(f["sic_codes"] or [])}
        for c in result["categories"] for f in c["firms"]
    ]
    if args.output:
        with open(args.output, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["category"])
            writer.writeheader()
            writer.writerows(rows)
    if args.json:
        print_json(result)
    elif result["note"]:
        out.print(f"No shortlist: {result['note']}.")
    else:
        for c in result["categories"]:
            out.print(f"{c['category']}: £{c['outside']:,.0f} leaving {result['tier']}; "
                      f"{len(c['firms'])} local firms ({c['firms_kind'] or 'no SIC match set'})")
            for f in c["firms"][:10]:
                out.print(f"    {f['name']} ({f['company_number']}, {f['postcode']}, {f['size_band']})")
    return 0


def cmd_report(args, workspace: Path) -> int:
    from anchornet.analysis.metrics import Scope
    from anchornet.analysis.periods import parse_analysis_period
    from anchornet.cli.commands import err
    from anchornet.reports.annual import write_report

    period = parse_analysis_period(args.period) if args.period else None
    ws = open_workspace(workspace, read_only=True)
    try:
        path = write_report(ws, args.output, Scope(members=args.member, period=period), public=args.public)
    finally:
        ws.close()
    err.print(f"wrote the {'public' if args.public else 'internal'} report to {path}")
    return 0


def _pct(share: dict) -> str:
    if share["share"] is None:
        return "unknown"
    return f"{share['share']:.1%}"


def _cov(share: dict) -> str:
    return "–" if share["coverage"] is None else f"{share['coverage']:.1%}"


def cmd_analyse(args, workspace: Path) -> int:
    from anchornet.analysis.metrics import Analysis, Scope
    from anchornet.analysis.periods import parse_analysis_period

    period = parse_analysis_period(args.period) if args.period else None
    ws = open_workspace(workspace, read_only=True)
    try:
        analysis = Analysis(ws, Scope(members=args.member, period=period))
        result = {"headline": analysis.headline()}
        if args.top:
            result["top_suppliers"] = analysis.top_suppliers(args.top)
        if args.by:
            result["by_" + args.by] = analysis.by(args.by)
        if args.trend:
            result["trend"] = analysis.trend(args.trend)
        if args.baseline:
            result["change"] = analysis.change_against(parse_analysis_period(args.baseline))
    finally:
        ws.close()
    if args.json:
        print_json(result)
        return 0
    h = result["headline"]
    scope = h["scope"]
    out.print(f"Scope: members {scope['members'] if scope['members'] == 'all' else ', '.join(scope['members'])}"
              f"; period {scope['period']}; {h['payments']:,} payments")
    table = Table(title="Headline")
    for col in ("figure", "value", "of", "coverage (known)", "unknown"):
        table.add_column(col, justify="left" if col == "figure" else "right")
    table.add_row("Total spend", f"£{h['total_spend']:,.0f}", "", "", "")
    for e in h["excluded"]:
        table.add_row(f"  less {e['rule']}", f"£{e['amount']:,.0f}", "", "", "")
    table.add_row("Influenceable spend", f"£{h['influenceable_spend']:,.0f}", "", "", "")
    for tier in h["local"]:
        table.add_row(f"Local share: {tier['tier']}", _pct(tier), "influenceable spend", _cov(tier),
                      "–" if tier["unknown_share"] is None else f"{tier['unknown_share']:.1%}")
    dep = h["deprivation"]["most_deprived_10pc"]
    if dep["coverage"]:
        table.add_row("In the 10% most deprived areas", _pct(dep), "influenceable spend", _cov(dep),
                      f"{dep['unknown_share']:.1%}")
    located = h["located"]["share"]
    table.add_row("Spend with a located supplier", "unknown" if located is None else f"{located:.1%}",
                  "influenceable spend", "", "")
    for name, key in (("SME share", "sme"), ("VCSE share", "vcse")):
        s = h[key]
        table.add_row(name, _pct(s), "influenceable spend", _cov(s),
                      "–" if s["unknown_share"] is None else f"{s['unknown_share']:.1%}")
    table.add_row("Suppliers", f"{h['suppliers']:,}", "", "", "")
    table.add_row("Anonymous personal payees", f"{h['personal_payees']:,}", "", "", "")
    out.print(table)
    if h["unresolved_payments"]:
        out.print(f"{h['unresolved_payments']:,} payments have no supplier yet: run "
                  "`anchornet suppliers resolve`.")
    if h["outside_window"]["payments"]:
        o = h["outside_window"]
        out.print(f"{o['payments']:,} payments (£{o['amount']:,.0f}) have a period that crosses the "
                  "window's edges and are left out rather than guessed.")
    if result.get("top_suppliers"):
        table = Table(title="Top suppliers (influenceable spend; people and redacted payees never listed)")
        for col in ("supplier", "class", "members", "payments", "spend"):
            table.add_column(col, justify="left" if col in ("supplier", "class") else "right")
        for t in result["top_suppliers"]:
            table.add_row(t["supplier"], t["class"], str(t["members"]), f"{t['payments']:,}",
                          f"£{t['spend']:,.0f}")
        out.print(table)
    if args.by:
        table = Table(title=f"Spend by {args.by.replace('_', ' ')}")
        for col in (args.by, "payments", "total", "influenceable"):
            table.add_column(col, justify="left" if col == args.by else "right")
        for r in result["by_" + args.by]:
            table.add_row(str(r[args.by]), f"{r['payments']:,}", f"£{r['total_spend']:,.0f}",
                          f"£{r['influenceable_spend']:,.0f}")
        out.print(table)
    if args.baseline:
        table = Table(title=f"Change against {result['change']['baseline']}")
        for col in ("figure", "now", "baseline", "change"):
            table.add_column(col, justify="left" if col == "figure" else "right")
        for r in result["change"]["figures"]:
            money = r["figure"] == "influenceable spend"

            def fmt(v, money=money, signed=False):
                if v is None:
                    return "unknown"
                if money:
                    sign = ("+" if v >= 0 else "−") if signed else ("−" if v < 0 else "")
                    return sign + f"£{abs(v):,.0f}"
                return f"{v * 100:+.1f} pts" if signed else f"{v:.1%}"

            table.add_row(r["figure"], fmt(r["now"]), fmt(r["baseline"]), fmt(r["change"], signed=True))
        out.print(table)
    if args.trend:
        t = result["trend"]
        table = Table(title=f"By {args.trend.replace('_', ' ')}")
        for col in ("period", "payments", "influenceable", "SME share", "VCSE share"):
            table.add_column(col, justify="left" if col == "period" else "right")
        for p in t["periods"]:
            table.add_row(p["period"], f"{p['payments']:,}", f"£{p['influenceable_spend']:,.0f}",
                          _pct(p["sme"]), _pct(p["vcse"]))
        out.print(table)
        if t["not_placeable_at_this_grain"]:
            n = t["not_placeable_at_this_grain"]
            out.print(f"{n['payments']:,} payments (£{n['total_spend']:,.0f}) have only a period "
                      f"longer than a {args.trend.replace('_', ' ')} and are not placed.")
    return 0
