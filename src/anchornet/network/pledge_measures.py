"""Pledge measures the spend analysis computes: local share (per place tier), SME share,
VCSE share and the share reaching the most deprived neighbourhoods, each of a member's
influenceable spend, per financial year or quarter.

The figures are the analysis's own (:class:`anchornet.analysis.metrics.Analysis`: every
member's shares per financial year or quarter in one pass, or one scope for a period of
another length): nothing here recomputes a share. Each point carries the share's
numerator, denominator and coverage; an unknown share stays unknown (None, never 0).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from anchornet.analysis.influence import load_rules
from anchornet.analysis.metrics import Analysis, Scope, share
from anchornet.errors import AnchornetError
from anchornet.ingest.period import Period, months
from anchornet.workspace import Workspace

UNIT = "% of influenceable spend"
METRICS = {
    "local": "Local share of influenceable spend",
    "sme": "SME share of influenceable spend",
    "vcse": "VCSE share of influenceable spend",
    "deprived": "Share of influenceable spend with suppliers in the most deprived 20% of neighbourhoods "
                "(IMD deciles 1-2)",
}
GRAINS = {"financial_year": "financial year (April to March)", "quarter": "calendar quarter"}


@dataclass(frozen=True)
class ComputedMeasure:
    metric: str
    tier: str | None = None

    @property
    def code(self) -> str:
        return f"local:{self.tier}" if self.metric == "local" else self.metric

    @property
    def label(self) -> str:
        return f"{METRICS['local']} ({self.tier})" if self.metric == "local" else METRICS[self.metric]


def tiers(ws: Workspace) -> list[str]:
    """The place's tier names, innermost first ([] when no place is defined)."""
    try:
        return [r[0] for r in ws.con.execute("SELECT name FROM place_tiers ORDER BY tier_no").fetchall()]
    except Exception:  # a workspace without the place tables
        return []


def choices(ws: Workspace) -> list[tuple[str, str]]:
    """(code, label) of every measure a new pledge may take, 'manual' first."""
    out = [("manual", "Reported by members (any unit)")]
    out += [(ComputedMeasure("local", t).code, ComputedMeasure("local", t).label + ": from the spend data")
            for t in tiers(ws)]
    out += [(m, METRICS[m] + ": from the spend data") for m in ("sme", "vcse", "deprived")]
    return out


def parse_measure(ws: Workspace, text: str) -> ComputedMeasure | None:
    """'manual' -> None; 'local:city', 'sme', 'vcse', 'deprived' -> a computed measure."""
    code = (text or "").strip()
    if code.lower() == "manual":
        return None
    metric, _, tier = code.partition(":")
    metric = metric.strip().lower()
    if metric == "local":
        known = tiers(ws)
        if not known:
            raise AnchornetError("a local-share measure needs the network's place: define its tiers first "
                                 "(anchornet place set, or the place page)")
        if tier.strip() not in known:
            raise AnchornetError(f"no place tier called {tier.strip()!r}; use one of "
                                 + ", ".join(f"local:{t}" for t in known))
        return ComputedMeasure("local", tier.strip())
    if metric in METRICS and not tier:
        return ComputedMeasure(metric)
    raise AnchornetError(f"measure {text!r} not understood; use manual, "
                         + ", ".join(c for c, _ in choices(ws)[1:]))


# -- periods -------------------------------------------------------------------------------------
def _fy_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def period_of(grain: str, label: str) -> Period:
    if grain == "financial_year":
        y = int(label[:4])
        return months(y, 4, y + 1, 3)
    y, q = int(label[:4]), int(label[-1])
    return months(y, 3 * q - 2, y, 3 * q)


def label_of(grain: str, day: dt.date) -> str:
    if grain == "financial_year":
        return _fy_label(day.year if day.month >= 4 else day.year - 1)
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def normalise_period(grain: str, text: str) -> str:
    """A period as the user writes it (FY2014/15, 2014-15, 2014-Q2, 2014q2) -> its label."""
    value = (text or "").strip()
    if grain == "financial_year":
        m = re.fullmatch(r"(?:FY)?\s*(\d{4})[/-](\d{2})", value, re.I)
        if m and int(m.group(2)) == (int(m.group(1)) + 1) % 100:
            return _fy_label(int(m.group(1)))
        raise AnchornetError(f"period {text!r}: this pledge is measured by financial year; give one such as 2014/15")
    m = re.fullmatch(r"(\d{4})\s*-?\s*Q([1-4])", value, re.I)
    if m:
        return f"{m.group(1)}-Q{m.group(2)}"
    raise AnchornetError(f"period {text!r}: this pledge is measured by quarter; give one such as 2014-Q2")


def periods_between(grain: str, start: dt.date, end: dt.date) -> list[str]:
    """The labels of the periods that overlap [start, end], in order."""
    out, day = [], start
    while day <= end:
        label = label_of(grain, day)
        out.append(label)
        day = period_of(grain, label).end + dt.timedelta(days=1)
    return out


def member_span(ws: Workspace, member: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day the member's loaded payments cover (None: no payments)."""
    row = ws.con.execute(
        """SELECT min(coalesce(r.payment_date, r.period_start, f.period_start)),
                  max(coalesce(r.payment_date, r.period_end, f.period_end))
           FROM records r JOIN files f ON f.file_id = r.file_id AND f.status = 'active'
           JOIN members m ON m.member_id = r.member_id
           WHERE r.status = 'loaded' AND m.name = ?""", [member]).fetchall()[0]
    return None if row[0] is None else (row[0], row[1])


# -- the figures ---------------------------------------------------------------------------------
class Calculator:
    """The analysis's figures for (member, period), each computed once per calculator."""

    def __init__(self, ws: Workspace):
        self.ws = ws
        self.rules = load_rules(ws.path)
        self._headlines: dict[tuple[str, Period], dict] = {}
        self._spans: dict[str, tuple[dt.date, dt.date] | None] = {}
        self._by_period: dict[str, tuple[dict, list[str]]] = {}

    def _grouped(self, grain: str) -> tuple[dict, list[str]]:
        """Every member's figures per period of ``grain``, in one pass over the payments."""
        if grain not in self._by_period:
            with Analysis(self.ws, Scope(), self.rules) as analysis:
                self._by_period[grain] = (analysis.shares_by_member_and_period(grain), analysis.tiers or [])
        return self._by_period[grain]

    def span(self, member: str) -> tuple[dt.date, dt.date] | None:
        if member not in self._spans:
            self._spans[member] = member_span(self.ws, member)
        return self._spans[member]

    def headline(self, member: str, period: Period) -> dict:
        for grain in GRAINS:  # a whole financial year or quarter: from the one pass
            label = label_of(grain, period.start)
            if period_of(grain, label) == period:
                grouped, tiers_ = self._grouped(grain)
                return grouped.get((member, label)) or _no_payments(tiers_)
        key = (member, period)
        if key not in self._headlines:
            with Analysis(self.ws, Scope(members=[member], period=period), self.rules) as analysis:
                self._headlines[key] = analysis.headline()
        return self._headlines[key]

    def figure(self, measure: ComputedMeasure, member: str, period: Period) -> dict:
        """The measure's share for one member and period, with its numerator, denominator and
        coverage, as the analysis gives it; ``value`` is the share in percent (None: unknown)."""
        h = self.headline(member, period)
        if measure.metric == "local":
            found = next((t for t in h["local"] if t["tier"] == measure.tier), None)
            if found is None:  # the place was redefined without this tier
                return _point(None, h["payments"], f"the place has no tier called {measure.tier!r} now")
            s = found
        elif measure.metric == "deprived":
            s = h["deprivation"]["most_deprived_20pc"]
        else:
            s = h[measure.metric]
        return _point(s, h["payments"])

    def points(self, measure: ComputedMeasure, grain: str, member: str, start: dt.date | None) -> list[dict]:
        """One point per period the member's payments cover (from ``start`` when given)."""
        span = self.span(member)
        if span is None:
            return []
        first = max(start, span[0]) if start else span[0]
        out = []
        for label in periods_between(grain, first, span[1]):
            period = period_of(grain, label)
            point = self.figure(measure, member, period)
            point.update(period=label, start=period.start, as_of=period.end,
                         complete=span[0] <= period.start and span[1] >= period.end)
            out.append(point)
        return out


def _no_payments(tiers_: list[str]) -> dict:
    """The figures of a member and period without payments: every share unknown."""
    none = share(0.0, 0.0, 0.0)
    return {"payments": 0, "sme": none, "vcse": none, "local": [{"tier": t, **none} for t in tiers_],
            "deprivation": {"most_deprived_10pc": none, "most_deprived_20pc": none}}


def _point(s: dict | None, payments: int, problem: str | None = None) -> dict:
    s = s or {}
    share = s.get("share")
    if not payments and problem is None:
        problem = "no payments in this period"
    return {
        "source": "data",
        "value": None if share is None else round(share * 100, 2),
        "share": share,
        "numerator": s.get("numerator"),
        "known": s.get("known"),
        "denominator": s.get("denominator"),
        "coverage": s.get("coverage"),
        "payments": payments,
        "problem": problem,
    }
