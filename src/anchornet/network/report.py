"""The network's own records in the network report and on the public dashboard: pledge
progress, the progression framework's anonymous distribution, social value delivered
against committed, action plans at a glance, and who the members are.

The internal edition may be for some members only (a member lead's report of its own
member): pledge signatories and contracts are then those members' only. The public
edition keeps only what members agreed to publish (pledge progress, contracts, being
listed), plans the coordinator published, and never a person's name.
"""

from __future__ import annotations

from anchornet.workspace import Workspace

SECTIONS = {
    "pledges": "Pledges and progress",
    "framework": "Progression framework: the network's picture",
    "social_value": "Social value delivered",
    "plans": "Action plans",
    "members": "The network's members",
}


def network_report(ws: Workspace, *, members: list[str] | None = None, public: bool = False,
                   sections: tuple[str, ...] | list[str] = tuple(SECTIONS)) -> dict:
    """The sections asked for, each None when it has nothing to show."""
    from anchornet.network import assessments, plans, pledges, social_value

    scope = set(members) if members else None
    out: dict = {"public": public, "sections": [s for s in SECTIONS if s in sections]}
    if "pledges" in sections:
        data = pledges.report_data(ws, public=public)
        items = []
        for p in data["pledges"]:
            signed = [s for s in p["signatories"] if scope is None or s["member"] in scope]
            if scope is not None and not signed:
                continue
            items.append({**p, "signatories": signed})
        out["pledges"] = items or None
    if "framework" in sections:
        data = assessments.report_data(ws, public=public)
        out["framework"] = data if data["frameworks"] and data["members_assessed"] else None
    if "social_value" in sections:
        data = social_value.report_data(ws, public=public, members=list(scope) if scope else None)
        out["social_value"] = data if data["contracts"] else None
    if "plans" in sections:
        shown = [p for p in plans.list_plans(ws) if p["publish"] or not public]
        out["plans"] = [{k: p[k] for k in ("title", "goal", "start_year", "end_year", "status_label", "progress")}
                        for p in shown] or None
    if "members" in sections:
        out["members"] = _members(ws, public) or None
    out["has_any"] = any(out.get(s) for s in out["sections"])
    return out


def _members(ws: Workspace, public: bool) -> list[dict]:
    from anchornet.network import members

    rows = []
    for m in members.list_members(ws):
        if public and not m.get("publish_listing"):
            continue
        rows.append({"member": m["name"], "sector": m.get("sector_label"), "role": m.get("network_role_label"),
                     "employees": m.get("employees"), "joined_on": m.get("joined_on")})
    return rows


def at_a_glance(ws: Workspace) -> dict[str, str]:
    """One line per section of the Network page: how much is recorded there."""
    def one(sql: str) -> int:
        return ws.con.execute(sql).fetchall()[0][0]

    def n(count: int, word: str, plural: str | None = None) -> str:
        return f"{count:,} {word if count == 1 else plural or word + 's'}"

    members = one("SELECT count(*) FROM members")
    profiled = one("SELECT count(*) FROM member_profiles WHERE sector IS NOT NULL")
    groups = one("SELECT count(*) FROM working_groups WHERE status = 'active'")
    open_actions = one("SELECT count(*) FROM group_actions WHERE status IN ('open', 'in_progress')")
    pledges = one("SELECT count(*) FROM pledges WHERE status = 'open'")
    signed = one("SELECT count(*) FROM pledge_signatories")
    prospects = one("SELECT count(*) FROM prospects WHERE stage NOT IN ('joined', 'declined')")
    assessed = one("SELECT count(DISTINCT member_id) FROM assessments")
    contracts = one("SELECT count(*) FROM sv_contracts")
    plans = one("SELECT count(*) FROM action_plans WHERE status <> 'complete'")
    return {
        "/network/members": f"{n(members, 'member')}; {profiled:,} with a sector recorded",
        "/network/groups": f"{n(groups, 'active group')}; {n(open_actions, 'open action')}",
        "/network/pledges": f"{n(pledges, 'open pledge')}; {n(signed, 'sign-up')}",
        "/network/pipeline": f"{n(prospects, 'prospect')} in progress",
        "/network/framework": f"{n(assessed, 'member has', 'members have')} assessed themselves",
        "/network/social-value": f"{n(contracts, 'contract')} with social value recorded",
        "/network/plans": f"{n(plans, 'plan')} under way",
    }
