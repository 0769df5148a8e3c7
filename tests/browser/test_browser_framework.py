"""The progression framework in a real browser: a business member's lead takes the business
framework, sees the radar chart and the next actions, re-assesses and sees the change;
another lead is refused the first member's answers; the network's distribution says
"fewer than 3" until three members have assessed (the coordinator assessing two on their
behalf)."""

from __future__ import annotations

import re

import pytest
from browser_support import ARTIFACTS, OTHER, OXFORD, PASSWORD, SKIP_REASON, login, logout

if SKIP_REASON:
    pytest.skip(SKIP_REASON, allow_module_level=True)

FIRM = "Cowley Components Ltd"
FIRM_LEAD = "lead@cowley.example.org"


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _add_business_member(server) -> None:
    """A business member with its profile (sector 'business') and its lead's account."""
    from anchornet.web import users

    ws = server.app.state.base
    with server.app.state.write_lock:
        member_id = ws.member_id(FIRM, create=True)
        ws.con.execute("INSERT INTO member_profiles (member_id, sector) VALUES (?, 'business')", [member_id])
        users.create_user(ws, FIRM_LEAD, PASSWORD, "member", member=FIRM)


def _choose(page, dimension: str, level: str) -> None:
    page.get_by_role("group", name=dimension).get_by_label(level).check()


def _assess(page, levels: dict[str, str]) -> None:
    for dimension, level in levels.items():
        _choose(page, dimension, level)
    page.get_by_role("button", name="Save the self-assessment").click()
    page.wait_for_url(re.compile(r"/network/framework\?done=assess"))


def test_a_business_lead_assesses_sees_the_radar_and_the_change(server, browser_page):
    _add_business_member(server)
    page = browser_page.page
    login(page, server, FIRM_LEAD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Network").click()
    page.wait_for_url(server.url("/network"))
    page.locator("main").get_by_role("link", name="Progression framework").click()
    page.wait_for_url(server.url("/network/framework"))
    assert "Business anchors progression framework" in page.locator("main").inner_text()
    page.get_by_role("link", name="Take the self-assessment").click()
    page.wait_for_url(server.url("/network/framework/assess"))
    assert page.locator("fieldset").count() == 4  # the business framework: no Service Delivery
    # no payments loaded for this member: the spend evidence says so
    assert "no payments of this member are loaded" in page.get_by_role("group", name="Procurement").inner_text()
    page.get_by_label("Evidence for Employment (optional)").fill("We count where our staff live.")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "framework_assess_form.png"), full_page=False)
    _assess(page, {"Employment": "Level 2: Developing", "Procurement": "Level 1: Starting out",
                   "Environment and Assets": "Level 2: Developing", "Corporate and Community": "Level 1: Starting out"})
    assert page.get_by_role("status").inner_text().startswith("Recorded")
    radar = page.locator("figure.radar svg[role=img]")
    assert radar.is_visible() and radar.bounding_box()["width"] > 300
    assert page.locator("figure.radar svg title").text_content().startswith(f"Radar chart: {FIRM}")
    main = _squash(page.locator("main").inner_text())
    assert "Next actions" in main
    assert "Name one person to lead on local buying." in main  # procurement level 1 -> 2
    assert "This is the first assessment" in main
    assert "Fewer than 3 members have assessed against this framework" in main

    page.get_by_role("link", name="Re-assess").click()
    page.wait_for_url(server.url("/network/framework/assess"))
    assert page.get_by_role("group", name="Employment").get_by_label("Level 2: Developing").is_checked()
    assert page.get_by_label("Evidence for Employment (optional)").input_value() == "We count where our staff live."
    _assess(page, {"Procurement": "Level 3: Established"})
    main = _squash(page.locator("main").inner_text())
    assert "Procurement: from level 1 to level 3 up 2 levels" in main
    assert page.locator("polygon.radar-previous").count() == 1  # the previous assessment overlaid
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "framework_profile.png"), full_page=True)
    page.get_by_role("link", name="History").click()
    page.wait_for_url(server.url("/network/framework/history"))
    assert page.locator("section.assessment-record").count() == 2
    assert browser_page.take_errors() == []

    # another lead may not read them
    logout(page, server)
    login(page, server, "other")
    for url in (f"/network/framework?member={FIRM}", f"/network/framework/history?member={FIRM}",
                f"/api/network/framework?member={FIRM}"):
        response = page.goto(server.url(url))
        assert response.status == 403, url
    assert "may not see the records of" in page.content()
    page.goto(server.url("/network/framework"))
    assert FIRM not in page.locator("main").inner_text()
    assert browser_page.take_errors(403) == []


def test_the_distribution_appears_once_three_members_have_assessed(server, browser_page):
    _add_business_member(server)
    page = browser_page.page
    login(page, server, FIRM_LEAD)
    page.goto(server.url("/network/framework/assess"))
    _assess(page, {"Employment": "Level 3: Established", "Procurement": "Level 2: Developing",
                   "Environment and Assets": "Level 1: Starting out", "Corporate and Community": "Level 2: Developing"})
    logout(page, server)

    login(page, server, "coordinator")
    for i, member in enumerate((OXFORD, OTHER)):
        page.goto(server.url("/network/framework/assess"))
        page.get_by_label("Member").select_option(member)
        page.get_by_role("button", name="Assess this member").click()
        page.wait_for_url(re.compile(r"/network/framework/assess\?member="))
        page.get_by_role("group", name="Employment").wait_for()
        if i == 0:
            main = _squash(page.locator("main").inner_text())
            assert "Fewer than 3" not in main  # the form itself shows no distribution
        _assess(page, {"Employment": f"Level {i + 1}: {['Starting out', 'Developing'][i]}",
                       "Procurement": "Level 2: Developing", "Environment and Assets": "Level 1: Starting out",
                       "Corporate and Community": "Level 2: Developing"})
        text = _squash(page.locator("main").inner_text())
        if i == 0:
            assert "Fewer than 3 members have assessed against this framework" in text
    assert "3 members have assessed" in text
    table = page.get_by_role("table", name=re.compile("Members at each level, by dimension .Business"))
    row = _squash(table.get_by_role("row", name=re.compile("^Employment")).inner_text())
    assert re.search(r"Employment\s+1\s+1\s+1\s+0", row), row
    # the coordinator sees who assessed when
    members = _squash(page.get_by_role("table", name=re.compile("Each member's framework")).inner_text())
    assert FIRM in members and OXFORD in members

    logout(page, server)
    login(page, server, "viewer")
    page.goto(server.url("/network/framework"))
    text = _squash(page.locator("main").inner_text())
    assert "3 members have assessed" in text
    assert all(name not in text for name in (FIRM, OXFORD, OTHER))
    assert browser_page.take_errors() == []
