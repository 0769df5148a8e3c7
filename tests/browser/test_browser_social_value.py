"""Social value in a real browser: a member's lead records a contract with two commitments,
reports a delivery and sees the ratings, and another member's lead is refused the contract;
the coordinator loads a measure table with proxy values and sees £ values appear."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import OXFORD, SKIP_REASON, login, logout

from anchornet.network import social_value as sv

if SKIP_REASON:
    pytest.skip(SKIP_REASON, allow_module_level=True)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "social_value"


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _axe_violations(page) -> list[str]:
    """WCAG 2.1 A/AA violations found by axe-core (none checked when the dev extra is missing)."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        return []
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    return [f"{v['id']}: {v['help']} -> {v['nodes'][0]['target']}"
            for v in Axe().run(page, options=options).response["violations"]]


def _social_value(page, server) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Network").click()
    page.wait_for_url(server.url("/network"))
    page.get_by_role("link", name="Social value").first.click()
    page.wait_for_url(server.url("/network/social-value"))


def test_a_lead_records_a_contract_and_sees_its_rating(server, browser_page):
    page = browser_page.page
    login(page, server, "member")
    _social_value(page, server)
    page.get_by_label("Contract title").fill("Grounds maintenance")
    page.get_by_label("Contract reference (optional)").fill("OCC-GM-1")
    page.get_by_label("Supplier", exact=True).fill("Green Spaces Ltd")
    page.get_by_label("Contract value £ (optional)").fill("250,000")
    page.get_by_label("Start date").fill("2024-04-01")
    page.get_by_label("End date").fill("2027-03-31")
    page.get_by_role("button", name="Add contract").click()
    page.wait_for_url(re.compile(r"/network/social-value/contracts/\d+\?done=added"))
    contract_url = page.url.split("?")[0]
    assert page.get_by_role("heading", name="Grounds maintenance", level=1).is_visible()

    page.get_by_label("Measure", exact=True).select_option("local-jobs")
    page.get_by_label("Committed quantity").fill("4")
    page.get_by_role("button", name="Add commitment").click()
    page.wait_for_url(re.compile(r"done=committed"))
    page.get_by_label("Measure", exact=True).select_option("apprentice-weeks")
    page.get_by_label("Committed quantity").fill("104")
    page.get_by_label("By date (optional)").fill("2026-03-31")
    page.get_by_role("button", name="Add commitment").click()
    page.wait_for_url(re.compile(r"done=committed"))

    page.get_by_label("Commitment", exact=True).select_option("local-jobs")
    page.get_by_label("Delivered quantity").fill("3")
    page.get_by_label("As of", exact=True).fill("2025-03-31")
    page.get_by_label("Period (optional)").fill("2024/25")
    page.get_by_label("Evidence", exact=True).fill("Payroll extract, March 2025")
    page.get_by_role("button", name="Report delivery").click()
    page.wait_for_url(re.compile(r"done=delivered"))
    assert page.get_by_role("status").is_visible()

    rows = page.locator("section[aria-labelledby=commitments-title] tbody tr")
    assert rows.count() == 2
    jobs = _squash(rows.filter(has_text="Local jobs created").inner_text())
    assert "FTE" in jobs and "75.0%" in jobs and "on track" in jobs, jobs
    apprentices = _squash(rows.filter(has_text="Apprenticeship weeks").inner_text())
    assert "0.0%" in apprentices and "not started" in apprentices, apprentices
    facts = _squash(page.locator("#contract-facts").inner_text())
    assert "37.5%" in facts and "partly" in facts and "no proxy values loaded" in facts
    assert "Payroll extract, March 2025" in page.locator("section[aria-labelledby=deliveries-title]").inner_text()

    _social_value(page, server)
    mine = _squash(page.locator("section[aria-labelledby=contracts-title]").inner_text())
    assert "Grounds maintenance" in mine and "partly" in mine
    assert browser_page.take_errors() == []

    logout(page, server)
    login(page, server, "other")
    response = page.goto(contract_url)
    assert response.status == 403
    assert "may not see this contract" in page.locator("main").inner_text()
    _social_value(page, server)
    assert "Grounds maintenance" not in page.locator("main").inner_text()  # in the totals, never named
    assert "Local jobs created" in page.locator("section[aria-labelledby=network-title]").inner_text()
    assert browser_page.take_errors(403) == []


def test_the_coordinator_loads_proxy_values_and_sees_pound_values(server, browser_page):
    ws = server.app.state.base
    contract_id = sv.add_contract(ws, OXFORD, "School catering", "Good Food Ltd")
    sv.commit(ws, contract_id, "local-jobs", 2)
    sv.commit(ws, contract_id, "placements", 10)
    sv.record_delivery(ws, contract_id, "local-jobs", 1, "2025-01-31")

    page = browser_page.page
    login(page, server, "coordinator")
    page.goto(server.url(f"/network/social-value/contracts/{contract_id}"))
    assert "no proxy values loaded" in page.locator("#contract-facts").inner_text()

    page.goto(server.url("/network/social-value/measures"))
    page.get_by_label("Measure table file").set_input_files(str(FIXTURES / "broken-measures.csv"))
    page.get_by_label("Table name").fill("broken")
    page.get_by_label("Version", exact=True).fill("1")
    page.get_by_role("button", name="Load measure table").click()
    assert "is already used by line 2" in page.locator("main").inner_text()
    assert browser_page.take_errors(400) == []

    page.goto(server.url("/network/social-value/measures"))
    page.get_by_label("Measure table file").set_input_files(str(FIXTURES / "network-measures-2026.csv"))
    page.get_by_label("Table name").fill("oxon-measures")
    page.get_by_label("Version", exact=True).fill("2026.1")
    page.get_by_label("Use it now").check()
    page.get_by_role("button", name="Load measure table").click()
    page.wait_for_url(re.compile(r"/network/social-value/measures\?set_id=\d+&done=loaded"))
    assert "In use: oxon-measures 2026.1" in _squash(page.locator("main").inner_text())
    table = _squash(page.locator("section[aria-labelledby=measures-title] tbody").inner_text())
    assert "£20,000.00" in table and "£150.00" in table

    page.goto(server.url(f"/network/social-value/contracts/{contract_id}"))
    rows = page.locator("section[aria-labelledby=commitments-title] tbody tr")
    jobs = _squash(rows.filter(has_text="Local jobs created").inner_text())
    assert "£40,000.00" in jobs and "£20,000.00" in jobs, jobs
    assert "no proxy value" in rows.filter(has_text="Work placements").inner_text()  # none invented
    facts = _squash(page.locator("#contract-facts").inner_text())
    assert "£20,000.00 delivered of £40,000.00 committed" in facts and "oxon-measures 2026.1" in facts

    assert _axe_violations(page) == []  # the contract page with every form and table

    page.goto(server.url("/network/social-value"))
    totals = _squash(page.locator("section[aria-labelledby=network-title]").inner_text())
    assert "£40,000.00" in totals and "£20,000.00" in totals
    assert _axe_violations(page) == []
    page.goto(server.url("/network/social-value/measures"))
    assert _axe_violations(page) == []
    assert browser_page.take_errors() == []
