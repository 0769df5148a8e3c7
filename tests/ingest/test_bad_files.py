"""Files that cannot be ingested are refused with a clean one-line reason, and the
workspace is left exactly as it was (or, from the CLI, not created at all)."""

from __future__ import annotations

import zipfile

import pytest

from anchornet.cli.main import main
from anchornet.errors import AnchornetError, BadFileError
from anchornet.ingest.loader import ingest_file

# (fixture, words the message must hold)
BAD_FILES = [
    ("bad-empty.csv", ["empty"]),
    ("bad-image.csv", ["binary"]),
    ("bad-archive.zip", ["zip", "not a spreadsheet"]),
    ("bad-no-supplier-or-amount.csv",
     ["supplier", "amount", "'Organisation'", "'Cost Centre'", "'Description'", "'Date'",
      "--mapping"]),
    ("bad-unclosed-quote.csv", ["quot", "line"]),
    ("bad-html-page.csv", ["HTML"]),
    ("supplier-spend-totals.csv", ["supplier-totals", "--period"]),
]
IDS = [name for name, _ in BAD_FILES]


@pytest.fixture
def busy_ws(ws, layout):
    """A workspace that already holds one loaded file."""
    ingest_file(ws, layout("lgtc-expenditure-over-500-april-2024.csv"), "Anytown")
    return ws


def _check_message(message: str, name: str, words: list[str]) -> None:
    assert "\n" not in message
    assert message.startswith(name), message
    assert "Traceback" not in message
    for word in words:
        assert word.lower() in message.lower(), (word, message)


@pytest.mark.parametrize("name, words", BAD_FILES, ids=IDS)
def test_refused_with_a_reason_and_nothing_written(busy_ws, layout, helpers, name, words):
    before = helpers.snapshot(busy_ws)
    with pytest.raises(AnchornetError) as caught:
        ingest_file(busy_ws, layout(name), "Anytown")
    assert isinstance(caught.value, BadFileError)
    _check_message(str(caught.value), name, words)
    assert helpers.snapshot(busy_ws) == before


@pytest.mark.parametrize("name, words", BAD_FILES, ids=IDS)
def test_cli_refuses_and_leaves_no_workspace(tmp_path, layout, capsys, name, words):
    workspace = tmp_path / "new-ws"
    code = main(["--workspace", str(workspace), "ingest", str(layout(name)),
                 "--member", "Anytown"])
    err = capsys.readouterr().err
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("anchornet: error: ")
    assert "Traceback" not in err and "internal error" not in err
    _check_message(lines[0].removeprefix("anchornet: error: "), name, words)
    assert not workspace.exists()


def test_cli_refusal_in_an_empty_existing_directory_leaves_it_empty(tmp_path, layout, capsys):
    workspace = tmp_path / "ws"
    workspace.mkdir()
    code = main(["--workspace", str(workspace), "ingest", str(layout("bad-empty.csv")),
                 "--member", "Anytown"])
    assert code != 0
    assert list(workspace.iterdir()) == []


def test_cli_refusal_keeps_an_existing_workspace_as_it_was(tmp_path, layout, helpers, capsys):
    workspace = tmp_path / "ws"
    good = layout("lgtc-expenditure-over-500-april-2024.csv")
    assert main(["--workspace", str(workspace), "ingest", str(good), "--member", "A",
                 "--quiet"]) == 0
    from anchornet.workspace import Workspace

    with Workspace(workspace) as ws:
        before = helpers.snapshot(ws)
    code = main(["--workspace", str(workspace), "ingest", str(layout("bad-html-page.csv")),
                 "--member", "A"])
    assert code != 0
    assert "Traceback" not in capsys.readouterr().err
    with Workspace(workspace) as ws:
        assert helpers.snapshot(ws) == before


def test_cli_loads_the_good_files_and_refuses_the_bad_one(tmp_path, layout, capsys):
    workspace = tmp_path / "ws"
    code = main(["--workspace", str(workspace), "ingest",
                 str(layout("lgtc-expenditure-over-500-april-2024.csv")),
                 str(layout("bad-image.csv")),
                 str(layout("rfc4180-quoting-may-2024.csv")),
                 "--member", "Anytown", "--json"])
    captured = capsys.readouterr()
    assert code == 1
    import json

    results = json.loads(captured.out)
    assert [r["status"] for r in results] == ["loaded", "refused", "loaded"]
    assert "binary" in results[1]["message"]
    assert "Traceback" not in captured.err
    from anchornet.workspace import Workspace

    with Workspace(workspace) as ws:
        assert ws.con.execute("SELECT count(*) FROM files").fetchone()[0] == 2
        assert ws.con.execute("SELECT count(*) FROM payments").fetchone()[0] == 10


def test_cli_refuses_supplier_totals_then_loads_them_with_period(tmp_path, layout, capsys):
    workspace = tmp_path / "ws"
    path = str(layout("supplier-spend-totals.csv"))
    assert main(["--workspace", str(workspace), "ingest", path, "--member", "A"]) != 0
    assert "--period" in capsys.readouterr().err
    assert not workspace.exists()
    assert main(["--workspace", str(workspace), "ingest", path, "--member", "A",
                 "--period", "2024-04..2024-06", "--quiet"]) == 0


def test_unclosed_quote_names_the_line_where_it_starts(ws, layout):
    with pytest.raises(BadFileError) as caught:
        ingest_file(ws, layout("bad-unclosed-quote.csv"), "Anytown")
    assert "line 3" in str(caught.value)


# -- more damaged inputs, made on the fly -------------------------------------------------------

def _truncated_xlsx(tmp_path, layout):
    data = layout("payments-over-500-q1-2024-25.xlsx").read_bytes()
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(data[:300])
    return path, ["damaged"]


def _xlsx_with_garbage(tmp_path, layout):
    path = tmp_path / "garbage.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "this is not XML")
    return path, ["workbook"]


def _nul_bytes(tmp_path, layout):
    path = tmp_path / "nul.csv"
    path.write_bytes(b"Supplier Name,Amount,Date\nALPHA\x00LTD,100,01/04/2024\n")
    return path, ["binary"]


def _blank_lines_only(tmp_path, layout):
    path = tmp_path / "blank.csv"
    path.write_bytes(b"\r\n\r\n   \r\n")
    return path, ["blank"]


def _title_without_header(tmp_path, layout):
    path = tmp_path / "no-payments-this-month.csv"
    path.write_bytes("Payments over £500 for May 2024\nNo payments this month\n".encode())
    return path, ["'Payments over £500 for May 2024'", "--mapping"]


def _pdf_renamed(tmp_path, layout):
    path = tmp_path / "report.csv"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    return path, ["binary"]


def _ole2_not_a_workbook(tmp_path, layout):
    path = tmp_path / "letter.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    return path, ["workbook"]


def _workbook_without_payments(tmp_path, layout):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Summary"
    wb.active.append(["Directorate", "Budget", "Outturn"])
    wb.active.append(["Place", 1000, 990])
    path = tmp_path / "budget-summary.xlsx"
    wb.save(path)
    return path, ["'Summary'", "'Directorate'", "--mapping"]


MADE = [_truncated_xlsx, _xlsx_with_garbage, _nul_bytes, _blank_lines_only,
        _title_without_header, _pdf_renamed, _ole2_not_a_workbook, _workbook_without_payments]


@pytest.mark.parametrize("make", MADE, ids=[m.__name__.strip("_") for m in MADE])
def test_damaged_inputs_are_refused_cleanly(busy_ws, tmp_path, layout, helpers, make):
    path, words = make(tmp_path, layout)
    before = helpers.snapshot(busy_ws)
    with pytest.raises(BadFileError) as caught:
        ingest_file(busy_ws, path, "Anytown")
    _check_message(str(caught.value), path.name, words)
    assert helpers.snapshot(busy_ws) == before


def test_mapping_naming_a_missing_column_is_refused(busy_ws, layout, helpers, tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns: {supplier_name: 'Payee Name', amount: 'Net'}\n")
    before = helpers.snapshot(busy_ws)
    with pytest.raises(AnchornetError) as caught:
        ingest_file(busy_ws, layout("bad-no-supplier-or-amount.csv"), "Anytown",
                     mapping_path=mapping)
    message = str(caught.value)
    assert "\n" not in message
    assert "'Payee Name'" in message
    assert "'Organisation'" in message and "'Cost Centre'" in message
    assert helpers.snapshot(busy_ws) == before


def test_mapping_error_names_the_file(ws, layout, tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns: {supplier_name: 'Payee Name', amount: 'Net'}\n")
    with pytest.raises(AnchornetError) as caught:
        ingest_file(ws, layout("bad-no-supplier-or-amount.csv"), "Anytown", mapping_path=mapping)
    assert str(caught.value).startswith("bad-no-supplier-or-amount.csv")


@pytest.mark.parametrize(
    "text, words",
    [
        ("columns: [supplier_name, amount]\n", ["columns"]),
        ("columns: {payee: 'Paid To'}\n", ["unknown field", "'payee'"]),
        ("columns: {supplier_name: 'Paid To'}\ndate_order: ymd\n", ["date_order"]),
        ("columns: {supplier_name: [unclosed\n", ["cannot read"]),
    ],
    ids=["not-a-mapping", "unknown-field", "bad-date-order", "bad-yaml"],
)
def test_bad_mapping_files_are_refused(busy_ws, layout, helpers, tmp_path, text, words):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(text)
    before = helpers.snapshot(busy_ws)
    with pytest.raises(AnchornetError) as caught:
        ingest_file(busy_ws, layout("ap-export-august-2024.csv"), "Anytown",
                     mapping_path=mapping)
    for word in words:
        assert word in str(caught.value)
    assert helpers.snapshot(busy_ws) == before


def test_bad_period_option_is_refused(busy_ws, layout, helpers):
    before = helpers.snapshot(busy_ws)
    with pytest.raises(AnchornetError, match="--period"):
        ingest_file(busy_ws, layout("supplier-spend-totals.csv"), "Anytown", period="Q2 2024")
    assert helpers.snapshot(busy_ws) == before
