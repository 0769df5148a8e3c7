"""The public dashboard with the network's records: only what members agreed to publish."""

from __future__ import annotations

from web_support import OTHER, OXFORD

from anchornet.network import members, pledges


def test_published_pledges_name_only_members_that_agreed(web):
    ws = web.workspace()
    members.update_profile(ws, OXFORD, sector="local_authority", sponsor_name="Alex Hidden",
                           publish_listing=True)
    members.update_profile(ws, OTHER, sector="nhs", sponsor_name="Bo Private", publish_listing=False)
    pledge = pledges.add_pledge(ws, title="Living Wage", text="Pay the Real Living Wage.", theme="employment",
                                measure="manual",
                                measure_text="Staff paid the Real Living Wage", unit="% of staff",
                                baseline_value="80", baseline_period="2024-Q1", target_value="100",
                                target_date="2027-03-31")
    pledges.sign(ws, pledge, OXFORD, public=True)
    pledges.sign(ws, pledge, OTHER, public=False)
    for member, value in ((OXFORD, "90"), (OTHER, "85")):
        pledges.add_update(ws, pledge, member, as_of="2025-03-31", value=value, evidence="payroll")
    web.login("coordinator")
    response = web.post("/admin/publish", {"published": "true", "title": "Our network",
                                           "sections": ["headline", "pledges", "members", "framework"]})
    assert response.status_code in (200, 303)
    web.client.post("/logout", data={"csrf_token": web.csrf()})
    data = web.client.get("/api/public").json()
    pledge_rows = data["network"]["pledges"][0]
    assert [s["member"] for s in pledge_rows["signatories"]] == [OXFORD]
    assert pledge_rows["unnamed_signatories"] == 1
    assert [m["member"] for m in data["network"]["members"]] == [OXFORD]
    page = web.client.get("/public").text
    assert "Living Wage" in page and "not named here" in page
    for private in ("Alex Hidden", "Bo Private", "payroll"):
        assert private not in page and private not in str(data)
