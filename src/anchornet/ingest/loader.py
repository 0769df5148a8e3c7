"""Ingest one or more files into a workspace: read, map, judge and load every row.

Each file is loaded in one transaction. Nothing is written until the file has
been read and its columns understood, and a failure leaves the workspace as it
was. Every line of the file ends up counted as a header or title line, a blank
line, a non-data line (footer totals, junk), a loaded payment or a quarantined
row.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from anchornet.errors import AnchornetError, BadFileError
from anchornet.ingest import delimited, spreadsheet, text
from anchornet.ingest.columns import (
    FIELDS,
    REQUIRED,
    ColumnMap,
    MappingFile,
    find_header,
    load_synonyms,
    map_header,
)
from anchornet.ingest.detect import SPREADSHEET_FORMATS, detect_format
from anchornet.ingest.parts import Part
from anchornet.ingest.period import Period, months, parse_period_option, period_from_name
from anchornet.ingest.rules import build_select, duplicate_hashes_sql
from anchornet.ingest.values import install_macros
from anchornet.workspace import Workspace, sha256_file

Progress = Callable[[str], None]


@dataclass
class PartResult:
    sheet: str | None
    header_line: int | None
    lines_total: int
    lines_header: int
    lines_blank: int
    lines_nondata: int
    lines_continuation: int
    rows_loaded: int
    rows_quarantined: int
    amount_loaded: float = 0.0
    footer_total: float | None = None
    skipped_reason: str | None = None

    @property
    def accounted(self) -> int:
        return (
            self.lines_header + self.lines_blank + self.lines_nondata + self.lines_continuation
            + self.rows_loaded + self.rows_quarantined
        )


@dataclass
class FileResult:
    path: str
    name: str
    member: str
    status: str  # loaded | replaced | unchanged
    sha256: str
    file_id: int | None = None
    format: str | None = None
    kind: str | None = None
    encoding: str | None = None
    period: str | None = None
    period_source: str | None = None
    mapping: dict[str, dict[str, str]] = field(default_factory=dict)
    parts: list[PartResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    message: str = ""

    def totals(self) -> dict[str, float]:
        keys = [
            "lines_total", "lines_header", "lines_blank", "lines_nondata", "lines_continuation",
            "rows_loaded", "rows_quarantined", "amount_loaded",
        ]
        return {k: sum(getattr(p, k) for p in self.parts) for k in keys}

    def to_dict(self) -> dict:
        data = asdict(self)
        data["totals"] = self.totals()
        return data


@dataclass
class _Prepared:
    """A file read and understood, before anything is written."""

    format: str
    encoding: str | None
    delimiter: str | None
    line_ending: str | None
    parts: list[Part]
    maps: list[tuple[int, ColumnMap] | None]  # (header line, column map) per part
    kind: str
    month_first: bool
    notes: list[str]


def _describe_headers(part: Part) -> str:
    cells = next((c for _, c in part.preview if any(x and x.strip() for x in c)), [])
    shown = ", ".join(repr(c.strip()) for c in cells[:20] if c and c.strip())
    return shown or "(none)"


def _month_first(preview: list[tuple[int, list[str]]], date_index: int | None) -> bool:
    """Month-first (US) dates only when the file proves it: a second part above 12."""
    if date_index is None:
        return False
    day_first = month_first = 0
    for _, cells in preview:
        if date_index >= len(cells) or not cells[date_index]:
            continue
        m = re.match(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}", cells[date_index])
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            day_first += a > 12
            month_first += b > 12
    return month_first > 0 and day_first == 0


def prepare(
    con, path: Path, synonyms: dict[str, list[str]], mapping: MappingFile | None, work_dir: Path
) -> _Prepared:
    fmt = detect_format(path)
    notes: list[str] = []
    encoding = delimiter = ending = None
    if fmt in SPREADSHEET_FORMATS:
        parts = spreadsheet.read_workbook(path)
    else:
        data = path.read_bytes()
        decoded = text.decode(data, path.name)
        encoding, ending = decoded.encoding, decoded.line_ending
        if encoding == text.MIXED:
            notes.append("most lines are UTF-8 but some are Windows cp1252; each line was read "
                         "in its own encoding")
        part, delimiter = delimited.read_delimited(path, decoded, work_dir)
        parts = [_materialise(con, part) if part.sql else part]
    maps: list[tuple[int, ColumnMap] | None] = []
    for part in parts:
        found = find_header(part.preview, synonyms, mapping)
        if found is None:
            maps.append(None)
            continue
        line, cells = found
        try:
            cmap = map_header(cells, synonyms, mapping)
        except AnchornetError as exc:
            raise BadFileError(f"{path.name}: {exc}") from None
        missing = [f for f in REQUIRED if f not in cmap.fields]
        if missing:
            maps.append(None)
            part.skipped_reason = "no column for " + " or ".join(missing)
            continue
        maps.append((line, cmap))
    if not any(maps):
        where = f"sheet {parts[0].sheet!r} of " if parts[0].sheet else ""
        raise BadFileError(
            f"{path.name}: no header row with a supplier and an amount column was found in "
            f"{where}the file; the first row holds: {_describe_headers(parts[0])}. "
            "Name the columns in a mapping file (columns: {supplier_name: ..., amount: ...}) "
            "and pass it with --mapping"
        )
    for part, found in zip(parts, maps, strict=True):
        if found is None and part.skipped_reason is None:
            part.skipped_reason = "no header row naming a supplier and an amount"
        if found:
            notes.extend(
                (f"sheet {part.sheet!r}: " if part.sheet else "") + n for n in found[1].notes
            )
    has_dates = any(m and "payment_date" in m[1].fields for m in maps)
    kind = (mapping.kind if mapping and mapping.kind else None) or (
        "payments" if has_dates else "supplier_totals"
    )
    first = next(m for m in maps if m)
    date_index = first[1].fields.get("payment_date")
    if mapping and mapping.date_order:
        month_first = mapping.date_order == "mdy"
    else:
        month_first = _month_first(parts[maps.index(first)].preview, date_index)
        if month_first:
            notes.append("dates read as month/day/year: some have a second part above 12")
    return _Prepared(fmt, encoding, delimiter, ending, parts, maps, kind, month_first, notes)


FAST_TABLE = "_fast_records"


def _materialise(con, part: Part) -> Part:
    """Let DuckDB read the file into a temporary table, outside the load's transaction.

    The table's row ids follow the file's order, so records are numbered without a
    window over the scan (which would run on one thread). When DuckDB fails, or its
    record count disagrees with the file's line count (a line break inside quotes,
    broken quoting), the exact reader takes over.
    """
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {FAST_TABLE} AS {part.sql}")
        got = con.execute(f"SELECT count(*) FROM {FAST_TABLE}").fetchall()[0][0]
    except duckdb.Error:
        got = None
    if got != part.expected_records:
        con.execute(f"DROP TABLE IF EXISTS {FAST_TABLE}")
        return part.fallback()
    cols = ", ".join(f"r.c{i}" for i in range(part.width))
    if part.aux_tables:
        part.sql = (
            f"SELECT r.rowid + 1 + coalesce(s.shift, 0) AS line, {cols} FROM {FAST_TABLE} r "
            f"ASOF LEFT JOIN _blank_shifts s ON r.rowid + 1 > s.t"
        )
    else:
        part.sql = f"SELECT r.rowid + 1 AS line, {cols} FROM {FAST_TABLE} r"
    return part


def _mapping_hash(mapping: MappingFile | None, period: Period | None) -> str:
    text = (mapping.source if mapping else "") + "|" + (str(period) if period else "")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _insert_part(con, part: Part, select_sql: str, dup_sql: str) -> None:
    for name, table in part.aux_tables.items():
        con.register(name, table)
    if part.table is not None:
        con.register("_src", part.table)
    else:
        con.execute(f"CREATE OR REPLACE TEMP VIEW _src AS {part.sql}")
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE _dup_hashes AS {dup_sql}").fetchall()
        con.execute(f"INSERT INTO records {select_sql}").fetchall()
    finally:
        with contextlib.suppress(duckdb.Error):  # an aborted transaction refuses this
            if part.table is not None:
                con.unregister("_src")
            else:
                con.execute("DROP VIEW IF EXISTS _src")
            for name in part.aux_tables:
                con.unregister(name)
            con.execute("DROP TABLE IF EXISTS _dup_hashes")


def _part_counts(con, file_id: int, part_no: int) -> dict:
    rows = con.execute(
        """SELECT status, count(*), sum(amount) FILTER (WHERE status = 'loaded')
           FROM records WHERE file_id = ? AND part_no = ? GROUP BY status""",
        [file_id, part_no],
    ).fetchall()
    out = {"blank": 0, "nondata": 0, "loaded": 0, "quarantined": 0, "amount": 0.0}
    for status, n, amount in rows:
        out[status] = n
        if amount is not None:
            out["amount"] = float(amount)
    totals = con.execute(
        """SELECT amount, list_contains(list_transform(raw, lambda c: regexp_matches(lower(coalesce(c, '')),
                  'grand\\s*total')), true)
           FROM records WHERE file_id = ? AND part_no = ? AND reason = 'footer total'
             AND amount IS NOT NULL ORDER BY source_line""",
        [file_id, part_no],
    ).fetchall()
    out["footer"] = _file_total([(float(a), grand) for a, grand in totals])
    return out


def _file_total(totals: list[tuple[float, bool]]) -> float | None:
    """The file's own total from its total lines, sub-totals counted once.

    A "Grand Total" line wins; else a last line that equals the sum of the lines
    before it (sub-totals then their total); else the lines add up (sub-totals only,
    or one total).
    """
    if not totals:
        return None
    grand = [a for a, is_grand in totals if is_grand]
    if grand:
        return grand[-1]
    *earlier, last = [a for a, _ in totals]
    if earlier and abs(sum(earlier) - last) < 0.005:
        return last
    return round(sum(a for a, _ in totals), 2)


def ingest_file(
    ws: Workspace,
    path: Path,
    member: str,
    *,
    period: str | None = None,
    mapping_path: Path | None = None,
    replace: bool = False,
    progress: Progress | None = None,
) -> FileResult:
    """Load one file for one member. See the module docstring for the guarantees."""
    say = progress or (lambda _stage: None)
    path = Path(path)
    member = (member or "").strip()
    if not member:
        raise AnchornetError("--member needs the member's name")
    if not path.exists():
        raise BadFileError(f"{path}: no such file")
    if not path.is_file():
        raise BadFileError(f"{path}: not a file")
    period_opt = parse_period_option(period) if period else None
    mapping = MappingFile.load(Path(mapping_path)) if mapping_path else None
    say("checking")
    sha = sha256_file(path)
    mhash = _mapping_hash(mapping, period_opt)
    result = FileResult(path=str(path), name=path.name, member=member, status="loaded", sha256=sha)
    unchanged, previous_ids = _earlier_versions(ws, path.name, member, sha, mhash, replace)
    if unchanged is not None:
        result.status = "unchanged"
        result.file_id = unchanged
        result.message = "already loaded: identical file, nothing changed"
        _fill_from_workspace(ws, result)
        return result

    say("reading")
    synonyms = load_synonyms(ws.path / "synonyms.yaml")
    with tempfile.TemporaryDirectory(prefix="anchornet-") as tmp:
        try:
            prepared = prepare(ws.con, path, synonyms, mapping, Path(tmp))
            return _ingest_prepared(ws, path, member, sha, mhash, prepared, period_opt,
                                    previous_ids, result, say)
        finally:
            with contextlib.suppress(duckdb.Error):
                ws.con.execute(f"DROP TABLE IF EXISTS {FAST_TABLE}")


def _ingest_prepared(ws, path, member, sha, mhash, prepared, period_opt, previous_ids, result,
                     say) -> FileResult:
    """Write a file that has been read and understood: one transaction."""
    file_period, period_source = period_opt, "option" if period_opt else None
    if prepared.kind == "supplier_totals" and file_period is None:
        file_period, period_source = period_from_name(path.name), "filename"
        if file_period is None:
            raise BadFileError(
                f"{path.name}: a supplier-totals file (a supplier and a total, no payment "
                "dates) and its period is not known; give it with --period YYYY-MM, "
                "YYYY-Qn or YYYY-MM..YYYY-MM"
            )
    say("loading")
    load = _Load(ws, path, member, sha, mhash, prepared, file_period, period_source)
    with ws.storing_original(path, sha), ws.transaction() as con:
        load.run(con, result, previous_ids)
    result.status = "replaced" if previous_ids else "loaded"
    result.format = prepared.format
    result.kind = prepared.kind
    result.encoding = prepared.encoding
    result.period = str(load.period) if load.period else None
    result.period_source = load.period_source or "none"
    result.message = "replaced the earlier version" if previous_ids else "loaded"
    return result


def _earlier_versions(ws, name, member, sha, mhash, replace) -> tuple[int | None, list[int]]:
    """(id of an identical earlier load, ids of versions this load would supersede)."""
    member_id = ws.member_id(member)
    if member_id is None:
        return None, []
    same = ws.con.execute(
        "SELECT file_id, mapping_hash FROM files WHERE member_id = ? AND sha256 = ? "
        "AND status = 'active'",
        [member_id, sha],
    ).fetchall()
    for file_id, h in same:
        if h == mhash:
            return file_id, []
    named = ws.con.execute(
        "SELECT file_id FROM files WHERE member_id = ? AND name = ? AND status = 'active'",
        [member_id, name],
    ).fetchall()
    previous = sorted({r[0] for r in named} | {fid for fid, _ in same})
    if previous and not replace:
        what = "with other options or mapping" if same else "with different content"
        raise AnchornetError(
            f"{name}: a version of this file is already loaded for {member} {what}; "
            "add --replace to supersede it"
        )
    return None, previous


@dataclass
class _Load:
    """Everything written for one file, inside one transaction."""

    ws: Workspace
    path: Path
    member: str
    sha: str
    mhash: str
    prepared: _Prepared
    period: Period | None
    period_source: str | None

    def run(self, con, result: FileResult, previous_ids: list[int]) -> None:
        prepared = self.prepared
        install_macros(con)
        member_id = self.ws.member_id(self.member, create=True)
        file_id = con.execute(
            """INSERT INTO files (member_id, name, sha256, size_bytes, format, encoding,
                   delimiter, line_ending, kind, mapping_json, mapping_hash, status)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, 'active') RETURNING file_id""",
            [member_id, self.path.name, self.sha, self.path.stat().st_size, prepared.format,
             prepared.encoding, prepared.delimiter, prepared.line_ending, prepared.kind,
             self.mhash],
        ).fetchone()[0]
        result.file_id = file_id
        for part_no, (part, found) in enumerate(zip(prepared.parts, prepared.maps, strict=True)):
            result.parts.append(
                _load_part(con, part, found, file_id, member_id, part_no, prepared, self.period)
            )
            if found:
                result.mapping[part.sheet or ""] = found[1].describe()
        if prepared.kind == "payments" and self.period is None:
            self._period_from_dates_or_name(con, file_id)
        _confirm_duplicates(con, file_id)
        result.notes = prepared.notes + _footer_notes(result.parts)
        con.execute(
            "UPDATE files SET mapping_json = ?, period_start = ?, period_end = ?, "
            "period_source = ?, notes_json = ? WHERE file_id = ?",
            [json.dumps(result.mapping), self.period.start if self.period else None,
             self.period.end if self.period else None, self.period_source or "none",
             json.dumps(result.notes), file_id],
        )
        if previous_ids:
            marks = ",".join("?" * len(previous_ids))
            con.execute(
                f"UPDATE files SET status = 'superseded', superseded_by = ? "
                f"WHERE file_id IN ({marks})",
                [file_id, *previous_ids],
            )
            con.execute(f"DELETE FROM records WHERE file_id IN ({marks})", previous_ids)

    def _period_from_dates_or_name(self, con, file_id: int) -> None:
        lo, hi = con.execute(
            "SELECT min(payment_date), max(payment_date) FROM records "
            "WHERE file_id = ? AND status = 'loaded'",
            [file_id],
        ).fetchone()
        if lo is not None:
            self.period, self.period_source = months(lo.year, lo.month, hi.year, hi.month), "dates"
            return
        named = period_from_name(self.path.name)
        if named is not None:
            self.period, self.period_source = named, "filename"
            con.execute(
                "UPDATE records SET period_start = ?, period_end = ? "
                "WHERE file_id = ? AND status = 'loaded' AND period_start IS NULL",
                [named.start, named.end, file_id],
            )


def _footer_notes(parts: list[PartResult]) -> list[str]:
    notes = []
    for p in parts:
        if p.footer_total is None:
            continue
        diff = round(p.footer_total - p.amount_loaded, 2)
        where = f"sheet {p.sheet!r}: " if p.sheet else ""
        verdict = ("matches the loaded payments" if abs(diff) < 0.005
                   else f"differs from the loaded payments by £{diff:,.2f}")
        notes.append(f"{where}the file's own total £{p.footer_total:,.2f} {verdict}")
    return notes


def _load_part(con, part, found, file_id, member_id, part_no, prepared, file_period) -> PartResult:
    if found is None:
        non_blank = part.lines_total - part.blank_lines_outside - part.continuation_lines
        con.execute(
            "INSERT INTO file_parts VALUES (?, ?, ?, NULL, '[]', ?, 0, ?, ?, ?, 0, 0, NULL, ?)",
            [file_id, part_no, part.sheet, part.lines_total, part.blank_lines_outside,
             non_blank, part.continuation_lines, part.skipped_reason],
        )
        return PartResult(part.sheet, None, part.lines_total, 0, part.blank_lines_outside,
                          non_blank, part.continuation_lines, 0, 0,
                          skipped_reason=part.skipped_reason)
    header_line, cmap = found

    def select_for(p: Part) -> str:
        return build_select(
            cmap, width=p.width, header_line=header_line,
            # In a workbook, cells right of the header are unlabelled columns; in text, a
            # field beyond the header usually means an unquoted delimiter shifted the row.
            header_width=p.width if p.sheet is not None else len(cmap.header), file_id=file_id, member_id=member_id,
            part_no=part_no, month_first=prepared.month_first, kind=prepared.kind,
            period_start=file_period.start.isoformat() if file_period else None,
            period_end=file_period.end.isoformat() if file_period else None,
            spaces_only=p.spaces_only,
        )

    header_width = part.width if part.sheet is not None else len(cmap.header)
    _insert_part(con, part, select_for(part),
                 duplicate_hashes_sql(max(header_width, cmap.width), part.width, header_line))
    counts = _part_counts(con, file_id, part_no)
    above, above_blank = _above(part, header_line)
    result = PartResult(
        sheet=part.sheet,
        header_line=header_line,
        lines_total=part.lines_total,
        lines_header=above,
        lines_blank=part.blank_lines_outside + counts["blank"] + above_blank,
        lines_nondata=counts["nondata"],
        lines_continuation=part.continuation_lines,
        rows_loaded=counts["loaded"],
        rows_quarantined=counts["quarantined"],
        amount_loaded=counts["amount"],
        footer_total=counts["footer"],
    )
    con.execute(
        "INSERT INTO file_parts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
        [file_id, part_no, part.sheet, header_line, json.dumps(cmap.header), result.lines_total,
         result.lines_header, result.lines_blank, result.lines_nondata, result.lines_continuation,
         result.rows_loaded, result.rows_quarantined, result.footer_total],
    )
    return result


def _above(part: Part, header_line: int) -> tuple[int, int]:
    """Records at or above the header line: (title and header lines, blank-celled lines)."""
    title = blank = 0
    for line, cells in part.preview:
        if line > header_line:
            break
        if any(c and c.strip() for c in cells):
            title += 1
        else:
            blank += 1
    return title, blank


ROW_CONTENT = """coalesce(raw, [supplier_name, amount_raw, date_raw, supplier_ref, category,
    service_area, expense_code, transaction_ref, capital_revenue, body, vat_number,
    CAST(irrecoverable_vat AS VARCHAR), merchant_category, supplier_type])"""


def _confirm_duplicates(con, file_id: int) -> None:
    """The load flags rows whose raw cells hash alike; keep the flag only on exact duplicates."""
    con.execute(
        f"""UPDATE records SET flags = list_filter(flags, lambda f: f <> 'duplicate_row')
           WHERE file_id = ? AND list_contains(flags, 'duplicate_row') AND (part_no, {ROW_CONTENT}) NOT IN (
               SELECT (part_no, {ROW_CONTENT}) FROM records
               WHERE file_id = ? AND list_contains(flags, 'duplicate_row')
               GROUP BY ALL HAVING count(*) > 1)""",
        [file_id, file_id],
    ).fetchall()


def _fill_from_workspace(ws: Workspace, result: FileResult) -> None:
    row = ws.con.execute(
        "SELECT format, kind, encoding, period_start, period_end, period_source, mapping_json, "
        "notes_json FROM files WHERE file_id = ?",
        [result.file_id],
    ).fetchone()
    result.format, result.kind, result.encoding = row[0], row[1], row[2]
    result.period = f"{row[3]}..{row[4]}" if row[3] else None
    result.period_source = row[5]
    result.mapping = json.loads(row[6])
    result.notes = json.loads(row[7])
    for r in ws.con.execute(
        """SELECT p.sheet, p.header_line, p.lines_total, p.lines_header, p.lines_blank,
                  p.lines_nondata, p.lines_continuation, p.rows_loaded, p.rows_quarantined,
                  (SELECT coalesce(sum(amount), 0) FROM records r WHERE r.file_id = p.file_id
                     AND r.part_no = p.part_no AND r.status = 'loaded'),
                  p.footer_total, p.skipped_reason
           FROM file_parts p WHERE p.file_id = ? ORDER BY p.part_no""",
        [result.file_id],
    ).fetchall():
        result.parts.append(
            PartResult(*r[:9], amount_loaded=float(r[9]),
                       footer_total=float(r[10]) if r[10] is not None else None,
                       skipped_reason=r[11])
        )


def ingest_files(
    ws: Workspace,
    paths: list[Path],
    member: str,
    **options,
) -> list[FileResult]:
    """Ingest several files; each is its own transaction."""
    return [ingest_file(ws, Path(p), member, **options) for p in paths]


__all__ = ["FIELDS", "FileResult", "PartResult", "ingest_file", "ingest_files"]
