"""Supplier-name normalisation, in one place, as DuckDB SQL macros.

The same key is computed for payment names and register names, so joining them is
an equality join. Typos are left to the matcher; this only removes what never
distinguishes two organisations: case, punctuation, ``&``/``and``, a leading
"THE", and legal-form suffixes (LTD, LIMITED, PLC, LLP, CIC, CO, ...).

Two helpers split names that carry two organisations' names:
``X T/A Y`` and ``X trading as Y`` (the legal name is X, the trading name Y), and
``BRAND (LEGAL NAME LTD)`` (the legal name is the bracketed part).
"""

from __future__ import annotations

import duckdb

# Legal-form words removed from the end of a name, longest first.
LEGAL_SUFFIXES = [
    "PUBLIC LIMITED COMPANY", "LIMITED LIABILITY PARTNERSHIP", "COMMUNITY INTEREST COMPANY",
    "CHARITABLE INCORPORATED ORGANISATION", "LIMITED PARTNERSHIP", "LIMITED", "LTD", "PLC",
    "LLP", "LP", "CIC", "CIO", "CYFYNGEDIG", "CYF", "CCC", "INCORPORATED", "INC", "CORPORATION",
    "CORP", "COMPANY", "CO", "AND CO",
]
_SUFFIX_RE = r"(\s+(" + "|".join(s.replace(" ", r"\s+") for s in LEGAL_SUFFIXES) + r"))+$"
_LEGAL_IN_BRACKETS = r"\(([^()]*\s(" + "|".join(
    s.replace(" ", r"\s+") for s in LEGAL_SUFFIXES if s not in ("CO", "AND CO")
) + r")\.?)\)"

MACROS = rf"""
-- upper case without accents, '&' as AND, apostrophes and dots dropped (P.L.C. is PLC),
-- other punctuation as spaces
CREATE OR REPLACE TEMP MACRO sn_tokens(name) AS
    trim(regexp_replace(
        regexp_replace(
            regexp_replace(upper(strip_accents(coalesce(name, ''))), '&', ' AND ', 'g'),
            '[''’`.]', '', 'g'),
        '[^A-Z0-9]+', ' ', 'g'));

-- the legal name in 'X T/A Y', 'X TRADING AS Y' and 'BRAND (LEGAL NAME LTD)'
CREATE OR REPLACE TEMP MACRO sn_legal_part(name) AS
    CASE
        WHEN regexp_matches(upper(name), '{_LEGAL_IN_BRACKETS}')
            THEN regexp_extract(upper(name), '{_LEGAL_IN_BRACKETS}', 1)
        WHEN regexp_matches(upper(name), '\s(T/A|T/AS|TRADING\s+AS|TA)\s')
            THEN regexp_extract(upper(name), '^(.*?)\s(T/A|T/AS|TRADING\s+AS|TA)\s', 1)
        ELSE name
    END;

-- the trading name in 'X T/A Y' (NULL when there is none)
CREATE OR REPLACE TEMP MACRO sn_trading_part(name) AS
    CASE WHEN regexp_matches(upper(name), '\s(T/A|T/AS|TRADING\s+AS|TA)\s')
         THEN regexp_extract(upper(name), '\s(T/A|T/AS|TRADING\s+AS|TA)\s+(.*)$', 2) END;

-- the comparison key: tokens without a leading THE or legal-form suffixes
CREATE OR REPLACE TEMP MACRO sn_key_of(tokens) AS
    nullif(trim(regexp_replace(regexp_replace(' ' || tokens, '^\s+THE\s+', ' '), '{_SUFFIX_RE}', '')), '');

CREATE OR REPLACE TEMP MACRO sn_name_key(name) AS sn_key_of(sn_tokens(sn_legal_part(name)));
CREATE OR REPLACE TEMP MACRO sn_trading_key(name) AS sn_key_of(sn_tokens(sn_trading_part(name)));
"""


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(MACROS)


def name_key(name: str | None) -> str | None:
    """The key of one name (through the same SQL), for tests and small jobs."""
    con = duckdb.connect()
    install_macros(con)
    return con.execute("SELECT sn_name_key(?)", [name]).fetchone()[0]
