"""Text for SQL built from data and rules: one way to quote a string literal."""

from __future__ import annotations


def sql_literal(text: str) -> str:
    """A SQL string literal for ``text`` (single quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"
