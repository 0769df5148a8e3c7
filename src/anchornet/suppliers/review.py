"""What a coordinator should look at first: uncertain matches and unlocated suppliers,
largest spend first."""

from __future__ import annotations

import json

from anchornet.suppliers.model import Model
from anchornet.workspace import Workspace

_ENTITY_SPEND = """
SELECT q.entity_id, sum(r.amount) AS spend, count(*) AS payments
FROM payments r JOIN files f USING (file_id)
JOIN payees q ON q.member_id = r.member_id AND q.supplier_name = r.supplier_name
             AND q.supplier_ref = coalesce(r.supplier_ref, '')
WHERE f.status = 'active' AND q.entity_id IS NOT NULL
GROUP BY q.entity_id
"""


def uncertain_matches(ws: Workspace, limit: int = 50) -> list[dict]:
    """Pairs the model was unsure of, between different suppliers, by spend at stake."""
    model = Model.load(ws.path)
    low, high = model.review_band
    rows = ws.con.execute(
        f"""
        WITH spend AS ({_ENTITY_SPEND})
        SELECT pp.probability, pp.evidence,
               a.entity_id AS entity_a, a.supplier_name AS name_a,
               b.entity_id AS entity_b, b.supplier_name AS name_b,
               coalesce(sa.spend, 0) + coalesce(sb.spend, 0) AS spend_at_stake
        FROM payee_pairs pp
        JOIN payees a ON a.payee_id = pp.payee_a
        JOIN payees b ON b.payee_id = pp.payee_b
        LEFT JOIN spend sa ON sa.entity_id = a.entity_id
        LEFT JOIN spend sb ON sb.entity_id = b.entity_id
        WHERE pp.probability >= ? AND pp.probability < ?
          AND a.entity_id IS NOT NULL AND b.entity_id IS NOT NULL AND a.entity_id <> b.entity_id
          AND NOT a.personal AND NOT b.personal
        ORDER BY spend_at_stake DESC, pp.probability DESC
        LIMIT ?
        """,
        [low, high, limit],
    ).fetchall()
    out = []
    for p, evidence, ea, na, eb, nb, spend in rows:
        out.append({
            "entity_a": ea, "name_a": na, "entity_b": eb, "name_b": nb,
            "probability": round(p, 4), "evidence": json.loads(evidence),
            "spend_at_stake": float(spend),
        })
    return out


def largest_unlocated(ws: Workspace, limit: int = 100) -> dict:
    """The suppliers without a postcode, largest first, with how much spend they carry.

    "Locate these N suppliers and X% of spend is located": the cumulative share says
    how far each one takes the located share.
    """
    rows = ws.con.execute(
        f"""
        WITH spend AS ({_ENTITY_SPEND}),
        located AS (
            SELECT entity_id, postcode FROM supplier_entities WHERE postcode IS NOT NULL
        )
        SELECT e.entity_id, e.display_name, e.class, s.spend, s.payments, l.postcode IS NOT NULL
        FROM supplier_entities e JOIN spend s USING (entity_id)
        LEFT JOIN located l USING (entity_id)
        WHERE NOT e.personal
        ORDER BY s.spend DESC
        """
    ).fetchall()
    total = sum(float(r[3]) for r in rows if r[3] and r[3] > 0)
    located = sum(float(r[3]) for r in rows if r[5] and r[3] and r[3] > 0)
    items = []
    running = located
    for entity_id, name, klass, spend, payments, is_located in rows:
        if is_located:
            continue
        value = float(spend or 0)
        running += max(value, 0)
        items.append({
            "entity_id": entity_id, "name": name, "class": klass, "spend": value,
            "payments": payments,
            "located_share_if_done": round(running / total, 4) if total else None,
        })
        if len(items) >= limit:
            break
    return {
        "supplier_spend": round(total, 2),
        "located_share": round(located / total, 4) if total else None,
        "unlocated": items,
    }
