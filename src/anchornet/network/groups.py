"""Working groups: themed groups of members (procurement, employment, net zero, ...) with a
chair and co-chairs (any member, businesses included), their meetings (notes, attendees)
and their actions (owner, due date, status).

Who may change what is the web app's business (``web/permissions.py``: the coordinator
creates groups and sets roles; the coordinator and the chairs' leads run meetings and
actions; an action's owner member's lead updates its status). This module checks the
records themselves: one role per member per group, at most one chair, real members and
dates. An action's owner person is a person's name: it is never in a public output.
"""

from __future__ import annotations

import datetime as dt

from anchornet.errors import AnchornetError
from anchornet.network import inputs
from anchornet.network.members import member_ref
from anchornet.sqlrows import dict_rows
from anchornet.workspace import Workspace

THEMES: dict[str, str] = {
    "procurement": "Procurement",
    "employment": "Employment",
    "net_zero": "Net zero",
    "land_and_assets": "Land and assets",
    "health_and_wellbeing": "Health and wellbeing",
    "social_value": "Social value",
    "other": "Other",
}
GROUP_STATUSES: dict[str, str] = {"active": "Active", "closed": "Closed"}
ROLES: dict[str, str] = {"chair": "Chair", "co-chair": "Co-chair", "member": "Member"}
CHAIRING = ("chair", "co-chair")
ACTION_STATUSES: dict[str, str] = {"open": "Open", "in_progress": "In progress", "done": "Done",
                                   "dropped": "Dropped"}
OPEN_STATUSES = ("open", "in_progress")
MAX_NOTES = 20_000


# -- groups -------------------------------------------------------------------------------------------------
def group_ref(ws: Workspace, ref: int | str) -> tuple[int, str]:
    """(group_id, name) of a group given by id or by name (case-insensitive)."""
    if isinstance(ref, int) or (isinstance(ref, str) and ref.strip().isdigit()):
        rows = ws.con.execute("SELECT group_id, name FROM working_groups WHERE group_id = ?", [int(ref)]).fetchall()
        if rows:
            return rows[0]
        if isinstance(ref, int):
            raise AnchornetError(f"there is no working group {ref}")
    rows = ws.con.execute("SELECT group_id, name FROM working_groups WHERE lower(name) = lower(?)",
                          [str(ref).strip()]).fetchall()
    if not rows:
        known = [r[0] for r in ws.con.execute("SELECT name FROM working_groups ORDER BY name").fetchall()]
        raise AnchornetError(f"no working group called {ref!r}; groups are: " + (", ".join(known) or "(none yet)"))
    return rows[0]


def add_group(ws: Workspace, name: str, theme: str, purpose: str = "") -> int:
    """A new working group (active); refuses a name already taken."""
    name = inputs.text(name, "group's name", required=True, limit=200)
    theme = inputs.choice(theme, THEMES, "theme")
    purpose = inputs.text(purpose, "purpose", limit=4000) or ""
    with ws.transaction() as con:
        if con.execute("SELECT count(*) FROM working_groups WHERE lower(name) = lower(?)", [name]).fetchall()[0][0]:
            raise AnchornetError(f"there is already a working group called {name!r}")
        return con.execute("INSERT INTO working_groups (name, theme, purpose) VALUES (?, ?, ?) RETURNING group_id",
                           [name, theme, purpose]).fetchall()[0][0]


def update_group(ws: Workspace, ref: int | str, *, name: str | None = None, theme: str | None = None,
                 purpose: str | None = None, status: str | None = None, publish: bool | None = None) -> dict:
    """Change what is given; returns {field: {"from", "to"}} of what changed."""
    group_id, _ = group_ref(ws, ref)
    new: dict = {}
    if name is not None:
        new["name"] = inputs.text(name, "group's name", required=True, limit=200)
    if theme is not None:
        new["theme"] = inputs.choice(theme, THEMES, "theme")
    if purpose is not None:
        new["purpose"] = inputs.text(purpose, "purpose", limit=4000) or ""
    if status is not None:
        new["status"] = inputs.choice(status, GROUP_STATUSES, "group status")
    if publish is not None:
        new["publish"] = inputs.flag(publish)
    with ws.transaction() as con:
        before = dict_rows(con.execute("SELECT name, theme, purpose, status, publish FROM working_groups "
                                   "WHERE group_id = ?", [group_id]))[0]
        changes = {k: {"from": before[k], "to": v} for k, v in new.items() if before[k] != v}
        if "name" in changes and con.execute(
                "SELECT count(*) FROM working_groups WHERE lower(name) = lower(?) AND group_id <> ?",
                [new["name"], group_id]).fetchall()[0][0]:
            raise AnchornetError(f"there is already a working group called {new['name']!r}")
        if changes:
            sets = ", ".join(f"{k} = ?" for k in changes)
            con.execute(f"UPDATE working_groups SET {sets}, updated_at = current_timestamp WHERE group_id = ?",
                        [new[k] for k in changes] + [group_id])
    return changes


def set_role(ws: Workspace, group: int | str, member: int | str, role: str | None) -> dict:
    """Give a member its role in a group (chair, co-chair, member), replacing the one it
    had; ``None`` takes it out of the group. A group has at most one chair."""
    group_id, group_name = group_ref(ws, group)
    member_id, member_name = member_ref(ws, member)
    role = None if role in (None, "", "remove", "none") else inputs.choice(role, ROLES, "role")
    with ws.transaction() as con:
        before = con.execute("SELECT role FROM group_roles WHERE group_id = ? AND member_id = ?",
                             [group_id, member_id]).fetchall()
        old = before[0][0] if before else None
        if role == "chair":
            chair = con.execute(
                "SELECT m.name FROM group_roles r JOIN members m USING (member_id) "
                "WHERE r.group_id = ? AND r.role = 'chair' AND r.member_id <> ?", [group_id, member_id]).fetchall()
            if chair:
                raise AnchornetError(f"{chair[0][0]} already chairs {group_name}; make it a co-chair or a member "
                                     "first (a group may have several co-chairs)")
        if old == role:
            pass
        elif role is None:
            con.execute("DELETE FROM group_roles WHERE group_id = ? AND member_id = ?", [group_id, member_id])
        elif old is None:
            con.execute("INSERT INTO group_roles (group_id, member_id, role) VALUES (?, ?, ?)",
                        [group_id, member_id, role])
        else:
            con.execute("UPDATE group_roles SET role = ? WHERE group_id = ? AND member_id = ?",
                        [role, group_id, member_id])
    return {"group": group_name, "member": member_name, "from": old, "to": role, "changed": old != role}


def chairs(ws: Workspace, group_id: int) -> list[str]:
    """The names of the members that chair or co-chair a group (whose leads run it)."""
    return [r[0] for r in ws.con.execute(
        "SELECT m.name FROM group_roles r JOIN members m USING (member_id) "
        "WHERE r.group_id = ? AND r.role IN ('chair', 'co-chair') ORDER BY r.role, m.name", [group_id]).fetchall()]


_LIST_SQL = """
WITH roles AS (
    SELECT r.group_id,
           list(m.name ORDER BY m.name) FILTER (WHERE r.role = 'chair') AS chair,
           list(m.name ORDER BY m.name) FILTER (WHERE r.role = 'co-chair') AS co_chairs,
           count(*) AS members
    FROM group_roles r JOIN members m USING (member_id) GROUP BY r.group_id
), meetings AS (
    SELECT group_id, count(*) AS meetings, max(held_on) AS last_meeting FROM group_meetings GROUP BY group_id
), actions AS (
    SELECT group_id,
           count(*) FILTER (WHERE status IN ('open', 'in_progress')) AS open_actions,
           count(*) FILTER (WHERE status IN ('open', 'in_progress') AND due_on < $today) AS overdue_actions,
           count(*) FILTER (WHERE status = 'done') AS done_actions
    FROM group_actions GROUP BY group_id
)
SELECT g.group_id, g.name, g.theme, g.purpose, g.status, g.publish, g.created_at,
       coalesce(r.chair, []) AS chair, coalesce(r.co_chairs, []) AS co_chairs, coalesce(r.members, 0) AS members,
       coalesce(mt.meetings, 0) AS meetings, mt.last_meeting,
       coalesce(a.open_actions, 0) AS open_actions, coalesce(a.overdue_actions, 0) AS overdue_actions,
       coalesce(a.done_actions, 0) AS done_actions
FROM working_groups g LEFT JOIN roles r USING (group_id) LEFT JOIN meetings mt USING (group_id)
LEFT JOIN actions a USING (group_id)
"""


def _decorate_group(g: dict) -> dict:
    g["theme_label"] = THEMES.get(g["theme"], g["theme"])
    g["status_label"] = GROUP_STATUSES.get(g["status"], g["status"])
    return g


def list_groups(ws: Workspace, *, today: dt.date | None = None) -> list[dict]:
    """Every group with its chair and co-chairs, size, meetings, open and overdue actions."""
    params = {"today": today or dt.date.today()}
    return [_decorate_group(g) for g in dict_rows(ws.con.execute(
        _LIST_SQL + " ORDER BY g.status, lower(g.name)", params))]


def get_group(ws: Workspace, ref: int | str, *, today: dt.date | None = None) -> dict:
    """One group with its roles, meetings (newest first, with attendees) and actions."""
    group_id, _ = group_ref(ws, ref)
    today = today or dt.date.today()
    group = _decorate_group(dict_rows(ws.con.execute(_LIST_SQL + " WHERE g.group_id = $group",
                                                 {"today": today, "group": group_id}))[0])
    group["roles"] = [{**r, "role_label": ROLES[r["role"]]} for r in dict_rows(ws.con.execute(
        """SELECT r.member_id, m.name AS member, r.role, r.since FROM group_roles r JOIN members m USING (member_id)
           WHERE r.group_id = ?
           ORDER BY CASE r.role WHEN 'chair' THEN 0 WHEN 'co-chair' THEN 1 ELSE 2 END, lower(m.name)""",
        [group_id]))]
    group["meetings"] = dict_rows(ws.con.execute(
        """SELECT g.meeting_id, g.held_on, g.title, g.notes,
                  coalesce(list(m.name ORDER BY m.name) FILTER (WHERE m.name IS NOT NULL), []) AS attendees
           FROM group_meetings g LEFT JOIN group_meeting_attendees a USING (meeting_id)
           LEFT JOIN members m ON m.member_id = a.member_id
           WHERE g.group_id = ? GROUP BY ALL ORDER BY g.held_on DESC, g.meeting_id DESC""", [group_id]))
    group["actions"] = list_actions(ws, group_id=group_id, today=today)
    return group


# -- meetings -------------------------------------------------------------------------------------------------
def add_meeting(ws: Workspace, group: int | str, held_on, title: str, notes: str = "",
                attendees: list[int | str] | None = None) -> int:
    """Record a meeting: its date, title, plain-text notes and the members that attended."""
    group_id, _ = group_ref(ws, group)
    held = inputs.date(held_on, "meeting's date", required=True)
    title = inputs.text(title, "meeting's title", required=True, limit=200)
    notes = inputs.text(notes.replace("\r\n", "\n") if notes else "", "notes", limit=MAX_NOTES) or ""
    present = sorted({member_ref(ws, a)[0] for a in attendees or [] if str(a).strip()})
    with ws.transaction() as con:
        meeting_id = con.execute(
            "INSERT INTO group_meetings (group_id, held_on, title, notes) VALUES (?, ?, ?, ?) RETURNING meeting_id",
            [group_id, held, title, notes]).fetchall()[0][0]
        for member_id in present:
            con.execute("INSERT INTO group_meeting_attendees (meeting_id, member_id) VALUES (?, ?)",
                        [meeting_id, member_id])
    return meeting_id


# -- actions --------------------------------------------------------------------------------------------------
def add_action(ws: Workspace, group: int | str, text: str, owner: int | str, *, due_on=None,
               owner_person: str | None = None, meeting_id: int | None = None, status: str = "open") -> int:
    """An action of a group, owned by a member (and, privately, a person there)."""
    group_id, _ = group_ref(ws, group)
    text = inputs.text(text, "action", required=True, limit=1000)
    if not str(owner or "").strip():
        raise AnchornetError("give the member that owns the action")
    owner_id, _ = member_ref(ws, owner)
    due = inputs.date(due_on, "due date")
    person = inputs.text(owner_person, "owner's name", limit=200)
    status = inputs.choice(status, ACTION_STATUSES, "action status")
    if meeting_id not in (None, ""):
        found = ws.con.execute("SELECT count(*) FROM group_meetings WHERE meeting_id = ? AND group_id = ?",
                               [int(meeting_id), group_id]).fetchall()[0][0]
        if not found:
            raise AnchornetError(f"meeting {meeting_id} is not a meeting of this group")
    else:
        meeting_id = None
    with ws.transaction() as con:
        return con.execute(
            """INSERT INTO group_actions (group_id, meeting_id, text, owner_member_id, owner_person, due_on, status,
                                          done_on)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING action_id""",
            [group_id, meeting_id, text, owner_id, person, due, status,
             dt.date.today() if status == "done" else None]).fetchall()[0][0]


def get_action(ws: Workspace, action_id: int) -> dict:
    rows = list_actions(ws, action_id=int(action_id))
    if not rows:
        raise AnchornetError(f"there is no action {action_id}")
    return rows[0]


def update_action(ws: Workspace, action_id: int, *, status: str | None = None, done_on=None,
                  due_on=None, text: str | None = None) -> dict:
    """Change an action's status (done records the date: ``done_on`` or today; leaving done
    clears it), due date or text; returns {field: {"from", "to"}} of what changed."""
    action = get_action(ws, action_id)
    new: dict = {}
    if status is not None:
        new["status"] = inputs.choice(status, ACTION_STATUSES, "action status")
    if due_on is not None:
        new["due_on"] = inputs.date(due_on, "due date")
    if text is not None:
        new["text"] = inputs.text(text, "action", required=True, limit=1000)
    final = new.get("status", action["status"])
    if final == "done":
        done = inputs.date(done_on, "date done")
        new["done_on"] = done or action["done_on"] or dt.date.today()
    else:
        if done_on not in (None, ""):
            raise AnchornetError("a date done is only for an action that is done")
        new["done_on"] = None
    changes = {k: {"from": action[k], "to": v} for k, v in new.items() if action[k] != v}
    if changes:
        with ws.transaction() as con:
            sets = ", ".join(f"{k} = ?" for k in changes)
            con.execute(f"UPDATE group_actions SET {sets}, updated_at = current_timestamp WHERE action_id = ?",
                        [new[k] for k in changes] + [int(action_id)])
    return changes


def list_actions(ws: Workspace, *, group_id: int | None = None, action_id: int | None = None,
                 owner: str | None = None, today: dt.date | None = None) -> list[dict]:
    """Actions with their owner member (and person), due date, status and whether overdue
    (open or in progress past its due date); the most pressing first."""
    where, params = ["true"], {"today": today or dt.date.today()}
    if group_id is not None:
        where.append("a.group_id = $group")
        params["group"] = group_id
    if action_id is not None:
        where.append("a.action_id = $action")
        params["action"] = action_id
    if owner is not None:
        where.append("m.name = $owner")
        params["owner"] = owner
    rows = dict_rows(ws.con.execute(
        f"""SELECT a.action_id, a.group_id, g.name AS group_name, a.meeting_id, mt.title AS meeting,
                   mt.held_on AS meeting_date, a.text, a.owner_member_id, m.name AS owner_member, a.owner_person,
                   a.due_on, a.status, a.done_on, a.created_at, a.updated_at,
                   a.status IN ('open', 'in_progress') AND a.due_on < $today AS overdue
            FROM group_actions a JOIN working_groups g USING (group_id)
            LEFT JOIN members m ON m.member_id = a.owner_member_id
            LEFT JOIN group_meetings mt ON mt.meeting_id = a.meeting_id
            WHERE {' AND '.join(where)}
            ORDER BY CASE WHEN a.status IN ('open', 'in_progress') THEN 0 ELSE 1 END, a.due_on NULLS LAST,
                     a.action_id""", params))
    for r in rows:
        r["status_label"] = ACTION_STATUSES.get(r["status"], r["status"])
        r["overdue"] = bool(r["overdue"])
    return rows


def member_groups(ws: Workspace, member: int | str) -> list[dict]:
    """The groups a member belongs to, with its role in each."""
    member_id, _ = member_ref(ws, member)
    rows = dict_rows(ws.con.execute(
        """SELECT g.group_id, g.name, g.theme, g.status, r.role FROM group_roles r JOIN working_groups g
           USING (group_id) WHERE r.member_id = ? ORDER BY g.status, lower(g.name)""", [member_id]))
    for r in rows:
        r["theme_label"] = THEMES.get(r["theme"], r["theme"])
        r["role_label"] = ROLES.get(r["role"], r["role"])
    return rows


def without_people(group: dict) -> dict:
    """A group as someone who may not see owners' names sees it."""
    return {**group, "actions": [{**a, "owner_person": None} for a in group.get("actions", [])]}


# -- export ---------------------------------------------------------------------------------------------------
def export_tables(ws: Workspace, public: bool = False) -> dict[str, list[dict]]:
    """Groups, roles, meetings and actions for the CSV/XLSX export and the report.

    ``public``: only the groups the coordinator published; roles and action owners only of
    members that agreed to be listed; no meetings (their notes are internal) and no
    person's name.
    """
    listed = {r[0] for r in ws.con.execute(
        "SELECT member_id FROM member_profiles WHERE publish_listing").fetchall()}
    groups = list_groups(ws)
    if public:
        groups = [g for g in groups if g["publish"]]
    keep = {g["group_id"] for g in groups}
    out_groups = [{k: g[k] for k in ("group_id", "name", "theme", "theme_label", "purpose", "status", "chair",
                                     "co_chairs", "members", "meetings", "open_actions", "overdue_actions",
                                     "done_actions")} for g in groups]
    if public:
        for g in out_groups:
            g["chair"] = [n for n in g["chair"] if _listed_name(ws, n, listed)]
            g["co_chairs"] = [n for n in g["co_chairs"] if _listed_name(ws, n, listed)]
    for g in out_groups:
        g["chair"] = "; ".join(g["chair"])
        g["co_chairs"] = "; ".join(g["co_chairs"])
    roles = dict_rows(ws.con.execute(
        """SELECT r.group_id, g.name AS group_name, r.member_id, m.name AS member, r.role, r.since
           FROM group_roles r JOIN working_groups g USING (group_id) JOIN members m USING (member_id)
           ORDER BY g.name, r.role, m.name"""))
    roles = [r for r in roles if r["group_id"] in keep and (not public or r["member_id"] in listed)]
    actions = [a for a in list_actions(ws) if a["group_id"] in keep]
    out_actions = []
    for a in actions:
        row = {k: a[k] for k in ("action_id", "group_id", "group_name", "meeting_id", "text", "owner_member",
                                 "owner_person", "due_on", "status", "done_on", "overdue")}
        if public:
            row.pop("owner_person")
            row.pop("meeting_id")
            if a["owner_member_id"] not in listed:
                row["owner_member"] = None
        out_actions.append(row)
    tables = {"working_groups": out_groups, "group_roles": roles, "actions": out_actions}
    if not public:
        tables["meetings"] = [
            {"meeting_id": m["meeting_id"], "group_id": g["group_id"], "group_name": g["name"],
             "held_on": m["held_on"], "title": m["title"], "notes": m["notes"],
             "attendees": "; ".join(m["attendees"])}
            for g in groups for m in get_group(ws, g["group_id"])["meetings"]]
    return tables


def _listed_name(ws: Workspace, name: str, listed: set[int]) -> bool:
    return member_ref(ws, name)[0] in listed
