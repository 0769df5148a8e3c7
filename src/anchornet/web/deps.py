"""What every request needs: its own workspace connection, the session, the signed-in
account, the CSRF check, and the errors the app turns into pages or JSON."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from anchornet.web import security
from anchornet.web.permissions import Principal
from anchornet.web.users import get_user, principal_of
from anchornet.workspace import Workspace


class RequestWorkspace(Workspace):
    """The app's workspace seen through a cursor of its own connection.

    A DuckDB cursor is a separate connection to the same database, with its own
    temporary catalog: the temporary tables and macros an analysis creates stay with
    this request. Every library function that takes a ``Workspace`` takes this.
    """

    def __init__(self, base: Workspace):  # noqa: D107 - deliberately not Workspace.__init__
        self.path = base.path
        self.created = False
        self.created_dir = False
        self.con = base.con.cursor()

    def close(self) -> None:
        self.con.close()

    def discard_if_new(self) -> None:  # never removes the app's workspace
        self.close()


class NotSignedIn(Exception):
    """The page needs an account (HTTP 401 for the API, a redirect to sign in for pages)."""


class CsrfRefused(Exception):
    """A POST without the session's CSRF token (HTTP 403)."""


class RateLimited(Exception):
    def __init__(self, seconds: int):
        super().__init__(f"too many failed sign-in attempts; try again in {max(1, seconds // 60)} minute(s)")
        self.seconds = seconds


class NotFound(Exception):
    """Nothing here (HTTP 404), with a message a person can act on."""


def get_ws(request: Request):
    base = request.app.state.base
    with request.app.state.cursor_lock:
        ws = RequestWorkspace(base)
    try:
        yield ws
    finally:
        ws.close()


WS = Annotated[Workspace, Depends(get_ws)]


# -- the session ------------------------------------------------------------------------------------
def session_of(request: Request) -> dict | None:
    return getattr(request.state, "session", None)


def ensure_session(request: Request) -> dict:
    """The session, made (anonymous, with a CSRF token) if the browser has none yet."""
    session = session_of(request)
    if session is None:
        session = security.Sessions.anonymous()
        request.state.session = session
        request.state.new_session = session
    return session


def start_session(request: Request, user_id: int, session_version: int) -> dict:
    """Sign in: a new session and a new CSRF token."""
    session = security.Sessions.signed_in(user_id, session_version)
    request.state.session = session
    request.state.new_session = session
    return session


def end_session(request: Request) -> None:
    request.state.session = None
    request.state.new_session = None
    request.state.end_session = True


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


# -- the account --------------------------------------------------------------------------------------
def optional_principal(request: Request, *, ws: WS) -> Principal | None:
    session = session_of(request)
    principal = None
    if session and isinstance(session.get("uid"), int):
        user = get_user(ws.con, session["uid"])
        if user and user["active"] and user["session_version"] == session.get("sv"):
            principal = principal_of(user)
    request.state.principal = principal
    return principal


MaybeSignedIn = Annotated[Principal | None, Depends(optional_principal)]


def require_principal(*, principal: MaybeSignedIn) -> Principal:
    if principal is None:
        raise NotSignedIn()
    return principal


SignedIn = Annotated[Principal, Depends(require_principal)]


# -- CSRF: on every unsafe request -----------------------------------------------------------------------
async def csrf_protect(request: Request) -> None:
    """Every POST (PUT, PATCH, DELETE) must carry the session's token; applied to the whole app."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    submitted = request.headers.get(security.CSRF_HEADER)
    if not submitted:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(security.CSRF_FIELD)
            submitted = value if isinstance(value, str) else None
    if not security.csrf_matches(session_of(request), submitted):
        raise CsrfRefused()
