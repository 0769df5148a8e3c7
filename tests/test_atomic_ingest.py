"""A failure or Ctrl-C in the middle of an ingest leaves the workspace exactly as it was."""

from __future__ import annotations

import pytest

from anchornet import Workspace, ingest_file
from anchornet.ingest import loader
from anchornet.sample import SAMPLE_MEMBER, sample_files


def _snapshot(ws):
    return (
        ws.con.execute("SELECT count(*), coalesce(sum(amount), 0) FROM records").fetchone(),
        ws.con.execute("SELECT file_id, status FROM files ORDER BY 1").fetchall(),
        ws.con.execute("SELECT count(*) FROM file_parts").fetchone(),
        ws.con.execute("SELECT count(*) FROM members").fetchone(),
        sorted(p.name for p in ws.originals_dir.rglob("*") if p.is_file()),
    )


@pytest.mark.parametrize("error", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_failure_mid_ingest_changes_nothing(tmp_path, monkeypatch, error):
    ws = Workspace(tmp_path / "ws")
    first, second = sample_files()[:2]
    ingest_file(ws, first, SAMPLE_MEMBER)
    before = _snapshot(ws)

    def boom(con, file_id):
        raise error

    monkeypatch.setattr(loader, "_confirm_duplicates", boom)
    with pytest.raises(type(error)):
        ingest_file(ws, second, SAMPLE_MEMBER)
    assert _snapshot(ws) == before
    with pytest.raises(type(error)):  # a replace that fails keeps the old version
        ingest_file(ws, first, SAMPLE_MEMBER, period="2014-Q1", replace=True)
    assert _snapshot(ws) == before
    monkeypatch.undo()
    assert ingest_file(ws, second, SAMPLE_MEMBER).status == "loaded"
    ws.close()


def test_replace_supersedes_in_one_step(tmp_path):
    ws = Workspace(tmp_path / "ws")
    path = sample_files()[0]
    ingest_file(ws, path, SAMPLE_MEMBER)
    result = ingest_file(ws, path, SAMPLE_MEMBER, period="2014-04..2014-06", replace=True)
    assert result.status == "replaced"
    statuses = ws.con.execute("SELECT status, superseded_by FROM files ORDER BY file_id").fetchall()
    assert statuses == [("superseded", result.file_id), ("active", None)]
    n = ws.con.execute("SELECT count(DISTINCT file_id), count(*) FROM records").fetchone()
    assert n == (1, result.totals()["rows_loaded"] + result.totals()["lines_nondata"])
    ws.close()
