"""Shared fixtures for the ingestion tests: a fresh workspace, the committed layouts,
and a snapshot of everything an ingest may write (to prove a refusal wrote nothing)."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from anchornet.workspace import Workspace

LAYOUTS = Path(__file__).resolve().parent.parent / "fixtures" / "layouts"




@pytest.fixture
def layout():
    """The path of a committed layout fixture, by file name."""

    def get(name: str) -> Path:
        path = LAYOUTS / name
        assert path.is_file(), f"missing fixture {name}: run tests/fixtures/make_layouts.py"
        return path

    return get


def physical_lines(path: Path, encoding: str = "utf-8") -> int:
    """Lines of a text file as an editor counts them (LF, CRLF or bare CR)."""
    text = path.read_bytes().decode(encoding)
    return len(text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n"))


def snapshot(workspace: Workspace) -> dict:
    """Everything an ingest writes: table rows and the stored originals."""
    con = workspace.con
    state = {
        table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
        for table in ("members", "files", "file_parts")
    }
    state["records"] = con.execute(
        "SELECT file_id, part_no, source_line, status, amount, supplier_name FROM records "
        "ORDER BY ALL"
    ).fetchall()
    originals = workspace.originals_dir
    state["originals"] = sorted(
        str(Path(root, f).relative_to(originals))
        for root, _, files in os.walk(originals)
        for f in files
    ) if originals.exists() else []
    return state


def assert_accounted(result) -> None:
    """Every line of every part is counted exactly once."""
    for part in result.parts:
        assert part.accounted == part.lines_total, part
    totals = result.totals()
    assert totals["lines_total"] == sum(
        totals[k] for k in ("lines_header", "lines_blank", "lines_nondata", "lines_continuation",
                            "rows_loaded", "rows_quarantined")
    )


@pytest.fixture
def helpers():
    """The plain helper functions above, for test modules (conftest is not importable)."""

    return SimpleNamespace(
        physical_lines=physical_lines, snapshot=snapshot, assert_accounted=assert_accounted
    )
