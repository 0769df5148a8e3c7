"""Social value in the web app: a lead recording a contract, its commitments and deliveries;
another member's lead and viewers refused; published contracts shown without evidence; the
coordinator loading a measure table and £ values appearing; every route for every role."""

from __future__ import annotations

from pathlib import Path

import pytest
from web_support import OTHER, OXFORD, text_of

from anchornet.network import social_value as sv

ROLES = ("coordinator", "member", "viewer")
EVERYONE = set(ROLES)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "social_value"

PAGES = {
    "/network/social-value": EVERYONE,
    "/network/social-value/measures": EVERYONE,
    "/api/network/social-value": EVERYONE,
    "/api/network/social-value/measures": EVERYONE,
}
BY_ID = {"/network/social-value/contracts/{contract_id}", "/api/network/social-value/contracts/{contract_id}"}


@pytest.fixture(scope="module")
def shared_contracts(shared_web):
    """An unpublished contract of Oxford and a published one of the other member, on the shared copy."""
    ws = shared_web.workspace()
    private = sv.add_contract(ws, OXFORD, "Private grounds contract", "Hidden Supplier Ltd")
    sv.commit(ws, private, "local-jobs", 3)
    sv.record_delivery(ws, private, "local-jobs", 1, "2025-01-31", evidence="Secret evidence note")
    public = sv.add_contract(ws, OTHER, "Published estates contract", "Open Builders Ltd", publish=True)
    sv.commit(ws, public, "carbon-saved", 10)
    sv.record_delivery(ws, public, "carbon-saved", 10, "2025-01-31", evidence="Meter readings by Pat Smith")
    return private, public


def test_contract_pages_by_id_for_each_role(clients, shared_contracts):
    private, public = shared_contracts
    expected = {
        private: {"coordinator": 200, "member": 200, "other": 403, "viewer": 403},
        public: {"coordinator": 200, "member": 200, "other": 200, "viewer": 200},
    }
    for contract_id, by_role in expected.items():
        for route in BY_ID:
            url = route.format(contract_id=contract_id)
            for role, status in by_role.items():
                assert clients[role].get(url).status_code == status, (role, url)
            assert clients["anonymous"].get(url, follow_redirects=False).status_code in (401, 303)
    assert clients["coordinator"].get("/network/social-value/contracts/999999").status_code == 404
    assert clients["coordinator"].get("/api/network/social-value/contracts/999999").status_code == 404


def test_shared_views_name_only_published_contracts(clients, shared_contracts):
    private, public = shared_contracts
    for role in ("viewer", "other"):
        page = text_of(clients[role].get("/network/social-value").text)
        api = clients[role].get("/api/network/social-value").json()
        for text in (page, str(api)):
            assert "Private grounds contract" not in text and "Hidden Supplier Ltd" not in text, role
            assert "Secret evidence note" not in text
        assert "Published estates contract" in page and "Local jobs created" in page  # network totals
        jobs = next(m for m in api["network"]["by_measure"] if m["code"] == "local-jobs")
        assert jobs["committed"] == 3 and jobs["delivered"] == 1
    other_view = clients["viewer"].get(f"/api/network/social-value/contracts/{public}").json()
    assert other_view["full"] is False and other_view["can_edit"] is False
    assert "evidence" not in other_view["deliveries"][0] and "created_by" not in other_view["contract"]
    page = clients["viewer"].get(f"/network/social-value/contracts/{public}").text
    assert "Pat Smith" not in page and "Report a delivery" not in page
    own = clients["member"].get("/network/social-value").text
    assert "Private grounds contract" in own and "Add a contract" in own
    assert "Add a contract" not in clients["viewer"].get("/network/social-value").text
    assert "Secret evidence note" in clients["member"].get(f"/network/social-value/contracts/{private}").text


def test_a_lead_records_a_contract_and_another_lead_is_refused(web):
    web.login("member")
    response = web.post("/network/social-value/contracts", {
        "member": OTHER,  # ignored for a lead: always its own member
        "title": "Grounds maintenance", "reference": "OCC-GM-1", "supplier": "Green Spaces Ltd",
        "value": "250,000", "start_date": "2024-04-01", "end_date": "2027-03-31"})
    assert response.status_code == 303, response.text
    url = response.headers["location"].split("?")[0]
    contract_id = int(url.rsplit("/", 1)[1])
    assert web.post(f"{url}/commitments", {"measure_code": "local-jobs", "quantity": "4"}).status_code == 303
    assert web.post(f"{url}/commitments", {"measure_code": "apprentice-weeks", "quantity": "104",
                                           "by_date": "2026-03-31"}).status_code == 303
    assert web.post(f"{url}/deliveries", {"measure_code": "local-jobs", "quantity": "2", "as_of": "2025-03-31",
                                          "period": "2024/25", "evidence": "payroll extract"}).status_code == 303
    detail = web.client.get(f"/api{url}").json()
    assert detail["contract"]["member"] == OXFORD and detail["contract"]["publish"] is False
    ratings = {k["measure_code"]: k["rating"] for k in detail["commitments"]}
    assert ratings == {"local-jobs": "on track", "apprentice-weeks": "not started"}
    assert detail["rating"] == "partly" and detail["share"] == pytest.approx(0.25)
    page = text_of(web.client.get(url).text)
    assert "on track" in page and "not started" in page and "payroll extract" in page
    assert "no proxy values loaded" in page
    actions = [a[0] for a in web.app.state.base.con.execute(
        "SELECT action FROM audit_log WHERE action LIKE 'social_value.%' ORDER BY audit_id").fetchall()]
    assert actions == ["social_value.contract.add", "social_value.commit", "social_value.commit",
                       "social_value.deliver"]

    bad = web.post(f"{url}/deliveries", {"measure_code": "local-jobs", "quantity": "lots", "as_of": "2025-03-31"})
    assert bad.status_code == 400 and "not a number" in bad.text
    kept = web.post(f"{url}/commitments/remove", {"measure_code": "local-jobs"})
    assert kept.status_code == 400 and "remove them first" in kept.text
    assert web.post(f"{url}/commitments/remove", {"measure_code": "apprentice-weeks"}).status_code == 303
    assert [k["measure_code"] for k in web.client.get(f"/api{url}").json()["commitments"]] == ["local-jobs"]

    web.login("other")
    assert web.client.get(url).status_code == 403
    assert web.client.get(f"/api{url}").status_code == 403
    for path, data in ((f"{url}/commitments", {"measure_code": "local-jobs", "quantity": "9"}),
                       (f"{url}/deliveries", {"measure_code": "local-jobs", "quantity": "9", "as_of": "2025-01-01"}),
                       (f"{url}/edit", {"title": "Hijacked", "supplier": "X", "publish": "true"})):
        assert web.post(path, data).status_code == 403, path
    assert web.post("/network/social-value/contracts", {"member": OXFORD, "title": "x", "supplier": "y"}
                    ).status_code == 303  # a lead adds to its own member only: this one is the other's
    assert sv.contract(web.workspace(), contract_id)["title"] == "Grounds maintenance"

    web.login("viewer")
    assert web.post("/network/social-value/contracts", {"title": "x", "supplier": "y"}).status_code == 403
    assert web.client.get(url).status_code == 403

    web.login("member")  # publish it: now everyone signed in sees it, without the evidence
    assert web.post(f"{url}/edit", {"title": "Grounds maintenance", "supplier": "Green Spaces Ltd",
                                    "reference": "OCC-GM-1", "publish": "true"}).status_code == 303
    web.login("other")
    page = web.client.get(url)
    assert page.status_code == 200 and "payroll extract" not in page.text
    deliveries = web.client.get(f"/api{url}").json()["deliveries"]
    delivery_id = deliveries[0]["delivery_id"]
    assert web.post(f"{url}/deliveries/{delivery_id}/remove").status_code == 403
    web.login("coordinator")
    assert web.post(f"{url}/deliveries/{delivery_id}/remove").status_code == 303
    assert web.client.get(f"/api{url}").json()["deliveries"] == []


def test_the_coordinator_loads_measure_tables_and_pound_values_appear(web):
    ws = web.workspace()
    contract_id = sv.add_contract(ws, OXFORD, "Catering", "Good Food Ltd")
    sv.commit(ws, contract_id, "local-jobs", 2)
    sv.record_delivery(ws, contract_id, "local-jobs", 1, "2025-01-31")
    csv = (FIXTURES / "network-measures-2026.csv").read_bytes()

    web.login("member")
    refused = web.post("/network/social-value/measures", {"name": "x", "version": "1"},
                       files={"file": ("m.csv", csv, "text/csv")})
    assert refused.status_code == 403

    web.login("coordinator")
    broken = web.post("/network/social-value/measures", {"name": "broken", "version": "1"},
                      files={"file": ("broken.csv", (FIXTURES / "broken-measures.csv").read_bytes(), "text/csv")})
    assert broken.status_code == 400 and "already used by line 2" in text_of(broken.text)
    loaded = web.post("/network/social-value/measures", {"name": "oxon-measures", "version": "2026.1"},
                      files={"file": ("network-measures-2026.csv", csv, "text/csv")})
    assert loaded.status_code == 303 and "done=loaded" in loaded.headers["location"]
    listing = web.client.get("/api/network/social-value/measures").json()
    assert listing["current"]["name"] == "anchornet-default"  # not in use until chosen
    chosen = next(s for s in listing["sets"] if s["name"] == "oxon-measures")
    assert chosen["proxy_values"] == 9 and chosen["loaded_by"] == "coord@example.org"
    assert web.post("/network/social-value/measures/use", {"set_id": str(chosen["set_id"])}).status_code == 303
    page = text_of(web.client.get(f"/network/social-value/contracts/{contract_id}").text)
    assert "£40,000.00" in page and "£20,000.00" in page and "oxon-measures 2026.1" in page
    assert [a[0] for a in web.audit("social_value.measures.load")] == ["coord@example.org"]
    assert web.audit("social_value.measures.use")

    web.login("viewer")
    seen = web.client.get("/api/network/social-value/measures").json()
    assert "loaded_by" not in seen["sets"][0] and seen["can_manage"] is False
    assert web.post("/network/social-value/measures/use", {"set_id": "1"}).status_code == 403
    network = web.client.get("/api/network/social-value").json()["network"]
    assert network["totals"]["value_delivered"] == 20000
