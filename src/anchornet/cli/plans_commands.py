"""`anchornet plans ...`: multi-year action plans and their milestones (list, add, milestone,
status, show)."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from anchornet import audit as security
from anchornet.cli.commands import out
from anchornet.cli.main import open_workspace, print_json
from anchornet.network import plans


def add_parsers(sub) -> None:
    p = sub.add_parser("plans", help="multi-year action plans: milestones, owners, status and progress",
                       description="Action plans of the Living Wage Places kind (docs/network/plans.md).")
    ss = p.add_subparsers(dest="plans_command", metavar="ACTION", required=True)

    q = ss.add_parser("list", help="every plan with its progress")
    q.add_argument("--json", action="store_true")

    q = ss.add_parser("add", help="make a plan")
    q.add_argument("title")
    q.add_argument("--start-year", required=True, type=int)
    q.add_argument("--end-year", type=int, help=f"default: {plans.DEFAULT_YEARS} years from the start")
    q.add_argument("--goal")
    q.add_argument("--status", default="draft", choices=list(plans.PLAN_STATUSES))
    q.add_argument("--publish", action="store_true", help="show the plan in public outputs")
    q.add_argument("--json", action="store_true")

    q = ss.add_parser("milestone", help="add a milestone to a plan")
    q.add_argument("plan", type=int, help="the plan's id (see `plans list`)")
    q.add_argument("title")
    q.add_argument("--year", type=int, help="the year (default: the due date's)")
    q.add_argument("--due", help="due date, YYYY-MM-DD")
    q.add_argument("--owner-member", help="the member that owns it")
    q.add_argument("--owner-person", help="the person who owns it (private)")
    q.add_argument("--status", default="not-started", help=", ".join(plans.MILESTONE_STATUSES))
    q.add_argument("--note")
    q.add_argument("--json", action="store_true")

    q = ss.add_parser("status", help="set a milestone's status (or, with --plan, a plan's)")
    q.add_argument("id", type=int, help="the milestone's id (a plan's with --plan)")
    q.add_argument("status", help=f"milestones: {', '.join(plans.MILESTONE_STATUSES)}; "
                                  f"plans: {', '.join(plans.PLAN_STATUSES)}")
    q.add_argument("--plan", action="store_true", help="the id is a plan's")
    q.add_argument("--done-on", help="done: the date (YYYY-MM-DD, default today)")
    q.add_argument("--note", help="replaces the milestone's note")

    q = ss.add_parser("show", help="one plan: milestones by year and progress")
    q.add_argument("plan", type=int)
    q.add_argument("--json", action="store_true")


def cmd_plans(args, workspace: Path) -> int:
    ws = open_workspace(workspace)
    try:
        return _ACTIONS[args.plans_command](ws, args) or 0
    finally:
        ws.close()


def _audit(ws, action: str, target: str, detail: dict, member_id: int | None = None) -> None:
    security.audit(ws.con, security.Actor.cli(), "plans." + action, target=target, member_id=member_id,
                   detail=detail)


def _bar(progress: dict) -> str:
    return f"{progress['done']}/{progress['counted']} done ({progress['percent']}%)"


def _list(ws, args) -> int:
    rows = plans.list_plans(ws)
    if args.json:
        print_json(rows)
        return 0
    table = Table(title="Action plans" if rows else "Action plans: none yet (add one with `anchornet plans add`)")
    for col in ("id", "plan", "years", "status", "progress", "overdue", "at risk"):
        table.add_column(col)
    for r in rows:
        pr = r["progress"]
        table.add_row(str(r["plan_id"]), r["title"], f"{r['start_year']}-{r['end_year']}", r["status_label"],
                      _bar(pr), str(pr["overdue"]), str(pr["at_risk"]))
    out.print(table)
    return 0


def _add(ws, args) -> int:
    plan_id = plans.add_plan(ws, args.title, start_year=args.start_year, end_year=args.end_year, goal=args.goal,
                             status=args.status, publish=args.publish)
    _audit(ws, "add", f"plan {plan_id}", {"title": args.title})
    if args.json:
        print_json(plans.get_plan(ws, plan_id))
    else:
        plan = plans.get_plan(ws, plan_id)
        out.print(f"made plan {plan_id}: {plan['title']} ({plan['start_year']}-{plan['end_year']})", markup=False)
    return 0


def _milestone(ws, args) -> int:
    milestone_id = plans.add_milestone(ws, args.plan, args.title, year=args.year, due_on=args.due,
                                       owner_member=args.owner_member, owner_person=args.owner_person,
                                       status=args.status, note=args.note)
    _audit(ws, "milestone_add", f"milestone {milestone_id}", {"plan_id": args.plan, "title": args.title},
           member_id=ws.member_id(args.owner_member) if args.owner_member else None)
    if args.json:
        print_json(plans.get_milestone(ws, milestone_id))
    else:
        out.print(f"added milestone {milestone_id} to plan {args.plan}", markup=False)
    return 0


def _status(ws, args) -> int:
    if args.plan:
        changed = plans.update_plan(ws, args.id, status=args.status)
        if changed:
            _audit(ws, "edit", f"plan {args.id}", {"changed": changed})
        out.print(f"plan {args.id}: {plans.PLAN_STATUSES[plans.plan_status(args.status)].lower()}", markup=False)
        return 0
    before = plans.get_milestone(ws, args.id)
    changed = plans.set_milestone_status(ws, args.id, args.status, done_on=args.done_on, note=args.note)
    if changed:
        _audit(ws, "milestone_status", f"milestone {args.id}",
               {"plan_id": before["plan_id"], "from": before["status"], **changed},
               member_id=before["owner_member_id"])
    after = plans.get_milestone(ws, args.id)
    out.print(f"milestone {args.id} ({after['title']}): {plans.MILESTONE_STATUSES[after['status']].lower()}"
              + (f" on {after['done_on']}" if after["done_on"] else ""), markup=False)
    return 0


def _show(ws, args) -> int:
    plan = plans.get_plan(ws, args.plan)
    if args.json:
        plan.pop("years", None)
        print_json(plan)
        return 0
    out.print(f"{plan['title']} (plan {plan['plan_id']}), {plan['start_year']}-{plan['end_year']}, "
              f"{plan['status_label'].lower()}{', published' if plan['publish'] else ''}", markup=False)
    if plan["goal"]:
        out.print(f"goal: {plan['goal']}", markup=False)
    pr = plan["progress"]
    out.print(f"progress: {_bar(pr)}; {pr['overdue']} overdue, {pr['at_risk']} at risk", markup=False)
    table = Table(title="Milestones by year")
    for col in ("id", "year", "milestone", "due", "owner", "status", "done on", "note"):
        table.add_column(col)
    for m in plan["milestones"]:
        owner = ": ".join(x for x in (m["owner_member"], m["owner_person"]) if x)
        table.add_row(str(m["milestone_id"]), str(m["year"]), m["title"], str(m["due_on"] or ""), owner,
                      m["status_label"] + (" (OVERDUE)" if m["overdue"] else ""), str(m["done_on"] or ""),
                      m["note"] or "")
    out.print(table)
    return 0


_ACTIONS = {"list": _list, "add": _add, "milestone": _milestone, "status": _status, "show": _show}
