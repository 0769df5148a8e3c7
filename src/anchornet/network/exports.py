"""Every record of the network in one export: an XLSX workbook with a sheet per table, or
a folder of CSV files. Each kind of record says what it exports (``export_tables`` in its
module); the public edition keeps only what members agreed to publish and no person's name."""

from __future__ import annotations

import contextlib
import csv
import os
import shutil
import tempfile
from pathlib import Path

import xlsxwriter

from anchornet.errors import AnchornetError
from anchornet.reports.exports import add_table_sheet, xlsx_value
from anchornet.workspace import Workspace

FORMATS = ("xlsx", "csv")


def _modules():
    from anchornet.network import assessments, groups, members, pipeline, plans, pledges, social_value

    return [members, groups, pledges, pipeline, assessments, social_value, plans]


def network_tables(ws: Workspace, *, public: bool = False) -> dict[str, list[dict]]:
    """name -> rows, every kind of record in the order the network's pages show them."""
    tables: dict[str, list[dict]] = {}
    for module in _modules():
        for name, rows in module.export_tables(ws, public=public).items():
            if name in tables:
                raise RuntimeError(f"two kinds of record export a table named {name}")
            tables[name] = rows
    return tables


def export_network(ws: Workspace, path: Path, fmt: str | None = None, *, public: bool = False) -> dict[str, int]:
    """Write every table to ``path`` (an .xlsx file, or a folder of CSV files); returns rows
    per table. Written to a temporary name first: an interrupted export leaves nothing."""
    path = Path(path)
    fmt = fmt or ("xlsx" if path.suffix.lower() == ".xlsx" else "csv" if path.suffix == "" else None)
    if fmt not in FORMATS:
        raise AnchornetError(f"export the network's records as xlsx (a .xlsx file) or csv (a folder), not {path.name}")
    parent = path.parent
    if not parent.exists():
        raise AnchornetError(f"the folder {parent} does not exist")
    if fmt == "csv" and path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise AnchornetError(f"{path} exists and is not an empty folder: choose a new folder for the CSV files")
    tables = network_tables(ws, public=public)
    counts = {name: len(rows) for name, rows in tables.items()}
    if fmt == "xlsx":
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        try:
            _write_xlsx(tables, Path(tmp))
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    else:
        tmp_dir = Path(tempfile.mkdtemp(dir=parent, prefix=f".{path.name}."))
        try:
            for name, rows in tables.items():
                with open(tmp_dir / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
                    columns = list(dict.fromkeys(c for row in rows for c in row))
                    writer = csv.writer(handle)
                    writer.writerow(columns)
                    for row in rows:
                        writer.writerow([xlsx_value(row.get(c)) for c in columns])
            if path.exists():
                path.rmdir()
            os.replace(tmp_dir, path)
        except BaseException:
            shutil.rmtree(tmp_dir, ignore_errors=True)
            raise
    return counts


def _write_xlsx(tables: dict[str, list[dict]], target: Path) -> None:
    book = xlsxwriter.Workbook(str(target), {"strings_to_numbers": False, "strings_to_formulas": False,
                                             "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    for name, rows in tables.items():
        add_table_sheet(book, name.replace("_", " "), rows, empty="(no records)", bold=bold)
    book.close()
