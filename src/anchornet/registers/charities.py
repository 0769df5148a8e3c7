"""The Charity Commission for England and Wales register extract (``publicextract.charity``).

Published daily as ``publicextract.charity.zip`` holding ``publicextract.charity.txt``:
tab-separated text with a header row, UTF-8 (with a byte-order mark), fields not
quoted, dates as ``yyyy-mm-dd hh:mm:ss``. One row per charity, including "linked"
charities (subsidiaries and group members, ``linked_charity_number`` > 0) that
share their main charity's number; by default only main charities
(``linked_charity_number`` = 0) are kept, ``include_linked=True`` keeps them all.

Removed charities are kept (``registration_status`` 'Removed'): past payments may
have gone to them.

Quotes are ordinary characters in this file (``Runs the "Cowley Road Carnival"``).
A line break inside a field (seen in ``charity_activities``) splits a record in
two; the first part keeps the charity (its number, name and postcode come
before the activities), the orphaned continuation is skipped and counted.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from anchornet.errors import BadFileError
from anchornet.registers.common import (
    Header,
    Inserted,
    LoadResult,
    Progress,
    SourceFile,
    q,
    read_csv_sql,
    read_header,
    rejected_lines,
    require_columns,
    run_load,
)
from anchornet.workspace import Workspace

REGISTER = "charities"
WHAT = "a Charity Commission register extract (publicextract.charity)"
MEMBER = "publicextract.charity.txt"
REQUIRED = [
    "registered_charity_number", "linked_charity_number", "charity_name", "charity_registration_status",
    "charity_contact_postcode",
]


def pick_member(archive: str, infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    files = [i for i in infos if not i.is_dir()]
    named = [i for i in files if Path(i.filename).name.lower() == MEMBER]
    if named:
        return named[:1]
    if any(Path(i.filename).name.lower().endswith(".json") for i in files):
        raise BadFileError(
            f"{archive}: this is the register in JSON; load the text extract "
            "(the publicextract.charity.zip under 'txt' on the Commission's download page)"
        )
    text = [i for i in files if i.filename.lower().endswith((".txt", ".tsv", ".csv"))]
    if len(text) == 1:
        return text
    names = ", ".join(i.filename for i in files[:10]) or "nothing"
    raise BadFileError(f"{archive}: no {MEMBER} in the zip (it holds: {names})")


def _select(header: Header, source_sql: str, load_id: int) -> str:
    def col(name: str) -> str:
        return f"nullif(trim({q(name)}), '')" if header.has(name) else "CAST(NULL AS VARCHAR)"

    lines = ", ".join(col(f"charity_contact_address{i}") for i in range(1, 6))
    return f"""
        SELECT
            CAST(number AS VARCHAR), linked, TRY_CAST({col('organisation_number')} AS BIGINT),
            reg_org_id_charity(CAST(number AS VARCHAR)),
            name, sn_name_key(name),
            {col('charity_type')}, {col('charity_registration_status')},
            reg_date({col('date_of_registration')}), reg_date({col('date_of_removal')}),
            {col('charity_reporting_status')},
            TRY_CAST(replace({col('latest_income')}, ',', '') AS DECIMAL(18, 2)),
            TRY_CAST(replace({col('latest_expenditure')}, ',', '') AS DECIMAL(18, 2)),
            reg_date({col('latest_acc_fin_period_end_date')}),
            nullif(array_to_string(list_filter([{lines}], lambda x: x IS NOT NULL), ', '), ''),
            postcode_raw, pc_normalise(postcode_raw),
            reg_company_number({col('charity_company_registration_number')}),
            TRY_CAST({col('charity_is_cio')} AS BOOLEAN),
            TRY_CAST({col('charity_insolvent')} AS BOOLEAN),
            TRY_CAST({col('charity_in_administration')} AS BOOLEAN),
            reg_date({col('date_of_extract')}),
            {load_id}
        FROM (
            SELECT *,
                TRY_CAST(trim({q('registered_charity_number')}) AS BIGINT) AS number,
                TRY_CAST(trim({q('linked_charity_number')}) AS INTEGER) AS linked,
                nullif(trim({q('charity_name')}), '') AS name,
                nullif(trim({q('charity_contact_postcode')}), '') AS postcode_raw
            FROM {source_sql}
        )
        -- a record split by a line break inside a field leaves an orphaned tail: no numbers
        WHERE number IS NOT NULL AND linked IS NOT NULL
    """


def load_charities(
    ws: Workspace,
    path: Path | str,
    *,
    include_linked: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> LoadResult:
    """Load the Charity Commission register extract (the .txt or its zip)."""

    def prepare(sources: list[SourceFile]) -> tuple[SourceFile, Header]:
        if len(sources) != 1:
            raise BadFileError("give one register extract (publicextract.charity.txt or its zip)")
        source = sources[0]
        header = read_header(source)
        require_columns(source, header, REQUIRED, WHAT)
        return source, header

    def insert(con, plan, load_id: int) -> Inserted:
        source, header = plan
        # short rows padded, long rows kept: a stray tab or line break inside the activities
        # text must not lose the charity, whose numbers, name and postcode come before it
        reader = read_csv_sql([source], header, null_padding=True, strict=False)
        total = con.execute(f"SELECT count(*) FROM {reader}").fetchall()[0][0]
        rejected, notes = rejected_lines(con)
        loaded = con.execute(f"INSERT INTO charities {_select(header, reader, load_id)}").fetchall()[0][0]
        orphans = total - loaded
        if orphans:
            notes.append(f"{orphans:,} line(s) without a charity number were skipped "
                         "(the tail of a record broken by a line break inside a field, or not a charity)")
        linked = con.execute("SELECT count(*) FROM charities WHERE load_id = ? AND linked_number <> 0",
                             [load_id]).fetchall()[0][0]
        if not include_linked and linked:
            con.execute("DELETE FROM charities WHERE load_id = ? AND linked_number <> 0", [load_id])
            notes.append(f"{linked:,} linked charities (subsidiaries and group members) left out; "
                         "--include-linked keeps them")
        rows = loaded - (0 if include_linked else linked)
        if rows == 0:
            raise BadFileError(f"{source.name}: the file has a header but no charities")
        extract = con.execute("SELECT max(date_of_extract) FROM charities WHERE load_id = ?",
                              [load_id]).fetchall()[0][0]
        return Inserted(rows_loaded=rows, rows_skipped=rejected + orphans,
                        vintage=extract.isoformat() if extract else None, notes=notes)

    return run_load(
        ws, REGISTER, [path], prepare=prepare, insert=insert,
        clear=lambda con: con.execute("DELETE FROM charities"),
        picker=pick_member, options={"include_linked": include_linked}, force=force, progress=progress,
    )
