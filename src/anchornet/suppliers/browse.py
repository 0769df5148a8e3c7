"""Browsing suppliers: search by any name they were written as, one supplier's record with
its names and decisions, the latest decisions, and where a merged supplier's id now points."""

from __future__ import annotations

from anchornet.sqlrows import plain
from anchornet.sqltext import like_pattern
from anchornet.workspace import Workspace

_ENTITY_SPEND = """
SELECT q.entity_id, sum(r.amount) AS spend, count(*) AS payments
FROM records r JOIN files f ON f.file_id = r.file_id AND f.status = 'active'
JOIN payees q ON q.member_id = r.member_id AND q.supplier_name = r.supplier_name
             AND q.supplier_ref = coalesce(r.supplier_ref, '')
WHERE r.status = 'loaded' AND q.entity_id IS NOT NULL
GROUP BY q.entity_id
"""


def search_suppliers(ws: Workspace, text: str, limit: int = 50) -> list[dict]:
    """Suppliers (never a personal payee) whose name or a name they were written as contains ``text``."""
    like = like_pattern(text)
    result = ws.con.execute(
        f"""WITH spend AS ({_ENTITY_SPEND})
            SELECT e.entity_id, e.display_name, e.class, e.postcode, e.company_number, e.charity_number,
                   e.payees, e.members, coalesce(s.spend, 0) AS spend, coalesce(s.payments, 0) AS payments
            FROM supplier_entities e LEFT JOIN spend s USING (entity_id)
            WHERE NOT e.personal AND (e.display_name ILIKE ? ESCAPE '\\' OR e.entity_id IN (
                SELECT entity_id FROM payees WHERE NOT personal AND supplier_name ILIKE ? ESCAPE '\\'))
            ORDER BY spend DESC, e.entity_id LIMIT ?""", [like, like, int(limit)])
    names = [d[0] for d in result.description]
    return [{k: plain(v) for k, v in zip(names, r, strict=True)} for r in result.fetchall()]


def current_entity(ws: Workspace, entity_id: int) -> int:
    row = ws.con.execute("SELECT entity_id FROM entity_aliases WHERE old_entity_id = ?", [entity_id]).fetchone()
    return row[0] if row else entity_id


def supplier(ws: Workspace, entity_id: int) -> dict | None:
    """One supplier entity: its record, the names it was written as (by member), its decisions."""
    result = ws.con.execute(
        "SELECT * EXCLUDE (name_key) FROM supplier_entities WHERE entity_id = ? AND NOT personal", [entity_id])
    names = [d[0] for d in result.description]
    rows = result.fetchall()
    if not rows:
        return None
    entity = {k: plain(v) for k, v in zip(names, rows[0], strict=True)}
    result = ws.con.execute(
        """SELECT q.payee_id, m.name AS member, q.supplier_name, nullif(q.supplier_ref, '') AS supplier_ref,
                  q.class, q.class_reason, round(q.match_probability, 4) AS match_probability
           FROM payees q JOIN members m USING (member_id) WHERE q.entity_id = ? AND NOT q.personal
           ORDER BY m.name, q.supplier_name""", [entity_id])
    names = [d[0] for d in result.description]
    entity["names"] = [dict(zip(names, r, strict=True)) for r in result.fetchall()]
    payee_ids = [n["payee_id"] for n in entity["names"]] or [-1]
    marks = ", ".join("?" for _ in payee_ids)
    result = ws.con.execute(
        f"""SELECT override_id, action, payee_id, other_payee, field, value, note, created_by, created_at, active
            FROM supplier_overrides WHERE payee_id IN ({marks}) OR other_payee IN ({marks})
            ORDER BY override_id DESC""", [*payee_ids, *payee_ids])
    names = [d[0] for d in result.description]
    entity["decisions"] = [dict(zip(names, r, strict=True)) for r in result.fetchall()]
    return entity


def recent_decisions(ws: Workspace, limit: int = 20) -> list[dict]:
    result = ws.con.execute(
        """SELECT o.override_id, o.action, o.payee_id, a.supplier_name AS payee_name, o.other_payee,
                  b.supplier_name AS other_name, o.field, o.value, o.note, o.created_by, o.created_at, o.active
           FROM supplier_overrides o LEFT JOIN payees a ON a.payee_id = o.payee_id
           LEFT JOIN payees b ON b.payee_id = o.other_payee
           ORDER BY o.override_id DESC LIMIT ?""", [int(limit)])
    names = [d[0] for d in result.description]
    return [dict(zip(names, r, strict=True)) for r in result.fetchall()]
