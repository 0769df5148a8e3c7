"""Working groups: the list (theme, chairs, open and overdue actions), one group's roles,
meetings and actions, and the forms that change them.

Every signed-in account reads groups, meetings and actions. The coordinator creates and
edits groups and sets roles; the coordinator and the leads of the members that chair or
co-chair a group add its meetings and actions and change their status; an action's owner
member's lead may change that action's status too. The names of the people who own
actions are for the coordinator and the chairs' leads only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from anchornet.errors import AnchornetError
from anchornet.network import groups, members
from anchornet.web import permissions, security
from anchornet.web.deps import WS, NotFound, SignedIn, client_ip
from anchornet.web.permissions import Principal
from anchornet.web.rendering import render
from anchornet.workspace import Workspace

router = APIRouter()
F = Annotated[str, Form()]
DONE = {
    "added": "Recorded: the working group is created.",
    "saved": "Recorded: the group is saved.",
    "role": "Recorded: the member's role is set.",
    "meeting": "Recorded: the meeting is added.",
    "action": "Recorded: the action is added.",
    "status": "Recorded: the action is updated.",
    "unchanged": "Nothing to change.",
}


def _find(ws: Workspace, group_id: int) -> None:
    if not ws.con.execute("SELECT count(*) FROM working_groups WHERE group_id = ?", [group_id]).fetchall()[0][0]:
        raise NotFound(f"there is no working group {group_id}")


def _readable(principal: Principal) -> None:
    permissions.require(permissions.can_see_network_records(principal), "sign in to see the network")


def list_data(ws: Workspace, principal: Principal) -> dict:
    return {"groups": groups.list_groups(ws), "can_add": permissions.can_edit_network(principal)}


def group_data(ws: Workspace, principal: Principal, group_id: int) -> dict:
    _find(ws, group_id)
    group = groups.get_group(ws, group_id)
    chairs = group["chair"] + group["co_chairs"]
    runs = permissions.can_run_group(principal, chairs)
    if not runs:
        group = groups.without_people(group)
    for action in group["actions"]:
        action["can_update"] = runs or (
            principal.role == "member" and permissions.can_edit_member_records(principal, action["owner_member"]))
    return {"group": group, "can_edit": permissions.can_edit_network(principal), "can_run": runs,
            "sees_people": runs}


# -- pages --------------------------------------------------------------------------------------------------
@router.get("/network/groups", include_in_schema=False)
def groups_page(request: Request, *, done: str | None = None, principal: SignedIn, ws: WS):
    _readable(principal)
    return render(request, "network/groups.html", {
        "title": "Working groups", "d": list_data(ws, principal), "themes": groups.THEMES,
        "flash": DONE.get(done or ""),
    })


@router.get("/network/groups/{group_id}", include_in_schema=False)
def group_page(request: Request, *, group_id: int, done: str | None = None, principal: SignedIn, ws: WS):
    _readable(principal)
    data = group_data(ws, principal, group_id)
    return render(request, "network/group.html", {
        "title": data["group"]["name"], "d": data, "g": data["group"], "themes": groups.THEMES,
        "statuses": groups.GROUP_STATUSES, "roles": groups.ROLES, "action_statuses": groups.ACTION_STATUSES,
        "member_choices": members.member_names(ws), "flash": DONE.get(done or ""),
    })


# -- changes --------------------------------------------------------------------------------------------------
def _back(group_id: int, done: str) -> RedirectResponse:
    return RedirectResponse(f"/network/groups/{group_id}?done={done}", status_code=303)


@router.post("/network/groups", include_in_schema=False)
def group_add(request: Request, *, name: F = "", theme: F = "", purpose: F = "", principal: SignedIn, ws: WS):
    permissions.require(permissions.can_edit_network(principal), "creating working groups is the coordinator's")
    with request.app.state.write_lock:
        group_id = groups.add_group(ws, name, theme, purpose)
        security.audit(ws.con, principal, "groups.add", target=name.strip(), detail={"theme": theme},
                       ip=client_ip(request))
    return _back(group_id, "added")


@router.post("/network/groups/{group_id}", include_in_schema=False)
def group_save(request: Request, *, group_id: int, name: F = "", theme: F = "", purpose: F = "",
               status: F = "active", publish: F = "", principal: SignedIn, ws: WS):
    permissions.require(permissions.can_edit_network(principal), "changing working groups is the coordinator's")
    _find(ws, group_id)
    with request.app.state.write_lock:
        changes = groups.update_group(ws, group_id, name=name, theme=theme, purpose=purpose, status=status,
                                      publish=publish in ("on", "true", "1", "yes"))
        if changes:
            security.audit(ws.con, principal, "groups.update", target=f"group {group_id}",
                           detail={"changed": {k: v["to"] for k, v in changes.items()}}, ip=client_ip(request))
    return _back(group_id, "saved" if changes else "unchanged")


@router.post("/network/groups/{group_id}/roles", include_in_schema=False)
def group_role(request: Request, *, group_id: int, member: F = "", role: F = "", principal: SignedIn, ws: WS):
    permissions.require(permissions.can_edit_network(principal), "setting roles in working groups is the coordinator's")
    _find(ws, group_id)
    if not member.strip():
        raise AnchornetError("choose the member")
    with request.app.state.write_lock:
        result = groups.set_role(ws, group_id, member, role or None)
        if result["changed"]:
            member_id, _ = members.member_ref(ws, member)
            security.audit(ws.con, principal, "groups.role", target=f"group {group_id}", member_id=member_id,
                           detail={"member": result["member"], "from": result["from"], "to": result["to"]},
                           ip=client_ip(request))
    return _back(group_id, "role" if result["changed"] else "unchanged")


def _runner(ws: Workspace, principal: Principal, group_id: int) -> None:
    _find(ws, group_id)
    permissions.require(permissions.can_run_group(principal, groups.chairs(ws, group_id)),
                        "a group's meetings and actions are for the coordinator and the leads of its chair "
                        "and co-chairs")


@router.post("/network/groups/{group_id}/meetings", include_in_schema=False)
def group_meeting(request: Request, *, group_id: int, held_on: F = "", title: F = "", notes: F = "",
                  attendees: Annotated[list[str] | None, Form()] = None, principal: SignedIn, ws: WS):
    _runner(ws, principal, group_id)
    with request.app.state.write_lock:
        meeting_id = groups.add_meeting(ws, group_id, held_on, title, notes, attendees or [])
        security.audit(ws.con, principal, "groups.meeting", target=f"group {group_id}",
                       detail={"meeting_id": meeting_id, "held_on": held_on, "title": title.strip()},
                       ip=client_ip(request))
    return _back(group_id, "meeting")


@router.post("/network/groups/{group_id}/actions", include_in_schema=False)
def group_action(request: Request, *, group_id: int, text: F = "", owner: F = "", owner_person: F = "",
                 due_on: F = "", meeting_id: F = "", principal: SignedIn, ws: WS):
    _runner(ws, principal, group_id)
    if meeting_id.strip() and not meeting_id.strip().isdigit():
        raise AnchornetError(f"a meeting is given by its number, not {meeting_id!r}")
    with request.app.state.write_lock:
        action_id = groups.add_action(ws, group_id, text, owner, due_on=due_on, owner_person=owner_person,
                                      meeting_id=int(meeting_id) if meeting_id.strip() else None)
        action = groups.get_action(ws, action_id)
        security.audit(ws.con, principal, "groups.action", target=f"group {group_id}",
                       member_id=action["owner_member_id"],
                       detail={"action_id": action_id, "owner": action["owner_member"], "due_on": action["due_on"]},
                       ip=client_ip(request))
    return _back(group_id, "action")


@router.post("/network/groups/{group_id}/actions/{action_id}", include_in_schema=False)
def action_update(request: Request, *, group_id: int, action_id: int, status: F = "", done_on: F = "",
                  principal: SignedIn, ws: WS):
    _find(ws, group_id)
    found = groups.list_actions(ws, action_id=action_id)
    action = found[0] if found else None
    if action is None or action["group_id"] != group_id:
        raise NotFound(f"action {action_id} is not an action of working group {group_id}")
    allowed = permissions.can_run_group(principal, groups.chairs(ws, group_id)) or (
        principal.role == "member" and permissions.can_edit_member_records(principal, action["owner_member"]))
    permissions.require(allowed, "an action's status is for the coordinator, the group's chairs' leads and the "
                                 "lead of the member that owns it")
    with request.app.state.write_lock:
        changes = groups.update_action(ws, action_id, status=status or None, done_on=done_on or None)
        if changes:
            security.audit(ws.con, principal, "groups.action_status", target=f"action {action_id}",
                           member_id=action["owner_member_id"],
                           detail={k: v["to"] for k, v in changes.items()}, ip=client_ip(request))
    return _back(group_id, "status" if changes else "unchanged")


# -- JSON ---------------------------------------------------------------------------------------------------
@router.get("/api/network/groups", tags=["network"], summary="Working groups: theme, chairs, open and overdue actions")
def api_groups(*, principal: SignedIn, ws: WS) -> dict:
    _readable(principal)
    return list_data(ws, principal)


@router.get("/api/network/groups/{group_id}", tags=["network"],
            summary="One working group: roles, meetings and actions")
def api_group(*, group_id: int, principal: SignedIn, ws: WS) -> dict:
    _readable(principal)
    return group_data(ws, principal, group_id)
