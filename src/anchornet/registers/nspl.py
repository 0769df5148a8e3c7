"""The ONS National Statistics Postcode Lookup (NSPL) and ONS Postcode Directory (ONSPD).

Both are CSV files (inside a zip with documents and lookup tables) with one row
per UK postcode, live or terminated. Their column names change between vintages
(November 2021: ``pcds, laua, ward, lsoa11, rgn, ctry, imd, lat, long, doterm``;
2021-census vintages: ``pcd7, lad25cd, wd25cd, lsoa21cd, rgn25cd, ctry25cd,
imd20ind``; the ONSPD adds ``oslaua``/``osward`` in older and several LSOA
vintages in newer files), so columns are found by pattern, never by one
vintage's names. The postcode and the local authority district columns are
required; the rest are kept when present.

The IMD column is a rank within the postcode's own country (England, Wales,
Scotland and Northern Ireland each have their own index). The decile is
computed from the rank and the number of areas the index ranks, from
``deprivation.yaml`` (see docs/registers.md).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from anchornet.errors import BadFileError
from anchornet.registers.common import (
    Header,
    Inserted,
    LoadResult,
    Progress,
    SourceFile,
    lit,
    q,
    read_csv_sql,
    read_header,
    rejected_lines,
    run_load,
    same_headers,
)
from anchornet.workspace import Workspace

REGISTER = "postcodes"
WHAT = "an ONS postcode lookup (NSPL or ONSPD)"

# field -> (patterns, in order of preference); a pattern's group 'yy' is a two-digit
# year: among several matches of one pattern the newest year wins.
PATTERNS: dict[str, list[str]] = {
    "postcode": [r"pcds", r"pcd8", r"pcd2", r"pcd", r"pcd7", r"postcode"],
    "lad": [r"lad(?P<yy>\d{2})cd", r"laua", r"oslaua", r"lad(?P<yy>\d{2})", r"lad", r"ladcd", r"lau?a?cd"],
    "ward": [r"wd(?P<yy>\d{2})cd", r"ward", r"osward", r"wd(?P<yy>\d{2})"],
    "lsoa": [r"lsoa(?P<yy>\d{2})cd", r"lsoa(?P<yy>\d{2})", r"lsoa"],
    "country": [r"ctry(?P<yy>\d{2})cd", r"ctry", r"ctry(?P<yy>\d{2})"],
    "region": [r"rgn(?P<yy>\d{2})cd", r"rgn", r"gor", r"rgn(?P<yy>\d{2})"],
    "imd": [r"imd(?P<yy>\d{2})ind", r"imd", r"imd(?P<yy>\d{2})", r"imd(?P<yy>\d{2})rank"],
    "lat": [r"lat", r"latitude"],
    "long": [r"long", r"longitude", r"lon"],
    "introduced": [r"dointr"],
    "terminated": [r"doterm"],
}
REQUIRED = ("postcode", "lad")
COUNTRY_PREFIX = {"E": "E", "W": "W", "S": "S", "N": "N", "L": "L", "M": "M", "9": "N"}


@dataclass
class Columns:
    fields: dict[str, str]  # field -> column name in the file
    imd_edition: str | None

    def describe(self) -> str:
        return ", ".join(f"{f}={c}" for f, c in self.fields.items())


def find_columns(names: Sequence[str]) -> dict[str, str]:
    """Map the file's column names to anchornet's fields by pattern (see ``PATTERNS``)."""
    lowered = {n.strip().lower(): n for n in names}
    found: dict[str, str] = {}
    for field, patterns in PATTERNS.items():
        for pattern in patterns:
            matches = []
            for low, name in lowered.items():
                m = re.fullmatch(pattern, low)
                if m:
                    yy = m.groupdict().get("yy")
                    matches.append((int(yy) if yy else -1, name))
            if matches:
                found[field] = max(matches)[1]
                break
    return found


@lru_cache(maxsize=1)
def deprivation_editions() -> dict[str, dict[str, dict]]:
    text = resources.files("anchornet.registers").joinpath("deprivation.yaml").read_text("utf-8")
    return yaml.safe_load(text)["editions"]


def imd_edition(column: str | None) -> str | None:
    """Which set of indices an IMD column holds, from its name ('imd', 'imd20ind' → '2019')."""
    if column is None:
        return None
    m = re.fullmatch(r"imd(\d{2})?\D*", column.strip().lower())
    if not m:
        return None
    year = int(m.group(1)) if m.group(1) else 19
    return "2019" if year <= 24 else "2025"


def vintage_from_name(name: str) -> str | None:
    """``NSPL_NOV_2021_UK.csv`` → ``NSPL NOV 2021``; ``ONSPD_FEB_2026_UK.zip`` → ``ONSPD FEB 2026``."""
    m = re.search(r"(NSPL|ONSPD)\d*_([A-Z]{3})_(\d{4})", name, re.I)
    return f"{m.group(1).upper()} {m.group(2).upper()} {m.group(3)}" if m else None


def pick_members(archive: str, infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """The data file(s) of a published zip: the single UK file under Data/, else the
    per-area files of Data/multi_csv/, never the Documents/ lookups."""
    csvs = [i for i in infos if not i.is_dir() and i.filename.lower().endswith(".csv")]
    data = [i for i in csvs if "documents/" not in i.filename.lower() and "user guide" not in i.filename.lower()]
    single = [i for i in data if "multi_csv" not in i.filename.lower()]
    if single:
        return [max(single, key=lambda i: i.file_size)]
    if data:
        return sorted(data, key=lambda i: i.filename)
    names = ", ".join(i.filename for i in infos[:10]) or "nothing"
    raise BadFileError(f"{archive}: no postcode data file in the zip (it holds: {names})")


def _decile_sql(columns: Columns, rank: str, country: str) -> tuple[str, str]:
    edition = deprivation_editions().get(columns.imd_edition or "", {})
    deciles = " ".join(
        f"WHEN {lit(c)} THEN CAST(least(10, greatest(1, ceil({rank} * 10.0 / {int(v['areas'])}))) AS TINYINT)"
        for c, v in edition.items()
    )
    names = " ".join(f"WHEN {lit(c)} THEN {lit(v['index'])}" for c, v in edition.items())
    if not edition:
        return "CAST(NULL AS TINYINT)", "CAST(NULL AS VARCHAR)"
    return f"CASE {country} {deciles} END", f"CASE WHEN {rank} IS NOT NULL THEN CASE {country} {names} END END"


def _select(columns: Columns, source_sql: str, load_id: int) -> str:
    f = columns.fields

    def col(field: str) -> str:
        return f"nullif(trim({q(f[field])}), '')" if field in f else "CAST(NULL AS VARCHAR)"

    def code(field: str) -> str:  # ONS pseudo-codes (E99999999, W99999999...) mean "none"
        return f"CASE WHEN NOT regexp_matches({col(field)}, '^.99999999$') THEN {col(field)} END"

    def month(field: str) -> str:
        return f"CAST(try_strptime({col(field)}, '%Y%m') AS DATE)"

    country = (
        "CASE coalesce(left(country_code, 1), left(lad, 1)) "
        + " ".join(f"WHEN {lit(k)} THEN {lit(v)}" for k, v in COUNTRY_PREFIX.items())
        + " END"
    )
    decile, index = _decile_sql(columns, "rank", "country")
    return f"""
        SELECT postcode, pc_outward(postcode), pc_sector(postcode), pc_area(postcode),
               country, country_code, lad, ward, lsoa, region,
               rank, {decile}, {index},
               CASE WHEN lat BETWEEN 49 AND 61 THEN lat END,
               CASE WHEN lat BETWEEN 49 AND 61 THEN lon END,
               introduced, terminated, {load_id}
        FROM (
            SELECT *, {country} AS country
            FROM (
                SELECT pc_normalise({col('postcode')}) AS postcode,
                       {code('country')} AS country_code, {code('lad')} AS lad, {code('ward')} AS ward,
                       {code('lsoa')} AS lsoa, {code('region')} AS region,
                       nullif(TRY_CAST({col('imd')} AS INTEGER), 0) AS rank,
                       TRY_CAST({col('lat')} AS DOUBLE) AS lat, TRY_CAST({col('long')} AS DOUBLE) AS lon,
                       {month('introduced')} AS introduced, {month('terminated')} AS terminated
                FROM {source_sql}
            )
        )
        WHERE postcode IS NOT NULL
    """


def load_postcodes(
    ws: Workspace,
    paths: Sequence[Path | str] | Path | str,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> LoadResult:
    """Load an NSPL or ONSPD file (the CSV, several per-area CSVs, or the published zip)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]

    def prepare(sources: list[SourceFile]) -> tuple[list[SourceFile], Header, Columns]:
        headers = [read_header(s) for s in sources]
        header = same_headers(sources, headers)
        fields = find_columns(header.names)
        missing = [f for f in REQUIRED if f not in fields]
        if missing:
            wanted = {"postcode": "postcode (pcds, pcd, pcd7...)", "lad": "local authority district (laua, "
                      "oslaua, lad25cd...)"}
            raise BadFileError(
                f"{sources[0].name}: not {WHAT}: no {' or '.join(wanted[m] for m in missing)} column; "
                f"the file's columns are: {header.shown(60)}"
            )
        return sources, header, Columns(fields, imd_edition(fields.get("imd")))

    def insert(con, plan, load_id: int) -> Inserted:
        sources, header, columns = plan
        reader = read_csv_sql(sources, header)
        total = con.execute(f"SELECT count(*) FROM {reader}").fetchall()[0][0]
        rejected, notes = rejected_lines(con)
        loaded = con.execute(f"INSERT INTO postcodes {_select(columns, reader, load_id)}").fetchall()[0][0]
        if loaded == 0:
            raise BadFileError(f"{sources[0].name}: no postcodes in the file")
        bad = total - loaded
        if bad:
            notes.append(f"{bad:,} row(s) whose postcode is not a UK postcode's shape were skipped")
        notes.append(f"columns used: {columns.describe()}")
        notes.extend(_check_deciles(con, load_id, columns))
        return Inserted(rows_loaded=loaded, rows_skipped=rejected + bad, notes=notes)

    def vintage(name: str) -> str | None:
        return vintage_from_name(name)

    return run_load(
        ws, REGISTER, paths, prepare=prepare, insert=insert,
        clear=lambda con: con.execute("DELETE FROM postcodes"),
        picker=pick_members, force=force, progress=progress, vintage_from_name=vintage,
    )


def _check_deciles(con, load_id: int, columns: Columns) -> list[str]:
    """Leave deciles unknown for a country whose ranks exceed its index's area count."""
    if "imd" not in columns.fields:
        return ["no IMD column: deprivation deciles are unknown"]
    edition = deprivation_editions().get(columns.imd_edition or "", {})
    notes = []
    for country, max_rank in con.execute(
        "SELECT country, max(imd_rank) FROM postcodes WHERE load_id = ? AND imd_rank IS NOT NULL GROUP BY ALL",
        [load_id],
    ).fetchall():
        spec = edition.get(country)
        if spec and max_rank > spec["areas"]:
            con.execute(
                "UPDATE postcodes SET imd_decile = NULL, imd_index = NULL WHERE load_id = ? AND country = ?",
                [load_id, country],
            )
            notes.append(
                f"country {country}: IMD ranks go up to {max_rank:,}, more than the {spec['areas']:,} areas of "
                f"{spec['index']}; its deciles are left unknown (add the right index to deprivation.yaml)"
            )
    return notes
