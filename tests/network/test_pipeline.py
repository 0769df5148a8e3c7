"""The engagement pipeline as a library and on the command line: prospects, moves with their
history, joining (the member made), suggestions from the register, and the export."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from cli_support import run

from anchornet.errors import AnchornetError
from anchornet.network import pipeline
from anchornet.place.geography import parse_tier, set_place
from anchornet.registers.companies_house import load_companies_house

REGISTERS = Path(__file__).resolve().parent.parent / "fixtures" / "registers"
TODAY = dt.date(2025, 6, 1)



def test_add_validate_and_refuse_duplicates(ws):
    pid = pipeline.add_prospect(ws, " Cowley Motor Works Ltd ", company_number="2557145", postcode="ox4 6nl",
                                fit="place, size", employees="4,200", size_band="Large",
                                contact_email="pat@cowley.example.com", next_step_on="2025-05-01")
    p = pipeline.get_prospect(ws, pid, today=TODAY)
    assert (p["name"], p["company_number"], p["postcode"], p["employees"], p["size_band"]) == (
        "Cowley Motor Works Ltd", "02557145", "OX4 6NL", 4200, "large")
    assert p["fits"] == ["Connection to place", "Size"] and p["overdue"]
    assert [(h["from_stage"], h["to_stage"], h["note"]) for h in p["history"]] == [(None, "identified", "added")]
    for kwargs, message in (
        ({"name": "cowley motor works ltd"}, "already in the pipeline"),
        ({"name": "Other", "company_number": "02557145"}, "already in the pipeline"),
        ({"name": "X", "postcode": "nowhere"}, "is not a postcode"),
        ({"name": "X", "fit": "vibes"}, "unknown reason to fit"),
        ({"name": "X", "sector": "space"}, "unknown sector"),
        ({"name": "X", "employees": "lots"}, "not a whole number"),
        ({"name": "X", "contact_email": "pat"}, "not an e-mail address"),
        ({"name": "X", "next_step_on": "01/05/2025"}, "YYYY-MM-DD"),
        ({"name": "X", "stage": "joined"}, "then move it to joined"),
        ({"name": "X", "stage": "dating"}, "unknown stage"),
        ({"name": "  "}, "give the organisation's name"),
    ):
        with pytest.raises(AnchornetError, match=message):
            pipeline.add_prospect(ws, **kwargs)
    ws.member_id("Oxford City Council", create=True)
    with pytest.raises(AnchornetError, match="already a member"):
        pipeline.add_prospect(ws, "Oxford City Council")


def test_moves_keep_history_and_joining_makes_the_member(ws):
    pid = pipeline.add_prospect(ws, "Cowley Motor Works Ltd", employees=4200, on="2025-01-10", by="coord")
    pipeline.move(ws, pid, "approached", on="2025-02-01", note="letter to the CEO", by="coord")
    pipeline.move(ws, pid, "Senior meeting", on="2025-03-01", by="coord")
    result = pipeline.move(ws, pid, "joined", on="2025-04-01", network_role="core", by="coord")
    assert result["member_created"] and result["profile_created"] and result["member"] == "Cowley Motor Works Ltd"
    assert ws.con.execute("SELECT sector, employees, network_role, joined_on FROM member_profiles WHERE member_id = ?",
                          [result["member_id"]]).fetchall() == [("business", 4200, "core", dt.date(2025, 4, 1))]
    history = pipeline.get_prospect(ws, pid)["history"]
    assert [(h["from_stage"], h["to_stage"], h["moved_on"]) for h in history] == [
        (None, "identified", dt.date(2025, 1, 10)), ("identified", "approached", dt.date(2025, 2, 1)),
        ("approached", "senior-meeting", dt.date(2025, 3, 1)), ("senior-meeting", "joined", dt.date(2025, 4, 1))]
    with pytest.raises(AnchornetError, match="has joined the network"):
        pipeline.move(ws, pid, "declined")
    with pytest.raises(AnchornetError, match="already at the stage"):
        pipeline.move(ws, pipeline.add_prospect(ws, "Another Ltd"), "identified")


def test_joining_links_an_existing_member_and_keeps_its_profile(ws):
    member = ws.member_id("Headington Home Care", create=True)
    ws.con.execute("INSERT INTO member_profiles (member_id, sector, network_role, joined_on) "
                   "VALUES (?, 'business', 'founding', DATE '2020-01-01')", [member])
    pid = pipeline.add_prospect(ws, "Headington Home Care Limited")
    result = pipeline.move(ws, pid, "joined", member_name="HEADINGTON home care")
    assert result["member_id"] == member and result["member"] == "Headington Home Care"
    assert not result["member_created"] and not result["profile_created"]
    assert ws.con.execute("SELECT network_role, joined_on FROM member_profiles WHERE member_id = ?",
                          [member]).fetchall() == [("founding", dt.date(2020, 1, 1))]
    other = pipeline.add_prospect(ws, "No Member Ltd")
    result = pipeline.move(ws, other, "joined", create_member=False)
    assert result["member_id"] is None and ws.member_id("No Member Ltd") is None


def test_board_counts_and_declined_apart(ws):
    a = pipeline.add_prospect(ws, "A Ltd", next_step_on="2025-05-01")
    pipeline.add_prospect(ws, "B Ltd", stage="roundtable", next_step_on="2025-07-01")
    c = pipeline.add_prospect(ws, "C Ltd")
    pipeline.move(ws, c, "declined")
    b = pipeline.board(ws, today=TODAY)
    assert [col["stage"] for col in b["columns"]] == list(pipeline.BOARD_STAGES)
    assert b["counts"]["identified"] == 1 and b["counts"]["roundtable"] == 1 and b["counts"]["declined"] == 1
    assert [p["name"] for p in b["declined"]] == ["C Ltd"] and b["open"] == 2 and b["overdue"] == 1
    assert pipeline.list_prospects(ws, stage="identified", today=TODAY)[0]["prospect_id"] == a


def test_suggestions_need_a_place_and_the_register(ws):
    empty = pipeline.suggestions(ws)
    assert not empty["place_defined"] and not empty["register_loaded"] and "anchornet place set" in empty["note"]
    load_companies_house(ws, REGISTERS / "BasicCompanyDataAsOneFile-2024-05-01.csv")
    assert "no place is defined" in pipeline.suggestions(ws)["note"]
    set_place(ws, "Oxford", [parse_tier("city=OX1,OX2,OX3,OX4"), parse_tier("county=OX")])
    s = pipeline.suggestions(ws)
    assert s["tier"] == "county" and s["note"] is None
    # active and large only: the dissolved, strike-off and smaller ones and EC1A are left out
    assert [c["company_number"] for c in s["companies"]] == ["02557144", "05111222"]
    assert s["companies"][0]["sic"][0].startswith("49319 ")
    small = pipeline.suggestions(ws, tier="city", sizes=["small", "medium"])
    names = {c["name"] for c in small["companies"]}
    assert "CHERWELL DIGITAL LTD" in names and "THAMES VALLEY SCAFFOLDING LIMITED" not in names  # OX14
    assert "HEADINGTON HOME CARE LIMITED" not in names  # proposal to strike off
    # members and prospects are left out: by name key and by company number
    ws.member_id("Oxfordshire Community Foundation", create=True)
    pid = pipeline.add_from_register(ws, "2557144")
    p = pipeline.get_prospect(ws, pid)
    assert p["source"] == "companies-house" and p["fits"] == ["Connection to place", "Size"]
    assert pipeline.suggestions(ws)["companies"] == []
    with pytest.raises(AnchornetError, match="has no tier"):
        pipeline.suggestions(ws, tier="galaxy")
    with pytest.raises(AnchornetError, match="unknown size band"):
        pipeline.suggestions(ws, sizes=["huge"])
    with pytest.raises(AnchornetError, match="not in the Companies House register"):
        pipeline.add_from_register(ws, "99999999")


def test_suggestions_by_district_need_the_postcode_lookup(ws):
    load_companies_house(ws, REGISTERS / "BasicCompanyDataAsOneFile-2024-05-01.csv")
    set_place(ws, "Oxford", [parse_tier("city=E07000178")])
    s = pipeline.suggestions(ws)
    assert s["companies"] == [] and "ONS postcode lookup is not loaded" in s["note"]


def test_export_is_internal_only(ws):
    pid = pipeline.add_prospect(ws, "A Ltd", contact_name="Pat Example")
    pipeline.move(ws, pid, "approached")
    tables = pipeline.export_tables(ws)
    assert tables["prospects"][0]["contact_name"] == "Pat Example"
    assert [h["to_stage"] for h in tables["stage_history"]] == ["identified", "approached"]
    assert pipeline.export_tables(ws, public=True) == {"prospects": [], "stage_history": []}


def test_cli(tmp_path, capsys):
    w = tmp_path / "ws"
    code, _, err = run(capsys, "-w", w, "pipeline", "list")
    assert code == 2 and "no workspace" in err
    from anchornet.workspace import Workspace

    Workspace(w).close()
    code, out, _ = run(capsys, "-w", w, "pipeline", "add", "Cowley Motor Works Ltd", "--fit", "place",
                       "--next-step", "Call", "--next-step-date", "2020-01-01", "--contact-name", "Pat")
    assert code == 0 and "added prospect 1" in out
    code, _, err = run(capsys, "-w", w, "pipeline", "add", "Cowley Motor Works Ltd")
    assert code == 2 and "already in the pipeline" in err and "Traceback" not in err
    code, out, _ = run(capsys, "-w", w, "pipeline", "move", "1", "approached", "--note", "hello")
    assert code == 0 and "identified -> approached" in out
    code, out, _ = run(capsys, "-w", w, "pipeline", "move", "1", "joined", "--role", "core", "--json")
    assert code == 0 and json.loads(out)["member_created"]
    code, out, _ = run(capsys, "-w", w, "pipeline", "list", "--json")
    assert json.loads(out)[0]["stage"] == "joined"
    code, out, _ = run(capsys, "-w", w, "pipeline", "show", "1")
    assert code == 0 and "Stage history" in out and "Pat" in out
    code, out, _ = run(capsys, "-w", w, "pipeline", "suggest")
    assert code == 0 and "no place is defined" in out
    code, _, err = run(capsys, "-w", w, "pipeline", "move", "1", "sideways")
    assert code == 2 and "unknown stage" in err
    with Workspace(w) as ws:
        actions = [r[0] for r in ws.con.execute("SELECT action FROM audit_log ORDER BY audit_id").fetchall()]
    assert actions == ["pipeline.add", "pipeline.move", "pipeline.join"]
