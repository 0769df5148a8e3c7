"""The chart specifications, in one place: Vega-Lite built with Altair.

The same specification is rendered to SVG for the HTML and PDF reports (vl-convert,
no browser) and can be served as JSON to the web app, where vl-convert's own
JavaScript bundle draws it offline.
"""

from __future__ import annotations

import altair as alt

PALETTE = ["#1d4e89", "#00a6a6", "#f29e4c", "#7a306c", "#6a994e", "#bc4749"]
WIDTH = 560


def _base(data: list[dict]) -> alt.Chart:
    return alt.Chart(alt.Data(values=data)).properties(width=WIDTH)


def shares_over_time(trend: dict) -> dict:
    """Each headline share by period, with the share of spend where it is unknown."""
    rows = []
    for p in trend["periods"]:
        for key, label in (("local", "Local (first tier)"), ("sme", "SME"), ("vcse", "VCSE")):
            s = p.get(key)
            if s and s["share"] is not None:
                rows.append({"period": p["period"], "measure": label, "share": s["share"],
                             "coverage": s["coverage"]})
    chart = _base(rows).mark_line(point=True).encode(
        x=alt.X("period:O", title=None, sort=None),
        y=alt.Y("share:Q", title="Share of influenceable spend", axis=alt.Axis(format="%")),
        color=alt.Color("measure:N", title=None, scale=alt.Scale(range=PALETTE)),
        tooltip=["period:O", "measure:N", alt.Tooltip("share:Q", format=".1%"),
                 alt.Tooltip("coverage:Q", format=".0%", title="known for")],
    ).properties(height=220, title="Shares over time")
    return chart.to_dict()


def bars(rows: list[dict], label: str, value: str, title: str, value_title: str,
         money: bool = True) -> dict:
    chart = _base(rows).mark_bar(color=PALETTE[0]).encode(
        y=alt.Y(f"{label}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X(f"{value}:Q", title=value_title,
                axis=alt.Axis(format="~s" if money else "%")),
        tooltip=[f"{label}:N", alt.Tooltip(f"{value}:Q", format=",.0f" if money else ".1%")],
    ).properties(height=max(80, 18 * len(rows)), title=title)
    return chart.to_dict()


def to_svg(spec: dict) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(spec)
