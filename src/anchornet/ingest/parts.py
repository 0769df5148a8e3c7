"""The common shape every reader produces: a part (a sheet, or a whole text file)
whose records are rows of text cells, each with the line it starts on."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

# Extra columns read beyond the widest row seen in the preview, so that a row
# with stray extra fields is caught (and quarantined) rather than cut short.
EXTRA_COLUMNS = 16
PREVIEW_RECORDS = 200


def column_names(width: int) -> list[str]:
    return [f"c{i}" for i in range(width)]


@dataclass
class Part:
    sheet: str | None
    lines_total: int
    width: int  # number of cell columns in the source (c0..c{width-1})
    preview: list[tuple[int, list[str]]]  # the first records: (line, cells)
    blank_lines_outside: int = 0  # blank lines the reader skipped (not among records)
    continuation_lines: int = 0  # extra physical lines inside quoted fields
    table: pa.Table | None = None  # records as (line, c0..), or
    sql: str | None = None  # a query giving the same columns
    fallback: object = None  # callable giving an exact Part when the fast read is doubtful
    expected_records: int | None = None  # what the fast path must return, or use fallback
    aux_tables: dict[str, pa.Table] = field(default_factory=dict)  # tables ``sql`` joins
    spaces_only: bool = False  # no tab, no-break space or stray CR in any cell: see an_clean_spaces
    skipped_reason: str | None = None
    notes: list[str] = field(default_factory=list)


def records_table(records: list[tuple[int, list[str]]], width: int) -> pa.Table:
    """Build the (line, c0..cN) Arrow table from Python records."""
    columns: dict[str, list] = {"line": [line for line, _ in records]}
    for i in range(width):
        columns[f"c{i}"] = [cells[i] if i < len(cells) else None for _, cells in records]
    schema = pa.schema([("line", pa.int64())] + [(f"c{i}", pa.string()) for i in range(width)])
    return pa.table(columns, schema=schema)
