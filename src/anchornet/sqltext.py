"""Text for SQL built from data and rules: one way to quote a string literal, one way to
search for text anywhere in a value."""

from __future__ import annotations


def sql_literal(text: str) -> str:
    """A SQL string literal for ``text`` (single quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"


def like_pattern(text: str) -> str:
    """A LIKE pattern for ``text`` anywhere in a value (use with ESCAPE '\\')."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
