"""Working groups in the web app: the coordinator creates a group and sets roles; the chairs'
leads run meetings and actions; an action's owner updates its status; owners' names only for
those who run the group; every route for every role."""

from __future__ import annotations

from web_support import OTHER, OXFORD, text_of

from anchornet.network import groups

ROLES = ("coordinator", "member", "viewer")
EVERYONE = set(ROLES)

PAGES = {
    "/network/groups": EVERYONE,
    "/api/network/groups": EVERYONE,
}
BY_ID = {"/network/groups/{group_id}", "/api/network/groups/{group_id}"}


def _group_id(response) -> int:
    assert response.status_code == 303, response.text[:300]
    return int(response.headers["location"].split("/")[-1].split("?")[0])


def _setup(web) -> int:
    """A procurement group: Oxford co-chairs it, Riverside is a plain member."""
    web.login("coordinator")
    group_id = _group_id(web.post("/network/groups", {"name": "Procurement", "theme": "procurement",
                                                      "purpose": "Spend more locally"}))
    assert web.post(f"/network/groups/{group_id}/roles", {"member": OXFORD, "role": "co-chair"}).status_code == 303
    assert web.post(f"/network/groups/{group_id}/roles", {"member": OTHER, "role": "member"}).status_code == 303
    return group_id


def test_group_pages_by_id_for_each_role(web):
    group_id = _setup(web)
    for who in ("coordinator", "member", "other", "viewer"):
        web.login(who)
        assert web.client.get(f"/network/groups/{group_id}").status_code == 200
        assert web.client.get(f"/api/network/groups/{group_id}").status_code == 200
    assert web.client.get("/network/groups/999999").status_code == 404
    assert web.client.get("/api/network/groups/999999").status_code == 404


def test_only_the_coordinator_creates_groups_and_sets_roles(web):
    group_id = _setup(web)
    assert web.audit("groups.add") and len(web.audit("groups.role")) == 2
    dup = web.post("/network/groups", {"name": "procurement", "theme": "procurement"})
    assert dup.status_code == 400 and "already a working group" in text_of(dup.text)
    bad = web.post("/network/groups", {"name": "X", "theme": "astrology"})
    assert bad.status_code == 400 and "unknown theme" in text_of(bad.text)
    for who in ("member", "other", "viewer"):
        web.login(who)
        assert web.post("/network/groups", {"name": "Mine", "theme": "other"}).status_code == 403
        assert web.post(f"/network/groups/{group_id}/roles", {"member": OTHER, "role": "chair"}).status_code == 403
        assert web.post(f"/network/groups/{group_id}", {"name": "Renamed", "theme": "other"}).status_code == 403
        page = web.client.get(f"/network/groups/{group_id}").text
        assert "Set a member&#39;s role" not in page and "Edit the group" not in page


def test_chairs_leads_run_meetings_and_actions(web):
    group_id = _setup(web)
    web.login("member")  # Oxford co-chairs
    page = web.client.get(f"/network/groups/{group_id}").text
    assert "Add a meeting" in page and "Add an action" in page
    meeting = web.post(f"/network/groups/{group_id}/meetings", {
        "held_on": "2025-03-04", "title": "First meeting", "notes": "Agreed terms.\nNext: data.",
        "attendees": [OXFORD, OTHER]})
    assert meeting.status_code == 303
    meeting_id = web.workspace().con.execute("SELECT max(meeting_id) FROM group_meetings").fetchall()[0][0]
    action = web.post(f"/network/groups/{group_id}/actions", {
        "text": "Share the top 300 suppliers", "owner": OTHER, "owner_person": "Priya Natarajan",
        "due_on": "2025-01-01", "meeting_id": str(meeting_id)})
    assert action.status_code == 303
    data = web.client.get(f"/api/network/groups/{group_id}").json()
    assert data["group"]["actions"][0]["owner_person"] == "Priya Natarajan"
    assert data["group"]["actions"][0]["overdue"] is True and data["group"]["overdue_actions"] == 1
    assert data["group"]["meetings"][0]["attendees"] == sorted([OXFORD, OTHER])
    assert "Priya Natarajan" in web.client.get(f"/network/groups/{group_id}").text
    listing = web.client.get("/api/network/groups").json()["groups"][0]
    assert listing["co_chairs"] == [OXFORD] and listing["open_actions"] == 1 and listing["overdue_actions"] == 1
    bad = web.post(f"/network/groups/{group_id}/meetings", {"held_on": "04/03/2025", "title": "x"})
    assert bad.status_code == 400 and "YYYY-MM-DD" in text_of(bad.text)

    # Riverside is a plain member: no meetings or new actions, owner names hidden,
    # but it owns the action, so it may update that action's status
    web.login("other")
    page = web.client.get(f"/network/groups/{group_id}").text
    assert "Add a meeting" not in page and "Add an action" not in page and "Priya Natarajan" not in page
    assert "Agreed terms." in page
    assert web.post(f"/network/groups/{group_id}/meetings", {"held_on": "2025-04-01", "title": "x"}).status_code == 403
    assert web.post(f"/network/groups/{group_id}/actions", {"text": "x", "owner": OTHER}).status_code == 403
    action_id = web.client.get(f"/api/network/groups/{group_id}").json()["group"]["actions"][0]["action_id"]
    assert web.client.get(f"/api/network/groups/{group_id}").json()["group"]["actions"][0]["owner_person"] is None
    done = web.post(f"/network/groups/{group_id}/actions/{action_id}", {"status": "done"})
    assert done.status_code == 303
    assert web.audit("groups.action_status")

    web.login("viewer")
    page = web.client.get(f"/network/groups/{group_id}").text
    assert "Share the top 300 suppliers" in page and "Priya Natarajan" not in page
    assert "<form method=\"post\" action=\"/network/groups/" not in page
    assert web.post(f"/network/groups/{group_id}/actions/{action_id}", {"status": "open"}).status_code == 403
    action = groups.get_action(web.workspace(), action_id)
    assert action["status"] == "done" and action["done_on"] is not None


def test_an_action_of_another_group_is_not_found(web):
    group_id = _setup(web)
    other = _group_id(web.post("/network/groups", {"name": "Employment", "theme": "employment"}))
    web.post(f"/network/groups/{group_id}/actions", {"text": "Do it", "owner": OXFORD})
    action_id = web.workspace().con.execute("SELECT max(action_id) FROM group_actions").fetchall()[0][0]
    assert web.post(f"/network/groups/{other}/actions/{action_id}", {"status": "done"}).status_code == 404
