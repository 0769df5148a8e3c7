"""Real files from other publishers, read from ../shared when it is there (never copied)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from anchornet import Workspace, ingest_file

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DEVON = SHARED / "spend" / "devon" / "DCCSpendingOver500_202603.csv"


@pytest.mark.skipif(not DEVON.exists(), reason="the shared Devon file is not on this machine")
def test_devon_county_council_march_2026(tmp_path):
    ws = Workspace(tmp_path / "ws")
    result = ingest_file(ws, DEVON, "Devon County Council")
    totals = result.totals()
    assert totals["lines_total"] == (
        totals["lines_header"] + totals["lines_blank"] + totals["lines_nondata"]
        + totals["lines_continuation"] + totals["rows_loaded"] + totals["rows_quarantined"]
    )
    assert totals["rows_quarantined"] == 0
    assert totals["lines_nondata"] == 1  # the total row
    assert result.parts[0].footer_total == pytest.approx(57_492_900.67)
    assert any("matches the loaded payments" in n for n in result.notes)
    assert result.period == "2026-03-01..2026-03-31"
    total, bodies, vat = ws.con.execute(
        "SELECT sum(amount), list(DISTINCT body), count(vat_number) FROM payments"
    ).fetchone()
    assert total == Decimal("57492900.67")
    assert bodies == ["Devon County Council"]  # "Name of Body", not the body code
    assert vat > 0
    assert result.mapping[""]["amount"] == "Amount"
    ws.close()
