"""Working groups: themes and statuses checked, one role per member and one chair per group,
meetings with attendees, actions with owners, due dates and overdue, the export (public =
published groups, consenting members, no people or meetings), and `anchornet groups`."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from cli_support import run

from anchornet.errors import AnchornetError
from anchornet.network import groups, members

TODAY = dt.date(2025, 6, 1)



@pytest.fixture
def network(ws):
    members.add_member(ws, "City Council", sector="local_authority", publish_listing=True)
    members.add_member(ws, "Riverside NHS Trust", sector="nhs")
    members.add_member(ws, "Northgate Energy Ltd", sector="business", publish_listing=True)
    members.add_member(ws, "Quayside Foods Ltd", sector="business")
    return ws


def test_groups_and_roles(network):
    ws = network
    group_id = groups.add_group(ws, "Procurement", "Procurement", "Spend more locally")
    assert groups.group_ref(ws, "procurement") == (group_id, "Procurement")
    with pytest.raises(AnchornetError, match="already a working group"):
        groups.add_group(ws, "PROCUREMENT", "procurement")
    with pytest.raises(AnchornetError, match="unknown theme"):
        groups.add_group(ws, "Astrology", "stars")
    assert groups.set_role(ws, group_id, "City Council", "chair")["changed"]
    assert groups.set_role(ws, group_id, "Northgate Energy Ltd", "co-chair")["changed"]
    assert groups.set_role(ws, group_id, "Quayside Foods Ltd", "co_chair")["to"] == "co-chair"  # several co-chairs
    assert groups.set_role(ws, group_id, "Riverside NHS Trust", "member")["changed"]
    with pytest.raises(AnchornetError, match="already chairs"):
        groups.set_role(ws, group_id, "Northgate Energy Ltd", "chair")
    with pytest.raises(AnchornetError, match="unknown role"):
        groups.set_role(ws, group_id, "Riverside NHS Trust", "president")
    assert not groups.set_role(ws, group_id, "Riverside NHS Trust", "member")["changed"]  # re-run: no change
    # one role per member: a new role replaces the old one
    assert groups.set_role(ws, group_id, "Riverside NHS Trust", "co-chair")["from"] == "member"
    assert ws.con.execute("SELECT count(*) FROM group_roles WHERE group_id = ?", [group_id]).fetchall()[0][0] == 4
    assert groups.chairs(ws, group_id) == ["City Council", "Northgate Energy Ltd", "Quayside Foods Ltd",
                                           "Riverside NHS Trust"]
    groups.set_role(ws, group_id, "Quayside Foods Ltd", None)
    g = groups.get_group(ws, group_id)
    assert g["chair"] == ["City Council"] and g["co_chairs"] == ["Northgate Energy Ltd", "Riverside NHS Trust"]
    assert [r["role"] for r in g["roles"]] == ["chair", "co-chair", "co-chair"]
    assert groups.member_groups(ws, "Northgate Energy Ltd")[0]["role_label"] == "Co-chair"
    changes = groups.update_group(ws, group_id, status="closed", name="Procurement group", publish=True)
    assert set(changes) == {"status", "name", "publish"}
    assert groups.update_group(ws, group_id, status="closed") == {}
    with pytest.raises(AnchornetError, match="unknown group status"):
        groups.update_group(ws, group_id, status="asleep")


def test_meetings_and_actions(network):
    ws = network
    group_id = groups.add_group(ws, "Employment", "employment")
    meeting = groups.add_meeting(ws, group_id, "2025-05-01", "Kick-off", "Line one\r\nLine two",
                                 ["City Council", "Northgate Energy Ltd"])
    with pytest.raises(AnchornetError, match="YYYY-MM-DD"):
        groups.add_meeting(ws, group_id, "1 May", "x")
    with pytest.raises(AnchornetError, match="meeting's title"):
        groups.add_meeting(ws, group_id, "2025-05-01", "  ")
    with pytest.raises(AnchornetError, match="no member called"):
        groups.add_meeting(ws, group_id, "2025-05-01", "x", attendees=["Nobody"])
    late = groups.add_action(ws, group_id, "Map entry-level jobs", "Northgate Energy Ltd", due_on="2025-05-20",
                             owner_person="Jo Bloggs", meeting_id=meeting)
    later = groups.add_action(ws, group_id, "Share vacancies", "City Council", due_on="2025-07-01")
    groups.add_action(ws, group_id, "No due date", "City Council")
    with pytest.raises(AnchornetError, match="not a meeting of this group"):
        groups.add_action(ws, group_id, "x", "City Council", meeting_id=999)
    with pytest.raises(AnchornetError, match="owns the action"):
        groups.add_action(ws, group_id, "x", "")
    g = groups.get_group(ws, group_id, today=TODAY)
    assert g["meetings"][0]["notes"] == "Line one\nLine two"
    assert g["meetings"][0]["attendees"] == ["City Council", "Northgate Energy Ltd"]
    assert g["open_actions"] == 3 and g["overdue_actions"] == 1
    overdue = {a["action_id"]: a["overdue"] for a in g["actions"]}
    assert overdue[late] and not overdue[later]
    assert g["actions"][0]["action_id"] == late and g["actions"][0]["meeting"] == "Kick-off"

    assert groups.update_action(ws, late, status="in_progress") == {"status": {"from": "open", "to": "in_progress"}}
    changes = groups.update_action(ws, late, status="done", done_on="2025-05-25")
    assert changes["done_on"]["to"] == dt.date(2025, 5, 25)
    assert groups.update_action(ws, late, status="done") == {}  # keeps its date
    assert not groups.get_group(ws, group_id, today=TODAY)["overdue_actions"]
    assert groups.update_action(ws, late, status="open")["done_on"]["to"] is None
    with pytest.raises(AnchornetError, match="only for an action that is done"):
        groups.update_action(ws, later, done_on="2025-05-01")
    with pytest.raises(AnchornetError, match="no action"):
        groups.update_action(ws, 999, status="done")
    with pytest.raises(AnchornetError, match="unknown action status"):
        groups.update_action(ws, later, status="finished")
    assert [a["text"] for a in groups.list_actions(ws, owner="City Council")] == ["Share vacancies", "No due date"]


def test_export_internal_and_public(network):
    ws = network
    shown = groups.add_group(ws, "Net zero", "net_zero")
    hidden = groups.add_group(ws, "Land", "land_and_assets")
    groups.set_role(ws, shown, "City Council", "chair")
    groups.set_role(ws, shown, "Riverside NHS Trust", "co-chair")  # not listed in public
    groups.set_role(ws, shown, "Northgate Energy Ltd", "co-chair")
    groups.add_meeting(ws, shown, "2025-01-01", "First", "Internal notes")
    groups.add_action(ws, shown, "Retrofit plan", "Riverside NHS Trust", owner_person="Priya Natarajan")
    groups.add_action(ws, hidden, "Asset map", "City Council")
    internal = groups.export_tables(ws)
    assert {g["name"] for g in internal["working_groups"]} == {"Net zero", "Land"}
    assert internal["meetings"][0]["notes"] == "Internal notes"
    assert any(a["owner_person"] == "Priya Natarajan" for a in internal["actions"])
    assert groups.export_tables(ws, public=True) == {"working_groups": [], "group_roles": [], "actions": []}
    groups.update_group(ws, shown, publish=True)
    public = groups.export_tables(ws, public=True)
    assert [g["name"] for g in public["working_groups"]] == ["Net zero"]
    assert public["working_groups"][0]["co_chairs"] == "Northgate Energy Ltd"
    assert {r["member"] for r in public["group_roles"]} == {"City Council", "Northgate Energy Ltd"}
    assert "meetings" not in public and public["actions"][0]["owner_member"] is None
    text = json.dumps(public, default=str)
    assert "Priya" not in text and "Riverside" not in text and "Internal notes" not in text


def test_groups_commands(tmp_path, capsys, network):
    path = network.path
    network.close()
    w = ("-w", path)
    code, out, err = run(capsys, *w, "groups", "add", "Procurement", "--theme", "procurement")
    assert code == 0 and "created working group 1" in out, err
    assert run(capsys, *w, "groups", "role", "Procurement", "City Council", "chair")[0] == 0
    code, out, _ = run(capsys, *w, "groups", "role", "Procurement", "Northgate Energy Ltd", "co-chair")
    assert code == 0 and "co-chair" in out
    code, _, err = run(capsys, *w, "groups", "role", "Procurement", "Quayside Foods Ltd", "chair")
    assert code == 2 and "already chairs" in err
    notes = tmp_path / "notes.txt"
    notes.write_text("Agreed the terms.\nNext: shared supplier list.", encoding="utf-8")
    code, out, err = run(capsys, *w, "groups", "meeting", "Procurement", "--date", "2025-02-03", "--title",
                         "First meeting", "--notes-file", notes, "--attendee", "City Council",
                         "--attendee", "Northgate Energy Ltd")
    assert code == 0 and "recorded meeting 1" in out, err
    code, out, err = run(capsys, *w, "groups", "action", "Procurement", "Publish a pipeline of contracts",
                         "--owner", "Northgate Energy Ltd", "--due", "2025-03-01", "--meeting", "1")
    assert code == 0 and "added action 1" in out, err
    code, out, _ = run(capsys, *w, "groups", "action-status", "1", "done", "--done-on", "2025-02-20")
    assert code == 0 and "done" in out
    code, out, _ = run(capsys, *w, "groups", "set", "Procurement", "--publish")
    assert code == 0 and "publish" in out
    code, out, _ = run(capsys, *w, "groups", "list", "--json")
    listing = json.loads(out)
    assert listing[0]["chair"] == ["City Council"] and listing[0]["done_actions"] == 1
    code, out, _ = run(capsys, *w, "groups", "show", "1", "--json")
    shown = json.loads(out)
    assert shown["meetings"][0]["notes"].startswith("Agreed the terms.") and shown["actions"][0]["status"] == "done"
    code, out, _ = run(capsys, *w, "groups", "show", "Procurement")
    assert code == 0 and "First meeting" in out and "Publish a pipeline" in out
    code, out, _ = run(capsys, *w, "groups", "actions", "--owner", "Northgate Energy Ltd", "--json")
    assert [a["action_id"] for a in json.loads(out)] == [1]
    code, out, _ = run(capsys, *w, "groups", "list")
    assert code == 0 and "Procurement" in out
    code, _, err = run(capsys, *w, "groups", "show", "Nope")
    assert code == 2 and "no working group called" in err
