"""The coordinator's decisions about suppliers: merge, split, set. Stored, never lost,
and applied after the automatic steps on every run, so they always win."""

from __future__ import annotations

from anchornet.errors import AnchornetError
from anchornet.suppliers.classify import CLASSES, PERSONAL_CLASSES
from anchornet.workspace import Workspace

SETTABLE = ("class", "postcode", "company_number", "charity_number")


def _payee(con, payee_id: int) -> tuple:
    row = con.execute(
        "SELECT payee_id, supplier_name, personal FROM payees WHERE payee_id = ?", [payee_id]
    ).fetchone()
    if row is None:
        raise AnchornetError(f"no payee {payee_id}; see `anchornet suppliers review` or the "
                             "supplier-names export for payee ids")
    return row


def _entity_payee(con, entity_id: int) -> int:
    entity_id = _current_entity(con, entity_id)
    row = con.execute("SELECT min(payee_id) FROM payees WHERE entity_id = ?", [entity_id]).fetchone()
    if row is None or row[0] is None:
        raise AnchornetError(f"no supplier {entity_id}")
    return row[0]


def _current_entity(con, entity_id: int) -> int:
    row = con.execute("SELECT entity_id FROM entity_aliases WHERE old_entity_id = ?", [entity_id]).fetchone()
    return row[0] if row else entity_id


def merge(ws: Workspace, entity_a: int, entity_b: int, *, note: str = "", by: str = "") -> None:
    """Record that two supplier entities are one."""
    with ws.transaction() as con:
        a, b = _entity_payee(con, entity_a), _entity_payee(con, entity_b)
        if a == b:
            raise AnchornetError("those are already the same supplier")
        con.execute(
            "INSERT INTO supplier_overrides (action, payee_id, other_payee, note, created_by) "
            "VALUES ('merge', ?, ?, ?, ?)", [a, b, note, by],
        )


def split(ws: Workspace, payee_id: int, *, note: str = "", by: str = "") -> None:
    """Record that a payee is a supplier of its own, apart from its automatic matches."""
    with ws.transaction() as con:
        _payee(con, payee_id)
        con.execute(
            "UPDATE supplier_overrides SET active = false WHERE action = 'merge' "
            "AND (payee_id = ? OR other_payee = ?)", [payee_id, payee_id],
        )
        con.execute(
            "INSERT INTO supplier_overrides (action, payee_id, note, created_by) "
            "VALUES ('split', ?, ?, ?)", [payee_id, note, by],
        )


def set_value(ws: Workspace, entity_or_payee: int, field: str, value: str, *, payee: bool = False,
              note: str = "", by: str = "") -> None:
    """Set a class, postcode or register number for a supplier (or one payee)."""
    if field not in SETTABLE:
        raise AnchornetError(f"cannot set {field!r}; choose one of {', '.join(SETTABLE)}")
    if field == "class" and value not in CLASSES:
        raise AnchornetError(f"unknown class {value!r}; classes are {', '.join(CLASSES)}")
    with ws.transaction() as con:
        target = _payee(con, entity_or_payee)[0] if payee else _entity_payee(con, entity_or_payee)
        con.execute(
            "UPDATE supplier_overrides SET active = false WHERE action = 'set' AND payee_id = ? "
            "AND field = ?", [target, field],
        )
        con.execute(
            "INSERT INTO supplier_overrides (action, payee_id, field, value, note, created_by) "
            "VALUES ('set', ?, ?, ?, ?, ?)", [target, field, value, note, by],
        )


def structural(con) -> tuple[list[tuple[int, int]], set[int]]:
    merges = con.execute(
        "SELECT payee_id, other_payee FROM supplier_overrides WHERE active AND action = 'merge'"
    ).fetchall()
    splits = {r[0] for r in con.execute(
        "SELECT payee_id FROM supplier_overrides WHERE active AND action = 'split'"
    ).fetchall()}
    return merges, splits


def apply_class_overrides(con) -> None:
    """A class set by the coordinator wins, for the payee and (for an entity) its payees."""
    personal = ", ".join(f"'{c}'" for c in PERSONAL_CLASSES)
    con.execute(
        f"""
        UPDATE payees SET class = o.value, personal = o.value IN ({personal}),
               matchable = o.value NOT IN ({personal}),
               class_reason = 'set by the coordinator' || coalesce(': ' || nullif(o.note, ''), '')
        FROM supplier_overrides o
        WHERE o.active AND o.action = 'set' AND o.field = 'class' AND o.payee_id = payees.payee_id
        """
    )


def list_overrides(ws: Workspace) -> list[dict]:
    rows = ws.con.execute(
        "SELECT override_id, action, payee_id, other_payee, field, value, note, created_by, "
        "created_at, active FROM supplier_overrides ORDER BY override_id"
    ).fetchall()
    names = [d[0] for d in ws.con.description]
    return [dict(zip(names, r, strict=True)) for r in rows]
