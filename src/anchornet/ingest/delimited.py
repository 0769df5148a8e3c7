"""Read delimited text (CSV, TSV, semicolon or pipe separated).

The fast path lets DuckDB's CSV reader parse the file in parallel and works out
each record's line number from the positions of blank lines. When the file has
line breaks inside quoted fields (or DuckDB and our line count disagree), the
exact path parses it with Python's csv module, which knows where every record
starts, and refuses broken quoting.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pyarrow as pa

from anchornet.errors import BadFileError
from anchornet.ingest.parts import EXTRA_COLUMNS, PREVIEW_RECORDS, Part, records_table
from anchornet.ingest.text import DecodedText

DELIMITERS = [",", "\t", ";", "|"]
csv.field_size_limit(1 << 30)
# Below this size Python's csv module reads the file in well under a second.
FAST_PATH_MIN_CHARS = 4_000_000


def sniff_delimiter(sample: str) -> str:
    """Pick the delimiter that splits the sample's lines most consistently."""
    lines = [line for line in sample.splitlines()[:60] if line.strip()]
    if not lines:
        return ","
    best, best_score = ",", -1.0
    for delim in DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delim))
        except csv.Error:
            continue
        widths = [len(r) for r in rows if r]
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        if common < 2:
            continue
        score = common * widths.count(common) / len(widths)
        if score > best_score:
            best, best_score = delim, score
    return best


def _blank_line_numbers(text: str) -> list[int]:
    """Physical line numbers (1-based) of empty lines."""
    blanks: list[int] = []
    if not (text.startswith(("\n", "\r\n")) or "\n\n" in text or "\n\r\n" in text):
        return blanks  # the usual case: no empty line anywhere, no need to scan
    line, last = 1, 0
    end = len(text)
    for match in re.finditer(r"^\r?$", text, re.M):
        pos = match.start()
        if pos == end and (end == 0 or text[end - 1] == "\n"):
            break  # the end of text after a final newline is not a line
        line += text.count("\n", last, pos)
        last = pos
        blanks.append(line)
    return blanks


def count_lines(text: str) -> int:
    if not text:
        return 0
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def _preview(text: str, delim: str) -> list[tuple[int, list[str]]]:
    head = text[: 1 << 20]
    cut = head.rfind("\n") if len(text) > len(head) else len(head)
    reader = csv.reader(io.StringIO(head[:cut]), delimiter=delim)
    out: list[tuple[int, list[str]]] = []
    prev = 0
    try:
        for cells in reader:
            start = prev + 1
            prev = reader.line_num
            if cells:
                out.append((start, cells))
            if len(out) >= PREVIEW_RECORDS:
                break
    except csv.Error:
        pass  # broken quoting is reported by the exact path
    return out


def read_exact(text: str, name: str, delim: str) -> Part:
    reader = csv.reader(io.StringIO(text), delimiter=delim, strict=True)
    records: list[tuple[int, list[str]]] = []
    prev = 0
    blank = 0
    continuation = 0
    try:
        for cells in reader:
            start = prev + 1  # the line this record started on
            prev = reader.line_num
            if not cells:
                blank += 1
                continue
            continuation += prev - start
            records.append((start, cells))
    except csv.Error as exc:
        raise BadFileError(
            f"{name}: broken quoting in the record that starts on line {prev + 1} ({exc}); "
            "a quoted field is not closed or has text after its closing quote"
        ) from None
    width = max((len(c) for _, c in records), default=0)
    return Part(
        sheet=None,
        lines_total=count_lines(text),
        width=width,
        preview=records[:PREVIEW_RECORDS],
        blank_lines_outside=blank,
        continuation_lines=continuation,
        table=records_table(records, width),
    )


def read_delimited(path: Path, decoded: DecodedText, work_dir: Path) -> tuple[Part, str]:
    """Return the part and the delimiter used."""
    text = decoded.text
    delim = sniff_delimiter(text[:65536])
    preview = _preview(text, delim)
    if not preview:
        raise BadFileError(f"{path.name}: the file holds no rows")
    width = max(len(c) for _, c in preview) + EXTRA_COLUMNS

    def exact() -> Part:
        return read_exact(text, path.name, delim)

    if len(text) < FAST_PATH_MIN_CHARS:
        return exact(), delim  # small files: the exact path costs next to nothing

    source = path
    if decoded.rewrite:
        source = work_dir / "utf8.csv"
        source.write_text(text, encoding="utf-8", newline="")
    blanks = _blank_line_numbers(text)
    total = count_lines(text)
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    path_sql = str(source).replace("'", "''")
    delim_sql = delim.replace("'", "''")
    # Read into a table first (in parallel, in file order); the loader numbers the
    # records by their row id, which keeps the scan parallel.
    reader = (
        f"SELECT * FROM read_csv('{path_sql}', header=false, "
        f"auto_detect=false, delim='{delim_sql}', quote='\"', escape='\"', null_padding=true, "
        f"strict_mode=false, columns={columns}, parallel=true)"
    )
    if blanks:
        shifts = pa.table(
            {"t": [b - j for j, b in enumerate(blanks, 1)], "shift": list(range(1, len(blanks) + 1))}
        )
    else:
        shifts = None
    sql = reader
    spaces_only = (
        "\xa0" not in text
        and ("\t" not in text or delim == "\t")
        and re.search(r"\r(?!\n)", text) is None
    )
    part = Part(
        sheet=None,
        lines_total=total,
        width=width,
        preview=preview,
        blank_lines_outside=len(blanks),
        spaces_only=spaces_only,
        sql=sql,
        fallback=exact,
        expected_records=total - len(blanks),
        aux_tables={"_blank_shifts": shifts} if shifts is not None else {},
    )
    return part, delim
