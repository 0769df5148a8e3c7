"""What every register load shares: opening files and zips, reading a header,
the ``read_csv`` call, and the ``register_loads`` bookkeeping.

A load is one transaction: the register's previous rows are deleted, the new
ones inserted by one ``INSERT ... SELECT`` over DuckDB's CSV reader, and a row is
added to ``register_loads`` (the previous load's row is kept, marked
``replaced``). If anything fails the workspace is as it was. Loading the same
file again with the same options changes nothing (``unchanged``) unless forced.

Zip archives are never read into memory: the member file is streamed to a
temporary file inside the workspace directory (``zipfile`` + ``shutil.copyfileobj``)
and read from there, then removed.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import json
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from anchornet.errors import AnchornetError, BadFileError
from anchornet.place import postcodes
from anchornet.registers import identifiers
from anchornet.sqltext import sql_literal
from anchornet.suppliers import normalise
from anchornet.workspace import Workspace, sha256_file

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
Progress = Callable[[str], None]
# Mis-decoded UTF-8 byte-order marks seen at the start of real files ("ï»¿" is the
# BOM's three bytes read as cp1252 and written out again as UTF-8).
MANGLED_BOMS = ("\ufeff", "\u00ef\u00bb\u00bf")


def _say(progress: Progress | None) -> Progress:
    return progress or (lambda _stage: None)


# -- results --------------------------------------------------------------------


@dataclass
class LoadResult:
    register: str
    status: str  # loaded | replaced | unchanged
    load_id: int
    files: list[str]
    rows_loaded: int
    rows_skipped: int = 0
    member: str | None = None
    vintage: str | None = None
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    replaced_loads: list[int] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


# -- files and zips -------------------------------------------------------------


@dataclass
class SourceFile:
    name: str  # as shown to the user: "file.csv" or "archive.zip!member.csv"
    path: Path  # a plain text file DuckDB can read


def check_paths(paths: Sequence[Path | str]) -> list[Path]:
    out = []
    if not paths:
        raise AnchornetError("name the file to load")
    for p in paths:
        path = Path(p)
        if not path.exists():
            raise BadFileError(f"{path}: no such file")
        if not path.is_file():
            raise BadFileError(f"{path}: not a file")
        out.append(path)
    return out


def files_sha256(paths: Sequence[Path]) -> tuple[str, int]:
    """One SHA-256 for the set of files (the file's own when there is one), total bytes."""
    shas = [sha256_file(p) for p in paths]
    size = sum(p.stat().st_size for p in paths)
    if len(shas) == 1:
        return shas[0], size
    return hashlib.sha256("\n".join(sorted(shas)).encode()).hexdigest(), size


def _sniff(path: Path) -> str:
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if not head.strip():
        raise BadFileError(f"{path.name}: the file is empty")
    if head.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        return "zip"
    if head.startswith(b"\x1f\x8b"):
        raise BadFileError(f"{path.name}: a gzip file; decompress it first (or give the published zip)")
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html", b"<?xml")):
        raise BadFileError(
            f"{path.name}: a web page, not the register file (was the download page saved instead of the file?)"
        )
    if b"\x00" in head:
        raise BadFileError(f"{path.name}: binary data, not a delimited text file")
    return "text"


ZipPicker = Callable[[str, list[zipfile.ZipInfo]], list[zipfile.ZipInfo]]


def pick_text_members(
    archive_name: str, infos: list[zipfile.ZipInfo], *, suffixes=(".csv", ".txt", ".tsv")
) -> list[zipfile.ZipInfo]:
    """Default zip picker: every text member (refuse when there is none)."""
    found = [i for i in infos if not i.is_dir() and i.filename.lower().endswith(suffixes)]
    if not found:
        names = ", ".join(i.filename for i in infos[:10]) or "nothing"
        raise BadFileError(f"{archive_name}: the zip holds no CSV or text file (it holds: {names})")
    return found


@contextlib.contextmanager
def opened_sources(
    ws: Workspace,
    paths: Sequence[Path],
    picker: ZipPicker | None = pick_text_members,
    progress: Progress | None = None,
) -> Iterator[list[SourceFile]]:
    """Plain-text files for ``paths``: text files as they are, zip members streamed out.

    With ``picker=None`` the files are given as they are (a reader of its own checks them).
    """
    say = _say(progress)
    tmp = Path(tempfile.mkdtemp(dir=ws.path, prefix=".register-"))
    try:
        out: list[SourceFile] = []
        for path in paths:
            if picker is None or _sniff(path) == "text":
                out.append(SourceFile(path.name, path))
                continue
            try:
                with zipfile.ZipFile(path) as archive:
                    members = picker(path.name, archive.infolist())
                    for n, info in enumerate(members):
                        say(f"unzipping {Path(info.filename).name}")
                        target = tmp / f"{len(out)}-{n}-{Path(info.filename).name}"
                        with archive.open(info) as src, open(target, "wb") as dst:
                            shutil.copyfileobj(src, dst, 1 << 20)
                        out.append(SourceFile(f"{path.name}!{info.filename}", target))
            except zipfile.BadZipFile as exc:
                raise BadFileError(f"{path.name}: a damaged zip archive ({exc})") from None
            except (zipfile.LargeZipFile, NotImplementedError) as exc:
                raise BadFileError(f"{path.name}: cannot unzip ({exc})") from None
        yield out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# -- headers --------------------------------------------------------------------


@dataclass
class Header:
    names: list[str]  # trimmed, made unique
    raw: list[str]  # as written
    delimiter: str
    quote: str  # '"' or '' (no quoting)
    encoding: str  # what DuckDB is told: utf-8 or latin-1

    def has(self, name: str) -> bool:
        return name in self.names

    def shown(self, limit: int = 30) -> str:
        cells = [repr(r) for r in self.raw[:limit]]
        more = f" and {len(self.raw) - limit} more" if len(self.raw) > limit else ""
        return ", ".join(cells) + more


def strip_bom(text: str) -> str:
    """Remove byte-order marks, real or mis-decoded, from the start of a text."""
    while text.startswith(MANGLED_BOMS):
        text = text[len(next(b for b in MANGLED_BOMS if text.startswith(b))):]
    return text


def read_header(source: SourceFile, *, delimiters: str = ",\t;|", quoted: bool | None = None) -> Header:
    """The first line of a file: its column names, delimiter, quoting and encoding."""
    with open(source.path, "rb") as handle:
        head = handle.read(1 << 20)
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        raise BadFileError(f"{source.name}: UTF-16 text; save it as UTF-8 and load it again")
    encoding = "utf-8"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            encoding = "latin-1"
        text = head[: exc.start].decode("utf-8") if encoding == "utf-8" else head.decode("latin-1")
    line = strip_bom(text).split("\n", 1)[0].rstrip("\r")
    if not line.strip():
        raise BadFileError(f"{source.name}: the first line is blank; a register file starts with its header")
    delimiter = max(delimiters, key=line.count)
    if line.count(delimiter) == 0:
        raise BadFileError(f"{source.name}: the first line has no delimiter; not a register file "
                           f"(it reads: {line[:120]!r})")
    if quoted is None:
        quoted = '"' in line or delimiter == ","
    reader = csv.reader(io.StringIO(line), delimiter=delimiter,
                        quoting=csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE)
    raw = next(reader)
    names: list[str] = []
    for cell in raw:
        name = strip_bom(cell).strip() or f"column{len(names) + 1}"
        base, n = name, 2
        while name in names:
            name, n = f"{base}_{n}", n + 1
        names.append(name)
    return Header(names=names, raw=raw, delimiter=delimiter, quote='"' if quoted else "", encoding=encoding)


def same_headers(sources: list[SourceFile], headers: list[Header]) -> Header:
    first = headers[0]
    for source, header in zip(sources[1:], headers[1:], strict=True):
        if header.names != first.names or header.delimiter != first.delimiter:
            raise BadFileError(
                f"{source.name}: its columns differ from {sources[0].name}'s; load files of one layout together"
            )
    return first


def require_columns(source: SourceFile, header: Header, required: Sequence[str], what: str) -> None:
    missing = [c for c in required if c not in header.names]
    if missing:
        raise BadFileError(
            f"{source.name}: not {what}: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(m) for m in missing)}; the file's columns are: {header.shown()}"
        )


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


lit = sql_literal  # the registers' SQL is written with this shorter name


def read_csv_sql(sources: list[SourceFile], header: Header, *, null_padding: bool = False,
                 strict: bool = True) -> str:
    """A ``read_csv`` over the files, every column VARCHAR under its trimmed name.

    Rows the reader cannot parse are skipped and recorded (``store_rejects``), so one
    broken line does not sink a five-million-row load; ``rejected_lines`` counts them
    (call ``clear_rejects`` before the read). ``null_padding`` pads short rows with
    NULLs, and ``strict=False`` keeps rows with extra fields (the extra values dropped).
    """
    files = "[" + ", ".join(lit(str(s.path)) for s in sources) + "]"
    columns = "{" + ", ".join(f"{lit(n)}: 'VARCHAR'" for n in header.names) + "}"
    quote = lit(header.quote)
    return (
        f"read_csv({files}, header=true, auto_detect=false, delim={lit(header.delimiter)}, "
        f"quote={quote}, escape={quote}, columns={columns}, encoding={lit(header.encoding)}, "
        f"null_padding={str(null_padding).lower()}, strict_mode={str(strict).lower()}, parallel=true, "
        "store_rejects=true, "
        f"rejects_scan='_register_reject_scans', rejects_table='_register_rejects')"
    )


def clear_rejects(con: duckdb.DuckDBPyConnection) -> None:
    """Forget the lines earlier reads on this connection rejected (DuckDB appends to the tables)."""
    for table in ("_register_rejects", "_register_reject_scans"):
        con.execute(f"DROP TABLE IF EXISTS temp.{table}")


def rejected_lines(con: duckdb.DuckDBPyConnection) -> tuple[int, list[str]]:
    """How many lines the reads since ``clear_rejects`` skipped, and a note naming the first few."""
    # (a failed query would abort the load's transaction: look before reading)
    present = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name IN "
        "('_register_rejects', '_register_reject_scans')").fetchall()[0][0]
    if present < 2:
        return 0, []
    rows = con.execute(
        """SELECT s.file_path, e.line, min(e.error_type) FROM _register_rejects e
           JOIN _register_reject_scans s USING (scan_id, file_id)
           GROUP BY ALL ORDER BY s.file_path, e.line"""
    ).fetchall()
    if not rows:
        return 0, []
    first = ", ".join(f"line {line} ({why.lower()})" for _, line, why in rows[:5])
    return len(rows), [f"{len(rows):,} line(s) could not be read and were skipped: {first}"]


# -- the load ------------------------------------------------------------------


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    normalise.install_macros(con)
    postcodes.install_macros(con)
    identifiers.install_macros(con)


@dataclass
class Inserted:
    rows_loaded: int
    rows_skipped: int = 0
    vintage: str | None = None
    notes: list[str] = field(default_factory=list)


def member_id(con: duckdb.DuckDBPyConnection, name: str, *, create: bool = False) -> int | None:
    """A member's id (created when asked). Results are fetched whole: DuckDB refuses other
    work on a connection with an unfinished result."""
    rows = con.execute("SELECT member_id FROM members WHERE name = ?", [name]).fetchall()
    if rows or not create:
        return rows[0][0] if rows else None
    return con.execute("INSERT INTO members (name) VALUES (?) RETURNING member_id", [name]).fetchall()[0][0]


def _unchanged(ws: Workspace, register: str, member_id: int | None, sha: str, options: str):
    rows = ws.con.execute(
        """SELECT load_id, rows_loaded, rows_skipped, vintage, notes_json FROM register_loads
           WHERE register = ? AND member_id IS NOT DISTINCT FROM ? AND status = 'active'
             AND sha256 = ? AND options_json = ?""",
        [register, member_id, sha, options],
    ).fetchall()
    return rows[0] if rows else None


def run_load(
    ws: Workspace,
    register: str,
    paths: Sequence[Path | str],
    *,
    prepare: Callable[[list[SourceFile]], object],
    insert: Callable[[duckdb.DuckDBPyConnection, object, int], Inserted],
    clear: Callable[[duckdb.DuckDBPyConnection], None],
    picker: ZipPicker | None = pick_text_members,
    member: str | None = None,
    options: dict | None = None,
    force: bool = False,
    progress: Progress | None = None,
    vintage_from_name: Callable[[str], str | None] | None = None,
) -> LoadResult:
    """Load one register in one transaction (see the module docstring)."""
    say = _say(progress)
    started = time.monotonic()
    paths = check_paths(paths)
    names = [p.name for p in paths]
    options_json = json.dumps(options or {}, sort_keys=True)
    mid = member_id(ws.con, member) if member else None
    say("checking")
    sha, size = files_sha256(paths)
    if not force and (member is None or mid is not None):
        same = _unchanged(ws, register, mid, sha, options_json)
        if same:
            load_id, rows, skipped, vintage, notes = same
            return LoadResult(register, "unchanged", load_id, names, rows, skipped or 0, member, vintage,
                              ["already loaded: identical file, nothing changed"],
                              round(time.monotonic() - started, 3))
    install_macros(ws.con)
    with opened_sources(ws, paths, picker, progress) as sources:
        say("reading the header")
        plan = prepare(sources)
        say("loading")
        with ws.transaction() as con:
            if member and mid is None:
                mid = member_id(con, member, create=True)
            previous = [r[0] for r in con.execute(
                "SELECT load_id FROM register_loads WHERE register = ? AND member_id IS NOT DISTINCT FROM ? "
                "AND status = 'active'", [register, mid]).fetchall()]
            load_id = con.execute("SELECT nextval('register_load_id_seq')").fetchall()[0][0]
            clear(con)
            clear_rejects(con)
            done = insert(con, plan, load_id)
            vintage = done.vintage
            if vintage is None and vintage_from_name:
                vintage = next((v for v in (vintage_from_name(s.name) for s in sources) if v), None)
            con.execute(
                """INSERT INTO register_loads (load_id, register, member_id, file_name, source_files, sha256,
                       size_bytes, rows_loaded, rows_skipped, vintage, options_json, notes_json, status, seconds)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?)""",
                [load_id, register, mid, ", ".join(names), [s.name for s in sources], sha, size,
                 done.rows_loaded, done.rows_skipped, vintage, options_json, json.dumps(done.notes),
                 round(time.monotonic() - started, 3)],
            )
            if previous:
                con.execute(
                    "UPDATE register_loads SET status = 'replaced', replaced_by = ? WHERE load_id IN "
                    f"({', '.join('?' * len(previous))})", [load_id, *previous],
                )
    return LoadResult(
        register=register, status="replaced" if previous else "loaded", load_id=load_id, files=names,
        rows_loaded=done.rows_loaded, rows_skipped=done.rows_skipped, member=member, vintage=vintage,
        notes=done.notes, seconds=round(time.monotonic() - started, 3), replaced_loads=previous,
    )


# -- status ---------------------------------------------------------------------

# register -> the table its rows are in
TABLES = {
    "companies-house": "companies",
    "charities": "charities",
    "postcodes": "postcodes",
    "suppliers": "member_suppliers",
}


def register_status(ws: Workspace, *, include_replaced: bool = False) -> list[dict]:
    """The loads in the workspace, newest first per register (active ones only by default)."""
    exists = ws.con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'register_loads'").fetchall()[0][0]
    if not exists:
        return []  # a workspace opened read-only before its registers migration ran: nothing loaded
    rows = ws.con.execute(
        f"""SELECT l.load_id, l.register, m.name, l.file_name, l.source_files, l.sha256, l.size_bytes,
                   l.rows_loaded, l.rows_skipped, l.vintage, l.options_json, l.notes_json, l.status,
                   l.replaced_by, l.loaded_at, l.seconds
            FROM register_loads l LEFT JOIN members m ON m.member_id = l.member_id
            {'' if include_replaced else "WHERE l.status = 'active'"}
            ORDER BY l.register, m.name NULLS FIRST, l.load_id DESC"""
    ).fetchall()
    out = []
    for (load_id, register, member, file_name, sources, sha, size, rows_loaded, rows_skipped, vintage,
         options, notes, status, replaced_by, loaded_at, seconds) in rows:
        out.append({
            "load_id": load_id, "register": register, "table": TABLES.get(register), "member": member,
            "file": file_name,
            "source_files": list(sources or []), "sha256": sha, "size_bytes": size,
            "rows_loaded": rows_loaded, "rows_skipped": rows_skipped, "vintage": vintage,
            "options": json.loads(options), "notes": json.loads(notes), "status": status,
            "replaced_by": replaced_by, "loaded_at": loaded_at, "seconds": seconds,
        })
    return out
