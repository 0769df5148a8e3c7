"""The rules that turn cell text into amounts, dates and flags, as DuckDB macros.

They run inside the load query, so a million rows parse at the speed of the
database engine. Each rule lives here once; tests call the same macros.
"""

from __future__ import annotations

import duckdb

from anchornet.sqltext import sql_literal

# Dates before 1901 or after 2099 are placeholders a system wrote for "no date"
# (Excel day 0 and day 1, 01/01/1900, 31/12/9999), never a payment day.
EARLIEST_DATE = "1901-01-01"
LATEST_DATE = "2099-12-31"

# Two-digit-year formats come before their four-digit twins, and ISO after dd-mm-yy:
# '%Y' would read the '23' of 01/04/23 (or the '21' of 21-04-23) as a year, while
# '%y' cannot read 2023 (it leaves '23' over) and '%d' cannot read 2023-04-21.
DAY_FIRST_FORMATS = [
    "%d/%m/%y", "%d/%m/%Y", "%d-%m-%y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%y", "%d.%m.%Y",
    "%d-%b-%y", "%d-%b-%Y", "%d %b %y", "%d %b %Y", "%d %B %y", "%d %B %Y", "%d-%B-%y", "%d-%B-%Y",
    "%Y/%m/%d", "%d %b, %Y", "%d %B, %Y", "%A %d %B %Y", "%a %d %b %Y", "%Y%m%d",
]
MONTH_FIRST_FORMATS = [
    f.replace("%d/%m", "%m/%d").replace("%d-%m", "%m-%d").replace("%d.%m", "%m.%d")
    for f in DAY_FIRST_FORMATS
]
MONTH_FORMATS = ["%b %y", "%b %Y", "%B %y", "%B %Y", "%b-%y", "%b-%Y", "%B-%y", "%B-%Y",
                 "%Y-%m", "%m/%Y", "%Y/%m"]


def _sql_list(items: list[str]) -> str:
    return "[" + ", ".join(sql_literal(i) for i in items) + "]"


MACROS = rf"""
-- cell text, trimmed, with blanks as NULL
CREATE OR REPLACE TEMP MACRO an_clean(s) AS nullif(trim(s, ' ' || chr(9) || chr(160) || chr(13) || chr(10)), '');
-- the same, for a file known to hold no tab, no-break space or stray carriage return
-- (the reader checks): trimming spaces alone is then exactly an_clean, at half the cost
CREATE OR REPLACE TEMP MACRO an_clean_spaces(s) AS nullif(trim(s), '');

-- amounts: £, spaces and thousands separators; credits as -x, x-, (x) or x CR.
-- A comma is a thousands separator only in groups of three digits (1,234,567.89);
-- '1234,56' and '1.234,56' use a decimal comma; any other comma makes it not a number.
CREATE OR REPLACE TEMP MACRO an_amount_core(s) AS
    regexp_replace(upper(an_clean(s)), '[£$€\s"]|GBP', '', 'g');
CREATE OR REPLACE TEMP MACRO an_amount_negative(c) AS
    (c LIKE '(%)' OR c LIKE '-%' OR c LIKE '%-' OR c LIKE '%CR' OR c LIKE '%DR-');
CREATE OR REPLACE TEMP MACRO an_amount_unsigned(c) AS
    regexp_replace(c, '^\(|\)$|^-|-$|CR$', '', 'g');
CREATE OR REPLACE TEMP MACRO an_amount_digits(d) AS
    CASE
        WHEN NOT contains(d, ',') THEN d
        WHEN regexp_full_match(d, '[0-9]{{1,3}}(,[0-9]{{3}})+(\.[0-9]*)?') THEN replace(d, ',', '')
        WHEN regexp_full_match(d, '[0-9]+,[0-9]{{1,2}}') THEN replace(d, ',', '.')
        WHEN regexp_full_match(d, '[0-9]{{1,3}}(\.[0-9]{{3}})+,[0-9]{{1,2}}')
            THEN replace(replace(d, '.', ''), ',', '.')
    END;
CREATE OR REPLACE TEMP MACRO an_amount_value(d) AS
    CASE
        WHEN regexp_full_match(d, '[0-9]+(\.[0-9]*)?|\.[0-9]+') THEN TRY_CAST(d AS DECIMAL(38, 10))
        WHEN regexp_full_match(d, '[0-9]+(\.[0-9]*)?[eE][+-]?[0-9]+')
            THEN TRY_CAST(TRY_CAST(d AS DOUBLE) AS DECIMAL(38, 10))
    END;
-- amounts beyond DECIMAL(18, 2) give NULL (the row is quarantined), never an error
CREATE OR REPLACE TEMP MACRO an_amount(s) AS
    TRY_CAST(round(
        CASE WHEN an_amount_negative(an_amount_core(s)) THEN -1 ELSE 1 END
        * an_amount_value(an_amount_digits(an_amount_unsigned(an_amount_core(s)))), 2) AS DECIMAL(18, 2));

-- dates: drop a time of day, then try the day-first (UK) or month-first formats
CREATE OR REPLACE TEMP MACRO an_date_text(s) AS
    regexp_replace(an_clean(s), '[ T][0-9]{{1,2}}:[0-9]{{2}}(:[0-9]{{2}}(\.[0-9]+)?)?\s*(AM|PM|am|pm)?$', '');
CREATE OR REPLACE TEMP MACRO an_is_time_only(s) AS
    regexp_full_match(an_clean(s), '[0-9]{{1,2}}:[0-9]{{2}}(:[0-9]{{2}}(\.[0-9]+)?)?');
CREATE OR REPLACE TEMP MACRO an_excel_serial(s) AS
    CASE WHEN regexp_full_match(an_clean(s), '[0-9]{{5}}(\.[0-9]+)?')
         THEN CAST(DATE '1899-12-30' + CAST(floor(CAST(an_clean(s) AS DOUBLE)) AS INTEGER) AS DATE) END;
CREATE OR REPLACE TEMP MACRO an_date_any(s, month_first) AS
    coalesce(
        CAST(CASE WHEN month_first
                  THEN try_strptime(an_date_text(s), {_sql_list(MONTH_FIRST_FORMATS)})
                  ELSE try_strptime(an_date_text(s), {_sql_list(DAY_FIRST_FORMATS)}) END AS DATE),
        an_excel_serial(s));
CREATE OR REPLACE TEMP MACRO an_month(s) AS
    CAST(try_strptime(an_clean(s), {_sql_list(MONTH_FORMATS)}) AS DATE);
-- a placeholder, given the text and the date it reads as (d = an_date_any(s, ...))
CREATE OR REPLACE TEMP MACRO an_is_placeholder(s, d) AS
    an_clean(s) IS NOT NULL AND coalesce(
        an_is_time_only(s)
        OR regexp_full_match(an_date_text(s), '0+([/.-]0+)*')
        OR d < DATE '{EARLIEST_DATE}'
        OR d > DATE '{LATEST_DATE}', false);
CREATE OR REPLACE TEMP MACRO an_is_placeholder_date(s, month_first) AS
    an_is_placeholder(s, an_date_any(s, month_first));
CREATE OR REPLACE TEMP MACRO an_date(s, month_first) AS
    CASE WHEN NOT an_is_placeholder_date(s, month_first) THEN an_date_any(s, month_first) END;

-- payees
CREATE OR REPLACE TEMP MACRO an_is_redacted(name) AS
    regexp_matches(lower(coalesce(name, '')), 'redact|personal data|withheld|not disclosed|data protection');
CREATE OR REPLACE TEMP MACRO an_looks_individual(name) AS
    regexp_matches(upper(coalesce(name, '')), '^(MR|MRS|MS|MISS|MX|DR|REV|SIR|LADY)\.?\s+[A-Z]');
"""


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(MACROS)
