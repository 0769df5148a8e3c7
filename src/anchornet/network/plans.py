"""Action plans of the Living Wage Places kind: a goal over several years (often three), and
milestones with an owner (a member, and optionally a person), a year or due date and a status.

Progress at a glance: milestones done out of all that are not dropped, per year and overall,
with the overdue and at-risk counts. A person named as a milestone's owner is private (the
web app shows the name to the coordinator and the owning member's lead only); a plan appears
in public outputs only once the coordinator publishes it. See docs/network/plans.md.
"""

from __future__ import annotations

import datetime as dt

from anchornet.errors import AnchornetError
from anchornet.network import inputs
from anchornet.sqlrows import dict_rows
from anchornet.workspace import Workspace

PLAN_STATUSES: dict[str, str] = {"draft": "Draft", "active": "Active", "complete": "Complete"}
MILESTONE_STATUSES: dict[str, str] = {
    "not-started": "Not started",
    "in-progress": "In progress",
    "done": "Done",
    "at-risk": "At risk",
    "dropped": "Dropped",
}
CLOSED = ("done", "dropped")  # never overdue
DEFAULT_YEARS = 3
MAX_YEARS = 15
PLAN_FIELDS = ("title", "goal", "start_year", "end_year", "status", "publish")
MILESTONE_FIELDS = ("title", "year", "due_on", "owner_member", "owner_person", "status", "done_on", "note")


def milestone_status(value: str) -> str:
    """'In progress', 'in_progress' and 'in-progress' are the same status."""
    return inputs.choice(value, MILESTONE_STATUSES, "milestone status")


def plan_status(value: str) -> str:
    return inputs.choice(value, PLAN_STATUSES, "plan status")


# -- plans ---------------------------------------------------------------------------------------------
def _plan_values(fields: dict) -> dict:
    out: dict = {}
    for key, value in fields.items():
        if key == "title":
            out["title"] = inputs.text(value, "plan's title", required=True, limit=200)
        elif key == "goal":
            out["goal"] = inputs.text(value, "goal", limit=2000)
        elif key in ("start_year", "end_year"):
            out[key] = inputs.year(value, f"plan's {key.replace('_', ' ')}", required=True)
        elif key == "status":
            out["status"] = plan_status(value)
        elif key == "publish":
            out["publish"] = inputs.flag(value)
        else:
            raise AnchornetError(f"a plan has no field {key!r}; the fields are: {', '.join(PLAN_FIELDS)}")
    return out


def _check_years(start: int, end: int) -> None:
    if end < start:
        raise AnchornetError(f"the plan ends ({end}) before it starts ({start})")
    if end - start + 1 > MAX_YEARS:
        raise AnchornetError(f"a plan of {end - start + 1} years is too long (at most {MAX_YEARS})")


def add_plan(ws: Workspace, title: str, *, start_year, end_year=None, goal: str | None = None,
             status: str = "draft", publish: bool = False) -> int:
    """A new plan; it runs ``DEFAULT_YEARS`` years from the start year unless an end year is given."""
    start = inputs.year(start_year, "plan's start year", required=True)
    end = inputs.year(end_year, "plan's end year")
    if end is None:
        end = start + DEFAULT_YEARS - 1
    values = _plan_values({"title": title, "goal": goal, "status": status, "publish": publish})
    _check_years(start, end)
    same = ws.con.execute("SELECT plan_id FROM action_plans WHERE lower(title) = lower(?)",
                          [values["title"]]).fetchall()
    if same:
        raise AnchornetError(f"there is already a plan called {values['title']!r} (plan {same[0][0]})")
    return ws.con.execute(
        "INSERT INTO action_plans (title, goal, start_year, end_year, status, publish) VALUES (?, ?, ?, ?, ?, ?) "
        "RETURNING plan_id",
        [values["title"], values["goal"], start, end, values["status"], values["publish"]]).fetchall()[0][0]


def _plan_row(ws: Workspace, plan_id: int) -> dict:
    rows = dict_rows(ws.con.execute("SELECT * FROM action_plans WHERE plan_id = ?", [int(plan_id)]))
    if not rows:
        raise AnchornetError(f"there is no action plan {plan_id}")
    return rows[0]


def plan_exists(ws: Workspace, plan_id: int) -> bool:
    return ws.con.execute("SELECT count(*) FROM action_plans WHERE plan_id = ?", [int(plan_id)]).fetchall()[0][0] > 0


def update_plan(ws: Workspace, plan_id: int, **fields) -> dict:
    """Change a plan's title, goal, years, status or publication. Returns what changed."""
    current = _plan_row(ws, plan_id)
    values = _plan_values(fields)
    start = values.get("start_year", current["start_year"])
    end = values.get("end_year", current["end_year"])
    _check_years(start, end)
    outside = ws.con.execute("SELECT count(*) FROM plan_milestones WHERE plan_id = ? AND year NOT BETWEEN ? AND ?",
                             [int(plan_id), start, end]).fetchall()[0][0]
    if outside:
        raise AnchornetError(f"{outside} milestone(s) fall outside {start}–{end}: move them first")
    if "title" in values:
        same = ws.con.execute("SELECT plan_id FROM action_plans WHERE lower(title) = lower(?) AND plan_id <> ?",
                              [values["title"], int(plan_id)]).fetchall()
        if same:
            raise AnchornetError(f"there is already a plan called {values['title']!r} (plan {same[0][0]})")
    changed = {k: v for k, v in values.items() if current.get(k) != v}
    if changed:
        sets = ", ".join(f"{k} = ?" for k in changed)
        ws.con.execute(f"UPDATE action_plans SET {sets}, updated_at = current_timestamp WHERE plan_id = ?",
                       [*changed.values(), int(plan_id)])
    return changed


# -- milestones ------------------------------------------------------------------------------------------
def _member(ws: Workspace, name) -> int | None:
    text = inputs.text(name, "owner member", limit=200)
    if not text:
        return None
    member_id = ws.member_id(text)
    if member_id is None:
        raise AnchornetError(f"there is no member called {text!r}")
    return member_id


def _milestone_values(ws: Workspace, fields: dict) -> dict:
    out: dict = {}
    for key, value in fields.items():
        if key == "title":
            out["title"] = inputs.text(value, "milestone's title", required=True, limit=300)
        elif key == "year":
            out["year"] = inputs.year(value, "year")
        elif key in ("due_on", "done_on"):
            out[key] = inputs.date(value, "due date" if key == "due_on" else "date done")
        elif key == "owner_member":
            out["owner_member_id"] = _member(ws, value)
        elif key == "owner_person":
            out["owner_person"] = inputs.text(value, "owner's name", limit=200)
        elif key == "status":
            out["status"] = milestone_status(value)
        elif key == "note":
            out["note"] = inputs.text(value, "note", limit=2000)
        else:
            raise AnchornetError(f"a milestone has no field {key!r}; the fields are: {', '.join(MILESTONE_FIELDS)}")
    return out


def _settle(row: dict, plan: dict) -> dict:
    """Year from the due date when not given; within the plan; done date with done only."""
    if row.get("year") is None and row.get("due_on") is not None:
        row["year"] = row["due_on"].year
    if row.get("year") is None:
        raise AnchornetError("give the milestone's year or due date")
    if row.get("due_on") is not None and row["due_on"].year != row["year"]:
        raise AnchornetError(f"the due date {row['due_on']} is not in the year {row['year']}")
    if not plan["start_year"] <= row["year"] <= plan["end_year"]:
        raise AnchornetError(f"{row['year']} is outside the plan's years ({plan['start_year']}–{plan['end_year']})")
    if row.get("status") == "done":
        row["done_on"] = row.get("done_on") or dt.date.today()
    else:
        row["done_on"] = None
    return row


def add_milestone(ws: Workspace, plan_id: int, title: str, *, year=None, due_on=None, owner_member=None,
                  owner_person=None, status: str = "not-started", note=None) -> int:
    plan = _plan_row(ws, plan_id)
    row = _settle(_milestone_values(ws, {"title": title, "year": year, "due_on": due_on,
                                         "owner_member": owner_member, "owner_person": owner_person,
                                         "status": status, "note": note}), plan)
    columns = list(row)
    return ws.con.execute(
        f"INSERT INTO plan_milestones (plan_id, {', '.join(columns)}) VALUES (?, {', '.join('?' for _ in columns)}) "
        "RETURNING milestone_id", [int(plan_id), *row.values()]).fetchall()[0][0]


def get_milestone(ws: Workspace, milestone_id: int) -> dict:
    rows = dict_rows(ws.con.execute("""
        SELECT ms.*, m.name AS owner_member, p.title AS plan_title
        FROM plan_milestones ms JOIN action_plans p USING (plan_id)
        LEFT JOIN members m ON m.member_id = ms.owner_member_id
        WHERE ms.milestone_id = ?""", [int(milestone_id)]))
    if not rows:
        raise AnchornetError(f"there is no milestone {milestone_id}")
    return rows[0]


def update_milestone(ws: Workspace, milestone_id: int, **fields) -> dict:
    """Change any of a milestone's fields (the coordinator's edit). Returns what changed."""
    current = get_milestone(ws, milestone_id)
    plan = _plan_row(ws, current["plan_id"])
    values = _milestone_values(ws, fields)
    row = {k: current[k] for k in ("title", "year", "due_on", "owner_member_id", "owner_person", "status",
                                   "done_on", "note")}
    if "due_on" in values and "year" not in values and values["due_on"] is not None:
        values["year"] = values["due_on"].year
    row.update(values)
    if "done_on" not in values and row["status"] == "done" and current["status"] == "done":
        row["done_on"] = current["done_on"]
    row = _settle(row, plan)
    changed = {k: v for k, v in row.items() if current.get(k) != v}
    if changed:
        sets = ", ".join(f"{k} = ?" for k in changed)
        ws.con.execute(f"UPDATE plan_milestones SET {sets}, updated_at = current_timestamp WHERE milestone_id = ?",
                       [*changed.values(), int(milestone_id)])
    return changed


def set_milestone_status(ws: Workspace, milestone_id: int, status: str, *, done_on=None, note=None) -> dict:
    """The status change an owner member's lead may make: the status, the date done (today
    by default when done) and, when given, a note that replaces the earlier one."""
    fields: dict = {"status": status}
    if done_on not in (None, ""):
        fields["done_on"] = done_on
    if inputs.text(note, "note", limit=2000):
        fields["note"] = note
    return update_milestone(ws, milestone_id, **fields)


# -- progress --------------------------------------------------------------------------------------------
def is_overdue(m: dict, today: dt.date) -> bool:
    """Not done or dropped, and past its due date (or, with no date, its year has ended)."""
    if m["status"] in CLOSED:
        return False
    if m.get("due_on"):
        return m["due_on"] < today
    return m["year"] < today.year


def progress(milestones: list[dict], years: range, today: dt.date) -> dict:
    """Done out of all not dropped, overall and per year; overdue and at-risk counts."""
    def tally(items: list[dict]) -> dict:
        counted = [m for m in items if m["status"] != "dropped"]
        done = sum(1 for m in counted if m["status"] == "done")
        return {"done": done, "counted": len(counted), "share": done / len(counted) if counted else None,
                "percent": round(100 * done / len(counted)) if counted else 0,
                "overdue": sum(1 for m in items if is_overdue(m, today)),
                "at_risk": sum(1 for m in items if m["status"] == "at-risk"),
                "dropped": sum(1 for m in items if m["status"] == "dropped")}

    return {**tally(milestones), "by_year": [{"year": y, **tally([m for m in milestones if m["year"] == y])}
                                             for y in years]}


def _milestones(ws: Workspace, plan_ids: list[int] | None = None) -> list[dict]:
    where, params = "", []
    if plan_ids is not None:
        if not plan_ids:
            return []
        where, params = f"WHERE ms.plan_id IN ({', '.join('?' for _ in plan_ids)})", list(plan_ids)
    return dict_rows(ws.con.execute(f"""
        SELECT ms.milestone_id, ms.plan_id, ms.title, ms.year, ms.due_on, ms.owner_member_id,
               m.name AS owner_member, ms.owner_person, ms.status, ms.done_on, ms.note, ms.updated_at
        FROM plan_milestones ms LEFT JOIN members m ON m.member_id = ms.owner_member_id
        {where}
        ORDER BY ms.year, ms.due_on NULLS LAST, ms.milestone_id""", params))


def _decorate(m: dict, today: dt.date) -> dict:
    m["status_label"] = MILESTONE_STATUSES.get(m["status"], m["status"])
    m["overdue"] = is_overdue(m, today)
    return m


def list_plans(ws: Workspace, *, today: dt.date | None = None) -> list[dict]:
    """Every plan with its progress at a glance, newest start first."""
    today = today or dt.date.today()
    plans = dict_rows(ws.con.execute("SELECT * FROM action_plans ORDER BY start_year DESC, plan_id"))
    milestones = _milestones(ws)
    for plan in plans:
        own = [_decorate(m, today) for m in milestones if m["plan_id"] == plan["plan_id"]]
        plan["status_label"] = PLAN_STATUSES.get(plan["status"], plan["status"])
        plan["milestones"] = len(own)
        plan["progress"] = progress(own, range(plan["start_year"], plan["end_year"] + 1), today)
    return plans


def get_plan(ws: Workspace, plan_id: int, *, today: dt.date | None = None) -> dict:
    """One plan: its milestones grouped by year, and its progress."""
    today = today or dt.date.today()
    plan = _plan_row(ws, plan_id)
    plan["status_label"] = PLAN_STATUSES.get(plan["status"], plan["status"])
    milestones = [_decorate(m, today) for m in _milestones(ws, [int(plan_id)])]
    years = range(plan["start_year"], plan["end_year"] + 1)
    plan["progress"] = progress(milestones, years, today)
    plan["years"] = [{"year": y, "milestones": [m for m in milestones if m["year"] == y],
                      "progress": next(p for p in plan["progress"]["by_year"] if p["year"] == y)} for y in years]
    plan["milestones"] = milestones
    return plan


# -- export ----------------------------------------------------------------------------------------------
def export_tables(ws: Workspace, public: bool = False) -> dict[str, list[dict]]:
    """Plans and milestones for the CSV/XLSX export. With ``public``: only plans the coordinator
    published, no person's name, and an owner member named only if it agreed to be listed."""
    published = "WHERE p.publish" if public else ""
    plans = dict_rows(ws.con.execute(f"""
        SELECT p.plan_id, p.title, p.goal, p.start_year, p.end_year, p.status,
               count(ms.milestone_id) FILTER (WHERE ms.status <> 'dropped') AS milestones,
               count(ms.milestone_id) FILTER (WHERE ms.status = 'done') AS done,
               count(ms.milestone_id) FILTER (WHERE ms.status = 'at-risk') AS at_risk,
               {'' if public else 'p.publish, '}p.updated_at
        FROM action_plans p LEFT JOIN plan_milestones ms USING (plan_id)
        {published}
        GROUP BY ALL ORDER BY p.plan_id"""))
    owner = ("CASE WHEN coalesce(mp.publish_listing, false) THEN m.name END" if public else "m.name")
    person = "" if public else "ms.owner_person, "
    milestones = dict_rows(ws.con.execute(f"""
        SELECT ms.plan_id, p.title AS plan, ms.milestone_id, ms.title, ms.year, ms.due_on,
               {owner} AS owner_member, {person}ms.status, ms.done_on, ms.note
        FROM plan_milestones ms JOIN action_plans p USING (plan_id)
        LEFT JOIN members m ON m.member_id = ms.owner_member_id
        LEFT JOIN member_profiles mp ON mp.member_id = ms.owner_member_id
        {published}
        ORDER BY ms.plan_id, ms.year, ms.due_on NULLS LAST, ms.milestone_id"""))
    if public:  # a note may name a person: left out of public outputs
        for m in milestones:
            m.pop("note", None)
    return {"plans": plans, "milestones": milestones}
