"""Companies House BasicCompanyData: the published layout, as CSV or zip, in one transaction."""

from __future__ import annotations

import datetime as dt
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from anchornet.errors import BadFileError
from anchornet.registers import load_companies_house
from anchornet.registers.companies_house import SIZE_BANDS, size_band, size_band_table, vintage_from_name

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fixtures" / "registers"))
import make_registers  # noqa: E402

CSV = "BasicCompanyDataAsOneFile-2024-05-01.csv"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "registers"


def fixture_path(name: str) -> Path:
    return FIXTURES / name
# Every account category seen in the published file (Companies House bulk data profile).
PUBLISHED_CATEGORIES = [
    "ACCOUNTS TYPE NOT AVAILABLE", "AUDIT EXEMPTION SUBSIDIARY", "AUDITED ABRIDGED", "DORMANT",
    "FILING EXEMPTION SUBSIDIARY", "FULL", "GROUP", "INITIAL", "MEDIUM", "MICRO ENTITY", "NO ACCOUNTS FILED",
    "PARTIAL EXEMPTION", "SMALL", "TOTAL EXEMPTION FULL", "TOTAL EXEMPTION SMALL", "UNAUDITED ABRIDGED",
]


def rows(ws, sql, params=()):
    return ws.con.execute(sql, list(params)).fetchall()


def test_the_fixture_has_the_published_header(fixture):
    header = fixture(CSV).read_text(encoding="utf-8").split("\n", 1)[0]
    assert header.startswith("CompanyName, CompanyNumber,RegAddress.CareOf,")
    assert " RegAddress.AddressLine2" in header and header.endswith("ConfStmtNextDueDate, ConfStmtLastMadeUpDate")
    assert len(header.split(",")) == 55


def test_load_keeps_what_the_analysis_needs(ws, fixture):
    result = load_companies_house(ws, fixture(CSV))
    assert result.status == "loaded" and result.rows_loaded == 20 and result.rows_skipped == 0
    assert result.vintage == "2024-05-01"
    got = rows(ws, """SELECT company_number, name, name_key, address_line1, post_town, postcode_raw, postcode,
                             category, status, incorporation_date, dissolution_date, account_category, size_band,
                             sic_codes, sic_descriptions, uri, previous_names, load_id
                      FROM companies WHERE company_number = '11223344'""")[0]
    assert got == (
        "11223344", "CHERWELL DIGITAL LTD", "CHERWELL DIGITAL", "FIRST FLOOR", "OXFORD", "OX1  1HH", "OX1 1HH",
        "Private Limited Company", "Active", dt.date(2018, 3, 1), None, "UNAUDITED ABRIDGED", "small",
        ["62020", "62090", "63110", "70229"],
        ["Information technology consultancy activities", "Other information technology service activities",
         "Data processing, hosting and related activities",
         "Management consultancy activities other than financial management"],
        "http://business.data.gov.uk/id/company/11223344",
        ["CHERWELL WEB SOLUTIONS LTD", "CWS 2018 LTD"], result.load_id,
    )
    dissolved = rows(ws, "SELECT status, dissolution_date FROM companies WHERE company_number = '09876543'")
    assert dissolved == [("Dissolved", dt.date(2023, 3, 14))]
    # 'None Supplied' is no SIC code; a lower-case postcode is normalised; no postcode stays NULL
    assert rows(ws, "SELECT sic_codes FROM companies WHERE company_number = 'OC301234'") == [([],)]
    assert rows(ws, "SELECT postcode FROM companies WHERE company_number = '08209948'") == [("OX2 0HP",)]
    assert rows(ws, "SELECT postcode, size_band FROM companies WHERE company_number = 'FC012345'") == [
        (None, "unknown")]
    assert rows(ws, "SELECT name_key FROM companies WHERE company_number = '13579246'") == [("ECOLE KITCHEN",)]


def test_name_key_is_the_shared_normaliser(ws, fixture):
    from anchornet.suppliers.normalise import name_key

    load_companies_house(ws, fixture(CSV))
    for name, key in rows(ws, "SELECT name, name_key FROM companies"):
        assert key == name_key(name)


def test_size_bands_come_from_the_yaml_and_unknown_stays_unknown(ws, fixture):
    table = size_band_table()
    assert set(table.values()) <= set(SIZE_BANDS)
    assert set(PUBLISHED_CATEGORIES) <= set(table), "every published category has a documented band"
    assert size_band("micro entity ") == "micro" and size_band("FULL") == "large"
    assert size_band("NO ACCOUNTS FILED") == "unknown" and size_band(None) == "unknown"
    assert size_band("A CATEGORY INVENTED NEXT YEAR") == "unknown"
    load_companies_house(ws, fixture(CSV))
    got = dict(rows(ws, "SELECT account_category, size_band FROM companies WHERE account_category IS NOT NULL"))
    for category, band in got.items():
        assert band == table[category]
    assert got["AUDIT EXEMPTION SUBSIDIARY"] == "unknown" and got["DORMANT"] == "dormant"
    doc = Path(__file__).resolve().parents[2] / "src/anchornet/registers/size_bands.yaml"
    assert set(yaml.safe_load(doc.read_text())) == set(SIZE_BANDS)


def test_zip_as_published_and_crlf(ws, fixture, tmp_path):
    text = make_registers.companies_csv([make_registers._company_row(c) for c in make_registers.COMPANIES],
                                        line_end="\r\n")
    archive = tmp_path / "BasicCompanyDataAsOneFile-2024-06-01.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("BasicCompanyDataAsOneFile-2024-06-01.csv", text)
    result = load_companies_house(ws, archive)
    assert result.rows_loaded == 20 and result.vintage == "2024-06-01"
    assert rows(ws, "SELECT source_files FROM register_loads WHERE load_id = ?", [result.load_id]) == [
        (["BasicCompanyDataAsOneFile-2024-06-01.zip!BasicCompanyDataAsOneFile-2024-06-01.csv"],)]
    assert rows(ws, "SELECT count(*) FROM companies WHERE uri LIKE '%\r'") == [(0,)]
    assert not list((ws.path).glob(".register-*")), "the unzipped copy is removed"


def test_parts_load_together(ws, tmp_path):
    all_rows = [make_registers._company_row(c) for c in make_registers.COMPANIES]
    part1 = tmp_path / "BasicCompanyData-2024-05-01-part1_2.csv"
    part2 = tmp_path / "BasicCompanyData-2024-05-01-part2_2.csv"
    part1.write_text(make_registers.companies_csv(all_rows[:12]), encoding="utf-8")
    part2.write_text(make_registers.companies_csv(all_rows[12:]), encoding="utf-8")
    result = load_companies_house(ws, [part1, part2])
    assert result.rows_loaded == 20 and result.vintage == "2024-05-01"
    assert rows(ws, "SELECT count(DISTINCT company_number) FROM companies") == [(20,)]


def test_rerun_is_unchanged_and_force_replaces(ws, fixture):
    first = load_companies_house(ws, fixture(CSV))
    again = load_companies_house(ws, fixture(CSV))
    assert again.status == "unchanged" and again.load_id == first.load_id
    forced = load_companies_house(ws, fixture(CSV), force=True)
    assert forced.status == "replaced" and forced.replaced_loads == [first.load_id]
    assert rows(ws, "SELECT count(*), min(load_id), max(load_id) FROM companies") == [
        (20, forced.load_id, forced.load_id)]
    assert rows(ws, "SELECT load_id, status, replaced_by FROM register_loads ORDER BY load_id") == [
        (first.load_id, "replaced", forced.load_id), (forced.load_id, "active", None)]


def test_a_broken_line_is_skipped_and_counted(ws, tmp_path):
    all_rows = [make_registers._company_row(c) for c in make_registers.COMPANIES]
    text = make_registers.companies_csv(all_rows).splitlines(keepends=True)
    text.insert(5, '"BROKEN ROW LTD","99999999","only three fields"\n')
    path = tmp_path / "BasicCompanyDataAsOneFile-2024-05-01.csv"
    path.write_text("".join(text), encoding="utf-8")
    result = load_companies_house(ws, path)
    assert result.rows_loaded == 20 and result.rows_skipped == 1
    assert any("1 line(s) could not be read" in n and "line 6 (missing columns)" in n for n in result.notes)
    clean = load_companies_house(ws, fixture_path(CSV))  # the next load does not inherit the rejects
    assert clean.rows_skipped == 0 and not any("could not be read" in n for n in clean.notes)


def test_wrong_layout_says_what_is_missing_and_what_was_found(ws, fixture, tmp_path):
    with pytest.raises(BadFileError) as exc:
        load_companies_house(ws, fixture("publicextract.charity.txt"))
    message = str(exc.value)
    assert "not a Companies House BasicCompanyData file" in message
    assert "'CompanyNumber'" in message and "'date_of_extract'" in message and "\n" not in message
    payments = tmp_path / "payments.csv"
    payments.write_text("Date,Supplier,Amount\n01/04/2024,ACME LTD,100.00\n", encoding="utf-8")
    with pytest.raises(BadFileError, match="missing columns 'CompanyName', 'CompanyNumber'"):
        load_companies_house(ws, payments)
    assert rows(ws, "SELECT count(*) FROM register_loads") == [(0,)]


@pytest.mark.parametrize(
    "content, message",
    [(b"", "empty"), (b"<!DOCTYPE html><html><body>Companies House</body></html>", "web page"),
     (b"\x1f\x8b\x08\x00", "gzip"), (b"PK\x03\x04 broken zip", "damaged zip")],
)
def test_bad_files_are_refused_in_one_line(ws, tmp_path, content, message):
    path = tmp_path / "BasicCompanyDataAsOneFile-2024-05-01.zip"
    path.write_bytes(content)
    with pytest.raises(BadFileError, match=message):
        load_companies_house(ws, path)


def test_zip_without_a_csv(ws, tmp_path):
    archive = tmp_path / "x.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.pdf", b"%PDF")
    with pytest.raises(BadFileError, match="holds no CSV or text file"):
        load_companies_house(ws, archive)


def test_header_only_file_loads_nothing_and_changes_nothing(ws, fixture, tmp_path):
    load_companies_house(ws, fixture(CSV))
    empty = tmp_path / "BasicCompanyDataAsOneFile-2024-06-01.csv"
    empty.write_text(make_registers.CH_HEADER + "\n", encoding="utf-8")
    with pytest.raises(BadFileError, match="no companies"):
        load_companies_house(ws, empty)
    assert rows(ws, "SELECT count(*) FROM companies") == [(20,)]  # the earlier load survives
    assert rows(ws, "SELECT count(*) FROM register_loads WHERE status = 'active'") == [(1,)]


def test_failure_mid_load_rolls_back(ws, fixture, monkeypatch):
    from anchornet.registers import common

    first = load_companies_house(ws, fixture(CSV))

    def boom(con):
        raise RuntimeError("disk full")

    monkeypatch.setattr(common, "rejected_lines", lambda con: boom(con))
    monkeypatch.setattr("anchornet.registers.companies_house.rejected_lines", lambda con: boom(con))
    with pytest.raises(RuntimeError):
        load_companies_house(ws, fixture(CSV), force=True)
    assert rows(ws, "SELECT count(*), max(load_id) FROM companies") == [(20, first.load_id)]
    assert rows(ws, "SELECT load_id, status FROM register_loads") == [(first.load_id, "active")]


def test_vintage_from_names():
    assert vintage_from_name("BasicCompanyDataAsOneFile-2024-05-01.zip") == "2024-05-01"
    assert vintage_from_name("BasicCompanyData-2024-05-01-part3_7.csv") == "2024-05-01"
    assert vintage_from_name("companies.csv") is None


def test_windows_encoded_file_keeps_its_accents(ws, tmp_path):
    text = make_registers.companies_csv([make_registers._company_row(c) for c in make_registers.COMPANIES])
    path = tmp_path / "BasicCompanyDataAsOneFile-2024-05-01.csv"
    path.write_bytes(text.encode("cp1252"))
    assert load_companies_house(ws, path).rows_loaded == 20
    assert rows(ws, "SELECT name FROM companies WHERE company_number = '13579246'") == [
        ("THE ÉCOLE KITCHEN LIMITED",)]


def test_an_invalid_byte_far_into_the_file_skips_one_line(ws, tmp_path):
    text = make_registers.companies_csv([make_registers._company_row(c) for c in make_registers.COMPANIES])
    filler = make_registers.companies_csv(list(make_registers.companies_rows(4000))).split("\n", 1)[1]
    data = (text + filler).encode("utf-8") + b'"BAD \xff NAME LTD","77777777"' + b',""' * 53 + b"\n"
    assert len(data) > 1 << 20  # beyond the part of the file read to detect its encoding
    path = tmp_path / "BasicCompanyDataAsOneFile-2024-05-01.csv"
    path.write_bytes(data)
    result = load_companies_house(ws, path)
    assert result.rows_loaded == 4020 and result.rows_skipped == 1
    assert any("line 4022 (invalid encoding)" in n for n in result.notes)
