"""Browsing what was loaded: paged payments with their lineage (file, sheet, line), their
CSV export, paged quarantine rows, a file's parts, and the members and periods to filter
by. Figures (totals, shares) never come from here: they come from
:class:`anchornet.analysis.metrics.Analysis`.

Every function takes ``members``: None for every member, or the list of members the
caller may see (the web app's rules are in :mod:`anchornet.web.permissions`).
"""

from __future__ import annotations

import datetime as dt
import json

from anchornet.analysis.periods import Window
from anchornet.ingest.period import Period
from anchornet.sqlrows import plain
from anchornet.sqltext import like_pattern
from anchornet.workspace import Workspace

PAYMENT_SORTS = {
    "line": "m.name, f.name, r.part_no, r.source_line",
    "date": "r.payment_date DESC NULLS LAST, m.name, f.name, r.source_line",
    "amount": "r.amount DESC, m.name, f.name, r.source_line",
}

PAYMENT_COLUMNS = [
    "member", "source_file", "file_id", "source_sheet", "source_line", "payment_date", "period_start",
    "period_end", "amount", "supplier_name", "supplier_id", "supplier_ref", "category", "service_area",
    "transaction_ref", "flags",
]

_PAYMENTS_FROM = """
FROM records r
JOIN files f ON f.file_id = r.file_id AND f.status = 'active'
JOIN members m ON m.member_id = r.member_id
JOIN file_parts p ON p.file_id = r.file_id AND p.part_no = r.part_no
LEFT JOIN payees q ON q.member_id = r.member_id AND q.supplier_name = r.supplier_name
                  AND q.supplier_ref = coalesce(r.supplier_ref, '')
WHERE r.status = 'loaded'
"""

_PAYMENTS_SELECT = """
SELECT m.name AS member, f.name AS source_file, f.file_id, p.sheet AS source_sheet, r.source_line,
       r.payment_date, coalesce(r.period_start, f.period_start) AS period_start,
       coalesce(r.period_end, f.period_end) AS period_end, r.amount, r.supplier_name,
       q.entity_id AS supplier_id, r.supplier_ref, r.category, r.service_area, r.transaction_ref,
       array_to_string(r.flags, ';') AS flags
"""


def _members_sql(members: list[str] | None, column: str, params: list) -> str:
    if members is None:
        return ""
    if not members:
        return " AND false"
    params.extend(members)
    return f" AND {column} IN ({', '.join('?' for _ in members)})"


def payments_where(members: list[str] | None, *, period: Period | None = None, q: str | None = None,
                   category: str | None = None, supplier_id: int | None = None,
                   file_id: int | None = None) -> tuple[str, list]:
    params: list = []
    sql = _PAYMENTS_FROM + _members_sql(members, "m.name", params)
    if period is not None:
        # the analysis's rule: a payment is in a period when its whole known span is
        sql += " AND " + Window(period).sql(
            "coalesce(r.payment_date, r.period_start, f.period_start)",
            "coalesce(r.payment_date, r.period_end, f.period_end)")
    if q:
        sql += " AND (" + " OR ".join(
            f"{c} ILIKE ? ESCAPE '\\'" for c in ("r.supplier_name", "r.category", "r.service_area",
                                                 "r.transaction_ref")) + ")"
        params += [like_pattern(q)] * 4
    if category:
        sql += " AND coalesce(r.category, '(not given)') = ?"
        params.append(category)
    if supplier_id is not None:
        sql += " AND q.entity_id = ?"
        params.append(int(supplier_id))
    if file_id is not None:
        sql += " AND r.file_id = ?"
        params.append(int(file_id))
    return sql, params


def list_payments(ws: Workspace, members: list[str] | None, *, sort: str = "line", limit: int = 50,
                  offset: int = 0, **filters) -> dict:
    """A page of payments with their lineage (file, sheet, line) and the count and sum of all that match."""
    where, params = payments_where(members, **filters)
    total, amount = ws.con.execute(f"SELECT count(*), coalesce(sum(r.amount), 0) {where}", params).fetchone()
    order = PAYMENT_SORTS.get(sort, PAYMENT_SORTS["line"])
    result = ws.con.execute(f"{_PAYMENTS_SELECT} {where} ORDER BY {order} LIMIT ? OFFSET ?",
                            [*params, int(limit), int(offset)])
    names = [d[0] for d in result.description]
    rows = [{k: plain(v) for k, v in zip(names, r, strict=True)} for r in result.fetchall()]
    return {"total": total, "amount": float(amount), "offset": offset, "limit": limit, "payments": rows}


def payments_csv_query(members: list[str] | None, **filters) -> tuple[str, list]:
    """The SELECT for the CSV export of the same payments, in lineage order."""
    where, params = payments_where(members, **filters)
    return f"{_PAYMENTS_SELECT} {where} ORDER BY {PAYMENT_SORTS['line']}", params


def categories(ws: Workspace, members: list[str] | None) -> list[str]:
    params: list = []
    rows = ws.con.execute(
        "SELECT DISTINCT coalesce(r.category, '(not given)') " + _PAYMENTS_FROM
        + _members_sql(members, "m.name", params) + " ORDER BY 1 LIMIT 500", params).fetchall()
    return [r[0] for r in rows]


def member_names(ws: Workspace) -> list[str]:
    return [r[0] for r in ws.con.execute("SELECT name FROM members ORDER BY name").fetchall()]


def has_payments(ws: Workspace) -> bool:
    return bool(ws.con.execute("SELECT count(*) FROM files WHERE status = 'active'").fetchone()[0])


def period_choices(ws: Workspace) -> list[str]:
    """Financial years and quarters the active files cover, for the period filter's suggestions."""
    row = ws.con.execute(
        "SELECT min(coalesce(period_start, DATE '9999-01-01')), max(period_end) FROM files "
        "WHERE status = 'active' AND period_start IS NOT NULL").fetchone()
    if not row or row[1] is None:
        return []
    start, end = row
    out = []
    fy = start.year if start.month >= 4 else start.year - 1
    while dt.date(fy, 4, 1) <= end:
        out.append(f"FY{fy}/{(fy + 1) % 100:02d}")
        fy += 1
    y, qn = start.year, (start.month - 1) // 3 + 1
    while dt.date(y, 3 * qn - 2, 1) <= end:
        out.append(f"{y}-Q{qn}")
        y, qn = (y + 1, 1) if qn == 4 else (y, qn + 1)
    return out


# -- files and quarantine -------------------------------------------------------------------------
def file_parts(ws: Workspace, file_id: int) -> list[dict]:
    result = ws.con.execute(
        """SELECT part_no, sheet, header_line, header_json, lines_total, lines_header, lines_blank,
                  lines_nondata, lines_continuation, rows_loaded, rows_quarantined, footer_total,
                  skipped_reason
           FROM file_parts WHERE file_id = ? ORDER BY part_no""", [file_id])
    names = [d[0] for d in result.description]
    rows = []
    for r in result.fetchall():
        item = {k: plain(v) for k, v in zip(names, r, strict=True)}
        item["header"] = json.loads(item.pop("header_json") or "[]")
        rows.append(item)
    return rows


def quarantine_rows(ws: Workspace, members: list[str] | None, *, file_id: int | None = None,
                    limit: int = 50, offset: int = 0) -> dict:
    params: list = []
    where = """FROM records r JOIN files f USING (file_id) JOIN members m ON m.member_id = r.member_id
               JOIN file_parts p ON p.file_id = r.file_id AND p.part_no = r.part_no
               WHERE r.status = 'quarantined' AND f.status = 'active'"""
    where += _members_sql(members, "m.name", params)
    if file_id is not None:
        where += " AND r.file_id = ?"
        params.append(int(file_id))
    total = ws.con.execute(f"SELECT count(*) {where}", params).fetchone()[0]
    result = ws.con.execute(
        f"""SELECT m.name AS member, f.file_id, f.name AS file, p.sheet, r.source_line AS line,
                   r.reason, r.amount_raw, r.date_raw, r.raw
            {where} ORDER BY m.name, f.name, r.part_no, r.source_line LIMIT ? OFFSET ?""",
        [*params, int(limit), int(offset)])
    names = [d[0] for d in result.description]
    rows = [dict(zip(names, r, strict=True)) for r in result.fetchall()]
    return {"total": total, "offset": offset, "limit": limit, "rows": rows}
