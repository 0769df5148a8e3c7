"""Social value pages: the network's totals per measure (everyone signed in), a member's
contracts with their commitments and deliveries (that member's lead and the coordinator;
others only once the member publishes a contract, without evidence notes), and the measure
tables (the coordinator loads versions and chooses the one in use)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse

from anchornet.errors import AnchornetError
from anchornet.ingest import browse
from anchornet.network import social_value as sv
from anchornet.network import sv_measures
from anchornet.sqlrows import plain
from anchornet.web import permissions, security
from anchornet.web.deps import WS, NotFound, SignedIn, client_ip
from anchornet.web.permissions import Forbidden, Principal
from anchornet.web.rendering import render
from anchornet.workspace import Workspace

router = APIRouter()
BASE = "/network/social-value"
MAX_MEASURE_FILE = 5 * 1024 * 1024
DONE = {
    "added": "Recorded: the contract is added. Add its commitments below.",
    "updated": "Saved: the contract's details.",
    "linked": "Linked: the contract's supplier.",
    "committed": "Recorded: the commitment.",
    "uncommitted": "Removed: the commitment.",
    "delivered": "Recorded: the delivery.",
    "unreported": "Removed: that delivery report.",
    "loaded": "Loaded: the measure table.",
    "unchanged": "That measure table was loaded already: nothing changed.",
    "use": "Chosen: the measure table in use. £ values now use its proxy values.",
}


def _json(value):
    """Decimals as JSON numbers, all the way down."""
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    return plain(value)


def _ready(request: Request, ws: Workspace) -> None:
    """The shipped measure set in the workspace (a write, once): under the app's write lock."""
    with request.app.state.write_lock:
        sv_measures.ensure_default(ws)


def _public_contract(c: dict) -> dict:
    return {k: v for k, v in c.items() if k not in ("created_by", "created_at", "updated_at", "member_id")}


def overview_data(ws: Workspace, principal: Principal) -> dict:
    """What /network/social-value shows this account: network totals for everyone, the
    published contracts, and the contracts it may see in full (its member's, or all)."""
    permissions.require(permissions.can_see_network_records(principal), "sign in to see the network's records")
    network = sv.summary(ws)
    data = {
        "valuation": network["valuation"],
        "rating_bands": network["rating_bands"],
        "network": {"by_measure": network["by_measure"],
                    "totals": {k: network["totals"][k] for k in ("contracts", "members", "commitments", "measures",
                                                                "measures_valued", "value_committed",
                                                                "value_delivered")}},
        "published": [_public_contract(c) for c in network["by_contract"] if c["publish"]],
        "mine": None,
        "scope": None,
    }
    if principal.is_coordinator:
        data["scope"] = "every member"
        data["mine"] = {k: network[k] for k in ("by_contract", "by_supplier", "by_measure", "totals")}
    elif principal.role == "member" and principal.member:
        data["scope"] = principal.member
        own = sv.summary(ws, members=[principal.member])
        data["mine"] = {k: own[k] for k in ("by_contract", "by_supplier", "by_measure", "totals")}
    return data


def _contract_for(ws: Workspace, principal: Principal, contract_id: int) -> tuple[dict, bool]:
    """The contract and whether ``principal`` sees it in full; 404 / 403 otherwise."""
    try:
        record = sv.contract(ws, contract_id)
    except sv.NoSuchRecord as exc:
        raise NotFound(str(exc)) from None
    if permissions.can_see_member_records(principal, record["member"]):
        return record, True
    if record["publish"]:
        return record, False
    raise Forbidden("your account may not see this contract: it is another member's and it is not published")


def _require_edit(principal: Principal, record: dict) -> None:
    if not permissions.can_edit_member_records(principal, record["member"]):
        raise Forbidden("only the coordinator and the lead of the member that let this contract may change it")


def contract_data(ws: Workspace, principal: Principal, contract_id: int) -> dict:
    record, full = _contract_for(ws, principal, contract_id)
    detail = sv.contract_detail(ws, record["contract_id"], full=full)
    detail["full"] = full
    detail["can_edit"] = permissions.can_edit_member_records(principal, record["member"])
    if not full:
        detail["contract"] = _public_contract(detail["contract"])
    return detail


def measures_data(ws: Workspace, principal: Principal, set_id: int | None) -> dict:
    permissions.require(permissions.can_see_network_records(principal), "sign in to see the network's records")
    current = sv_measures.current_set(ws)
    sets = sv_measures.list_sets(ws)
    chosen = set_id or current["set_id"]
    if not any(s["set_id"] == chosen for s in sets):
        raise NotFound(f"there is no measure set {set_id}")
    manage = permissions.can_edit_network(principal)
    if not manage:  # who loaded a table is an account (a person): the coordinator's
        sets = [{k: v for k, v in s.items() if k != "loaded_by"} for s in sets]
    return {"current": {k: v for k, v in current.items() if manage or k != "loaded_by"},
            "sets": sets, "shown": next(s for s in sets if s["set_id"] == chosen),
            "measures": sv_measures.measures(ws, chosen), "can_manage": manage,
            "columns": {"required": list(sv_measures.REQUIRED), "optional": list(sv_measures.OPTIONAL)}}


# -- pages ----------------------------------------------------------------------------------------------
@router.get(BASE, include_in_schema=False)
def social_value_page(request: Request, *, done: str | None = None, principal: SignedIn, ws: WS):
    _ready(request, ws)
    data = overview_data(ws, principal)
    choices = browse.member_names(ws) if principal.is_coordinator else []
    return render(request, "network/social_value.html", {
        "title": "Social value", "d": data, "member_choices": choices,
        "can_add": principal.is_coordinator or (principal.role == "member" and bool(principal.member)),
        "status": sv.RATING_STATUS, "flash": DONE.get(done or "")})


@router.get(BASE + "/contracts/{contract_id}", include_in_schema=False)
def contract_page(request: Request, *, contract_id: int, done: str | None = None, principal: SignedIn, ws: WS):
    _ready(request, ws)
    data = contract_data(ws, principal, contract_id)
    return render(request, "network/contract.html", {
        "title": data["contract"]["title"], "d": data, "status": sv.RATING_STATUS,
        "measures": sv_measures.measures(ws) if data["can_edit"] else [],
        "flash": DONE.get(done or "")})


@router.get(BASE + "/measures", include_in_schema=False)
def measures_page(request: Request, *, set_id: int | None = None, done: str | None = None,
                  principal: SignedIn, ws: WS):
    _ready(request, ws)
    return render(request, "network/measures.html", {"title": "Social value measures",
                                                     "d": measures_data(ws, principal, set_id),
                                                     "flash": DONE.get(done or "")})


# -- changes ---------------------------------------------------------------------------------------------
def _back(contract_id: int, done: str) -> RedirectResponse:
    return RedirectResponse(f"{BASE}/contracts/{int(contract_id)}?done={done}", status_code=303)


def _change(request: Request, ws: Workspace, principal: Principal, contract_id: int, action: str, work,
            detail: dict | None = None) -> dict:
    """Check the account may change the contract, then do it and audit it, under the write lock."""
    with request.app.state.write_lock:
        record, _ = _contract_for(ws, principal, contract_id)
        _require_edit(principal, record)
        result = work(record)
        security.audit(ws.con, principal, "social_value." + action, target=f"contract {record['contract_id']}",
                       member_id=record["member_id"], detail={**(detail or {}), **(result or {})},
                       ip=client_ip(request))
    return result or {}


@router.post(BASE + "/contracts", include_in_schema=False)
def contract_add(request: Request, *, member: Annotated[str, Form()] = "", title: Annotated[str, Form()] = "",
                 supplier: Annotated[str, Form()] = "", reference: Annotated[str, Form()] = "",
                 value: Annotated[str, Form()] = "", start_date: Annotated[str, Form()] = "",
                 end_date: Annotated[str, Form()] = "", supplier_entity_id: Annotated[str, Form()] = "",
                 publish: Annotated[bool, Form()] = False, principal: SignedIn, ws: WS):
    permissions.require(principal.is_coordinator or (principal.role == "member" and bool(principal.member)),
                        "contracts are recorded by the coordinator and members' leads")
    chosen = member.strip() if principal.is_coordinator else (principal.member or "")
    if not chosen:
        raise AnchornetError("choose the member that let the contract")
    permissions.require_member_records(principal, chosen, change=True)
    with request.app.state.write_lock:
        sv_measures.ensure_default(ws)
        contract_id = sv.add_contract(ws, chosen, title, supplier, reference=reference, value=value,
                                      start=start_date, end=end_date, supplier_entity_id=supplier_entity_id,
                                      publish=publish, by=principal.email)
        security.audit(ws.con, principal, "social_value.contract.add", target=f"contract {contract_id}",
                       member_id=ws.member_id(chosen),
                       detail={"title": title.strip(), "supplier": supplier.strip(), "publish": publish},
                       ip=client_ip(request))
    return _back(contract_id, "added")


@router.post(BASE + "/contracts/{contract_id}/edit", include_in_schema=False)
def contract_edit(request: Request, *, contract_id: int, title: Annotated[str, Form()] = "",
                  supplier: Annotated[str, Form()] = "", reference: Annotated[str, Form()] = "",
                  value: Annotated[str, Form()] = "", start_date: Annotated[str, Form()] = "",
                  end_date: Annotated[str, Form()] = "", supplier_entity_id: Annotated[str, Form()] = "",
                  publish: Annotated[bool, Form()] = False, principal: SignedIn, ws: WS):
    changes = {"title": title, "supplier_name": supplier, "reference": reference, "value": value,
               "start_date": start_date, "end_date": end_date, "supplier_entity_id": supplier_entity_id,
               "publish": publish}

    def work(record: dict) -> None:
        sv.update_contract(ws, record["contract_id"], **changes)

    _change(request, ws, principal, contract_id, "contract.update", work,
            {**changes, "supplier_entity_id": supplier_entity_id or None})
    return _back(contract_id, "updated")


@router.post(BASE + "/contracts/{contract_id}/link", include_in_schema=False)
def contract_link(request: Request, *, contract_id: int, supplier_entity_id: Annotated[int, Form()],
                  principal: SignedIn, ws: WS):
    _change(request, ws, principal, contract_id, "contract.link",
            lambda r: {"supplier_entity_id": sv.update_contract(
                ws, r["contract_id"], supplier_entity_id=supplier_entity_id)["supplier_entity_id"]})
    return _back(contract_id, "linked")


@router.post(BASE + "/contracts/{contract_id}/commitments", include_in_schema=False)
def commitment_add(request: Request, *, contract_id: int, measure_code: Annotated[str, Form()] = "",
                   quantity: Annotated[str, Form()] = "", by_date: Annotated[str, Form()] = "",
                   principal: SignedIn, ws: WS):
    _change(request, ws, principal, contract_id, "commit",
            lambda r: sv.commit(ws, r["contract_id"], measure_code, quantity, by_date=by_date or None))
    return _back(contract_id, "committed")


@router.post(BASE + "/contracts/{contract_id}/commitments/remove", include_in_schema=False)
def commitment_remove(request: Request, *, contract_id: int, measure_code: Annotated[str, Form()],
                      principal: SignedIn, ws: WS):
    _change(request, ws, principal, contract_id, "commit.remove",
            lambda r: sv.remove_commitment(ws, r["contract_id"], measure_code))
    return _back(contract_id, "uncommitted")


@router.post(BASE + "/contracts/{contract_id}/deliveries", include_in_schema=False)
def delivery_add(request: Request, *, contract_id: int, measure_code: Annotated[str, Form()] = "",
                 quantity: Annotated[str, Form()] = "", as_of: Annotated[str, Form()] = "",
                 period: Annotated[str, Form()] = "", evidence: Annotated[str, Form()] = "",
                 principal: SignedIn, ws: WS):
    _change(request, ws, principal, contract_id, "deliver",
            lambda r: sv.record_delivery(ws, r["contract_id"], measure_code, quantity, as_of or None,
                                         period=period, evidence=evidence, by=principal.email))
    return _back(contract_id, "delivered")


@router.post(BASE + "/contracts/{contract_id}/deliveries/{delivery_id}/remove", include_in_schema=False)
def delivery_remove(request: Request, *, contract_id: int, delivery_id: int, principal: SignedIn, ws: WS):
    def work(record: dict) -> dict:
        owner = ws.con.execute(
            "SELECT k.contract_id FROM sv_deliveries d JOIN sv_commitments k USING (commitment_id) "
            "WHERE d.delivery_id = ?", [delivery_id]).fetchall()
        if not owner or owner[0][0] != record["contract_id"]:
            raise NotFound(f"contract {contract_id} has no delivery report {delivery_id}")
        return sv.remove_delivery(ws, delivery_id)

    _change(request, ws, principal, contract_id, "deliver.remove", work)
    return _back(contract_id, "unreported")


def _manager(principal: Principal) -> None:
    permissions.require(permissions.can_edit_network(principal), "the measure tables are the coordinator's")


@router.post(BASE + "/measures", include_in_schema=False)
def measures_load(request: Request, *, file: Annotated[UploadFile, File()], name: Annotated[str, Form()] = "",
                  version: Annotated[str, Form()] = "", use: Annotated[bool, Form()] = False,
                  principal: SignedIn, ws: WS):
    _manager(principal)
    filename = Path(file.filename or "measures.csv").name
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".txt", ".xlsx", ".xlsm", ".ods"):
        raise AnchornetError(f"{filename}: give the measure table as CSV or XLSX")
    with tempfile.TemporaryDirectory(prefix="anchornet-measures-") as tmp:
        path = Path(tmp) / ("measures" + suffix)
        data = file.file.read(MAX_MEASURE_FILE + 1)
        if len(data) > MAX_MEASURE_FILE:
            raise AnchornetError(f"{filename}: larger than {MAX_MEASURE_FILE >> 20} MB; a measure table is small")
        path.write_bytes(data)
        with request.app.state.write_lock:
            result = sv_measures.load_file(ws, path, name, version, by=principal.email, make_current=use,
                                           source=filename)
            if result["loaded"]:
                security.audit(ws.con, principal, "social_value.measures.load",
                               target=f"{result['name']} {result['version']}",
                               detail={"file": filename, "measures": result["measures"],
                                       "proxy_values": result["proxy_values"], "current": result["is_current"]},
                               ip=client_ip(request))
    done = "loaded" if result["loaded"] else "unchanged"
    return RedirectResponse(f"{BASE}/measures?set_id={result['set_id']}&done={done}", status_code=303)


@router.post(BASE + "/measures/use", include_in_schema=False)
def measures_use(request: Request, *, set_id: Annotated[int, Form()], principal: SignedIn, ws: WS):
    _manager(principal)
    with request.app.state.write_lock:
        try:
            chosen = sv_measures.measure_set(ws, set_id)
        except AnchornetError as exc:
            raise NotFound(str(exc)) from None
        sv_measures.use_set(ws, chosen["name"], chosen["version"])
        security.audit(ws.con, principal, "social_value.measures.use", target=f"{chosen['name']} {chosen['version']}",
                       ip=client_ip(request))
    return RedirectResponse(f"{BASE}/measures?set_id={set_id}&done=use", status_code=303)


# -- JSON ---------------------------------------------------------------------------------------------------
@router.get("/api" + BASE, tags=["network"], summary="Social value: network totals per measure, published "
                                                      "contracts, and the contracts this account may see")
def api_social_value(request: Request, *, principal: SignedIn, ws: WS) -> dict:
    _ready(request, ws)
    return _json(overview_data(ws, principal))


@router.get("/api" + BASE + "/contracts/{contract_id}", tags=["network"],
            summary="One contract: commitments, deliveries, ratings and £ values")
def api_contract(request: Request, *, contract_id: int, principal: SignedIn, ws: WS) -> dict:
    _ready(request, ws)
    return _json(contract_data(ws, principal, contract_id))


@router.get("/api" + BASE + "/measures", tags=["network"],
            summary="Social value measure tables: the versions loaded, the one in use, its measures")
def api_measures(request: Request, *,
                 set_id: Annotated[int | None, Query(description="a measure set id (default: the one in use)")] = None,
                 principal: SignedIn, ws: WS) -> dict:
    _ready(request, ws)
    return _json(measures_data(ws, principal, set_id))
