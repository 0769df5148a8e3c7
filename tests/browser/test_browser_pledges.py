"""A pledge in a real browser: the coordinator adds a local-spend pledge measured from the
data, Oxford's lead signs it, the pledge page shows Oxford's progress filled in from the
payments and draws the chart, the lead adds a note to a period, and the server refuses the
lead's post for another member."""

from __future__ import annotations

import re

import pytest
from browser_support import OTHER, OXFORD, SKIP_REASON, login, logout

from anchornet.place.geography import parse_tier, set_place
from anchornet.suppliers import overrides
from anchornet.suppliers.resolve import resolve

if SKIP_REASON:
    pytest.skip(SKIP_REASON, allow_module_level=True)

CHART = "[data-chart] svg"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# Oxford's largest suppliers get postcodes (as a coordinator would set them): four in the city.
POSTCODES = ["OX1 1BX", "OX4 2JY", "CF10 1EP", "OX2 6AA", "EH2 2AN", "OX3 9DU"]


def _locate_suppliers(served) -> None:
    """The place (postcode districts: no lookup needed) and postcodes for the largest suppliers,
    in the served workspace before anyone signs in."""
    ws = served.app.state.base
    with served.app.state.write_lock:
        ids = ws.con.execute(
            """SELECT q.entity_id FROM payments p JOIN members m USING (member_id)
               JOIN payees q ON q.member_id = p.member_id AND q.supplier_name = p.supplier_name
               JOIN supplier_entities e ON e.entity_id = q.entity_id
               WHERE m.name = ? AND NOT e.personal GROUP BY 1 ORDER BY sum(p.amount) DESC LIMIT 6""",
            [OXFORD]).fetchall()
        for (entity_id,), postcode in zip(ids, POSTCODES, strict=True):
            overrides.set_value(ws, entity_id, "postcode", postcode)
        resolve(ws)
        set_place(ws, "Oxford", [parse_tier("city=OX1,OX2,OX3,OX4"), parse_tier("county=OX")])
    served.app.state.results.bump()


def _text(page, selector: str) -> str:
    return re.sub(r"\s+", " ", page.locator(selector).inner_text())


def test_local_spend_pledge_fills_in_from_the_data(server, browser_page):
    _locate_suppliers(server)
    page = browser_page.page

    login(page, server, "coordinator")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Network").click()
    page.get_by_role("main").get_by_role("link", name="Pledges", exact=True).click()
    page.wait_for_url(server.url("/network/pledges"))
    page.get_by_label("Title").fill("Local spend")
    page.get_by_label("Theme").fill("procurement")
    page.get_by_label("What members pledge").fill("Spend more of what we can influence with suppliers in the city")
    page.locator("#pl-measure").select_option("local:city")
    page.locator("#pl-grain").select_option("quarter")
    page.get_by_label("Baseline period or date (optional)").fill("2014-Q1")
    page.get_by_label("Target", exact=True).fill("40")
    page.get_by_label("Target date").fill("2017-03-31")
    page.get_by_role("button", name="Add the pledge").click()
    page.wait_for_url(re.compile(r"/network/pledges/\d+\?done=added"))
    pledge_url = page.url.split("?")[0]
    assert page.get_by_role("heading", name="Local spend", level=1).is_visible()
    assert "from the spend data, per quarter" in _text(page, "dl.facts")
    logout(page, server)

    login(page, server, "member")  # Oxford City Council's lead
    page.goto(pledge_url)
    assert f"Signing for {OXFORD}" in _text(page, "main")
    page.get_by_label("We agree to publish our progress").check()
    page.get_by_role("button", name="Sign the pledge").click()
    page.wait_for_url(re.compile(r"done=signed"))

    row = _text(page, "#signatories tbody tr")
    assert row.startswith(OXFORD) and "(from the data)" in row, row
    latest = re.search(r"(\d+(?:\.\d+)?)% (\d{4}-Q[1-4]) (\d+\.\d)%", row)
    assert latest, row  # the latest share, its quarter and its coverage, all known
    assert float(latest.group(1)) > 0 and float(latest.group(3)) > 0
    points = _text(page, "#points tbody")
    assert "2014-Q2" in points and "£" in points
    page.wait_for_selector(CHART, state="attached")
    drawn = page.locator(CHART).first
    assert drawn.bounding_box()["width"] > 100
    assert page.get_by_text("The chart could not be drawn").count() == 0

    page.get_by_label("Period", exact=True).fill("2014-Q2")
    page.get_by_label("Note", exact=True).fill("The new city framework started in April")
    page.get_by_role("button", name="Add the note").click()
    page.wait_for_url(re.compile(r"done=note"))
    assert "The new city framework started in April" in _text(page, "#points tbody")

    # the server refuses a post for another member, whatever the page offers
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    pledge_id = pledge_url.rsplit("/", 1)[1]
    for action, form in (("sign", {"member": OTHER}), ("updates", {"member": OTHER, "period": "2014-Q2",
                                                                     "note": "not ours"})):
        response = page.request.post(server.url(f"/network/pledges/{pledge_id}/{action}"),
                                     form={**form, "csrf_token": token}, max_redirects=0)
        assert response.status == 403, (action, response.status)
    page.reload()
    assert "not ours" not in _text(page, "main")
    assert browser_page.take_errors() == []

    # the pledge's pages with their figures, charts and forms pass the accessibility check
    axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe()
    problems = {}
    for url in (pledge_url, server.url("/network/pledges")):
        page.goto(url)
        if page.locator("[data-chart]").count():
            page.wait_for_selector(CHART, state="attached")
        found = axe.run(page, options=WCAG).response["violations"]
        problems[url] = [f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes'][:3]]}" for v in found]
    assert all(not v for v in problems.values()), problems
