"""Golden figures for the bundled Oxford sample: every payment loaded, nothing invented."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from anchornet import Workspace, ingest_file
from anchornet.ingest.inventory import file_status, totals
from anchornet.sample import SAMPLE_MEMBER, sample_files


@pytest.fixture(scope="module")
def oxford(tmp_path_factory):
    ws = Workspace(tmp_path_factory.mktemp("oxford") / "ws")
    results = [ingest_file(ws, p, SAMPLE_MEMBER) for p in sample_files()]
    yield ws, results
    ws.close()


def test_every_payment_loaded_with_the_published_total(oxford):
    ws, _ = oxford
    n, total = ws.con.execute("SELECT count(*), sum(amount) FROM payments").fetchone()
    assert n == 30_558
    assert total == Decimal("109491754.71")


def test_lines_add_up_for_every_file(oxford):
    ws, _ = oxford
    files = file_status(ws)
    assert len(files) == 8
    for f in files:
        assert f["accounted"] == f["lines_total"], f["name"]
    summary = totals(files)
    assert summary["rows_loaded"] == 30_558
    assert summary["rows_quarantined"] == 0
    assert summary["lines_nondata"] == 1  # the ",,xxx,,,,,,," trailer


def test_junk_trailer_is_non_data_not_a_payment(oxford):
    ws, _ = oxford
    rows = ws.con.execute(
        "SELECT f.name, r.source_line, r.status, r.raw FROM records r JOIN files f USING (file_id) "
        "WHERE r.status <> 'loaded'"
    ).fetchall()
    assert len(rows) == 1
    name, line, status, raw = rows[0]
    assert name == "expenditure-over-500-jan-mar-2014.csv"
    assert line == 3861 and status == "nondata"
    assert "xxx" in raw


def test_zero_amount_credits_and_duplicates_are_loaded(oxford):
    ws, _ = oxford
    zero, credits, dups = ws.con.execute(
        "SELECT count(*) FILTER (WHERE amount = 0), count(*) FILTER (WHERE amount < 0), "
        "count(*) FILTER (WHERE list_contains(flags, 'duplicate_row')) FROM payments"
    ).fetchone()
    assert zero == 1
    assert credits == 55
    assert dups == 4  # two pairs of exact duplicate rows, both kept


def test_placeholder_quarter_has_unknown_dates_and_the_files_period(oxford):
    ws, _ = oxford
    rows = ws.con.execute(
        """SELECT count(*), count(payment_date), min(date_raw), max(date_raw),
                  bool_and(list_contains(flags, 'placeholder_date')),
                  min(r.period_start), max(r.period_end), any_value(f.period_source)
           FROM payments r JOIN files f USING (file_id)
           WHERE f.name = 'expenditure-over-500-apr-jun-2014.csv'"""
    ).fetchone()
    count, dated, lo, hi, all_flagged, start, end, source = rows
    assert count == 3836 and dated == 0
    assert lo == hi == "00:00:00" and all_flagged
    assert (start, end) == (dt.date(2014, 4, 1), dt.date(2014, 6, 30))
    assert source == "filename"


def test_periods_come_from_dates_elsewhere(oxford):
    ws, _ = oxford
    rows = dict(
        ws.con.execute(
            "SELECT name, period_source FROM files WHERE status = 'active'"
        ).fetchall()
    )
    assert rows.pop("expenditure-over-500-apr-jun-2014.csv") == "filename"
    assert set(rows.values()) == {"dates"}


def test_quoted_supplier_name_arrives_intact(oxford):
    ws, _ = oxford
    n = ws.con.execute(
        "SELECT count(*) FROM payments WHERE supplier_name = 'BLACKBIRD LEYS N\"HOOD SUPPORT SCHEME'"
    ).fetchone()[0]
    assert n >= 8


def test_damaged_characters_are_kept_as_published(oxford):
    ws, _ = oxford
    names = [r[0] for r in ws.con.execute(
        "SELECT supplier_name FROM payments WHERE supplier_name LIKE '%ATELIER%' "
        "OR supplier_name LIKE 'JULIE%BICYCLE'"
    ).fetchall()]
    assert any("\u01e6" in n for n in names)  # 'LǦATELIER' as published
    assert any("\ufffd" in n for n in names)  # 'JULIE�S BICYCLE' as published


def test_five_header_spellings_map_to_the_same_fields(oxford):
    ws, _ = oxford
    nulls = ws.con.execute(
        "SELECT count(*) FILTER (WHERE service_area IS NULL), count(*) FILTER (WHERE category IS NULL),"
        " count(*) FILTER (WHERE supplier_ref IS NULL), count(*) FILTER (WHERE capital_revenue IS NULL)"
        " FROM payments"
    ).fetchone()
    assert nulls == (0, 0, 0, 0)


def test_lineage_points_at_the_original_line(oxford):
    ws, _ = oxford
    name, line, raw, sha = ws.con.execute(
        "SELECT f.name, r.source_line, r.raw, f.sha256 FROM payments r JOIN files f USING (file_id) "
        "WHERE r.transaction_ref = '46281050_1'"
    ).fetchone()
    assert (name, line) == ("expenditure-over-500-apr-jun-2014.csv", 2132)
    original = ws.original_path(sha).read_text(encoding="utf-8").splitlines()[line - 1]
    assert "46281050_1" in original and 'N""HOOD' in original
    assert raw is None  # every column is a field: the fields hold the cells
    name = ws.con.execute(
        "SELECT supplier_name FROM payments WHERE transaction_ref = '46281050_1'").fetchone()[0]
    assert name == 'BLACKBIRD LEYS N"HOOD SUPPORT SCHEME'


def test_second_ingest_changes_nothing(oxford):
    ws, _ = oxford
    before = ws.con.execute("SELECT count(*), sum(amount) FROM records").fetchone()
    files_before = ws.con.execute("SELECT count(*) FROM files").fetchone()[0]
    again = [ingest_file(ws, p, SAMPLE_MEMBER) for p in sample_files()]
    assert {r.status for r in again} == {"unchanged"}
    assert sum(r.totals()["rows_loaded"] for r in again) == 30_558
    assert ws.con.execute("SELECT count(*), sum(amount) FROM records").fetchone() == before
    assert ws.con.execute("SELECT count(*) FROM files").fetchone()[0] == files_before


def test_originals_are_stored_by_content_hash(oxford):
    ws, _ = oxford
    for (sha,) in ws.con.execute("SELECT sha256 FROM files").fetchall():
        path = ws.original_path(sha)
        assert path.exists()
        import hashlib

        assert hashlib.sha256(path.read_bytes()).hexdigest() == sha
