"""Exports and the quality report, on the bundled sample."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import duckdb
import pytest

from anchornet import Workspace, ingest_file
from anchornet.errors import AnchornetError
from anchornet.ingest.quality import quality_report
from anchornet.reports.exports import export
from anchornet.reports.quality_html import render_quality_html
from anchornet.sample import SAMPLE_MEMBER, sample_files

PAYMENT_COLUMNS = [
    "member", "source_file", "source_sha256", "source_sheet", "source_line", "payment_date",
    "period_start", "period_end", "amount", "supplier_name", "supplier_ref", "category",
    "service_area", "transaction_ref", "capital_revenue", "flags",
]


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    workspace = Workspace(tmp_path_factory.mktemp("exports") / "ws")
    for path in sample_files()[:3]:
        ingest_file(workspace, path, SAMPLE_MEMBER)
    yield workspace
    workspace.close()


def test_payments_csv_has_the_documented_columns_and_reconciles(ws, tmp_path):
    out = tmp_path / "payments.csv"
    rows = export(ws, "payments", out)
    with open(out, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames[: len(PAYMENT_COLUMNS)] == PAYMENT_COLUMNS
        data = list(reader)
    assert len(data) == rows
    total = sum(Decimal(r["amount"]) for r in data)
    assert total == ws.con.execute("SELECT sum(amount) FROM payments").fetchone()[0]
    placeholder = [r for r in data if "placeholder_date" in r["flags"]]
    assert placeholder and all(r["payment_date"] == "" for r in placeholder)
    dated = [r for r in data if r["payment_date"]]
    assert all(len(r["payment_date"]) == 10 and r["payment_date"][4] == "-" for r in dated)


def test_payments_parquet_and_xlsx(ws, tmp_path):
    n = export(ws, "payments", tmp_path / "p.parquet")
    con = duckdb.connect()
    assert con.execute(f"SELECT count(*) FROM '{tmp_path / 'p.parquet'}'").fetchone()[0] == n
    n2 = export(ws, "payments", tmp_path / "p.xlsx")
    import openpyxl

    book = openpyxl.load_workbook(tmp_path / "p.xlsx", read_only=True)
    sheet = book.active
    header = next(sheet.iter_rows(max_row=1, values_only=True))
    assert list(header[: len(PAYMENT_COLUMNS)]) == PAYMENT_COLUMNS
    assert sheet.max_row == n2 + 1


def test_member_filter_and_unknown_member(ws, tmp_path):
    assert export(ws, "payments", tmp_path / "m.csv", member=SAMPLE_MEMBER) > 0
    with pytest.raises(AnchornetError):
        export(ws, "payments", tmp_path / "x.csv", member="Nobody")
    assert not (tmp_path / "x.csv").exists()


def test_unknown_format_is_refused(ws, tmp_path):
    with pytest.raises(AnchornetError):
        export(ws, "payments", tmp_path / "p.txt")


def test_files_and_quarantine_exports(ws, tmp_path):
    assert export(ws, "files", tmp_path / "f.csv") == 3
    n = export(ws, "quarantine", tmp_path / "q.csv")
    assert n == 0
    header = (tmp_path / "q.csv").read_text().splitlines()[0].split(",")
    assert header[:6] == ["member", "source_file", "source_sha256", "source_sheet",
                          "source_line", "reason"]


def test_quality_report(ws):
    report = quality_report(ws)
    assert len(report["files"]) == 3
    placeholder = next(f for f in report["files"] if "apr-jun-2014" in f["file"])
    assert placeholder["valid_date_share"] == 0
    assert placeholder["placeholder_dates"] == placeholder["rows_loaded"] == 3836
    assert placeholder["lgtc_required"]["supplier_name"] is True
    assert placeholder["lgtc_required"]["merchant_category"] is False
    member = report["members"][0]
    assert member["rows_loaded"] == sum(f["rows_loaded"] for f in report["files"])
    json.dumps(report, default=str)


def test_quality_html_is_self_contained_and_names_no_payee(ws):
    html = render_quality_html(quality_report(ws), "ws")
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    assert "Data quality report" in html
    names = [r[0] for r in ws.con.execute(
        "SELECT DISTINCT supplier_name FROM payments WHERE list_contains(flags, 'individual_payee')"
    ).fetchall()]
    assert names
    assert not any(name in html for name in names)
