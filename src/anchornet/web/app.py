"""The web app: ``create_app(workspace_path)`` returns the FastAPI application.

Server-rendered pages (Jinja) that work without JavaScript; charts drawn in the page by
Vega-Embed from the installed vl-convert package (served at /static/vega.js, nothing from
a CDN); the same data as JSON under /api/ with an OpenAPI description at /openapi.json.
See docs/web.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import threading
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from anchornet import __version__
from anchornet.errors import AnchornetError
from anchornet.web import security
from anchornet.web.cache import ResultCache
from anchornet.web.deps import CsrfRefused, NotFound, NotSignedIn, RateLimited, csrf_protect
from anchornet.web.permissions import Forbidden
from anchornet.web.rendering import make_templates, render
from anchornet.web.users import count_users
from anchornet.workspace import Workspace

STATIC = Path(__file__).parent / "static"
# POSTs that change no figure (signing in and out, accounts): kept figures stay.
UNCHANGING = ("/login", "/logout", "/setup", "/account", "/admin/users")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")

# -- the chart library: vl-convert's bundle of Vega, Vega-Lite and Vega-Embed --------------------------
_bundle: tuple[bytes, str] | None = None
_bundle_lock = threading.Lock()


def vega_bundle() -> tuple[bytes, str]:
    """(the script, its ETag); made once per process from the installed vl-convert."""
    global _bundle
    with _bundle_lock:
        if _bundle is None:
            import vl_convert

            script = vl_convert.javascript_bundle().encode("utf-8")
            _bundle = (script, '"' + hashlib.sha256(script).hexdigest()[:32] + '"')
        return _bundle


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI):
    threading.Thread(target=vega_bundle, name="anchornet-vega-bundle", daemon=True).start()
    app.state.results.warm()
    try:
        yield
    finally:
        app.state.results.wait_warm(30)
        app.state.base.close()


def create_app(workspace_path: Path | str, secret_key: str | None = None, *,
               setup_code: str | None = None, warm: bool = True) -> FastAPI:
    """The app serving one workspace (made if it does not exist yet).

    ``secret_key`` signs the session cookies; without it the workspace's own random
    key (``web-secret.key``, made on first use) is used. While the workspace has no
    account, the first-run page asks for the coordinator's account and for the setup
    code (``app.state.setup_code``; ``anchornet serve`` prints it). ``warm`` computes the
    most-asked figures in the background at start and after each change (web/cache.py).
    """
    base = Workspace(Path(workspace_path), create=True)
    app = FastAPI(
        title="anchornet",
        version=__version__,
        description=(
            "The anchor network's spend data: the same figures the web pages show, as JSON. "
            "Sign in through /login first; every request uses the session cookie, and the "
            "server applies the account's role (coordinator, member lead, viewer) to each one."
        ),
        docs_url=None, redoc_url=None,  # their pages load scripts from a CDN: the OpenAPI JSON is enough
        openapi_url="/openapi.json",
        dependencies=[Depends(csrf_protect)],
        lifespan=_lifespan,
    )
    app.state.base = base
    app.state.cursor_lock = threading.Lock()
    app.state.write_lock = threading.RLock()  # changes to the data and records: one at a time
    app.state.auth_lock = threading.Lock()  # sign-in bookkeeping: never waits for a long upload
    app.state.sessions = security.Sessions(secret_key or security.load_secret(base.path))
    app.state.templates = make_templates()
    no_accounts = count_users(base.con) == 0
    app.state.setup_code = (setup_code or _new_setup_code()) if no_accounts else None
    app.state.results = ResultCache()
    if warm:
        app.state.results.add_warmer(lambda: _warm(app))

    _install_middleware(app)
    _install_errors(app)
    _install_static(app)

    from anchornet.web.views import account, admin, auth, data, overview, payments, public, reports, suppliers

    for module in (auth, overview, data, suppliers, payments, reports, public, admin, account):
        app.include_router(module.router)
    from anchornet.web.views.network import ROUTERS

    for router in ROUTERS:
        app.include_router(router)
    return app


def _warm(app: FastAPI) -> None:
    from anchornet.web.deps import RequestWorkspace
    from anchornet.web.views import overview, public
    from anchornet.web.views.network import pledges

    with app.state.cursor_lock:
        ws = RequestWorkspace(app.state.base)
    try:
        overview.warm(app.state.results, ws)
        public.warm(app.state.results, ws)
        pledges.warm(app.state.results, ws)
    finally:
        ws.close()


def _new_setup_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    code = "".join(secrets.choice(alphabet) for _ in range(8))
    return code[:4] + "-" + code[4:]


def _install_middleware(app: FastAPI) -> None:
    @app.middleware("http")
    async def session_and_headers(request: Request, call_next):
        sessions: security.Sessions = request.app.state.sessions
        request.state.session = sessions.load(request.cookies.get(security.SESSION_COOKIE))
        request.state.new_session = None
        request.state.end_session = False
        request.state.principal = None
        response = await call_next(request)
        if request.method == "POST" and not request.url.path.startswith(UNCHANGING):
            request.app.state.results.bump()  # a change to the data or records: figures start again
        secure = request.url.scheme == "https"
        if request.state.new_session is not None:
            response.set_cookie(
                security.SESSION_COOKIE, sessions.dump(request.state.new_session),
                max_age=security.SESSION_HOURS * 3600, httponly=True, samesite="lax", secure=secure, path="/",
            )
        elif request.state.end_session:
            response.delete_cookie(security.SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                                   secure=secure)
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cache-Control", "no-store")
        return response


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _error(request: Request, status: int, title: str, message: str, headers: dict | None = None):
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    return render(request, "error.html", {"title": title, "message": message}, status_code=status,
                  headers=headers)


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn):
        if _wants_json(request):
            return JSONResponse({"detail": "sign in first (POST /login)"}, status_code=401)
        if request.app.state.setup_code is not None:
            return RedirectResponse("/setup", status_code=303)
        target = request.url.path + ("?" + request.url.query if request.url.query else "")
        from urllib.parse import quote

        return RedirectResponse("/login?next=" + quote(target, safe=""), status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden):
        return _error(request, 403, "Not allowed", str(exc))

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, exc: CsrfRefused):
        return _error(request, 403, "Form refused",
                      "This form has expired or did not come from this site. Go back, reload the page "
                      "and try again.")

    @app.exception_handler(RateLimited)
    async def rate_limited(request: Request, exc: RateLimited):
        return _error(request, 429, "Too many attempts", str(exc), headers={"Retry-After": str(exc.seconds)})

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        return _error(request, 404, "Not found", str(exc))

    @app.exception_handler(AnchornetError)
    async def user_error(request: Request, exc: AnchornetError):
        return _error(request, 400, "That did not work", str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        problems = "; ".join(
            f"{'.'.join(str(x) for x in e.get('loc', [])[1:]) or 'request'}: {e.get('msg')}" for e in exc.errors()
        )
        if _wants_json(request):
            return JSONResponse({"detail": exc.errors()}, status_code=422)
        return render(request, "error.html", {"title": "Something is missing", "message": problems},
                      status_code=422)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        """A bug: one clear page (or JSON) for the person, the details in the server's log."""
        import logging

        logging.getLogger("anchornet.web").error("error on %s %s", request.method, request.url.path,
                                                 exc_info=exc)
        return _error(request, 500, "Something went wrong",
                      "This page could not be shown because of an error in anchornet. Nothing was changed "
                      "by it; the details are in the server's log.")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            return _error(request, 404, "Not found", "There is no page here.")
        return _error(request, exc.status_code, "Error", str(exc.detail), headers=getattr(exc, "headers", None))


def _install_static(app: FastAPI) -> None:
    @app.get("/static/vega.js", include_in_schema=False)
    def vega_js(request: Request):
        script, etag = vega_bundle()
        headers = {"ETag": etag, "Cache-Control": "public, max-age=86400"}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        return Response(script, media_type="text/javascript; charset=utf-8", headers=headers)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return Response((STATIC / "favicon.svg").read_bytes(), media_type="image/svg+xml",
                        headers={"Cache-Control": "public, max-age=86400"})

    app.mount("/static", _CachedStatic(directory=str(STATIC)), name="static")


class _CachedStatic(StaticFiles):
    async def get_response(self, path, scope):
        response = await super().get_response(path, scope)
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response
