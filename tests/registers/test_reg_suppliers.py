"""Members' own supplier lists: read by the ingest readers, mapped by their own synonyms."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter

from anchornet.errors import AnchornetError, BadFileError
from anchornet.registers import load_supplier_list
from anchornet.registers.suppliers import map_columns, match_header

MASTER = "supplier-master-2024.csv"
SHARED = Path("/work/shared/data/registers")  # real files, read only when present


def rows(ws, sql, params=()):
    return ws.con.execute(sql, list(params)).fetchall()


def test_header_spellings():
    assert match_header("Supplier Company Name") == ("supplier_name", 1)
    assert match_header("SME Supplier?")[0] == "sme"
    assert match_header("\u00ef\u00bb\u00bfVendor Name")[0] == "supplier_name"  # a mangled byte-order mark
    assert match_header("Compnay Number")[0] == "company_number"  # close spelling
    assert match_header("Contract Reference") is None and match_header("Annual Value") is None
    # the more specific spelling wins when two columns look alike
    assert map_columns(["Name", "Supplier Name", "Post Code"]) == {"supplier_name": 1, "postcode": 2}


def test_vendor_master_csv(ws, fixture):
    result = load_supplier_list(ws, fixture(MASTER), "Anytown NHS FT")
    assert result.status == "loaded" and result.rows_loaded == 8 and result.rows_skipped == 1
    assert result.member == "Anytown NHS FT"
    assert any("header on line 3" in n for n in result.notes)
    got = rows(ws, """SELECT source_line, supplier_name, name_key, supplier_ref, address, postcode, company_number,
                             charity_number, sme, vcse, raw
                      FROM member_suppliers ORDER BY source_line""")
    assert got[0] == (4, "Acme Cleaning Services Ltd", "ACME CLEANING SERVICES", "V0001", "Unit 4 Botley Works",
                      "OX2 0HP", "08209948", None, True, False,
                      ["V0001", "Acme Cleaning Services Ltd", "Unit 4 Botley Works", "ox2 0hp", "8209948", "",
                       "Yes", "No"])
    by_ref = {r[3]: r for r in got}
    assert (by_ref["V0002"][6], by_ref["V0002"][7], by_ref["V0002"][9]) == ("00612172", "202918", True)
    assert (by_ref["V0006"][5], by_ref["V0006"][6], by_ref["V0006"][8]) == (None, None, None)  # 'Various'
    assert by_ref["V0007"][5] == "EC1A 1BB"
    assert by_ref["V0008"][0] == 12 and by_ref["V0008"][6] == "SC012345" and by_ref["V0008"][8] is True
    assert any("postcode that is not valid" in n for n in result.notes)


def test_each_member_has_its_own_list_and_reloading_replaces_only_it(ws, fixture, tmp_path):
    load_supplier_list(ws, fixture(MASTER), "Anytown NHS FT")
    other = tmp_path / "vendors.csv"
    other.write_text("Supplier Name,Postcode\nBotley Road Motors,OX2 0HA\n", encoding="utf-8")
    load_supplier_list(ws, other, "Oxford City Council")
    assert load_supplier_list(ws, other, "Oxford City Council").status == "unchanged"
    other.write_text("Supplier Name,Postcode\nBotley Road Motors,OX2 0HA\nCowley Road Carnival,OX1 1BX\n",
                     encoding="utf-8")
    again = load_supplier_list(ws, other, "Oxford City Council")
    assert again.status == "replaced" and again.rows_loaded == 2
    counts = dict(rows(ws, "SELECT m.name, count(*) FROM member_suppliers s JOIN members m USING (member_id) "
                           "GROUP BY ALL"))
    assert counts == {"Anytown NHS FT": 8, "Oxford City Council": 2}
    assert rows(ws, "SELECT count(*) FROM register_loads WHERE register = 'suppliers' AND status = 'active'"
                ) == [(2,)]


def test_workbook_with_a_cover_sheet(ws, tmp_path):
    path = tmp_path / "suppliers.xlsx"
    book = xlsxwriter.Workbook(str(path))
    cover = book.add_worksheet("Notes")
    cover.write(0, 0, "Supplier list for the anchor network, April 2024")
    sheet = book.add_worksheet("Suppliers")
    sheet.write_row(0, 0, ["Creditor Number", "Creditor Name", "Registered Charity Number", "Postcode", "VCSE"])
    sheet.write_row(1, 0, [1001, "Cowley Road Carnival", 1150002, "OX1 1BX", "Yes"])
    sheet.write_row(2, 0, [1002, "Oxfam", "202918", "OX4 2JY", "yes"])
    book.close()
    result = load_supplier_list(ws, path, "Oxford University")
    assert result.rows_loaded == 2
    assert any(n.startswith("sheet 'Suppliers': header on line 1") for n in result.notes)
    assert rows(ws, "SELECT sheet, source_line, supplier_ref, charity_number, vcse FROM member_suppliers "
                    "ORDER BY 2") == [("Suppliers", 2, "1001", "1150002", True),
                                      ("Suppliers", 3, "1002", "202918", True)]


def test_contracts_register_with_a_mangled_byte_order_mark(ws, tmp_path):
    text = ("\u00ef\u00bb\u00bfDirectorate Name,Contract Reference,Supplier Company Name,Supplier Postcode,"
            "SME Supplier?,Company Number\n"
            "Place,S1417,Underwater Diving Services Ltd,LA14 2TB,Yes,2535986\n"
            "People,S1152,Salford Community Leisure Ltd,M30 0EJ,No,IP29627R\n"
            "People,S1200,Salford Royal NHS Foundation Trust,M6 8HD,No,CHA1049226\n"
            "Place,S1300,Various Providers,Various,Various,Various\n")
    path = tmp_path / "contracts.csv"
    path.write_bytes(text.encode("utf-8"))
    result = load_supplier_list(ws, path, "Salford City Council")
    assert result.rows_loaded == 4
    got = rows(ws, "SELECT supplier_name, supplier_ref, postcode, company_number, charity_number, sme "
                   "FROM member_suppliers ORDER BY source_line")
    assert got == [("Underwater Diving Services Ltd", None, "LA14 2TB", "02535986", None, True),
                   ("Salford Community Leisure Ltd", None, "M30 0EJ", "IP29627R", None, False),
                   ("Salford Royal NHS Foundation Trust", None, "M6 8HD", None, "1049226", False),
                   ("Various Providers", None, None, None, None, None)]


def test_no_usable_header_is_refused(ws, tmp_path):
    path = tmp_path / "payments.csv"
    path.write_text("Date,Supplier,Amount\n01/04/2024,ACME LTD,100.00\n", encoding="utf-8")
    with pytest.raises(BadFileError) as exc:
        load_supplier_list(ws, path, "X")
    assert "no header row naming a supplier" in str(exc.value) and "'Supplier', 'Amount'" in str(exc.value)
    assert rows(ws, "SELECT count(*) FROM members") == [(0,)]  # nothing written


def test_member_is_required(ws, fixture):
    with pytest.raises(AnchornetError, match="--member"):
        load_supplier_list(ws, fixture(MASTER), "  ")


@pytest.mark.skipif(not (SHARED / "salford-contracts/salford_2022-07_contracts_clean.csv").exists(),
                    reason="the real Salford contracts register is not on this machine")
def test_real_salford_contracts_register(ws):
    path = SHARED / "salford-contracts/salford_2022-07_contracts_clean.csv"
    result = load_supplier_list(ws, path, "Salford City Council")
    assert result.rows_loaded == 360 and result.rows_skipped == 0
    used = next(n for n in result.notes if n.startswith("header on line 1"))
    for column in ("supplier_name='Supplier Company Name'", "postcode='Supplier Postcode'",
                   "sme='SME Supplier?'", "company_number='Company Number'"):
        assert column in used
    total, postcodes, companies, charities, sme = rows(
        ws, "SELECT count(*), count(postcode), count(company_number), count(charity_number), count(sme) "
            "FROM member_suppliers")[0]
    assert total == 360 and postcodes > 300 and companies > 250 and charities >= 1 and sme > 340
