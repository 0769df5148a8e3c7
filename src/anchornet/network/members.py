"""Members: the network's organisations, their profiles (sector, size, role in the network,
senior sponsor, connection to place) and, when a member is also a supplier, its income
from the other members.

A member exists once it has a row in ``members`` (ingestion makes one for each payments
file's organisation; a business without payments data is added here). Its profile lives in
``member_profiles`` (migration 0007). The senior sponsor's name and e-mail address and the
notes are private: they are for the coordinator and the member's own lead, and never in a
public output; ``publish_listing`` is the member's consent to be named in public.
"""

from __future__ import annotations

import re
from contextlib import closing
from decimal import Decimal

from anchornet.errors import AnchornetError
from anchornet.network import inputs
from anchornet.network.sectors import ROLES_IN_NETWORK, SECTORS, sector_kind, sector_label
from anchornet.place import postcodes
from anchornet.sqlrows import dict_rows
from anchornet.workspace import Workspace

# Every profile field, in the order forms and exports show them.
PROFILE_FIELDS = (
    "sector", "employees", "annual_spend", "network_role", "via_organisation", "sponsor_name",
    "sponsor_title", "sponsor_email", "hq_postcode", "main_sites", "staff_local_share", "joined_on",
    "website", "notes", "publish_listing",
)
# Only for the coordinator and the member's own lead (people's names, contact, notes).
PRIVATE_FIELDS = ("sponsor_name", "sponsor_email", "notes")
# What a public listing shows of a member that agreed to it.
PUBLIC_FIELDS = ("sector", "employees", "annual_spend", "network_role", "via_organisation", "hq_postcode",
                 "main_sites", "staff_local_share", "joined_on", "website")

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_TEXT = 4000
STAFF_LOCAL = "share of staff living locally"


# -- finding members ---------------------------------------------------------------------------------
def member_ref(ws: Workspace, ref: int | str) -> tuple[int, str]:
    """(member_id, name) of a member given by id or by name (exact, then case-insensitive)."""
    if isinstance(ref, int) or (isinstance(ref, str) and ref.strip().isdigit()):
        rows = ws.con.execute("SELECT member_id, name FROM members WHERE member_id = ?", [int(ref)]).fetchall()
        if rows:
            return rows[0]
        if isinstance(ref, int):
            raise AnchornetError(f"there is no member {ref}")
    name = str(ref).strip()
    rows = ws.con.execute("SELECT member_id, name FROM members WHERE name = ?", [name]).fetchall()
    if not rows:
        rows = ws.con.execute("SELECT member_id, name FROM members WHERE lower(name) = lower(?)", [name]).fetchall()
    if len(rows) != 1:
        known = [r[0] for r in ws.con.execute("SELECT name FROM members ORDER BY name").fetchall()]
        raise AnchornetError(f"no member called {name!r}; members are: " + (", ".join(known) or "(none yet)"))
    return rows[0]


# -- validating profile values --------------------------------------------------------------------------
def _clean(field: str, value):
    """One profile value, checked and normalised (None clears it)."""
    what = field.replace("_", " ")
    if field == "sector":
        return inputs.choice(value, SECTORS, "sector", required=False)
    if field == "network_role":
        return inputs.choice(value, ROLES_IN_NETWORK, "role in the network", required=False)
    if field == "employees":
        return inputs.whole_number(value, "number of employees", high=inputs.MAX_EMPLOYEES)
    if field == "annual_spend":
        return inputs.money(value, "annual spend")
    if field == "staff_local_share":
        if value is None or isinstance(value, str):
            return inputs.share(value, STAFF_LOCAL)
        share = float(value)
        if not 0 <= share <= 1:
            raise AnchornetError(f"the {STAFF_LOCAL} is a fraction from 0 to 1, not {value!r}")
        return share
    if field == "hq_postcode":
        value = inputs.text(value, "postcode of the head office")
        if value is None:
            return None
        normal = postcodes.normalise(value)
        if normal is None:
            raise AnchornetError(f"{value!r} is not a UK postcode (e.g. OX1 1BX)")
        return normal
    if field == "sponsor_email":
        value = inputs.text(value, "sponsor's e-mail address")
        if value is not None and not EMAIL.match(value):
            raise AnchornetError(f"{value!r} is not an e-mail address")
        return value.lower() if value else None
    if field == "website":
        value = inputs.text(value, what)
        if value is None:
            return None
        if not re.match(r"^https?://", value, re.I):
            value = "https://" + value
        if not re.fullmatch(r"https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d+)?(/\S*)?", value):
            raise AnchornetError(f"{value!r} is not a web address (e.g. https://www.example.org)")
        return value
    if field == "joined_on":
        return inputs.date(value, "date joined")
    if field in ("main_sites", "notes"):
        return inputs.text(value, what, limit=MAX_TEXT)
    if field == "publish_listing":
        return inputs.flag(value)
    if field in ("via_organisation", "sponsor_name", "sponsor_title"):
        return inputs.text(value, what)
    raise AnchornetError(f"a member profile has no field {field!r}")


# -- reading --------------------------------------------------------------------------------------------
_LIST_SQL = """
WITH files_of AS (
    SELECT member_id, count(*) AS files FROM files WHERE status = 'active' GROUP BY member_id
), paid AS (
    SELECT r.member_id, count(*) AS payments, sum(r.amount) AS total_paid,
           min(coalesce(r.payment_date, r.period_start, f.period_start)) AS first_date,
           max(coalesce(r.payment_date, r.period_end, f.period_end)) AS last_date
    FROM records r JOIN files f ON f.file_id = r.file_id AND f.status = 'active'
    WHERE r.status = 'loaded' GROUP BY r.member_id
)
SELECT m.member_id, m.name, m.created_at, p.* EXCLUDE (member_id, updated_at), p.updated_at,
       p.member_id IS NOT NULL AS has_profile,
       coalesce(fo.files, 0) AS files, coalesce(pd.payments, 0) AS payments,
       coalesce(pd.total_paid, 0) AS total_paid, pd.first_date, pd.last_date,
       p.supplier_entity_id IS NOT NULL AS linked
FROM members m
LEFT JOIN member_profiles p USING (member_id)
LEFT JOIN files_of fo USING (member_id)
LEFT JOIN paid pd USING (member_id)
"""


def _decorate(row: dict) -> dict:
    row["sector_label"] = sector_label(row.get("sector"))
    row["kind"] = sector_kind(row.get("sector"))
    row["network_role_label"] = ROLES_IN_NETWORK.get(row.get("network_role") or "", "not recorded")
    row["total_paid"] = float(row["total_paid"] or 0)
    if row.get("annual_spend") is not None:
        row["annual_spend"] = float(row["annual_spend"])
    row["publish_listing"] = bool(row.get("publish_listing"))
    return row


def list_members(ws: Workspace) -> list[dict]:
    """Every member, with its profile (None fields when it has none), its payments data
    (active files, payments, total paid, the dates covered) and whether it is linked to
    its supplier entity."""
    return [_decorate(r) for r in dict_rows(ws.con.execute(_LIST_SQL + " ORDER BY lower(m.name)"))]


def get_member(ws: Workspace, ref: int | str) -> dict:
    """One member as list_members gives it, plus its supplier entity's name when linked."""
    member_id, _ = member_ref(ws, ref)
    rows = dict_rows(ws.con.execute(_LIST_SQL + " WHERE m.member_id = ?", [member_id]))
    member = _decorate(rows[0])
    member["supplier"] = None
    if member["supplier_entity_id"] is not None:
        entity = _current_entity(ws, member["supplier_entity_id"])
        found = ws.con.execute(
            "SELECT entity_id, display_name, class, postcode, company_number, charity_number "
            "FROM supplier_entities WHERE entity_id = ?", [entity]).fetchall()
        if found:
            member["supplier"] = dict(zip(("entity_id", "display_name", "class", "postcode", "company_number",
                                           "charity_number"), found[0], strict=True))
    return member


def member_names(ws: Workspace) -> list[str]:
    return [r[0] for r in ws.con.execute("SELECT name FROM members ORDER BY lower(name)").fetchall()]


def shared_view(member: dict, *, private: bool) -> dict:
    """What an account may see of a member: without ``private``, no sponsor's name or
    e-mail, no notes and no payment figures (those are the member's own data)."""
    if private:
        return member
    hidden = set(PRIVATE_FIELDS) | {"payments", "total_paid", "files", "first_date", "last_date"}
    return {k: v for k, v in member.items() if k not in hidden}


# -- changing -------------------------------------------------------------------------------------------
def add_member(ws: Workspace, name: str, **profile) -> int:
    """A new member organisation (e.g. a business with no payments data yet), with any
    profile fields given. Refuses a name already taken (in any letter case)."""
    name = inputs.text(name, "member organisation's name", required=True, limit=200)
    clean = {k: _clean(k, v) for k, v in profile.items()}
    with ws.transaction() as con:
        taken = con.execute("SELECT name FROM members WHERE lower(name) = lower(?)", [name]).fetchall()
        if taken:
            raise AnchornetError(f"there is already a member called {taken[0][0]!r}; change its profile instead")
        member_id = con.execute("INSERT INTO members (name) VALUES (?) RETURNING member_id", [name]).fetchall()[0][0]
        _write_profile(con, member_id, clean)
    return member_id


def update_profile(ws: Workspace, ref: int | str, **fields) -> dict:
    """Set the profile fields given (None clears one); returns {field: {"from", "to"}} of
    what changed. Fields not given are left as they are."""
    member_id, _ = member_ref(ws, ref)
    clean = {k: _clean(k, v) for k, v in fields.items()}
    with ws.transaction() as con:
        before = _profile(con, member_id)
        changes = _write_profile(con, member_id, clean, before)
    return changes


def _profile(con, member_id: int) -> dict:
    rows = dict_rows(con.execute("SELECT * FROM member_profiles WHERE member_id = ?", [member_id]))
    return rows[0] if rows else {f: (False if f == "publish_listing" else None) for f in PROFILE_FIELDS}


def _write_profile(con, member_id: int, clean: dict, before: dict | None = None) -> dict:
    before = before or _profile(con, member_id)
    after = {**{f: before.get(f) for f in PROFILE_FIELDS}, **clean}
    if after.get("via_organisation") and after.get("network_role") != "associate":
        raise AnchornetError("the chamber of commerce or business group is for associate members only "
                             "(set the role in the network to associate, or leave it empty)")
    changes = {f: {"from": before.get(f), "to": after[f]} for f in clean
               if _comparable(before.get(f)) != _comparable(after[f])}
    if not changes and before.get("member_id") is not None:
        return {}
    con.execute("INSERT INTO member_profiles (member_id) VALUES (?) ON CONFLICT DO NOTHING", [member_id])
    if changes:
        sets = ", ".join(f"{f} = ?" for f in changes)
        con.execute(f"UPDATE member_profiles SET {sets}, updated_at = current_timestamp WHERE member_id = ?",
                    [after[f] for f in changes] + [member_id])
    return changes


def _comparable(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


# -- the member as a supplier ------------------------------------------------------------------------------
def _current_entity(ws: Workspace, entity_id: int) -> int:
    """A merged entity's id is an alias of the entity it merged into."""
    rows = ws.con.execute("SELECT entity_id FROM entity_aliases WHERE old_entity_id = ?", [entity_id]).fetchall()
    return rows[0][0] if rows else entity_id


def link_supplier(ws: Workspace, ref: int | str, entity_id: int | None) -> dict:
    """Link a member to its supplier entity (None unlinks), so that what other members pay
    it shows as its income. Refuses a personal payee and an entity linked to another member."""
    member_id, name = member_ref(ws, ref)
    if entity_id is not None:
        entity_id = _current_entity(ws, int(entity_id))
        rows = ws.con.execute("SELECT display_name, personal FROM supplier_entities WHERE entity_id = ?",
                              [entity_id]).fetchall()
        if not rows or rows[0][1]:
            raise AnchornetError(f"there is no supplier {entity_id} (a private individual is never a supplier "
                                 "entity); see the suggestions, or the Suppliers page")
        other = ws.con.execute(
            "SELECT m.name FROM member_profiles p JOIN members m USING (member_id) "
            "WHERE p.supplier_entity_id = ? AND p.member_id <> ?", [entity_id, member_id]).fetchall()
        if other:
            raise AnchornetError(f"supplier {entity_id} ({rows[0][0]}) is already linked to {other[0][0]}")
    with ws.transaction() as con:
        changes = _write_profile_link(con, member_id, entity_id)
    return {"member": name, "supplier_entity_id": entity_id, "changed": changes}


def _write_profile_link(con, member_id: int, entity_id: int | None) -> bool:
    before = con.execute("SELECT supplier_entity_id FROM member_profiles WHERE member_id = ?",
                         [member_id]).fetchall()
    if before and before[0][0] == entity_id:
        return False
    con.execute("INSERT INTO member_profiles (member_id) VALUES (?) ON CONFLICT DO NOTHING", [member_id])
    con.execute("UPDATE member_profiles SET supplier_entity_id = ?, updated_at = current_timestamp "
                "WHERE member_id = ?", [entity_id, member_id])
    return True


def suggest_suppliers(ws: Workspace, ref: int | str, limit: int = 8) -> list[dict]:
    """Supplier entities that may be this member: the same normalised name key (on the
    entity or any name it was written as) first, then similar keys; largest spend first."""
    from anchornet.suppliers.normalise import install_macros

    _, name = member_ref(ws, ref)
    install_macros(ws.con)
    key = ws.con.execute("SELECT sn_name_key(?)", [name]).fetchall()[0][0]
    if not key:
        return []
    return dict_rows(ws.con.execute(
        """WITH exact AS (
               SELECT entity_id FROM supplier_entities WHERE name_key = $key
               UNION SELECT entity_id FROM payees WHERE name_key = $key AND entity_id IS NOT NULL
           ), scored AS (
               SELECT e.entity_id, e.display_name, e.class, e.postcode, e.company_number,
                      CASE WHEN e.entity_id IN (SELECT entity_id FROM exact) THEN 1.0
                           ELSE jaro_winkler_similarity(coalesce(e.name_key, ''), $key) END AS similarity
               FROM supplier_entities e WHERE NOT e.personal
           ), spend AS (
               SELECT q.entity_id, sum(r.amount) AS spend, count(DISTINCT r.member_id) AS paying_members
               FROM records r JOIN files f ON f.file_id = r.file_id AND f.status = 'active'
               JOIN payees q ON q.member_id = r.member_id AND q.supplier_name = r.supplier_name
                            AND q.supplier_ref = coalesce(r.supplier_ref, '')
               WHERE r.status = 'loaded' AND q.entity_id IN (SELECT entity_id FROM scored WHERE similarity >= 0.9)
               GROUP BY q.entity_id
           )
           SELECT s.entity_id, s.display_name, s.class, s.postcode, s.company_number,
                  round(s.similarity, 3) AS similarity, s.similarity = 1.0 AS same_name,
                  coalesce(sp.spend, 0)::DOUBLE AS spend, coalesce(sp.paying_members, 0) AS paying_members
           FROM scored s LEFT JOIN spend sp USING (entity_id)
           WHERE s.similarity >= 0.9
           ORDER BY s.similarity DESC, spend DESC, s.entity_id LIMIT $limit""",
        {"key": key, "limit": int(limit)}))


def member_income(ws: Workspace, ref: int | str, grain: str = "financial_year") -> dict:
    """What the other members paid this member (through its linked supplier entity): the
    total, by paying member and by period, with the influenceable part. Payments map to the
    entity exactly as the spend analysis maps them (it computes these figures)."""
    from anchornet.analysis.metrics import Analysis, Scope
    from anchornet.analysis.periods import bucket_sql

    member_id, name = member_ref(ws, ref)
    linked = ws.con.execute("SELECT supplier_entity_id FROM member_profiles WHERE member_id = ?",
                            [member_id]).fetchall()
    entity_id = linked[0][0] if linked else None
    empty = {"member": name, "supplier_entity_id": None, "total": 0.0, "influenceable": 0.0, "payments": 0,
             "by_member": [], "by_period": [], "grain": grain}
    if entity_id is None:
        return empty
    entity_id = _current_entity(ws, entity_id)
    payers = [r[0] for r in ws.con.execute(
        "SELECT DISTINCT m.name FROM payees q JOIN members m USING (member_id) "
        "WHERE q.entity_id = ? AND q.member_id <> ? ORDER BY 1", [entity_id, member_id]).fetchall()]
    empty["supplier_entity_id"] = entity_id
    if not payers:
        return empty
    bucket = bucket_sql(grain, "span_start", "span_end")
    with closing(Analysis(ws, Scope(members=payers))) as analysis:
        base = f"SELECT * FROM ({analysis.relation()}) WHERE entity_id = {int(entity_id)}"
        figures = """count(*) AS payments, sum(amount)::DOUBLE AS total,
                     coalesce(sum(amount) FILTER (WHERE excluded_by IS NULL), 0)::DOUBLE AS influenceable"""
        total = dict_rows(ws.con.execute(f"SELECT {figures} FROM ({base})"))[0]
        by_member = dict_rows(ws.con.execute(
            f"SELECT member, {figures} FROM ({base}) GROUP BY member ORDER BY total DESC, member"))
        by_period = dict_rows(ws.con.execute(
            f"SELECT {bucket} AS period, {figures} FROM ({base}) GROUP BY 1 ORDER BY 1 NULLS LAST"))
    return {"member": name, "supplier_entity_id": entity_id, "total": total["total"] or 0.0,
            "influenceable": total["influenceable"] or 0.0, "payments": total["payments"],
            "by_member": by_member, "by_period": by_period, "grain": grain}


# -- export ---------------------------------------------------------------------------------------------
def export_tables(ws: Workspace, public: bool = False) -> dict[str, list[dict]]:
    """The members table for the CSV/XLSX export and the report. ``public``: only members
    that agreed to be listed, and no sponsor, notes or payment figures."""
    rows = []
    for m in list_members(ws):
        if public and not m["publish_listing"]:
            continue
        row = {"member_id": m["member_id"], "name": m["name"], "sector": m["sector"],
               "sector_label": m["sector_label"], "kind": m["kind"]}
        for f in PUBLIC_FIELDS:
            if f != "sector":
                row[f] = m[f]
        row["network_role_label"] = m["network_role_label"]
        if not public:
            row.update({"sponsor_name": m["sponsor_name"], "sponsor_title": m["sponsor_title"],
                        "sponsor_email": m["sponsor_email"], "notes": m["notes"],
                        "publish_listing": m["publish_listing"], "supplier_entity_id": m["supplier_entity_id"],
                        "files": m["files"], "payments": m["payments"], "total_paid": m["total_paid"],
                        "first_date": m["first_date"], "last_date": m["last_date"]})
        rows.append(row)
    return {"members": rows}
