"""Export the workspace's payments, quarantine and files as CSV, Parquet or XLSX.

DuckDB writes CSV and Parquet itself; XLSX is streamed row by row. Each export
is written to a temporary file and moved into place, so a failure never leaves
half a file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import xlsxwriter

from anchornet.errors import AnchornetError
from anchornet.workspace import Workspace

FORMATS = ("csv", "parquet", "xlsx")
XLSX_MAX_ROWS = 1_048_575

PAYMENTS_SQL = """
SELECT m.name AS member,
       f.name AS source_file,
       f.sha256 AS source_sha256,
       p.sheet AS source_sheet,
       r.source_line,
       strftime(r.payment_date, '%Y-%m-%d') AS payment_date,
       strftime(coalesce(r.period_start, f.period_start), '%Y-%m-%d') AS period_start,
       strftime(coalesce(r.period_end, f.period_end), '%Y-%m-%d') AS period_end,
       r.amount,
       r.supplier_name,
       r.supplier_ref,
       r.category,
       r.service_area,
       r.transaction_ref,
       r.capital_revenue,
       array_to_string(r.flags, ';') AS flags,
       r.record_type,
       r.expense_code,
       r.body,
       r.vat_number,
       r.irrecoverable_vat,
       r.merchant_category,
       r.supplier_type,
       r.date_raw,
       r.amount_raw
FROM records r
JOIN files f USING (file_id)
JOIN members m ON m.member_id = r.member_id
JOIN file_parts p ON p.file_id = r.file_id AND p.part_no = r.part_no
WHERE r.status = 'loaded' AND f.status = 'active' {member_filter}
ORDER BY m.name, f.name, r.part_no, r.source_line
"""

QUARANTINE_SQL = """
SELECT m.name AS member,
       f.name AS source_file,
       f.sha256 AS source_sha256,
       p.sheet AS source_sheet,
       r.source_line,
       r.reason,
       p.header_json AS source_header,
       {raw_columns}
FROM records r
JOIN files f USING (file_id)
JOIN members m ON m.member_id = r.member_id
JOIN file_parts p ON p.file_id = r.file_id AND p.part_no = r.part_no
WHERE r.status = 'quarantined' AND f.status = 'active' {member_filter}
ORDER BY m.name, f.name, r.part_no, r.source_line
"""

FILES_SQL = """
SELECT m.name AS member, f.name AS file, f.sha256, f.format, f.kind, f.encoding,
       f.delimiter, f.line_ending, f.period_start, f.period_end, f.period_source, f.status,
       f.ingested_at, sum(p.lines_total) AS lines_total, sum(p.lines_header) AS lines_header,
       sum(p.lines_blank) AS lines_blank, sum(p.lines_nondata) AS lines_nondata,
       sum(p.lines_continuation) AS lines_continuation, sum(p.rows_loaded) AS rows_loaded,
       sum(p.rows_quarantined) AS rows_quarantined, f.mapping_json AS columns
FROM files f JOIN members m USING (member_id) JOIN file_parts p USING (file_id)
WHERE true {member_filter}
GROUP BY ALL ORDER BY m.name, f.name, f.ingested_at
"""


SUPPLIERS_SQL = """
WITH spend AS (
    SELECT q.entity_id, sum(r.amount) AS total_spend, count(*) AS payments,
           min(r.payment_date) AS first_payment, max(r.payment_date) AS last_payment
    FROM records r JOIN files f USING (file_id) JOIN members m ON m.member_id = r.member_id
    JOIN payees q ON q.member_id = r.member_id AND q.supplier_name = r.supplier_name
                 AND q.supplier_ref = coalesce(r.supplier_ref, '')
    WHERE r.status = 'loaded' AND f.status = 'active' {member_filter}
    GROUP BY q.entity_id
)
SELECT e.entity_id AS supplier_id, e.display_name AS name, e.class, e.class_reason,
       e.personal, e.postcode, e.postcode_source, e.company_number, e.charity_number, e.org_id,
       e.company_status, e.size_band, e.sme, e.class = 'vcse' AS vcse,
       array_to_string(e.sic_codes, ' ') AS sic_codes, round(e.link_probability, 4) AS link_probability,
       e.payees AS names, e.members, round(e.min_probability, 4) AS min_match_probability,
       l.* EXCLUDE (entity_id),
       s.total_spend, s.payments, s.first_payment, s.last_payment
FROM supplier_entities e JOIN spend s USING (entity_id)
LEFT JOIN ({locations}) l USING (entity_id)
ORDER BY s.total_spend DESC, e.entity_id
"""

SUPPLIER_NAMES_SQL = """
SELECT m.name AS member, q.supplier_name, nullif(q.supplier_ref, '') AS supplier_ref,
       q.entity_id AS supplier_id, round(q.match_probability, 4) AS match_probability,
       q.class, q.class_reason, q.personal, q.payee_id, q.name_key,
       sum(r.amount) AS total_spend, count(*) AS payments
FROM payees q JOIN members m ON m.member_id = q.member_id
JOIN records r ON r.member_id = q.member_id AND r.supplier_name = q.supplier_name
              AND coalesce(r.supplier_ref, '') = q.supplier_ref AND r.status = 'loaded'
JOIN files f ON f.file_id = r.file_id AND f.status = 'active'
WHERE true {member_filter}
GROUP BY ALL
ORDER BY 1, 2, 3
"""

TABLES = ("payments", "quarantine", "files", "suppliers", "supplier-names")


def export_query(ws: Workspace, table: str, member: str | None = None) -> tuple[str, list]:
    params: list = []
    member_filter = ""
    if member:
        if ws.member_id(member) is None:
            raise AnchornetError(f"no member called {member!r} in this workspace")
        member_filter = "AND m.name = ?"
        params.append(member)
    if table == "payments":
        return PAYMENTS_SQL.format(member_filter=member_filter), params
    if table == "files":
        return FILES_SQL.format(member_filter=member_filter), params
    if table in ("suppliers", "supplier-names"):
        _require_resolved(ws)
        if table == "supplier-names":
            return SUPPLIER_NAMES_SQL.format(member_filter=member_filter), params
        return SUPPLIERS_SQL.format(member_filter=member_filter, locations=_locations_sql(ws)), params
    if table == "quarantine":
        width = ws.con.execute(
            "SELECT coalesce(max(len(raw)), 0) FROM records WHERE status = 'quarantined'"
        ).fetchone()[0]
        raw = ", ".join(f"r.raw[{i}] AS raw_{i}" for i in range(1, width + 1))
        return QUARANTINE_SQL.format(
            member_filter=member_filter, raw_columns=raw or "NULL AS raw_1"
        ), params
    raise AnchornetError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")


def _locations_sql(ws: Workspace) -> str:
    """Each supplier's postcode status, deprivation decile and place in each tier."""
    from anchornet.place import locate

    locate.install(ws.con)
    tiers = [r[0] for r in ws.con.execute("SELECT name FROM place_tiers ORDER BY tier_no").fetchall()]
    columns = "".join(f', {locate.quote("in_" + t)}' for t in tiers)
    return (f"SELECT entity_id, postcode_status, lad_code, imd_decile{columns} "
            f"FROM ({locate.locations_sql(ws.con)})")


def _require_resolved(ws: Workspace) -> None:
    if ws.con.execute("SELECT count(*) FROM payees").fetchall()[0][0] == 0:
        raise AnchornetError("no suppliers yet: run `anchornet suppliers resolve` first")


def infer_format(path: Path, fmt: str | None) -> str:
    if fmt:
        return fmt
    suffix = path.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise AnchornetError(f"cannot tell the format of {path.name}; add --format csv|parquet|xlsx")


def export(ws: Workspace, table: str, path: Path, fmt: str | None = None,
           member: str | None = None) -> int:
    """Write ``table`` to ``path``; return the number of rows written."""
    path = Path(path)
    fmt = infer_format(path, fmt)
    sql, params = export_query(ws, table, member)
    if path.parent and not path.parent.exists():
        raise AnchornetError(f"the folder {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        rows = _write(ws, sql, params, Path(tmp), fmt, table)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return rows


def _write(ws: Workspace, sql: str, params: list, tmp: Path, fmt: str, sheet: str) -> int:
    con = ws.con  # temporary views (supplier locations) live on this connection
    count = con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]
    target = str(tmp).replace("'", "''")
    if fmt == "csv":
        con.execute(f"COPY ({sql}) TO '{target}' (FORMAT csv, HEADER true)", params)
    elif fmt == "parquet":
        con.execute(f"COPY ({sql}) TO '{target}' (FORMAT parquet)", params)
    else:
        if count > XLSX_MAX_ROWS:
            raise AnchornetError(
                f"{count:,} rows do not fit in one Excel sheet; export as csv or parquet"
            )
        result = con.execute(sql, params)
        names = [d[0] for d in result.description]
        book = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_numbers": False,
                                              "strings_to_formulas": False, "strings_to_urls": False})
        ws_sheet = book.add_worksheet(sheet.replace("-", " ")[:31])
        bold = book.add_format({"bold": True})
        ws_sheet.write_row(0, 0, names, bold)
        row_no = 1
        while batch := result.fetchmany(10_000):
            for row in batch:
                ws_sheet.write_row(row_no, 0, [xlsx_value(v) for v in row])
                row_no += 1
        ws_sheet.freeze_panes(1, 0)
        book.close()
    return count


def xlsx_value(value):
    """A value as a spreadsheet cell: numbers stay numbers (Decimal too), lists and mappings
    become text ("a; b"), anything else (dates, times) its text."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if value is not None and not isinstance(value, (str, int, float)):
        return str(value)
    return value


def add_table_sheet(book, name: str, rows: list[dict], *, empty: str, bold=None) -> None:
    """One sheet of ``book`` (an xlsxwriter Workbook): a header row of every column any row
    has, then the rows; ``empty`` in A1 when there are none."""
    sheet = book.add_worksheet(name[:31])
    columns = list(dict.fromkeys(c for row in rows for c in row))
    if not columns:
        sheet.write(0, 0, empty)
        return
    sheet.write_row(0, 0, columns, bold)
    for i, row in enumerate(rows, start=1):
        sheet.write_row(i, 0, [xlsx_value(row.get(c)) for c in columns])
    sheet.freeze_panes(1, 0)
