"""``anchornet place ...`` in-process, through anchornet's own main()."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from cli_support import run
from place_network import SUPPLIER_SPEND, build


@pytest.fixture
def cli(capsys):
    def go(workspace: Path, *argv) -> SimpleNamespace:
        code, out, err = run(capsys, "--workspace", workspace, "place", *argv)
        return SimpleNamespace(code=code, out=out, err=err)

    return go


@pytest.fixture
def workspace(tmp_path):
    ws = build(tmp_path / "ws", lookup=True)
    ws.close()
    return tmp_path / "ws"


def test_set_show_and_suppliers(cli, workspace):
    r = cli(workspace, "set", "Oxfordshire", "--tier", "city=E07000178",
            "--tier", "county=E07000178, e07000180", "--tier", "region=E12000008", "--json")
    assert r.code == 0, r.err
    place = json.loads(r.out)
    assert [t["name"] for t in place["tiers"]] == ["city", "county", "region"]
    assert place["tiers"][1]["codes"][1]["code"] == "E07000180"

    r = cli(workspace, "show", "--json")
    assert r.code == 0, r.err
    result = json.loads(r.out)
    assert result["spend"]["supplier_spend"] == SUPPLIER_SPEND
    city = result["tiers"][0]
    assert (city["inside"]["spend"], city["outside"]["spend"], city["unknown"]["spend"]) == (3500, 4500, 3500)

    r = cli(workspace, "show")
    assert r.code == 0, r.err
    assert "Place: Oxfordshire" in r.out and "NSPL NOV 2021" in r.out
    assert "30.4% (£3,500)" in r.out and "39.1% (£4,500)" in r.out

    r = cli(workspace, "suppliers", "--tier", "city", "--side", "outside", "--json")
    assert r.code == 0, r.err
    listed = json.loads(r.out)
    assert [i["display_name"] for i in listed["items"]] == ["Abingdon Timber Supplies Ltd",
                                                            "Cardiff Bay Consulting Ltd"]
    r = cli(workspace, "suppliers")
    assert r.code == 0 and "Radcliffe Bakery Ltd" in r.out and "REDACTED" not in r.out


def test_from_file(cli, workspace, tmp_path):
    path = tmp_path / "place.yaml"
    path.write_text("name: From the file\ntiers:\n  city: [OX1, OX4]\n  county: [OX]\n", encoding="utf-8")
    r = cli(workspace, "set", "--from-file", path, "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["name"] == "From the file" and json.loads(r.out)["source"] == "place.yaml"
    r = cli(workspace, "set", "Renamed", "--from-file", path, "--json")
    assert json.loads(r.out)["name"] == "Renamed"
    r = cli(workspace, "set", "x", "--from-file", path, "--tier", "city=OX1")
    assert r.code != 0 and "not both" in r.err


def test_errors_are_one_line_and_keep_the_place(cli, workspace):
    assert cli(workspace, "set", "Kept", "--tier", "city=E07000178").code == 0
    for argv in (["set", "x", "--tier", "county=E10000025"],
                 ["set", "x", "--tier", "city=OX1 1BX"],
                 ["set", "x", "--tier", "region=E12000008", "--tier", "city=E07000178"],
                 ["set", "x"]):
        r = cli(workspace, *argv)
        assert r.code != 0
        assert len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err
    assert json.loads(cli(workspace, "show", "--json").out)["place"]["name"] == "Kept"
    assert cli(workspace, "clear").code == 0
    assert json.loads(cli(workspace, "show", "--json").out)["place"] is None


def test_warnings_go_to_stderr(cli, tmp_path):
    ws = build(tmp_path / "plain")   # no postcode lookup
    ws.close()
    r = cli(tmp_path / "plain", "set", "Oxford", "--tier", "city=E07000178")
    assert r.code == 0
    assert "warning: no postcode lookup is loaded" in r.err
    r = cli(tmp_path / "plain", "show")
    assert r.code == 0 and "none loaded" in r.out and "unknown" in r.out


def test_a_refused_first_set_leaves_no_workspace(cli, tmp_path):
    r = cli(tmp_path / "new", "set", "x", "--tier", "city=Oxford")
    assert r.code != 0 and not (tmp_path / "new").exists()
    r = cli(tmp_path / "new", "set", "Oxford", "--tier", "city=OX1")
    assert r.code == 0 and (tmp_path / "new").exists()
    r = cli(tmp_path / "new", "show", "--json")
    assert r.code == 0 and json.loads(r.out)["coverage"]["located"]["share"] is None
