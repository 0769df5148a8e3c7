"""Pages: the Jinja templates, their filters, and the one function that renders a page."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates

from anchornet import __version__
from anchornet.reports.rendering import money, money0, percent
from anchornet.web.deps import ensure_session
from anchornet.web.permissions import ROLE_LABELS, nav_items, network_sections

TEMPLATES = Path(__file__).parent / "templates"
REPORT_TEMPLATES = Path(__file__).parents[1] / "reports" / "templates"


def _count(n) -> str:
    return f"{n or 0:,}"


def _share(value) -> str:
    return percent(value)


def make_templates() -> Jinja2Templates:
    # the report's templates too: the public dashboard shows the network's records with the
    # report's own partial (reports/templates/_network.html.j2)
    templates = Jinja2Templates(directory=[str(TEMPLATES), str(REPORT_TEMPLATES)])
    env = templates.env
    env.trim_blocks = True
    env.lstrip_blocks = True
    env.filters.update(money=money, money0=money0, percent=_share, count=_count)
    env.globals.update(version=__version__, role_labels=ROLE_LABELS)
    return templates


def page_url(request: Request, **changes) -> str:
    """This page's URL with some query parameters changed (None removes one)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + ("?" + query if query else "")


def _public_published(request: Request) -> bool:
    try:
        row = request.app.state.base.con.cursor().execute(
            "SELECT published FROM public_dashboard LIMIT 1").fetchall()
    except Exception:  # a workspace being migrated: offer nothing rather than fail the page
        return False
    return bool(row and row[0][0])


def render(request: Request, template: str, context: dict | None = None, *, status_code: int = 200,
           headers: dict | None = None):
    principal = getattr(request.state, "principal", None)
    session = ensure_session(request)
    path = request.url.path
    nav = [{"href": href, "label": label,
            "current": path == href or (href != "/" and path.startswith(href + "/"))}
           for href, label in nav_items(principal, _public_published(request))]
    ctx = {
        "request": request,
        "user": principal,
        "csrf": session["csrf"],
        "nav": nav,
        "network": request.app.state.base.path.name,
        "page_url": lambda **kw: page_url(request, **kw),
        "network_nav": network_sections(principal) if principal is not None else [],
        **(context or {}),
    }
    return request.app.state.templates.TemplateResponse(
        request, template, ctx, status_code=status_code,
        headers={"Cache-Control": "no-store", **(headers or {})},
    )
