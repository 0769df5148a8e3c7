"""The meet-the-buyer shortlist: local active firms whose SIC codes fit the leaking categories."""

from __future__ import annotations

from pathlib import Path

from anchornet import Workspace, ingest_file
from anchornet.analysis.metrics import Analysis
from anchornet.analysis.opportunities import firms_for, load_table, opportunities
from anchornet.place.geography import parse_tier, set_place
from anchornet.registers.companies_house import load_companies_house
from anchornet.suppliers import overrides
from anchornet.suppliers.resolve import resolve

REGISTERS = Path(__file__).resolve().parent.parent / "fixtures" / "registers"

PAYMENTS = """Date,Supplier,Amount,Category
01/04/2024,Severn Cleaning Contractors Ltd,9000.00,Office Cleaning
02/04/2024,Taff Catering Ltd,4000.00,Catering Supplies
03/04/2024,Radcliffe Bakery Ltd,1000.00,Catering Supplies
"""


def test_category_table_matches_published_category_names():
    table = load_table()
    assert firms_for("Office Cleaning", table).label == "cleaning"
    assert firms_for("Main Contractor", table).sic == ["41", "42", "43"]
    assert firms_for("Temporary Bureau Staffing", table).label == "staffing and recruitment"
    assert firms_for("Grants", table) is None


def test_shortlist_of_local_firms(tmp_path):
    ws = Workspace(tmp_path / "ws")
    load_companies_house(ws, REGISTERS / "BasicCompanyDataAsOneFile-2024-05-01.csv")
    path = tmp_path / "payments-april-2024.csv"
    path.write_text(PAYMENTS, encoding="utf-8")
    ingest_file(ws, path, "Anytown Council")
    resolve(ws)
    for name, postcode in (("Severn Cleaning Contractors Ltd", "CF10 1EP"), ("Taff Catering Ltd", "CF10 1EP"),
                           ("Radcliffe Bakery Ltd", "OX1 1BX")):
        entity = ws.con.execute("SELECT entity_id FROM payees WHERE supplier_name = ?", [name]).fetchone()[0]
        overrides.set_value(ws, entity, "postcode", postcode)
    resolve(ws)
    set_place(ws, "Oxfordshire", [parse_tier("oxford=OX")])  # by postcode area: no lookup needed
    result = opportunities(Analysis(ws))
    assert result["tier"] == "oxford"
    cleaning, catering = result["categories"]
    assert cleaning["category"] == "Office Cleaning" and cleaning["outside"] == 9000
    names = [f["name"] for f in cleaning["firms"]]
    assert "ACME CLEANING SERVICES LTD" in names  # active, OX2, SIC 81210
    assert "ACME CLEANING SERVICES (OXFORD) LIMITED" not in names  # dissolved
    assert catering["firms_kind"] == "catering and food"
    assert "THE ÉCOLE KITCHEN LIMITED" in [f["name"] for f in catering["firms"]]
    assert all(f["postcode"].startswith("OX") for c in result["categories"] for f in c["firms"])
    ws.close()


def test_without_a_place_or_register_it_says_so(tmp_path):
    ws = Workspace(tmp_path / "ws")
    path = tmp_path / "payments-april-2024.csv"
    path.write_text(PAYMENTS, encoding="utf-8")
    ingest_file(ws, path, "Anytown Council")
    resolve(ws)
    assert opportunities(Analysis(ws))["note"] == "no place is defined"
    set_place(ws, "Oxfordshire", [parse_tier("oxford=OX")])
    assert opportunities(Analysis(ws))["note"] == "the Companies House register is not loaded"
    ws.close()
