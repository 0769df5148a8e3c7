"""Action plans in the web app: every plan's progress at a glance, one plan's milestones by
year. Everyone signed in reads; the coordinator creates and edits plans and milestones; a
member's lead changes the status of that member's milestones. A person named as a
milestone's owner is shown only to the coordinator and the owning member's lead."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from anchornet.network import plans
from anchornet.web import permissions, security
from anchornet.web.deps import WS, NotFound, SignedIn, client_ip
from anchornet.web.permissions import Principal
from anchornet.web.rendering import render
from anchornet.workspace import Workspace

router = APIRouter()
TAGS = ["network: plans"]
DONE = {
    "added": "The plan is made: add its milestones below.",
    "edited": "The plan is saved.",
    "milestone": "The milestone is added.",
    "milestone-edited": "The milestone is saved.",
    "status": "The milestone's status is saved.",
}
Text = Annotated[str, Form()]
STATUS_CLASS = {"done": "good", "at-risk": "warn", "in-progress": "", "not-started": "", "dropped": ""}


def _coordinator(principal: Principal) -> None:
    permissions.require(permissions.can_edit_network(principal),
                        "action plans and their milestones are set by the coordinator")


def _reader(principal: Principal) -> None:
    permissions.require(permissions.can_see_network_records(principal), "your account may not see action plans")


def _for(principal: Principal, plan: dict) -> dict:
    """The plan as ``principal`` may see it: owners who are persons only for the coordinator
    and the owning member's lead; which milestones the account may change."""
    for m in plan["milestones"]:
        member = m["owner_member"]
        if not (principal.is_coordinator or (member and permissions.can_see_member_records(principal, member))):
            m["owner_person"] = None
        m["can_edit"] = permissions.can_edit_network(principal)
        m["can_set_status"] = principal.is_coordinator or bool(
            member and permissions.can_edit_member_records(principal, member))
        m["status_class"] = "bad" if m["overdue"] else STATUS_CLASS.get(m["status"], "")
    return plan


def _plan(ws: Workspace, principal: Principal, plan_id: int) -> dict:
    if not plans.plan_exists(ws, plan_id):
        raise NotFound(f"there is no action plan {plan_id}")
    return _for(principal, plans.get_plan(ws, plan_id))


def _members(ws: Workspace) -> list[str]:
    return [r[0] for r in ws.con.execute("SELECT name FROM members ORDER BY name").fetchall()]


def _audit(request: Request, ws: Workspace, principal: Principal, action: str, target: str, detail: dict,
           member_id: int | None = None) -> None:
    security.audit(ws.con, principal, "plans." + action, target=target, member_id=member_id, detail=detail,
                   ip=client_ip(request))


# -- pages ----------------------------------------------------------------------------------------------
@router.get("/network/plans", include_in_schema=False)
def plans_page(request: Request, *, done: str | None = None, principal: SignedIn, ws: WS):
    _reader(principal)
    return render(request, "network/plans.html", {
        "title": "Action plans", "plans": plans.list_plans(ws), "flash": DONE.get(done or ""),
        "can_edit": permissions.can_edit_network(principal), "statuses": plans.PLAN_STATUSES,
        "default_years": plans.DEFAULT_YEARS})


@router.get("/network/plans/{plan_id}", include_in_schema=False)
def plan_page(request: Request, *, plan_id: int, done: str | None = None, principal: SignedIn, ws: WS):
    _reader(principal)
    plan = _plan(ws, principal, plan_id)
    return render(request, "network/plan.html", {
        "title": plan["title"], "plan": plan, "flash": DONE.get(done or ""),
        "can_edit": permissions.can_edit_network(principal), "statuses": plans.PLAN_STATUSES,
        "milestone_statuses": plans.MILESTONE_STATUSES, "members": _members(ws)})


# -- changes ----------------------------------------------------------------------------------------------
@router.post("/network/plans", include_in_schema=False)
def plan_add(request: Request, *, title: Text, start_year: Text, end_year: Text = "", goal: Text = "",
             status: Text = "draft", publish: Text = "", principal: SignedIn, ws: WS):
    _coordinator(principal)
    with request.app.state.write_lock:
        plan_id = plans.add_plan(ws, title, start_year=start_year, end_year=end_year or None, goal=goal,
                                 status=status, publish=bool(publish))
        _audit(request, ws, principal, "add", f"plan {plan_id}", {"title": title.strip()})
    return RedirectResponse(f"/network/plans/{plan_id}?done=added", status_code=303)


@router.post("/network/plans/{plan_id}/edit", include_in_schema=False)
def plan_edit(request: Request, *, plan_id: int, title: Text, start_year: Text, end_year: Text, goal: Text = "",
              status: Text = "draft", publish: Text = "", principal: SignedIn, ws: WS):
    _coordinator(principal)
    _plan(ws, principal, plan_id)
    with request.app.state.write_lock:
        changed = plans.update_plan(ws, plan_id, title=title, goal=goal, start_year=start_year, end_year=end_year,
                                    status=status, publish=bool(publish))
        if changed:
            _audit(request, ws, principal, "edit", f"plan {plan_id}", {"changed": changed})
    return RedirectResponse(f"/network/plans/{plan_id}?done=edited", status_code=303)


@router.post("/network/plans/{plan_id}/milestones", include_in_schema=False)
def milestone_add(request: Request, *, plan_id: int, title: Text, year: Text = "", due_on: Text = "",
                  owner_member: Text = "", owner_person: Text = "", status: Text = "not-started", note: Text = "",
                  principal: SignedIn, ws: WS):
    _coordinator(principal)
    _plan(ws, principal, plan_id)
    with request.app.state.write_lock:
        milestone_id = plans.add_milestone(ws, plan_id, title, year=year, due_on=due_on, owner_member=owner_member,
                                           owner_person=owner_person, status=status, note=note)
        _audit(request, ws, principal, "milestone_add", f"milestone {milestone_id}",
               {"plan_id": plan_id, "title": title.strip()}, member_id=ws.member_id(owner_member.strip()))
    return RedirectResponse(f"/network/plans/{plan_id}?done=milestone#milestone-{milestone_id}", status_code=303)


def _milestone(ws: Workspace, plan_id: int, milestone_id: int) -> dict:
    exists = ws.con.execute("SELECT count(*) FROM plan_milestones WHERE milestone_id = ? AND plan_id = ?",
                            [milestone_id, plan_id]).fetchall()[0][0]
    if not exists:
        raise NotFound(f"plan {plan_id} has no milestone {milestone_id}")
    return plans.get_milestone(ws, milestone_id)


@router.post("/network/plans/{plan_id}/milestones/{milestone_id}/edit", include_in_schema=False)
def milestone_edit(request: Request, *, plan_id: int, milestone_id: int, title: Text, year: Text = "",
                   due_on: Text = "", owner_member: Text = "", owner_person: Text = "", note: Text = "",
                   principal: SignedIn, ws: WS):
    _coordinator(principal)
    _milestone(ws, plan_id, milestone_id)
    with request.app.state.write_lock:
        changed = plans.update_milestone(ws, milestone_id, title=title, year=year, due_on=due_on,
                                         owner_member=owner_member, owner_person=owner_person, note=note)
        if changed:
            _audit(request, ws, principal, "milestone_edit", f"milestone {milestone_id}",
                   {"plan_id": plan_id, "fields": sorted(changed)}, member_id=ws.member_id(owner_member.strip()))
    return RedirectResponse(f"/network/plans/{plan_id}?done=milestone-edited#milestone-{milestone_id}",
                            status_code=303)


@router.post("/network/plans/{plan_id}/milestones/{milestone_id}/status", include_in_schema=False)
def milestone_status(request: Request, *, plan_id: int, milestone_id: int, status: Text, done_on: Text = "",
                     note: Text = "", principal: SignedIn, ws: WS):
    milestone = _milestone(ws, plan_id, milestone_id)
    member = milestone["owner_member"]
    permissions.require(principal.is_coordinator or bool(member and permissions.can_edit_member_records(
        principal, member)), "only the coordinator and the owning member's lead may change this milestone")
    with request.app.state.write_lock:
        changed = plans.set_milestone_status(ws, milestone_id, status, done_on=done_on, note=note)
        if changed:
            _audit(request, ws, principal, "milestone_status", f"milestone {milestone_id}",
                   {"plan_id": plan_id, "from": milestone["status"], **changed},
                   member_id=milestone["owner_member_id"])
    return RedirectResponse(f"/network/plans/{plan_id}?done=status#milestone-{milestone_id}", status_code=303)


# -- JSON -------------------------------------------------------------------------------------------------
@router.get("/api/network/plans", tags=TAGS, summary="Every action plan with its progress at a glance")
def api_plans(*, principal: SignedIn, ws: WS) -> dict:
    _reader(principal)
    return {"plans": plans.list_plans(ws), "plan_statuses": plans.PLAN_STATUSES,
            "milestone_statuses": plans.MILESTONE_STATUSES}


@router.get("/api/network/plans/{plan_id}", tags=TAGS,
            summary="One action plan: milestones by year, owners, status and progress")
def api_plan(*, plan_id: int, principal: SignedIn, ws: WS) -> dict:
    _reader(principal)
    plan = _plan(ws, principal, plan_id)
    plan.pop("years", None)  # the same milestones, grouped: the flat list and by_year progress suffice
    return plan
