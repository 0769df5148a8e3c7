"""The demo workspace as a small network: Oxford's real sample plus three fictional members,
fictional registers and a place, so every page has local shares, leakage and opportunities."""

from __future__ import annotations

import pytest

from anchornet.analysis.metrics import Analysis
from anchornet.analysis.opportunities import opportunities
from anchornet.demo import FICTIONAL_FOLDER, build_demo
from anchornet.place import geography
from anchornet.sample import SAMPLE_MEMBER
from anchornet.sample.fictional import MEMBERS, NOTE_FILE, oxford_supplier_names, write_fictional_data
from anchornet.workspace import Workspace

TABLES = ["files", "records", "members", "register_loads", "companies", "postcodes", "place", "place_tiers",
          "place_codes", "payees", "supplier_links"]
NETWORK_TABLES = ["member_profiles", "working_groups", "group_roles", "group_meetings", "group_actions", "pledges",
                  "pledge_signatories", "pledge_updates", "prospects", "prospect_stage_history", "assessments",
                  "assessment_answers", "sv_contracts", "sv_commitments", "sv_deliveries", "action_plans",
                  "plan_milestones"]


def snapshot(ws: Workspace) -> dict:
    out = {}
    for table in TABLES + NETWORK_TABLES:
        out[table] = ws.con.execute(
            f"SELECT count(*), hash(string_agg(CAST(x AS VARCHAR), '|' ORDER BY CAST(x AS VARCHAR))) FROM {table} x"
        ).fetchall()[0]
    # resolving again refreshes updated_at and nothing else
    out["supplier_entities"] = ws.con.execute(
        "SELECT count(*), hash(string_agg(CAST(x AS VARCHAR), '|' ORDER BY CAST(x AS VARCHAR))) "
        "FROM (SELECT * EXCLUDE (updated_at) FROM supplier_entities) x"
    ).fetchall()[0]
    return out


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    ws = Workspace(tmp_path_factory.mktemp("demo") / "ws")
    results, report = build_demo(ws)
    yield ws, results, report
    ws.close()


def test_demo_has_four_members_and_oxford_is_unchanged(demo):
    ws, results, report = demo
    assert report.exists()
    assert {r.status for r in results} == {"loaded"}
    members = dict(ws.con.execute(
        "SELECT m.name, count(*) FROM records r JOIN members m USING (member_id) WHERE r.status = 'loaded' "
        "GROUP BY 1").fetchall())
    assert set(members) == {SAMPLE_MEMBER, *MEMBERS}
    assert members[SAMPLE_MEMBER] == 30558
    assert 2000 <= sum(members[m] for m in MEMBERS) <= 5000
    assert (ws.path / FICTIONAL_FOLDER / NOTE_FILE).read_text().startswith("# Fictional demo data")


def test_every_fictional_name_says_so(demo):
    ws, _, _ = demo
    names = [r[0] for r in ws.con.execute("SELECT name FROM members").fetchall()]
    assert all(n.endswith("(fictional)") for n in names if n != SAMPLE_MEMBER)
    assert len(names) == 6  # four with payments, two businesses
    companies = [r[0] for r in ws.con.execute("SELECT name FROM companies").fetchall()]
    assert companies and all("(FICTIONAL)" in n for n in companies)
    assert all(r[0].startswith("ZZ") for r in ws.con.execute("SELECT company_number FROM companies").fetchall())


def test_only_fictional_firms_are_linked(demo):
    """Real supplier names get no register entry: they stay honestly unknown."""
    ws, _, _ = demo
    linked = [r[0] for r in ws.con.execute(
        "SELECT display_name FROM supplier_entities WHERE company_number IS NOT NULL").fetchall()]
    assert len(linked) >= 20
    assert all("FICTIONAL" in n.upper() for n in linked)
    real = {name.upper() for name, _ in oxford_supplier_names()}
    shared = [r[0] for r in ws.con.execute(
        "SELECT DISTINCT q.supplier_name FROM payees q JOIN members m USING (member_id) WHERE m.name <> ?",
        [SAMPLE_MEMBER]).fetchall() if r[0].upper() in real]
    assert shared  # the fictional members pay suppliers Oxford pays too


def test_local_shares_for_both_tiers(demo):
    ws, _, _ = demo
    place = geography.get_place(ws)
    assert place["name"] == "Oxfordshire (demo)" and [t["name"] for t in place["tiers"]] == ["city", "county"]
    with Analysis(ws) as analysis:
        local = {row["tier"]: row for row in analysis.local()}
        assert set(local) == {"city", "county"}
        for row in local.values():
            assert row["coverage"] > 0 and row["share"] > 0
        assert local["city"]["share"] <= local["county"]["share"]
        leak = analysis.leakage("county")
        assert any(c["outside"] > 0 for c in leak["categories"])
        assert len(analysis.shared_suppliers()) > 10


def test_opportunities_are_not_empty(demo):
    ws, _, _ = demo
    with Analysis(ws) as analysis:
        for tier in ("city", "county"):
            found = opportunities(analysis, tier=tier)
            assert found["note"] is None
            firms = [f for c in found["categories"] for f in c["firms"]]
            assert firms and all("(FICTIONAL)" in f["name"] for f in firms)


def test_second_build_changes_nothing(demo):
    ws, _, _ = demo
    before = snapshot(ws)
    files = sorted((p.name, p.stat().st_mtime_ns) for p in (ws.path / FICTIONAL_FOLDER).iterdir())
    results, _ = build_demo(ws)
    assert {r.status for r in results} == {"unchanged"}
    assert snapshot(ws) == before
    assert sorted((p.name, p.stat().st_mtime_ns) for p in (ws.path / FICTIONAL_FOLDER).iterdir()) == files


def test_a_place_or_register_already_there_is_kept(tmp_path):
    ws = Workspace(tmp_path / "ws")
    try:
        build_demo(ws)
        geography.set_place(ws, "My own place", [geography.parse_tier("town=OX1")])
        loads = ws.con.execute("SELECT count(*) FROM register_loads").fetchall()[0][0]
        build_demo(ws)
        assert geography.get_place(ws)["name"] == "My own place"
        assert ws.con.execute("SELECT count(*) FROM register_loads").fetchall()[0][0] == loads
    finally:
        ws.close()


def test_fictional_files_are_deterministic(tmp_path):
    a = write_fictional_data(tmp_path / "a")
    b = write_fictional_data(tmp_path / "b")
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir()) and len(names) == 15
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert len(a["members"]) == len(b["members"]) == 3


def test_the_network_records_are_fictional_and_fill_every_section(demo):
    """Every section of the Network pages has something to show, every organisation or
    person it adds says it is fictional, and Oxford's made-up profile says so."""
    from anchornet.network import assessments, groups, members, pipeline, plans, pledges, social_value

    ws, _, _ = demo
    for table in NETWORK_TABLES:
        assert ws.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0] > 0, table
    profiles = members.list_members(ws)
    assert {m["sector"] for m in profiles} >= {"local_authority", "nhs", "higher_education", "business"}
    sponsors = [r[0] for r in ws.con.execute("SELECT sponsor_name FROM member_profiles").fetchall()]
    assert sponsors and all(s.endswith("(fictional)") for s in sponsors)
    assert "made up" in members.get_member(ws, SAMPLE_MEMBER)["notes"]
    assert all("(fictional" in g["name"] for g in groups.list_groups(ws))
    assert all("(fictional" in p["title"] for p in pledges.list_pledges(ws))
    assert all("(fictional" in p["title"] for p in plans.list_plans(ws))
    assert all("(FICTIONAL)" in p["name"].upper() for p in pipeline.list_prospects(ws))
    procurement = groups.get_group(ws, "Procurement (fictional demo)")
    roles = {r["member"]: r["role"] for r in procurement["roles"]}
    assert roles[SAMPLE_MEMBER] == "chair" and "co-chair" in roles.values()
    local = next(p for p in pledges.list_pledges(ws) if p["metric"])
    filled = [s for s in pledges.progress(ws, local["pledge_id"])["signatories"] if s["latest"]]
    assert filled and all(s["latest"]["source"] == "data" and s["latest"]["coverage"] for s in filled)
    report = assessments.report_data(ws)
    shown = {f["framework"]: f["suppressed"] for f in report["frameworks"]}
    assert shown == {"public": False, "business": True}  # four public anchors; only two businesses
    assert social_value.summary(ws)["by_measure"]
