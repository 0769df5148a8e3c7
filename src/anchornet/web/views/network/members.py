"""Members: the list (with an add form for the coordinator), one member's profile (edited by
the coordinator or the member's own lead), its payments data, its income from the other
members once linked to its supplier entity, and the working groups it belongs to.

Every signed-in account sees the shared fields; the sponsor's name and e-mail, the notes,
the payment figures and the income are for the coordinator and the member's own lead."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from anchornet.errors import AnchornetError
from anchornet.network import groups, inputs, members
from anchornet.network.sectors import ROLES_IN_NETWORK, SECTORS
from anchornet.web import permissions, security
from anchornet.web.deps import WS, NotFound, SignedIn, client_ip
from anchornet.web.permissions import Principal
from anchornet.web.rendering import render
from anchornet.workspace import Workspace

router = APIRouter()
DONE = {
    "added": "Recorded: the member is added.",
    "saved": "Recorded: the profile is saved.",
    "unchanged": "Nothing to change: the profile was already so.",
    "linked": "Recorded: the member is linked to its supplier entity.",
    "unlinked": "Recorded: the member is no longer linked to a supplier entity.",
}


def _find(ws: Workspace, member_id: int) -> tuple[int, str]:
    rows = ws.con.execute("SELECT member_id, name FROM members WHERE member_id = ?", [member_id]).fetchall()
    if not rows:
        raise NotFound(f"there is no member {member_id}")
    return rows[0]


def list_data(ws: Workspace, principal: Principal) -> dict:
    """Every member; private fields and payment figures only where the account may see them."""
    rows = [members.shared_view(m, private=permissions.can_see_member_records(principal, m["name"]))
            for m in members.list_members(ws)]
    return {"members": rows, "can_add": permissions.can_edit_network(principal)}


def member_data(ws: Workspace, principal: Principal, member_id: int) -> dict:
    _, name = _find(ws, member_id)
    private = permissions.can_see_member_records(principal, name)
    member = members.shared_view(members.get_member(ws, member_id), private=private)
    data = {
        "member": member,
        "private": private,
        "can_edit": permissions.can_edit_member_records(principal, name),
        "groups": groups.member_groups(ws, member_id),
        "income": members.member_income(ws, member_id) if private else None,
    }
    if data["can_edit"] and member["supplier_entity_id"] is None:
        data["suggestions"] = members.suggest_suppliers(ws, member_id)
    return data


# -- pages --------------------------------------------------------------------------------------------------
@router.get("/network/members", include_in_schema=False)
def members_page(request: Request, *, done: str | None = None, principal: SignedIn, ws: WS):
    permissions.require(permissions.can_see_network_records(principal), "sign in to see the network")
    return render(request, "network/members.html", {
        "title": "Members", "d": list_data(ws, principal), "sectors": SECTORS, "roles": ROLES_IN_NETWORK,
        "flash": DONE.get(done or ""),
    })


@router.get("/network/members/{member_id}", include_in_schema=False)
def member_page(request: Request, *, member_id: int, done: str | None = None, principal: SignedIn, ws: WS):
    permissions.require(permissions.can_see_network_records(principal), "sign in to see the network")
    data = member_data(ws, principal, member_id)
    return render(request, "network/member.html", {
        "title": data["member"]["name"], "d": data, "m": data["member"], "sectors": SECTORS,
        "roles": ROLES_IN_NETWORK, "flash": DONE.get(done or ""),
        "can_make_account": permissions.can_manage_network(principal),
    })


F = Annotated[str, Form()]


@router.post("/network/members", include_in_schema=False)
def member_add(request: Request, *, name: F = "", sector: F = "", network_role: F = "", employees: F = "",
               joined_on: F = "", principal: SignedIn, ws: WS):
    permissions.require(permissions.can_edit_network(principal), "adding members is the coordinator's")
    fields = {"sector": sector, "network_role": network_role, "employees": employees, "joined_on": joined_on}
    fields = {k: v.strip() or None for k, v in fields.items()}
    with request.app.state.write_lock:
        member_id = members.add_member(ws, name, **fields)
        security.audit(ws.con, principal, "members.add", target=name.strip(), member_id=member_id,
                       detail={k: v for k, v in fields.items() if v}, ip=client_ip(request))
    return RedirectResponse(f"/network/members/{member_id}?done=added", status_code=303)


@router.post("/network/members/{member_id}", include_in_schema=False)
def member_save(request: Request, *, member_id: int, sector: F = "", employees: F = "", annual_spend: F = "",
                network_role: F = "", via_organisation: F = "", sponsor_name: F = "", sponsor_title: F = "",
                sponsor_email: F = "", hq_postcode: F = "", main_sites: F = "", staff_local_percent: F = "",
                joined_on: F = "", website: F = "", notes: F = "", publish_listing: F = "",
                principal: SignedIn, ws: WS):
    _, name = _find(ws, member_id)
    permissions.require_member_records(principal, name, change=True)
    fields = {"sector": sector, "employees": employees, "annual_spend": annual_spend, "network_role": network_role,
              "via_organisation": via_organisation, "sponsor_name": sponsor_name, "sponsor_title": sponsor_title,
              "sponsor_email": sponsor_email, "hq_postcode": hq_postcode, "main_sites": main_sites,
              "joined_on": joined_on, "website": website, "notes": notes}
    fields = {k: v.strip() or None for k, v in fields.items()}
    fields["staff_local_share"] = inputs.share(staff_local_percent, members.STAFF_LOCAL)
    fields["publish_listing"] = publish_listing in ("on", "true", "1", "yes")
    with request.app.state.write_lock:
        changes = members.update_profile(ws, member_id, **fields)
        if changes:
            security.audit(ws.con, principal, "members.update", target=name, member_id=member_id,
                           detail={"changed": sorted(changes)}, ip=client_ip(request))
    return RedirectResponse(f"/network/members/{member_id}?done={'saved' if changes else 'unchanged'}",
                            status_code=303)


@router.post("/network/members/{member_id}/link", include_in_schema=False)
def member_link(request: Request, *, member_id: int, supplier_id: Annotated[str, Form()] = "",
                principal: SignedIn, ws: WS):
    _, name = _find(ws, member_id)
    permissions.require_member_records(principal, name, change=True)
    text = supplier_id.strip()
    if text and not text.isdigit():
        raise AnchornetError(f"a supplier id is a number, not {text!r}")
    entity = int(text) if text else None
    with request.app.state.write_lock:
        result = members.link_supplier(ws, member_id, entity)
        if result["changed"]:
            security.audit(ws.con, principal, "members.link", target=name, member_id=member_id,
                           detail={"supplier_entity_id": result["supplier_entity_id"]}, ip=client_ip(request))
    return RedirectResponse(f"/network/members/{member_id}?done={'linked' if entity else 'unlinked'}",
                            status_code=303)


# -- JSON ---------------------------------------------------------------------------------------------------
@router.get("/api/network/members", tags=["network"], summary="The network's members and their shared profiles")
def api_members(*, principal: SignedIn, ws: WS) -> dict:
    permissions.require(permissions.can_see_network_records(principal), "sign in to see the network")
    return list_data(ws, principal)


@router.get("/api/network/members/{member_id}", tags=["network"],
            summary="One member: profile, working groups, and (for its lead) payments and income")
def api_member(*, member_id: int, principal: SignedIn, ws: WS) -> dict:
    permissions.require(permissions.can_see_network_records(principal), "sign in to see the network")
    return member_data(ws, principal, member_id)
