"""Loading a file again: identical (nothing changes), changed (needs --replace),
with a mapping file (makes a refused file load, or overrides the synonyms)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal

import pytest

from anchornet.cli.main import main
from anchornet.errors import AnchornetError, BadFileError
from anchornet.ingest.loader import ingest_file
from anchornet.workspace import Workspace

D = Decimal


def part_summary(result):
    return [(p.sheet, p.header_line, p.lines_total, p.lines_header, p.lines_blank,
             p.lines_nondata, p.lines_continuation, p.rows_loaded, p.rows_quarantined,
             round(p.amount_loaded, 2), p.footer_total) for p in result.parts]


def files_rows(ws):
    return ws.con.execute(
        "SELECT file_id, name, status, superseded_by FROM files ORDER BY file_id").fetchall()


def payments(ws, *cols):
    return ws.con.execute(
        f"SELECT {', '.join(cols)} FROM payments ORDER BY file_id, source_line").fetchall()


# -- identical files ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "name",
    ["lgtc-expenditure-over-500-april-2024.csv", "payments-over-500-q1-2024-25.xlsx",
     "rfc4180-quoting-may-2024.csv"],
)
def test_identical_file_again_is_unchanged(ws, layout, helpers, name):
    first = ingest_file(ws, layout(name), "Anytown")
    before = helpers.snapshot(ws)
    again = ingest_file(ws, layout(name), "Anytown")
    assert again.status == "unchanged"
    assert again.file_id == first.file_id
    assert part_summary(again) == part_summary(first)
    assert again.totals() == first.totals()
    assert (again.period, again.kind, again.format) == (first.period, first.kind, first.format)
    assert again.notes == first.notes
    assert again.mapping == first.mapping
    assert helpers.snapshot(ws) == before


def test_same_content_for_another_member_is_loaded_for_that_member(ws, layout):
    path = layout("lgtc-expenditure-over-500-april-2024.csv")
    ingest_file(ws, path, "Anytown")
    other = ingest_file(ws, path, "Othertown")
    assert other.status == "loaded"
    assert ws.con.execute("SELECT count(*) FROM files").fetchone()[0] == 2
    by_member = ws.con.execute(
        "SELECT m.name, count(*), sum(p.amount) FROM payments p JOIN members m USING "
        "(member_id) GROUP BY m.name ORDER BY m.name").fetchall()
    assert by_member == [("Anytown", 6, D("68100.50")), ("Othertown", 6, D("68100.50"))]


# -- changed content under the same name -----------------------------------------------------------

V1 = (
    "Body Name,Date,Transaction Number,Amount,Supplier Name\n"
    "Anytown Council,02/04/2024,1,1000.00,ALPHA LTD\n"
    "Anytown Council,03/04/2024,2,2000.00,BETA LTD\n"
)
V2 = (
    "Body Name,Date,Transaction Number,Amount,Supplier Name\n"
    "Anytown Council,02/04/2024,1,1100.00,ALPHA LTD\n"  # corrected amount
    "Anytown Council,03/04/2024,2,2000.00,BETA LTD\n"
    "Anytown Council,29/04/2024,3,700.00,GAMMA LTD\n"  # a late payment added
)


def test_changed_file_needs_replace_then_supersedes(ws, tmp_path, helpers):
    path = tmp_path / "payments-april-2024.csv"
    path.write_text(V1)
    first = ingest_file(ws, path, "Anytown")
    assert first.status == "loaded"

    path.write_text(V2)
    before = helpers.snapshot(ws)
    with pytest.raises(AnchornetError) as caught:
        ingest_file(ws, path, "Anytown")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("payments-april-2024.csv")
    assert "different content" in message and "--replace" in message
    assert helpers.snapshot(ws) == before

    second = ingest_file(ws, path, "Anytown", replace=True)
    assert second.status == "replaced"
    assert second.file_id != first.file_id
    assert files_rows(ws) == [
        (first.file_id, "payments-april-2024.csv", "superseded", second.file_id),
        (second.file_id, "payments-april-2024.csv", "active", None),
    ]
    # the old rows are gone, not hidden: only the new version's records remain
    assert ws.con.execute("SELECT count(*) FROM records WHERE file_id = ?",
                          [first.file_id]).fetchone()[0] == 0
    assert payments(ws, "file_id", "source_line", "supplier_name", "amount") == [
        (second.file_id, 2, "ALPHA LTD", D("1100.00")),
        (second.file_id, 3, "BETA LTD", D("2000.00")),
        (second.file_id, 4, "GAMMA LTD", D("700.00")),
    ]
    assert second.totals()["rows_loaded"] == 3
    # both originals are kept, by content hash
    assert ws.original_path(first.sha256).exists()
    assert ws.original_path(second.sha256).exists()

    # the new version again: unchanged, even with --replace
    assert ingest_file(ws, path, "Anytown").status == "unchanged"
    assert ingest_file(ws, path, "Anytown", replace=True).status == "unchanged"
    assert len(files_rows(ws)) == 2


def test_replace_with_no_earlier_version_is_a_plain_load(ws, layout):
    result = ingest_file(ws, layout("lgtc-expenditure-over-500-april-2024.csv"), "Anytown",
                         replace=True)
    assert result.status == "loaded"
    assert [r[2] for r in files_rows(ws)] == ["active"]


def test_renamed_copy_of_a_loaded_file_is_unchanged(ws, layout, tmp_path):
    """The same bytes under another name are the same file: not loaded twice."""
    original = layout("lgtc-expenditure-over-500-april-2024.csv")
    first = ingest_file(ws, original, "Anytown")
    copy = tmp_path / "april-2024-copy.csv"
    shutil.copyfile(original, copy)
    again = ingest_file(ws, copy, "Anytown")
    assert again.status == "unchanged"
    assert again.file_id == first.file_id
    assert ws.con.execute("SELECT count(*) FROM payments").fetchone()[0] == 6


def test_other_period_option_needs_replace(ws, layout, helpers):
    path = layout("supplier-spend-totals.csv")
    first = ingest_file(ws, path, "Anytown", period="2024-Q2")
    before = helpers.snapshot(ws)
    with pytest.raises(AnchornetError, match="other options or mapping"):
        ingest_file(ws, path, "Anytown", period="2024-Q3")
    assert helpers.snapshot(ws) == before
    second = ingest_file(ws, path, "Anytown", period="2024-Q3", replace=True)
    assert second.status == "replaced"
    assert second.period == "2024-07-01..2024-09-30"
    assert set(payments(ws, "period_start", "period_end")) == {
        (dt.date(2024, 7, 1), dt.date(2024, 9, 30))}
    assert [r[2] for r in files_rows(ws)] == ["superseded", "active"]
    assert files_rows(ws)[0][0] == first.file_id


# -- mapping files ---------------------------------------------------------------------------------

def test_mapping_makes_a_refused_file_load(ws, layout, helpers):
    path = layout("ap-export-august-2024.csv")
    before = helpers.snapshot(ws)
    with pytest.raises(BadFileError) as caught:
        ingest_file(ws, path, "Anytown")
    message = str(caught.value)
    assert "'Paid To'" in message and "'Net Value (GBP)'" in message and "--mapping" in message
    assert helpers.snapshot(ws) == before

    mapping = layout("ap-export-mapping.yaml")
    result = ingest_file(ws, path, "Anytown", mapping_path=mapping)
    assert result.status == "loaded"
    expected = {"supplier_name": "Paid To", "amount": "Net Value (GBP)",
                "payment_date": "Doc Date", "transaction_ref": "Doc No"}
    # the mapping names four columns; the synonyms still read the rest
    assert result.mapping == {"": {**expected, "service_area": "Cost Centre"}}
    stored = ws.con.execute("SELECT mapping_json FROM files WHERE file_id = ?",
                            [result.file_id]).fetchone()[0]
    assert json.loads(stored) == result.mapping
    assert result.totals()["rows_loaded"] == 2
    helpers.assert_accounted(result)
    assert payments(ws, "payment_date", "supplier_name", "amount", "transaction_ref") == [
        (dt.date(2024, 8, 1), "ALPHA SUPPLIES LTD", D("1500.00"), "AP-1"),
        (dt.date(2024, 8, 12), "BETA SERVICES LLP", D("2750.50"), "AP-2"),
    ]
    assert result.period == "2024-08-01..2024-08-31"
    again = ingest_file(ws, path, "Anytown", mapping_path=mapping)
    assert again.status == "unchanged"


def test_mapping_overrides_the_synonyms_and_needs_replace(ws, layout, helpers):
    """'Supplier' holds a code and 'Amount' the gross: the mapping
    {supplier_name: 'Payee', amount: 'Net'} says which columns to read instead."""
    path = layout("payee-and-net-september-2024.csv")
    first = ingest_file(ws, path, "Anytown")
    assert payments(ws, "supplier_name", "amount") == [("S0001", D("1200.00")),
                                                        ("S0002", D("600.00"))]
    mapping = layout("payee-and-net-mapping.yaml")
    before = helpers.snapshot(ws)
    with pytest.raises(AnchornetError, match="--replace"):
        ingest_file(ws, path, "Anytown", mapping_path=mapping)
    assert helpers.snapshot(ws) == before

    second = ingest_file(ws, path, "Anytown", mapping_path=mapping, replace=True)
    assert second.status == "replaced"
    assert second.mapping[""]["supplier_name"] == "Payee"
    assert second.mapping[""]["amount"] == "Net"
    assert payments(ws, "supplier_name", "amount") == [("ALPHA SUPPLIES LTD", D("1000.00")),
                                                        ("BETA SERVICES LLP", D("500.00"))]
    assert [r[2] for r in files_rows(ws)] == ["superseded", "active"]
    assert files_rows(ws)[0][3] == second.file_id
    assert first.sha256 == second.sha256  # same bytes, other reading


# -- the same through the command line ------------------------------------------------------------

def test_cli_reingest_flow(tmp_path, capsys):
    ws_dir = tmp_path / "ws"
    path = tmp_path / "payments-april-2024.csv"
    path.write_text(V1)

    def run(*args):
        code = main(["--workspace", str(ws_dir), "ingest", str(path), "--member", "Anytown",
                     *args])
        return code, capsys.readouterr()

    code, out = run("--json")
    assert code == 0 and json.loads(out.out)[0]["status"] == "loaded"
    code, out = run("--json")
    assert code == 0 and json.loads(out.out)[0]["status"] == "unchanged"

    path.write_text(V2)
    code, out = run()
    assert code != 0
    assert len(out.err.strip().splitlines()) == 1
    assert "--replace" in out.err and "Traceback" not in out.err

    code, out = run("--replace", "--json")
    assert code == 0
    [result] = json.loads(out.out)
    assert result["status"] == "replaced"
    assert result["totals"]["rows_loaded"] == 3

    assert main(["--workspace", str(ws_dir), "status", "--all", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert sorted(f["status"] for f in status["files"]) == ["active", "superseded"]
    with Workspace(ws_dir) as ws:
        assert ws.con.execute("SELECT sum(amount) FROM payments").fetchone()[0] == D("3800.00")
