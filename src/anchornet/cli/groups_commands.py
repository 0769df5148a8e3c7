"""`anchornet groups ...`: working groups, their members' roles, meetings and actions."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.table import Table

from anchornet.cli.commands import out
from anchornet.cli.main import open_workspace, print_json
from anchornet.errors import AnchornetError
from anchornet.network.groups import ACTION_STATUSES, GROUP_STATUSES, ROLES, THEMES


def add_parsers(sub) -> None:
    p = sub.add_parser("groups", help="working groups: roles, meetings and actions")
    ss = p.add_subparsers(dest="groups_command", metavar="ACTION", required=True)

    q = ss.add_parser("list", help="every group: theme, chairs, open and overdue actions")
    q.add_argument("--json", action="store_true")

    q = ss.add_parser("show", help="one group: roles, meetings and actions")
    q.add_argument("group", help="name or id")
    q.add_argument("--json", action="store_true")

    q = ss.add_parser("add", help="create a working group")
    q.add_argument("name")
    q.add_argument("--theme", required=True, choices=list(THEMES))
    q.add_argument("--purpose", default="")

    q = ss.add_parser("set", help="change a group's name, theme, purpose, status or publication")
    q.add_argument("group", help="name or id")
    q.add_argument("--name")
    q.add_argument("--theme", choices=list(THEMES))
    q.add_argument("--purpose")
    q.add_argument("--status", choices=list(GROUP_STATUSES))
    g = q.add_mutually_exclusive_group()
    g.add_argument("--publish", dest="publish", action="store_true", default=None,
                   help="show the group in public outputs")
    g.add_argument("--no-publish", dest="publish", action="store_false")

    q = ss.add_parser("role", help="set a member's role in a group (chair, co-chair, member) or remove it")
    q.add_argument("group", help="name or id")
    q.add_argument("member", help="name or id")
    q.add_argument("role", choices=[*ROLES, "remove"])

    q = ss.add_parser("meeting", help="record a meeting")
    q.add_argument("group", help="name or id")
    q.add_argument("--date", required=True, help="YYYY-MM-DD")
    q.add_argument("--title", required=True)
    q.add_argument("--notes", default="", help="plain-text notes ('-' reads them from standard input)")
    q.add_argument("--notes-file", type=Path, help="read the notes from this text file")
    q.add_argument("--attendee", action="append", default=[], help="a member that attended (repeat)")

    q = ss.add_parser("action", help="add an action")
    q.add_argument("group", help="name or id")
    q.add_argument("text")
    q.add_argument("--owner", required=True, help="the member that owns it")
    q.add_argument("--owner-person", help="the person there (private)")
    q.add_argument("--due", help="YYYY-MM-DD")
    q.add_argument("--meeting", type=int, help="the meeting it came from (its id)")

    q = ss.add_parser("action-status", help="change an action's status")
    q.add_argument("action", type=int, help="the action's id")
    q.add_argument("status", choices=list(ACTION_STATUSES))
    q.add_argument("--done-on", help="YYYY-MM-DD (default today, for done)")

    q = ss.add_parser("actions", help="actions across groups")
    q.add_argument("--owner", help="only this member's")
    q.add_argument("--open", action="store_true", help="only open and in-progress actions")
    q.add_argument("--json", action="store_true")


def cmd_groups(args, workspace: Path) -> int:
    action = args.groups_command
    ws = open_workspace(workspace, read_only=action in ("list", "show", "actions"))
    try:
        return _ACTIONS[action](ws, args) or 0
    finally:
        ws.close()


def _audit(ws, action: str, target: str, detail: dict, member_id: int | None = None) -> None:
    from anchornet import audit as security

    security.audit(ws.con, security.Actor.cli(), action, target=target, member_id=member_id, detail=detail)


def _list(ws, args) -> int:
    from anchornet.network.groups import list_groups

    rows = list_groups(ws)
    if args.json:
        print_json(rows)
        return 0
    table = Table(title=f"{len(rows)} working group(s)")
    for col in ("id", "group", "theme", "status", "chair", "co-chairs", "members", "meetings", "open", "overdue"):
        table.add_column(col)
    for g in rows:
        table.add_row(str(g["group_id"]), g["name"], g["theme_label"], g["status"], ", ".join(g["chair"]),
                      ", ".join(g["co_chairs"]), str(g["members"]), str(g["meetings"]), str(g["open_actions"]),
                      str(g["overdue_actions"]))
    out.print(table)
    return 0


def _show(ws, args) -> int:
    from anchornet.network.groups import get_group

    g = get_group(ws, args.group)
    if args.json:
        print_json(g)
        return 0
    out.print(f"[bold]{g['name']}[/bold] (group {g['group_id']}): {g['theme_label']}, {g['status']}")
    if g["purpose"]:
        out.print(g["purpose"])
    for r in g["roles"]:
        out.print(f"  {r['role_label']}: {r['member']}")
    table = Table(title="Actions")
    for col in ("id", "action", "owner", "due", "status"):
        table.add_column(col)
    for a in g["actions"]:
        owner = a["owner_member"] + (f" ({a['owner_person']})" if a["owner_person"] else "")
        table.add_row(str(a["action_id"]), a["text"], owner, str(a["due_on"] or ""),
                      a["status_label"] + (" (overdue)" if a["overdue"] else ""))
    out.print(table)
    for m in g["meetings"]:
        out.print(f"\n[bold]{m['held_on']} {m['title']}[/bold] (meeting {m['meeting_id']}); attended: "
                  f"{', '.join(m['attendees']) or 'not recorded'}")
        if m["notes"]:
            out.print(m["notes"], markup=False)
    return 0


def _add(ws, args) -> int:
    from anchornet.network.groups import add_group

    group_id = add_group(ws, args.name, args.theme, args.purpose)
    _audit(ws, "groups.add", args.name.strip(), {"theme": args.theme})
    out.print(f"created working group {group_id}: {args.name.strip()}")
    return 0


def _set(ws, args) -> int:
    from anchornet.network.groups import group_ref, update_group

    group_id, name = group_ref(ws, args.group)
    changes = update_group(ws, group_id, name=args.name, theme=args.theme, purpose=args.purpose,
                           status=args.status, publish=args.publish)
    if changes:
        _audit(ws, "groups.update", f"group {group_id}", {"changed": {k: v["to"] for k, v in changes.items()}})
    out.print(f"{name}: " + (f"changed {', '.join(sorted(changes))}" if changes else "nothing changed"))
    return 0


def _role(ws, args) -> int:
    from anchornet.network.groups import set_role
    from anchornet.network.members import member_ref

    result = set_role(ws, args.group, args.member, None if args.role == "remove" else args.role)
    if result["changed"]:
        _audit(ws, "groups.role", result["group"], {"member": result["member"], "from": result["from"],
                                                    "to": result["to"]}, member_ref(ws, result["member"])[0])
    out.print(f"{result['member']} in {result['group']}: {result['to'] or 'not a member'}"
              + ("" if result["changed"] else " (already so)"))
    return 0


def _meeting(ws, args) -> int:
    from anchornet.network.groups import add_meeting, group_ref

    notes = args.notes
    if args.notes_file:
        try:
            notes = args.notes_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise AnchornetError(f"cannot read the notes from {args.notes_file}: {exc}") from None
    elif notes == "-":
        notes = sys.stdin.read()
    group_id, name = group_ref(ws, args.group)
    meeting_id = add_meeting(ws, group_id, args.date, args.title, notes, args.attendee)
    _audit(ws, "groups.meeting", f"group {group_id}", {"meeting_id": meeting_id, "held_on": args.date,
                                                       "title": args.title})
    out.print(f"recorded meeting {meeting_id} of {name}")
    return 0


def _action(ws, args) -> int:
    from anchornet.network.groups import add_action, get_action, group_ref

    group_id, name = group_ref(ws, args.group)
    action_id = add_action(ws, group_id, args.text, args.owner, due_on=args.due, owner_person=args.owner_person,
                           meeting_id=args.meeting)
    action = get_action(ws, action_id)
    _audit(ws, "groups.action", f"group {group_id}", {"action_id": action_id, "owner": action["owner_member"],
                                                      "due_on": action["due_on"]}, action["owner_member_id"])
    out.print(f"added action {action_id} to {name}, owned by {action['owner_member']}")
    return 0


def _action_status(ws, args) -> int:
    from anchornet.network.groups import get_action, update_action

    action = get_action(ws, args.action)
    changes = update_action(ws, args.action, status=args.status, done_on=args.done_on)
    if changes:
        _audit(ws, "groups.action_status", f"action {args.action}", {k: v["to"] for k, v in changes.items()},
               action["owner_member_id"])
    out.print(f"action {args.action}: {ACTION_STATUSES[args.status].lower()}" + ("" if changes else " (already so)"))
    return 0


def _actions(ws, args) -> int:
    from anchornet.network.groups import list_actions
    from anchornet.network.members import member_ref

    owner = member_ref(ws, args.owner)[1] if args.owner else None
    rows = [a for a in list_actions(ws, owner=owner) if not args.open or a["status"] in ("open", "in_progress")]
    if args.json:
        print_json(rows)
        return 0
    table = Table(title=f"{len(rows)} action(s)")
    for col in ("id", "group", "action", "owner", "due", "status"):
        table.add_column(col)
    for a in rows:
        table.add_row(str(a["action_id"]), a["group_name"], a["text"], a["owner_member"], str(a["due_on"] or ""),
                      a["status_label"] + (" (overdue)" if a["overdue"] else ""))
    out.print(table)
    return 0


_ACTIONS = {"list": _list, "show": _show, "add": _add, "set": _set, "role": _role, "meeting": _meeting,
            "action": _action, "action-status": _action_status, "actions": _actions}
