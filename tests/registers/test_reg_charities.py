"""The Charity Commission register extract: tab-separated text (or its zip), main charities by default."""

from __future__ import annotations

import datetime as dt
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from anchornet.errors import BadFileError
from anchornet.registers import load_charities

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fixtures" / "registers"))
import make_registers  # noqa: E402

TXT = "publicextract.charity.txt"


def rows(ws, sql, params=()):
    return ws.con.execute(sql, list(params)).fetchall()


def test_fixture_is_the_published_layout(fixture):
    data = fixture(TXT).read_bytes()
    assert data.startswith(b"\xef\xbb\xbfdate_of_extract\torganisation_number\tregistered_charity_number\t")
    assert b"\r\n" in data and b'"OXFAM"' not in data  # CRLF, fields not quoted
    assert data.split(b"\r\n")[0].decode("utf-8-sig").split("\t") == make_registers.CC_HEADER


def test_main_charities_only_by_default(ws, fixture):
    result = load_charities(ws, fixture(TXT))
    assert result.status == "loaded" and result.rows_loaded == 8 and result.vintage == "2024-05-12"
    assert any("2 linked charities" in n for n in result.notes)
    assert rows(ws, "SELECT count(*) FROM charities WHERE linked_number <> 0") == [(0,)]
    got = rows(ws, """SELECT charity_number, linked_number, organisation_number, org_id, name, name_key,
                             charity_type, registration_status, date_of_registration, latest_income, address,
                             postcode, company_number, is_cio, date_of_extract
                      FROM charities WHERE charity_number = '202918'""")
    assert got == [("202918", 0, 5003, "GB-CHC-202918", "OXFAM", "OXFAM", "Charitable company", "Registered",
                    dt.date(1965, 2, 24), Decimal("404000000.00"),
                    "Oxfam House, John Smith Drive, Cowley, Oxford", "OX4 2JY", "00612172", False,
                    dt.date(2024, 5, 12))]
    # removed charities are kept; a postcode written 'Not known' is NULL, kept raw
    assert rows(ws, "SELECT registration_status, date_of_removal FROM charities WHERE charity_number = '300123'"
                ) == [("Removed", dt.date(2014, 4, 16))]
    assert rows(ws, "SELECT postcode_raw, postcode FROM charities WHERE charity_number = '1120006'") == [
        ("Not known", None)]
    assert rows(ws, "SELECT postcode, latest_income FROM charities WHERE charity_number = '1150002'") == [
        ("OX1 1BX", Decimal("85000.50"))]


def test_include_linked_is_an_option_and_a_different_load(ws, fixture):
    first = load_charities(ws, fixture(TXT))
    linked = load_charities(ws, fixture(TXT), include_linked=True)
    assert linked.status == "replaced" and linked.rows_loaded == 10
    assert rows(ws, "SELECT charity_number, linked_number, name FROM charities WHERE linked_number > 0 "
                    "ORDER BY 2") == [("1100001", 1, "OXFORDSHIRE COMMUNITY FOUNDATION ENDOWMENT FUND"),
                                      ("1080004", 2, "ST ALDATES YOUTH TRUST HOLIDAY FUND")]
    again = load_charities(ws, fixture(TXT), include_linked=True)
    assert again.status == "unchanged" and first.load_id != linked.load_id == again.load_id


def test_quotes_are_text_not_quoting(ws, fixture):
    load_charities(ws, fixture(TXT))
    assert rows(ws, "SELECT count(*) FROM charities") == [(8,)]  # the quoted word did not swallow lines


def test_zip_as_published(ws, fixture, tmp_path):
    archive = tmp_path / "publicextract.charity.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(fixture(TXT), TXT)
    result = load_charities(ws, archive)
    assert result.rows_loaded == 8 and result.files == ["publicextract.charity.zip"]


def test_json_extract_is_refused_with_advice(ws, tmp_path):
    archive = tmp_path / "publicextract.charity.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("publicextract.charity.json", "[]")
    with pytest.raises(BadFileError, match="JSON; load the text extract"):
        load_charities(ws, archive)


def test_line_break_inside_a_field_keeps_the_charity(ws, tmp_path):
    data = make_registers.charities_txt().decode("utf-8")
    data = data.replace("Works with others to overcome poverty", "Works with others\r\nto overcome poverty")
    path = tmp_path / TXT
    path.write_text(data, encoding="utf-8", newline="")
    result = load_charities(ws, path)
    assert result.rows_loaded == 8 and result.rows_skipped == 1
    assert rows(ws, "SELECT name, postcode FROM charities WHERE charity_number = '202918'") == [
        ("OXFAM", "OX4 2JY")]
    assert any("without a charity number were skipped" in n for n in result.notes)


def test_a_tab_inside_the_activities_keeps_the_row(ws, tmp_path):
    data = make_registers.charities_txt().decode("utf-8").replace("Youth work in", "Youth\twork in")
    path = tmp_path / TXT
    path.write_text(data, encoding="utf-8", newline="")
    result = load_charities(ws, path)
    assert result.rows_loaded == 8 and result.rows_skipped == 0
    assert rows(ws, "SELECT name, postcode FROM charities WHERE charity_number = '1080004'") == [
        ("ST ALDATES YOUTH TRUST", "OX1 1DS")]


def test_wrong_file_names_the_missing_columns(ws, fixture):
    with pytest.raises(BadFileError) as exc:
        load_charities(ws, fixture("BasicCompanyDataAsOneFile-2024-05-01.csv"))
    assert "not a Charity Commission register extract" in str(exc.value)
    assert "'registered_charity_number'" in str(exc.value) and "'CompanyName'" in str(exc.value)
