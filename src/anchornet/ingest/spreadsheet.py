"""Read XLSX, legacy XLS and ODS workbooks with calamine (Rust), every sheet.

Cells become text in one canonical form so that one set of SQL rules parses
every format: real spreadsheet dates as ISO dates, numbers without float noise.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import python_calamine as calamine

from anchornet.errors import BadFileError
from anchornet.ingest.parts import PREVIEW_RECORDS, Part, records_table


def cell_text(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)  # shortest round-trip form; amounts are rounded to pence later
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()  # a time with no day: a placeholder date
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def read_workbook(path: Path) -> list[Part]:
    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError:
        raise BadFileError(f"{path.name}: the workbook is password protected") from None
    except Exception as exc:  # calamine raises several types for damaged files
        raise BadFileError(f"{path.name}: cannot read the workbook ({exc})") from None
    parts = []
    for name in workbook.sheet_names:
        try:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:
            raise BadFileError(f"{path.name}: cannot read sheet {name!r} ({exc})") from None
        records = []
        blank = 0
        for index, row in enumerate(rows, 1):
            cells = [cell_text(v) for v in row]
            if all(c is None or not c.strip() for c in cells):
                blank += 1
                continue
            while cells and cells[-1] is None:
                cells.pop()
            records.append((index, cells))
        width = max((len(c) for _, c in records), default=0)
        parts.append(
            Part(
                sheet=name,
                lines_total=len(rows),
                width=width,
                preview=[(line, [c or "" for c in cells]) for line, cells in records[:PREVIEW_RECORDS]],
                blank_lines_outside=blank,
                table=records_table(records, width),
            )
        )
    if not parts:
        raise BadFileError(f"{path.name}: the workbook has no sheets")
    return parts
