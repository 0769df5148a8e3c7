"""Registration numbers and org-ids, as DuckDB SQL macros (one place for each rule).

- ``reg_company_number(x)``: a Companies House number in its published 8-character
  form. Digits are zero-padded (``'2535986'`` → ``'02535986'``, as spreadsheets drop
  the zeros); a two-letter prefix keeps its letters and pads the digits
  (``'SC 12345'`` → ``'SC012345'``); registered-society numbers such as
  ``'IP29627R'`` are kept. Anything else (``'Various'``, ``'N/A'``) is NULL.
- ``reg_charity_number(x)``: a Charity Commission for England and Wales number
  (digits, no leading zeros); a linked-charity suffix (``'1100001-1'``) is dropped.
- ``reg_org_id_company(x)`` / ``reg_org_id_charity(x)``: 360Giving / org-id.guide
  identifiers, ``GB-COH-02535986`` and ``GB-CHC-1100001``.
- ``reg_date(x)``: a date written ``dd/mm/yyyy`` (Companies House) or ISO
  ``yyyy-mm-dd`` with or without a time (Charity Commission); NULL otherwise.
- ``reg_flag(x)``: yes/no columns (Yes, Y, True, 1, SME, VCSE → true; No, N, False,
  0 → false; anything else, such as 'Various', → NULL).
"""

from __future__ import annotations

import duckdb

COMPANY_PREFIX = "GB-COH-"
CHARITY_PREFIX = "GB-CHC-"

MACROS = rf"""
CREATE OR REPLACE TEMP MACRO reg_compact(x) AS
    regexp_replace(regexp_replace(upper(trim(coalesce(x, ''))), '\.0+$', ''), '[\s]', '', 'g');

CREATE OR REPLACE TEMP MACRO reg_company_number_of(c) AS
    CASE
        WHEN regexp_full_match(c, '[0-9]{{1,8}}') AND c <> repeat('0', length(c)) THEN lpad(c, 8, '0')
        WHEN regexp_full_match(c, '[A-Z]{{2}}[0-9]{{1,6}}') THEN left(c, 2) || lpad(substr(c, 3), 6, '0')
        WHEN regexp_full_match(c, '[A-Z]{{2}}[0-9]{{5}}R') THEN c
    END;

CREATE OR REPLACE TEMP MACRO reg_company_number(x) AS reg_company_number_of(reg_compact(x));

CREATE OR REPLACE TEMP MACRO reg_charity_number(x) AS
    CAST(TRY_CAST(nullif(regexp_extract(reg_compact(x), '^([0-9]{{5,8}})(-[0-9]+)?$', 1), '') AS BIGINT)
         AS VARCHAR);

CREATE OR REPLACE TEMP MACRO reg_org_id_company(x) AS '{COMPANY_PREFIX}' || reg_company_number(x);
CREATE OR REPLACE TEMP MACRO reg_org_id_charity(x) AS '{CHARITY_PREFIX}' || reg_charity_number(x);

CREATE OR REPLACE TEMP MACRO reg_date(x) AS
    CAST(coalesce(
        try_strptime(trim(x), '%d/%m/%Y'),
        try_strptime(left(trim(x), 10), '%Y-%m-%d')) AS DATE);

CREATE OR REPLACE TEMP MACRO reg_flag(x) AS
    CASE
        WHEN upper(trim(x)) IN ('YES', 'Y', 'TRUE', 'T', '1', 'SME', 'VCSE') THEN true
        WHEN upper(trim(x)) IN ('NO', 'N', 'FALSE', 'F', '0', 'NON-SME', 'NON SME') THEN false
    END;
"""


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(MACROS)


def _one(sql: str, value):
    con = duckdb.connect()
    install_macros(con)
    try:
        return con.execute(sql, [value]).fetchall()[0][0]
    finally:
        con.close()


def company_number(value: str | None) -> str | None:
    return _one("SELECT reg_company_number(?)", value)


def charity_number(value: str | None) -> str | None:
    return _one("SELECT reg_charity_number(?)", value)


def org_id(kind: str, number: str | None) -> str | None:
    """``org_id('company', '2535986')`` → ``'GB-COH-02535986'``; kind is company or charity."""
    if kind not in ("company", "charity"):
        raise ValueError("kind is 'company' or 'charity'")
    return _one(f"SELECT reg_org_id_{kind}(?)", number)
