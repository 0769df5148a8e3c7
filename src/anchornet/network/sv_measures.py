"""Social value measure tables: versioned, loaded by the network from CSV or XLSX.

A measure set has a name and a version ("anchornet-default 2026.1") and rows (code, name,
theme, unit, description, proxy value in £ per unit). Published frameworks change their
values between editions, and some may not be redistributed, so anchornet ships only its
own small set (``social_value_measures.yaml``) with no proxy values; a network loads its
own. A loaded version never changes; the coordinator chooses which one is current;
contracts keep measure codes, and valuations say which version they used.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from decimal import Decimal
from importlib import resources
from pathlib import Path

import duckdb
import yaml

from anchornet.errors import AnchornetError
from anchornet.network import inputs
from anchornet.sqlrows import dict_rows
from anchornet.workspace import Workspace

DEFAULT_FILE = "social_value_measures.yaml"
SHIPPED = "shipped with anchornet"
REQUIRED = ("code", "name", "theme", "unit")
OPTIONAL = ("description", "proxy_value")
# header names accepted for each column (compared lower case, spaces and dashes as underscores)
SYNONYMS = {
    "code": ("code", "measure_code", "ref", "reference"),
    "name": ("name", "measure", "measure_name", "title"),
    "theme": ("theme", "category", "group"),
    "unit": ("unit", "units", "unit_of_measure"),
    "description": ("description", "definition", "notes"),
    "proxy_value": ("proxy_value", "proxy", "proxy_value_gbp", "proxy_£", "proxy_value_£", "value_per_unit",
                    "£_per_unit", "gbp_per_unit"),
}
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$")
MAX_ROWS = 2000


# -- reading and validating a table ------------------------------------------------------------------
def _column(header: str) -> str | None:
    key = re.sub(r"[\s\-]+", "_", (header or "").strip().lower()).replace("(", "").replace(")", "")
    for column, names in SYNONYMS.items():
        if key in names:
            return column
    return None


def _proxy(value, where: str) -> Decimal | None:
    """A measure's proxy value: £ per unit, 0 or more; None when the table gives none."""
    try:
        return inputs.number(value, "proxy value", places=4, hint=" (give £ per unit, e.g. 12.50, or leave it empty)")
    except AnchornetError as exc:
        raise AnchornetError(f"{where}: {exc}") from None


def validate_rows(rows: list[dict], source: str) -> list[dict]:
    """Measure rows (dicts keyed by column) checked and cleaned; every problem in one message."""
    if not rows:
        raise AnchornetError(f"{source}: no measures in the table")
    if len(rows) > MAX_ROWS:
        raise AnchornetError(f"{source}: {len(rows)} measures; at most {MAX_ROWS} are accepted")
    problems, seen, out = [], {}, []
    for i, row in enumerate(rows):
        where = f"{source}, {row.get('_line') or f'measure {i + 1}'}"
        item = {k: (str(row.get(k)).strip() if row.get(k) is not None else "") for k in (*REQUIRED, "description")}
        missing = [k for k in REQUIRED if not item[k]]
        if missing:
            problems.append(f"{where}: no {', '.join(missing)}")
            continue
        if not CODE_RE.match(item["code"]):
            problems.append(f"{where}: the code {item['code']!r} must be 1-40 letters, digits, '.', '_', '-' or '/'")
            continue
        key = item["code"].lower()
        if key in seen:
            problems.append(f"{where}: the code {item['code']!r} is already used by {seen[key]}")
            continue
        seen[key] = row.get("_line") or f"measure {i + 1}"
        try:
            item["proxy_value"] = _proxy(row.get("proxy_value"), where)
        except AnchornetError as exc:
            problems.append(str(exc))
            continue
        item["description"] = item["description"] or None
        item["position"] = i + 1
        out.append(item)
    if problems:
        shown = problems[:8] + ([f"... and {len(problems) - 8} more"] if len(problems) > 8 else [])
        raise AnchornetError("the measure table has problems: " + "; ".join(shown))
    return out


def _table_rows(header: list, body: list[tuple[int, list]], source: str) -> list[dict]:
    columns = [_column(str(h) if h is not None else "") for h in header]
    found = {c for c in columns if c}
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise AnchornetError(
            f"{source}: missing column(s) {', '.join(missing)}; the header must name code, name, theme and unit "
            f"(description and proxy_value are optional); found: {', '.join(str(h) for h in header if h) or 'none'}")
    rows = []
    for line, cells in body:
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        row = {"_line": f"line {line}"}
        for column, cell in zip(columns, cells, strict=False):
            if column and column not in row:
                row[column] = cell
        rows.append(row)
    return rows


def _read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if "\x00" in text:
        raise AnchornetError(f"{path.name}: not a text file (save the table as CSV or XLSX)")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    records = [r for r in csv.reader(io.StringIO(text), dialect)]
    lines = [(i, r) for i, r in enumerate(records, 1) if any(c.strip() for c in r)]
    if not lines:
        raise AnchornetError(f"{path.name}: the file is empty")
    (_, header), body = lines[0], lines[1:]
    return _table_rows(header, body, path.name)


def _read_xlsx(path: Path) -> list[dict]:
    import python_calamine as calamine

    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises several types for damaged files
        raise AnchornetError(f"{path.name}: cannot read the workbook ({exc})") from None
    lines = [(i, list(r)) for i, r in enumerate(rows, 1) if any(c not in (None, "") for c in r)]
    if not lines:
        raise AnchornetError(f"{path.name}: the first sheet is empty")
    (_, header), body = lines[0], lines[1:]
    body = [(i, [c if not isinstance(c, float) or not c.is_integer() else int(c) for c in r]) for i, r in body]
    return _table_rows(header, body, path.name)


def read_measure_file(path: Path | str) -> list[dict]:
    """The measures of a CSV, XLSX or YAML file, validated (clear errors for a broken file)."""
    path = Path(path)
    if not path.is_file():
        raise AnchornetError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        rows = _read_xlsx(path)
    elif suffix in (".yaml", ".yml"):
        rows = _read_yaml(path)[1]
    else:
        rows = _read_csv(path)
    return validate_rows(rows, path.name)


def _read_yaml(path: Path) -> tuple[dict, list[dict]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise AnchornetError(f"{path.name}: not valid YAML ({exc})".splitlines()[0]) from None
    if not isinstance(data, dict) or not isinstance(data.get("measures"), list):
        raise AnchornetError(f"{path.name}: expected a mapping with a list of 'measures'")
    rows = [dict(m, _line=f"measure {i}") for i, m in enumerate(data["measures"], 1) if isinstance(m, dict)]
    return data, rows


def _digest(rows: list[dict]) -> str:
    plain = [{k: (str(v) if v is not None else None) for k, v in r.items()} for r in rows]
    return hashlib.sha256(json.dumps(plain, sort_keys=True).encode()).hexdigest()


# -- the workspace's sets ----------------------------------------------------------------------------
def _clean_label(value: str, what: str) -> str:
    value = inputs.text(value, f"measure set's {what}", required=True, limit=80)
    if not re.match(r"^[\w .:/()+-]+$", value):
        raise AnchornetError(f"the {what} {value!r} must be up to 80 letters, digits, spaces or . : / ( ) + -")
    return value


def load_rows(ws: Workspace, rows: list[dict], name: str, version: str, *, source: str, by: str = "",
              make_current: bool = False) -> dict:
    """Store validated measure rows as a new version. The same rows again are a no-op; other
    rows under a version already loaded are refused (a version never changes)."""
    name, version = _clean_label(name, "name"), _clean_label(version, "version")
    digest = _digest(rows)
    existing = ws.con.execute("SELECT set_id, sha256 FROM sv_measure_sets WHERE name = ? AND version = ?",
                              [name, version]).fetchall()
    if existing:
        set_id, old = existing[0]
        if old != digest:
            raise AnchornetError(f"{name} {version} is loaded already with other values, and a loaded version "
                                 "never changes: load the file under a new --version")
        if make_current:
            use_set(ws, name, version)
        return {**measure_set(ws, set_id), "loaded": False}
    with ws.transaction():
        set_id = ws.con.execute(
            "INSERT INTO sv_measure_sets (name, version, source, sha256, loaded_by) VALUES (?, ?, ?, ?, ?) "
            "RETURNING set_id", [name, version, source, digest, by or ""]).fetchall()[0][0]
        ws.con.executemany(
            "INSERT INTO sv_measures (set_id, code, name, theme, unit, description, proxy_value, position) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [[set_id, r["code"], r["name"], r["theme"], r["unit"], r["description"], r["proxy_value"],
              r["position"]] for r in rows])
        has_current = ws.con.execute("SELECT count(*) FROM sv_measure_sets WHERE is_current").fetchall()[0][0]
        if make_current or not has_current:
            ws.con.execute("UPDATE sv_measure_sets SET is_current = (set_id = ?)", [set_id])
    return {**measure_set(ws, set_id), "loaded": True}


def load_file(ws: Workspace, path: Path | str, name: str, version: str, *, by: str = "",
              make_current: bool = False, source: str | None = None) -> dict:
    """Load a measure table from CSV or XLSX (or YAML) as ``name`` ``version``."""
    path = Path(path)
    rows = read_measure_file(path)
    ensure_default(ws)
    return load_rows(ws, rows, name, version, source=source or path.name, by=by, make_current=make_current)


def default_file() -> Path:
    return Path(str(resources.files("anchornet.network").joinpath(DEFAULT_FILE)))


def _shipped() -> tuple[str, str, list[dict]]:
    path = default_file()
    data, rows = _read_yaml(path)
    return str(data["name"]), str(data["version"]), validate_rows(rows, path.name)


def ensure_default(ws: Workspace) -> None:
    """Add the shipped set to the workspace if it is not there yet (current only when no other
    set is): cheap when it is. A read-only workspace is left as it is (see ``current_set``)."""
    name, version, rows = _shipped()
    found = ws.con.execute("SELECT count(*) FROM sv_measure_sets WHERE name = ? AND version = ?",
                           [name, version]).fetchall()[0][0]
    if not found:
        try:
            load_rows(ws, rows, name, version, source=SHIPPED, by="anchornet")
        except duckdb.Error as exc:
            if "read-only" not in str(exc):
                raise


def _unloaded_default() -> dict:
    """The shipped set as ``current_set`` describes it, for a read-only workspace that never stored it."""
    name, version, rows = _shipped()
    return {"set_id": None, "name": name, "version": version, "source": SHIPPED, "is_current": True,
            "loaded_at": None, "loaded_by": "anchornet", "measures": len(rows), "proxy_values": 0}


def measure_set(ws: Workspace, set_id: int) -> dict:
    result = ws.con.execute(
        """SELECT s.set_id, s.name, s.version, s.source, s.is_current, s.loaded_at, s.loaded_by,
                  count(m.code) AS measures, count(m.proxy_value) AS proxy_values
           FROM sv_measure_sets s LEFT JOIN sv_measures m USING (set_id)
           WHERE s.set_id = ? GROUP BY ALL""", [set_id])
    rows = dict_rows(result)
    if not rows:
        raise AnchornetError(f"there is no measure set {set_id}")
    return rows[0]


def list_sets(ws: Workspace) -> list[dict]:
    """Every loaded version, newest first, with its measure and proxy-value counts."""
    ensure_default(ws)
    result = ws.con.execute(
        """SELECT s.set_id, s.name, s.version, s.source, s.is_current, s.loaded_at, s.loaded_by,
                  count(m.code) AS measures, count(m.proxy_value) AS proxy_values
           FROM sv_measure_sets s LEFT JOIN sv_measures m USING (set_id)
           GROUP BY ALL ORDER BY s.loaded_at DESC, s.set_id DESC""")
    return dict_rows(result)


def current_set(ws: Workspace) -> dict:
    """The version in use (the shipped one until the coordinator chooses another)."""
    ensure_default(ws)
    rows = ws.con.execute("SELECT set_id FROM sv_measure_sets WHERE is_current").fetchall()
    if not rows:
        rows = ws.con.execute("SELECT min(set_id) FROM sv_measure_sets").fetchall()
        if rows[0][0] is None:  # a read-only workspace without the shipped set: nothing recorded
            return _unloaded_default()
        ws.con.execute("UPDATE sv_measure_sets SET is_current = (set_id = ?)", [rows[0][0]])  # repair
    return measure_set(ws, rows[0][0])


def find_set(ws: Workspace, name: str, version: str) -> dict:
    ensure_default(ws)
    rows = ws.con.execute("SELECT set_id FROM sv_measure_sets WHERE name = ? AND version = ?",
                          [name.strip(), version.strip()]).fetchall()
    if not rows:
        known = ", ".join(f"{s['name']} {s['version']}" for s in list_sets(ws))
        raise AnchornetError(f"no measure set {name} {version} is loaded (loaded: {known})")
    return measure_set(ws, rows[0][0])


def use_set(ws: Workspace, name: str, version: str) -> dict:
    """Make a loaded version the current one (valuations use it from now on)."""
    chosen = find_set(ws, name, version)
    ws.con.execute("UPDATE sv_measure_sets SET is_current = (set_id = ?)", [chosen["set_id"]])
    return measure_set(ws, chosen["set_id"])


def measures(ws: Workspace, set_id: int | None = None) -> list[dict]:
    """The measures of a version (the current one by default), in the file's order."""
    if set_id is None:
        set_id = current_set(ws)["set_id"]
        if set_id is None:  # read-only, never stored: the shipped file itself
            return [{k: r[k] for k in ("code", "name", "theme", "unit", "description", "proxy_value")}
                    for r in _shipped()[2]]
    else:
        measure_set(ws, set_id)  # a clear error for an unknown id
    result = ws.con.execute(
        "SELECT code, name, theme, unit, description, proxy_value FROM sv_measures WHERE set_id = ? "
        "ORDER BY position", [set_id])
    return dict_rows(result)


def current_measure(ws: Workspace, code: str) -> dict:
    """A measure of the current version by code (any case), or a clear error."""
    current = current_set(ws)
    rows = ws.con.execute(
        "SELECT code, name, theme, unit, proxy_value FROM sv_measures WHERE set_id = ? AND lower(code) = lower(?)",
        [current["set_id"], (code or "").strip()]).fetchall()
    if not rows:
        raise AnchornetError(f"no measure {code!r} in the measure set in use ({current['name']} "
                             f"{current['version']}); see `anchornet social-value measures list --measures`")
    return dict(zip(("code", "name", "theme", "unit", "proxy_value"), rows[0], strict=True)) | {
        "set_id": current["set_id"]}


# The measure each code stands for: from the current version when it has the code, else from
# the newest version that does; proxy values only from the current version.
CATALOGUE_SQL = """
    SELECT DISTINCT ON (lower(m.code)) lower(m.code) AS code_key, m.code, m.name, m.theme, m.unit, m.position,
           CASE WHEN s.is_current THEN m.proxy_value END AS proxy_value,
           s.is_current AS in_current_set
    FROM sv_measures m JOIN sv_measure_sets s USING (set_id)
    ORDER BY lower(m.code), s.is_current DESC, s.loaded_at DESC, s.set_id DESC
"""
