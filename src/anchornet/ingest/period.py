"""Reporting periods: from ``--period``, from a file's dates, or from its name."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from anchornet.errors import AnchornetError

MONTHS = {
    name: i
    for i in range(1, 13)
    for name in (calendar.month_abbr[i].lower(), calendar.month_name[i].lower())
}
MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def months(start_year: int, start_month: int, end_year: int, end_month: int) -> Period:
    return Period(dt.date(start_year, start_month, 1), month_end(end_year, end_month))


def parse_period_option(text: str) -> Period:
    """``YYYY-MM``, ``YYYY-Qn``, ``YYYY`` or ``YYYY-MM..YYYY-MM``."""
    value = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})\.\.(\d{4})-(\d{1,2})", value)
    if m:
        y1, m1, y2, m2 = map(int, m.groups())
        if not (1 <= m1 <= 12 and 1 <= m2 <= 12) or (y2, m2) < (y1, m1):
            raise AnchornetError(f"--period {text}: not a valid range of months")
        return months(y1, m1, y2, m2)
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
    if m and 1 <= int(m.group(2)) <= 12:
        y, mo = map(int, m.groups())
        return months(y, mo, y, mo)
    m = re.fullmatch(r"(\d{4})-?[Qq]([1-4])", value)
    if m:
        y, q = int(m.group(1)), int(m.group(2))
        return months(y, 3 * q - 2, y, 3 * q)
    m = re.fullmatch(r"(\d{4})", value)
    if m:
        return months(int(value), 1, int(value), 12)
    raise AnchornetError(
        f"--period {text!r} is not a period; use YYYY-MM, YYYY-Qn, YYYY or YYYY-MM..YYYY-MM"
    )


def _year(text: str) -> int:
    y = int(text)
    return y if y >= 100 else 2000 + y


def period_from_name(name: str) -> Period | None:
    """Read a period from a file name such as ``apr-jun-2014`` or ``..._202603``."""
    stem = name.lower().rsplit(".", 1)[0]
    # a range of months: apr-jun-2014, april_to_june_2014, jan-mar-15
    m = re.search(
        rf"(?<![a-z])({_MONTH_RE})[\s_-]*(?:to[\s_-]*)?({_MONTH_RE})[\s_-]*((?:19|20)?\d\d)(?!\d)",
        stem,
    )
    if m:
        a, b, y = MONTHS[m.group(1)], MONTHS[m.group(2)], _year(m.group(3))
        start_year = y - 1 if b < a else y  # dec-feb-2015 starts in 2014
        return months(start_year, a, y, b)
    # one month: march-2026, mar_2026, april-23, 2026-march
    m = re.search(rf"(?<![a-z])({_MONTH_RE})[\s_-]*((?:19|20)?\d\d)(?!\d)", stem)
    if m:
        y = _year(m.group(2))
        return months(y, MONTHS[m.group(1)], y, MONTHS[m.group(1)])
    m = re.search(rf"(?<!\d)((?:19|20)\d\d)[\s_-]*({_MONTH_RE})(?![a-z])", stem)
    if m:
        return months(int(m.group(1)), MONTHS[m.group(2)], int(m.group(1)), MONTHS[m.group(2)])
    # financial-year quarters: q3-2023-24, 2023-24-q3 (Q1 is April to June)
    m = re.search(r"(?<![a-z])q([1-4])[\s_-]*((?:19|20)\d\d)[-_/](\d\d)(?!\d)", stem) or re.search(
        r"(?<!\d)((?:19|20)\d\d)[-_/](\d\d)[\s_-]*q([1-4])(?!\d)", stem
    )
    if m:
        g = m.groups()
        q, y1, y2 = (int(g[0]), int(g[1]), _year(g[2])) if len(g[0]) == 1 else (
            int(g[2]), int(g[0]), _year(g[1]))
        if y2 == y1 + 1:
            start_month = 3 * q + 1  # Q1 April, Q2 July, Q3 October, Q4 January
            year = y1 if q < 4 else y2
            return months(year, start_month if q < 4 else 1, year, start_month + 2 if q < 4 else 3)
    # quarters: 2015-q1, q1-2015 (calendar quarters)
    m = re.search(r"(?<!\d)((?:19|20)\d\d)[\s_-]*q([1-4])(?!\d)", stem) or re.search(
        r"(?<![a-z])q([1-4])[\s_-]*((?:19|20)\d\d)(?!\d)", stem
    )
    if m:
        a, b = m.groups()
        y, q = (int(a), int(b)) if len(a) == 4 else (int(b), int(a))
        return months(y, 3 * q - 2, y, 3 * q)
    # year and month as digits: 2011-11, 2011_11, 202603
    m = re.search(r"(?<!\d)((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])(?!\d)", stem)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        return months(y, mo, y, mo)
    # a financial year: 2014-15, 2014_2015 (April to March)
    m = re.search(r"(?<!\d)((?:19|20)\d\d)[-_/](\d\d|\d{4})(?!\d)", stem)
    if m:
        y1, y2 = int(m.group(1)), _year(m.group(2)[-2:])
        if y2 == y1 + 1:
            return months(y1, 4, y2, 3)
    return None
