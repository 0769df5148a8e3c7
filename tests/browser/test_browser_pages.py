"""The pages in a real browser: an upload with its line accounting and quality report, a
supplier merge recorded, the overview's chart drawn by /static/vega.js with nothing fetched
from elsewhere, a report downloaded, the public dashboard naming no person, and every page of
the navigation loading without a console error."""

from __future__ import annotations

import re

import pytest
from browser_support import OTHER, SKIP_REASON, login, logout

SMALL_CSV = (
    "Riverside NHS Trust - expenditure over £500,,,,\n"
    "Date,Supplier,Amount,Expense Type,Service Area\n"
    '01/04/2024,ACME SUPPLIES LTD,"£1,200.00",Stationery,Estates\n'
    "\n"
    "02/04/2024,Riverside Community Trust,650.50,Grants to voluntary bodies,Community\n"
    '03/04/2024,BRIGHT SPARK ELECTRICAL LTD,"(540.00)",Electrical works,Estates\n'
    "04/04/2024,Mr John Smith,812.00,Refunds,Finance\n"
    "05/04/2024,NOT A PAYMENT LTD,twelve pounds,Stationery,Estates\n"
    'Total,,"2,122.50",,\n'
)
CHART = "[data-chart] svg, [data-chart] canvas"

if SKIP_REASON:
    pytest.skip(SKIP_REASON, allow_module_level=True)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_upload_shows_the_line_accounting_and_the_quality_report(server, browser_page):
    page = browser_page.page
    login(page, server, "coordinator")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Data").click()
    page.wait_for_url(server.url("/data"))
    page.locator("#upload-member").select_option(OTHER)
    page.get_by_label("Payment files").set_input_files(
        [{"name": "riverside-apr-2024.csv", "mimeType": "text/csv", "buffer": SMALL_CSV.encode("utf-8")}])
    page.get_by_role("button", name="Upload and load").click()
    page.get_by_role("heading", name=f"Upload result for {OTHER}").wait_for()
    text = _squash(page.locator("main").inner_text())
    # 9 lines: title + header, one blank, one footer total, 4 payments, 1 quarantined
    assert re.search(r"riverside-apr-2024\.csv\s+loaded\s+2024-04-01\.\.2024-04-30\s+9\s+2\s+1\s+1\s+0\s+4\s+1\s+"
                     r"£2,122\.50", text), text
    assert "9 of 9 lines accounted for (all)" in text
    assert "1 row was quarantined" in text

    page.get_by_role("link", name="Quality report").click()
    page.get_by_role("heading", name="Quality report").wait_for()
    assert page.get_by_role("heading", name="riverside-apr-2024.csv").is_visible()
    facts = _squash(page.locator("dl.facts").first.inner_text())
    assert "9 of 9 (all)" in facts
    quality = _squash(page.locator("dl.facts").nth(1).inner_text())
    assert "Payments loaded 4 (£2,122.50)" in quality and "Quarantined rows 1" in quality
    assert browser_page.take_errors() == []


def test_merging_two_suppliers_is_recorded(server, browser_page):
    page = browser_page.page
    login(page, server, "coordinator")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Suppliers").click()
    page.wait_for_url(server.url("/suppliers"))
    pairs = page.locator("section[aria-labelledby=uncertain-title] tbody tr")
    first = pairs.first
    names = [first.locator("td").nth(i).locator("a").inner_text() for i in (0, 1)]
    before = pairs.count()
    assert before >= 1 and first.get_by_role("button", name="Merge").count() == 1, "no uncertain pair to merge"
    first.get_by_role("button", name="Merge").click()
    page.wait_for_url(re.compile(r"/suppliers\?done=merge"))
    assert page.get_by_role("status").is_visible()  # the flash saying it is done
    decisions = _squash(page.locator("section[aria-labelledby=decisions-title] tbody").inner_text())
    assert f"merge “{names[0]}” with “{names[1]}”" in decisions, decisions
    assert "coord@example.org" in decisions
    assert pairs.count() == before - 1 or names[0] not in _squash(pairs.first.inner_text())

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit log").click()
    page.wait_for_url(server.url("/admin/audit"))
    audit = page.locator("main").inner_text()
    assert "coord@example.org" in audit and "supplier" in audit.lower() and "merge" in audit.lower()
    assert browser_page.take_errors() == []


def test_overview_chart_is_drawn_from_the_app_only(server, browser_page):
    page = browser_page.page
    vega = []
    page.on("response", lambda r: vega.append(r.status) if r.url == server.url("/static/vega.js") else None)
    login(page, server, "coordinator")
    page.wait_for_selector(CHART, state="attached")
    page.wait_for_load_state("networkidle")
    assert vega == [200]
    drawn = page.locator(CHART)
    assert drawn.count() >= 1 and drawn.first.bounding_box()["width"] > 100
    assert page.get_by_text("The chart could not be drawn").count() == 0
    assert page.evaluate("typeof window.vegaEmbed") == "function"
    elsewhere = [u for u in browser_page.requests if not u.startswith(server.base + "/")]
    assert elsewhere == [], f"requests left 127.0.0.1: {elsewhere}"
    page.locator("[data-chart]").first.scroll_into_view_if_needed()
    assert browser_page.take_errors() == []


def test_report_downloads_as_html(server, browser_page, tmp_path):
    page = browser_page.page
    login(page, server, "coordinator")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.wait_for_url(server.url("/reports"))
    page.get_by_label("Public: no personal data", exact=False).check()
    page.get_by_label("HTML", exact=True).check()
    with page.expect_download() as info:
        page.get_by_role("button", name="Generate and download").click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(".html"), download.suggested_filename
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    html = saved.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") and "public edition" in html
    assert saved.stat().st_size > 10_000
    assert browser_page.take_errors() == []


def test_public_dashboard_names_no_person(server, template, browser_page):
    names = template.personal_names
    assert len(names) > 50
    page = browser_page.page
    login(page, server, "coordinator")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Publish").click()
    page.wait_for_url(server.url("/admin/publish"))
    page.get_by_label("Publish the dashboard").check()
    page.get_by_label("Title").fill("Oxford's money")
    for box in page.locator("input[name=sections]").all():
        box.check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    logout(page, server)

    response = page.goto(server.url("/public"))
    assert response.status == 200
    page.get_by_role("heading", name="Oxford's money").wait_for()
    page.wait_for_load_state("networkidle")
    shown = page.locator("body").inner_text()
    html = page.content()  # the drawn charts included
    assert "£" in shown
    leaked = [n for n in names if n in shown or n in html]
    assert leaked == []
    assert page.get_by_role("button", name="Sign out").count() == 0
    assert browser_page.take_errors() == []


@pytest.mark.parametrize("who", ["coordinator", "member", "viewer", "anonymous"])
def test_every_page_in_the_navigation_loads_without_console_errors(published_server, browser_page, who):
    page, server = browser_page.page, published_server
    if who == "anonymous":
        page.goto(server.url("/public"))
    else:
        login(page, server, who)
    nav = page.get_by_role("navigation", name="Main").get_by_role("link")
    links = [(nav.nth(i).inner_text(), nav.nth(i).get_attribute("href")) for i in range(nav.count())]
    assert ("Public dashboard", "/public") in links
    assert who == "anonymous" or (("Overview", "/") in links and len(links) >= 4)
    problems = []
    for label, href in links:
        response = page.goto(server.url(href))
        page.wait_for_load_state("networkidle")
        if page.locator("[data-chart]").count():
            page.wait_for_selector(CHART, state="attached")
        assert page.get_by_text("The chart could not be drawn").count() == 0, href
        errors = browser_page.take_errors()
        if response is None or response.status != 200 or errors:
            problems.append((label, href, response and response.status, errors))
    assert problems == []
