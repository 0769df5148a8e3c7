"""Signing in through a real browser: the first run's /setup page, login, logout, and a member
lead refused another member's page."""

from __future__ import annotations

import pytest
from browser_support import PASSWORD, SETUP_CODE, SKIP_REASON, login, logout

if SKIP_REASON:
    pytest.skip(SKIP_REASON, allow_module_level=True)


def test_first_run_setup_then_login_and_logout(empty_server, browser_page):
    page, served = browser_page.page, empty_server
    page.goto(served.url("/"))
    page.wait_for_url(served.url("/setup"))  # no account yet: the first-run page
    assert page.get_by_role("heading", name="Set up the network").is_visible()

    page.get_by_label("Setup code").fill("AAAA-BBBB")  # a wrong code is refused, the form kept
    page.get_by_label("Your e-mail address").fill("first@example.org")
    page.get_by_label("Your name").fill("Fran First")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("The password again").fill(PASSWORD)
    page.get_by_role("button", name="Create the coordinator's account").click()
    assert page.get_by_role("alert").filter(has_text="setup code").is_visible()
    assert page.get_by_label("Your e-mail address").input_value() == "first@example.org"

    page.get_by_label("Setup code").fill(SETUP_CODE.lower())
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("The password again").fill(PASSWORD)
    page.get_by_role("button", name="Create the coordinator's account").click()
    page.wait_for_url(served.url("/"))
    assert page.get_by_role("heading", name="Overview", exact=True).is_visible()
    assert "first@example.org" in page.locator("header").inner_text()
    assert page.get_by_text("No payments yet").is_visible()  # an empty workspace says what to do

    logout(page, served)
    page.goto(served.url("/setup"))  # setup is over: only sign-in now
    page.wait_for_url(served.url("/login"))
    page.goto(served.url("/data"))  # a page needing an account sends to sign in
    assert "/login" in page.url

    page.get_by_label("E-mail address").fill("first@example.org")  # a wrong password: refused
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").is_visible()

    login(page, served, "first@example.org")
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert "first@example.org" in page.locator("header").inner_text()
    logout(page, served)
    assert page.get_by_role("heading", name="Sign in").is_visible()
    assert page.get_by_role("button", name="Sign out").count() == 0
    assert browser_page.take_errors(400, 401) == []  # the refused code and password


def test_member_lead_is_refused_another_members_file(server, template, browser_page):
    page = browser_page.page
    login(page, server, "member")
    response = page.goto(server.url(f"/data/files/{template.other_file_id}"))
    assert response.status == 403
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_role("heading", name="Not allowed").is_visible()
    assert page.get_by_role("heading", name="Line accounting").count() == 0  # nothing of the file itself
    response = page.goto(server.url("/suppliers"))  # the coordinator's pages too
    assert response.status == 403 and page.get_by_role("alert").is_visible()
    assert "Suppliers" not in page.locator("nav").inner_text()  # and the navigation does not offer them
    assert browser_page.take_errors(403) == []
