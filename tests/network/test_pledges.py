"""Pledges: computed progress equals the analysis's own figure for the member and period,
manual updates with evidence, the judgement against the target, consent in public outputs,
the audit trail and the command line."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from pathlib import Path

import pytest

from anchornet.analysis.metrics import Analysis, Scope
from anchornet.analysis.periods import parse_analysis_period
from anchornet.cli.main import main
from anchornet.errors import AnchornetError
from anchornet.network import pledges
from anchornet.place.geography import parse_tier, set_place
from anchornet.workspace import Workspace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "place"))
import place_network  # noqa: E402

MEMBER = "Anytown Council"  # place_network's member: payments in April 2024
OTHER = "Second Trust"  # a member without payments


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """Built once: payments, postcodes, the postcode lookup, a place with two tiers, two members."""
    path = tmp_path_factory.mktemp("pledges") / "ws"
    workspace = place_network.build(path, lookup=True)
    set_place(workspace, "Oxfordshire", [parse_tier("city=E07000178"), parse_tier("county=E07000178,E07000180")])
    workspace.member_id(OTHER, create=True)
    workspace.close()
    return path


@pytest.fixture()
def ws(template, tmp_path):
    shutil.copytree(template, tmp_path / "ws")
    workspace = Workspace(tmp_path / "ws")
    yield workspace
    workspace.close()


def _pledge(ws, **changes) -> int:
    fields = {"title": "Local spend", "text": "Spend more with local suppliers", "theme": "procurement",
              "measure": "local:city", "grain": "quarter", "target_value": "60", "target_date": "2026-03-31"}
    return pledges.add_pledge(ws, **{**fields, **changes})


@pytest.mark.parametrize(("measure", "grain", "period"), [
    ("local:city", "quarter", "2024-Q2"),
    ("local:county", "financial_year", "FY2024/25"),
    ("deprived", "quarter", "2024-Q2"),
    ("vcse", "financial_year", "FY2024/25"),
])
def test_computed_progress_is_the_analysis_figure(ws, measure, grain, period):
    pid = _pledge(ws, measure=measure, grain=grain)
    pledges.sign(ws, pid, MEMBER)
    prog = pledges.progress(ws, pid)
    (s,) = [s for s in prog["signatories"] if s["member"] == MEMBER]
    (point,) = s["points"]
    with Analysis(ws, Scope(members=[MEMBER], period=parse_analysis_period(period))) as analysis:
        h = analysis.headline()
    expected = {"local:city": h["local"][0], "local:county": h["local"][1],
                "deprived": h["deprivation"]["most_deprived_20pc"], "vcse": h["vcse"]}[measure]
    for key in ("numerator", "known", "denominator", "coverage", "share"):
        assert point[key] == expected[key], key
    assert point["value"] == pytest.approx(expected["share"] * 100)
    assert point["period"] == {"quarter": "2024-Q2", "financial_year": "2024/25"}[grain]
    assert point["payments"] == h["payments"] and point["source"] == "data"
    assert point["complete"] is False  # the member's payments cover April 2024 only
    assert s["latest"] is point


def test_local_share_figures_and_judgement(ws):
    pid = _pledge(ws, baseline_value="20", baseline_period="2024-03-31")
    pledges.sign(ws, pid, MEMBER, signed_on="2024-04-01")
    s = pledges.progress(ws, pid)["signatories"][0]
    city = s["latest"]
    assert city["numerator"] == pytest.approx(3500)  # as tests/analysis/test_local.py
    assert 0 < city["coverage"] < 1
    assert s["baseline"] == 20 and s["baseline_source"] == "pledge"
    way = (city["value"] - 20) / (60 - 20)
    assert s["share_of_way"] == pytest.approx(way, abs=1e-4)
    assert s["status"] == ("on track" if way >= s["share_of_time"] else "behind")


def test_unknown_stays_unknown(ws):
    pid = _pledge(ws, measure="sme", title="SMEs")  # no register: nobody's size is known
    pledges.sign(ws, pid, MEMBER)
    pledges.sign(ws, pid, OTHER)
    rows = {s["member"]: s for s in pledges.progress(ws, pid)["signatories"]}
    point = rows[MEMBER]["points"][0]
    assert point["value"] is None and point["share"] is None and point["coverage"] == 0.0
    assert rows[MEMBER]["status"] == "no data yet" and rows[MEMBER]["latest"] is None
    assert rows[OTHER]["points"] == []  # no payments: no points at all


def test_baseline_from_the_data_for_the_baseline_period(ws):
    pid = _pledge(ws, baseline_period="FY2024/25", target_date="2027-03-31", measure="local:county")
    pledges.sign(ws, pid, MEMBER)
    s = pledges.progress(ws, pid)["signatories"][0]
    with Analysis(ws, Scope(members=[MEMBER], period=parse_analysis_period("FY2024/25"))) as analysis:
        county = analysis.local()[1]
    assert s["baseline_source"] == "data" and s["baseline"] == pytest.approx(county["share"] * 100)
    pledges.sign(ws, pid, MEMBER, baseline_value="10")  # the member's own wins
    s = pledges.progress(ws, pid)["signatories"][0]
    assert (s["baseline"], s["baseline_source"]) == (10, "own")


def test_computed_pledges_take_notes_never_values(ws):
    pid = _pledge(ws)
    pledges.sign(ws, pid, MEMBER)
    with pytest.raises(AnchornetError, match="comes from the spend data"):
        pledges.add_update(ws, pid, MEMBER, period="2024-Q2", value="99", note="x")
    with pytest.raises(AnchornetError, match="measured by quarter"):
        pledges.add_update(ws, pid, MEMBER, period="2024/25", note="x")
    pledges.add_update(ws, pid, MEMBER, period="2024q2", note="New local framework from April")
    pledges.add_update(ws, pid, MEMBER, period="2024-Q2", note="New local framework (corrected)")
    pledges.add_update(ws, pid, MEMBER, period="2025-Q1", note="Nothing loaded yet")
    points = pledges.progress(ws, pid)["signatories"][0]["points"]
    assert [(p["period"], p["note"]) for p in points] == [
        ("2024-Q2", "New local framework (corrected)"), ("2025-Q1", "Nothing loaded yet")]
    assert points[0]["value"] is not None and points[1]["value"] is None
    assert points[1]["problem"] == "no payments in this period"


def test_manual_updates_with_evidence(ws):
    pid = pledges.add_pledge(ws, title="Apprentices", text="Take on local apprentices", theme="employment",
                             measure="manual", unit="apprentices", baseline_value="10",
                             baseline_period="2024-04-01", target_value="50", target_date="2028-03-31")
    with pytest.raises(AnchornetError, match="has not signed"):
        pledges.add_update(ws, pid, MEMBER, as_of="2025-04-01", value="20")
    pledges.sign(ws, pid, MEMBER, signed_on="2024-04-01")
    with pytest.raises(AnchornetError, match="http"):
        pledges.add_update(ws, pid, MEMBER, as_of="2025-04-01", value="20", evidence_url="javascript:alert(1)")
    with pytest.raises(AnchornetError, match="give the value"):
        pledges.add_update(ws, pid, MEMBER, as_of="2025-04-01", note="only a note")
    with pytest.raises(AnchornetError, match="still to come"):
        pledges.add_update(ws, pid, MEMBER, as_of=(dt.date.today() + dt.timedelta(days=3)).isoformat(), value="1")
    pledges.add_update(ws, pid, MEMBER, as_of="2025-04-01", value="20", evidence="HR system",
                       evidence_url="https://example.org/apprentices")
    done = pledges.add_update(ws, pid, MEMBER, as_of="2025-04-01", value="22", evidence="HR system, corrected")
    assert done["replaced"] is True
    pledges.add_update(ws, pid, MEMBER, as_of="2025-10-01", value="40")
    s = pledges.progress(ws, pid)["signatories"][0]
    assert [(str(p["as_of"]), p["value"]) for p in s["points"]] == [("2025-04-01", 22.0), ("2025-10-01", 40.0)]
    assert s["points"][0]["evidence"] == "HR system, corrected"
    assert s["share_of_way"] == pytest.approx(0.75)
    assert s["status"] == "on track"  # 75% of the way, 37.5% of the time
    assert ws.con.execute("SELECT count(*) FROM audit_log WHERE action = 'pledges.update'").fetchall()[0][0] == 3


def test_judge():
    day = dt.date
    base = {"baseline": 10.0, "target": 50.0, "direction": "increase", "baseline_on": day(2024, 1, 1),
            "target_date": day(2026, 1, 1)}
    assert pledges.judge(**base, latest=None, latest_on=None)["status"] == "no data yet"
    assert pledges.judge(**base, latest=50.0, latest_on=day(2025, 1, 1))["status"] == "target met"
    half = pledges.judge(**base, latest=30.0, latest_on=day(2024, 12, 31))
    assert half["share_of_way"] == 0.5 and half["status"] == "on track"
    assert pledges.judge(**base, latest=20.0, latest_on=day(2025, 1, 1))["status"] == "behind"
    assert pledges.judge(**{**base, "baseline": None}, latest=20.0, latest_on=day(2025, 1, 1))["status"] == \
        "no baseline"
    down = pledges.judge(baseline=100.0, target=60.0, direction="decrease", latest=70.0, latest_on=day(2025, 1, 1),
                         baseline_on=day(2024, 1, 1), target_date=day(2026, 1, 1))
    assert down["share_of_way"] == 0.75 and down["status"] == "on track"


def test_validation_says_what_is_wrong(ws):
    with pytest.raises(AnchornetError, match="no place tier called 'town'"):
        _pledge(ws, measure="local:town")
    with pytest.raises(AnchornetError, match="must be above the baseline"):
        _pledge(ws, baseline_value="70")
    with pytest.raises(AnchornetError, match="from 0 to 100"):
        _pledge(ws, target_value="150")
    with pytest.raises(AnchornetError, match="YYYY-MM-DD"):
        _pledge(ws, target_date="31/03/2026")
    with pytest.raises(AnchornetError, match="give the pledge's unit"):
        _pledge(ws, measure="manual")
    with pytest.raises(AnchornetError, match="measure 'bogus' not understood"):
        _pledge(ws, measure="bogus")
    pid = _pledge(ws)
    with pytest.raises(AnchornetError, match="already a pledge called"):
        _pledge(ws, title="local spend")
    with pytest.raises(AnchornetError, match="no member called"):
        pledges.sign(ws, pid, "Nobody")
    pledges.edit_pledge(ws, pid, status="closed")
    with pytest.raises(AnchornetError, match="closed"):
        pledges.sign(ws, pid, MEMBER)
    with pytest.raises(pledges.UnknownPledge):
        pledges.progress(ws, 999)


def test_signing_again_changes_the_sign_up(ws):
    pid = _pledge(ws)
    first = pledges.sign(ws, pid, MEMBER, signed_on="2024-04-02")
    again = pledges.sign(ws, pid, MEMBER, public=True)
    assert not first["changed"] and again["changed"] and str(again["signed_on"]) == "2024-04-02"
    assert ws.con.execute("SELECT count(*), bool_and(public) FROM pledge_signatories").fetchall()[0] == (1, True)
    pledges.set_consent(ws, pid, MEMBER, False)
    assert ws.con.execute("SELECT public FROM pledge_signatories").fetchall() == [(False,)]
    with pytest.raises(AnchornetError, match="has not signed"):
        pledges.set_consent(ws, pid, OTHER, True)
    actions = [r[0] for r in ws.con.execute("SELECT action FROM audit_log ORDER BY audit_id").fetchall()]
    assert actions == ["pledges.add", "pledges.sign", "pledges.sign_change", "pledges.consent"]


def test_public_outputs_name_only_consenting_members(ws):
    pid = _pledge(ws)
    pledges.sign(ws, pid, MEMBER, public=True)
    pledges.sign(ws, pid, OTHER)
    manual = pledges.add_pledge(ws, title="Apprentices", text="t", theme="employment", unit="apprentices",
                                target_value="5", target_date="2027-01-01")
    pledges.sign(ws, manual, OTHER)
    pledges.add_update(ws, manual, OTHER, as_of="2025-01-01", value="2", evidence="Jane Smith's spreadsheet")

    internal = pledges.report_data(ws)
    assert [len(p["signatories"]) for p in internal["pledges"]] == [1, 2]
    public = pledges.report_data(ws, public=True)
    by_title = {p["title"]: p for p in public["pledges"]}
    assert [s["member"] for s in by_title["Local spend"]["signatories"]] == [MEMBER]
    assert by_title["Local spend"]["summary"].startswith("2 members have signed; 1 not named")
    assert by_title["Apprentices"]["signatories"] == []

    tables = pledges.export_tables(ws, public=True)
    text = json.dumps(tables, default=str)
    assert OTHER not in text and "Jane Smith" not in text and "cli" not in text
    assert {r["member"] for r in tables["pledge_progress"]} == {MEMBER}
    assert tables["pledge_progress"][0]["coverage"] is not None
    full = pledges.export_tables(ws)
    assert {r["member"] for r in full["pledge_signatories"]} == {MEMBER, OTHER}
    assert any(r["evidence"] == "Jane Smith's spreadsheet" for r in full["pledge_progress"])


def test_chart_has_a_line_per_signatory_and_the_target(ws):
    pid = _pledge(ws, measure="local:county")
    pledges.sign(ws, pid, MEMBER)
    spec = pledges.trajectory_chart(pledges.progress(ws, pid))
    lines, rule, point = spec["layer"]
    assert lines["mark"]["type"] == "line" and rule["mark"]["type"] == "rule"
    assert {r["member"] for r in lines["data"]["values"]} == {MEMBER}
    assert rule["data"]["values"] == [{"date": "2026-03-31", "value": 60.0, "what": "target"}]
    assert json.dumps(spec)  # serialisable for the page


def test_cli(ws, capsys):
    path = str(ws.path)
    ws.close()

    def run(*args):
        code = main(["--workspace", path, "pledges", *args])
        return code, capsys.readouterr()

    code, _ = run("add", "--title", "Local spend", "--text", "More local", "--theme", "procurement",
                  "--measure", "local:city", "--grain", "quarter", "--target", "60", "--target-date", "2026-03-31")
    assert code == 0
    assert run("sign", "1", "--member", MEMBER, "--public")[0] == 0
    code, got = run("update", "1", "--member", MEMBER, "--period", "2024-Q2", "--note", "new contracts")
    assert code == 0 and "note on 2024-Q2 recorded" in got.out
    code, got = run("update", "1", "--member", MEMBER, "--value", "5", "--period", "2024-Q2")
    assert code == 2 and "comes from the spend data" in got.err and "Traceback" not in got.err
    code, got = run("show", "1", "--json")
    shown = json.loads(got.out)
    assert shown["signatories"][0]["points"][0]["numerator"] == pytest.approx(3500)
    code, got = run("list", "--json")
    assert json.loads(got.out)[0]["signatories"] == 1
    assert run("edit", "1", "--status", "closed")[0] == 0
    code, got = run("show", "1")
    assert code == 0 and "closed" in got.out and MEMBER in got.out
    code, got = run("sign", "7", "--member", MEMBER)
    assert code == 2 and "there is no pledge 7" in got.err
