"""Map a file's header names to anchornet's canonical fields.

One synonym table (``synonyms.yaml``) holds every spelling we know; a workspace
may extend it and a mapping file may override it for one ingest. Header names
that match no synonym exactly are tried fuzzily, so typos such as
"Organisatonal Unit" still map, and the mapping says so.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from anchornet.errors import AnchornetError

FIELDS = [
    "supplier_name",
    "amount",
    "payment_date",
    "supplier_ref",
    "category",
    "service_area",
    "expense_code",
    "transaction_ref",
    "capital_revenue",
    "body",
    "vat_number",
    "irrecoverable_vat",
    "merchant_category",
    "supplier_type",
]
REQUIRED = ("supplier_name", "amount")
FUZZY_CUTOFF = 0.88


def normalise_header(name: str | None) -> str:
    text = (name or "").lower().replace("&", " and ").replace("£", " ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def load_synonyms(extra: Path | None = None) -> dict[str, list[str]]:
    """The built-in table, extended by a workspace's own ``synonyms.yaml``."""
    text = resources.files("anchornet.ingest").joinpath("synonyms.yaml").read_text("utf-8")
    table = {k: [normalise_header(s) for s in v] for k, v in yaml.safe_load(text).items()}
    if extra is not None and extra.exists():
        user = _read_yaml(extra)
        for key, names in (user or {}).items():
            _check_field(key, extra)
            names = [names] if isinstance(names, str) else list(names or [])
            # The user's spellings come first: they win over built-in ones.
            table[key] = [normalise_header(n) for n in names] + table.get(key, [])
    return table


def _read_yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise AnchornetError(f"cannot read {path}: {exc}") from None


def _check_field(key: str, path: Path) -> None:
    if key not in FIELDS:
        raise AnchornetError(
            f"{path}: unknown field {key!r}; fields are: {', '.join(FIELDS)}"
        )


@dataclass
class MappingFile:
    """A user's mapping for one ingest: which column holds which field, and more."""

    columns: dict[str, str] = field(default_factory=dict)  # field -> header name
    header_line: int | None = None
    kind: str | None = None  # payments | supplier_totals
    date_order: str | None = None  # dmy | mdy
    source: str = ""

    @classmethod
    def load(cls, path: Path) -> MappingFile:
        data = _read_yaml(path) or {}
        if not isinstance(data, dict):
            raise AnchornetError(f"{path}: a mapping file is a YAML mapping (see docs/mapping.md)")
        columns = data.get("columns", {}) or {}
        if not isinstance(columns, dict):
            raise AnchornetError(f"{path}: 'columns' must map fields to header names")
        for key in columns:
            _check_field(key, path)
        kind = data.get("kind")
        if kind not in (None, "payments", "supplier_totals"):
            raise AnchornetError(f"{path}: kind must be 'payments' or 'supplier_totals'")
        order = data.get("date_order")
        if order not in (None, "dmy", "mdy"):
            raise AnchornetError(f"{path}: date_order must be 'dmy' or 'mdy'")
        header_line = data.get("header_line")
        if header_line is not None and (not isinstance(header_line, int) or header_line < 1):
            raise AnchornetError(f"{path}: header_line must be a line number (1 or more)")
        return cls(
            columns={k: str(v) for k, v in columns.items()},
            header_line=header_line,
            kind=kind,
            date_order=order,
            source=path.read_text(encoding="utf-8"),
        )


@dataclass
class ColumnMap:
    header: list[str]  # the header cells as written
    fields: dict[str, int]  # canonical field -> column index
    how: dict[str, str]  # canonical field -> "synonym" | "fuzzy" | "mapping"
    notes: list[str] = field(default_factory=list)

    @property
    def width(self) -> int:
        last = max((i for i, h in enumerate(self.header) if h and h.strip()), default=-1)
        return max(last + 1, max(self.fields.values(), default=-1) + 1)

    def describe(self) -> dict[str, str]:
        return {f: self.header[i].strip() for f, i in self.fields.items()}


def _match(
    name: str, synonyms: dict[str, list[str]], fuzzy: bool = True
) -> tuple[str, int, str] | None:
    """Best field for one header: (field, priority, how); lower priority wins."""
    norm = normalise_header(name)
    if not norm:
        return None
    for key, names in synonyms.items():
        if norm in names:
            return key, names.index(norm), "synonym"
    if not fuzzy or len(norm) < 5:
        return None
    candidates = {c: (key, rank) for key, names in synonyms.items()
                  for rank, c in enumerate(names) if len(c) >= 5}
    close = difflib.get_close_matches(norm, list(candidates), n=1, cutoff=FUZZY_CUTOFF)
    if close:
        key, rank = candidates[close[0]]
        return key, 1000 + rank, "fuzzy"
    return None


def map_header(
    header: list[str], synonyms: dict[str, list[str]], mapping: MappingFile | None = None
) -> ColumnMap:
    cells = [(h or "") for h in header]
    fields: dict[str, int] = {}
    how: dict[str, str] = {}
    notes: list[str] = []
    taken: set[int] = set()
    if mapping:
        normalised = [normalise_header(c) for c in cells]
        for key, name in mapping.columns.items():
            target = normalise_header(name)
            if target not in normalised:
                raise AnchornetError(
                    f"the mapping names column {name!r} for {key}, but the header has: "
                    + ", ".join(repr(c.strip()) for c in cells if c.strip())
                )
            fields[key] = normalised.index(target)
            how[key] = "mapping"
            taken.add(fields[key])
    ranked: dict[str, tuple[int, int, str]] = {}
    for index, name in enumerate(cells):
        if index in taken:
            continue
        found = _match(name, synonyms)
        if not found:
            continue
        key, priority, kind = found
        if key in fields:
            continue
        if key in ranked:
            current = ranked[key]
            if (priority, index) < (current[0], current[1]):
                notes.append(
                    f"column {cells[current[1]].strip()!r} also looks like {key}; "
                    f"{name.strip()!r} was used"
                )
                ranked[key] = (priority, index, kind)
            else:
                notes.append(
                    f"column {name.strip()!r} also looks like {key}; "
                    f"{cells[current[1]].strip()!r} was used"
                )
            continue
        ranked[key] = (priority, index, kind)
    for key, (_, index, kind) in ranked.items():
        fields[key] = index
        how[key] = kind
        if kind == "fuzzy":
            notes.append(f"column {cells[index].strip()!r} read as {key} (close spelling)")
    return ColumnMap(header=cells, fields=fields, how=how, notes=notes)


def header_score(cells: list[str], synonyms: dict[str, list[str]]) -> int:
    """How many distinct canonical fields a candidate header row names."""
    keys = set()
    for cell in cells:
        if cell and len(cell) <= 60:
            found = _match(cell, synonyms, fuzzy=False)
            if found:
                keys.add(found[0])
    bonus = sum(1 for k in REQUIRED if k in keys)
    return len(keys) + bonus


def find_header(
    preview: list[tuple[int, list[str]]],
    synonyms: dict[str, list[str]],
    mapping: MappingFile | None = None,
) -> tuple[int, list[str]] | None:
    """The header row among the first records: the one naming the most fields."""
    if mapping and mapping.header_line:
        for line, cells in preview:
            if line == mapping.header_line:
                return line, cells
        return None
    if mapping and mapping.columns:
        wanted = {normalise_header(v) for v in mapping.columns.values()}
        for line, cells in preview[:50]:
            if wanted <= {normalise_header(c) for c in cells}:
                return line, cells
    best = None
    for line, cells in preview[:50]:
        score = header_score(cells, synonyms)
        if score >= 3 and (best is None or score > best[0]):
            best = (score, line, cells)
    return (best[1], best[2]) if best else None
