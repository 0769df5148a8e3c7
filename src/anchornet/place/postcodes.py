"""UK postcodes, in one place, as DuckDB SQL macros.

Every postcode anchornet stores or joins on goes through ``pc_normalise``, so
``'ox11bx'``, ``'OX1  1BX'`` and ``'OX1 1BX'`` are the same key everywhere: the
payment files, the member supplier lists, the registers and the ONS postcode
lookup.

A postcode is an outward code (``OX1``: the postcode *district*) and an inward
code (``1BX``); the letters at the start of the outward code are the postcode
*area* (``OX``) and the outward code plus the first digit of the inward code is
the *sector* (``OX1 1``).

The shape check follows the published UK format (A9 9AA, A99 9AA, A9A 9AA,
AA9 9AA, AA99 9AA, AA9A 9AA, plus the special GIR 0AA) with the letter rules
that have held for every postcode issued: the first letter is never Q, V or X,
the second never I, J or Z, and the two inward letters never C, I, K, M, O or V.
A string of the right shape is not necessarily a postcode in use; the ONS
postcode lookup (``registers load postcodes``) says which are.

Macros (install with ``install_macros(con)``):

- ``pc_compact(p)``    upper case, everything but letters and digits removed
- ``pc_normalise(p)``  ``'OX1 1BX'``, or NULL when ``p`` is not a postcode's shape
- ``pc_is_valid(p)``   true when ``pc_normalise(p)`` is not NULL (NULL in, false out)
- ``pc_outward(p)``    the district, ``'OX1'``
- ``pc_sector(p)``     ``'OX1 1'``
- ``pc_area(p)``       ``'OX'``
- ``pc_find(text)``    the first postcode written inside a longer text (an address line)
"""

from __future__ import annotations

import functools
import threading

import duckdb

# Compact form (no space): outward code, then the inward code (digit + two letters).
OUTWARD = r"[A-PR-UWYZ][A-HK-Y]?[0-9][A-Z0-9]?"
INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
COMPACT_SHAPE = rf"(GIR0AA|{OUTWARD}{INWARD})"

MACROS = rf"""
CREATE OR REPLACE TEMP MACRO pc_compact(p) AS
    regexp_replace(upper(coalesce(p, '')), '[^A-Z0-9]', '', 'g');

CREATE OR REPLACE TEMP MACRO pc_of_compact(c) AS
    CASE WHEN regexp_full_match(c, '{COMPACT_SHAPE}')
         THEN left(c, length(c) - 3) || ' ' || right(c, 3) END;

CREATE OR REPLACE TEMP MACRO pc_normalise(p) AS pc_of_compact(pc_compact(p));

CREATE OR REPLACE TEMP MACRO pc_is_valid(p) AS pc_normalise(p) IS NOT NULL;

CREATE OR REPLACE TEMP MACRO pc_outward(p) AS split_part(pc_normalise(p), ' ', 1);

CREATE OR REPLACE TEMP MACRO pc_sector(p) AS left(pc_normalise(p), length(pc_normalise(p)) - 2);

CREATE OR REPLACE TEMP MACRO pc_area(p) AS nullif(regexp_extract(pc_normalise(p), '^[A-Z]+'), '');

CREATE OR REPLACE TEMP MACRO pc_find(t) AS
    pc_normalise(nullif(regexp_extract(
        upper(coalesce(t, '')),
        '(^|[^A-Z0-9])({OUTWARD} ?{INWARD})([^A-Z0-9]|$)', 2), ''));
"""


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(MACROS)


_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _connection() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    install_macros(con)
    return con


def _one(macro: str, value: str | None):
    with _lock:
        return _connection().execute(f"SELECT {macro}(?)", [value]).fetchall()[0][0]


def normalise(postcode: str | None) -> str | None:
    """``'ox11bx'`` → ``'OX1 1BX'``; None when it is not a postcode's shape (same SQL)."""
    return _one("pc_normalise", postcode)


def is_valid(postcode: str | None) -> bool:
    return bool(_one("pc_is_valid", postcode))


def outward(postcode: str | None) -> str | None:
    """The postcode district: ``'OX1 1BX'`` → ``'OX1'``."""
    return _one("pc_outward", postcode)


def sector(postcode: str | None) -> str | None:
    return _one("pc_sector", postcode)


def area(postcode: str | None) -> str | None:
    """The postcode area: ``'OX1 1BX'`` → ``'OX'``."""
    return _one("pc_area", postcode)


def find(text: str | None) -> str | None:
    """The first postcode inside a longer text, normalised."""
    return _one("pc_find", text)
