"""The engagement pipeline and action plans in a real browser: a prospect moved from identified
to joined (the member made), suggestions from a small register and place, a member lead
refused the pipeline, and a 3-year plan whose progress bar moves when a member lead marks its
own milestone done."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from browser_support import OXFORD, SKIP_REASON, login, logout

from anchornet.place.geography import parse_tier, set_place
from anchornet.registers.companies_house import load_companies_house

REGISTERS = Path(__file__).resolve().parent.parent / "fixtures" / "registers"

if SKIP_REASON:
    pytest.skip(SKIP_REASON, allow_module_level=True)


AXE = importlib.util.find_spec("axe_playwright_python") is not None
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _assert_accessible(page) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on the page as it is (with its data and forms)."""
    if not AXE:
        return
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page, options=WCAG).response["violations"]
    assert not violations, [f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes'][:3]]}" for v in violations]


def _move_on_board(page, server, name: str, stage_label: str) -> None:
    card = page.locator(".board-card", has_text=name)
    card.get_by_label(f"Move {name} to").select_option(label=stage_label)
    card.get_by_role("button", name=f"Move {name}").click()
    page.wait_for_url(re.compile(r"/network/pipeline(\?done=moved|/\d+\?join=1)"))


def test_coordinator_moves_a_prospect_from_identified_to_joined(server, browser_page):
    page = browser_page.page
    login(page, server, "coordinator")
    page.goto(server.url("/network"))
    page.get_by_role("link", name="Pipeline").first.click()
    page.wait_for_url(server.url("/network/pipeline"))
    form = page.locator("form[action='/network/pipeline']")
    form.get_by_label("Organisation").fill("Cowley Motor Works Ltd")
    form.get_by_label("Employees").fill("4200")
    form.get_by_label("Connection to place").check()
    form.get_by_label("Size", exact=True).check()
    form.get_by_label("Contact's name").fill("Pat Example")
    form.get_by_label("Next step", exact=True).fill("Invite to the roundtable")
    form.get_by_label("Next step by").fill("2020-01-15")
    form.get_by_role("button", name="Add to the pipeline").click()
    page.wait_for_url(re.compile(r"/network/pipeline/\d+\?done=added"))
    prospect_url = page.url.split("?")[0]
    assert page.get_by_role("heading", name="Cowley Motor Works Ltd").is_visible()

    page.goto(server.url("/network/pipeline"))
    identified = page.locator(".board-col", has=page.get_by_role("heading", name=re.compile("^Identified")))
    assert "Cowley Motor Works Ltd" in identified.inner_text() and "overdue" in identified.inner_text()
    _move_on_board(page, server, "Cowley Motor Works Ltd", "Approached")
    approached = page.locator(".board-col", has=page.get_by_role("heading", name=re.compile("^Approached")))
    assert "Cowley Motor Works Ltd" in approached.inner_text()
    _move_on_board(page, server, "Cowley Motor Works Ltd", "Senior meeting")
    _assert_accessible(page)
    _move_on_board(page, server, "Cowley Motor Works Ltd", "Joined")  # asks to make the member first
    _assert_accessible(page)
    join = page.locator("#join")
    assert join.get_by_label("Add it as a member of the network").is_checked()
    join.get_by_label("Role in the network").select_option("core")
    join.get_by_role("button", name="Confirm joined").click()
    page.wait_for_url(prospect_url + "?done=joined")
    main = _squash(page.locator("main").inner_text())
    assert "member of the network as Cowley Motor Works Ltd" in main
    history = _squash(page.locator("section[aria-labelledby=history-title] tbody").inner_text())
    assert re.search(r"Identified Approached .*Approached Senior meeting .*Senior meeting Joined", history), history
    con = server.app.state.base.con
    with server.app.state.write_lock:
        role = con.execute("SELECT p.network_role FROM member_profiles p JOIN members m USING (member_id) "
                           "WHERE m.name = 'Cowley Motor Works Ltd'").fetchall()
    assert role == [("core",)]
    page.goto(server.url("/network/pipeline"))
    joined = page.locator(".board-col", has=page.get_by_role("heading", name=re.compile("^Joined")))
    assert "Cowley Motor Works Ltd" in joined.inner_text()
    assert browser_page.take_errors() == []


def test_suggestions_from_the_register_join_the_pipeline(server, browser_page):
    page = browser_page.page
    login(page, server, "coordinator")
    page.goto(server.url("/network/pipeline/suggestions"))
    assert "no place is defined" in page.locator("main").inner_text()
    ws = server.app.state.base
    with server.app.state.write_lock:
        load_companies_house(ws, REGISTERS / "BasicCompanyDataAsOneFile-2024-05-01.csv")
        set_place(ws, "Oxford", [parse_tier("city=OX1,OX2,OX3,OX4"), parse_tier("county=OX")])
    page.reload()
    rows = page.locator("main table tbody tr")
    assert rows.count() == 2 and "OXFORD BUS COMPANY LIMITED" in rows.first.inner_text()
    assert "49319" in rows.first.inner_text() and "OX4 2DJ" in rows.first.inner_text()
    page.get_by_label("small").check()
    page.get_by_label("Inside the tier").select_option("city")
    page.get_by_role("button", name="Show").click()
    assert "CHERWELL DIGITAL LTD" in page.locator("main table").inner_text()
    _assert_accessible(page)
    page.get_by_role("button", name="Add OXFORD BUS COMPANY LIMITED to the pipeline").click()
    page.wait_for_url(re.compile(r"/network/pipeline/\d+\?done=added"))
    facts = _squash(page.locator("dl.facts").inner_text())
    assert "02557144" in facts and "Connection to place, Size" in facts and "Companies House register" in facts
    assert browser_page.take_errors() == []


def test_a_member_lead_is_refused_the_pipeline(server, browser_page):
    page = browser_page.page
    login(page, server, "member")
    page.goto(server.url("/network"))
    assert page.get_by_role("link", name="Pipeline").count() == 0
    response = page.goto(server.url("/network/pipeline"))
    assert response.status == 403
    assert "coordinator" in page.locator("main").inner_text()
    assert page.goto(server.url("/network/pipeline/suggestions")).status == 403
    assert browser_page.take_errors(403) == []


def test_a_member_lead_marks_its_milestone_done_and_the_progress_moves(server, browser_page):
    page = browser_page.page
    login(page, server, "coordinator")
    page.goto(server.url("/network/plans"))
    form = page.locator("form[action='/network/plans']")
    form.get_by_label("Title").fill("Living Wage Oxford")
    form.get_by_label("Start year").fill("2025")
    form.get_by_label("Goal").fill("Make the real Living Wage the norm across the city")
    form.get_by_label("Status").select_option("active")
    form.get_by_role("button", name="Make the plan").click()
    page.wait_for_url(re.compile(r"/network/plans/\d+\?done=added"))
    plan_url = page.url.split("?")[0]
    assert "2025–2027" in page.locator("main").inner_text()
    for title, year, owner in (("Accredit the council as a Living Wage employer", "2025", OXFORD),
                               ("Ten local employers accredited", "2026", ""),
                               ("Final report to the board", "2027", "")):
        add = page.locator("form[action$='/milestones']")
        add.get_by_label("Milestone").fill(title)
        add.get_by_label("Year").select_option(year)
        if owner:
            add.get_by_label("Owner member").select_option(owner)
            add.get_by_label("Owner person").fill("Priya Example-Owner")
        add.get_by_role("button", name="Add the milestone").click()
        page.wait_for_url(re.compile(r"\?done=milestone"))
    bar = page.locator("#plan-progress .progress span")
    assert bar.get_attribute("style") == "width: 0%"
    assert "0 of 3 done (0%)" in page.locator("#plan-progress").inner_text()
    _assert_accessible(page)
    logout(page, server)

    login(page, server, "member")
    page.goto(plan_url)
    assert "Priya Example-Owner" in page.locator("main").inner_text()  # its own milestone's owner
    assert page.get_by_label("Status of Ten local employers accredited").count() == 0
    page.get_by_label("Status of Accredit the council as a Living Wage employer", exact=True).select_option("done")
    page.get_by_role("button", name="Save the status of Accredit the council as a Living Wage employer").click()
    page.wait_for_url(re.compile(r"\?done=status"))
    assert page.locator("#plan-progress .progress span").get_attribute("style") == "width: 33%"
    assert "1 of 3 done (33%)" in page.locator("#plan-progress").inner_text()
    assert "Done" in page.locator("tr", has_text="Accredit the council").inner_text()
    page.goto(server.url("/network/plans"))
    assert page.locator("main table .progress span").first.get_attribute("style") == "width: 33%"
    _assert_accessible(page)
    logout(page, server)

    login(page, server, "viewer")
    page.goto(plan_url)
    assert "Priya Example-Owner" not in page.locator("main").inner_text()
    assert page.locator("form[action*='/status']").count() == 0
    assert browser_page.take_errors() == []
