"""The public dashboard: no sign-in, network-level figures only, nothing personal, and only
what the coordinator has published."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from anchornet.analysis.metrics import Scope
from anchornet.analysis.periods import parse_analysis_period
from anchornet.web import publishing
from anchornet.web.deps import WS, MaybeSignedIn, NotFound
from anchornet.web.rendering import render
from anchornet.web.views.reports import report_bytes

router = APIRouter()
NOT_PUBLISHED = "The network has not published its dashboard yet."


@router.get("/public", include_in_schema=False)
def public_page(request: Request, *, ws: WS, principal: MaybeSignedIn):
    chosen = publishing.settings(ws)
    if not chosen["published"]:
        return render(request, "public.html", {"published": False, "message": NOT_PUBLISHED}, status_code=404)
    data = _public_data(request, ws, chosen)
    return render(request, "public.html", {"published": True, "d": data, "charts": publishing.public_charts(data)})


@router.get("/api/public", tags=["public"], summary="The public dashboard's figures (no sign-in)")
def api_public(request: Request, *, ws: WS):
    """Exactly what the public dashboard shows; 404 until the coordinator publishes it."""
    chosen = publishing.settings(ws)
    if not chosen["published"]:
        return JSONResponse({"detail": NOT_PUBLISHED}, status_code=404)
    return _public_data(request, ws, chosen)


def _public_data(request: Request, ws, chosen: dict) -> dict:
    return cached_public(request.app.state.results, ws, chosen)


def cached_public(results, ws, chosen: dict) -> dict:
    """The published figures, kept until the next change (publishing is a change too)."""
    return results.get(("public",), lambda: publishing.public_data(ws, chosen))


@router.get("/public/report.html", include_in_schema=False)
def public_report(*, ws: WS):
    chosen = publishing.settings(ws)
    if not chosen["published"]:
        raise NotFound(NOT_PUBLISHED)
    period = parse_analysis_period(chosen["period"]) if chosen["period"] else None
    content = report_bytes(ws, Scope(members=list(chosen["members"]), period=period), public=True, fmt="html")
    return Response(content, media_type="text/html; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="anchornet-public-report.html"'})


def warm(results, ws) -> None:
    chosen = publishing.settings(ws)
    if chosen["published"]:
        cached_public(results, ws, chosen)
