"""Linking suppliers to the registers: numbers, names, previous names; what a link tells."""

from __future__ import annotations

from pathlib import Path

import pytest

from anchornet import Workspace, ingest_file
from anchornet.registers.charities import load_charities
from anchornet.registers.companies_house import load_companies_house
from anchornet.suppliers import overrides
from anchornet.suppliers.resolve import resolve

REGISTERS = Path(__file__).parent.parent / "fixtures" / "registers"

PAYMENTS = """Date,Supplier,Amount,Category
01/04/2024,Oxford Bus Company Ltd,12000.00,Transport
02/04/2024,ACME CLEANING SERVICES LIMITED,800.00,Cleaning
03/04/2024,Oxfam,650.00,Grants
04/04/2024,Cowley Road Carnival,5000.00,Grants
05/04/2024,THAMES VALLEY SCAFFOLDING,2500.00,Works
06/04/2024,Unknown Widgets Ltd,900.00,Supplies
"""


@pytest.fixture()
def ws(tmp_path):
    workspace = Workspace(tmp_path / "ws")
    load_companies_house(workspace, REGISTERS / "BasicCompanyDataAsOneFile-2024-05-01.csv")
    load_charities(workspace, REGISTERS / "publicextract.charity.txt")
    path = tmp_path / "payments-april-2024.csv"
    path.write_text(PAYMENTS, encoding="utf-8")
    ingest_file(workspace, path, "Anytown Council")
    resolve(workspace)
    yield workspace
    workspace.close()


def _entity(ws, supplier_name):
    return ws.con.execute(
        """SELECT e.entity_id, e.class, e.class_reason, e.company_number, e.charity_number, e.postcode,
                  e.postcode_source, e.size_band, e.org_id, e.sme, e.link_probability
           FROM supplier_entities e JOIN payees p USING (entity_id) WHERE p.supplier_name = ?""",
        [supplier_name],
    ).fetchone()


def test_name_links_to_the_live_company(ws):
    e = _entity(ws, "Oxford Bus Company Ltd")
    assert e[3] == "02557144" and e[5] == "OX4 2DJ" and e[6] == "registered office"
    assert e[7] == "large" and e[8] == "GB-COH-02557144" and e[9] is False
    # a live company is preferred over a dissolved one with a similar key
    e = _entity(ws, "ACME CLEANING SERVICES LIMITED")
    assert e[3] == "08209948" and e[7] == "micro" and e[9] is True


def test_charity_link_makes_a_vcse(ws):
    e = _entity(ws, "Oxfam")
    assert e[1] == "vcse" and e[2] == "registered charity 202918"
    assert e[4] == "202918" and e[8] == "GB-CHC-202918" and e[5] == "OX4 2JY"


def test_unmatched_names_stay_unlinked_and_unlocated(ws):
    e = _entity(ws, "Unknown Widgets Ltd")
    assert e[3] is None and e[5] is None and e[10] is None


def test_a_coordinators_number_and_postcode_win(ws):
    entity = _entity(ws, "Cowley Road Carnival")[0]
    overrides.set_value(ws, entity, "charity_number", "1150002")
    overrides.set_value(ws, entity, "postcode", "OX4 1AA")
    resolve(ws)
    e = _entity(ws, "Cowley Road Carnival")
    assert e[4] == "1150002" and e[1] == "vcse"
    assert e[5] == "OX4 1AA" and e[6] == "set by the coordinator"
    assert e[10] == 1.0


def test_a_very_similar_name_links_with_its_probability(tmp_path):
    ws = Workspace(tmp_path / "ws")
    load_companies_house(ws, REGISTERS / "BasicCompanyDataAsOneFile-2024-05-01.csv")
    path = tmp_path / "payments-may-2024.csv"
    path.write_text(
        "Date,Supplier,Amount\n"
        "01/05/2024,THAMES VALLEY SCAFOLDING,2500.00\n"     # one letter missing
        "02/05/2024,CHERWELL DIGITAL SERVICES,900.00\n",    # a different firm's name
        encoding="utf-8",
    )
    ingest_file(ws, path, "Anytown Council")
    resolve(ws)
    row = ws.con.execute(
        """SELECT e.company_number, l.method, l.probability FROM supplier_entities e
           JOIN payees p USING (entity_id) JOIN supplier_links l USING (entity_id)
           WHERE p.supplier_name = 'THAMES VALLEY SCAFOLDING'"""
    ).fetchone()
    assert row[0] == "04123456" and row[1].startswith("similar name") and 0.85 <= row[2] < 1
    linked = ws.con.execute(
        """SELECT count(*) FROM supplier_links l JOIN payees p USING (entity_id)
           WHERE p.supplier_name = 'CHERWELL DIGITAL SERVICES'"""
    ).fetchone()[0]
    assert linked == 0
    ws.close()
