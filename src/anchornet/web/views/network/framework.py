"""The progression framework: a member's profile (radar chart, levels, next actions, the
change since last time), the self-assessment form with the spend evidence beside the
criteria it measures, the history, the framework's text, and the network's anonymous
distribution. A lead sees its own member's answers only; the coordinator sees every
member's and may assess on a member's behalf; everyone else sees the distribution."""

from __future__ import annotations

import math
import re
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import PlainTextResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from anchornet.errors import AnchornetError
from anchornet.network import assessments
from anchornet.network import framework as frameworks
from anchornet.network.framework import LEVEL_NAMES, LEVELS
from anchornet.web import permissions, security
from anchornet.web.deps import WS, NotFound, SignedIn, client_ip
from anchornet.web.permissions import Principal
from anchornet.web.rendering import render
from anchornet.workspace import Workspace

router = APIRouter()
TAGS = ["network: framework"]
DONE = {
    "assess": "Recorded: the self-assessment is saved.",
    "unchanged": "Nothing to record: the same answers were already saved today.",
    "choose": "Recorded: the member's framework is set.",
    "load": "Recorded: the framework file is loaded.",
    "same": "That framework file was already loaded: nothing changed.",
}
MAX_UPLOAD = 1_000_000


# -- who is looked at ---------------------------------------------------------------------------------------
def _members(ws: Workspace) -> list[str]:
    return [r[0] for r in ws.con.execute("SELECT name FROM members ORDER BY name").fetchall()]


def _subject(ws: Workspace, principal: Principal, member: str | None, *, change: bool = False) -> str | None:
    """Whose answers a page shows: a lead's own member, or the member the coordinator chose
    (None: nobody's). Refuses (403) anyone else's."""
    member = (member or "").strip() or None
    if member is None:
        return principal.member if principal.role == "member" else None
    permissions.require_member_records(principal, member, change=change)
    if ws.member_id(member) is None:
        raise NotFound(f"there is no member called {member}")
    return member


def _may_assess(principal: Principal) -> None:
    permissions.require(principal.is_coordinator or (principal.role == "member" and principal.member is not None),
                        "self-assessment is for a member's lead (and the coordinator); a viewer account sees "
                        "the network's anonymous distribution")


def _coordinator(principal: Principal) -> None:
    permissions.require(permissions.can_edit_network(principal),
                        "only the coordinator chooses and loads the network's frameworks")


# -- the radar chart (server-rendered SVG) -------------------------------------------------------------------
WIDTH, HEIGHT, CX, CY, RADIUS = 820, 430, 410, 215, 150  # room for long labels left and right


def _point(i: int, n: int, level: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * i / n
    r = RADIUS * level / 4
    return round(CX + r * math.cos(angle), 1), round(CY + r * math.sin(angle), 1)


def _points(levels: list[float]) -> str:
    n = len(levels)
    return " ".join(f"{x},{y}" for x, y in (_point(i, n, lv) for i, lv in enumerate(levels)))


def radar(profile: dict) -> dict:
    """Polygons and labels for the radar: the latest level per dimension and the previous one."""
    dims = profile["dimensions"]
    n = max(len(dims), 1)
    latest = [d["level"] or 0 for d in dims]
    has_previous = any(d["previous_level"] for d in dims)
    previous = [d["previous_level"] or d["level"] or 0 for d in dims]
    labels = []
    for i, d in enumerate(dims):
        x, y = _point(i, n, 4.4)
        anchor = "middle" if abs(x - CX) < 10 else ("start" if x > CX else "end")
        dy = -6 if y < CY - 10 and anchor == "middle" else (14 if y > CY + 10 and anchor == "middle" else 4)
        labels.append({"x": x, "y": round(y + dy, 1), "text": d["name"], "anchor": anchor})
    return {
        "width": WIDTH, "height": HEIGHT,
        "rings": [{"level": lv, "points": _points([lv] * n), "x": _point(0, n, lv)[0] + 4,
                   "y": _point(0, n, lv)[1] + 4} for lv in LEVELS],
        "axes": [{"x": _point(i, n, 4)[0], "y": _point(i, n, 4)[1]} for i in range(n)],
        "labels": labels,
        "latest": _points(latest),
        "latest_dots": [{"x": _point(i, n, lv)[0], "y": _point(i, n, lv)[1]} for i, lv in enumerate(latest)],
        "previous": _points(previous) if has_previous else None,
        "cx": CX, "cy": CY,
        "desc": "; ".join(
            f"{d['name']}: {('level ' + str(d['level'])) if d['level'] else 'not assessed'}"
            + (f" (previously {d['previous_level']})" if d["previous_level"] else "") for d in dims),
    }


# -- data for pages and the API -------------------------------------------------------------------------------
def overview_data(ws: Workspace, principal: Principal, member: str | None) -> dict:
    subject = _subject(ws, principal, member)
    data = {"member": subject, "profile": None, "distributions": assessments.distributions(ws)}
    if subject:
        data["profile"] = assessments.profile(ws, subject)
    if principal.is_coordinator:
        data["members"] = assessments.assessed_members(ws)
    return data


def history_data(ws: Workspace, principal: Principal, member: str | None) -> dict:
    _may_assess(principal)
    subject = _subject(ws, principal, member)
    data = {"member": subject, "history": assessments.history(ws, subject) if subject else None}
    if principal.is_coordinator:
        data["members"] = assessments.assessed_members(ws)
    return data


def definition_data(ws: Workspace, framework: str | None, version: int | None) -> dict:
    fw = frameworks.get(ws, framework or "business", version)
    return {"framework": fw.to_dict(), "frameworks": frameworks.list_frameworks(ws)}


# -- pages ----------------------------------------------------------------------------------------------------
@router.get("/network/framework", include_in_schema=False)
def framework_page(request: Request, *, member: str | None = None, done: str | None = None,
                   principal: SignedIn, ws: WS):
    data = overview_data(ws, principal, member)
    if data["profile"]:
        data["radar"] = radar(data["profile"])
    return render(request, "network/framework.html", {
        "title": "Progression framework", "d": data, "flash": DONE.get(done or ""),
        "may_assess": principal.is_coordinator or principal.role == "member",
        "all_members": _members(ws) if principal.is_coordinator else [],
        "framework_choices": frameworks.list_frameworks(ws) if principal.is_coordinator else [],
    })


@router.get("/network/framework/assess", include_in_schema=False)
def assess_page(request: Request, *, member: str | None = None, principal: SignedIn, ws: WS):
    _may_assess(principal)
    subject = _subject(ws, principal, member, change=True)
    context = {"title": "Self-assessment", "member": subject, "all_members": _members(ws),
               "today": assessments.parse_date(None).isoformat()}
    if subject:
        member_id = ws.member_id(subject)
        fw = frameworks.framework_for_member(ws, member_id)
        evidence = assessments.spend_evidence(ws, subject, fw)
        context.update(framework=fw, dimensions=assessments.annotated(fw, evidence), evidence=evidence,
                       profile=assessments.profile(ws, subject))
    return render(request, "network/assess.html", context)


_FIELD = re.compile(r"(level|evidence)_([a-z][a-z0-9_]*)")


@router.post("/network/framework/assess", include_in_schema=False)
async def assess_submit(request: Request, *, principal: SignedIn, ws: WS):
    form = await request.form()
    member = str(form.get("member") or "").strip() or None
    levels, evidence = {}, {}
    for key, value in form.multi_items():
        m = _FIELD.fullmatch(key)
        if m and isinstance(value, str):
            (levels if m.group(1) == "level" else evidence)[m.group(2)] = value
    assessed_on = str(form.get("assessed_on") or "")

    def save() -> dict:
        _may_assess(principal)
        subject = _subject(ws, principal, member, change=True)
        if subject is None:
            raise AnchornetError("choose the member being assessed")
        with request.app.state.write_lock:
            result = assessments.record(ws, subject, levels, evidence, by=principal.email, assessed_on=assessed_on)
            if not result["unchanged"]:
                security.audit(ws.con, principal, "framework.assess", target=f"assessment {result['assessment_id']}",
                               member_id=ws.member_id(subject),
                               detail={"framework": result["framework"], "version": result["version"],
                                       "assessed_on": result["assessed_on"], "levels": result["levels"]},
                               ip=client_ip(request))
        return result

    result = await run_in_threadpool(save)
    done = "unchanged" if result["unchanged"] else "assess"
    suffix = f"&member={quote(result['member'])}" if principal.is_coordinator else ""
    return RedirectResponse(f"/network/framework?done={done}{suffix}", status_code=303)


@router.get("/network/framework/history", include_in_schema=False)
def history_page(request: Request, *, member: str | None = None, principal: SignedIn, ws: WS):
    data = history_data(ws, principal, member)
    return render(request, "network/framework_history.html", {"title": "Self-assessment history", "d": data})


@router.get("/network/framework/definition", include_in_schema=False)
def definition_page(request: Request, *, framework: str | None = None, version: int | None = None,
                    done: str | None = None, principal: SignedIn, ws: WS):
    permissions.require(permissions.can_see_network_records(principal), "sign in to read the framework")
    data = definition_data(ws, framework, version)
    return render(request, "network/framework_definition.html", {
        "title": data["framework"]["name"], "d": data, "flash": DONE.get(done or ""),
        "may_edit": permissions.can_edit_network(principal), "level_names": LEVEL_NAMES})


@router.get("/network/framework/definition.yaml", include_in_schema=False)
def definition_yaml(*, framework: str | None = None, version: int | None = None, principal: SignedIn, ws: WS):
    permissions.require(permissions.can_see_network_records(principal), "sign in to read the framework")
    fw = frameworks.get(ws, framework or "business", version)
    return PlainTextResponse(frameworks.to_yaml(fw), media_type="application/yaml", headers={
        "Content-Disposition": f'attachment; filename="{fw.id}-v{fw.version}.yaml"'})


@router.post("/network/framework/choose", include_in_schema=False)
def choose_framework(request: Request, *, member: Annotated[str, Form()], framework: Annotated[str, Form()] = "",
                     principal: SignedIn, ws: WS):
    _coordinator(principal)
    member_id = ws.member_id(member)
    if member_id is None:
        raise AnchornetError(f"there is no member called {member}")
    with request.app.state.write_lock:
        frameworks.choose(ws, framework.strip() or None, member_id=member_id, by=principal.email)
        security.audit(ws.con, principal, "framework.choose", target=f"member {member}", member_id=member_id,
                       detail={"framework": framework.strip() or "(by sector)"}, ip=client_ip(request))
    return RedirectResponse(f"/network/framework?done=choose&member={quote(member)}", status_code=303)


@router.post("/network/framework/load", include_in_schema=False)
def load_framework(request: Request, *, file: Annotated[UploadFile, File()], principal: SignedIn, ws: WS):
    _coordinator(principal)
    raw = file.file.read(MAX_UPLOAD + 1)
    if len(raw) > MAX_UPLOAD:
        raise AnchornetError("a framework file is at most 1 MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AnchornetError(f"{file.filename} is not UTF-8 text") from None
    name = (file.filename or "framework.yaml").rsplit("/", 1)[-1]
    with request.app.state.write_lock:
        result = frameworks.load_text(ws, text, name, by=principal.email)
        security.audit(ws.con, principal, "framework.load", target=f"{result['id']} version {result['version']}",
                       detail={"file": name, "status": result["status"]}, ip=client_ip(request))
    done = "load" if result["status"] == "loaded" else "same"
    return RedirectResponse(f"/network/framework/definition?framework={quote(result['id'])}"
                            f"&version={result['version']}&done={done}", status_code=303)


# -- JSON ------------------------------------------------------------------------------------------------------
@router.get("/api/network/framework", tags=TAGS,
            summary="A member's profile (own member, or any for the coordinator) and the anonymous distribution")
def api_framework(*, member: Annotated[str | None, Query(description="member (coordinator; a lead: its own)")] = None,
                  principal: SignedIn, ws: WS) -> dict:
    return overview_data(ws, principal, member)


@router.get("/api/network/framework/distribution", tags=TAGS,
            summary="How many members are at each level, per dimension (anonymous; hidden below 3 members)")
def api_distribution(*, principal: SignedIn, ws: WS) -> dict:
    permissions.require(permissions.can_see_network_records(principal), "sign in")
    return {"minimum": assessments.MIN_GROUP, "frameworks": assessments.distributions(ws)}


@router.get("/api/network/framework/history", tags=TAGS,
            summary="Every self-assessment of a member with its answers (own member, or any for the coordinator)")
def api_history(*, member: Annotated[str | None, Query(description="member (coordinator; a lead: its own)")] = None,
                principal: SignedIn, ws: WS) -> dict:
    return history_data(ws, principal, member)


@router.get("/api/network/framework/definition", tags=TAGS, summary="A framework's text: dimensions, levels, criteria")
def api_definition(*, framework: Annotated[str | None, Query(description="framework id (default: business)")] = None,
                   version: Annotated[int | None, Query(description="version (default: the newest)")] = None,
                   principal: SignedIn, ws: WS) -> dict:
    permissions.require(permissions.can_see_network_records(principal), "sign in")
    return definition_data(ws, framework, version)
