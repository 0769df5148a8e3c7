"""Jinja environment shared by the HTML reports."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape


def money(value) -> str:
    if value is None:
        return "–"
    sign = "−" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def money0(value) -> str:
    if value is None:
        return "–"
    sign = "−" if value < 0 else ""
    return f"{sign}£{abs(value):,.0f}"


def percent(value) -> str:
    return "unknown" if value is None else f"{value * 100:.1f}%"


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("anchornet.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["money"] = money
    env.filters["percent"] = percent
    env.filters["money0"] = money0
    env.filters["count"] = lambda n: f"{n or 0:,}"
    return env
