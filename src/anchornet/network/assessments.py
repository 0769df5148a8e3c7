"""Self-assessment against the progression framework: a member's answers over time, its
profile (latest level per dimension), the change since last time, the next actions, the
spend figures that measure a criterion, and the network's anonymous distribution.

Privacy: a member's answers are its own (and the coordinator's, who runs the network);
everyone else sees only counts of members per level, and none at all while fewer than
``MIN_GROUP`` members have assessed against a framework, so that no member can be picked out.
"""

from __future__ import annotations

import datetime as dt
import json

from anchornet.analysis.metrics import Analysis, Scope
from anchornet.errors import AnchornetError
from anchornet.ingest.period import Period, months
from anchornet.network import framework as frameworks
from anchornet.network import inputs
from anchornet.network.framework import LEVEL_NAMES, LEVELS, MEASURES, Framework
from anchornet.sqlrows import dict_rows
from anchornet.workspace import Workspace

MIN_GROUP = 3
SUPPRESSED = f"fewer than {MIN_GROUP} members"
MAX_EVIDENCE = 5000


def _member_id(ws: Workspace, member: str) -> int:
    member_id = ws.member_id(member)
    if member_id is None:
        names = [r[0] for r in ws.con.execute("SELECT name FROM members ORDER BY name").fetchall()]
        raise AnchornetError(f"no member called {member!r}; members are: {', '.join(names) or '(none yet)'}")
    return member_id


# -- evidence from the spend data --------------------------------------------------------------------
def evidence_key(measure: str, tier: str | None) -> str:
    return f"{measure}@{tier}" if tier else measure


def latest_year(ws: Workspace, member: str) -> Period | None:
    """The latest 12 months of a member's payments (ending with the month of its last
    payment), or None when it has none."""
    rows = ws.con.execute(
        """SELECT max(coalesce(r.payment_date, r.period_end, f.period_end))
           FROM records r JOIN files f ON f.file_id = r.file_id AND f.status = 'active'
           JOIN members m ON m.member_id = r.member_id
           WHERE r.status = 'loaded' AND m.name = ?""", [member]).fetchall()
    last = rows[0][0] if rows else None
    if last is None:
        return None
    start_year, start_month = (last.year, last.month - 11) if last.month == 12 else (last.year - 1, last.month + 1)
    return months(start_year, start_month, last.year, last.month)


def spend_evidence(ws: Workspace, member: str, fw: Framework) -> dict:
    """The member's figure for each (measure, tier) the framework's criteria name, over the
    latest 12 months of its payments, with coverage; 'unknown' (share None, with the reason)
    when the data cannot measure it. Computed by the analysis library, never here."""
    keys = fw.evidence_keys()
    period = latest_year(ws, member) if keys else None
    figures: dict[str, dict] = {}
    if not keys:
        return {"period": None, "figures": figures}
    if period is None:
        for measure, tier in keys:
            figures[evidence_key(measure, tier)] = _unknown(measure, tier, None,
                                                            "no payments of this member are loaded")
        return {"period": None, "figures": figures}
    with Analysis(ws, Scope(members=[member], period=period)) as analysis:
        head = analysis.headline()
        tiers = analysis.tiers
    for measure, tier in keys:
        key = evidence_key(measure, tier)
        if measure == "local_spend_share":
            if not tiers:
                figures[key] = _unknown(measure, tier, period, "the network's place is not defined yet")
                continue
            name = tier or tiers[-1]
            found = next((t for t in head["local"] if t["tier"] == name), None)
            if found is None:
                figures[key] = _unknown(measure, tier, period, f"the place has no tier called {tier!r}")
                continue
            figures[key] = _figure(measure, name, period, found, "where the suppliers are is not known")
        elif measure == "sme_spend_share":
            figures[key] = _figure(measure, None, period, head["sme"],
                                   "supplier sizes are not known (load the Companies House register)")
        elif measure == "vcse_spend_share":
            figures[key] = _figure(measure, None, period, head["vcse"], "supplier types are not known")
        else:  # deprived_spend_share
            figures[key] = _figure(measure, None, period, head["deprivation"]["most_deprived_20pc"],
                                   "neighbourhood deprivation is not known for the suppliers "
                                   "(define the place with the postcode lookup)")
    return {"period": str(period), "figures": figures}


def _unknown(measure: str, tier: str | None, period: Period | None, reason: str) -> dict:
    return {"measure": measure, "label": MEASURES[measure], "tier": tier, "period": str(period) if period else None,
            "share": None, "coverage": None, "status": "unknown", "reason": reason}


def _figure(measure: str, tier: str | None, period: Period, share: dict, why_unknown: str) -> dict:
    if not share["denominator"]:
        return _unknown(measure, tier, period, "no influenceable spend in the latest 12 months")
    if share["share"] is None:
        return _unknown(measure, tier, period, why_unknown)
    return {"measure": measure, "label": MEASURES[measure], "tier": tier, "period": str(period),
            "share": share["share"], "coverage": share["coverage"], "status": "measured", "reason": None}


def judge(criterion: dict, figures: dict) -> dict | None:
    """A criterion's evidence beside the member's figure: whether it meets the threshold
    (None when unknown)."""
    ev = criterion.get("evidence")
    if not ev:
        return None
    figure = figures.get(evidence_key(ev["measure"], ev.get("tier")))
    if figure is None:
        figure = _unknown(ev["measure"], ev.get("tier"), None, "not computed")
    meets = None if figure["share"] is None else figure["share"] >= ev["at_least"]
    return {**figure, "at_least": ev["at_least"], "meets": meets}


def annotated(fw: Framework, evidence: dict) -> list[dict]:
    """The framework's dimensions with each criterion's spend evidence (``figure``) beside it."""
    figures = evidence["figures"]
    dims = []
    for dim in fw.dimensions:
        levels = [{**lv, "criteria": [{**c, "figure": judge(c, figures)} for c in lv["criteria"]]}
                  for lv in dim["levels"]]
        dims.append({**dim, "levels": levels})
    return dims


def _dimension_evidence(fw: Framework, dimension_id: str, figures: dict) -> list[dict]:
    """The figures the criteria of one dimension name (each once), as shown at the time."""
    out, seen = [], set()
    for lv in fw.dimension(dimension_id)["levels"]:
        for c in lv["criteria"]:
            ev = c.get("evidence")
            if ev:
                key = evidence_key(ev["measure"], ev.get("tier"))
                if key not in seen:
                    seen.add(key)
                    out.append(figures.get(key) or _unknown(ev["measure"], ev.get("tier"), None, "not computed"))
    return out


# -- recording an assessment ---------------------------------------------------------------------------
def parse_date(value: dt.date | str | None) -> dt.date:
    """The date of an assessment (YYYY-MM-DD): today when not given; never in the future."""
    day = inputs.date(value, "date") or dt.date.today()
    if day > dt.date.today():
        raise AnchornetError(f"the date of an assessment cannot be in the future ({day})")
    if day.year < 2000:
        raise AnchornetError(f"the date {day} is too early for an assessment")
    return day


def record(ws: Workspace, member: str, levels: dict[str, int], evidence: dict[str, str] | None = None, *,
           by: str, assessed_on: dt.date | str | None = None, framework_id: str | None = None) -> dict:
    """Record a self-assessment: a level (1-4) for one or more dimensions of the member's
    framework, with optional evidence text; the spend figures in view are kept with it.
    Recording the same answers again on the same day changes nothing."""
    member_id = _member_id(ws, member)
    fw = frameworks.get(ws, framework_id) if framework_id else frameworks.framework_for_member(ws, member_id)
    evidence = {k: inputs.text(v, f"evidence for {k}", limit=MAX_EVIDENCE) or "" for k, v in (evidence or {}).items()}
    day = parse_date(assessed_on)
    if not levels:
        raise AnchornetError("choose a level for at least one dimension")
    answers: dict[str, int] = {}
    for dim_id, level in levels.items():
        if fw.dimension(dim_id) is None:
            raise AnchornetError(f"{fw.name} has no dimension {dim_id!r}; its dimensions are: "
                                 + ", ".join(d["id"] for d in fw.dimensions))
        try:
            value = int(level)
        except (TypeError, ValueError):
            raise AnchornetError(f"the level for {dim_id} must be 1, 2, 3 or 4, not {level!r}") from None
        if value not in LEVELS:
            raise AnchornetError(f"the level for {dim_id} must be 1, 2, 3 or 4, not {level!r}")
        answers[dim_id] = value
    for dim_id, text in evidence.items():
        if text and dim_id not in answers:
            raise AnchornetError(f"evidence was given for {dim_id} but no level: choose a level for it too")
    spend = spend_evidence(ws, member, fw)
    ordered = [d["id"] for d in fw.dimensions if d["id"] in answers]
    same = _same_as_last(ws, member_id, fw, day, by, {d: (answers[d], evidence.get(d, "")) for d in ordered})
    if same is not None:
        return {"assessment_id": same, "member": member, "framework": fw.id, "version": fw.version,
                "assessed_on": day.isoformat(), "levels": answers, "unchanged": True}
    with ws.transaction():
        frameworks.store(ws, fw, by=by)  # a default is stored once used, so the text stays
        assessment_id = ws.con.execute(
            "INSERT INTO assessments (member_id, framework_id, framework_version, assessed_on, assessed_by) "
            "VALUES (?, ?, ?, ?, ?) RETURNING assessment_id", [member_id, fw.id, fw.version, day, by]
        ).fetchall()[0][0]
        for dim_id in ordered:
            ws.con.execute(
                "INSERT INTO assessment_answers (assessment_id, dimension_id, level, evidence, spend_evidence_json) "
                "VALUES (?, ?, ?, ?, ?)",
                [assessment_id, dim_id, answers[dim_id], evidence.get(dim_id, ""),
                 json.dumps(_dimension_evidence(fw, dim_id, spend["figures"]))])
    return {"assessment_id": assessment_id, "member": member, "framework": fw.id, "version": fw.version,
            "assessed_on": day.isoformat(), "levels": answers, "unchanged": False}


def _same_as_last(ws: Workspace, member_id: int, fw: Framework, day: dt.date, by: str,
                  answers: dict[str, tuple[int, str]]) -> int | None:
    rows = ws.con.execute(
        """SELECT assessment_id FROM assessments WHERE member_id = ? AND framework_id = ? AND framework_version = ?
             AND assessed_on = ? AND assessed_by = ? ORDER BY assessment_id DESC LIMIT 1""",
        [member_id, fw.id, fw.version, day, by]).fetchall()
    if not rows:
        return None
    last = {r[0]: (r[1], r[2]) for r in ws.con.execute(
        "SELECT dimension_id, level, evidence FROM assessment_answers WHERE assessment_id = ?", [rows[0][0]]
    ).fetchall()}
    return rows[0][0] if last == answers else None


# -- reading: profile, history ---------------------------------------------------------------------------
def _answers(ws: Workspace, member_id: int, framework_id: str) -> list[dict]:
    return dict_rows(ws.con.execute("""
        SELECT a.assessment_id, a.assessed_on, a.assessed_by, a.framework_version, x.dimension_id, x.level,
               x.evidence, x.spend_evidence_json
        FROM assessments a JOIN assessment_answers x USING (assessment_id)
        WHERE a.member_id = ? AND a.framework_id = ?
        ORDER BY a.assessed_on, a.assessment_id""", [member_id, framework_id]))


def profile(ws: Workspace, member: str) -> dict:
    """The member's framework, its latest level per dimension with the previous one and the
    change, the next actions for each dimension, and the criteria of the next level."""
    member_id = _member_id(ws, member)
    framework_id, why = frameworks.member_framework_id(ws, member_id)
    fw = frameworks.get(ws, framework_id)
    answers = _answers(ws, member_id, fw.id)
    by_dim: dict[str, list[dict]] = {}
    for a in answers:
        by_dim.setdefault(a["dimension_id"], []).append(a)
    dims = []
    for dim in fw.dimensions:
        history = by_dim.get(dim["id"], [])
        latest = history[-1] if history else None
        previous = history[-2] if len(history) > 1 else None
        level = latest["level"] if latest else None
        item = {
            "id": dim["id"], "name": dim["name"], "description": dim["description"],
            "level": level, "level_name": LEVEL_NAMES.get(level) if level else None,
            "assessed_on": latest["assessed_on"].isoformat() if latest else None,
            "evidence": latest["evidence"] if latest else "",
            "spend_evidence": json.loads(latest["spend_evidence_json"]) if latest else [],
            "previous_level": previous["level"] if previous else None,
            "previous_on": previous["assessed_on"].isoformat() if previous else None,
            "change": (level - previous["level"]) if previous else None,
            "next_actions": list(fw.level(dim["id"], level)["next_actions"]) if level else [],
            "next_level": level + 1 if level and level < 4 else None,
            "next_level_criteria": ([c["text"] for c in fw.level(dim["id"], level + 1)["criteria"]]
                                    if level and level < 4 else []),
        }
        dims.append(item)
    dates = sorted({a["assessed_on"] for a in answers})
    ids = sorted({a["assessment_id"] for a in answers})
    return {
        "member": member,
        "framework": {"id": fw.id, "version": fw.version, "name": fw.name, "why": why},
        "assessments": len(ids),
        "first_assessed": dates[0].isoformat() if dates else None,
        "last_assessed": dates[-1].isoformat() if dates else None,
        "assessed": any(d["level"] for d in dims),
        "dimensions": dims,
        "changed": [d["id"] for d in dims if d["change"]],
    }


def history(ws: Workspace, member: str) -> list[dict]:
    """Every assessment of the member, newest first, with its answers and the change of each
    answer from the member's previous answer for that dimension (same framework)."""
    member_id = _member_id(ws, member)
    heads = dict_rows(ws.con.execute("""
        SELECT assessment_id, assessed_on, assessed_by, framework_id, framework_version, created_at
        FROM assessments WHERE member_id = ? ORDER BY assessed_on, assessment_id""", [member_id]))
    rows = dict_rows(ws.con.execute("""
        SELECT x.* FROM assessment_answers x JOIN assessments a USING (assessment_id)
        WHERE a.member_id = ?""", [member_id]))
    by_assessment: dict[int, dict[str, dict]] = {}
    for r in rows:
        by_assessment.setdefault(r["assessment_id"], {})[r["dimension_id"]] = r
    last: dict[tuple[str, str], int] = {}
    out = []
    versions: dict[tuple[str, int], Framework] = {}
    for h in heads:
        key = (h["framework_id"], h["framework_version"])
        fw = versions.get(key) or versions.setdefault(key, frameworks.get(ws, *key))
        answers = []
        for dim in fw.dimensions:
            r = by_assessment.get(h["assessment_id"], {}).get(dim["id"])
            if r is None:
                continue
            before = last.get((h["framework_id"], dim["id"]))
            answers.append({"dimension_id": dim["id"], "dimension": dim["name"], "level": r["level"],
                            "level_name": LEVEL_NAMES[r["level"]], "evidence": r["evidence"],
                            "spend_evidence": json.loads(r["spend_evidence_json"]),
                            "previous_level": before, "change": None if before is None else r["level"] - before})
            last[(h["framework_id"], dim["id"])] = r["level"]
        out.append({"assessment_id": h["assessment_id"], "assessed_on": h["assessed_on"].isoformat(),
                    "assessed_by": h["assessed_by"], "framework": h["framework_id"],
                    "framework_version": h["framework_version"], "framework_name": fw.name, "answers": answers})
    return list(reversed(out))


def assessed_members(ws: Workspace) -> list[dict]:
    """For the coordinator: every member, its framework, how often and when it last assessed."""
    rows = dict_rows(ws.con.execute("""
        SELECT m.member_id, m.name AS member, count(a.assessment_id) AS assessments,
               max(a.assessed_on) AS last_assessed, min(a.assessed_on) AS first_assessed
        FROM members m LEFT JOIN assessments a ON a.member_id = m.member_id
        GROUP BY 1, 2 ORDER BY 2"""))
    for r in rows:
        r["framework"], r["why"] = frameworks.member_framework_id(ws, r["member_id"])
        for k in ("last_assessed", "first_assessed"):
            r[k] = r[k].isoformat() if r[k] else None
    return rows


# -- the network's anonymous distribution ------------------------------------------------------------------
def distribution(ws: Workspace, framework_id: str) -> dict:
    """Per dimension, how many members are at each level (each member's latest answer).
    No member is named; nothing is shown while fewer than MIN_GROUP members have assessed
    against the framework, or answered a dimension."""
    fw = frameworks.get(ws, framework_id)
    assessed = ws.con.execute("SELECT count(DISTINCT member_id) FROM assessments WHERE framework_id = ?",
                              [fw.id]).fetchall()[0][0]
    counts = ws.con.execute("""
        WITH latest AS (
            SELECT a.member_id, x.dimension_id, x.level,
                   row_number() OVER (PARTITION BY a.member_id, x.dimension_id
                                      ORDER BY a.assessed_on DESC, a.assessment_id DESC) AS rn
            FROM assessments a JOIN assessment_answers x USING (assessment_id)
            WHERE a.framework_id = ?)
        SELECT dimension_id, level, count(*) FROM latest WHERE rn = 1 GROUP BY 1, 2""", [fw.id]).fetchall()
    table: dict[str, dict[int, int]] = {}
    for dim_id, level, n in counts:
        table.setdefault(dim_id, {})[level] = n
    suppressed = assessed < MIN_GROUP
    dims = []
    for dim in fw.dimensions:
        found = table.get(dim["id"], {})
        answered = sum(found.values())
        hidden = suppressed or answered < MIN_GROUP
        dims.append({
            "id": dim["id"], "name": dim["name"], "suppressed": hidden,
            "members": None if hidden else answered,
            "levels": [{"level": lv, "name": LEVEL_NAMES[lv], "members": None if hidden else found.get(lv, 0)}
                       for lv in LEVELS],
        })
    return {"framework": fw.id, "version": fw.version, "name": fw.name, "minimum": MIN_GROUP,
            "members_assessed": None if suppressed else assessed,
            "suppressed": suppressed, "note": SUPPRESSED if suppressed else None, "dimensions": dims}


def frameworks_in_use(ws: Workspace) -> list[str]:
    """The frameworks members take or have assessed against (the defaults for each kind first)."""
    ids = [frameworks.kind_framework_id(ws, k) for k in frameworks.KINDS]
    for r in ws.con.execute("SELECT DISTINCT framework_id FROM assessments ORDER BY 1").fetchall():
        ids.append(r[0])
    for r in ws.con.execute("SELECT DISTINCT framework_id FROM framework_choices ORDER BY 1").fetchall():
        ids.append(r[0])
    return list(dict.fromkeys(ids))


def distributions(ws: Workspace) -> list[dict]:
    return [distribution(ws, f) for f in frameworks_in_use(ws)]


# -- the report and exports -----------------------------------------------------------------------------------
def report_data(ws: Workspace, public: bool = False) -> dict:
    """For the network report (both editions): the anonymous distribution per framework and
    dimension (suppressed below MIN_GROUP) and how many members have assessed; never a
    member's answers."""
    total = ws.con.execute("SELECT count(DISTINCT member_id) FROM assessments").fetchall()[0][0]
    return {"members_assessed": total if total >= MIN_GROUP or not public else None,
            "members_assessed_note": None if total >= MIN_GROUP or not public else SUPPRESSED,
            "minimum": MIN_GROUP,
            "frameworks": [d for d in distributions(ws)
                           if ws.con.execute("SELECT count(*) FROM assessments WHERE framework_id = ?",
                                             [d["framework"]]).fetchall()[0][0]]}


def _distribution_rows(ws: Workspace) -> list[dict]:
    rows = []
    for d in distributions(ws):
        for dim in d["dimensions"]:
            for lv in dim["levels"]:
                rows.append({"framework": d["framework"], "framework_version": d["version"],
                             "dimension": dim["name"], "level": lv["level"], "level_name": lv["name"],
                             "members": lv["members"], "note": SUPPRESSED if dim["suppressed"] else ""})
    return rows


def export_tables(ws: Workspace, public: bool = False) -> dict[str, list[dict]]:
    """Tables for the CSV/XLSX export. Public: the anonymous distribution only. Internal:
    also every assessment and answer (who recorded it included)."""
    tables = {"framework_distribution": _distribution_rows(ws)}
    if public:
        return tables
    tables["framework_assessments"] = dict_rows(ws.con.execute("""
        SELECT a.assessment_id, m.name AS member, a.framework_id AS framework, a.framework_version,
               a.assessed_on, a.assessed_by, a.created_at
        FROM assessments a JOIN members m USING (member_id) ORDER BY a.assessment_id"""))
    answers = dict_rows(ws.con.execute("""
        SELECT a.assessment_id, m.name AS member, a.framework_id AS framework, a.framework_version,
               a.assessed_on, x.dimension_id, x.level, x.evidence, x.spend_evidence_json
        FROM assessments a JOIN members m USING (member_id) JOIN assessment_answers x USING (assessment_id)
        ORDER BY a.assessment_id, x.dimension_id"""))
    for r in answers:
        fw = frameworks.get(ws, r["framework"], r["framework_version"])
        dim = fw.dimension(r["dimension_id"])
        r["dimension"] = dim["name"] if dim else r["dimension_id"]
        r["level_name"] = LEVEL_NAMES[r["level"]]
        figures = json.loads(r.pop("spend_evidence_json"))
        r["spend_evidence"] = "; ".join(
            f"{f['measure']}{' (' + f['tier'] + ')' if f.get('tier') else ''}: "
            + (f"{f['share']:.1%} (coverage {f['coverage']:.0%}, {f['period']})" if f["share"] is not None
               else f"unknown ({f['reason']})") for f in figures)
    tables["framework_answers"] = answers
    return tables
