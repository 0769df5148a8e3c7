"""Companies House "Free Company Data Product": the BasicCompanyData CSV (or its zip).

Published monthly as one file (``BasicCompanyDataAsOneFile-YYYY-MM-01.zip``, about
5 million rows) or in parts (``BasicCompanyData-YYYY-MM-01-partN_M.zip``); give
all the parts in one command to load them together. The header has leading spaces
on some names (``" CompanyNumber"``, ``" RegAddress.AddressLine2"``); names are
trimmed before use. Dates are ``dd/mm/yyyy``; SIC codes are written
``'62020 - Information technology consultancy activities'`` in
``SICCode.SicText_1`` to ``_4`` (``'None Supplied'`` when there is none).

The whole file is read by DuckDB's parallel CSV reader and inserted by one SQL
statement; the name key (``sn_name_key``), postcode and size band are computed in
that statement. Python never holds the rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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
    pick_text_members,
    q,
    read_csv_sql,
    read_header,
    rejected_lines,
    require_columns,
    run_load,
    same_headers,
)
from anchornet.workspace import Workspace

REGISTER = "companies-house"
WHAT = "a Companies House BasicCompanyData file"
REQUIRED = [
    "CompanyName", "CompanyNumber", "RegAddress.AddressLine1", "RegAddress.PostTown", "RegAddress.PostCode",
    "CompanyCategory", "CompanyStatus", "IncorporationDate", "Accounts.AccountCategory", "SICCode.SicText_1",
]
OPTIONAL = [
    "RegAddress.AddressLine2", "RegAddress.County", "RegAddress.Country", "CountryOfOrigin", "DissolutionDate",
    "Accounts.LastMadeUpDate", "SICCode.SicText_2", "SICCode.SicText_3", "SICCode.SicText_4", "URI",
] + [f"PreviousName_{i}.CompanyName" for i in range(1, 11)]
SIZE_BANDS = ("micro", "small", "medium", "large", "dormant", "unknown")
# The header line exactly as Companies House publishes it (leading spaces included), for
# those who write files in the published layout: test fixtures, the demo, benchmarks.
PUBLISHED_HEADER = (
    "CompanyName, CompanyNumber,RegAddress.CareOf,RegAddress.POBox,RegAddress.AddressLine1, "
    "RegAddress.AddressLine2,RegAddress.PostTown,RegAddress.County,RegAddress.Country,RegAddress.PostCode,"
    "CompanyCategory,CompanyStatus,CountryOfOrigin,DissolutionDate,IncorporationDate,Accounts.AccountRefDay,"
    "Accounts.AccountRefMonth,Accounts.NextDueDate,Accounts.LastMadeUpDate,Accounts.AccountCategory,"
    "Returns.NextDueDate,Returns.LastMadeUpDate,Mortgages.NumMortCharges,Mortgages.NumMortOutstanding,"
    "Mortgages.NumMortPartSatisfied,Mortgages.NumMortSatisfied,SICCode.SicText_1,SICCode.SicText_2,"
    "SICCode.SicText_3,SICCode.SicText_4,LimitedPartnerships.NumGenPartners,LimitedPartnerships.NumLimPartners,"
    "URI,PreviousName_1.CONDATE, PreviousName_1.CompanyName, PreviousName_2.CONDATE, PreviousName_2.CompanyName,"
    "PreviousName_3.CONDATE, PreviousName_3.CompanyName,PreviousName_4.CONDATE, PreviousName_4.CompanyName,"
    "PreviousName_5.CONDATE, PreviousName_5.CompanyName,PreviousName_6.CONDATE, PreviousName_6.CompanyName,"
    "PreviousName_7.CONDATE, PreviousName_7.CompanyName,PreviousName_8.CONDATE, PreviousName_8.CompanyName,"
    "PreviousName_9.CONDATE, PreviousName_9.CompanyName,PreviousName_10.CONDATE, PreviousName_10.CompanyName,"
    "ConfStmtNextDueDate, ConfStmtLastMadeUpDate"
)


@lru_cache(maxsize=1)
def size_band_table() -> dict[str, str]:
    """Account category (upper case) → size band, from ``size_bands.yaml``."""
    text = resources.files("anchornet.registers").joinpath("size_bands.yaml").read_text("utf-8")
    table: dict[str, str] = {}
    for band, categories in (yaml.safe_load(text) or {}).items():
        if band not in SIZE_BANDS:
            raise ValueError(f"size_bands.yaml: unknown band {band!r}")
        for category in categories or []:
            table[str(category).strip().upper()] = band
    return table


def size_band_sql(expr: str) -> str:
    cases = " ".join(f"WHEN {lit(cat)} THEN {lit(band)}" for cat, band in size_band_table().items())
    return f"CASE upper(trim({expr})) {cases} ELSE 'unknown' END"


def size_band(account_category: str | None) -> str:
    return size_band_table().get((account_category or "").strip().upper(), "unknown")


def vintage_from_name(name: str) -> str | None:
    """``BasicCompanyDataAsOneFile-2024-05-01.zip`` → ``2024-05-01``."""
    m = re.search(r"BasicCompanyData\w*-(\d{4}-\d{2}-\d{2})", name, re.I)
    return m.group(1) if m else None


def _col(header: Header, name: str) -> str:
    """The column, or NULL when this (optional) column is absent."""
    return q(name) if header.has(name) else "CAST(NULL AS VARCHAR)"


def _select(header: Header, source_sql: str, load_id: int) -> str:
    def txt(name: str) -> str:
        return f"nullif(trim({_col(header, name)}), '')"

    sics = ", ".join(txt(f"SICCode.SicText_{i}") for i in range(1, 5))
    previous = ", ".join(txt(f"PreviousName_{i}.CompanyName") for i in range(1, 11))
    return f"""
        SELECT
            upper(trim({q('CompanyNumber')})) AS company_number,
            name, sn_name_key(name),
            {txt('RegAddress.AddressLine1')}, {txt('RegAddress.AddressLine2')}, {txt('RegAddress.PostTown')},
            {txt('RegAddress.County')}, {txt('RegAddress.Country')},
            postcode_raw, pc_normalise(postcode_raw),
            {txt('CompanyCategory')}, {txt('CompanyStatus')}, {txt('CountryOfOrigin')},
            reg_date({_col(header, 'IncorporationDate')}), reg_date({_col(header, 'DissolutionDate')}),
            account_category, {size_band_sql('account_category')},
            reg_date({_col(header, 'Accounts.LastMadeUpDate')}),
            list_transform(sics, lambda x: regexp_extract(x, '^([0-9]{{4,5}})', 1)),
            list_transform(sics, lambda x: trim(regexp_extract(x, '^[0-9]{{4,5}}\\s*-\\s*(.*)$', 1))),
            {txt('URI')},
            CASE WHEN len(previous) > 0 THEN previous END,
            {load_id}
        FROM (
            SELECT *,
                nullif(trim({q('CompanyName')}), '') AS name,
                nullif(trim({q('RegAddress.PostCode')}), '') AS postcode_raw,
                nullif(trim({q('Accounts.AccountCategory')}), '') AS account_category,
                list_filter([{sics}], lambda x: regexp_matches(x, '^[0-9]{{4,5}}\\s*-')) AS sics,
                list_filter([{previous}], lambda x: x IS NOT NULL) AS previous
            FROM {source_sql}
        )
    """


def load_companies_house(
    ws: Workspace,
    paths: Sequence[Path | str] | Path | str,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> LoadResult:
    """Load the Companies House register from one file or several parts (CSV or zip)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]

    def prepare(sources: list[SourceFile]) -> tuple[list[SourceFile], Header]:
        headers = [read_header(s) for s in sources]
        for source, header in zip(sources, headers, strict=True):
            require_columns(source, header, REQUIRED, WHAT)
        return sources, same_headers(sources, headers)

    def insert(con, plan, load_id: int) -> Inserted:
        sources, header = plan
        reader = read_csv_sql(sources, header)
        loaded = con.execute(f"INSERT INTO companies {_select(header, reader, load_id)}").fetchall()[0][0]
        rejected, notes = rejected_lines(con)
        # A row without a company number cannot be linked to anything.
        blank = con.execute(
            "DELETE FROM companies WHERE load_id = ? AND (company_number IS NULL OR company_number = '')",
            [load_id],
        ).fetchall()[0][0]
        if blank:
            notes.append(f"{blank:,} row(s) without a company number were left out")
        if loaded - blank == 0:
            raise BadFileError(f"{sources[0].name}: the file has a header but no companies")
        bands = dict(con.execute(
            "SELECT size_band, count(*) FROM companies WHERE load_id = ? GROUP BY ALL", [load_id]).fetchall())
        if bands.get("unknown"):
            notes.append(f"{bands['unknown']:,} compan{'y has' if bands['unknown'] == 1 else 'ies have'} "
                         "an unknown size band (no accounts, or accounts that do not show size)")
        return Inserted(rows_loaded=loaded - blank, rows_skipped=rejected + blank, notes=notes)

    return run_load(
        ws, REGISTER, paths, prepare=prepare, insert=insert,
        clear=lambda con: con.execute("DELETE FROM companies"),
        picker=lambda name, infos: pick_text_members(name, infos, suffixes=(".csv",)),
        force=force, progress=progress, vintage_from_name=vintage_from_name,
    )
