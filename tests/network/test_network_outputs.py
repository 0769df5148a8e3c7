"""The network's records in the outputs: the network report (internal and public), the
public dashboard and `anchornet export network`, on the demo network. The public versions
keep only what members agreed to publish and never a person's name."""

from __future__ import annotations

import csv
import re

import pytest
from openpyxl import load_workbook

from anchornet.analysis.metrics import Scope
from anchornet.cli.main import main
from anchornet.demo import build_demo
from anchornet.network.exports import export_network, network_tables
from anchornet.network.report import network_report
from anchornet.reports.annual import write_report
from anchornet.sample import SAMPLE_MEMBER
from anchornet.sample.fictional import HOUSING, NHS
from anchornet.workspace import Workspace

PEOPLE = ["Sam Placeholder", "Jo Example", "Chris Sample", "Pat Demo", "Robin Invented", "Morgan Madeup",
          "Lee Notreal"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("network-outputs") / "ws"
    ws = Workspace(path)
    build_demo(ws)
    yield ws
    ws.close()


def _section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    end = html.find("<section", start)
    return html[start:end if end != -1 else None]


def test_the_report_has_the_network_sections(demo, tmp_path):
    internal = write_report(demo, tmp_path / "internal.html").read_text(encoding="utf-8")
    public = write_report(demo, tmp_path / "public.html", public=True).read_text(encoding="utf-8")
    for anchor in ("net-pledges", "net-framework", "net-social-value", "net-plans", "net-members"):
        assert f'id="{anchor}"' in internal and f'id="{anchor}"' in public
    # Thames Housing did not agree to publish its pledge progress, its contract or its listing
    assert HOUSING in _section(internal, "net-pledges") and HOUSING not in _section(public, "net-pledges")
    assert "Responsive repairs" in internal and "Responsive repairs" not in public
    assert HOUSING in _section(internal, "net-members") and HOUSING not in _section(public, "net-members")
    assert "not named here" in _section(public, "net-pledges")
    # the business framework has two members: never broken down
    framework = _section(public, "net-framework")
    assert "Not shown: fewer than 3 members" in framework and "Public anchors" in framework
    for person in PEOPLE:
        assert person not in public
    assert not re.search(r"[\w.]+@[\w-]+\.\w", public)  # no e-mail address


def test_a_member_report_shows_that_members_records_only(demo):
    scoped = network_report(demo, members=[NHS])
    assert {s["member"] for p in scoped["pledges"] for s in p["signatories"]} == {NHS}
    assert {c["member"] for c in scoped["social_value"]["contracts"]} == {NHS}
    assert network_report(demo, members=[SAMPLE_MEMBER])["social_value"] is None  # no contracts recorded


def test_the_xlsx_report_has_the_network_sheets(demo, tmp_path):
    book = load_workbook(write_report(demo, tmp_path / "r.xlsx", Scope()), read_only=True)
    assert {"Pledge progress", "Framework distribution", "Social value by measure", "Social value by contract",
            "Action plans", "Members"} <= set(book.sheetnames)


def test_export_network_internal_and_public(demo, tmp_path):
    internal = network_tables(demo)
    public = network_tables(demo, public=True)
    # private tables are left out of the public edition altogether
    assert set(internal) - set(public) == {"meetings", "framework_answers", "framework_assessments"}
    assert internal["prospects"] and public["prospects"] == []
    assert len(public["social_value_contracts"]) < len(internal["social_value_contracts"])
    text = repr(public)
    for person in PEOPLE:
        assert person not in text
    assert "Sam Placeholder" in repr(internal)  # the coordinator's export keeps the sponsor

    counts = export_network(demo, tmp_path / "network.xlsx")
    book = load_workbook(tmp_path / "network.xlsx", read_only=True)
    assert len(book.sheetnames) == len(counts) and counts["members"] == 6
    export_network(demo, tmp_path / "public-csv", public=True)
    with open(tmp_path / "public-csv" / "members.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and HOUSING not in {r["name"] for r in rows}


def test_export_network_refuses_what_it_cannot_do(demo, tmp_path):
    from anchornet.errors import AnchornetError

    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("x")
    with pytest.raises(AnchornetError, match="not an empty folder"):
        export_network(demo, tmp_path / "full")
    with pytest.raises(AnchornetError, match="xlsx"):
        export_network(demo, tmp_path / "network.parquet")
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())  # nothing half-written


def test_cli_export_network(demo, tmp_path, capsys):
    demo.close()
    try:
        assert main(["-w", str(demo.path), "export", "network", "-o", str(tmp_path / "n.xlsx")]) == 0
        assert "tables" in capsys.readouterr().err
        assert main(["-w", str(demo.path), "export", "payments", "--public", "-o", str(tmp_path / "p.csv")]) == 2
        assert "--public is for the network" in capsys.readouterr().err
    finally:
        demo.con = Workspace(demo.path).con
