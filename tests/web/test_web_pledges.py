"""Pledges through the web app: who may see and do what (the server refuses the rest), the
coordinator's pledge, a member lead signing and reporting for its own member only, progress
filled in from the data equal to the analysis's figure, and the audit trail."""

from __future__ import annotations

import pytest
from web_support import OTHER, OXFORD

from anchornet.analysis.metrics import Analysis, Scope
from anchornet.analysis.periods import parse_analysis_period

ROLES = ("coordinator", "member", "viewer")
EVERYONE = set(ROLES)

PAGES = {
    "/network/pledges": EVERYONE,
    "/api/network/pledges": EVERYONE,
}
BY_ID = {"/network/pledges/{pledge_id}", "/api/network/pledges/{pledge_id}"}

VCSE_PLEDGE = {"title": "More with the voluntary sector", "text": "Raise the share of spend with VCSE suppliers",
               "theme": "procurement", "measure": "vcse", "grain": "financial_year", "baseline_period": "FY2013/14",
               "target_value": "5", "target_date": "2016-03-31"}
MANUAL_PLEDGE = {"title": "Local apprentices", "text": "Take on apprentices who live in the city",
                 "theme": "employment", "measure": "manual", "unit": "apprentices", "baseline_value": "4",
                 "baseline_period": "2024-04-01", "target_value": "20", "target_date": "2027-03-31"}


def _add(web, fields) -> int:
    web.login("coordinator")
    response = web.post("/network/pledges", fields)
    assert response.status_code == 303, response.text
    return int(response.headers["location"].split("/")[-1].split("?")[0])


def test_the_pledge_journey_and_who_may_do_what(web):
    pledge = _add(web, VCSE_PLEDGE)
    assert web.audit("pledges.add")[0][0] == "coord@example.org"

    for who in ("member", "viewer"):  # only the coordinator adds or changes pledges
        web.login(who)
        assert web.post("/network/pledges", {**VCSE_PLEDGE, "title": "x"}).status_code == 403
        assert web.post(f"/network/pledges/{pledge}/edit", {**VCSE_PLEDGE, "status": "closed"}).status_code == 403

    web.login("member")  # Oxford's lead
    page = web.client.get(f"/network/pledges/{pledge}")
    assert page.status_code == 200 and "Sign this pledge" in page.text and f"Signing for <strong>{OXFORD}" in page.text
    assert web.post(f"/network/pledges/{pledge}/sign", {"member": OTHER}).status_code == 403
    response = web.post(f"/network/pledges/{pledge}/sign", {"member": OXFORD, "public": "1"})
    assert response.status_code == 303 and response.headers["location"].endswith("done=signed")
    assert web.audit("pledges.sign")[0][0] == "lead@oxford.example.org"
    assert web.post(f"/network/pledges/{pledge}/updates", {"member": OTHER, "period": "2014/15",
                                                           "note": "x"}).status_code == 403
    refused = web.post(f"/network/pledges/{pledge}/updates", {"member": OXFORD, "period": "2014/15", "value": "9",
                                                              "note": "x"})
    assert refused.status_code == 400 and "comes from the spend data" in refused.text
    done = web.post(f"/network/pledges/{pledge}/updates", {"member": OXFORD, "period": "FY2014/15",
                                                           "note": "Grants moved to the voluntary sector"})
    assert done.status_code == 303

    web.login("viewer")
    assert web.post(f"/network/pledges/{pledge}/sign", {"member": OXFORD}).status_code == 403
    data = web.client.get(f"/api/network/pledges/{pledge}").json()
    (oxford,) = data["signatories"]
    assert "signed_by" not in oxford and all("recorded_by" not in p for p in oxford["points"])
    assert "created_by" not in data["pledge"]

    # the figures are the analysis's own, for Oxford and each financial year
    fy = {p["period"]: p for p in oxford["points"]}
    assert set(fy) == {"2013/14", "2014/15", "2015/16"}
    with Analysis(web.workspace(), Scope(members=[OXFORD], period=parse_analysis_period("FY2014/15"))) as a:
        vcse = a.headline()["vcse"]
    assert fy["2014/15"]["numerator"] == vcse["numerator"] and fy["2014/15"]["coverage"] == vcse["coverage"]
    assert fy["2014/15"]["value"] == pytest.approx(vcse["share"] * 100)
    assert fy["2014/15"]["note"] == "Grants moved to the voluntary sector"
    assert oxford["baseline_source"] == "data" and oxford["baseline"] == fy["2013/14"]["value"]

    page = web.client.get(f"/network/pledges/{pledge}").text
    assert 'id="chart-trajectory"' in page and OXFORD in page and "Grants moved to the voluntary sector" in page
    assert "Sign this pledge" not in page and "Report progress" not in page  # a viewer reads only
    listing = web.client.get("/api/network/pledges").json()
    assert listing[0]["signatories"] == 1 and listing[0]["title"] == VCSE_PLEDGE["title"]

    web.login("coordinator")
    coordinator_view = web.client.get(f"/api/network/pledges/{pledge}").json()
    assert coordinator_view["signatories"][0]["signed_by"] == "lead@oxford.example.org"
    response = web.post(f"/network/pledges/{pledge}/edit", {**VCSE_PLEDGE, "status": "closed"})
    assert response.status_code == 303 and web.audit("pledges.edit")
    web.login("other")
    closed = web.post(f"/network/pledges/{pledge}/sign", {"member": OTHER})
    assert closed.status_code == 400 and "closed" in closed.text


def test_manual_progress_with_evidence(web):
    pledge = _add(web, MANUAL_PLEDGE)
    web.login("other")  # Riverside's lead: signs and reports for Riverside only
    assert web.post(f"/network/pledges/{pledge}/sign", {"member": OTHER, "signed_on": "2024-04-01"}).status_code == 303
    bad = web.post(f"/network/pledges/{pledge}/updates", {"member": OTHER, "as_of": "2025-04-01", "value": "9",
                                                          "evidence_url": "javascript:alert(1)"})
    assert bad.status_code == 400 and "http" in bad.text
    ok = web.post(f"/network/pledges/{pledge}/updates", {"member": OTHER, "as_of": "2025-04-01", "value": "12",
                                                         "evidence": "HR records",
                                                         "evidence_url": "https://example.org/hr"})
    assert ok.status_code == 303 and ok.headers["location"].endswith("done=update")
    s = web.client.get(f"/api/network/pledges/{pledge}").json()["signatories"][0]
    assert s["latest"]["value"] == 12 and s["latest"]["evidence"] == "HR records"
    assert s["share_of_way"] == 0.5 and s["status"] == "on track"
    page = web.client.get(f"/network/pledges/{pledge}").text
    assert 'href="https://example.org/hr"' in page and "Record progress" in page
    assert web.audit("pledges.update")[0][0] == "lead@riverside.example.org"


def test_bad_input_and_unknown_pledges(web):
    web.login("coordinator")
    bad = web.post("/network/pledges", {**MANUAL_PLEDGE, "target_date": "31/03/2027"})
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.text
    no_place = web.post("/network/pledges", {**VCSE_PLEDGE, "measure": "local:city"})
    assert no_place.status_code == 400 and "place" in no_place.text
    assert web.client.get("/network/pledges/999").status_code == 404
    assert web.client.get("/api/network/pledges/999").status_code == 404
    assert web.post("/network/pledges/999/sign", {"member": OXFORD}).status_code == 404
    without_token = web.client.post("/network/pledges", data=MANUAL_PLEDGE, follow_redirects=False)
    assert without_token.status_code == 403


def test_a_pledge_page_with_a_signatory_without_figures(web):
    """A member that signed but has reported nothing yet shows as unknown, not an error."""
    from web_support import OXFORD

    from anchornet.network import pledges

    ws = web.workspace()
    pledge = pledges.add_pledge(ws, title="Apprentices", text="Take on apprentices.", theme="employment",
                                measure="manual", measure_text="Apprentices", unit="apprentices",
                                baseline_value="0", target_value="20", target_date="2028-03-31")
    pledges.sign(ws, pledge, OXFORD)
    client = web.login("viewer")
    page = client.get(f"/network/pledges/{pledge}")
    assert page.status_code == 200 and "unknown" in page.text
