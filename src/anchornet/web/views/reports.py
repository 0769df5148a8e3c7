"""Reports: generate and download the network report (HTML, PDF, XLSX), internal or public edition."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from anchornet.analysis.metrics import Scope
from anchornet.analysis.periods import parse_analysis_period
from anchornet.errors import AnchornetError
from anchornet.ingest import browse
from anchornet.reports.annual import FORMATS, write_report
from anchornet.web import permissions
from anchornet.web.deps import WS, SignedIn
from anchornet.web.rendering import render
from anchornet.workspace import Workspace

router = APIRouter()
EDITIONS = ("internal", "public")
MEDIA = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def report_bytes(ws: Workspace, scope: Scope, *, public: bool, fmt: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="anchornet-report-") as tmp:
        path = write_report(ws, Path(tmp) / f"report.{fmt}", scope, public=public, fmt=fmt)
        return path.read_bytes()


def download_name(edition: str, fmt: str, member: str | None, period: str | None) -> str:
    parts = ["anchornet-report", edition] + [p for p in (member, period) if p]
    name = "-".join(parts)
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") + "." + fmt


@router.get("/reports", include_in_schema=False)
def reports_page(request: Request, *, principal: SignedIn, ws: WS):
    all_members = browse.member_names(ws)
    return render(request, "reports.html", {
        "formats": FORMATS,
        "internal_allowed": principal.role in ("coordinator", "member"),
        "member_choices": all_members,
        "own_members": permissions.visible_members(principal, all_members),
        "period_choices": browse.period_choices(ws),
        "has_data": browse.has_payments(ws),
    })


@router.get("/reports/download", tags=["reports"], summary="The network report as a file",
            response_class=Response)
def report_download(*, edition: Annotated[Literal["public", "internal"], Query()] = "public",
                    format: Annotated[Literal["html", "pdf", "xlsx"], Query()] = "html",
                    # noqa: A002 - the query parameter's name
                    member: str | None = Query(None, description="one member (default: the whole network)"),
                    period: Annotated[str | None, Query()] = None, principal: SignedIn, ws: WS):
    """The public edition names no person and leaves out free-text service areas and file
    notes; the internal edition is for the coordinator, or a member lead's own member."""
    if edition not in EDITIONS:
        raise AnchornetError(f"no {edition!r} edition; choose internal or public")
    if format not in FORMATS:
        raise AnchornetError(f"cannot write a report as {format!r}; choose html, pdf or xlsx")
    member, period = member or None, (period or "").strip() or None
    members = [member] if member else []
    permissions.require_report(principal, edition, members)
    scope = Scope(members=members, period=parse_analysis_period(period) if period else None)
    content = report_bytes(ws, scope, public=edition == "public", fmt=format)
    name = download_name(edition, format, member, period)
    return Response(content, media_type=MEDIA[format],
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
