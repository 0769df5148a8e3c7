"""Action plans through the web app: everyone reads, the coordinator makes plans and
milestones, a member's lead changes its own milestones' status only, and a person named as an
owner is shown to the coordinator and that member's lead only."""

from __future__ import annotations

import re

import pytest
from web_support import OTHER, OXFORD, text_of

ROLES = ("coordinator", "member", "viewer")
EVERYONE = set(ROLES)

PAGES = {
    "/network/plans": EVERYONE,
    "/api/network/plans": EVERYONE,
}
BY_ID = {"/network/plans/{plan_id}", "/api/network/plans/{plan_id}"}
PERSON = "Priya Example-Owner"


def _plan(web) -> tuple[int, int, int]:
    """A 3-year plan with an Oxford milestone (with a person) and a Riverside one."""
    response = web.post("/network/plans", {"title": "Living Wage Oxford", "start_year": "2025",
                                           "goal": "Make the real Living Wage the norm", "status": "active"})
    assert response.status_code == 303, response.text
    plan = int(re.search(r"/network/plans/(\d+)", response.headers["location"]).group(1))
    ids = []
    for title, member, person, year in (("Accredit the council", OXFORD, PERSON, "2025"),
                                        ("Accredit the trust", OTHER, "", "2026")):
        response = web.post(f"/network/plans/{plan}/milestones", {"title": title, "year": year,
                                                                  "owner_member": member, "owner_person": person})
        assert response.status_code == 303, response.text
        ids.append(int(re.search(r"#milestone-(\d+)", response.headers["location"]).group(1)))
    return plan, ids[0], ids[1]


def test_plan_pages_and_progress(web):
    web.login("coordinator")
    plan, oxford, _ = _plan(web)
    data = web.client.get(f"/api/network/plans/{plan}").json()
    assert (data["start_year"], data["end_year"]) == (2025, 2027)
    assert data["progress"]["done"] == 0 and data["progress"]["counted"] == 2
    assert [y["year"] for y in data["progress"]["by_year"]] == [2025, 2026, 2027]
    page = text_of(web.client.get(f"/network/plans/{plan}").text)
    assert "Accredit the council" in page and PERSON in page and "0 of 2 done (0%)" in page
    response = web.post(f"/network/plans/{plan}/milestones/{oxford}/status", {"status": "done"})
    assert response.status_code == 303
    listing = web.client.get("/api/network/plans").json()["plans"][0]
    assert listing["progress"]["percent"] == 50
    assert 'style="width: 50%"' in web.client.get("/network/plans").text
    assert len(web.audit("plans.add")) == 1 and len(web.audit("plans.milestone_add")) == 2


def test_member_lead_changes_only_its_own_milestones(web):
    web.login("coordinator")
    plan, oxford, riverside = _plan(web)
    web.client.post("/logout", data={"csrf_token": web.csrf()})
    web.login("member")  # Oxford's lead
    page = web.client.get(f"/network/plans/{plan}").text
    assert f'action="/network/plans/{plan}/milestones/{oxford}/status"' in page
    assert f'action="/network/plans/{plan}/milestones/{riverside}/status"' not in page
    assert PERSON in page  # its own milestone's owner
    assert web.post(f"/network/plans/{plan}/milestones/{oxford}/status", {"status": "done"}).status_code == 303
    assert web.post(f"/network/plans/{plan}/milestones/{riverside}/status", {"status": "done"}).status_code == 403
    assert web.post(f"/network/plans/{plan}/milestones/{oxford}/edit", {"title": "x", "year": "2025"}
                    ).status_code == 403
    assert web.post("/network/plans", {"title": "Mine", "start_year": "2025"}).status_code == 403
    assert web.post(f"/network/plans/{plan}/edit", {"title": "x", "start_year": "2025", "end_year": "2027"}
                    ).status_code == 403
    data = web.client.get(f"/api/network/plans/{plan}").json()
    statuses = {m["milestone_id"]: m["status"] for m in data["milestones"]}
    assert statuses == {oxford: "done", riverside: "not-started"}
    assert web.audit("plans.milestone_status")[0][0] == "lead@oxford.example.org"


@pytest.mark.parametrize("who", ["viewer", "other"])
def test_others_never_see_the_person(web, who):
    web.login("coordinator")
    plan, oxford, _ = _plan(web)
    web.client.post("/logout", data={"csrf_token": web.csrf()})
    web.login(who)
    page = web.client.get(f"/network/plans/{plan}").text
    assert PERSON not in page and "Accredit the council" in page
    assert PERSON not in web.client.get(f"/api/network/plans/{plan}").text
    assert web.post(f"/network/plans/{plan}/milestones/{oxford}/status", {"status": "done"}).status_code == 403


def test_bad_input_and_missing_plans(web):
    web.login("coordinator")
    plan, oxford, _ = _plan(web)
    response = web.post(f"/network/plans/{plan}/milestones", {"title": "Too late", "year": "2031"})
    assert response.status_code == 400 and "outside the plan's years" in text_of(response.text)
    response = web.post("/network/plans", {"title": "Backwards", "start_year": "2027", "end_year": "2025"})
    assert response.status_code == 400 and "before it starts" in response.text
    response = web.post(f"/network/plans/{plan}/milestones/{oxford}/status", {"status": "finished"})
    assert response.status_code == 400 and "unknown milestone status" in response.text
    assert web.client.get("/network/plans/999").status_code == 404
    assert web.client.get("/api/network/plans/999").status_code == 404
    assert web.post(f"/network/plans/999/milestones/{oxford}/status", {"status": "done"}).status_code == 404
    response = web.post(f"/network/plans/{plan}/milestones/{oxford}/edit",
                        {"title": "Accredit the council", "due_on": "2026-05-01", "owner_member": OXFORD})
    assert response.status_code == 303
    milestone = next(m for m in web.client.get(f"/api/network/plans/{plan}").json()["milestones"]
                     if m["milestone_id"] == oxford)
    assert milestone["year"] == 2026 and milestone["owner_person"] is None
