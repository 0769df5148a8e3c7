"""`anchornet pledges ...`: the network's pledges, members' sign-ups and their progress."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from anchornet.cli.commands import err, out
from anchornet.cli.main import open_workspace, print_json


def add_parsers(sub) -> None:
    p = sub.add_parser("pledges", help="network pledges: add, sign, report progress, show")
    ss = p.add_subparsers(dest="pledges_command", metavar="ACTION", required=True)

    q = ss.add_parser("list", help="every pledge, its signatories and progress at a glance")
    q.add_argument("--json", action="store_true")

    q = ss.add_parser("add", help="add a network pledge (the coordinator)")
    q.add_argument("--title", required=True)
    q.add_argument("--text", required=True, help="what the members pledge, in full")
    q.add_argument("--theme", required=True, help="e.g. procurement, employment, net zero")
    q.add_argument("--measure", default="manual",
                   help="manual (members report values), or from the spend data: local:TIER (a place tier, "
                        "e.g. local:city), sme, vcse or deprived (default: manual)")
    q.add_argument("--unit", help="manual measures: the unit, e.g. apprentices or '%% of staff on the Real "
                                  "Living Wage'")
    q.add_argument("--measure-text", help="manual measures: what is measured, in words (default: the unit)")
    q.add_argument("--grain", choices=["financial_year", "quarter"], default="financial_year",
                   help="measures from the data: progress per financial year (default) or quarter")
    q.add_argument("--direction", choices=["increase", "decrease"], default="increase")
    q.add_argument("--baseline", help="the baseline value (in the unit; a percentage for measures from the data)")
    q.add_argument("--baseline-period", help="when the baseline is from: YYYY-MM-DD, or a period such as "
                                             "FY2014/15 or 2014-Q2 (measures from the data: each member's "
                                             "own figure for it is its baseline)")
    q.add_argument("--target", required=True, help="the target value, in the unit")
    q.add_argument("--target-date", required=True, help="YYYY-MM-DD")
    q.add_argument("--json", action="store_true")

    q = ss.add_parser("edit", help="change a pledge (title, text, target, status...)")
    q.add_argument("pledge", type=int)
    for name in ("title", "text", "theme", "unit", "baseline", "baseline-period", "target", "target-date"):
        q.add_argument(f"--{name}")
    q.add_argument("--direction", choices=["increase", "decrease"])
    q.add_argument("--status", choices=["open", "closed"])

    q = ss.add_parser("sign", help="sign a member up to a pledge (again: change its sign-up)")
    q.add_argument("pledge", type=int)
    q.add_argument("--member", required=True)
    q.add_argument("--date", help="signed on, YYYY-MM-DD (default: today)")
    q.add_argument("--baseline", help="the member's own baseline, if not the pledge's")
    q.add_argument("--target", help="the member's own target, if not the pledge's")
    q.add_argument("--public", action="store_true", help="the member agrees to publish its progress")

    q = ss.add_parser("update", help="report progress: a value with evidence, or a note on a period "
                                     "(measures from the data)")
    q.add_argument("pledge", type=int)
    q.add_argument("--member", required=True)
    q.add_argument("--value", help="manual measures: the value reached")
    q.add_argument("--as-of", help="manual measures: the date the value is as of, YYYY-MM-DD (default: today)")
    q.add_argument("--period", help="measures from the data: the period the note is about (2014/15, 2014-Q2)")
    q.add_argument("--evidence", help="where the figure comes from")
    q.add_argument("--evidence-url", help="a link to the evidence (http:// or https://)")
    q.add_argument("--note")

    q = ss.add_parser("show", help="one pledge: every signatory's progress against the target")
    q.add_argument("pledge", type=int)
    q.add_argument("--json", action="store_true")


def cmd_pledges(args, workspace: Path) -> int:
    action = args.pledges_command
    ws = open_workspace(workspace, create=action == "add")
    try:
        return _ACTIONS[action](ws, args) or 0
    finally:
        ws.close()


def _actor():
    from anchornet.audit import Actor

    return Actor.cli()


def _value(v) -> str:
    if v is None:
        return "unknown"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def _share(v) -> str:
    return "unknown" if v is None else f"{v:.0%}"


def _list(ws, args) -> int:
    from anchornet.network import pledges

    rows = pledges.overview(ws)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        out.print("No pledges yet. Add one with: anchornet pledges add --title ... --target ... --target-date ...")
        return 0
    table = Table(title="Pledges")
    for col in ("id", "title", "theme", "measure", "target", "by", "status", "signed", "on track or met"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["pledge_id"]), r["title"], r["theme"], r["measure"],
                      f"{_value(r['target_value'])} {r['unit']}", str(r["target_date"]), r["status"],
                      str(r["signatories"]), str(r["on_track_or_met"]))
    out.print(table)
    return 0


def _add(ws, args) -> int:
    from anchornet.network import pledges

    pledge_id = pledges.add_pledge(
        ws, actor=_actor(), title=args.title, text=args.text, theme=args.theme, measure=args.measure,
        unit=args.unit, measure_text=args.measure_text, grain=args.grain, direction=args.direction,
        baseline_value=args.baseline, baseline_period=args.baseline_period, target_value=args.target,
        target_date=args.target_date)
    if args.json:
        print_json(pledges.get_pledge(ws, pledge_id))
    else:
        out.print(f"pledge {pledge_id} added: {args.title}", markup=False)
    return 0


def _edit(ws, args) -> int:
    from anchornet.network import pledges

    names = {"title": "title", "text": "text", "theme": "theme", "unit": "unit", "baseline": "baseline_value",
             "baseline_period": "baseline_period", "target": "target_value", "target_date": "target_date",
             "direction": "direction", "status": "status"}
    changes = {field: getattr(args, arg) for arg, field in names.items() if getattr(args, arg) is not None}
    if not changes:
        err.print("nothing to change: give --title, --target, --status ...")
        return 2
    pledges.edit_pledge(ws, args.pledge, actor=_actor(), **changes)
    out.print(f"pledge {args.pledge} changed: {', '.join(changes)}", markup=False)
    return 0


def _sign(ws, args) -> int:
    from anchornet.network import pledges

    done = pledges.sign(ws, args.pledge, args.member, signed_on=args.date, baseline_value=args.baseline,
                        target_value=args.target, public=args.public, actor=_actor())
    verb = "sign-up changed" if done["changed"] else "signed"
    out.print(f"{done['member']}: {verb} (pledge {args.pledge}, {done['signed_on']}; progress "
              f"{'published' if done['public'] else 'not published'})", markup=False)
    return 0


def _update(ws, args) -> int:
    from anchornet.network import pledges

    done = pledges.add_update(ws, args.pledge, args.member, as_of=args.as_of, value=args.value, period=args.period,
                              evidence=args.evidence, evidence_url=args.evidence_url, note=args.note, actor=_actor())
    what = f"note on {done['period']}" if done["period"] else f"{_value(done['value'])} as of {done['as_of']}"
    out.print(f"{done['member']}: {what} {'replaced' if done['replaced'] else 'recorded'} (pledge {args.pledge})",
              markup=False)
    return 0


def _show(ws, args) -> int:
    from anchornet.network import pledges

    prog = pledges.progress(ws, args.pledge)
    if args.json:
        print_json(prog)
        return 0
    p = prog["pledge"]
    out.print(f"Pledge {p['pledge_id']}: {p['title']} ({p['status']})", markup=False)
    out.print(p["text"], markup=False)
    source = f"from the spend data, per {p['grain'].replace('_', ' ')}" if p["computed"] else "reported by members"
    out.print(f"Measure: {p['measure']} ({source}); {p['direction']} to {_value(p['target_value'])} {p['unit']} "
              f"by {p['target_date']}; baseline {_value(p['baseline_value'])}"
              f"{' (' + p['baseline_period'] + ')' if p['baseline_period'] else ''}", markup=False)
    table = Table(title="Signatories")
    for col in ("member", "signed", "baseline", "target", "latest", "as of", "known for", "of the way", "status"):
        table.add_column(col)
    for s in prog["signatories"]:
        latest = s["latest"] or {}
        table.add_row(s["member"], str(s["signed_on"]), _value(s["baseline"]), _value(s["target"]),
                      _value(latest.get("value")), str(latest.get("period") or latest.get("as_of") or ""),
                      _share(latest.get("coverage")) if p["computed"] else "", _share(s["share_of_way"]), s["status"])
    out.print(table)
    return 0


_ACTIONS = {"list": _list, "add": _add, "edit": _edit, "sign": _sign, "update": _update, "show": _show}
