"""Pledges: what the network's members commit to, each member's sign-up, and progress.

A pledge has a measure, a baseline and a target by a date. The measure is either *manual*
(members report a value as of a date, with evidence) or *computed* by the spend analysis
(local, SME, VCSE or most-deprived share of the member's influenceable spend, see
:mod:`anchornet.network.pledge_measures`): then progress is filled in from the payments
per financial year or quarter, with its coverage, and a member can only add a note to a
period, never a value.

Progress is judged against a straight line from the baseline (at the end of the baseline
period, or the sign-up date) to the target (at the target date): a member whose share of
the way to the target is at least the share of the time gone is on track.

Every change is recorded in the audit log, in the same transaction. Public outputs
(``public=True``) hold only the members that agreed to publish their progress, and no
person's name (who recorded what is left out).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from anchornet.analysis.periods import parse_analysis_period
from anchornet.errors import AnchornetError
from anchornet.network import inputs, pledge_measures
from anchornet.network.pledge_measures import UNIT, Calculator, ComputedMeasure
from anchornet.sqlrows import dict_rows
from anchornet.workspace import Workspace

DIRECTIONS = ("increase", "decrease")
STATUSES = ("open", "closed")
THEMES = ("procurement", "employment", "net zero", "land and assets", "community", "living wage")
MAX_TEXT = 4000
# status of a signatory's progress -> how the pages mark it (good, warn, bad)
PROGRESS_STATUS = {"target met": "good", "on track": "good", "behind": "bad", "no baseline": "warn",
                   "no data yet": "warn"}


class UnknownPledge(AnchornetError):
    """There is no pledge with that id."""


# -- values from forms and the command line ----------------------------------------------------------
def _value(value, what: str) -> Decimal | None:
    """A pledge's baseline, target or reported value: a number in the pledge's unit ('30',
    '30%', '£1,200.50'), which may be negative."""
    return inputs.number(value, what, places=4, negative=True, percent=True, hint=" (e.g. 30)")


def _url(value) -> str | None:
    url = inputs.text(value, "evidence link", limit=1000)
    if url and not re.match(r"https?://[^\s]+$", url, re.I):
        raise AnchornetError("the evidence link must be a web address starting http:// or https://")
    return url


def _baseline_period(text) -> tuple[str | None, dt.date | None, dt.date | None]:
    """A baseline given as a date (YYYY-MM-DD) or a period (FY2014/15, 2014-Q2, 2014)."""
    value = inputs.text(text, "baseline period", limit=40)
    if value is None:
        return None, None, None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        day = inputs.date(value, "baseline date")
        return value, day, day
    try:
        period = parse_analysis_period(value)
    except AnchornetError:
        raise AnchornetError(f"baseline {value!r}: give a date (YYYY-MM-DD) or a period such as FY2014/15, "
                             "2014-Q2 or 2014") from None
    return value, period.start, period.end


def _float(value) -> float | None:
    return None if value is None else float(value)


def _audit(con, actor, action: str, *, target: str, member_id: int | None = None, detail: dict | None = None,
           ip: str | None = None) -> None:
    from anchornet.audit import Actor, audit

    audit(con, actor if actor is not None else Actor.cli(), action, target=target, member_id=member_id,
          detail=detail, ip=ip)


def _actor_name(actor) -> str:
    if actor is None:
        return "cli"
    return getattr(actor, "email", None) or getattr(actor, "name", None) or "cli"


def _member(ws: Workspace, name: str) -> tuple[int, str]:
    name = (name or "").strip()
    rows = ws.con.execute("SELECT member_id, name FROM members WHERE name = ?", [name]).fetchall() or \
        ws.con.execute("SELECT member_id, name FROM members WHERE lower(name) = lower(?)", [name]).fetchall()
    if len(rows) != 1:
        known = [r[0] for r in ws.con.execute("SELECT name FROM members ORDER BY name").fetchall()]
        raise AnchornetError(f"no member called {name!r}; members are: " + (", ".join(known) or "(none yet)"))
    return rows[0]


def member_names(ws: Workspace) -> list[str]:
    return [r[0] for r in ws.con.execute("SELECT name FROM members ORDER BY name").fetchall()]


# -- pledges ------------------------------------------------------------------------------------------
PLEDGE_COLUMNS = ("pledge_id", "title", "text", "theme", "measure", "metric", "tier", "grain", "unit", "direction",
                  "baseline_value", "baseline_period", "baseline_start", "baseline_end", "target_value",
                  "target_date", "status", "created_at", "created_by")


def _check_direction(direction: str, baseline: Decimal | None, target: Decimal | None, whose: str) -> None:
    if baseline is None or target is None:
        return
    if direction == "increase" and target <= baseline:
        raise AnchornetError(f"{whose} target ({target.normalize()}) must be above the baseline "
                             f"({baseline.normalize()}) for a pledge to increase")
    if direction == "decrease" and target >= baseline:
        raise AnchornetError(f"{whose} target ({target.normalize()}) must be below the baseline "
                             f"({baseline.normalize()}) for a pledge to decrease")


def _check_share(value: Decimal | None, field: str, computed: bool) -> None:
    if computed and value is not None and not (0 <= value <= 100):
        raise AnchornetError(f"{field} is a percentage of influenceable spend: give a number from 0 to 100")


def _validated(ws: Workspace, fields: dict, *, pledge_id: int | None = None) -> dict:
    """The pledge's columns from what the user gave, checked."""
    out = {
        "title": inputs.text(fields.get("title"), "pledge's title", required=True, limit=200),
        "text": inputs.text(fields.get("text"), "pledge's text", required=True, limit=MAX_TEXT),
        "theme": inputs.text(fields.get("theme"), "pledge's theme", required=True, limit=80),
    }
    clash = ws.con.execute("SELECT pledge_id FROM pledges WHERE lower(title) = lower(?) AND pledge_id <> ?",
                           [out["title"], pledge_id or -1]).fetchall()
    if clash:
        raise AnchornetError(f"there is already a pledge called {out['title']!r} (pledge {clash[0][0]})")
    measure = pledge_measures.parse_measure(ws, fields.get("measure") or "manual")
    direction = inputs.choice(fields.get("direction") or "increase", DIRECTIONS, "direction")
    if measure is None:
        unit = inputs.text(fields.get("unit"), "pledge's unit (e.g. apprentices, % of staff paid the Real Living "
                           "Wage)", required=True, limit=80)
        out.update(measure=inputs.text(fields.get("measure_text"), "measure", limit=200) or unit,
                   metric=None, tier=None, grain=None, unit=unit)
    else:
        grain = inputs.choice(fields.get("grain") or "financial_year", pledge_measures.GRAINS,
                              "grain (how often progress from the data is counted)")
        out.update(measure=measure.label, metric=measure.metric, tier=measure.tier, grain=grain, unit=UNIT)
    out["direction"] = direction
    out["baseline_value"] = _value(fields.get("baseline_value"), "baseline")
    out["target_value"] = _value(fields.get("target_value"), "target")
    if out["target_value"] is None:
        raise AnchornetError("give the pledge's target (a number in its unit)")
    for key in ("baseline_value", "target_value"):
        _check_share(out[key], key.split("_")[0], measure is not None)
    _check_direction(direction, out["baseline_value"], out["target_value"], "the")
    out["baseline_period"], out["baseline_start"], out["baseline_end"] = _baseline_period(
        fields.get("baseline_period"))
    out["target_date"] = inputs.date(fields.get("target_date"), "target date")
    if out["target_date"] is None:
        raise AnchornetError("give the pledge's target date (YYYY-MM-DD)")
    if out["baseline_end"] is not None and out["target_date"] <= out["baseline_end"]:
        raise AnchornetError(f"the target date ({out['target_date']}) must be after the baseline "
                             f"({out['baseline_period']})")
    out["status"] = inputs.choice(fields.get("status") or "open", STATUSES, "status")
    return out


def add_pledge(ws: Workspace, *, actor=None, ip: str | None = None, **fields) -> int:
    """A new network pledge; returns its id. Fields: title, text, theme, measure ('manual',
    'local:<tier>', 'sme', 'vcse' or 'deprived'), measure_text and unit (manual), grain
    (computed: financial_year or quarter), direction, baseline_value, baseline_period,
    target_value, target_date, status."""
    values = _validated(ws, fields)
    cols = list(values)
    with ws.transaction() as con:
        pledge_id = con.execute(
            f"INSERT INTO pledges ({', '.join(cols)}, created_by) VALUES ({', '.join('?' * (len(cols) + 1))}) "
            "RETURNING pledge_id", [values[c] for c in cols] + [_actor_name(actor)]).fetchall()[0][0]
        _audit(con, actor, "pledges.add", target=f"pledge {pledge_id}", detail={"title": values["title"]}, ip=ip)
    return pledge_id


def edit_pledge(ws: Workspace, pledge_id: int, *, actor=None, ip: str | None = None, **changes) -> None:
    """Change a pledge. The measure stays as it is once a member has signed."""
    current = get_pledge(ws, pledge_id)
    fields = {k: current[k] for k in ("title", "text", "theme", "unit", "grain", "direction", "baseline_value",
                                      "baseline_period", "target_value", "target_date", "status")}
    fields["measure"] = "manual" if current["metric"] is None else ComputedMeasure(current["metric"],
                                                                                  current["tier"]).code
    fields["measure_text"] = current["measure"] if current["metric"] is None else None
    for key, value in changes.items():
        if key not in fields:
            raise AnchornetError(f"a pledge has no field {key!r}")
        fields[key] = value
    for key in ("baseline_value", "target_value", "target_date"):
        if fields[key] is not None and not isinstance(fields[key], str):
            fields[key] = str(fields[key])
    values = _validated(ws, fields, pledge_id=pledge_id)
    if current["signatories"] and (values["metric"], values["tier"]) != (current["metric"], current["tier"]):
        raise AnchornetError("members have signed this pledge: its measure cannot change (close it and "
                             "make a new pledge)")
    changed = {k: v for k, v in values.items() if v != current.get(k)}
    if not changed:
        return
    with ws.transaction() as con:
        con.execute(f"UPDATE pledges SET {', '.join(k + ' = ?' for k in changed)} WHERE pledge_id = ?",
                    [*changed.values(), pledge_id])
        _audit(con, actor, "pledges.edit", target=f"pledge {pledge_id}",
               detail={k: str(v) for k, v in changed.items()}, ip=ip)


def _pledge_rows(ws: Workspace, where: str = "true", params: list | None = None) -> list[dict]:
    result = ws.con.execute(
        f"""SELECT {', '.join('p.' + c for c in PLEDGE_COLUMNS)},
                   (SELECT count(*) FROM pledge_signatories s WHERE s.pledge_id = p.pledge_id) AS signatories
            FROM pledges p WHERE {where} ORDER BY p.status = 'closed', p.created_at DESC, p.pledge_id DESC""",
        params or [])
    return dict_rows(result)


def get_pledge(ws: Workspace, pledge_id: int) -> dict:
    rows = _pledge_rows(ws, "p.pledge_id = ?", [int(pledge_id)])
    if not rows:
        raise UnknownPledge(f"there is no pledge {pledge_id}")
    pledge = rows[0]
    pledge["computed"] = pledge["metric"] is not None
    return pledge


def list_pledges(ws: Workspace) -> list[dict]:
    """Every pledge (open first, newest first) with its number of signatories."""
    rows = _pledge_rows(ws)
    for r in rows:
        r["computed"] = r["metric"] is not None
    return rows


# -- signing up -----------------------------------------------------------------------------------------
def sign(ws: Workspace, pledge_id: int, member: str, *, signed_on=None, baseline_value=None, target_value=None,
         public: bool = False, actor=None, ip: str | None = None) -> dict:
    """Sign ``member`` up to a pledge (signing again changes the sign-up: date, own baseline
    and target, consent to publish its progress)."""
    pledge = get_pledge(ws, pledge_id)
    member_id, name = _member(ws, member)
    public = inputs.flag(public)
    existing = ws.con.execute("SELECT signed_on FROM pledge_signatories WHERE pledge_id = ? AND member_id = ?",
                              [pledge_id, member_id]).fetchall()
    if pledge["status"] != "open" and not existing:
        raise AnchornetError(f"pledge {pledge_id} is closed: it takes no new signatories")
    signed = inputs.date(signed_on, "date signed") or (existing[0][0] if existing else dt.date.today())
    baseline = _value(baseline_value, "your baseline")
    target = _value(target_value, "your target")
    for value, field in ((baseline, "your baseline"), (target, "your target")):
        _check_share(value, field, pledge["computed"])
    _check_direction(pledge["direction"],
                     baseline if baseline is not None else pledge["baseline_value"],
                     target if target is not None else pledge["target_value"], "the member's")
    with ws.transaction() as con:
        con.execute("DELETE FROM pledge_signatories WHERE pledge_id = ? AND member_id = ?", [pledge_id, member_id])
        con.execute("INSERT INTO pledge_signatories (pledge_id, member_id, signed_on, baseline_value, target_value, "
                    "public, signed_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [pledge_id, member_id, signed, baseline, target, public, _actor_name(actor)])
        _audit(con, actor, "pledges.sign" if not existing else "pledges.sign_change", target=f"pledge {pledge_id}",
               member_id=member_id, detail={"member": name, "signed_on": signed, "baseline": baseline,
                                            "target": target, "public": public}, ip=ip)
    return {"pledge_id": pledge_id, "member": name, "signed_on": signed, "baseline_value": _float(baseline),
            "target_value": _float(target), "public": public, "changed": bool(existing)}


def set_consent(ws: Workspace, pledge_id: int, member: str, public: bool, *, actor=None,
                ip: str | None = None) -> None:
    """The member's consent to publish its progress on this pledge."""
    get_pledge(ws, pledge_id)
    member_id, name = _member(ws, member)
    public = inputs.flag(public)
    with ws.transaction() as con:
        done = con.execute("UPDATE pledge_signatories SET public = ?, updated_at = current_timestamp "
                           "WHERE pledge_id = ? AND member_id = ? RETURNING member_id",
                           [public, pledge_id, member_id]).fetchall()
        if not done:
            raise AnchornetError(f"{name} has not signed pledge {pledge_id}")
        _audit(con, actor, "pledges.consent", target=f"pledge {pledge_id}", member_id=member_id,
               detail={"member": name, "public": public}, ip=ip)


# -- progress reported by members ------------------------------------------------------------------------
def add_update(ws: Workspace, pledge_id: int, member: str, *, as_of=None, value=None, evidence=None,
               evidence_url=None, note=None, period=None, actor=None, ip: str | None = None) -> dict:
    """Report progress. Manual measure: a value as of a date (default today), with evidence.
    Computed measure: a note on a period (value refused: it comes from the data). Reporting
    the same date or period again replaces the earlier report."""
    pledge = get_pledge(ws, pledge_id)
    member_id, name = _member(ws, member)
    if not ws.con.execute("SELECT 1 FROM pledge_signatories WHERE pledge_id = ? AND member_id = ?",
                          [pledge_id, member_id]).fetchall():
        raise AnchornetError(f"{name} has not signed pledge {pledge_id}: sign it first")
    note = inputs.text(note, "note", limit=MAX_TEXT)
    evidence = inputs.text(evidence, "evidence", limit=MAX_TEXT)
    evidence_url = _url(evidence_url)
    if pledge["computed"]:
        if value is not None and str(value).strip():
            raise AnchornetError("this pledge's progress comes from the spend data: a member can add a note to "
                                 "a period, not a value")
        label = pledge_measures.normalise_period(pledge["grain"], period or "")
        if not (note or evidence or evidence_url):
            raise AnchornetError("write the note to add to this period")
        row = {"as_of": None, "period": label, "value": None}
        key_sql, key = "period = ?", label
    else:
        if period:
            raise AnchornetError("this pledge's progress is reported as of a date (YYYY-MM-DD), not a period")
        number = _value(value, "value")
        if number is None:
            raise AnchornetError(f"give the value reached (in {pledge['unit']})")
        day = inputs.date(as_of, "as-of date") or dt.date.today()
        if day > dt.date.today():
            raise AnchornetError(f"as of {day}: progress cannot be reported for a date still to come")
        row = {"as_of": day, "period": None, "value": number}
        key_sql, key = "as_of = ?", day
    with ws.transaction() as con:
        replaced = con.execute(f"DELETE FROM pledge_updates WHERE pledge_id = ? AND member_id = ? AND {key_sql} "
                               "RETURNING update_id", [pledge_id, member_id, key]).fetchall()
        update_id = con.execute(
            "INSERT INTO pledge_updates (pledge_id, member_id, as_of, period, value, evidence, evidence_url, note, "
            "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING update_id",
            [pledge_id, member_id, row["as_of"], row["period"], row["value"], evidence, evidence_url, note,
             _actor_name(actor)]).fetchall()[0][0]
        _audit(con, actor, "pledges.note" if pledge["computed"] else "pledges.update", target=f"pledge {pledge_id}",
               member_id=member_id, detail={"member": name, "as_of": row["as_of"], "period": row["period"],
                                            "value": row["value"], "replaced": bool(replaced)}, ip=ip)
    return {"update_id": update_id, "pledge_id": pledge_id, "member": name, **row,
            "value": _float(row["value"]), "replaced": bool(replaced)}


# -- progress against the target --------------------------------------------------------------------------
def _signatories(ws: Workspace, pledge_id: int) -> list[dict]:
    result = ws.con.execute(
        """SELECT m.name AS member, s.member_id, s.signed_on, s.baseline_value, s.target_value, s.public, s.signed_by
           FROM pledge_signatories s JOIN members m USING (member_id)
           WHERE s.pledge_id = ? ORDER BY m.name""", [pledge_id])
    return dict_rows(result)


def _updates(ws: Workspace, pledge_id: int) -> dict[int, list[dict]]:
    result = ws.con.execute(
        """SELECT update_id, member_id, as_of, period, value, evidence, evidence_url, note, created_at, created_by
           FROM pledge_updates WHERE pledge_id = ? ORDER BY coalesce(as_of, DATE '1900-01-01'), period, update_id""",
        [pledge_id])
    out: dict[int, list[dict]] = {}
    for row in dict_rows(result):
        out.setdefault(row["member_id"], []).append(row)
    return out


def judge(*, baseline: float | None, target: float, direction: str, latest: float | None,
          latest_on: dt.date | None, baseline_on: dt.date | None, target_date: dt.date) -> dict:
    """How far along a signatory is: the share of the way from baseline to target, the share
    of the time gone, and a status (target met, on track, behind, no baseline, no data yet)."""
    out = {"share_of_way": None, "share_of_time": None}
    if latest is None:
        return {**out, "status": "no data yet"}
    if (latest >= target) if direction == "increase" else (latest <= target):
        way = None
        if baseline is not None and baseline != target:
            way = round((latest - baseline) / (target - baseline), 4)
        return {**out, "share_of_way": way, "status": "target met"}
    if baseline is None or baseline == target:
        return {**out, "status": "no baseline"}
    gap = target - baseline
    if (gap > 0) != (direction == "increase"):  # the baseline is already past the target
        return {**out, "status": "behind"}
    way = round((latest - baseline) / gap, 4)
    time = None
    if baseline_on is not None and latest_on is not None:
        span = (target_date - baseline_on).days
        time = 1.0 if span <= 0 else round(min(1.0, max(0.0, (latest_on - baseline_on).days / span)), 4)
    on_track = way >= (time if time is not None else 1.0)
    return {"share_of_way": way, "share_of_time": time, "status": "on track" if on_track else "behind"}


def progress(ws: Workspace, pledge_id: int, calculator: Calculator | None = None) -> dict:
    """A pledge with every signatory's trajectory: its points (from the data, or reported),
    its baseline and target, its latest known value and how far along it is."""
    pledge = get_pledge(ws, pledge_id)
    calc = calculator or Calculator(ws)
    measure = ComputedMeasure(pledge["metric"], pledge["tier"]) if pledge["computed"] else None
    updates = _updates(ws, pledge_id)
    rows = []
    for s in _signatories(ws, pledge_id):
        reports = updates.get(s["member_id"], [])
        if measure is not None:
            points = calc.points(measure, pledge["grain"], s["member"], pledge["baseline_start"])
            notes = {u["period"]: u for u in reports}
            for p in points:
                _attach(p, notes.pop(p["period"], None))
            for label, u in notes.items():  # a note on a period with no payments
                period = pledge_measures.period_of(pledge["grain"], label)
                points.append(_attach({"source": "data", "value": None, "share": None, "numerator": None,
                                       "known": None, "denominator": None, "coverage": None, "payments": 0,
                                       "problem": "no payments in this period", "period": label,
                                       "start": period.start, "as_of": period.end, "complete": False}, u))
            points.sort(key=lambda p: p["as_of"])
        else:
            points = [_attach({"source": "report", "period": None, "as_of": u["as_of"],
                               "value": _float(u["value"])}, u) for u in reports]
        baseline, baseline_source = _baseline(pledge, s, calc, measure)
        target = _float(s["target_value"]) if s["target_value"] is not None else _float(pledge["target_value"])
        known = [p for p in points if p["value"] is not None]
        latest = known[-1] if known else None
        baseline_on = pledge["baseline_end"] or s["signed_on"]
        verdict = judge(baseline=baseline, target=target, direction=pledge["direction"],
                        latest=latest["value"] if latest else None, latest_on=latest["as_of"] if latest else None,
                        baseline_on=baseline_on, target_date=pledge["target_date"])
        rows.append({
            "member": s["member"], "member_id": s["member_id"], "signed_on": s["signed_on"], "public": s["public"],
            "baseline": baseline, "baseline_source": baseline_source, "baseline_on": baseline_on,
            "target": target, "target_source": "own" if s["target_value"] is not None else "pledge",
            "points": points, "latest": latest, **verdict, "status_class": PROGRESS_STATUS[verdict["status"]],
            "signed_by": s["signed_by"],
        })
    pledge = {k: _float(v) if isinstance(v, Decimal) else v for k, v in pledge.items()}
    counts = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    return {"pledge": pledge, "signatories": rows, "status_counts": counts}


def _attach(point: dict, report: dict | None) -> dict:
    """A point with the member's note and evidence (if any)."""
    report = report or {}
    point.update(note=report.get("note"), evidence=report.get("evidence"), evidence_url=report.get("evidence_url"),
                 recorded_by=report.get("created_by"), recorded_at=report.get("created_at"))
    return point


def _baseline(pledge: dict, s: dict, calc: Calculator, measure: ComputedMeasure | None) -> tuple[float | None, str]:
    """The member's own baseline; for a computed measure with a baseline period, the member's
    own figure for that period; else the pledge's."""
    if s["baseline_value"] is not None:
        return _float(s["baseline_value"]), "own"
    if measure is not None and pledge["baseline_start"] is not None and pledge["baseline_start"] != \
            pledge["baseline_end"]:
        from anchornet.ingest.period import Period

        point = calc.figure(measure, s["member"], Period(pledge["baseline_start"], pledge["baseline_end"]))
        if point["value"] is not None:
            return point["value"], "data"
    if pledge["baseline_value"] is not None:
        return _float(pledge["baseline_value"]), "pledge"
    return None, "none"


def overview(ws: Workspace, calculator: Calculator | None = None) -> list[dict]:
    """Every pledge with its signatories and progress at a glance (how many on track, met...)."""
    calc = calculator or Calculator(ws)
    out = []
    for p in list_pledges(ws):
        prog = progress(ws, p["pledge_id"], calc)
        ways = [s["share_of_way"] for s in prog["signatories"] if s["share_of_way"] is not None]
        out.append({**prog["pledge"], "signatories": len(prog["signatories"]),
                    "status_counts": prog["status_counts"],
                    "on_track_or_met": sum(1 for s in prog["signatories"] if s["status"] in ("on track", "target met")),
                    "mean_share_of_way": round(sum(ways) / len(ways), 4) if ways else None})
    return out


# -- the chart ----------------------------------------------------------------------------------------------
def trajectory_chart(prog: dict) -> dict | None:
    """Vega-Lite: one line per signatory (its known points, from its baseline), the target as a
    rule and a point at the target date. None when no signatory has a known value yet."""
    import altair as alt

    from anchornet.reports.charts import PALETTE, WIDTH

    pledge = prog["pledge"]
    rows = []
    for s in prog["signatories"]:
        if s["baseline"] is not None and s["baseline_on"] is not None and s["baseline_source"] != "data":
            rows.append({"member": s["member"], "date": s["baseline_on"].isoformat(), "value": s["baseline"],
                         "what": "baseline", "coverage": None})
        for p in s["points"]:
            if p["value"] is not None:
                rows.append({"member": s["member"], "date": p["as_of"].isoformat(), "value": p["value"],
                             "what": p.get("period") or "reported", "coverage": p.get("coverage")})
    if not rows:
        return None
    target = [{"date": pledge["target_date"].isoformat(), "value": pledge["target_value"], "what": "target"}]
    unit = pledge["unit"]
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelOverlap=True))
    y = alt.Y("value:Q", title=unit)
    lines = alt.Chart(alt.Data(values=rows)).mark_line(point=True).encode(
        x=x, y=y, color=alt.Color("member:N", title="Signatory", scale=alt.Scale(range=PALETTE)),
        tooltip=["member:N", "what:N", alt.Tooltip("date:T", title="as of"), alt.Tooltip("value:Q", title=unit),
                 alt.Tooltip("coverage:Q", format=".0%", title="known for")],
    )
    rule = alt.Chart(alt.Data(values=target)).mark_rule(strokeDash=[6, 4], color="#bc4749").encode(
        y="value:Q", tooltip=[alt.Tooltip("value:Q", title="target")])
    point = alt.Chart(alt.Data(values=target)).mark_point(shape="diamond", size=120, filled=True,
                                                          color="#bc4749").encode(
        x=x, y=y, tooltip=[alt.Tooltip("date:T", title="target date"), alt.Tooltip("value:Q", title="target")])
    chart = alt.layer(lines, rule, point).properties(
        width=WIDTH, height=260, title=f"{pledge['title']}: each signatory against the target")
    return chart.to_dict()


# -- the report and exports ----------------------------------------------------------------------------------
def _latest_row(s: dict) -> dict:
    latest = s["latest"] or {}
    return {
        "member": s["member"], "signed_on": s["signed_on"], "baseline": s["baseline"], "target": s["target"],
        "latest_value": latest.get("value"), "latest_period": latest.get("period"), "latest_as_of": latest.get("as_of"),
        "coverage": latest.get("coverage"), "share_of_way": s["share_of_way"], "share_of_time": s["share_of_time"],
        "status": s["status"],
    }


PUBLIC_PLEDGE_FIELDS = ("pledge_id", "title", "text", "theme", "measure", "unit", "direction", "grain",
                        "baseline_value", "baseline_period", "target_value", "target_date", "status")


def report_data(ws: Workspace, public: bool = False) -> dict:
    """Each pledge with each signatory's latest progress. ``public``: only the signatories
    that agreed to publish theirs are named; the others are counted ("n more members have
    signed"); nobody's name as the person who recorded anything."""
    calc = Calculator(ws)
    pledges = []
    for p in list_pledges(ws):
        prog = progress(ws, p["pledge_id"], calc)
        shown = [s for s in prog["signatories"] if s["public"] or not public]
        unnamed = len(prog["signatories"]) - len(shown)
        n = len(prog["signatories"])
        summary = f"{n} member{'s have' if n != 1 else ' has'} signed"
        if public and unnamed:
            summary += f"; {unnamed} not named here (not agreed to publish {'their' if unnamed != 1 else 'its'} " \
                       "progress)"
        pledges.append({**{k: prog["pledge"][k] for k in PUBLIC_PLEDGE_FIELDS},
                        "signatory_count": n, "unnamed_signatories": unnamed, "summary": summary,
                        "signatories": [_latest_row(s) for s in shown]})
    return {"public": public, "pledges": pledges}


def export_tables(ws: Workspace, public: bool = False) -> dict[str, list[dict]]:
    """pledges, signatories and progress (computed points with their coverage, and reported
    values and notes). ``public``: only consenting signatories, and no free text or account
    names (who recorded it) that could name a person."""
    calc = Calculator(ws)
    pledges, signatories, points = [], [], []
    for p in list_pledges(ws):
        prog = progress(ws, p["pledge_id"], calc)
        pl = prog["pledge"]
        row = {k: pl[k] for k in PUBLIC_PLEDGE_FIELDS}
        row["signatories"] = len(prog["signatories"])
        if not public:
            row.update(metric=pl["metric"], tier=pl["tier"], created_at=pl["created_at"], created_by=pl["created_by"])
        pledges.append(row)
        for s in prog["signatories"]:
            if public and not s["public"]:
                continue
            srow = {"pledge_id": pl["pledge_id"], "pledge": pl["title"], **_latest_row(s),
                    "baseline_source": s["baseline_source"], "public": s["public"]}
            if not public:
                srow["signed_by"] = s["signed_by"]
            signatories.append(srow)
            for pt in s["points"]:
                prow = {"pledge_id": pl["pledge_id"], "pledge": pl["title"], "member": s["member"],
                        "source": pt["source"], "period": pt.get("period"), "as_of": pt["as_of"],
                        "value": pt["value"], "unit": pl["unit"], "numerator": pt.get("numerator"),
                        "known": pt.get("known"), "denominator": pt.get("denominator"),
                        "coverage": pt.get("coverage"), "payments": pt.get("payments"),
                        "complete_period": pt.get("complete")}
                if not public:
                    prow.update(evidence=pt.get("evidence"), evidence_url=pt.get("evidence_url"), note=pt.get("note"),
                                recorded_by=pt.get("recorded_by"), recorded_at=pt.get("recorded_at"))
                points.append(prow)
    return {"pledges": pledges, "pledge_signatories": signatories, "pledge_progress": points}
