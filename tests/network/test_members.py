"""Members: adding organisations, profiles checked and normalised, the supplier link and
the income from other members (mapped as the spend analysis maps payments), the export
(public = consented members, no sponsor), and the `anchornet members` commands."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from cli_support import run

from anchornet import ingest_file
from anchornet.errors import AnchornetError
from anchornet.network import members
from anchornet.suppliers.resolve import resolve

COUNCIL_CSV = (
    "Date,Supplier,Amount,Expense Type\n"
    "01/04/2024,NORTHGATE ENERGY LTD,1200.00,Energy\n"
    "15/05/2024,Northgate Energy Limited,800.00,Energy\n"
    "02/04/2024,Riverside Community Trust,650.50,Grants to voluntary bodies\n"
)
HOSPITAL_CSV = (
    "Date,Supplier,Amount,Expense Type\n"
    "03/04/2025,NORTHGATE ENERGY LTD,500.00,Energy\n"
    "04/04/2024,Bright Spark Electrical Ltd,540.00,Electrical works\n"
)



@pytest.fixture
def paid(ws, tmp_path):
    """Two members with payments, both paying Northgate Energy; suppliers resolved."""
    for name, text in (("Council", COUNCIL_CSV), ("Hospital", HOSPITAL_CSV)):
        path = tmp_path / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        ingest_file(ws, path, name)
    resolve(ws)
    return ws


def test_add_and_profile_are_checked_and_normalised(ws):
    member_id = members.add_member(ws, "Northgate Energy Ltd", sector="business", employees="1,200",
                                   network_role="associate", via_organisation="Chamber of Commerce",
                                   hq_postcode="ox11bx", staff_local_share="35%", annual_spend="£2,500,000",
                                   website="northgate.example.co.uk", joined_on="2024-06-01")
    m = members.get_member(ws, member_id)
    assert (m["employees"], m["hq_postcode"], m["staff_local_share"]) == (1200, "OX1 1BX", 0.35)
    assert m["annual_spend"] == 2_500_000.0 and m["website"] == "https://northgate.example.co.uk"
    assert m["joined_on"] == dt.date(2024, 6, 1) and m["kind"] == "business" and not m["publish_listing"]
    assert members.member_ref(ws, "northgate energy ltd") == (member_id, "Northgate Energy Ltd")
    with pytest.raises(AnchornetError, match="already a member"):
        members.add_member(ws, "NORTHGATE ENERGY LTD")
    for field, value, message in (
        ("sector", "spaceships", "unknown sector"), ("network_role", "boss", "unknown role"),
        ("employees", "many", "whole number"), ("employees", "-3", "negative"),
        ("hq_postcode", "XX", "not a UK postcode"), ("staff_local_share", "120", "0 to 100"),
        ("sponsor_email", "nobody", "not an e-mail"), ("joined_on", "01/06/2024", "YYYY-MM-DD"),
        ("annual_spend", "lots", "amount"), ("website", "not a site", "web address"),
    ):
        with pytest.raises(AnchornetError, match=message):
            members.update_profile(ws, member_id, **{field: value})
    with pytest.raises(AnchornetError, match="associate members only"):
        members.update_profile(ws, member_id, network_role="core")
    with pytest.raises(AnchornetError, match="no member called"):
        members.update_profile(ws, "Nobody Ltd", sector="business")


def test_update_changes_only_what_is_given_and_rerunning_changes_nothing(ws):
    member_id = members.add_member(ws, "City Council", sector="local_authority")
    changes = members.update_profile(ws, member_id, sponsor_name="Alex Quill", employees=5000)
    assert set(changes) == {"sponsor_name", "employees"}
    assert members.update_profile(ws, member_id, sponsor_name="Alex Quill", employees="5000") == {}
    m = members.get_member(ws, member_id)
    assert m["sector"] == "local_authority" and m["sponsor_name"] == "Alex Quill"
    assert members.update_profile(ws, member_id, sponsor_name=None) == {
        "sponsor_name": {"from": "Alex Quill", "to": None}}


def test_list_has_every_member_with_its_payments_data(paid):
    members.add_member(paid, "Northgate Energy Ltd", sector="business")
    rows = {m["name"]: m for m in members.list_members(paid)}
    assert set(rows) == {"Council", "Hospital", "Northgate Energy Ltd"}
    council = rows["Council"]
    assert council["files"] == 1 and council["payments"] == 3 and council["total_paid"] == 2650.5
    assert (council["first_date"], council["last_date"]) == (dt.date(2024, 4, 1), dt.date(2024, 5, 15))
    assert not council["has_profile"] and council["sector_label"] == "not recorded"
    assert rows["Northgate Energy Ltd"]["payments"] == 0 and not rows["Northgate Energy Ltd"]["linked"]


def test_supplier_suggestions_link_and_income(paid):
    member_id = members.add_member(paid, "Northgate Energy Ltd", sector="business")
    suggestions = members.suggest_suppliers(paid, member_id)
    assert suggestions and suggestions[0]["same_name"] and suggestions[0]["paying_members"] == 2
    entity = suggestions[0]["entity_id"]
    assert members.link_supplier(paid, member_id, entity)["changed"]
    assert not members.link_supplier(paid, member_id, entity)["changed"]  # re-running is safe
    income = members.member_income(paid, member_id)
    assert income["total"] == 2500.0 and income["payments"] == 3
    assert {r["member"]: r["total"] for r in income["by_member"]} == {"Council": 2000.0, "Hospital": 500.0}
    assert {r["period"]: r["total"] for r in income["by_period"]} == {"2024/25": 2000.0, "2025/26": 500.0}
    council = members.member_ref(paid, "Council")[0]
    other = members.add_member(paid, "Another Ltd")
    with pytest.raises(AnchornetError, match="already linked"):
        members.link_supplier(paid, other, entity)
    with pytest.raises(AnchornetError, match="no supplier"):
        members.link_supplier(paid, council, 987654)
    members.link_supplier(paid, member_id, None)
    assert members.member_income(paid, member_id)["supplier_entity_id"] is None


def test_export_public_lists_only_consenting_members_without_sponsors(ws):
    a = members.add_member(ws, "Listed Ltd", sector="business", sponsor_name="Sam Person",
                           sponsor_email="sam@listed.example.org", notes="private note", publish_listing=True)
    members.add_member(ws, "Quiet Ltd", sector="business", sponsor_name="Kim Private")
    internal = members.export_tables(ws)["members"]
    assert {r["name"] for r in internal} == {"Listed Ltd", "Quiet Ltd"}
    assert any(r["sponsor_name"] == "Sam Person" for r in internal)
    public = members.export_tables(ws, public=True)["members"]
    assert [r["member_id"] for r in public] == [a]
    text = json.dumps(public, default=str)
    assert "Sam Person" not in text and "sam@listed" not in text and "private note" not in text
    assert "sponsor_name" not in public[0] and "total_paid" not in public[0]


def test_annual_spend_is_stored_as_decimal(ws):
    member_id = members.add_member(ws, "Money Ltd", annual_spend="1,234,567.891")
    stored = ws.con.execute("SELECT annual_spend FROM member_profiles WHERE member_id = ?", [member_id]).fetchall()
    assert stored == [(Decimal("1234567.89"),)]


def test_members_commands(tmp_path, capsys, paid):
    path = paid.path
    paid.close()
    code, out, err = run(capsys, "-w", path, "members", "add", "Northgate Energy Ltd", "--sector", "business",
                         "--employees", "850", "--sponsor-name", "Jo Bloggs", "--staff-local", "40",
                         "--main-sites", "Depot; Head office")
    assert code == 0 and "added member" in out, err
    code, out, err = run(capsys, "-w", path, "members", "add", "Northgate Energy Ltd")
    assert code == 2 and "already a member" in err and "Traceback" not in err
    code, out, _ = run(capsys, "-w", path, "members", "set", "Northgate Energy Ltd", "--hq-postcode", "ox1 1bx",
                       "--publish")
    assert code == 0 and "hq_postcode" in out and "publish_listing" in out
    code, out, err = run(capsys, "-w", path, "members", "set", "Northgate Energy Ltd", "--joined", "June")
    assert code == 2 and "YYYY-MM-DD" in err
    code, out, _ = run(capsys, "-w", path, "members", "link", "Northgate Energy Ltd", "--json")
    entity = json.loads(out)[0]["entity_id"]
    code, out, _ = run(capsys, "-w", path, "members", "link", "Northgate Energy Ltd", entity)
    assert code == 0 and f"linked to supplier {entity}" in out
    code, out, _ = run(capsys, "-w", path, "members", "list", "--json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert rows["Northgate Energy Ltd"]["main_sites"] == "Depot\nHead office"
    assert rows["Northgate Energy Ltd"]["staff_local_share"] == 0.4 and rows["Council"]["payments"] == 3
    code, out, _ = run(capsys, "-w", path, "members", "show", "Northgate Energy Ltd", "--json")
    assert code == 0 and json.loads(out)["income"]["total"] == 2500.0
    code, out, _ = run(capsys, "-w", path, "members", "show", "Northgate Energy Ltd")
    assert code == 0 and "income from other members: £2,500.00" in out
    code, out, _ = run(capsys, "-w", path, "members", "list")
    assert code == 0 and "Northgate Energy Ltd" in out
    from anchornet.workspace import Workspace

    with Workspace(path) as ws:
        actions = [r[0] for r in ws.con.execute("SELECT action FROM audit_log WHERE actor = 'cli' "
                                                "ORDER BY audit_id").fetchall()]
    assert actions == ["members.add", "members.update", "members.link"]
