"""Publishing the network's records, in a real browser: the coordinator ticks the network's
sections on the Publish page; the public dashboard then shows pledge progress for the
member that agreed to publish it, counts the one that did not, and names no person."""

from __future__ import annotations

import pytest
from browser_support import OTHER, OXFORD, SKIP_REASON, login, logout

if SKIP_REASON:
    pytest.skip(SKIP_REASON, allow_module_level=True)


def test_publish_pledge_progress_with_consent(server, browser_page):
    from anchornet.network import members, pledges

    page = browser_page.page
    ws = server.app.state.base
    members.update_profile(ws, OXFORD, sector="local_authority", sponsor_name="Alex Hidden", publish_listing=True)
    members.update_profile(ws, OTHER, sector="nhs", sponsor_name="Bo Private")
    pledge = pledges.add_pledge(ws, title="Pay the Real Living Wage", text="Every member pays it.",
                                theme="employment", measure="manual", measure_text="Staff paid the Real Living Wage",
                                unit="% of staff", baseline_value="80", baseline_period="2024-Q1",
                                target_value="100", target_date="2027-03-31")
    pledges.sign(ws, pledge, OXFORD, public=True)
    pledges.sign(ws, pledge, OTHER, public=False)
    for member, value in ((OXFORD, "92"), (OTHER, "85")):
        pledges.add_update(ws, pledge, member, as_of="2025-03-31", value=value, evidence="board paper")

    login(page, server, "coordinator")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Publish").click()
    page.get_by_label("Publish the dashboard").check()
    page.get_by_label("Pledges and progress (members that agreed to publish theirs)").check()
    page.get_by_label("The network's members (those that agreed to be listed)").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    logout(page, server)

    page.goto(server.url("/public"))
    section = page.locator("section[aria-labelledby='net-pledges']")
    section.get_by_role("heading", name="Pay the Real Living Wage").wait_for()
    text = section.inner_text()
    assert OXFORD in text and "92" in text
    assert OTHER not in text and "1 not named here" in text
    members_text = page.locator("section[aria-labelledby='net-members']").inner_text()
    assert OXFORD in members_text and OTHER not in members_text
    body = page.locator("body").inner_text()
    for private in ("Alex Hidden", "Bo Private", "board paper"):
        assert private not in body
    assert browser_page.take_errors() == []
