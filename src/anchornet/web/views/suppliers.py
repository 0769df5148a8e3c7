"""Suppliers: the review queue (uncertain matches, largest unlocated suppliers), search,
one supplier's names and payments; merge, split and set, each decision recorded (in the
supplier overrides, which win on every run, and in the audit log) and applied at once."""

from __future__ import annotations

import re
from contextlib import closing
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse

from anchornet.analysis.metrics import Analysis, Scope
from anchornet.errors import AnchornetError
from anchornet.suppliers import browse as supplier_browse
from anchornet.suppliers import overrides
from anchornet.suppliers.classify import CLASSES
from anchornet.suppliers.resolve import resolve
from anchornet.suppliers.review import largest_unlocated, uncertain_matches
from anchornet.web import permissions, security
from anchornet.web.deps import WS, NotFound, SignedIn, client_ip
from anchornet.web.permissions import Principal
from anchornet.web.rendering import render
from anchornet.workspace import Workspace

router = APIRouter()
QUEUE = 25
DONE = {
    "merge": "Recorded: the two suppliers are now one.",
    "split": "Recorded: that name is now a supplier of its own.",
    "set": "Recorded: the supplier's details are set.",
}


def _coordinator(principal: Principal) -> None:
    permissions.require(permissions.can_manage_suppliers(principal),
                        "supplier review is the coordinator's: it shows every member's names as written")


def review_data(ws: Workspace, q: str | None) -> dict:
    return {
        "uncertain_matches": uncertain_matches(ws, QUEUE),
        **largest_unlocated(ws, QUEUE),
        "search": q or "",
        "results": supplier_browse.search_suppliers(ws, q) if q else [],
        "decisions": supplier_browse.recent_decisions(ws),
        "resolved": bool(ws.con.execute("SELECT count(*) FROM payees").fetchone()[0]),
    }


def supplier_data(ws: Workspace, entity_id: int) -> dict:
    current = supplier_browse.current_entity(ws, entity_id)
    entity = supplier_browse.supplier(ws, current)
    if entity is None:
        raise NotFound(f"there is no supplier {entity_id} (a private individual's payments are never grouped)")
    with closing(Analysis(ws, Scope())) as analysis:
        entity["payments"] = analysis.payments_behind(supplier_id=current, limit=50)
    entity["requested_id"] = entity_id
    return entity


@router.get("/suppliers", include_in_schema=False)
def suppliers_page(request: Request, *, q: str | None = None, done: str | None = None, principal: SignedIn, ws: WS):
    _coordinator(principal)
    return render(request, "suppliers.html", {"d": review_data(ws, (q or "").strip() or None),
                                              "flash": DONE.get(done or "")})


@router.get("/suppliers/{entity_id}", include_in_schema=False)
def supplier_page(request: Request, *, entity_id: int, done: str | None = None, principal: SignedIn, ws: WS):
    _coordinator(principal)
    data = supplier_data(ws, entity_id)
    if data["entity_id"] != entity_id:
        return RedirectResponse(f"/suppliers/{data['entity_id']}", status_code=303)
    return render(request, "supplier.html", {"s": data, "classes": CLASSES, "fields": overrides.SETTABLE,
                                             "flash": DONE.get(done or "")})


def _decide(request: Request, ws: Workspace, principal: Principal, action: str, target: str, detail: dict,
            record) -> None:
    with request.app.state.write_lock:
        record()
        security.audit(ws.con, principal, "supplier." + action, target=target, detail=detail, ip=client_ip(request))
        resolve(ws)  # apply the decision now


def _back(return_to: str, action: str) -> RedirectResponse:
    """Back to the review queue or a supplier's page (never anywhere else)."""
    target = return_to if re.fullmatch(r"/suppliers(/\d+)?", return_to) else "/suppliers"
    return RedirectResponse(f"{target}?done={action}", status_code=303)


@router.post("/suppliers/merge", include_in_schema=False)
def supplier_merge(request: Request, *, supplier_a: Annotated[int, Form()], supplier_b: Annotated[int, Form()],
                   note: Annotated[str, Form()] = "", return_to: Annotated[str, Form()] = "/suppliers",
                   principal: SignedIn, ws: WS):
    _coordinator(principal)
    _decide(request, ws, principal, "merge", f"suppliers {supplier_a} and {supplier_b}",
            {"supplier_a": supplier_a, "supplier_b": supplier_b, "note": note},
            lambda: overrides.merge(ws, supplier_a, supplier_b, note=note, by=principal.email))
    kept = supplier_browse.current_entity(ws, supplier_a)
    return _back(f"/suppliers/{kept}" if return_to.startswith("/suppliers/") else "/suppliers", "merge")


@router.post("/suppliers/split", include_in_schema=False)
def supplier_split(request: Request, *, payee_id: Annotated[int, Form()], note: Annotated[str, Form()] = "",
                   return_to: Annotated[str, Form()] = "/suppliers", principal: SignedIn, ws: WS):
    _coordinator(principal)
    _decide(request, ws, principal, "split", f"payee {payee_id}", {"payee_id": payee_id, "note": note},
            lambda: overrides.split(ws, payee_id, note=note, by=principal.email))
    return _back(return_to, "split")


@router.post("/suppliers/set", include_in_schema=False)
def supplier_set(request: Request, *, supplier_id: Annotated[int, Form()], field: Annotated[str, Form()],
                 value: Annotated[str, Form()], note: Annotated[str, Form()] = "",
                 return_to: Annotated[str, Form()] = "/suppliers", principal: SignedIn, ws: WS):
    _coordinator(principal)
    value = value.strip()
    if not value:
        raise AnchornetError(f"give a value for {field}")
    _decide(request, ws, principal, "set", f"supplier {supplier_id}",
            {"supplier_id": supplier_id, "field": field, "value": value, "note": note},
            lambda: overrides.set_value(ws, supplier_id, field, value, note=note, by=principal.email))
    return _back(return_to, "set")


@router.get("/api/suppliers/review", tags=["suppliers"], summary="The supplier review queue (coordinator)")
def api_review(*, q: Annotated[str | None, Query(description="search suppliers by name")] = None,
               principal: SignedIn, ws: WS) -> dict:
    _coordinator(principal)
    return review_data(ws, (q or "").strip() or None)


@router.get("/api/suppliers/{entity_id}", tags=["suppliers"], summary="One supplier: names, decisions, payments")
def api_supplier(*, entity_id: int, principal: SignedIn, ws: WS) -> dict:
    _coordinator(principal)
    return supplier_data(ws, entity_id)
