"""Self-assessments: recording (and refusing) answers, the profile and the change since
last time, next actions, history, the spend evidence beside the criteria it measures, the
network's anonymous distribution (hidden below three members), the report and exports, and
the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from anchornet import ingest_file
from anchornet.analysis.metrics import Analysis, Scope
from anchornet.cli.main import main
from anchornet.errors import AnchornetError
from anchornet.network import assessments, framework
from anchornet.suppliers import overrides
from anchornet.suppliers.resolve import resolve
from anchornet.workspace import Workspace

NSPL = Path(__file__).resolve().parent.parent / "fixtures" / "registers" / "NSPL_NOV_2021_UK_sample.csv"
FIRM = "Acme Manufacturing Ltd"


def _member(ws, name: str, sector: str | None = "business") -> int:
    member_id = ws.member_id(name, create=True)
    if sector:
        ws.con.execute("INSERT INTO member_profiles (member_id, sector) VALUES (?, ?)", [member_id, sector])
    return member_id


def _all(levels: int | list[int]) -> dict[str, int]:
    dims = [d["id"] for d in framework.defaults()["business"].dimensions]
    values = levels if isinstance(levels, list) else [levels] * len(dims)
    return dict(zip(dims, values, strict=True))


# -- recording -------------------------------------------------------------------------------------------
def test_record_profile_change_and_next_actions(ws):
    _member(ws, FIRM)
    first = assessments.record(ws, FIRM, _all([1, 2, 1, 1]), {"procurement": "We measure our local share."},
                               by="lead@acme.example", assessed_on="2025-03-01")
    assert first["framework"] == "business" and first["version"] == 1 and not first["unchanged"]
    p = assessments.profile(ws, FIRM)
    assert p["framework"]["id"] == "business" and p["assessments"] == 1
    proc = p["dimensions"][1]
    assert (proc["level"], proc["level_name"], proc["change"], proc["previous_level"]) == (2, "Developing", None, None)
    assert proc["evidence"] == "We measure our local share."
    # next actions are the chosen level's (to reach level + 1), with the next level's criteria
    business = framework.defaults()["business"]
    assert proc["next_actions"] == business.level("procurement", 2)["next_actions"]
    assert proc["next_level"] == 3 and proc["next_level_criteria"][0].startswith("At least 35%")

    assessments.record(ws, FIRM, {"procurement": 3, "employment": 1}, by="lead@acme.example",
                       assessed_on="2025-09-01")
    p = assessments.profile(ws, FIRM)
    by_id = {d["id"]: d for d in p["dimensions"]}
    assert (by_id["procurement"]["level"], by_id["procurement"]["previous_level"], by_id["procurement"]["change"]) \
        == (3, 2, 1)
    assert by_id["employment"]["change"] == 0
    # a dimension left out keeps its last answer, and has no change
    assert (by_id["environment_assets"]["level"], by_id["environment_assets"]["change"]) == (1, None)
    assert p["changed"] == ["procurement"] and p["assessments"] == 2 and p["last_assessed"] == "2025-09-01"
    # level 4: actions to sustain and lead, no next level
    assessments.record(ws, FIRM, {"corporate_community": 4}, by="cli", assessed_on="2025-10-01")
    cc = assessments.profile(ws, FIRM)["dimensions"][3]
    assert cc["next_level"] is None and cc["next_actions"] == business.level("corporate_community", 4)["next_actions"]

    history = assessments.history(ws, FIRM)
    assert [h["assessed_on"] for h in history] == ["2025-10-01", "2025-09-01", "2025-03-01"]
    assert [(a["dimension_id"], a["change"]) for a in history[1]["answers"]] == [("employment", 0),
                                                                                ("procurement", 1)]


def test_recording_the_same_answers_again_changes_nothing(ws):
    _member(ws, FIRM)
    a = assessments.record(ws, FIRM, _all(2), by="cli", assessed_on="2025-01-01")
    b = assessments.record(ws, FIRM, _all(2), by="cli", assessed_on="2025-01-01")
    assert b["unchanged"] and a["assessment_id"] == b["assessment_id"]
    assert ws.con.execute("SELECT count(*) FROM assessments").fetchall()[0][0] == 1
    assert not assessments.record(ws, FIRM, _all(3), by="cli", assessed_on="2025-01-01")["unchanged"]


@pytest.mark.parametrize("levels, evidence, day, message", [
    ({}, {}, None, "choose a level for at least one dimension"),
    ({"service_delivery": 2}, {}, None, "has no dimension 'service_delivery'"),
    ({"employment": 5}, {}, None, "the level for employment must be 1, 2, 3 or 4, not 5"),
    ({"employment": "two"}, {}, None, "must be 1, 2, 3 or 4, not 'two'"),
    ({"employment": 2}, {"procurement": "text"}, None, "evidence was given for procurement but no level"),
    ({"employment": 2}, {}, "01/02/2025", "is not a date: use YYYY-MM-DD"),
    ({"employment": 2}, {}, (dt.date.today() + dt.timedelta(days=2)).isoformat(), "cannot be in the future"),
])
def test_bad_answers_are_refused(ws, levels, evidence, day, message):
    _member(ws, FIRM)
    with pytest.raises(AnchornetError, match=message):
        assessments.record(ws, FIRM, levels, evidence, by="cli", assessed_on=day)
    assert ws.con.execute("SELECT count(*) FROM assessments").fetchall()[0][0] == 0


def test_an_unknown_member_is_named(ws):
    with pytest.raises(AnchornetError, match="no member called 'Nobody'"):
        assessments.record(ws, "Nobody", {"employment": 1}, by="cli")


def test_a_public_member_takes_service_delivery_and_keeps_its_version(ws, tmp_path):
    _member(ws, "Riverside NHS Trust", "nhs")
    assessments.record(ws, "Riverside NHS Trust", {"service_delivery": 2}, by="cli", assessed_on="2025-01-01")
    p = assessments.profile(ws, "Riverside NHS Trust")
    assert p["framework"]["id"] == "public" and p["dimensions"][-1]["level"] == 2
    # the default is stored once used: assessments keep the text they were made against
    stored = ws.con.execute("SELECT framework_id, version, source FROM frameworks").fetchall()
    assert stored == [("public", 1, "default")]
    # a newer version loaded later: the old assessment still reads against version 1
    import yaml

    data = yaml.safe_load(framework.default_text("public"))
    data["version"] = 2
    data["dimensions"][4]["name"] = "Services"
    path = tmp_path / "public-v2.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    framework.load(ws, path)
    history = assessments.history(ws, "Riverside NHS Trust")
    assert history[0]["framework_version"] == 1 and history[0]["answers"][0]["dimension"] == "Service Delivery"
    assert assessments.profile(ws, "Riverside NHS Trust")["dimensions"][-1]["name"] == "Services"


# -- spend evidence -------------------------------------------------------------------------------------------
def _with_payments(ws, tmp_path) -> None:
    """A firm's payments to suppliers with postcodes, the postcode lookup, and the place."""
    from anchornet.place.geography import parse_tier, set_place
    from anchornet.registers.nspl import load_postcodes

    csv = tmp_path / "acme-payments-april-2024.csv"
    csv.write_text("Date,Supplier Name,Amount,Expense Type\n"
                   "01/04/2024,Radcliffe Bakery Ltd,1000.00,Goods\n"
                   "02/04/2024,Cowley Motor Works Ltd,2000.00,Goods\n"
                   "03/04/2024,Abingdon Timber Supplies Ltd,3000.00,Goods\n"
                   "04/04/2024,Cardiff Bay Consulting Ltd,1500.00,Goods\n"
                   "05/04/2024,Northern Haulage Group Plc,2500.00,Goods\n", encoding="utf-8")
    _member(ws, FIRM)
    ingest_file(ws, csv, FIRM)
    resolve(ws)
    for name, postcode in [("Radcliffe Bakery Ltd", "OX1 1BX"), ("Cowley Motor Works Ltd", "OX4 2JY"),
                           ("Abingdon Timber Supplies Ltd", "OX14 2AA"), ("Cardiff Bay Consulting Ltd", "CF10 1EP")]:
        entity = ws.con.execute("SELECT entity_id FROM payees WHERE supplier_name = ?", [name]).fetchall()[0][0]
        overrides.set_value(ws, entity, "postcode", postcode)
    resolve(ws)
    load_postcodes(ws, NSPL)
    set_place(ws, "Oxfordshire", [parse_tier("city=E07000178"), parse_tier("county=E07000178,E07000180")])


def test_no_payments_means_unknown_evidence(ws):
    _member(ws, FIRM)
    ev = assessments.spend_evidence(ws, FIRM, framework.get(ws, "business"))
    assert ev["period"] is None
    assert {f["status"] for f in ev["figures"].values()} == {"unknown"}
    assert ev["figures"]["local_spend_share"]["reason"] == "no payments of this member are loaded"
    crit = framework.get(ws, "business").level("procurement", 2)["criteria"][1]
    judged = assessments.judge(crit, ev["figures"])
    assert judged["meets"] is None and judged["at_least"] == 0.2


def test_spend_evidence_comes_from_the_analysis(ws, tmp_path):
    _with_payments(ws, tmp_path)
    fw = framework.get(ws, "business")
    ev = assessments.spend_evidence(ws, FIRM, fw)
    assert ev["period"] == "2023-05-01..2024-04-30"  # the latest 12 months of the member's payments
    with Analysis(ws, Scope(members=[FIRM], period=assessments.latest_year(ws, FIRM))) as analysis:
        head = analysis.headline()
    local = ev["figures"]["local_spend_share"]
    county = next(t for t in head["local"] if t["tier"] == "county")
    assert local["status"] == "measured" and local["tier"] == "county"  # the widest tier
    assert (local["share"], local["coverage"]) == (county["share"], county["coverage"])
    assert local["share"] == pytest.approx(6000 / 10000)
    deprived = ev["figures"]["deprived_spend_share"]
    assert deprived["share"] == head["deprivation"]["most_deprived_20pc"]["share"]
    assert deprived["share"] == pytest.approx(0.35)  # Cowley and Cardiff Bay: deciles 1-2 in the fixture lookup
    # judged against each level's threshold
    dims = {d["id"]: d for d in assessments.annotated(fw, ev)}
    figures = [c["figure"] for lv in dims["procurement"]["levels"] for c in lv["criteria"] if c["figure"]]
    local_judged = [(f["at_least"], f["meets"]) for f in figures if f["measure"] == "local_spend_share"]
    assert local_judged == [(0.2, True), (0.35, True), (0.5, True)]
    assert dims["employment"]["levels"][0]["criteria"][0]["figure"] is None
    # a named tier, and a tier the place does not have
    data = yaml_of("business")
    data["dimensions"][1]["levels"][1]["criteria"][1]["evidence"]["tier"] = "city"
    data["dimensions"][1]["levels"][2]["criteria"][0]["evidence"]["tier"] = "galaxy"
    data["version"] = 2
    named = framework.from_data(data)
    figures = assessments.spend_evidence(ws, FIRM, named)["figures"]
    assert figures["local_spend_share@city"]["share"] == pytest.approx(3000 / 10000)
    assert figures["local_spend_share@galaxy"]["reason"] == "the place has no tier called 'galaxy'"
    # what was shown is kept with the answer
    assessments.record(ws, FIRM, {"procurement": 3}, by="cli")
    kept = assessments.profile(ws, FIRM)["dimensions"][1]["spend_evidence"]
    assert [f["measure"] for f in kept] == ["local_spend_share", "sme_spend_share", "vcse_spend_share",
                                            "deprived_spend_share"]
    assert kept[0]["share"] == local["share"]


def yaml_of(name: str) -> dict:
    import yaml

    return yaml.safe_load(framework.default_text(name))


# -- the anonymous distribution -------------------------------------------------------------------------------
def test_the_distribution_is_hidden_until_three_members_have_assessed(ws):
    for name in ("Firm A", "Firm B", "Firm C"):
        _member(ws, name)
    assessments.record(ws, "Firm A", _all(1), by="cli", assessed_on="2025-01-01")
    assessments.record(ws, "Firm A", _all(2), by="cli", assessed_on="2025-06-01")  # only the latest counts
    assessments.record(ws, "Firm B", _all(2), by="cli", assessed_on="2025-01-01")
    d = assessments.distribution(ws, "business")
    assert d["suppressed"] and d["members_assessed"] is None and d["note"] == "fewer than 3 members"
    assert all(lv["members"] is None for dim in d["dimensions"] for lv in dim["levels"])
    assessments.record(ws, "Firm C", {"employment": 4, "procurement": 3}, by="cli", assessed_on="2025-01-01")
    d = assessments.distribution(ws, "business")
    assert not d["suppressed"] and d["members_assessed"] == 3
    dims = {dim["id"]: dim for dim in d["dimensions"]}
    assert [lv["members"] for lv in dims["employment"]["levels"]] == [0, 2, 0, 1]
    assert [lv["members"] for lv in dims["procurement"]["levels"]] == [0, 2, 1, 0]
    # a dimension fewer than three members answered stays hidden
    assert dims["environment_assets"]["suppressed"] and dims["environment_assets"]["members"] is None
    text = json.dumps(d)
    assert "Firm" not in text  # nobody named
    # the public framework: nobody yet
    assert assessments.distribution(ws, "public")["suppressed"]


def test_report_and_exports_never_carry_answers_in_public(ws):
    for name in ("Firm A", "Firm B", "Firm C"):
        _member(ws, name)
        assessments.record(ws, name, _all(2), {"employment": f"secret evidence of {name}"},
                           by=f"lead@{name[-1].lower()}.example", assessed_on="2025-01-01")
    report = assessments.report_data(ws, public=True)
    assert report["members_assessed"] == 3 and [f["framework"] for f in report["frameworks"]] == ["business"]
    public = assessments.export_tables(ws, public=True)
    assert set(public) == {"framework_distribution"}
    blob = json.dumps(public, default=str) + json.dumps(report, default=str)
    assert "Firm" not in blob and "secret" not in blob and "@" not in blob
    internal = assessments.export_tables(ws)
    assert set(internal) == {"framework_distribution", "framework_assessments", "framework_answers"}
    assert len(internal["framework_assessments"]) == 3 and len(internal["framework_answers"]) == 12
    row = next(r for r in internal["framework_answers"] if r["dimension_id"] == "employment"
               and r["member"] == "Firm A")
    assert (row["level"], row["level_name"], row["evidence"]) == (2, "Developing", "secret evidence of Firm A")
    assert row["dimension"] == "Employment"


def test_report_while_few_members_have_assessed(ws):
    _member(ws, "Firm A")
    assessments.record(ws, "Firm A", _all(2), by="cli", assessed_on="2025-01-01")
    report = assessments.report_data(ws, public=True)
    assert report["members_assessed"] is None and report["members_assessed_note"] == "fewer than 3 members"
    assert report["frameworks"][0]["suppressed"]
    rows = assessments.export_tables(ws, public=True)["framework_distribution"]
    assert rows and all(r["members"] is None and r["note"] == "fewer than 3 members"
                        for r in rows if r["framework"] == "business")


def test_the_coordinators_list_of_who_assessed_when(ws):
    _member(ws, "Firm A")
    _member(ws, "Riverside NHS Trust", "nhs")
    assessments.record(ws, "Firm A", {"employment": 2}, by="cli", assessed_on="2025-01-01")
    rows = {r["member"]: r for r in assessments.assessed_members(ws)}
    assert (rows["Firm A"]["assessments"], rows["Firm A"]["last_assessed"]) == (1, "2025-01-01")
    assert (rows["Riverside NHS Trust"]["assessments"], rows["Riverside NHS Trust"]["framework"]) == (0, "public")


# -- the command line --------------------------------------------------------------------------------------------
def test_cli_assess_profile_history_distribution(capsys, tmp_path):
    w = tmp_path / "ws"
    with Workspace(w) as ws:
        _member(ws, FIRM)

    def run(*args):
        code = main(["-w", str(w), "framework", *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    code, out, _ = run("assess", "--member", FIRM, "--level", "employment=2", "--level", "procurement=1",
                       "--evidence", "employment=We count where staff live.", "--date", "2025-01-01")
    assert code == 0 and "recorded (assessment 1)" in out
    code, out, _ = run("assess", "--member", FIRM, "--level", "employment=2", "--level", "procurement=1",
                       "--evidence", "employment=We count where staff live.", "--date", "2025-01-01")
    assert "nothing changed" in out
    code, out, err = run("assess", "--member", FIRM, "--level", "employment")
    assert code == 2 and "use DIMENSION=LEVEL" in err
    code, out, err = run("assess", "--member", FIRM, "--level", "employment=9")
    assert code == 2 and "must be 1, 2, 3 or 4" in err
    run("assess", "--member", FIRM, "--level", "employment=3", "--date", "2025-06-01")
    code, out, _ = run("profile", "--member", FIRM, "--json")
    p = json.loads(out)
    assert p["dimensions"][0]["level"] == 3 and p["dimensions"][0]["change"] == 1
    code, out, _ = run("history", "--member", FIRM)
    assert "2025-06-01  business v1  Employment 3 (+1)" in out
    code, out, _ = run("distribution")
    assert "fewer than 3 members have assessed" in out
    with Workspace(w) as ws:
        assert ws.con.execute("SELECT count(*) FROM audit_log WHERE action = 'framework.assess'").fetchall()[0][0] == 2
