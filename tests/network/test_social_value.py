"""Social value: measure tables (versioned, validated), contracts, commitments, deliveries,
ratings, £ values only from loaded proxy values, public outputs and the CLI."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from anchornet.cli.main import main
from anchornet.errors import AnchornetError
from anchornet.network import social_value as sv
from anchornet.network import sv_measures
from anchornet.suppliers.normalise import name_key

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "social_value"
PROXIES = FIXTURES / "network-measures-2026.csv"
OXFORD, RIVERSIDE = "Oxford City Council", "Riverside NHS Trust"


@pytest.fixture
def net(ws):
    ws.member_id(OXFORD, create=True)
    ws.member_id(RIVERSIDE, create=True)
    return ws


def _contract(ws, member=OXFORD, title="Grounds maintenance", supplier="Green Spaces Ltd", **kw) -> int:
    return sv.add_contract(ws, member, title, supplier, **kw)


# -- measure tables ----------------------------------------------------------------------------------
def test_the_shipped_set_is_in_use_and_has_no_proxy_values(ws):
    current = sv_measures.current_set(ws)
    assert (current["name"], current["version"], current["source"]) == ("anchornet-default", "2026.1",
                                                                         sv_measures.SHIPPED)
    rows = sv_measures.measures(ws)
    assert 8 <= len(rows) <= 12
    assert all(r["proxy_value"] is None for r in rows)
    codes = {r["code"] for r in rows}
    assert {"local-jobs", "apprentice-weeks", "local-supply-spend", "vcse-spend", "carbon-saved"} <= codes
    assert {r["theme"] for r in rows} == {"jobs", "skills", "local supply chain", "VCSE", "environment"}
    assert not any(c.upper().startswith("NT") for c in codes)  # no third-party codes
    sv_measures.ensure_default(ws)  # again: nothing new
    assert len(sv_measures.list_sets(ws)) == 1
    assert sv.valuation(ws)["proxy_values_loaded"] is False
    assert "no proxy values loaded" in sv.valuation(ws)["note"]


def test_a_loaded_version_is_kept_and_chosen_by_the_coordinator(ws):
    loaded = sv_measures.load_file(ws, PROXIES, "oxon-measures", "2026.1", by="cli")
    assert loaded["loaded"] and loaded["measures"] == 10 and loaded["proxy_values"] == 9
    assert not loaded["is_current"]  # the shipped set stays in use until chosen
    again = sv_measures.load_file(ws, PROXIES, "oxon-measures", "2026.1")
    assert again["loaded"] is False and again["set_id"] == loaded["set_id"]
    changed = PROXIES.read_text().replace("20000", "21000")
    other = ws.path / "changed.csv"
    other.write_text(changed)
    with pytest.raises(AnchornetError, match="never changes"):
        sv_measures.load_file(ws, other, "oxon-measures", "2026.1")
    newer = sv_measures.load_file(ws, other, "oxon-measures", "2026.2", make_current=True)
    assert newer["is_current"]
    old = {m["code"]: m["proxy_value"] for m in sv_measures.measures(ws, loaded["set_id"])}
    assert old["local-jobs"] == Decimal("20000") and old["apprentice-weeks"] == Decimal("150")
    assert sv_measures.current_set(ws)["set_id"] == newer["set_id"]
    sv_measures.use_set(ws, "oxon-measures", "2026.1")
    assert sv_measures.current_set(ws)["set_id"] == loaded["set_id"]
    assert sum(s["is_current"] for s in sv_measures.list_sets(ws)) == 1
    with pytest.raises(AnchornetError, match="no measure set nope 1 is loaded"):
        sv_measures.use_set(ws, "nope", "1")


def test_a_broken_table_is_refused_with_every_problem(ws):
    with pytest.raises(AnchornetError) as caught:
        sv_measures.load_file(ws, FIXTURES / "broken-measures.csv", "broken", "1")
    message = str(caught.value)
    assert "line 3: the code 'local-jobs' is already used by line 2" in message
    assert "line 4: the proxy value 'a lot' is not a number" in message
    assert "line 5: no code" in message
    assert [s["name"] for s in sv_measures.list_sets(ws)] == ["anchornet-default"]  # nothing stored


def test_missing_columns_and_empty_files_are_named(ws, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code;measure;unit\nx;y;z\n")
    with pytest.raises(AnchornetError, match=r"missing column\(s\) theme"):
        sv_measures.read_measure_file(bad)
    bad.write_text("")
    with pytest.raises(AnchornetError, match="empty"):
        sv_measures.read_measure_file(bad)
    bad.write_text("code,name,theme,unit,proxy_value\nx,y,jobs,FTE,-3\n")
    with pytest.raises(AnchornetError, match="0 or more"):
        sv_measures.read_measure_file(bad)
    with pytest.raises(AnchornetError, match="give the measure set's version"):
        sv_measures.load_file(ws, PROXIES, "name", " ")


def test_an_xlsx_table_loads(ws, tmp_path):
    import xlsxwriter

    path = tmp_path / "measures.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for r, row in enumerate([["Code", "Measure name", "Theme", "Unit", "Proxy value (£)"],
                             ["local-jobs", "Local jobs", "jobs", "FTE", 18000],
                             ["carbon-saved", "Carbon saved", "environment", "tCO2e", 95.5]]):
        sheet.write_row(r, 0, row)
    book.close()
    rows = sv_measures.read_measure_file(path)
    assert [(r["code"], r["proxy_value"]) for r in rows] == [("local-jobs", Decimal("18000")),
                                                           ("carbon-saved", Decimal("95.5"))]


# -- contracts and ratings -----------------------------------------------------------------------------
def test_committed_against_delivered_with_ratings(net):
    ws = net
    a = _contract(ws, reference="OCC-1", value="250,000", start="2024-04-01", end="2027-03-31")
    b = _contract(ws, title="Catering", supplier="Green Spaces Limited")
    c = _contract(ws, member=RIVERSIDE, title="Estates", supplier="Builders Co")
    sv.commit(ws, a, "local-jobs", 4)
    sv.commit(ws, a, "APPRENTICE-WEEKS", "104", by_date="2026-03-31")  # any case: the set's code is kept
    sv.commit(ws, b, "local-jobs", 2)
    sv.commit(ws, c, "carbon-saved", 10)
    sv.record_delivery(ws, a, "local-jobs", 3, "2024-09-30", period="2024-H1", evidence="payroll", by="me")
    sv.record_delivery(ws, a, "local-jobs", 2, "2025-03-31")
    sv.record_delivery(ws, b, "local-jobs", "0.5", "2025-03-31")
    sv.record_delivery(ws, c, "carbon-saved", 6, "2025-03-31")

    rows = {(r["contract_id"], r["measure_code"]): r for r in sv.commitments(ws)}
    assert rows[(a, "local-jobs")]["delivered"] == Decimal("5") and rows[(a, "local-jobs")]["rating"] == "met"
    assert rows[(a, "apprentice-weeks")]["rating"] == "not started"
    assert rows[(b, "local-jobs")]["rating"] == "partly"
    assert rows[(c, "carbon-saved")]["rating"] == "on track"

    measures = {m["code"]: m for m in sv.by_measure(ws)}
    jobs = measures["local-jobs"]
    assert (jobs["committed"], jobs["delivered"], jobs["contracts"], jobs["members"]) == (6, Decimal("5.5"), 2, 1)
    assert jobs["share"] == pytest.approx(5.5 / 6) and jobs["rating"] == "on track" and jobs["unit"] == "FTE"

    contracts = {r["contract_id"]: r for r in sv.list_contracts(ws)}
    assert contracts[a]["share"] == pytest.approx(0.5)  # (100% capped + 0%) / 2
    assert contracts[a]["rating"] == "on track" and contracts[a]["commitments"] == 2
    only_oxford = sv.list_contracts(ws, members=[OXFORD])
    assert {r["contract_id"] for r in only_oxford} == {a, b}

    suppliers = {s["supplier"]: s for s in sv.by_supplier(ws)}
    assert suppliers["Green Spaces Ltd"]["contracts"] == 1  # names as written differ: not linked, not merged
    assert sv.summary(ws)["totals"] == {"contracts": 3, "commitments": 4, "members": 2, "measures": 3,
                                        "measures_valued": 0, "value_committed": None, "value_delivered": None}


def test_reporting_again_replaces_and_corrections_are_possible(net):
    ws = net
    a = _contract(ws)
    sv.commit(ws, a, "local-jobs", 4)
    sv.commit(ws, a, "local-jobs", 5, by_date="2026-01-01")  # the same measure again: changed
    assert [(r["committed"], r["by_date"]) for r in sv.commitments(ws)] == [(5, dt.date(2026, 1, 1))]
    first = sv.record_delivery(ws, a, "local-jobs", 1, "2025-01-31")
    again = sv.record_delivery(ws, a, "local-jobs", 2, "2025-01-31", evidence="corrected")
    assert first["delivery_id"] == again["delivery_id"]
    assert [(d["quantity"], d["evidence"]) for d in sv.deliveries(ws)] == [(2, "corrected")]
    sv.remove_delivery(ws, again["delivery_id"])
    assert sv.deliveries(ws) == []
    sv.record_delivery(ws, a, "local-jobs", 1, "2025-01-31")
    with pytest.raises(AnchornetError, match="remove them first"):
        sv.remove_commitment(ws, a, "local-jobs")
    gone = sv.remove_commitment(ws, a, "local-jobs", with_deliveries=True)
    assert gone["deliveries_removed"] == 1 and sv.commitments(ws) == []
    with pytest.raises(sv.NoSuchRecord):
        sv.remove_delivery(ws, 999)


def test_input_is_checked(net):
    ws = net
    a = _contract(ws, reference="R1")
    assert _contract(ws, reference="R1") == a  # the same again: safe
    with pytest.raises(AnchornetError, match="already has a contract with reference 'R1'"):
        _contract(ws, reference="R1", title="Something else")
    with pytest.raises(AnchornetError, match="no member 'Nobody'"):
        _contract(ws, member="Nobody")
    with pytest.raises(AnchornetError, match="ends .* before it starts"):
        _contract(ws, start="2025-01-01", end="2024-01-01")
    with pytest.raises(AnchornetError, match="YYYY-MM-DD"):
        _contract(ws, start="01/02/2025")
    with pytest.raises(AnchornetError, match="give the contract title"):
        _contract(ws, title=" ")
    with pytest.raises(AnchornetError, match="no measure 'jobs-ish'"):
        sv.commit(ws, a, "jobs-ish", 3)
    with pytest.raises(AnchornetError, match="more than 0"):
        sv.commit(ws, a, "local-jobs", 0)
    with pytest.raises(AnchornetError, match="not a number"):
        sv.commit(ws, a, "local-jobs", "four")
    with pytest.raises(AnchornetError, match="record the commitment first"):
        sv.record_delivery(ws, a, "local-jobs", 1, "2025-01-01")
    sv.commit(ws, a, "local-jobs", 3)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(AnchornetError, match="in the future"):
        sv.record_delivery(ws, a, "local-jobs", 1, tomorrow.isoformat())
    with pytest.raises(sv.NoSuchRecord):
        sv.commit(ws, 999, "local-jobs", 1)
    with pytest.raises(AnchornetError, match="no supplier 12345"):
        sv.update_contract(ws, a, supplier_entity_id=12345)


def test_pound_values_only_from_the_proxy_values_in_use(net):
    ws = net
    a = _contract(ws)
    sv.commit(ws, a, "local-jobs", 2)
    sv.commit(ws, a, "placements", 10)
    sv.record_delivery(ws, a, "local-jobs", 1, "2025-01-31")
    assert sv.contract_detail(ws, a)["value_committed"] is None
    sv_measures.load_file(ws, PROXIES, "oxon-measures", "2026.1", make_current=True)
    detail = sv.contract_detail(ws, a)
    rows = {r["measure_code"]: r for r in detail["commitments"]}
    assert rows["local-jobs"]["value_committed"] == Decimal("40000.00")
    assert rows["local-jobs"]["value_delivered"] == Decimal("20000.00")
    assert rows["placements"]["value_committed"] is None  # the table gives no value for it: none invented
    assert detail["valuation"]["measure_set"] == "oxon-measures 2026.1"
    assert detail["valued_commitments"] == 1 and detail["value_delivered"] == Decimal("20000.00")
    totals = sv.summary(ws)["totals"]
    assert (totals["measures_valued"], totals["value_committed"]) == (1, Decimal("40000.00"))
    sv_measures.use_set(ws, "anchornet-default", "2026.1")  # back: the commitments keep their codes
    assert sv.contract_detail(ws, a)["value_committed"] is None
    assert {r["measure_code"] for r in sv.commitments(ws)} == {"local-jobs", "placements"}


def test_suppliers_are_suggested_by_name_and_linked(net):
    ws = net
    ws.con.execute(
        "INSERT INTO supplier_entities (entity_id, display_name, name_key, class, class_reason, personal, payees, "
        "members) VALUES (41, 'GREEN SPACES LIMITED', ?, 'company', 'test', false, 1, 1), "
        "(42, 'Mr Green Space', ?, 'individual', 'test', true, 1, 1), "
        "(43, 'BLUE SKIES LTD', ?, 'company', 'test', false, 1, 1)",
        [name_key("GREEN SPACES LIMITED"), name_key("Mr Green Space"), name_key("BLUE SKIES LTD")])
    a = _contract(ws, supplier="Green Spaces Ltd")
    suggested = sv.contract_detail(ws, a)["suggestions"]
    assert [s["entity_id"] for s in suggested] == [41] and suggested[0]["score"] == 1.0
    with pytest.raises(AnchornetError, match="never linked"):
        sv.update_contract(ws, a, supplier_entity_id=42)
    linked = sv.update_contract(ws, a, supplier_entity_id=41)
    assert linked["supplier"] == "GREEN SPACES LIMITED" and linked["supplier_entity_id"] == 41
    b = _contract(ws, title="Other", supplier="Green spaces (Oxford)", supplier_entity_id=41)
    sv.commit(ws, a, "local-jobs", 1)
    sv.commit(ws, b, "local-jobs", 1)
    per_supplier = sv.by_supplier(ws)
    assert len(per_supplier) == 1 and per_supplier[0]["contracts"] == 2
    assert sv.contract_detail(ws, a)["suggestions"] == []  # linked: nothing to suggest


def test_public_outputs_hold_published_contracts_only(net):
    ws = net
    published = _contract(ws, title="Published works", supplier="Open Ltd", publish=True, by="lead@example.org")
    private = _contract(ws, member=RIVERSIDE, title="Private works", supplier="Secret Ltd")
    for cid in (published, private):
        sv.commit(ws, cid, "local-jobs", 2)
        sv.record_delivery(ws, cid, "local-jobs", 1, "2025-01-31", evidence="Jane Doe's payroll list", by="x@y")
    public = sv.report_data(ws, public=True)
    assert [c["title"] for c in public["contracts"]] == ["Published works"]
    assert public["measures"][0]["committed"] == 2 and public["suppliers"] == []
    internal = sv.report_data(ws, public=False)
    assert {c["title"] for c in internal["contracts"]} == {"Published works", "Private works"}
    assert internal["measures"][0]["committed"] == 4

    tables = sv.export_tables(ws, public=True)
    text = json.dumps(tables, default=str)
    assert "Private works" not in text and "Secret Ltd" not in text
    assert "Jane Doe" not in text and "lead@example.org" not in text and "x@y" not in text
    assert [c["title"] for c in tables["social_value_contracts"]] == ["Published works"]
    assert len(tables["social_value_deliveries"]) == 1 and len(tables["social_value_measure_sets"]) == 11
    full = sv.export_tables(ws)
    assert len(full["social_value_contracts"]) == 2 and "Jane Doe" in json.dumps(full, default=str)
    sv.update_contract(ws, published, publish=False)
    assert sv.report_data(ws, public=True)["contracts"] == []


# -- the CLI ----------------------------------------------------------------------------------------------
def test_the_cli_records_and_reports(tmp_path, capsys):
    from anchornet.workspace import Workspace

    path = tmp_path / "ws"
    with Workspace(path) as ws:
        ws.member_id(OXFORD, create=True)
    w = ["-w", str(path), "social-value"]
    assert main([*w, "measures", "load", str(PROXIES), "--name", "oxon", "--version", "1", "--use"]) == 0
    assert main([*w, "contract", "add", "--member", OXFORD, "--title", "Grounds", "--supplier", "Green Ltd",
                 "--value", "1000", "--start", "2024-04-01"]) == 0
    assert main([*w, "commit", "1", "local-jobs", "2", "--by", "2026-03-31"]) == 0
    assert main([*w, "deliver", "1", "local-jobs", "1", "--as-of", "2025-03-31", "--evidence", "payroll"]) == 0
    assert main([*w, "contract", "set", "1", "--publish"]) == 0
    capsys.readouterr()
    assert main([*w, "summary", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["by_measure"][0]["rating"] == "on track" and data["valuation"]["measure_set"] == "oxon 1"
    assert data["totals"]["value_delivered"] == "20000.00"
    assert main([*w, "contract", "show", "1"]) == 0
    shown = capsys.readouterr().out
    assert "Local jobs created" in shown and "on track" in shown and "£40,000.00" in shown
    assert main([*w, "contract", "list"]) == 0 and "Grounds" in capsys.readouterr().out
    assert main([*w, "measures", "list", "--measures"]) == 0 and "£20,000" in capsys.readouterr().out
    assert main([*w, "measures", "use", "anchornet-default", "2026.1"]) == 0
    assert main([*w, "commit", "1", "nope", "2"]) == 2
    assert "no measure 'nope'" in capsys.readouterr().err
    with Workspace(path) as ws:
        actions = [r[0] for r in ws.con.execute(
            "SELECT action FROM audit_log WHERE actor = 'cli' ORDER BY audit_id").fetchall()]
    assert actions == ["social_value.measures.load", "social_value.contract.add", "social_value.commit",
                       "social_value.deliver", "social_value.contract.update", "social_value.measures.use"]


def test_a_read_only_workspace_reports_without_writing(tmp_path):
    from anchornet.workspace import Workspace

    path = tmp_path / "ws"
    Workspace(path).close()  # made before social value was ever used
    with Workspace(path, read_only=True) as ro:
        assert sv.valuation(ro)["measure_set"] == "anchornet-default 2026.1"
        assert len(sv_measures.measures(ro)) == 11 and sv_measures.list_sets(ro) == []
        tables = sv.export_tables(ro, public=True)
        assert tables["social_value_contracts"] == [] and sv.report_data(ro, public=True)["measures"] == []
