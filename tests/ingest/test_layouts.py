"""Ingest files laid out as UK public bodies really publish them.

Each fixture under tests/fixtures/layouts/ copies a published layout (see
tests/fixtures/make_layouts.py for where each comes from) with made-up rows. The
tests check the line accounting (every line counted once), the values that arrive,
and the fields each real column is read as.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from anchornet.ingest import delimited
from anchornet.ingest.loader import ingest_file

D = Decimal


def records(ws, where: str = "TRUE", params=None) -> dict[int, dict]:
    """Records of the workspace by source line (one-part files), as dicts."""
    cur = ws.con.execute(f"SELECT * FROM records WHERE {where} ORDER BY part_no, source_line",
                         params or [])
    names = [d[0] for d in cur.description]
    out = {}
    for row in cur.fetchall():
        item = dict(zip(names, row, strict=True))
        out[item["source_line"]] = item
    return out


def loaded(ws) -> dict[int, dict]:
    return records(ws, "status = 'loaded'")


def file_row(ws, file_id: int) -> dict:
    cur = ws.con.execute("SELECT * FROM files WHERE file_id = ?", [file_id])
    names = [d[0] for d in cur.description]
    return dict(zip(names, cur.fetchone(), strict=True))


def counts(part) -> tuple:
    return (part.lines_total, part.lines_header, part.lines_blank, part.lines_nondata,
            part.lines_continuation, part.rows_loaded, part.rows_quarantined)


# -- title rows, header, data, footer total ---------------------------------------------------

def test_lgtc_file_with_title_rows_and_a_total_line(ws, layout, helpers):
    path = layout("lgtc-expenditure-over-500-april-2024.csv")
    result = ingest_file(ws, path, "Anytown Borough Council")

    assert (result.status, result.kind, result.format) == ("loaded", "payments", "csv")
    assert result.period == "2024-04-01..2024-04-30"
    assert result.period_source == "dates"
    [part] = result.parts
    assert part.header_line == 4
    # 12 lines: 2 title lines + header, 2 blank lines, 6 payments, 1 total line
    assert helpers.physical_lines(path) == 12
    assert counts(part) == (12, 3, 2, 1, 0, 6, 0)
    helpers.assert_accounted(result)

    assert part.footer_total == pytest.approx(68100.50)
    assert part.amount_loaded == pytest.approx(part.footer_total)
    assert any("matches the loaded payments" in n for n in result.notes)

    rows = loaded(ws)
    assert sorted(rows) == [5, 6, 7, 8, 9, 10]
    assert sum(r["amount"] for r in rows.values()) == D("68100.50")
    road = rows[10]
    assert road["body"] == "Anytown Borough Council"
    assert road["service_area"] == "Place"
    assert road["category"] == "Highways Maintenance"
    assert road["payment_date"] == dt.date(2024, 4, 30)
    assert road["transaction_ref"] == "500106"
    assert road["amount"] == D("45000.01")
    assert road["irrecoverable_vat"] == D("125.50")
    assert road["supplier_name"] == "ROADWORKS & CO LTD"
    assert road["merchant_category"] == "Construction"
    assert road["record_type"] == "payment"
    assert rows[7]["supplier_name"] == "SOFTCO (UK) LTD"
    assert rows[8]["amount"] == D("-750.00") and "credit" in rows[8]["flags"]
    assert "redacted_payee" in rows[9]["flags"]

    footer = records(ws, "source_line = 12")[12]
    assert (footer["status"], footer["reason"], footer["amount"]) == (
        "nondata", "footer total", D("68100.50"))
    assert footer["raw"][0] == "Total"

    stored = ws.con.execute(
        "SELECT header_line, header_json, lines_total, lines_header, lines_blank, lines_nondata, "
        "rows_loaded, footer_total FROM file_parts WHERE file_id = ?", [result.file_id]
    ).fetchone()
    assert stored[0] == 4
    assert json.loads(stored[1])[:3] == ["Body Name", "Service Area", "Expenditure Category"]
    assert stored[2:] == (12, 3, 2, 1, 6, D("68100.50"))


def test_luton_title_row_and_total_label_in_the_date_column(ws, layout, helpers):
    """Luton: "Transparency Report - January 2024" above a header that starts with Date;
    the total line puts "Total" in the date column."""
    path = layout("luton-250-24-a-january-payments.csv")
    result = ingest_file(ws, path, "Luton")
    [part] = result.parts
    assert part.header_line == 2
    assert counts(part) == (6, 2, 0, 1, 0, 3, 0)
    helpers.assert_accounted(result)
    assert part.footer_total == pytest.approx(13000.00)
    assert part.amount_loaded == pytest.approx(13000.00)
    rows = loaded(ws)
    assert [r["amount"] for r in rows.values()] == [D("505.90"), D("12000.00"), D("494.10")]
    assert rows[3]["payment_date"] == dt.date(2024, 1, 15)
    assert rows[3]["service_area"] == "Chief Executive"
    assert rows[5]["flags"] == ["under_500"]
    assert records(ws, "source_line = 6")[6]["reason"] == "footer total"


def test_southend_blank_row_above_the_header(ws, layout, helpers):
    path = layout("our-spending-over-500-december-2024.csv")
    result = ingest_file(ws, path, "Southend")
    [part] = result.parts
    assert part.header_line == 2
    assert counts(part) == (5, 1, 1, 0, 0, 3, 0)
    helpers.assert_accounted(result)
    rows = loaded(ws)
    assert rows[3]["supplier_name"] == "(G) SPARKS & ASSOCIATES LTD T/A SPARKS ELECTRICAL"
    assert [r["amount"] for r in rows.values()] == [D("1495.00"), D("23100.00"), D("880.00")]
    assert rows[4]["body"] == "Anytown City Council"
    assert rows[4]["payment_date"] == dt.date(2024, 12, 10)
    assert rows[4]["transaction_ref"] == "12076001"


def test_southend_purpose_of_spend_is_the_category(ws, layout):
    ingest_file(ws, layout("our-spending-over-500-december-2024.csv"), "Southend")
    assert loaded(ws)[4]["category"] == "Residential placements"


# -- encodings and line endings ----------------------------------------------------------------

@pytest.mark.parametrize(
    "name, encoding, delimiter, ending",
    [
        ("council-spend-data-march-23-cp1252.csv", "cp1252", ",", "CRLF"),
        ("council-spend-data-march-23-utf8-bom.csv", "utf-8", ",", "LF"),
        ("council-spend-data-march-23-unicode.txt", "utf-16-le", "\t", "CRLF"),
    ],
)
def test_encodings_keep_pound_signs_and_accents(ws, layout, helpers, name, encoding, delimiter,
                                                ending):
    path = layout(name)
    result = ingest_file(ws, path, "Milton Keynes")
    assert result.encoding == encoding
    [part] = result.parts
    assert counts(part) == (4, 1, 0, 0, 0, 3, 0)
    helpers.assert_accounted(result)
    rows = loaded(ws)
    assert [r["supplier_name"] for r in rows.values()] == [
        "Bill's Minibus and Coach Hire Ltd", "CAFÉ ROUGE", "Société Générale Equipment Finance"]
    assert rows[3]["category"] == "Hospitality under £5k"
    assert rows[2]["amount_raw"] == "-£540.00"
    assert [r["amount"] for r in rows.values()] == [D("-540.00"), D("1250.00"), D("980.40")]
    assert rows[2]["body"] == "Anytown City Council"  # no BOM left on the first cell
    assert rows[4]["payment_date"] == dt.date(2023, 3, 14)
    stored = file_row(ws, result.file_id)
    assert (stored["encoding"], stored["delimiter"], stored["line_ending"]) == (
        encoding, delimiter, ending)
    header = json.loads(ws.con.execute(
        "SELECT header_json FROM file_parts WHERE file_id = ?", [result.file_id]).fetchone()[0])
    assert header[0] == "Body Name"


def test_mostly_utf8_file_with_one_cp1252_line_keeps_both(ws, tmp_path):
    path = tmp_path / "payments-april-2024-two-systems.csv"
    path.write_bytes(
        "Date,Supplier Name,Amount,Expense Type\n01/04/2024,CAFÉ ROUGE,600.00,Food\n"
        .encode()
        + "02/04/2024,ALPHA LTD,700.00,Grants under £5k\n".encode("cp1252")
    )
    ingest_file(ws, path, "Anytown")
    rows = loaded(ws)
    assert rows[2]["supplier_name"] == "CAFÉ ROUGE"
    assert rows[3]["category"] == "Grants under £5k"


@pytest.mark.parametrize("ending, label", [("lf", "LF"), ("crlf", "CRLF"), ("cr", "CR")])
def test_line_endings(ws, layout, helpers, ending, label):
    path = layout(f"line-endings-{ending}-june-2024.csv")
    result = ingest_file(ws, path, "Anytown")
    [part] = result.parts
    assert part.header_line == 3
    assert counts(part) == (7, 2, 2, 0, 0, 3, 0)
    helpers.assert_accounted(result)
    rows = loaded(ws)
    assert sorted(rows) == [4, 5, 7]  # the blank line 6 is skipped in the numbering, not lost
    assert rows[7]["supplier_name"] == "GAMMA LTD"
    assert rows[7]["category"] == "Catering"  # no stray \r at the end of the last cell
    assert file_row(ws, result.file_id)["line_ending"] == label


# -- RFC 4180 quoting and other delimiters ----------------------------------------------------

def test_rfc4180_quoting(ws, layout, helpers):
    path = layout("rfc4180-quoting-may-2024.csv")
    result = ingest_file(ws, path, "Anytown")
    [part] = result.parts
    # 6 physical lines: header, 4 records, one of which spans two lines
    assert counts(part) == (6, 1, 0, 0, 1, 4, 0)
    helpers.assert_accounted(result)
    rows = loaded(ws)
    assert sorted(rows) == [2, 3, 4, 6]
    assert rows[2]["supplier_name"] == "SMITH, JONES & CO LTD"
    assert rows[2]["category"] == "Legal fees, conveyancing"
    assert rows[3]["supplier_name"] == 'THE "BEST" CLEANERS LTD'
    assert rows[4]["category"].splitlines() == ["Repairs to roof", "and gutters, phase 2"]
    assert rows[6]["supplier_name"] == "O'NEILL \"QUALITY\" BUILDERS, LTD"
    assert rows[6]["amount"] == D("2500.50")
    assert rows[6]["transaction_ref"] == "2004"


@pytest.mark.parametrize(
    "name, delimiter",
    [("semicolon-payments-july-2024.csv", ";"), ("pipe-payments-july-2024.txt", "|")],
)
def test_semicolon_and_pipe_delimited(ws, layout, helpers, name, delimiter):
    result = ingest_file(ws, layout(name), "Anytown")
    [part] = result.parts
    assert counts(part) == (4, 1, 0, 0, 0, 3, 0)
    helpers.assert_accounted(result)
    assert file_row(ws, result.file_id)["delimiter"] == delimiter
    rows = loaded(ws)
    assert rows[2]["service_area"] == "Leisure, Culture & Tourism"
    assert rows[2]["supplier_name"] == "PARKS, GARDENS & CO"
    assert [r["amount"] for r in rows.values()] == [D("1250.00"), D("980.00"), D("-120.00")]


def test_decimal_comma_is_never_read_as_hundreds(ws, layout):
    """A European export ("1234,56"): a comma followed by two digits is not a thousands
    separator. Reading it as 1234.56 or quarantining the row are both fine; 123456 is not."""
    ingest_file(ws, layout("semicolon-decimal-comma-july-2024.csv"), "Anytown")
    got = records(ws)
    for line, expected in ((2, D("1234.56")), (3, D("980.00"))):
        row = got[line]
        assert row["status"] == "quarantined" or row["amount"] == expected, row


# -- header quirks -----------------------------------------------------------------------------

def test_isle_of_wight_blank_header_name_and_dotted_dates(ws, layout, helpers):
    result = ingest_file(ws, layout("transparency-data-december-2023-csv.csv"), "Isle of Wight")
    [part] = result.parts
    assert counts(part) == (3, 1, 0, 0, 0, 2, 0)
    helpers.assert_accounted(result)
    rows = loaded(ws)
    assert rows[2]["payment_date"] == dt.date(2023, 12, 22)
    assert rows[2]["amount"] == D("45600.00")
    assert rows[2]["supplier_name"] == "CDW LIMITED UK"
    assert rows[2]["transaction_ref"] == "5105766009"
    assert rows[2]["raw"][1] == "RE"  # the column with no name is kept in the raw values
    header = json.loads(ws.con.execute("SELECT header_json FROM file_parts").fetchone()[0])
    assert header[1] == ""
    assert len(header) == 11


def test_duplicate_header_names(ws, layout, helpers):
    """Wigan / West Northamptonshire: "Date Paid" and "Invoice Date", "Supplier Name(T)"
    beside "Supplier Name", and the same name twice."""
    result = ingest_file(ws, layout("creditor-payments-march-2024-duplicate-headers.csv"), "Wigan")
    helpers.assert_accounted(result)
    mapping = result.mapping[""]
    assert mapping["payment_date"] == "Date Paid"
    assert mapping["supplier_name"] == "Supplier Name"
    assert mapping["amount"] == "Amount"
    assert mapping["category"] == "Expense Type"
    assert mapping["transaction_ref"] == "Transaction Number"
    rows = loaded(ws)
    assert rows[2]["payment_date"] == dt.date(2024, 3, 28)
    assert rows[2]["supplier_name"] == "BRAINTREE BANKING LTD"
    assert rows[2]["category"] == "Bank Charges"  # the first of the two same-named columns
    assert rows[2]["transaction_ref"] == "05435903"  # leading zero kept
    assert any("Invoice Date" in n for n in result.notes)
    assert any("Supplier Name(T)" in n for n in result.notes)


# -- dates and amounts -------------------------------------------------------------------------

def test_date_and_amount_styles_in_one_file(ws, layout, helpers):
    result = ingest_file(ws, layout("date-and-amount-styles-2023-24.csv"), "Anytown")
    [part] = result.parts
    assert counts(part) == (8, 1, 0, 0, 0, 7, 0)
    helpers.assert_accounted(result)
    rows = loaded(ws)
    expected = {
        2: (dt.date(2023, 4, 1), D("1234.56"), []),
        3: (dt.date(2023, 4, 2), D("-250.00"), ["credit"]),
        4: (dt.date(2012, 6, 1), D("-12.50"), ["credit"]),
        5: (dt.date(2023, 4, 3), D("222441.16"), []),
        6: (dt.date(2023, 3, 15), D("600.00"), []),  # Excel day 45000
        7: (None, D("700.00"), ["placeholder_date"]),
        8: (dt.date(2024, 3, 31), D("-250.00"), ["credit"]),
    }
    got = {line: (r["payment_date"], r["amount"], r["flags"]) for line, r in rows.items()}
    assert got == expected
    assert rows[7]["date_raw"] == "00:00:00"
    assert rows[7]["period_start"] is None  # an unknown date invents no period
    assert rows[5]["amount_raw"] == "222,441.16"


def test_two_digit_years(ws, layout):
    """North Northamptonshire, Milton Keynes, Portsmouth publish 03-Apr-23; docs/ingest.md
    promises dd/mm/yy."""
    result = ingest_file(ws, layout("expenditure-north-april-2023-two-digit-years.csv"),
                         "North Northamptonshire")
    rows = loaded(ws)
    assert [r["payment_date"] for r in rows.values()] == [
        dt.date(2023, 4, 3), dt.date(2023, 4, 28), dt.date(2023, 4, 21)]
    assert all("placeholder_date" not in r["flags"] for r in rows.values())
    assert result.period == "2023-04-01..2023-04-30"
    assert result.period_source == "dates"


def test_two_digit_year_file_still_counts_every_line(ws, layout, helpers):
    result = ingest_file(ws, layout("expenditure-north-april-2023-two-digit-years.csv"),
                         "North Northamptonshire")
    assert counts(result.parts[0]) == (4, 1, 0, 0, 0, 3, 0)
    helpers.assert_accounted(result)
    rows = loaded(ws)
    assert [r["amount"] for r in rows.values()] == [D("-8503.95"), D("15000.00"), D("620.00")]
    assert rows[2]["service_area"] == "OP North Older People CCP LT"


def test_slough_period_column_gives_the_month(ws, layout):
    ingest_file(ws, layout("payments-to-suppliers-april-2023-period-column.csv"), "Slough")
    rows = loaded(ws)
    for row in rows.values():
        assert row["payment_date"] is None
        assert "month_only_date" in row["flags"]
        assert (row["period_start"], row["period_end"]) == (dt.date(2023, 4, 1),
                                                            dt.date(2023, 4, 30))


def test_slough_vendor_columns(ws, layout, helpers):
    result = ingest_file(ws, layout("payments-to-suppliers-april-2023-period-column.csv"),
                         "Slough")
    helpers.assert_accounted(result)
    rows = loaded(ws)
    assert [r["supplier_name"] for r in rows.values()] == ["247 CARESERVICES LTD",
                                                           "PAPER PEOPLE LTD"]
    assert rows[2]["supplier_ref"] == "804709"
    assert rows[2]["amount"] == D("11160.00")


def test_thurrock_padded_amounts_header_and_values(ws, layout, helpers):
    result = ingest_file(ws, layout("payments-202304-v01.csv"), "Thurrock")
    [part] = result.parts
    assert counts(part) == (3, 1, 0, 0, 0, 2, 0)
    helpers.assert_accounted(result)
    assert result.mapping[""]["amount"] == "Amounts"
    assert result.mapping[""]["payment_date"] == "Date"  # not the Month column
    rows = loaded(ws)
    assert [r["amount"] for r in rows.values()] == [D("27000.00"), D("1020.50")]
    assert rows[2]["payment_date"] == dt.date(2023, 4, 15)
    assert rows[2]["supplier_name"] == "County Council"
    assert rows[2]["merchant_category"] == "Private Contractors"
    assert rows[2]["service_area"] == "Adults; Housing and Health"


def test_month_first_dates_when_the_file_proves_it(ws, layout):
    result = ingest_file(ws, layout("us-date-export-december-2024.csv"), "Anytown")
    assert [r["payment_date"] for r in loaded(ws).values()] == [
        dt.date(2024, 12, 2), dt.date(2024, 12, 15), dt.date(2024, 12, 31)]
    assert any("month/day/year" in n for n in result.notes)


# -- a quarter pasted together from monthly exports --------------------------------------------

def test_combined_quarter_repeated_headers_junk_and_quarantine(ws, layout, helpers):
    path = layout("expenditure-over-500-jan-mar-2024-combined.csv")
    result = ingest_file(ws, path, "Anytown")
    [part] = result.parts
    assert helpers.physical_lines(path) == 16
    # header 1; blank 5, 11, 15; non-data: repeated headers 6 and 12, junk 10, total 16;
    # quarantined: 7 (unquoted thousands comma) and 8 (TBC); loaded: the other 6
    assert counts(part) == (16, 1, 3, 4, 0, 6, 2)
    helpers.assert_accounted(result)
    got = records(ws)
    assert got[6]["reason"] == got[12]["reason"] == "repeated header"
    assert got[10]["reason"] == "no payment fields (note or junk line)"
    assert got[16]["reason"] == "footer total"
    assert got[7]["status"] == "quarantined"
    assert got[7]["reason"] == "more fields than the header (1 extra)"
    assert got[7]["raw"][5:7] == ["1", "500.00"]
    assert got[8]["reason"] == "amount is not a number: TBC"
    rows = loaded(ws)
    assert rows[2]["flags"] == rows[3]["flags"] == ["duplicate_row"]
    assert rows[4]["flags"] == ["individual_payee"]
    assert rows[9]["flags"] == ["zero_amount"]
    # the published total includes the quarantined £1,500 audit fee: the note says so
    assert part.footer_total == pytest.approx(7150.00)
    assert part.amount_loaded == pytest.approx(5650.00)
    assert any("differs from the loaded payments by £1,500.00" in n for n in result.notes)
    assert result.period == "2024-01-01..2024-03-31"


def test_out_of_range_amount_is_quarantined_not_fatal(ws, tmp_path, helpers):
    path = tmp_path / "shifted-columns-april-2024.csv"
    path.write_text(
        "Date,Supplier Name,Amount,Transaction Number\n"
        "01/04/2024,ALPHA LTD,100.00,51200433307\n"
        "02/04/2024,BETA LTD,51200433307000000000,\n"
    )
    result = ingest_file(ws, path, "Anytown")
    helpers.assert_accounted(result)
    assert (result.totals()["rows_loaded"], result.totals()["rows_quarantined"]) == (1, 1)
    assert records(ws, "status = 'quarantined'")[3]["amount_raw"] == "51200433307000000000"


def test_subtotal_lines_are_non_data(ws, layout, helpers):
    result = ingest_file(ws, layout("payments-by-service-with-subtotals-april-2024.csv"),
                         "Anytown")
    [part] = result.parts
    assert counts(part) == (7, 1, 0, 3, 0, 3, 0)
    helpers.assert_accounted(result)
    assert part.amount_loaded == pytest.approx(3500.00)
    assert {r["reason"] for r in records(ws, "status = 'nondata'").values()} == {"footer total"}


def test_grand_total_is_the_files_own_total_not_the_sum_of_subtotals(ws, layout):
    result = ingest_file(ws, layout("payments-by-service-with-subtotals-april-2024.csv"),
                         "Anytown")
    assert result.parts[0].footer_total == pytest.approx(3500.00)
    assert any("matches the loaded payments" in n for n in result.notes)


# -- central government / NHS spend over £25,000 -----------------------------------------------

def test_nhs_spend_over_25k_keeps_every_line_of_a_split_transaction(ws, layout, helpers):
    result = ingest_file(ws, layout("anytown-nhs-ft-spend-over-25k-may-2024.csv"),
                         "Anytown NHS FT")
    [part] = result.parts
    assert counts(part) == (6, 1, 0, 0, 0, 5, 0)
    helpers.assert_accounted(result)
    assert result.period == "2024-05-01..2024-05-31"
    rows = loaded(ws)
    split = [r for r in rows.values() if r["transaction_ref"] == "4100123"]
    assert [r["amount"] for r in split] == [D("30000.00"), D("4500.00"), D("350.25")]
    assert sum(r["amount"] for r in split) == D("34850.25")
    assert [r["flags"] for r in split] == [[], [], ["under_500"]]
    first = rows[2]
    assert first["body"] == "Anytown NHS Foundation Trust"  # Entity
    assert first["category"] == "Drugs"  # Expense type
    assert first["service_area"] == "Pharmacy"  # Expense area
    assert first["supplier_name"] == "MEDSUPPLY UK LTD"
    assert first["vat_number"] == "GB123456789"
    assert rows[5]["amount"] == D("125000.00")
    assert rows[6]["amount"] == D("-26000.00") and rows[6]["flags"] == ["credit"]
    assert part.amount_loaded == pytest.approx(133850.25)


# -- workbooks ---------------------------------------------------------------------------------

def test_xlsx_two_monthly_sheets_and_a_notes_sheet(ws, layout, helpers):
    result = ingest_file(ws, layout("payments-over-500-q1-2024-25.xlsx"), "Anytown")
    assert result.format == "xlsx"
    assert result.encoding is None
    assert [p.sheet for p in result.parts] == ["April 2024", "May 2024", "Notes"]
    helpers.assert_accounted(result)
    april, may, notes = result.parts
    assert (april.header_line, counts(april)) == (2, (5, 2, 0, 0, 0, 3, 0))
    assert (may.header_line, counts(may)) == (2, (4, 2, 0, 0, 0, 2, 0))
    assert april.amount_loaded == pytest.approx(24636.28)
    assert may.amount_loaded == pytest.approx(1639.99)
    assert notes.rows_loaded == 0 and notes.header_line is None
    assert notes.skipped_reason
    assert notes.lines_total == 4 and notes.lines_blank == 1
    assert result.period == "2024-04-01..2024-05-31"

    rows = ws.con.execute(
        "SELECT f.sheet, r.source_line, r.payment_date, r.amount, r.supplier_name, r.category, "
        "r.transaction_ref FROM records r JOIN file_parts f USING (file_id, part_no) "
        "WHERE r.status = 'loaded' ORDER BY r.part_no, r.source_line"
    ).fetchall()
    assert rows == [
        ("April 2024", 3, dt.date(2024, 4, 3), D("1500.00"), "ALPHA CARE LTD", "Care", "APR-1"),
        ("April 2024", 4, dt.date(2024, 4, 17), D("23456.78"), "ROADS 'R' US LTD", "Repairs",
         "APR-2"),
        ("April 2024", 5, dt.date(2024, 4, 30), D("-320.50"), "BANK PLC", "Charges", "APR-3"),
        ("May 2024", 3, dt.date(2024, 5, 2), D("999.99"), "BOOKS DIRECT LTD", "Stock", "MAY-1"),
        ("May 2024", 4, dt.date(2024, 5, 31), D("640.00"), "CAFÉ ROUGE", "Hospitality £",
         "MAY-2"),
    ]
    parts = ws.con.execute(
        "SELECT part_no, sheet, skipped_reason IS NOT NULL FROM file_parts ORDER BY part_no"
    ).fetchall()
    assert parts == [(0, "April 2024", False), (1, "May 2024", False), (2, "Notes", True)]


def test_xlsx_text_cells_time_placeholder_and_formula_total(ws, layout, helpers):
    result = ingest_file(ws, layout("payments-to-suppliers-february-2024.xlsx"), "St Anytown")
    [part] = result.parts
    assert part.header_line == 3
    assert counts(part) == (8, 2, 2, 1, 0, 3, 0)
    helpers.assert_accounted(result)
    assert part.footer_total == pytest.approx(4000.00) == part.amount_loaded
    rows = loaded(ws)
    assert [(r["payment_date"], r["amount"]) for r in rows.values()] == [
        (dt.date(2024, 2, 5), D("1234.50")),  # a real date cell, a number cell
        (dt.date(2024, 2, 12), D("2000.00")),  # both typed as text
        (None, D("765.50")),  # a time-only cell: no day
    ]
    assert rows[6]["flags"] == ["placeholder_date"]
    assert result.period == "2024-02-01..2024-02-29"


def test_ods_with_title_rows_and_a_total(ws, layout, helpers):
    result = ingest_file(ws, layout("parish-expenditure-june-2024.ods"), "Anytown Parish")
    assert result.format == "ods"
    [part] = result.parts
    assert part.sheet == "June 2024"
    assert part.header_line == 3
    assert counts(part) == (7, 2, 1, 1, 0, 3, 0)
    helpers.assert_accounted(result)
    assert part.footer_total == pytest.approx(2360.75)
    assert part.amount_loaded == pytest.approx(2360.75)
    rows = loaded(ws)
    assert [(r["payment_date"], r["amount"], r["supplier_name"]) for r in rows.values()] == [
        (dt.date(2024, 6, 4), D("600.00"), "VILLAGE HALL TRUST"),
        (dt.date(2024, 6, 18), D("1250.75"), "GROUNDS CARE LTD"),
        (dt.date(2024, 6, 25), D("510.00"), "CLERK SUPPLIES LTD"),
    ]
    assert rows[6]["category"] == "Stationery £"


def test_legacy_xls(ws, layout, helpers):
    result = ingest_file(ws, layout("spend-over-500-march-2024.xls"), "Anytown District")
    assert result.format == "xls"
    [part] = result.parts
    assert part.sheet == "Spend Mar 2024"
    assert part.header_line == 3
    assert counts(part) == (6, 2, 1, 0, 0, 3, 0)
    helpers.assert_accounted(result)
    rows = loaded(ws)
    assert [(r["supplier_ref"], r["payment_date"], r["amount"]) for r in rows.values()] == [
        ("S001", dt.date(2024, 3, 4), D("5000.00")),
        ("S002", dt.date(2024, 3, 11), D("32100.45")),
        ("S003", dt.date(2024, 3, 28), D("750.00")),
    ]
    assert rows[5]["supplier_name"] == "BETA & SONS"
    assert rows[5]["service_area"] == "Waste"
    assert result.period == "2024-03-01..2024-03-31"


# -- supplier totals ---------------------------------------------------------------------------

def test_supplier_totals_with_the_period_in_the_name(ws, layout, helpers):
    result = ingest_file(ws, layout("supplier-spend-totals-apr-jun-2024.csv"), "Anytown")
    assert result.kind == "supplier_totals"
    assert result.period == "2024-04-01..2024-06-30"
    assert result.period_source == "filename"
    [part] = result.parts
    assert counts(part) == (5, 1, 0, 1, 0, 3, 0)
    helpers.assert_accounted(result)
    assert part.footer_total == pytest.approx(130280.25) == part.amount_loaded
    rows = loaded(ws)
    assert {r["record_type"] for r in rows.values()} == {"period_total"}
    assert {(r["period_start"], r["period_end"]) for r in rows.values()} == {
        (dt.date(2024, 4, 1), dt.date(2024, 6, 30))}
    assert all(r["payment_date"] is None for r in rows.values())
    assert rows[2]["supplier_name"] == "ALPHA CONSTRUCTION LTD"
    assert rows[2]["amount"] == D("125000.00")
    stored = file_row(ws, result.file_id)
    assert (stored["kind"], stored["period_start"], stored["period_end"]) == (
        "supplier_totals", dt.date(2024, 4, 1), dt.date(2024, 6, 30))


def test_supplier_totals_with_period_option(ws, layout):
    result = ingest_file(ws, layout("supplier-spend-totals.csv"), "Anytown", period="2024-Q2")
    assert result.kind == "supplier_totals"
    assert (result.period, result.period_source) == ("2024-04-01..2024-06-30", "option")
    assert {r["record_type"] for r in loaded(ws).values()} == {"period_total"}


def test_financial_quarter_in_a_supplier_totals_file_name(ws, layout, tmp_path):
    path = tmp_path / "Q1-2023-24-supplier-totals.csv"  # as Tameside names its quarters
    path.write_bytes(layout("supplier-spend-totals.csv").read_bytes())
    result = ingest_file(ws, path, "Tameside")
    assert result.period == "2023-04-01..2023-06-30"


@pytest.mark.parametrize(
    "name, period",
    [
        ("Over-500-April-23.csv", "2023-04-01..2023-04-30"),  # Reading
        ("Council Spend Data April 23.csv", "2023-04-01..2023-04-30"),  # Milton Keynes
        ("q3-2023-24.csv", "2023-10-01..2023-12-31"),  # Tameside
    ],
)
def test_period_from_real_file_names(name, period):
    from anchornet.ingest.period import period_from_name

    assert str(period_from_name(name)) == period


def test_workbook_rows_keep_their_spreadsheet_row_numbers(ws, tmp_path, helpers):
    """A sheet whose table starts at B5, with an empty row inside: source_line is the row
    number a person sees in Excel."""
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.title = "Data"
    sheet["B5"], sheet["C5"], sheet["D5"] = "Supplier Name", "Date", "Amount"
    sheet["B6"], sheet["C6"], sheet["D6"] = "ALPHA LTD", dt.date(2024, 4, 1), 1000
    sheet["B8"], sheet["C8"], sheet["D8"] = "BETA LTD", dt.date(2024, 4, 2), 2000.5
    path = tmp_path / "offset-table-april-2024.xlsx"
    wb.save(path)
    result = ingest_file(ws, path, "Anytown")
    [part] = result.parts
    assert (part.header_line, counts(part)) == (5, (8, 1, 5, 0, 0, 2, 0))
    helpers.assert_accounted(result)
    rows = loaded(ws)
    assert sorted(rows) == [6, 8]
    assert rows[8]["amount"] == D("2000.50")
    assert rows[8]["raw"][1:] == ["BETA LTD", "2024-04-02", "2000.5"]


# -- published column names that once had no synonym (Rutland, Worcestershire, Medway) --------

@pytest.mark.parametrize(
    "name, field, header",
    [
        ("payments-made-to-suppliers-2023-to-2024.csv", "amount", "Amount (Net of VAT)"),
        ("over-500-spend-report-june-2023.csv", "amount", "Total Net Amount"),
        ("spending-data-april-2023.csv", "supplier_name", "Supplier or Redacted Statement"),
    ],
    ids=["rutland", "worcestershire", "medway"],
)
def test_real_column_names_for_amount_and_supplier(ws, layout, helpers, name, field, header):
    result = ingest_file(ws, layout(name), "Council")
    helpers.assert_accounted(result)
    assert result.mapping[""][field] == header
    assert result.totals()["rows_loaded"] == 2


# -- the fast reader and the exact reader agree on every layout --------------------------------

TEXT_LAYOUTS = [
    "lgtc-expenditure-over-500-april-2024.csv",
    "council-spend-data-march-23-cp1252.csv",
    "council-spend-data-march-23-unicode.txt",
    "line-endings-cr-june-2024.csv",
    "rfc4180-quoting-may-2024.csv",
    "expenditure-over-500-jan-mar-2024-combined.csv",
]


def _load_with_reader(tmp_path, monkeypatch, path, fast: bool):
    from anchornet.workspace import Workspace

    monkeypatch.setattr(delimited, "FAST_PATH_MIN_CHARS", 0 if fast else 10**12)
    workspace = Workspace(tmp_path / f"ws-{fast}")
    try:
        result = ingest_file(workspace, path, "Anytown")
        rows = workspace.con.execute(
            "SELECT source_line, status, reason, payment_date, amount, supplier_name, "
            "category, flags, raw FROM records ORDER BY source_line"
        ).fetchall()
        return result.totals(), [p.footer_total for p in result.parts], rows
    finally:
        workspace.close()


def _trimmed(raw: list | None) -> list | None:
    if raw is None:  # a payment whose cells are all in its fields
        return None
    cells = ["" if c is None else c for c in raw]
    while cells and cells[-1] == "":
        cells.pop()
    return cells


@pytest.mark.parametrize("name", TEXT_LAYOUTS)
def test_fast_reader_agrees_with_the_exact_reader(tmp_path, layout, monkeypatch, name):
    fast = _load_with_reader(tmp_path, monkeypatch, layout(name), True)
    exact = _load_with_reader(tmp_path, monkeypatch, layout(name), False)
    assert fast[:2] == exact[:2]
    assert [r[:-1] + (_trimmed(r[-1]),) for r in fast[2]] == [
        r[:-1] + (_trimmed(r[-1]),) for r in exact[2]]


def test_fast_reader_keeps_the_same_raw_cells(tmp_path, layout, monkeypatch):
    path = layout("expenditure-over-500-jan-mar-2024-combined.csv")
    fast = _load_with_reader(tmp_path, monkeypatch, path, True)
    exact = _load_with_reader(tmp_path, monkeypatch, path, False)
    assert {r[0]: r[-1] for r in fast[2]} == {r[0]: r[-1] for r in exact[2]}
