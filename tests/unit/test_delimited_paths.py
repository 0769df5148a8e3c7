"""The fast DuckDB path and the exact csv-module path must give identical records."""

from __future__ import annotations

import codecs

import pytest

from anchornet import Workspace, ingest_file
from anchornet.ingest import delimited

HEADER = "Date,Supplier,Amount,Category\n"
ROWS = [
    "01/04/2024,ACME LTD,600.00,Stationery\n",
    '02/04/2024,"SMITH, JONES & CO",1200.50,"Legal, fees"\n',
    '03/04/2024,"THE ""BEST"" CAFE",-75.00,Catering\n',
    "\n",
    ",,,\n",
    "04/04/2024,CAFÉ ROUGE,£1,000.00,Catering\n",  # unquoted comma: more fields than header
    "05/04/2024,GREEN LTD,abc,Grounds\n",
    "Total,,1725.50,\n",
]


def _records(ws):
    return ws.con.execute(
        "SELECT source_line, status, reason, supplier_name, amount FROM records ORDER BY source_line"
    ).fetchall()


def _load(tmp_path, name, data: bytes, fast: bool, monkeypatch):
    monkeypatch.setattr(delimited, "FAST_PATH_MIN_CHARS", 0 if fast else 10**12)
    path = tmp_path / name
    path.write_bytes(data)
    ws = Workspace(tmp_path / f"ws-{fast}-{name}")
    result = ingest_file(ws, path, "M")
    return ws, result


@pytest.mark.parametrize(
    "name, encode",
    [
        ("lf.csv", lambda t: t.encode("utf-8")),
        ("crlf.csv", lambda t: t.replace("\n", "\r\n").encode("utf-8")),
        ("cr.csv", lambda t: t.replace("\n", "\r").encode("utf-8")),
        ("bom.csv", lambda t: codecs.BOM_UTF8 + t.encode("utf-8")),
        ("cp1252.csv", lambda t: t.encode("cp1252")),
        ("utf16.csv", lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le")),
    ],
)
def test_fast_and_exact_paths_agree(tmp_path, monkeypatch, name, encode):
    text = "Anytown Council payments\n\n" + HEADER + "".join(ROWS)
    data = encode(text)
    fast_ws, fast = _load(tmp_path, name, data, True, monkeypatch)
    exact_ws, exact = _load(tmp_path, name, data, False, monkeypatch)
    assert _records(fast_ws) == _records(exact_ws)
    for result in (fast, exact):
        t = result.totals()
        assert t["lines_total"] == 2 + 1 + len(ROWS)
        assert t["lines_header"] == 2  # title and header
        assert t["lines_blank"] == 3  # the blank line below the title, "\n" and ",,,"
        assert t["rows_loaded"] == 3
        assert t["rows_quarantined"] == 2
        assert t["lines_nondata"] == 1
        parts = [v for k, v in t.items() if k.startswith(("lines_", "rows_")) and k != "lines_total"]
        assert sum(parts) == t["lines_total"]
    records = _records(fast_ws)
    assert [r[3] for r in records if r[1] == "loaded"] == [
        "ACME LTD", "SMITH, JONES & CO", 'THE "BEST" CAFE'
    ]
    reasons = {r[0]: r[2] for r in records if r[1] == "quarantined"}
    assert reasons[9].startswith("more fields than the header")
    assert reasons[10] == "amount is not a number: abc"
    assert fast.parts[0].footer_total == 1725.50
    assert any("matches the loaded payments" in n for n in fast.notes)
    fast_ws.close()
    exact_ws.close()


def test_quoted_line_break_falls_back_to_the_exact_path(tmp_path, monkeypatch):
    text = HEADER + '01/04/2024,"ACME\nLTD",600.00,Stationery\n02/04/2024,B LTD,700.00,X\n'
    ws, result = _load(tmp_path, "nl.csv", text.encode(), True, monkeypatch)
    t = result.totals()
    assert t["lines_total"] == 4 and t["lines_continuation"] == 1 and t["rows_loaded"] == 2
    assert ws.con.execute(
        "SELECT source_line FROM payments WHERE supplier_name = 'B LTD'"
    ).fetchone()[0] == 4
    ws.close()
