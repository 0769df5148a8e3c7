"""`anchornet pipeline ...`: the business engagement pipeline (list, add, move, suggest, show)."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from anchornet import audit as security
from anchornet.cli.commands import out
from anchornet.cli.main import open_workspace, print_json
from anchornet.network import pipeline
from anchornet.network.sectors import ROLES_IN_NETWORK, SECTORS
from anchornet.registers.companies_house import SIZE_BANDS


def add_parsers(sub) -> None:
    p = sub.add_parser("pipeline", help="the business engagement pipeline: prospects from identified to joined",
                       description="Prospective business members by stage (docs/network/pipeline.md). "
                                   f"Stages: {', '.join(pipeline.STAGES)}.")
    ss = p.add_subparsers(dest="pipeline_command", metavar="ACTION", required=True)

    q = ss.add_parser("list", help="the prospects, with counts per stage")
    q.add_argument("--stage", help="only this stage")
    q.add_argument("--json", action="store_true")

    q = ss.add_parser("add", help="add a prospect")
    q.add_argument("name", help="the organisation's name")
    q.add_argument("--company-number")
    q.add_argument("--sector", choices=list(SECTORS), default="business")
    q.add_argument("--employees", type=int)
    q.add_argument("--size-band", choices=list(SIZE_BANDS))
    q.add_argument("--postcode", help="registered office postcode")
    q.add_argument("--fit", default="", help=f"why they fit: any of {', '.join(pipeline.FITS)}, comma separated")
    q.add_argument("--why", default=None, help="why they fit, in words")
    q.add_argument("--stage", default="identified", help="the stage to start at (default identified)")
    q.add_argument("--contact-name")
    q.add_argument("--contact-role")
    q.add_argument("--contact-email")
    q.add_argument("--owner", help="who leads the approach")
    q.add_argument("--notes")
    q.add_argument("--next-step")
    q.add_argument("--next-step-date", help="YYYY-MM-DD")
    q.add_argument("--date", help="when it was identified (YYYY-MM-DD, default today)")
    q.add_argument("--json", action="store_true")

    q = ss.add_parser("move", help="move a prospect to another stage (joined makes the member)")
    q.add_argument("prospect", type=int, help="the prospect's id (see `pipeline list`)")
    q.add_argument("stage", help=", ".join(pipeline.STAGES))
    q.add_argument("--note")
    q.add_argument("--date", help="when it happened (YYYY-MM-DD, default today)")
    q.add_argument("--no-member", action="store_true", help="joined: do not make the member")
    q.add_argument("--member-name", help="joined: the member's name (default the prospect's)")
    q.add_argument("--role", choices=list(ROLES_IN_NETWORK), default="associate",
                   help="joined: role in the network (default associate)")
    q.add_argument("--json", action="store_true")

    q = ss.add_parser("suggest", help="large active companies registered in the place, from Companies House")
    q.add_argument("--tier", help="a tier of the place (default the widest)")
    q.add_argument("--size", action="append", default=[], choices=list(SIZE_BANDS),
                   help="size band (repeat for several; default large)")
    q.add_argument("--limit", type=int, default=50)
    q.add_argument("--add", action="append", default=[], metavar="COMPANY_NUMBER",
                   help="add this suggested company to the pipeline (repeat for several)")
    q.add_argument("--json", action="store_true")

    q = ss.add_parser("show", help="one prospect and its stage history")
    q.add_argument("prospect", type=int)
    q.add_argument("--json", action="store_true")


def cmd_pipeline(args, workspace: Path) -> int:
    ws = open_workspace(workspace)
    try:
        return _ACTIONS[args.pipeline_command](ws, args) or 0
    finally:
        ws.close()


def _audit(ws, action: str, target: str, detail: dict, member_id: int | None = None) -> None:
    security.audit(ws.con, security.Actor.cli(), "pipeline." + action, target=target, member_id=member_id,
                   detail=detail)


def _list(ws, args) -> int:
    rows = pipeline.list_prospects(ws, stage=args.stage)
    if args.json:
        print_json(rows)
        return 0
    counts = pipeline.board(ws)["counts"]
    table = Table(title="Engagement pipeline: " + ", ".join(f"{pipeline.STAGES[s].lower()} {n}"
                                                          for s, n in counts.items() if n) if rows else
                  "Engagement pipeline: no prospect yet")
    for col in ("id", "organisation", "stage", "fits", "owner", "next step", "by"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["prospect_id"]), r["name"], r["stage_label"], ", ".join(r["fits"]), r["owner"] or "",
                      r["next_step"] or "", f"{r['next_step_on'] or ''}{' OVERDUE' if r['overdue'] else ''}")
    out.print(table)
    return 0


def _add(ws, args) -> int:
    prospect_id = pipeline.add_prospect(
        ws, args.name, stage=args.stage, on=args.date, company_number=args.company_number, sector=args.sector,
        employees=args.employees, size_band=args.size_band, postcode=args.postcode, fit=args.fit,
        fit_note=args.why, contact_name=args.contact_name, contact_role=args.contact_role,
        contact_email=args.contact_email, owner=args.owner, notes=args.notes, next_step=args.next_step,
        next_step_on=args.next_step_date)
    _audit(ws, "add", f"prospect {prospect_id}", {"name": args.name, "stage": args.stage, "source": "manual"})
    if args.json:
        print_json(pipeline.get_prospect(ws, prospect_id))
    else:
        out.print(f"added prospect {prospect_id}: {args.name}", markup=False)
    return 0


def _move(ws, args) -> int:
    result = pipeline.move(ws, args.prospect, args.stage, note=args.note, on=args.date,
                           create_member=not args.no_member, member_name=args.member_name,
                           network_role=args.role)
    action = "join" if result["to"] == "joined" else "move"
    _audit(ws, action, f"prospect {args.prospect}",
           {"name": result["name"], "from": result["from"], "to": result["to"], "on": result["on"],
            "member": result["member"], "member_created": result["member_created"]}, member_id=result["member_id"])
    if args.json:
        print_json(result)
        return 0
    line = (f"{result['name']}: {pipeline.STAGES[result['from']].lower()} -> "
            f"{pipeline.STAGES[result['to']].lower()} on {result['on']}")
    if result["member"]:
        line += (f"; member {'made' if result['member_created'] else 'linked'}: {result['member']}"
                 + (" (profile added)" if result["profile_created"] else ""))
    out.print(line, markup=False)
    return 0


def _suggest(ws, args) -> int:
    added = []
    for number in args.add:
        prospect_id = pipeline.add_from_register(ws, number)
        _audit(ws, "add", f"prospect {prospect_id}", {"company_number": number, "source": "companies-house"})
        added.append(prospect_id)
    data = pipeline.suggestions(ws, tier=args.tier, sizes=args.size or pipeline.SUGGEST_SIZES, limit=args.limit)
    if args.json:
        print_json({**data, "added": added})
        return 0
    for prospect_id in added:
        out.print(f"added prospect {prospect_id}", markup=False)
    if data["note"]:
        out.print(f"note: {data['note']}", markup=False)
    if data["tier"] is None:
        return 0
    table = Table(title=f"{data['total']} active {'/'.join(data['sizes'])} companies registered inside "
                        f"{data['tier']}, not yet members or prospects")
    for col in ("number", "company", "SIC", "size", "postcode"):
        table.add_column(col)
    for c in data["companies"]:
        table.add_row(c["company_number"], c["name"], "; ".join(c["sic"]), c["size_band"], c["postcode"])
    out.print(table)
    out.print("Add one with: anchornet pipeline suggest --add COMPANY_NUMBER", markup=False)
    return 0


def _show(ws, args) -> int:
    p = pipeline.get_prospect(ws, args.prospect)
    if args.json:
        print_json(p)
        return 0
    lines = [
        f"{p['name']} (prospect {p['prospect_id']}): {p['stage_label']}"
        + (f"; member {p['member']}" if p["member"] else ""),
        f"company number: {p['company_number'] or 'not recorded'}; sector: {p['sector_label'] or 'not recorded'}; "
        f"size: {p['size_band'] or 'not recorded'}"
        + (f", {p['employees']:,} employees" if p["employees"] is not None else "")
        + f"; postcode: {p['postcode'] or 'not recorded'}",
        f"why they fit: {', '.join(p['fits']) or 'not recorded'}" + (f" ({p['fit_note']})" if p["fit_note"] else ""),
        f"contact: {p['contact_name'] or 'not recorded'}"
        + (f", {p['contact_role']}" if p["contact_role"] else "")
        + (f" <{p['contact_email']}>" if p["contact_email"] else ""),
        f"leads the approach: {p['owner'] or 'nobody yet'}",
        f"next step: {p['next_step'] or 'none'}" + (f" by {p['next_step_on']}" if p["next_step_on"] else "")
        + (" (OVERDUE)" if p["overdue"] else ""),
    ]
    if p["notes"]:
        lines.append(f"notes: {p['notes']}")
    for line in lines:
        out.print(line, markup=False)
    table = Table(title="Stage history")
    for col in ("date", "from", "to", "by", "note"):
        table.add_column(col)
    for h in p["history"]:
        table.add_row(str(h["moved_on"]), h["from_label"] or "(added)", h["to_label"], h["moved_by"], h["note"] or "")
    out.print(table)
    return 0


_ACTIONS = {"list": _list, "add": _add, "move": _move, "suggest": _suggest, "show": _show}
