"""Members in the web app: who sees which fields, the coordinator adding members, a lead
editing its own profile (not another's), linking to a supplier entity and the income from
the other members, and every route for every role."""

from __future__ import annotations

from web_support import OTHER, OXFORD, text_of

ROLES = ("coordinator", "member", "viewer")
EVERYONE = set(ROLES)

PAGES = {
    "/network/members": EVERYONE,
    "/api/network/members": EVERYONE,
}
BY_ID = {"/network/members/{member_id}", "/api/network/members/{member_id}"}


def _id(web, name: str) -> int:
    return web.workspace().con.execute("SELECT member_id FROM members WHERE name = ?", [name]).fetchall()[0][0]


def test_member_pages_by_id_for_each_role(clients, shared_web):
    oxford = _id(shared_web, OXFORD)
    for role in ("coordinator", "member", "viewer", "other"):
        for url in (f"/network/members/{oxford}", f"/api/network/members/{oxford}"):
            assert clients[role].get(url).status_code == 200, (role, url)
    assert clients["viewer"].get("/network/members/999999").status_code == 404
    assert clients["anonymous"].get(f"/api/network/members/{oxford}").status_code == 401


def test_private_fields_only_for_coordinator_and_own_lead(web):
    web.login("coordinator")
    oxford = _id(web, OXFORD)
    response = web.post(f"/network/members/{oxford}", {
        "sector": "local_authority", "network_role": "founding", "sponsor_name": "Alexandra Quill",
        "sponsor_title": "Chief Executive", "sponsor_email": "a.quill@oxford.example.org",
        "hq_postcode": "ox1 1bx", "staff_local_percent": "62.5", "notes": "Keen on co-design",
        "employees": "1,500", "joined_on": "2024-05-01"})
    assert response.status_code == 303 and response.headers["location"].endswith("done=saved")
    assert web.audit("members.update")
    data = web.client.get(f"/api/network/members/{oxford}").json()
    assert data["member"]["hq_postcode"] == "OX1 1BX" and data["member"]["staff_local_share"] == 0.625
    assert data["member"]["sponsor_name"] == "Alexandra Quill" and data["member"]["payments"] > 0
    assert "Create the lead account" in web.client.get(f"/network/members/{oxford}").text

    for who, sees in (("member", True), ("other", False), ("viewer", False)):
        web.login(who)
        page = web.client.get(f"/network/members/{oxford}").text
        api = web.client.get(f"/api/network/members/{oxford}").json()
        listing = web.client.get("/api/network/members").json()["members"]
        row = next(m for m in listing if m["name"] == OXFORD)
        assert ("Alexandra Quill" in page) is sees, who
        assert ("a.quill@oxford.example.org" in page) is sees, who
        assert ("Keen on co-design" in page) is sees, who
        assert ("sponsor_name" in api["member"]) is sees and ("total_paid" in row) is sees, who
        assert "Chief Executive" in page and "OX1 1BX" in page  # shared fields
        assert ("Edit the profile" in page) is sees, who
        assert "Create the lead account" not in page
        assert (api["income"] is not None) is sees


def test_coordinator_adds_a_member_others_cannot(web):
    web.login("coordinator")
    response = web.post("/network/members", {"name": "Northgate Energy Ltd", "sector": "business",
                                             "network_role": "core", "employees": "850"})
    assert response.status_code == 303
    member_id = int(response.headers["location"].split("/")[-1].split("?")[0])
    page = web.client.get(f"/network/members/{member_id}").text
    assert "Northgate Energy Ltd" in page and "Private business" in page and "Core member" in page
    assert web.audit("members.add")[0][1] == "Northgate Energy Ltd"
    again = web.post("/network/members", {"name": "northgate energy ltd"})
    assert again.status_code == 400 and "already a member" in again.text
    bad = web.post("/network/members", {"name": "X Ltd", "sector": "spaceships"})
    assert bad.status_code == 400 and "unknown sector" in bad.text
    for who in ("member", "viewer"):
        web.login(who)
        assert web.post("/network/members", {"name": "Sneaky Ltd"}).status_code == 403
        assert "Add a member" not in web.client.get("/network/members").text


def test_a_lead_edits_its_own_profile_only(web):
    oxford, other = _id(web, OXFORD), _id(web, OTHER)
    web.login("member")
    ok = web.post(f"/network/members/{oxford}", {"sector": "local_authority", "publish_listing": "on",
                                                 "website": "www.oxford.example.org"})
    assert ok.status_code == 303
    assert web.post(f"/network/members/{other}", {"sector": "nhs"}).status_code == 403
    bad = web.post(f"/network/members/{oxford}", {"hq_postcode": "not a postcode"})
    assert bad.status_code == 400 and "not a UK postcode" in text_of(bad.text)
    web.login("viewer")
    assert web.post(f"/network/members/{oxford}", {"sector": "nhs"}).status_code == 403
    row = web.workspace().con.execute(
        "SELECT sector, publish_listing, website FROM member_profiles WHERE member_id = ?", [oxford]).fetchall()
    assert row == [("local_authority", True, "https://www.oxford.example.org")]


def test_linking_a_member_shows_its_income_from_other_members(web):
    con = web.workspace().con
    # a supplier both members paid: linking a new member to it shows what each paid
    entity, name = con.execute(
        """SELECT q.entity_id, any_value(e.display_name) FROM payees q JOIN supplier_entities e USING (entity_id)
           WHERE NOT e.personal GROUP BY q.entity_id HAVING count(DISTINCT q.member_id) = 2
           ORDER BY q.entity_id LIMIT 1""").fetchall()[0]
    web.login("coordinator")
    response = web.post("/network/members", {"name": name.title() + " (member)", "sector": "business"})
    member_id = int(response.headers["location"].split("/")[-1].split("?")[0])
    assert web.post(f"/network/members/{member_id}/link", {"supplier_id": str(entity)}).status_code == 303
    data = web.client.get(f"/api/network/members/{member_id}").json()
    income = data["income"]
    assert income["supplier_entity_id"] == entity and income["payments"] > 0
    assert {r["member"] for r in income["by_member"]} == {OXFORD, OTHER}
    assert round(sum(r["total"] for r in income["by_member"]), 2) == round(income["total"], 2)
    assert "Income from other members" in web.client.get(f"/network/members/{member_id}").text
    assert web.audit("members.link")
    bad = web.post(f"/network/members/{member_id}/link", {"supplier_id": "99999999"})
    assert bad.status_code == 400
    assert web.post(f"/network/members/{member_id}/link", {"supplier_id": ""}).status_code == 303
    assert web.client.get(f"/api/network/members/{member_id}").json()["member"]["supplier_entity_id"] is None
