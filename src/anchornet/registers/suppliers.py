"""A member's own supplier list: a vendor master file or contracts register (CSV, XLSX, ODS).

Read with the ingest readers (any encoding, delimiter, title rows above the
header, every sheet of a workbook); the header row is found among the first
records by the spellings in ``supplier_synonyms.yaml``. A usable sheet names the
supplier (a name or a reference) and at least one thing that locates or
identifies it (a postcode, a company number or a charity number); an SME or
VCSE flag and an address are kept when present.

Each line keeps its sheet, line number and every cell as written (``raw``), and
its values normalised in SQL: the name key (``sn_name_key``), the postcode
(``pc_normalise``, or the first postcode inside an address-like cell), company
and charity numbers (``reg_company_number``, ``reg_charity_number``; a charity
number written in the company-number column, such as ``CHA1049226``, is taken as
the charity number) and the flags (``reg_flag``). Lines naming no supplier
are skipped and counted. Loading a list again replaces that member's list.
"""

from __future__ import annotations

import contextlib
import difflib
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import duckdb
import yaml

from anchornet.errors import AnchornetError, BadFileError
from anchornet.ingest import delimited, spreadsheet, text
from anchornet.ingest.columns import normalise_header
from anchornet.ingest.detect import SPREADSHEET_FORMATS, detect_format
from anchornet.ingest.parts import Part
from anchornet.registers.common import Inserted, LoadResult, Progress, SourceFile, member_id, run_load, strip_bom
from anchornet.sqltext import sql_literal
from anchornet.workspace import Workspace

REGISTER = "suppliers"
FIELDS = ("supplier_name", "supplier_ref", "postcode", "address", "company_number", "charity_number", "sme",
          "vcse")
IDENTIFYING = ("supplier_name", "supplier_ref")
LOCATING = ("postcode", "company_number", "charity_number")
FUZZY_CUTOFF = 0.88
HEADER_SEARCH = 50


@lru_cache(maxsize=1)
def synonyms() -> dict[str, list[str]]:
    raw = resources.files("anchornet.registers").joinpath("supplier_synonyms.yaml").read_text("utf-8")
    table = {k: [normalise_header(s) for s in v] for k, v in yaml.safe_load(raw).items()}
    unknown = set(table) - set(FIELDS)
    if unknown:
        raise ValueError(f"supplier_synonyms.yaml: unknown fields {sorted(unknown)}")
    return table


def match_header(cell: str | None, *, fuzzy: bool = True) -> tuple[str, int] | None:
    """(field, rank) for one header cell; a lower rank is a more specific spelling."""
    norm = normalise_header(strip_bom(cell or ""))
    if not norm or len(norm) > 60:
        return None
    table = synonyms()
    for field, names in table.items():
        if norm in names:
            return field, names.index(norm)
    if fuzzy and len(norm) >= 5:
        spellings = {s: (f, r) for f, names in table.items() for r, s in enumerate(names) if len(s) >= 5}
        close = difflib.get_close_matches(norm, list(spellings), n=1, cutoff=FUZZY_CUTOFF)
        if close:
            field, rank = spellings[close[0]]
            return field, 1000 + rank
    return None


def map_columns(cells: list[str]) -> dict[str, int]:
    """field → column index; when two columns look like one field the more specific spelling wins."""
    best: dict[str, tuple[int, int]] = {}
    for index, cell in enumerate(cells):
        found = match_header(cell)
        if found and (found[0] not in best or (found[1], index) < best[found[0]]):
            best[found[0]] = (found[1], index)
    return {field: index for field, (_, index) in best.items()}


def usable(fields: dict[str, int]) -> bool:
    return any(f in fields for f in IDENTIFYING) and any(f in fields for f in LOCATING)


def find_header(preview: list[tuple[int, list[str]]]) -> tuple[int, list[str], dict[str, int]] | None:
    best = None
    for line, cells in preview[:HEADER_SEARCH]:
        fields = map_columns([c or "" for c in cells])
        if usable(fields) and (best is None or len(fields) > len(best[2])):
            best = (line, cells, fields)
    return best


@dataclass
class _Sheet:
    part: Part
    header_line: int
    header: list[str]
    fields: dict[str, int]


def _read_parts(path: Path, work_dir: Path) -> list[Part]:
    fmt = detect_format(path)
    if fmt in SPREADSHEET_FORMATS:
        return spreadsheet.read_workbook(path)
    decoded = text.decode(path.read_bytes(), path.name)
    part, _delimiter = delimited.read_delimited(path, decoded, work_dir)
    if part.table is None and part.fallback is not None:
        part = part.fallback()  # supplier lists are small: parse them exactly, line numbers and all
    return [part]


def _describe(part: Part) -> str:
    cells = next((c for _, c in part.preview if any(x and x.strip() for x in c)), [])
    return ", ".join(repr(strip_bom(c).strip()) for c in cells[:20] if c and c.strip()) or "(nothing)"


def _select(sheet: _Sheet, member_id: int, load_id: int) -> str:
    def cell(field: str) -> str:
        index = sheet.fields.get(field)
        return f"nullif(trim(c{index}), '')" if index is not None else "CAST(NULL AS VARCHAR)"

    sheet_sql = "NULL" if sheet.part.sheet is None else sql_literal(sheet.part.sheet)
    raw = ", ".join(f"c{i}" for i in range(sheet.part.width)) or "NULL"
    return f"""
        SELECT {member_id}, {load_id}, {sheet_sql}, line,
               name, sn_name_key(name), ref, {cell('address')},
               postcode_raw, coalesce(pc_normalise(postcode_raw), pc_find(postcode_raw)),
               company_raw, reg_company_number(company_raw),
               charity_raw,
               coalesce(reg_charity_number(charity_raw),
                        -- a charity number written in the company number column ('CHA1049226')
                        CASE WHEN regexp_matches(upper(company_raw), '^\\s*(CHA|CHARITY|CC|RCN|REG)[^A-Z]')
                             THEN reg_charity_number(regexp_extract(company_raw, '([0-9]{{5,8}})', 1)) END),
               reg_flag(sme_raw), reg_flag(vcse_raw), sme_raw, vcse_raw,
               [{raw}]
        FROM (
            SELECT *, {cell('supplier_name')} AS name, {cell('supplier_ref')} AS ref,
                   {cell('postcode')} AS postcode_raw, {cell('company_number')} AS company_raw,
                   {cell('charity_number')} AS charity_raw, {cell('sme')} AS sme_raw, {cell('vcse')} AS vcse_raw
            FROM _supplier_src WHERE line > {sheet.header_line}
        )
        WHERE name IS NOT NULL OR ref IS NOT NULL
    """


def load_supplier_list(
    ws: Workspace,
    path: Path | str,
    member: str,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> LoadResult:
    """Load one member's supplier list, replacing the member's previous list."""
    member = (member or "").strip()
    if not member:
        raise AnchornetError("--member needs the member's name")
    work = contextlib.ExitStack()

    def prepare(sources: list[SourceFile]) -> list[_Sheet]:
        if len(sources) != 1:
            raise BadFileError("give one supplier list (CSV, XLSX or ODS)")
        source = sources[0]
        tmp = Path(work.enter_context(tempfile.TemporaryDirectory(dir=ws.path, prefix=".suppliers-")))
        parts = _read_parts(source.path, tmp)
        sheets = []
        for part in parts:
            found = find_header(part.preview)
            if found:
                line, cells, fields = found
                sheets.append(_Sheet(part, line, [strip_bom(c or "").strip() for c in cells], fields))
        if not sheets:
            where = f"sheet {parts[0].sheet!r} of " if parts[0].sheet else ""
            raise BadFileError(
                f"{source.name}: no header row naming a supplier (name or reference) and its postcode, company "
                f"number or charity number was found in {where}the file; the first row holds: "
                f"{_describe(parts[0])}"
            )
        return sheets

    def insert(con: duckdb.DuckDBPyConnection, sheets: list[_Sheet], load_id: int) -> Inserted:
        mid = member_id(con, member)
        loaded = skipped = 0
        notes = []
        for sheet in sheets:
            part = sheet.part
            below = 0
            con.register("_supplier_src", part.table)
            try:
                below = con.execute(f"SELECT count(*) FROM _supplier_src WHERE line > {sheet.header_line}"
                                    ).fetchall()[0][0]
                n = con.execute(f"INSERT INTO member_suppliers {_select(sheet, mid, load_id)}").fetchall()[0][0]
            finally:
                with contextlib.suppress(duckdb.Error):
                    con.unregister("_supplier_src")
            loaded += n
            skipped += below - n
            where = f"sheet {part.sheet!r}: " if part.sheet else ""
            used = ", ".join(f"{f}={sheet.header[i]!r}" for f, i in sheet.fields.items())
            notes.append(f"{where}header on line {sheet.header_line}; columns used: {used}")
            if below - n:
                notes.append(f"{where}{below - n:,} line(s) naming no supplier were skipped")
        if loaded == 0:
            raise BadFileError("the supplier list has a header but no suppliers below it")
        bad = con.execute(
            """SELECT count(*) FILTER (WHERE postcode_raw IS NOT NULL AND postcode IS NULL),
                      count(*) FILTER (WHERE company_number_raw IS NOT NULL AND company_number IS NULL
                                       AND NOT (charity_number_raw IS NULL AND charity_number IS NOT NULL)),
                      count(*) FILTER (WHERE charity_number_raw IS NOT NULL AND charity_number IS NULL)
               FROM member_suppliers WHERE load_id = ?""", [load_id]).fetchall()[0]
        for n, what in zip(bad, ("postcode", "company number", "charity number"), strict=True):
            if n:
                notes.append(f"{n:,} supplier(s) have a {what} that is not valid (kept as written, not used)")
        return Inserted(rows_loaded=loaded, rows_skipped=skipped, notes=notes)

    def clear(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("DELETE FROM member_suppliers WHERE member_id = ?", [member_id(con, member)])

    with work:
        return run_load(
            ws, REGISTER, [path], prepare=prepare, insert=insert, clear=clear,
            picker=None, member=member, force=force, progress=progress,
        )
