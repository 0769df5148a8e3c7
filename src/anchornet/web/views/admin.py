"""The coordinator's pages: accounts, the audit log, what the public dashboard shows."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse

from anchornet.errors import AnchornetError
from anchornet.ingest import browse
from anchornet.web import permissions, publishing, security, users
from anchornet.web.deps import WS, SignedIn, client_ip
from anchornet.web.permissions import ROLES, Principal
from anchornet.web.rendering import render
from anchornet.workspace import Workspace

router = APIRouter()
AUDIT_PAGE = 100
DONE = {
    "added": "The account was created. Give its holder the password by a safe route; they can change it.",
    "changed": "The account was changed; its sessions have ended where its access changed.",
    "password": "The password was set and the account's sessions have ended.",
    "published": "Saved. The public dashboard shows this now.",
    "unpublished": "Saved. The public dashboard is not published.",
}


def _coordinator(principal: Principal) -> None:
    permissions.require(permissions.can_manage_network(principal),
                        "accounts, the audit log and publishing are the coordinator's")


# -- accounts -------------------------------------------------------------------------------------------
@router.get("/admin/users", include_in_schema=False)
def users_page(request: Request, *, done: str | None = None, member: str | None = None, role: str | None = None,
               principal: SignedIn, ws: WS):
    """``member`` and ``role`` fill in the new-account form (a member's page links here)."""
    _coordinator(principal)
    return render(request, "admin_users.html", {
        "users": users.list_users(ws.con), "roles": ROLES, "member_choices": browse.member_names(ws),
        "flash": DONE.get(done or ""),
        "form": {"member": member or "", "role": role if role in ROLES else ""},
    })


@router.post("/admin/users", include_in_schema=False)
def users_add(request: Request, *, email: Annotated[str, Form()] = "", name: Annotated[str, Form()] = "",
              role: Annotated[str, Form()] = "", member: Annotated[str, Form()] = "",
              password: Annotated[str, Form()] = "", principal: SignedIn, ws: WS):
    _coordinator(principal)
    with request.app.state.write_lock:
        try:
            user_id = users.create_user(ws, email, password, role, member=member or None, name=name)
        except AnchornetError as exc:
            return render(request, "admin_users.html", {
                "users": users.list_users(ws.con), "roles": ROLES, "member_choices": browse.member_names(ws),
                "error": str(exc), "form": {"email": email, "name": name, "role": role, "member": member},
            }, status_code=400)
        user = users.get_user(ws.con, user_id)
        security.audit(ws.con, principal, "users.add", target=user["email"], member_id=user["member_id"],
                       detail={"role": role, "member": user["member"]}, ip=client_ip(request))
    return RedirectResponse("/admin/users?done=added", status_code=303)


@router.post("/admin/users/{user_id}", include_in_schema=False)
def users_change(request: Request, *, user_id: int, role: Annotated[str, Form()],
                 member: Annotated[str, Form()] = "", active: Annotated[bool, Form()] = False, principal: SignedIn,
                 ws: WS):
    _coordinator(principal)
    with request.app.state.write_lock:
        changes = users.update_user(ws, user_id, role=role, member=member or None, active=active)
        user = users.get_user(ws.con, user_id)
        if changes:
            security.audit(ws.con, principal, "users.change", target=user["email"], member_id=user["member_id"],
                           detail=changes, ip=client_ip(request))
    return RedirectResponse("/admin/users?done=changed", status_code=303)


@router.post("/admin/users/{user_id}/password", include_in_schema=False)
def users_password(request: Request, *, user_id: int, password: Annotated[str, Form()] = "", principal: SignedIn,
                   ws: WS):
    _coordinator(principal)
    with request.app.state.write_lock:
        users.set_password(ws, user_id, password)
        user = users.get_user(ws.con, user_id)
        security.audit(ws.con, principal, "users.password", target=user["email"], ip=client_ip(request))
    return RedirectResponse("/admin/users?done=password", status_code=303)


@router.get("/api/users", tags=["admin"], summary="Accounts and their roles (coordinator)")
def api_users(*, principal: SignedIn, ws: WS) -> dict:
    _coordinator(principal)
    return {"users": users.list_users(ws.con)}


# -- the audit log ----------------------------------------------------------------------------------------
def audit_data(ws: Workspace, page: int, action: str | None) -> dict:
    page = max(page, 1)
    total, rows = security.audit_entries(ws.con, limit=AUDIT_PAGE, offset=(page - 1) * AUDIT_PAGE,
                                         action=action or None)
    return {"total": total, "page": page, "pages": max(1, -(-total // AUDIT_PAGE)), "action": action,
            "entries": rows}


@router.get("/admin/audit", include_in_schema=False)
def audit_page(request: Request, *, page: int = 1, action: str | None = None, principal: SignedIn, ws: WS):
    _coordinator(principal)
    return render(request, "admin_audit.html", {"d": audit_data(ws, page, action)})


@router.get("/api/audit", tags=["admin"], summary="The audit log: who changed what (coordinator)")
def api_audit(*, page: Annotated[int, Query(ge=1)] = 1, action: Annotated[str | None, Query()] = None,
              principal: SignedIn, ws: WS) -> dict:
    _coordinator(principal)
    return audit_data(ws, page, action)


# -- publishing ---------------------------------------------------------------------------------------------
@router.get("/admin/publish", include_in_schema=False)
def publish_page(request: Request, *, done: str | None = None, principal: SignedIn, ws: WS):
    _coordinator(principal)
    return render(request, "admin_publish.html", {
        "s": publishing.settings(ws), "sections": publishing.SECTIONS, "member_choices": browse.member_names(ws),
        "period_choices": browse.period_choices(ws), "flash": DONE.get(done or ""),
    })


@router.post("/admin/publish", include_in_schema=False)
def publish_save(request: Request, *, published: Annotated[bool, Form()] = False, title: Annotated[str, Form()] = "",
                 period: Annotated[str, Form()] = "", members: Annotated[list[str] | None, Form()] = None,
                 sections: Annotated[list[str] | None, Form()] = None, principal: SignedIn, ws: WS):
    _coordinator(principal)
    members = [m for m in members or [] if m]
    sections = sections or []
    with request.app.state.write_lock:
        saved = publishing.save_settings(ws, published=published, title=title, period=period, members=members,
                                         sections=sections, by=principal.email)
        security.audit(ws.con, principal, "public.publish" if published else "public.unpublish",
                       target="public dashboard",
                       detail={k: saved[k] for k in ("title", "period", "members", "sections")},
                       ip=client_ip(request))
    return RedirectResponse("/admin/publish?done=" + ("published" if published else "unpublished"),
                            status_code=303)
