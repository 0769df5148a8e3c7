"""`anchornet members ...`: the network's member organisations and their profiles."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from anchornet.cli.commands import out
from anchornet.cli.main import open_workspace, print_json
from anchornet.network.sectors import ROLES_IN_NETWORK, SECTORS

# flag -> profile field (values as the user types them; the library checks them)
PROFILE_FLAGS = {
    "sector": "sector", "employees": "employees", "annual_spend": "annual_spend", "role": "network_role",
    "via": "via_organisation", "sponsor_name": "sponsor_name", "sponsor_title": "sponsor_title",
    "sponsor_email": "sponsor_email", "hq_postcode": "hq_postcode", "main_sites": "main_sites",
    "joined": "joined_on", "website": "website", "notes": "notes",
}


def _profile_flags(q) -> None:
    q.add_argument("--sector", choices=list(SECTORS))
    q.add_argument("--employees", help="number of employees")
    q.add_argument("--annual-spend", help="annual spend in pounds, as the member states it")
    q.add_argument("--role", choices=list(ROLES_IN_NETWORK), help="role in the network")
    q.add_argument("--via", help="associates: the chamber of commerce or business group")
    q.add_argument("--sponsor-name", help="the senior (C-suite) sponsor's name (private)")
    q.add_argument("--sponsor-title", help="e.g. Chief Executive")
    q.add_argument("--sponsor-email", help="(private)")
    q.add_argument("--hq-postcode", help="the headquarters' postcode")
    q.add_argument("--main-sites", help="main sites, separated by ';'")
    q.add_argument("--staff-local", help="share of staff living locally, as a percentage (e.g. 35)")
    q.add_argument("--joined", help="date joined, YYYY-MM-DD")
    q.add_argument("--website")
    q.add_argument("--notes", help="(private)")
    g = q.add_mutually_exclusive_group()
    g.add_argument("--publish", dest="publish", action="store_true", default=None,
                   help="the member agrees to be listed in public outputs")
    g.add_argument("--no-publish", dest="publish", action="store_false")


def add_parsers(sub) -> None:
    p = sub.add_parser("members", help="the network's member organisations and their profiles")
    ss = p.add_subparsers(dest="members_command", metavar="ACTION", required=True)

    q = ss.add_parser("list", help="every member: sector, role, size, payments data, supplier link")
    q.add_argument("--json", action="store_true")

    q = ss.add_parser("show", help="one member's profile, working groups and income from other members")
    q.add_argument("member", help="name or id")
    q.add_argument("--json", action="store_true")

    q = ss.add_parser("add", help="add a member organisation (e.g. a business with no payments data)")
    q.add_argument("name")
    _profile_flags(q)

    q = ss.add_parser("set", help="change a member's profile (only the fields given)")
    q.add_argument("member", help="name or id")
    _profile_flags(q)

    q = ss.add_parser("link", help="link a member to its supplier entity (no id: list candidates)")
    q.add_argument("member", help="name or id")
    q.add_argument("supplier", nargs="?", type=int, help="the supplier entity's id")
    q.add_argument("--unlink", action="store_true", help="remove the link")
    q.add_argument("--json", action="store_true")


def cmd_members(args, workspace: Path) -> int:
    action = args.members_command
    ws = open_workspace(workspace, create=action == "add", read_only=action in ("list", "show"))
    try:
        return _ACTIONS[action](ws, args) or 0
    finally:
        ws.close()


def _fields(args) -> dict:
    fields = {field: getattr(args, flag) for flag, field in PROFILE_FLAGS.items() if getattr(args, flag) is not None}
    if fields.get("main_sites"):
        fields["main_sites"] = "\n".join(s.strip() for s in fields["main_sites"].split(";") if s.strip())
    if args.staff_local is not None:
        fields["staff_local_share"] = args.staff_local
    if args.publish is not None:
        fields["publish_listing"] = args.publish
    return fields


def _audit(ws, action: str, member_id: int, name: str, detail: dict) -> None:
    from anchornet import audit as security

    security.audit(ws.con, security.Actor.cli(), action, target=name, member_id=member_id, detail=detail)


def _list(ws, args) -> int:
    from anchornet.network.members import list_members

    rows = list_members(ws)
    if args.json:
        print_json(rows)
        return 0
    table = Table(title=f"{len(rows)} member(s)")
    for col in ("id", "member", "sector", "role", "employees", "joined", "files", "payments", "total paid",
                "supplier"):
        table.add_column(col)
    for m in rows:
        table.add_row(str(m["member_id"]), m["name"], m["sector_label"], m["network_role_label"],
                      "" if m["employees"] is None else f"{m['employees']:,}", str(m["joined_on"] or ""),
                      str(m["files"]), f"{m['payments']:,}", f"£{m['total_paid']:,.2f}" if m["payments"] else "",
                      str(m["supplier_entity_id"] or ""))
    out.print(table)
    return 0


def _show(ws, args) -> int:
    from anchornet.network.groups import member_groups
    from anchornet.network.members import get_member, member_income

    member = get_member(ws, args.member)
    data = {"member": member, "groups": member_groups(ws, member["member_id"]),
            "income": member_income(ws, member["member_id"])}
    if args.json:
        print_json(data)
        return 0
    m = member
    out.print(f"[bold]{m['name']}[/bold] (member {m['member_id']}): {m['sector_label']}, {m['network_role_label']}"
              + (f" through {m['via_organisation']}" if m["via_organisation"] else ""))
    facts = [
        ("employees", m["employees"]), ("annual spend", m["annual_spend"]), ("joined", m["joined_on"]),
        ("senior sponsor", ", ".join(x for x in (m["sponsor_name"], m["sponsor_title"], m["sponsor_email"]) if x)),
        ("HQ postcode", m["hq_postcode"]), ("main sites", (m["main_sites"] or "").replace("\n", "; ")),
        ("staff living locally", None if m["staff_local_share"] is None else f"{m['staff_local_share']:.1%}"),
        ("website", m["website"]), ("notes", m["notes"]),
        ("listed in public outputs", "yes" if m["publish_listing"] else "no"),
        ("payments data", f"{m['files']} file(s), {m['payments']:,} payments, £{m['total_paid']:,.2f}"
                          + (f", {m['first_date']} to {m['last_date']}" if m["first_date"] else "")),
        ("supplier entity", f"{m['supplier']['entity_id']} {m['supplier']['display_name']}" if m["supplier"] else
                            "not linked (see: anchornet members link MEMBER)"),
    ]
    for label, value in facts:
        out.print(f"  {label}: {'' if value in (None, '') else value}")
    for g in data["groups"]:
        out.print(f"  working group: {g['name']} ({g['role_label']})")
    income = data["income"]
    if income["payments"]:
        out.print(f"  income from other members: £{income['total']:,.2f} in {income['payments']:,} payments")
        for r in income["by_member"]:
            out.print(f"    {r['member']}: £{r['total']:,.2f}")
    return 0


def _add(ws, args) -> int:
    from anchornet.network.members import add_member

    fields = _fields(args)
    member_id = add_member(ws, args.name, **fields)
    _audit(ws, "members.add", member_id, args.name.strip(), {"changed": sorted(fields)})
    out.print(f"added member {member_id}: {args.name.strip()}")
    return 0


def _set(ws, args) -> int:
    from anchornet.network.members import member_ref, update_profile

    member_id, name = member_ref(ws, args.member)
    fields = _fields(args)
    if not fields:
        out.print("nothing to change: give at least one field (see anchornet members set --help)")
        return 0
    changes = update_profile(ws, member_id, **fields)
    if changes:
        _audit(ws, "members.update", member_id, name, {"changed": sorted(changes)})
        out.print(f"{name}: changed {', '.join(sorted(changes))}")
    else:
        out.print(f"{name}: nothing changed")
    return 0


def _link(ws, args) -> int:
    from anchornet.network.members import link_supplier, member_ref, suggest_suppliers

    member_id, name = member_ref(ws, args.member)
    if args.supplier is None and not args.unlink:
        rows = suggest_suppliers(ws, member_id)
        if args.json:
            print_json(rows)
            return 0
        if not rows:
            out.print(f"no supplier with a name like {name!r}; find its id with anchornet export suppliers")
            return 0
        table = Table(title=f"Suppliers that may be {name}")
        for col in ("supplier", "name", "class", "postcode", "similarity", "paid to it"):
            table.add_column(col)
        for s in rows:
            table.add_row(str(s["entity_id"]), s["display_name"], s["class"], s["postcode"] or "",
                          "same name" if s["same_name"] else f"{s['similarity']:.2f}", f"£{s['spend']:,.0f}")
        out.print(table)
        out.print(f"Link one with: anchornet members link {name!r} SUPPLIER")
        return 0
    result = link_supplier(ws, member_id, None if args.unlink else args.supplier)
    if result["changed"]:
        _audit(ws, "members.link", member_id, name, {"supplier_entity_id": result["supplier_entity_id"]})
    out.print(f"{name}: " + (f"linked to supplier {result['supplier_entity_id']}" if result["supplier_entity_id"]
                             else "not linked to a supplier") + ("" if result["changed"] else " (already so)"))
    return 0


_ACTIONS = {"list": _list, "show": _show, "add": _add, "set": _set, "link": _link}
