"""Tell what kind of file we were given, before trying to read it."""

from __future__ import annotations

import zipfile
from pathlib import Path

from anchornet.errors import BadFileError

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
SPREADSHEET_FORMATS = ("xlsx", "xls", "ods")


def detect_format(path: Path) -> str:
    """Return ``csv``, ``xlsx``, ``xls`` or ``ods`` from the file's content, not its name."""
    with open(path, "rb") as handle:
        head = handle.read(8192)
    if not head:
        raise BadFileError(f"{path.name}: the file is empty")
    if head.startswith(OLE2_MAGIC):
        return "xls"
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "xl/workbook.xml" in names:
                    return "xlsx"
                if "mimetype" in names:
                    mime = archive.read("mimetype").decode("ascii", "replace").strip()
                    if mime == "application/vnd.oasis.opendocument.spreadsheet":
                        return "ods"
        except zipfile.BadZipFile:
            raise BadFileError(f"{path.name}: a damaged zip archive, not a spreadsheet") from None
        raise BadFileError(
            f"{path.name}: a zip archive that is not a spreadsheet (XLSX or ODS); "
            "unzip it and ingest the files inside"
        )
    if head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b")):
        raise BadFileError(f"{path.name}: not a spreadsheet or delimited text file (binary data)")
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html")):
        raise BadFileError(
            f"{path.name}: an HTML page, not a data file (was a web page saved instead of the file?)"
        )
    return "csv"
