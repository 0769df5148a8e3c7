"""Progression frameworks: the shipped defaults, the schema and its messages for broken
files, loading by id and version, export for copying, which framework a member takes, and
the `anchornet framework` commands."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from cli_support import run

from anchornet.errors import AnchornetError
from anchornet.network import framework
from anchornet.network.framework import FrameworkError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "framework"
BUSINESS_DIMENSIONS = ["Employment", "Procurement", "Environment and Assets", "Corporate and Community"]


def _member(ws, name: str, sector: str | None = None) -> int:
    member_id = ws.member_id(name, create=True)
    if sector:
        ws.con.execute("INSERT INTO member_profiles (member_id, sector) VALUES (?, ?)", [member_id, sector])
    return member_id


# -- the defaults ------------------------------------------------------------------------------------
def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(framework.schema())


def test_the_two_defaults_have_the_dimensions_asked_for():
    d = framework.defaults()
    assert set(d) == {"business", "public"}
    assert [x["name"] for x in d["business"].dimensions] == BUSINESS_DIMENSIONS
    assert [x["name"] for x in d["public"].dimensions] == BUSINESS_DIMENSIONS + ["Service Delivery"]
    assert d["business"].applies_to == "business" and d["public"].applies_to == "public"


@pytest.mark.parametrize("name", ["business", "public"])
def test_each_default_level_has_three_to_five_criteria_and_two_to_four_actions(name):
    fw = framework.defaults()[name]
    texts = []
    for dim in fw.dimensions:
        assert dim["description"]
        assert [lv["level"] for lv in dim["levels"]] == [1, 2, 3, 4]
        assert [lv["name"] for lv in dim["levels"]] == ["Starting out", "Developing", "Established",
                                                         "Leading practice"]
        for lv in dim["levels"]:
            assert 3 <= len(lv["criteria"]) <= 5, (dim["id"], lv["level"])
            assert 2 <= len(lv["next_actions"]) <= 4, (dim["id"], lv["level"])
            texts += [c["text"] for c in lv["criteria"]]
    assert len(texts) == len(set(texts))  # no criterion copied within a framework
    # the spend analysis measures some criteria; thresholds rise with the level
    local = [(lv["level"], c["evidence"]["at_least"]) for dim in fw.dimensions for lv in dim["levels"]
             for c in lv["criteria"] if c.get("evidence", {}).get("measure") == "local_spend_share"]
    assert len(local) >= 3 and [t for _, t in sorted(local)] == sorted(t for _, t in local)
    assert {m for m, _ in fw.evidence_keys()} == set(framework.MEASURES)


@pytest.mark.parametrize("name", ["business", "public"])
def test_the_shipped_files_validate_as_files(name):
    path = Path(framework.__file__).parent / "frameworks" / f"{name}.yaml"
    assert framework.validate_file(path) == []


# -- broken files: every problem, with its path ---------------------------------------------------------
@pytest.mark.parametrize("fixture, expected", [
    ("three_levels.yaml", ["dimensions[2].levels: needs exactly 4 levels, found 3"]),
    ("levels_out_of_order.yaml", [
        "dimensions[1].levels[1].level: expected level 2 here (levels go 1, 2, 3, 4 in order), found 3",
        "dimensions[1].levels[2].level: expected level 3 here (levels go 1, 2, 3, 4 in order), found 2",
        "dimensions[2].id: 'alpha' is already the id of dimensions[0]"]),
    ("unknown_measure.yaml", [
        "dimensions[0].levels[1].criteria[0].evidence.at_least: is 40; write the share as a fraction from 0 to 1 "
        "(0.4 is 40%)",
        "dimensions[0].levels[1].criteria[0].evidence.measure: 'profit_share' is not one of: local_spend_share, "
        "sme_spend_share, vcse_spend_share, deprived_spend_share"]),
    ("missing_keys.yaml", [
        "(top level): missing 'name'",
        "(top level): unknown key 'colour' (allowed: applies_to, description, dimensions, id, licence, name, "
        "version)",
        "dimensions[0]: missing 'levels'",
        "id: 'Small Framework' is not a valid id: use lower-case letters, digits and _ (and - in a framework's id), "
        "starting with a letter",
        "version: should be a whole number, found the text 'one'"]),
])
def test_broken_files_say_where_and_what(fixture, expected):
    assert framework.validate_file(FIXTURES / fixture) == expected
    with pytest.raises(FrameworkError) as caught:
        framework.parse_file(FIXTURES / fixture)
    assert str(caught.value).startswith(f"{fixture} is not a valid framework: {expected[0]}")


def test_a_yaml_syntax_error_names_the_line():
    problems = framework.validate_file(FIXTURES / "syntax_error.yaml")
    assert len(problems) == 1 and problems[0].startswith("line 7, column 4: YAML syntax error")


def test_other_shapes_are_refused_plainly(tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing\n")
    assert framework.validate_file(empty) == ["the file is empty"]
    listed = tmp_path / "list.yaml"
    listed.write_text("- a\n- b\n")
    assert framework.validate_file(listed) == ["(top level): should be a mapping (key: value), found a list"]
    with pytest.raises(AnchornetError, match="no framework file at"):
        framework.parse_file(tmp_path / "missing.yaml")


def test_a_small_valid_file_gets_level_names():
    fw = framework.parse_file(FIXTURES / "valid_small.yaml")
    assert (fw.id, fw.version, len(fw.dimensions)) == ("small", 1, 3)
    assert fw.level("beta", 4)["name"] == "Leading practice"
    assert fw.level("beta", 5) is None and fw.dimension("nope") is None


# -- loading, versions, export -------------------------------------------------------------------------------
def _edited(tmp_path, *, version: int, change: str = "") -> Path:
    data = yaml.safe_load(framework.default_text("business"))
    data["version"] = version
    if change:
        data["dimensions"][0]["levels"][0]["criteria"][0]["text"] = change
    path = tmp_path / f"business-v{version}{'-x' if change else ''}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_defaults_are_available_without_loading(ws):
    assert framework.get(ws, "business").source == "default"
    listed = {f["id"]: f for f in framework.list_frameworks(ws)}
    assert listed["business"]["versions"] == [] and listed["business"]["default_for"] == ["business"]
    assert listed["public"]["default_for"] == ["public"]
    with pytest.raises(AnchornetError, match="no framework called 'nope'; frameworks are: business, public"):
        framework.get(ws, "nope")


def test_load_stores_a_version_and_reloading_changes_nothing(ws, tmp_path):
    v2 = _edited(tmp_path, version=2, change="We have never counted where staff live.")
    assert framework.load(ws, v2)["status"] == "loaded"
    assert framework.load(ws, v2)["status"] == "unchanged"
    newest = framework.get(ws, "business")
    assert newest.version == 2 and newest.dimensions[0]["levels"][0]["criteria"][0]["text"].startswith("We have never")
    assert framework.get(ws, "business", 1).source == "default"  # the shipped version stays readable
    # the same id and version with other text is refused: raise the version
    clash = _edited(tmp_path, version=2, change="Something else.")
    with pytest.raises(AnchornetError, match="version 2 is already stored with other text"):
        framework.load(ws, clash)
    with pytest.raises(AnchornetError, match="version 1 is already stored with other text"):
        framework.load(ws, _edited(tmp_path, version=1, change="A changed version 1."))
    # the shipped text itself, loaded, is the same content
    assert framework.load(ws, Path(framework.__file__).parent / "frameworks" / "business.yaml")["status"] == "loaded"
    assert {f["id"]: f["versions"] for f in framework.list_frameworks(ws)}["business"] == [1, 2]


def test_export_gives_a_file_that_loads_back(ws, tmp_path):
    shipped = framework.to_yaml(framework.get(ws, "public"))
    assert shipped == framework.default_text("public")  # comments and all
    framework.load(ws, _edited(tmp_path, version=3, change="Edited."))
    text = framework.to_yaml(framework.get(ws, "business"))
    assert text.startswith("# Business anchors progression framework, version 3")
    path = tmp_path / "copy.yaml"
    path.write_text(text.replace("version: 3", "version: 4"), encoding="utf-8")
    assert framework.validate_file(path) == []
    assert framework.load(ws, path)["version"] == 4


# -- which framework a member takes ----------------------------------------------------------------------------
def test_a_member_takes_the_framework_of_its_sector_unless_the_coordinator_chooses(ws, tmp_path):
    hospital = _member(ws, "Riverside NHS Trust", "nhs")
    firm = _member(ws, "Acme Ltd", "business")
    charity = _member(ws, "Help Trust", "vcse")
    unknown = _member(ws, "No Profile")
    assert framework.member_framework_id(ws, hospital)[0] == "public"
    assert [framework.member_framework_id(ws, m)[0] for m in (firm, charity, unknown)] == ["business"] * 3
    framework.choose(ws, "public", member_id=firm)
    assert framework.member_framework_id(ws, firm) == ("public", "chosen by the coordinator")
    framework.choose(ws, None, member_id=firm)
    assert framework.member_framework_id(ws, firm)[0] == "business"
    framework.load(ws, FIXTURES / "valid_small.yaml")
    framework.choose(ws, "small", kind="public")
    assert framework.framework_for_member(ws, hospital).id == "small"
    with pytest.raises(AnchornetError, match="no framework called 'nope'"):
        framework.choose(ws, "nope", member_id=firm)
    with pytest.raises(AnchornetError, match="kind must be one of"):
        framework.choose(ws, "small", kind="charity")


# -- the command line --------------------------------------------------------------------------------------------

def test_cli_validate(capsys):
    code, out, err = run(capsys, "framework", "validate", str(FIXTURES / "three_levels.yaml"))
    assert code == 2
    assert "three_levels.yaml: dimensions[2].levels: needs exactly 4 levels, found 3" in err
    assert "Traceback" not in err
    code, out, _ = run(capsys, "framework", "validate", str(FIXTURES / "valid_small.yaml"))
    assert code == 0 and "a valid framework: small version 1, 3 dimensions" in out
    code, out, _ = run(capsys, "framework", "validate", "--json", str(FIXTURES / "syntax_error.yaml"))
    assert code == 2 and json.loads(out)["problems"][0].startswith("line 7")


def test_cli_load_list_show_export_use(capsys, tmp_path):
    w = str(tmp_path / "ws")
    # the defaults without a workspace
    code, out, _ = run(capsys, "-w", w, "framework", "show", "public", "--json")
    assert code == 0 and json.loads(out)["dimensions"][-1]["name"] == "Service Delivery"
    assert not (tmp_path / "ws").exists()
    code, out, _ = run(capsys, "-w", w, "framework", "load", str(FIXTURES / "valid_small.yaml"))
    assert code == 0 and "small version 1 (A small test framework): loaded" in out
    code, out, _ = run(capsys, "-w", w, "framework", "load", str(FIXTURES / "valid_small.yaml"))
    assert "already loaded: nothing changed" in out
    code, out, err = run(capsys, "-w", w, "framework", "load", str(FIXTURES / "three_levels.yaml"))
    assert code == 2 and err.strip().count("\n") == 0 and "needs exactly 4 levels, found 3" in err
    code, out, _ = run(capsys, "-w", w, "framework", "list", "--json")
    assert [f["id"] for f in json.loads(out)] == ["business", "public", "small"]
    target = tmp_path / "copy.yaml"
    code, out, _ = run(capsys, "-w", w, "framework", "export", "business", "-o", str(target))
    assert code == 0 and framework.validate_file(target) == []
    code, out, _ = run(capsys, "-w", w, "framework", "show", "small")
    assert "Level 4: Leading practice" in out
    code, out, err = run(capsys, "-w", w, "framework", "use", "small", "--member", "Nobody")
    assert code == 2 and "no member called 'Nobody'" in err
    code, out, _ = run(capsys, "-w", w, "framework", "use", "small", "--kind", "public")
    assert code == 0
    code, out, _ = run(capsys, "-w", w, "framework", "list", "--json")
    assert {f["id"]: f["default_for"] for f in json.loads(out)}["small"] == ["public"]
    from anchornet.workspace import Workspace

    with Workspace(tmp_path / "ws") as ws:
        actions = [r[0] for r in ws.con.execute("SELECT action FROM audit_log WHERE actor = 'cli'").fetchall()]
    assert actions == ["framework.load", "framework.choose"]
