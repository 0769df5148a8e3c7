"""Payments: a searchable, filterable, paged list with each payment's lineage (file, sheet,
line), and the same selection as CSV."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import tempfile
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from anchornet.analysis.periods import parse_analysis_period
from anchornet.ingest import browse
from anchornet.web import permissions, security
from anchornet.web.deps import WS, SignedIn, client_ip
from anchornet.web.permissions import Principal
from anchornet.web.rendering import page_url, render
from anchornet.workspace import Workspace

router = APIRouter()
PER_PAGE = 50
MAX_PER_PAGE = 500
# A cell that a spreadsheet would run as a formula starts with one of these.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _filters(period: str | None, q: str | None, category: str | None, supplier_id: int | None,
             file_id: int | None) -> dict:
    return {
        "period": parse_analysis_period(period) if period else None,
        "q": (q or "").strip() or None,
        "category": category or None,
        "supplier_id": supplier_id,
        "file_id": file_id,
    }


def payments_data(ws: Workspace, principal: Principal, *, member: str | None, period: str | None, q: str | None,
                  category: str | None, supplier_id: int | None, file_id: int | None, sort: str, page: int,
                  per_page: int, cache=None) -> dict:
    """A page of payments; with ``cache`` (the app's result cache) a page asked again before the
    data changes is not counted and sorted again."""
    members = permissions.private_members(principal, member)
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    page = max(page, 1)

    def compute() -> dict:
        return browse.list_payments(ws, members, sort=sort, limit=per_page, offset=(page - 1) * per_page,
                                     **_filters(period, q, category, supplier_id, file_id))

    key = ("payments", tuple(members) if members else None, period, q, category, supplier_id, file_id, sort,
           page, per_page)
    result = dict(cache.get(key, compute)) if cache is not None else compute()
    result.update(page=page, per_page=per_page, pages=max(1, -(-result["total"] // per_page)),
                  filters={"member": member, "period": period, "q": q, "category": category,
                           "supplier_id": supplier_id, "file_id": file_id, "sort": sort},
                  members=members or "all")
    return result


@router.get("/payments", include_in_schema=False)
def payments_page(request: Request, *, member: str | None = None, period: str | None = None, q: str | None = None,
                  category: str | None = None, supplier_id: int | None = None, file_id: int | None = None,
                  sort: str = "line", page: int = 1, per_page: int = PER_PAGE, principal: SignedIn, ws: WS):
    member, period = member or None, (period or "").strip() or None
    data = payments_data(ws, principal, member=member, period=period, q=q, category=category,
                         supplier_id=supplier_id, file_id=file_id, sort=sort, page=page, per_page=per_page,
                         cache=request.app.state.results)
    members = permissions.private_members(principal, member)
    return render(request, "payments.html", {
        "d": data, "sorts": list(browse.PAYMENT_SORTS),
        "member_choices": permissions.visible_members(principal, browse.member_names(ws)),
        "category_choices": browse.categories(ws, members),
        "period_choices": browse.period_choices(ws),
        "csv_url": page_url(request, page=None, per_page=None, sort=None).replace("/payments", "/payments.csv", 1),
    })


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value  # never a formula when opened in a spreadsheet
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


@router.get("/payments.csv", tags=["payments"], summary="The payments selected, as CSV",
            response_class=FileResponse)
def payments_csv(request: Request, *, member: Annotated[str | None, Query()] = None,
                 period: Annotated[str | None, Query()] = None, q: Annotated[str | None, Query()] = None,
                 category: Annotated[str | None, Query()] = None, supplier_id: Annotated[int | None, Query()] = None,
                 file_id: Annotated[int | None, Query()] = None, principal: SignedIn, ws: WS):
    """Every payment matching the filters (not just one page), in file and line order,
    with its lineage. Text that a spreadsheet would read as a formula starts with '."""
    member, period = member or None, (period or "").strip() or None
    members = permissions.private_members(principal, member)
    sql, params = browse.payments_csv_query(members, **_filters(period, q, category, supplier_id, file_id))
    fd, path = tempfile.mkstemp(prefix="anchornet-payments-", suffix=".csv")
    rows = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            result = ws.con.execute(sql, params)
            writer.writerow([d[0] for d in result.description])
            while batch := result.fetchmany(10_000):
                writer.writerows([_csv_cell(v) for v in row] for row in batch)
                rows += len(batch)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    with request.app.state.write_lock:
        security.audit(ws.con, principal, "payments.export",
                       target=", ".join(members) if members else "all members",
                       detail={"rows": rows, "period": period, "q": q, "category": category,
                               "supplier_id": supplier_id, "file_id": file_id}, ip=client_ip(request))
    name = "payments" + (f"-{members[0]}" if members and len(members) == 1 else "") + ".csv"
    name = "".join(c if c.isalnum() or c in "-_." else "-" for c in name)
    return FileResponse(path, media_type="text/csv; charset=utf-8", filename=name,
                        background=BackgroundTask(os.unlink, path))


@router.get("/api/payments", tags=["payments"], summary="A page of payments with their lineage")
def api_payments(request: Request, *,
                 member: Annotated[str | None, Query(description="one member (a member lead: their own only)")] = None,
                 period: Annotated[str | None, Query()] = None,
                 q: Annotated[str | None, Query(description="search text")] = None,
                 category: Annotated[str | None, Query()] = None, supplier_id: Annotated[int | None, Query()] = None,
                 file_id: Annotated[int | None, Query()] = None,
                 sort: Annotated[Literal["line", "date", "amount"], Query()] = "line",
                 page: Annotated[int, Query(ge=1)] = 1,
                 per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = PER_PAGE, principal: SignedIn,
                 ws: WS) -> dict:
    return payments_data(ws, principal, member=member or None, period=(period or "").strip() or None, q=q,
                         category=category, supplier_id=supplier_id, file_id=file_id, sort=sort, page=page,
                         per_page=per_page, cache=request.app.state.results)
