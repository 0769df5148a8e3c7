"""The progression framework in the web app: every page for every role, a lead assessing
and re-assessing its own member, the server refusing (403) anyone else's answers by page,
API or form, the coordinator's view, choice and upload, and the anonymous distribution."""

from __future__ import annotations

import re

from web_support import OTHER, OXFORD, text_of

from anchornet.network import framework

ROLES = ("coordinator", "member", "viewer")
EVERYONE, LEADS = set(ROLES), {"coordinator", "member"}

PAGES = {
    "/network/framework": EVERYONE,
    "/network/framework/assess": LEADS,
    "/network/framework/history": LEADS,
    "/network/framework/definition": EVERYONE,
    "/network/framework/definition?framework=public": EVERYONE,
    "/network/framework/definition.yaml": EVERYONE,
    "/api/network/framework": EVERYONE,
    "/api/network/framework/distribution": EVERYONE,
    "/api/network/framework/history": LEADS,
    "/api/network/framework/definition": EVERYONE,
}
BY_ID: set[str] = set()  # no route of this section takes an id in its path

LEVELS_1 = {"level_employment": "1", "level_procurement": "2", "level_environment_assets": "1",
            "level_corporate_community": "2"}


def test_api_routes_are_documented(shared_web):
    schema = shared_web.client.get("/openapi.json").json()
    paths = {p for p in schema["paths"] if p.startswith("/api/network/framework")}
    assert paths == {u for u in PAGES if u.startswith("/api/")}
    for p in paths:
        assert schema["paths"][p]["get"]["summary"] and schema["paths"][p]["get"]["tags"] == ["network: framework"]


def _assess(web, data: dict, member: str = OXFORD):
    return web.post("/network/framework/assess", {"member": member, **data})


def test_a_lead_assesses_sees_the_radar_and_next_actions_then_reassesses(web):
    web.login("member")
    form = web.client.get("/network/framework/assess")
    assert form.status_code == 200
    html = form.text
    assert html.count("<fieldset") == 4 and 'name="level_procurement" value="4"' in html
    assert 'name="csrf_token"' in html and 'name="evidence_employment"' in html
    # the spend evidence beside the criteria that name it: measured, or unknown with the reason
    text = text_of(html)
    assert "Your figure: unknown : the network's place is not defined yet" in text
    assert re.search(r"Your figure: \d+\.\d% of influenceable spend, known for", text)

    response = _assess(web, {**LEVELS_1, "evidence_employment": "We count where staff live.",
                             "assessed_on": "2025-01-15"})
    assert response.status_code == 303 and response.headers["location"] == "/network/framework?done=assess"
    page = web.client.get("/network/framework")
    assert page.status_code == 200
    assert '<svg viewBox="0 0 820 430"' in page.text and 'role="img"' in page.text
    text = text_of(page.text)
    assert "Oxford City Council: profile" in text and "Assessed 1 time, last on 2025-01-15" in text
    business = framework.defaults()["business"]
    for action in business.level("procurement", 2)["next_actions"]:
        assert action in text
    assert "This is the first assessment" in text

    response = _assess(web, {**LEVELS_1, "level_procurement": "3"})  # today
    assert response.status_code == 303
    page = web.client.get("/network/framework")
    text = text_of(page.text)
    assert "Procurement: from level 2 to level 3 up 1 level" in text
    assert 'class="radar-previous"' in page.text  # the previous assessment overlaid
    assert "Radar chart: Oxford City Council's level per dimension, latest and previous assessment" in text
    history = web.client.get("/network/framework/history")
    assert "2025-01-15" in history.text and "We count where staff live." in history.text
    api = web.client.get("/api/network/framework").json()
    assert api["member"] == OXFORD and api["profile"]["dimensions"][1]["change"] == 1
    assert "members" not in api  # the coordinator's list of members is the coordinator's
    assert [r[0] for r in web.audit("framework.assess")] == ["lead@oxford.example.org"] * 2
    # the same answers again on the same day: nothing new
    again = _assess(web, {**LEVELS_1, "level_procurement": "3"})
    assert again.headers["location"] == "/network/framework?done=unchanged"
    assert len(web.audit("framework.assess")) == 2


def test_bad_answers_get_a_clear_400(web):
    web.login("member")
    response = _assess(web, {"level_employment": "7"})
    assert response.status_code == 400 and "must be 1, 2, 3 or 4" in response.text
    response = _assess(web, {})
    assert response.status_code == 400 and "choose a level for at least one dimension" in response.text
    response = _assess(web, {"level_employment": "2", "assessed_on": "15/01/2025"})
    assert response.status_code == 400 and "use YYYY-MM-DD" in response.text
    no_token = web.client.post("/network/framework/assess", data={"member": OXFORD, "level_employment": "2"})
    assert no_token.status_code == 403


def test_a_lead_never_reads_or_writes_another_members_answers(web):
    web.login("member")
    assert _assess(web, LEVELS_1).status_code == 303
    web.client.cookies.clear()
    web.login("other")
    refused = [f"/network/framework?member={OXFORD}", f"/api/network/framework?member={OXFORD}",
               f"/network/framework/history?member={OXFORD}", f"/api/network/framework/history?member={OXFORD}",
               f"/network/framework/assess?member={OXFORD}"]
    for url in refused:
        assert web.client.get(url).status_code == 403, url
    assert _assess(web, LEVELS_1, member=OXFORD).status_code == 403
    assert len(web.audit("framework.assess")) == 1
    # its own page shows its own (empty) profile and only the anonymous distribution
    own = web.client.get("/api/network/framework").json()
    assert own["member"] == OTHER and own["profile"]["assessed"] is False
    page = web.client.get("/network/framework").text
    assert "We count" not in page and OXFORD not in text_of(page).replace(f"lead: {OTHER}", "")
    # the viewer: the distribution only
    web.client.cookies.clear()
    web.login("viewer")
    assert web.client.get(f"/network/framework?member={OXFORD}").status_code == 403
    assert _assess(web, LEVELS_1).status_code == 403
    assert web.client.get("/api/network/framework").json()["profile"] is None


def test_the_distribution_shows_fewer_than_3_until_three_members_have_assessed(web):
    web.login("coordinator")
    third = "Cowley Components Ltd"
    web.workspace().member_id(third, create=True)
    for i, member in enumerate((OXFORD, OTHER)):
        assert _assess(web, {**LEVELS_1, "level_employment": str(i + 1)}, member=member).status_code == 303
    dist = web.client.get("/api/network/framework/distribution").json()["frameworks"]
    business = next(d for d in dist if d["framework"] == "business")
    assert business["suppressed"] and business["members_assessed"] is None
    assert "Fewer than 3 members have assessed against this framework" in text_of(
        web.client.get("/network/framework").text)
    response = _assess(web, {**LEVELS_1, "level_employment": "4"}, member=third)
    assert response.headers["location"] == "/network/framework?done=assess&member=Cowley%20Components%20Ltd"
    business = next(d for d in web.client.get("/api/network/framework/distribution").json()["frameworks"]
                    if d["framework"] == "business")
    assert not business["suppressed"] and business["members_assessed"] == 3
    assert [lv["members"] for lv in business["dimensions"][0]["levels"]] == [1, 1, 0, 1]
    # every account sees it, with no member named
    web.client.cookies.clear()
    web.login("viewer")
    page = web.client.get("/network/framework").text
    text = text_of(page)
    assert "3 members have assessed" in text
    for name in (OXFORD, OTHER, third):
        assert name not in text


def test_the_coordinator_sees_who_assessed_and_their_answers_and_chooses_frameworks(web):
    web.login("member")
    _assess(web, {**LEVELS_1, "evidence_procurement": "Our own local buying policy."})
    web.client.cookies.clear()
    web.login("coordinator")
    page = web.client.get("/network/framework")
    text = text_of(page.text)
    assert "Members: who has assessed, and when" in text and OXFORD in text and OTHER in text
    members = {m["member"]: m for m in web.client.get("/api/network/framework").json()["members"]}
    assert members[OXFORD]["assessments"] == 1 and members[OTHER]["assessments"] == 0
    answers = web.client.get(f"/network/framework/history?member={OXFORD}")
    assert answers.status_code == 200 and "Our own local buying policy." in answers.text
    assert web.client.get("/network/framework?member=Nobody").status_code == 404
    chooser = web.client.get("/network/framework/assess")
    assert chooser.status_code == 200 and "Assess this member" in chooser.text
    # choose the public framework for Riverside: its form then has Service Delivery
    response = web.post("/network/framework/choose", {"member": OTHER, "framework": "public"})
    assert response.status_code == 303
    form = web.client.get(f"/network/framework/assess?member={OTHER}")
    assert "Service Delivery" in form.text and form.text.count("<fieldset") == 5
    assert web.audit("framework.choose")[0][1] == f"member {OTHER}"
    # leads may not choose
    web.client.cookies.clear()
    web.login("member")
    assert web.post("/network/framework/choose", {"member": OXFORD, "framework": "public"}).status_code == 403


def test_the_framework_text_download_and_upload(web, tmp_path):
    web.login("viewer")
    page = web.client.get("/network/framework/definition?framework=public")
    assert page.status_code == 200 and "Service Delivery" in page.text and "Load a framework file" not in page.text
    download = web.client.get("/network/framework/definition.yaml?framework=business")
    assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
    assert download.text == framework.default_text("business")
    assert web.client.get("/network/framework/definition?framework=nope").status_code == 400
    web.client.cookies.clear()
    web.login("coordinator")
    assert "Load a framework file" in web.client.get("/network/framework/definition").text
    edited = download.text.replace("version: 1", "version: 2").replace("Starting out", "First steps", 1)
    response = web.post("/network/framework/load", files={"file": ("business-v2.yaml", edited.encode(),
                                                                    "application/yaml")})
    assert response.status_code == 303 and "done=load" in response.headers["location"]
    api = web.client.get("/api/network/framework/definition?framework=business").json()
    assert api["framework"]["version"] == 2
    broken = download.text.replace("      - level: 4", "      - level: 9", 1)
    response = web.post("/network/framework/load", files={"file": ("broken.yaml", broken.encode(), "text/plain")})
    assert response.status_code == 400
    assert "dimensions[0].levels[3].level: is 9; it must be at most 4" in text_of(response.text)
    web.client.cookies.clear()
    web.login("member")
    response = web.post("/network/framework/load", files={"file": ("b.yaml", edited.encode(), "text/plain")})
    assert response.status_code == 403
