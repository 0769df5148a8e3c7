"""My account: who I am, what my role allows, change my password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from anchornet.errors import AnchornetError
from anchornet.web import security, users
from anchornet.web.deps import WS, SignedIn, client_ip, start_session
from anchornet.web.rendering import render

router = APIRouter()


@router.get("/account", include_in_schema=False)
def account_page(request: Request, *, done: str | None = None, principal: SignedIn):
    flash = "Your password was changed; any other sessions have ended." if done == "password" else None
    return render(request, "account.html", {"flash": flash})


@router.post("/account/password", include_in_schema=False)
def account_password(request: Request, *, current: Annotated[str, Form()] = "",
                     password: Annotated[str, Form()] = "", confirm: Annotated[str, Form()] = "",
                     principal: SignedIn, ws: WS):
    _, stored = users.find_for_login(ws.con, principal.email)
    error = None
    if not security.verify_password(stored, current):
        error = "your current password is not right"
    elif password != confirm:
        error = "the two new passwords differ"
    if error is None:
        try:
            with request.app.state.write_lock:
                version = users.set_password(ws, principal.user_id, password)
                security.audit(ws.con, principal, "account.password", target=principal.email, ip=client_ip(request))
        except AnchornetError as exc:
            error = str(exc)
    if error is not None:
        return render(request, "account.html", {"error": error}, status_code=400)
    start_session(request, principal.user_id, version)  # this session goes on; the others end
    return RedirectResponse("/account?done=password", status_code=303)
