"""Members and working groups in a real browser: the coordinator sets up a network of a
council, a hospital, a university and two businesses, forms a procurement working group
with a business co-chair, records a meeting and an action; the business's lead (who
co-chairs) adds an action; a viewer reads the group without any form."""

from __future__ import annotations

import re

import pytest
from browser_support import ARTIFACTS, OTHER, OXFORD, PASSWORD, SKIP_REASON, login, logout

if SKIP_REASON:
    pytest.skip(SKIP_REASON, allow_module_level=True)

NEW_MEMBERS = (
    ("University of Oxbridge", "Higher education"),
    ("Northgate Energy Ltd", "Private business"),
    ("Quayside Foods Ltd", "Private business"),
)
BUSINESS_LEAD = "lead@northgate.example.com"


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _add_member(page, server, name: str, sector: str) -> None:
    page.goto(server.url("/network/members"))
    page.get_by_label("Organisation").fill(name)
    page.locator("#add-sector").select_option(label=sector)
    page.get_by_role("button", name="Add the member").click()
    page.wait_for_url(re.compile(r"/network/members/\d+\?done=added"))
    assert page.get_by_role("heading", name=name, level=1).is_visible()


def _set_sector(page, server, name: str, sector: str, sponsor: str | None = None) -> None:
    page.goto(server.url("/network/members"))
    page.get_by_role("link", name=name, exact=True).click()
    page.locator("#sector").select_option(label=sector)
    if sponsor:
        page.get_by_label("Name", exact=True).fill(sponsor)
    page.get_by_role("button", name="Save the profile").click()
    page.wait_for_url(re.compile(r"/network/members/\d+\?done=saved"))


def _create_lead_account(server) -> None:
    from anchornet.web import users
    from anchornet.web.deps import RequestWorkspace

    app = server.app
    with app.state.cursor_lock:
        ws = RequestWorkspace(app.state.base)
    try:
        with app.state.write_lock:
            users.create_user(ws, BUSINESS_LEAD, PASSWORD, "member", member="Northgate Energy Ltd")
    finally:
        ws.close()


def test_network_members_and_a_procurement_group(server, browser_page):
    page = browser_page.page
    login(page, server, "coordinator")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Network").click()
    page.locator("main").get_by_role("link", name="Members").click()
    page.wait_for_url(server.url("/network/members"))

    # the council and the hospital have payments data already; the rest join without
    _set_sector(page, server, OXFORD, "Local authority", sponsor="Alexandra Quill")
    _set_sector(page, server, OTHER, "NHS")
    for name, sector in NEW_MEMBERS:
        _add_member(page, server, name, sector)
    page.goto(server.url("/network/members"))
    table = _squash(page.locator("main table").inner_text())
    for name, sector in ((OXFORD, "Local authority"), (OTHER, "NHS"), *NEW_MEMBERS):
        assert re.search(re.escape(name) + r"\s+" + re.escape(sector), table), (name, table)

    # a procurement working group with a business co-chair
    page.get_by_role("navigation", name="Network sections").get_by_role("link", name="Working groups").click()
    page.wait_for_url(server.url("/network/groups"))
    page.get_by_label("Name").fill("Procurement")
    page.get_by_label("Theme").select_option(label="Procurement")
    page.get_by_label("Purpose").fill("Bring more of the network's spend to local suppliers.")
    page.get_by_role("button", name="Create the group").click()
    page.wait_for_url(re.compile(r"/network/groups/\d+\?done=added"))
    group_url = page.url.split("?")[0]
    for member, role in ((OXFORD, "Chair"), ("Northgate Energy Ltd", "Co-chair"), (OTHER, "Member"),
                         ("University of Oxbridge", "Member")):
        page.locator("#role-member").select_option(member)
        page.locator("#role-role").select_option(label=role)
        page.get_by_role("button", name="Set the role").click()
        page.wait_for_url(re.compile(r"done=role"))
    roles = _squash(page.locator("table[aria-labelledby=roles-title]").inner_text())
    assert "Northgate Energy Ltd Co-chair" in roles and f"{OXFORD} Chair" in roles

    page.get_by_label("Date").fill("2025-03-04")
    page.get_by_label("Title").fill("First meeting")
    page.get_by_label("Notes (plain text)").fill("Agreed the terms of reference.\nNext: a shared supplier list.")
    page.get_by_role("button", name="Add the meeting").click()
    page.wait_for_url(re.compile(r"done=meeting"))
    assert page.get_by_role("heading", name="2025-03-04 · First meeting").is_visible()

    page.get_by_label("Action", exact=True).fill("Share the top 300 suppliers")
    page.locator("#action-owner").select_option(OTHER)
    page.get_by_label("Owner's name (optional, private)").fill("Priya Natarajan")
    page.get_by_label("Due").fill("2025-04-30")
    page.locator("#action-meeting").select_option(label="2025-03-04 First meeting")
    page.get_by_role("button", name="Add the action").click()
    page.wait_for_url(re.compile(r"done=action"))
    actions = _squash(page.locator("table[aria-labelledby=actions-title]").inner_text())
    assert "Share the top 300 suppliers" in actions and "Priya Natarajan" in actions
    assert browser_page.take_errors() == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "members_groups_group_page.png"), full_page=True)
    page.get_by_role("link", name=OXFORD).first.click()
    page.get_by_role("heading", name=OXFORD, level=1).wait_for()
    assert "Procurement · Chair" in _squash(page.locator("main").inner_text())
    page.screenshot(path=str(ARTIFACTS / "members_groups_member_page.png"), full_page=True)

    # the business's lead co-chairs: it adds an action of its own
    _create_lead_account(server)
    logout(page, server)
    login(page, server, BUSINESS_LEAD)
    page.goto(group_url)
    assert "Set the role" not in page.locator("main").inner_text()
    page.get_by_label("Action", exact=True).fill("Run a meet-the-buyer event for local firms")
    page.locator("#action-owner").select_option("Northgate Energy Ltd")
    page.get_by_label("Due").fill("2099-06-30")
    page.get_by_role("button", name="Add the action").click()
    page.wait_for_url(re.compile(r"done=action"))
    actions = _squash(page.locator("table[aria-labelledby=actions-title]").inner_text())
    assert "Run a meet-the-buyer event for local firms Northgate Energy Ltd 2099-06-30 Open" in actions
    assert browser_page.take_errors() == []

    # a viewer reads the group, with no form and no person's name
    logout(page, server)
    login(page, server, "viewer")
    page.goto(group_url)
    main = page.locator("main")
    assert "Run a meet-the-buyer event" in main.inner_text() and "Agreed the terms" in main.inner_text()
    assert main.locator("form").count() == 0
    assert "Priya Natarajan" not in main.inner_text()
    page.goto(server.url("/network/groups"))
    listing = _squash(page.locator("main table").inner_text())
    assert f"Procurement Procurement Active {OXFORD} Northgate Energy Ltd 4 1 2025-03-04 2" in listing, listing
    page.goto(server.url("/network/members"))
    assert "Alexandra Quill" not in page.locator("main").inner_text()
    assert browser_page.take_errors() == []
