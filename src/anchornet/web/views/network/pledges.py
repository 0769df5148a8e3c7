"""Pledges in the web app: the list (signatories and progress at a glance), one pledge with
every signatory's trajectory against the target (chart and table), and the forms: the
coordinator adds and edits pledges; a member's lead signs its own member up and reports
its progress (a value with evidence, or a note on a period when the data gives the value)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from anchornet.network import pledge_measures, pledges
from anchornet.web import permissions
from anchornet.web.deps import WS, NotFound, SignedIn, client_ip
from anchornet.web.permissions import Principal
from anchornet.web.rendering import render
from anchornet.workspace import Workspace

router = APIRouter()
DONE = {
    "added": "The pledge is added. Members can now sign it.",
    "edited": "The pledge is changed.",
    "signed": "Signed: the progress appears below.",
    "update": "Progress recorded.",
    "note": "Note added to the period.",
}


def _see(principal: Principal) -> None:
    permissions.require(permissions.can_see_network_records(principal), "sign in to see the network's pledges")


def _coordinator(principal: Principal) -> None:
    permissions.require(permissions.can_edit_network(principal), "only the coordinator adds and changes pledges")


def _progress(request: Request, ws: Workspace, pledge_id: int) -> dict:
    """One pledge's progress, kept until the next change (the figures come from the payments)."""
    try:
        return request.app.state.results.get(("pledge", pledge_id), lambda: pledges.progress(ws, pledge_id))
    except pledges.UnknownPledge as exc:
        raise NotFound(f"{exc}; see the list of pledges") from None


def warm(results, ws: Workspace) -> None:
    """Every pledge's progress and the list, with one calculator: one pass over the payments
    per grain, however many pledges and signatories."""
    from anchornet.network.pledge_measures import Calculator

    calc = Calculator(ws)
    results.get(("pledges",), lambda: pledges.overview(ws, calc))
    for row in pledges.list_pledges(ws):
        results.get(("pledge", row["pledge_id"]), lambda pid=row["pledge_id"]: pledges.progress(ws, pid, calc))


def _for(principal: Principal, prog: dict) -> dict:
    """What an account sees of a pledge's progress: who signed and recorded what (account
    e-mail addresses) is for the coordinator only."""
    if principal.is_coordinator:
        return prog
    hidden = ("signed_by", "recorded_by")
    return {**prog, "pledge": {k: v for k, v in prog["pledge"].items() if k != "created_by"}, "signatories": [
        {**{k: v for k, v in s.items() if k not in hidden},
         "points": [{k: v for k, v in pt.items() if k not in hidden} for pt in s["points"]]}
        for s in prog["signatories"]]}


def _overview(request: Request, ws: Workspace, principal: Principal) -> list[dict]:
    rows = request.app.state.results.get(("pledges",), lambda: pledges.overview(ws))
    if principal.is_coordinator:
        return rows
    return [{k: v for k, v in r.items() if k != "created_by"} for r in rows]


def _signable(ws: Workspace, principal: Principal, prog: dict) -> list[str]:
    """The members this account may sign up (not yet signed), for the sign-up form."""
    signed = {s["member"] for s in prog["signatories"]}
    return [m for m in pledges.member_names(ws)
            if m not in signed and permissions.can_edit_member_records(principal, m)]


@router.get("/network/pledges", include_in_schema=False)
def pledges_page(request: Request, *, done: str | None = None, principal: SignedIn, ws: WS):
    _see(principal)
    return render(request, "network/pledges.html", {
        "title": "Pledges", "rows": _overview(request, ws, principal), "flash": DONE.get(done or ""),
        "can_add": permissions.can_edit_network(principal),
        "measures": pledge_measures.choices(ws), "themes": pledges.THEMES,
        "has_place": bool(pledge_measures.tiers(ws)),
    })


@router.get("/network/pledges/{pledge_id}", include_in_schema=False)
def pledge_page(request: Request, *, pledge_id: int, done: str | None = None, principal: SignedIn, ws: WS):
    _see(principal)
    prog = _for(principal, _progress(request, ws, pledge_id))
    chart = pledges.trajectory_chart(prog)
    editable = [s["member"] for s in prog["signatories"]
                if permissions.can_edit_member_records(principal, s["member"])]
    return render(request, "network/pledge.html", {
        "title": prog["pledge"]["title"], "prog": prog, "p": prog["pledge"], "flash": DONE.get(done or ""),
        "charts": {"trajectory": chart} if chart else {},
        "can_edit": permissions.can_edit_network(principal),
        "signable": _signable(ws, principal, prog) if prog["pledge"]["status"] == "open" else [],
        "editable": editable, "today": dt.date.today().isoformat(), "themes": pledges.THEMES,
        "periods": sorted({pt["period"] for s in prog["signatories"] for pt in s["points"]
                           if pt.get("period") and s["member"] in editable}),
    })


def _audit_ip(request: Request) -> str:
    return client_ip(request)


@router.post("/network/pledges", include_in_schema=False)
def pledge_add(request: Request, *, title: Annotated[str, Form()] = "", text: Annotated[str, Form()] = "",
               theme: Annotated[str, Form()] = "", measure: Annotated[str, Form()] = "manual",
               unit: Annotated[str, Form()] = "", measure_text: Annotated[str, Form()] = "",
               grain: Annotated[str, Form()] = "financial_year", direction: Annotated[str, Form()] = "increase",
               baseline_value: Annotated[str, Form()] = "", baseline_period: Annotated[str, Form()] = "",
               target_value: Annotated[str, Form()] = "", target_date: Annotated[str, Form()] = "",
               principal: SignedIn, ws: WS):
    _coordinator(principal)
    with request.app.state.write_lock:
        pledge_id = pledges.add_pledge(
            ws, actor=principal, ip=_audit_ip(request), title=title, text=text, theme=theme, measure=measure,
            unit=unit, measure_text=measure_text, grain=grain, direction=direction, baseline_value=baseline_value,
            baseline_period=baseline_period, target_value=target_value, target_date=target_date)
    return RedirectResponse(f"/network/pledges/{pledge_id}?done=added", status_code=303)


@router.post("/network/pledges/{pledge_id}/edit", include_in_schema=False)
def pledge_edit(request: Request, *, pledge_id: int, title: Annotated[str, Form()] = "",
                text: Annotated[str, Form()] = "", theme: Annotated[str, Form()] = "",
                unit: Annotated[str | None, Form()] = None, direction: Annotated[str, Form()] = "increase",
                baseline_value: Annotated[str, Form()] = "", baseline_period: Annotated[str, Form()] = "",
                target_value: Annotated[str, Form()] = "", target_date: Annotated[str, Form()] = "",
                status: Annotated[str, Form()] = "open", principal: SignedIn, ws: WS):
    _coordinator(principal)
    _exists(ws, pledge_id)
    changes = {"title": title, "text": text, "theme": theme, "direction": direction,
               "baseline_value": baseline_value, "baseline_period": baseline_period,
               "target_value": target_value, "target_date": target_date, "status": status}
    if unit is not None:
        changes["unit"] = unit
    with request.app.state.write_lock:
        pledges.edit_pledge(ws, pledge_id, actor=principal, ip=_audit_ip(request), **changes)
    return RedirectResponse(f"/network/pledges/{pledge_id}?done=edited", status_code=303)


def _exists(ws: Workspace, pledge_id: int) -> None:
    try:
        pledges.get_pledge(ws, pledge_id)
    except pledges.UnknownPledge as exc:
        raise NotFound(str(exc)) from None


@router.post("/network/pledges/{pledge_id}/sign", include_in_schema=False)
def pledge_sign(request: Request, *, pledge_id: int, member: Annotated[str, Form()] = "",
                signed_on: Annotated[str, Form()] = "", baseline_value: Annotated[str, Form()] = "",
                target_value: Annotated[str, Form()] = "", public: Annotated[str, Form()] = "",
                principal: SignedIn, ws: WS):
    member = member.strip() or (principal.member or "")
    permissions.require_member_records(principal, member, change=True)
    _exists(ws, pledge_id)
    with request.app.state.write_lock:
        pledges.sign(ws, pledge_id, member, signed_on=signed_on, baseline_value=baseline_value,
                     target_value=target_value, public=public in ("1", "on", "true", "yes"), actor=principal,
                     ip=_audit_ip(request))
    return RedirectResponse(f"/network/pledges/{pledge_id}?done=signed", status_code=303)


@router.post("/network/pledges/{pledge_id}/updates", include_in_schema=False)
def pledge_update(request: Request, *, pledge_id: int, member: Annotated[str, Form()] = "",
                  as_of: Annotated[str, Form()] = "", value: Annotated[str, Form()] = "",
                  period: Annotated[str, Form()] = "", evidence: Annotated[str, Form()] = "",
                  evidence_url: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "",
                  principal: SignedIn, ws: WS):
    member = member.strip() or (principal.member or "")
    permissions.require_member_records(principal, member, change=True)
    _exists(ws, pledge_id)
    with request.app.state.write_lock:
        done = pledges.add_update(ws, pledge_id, member, as_of=as_of, value=value, period=period or None,
                                  evidence=evidence, evidence_url=evidence_url, note=note, actor=principal,
                                  ip=_audit_ip(request))
    return RedirectResponse(f"/network/pledges/{pledge_id}?done={'note' if done['period'] else 'update'}",
                            status_code=303)


@router.get("/api/network/pledges", tags=["network"], summary="Every pledge with its signatories and progress")
def api_pledges(request: Request, *, principal: SignedIn, ws: WS) -> list[dict]:
    """Each pledge: text, measure, baseline, target, status, the number of signatories and how
    many are on track or have met the target."""
    _see(principal)
    return _overview(request, ws, principal)


@router.get("/api/network/pledges/{pledge_id}", tags=["network"],
            summary="One pledge: every signatory's progress against the target")
def api_pledge(request: Request, *, pledge_id: int, principal: SignedIn, ws: WS) -> dict:
    """The pledge and, per signatory, its points (from the spend data with numerator,
    denominator and coverage, or reported with evidence), baseline, target, latest value,
    share of the way to the target and status."""
    _see(principal)
    return _for(principal, _progress(request, ws, pledge_id))
