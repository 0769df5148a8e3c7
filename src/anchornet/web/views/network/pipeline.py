"""The business engagement pipeline in the web app: the board by stage (and a table), one
prospect with its history, moves between stages (joining makes the member), and candidates
suggested from the Companies House register. The coordinator's only: others get 403."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse

from anchornet.network import pipeline
from anchornet.network.sectors import ROLES_IN_NETWORK, SECTORS
from anchornet.registers.companies_house import SIZE_BANDS
from anchornet.web import permissions, security
from anchornet.web.deps import WS, NotFound, SignedIn, client_ip
from anchornet.web.permissions import Principal
from anchornet.web.rendering import render
from anchornet.web.users import list_users
from anchornet.workspace import Workspace

router = APIRouter()
TAGS = ["network: pipeline"]
DONE = {
    "added": "Added to the pipeline.",
    "edited": "The prospect's details are saved.",
    "moved": "Moved; the change is in the prospect's history.",
    "joined": "Joined: the prospect is now a member of the network.",
}
Text = Annotated[str, Form()]


def _coordinator(principal: Principal) -> None:
    permissions.require(permissions.can_see_pipeline(principal),
                        "the engagement pipeline is the coordinator's: it holds contacts and notes on approaches")


def _prospect(ws: Workspace, prospect_id: int) -> dict:
    prospect = pipeline.find_prospect(ws, prospect_id)
    if prospect is None:
        raise NotFound(f"there is no prospect {prospect_id}")
    return prospect


def _choices(ws: Workspace) -> dict:
    return {"stages": pipeline.STAGES, "open_stages": pipeline.OPEN_STAGES, "fits": pipeline.FITS,
            "sectors": SECTORS, "size_bands": SIZE_BANDS, "roles": ROLES_IN_NETWORK,
            "owners": [u["email"] for u in list_users(ws.con) if u["active"] and u["role"] != "viewer"]}


def _audit(request: Request, ws: Workspace, principal: Principal, action: str, target: str, detail: dict,
           member_id: int | None = None) -> None:
    security.audit(ws.con, principal, "pipeline." + action, target=target, member_id=member_id, detail=detail,
                   ip=client_ip(request))


def _fields(name, company_number, sector, employees, size_band, postcode, fit, fit_note, contact_name,
            contact_role, contact_email, owner, notes, next_step, next_step_on) -> dict:
    return {"name": name, "company_number": company_number, "sector": sector, "employees": employees,
            "size_band": size_band, "postcode": postcode, "fit": fit, "fit_note": fit_note,
            "contact_name": contact_name, "contact_role": contact_role, "contact_email": contact_email,
            "owner": owner, "notes": notes, "next_step": next_step, "next_step_on": next_step_on}


# -- pages ----------------------------------------------------------------------------------------------
@router.get("/network/pipeline", include_in_schema=False)
def pipeline_page(request: Request, *, done: str | None = None, principal: SignedIn, ws: WS):
    _coordinator(principal)
    return render(request, "network/pipeline.html", {
        "title": "Engagement pipeline", "b": pipeline.board(ws), "flash": DONE.get(done or ""), **_choices(ws)})


@router.get("/network/pipeline/suggestions", include_in_schema=False)
def suggestions_page(request: Request, *, tier: str | None = None, sizes: Annotated[list[str], Query()] = [],  # noqa: B006
                     principal: SignedIn, ws: WS):
    _coordinator(principal)
    data = pipeline.suggestions(ws, tier=tier or None, sizes=sizes or pipeline.SUGGEST_SIZES)
    return render(request, "network/pipeline_suggestions.html", {
        "title": "Suggested businesses", "s": data, "size_bands": SIZE_BANDS})


@router.get("/network/pipeline/{prospect_id}", include_in_schema=False)
def prospect_page(request: Request, *, prospect_id: int, done: str | None = None, join: int = 0,
                  principal: SignedIn, ws: WS):
    _coordinator(principal)
    prospect = _prospect(ws, prospect_id)
    return render(request, "network/prospect.html", {
        "title": prospect["name"], "p": prospect, "flash": DONE.get(done or ""),
        "join": bool(join) and prospect["stage"] != "joined", **_choices(ws)})


# -- changes ----------------------------------------------------------------------------------------------
@router.post("/network/pipeline", include_in_schema=False)
def prospect_add(request: Request, *, name: Text, company_number: Text = "", sector: Text = "",
                 employees: Text = "", size_band: Text = "", postcode: Text = "",
                 fit: Annotated[list[str], Form()] = [], fit_note: Text = "", stage: Text = "identified",  # noqa: B006
                 contact_name: Text = "", contact_role: Text = "", contact_email: Text = "", owner: Text = "",
                 notes: Text = "", next_step: Text = "", next_step_on: Text = "", principal: SignedIn, ws: WS):
    _coordinator(principal)
    fields = _fields(name, company_number, sector, employees, size_band, postcode, fit, fit_note, contact_name,
                     contact_role, contact_email, owner, notes, next_step, next_step_on)
    with request.app.state.write_lock:
        prospect_id = pipeline.add_prospect(ws, stage=stage, by=principal.email, **fields)
        _audit(request, ws, principal, "add", f"prospect {prospect_id}",
               {"name": name.strip(), "stage": stage, "source": "manual"})
    return RedirectResponse(f"/network/pipeline/{prospect_id}?done=added", status_code=303)


@router.post("/network/pipeline/suggestions/add", include_in_schema=False)
def suggestion_add(request: Request, *, company_number: Text, principal: SignedIn, ws: WS):
    _coordinator(principal)
    with request.app.state.write_lock:
        prospect_id = pipeline.add_from_register(ws, company_number, by=principal.email)
        _audit(request, ws, principal, "add", f"prospect {prospect_id}",
               {"company_number": company_number.strip(), "source": "companies-house"})
    return RedirectResponse(f"/network/pipeline/{prospect_id}?done=added", status_code=303)


@router.post("/network/pipeline/{prospect_id}/edit", include_in_schema=False)
def prospect_edit(request: Request, *, prospect_id: int, name: Text, company_number: Text = "", sector: Text = "",
                  employees: Text = "", size_band: Text = "", postcode: Text = "",
                  fit: Annotated[list[str], Form()] = [], fit_note: Text = "",  # noqa: B006
                  contact_name: Text = "", contact_role: Text = "", contact_email: Text = "", owner: Text = "",
                  notes: Text = "", next_step: Text = "", next_step_on: Text = "", principal: SignedIn, ws: WS):
    _coordinator(principal)
    _prospect(ws, prospect_id)
    fields = _fields(name, company_number, sector, employees, size_band, postcode, fit, fit_note, contact_name,
                     contact_role, contact_email, owner, notes, next_step, next_step_on)
    with request.app.state.write_lock:
        changed = pipeline.update_prospect(ws, prospect_id, **fields)
        if changed:
            _audit(request, ws, principal, "edit", f"prospect {prospect_id}", {"fields": sorted(changed)})
    return RedirectResponse(f"/network/pipeline/{prospect_id}?done=edited", status_code=303)


def _back(return_to: str, prospect_id: int, done: str) -> RedirectResponse:
    """Back to the board or the prospect's page (never anywhere else)."""
    target = return_to if re.fullmatch(r"/network/pipeline(/\d+)?", return_to or "") else \
        f"/network/pipeline/{prospect_id}"
    return RedirectResponse(f"{target}?done={done}", status_code=303)


@router.post("/network/pipeline/{prospect_id}/move", include_in_schema=False)
def prospect_move(request: Request, *, prospect_id: int, stage: Text, note: Text = "", on: Text = "",
                  return_to: Text = "", principal: SignedIn, ws: WS):
    _coordinator(principal)
    prospect = _prospect(ws, prospect_id)
    code = pipeline.stage_code(stage)
    if code == "joined" and prospect["stage"] != "joined":  # joining offers making the member first
        return RedirectResponse(f"/network/pipeline/{prospect_id}?join=1#join", status_code=303)
    with request.app.state.write_lock:
        result = pipeline.move(ws, prospect_id, code, note=note, on=on, by=principal.email)
        _audit(request, ws, principal, "move", f"prospect {prospect_id}",
               {"name": result["name"], "from": result["from"], "to": result["to"], "on": result["on"]})
    return _back(return_to, prospect_id, "moved")


@router.post("/network/pipeline/{prospect_id}/join", include_in_schema=False)
def prospect_join(request: Request, *, prospect_id: int, member_name: Text = "", network_role: Text = "associate",
                  on: Text = "", note: Text = "", create_member: Text = "", principal: SignedIn, ws: WS):
    _coordinator(principal)
    _prospect(ws, prospect_id)
    with request.app.state.write_lock:
        result = pipeline.move(ws, prospect_id, "joined", note=note, on=on, by=principal.email,
                               create_member=bool(create_member), member_name=member_name,
                               network_role=network_role)
        _audit(request, ws, principal, "join", f"prospect {prospect_id}",
               {"name": result["name"], "from": result["from"], "member": result["member"],
                "member_created": result["member_created"], "network_role": network_role, "on": result["on"]},
               member_id=result["member_id"])
    return RedirectResponse(f"/network/pipeline/{prospect_id}?done=joined", status_code=303)


# -- JSON -------------------------------------------------------------------------------------------------
@router.get("/api/network/pipeline", tags=TAGS, summary="The engagement pipeline by stage (coordinator)")
def api_pipeline(*, stage: Annotated[str | None, Query(description="only prospects at this stage")] = None,
                 principal: SignedIn, ws: WS) -> dict:
    _coordinator(principal)
    data = pipeline.board(ws)
    if stage:
        code = pipeline.stage_code(stage)
        data["prospects"] = [p for p in data["prospects"] if p["stage"] == code]
    return {"counts": data["counts"], "total": data["total"], "open": data["open"], "overdue": data["overdue"],
            "stages": pipeline.STAGES, "prospects": data["prospects"]}


@router.get("/api/network/pipeline/suggestions", tags=TAGS,
            summary="Large active companies registered in the place, not yet members or prospects (coordinator)")
def api_suggestions(*, tier: Annotated[str | None, Query(description="a tier of the place (default the widest)")]
                    = None,
                    sizes: Annotated[list[str], Query(description="size bands (default large)")] = [],  # noqa: B006
                    limit: Annotated[int, Query(ge=1, le=1000)] = 100, principal: SignedIn, ws: WS) -> dict:
    _coordinator(principal)
    return pipeline.suggestions(ws, tier=tier or None, sizes=sizes or pipeline.SUGGEST_SIZES, limit=limit)


@router.get("/api/network/pipeline/{prospect_id}", tags=TAGS, summary="One prospect with its stage history")
def api_prospect(*, prospect_id: int, principal: SignedIn, ws: WS) -> dict:
    _coordinator(principal)
    return _prospect(ws, prospect_id)
