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


def test_every_network_page_of_the_demo_opens_for_each_role(demo):
    """Follow every link under /network from the Network page, as the coordinator, a
    business's lead and a viewer, on the demo's records: every page a role is offered opens."""
    import re as regex
    import warnings

    warnings.filterwarnings("ignore", message=".*install `httpx2` instead")
    from fastapi.testclient import TestClient

    from anchornet.sample.fictional_network import ENGINEERING
    from anchornet.web import security, users
    from anchornet.web.app import create_app

    security.configure_hasher(time_cost=1, memory_cost=1024, parallelism=1)
    demo.close()
    app = create_app(demo.path, secret_key="x" * 40, warm=False)
    try:
        accounts = {"coordinator": None, "member": ENGINEERING, "viewer": None}
        for role, member in accounts.items():
            users.create_user(app.state.base, f"crawl-{role}@example.org", "a long enough password", role,
                              member=member)
        with TestClient(app):  # the app's lifespan: one start, one stop
            for role in accounts:
                client = TestClient(app)
                csrf = client.get("/api/session").json()["csrf_token"]
                client.post("/login", data={"email": f"crawl-{role}@example.org", "password": "a long enough password",
                                            "csrf_token": csrf})
                seen, queue = set(), ["/network"]
                while queue and len(seen) < 80:
                    url = queue.pop(0)
                    if url in seen:
                        continue
                    seen.add(url)
                    response = client.get(url)
                    assert response.status_code == 200, (role, url, response.text[:500])
                    for href in regex.findall(r'href="(/network[^"#]*)"', response.text):
                        href = href.replace("&amp;", "&")
                        if href not in seen and not href.endswith((".yaml", ".csv")):
                            queue.append(href)
                assert len(seen) >= (40 if role == "coordinator" else 20), (role, sorted(seen))
    finally:
        security.configure_hasher()
        app.state.base.close()
        demo.con = Workspace(demo.path).con
