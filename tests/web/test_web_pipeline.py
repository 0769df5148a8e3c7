"""The engagement pipeline through the web app: the coordinator's board, a prospect's moves
to joined (the member made), suggestions from the register; everyone else refused."""

from __future__ import annotations

import re
from pathlib import Path

from web_support import text_of

from anchornet.place.geography import parse_tier, set_place
from anchornet.registers.companies_house import load_companies_house

ROLES = ("coordinator", "member", "viewer")
COORDINATOR = {"coordinator"}
REGISTERS = Path(__file__).resolve().parent.parent / "fixtures" / "registers"

PAGES = {
    "/network/pipeline": COORDINATOR,
    "/network/pipeline/suggestions": COORDINATOR,
    "/api/network/pipeline": COORDINATOR,
    "/api/network/pipeline/suggestions": COORDINATOR,
}
BY_ID = {"/network/pipeline/{prospect_id}", "/api/network/pipeline/{prospect_id}"}


def _add(web, **fields) -> int:
    data = {"name": "Cowley Motor Works Ltd", "sector": "business", "employees": "4200", "size_band": "large",
            "postcode": "ox4 6nl", "fit": ["place", "size"], "fit_note": "largest private employer in the city",
            "contact_name": "Pat Example", "contact_role": "Chief Operating Officer",
            "contact_email": "pat@cowley.example.com", "owner": "coord@example.org",
            "next_step": "Invite to the roundtable", "next_step_on": "2020-01-15", **fields}
    response = web.post("/network/pipeline", data)
    assert response.status_code == 303, response.text
    return int(re.search(r"/network/pipeline/(\d+)", response.headers["location"]).group(1))


def test_coordinator_moves_a_prospect_to_joined_and_the_member_is_made(web):
    web.login("coordinator")
    prospect = _add(web)
    page = text_of(web.client.get("/network/pipeline").text)
    assert "Cowley Motor Works Ltd" in page and "overdue" in page
    for stage in ("approached", "senior-meeting"):
        response = web.post(f"/network/pipeline/{prospect}/move", {"stage": stage, "note": f"to {stage}",
                                                                     "return_to": "/network/pipeline"})
        assert response.status_code == 303 and response.headers["location"] == "/network/pipeline?done=moved"
    # joining asks first: nothing moves until the join form is sent
    response = web.post(f"/network/pipeline/{prospect}/move", {"stage": "joined"})
    assert response.headers["location"] == f"/network/pipeline/{prospect}?join=1#join"
    assert web.client.get(f"/api/network/pipeline/{prospect}").json()["stage"] == "senior-meeting"
    assert "Join the network" in web.client.get(f"/network/pipeline/{prospect}?join=1").text
    response = web.post(f"/network/pipeline/{prospect}/join", {"create_member": "1", "network_role": "core",
                                                                 "on": "2025-03-31", "note": "signed up"})
    assert response.status_code == 303
    data = web.client.get(f"/api/network/pipeline/{prospect}").json()
    assert data["stage"] == "joined" and data["member"] == "Cowley Motor Works Ltd"
    assert [(h["from_stage"], h["to_stage"]) for h in data["history"]] == [
        (None, "identified"), ("identified", "approached"), ("approached", "senior-meeting"),
        ("senior-meeting", "joined")]
    con = web.workspace().con
    profile = con.execute("SELECT p.sector, p.employees, p.network_role, p.joined_on FROM member_profiles p "
                          "JOIN members m USING (member_id) WHERE m.name = ?", ["Cowley Motor Works Ltd"]).fetchall()
    assert profile and profile[0][:3] == ("business", 4200, "core") and str(profile[0][3]) == "2025-03-31"
    assert [a[1] for a in web.audit("pipeline.move")] == [f"prospect {prospect}"] * 2
    assert len(web.audit("pipeline.join")) == 1 and len(web.audit("pipeline.add")) == 1
    counts = web.client.get("/api/network/pipeline").json()["counts"]
    assert counts["joined"] == 1 and counts["identified"] == 0


def test_bad_input_is_a_clear_400_and_duplicates_are_refused(web):
    web.login("coordinator")
    response = web.post("/network/pipeline", {"name": "Bad Postcode Ltd", "postcode": "nowhere"})
    assert response.status_code == 400 and "is not a postcode" in response.text
    response = web.post("/network/pipeline", {"name": "Bad Date Ltd", "next_step_on": "15/01/2020"})
    assert response.status_code == 400 and "YYYY-MM-DD" in response.text
    _add(web)
    response = web.post("/network/pipeline", {"name": "cowley motor works ltd"})
    assert response.status_code == 400 and "already in the pipeline" in response.text
    assert web.client.get("/network/pipeline/999").status_code == 404


def test_edit_and_decline_then_reopen(web):
    web.login("coordinator")
    prospect = _add(web)
    response = web.post(f"/network/pipeline/{prospect}/edit", {"name": "Cowley Motor Works Ltd", "fit": ["sector"],
                                                                 "next_step": "Call again", "owner": "Sam"})
    assert response.status_code == 303
    data = web.client.get(f"/api/network/pipeline/{prospect}").json()
    assert data["fits"] == ["Sector"] and data["owner"] == "Sam" and data["contact_name"] is None
    web.post(f"/network/pipeline/{prospect}/move", {"stage": "declined", "note": "not now"})
    page = web.client.get("/network/pipeline").text
    declined = page.split('id="declined-title"')[1].split("</section>")[0]
    assert "Cowley Motor Works Ltd" in declined
    web.post(f"/network/pipeline/{prospect}/move", {"stage": "approached"})
    assert web.client.get(f"/api/network/pipeline/{prospect}").json()["stage"] == "approached"


def test_suggestions_from_the_register(web):
    web.login("coordinator")
    page = text_of(web.client.get("/network/pipeline/suggestions").text)
    assert "no place is defined" in page and "Companies House register is not loaded" in page
    ws = web.workspace()
    with web.app.state.write_lock:
        load_companies_house(ws, REGISTERS / "BasicCompanyDataAsOneFile-2024-05-01.csv")
        set_place(ws, "Oxford", [parse_tier("city=OX1,OX2,OX3,OX4"), parse_tier("county=OX")])
    data = web.client.get("/api/network/pipeline/suggestions").json()
    assert data["tier"] == "county"
    assert [c["name"] for c in data["companies"]] == ["OXFORD BUS COMPANY LIMITED",
                                                      "OXFORDSHIRE COMMUNITY FOUNDATION"]
    wider = web.client.get("/api/network/pipeline/suggestions?sizes=large&sizes=small&tier=city").json()
    assert "CHERWELL DIGITAL LTD" in [c["name"] for c in wider["companies"]]
    assert "THAMES VALLEY SCAFFOLDING LIMITED" not in [c["name"] for c in wider["companies"]]  # OX14: not city
    response = web.post("/network/pipeline/suggestions/add", {"company_number": "2557144"})
    assert response.status_code == 303
    prospect = int(re.search(r"/network/pipeline/(\d+)", response.headers["location"]).group(1))
    data = web.client.get(f"/api/network/pipeline/{prospect}").json()
    assert data["source"] == "companies-house" and data["postcode"] == "OX4 2DJ" and data["size_band"] == "large"
    names = [c["name"] for c in web.client.get("/api/network/pipeline/suggestions").json()["companies"]]
    assert names == ["OXFORDSHIRE COMMUNITY FOUNDATION"]
    assert web.client.get("/api/network/pipeline/suggestions?tier=nowhere").status_code == 400


def test_others_may_not_change_the_pipeline(web):
    web.login("coordinator")
    prospect = _add(web)
    web.client.post("/logout", data={"csrf_token": web.csrf()})
    for who in ("member", "viewer"):
        web.login(who)
        for url, data in ((f"/network/pipeline/{prospect}/move", {"stage": "approached"}),
                          ("/network/pipeline", {"name": "Sneaky Ltd"}),
                          (f"/network/pipeline/{prospect}/join", {"create_member": "1"}),
                          ("/network/pipeline/suggestions/add", {"company_number": "02557144"})):
            assert web.post(url, data).status_code == 403, (who, url)
        for url in (f"/network/pipeline/{prospect}", f"/api/network/pipeline/{prospect}"):
            assert web.client.get(url).status_code == 403
        web.client.post("/logout", data={"csrf_token": web.csrf()})
    web.login("coordinator")
    assert web.client.get(f"/network/pipeline/{prospect}").status_code == 200
    assert web.client.get(f"/api/network/pipeline/{prospect}").json()["stage"] == "identified"
