"""Data: upload files for a member, see each file's line accounting and quality report,
browse the quarantine, replace a file."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile

from anchornet.errors import AnchornetError
from anchornet.ingest import browse
from anchornet.ingest.inventory import file_status, totals
from anchornet.ingest.loader import ingest_file
from anchornet.ingest.quality import LGTC_RECOMMENDED, LGTC_REQUIRED, file_quality
from anchornet.suppliers.resolve import resolve
from anchornet.web import permissions, security
from anchornet.web.deps import WS, NotFound, SignedIn, client_ip
from anchornet.web.permissions import Forbidden, Principal
from anchornet.web.rendering import render
from anchornet.workspace import Workspace

router = APIRouter()
MAX_UPLOAD_BYTES = 512 * 1024 * 1024
PAGE = 50


def safe_file_name(name: str | None) -> str:
    """The file's own name, without any folder, control characters or leading dots."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().lstrip(".")
    return name[:200] or "upload.csv"


# -- listings ------------------------------------------------------------------------------------------
def data_listing(ws: Workspace, principal: Principal, member: str | None) -> dict:
    members = permissions.private_members(principal, member)
    files = [f for f in file_status(ws) if members is None or f["member"] in members]
    quarantined = browse.quarantine_rows(ws, members, limit=0)["total"]
    return {"member": member, "files": files, "totals": totals(files), "quarantined": quarantined}


def file_detail(ws: Workspace, principal: Principal, file_id: int) -> dict:
    found = [f for f in file_status(ws, include_superseded=True) if f["file_id"] == file_id]
    if not found:
        raise NotFound(f"there is no file {file_id} in this workspace")
    info = found[0]
    permissions.require_member(principal, info["member"])
    quality = next((q for q in file_quality(ws) if q["file_id"] == file_id), None)
    return {
        "file": info,
        "parts": browse.file_parts(ws, file_id),
        "quality": quality,
        "quarantine": browse.quarantine_rows(ws, None, file_id=file_id, limit=20),
        "lgtc_required": LGTC_REQUIRED,
        "lgtc_recommended": LGTC_RECOMMENDED,
    }


def quarantine_listing(ws: Workspace, principal: Principal, member: str | None, file_id: int | None,
                       page: int) -> dict:
    members = permissions.private_members(principal, member)
    if file_id is not None:
        detail = [f for f in file_status(ws, include_superseded=True) if f["file_id"] == file_id]
        if detail:
            permissions.require_member(principal, detail[0]["member"])
    page = max(page, 1)
    result = browse.quarantine_rows(ws, members, file_id=file_id, limit=PAGE, offset=(page - 1) * PAGE)
    result["page"] = page
    result["pages"] = max(1, -(-result["total"] // PAGE))
    return result


# -- uploads ---------------------------------------------------------------------------------------------
def _upload_member(principal: Principal, member: str, new_member: str) -> str:
    if not permissions.can_upload(principal):
        raise Forbidden("a viewer account cannot upload files")
    chosen = (new_member.strip() if principal.is_coordinator and new_member.strip() else member.strip())
    if not chosen and principal.role == "member":
        chosen = principal.member or ""
    if not chosen:
        raise AnchornetError("choose the member the files belong to")
    permissions.require_member(principal, chosen, change=True)
    return chosen


def _store(upload: UploadFile, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True)
    target = folder / name
    with open(target, "wb") as handle:
        shutil.copyfileobj(upload.file, handle, 1 << 20)
    if target.stat().st_size > MAX_UPLOAD_BYTES:
        raise AnchornetError(f"{name}: larger than {MAX_UPLOAD_BYTES // (1 << 20)} MB; use `anchornet ingest`")
    return target


def ingest_uploads(request: Request, ws: Workspace, principal: Principal, member: str,
                   uploads: list[tuple[UploadFile, str]], *, period: str | None, replace: bool) -> list[dict]:
    """Ingest each upload (each its own transaction), resolve suppliers once, audit each file."""
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="anchornet-upload-") as tmp, request.app.state.write_lock:
        for i, (upload, name) in enumerate(uploads):
            try:
                path = _store(upload, Path(tmp) / str(i), name)
                result = ingest_file(ws, path, member, period=period, replace=replace)
            except AnchornetError as exc:
                outcomes.append({"name": name, "status": "refused", "message": str(exc)})
                security.audit(ws.con, principal, "upload.refused", target=name, member_id=ws.member_id(member),
                               detail={"message": str(exc)}, ip=client_ip(request))
                continue
            item = result.to_dict()
            item.pop("path", None)
            outcomes.append(item)
            if result.status != "unchanged":
                t = result.totals()
                security.audit(ws.con, principal, "upload." + result.status, target=name,
                               member_id=ws.member_id(member),
                               detail={"file_id": result.file_id, "sha256": result.sha256,
                                       "rows_loaded": t["rows_loaded"], "rows_quarantined": t["rows_quarantined"]},
                               ip=client_ip(request))
        if any(o["status"] in ("loaded", "replaced") for o in outcomes):
            resolve(ws)  # new payees: classify and match them, so the figures include them
    return outcomes


def _result_page(request: Request, member: str, outcomes: list[dict]):
    refused = all(o["status"] == "refused" for o in outcomes)
    return render(request, "data_result.html", {"member": member, "outcomes": outcomes},
                  status_code=400 if refused else 200)


@router.get("/data", include_in_schema=False)
def data_page(request: Request, *, member: str | None = None, principal: SignedIn, ws: WS):
    data = data_listing(ws, principal, member or None)
    all_members = browse.member_names(ws)
    return render(request, "data.html", {
        "d": data,
        "member_choices": permissions.visible_members(principal, all_members),
    })


@router.post("/data/upload", include_in_schema=False)
def data_upload(request: Request, *, member: Annotated[str, Form()] = "", new_member: Annotated[str, Form()] = "",
                period: Annotated[str, Form()] = "", replace: Annotated[bool, Form()] = False,
                files: Annotated[list[UploadFile], File()], principal: SignedIn, ws: WS):
    chosen = _upload_member(principal, member, new_member)
    uploads = [(f, safe_file_name(f.filename)) for f in files if f.filename]
    if not uploads:
        raise AnchornetError("choose one or more files to upload")
    outcomes = ingest_uploads(request, ws, principal, chosen, uploads, period=period.strip() or None,
                              replace=replace)
    return _result_page(request, chosen, outcomes)


@router.get("/data/files/{file_id}", include_in_schema=False)
def file_page(request: Request, *, file_id: int, principal: SignedIn, ws: WS):
    return render(request, "file.html", {"d": file_detail(ws, principal, file_id)})


@router.post("/data/files/{file_id}/replace", include_in_schema=False)
def file_replace(request: Request, *, file_id: int, file: Annotated[UploadFile, File()], principal: SignedIn,
                 ws: WS):
    info = file_detail(ws, principal, file_id)["file"]
    permissions.require_member(principal, info["member"], change=True)
    if info["status"] != "active":
        raise AnchornetError(f"{info['name']} has been superseded already; replace the active version")
    period = None
    if info["period_source"] == "option" and info["period_start"]:
        period = f"{info['period_start'][:7]}..{info['period_end'][:7]}"
    # stored under the file's own name, so the new version supersedes it
    outcomes = ingest_uploads(request, ws, principal, info["member"], [(file, info["name"])],
                              period=period, replace=True)
    return _result_page(request, info["member"], outcomes)


@router.get("/data/quarantine", include_in_schema=False)
def quarantine_page(request: Request, *, member: str | None = None, file_id: int | None = None, page: int = 1,
                    principal: SignedIn, ws: WS):
    data = quarantine_listing(ws, principal, member or None, file_id, page)
    return render(request, "quarantine.html", {"d": data, "member": member, "file_id": file_id})


# -- the API -----------------------------------------------------------------------------------------------
@router.get("/api/files", tags=["data"], summary="Files and their line accounting")
def api_files(*, member: Annotated[str | None, Query()] = None, principal: SignedIn, ws: WS) -> dict:
    """The active files the account may see, each with every line accounted for."""
    return data_listing(ws, principal, member or None)


@router.get("/api/files/{file_id}", tags=["data"], summary="One file: parts, quality report, quarantine sample")
def api_file(*, file_id: int, principal: SignedIn, ws: WS) -> dict:
    return file_detail(ws, principal, file_id)


@router.get("/api/quarantine", tags=["data"], summary="Rows that could not be loaded, and why")
def api_quarantine(*, member: Annotated[str | None, Query()] = None, file_id: Annotated[int | None, Query()] = None,
                   page: Annotated[int, Query(ge=1)] = 1, principal: SignedIn, ws: WS) -> dict:
    return quarantine_listing(ws, principal, member or None, file_id, page)
