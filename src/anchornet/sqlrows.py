"""Query results as the dicts the CLI, the web app and the JSON API hand on: one way to
name a row's columns, with Decimal sums turned into floats where JSON wants numbers."""

from __future__ import annotations

from decimal import Decimal


def plain(value):
    """A value JSON can carry as a number (Decimal -> float); anything else unchanged."""
    return float(value) if isinstance(value, Decimal) else value


def dict_rows(result, *, plain_numbers: bool = False) -> list[dict]:
    """Every row of a DuckDB result as {column: value}; fetched whole (DuckDB 2.0 refuses
    other work on a connection with an unfinished result)."""
    names = [d[0] for d in result.description]
    rows = result.fetchall()
    if plain_numbers:
        return [{k: plain(v) for k, v in zip(names, r, strict=True)} for r in rows]
    return [dict(zip(names, r, strict=True)) for r in rows]
