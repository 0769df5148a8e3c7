"""Values from forms, the command line and scripts, checked once: one rule for each kind of value.

Web forms give text (an empty field is ''), the command line gives text or None, Python
callers give text, numbers, dates or None: each function here takes any of them and gives a
clean value, or raises :class:`~anchornet.errors.AnchornetError` with a message that names
the value. ``what`` names it in that message: a noun phrase without an article ("contract
title", "member's name"); the messages put "the" before it.

An empty value (None, '' or only spaces) is None unless ``required``, when the message asks
for it ("give the contract title").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from decimal import Decimal, InvalidOperation

from anchornet.errors import AnchornetError

TRUE_WORDS = ("1", "true", "yes", "on")  # a ticked checkbox sends "on"
FIRST_YEAR, LAST_YEAR = 1990, 2100
MAX_EMPLOYEES = 10_000_000
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DIGITS = 18  # the network's decimal columns are DECIMAL(18, places)


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value, what: str, *, required: bool = False, limit: int = 300) -> str | None:
    """Stripped text, at most ``limit`` characters; None when empty."""
    cleaned = "" if value is None else str(value).strip()
    if not cleaned:
        if required:
            raise AnchornetError(f"give the {what}")
        return None
    if len(cleaned) > limit:
        raise AnchornetError(f"the {what} is too long ({len(cleaned):,} characters; at most {limit:,})")
    return cleaned


def date(value, what: str, *, required: bool = False) -> dt.date | None:
    """A date written YYYY-MM-DD (or a date); None when empty."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if _empty(value):
        if required:
            raise AnchornetError(f"give the {what} (YYYY-MM-DD)")
        return None
    written = str(value).strip()
    if _ISO_DATE.fullmatch(written):
        try:
            return dt.date.fromisoformat(written)
        except ValueError:
            pass
    raise AnchornetError(f"the {what} {value!r} is not a date: use YYYY-MM-DD, e.g. 2025-06-30")


def whole_number(value, what: str, *, low: int | None = 0, high: int | None = None,
                 required: bool = False) -> int | None:
    """A whole number ('1,200', 1200), from ``low`` to ``high`` when given; None when empty."""
    if _empty(value):
        if required:
            raise AnchornetError(f"give the {what}")
        return None
    if isinstance(value, bool):
        raise AnchornetError(f"the {what} {value!r} is not a whole number")
    try:
        number = int(str(value).strip().replace(",", ""))
    except ValueError:
        raise AnchornetError(f"the {what} {value!r} is not a whole number") from None
    if low == 0 and number < 0:
        raise AnchornetError(f"the {what} cannot be negative ({number})")
    if (low is not None and number < low) or (high is not None and number > high):
        bounds = " ".join(part for part in (f"from {low}" if low is not None else "",
                                            f"to {high}" if high is not None else "") if part)
        raise AnchornetError(f"the {what} {number} is out of range ({bounds})")
    return number


def year(value, what: str, *, required: bool = False) -> int | None:
    """A calendar year (e.g. 2025) from FIRST_YEAR to LAST_YEAR; None when empty."""
    if required and _empty(value):
        raise AnchornetError(f"give the {what} (e.g. 2025)")
    return whole_number(value, what, low=FIRST_YEAR, high=LAST_YEAR)


def number(value, what: str, *, places: int = 2, negative: bool = False, zero: bool = True,
           required: bool = False, percent: bool = False, hint: str = "") -> Decimal | None:
    """A decimal number ('1,200.50', '£30', 30), rounded to ``places``; None when empty.

    Refused below 0 unless ``negative``, and 0 itself unless ``zero``. With ``percent`` a
    '%' sign may follow the number ('30%' is 30). ``hint`` follows the message when the
    value is not a number. Numbers must fit the DECIMAL(18, places) columns they go into.
    """
    if _empty(value):
        if required:
            raise AnchornetError(f"give the {what}")
        return None
    unwanted = r"[£,\s%]" if percent else r"[£,\s]"
    try:
        parsed = None if isinstance(value, bool) else Decimal(re.sub(unwanted, "", str(value)))
    except InvalidOperation:
        parsed = None
    if parsed is None or not parsed.is_finite():
        raise AnchornetError(f"the {what} {value!r} is not a number{hint}")
    if parsed < 0 and not negative:
        raise AnchornetError(f"the {what} must be 0 or more, not {value!r}")
    if parsed == 0 and not zero:
        raise AnchornetError(f"the {what} must be more than 0, not {value!r}")
    if abs(parsed) >= Decimal(10) ** (_DIGITS - places):
        raise AnchornetError(f"the {what} {value!r} is too large")
    return parsed.quantize(Decimal(1).scaleb(-places))


def money(value, what: str, *, places: int = 2, required: bool = False) -> Decimal | None:
    """An amount in pounds, 0 or more ('£1,200,000', '1200000.50'); None when empty."""
    return number(value, what, places=places, required=required,
                  hint=": give an amount in pounds, e.g. 1200000 or £1,200,000")


def share(value, what: str) -> float | None:
    """A percentage as forms and the command line take it ('35', '35%' or 35) as a fraction
    (0.35); None when empty."""
    if _empty(value):
        return None
    try:
        percent = None if isinstance(value, bool) else float(str(value).strip().rstrip("%").strip())
    except ValueError:
        percent = None
    if percent is None or not 0 <= percent <= 100:
        raise AnchornetError(f"the {what} must be a percentage from 0 to 100, not {value!r}")
    return round(percent / 100, 4)


def flag(value) -> bool:
    """Yes or no: a ticked checkbox ('on'), 'yes', 'true', '1' or a true value."""
    if isinstance(value, str):
        return value.strip().lower() in TRUE_WORDS
    return bool(value)


def choice(value, choices: Collection[str], what: str, *, required: bool = True) -> str | None:
    """One of ``choices`` (codes in lower case); 'In progress', 'in_progress' and
    'in-progress' are the same. None when empty and not ``required``."""
    if _empty(value):
        if required:
            raise AnchornetError(f"choose the {what}: one of {', '.join(choices)}")
        return None
    code = str(value).strip().lower()
    for candidate in (code, re.sub(r"[\s_-]+", "_", code), re.sub(r"[\s_-]+", "-", code)):
        if candidate in choices:
            return candidate
    raise AnchornetError(f"unknown {what} {value!r}; choose one of: {', '.join(choices)}")
