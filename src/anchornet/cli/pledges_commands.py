"""(being written)"""

from __future__ import annotations


def add_parsers(sub) -> None:
    return None
