"""The spend metrics on the bundled sample: reconciliation, scope, honesty about unknowns."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from anchornet import Workspace, ingest_file
from anchornet.analysis.metrics import Analysis, Scope
from anchornet.analysis.periods import parse_analysis_period
from anchornet.cli.main import main
from anchornet.errors import AnchornetError
from anchornet.sample import SAMPLE_MEMBER, sample_files
from anchornet.suppliers.resolve import resolve


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    workspace = Workspace(tmp_path_factory.mktemp("analysis") / "ws")
    for path in sample_files()[:4]:
        ingest_file(workspace, path, SAMPLE_MEMBER)
    resolve(workspace)
    yield workspace
    workspace.close()


def test_totals_reconcile_with_the_payments(ws):
    h = Analysis(ws).headline()
    total = ws.con.execute("SELECT sum(amount) FROM payments").fetchone()[0]
    assert Decimal(str(h["total_spend"])) == total
    excluded = sum(e["amount"] for e in h["excluded"])
    assert h["influenceable_spend"] + excluded == pytest.approx(h["total_spend"], abs=0.01)
    by_category = Analysis(ws).by("category")
    assert sum(r["total_spend"] for r in by_category) == pytest.approx(h["total_spend"], abs=0.01)


def test_unknown_is_unknown_not_zero(ws):
    h = Analysis(ws).headline()
    assert h["sme"]["share"] is None and h["sme"]["coverage"] == 0.0  # no register loaded
    assert h["located"]["share"] == 0.0
    assert 0 < h["vcse"]["coverage"] <= 1
    v = h["vcse"]
    assert v["share"] == pytest.approx(v["numerator"] / v["denominator"], abs=1e-4)


def test_top_suppliers_never_list_people(ws):
    top = Analysis(ws).top_suppliers(300)
    assert top and all(t["class"] not in ("individual", "redacted") for t in top)
    personal = {r[0] for r in ws.con.execute(
        "SELECT entity_id FROM supplier_entities WHERE personal").fetchall()}
    assert not personal & {t["supplier_id"] for t in top}


def test_drill_down_adds_up_to_the_figure(ws):
    analysis = Analysis(ws)
    top = analysis.top_suppliers(1)[0]
    payments = analysis.payments_behind(supplier_id=top["supplier_id"], excluded=False)
    assert sum(p["amount"] for p in payments) == pytest.approx(top["spend"], abs=0.01)
    assert all(p["source_file"] and p["source_line"] for p in payments)


def test_period_window_and_placeholder_quarter(ws):
    q2 = Analysis(ws, Scope(period=parse_analysis_period("2014-Q2"))).headline()
    assert q2["payments"] == 3836  # the quarter with placeholder dates, placed by its period
    month = Analysis(ws, Scope(period=parse_analysis_period("2014-05"))).headline()
    assert month["payments"] == 0 and month["outside_window"]["payments"] == 3836
    trend = Analysis(ws).trend("month")
    assert trend["not_placeable_at_this_grain"]["payments"] == 3836


def test_unknown_member_is_refused(ws):
    with pytest.raises(AnchornetError, match="no member"):
        Analysis(ws, Scope(members=["Nobody"]))


def test_analyse_command_json(tmp_path, capsys):
    ws_path = str(tmp_path / "ws")
    main(["--workspace", ws_path, "ingest", str(sample_files()[0]), "--member", SAMPLE_MEMBER, "--quiet"])
    main(["--workspace", ws_path, "suppliers", "resolve", "--json"])
    capsys.readouterr()
    code = main(["--workspace", ws_path, "analyse", "--json", "--by", "member", "--trend", "quarter"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["headline"]["payments"] > 0
    assert data["by_member"][0]["member"] == SAMPLE_MEMBER
    assert data["trend"]["grain"] == "quarter"


def test_change_against_a_baseline(ws):
    now = Analysis(ws, Scope(period=parse_analysis_period("2015-Q1")))
    change = now.change_against(parse_analysis_period("2014-Q1"))
    first = change["figures"][0]
    assert first["figure"] == "influenceable spend"
    assert first["change"] == pytest.approx(first["now"] - first["baseline"], abs=0.01)
    vcse = next(f for f in change["figures"] if f["figure"] == "vcse share")
    assert vcse["change"] == pytest.approx(vcse["now"] - vcse["baseline"], abs=1e-4)


def test_member_and_period_total_equals_the_payments_export(ws, tmp_path):
    import csv

    from anchornet.reports.exports import export

    scope = Scope(members=[SAMPLE_MEMBER], period=parse_analysis_period("2014-Q1"))
    total = Analysis(ws, scope).headline()["total_spend"]
    export(ws, "payments", tmp_path / "p.csv", member=SAMPLE_MEMBER)
    rows = csv.DictReader(open(tmp_path / "p.csv", encoding="utf-8"))
    exported = sum(Decimal(r["amount"]) for r in rows
                   if (r["payment_date"] or r["period_start"]) >= "2014-01-01"
                   and (r["payment_date"] or r["period_end"]) <= "2014-03-31")
    assert Decimal(str(total)) == exported


def test_same_figures_with_and_without_the_materialised_rows(ws, monkeypatch):
    from anchornet.analysis import metrics

    with Analysis(ws) as fast:
        expected = (fast.headline(), fast.by("category"), fast.top_suppliers(20), fast.trend("quarter"))
    monkeypatch.setattr(metrics, "MATERIALISE_LIMIT", 0)
    with Analysis(ws) as direct:
        assert not direct._materialised
        got = (direct.headline(), direct.by("category"), direct.top_suppliers(20), direct.trend("quarter"))
    assert got == expected
