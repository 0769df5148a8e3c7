"""Reporting periods for analysis: months, quarters, UK financial years, calendar years.

A payment belongs to a period when its date is in it, or, when its date is unknown,
when the whole of its reporting period is in it. A payment whose known span crosses
the period's edges cannot be placed; it is counted apart, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from anchornet.errors import AnchornetError
from anchornet.ingest.period import Period, months, parse_period_option

GRAINS = ("month", "quarter", "financial_year", "year")


def parse_analysis_period(text: str) -> Period:
    """`--period` for analysis: YYYY-MM, YYYY-Qn, YYYY, FY2014/15 (or 2014/15), or a range."""
    value = text.strip()
    m = re.fullmatch(r"(?:FY)?\s*(\d{4})[/-](\d{2})", value, re.I)
    if m and int(m.group(2)) == (int(m.group(1)) + 1) % 100:
        y = int(m.group(1))
        return months(y, 4, y + 1, 3)
    try:
        return parse_period_option(value)
    except AnchornetError:
        raise AnchornetError(
            f"period {text!r} not understood; use YYYY-MM, YYYY-Qn, YYYY, FY2014/15 "
            "or YYYY-MM..YYYY-MM"
        ) from None


def bucket_sql(grain: str, start: str, end: str) -> str:
    """SQL for the bucket label of a payment whose span is [start, end] (dates)."""
    if grain not in GRAINS:
        raise AnchornetError(f"unknown grain {grain!r}; choose one of {', '.join(GRAINS)}")
    label = {
        "month": "strftime({d}, '%Y-%m')",
        "quarter": "strftime({d}, '%Y') || '-Q' || quarter({d})",
        "financial_year": (
            "CASE WHEN month({d}) >= 4 THEN year({d}) || '/' || right(CAST(year({d}) + 1 AS VARCHAR), 2)"
            " ELSE (year({d}) - 1) || '/' || right(CAST(year({d}) AS VARCHAR), 2) END"
        ),
        "year": "CAST(year({d}) AS VARCHAR)",
    }[grain]
    a, b = label.format(d=start), label.format(d=end)
    return f"CASE WHEN {start} IS NULL THEN NULL WHEN {a} = {b} THEN {a} END"


def bucket_label(grain: str, day) -> str:
    """The label ``bucket_sql`` gives a payment on ``day`` (a date), in Python."""
    if grain not in GRAINS:
        raise AnchornetError(f"unknown grain {grain!r}; choose one of {', '.join(GRAINS)}")
    if grain == "month":
        return f"{day.year}-{day.month:02d}"
    if grain == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if grain == "financial_year":
        fy = day.year if day.month >= 4 else day.year - 1
        return f"{fy}/{(fy + 1) % 100:02d}"
    return str(day.year)


@dataclass(frozen=True)
class Window:
    """An analysis window: payments whose whole span lies inside it are in."""

    period: Period | None

    def sql(self, start: str, end: str) -> str:
        if self.period is None:
            return "true"
        return f"({start} >= DATE '{self.period.start}' AND {end} <= DATE '{self.period.end}')"
