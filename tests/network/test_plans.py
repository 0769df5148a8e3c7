"""Action plans as a library and on the command line: years, milestones, status, progress at
a glance, and the export (public: published plans only, no person's names)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from cli_support import run

from anchornet.errors import AnchornetError
from anchornet.network import plans

TODAY = dt.date(2026, 6, 1)



def _plan(ws) -> tuple[int, list[int]]:
    ws.member_id("Oxford City Council", create=True)
    ws.member_id("Cowley Motor Works Ltd", create=True)
    plan = plans.add_plan(ws, "Living Wage Oxford", start_year=2025, goal="Make the real Living Wage the norm")
    ids = [
        plans.add_milestone(ws, plan, "Accredit the council", year=2025, owner_member="Oxford City Council",
                            owner_person="Priya Example", status="done", note="call Priya"),
        plans.add_milestone(ws, plan, "Ten employers accredited", due_on="2026-03-31",
                            owner_member="Cowley Motor Works Ltd"),
        plans.add_milestone(ws, plan, "Campaign week", year=2026, status="at risk"),
        plans.add_milestone(ws, plan, "Old idea", year=2027, status="dropped"),
        plans.add_milestone(ws, plan, "Final report", year=2027),
    ]
    return plan, ids


def test_plan_years_and_progress(ws):
    plan, ids = _plan(ws)
    p = plans.get_plan(ws, plan, today=TODAY)
    assert (p["start_year"], p["end_year"], p["status"]) == (2025, 2027, "draft")
    pr = p["progress"]
    figures = (pr["done"], pr["counted"], pr["percent"], pr["overdue"], pr["at_risk"], pr["dropped"])
    assert figures == (1, 4, 25, 1, 1, 1)
    assert [(y["year"], y["done"], y["counted"]) for y in pr["by_year"]] == [(2025, 1, 1), (2026, 0, 2), (2027, 0, 1)]
    assert [m["title"] for m in p["years"][1]["milestones"]] == ["Ten employers accredited", "Campaign week"]
    overdue = [m["title"] for m in p["milestones"] if m["overdue"]]
    assert overdue == ["Ten employers accredited"]
    assert p["milestones"][0]["done_on"] is not None
    changed = plans.set_milestone_status(ws, ids[1], "done", done_on="2026-05-20")
    assert changed == {"status": "done", "done_on": dt.date(2026, 5, 20)}
    assert plans.list_plans(ws, today=TODAY)[0]["progress"]["percent"] == 50
    plans.set_milestone_status(ws, ids[1], "in-progress")
    assert plans.get_milestone(ws, ids[1])["done_on"] is None


def test_validation(ws):
    plan, ids = _plan(ws)
    for call, message in (
        (lambda: plans.add_plan(ws, "Living wage oxford", start_year=2025), "already a plan"),
        (lambda: plans.add_plan(ws, "X", start_year=2027, end_year=2025), "before it starts"),
        (lambda: plans.add_plan(ws, "X", start_year=2025, end_year=2060), "too long"),
        (lambda: plans.add_plan(ws, "X", start_year="soon"), "not a whole number"),
        (lambda: plans.add_plan(ws, "X", start_year=2025, status="dreaming"), "unknown plan status"),
        (lambda: plans.add_milestone(ws, plan, "X", year=2031), "outside the plan's years"),
        (lambda: plans.add_milestone(ws, plan, "X"), "year or due date"),
        (lambda: plans.add_milestone(ws, plan, "X", year=2025, due_on="2026-01-01"), "not in the year"),
        (lambda: plans.add_milestone(ws, plan, "X", year=2025, owner_member="Nobody"), "no member called"),
        (lambda: plans.add_milestone(ws, 99, "X", year=2025), "no action plan 99"),
        (lambda: plans.set_milestone_status(ws, ids[0], "finished"), "unknown milestone status"),
        (lambda: plans.update_plan(ws, plan, end_year=2026), "fall outside"),
        (lambda: plans.get_milestone(ws, 999), "no milestone 999"),
    ):
        with pytest.raises(AnchornetError, match=message):
            call()
    assert plans.update_plan(ws, plan, status="Active", publish="on") == {"status": "active", "publish": True}
    assert plans.update_plan(ws, plan, status="active") == {}


def test_export_public_only_published_and_no_people(ws):
    plan, _ = _plan(ws)
    internal = plans.export_tables(ws)
    assert internal["milestones"][0]["owner_person"] == "Priya Example"
    assert plans.export_tables(ws, public=True) == {"plans": [], "milestones": []}
    plans.update_plan(ws, plan, publish=True)
    public = plans.export_tables(ws, public=True)
    assert [p["title"] for p in public["plans"]] == ["Living Wage Oxford"]
    assert public["plans"][0]["milestones"] == 4 and public["plans"][0]["done"] == 1
    text = json.dumps(public, default=str)
    assert "Priya" not in text and "owner_person" not in text
    # owner members are named only when they agreed to be listed publicly
    assert {m["owner_member"] for m in public["milestones"]} == {None}
    oxford = ws.member_id("Oxford City Council")
    ws.con.execute("INSERT INTO member_profiles (member_id, publish_listing) VALUES (?, true)", [oxford])
    owners = {m["owner_member"] for m in plans.export_tables(ws, public=True)["milestones"]}
    assert owners == {None, "Oxford City Council"}


def test_cli(tmp_path, capsys):
    w = tmp_path / "ws"
    from anchornet.workspace import Workspace

    with Workspace(w) as ws:
        ws.member_id("Oxford City Council", create=True)
    code, out, _ = run(capsys, "-w", w, "plans", "add", "Living Wage Oxford", "--start-year", "2025",
                       "--goal", "The real Living Wage the norm")
    assert code == 0 and "made plan 1: Living Wage Oxford (2025-2027)" in out
    code, out, _ = run(capsys, "-w", w, "plans", "milestone", "1", "Accredit the council", "--year", "2025",
                       "--owner-member", "Oxford City Council", "--owner-person", "Priya")
    assert code == 0 and "added milestone 1" in out
    code, out, _ = run(capsys, "-w", w, "plans", "milestone", "1", "Campaign", "--due", "2026-04-01",
                       "--status", "in progress")
    assert code == 0
    code, out, _ = run(capsys, "-w", w, "plans", "status", "1", "done", "--done-on", "2025-11-01")
    assert code == 0 and "done on 2025-11-01" in out
    code, out, _ = run(capsys, "-w", w, "plans", "status", "--plan", "1", "active")
    assert code == 0 and "plan 1: active" in out
    code, out, _ = run(capsys, "-w", w, "plans", "list", "--json")
    assert json.loads(out)[0]["progress"]["percent"] == 50
    code, out, _ = run(capsys, "-w", w, "plans", "show", "1")
    assert code == 0 and "Oxford City Council: Priya" in out and "1/2 done (50%)" in out
    code, _, err = run(capsys, "-w", w, "plans", "milestone", "1", "Late", "--year", "2040")
    assert code == 2 and "outside the plan's years" in err
    with Workspace(w) as ws:
        actions = [r[0] for r in ws.con.execute("SELECT action FROM audit_log ORDER BY audit_id").fetchall()]
    assert actions == ["plans.add", "plans.milestone_add", "plans.milestone_add", "plans.milestone_status",
                       "plans.edit"]
