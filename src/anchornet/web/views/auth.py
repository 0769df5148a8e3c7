"""First run (the coordinator's account), sign in, sign out, who am I."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from anchornet.errors import AnchornetError
from anchornet.web import security, users
from anchornet.web.deps import (
    WS,
    MaybeSignedIn,
    RateLimited,
    SignedIn,
    client_ip,
    end_session,
    ensure_session,
    start_session,
)
from anchornet.web.rendering import render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never another site (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


# -- first run ---------------------------------------------------------------------------------------
@router.get("/setup", include_in_schema=False)
def setup_page(request: Request, *, ws: WS):
    if request.app.state.setup_code is None or users.count_users(ws.con):
        return RedirectResponse("/login", status_code=303)
    return render(request, "setup.html", {"form": {}})


@router.post("/setup", include_in_schema=False)
def setup_submit(request: Request, *, email: Annotated[str, Form()] = "", name: Annotated[str, Form()] = "",
                 password: Annotated[str, Form()] = "", confirm: Annotated[str, Form()] = "",
                 setup_code: Annotated[str, Form()] = "", ws: WS):
    expected = request.app.state.setup_code
    form = {"email": email, "name": name}
    with request.app.state.write_lock:
        if expected is None or users.count_users(ws.con):
            return RedirectResponse("/login", status_code=303)
        error = None
        if not hmac.compare_digest(setup_code.strip().upper().encode(), expected.encode()):
            error = "the setup code is not the one `anchornet serve` printed"
        elif password != confirm:
            error = "the two passwords differ"
        if error is None:
            try:
                user_id = users.create_user(ws, email, password, "coordinator", name=name)
            except AnchornetError as exc:
                error = str(exc)
        if error is not None:
            return render(request, "setup.html", {"form": form, "error": error}, status_code=400)
        request.app.state.setup_code = None
        user = users.get_user(ws.con, user_id)
        security.audit(ws.con, users.principal_of(user), "setup", target=user["email"],
                       detail={"role": "coordinator"}, ip=client_ip(request))
    start_session(request, user_id, user["session_version"])
    return RedirectResponse("/", status_code=303)


# -- sign in and out ---------------------------------------------------------------------------------
@router.get("/login", include_in_schema=False)
def login_page(request: Request, *, next: str = "/", principal: MaybeSignedIn):
    if request.app.state.setup_code is not None:
        return RedirectResponse("/setup", status_code=303)
    if principal is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "login.html", {"next": _safe_next(next), "email": ""})


@router.post("/login", include_in_schema=False)
def login_submit(request: Request, *, email: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
                 next: Annotated[str, Form()] = "/", ws: WS):
    ip = client_ip(request)
    address = users.normalise_email(email)[:320]
    with request.app.state.auth_lock:
        wait = security.seconds_blocked(ws.con, ip, address)
        if wait:
            security.audit(ws.con, None, "login.refused", target=address, detail={"reason": "rate limit"}, ip=ip)
            raise RateLimited(wait)
    user, stored = users.find_for_login(ws.con, address)
    ok = security.verify_password(stored, password) and user is not None and user["active"]
    with request.app.state.auth_lock:
        security.record_attempt(ws.con, ip, address, ok)
        if not ok:
            security.audit(ws.con, None, "login.failed", target=address, ip=ip)
            return render(request, "login.html", {
                "next": _safe_next(next), "email": email,
                "error": "That e-mail address and password do not match an active account.",
            }, status_code=401)
        users.signed_in(ws.con, user["user_id"],
                        security.hash_password(password) if security.needs_rehash(stored) else None)
        security.audit(ws.con, users.principal_of(user), "login", target=user["email"], ip=ip)
    start_session(request, user["user_id"], user["session_version"])
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", include_in_schema=False)
def logout(request: Request, *, principal: MaybeSignedIn, ws: WS):
    if principal is not None:
        with request.app.state.auth_lock:
            security.audit(ws.con, principal, "logout", target=principal.email, ip=client_ip(request))
    end_session(request)
    return RedirectResponse("/login", status_code=303)


@router.get("/api/session", tags=["account"], summary="The session's CSRF token, and the account if signed in")
def api_session(request: Request, *, principal: MaybeSignedIn) -> dict:
    """For scripts: send ``csrf_token`` (form field) or ``X-CSRF-Token`` (header) with every POST,
    starting with ``POST /login`` (form fields ``email``, ``password``)."""
    return {"csrf_token": ensure_session(request)["csrf"], "user": principal.to_dict() if principal else None}


@router.get("/api/me", tags=["account"], summary="The signed-in account and its role")
def api_me(*, principal: SignedIn) -> dict:
    return principal.to_dict()
