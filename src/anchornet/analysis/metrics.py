"""The spend metrics: one SQL relation of analysable payments, and the figures on it.

Every share is returned with its numerator, its denominator and its coverage (the
part of the denominator whose answer is known), so "unknown" is always shown and
figures reconcile: the parts sum to the totals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from anchornet.analysis.influence import Rule, excluded_by_sql, load_rules
from anchornet.analysis.periods import Window, bucket_sql
from anchornet.errors import AnchornetError
from anchornet.ingest.period import Period
from anchornet.sqltext import sql_literal
from anchornet.workspace import Workspace

BASE_SQL = """
SELECT r.member_id, m.name AS member, r.file_id, f.name AS source_file, r.part_no, r.source_line,
       r.amount, r.category, r.service_area, r.supplier_name, r.payment_date,
       coalesce(r.payment_date, r.period_start, f.period_start) AS span_start,
       coalesce(r.payment_date, r.period_end, f.period_end) AS span_end,
       q.payee_id, q.entity_id,
       coalesce(e.class, q.class, 'unknown') AS payee_class,
       coalesce(e.personal, q.personal, false) AS personal,
       CASE WHEN coalesce(e.personal, q.personal, false) THEN NULL ELSE e.display_name END AS supplier,
       e.sme, e.postcode, e.size_band, l.* EXCLUDE (entity_id)
FROM records r
JOIN files f ON f.file_id = r.file_id AND f.status = 'active'
JOIN members m ON m.member_id = r.member_id
LEFT JOIN payees q ON q.member_id = r.member_id AND q.supplier_name = r.supplier_name
                  AND q.supplier_ref = coalesce(r.supplier_ref, '')
LEFT JOIN supplier_entities e ON e.entity_id = q.entity_id
LEFT JOIN _analysis_locations l ON l.entity_id = q.entity_id
WHERE r.status = 'loaded'
"""


@dataclass
class Scope:
    """Which payments a figure is about: some members (or all), a window of time."""

    members: list[str] = field(default_factory=list)
    period: Period | None = None

    def describe(self) -> dict:
        return {"members": self.members or "all", "period": str(self.period) if self.period else "all"}


# Up to this many payments in scope, they are joined and judged once into a temporary
# table that every figure reads (each figure then takes a fraction of a second);
# above it, each figure runs on the join itself and memory stays flat.
MATERIALISE_LIMIT = 5_000_000


class Analysis:
    """Figures for one scope of one workspace. Use as a context manager, or call close()."""

    _instances = 0

    def __init__(self, ws: Workspace, scope: Scope | None = None, rules: list[Rule] | None = None):
        self.ws = ws
        self.scope = scope or Scope()
        self.rules = rules if rules is not None else load_rules(ws.path)
        self.tiers = _install_locations(ws)
        known = {r[0] for r in ws.con.execute("SELECT name FROM members").fetchall()}
        unknown = [m for m in self.scope.members if m not in known]
        if unknown:
            raise AnchornetError(
                f"no member called {', '.join(map(repr, unknown))}; members are: "
                + (", ".join(sorted(known)) or "(none yet)")
            )
        Analysis._instances += 1
        self._table = f"_analysis_rows_{Analysis._instances}"
        self._materialise()

    def _materialise(self) -> None:
        """The scope's payments, joined and judged once: every figure then reads this.

        A category rule is matched once per distinct category in Python (the same
        regular expression), not once per payment in SQL.
        """
        categories = [r[0] for r in self.ws.con.execute(
            "SELECT DISTINCT category FROM records WHERE status = 'loaded' AND category IS NOT NULL"
        ).fetchall()]
        members = self._members_sql()
        window = Window(self.scope.period).sql("span_start", "span_end")
        self._sql = f"""
            SELECT *, {excluded_by_sql(self.rules, categories)} AS excluded_by
            FROM ({BASE_SQL}) base
            WHERE {window} {members}
        """
        rows = self.ws.con.execute(
            "SELECT count(*) FROM records r JOIN files f ON f.file_id = r.file_id "
            "JOIN members m ON m.member_id = r.member_id "
            f"WHERE r.status = 'loaded' AND f.status = 'active' "
            f"{members.replace('member IN', 'm.name IN')}"
        ).fetchall()[0][0]
        self._materialised = rows <= MATERIALISE_LIMIT
        if self._materialised:
            self.ws.con.execute(f"CREATE OR REPLACE TEMP TABLE {self._table} AS {self._sql}")

    def _members_sql(self) -> str:
        """The scope's member filter, to follow a WHERE clause ('' for the whole network)."""
        if not self.scope.members:
            return ""
        return "AND member IN (" + ", ".join(sql_literal(m) for m in self.scope.members) + ")"

    def close(self) -> None:
        """Free the materialised payments (they live as long as the connection otherwise)."""
        if self._materialised:
            self.ws.con.execute(f"DROP TABLE IF EXISTS {self._table}")
            self._materialised = False

    def __enter__(self) -> Analysis:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the relation everything is computed on ------------------------------------
    def relation(self) -> str:
        return f"SELECT * FROM {self._table}" if self._materialised else self._sql

    def _one(self, sql: str) -> dict:
        result = self.ws.con.execute(sql)
        names = [d[0] for d in result.description]
        rows = result.fetchall()
        return dict(zip(names, rows[0], strict=True)) if rows else {}

    def _all(self, sql: str) -> list[dict]:
        result = self.ws.con.execute(sql)
        names = [d[0] for d in result.description]
        return [dict(zip(names, r, strict=True)) for r in result.fetchall()]

    # -- figures ------------------------------------------------------------------
    def outside_window(self) -> dict:
        """Payments left out because their known span crosses the window's edges."""
        if self.scope.period is None:
            return {"payments": 0, "amount": 0.0}
        p = self.scope.period
        members = self._members_sql()
        row = self._one(f"""
            SELECT count(*) AS payments, coalesce(sum(amount), 0) AS amount FROM ({BASE_SQL}) b
            WHERE NOT (span_start >= DATE '{p.start}' AND span_end <= DATE '{p.end}')
              AND span_start <= DATE '{p.end}' AND span_end >= DATE '{p.start}' {members}
        """)
        return {"payments": row["payments"], "amount": float(row["amount"])}

    def headline(self) -> dict:
        rel = self.relation()
        row = self._one(f"""
            SELECT count(*) AS payments,
                   coalesce(sum(amount), 0) AS total,
                   coalesce(sum(amount) FILTER (WHERE excluded_by IS NULL), 0) AS influenceable,
                   count(DISTINCT entity_id) FILTER (WHERE NOT personal) AS suppliers,
                   count(DISTINCT payee_id) FILTER (WHERE personal) AS personal_payees,
                   count(*) FILTER (WHERE payee_id IS NULL) AS unresolved_payments,
                   {_CLASS_SUMS},
                   {_influenceable_where('located')} AS located
            FROM ({rel})
        """)
        excluded = self._all(f"""
            SELECT excluded_by AS rule, count(*) AS payments, sum(amount) AS amount
            FROM ({rel}) WHERE excluded_by IS NOT NULL GROUP BY 1 ORDER BY 3 DESC
        """)
        infl = float(row["influenceable"])
        return {
            "scope": self.scope.describe(),
            "payments": row["payments"],
            "total_spend": float(row["total"]),
            "excluded": [
                {**e, "amount": float(e["amount"]),
                 "why": next((r.why for r in self.rules if r.name == e["rule"]), "")}
                for e in excluded
            ],
            "influenceable_spend": infl,
            "suppliers": row["suppliers"],
            "personal_payees": row["personal_payees"],
            "unresolved_payments": row["unresolved_payments"],
            **_class_shares(row, infl),
            "located": {  # where suppliers are is itself the coverage of every local share
                "numerator": round(float(row["located"]), 2), "denominator": round(infl, 2),
                "share": round(float(row["located"]) / infl, 4) if infl else None,
            },
            "outside_window": self.outside_window(),
            "local": self.local(),
            "deprivation": self.deprivation(),
        }

    def local(self) -> list[dict]:
        """For each tier of the place, the share of influenceable spend with suppliers inside it."""
        if not self.tiers:
            return []
        row = self._one(f"""
            SELECT {_INFLUENCEABLE} AS infl, {_local_sums(self.tiers)}
            FROM ({self.relation()})
        """)
        return _local_shares(row, self.tiers, float(row["infl"]))

    def deprivation(self) -> dict:
        """Spend with suppliers in the most deprived neighbourhoods (IMD deciles 1 and 1-2)."""
        row = self._one(f"""
            SELECT {_INFLUENCEABLE} AS infl, {_DEPRIVED_SUMS}
            FROM ({self.relation()})
        """) if self.tiers is not None else {}
        return _deprivation_shares(row, float(row.get("infl", 0)))

    def leakage(self, tier: str | None = None, limit: int = 20) -> dict:
        """Influenceable spend known to go to suppliers outside a tier, by category, largest first."""
        if not self.tiers:
            return {"tier": None, "categories": []}
        tier = tier or self.tiers[0]
        if tier not in self.tiers:
            raise AnchornetError(f"no tier called {tier!r}; tiers are {', '.join(self.tiers)}")
        rows = self._all(f"""
            SELECT coalesce(category, '(not given)') AS category,
                   sum(amount) AS influenceable_spend,
                   coalesce(sum(amount) FILTER (WHERE {_col(tier)}), 0) AS inside,
                   coalesce(sum(amount) FILTER (WHERE NOT {_col(tier)}), 0) AS outside,
                   coalesce(sum(amount) FILTER (WHERE {_col(tier)} IS NULL), 0) AS unknown
            FROM ({self.relation()}) WHERE excluded_by IS NULL
            GROUP BY 1 ORDER BY outside DESC, 1 LIMIT {int(limit)}
        """)
        return {"tier": tier, "categories": [
            {k: (float(v) if k != "category" else v) for k, v in r.items()} for r in rows
        ]}

    def change_against(self, baseline: Period) -> dict:
        """Each headline figure now and in a baseline period (same members), and the change."""
        now = self.headline()
        with Analysis(self.ws, Scope(members=self.scope.members, period=baseline), self.rules) as then:
            base = then.headline()

        def delta(a, b):
            return None if a is None or b is None else round(a - b, 4)

        rows = [{"figure": "influenceable spend", "now": now["influenceable_spend"],
                 "baseline": base["influenceable_spend"],
                 "change": round(now["influenceable_spend"] - base["influenceable_spend"], 2)}]
        pairs = [(f"local share: {t['tier']}", t, b) for t, b in zip(now["local"], base["local"], strict=True)]
        pairs += [(f"{k} share", now[k], base[k]) for k in ("sme", "vcse")]
        for name, a, b in pairs:
            rows.append({"figure": name, "now": a["share"], "baseline": b["share"],
                         "change": delta(a["share"], b["share"]),
                         "coverage_now": a["coverage"], "coverage_baseline": b["coverage"]})
        return {"scope": now["scope"], "baseline": str(baseline), "figures": rows}

    def by(self, dimension: str, limit: int | None = None) -> list[dict]:
        """Spend by member, category or service area, largest first."""
        columns = {"member": "member", "category": "category", "service_area": "service_area"}
        if dimension not in columns:
            raise AnchornetError(f"cannot break spend down by {dimension!r}")
        col = columns[dimension]
        rows = self._all(f"""
            SELECT coalesce({col}, '(not given)') AS {dimension}, count(*) AS payments,
                   sum(amount) AS total_spend,
                   coalesce(sum(amount) FILTER (WHERE excluded_by IS NULL), 0) AS influenceable_spend
            FROM ({self.relation()}) GROUP BY 1 ORDER BY 3 DESC {f'LIMIT {int(limit)}' if limit else ''}
        """)
        return [{**r, "total_spend": float(r["total_spend"]),
                 "influenceable_spend": float(r["influenceable_spend"])} for r in rows]

    def top_suppliers(self, limit: int = 300) -> list[dict]:
        """The largest suppliers by influenceable spend; never a person or a redacted payee."""
        rows = self._all(f"""
            SELECT entity_id AS supplier_id, any_value(supplier) AS supplier,
                   any_value(payee_class) AS class, any_value(sme) AS sme,
                   any_value(postcode) AS postcode,
                   count(DISTINCT member) AS members, count(*) AS payments, sum(amount) AS spend
            FROM ({self.relation()})
            WHERE excluded_by IS NULL AND NOT personal AND entity_id IS NOT NULL
            GROUP BY entity_id ORDER BY spend DESC, entity_id LIMIT {int(limit)}
        """)
        return [{**r, "spend": float(r["spend"])} for r in rows]

    def shared_suppliers(self, min_members: int = 2, limit: int = 100) -> list[dict]:
        rows = self._all(f"""
            SELECT entity_id AS supplier_id, any_value(supplier) AS supplier,
                   list(DISTINCT member ORDER BY member) AS members, sum(amount) AS spend
            FROM ({self.relation()})
            WHERE NOT personal AND entity_id IS NOT NULL
            GROUP BY entity_id HAVING count(DISTINCT member) >= {int(min_members)}
            ORDER BY spend DESC LIMIT {int(limit)}
        """)
        return [{**r, "spend": float(r["spend"])} for r in rows]

    def trend(self, grain: str = "quarter") -> dict:
        """Each headline share by period; payments that cannot be placed at this grain apart."""
        bucket = bucket_sql(grain, "span_start", "span_end")
        rows = self._all(f"""
            SELECT {bucket} AS period, count(*) AS payments, sum(amount) AS total_spend,
                   {_INFLUENCEABLE} AS influenceable, {_CLASS_SUMS}
            FROM ({self.relation()}) GROUP BY 1 ORDER BY 1 NULLS LAST
        """)
        periods, unplaced = [], None
        for r in rows:
            infl = float(r["influenceable"])
            item = {
                "period": r["period"], "payments": r["payments"], "total_spend": float(r["total_spend"]),
                "influenceable_spend": infl,
                **_class_shares(r, infl),
            }
            if r["period"] is None:
                unplaced = {"payments": r["payments"], "total_spend": float(r["total_spend"])}
            else:
                periods.append(item)
        return {"grain": grain, "periods": periods, "not_placeable_at_this_grain": unplaced}

    def shares_by_member_and_period(self, grain: str = "quarter") -> dict[tuple[str, str], dict]:
        """Every member's headline shares (SME, VCSE, local per tier, most deprived) per
        period, in one pass over the payments: {(member, period label): figures}, the
        figures shaped as ``headline()`` gives them. For a trajectory over many periods
        (pledge progress), where an analysis per member and period would scan again and
        again. Payments that cannot be placed at this grain are left out, as ``trend``
        leaves them."""
        bucket = bucket_sql(grain, "span_start", "span_end")
        tiers = self.tiers or []
        local = f", {_local_sums(tiers)}" if tiers else ""
        deprived = f", {_DEPRIVED_SUMS}" if self.tiers is not None else ""
        rows = self._all(f"""
            SELECT member, {bucket} AS period, count(*) AS payments,
                   {_INFLUENCEABLE} AS influenceable, {_CLASS_SUMS}{local}{deprived}
            FROM ({self.relation()}) GROUP BY 1, 2 HAVING period IS NOT NULL
        """)
        out = {}
        for r in rows:
            infl = float(r["influenceable"])
            out[(r["member"], r["period"])] = {
                "payments": r["payments"],
                "influenceable_spend": infl,
                **_class_shares(r, infl),
                "local": _local_shares(r, tiers, infl),
                "deprivation": _deprivation_shares(r, infl),
            }
        return out

    def payments_behind(self, *, supplier_id: int | None = None, category: str | None = None,
                        member: str | None = None, excluded: bool | None = None,
                        tier: str | None = None, inside: bool | None = True,
                        limit: int = 1000) -> list[dict]:
        """Drill down: the payments behind a figure, with their lineage.

        ``tier`` with ``inside`` True, False or None gives the payments behind a local
        share, the spend leaving the tier, or the spend whose place is unknown.
        """
        where = ["true"]
        if tier is not None:
            if tier not in self.tiers:
                raise AnchornetError(f"no tier called {tier!r}")
            where.append(f"{_col(tier)} IS NULL" if inside is None else
                         f"{_col(tier)}" if inside else f"NOT {_col(tier)}")
        if supplier_id is not None:
            where.append(f"entity_id = {int(supplier_id)}")
        if category is not None:
            where.append(f"coalesce(category, '(not given)') = {sql_literal(category)}")
        if member is not None:
            where.append(f"member = {sql_literal(member)}")
        if excluded is not None:
            where.append("excluded_by IS NOT NULL" if excluded else "excluded_by IS NULL")
        rows = self._all(f"""
            SELECT member, source_file, source_line, payment_date, amount, category, service_area,
                   CASE WHEN personal THEN NULL ELSE supplier_name END AS supplier_name,
                   entity_id AS supplier_id, payee_class, excluded_by
            FROM ({self.relation()}) WHERE {' AND '.join(where)}
            ORDER BY abs(amount) DESC LIMIT {int(limit)}
        """)
        return [{**r, "amount": float(r["amount"])} for r in rows]


def _col(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _install_locations(ws: Workspace) -> list[str]:
    """Materialise each supplier's location and tiers for this analysis; return the tier names.

    Spend counts as located when the supplier's postcode has a valid shape (whether or
    not the postcode lookup knows it), as `anchornet place show` counts it.
    """
    from anchornet.place import locate

    con = ws.con
    locate.install(con)
    tiers = [r[0] for r in con.execute("SELECT name FROM place_tiers ORDER BY tier_no").fetchall()]
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _analysis_locations AS
            SELECT entity_id, postcode_status IN {tuple(locate.LOCATED)} AS located, imd_decile,
                   {', '.join(_col('in_' + t) + ' AS ' + _col(t) for t in tiers) or 'NULL AS no_tiers'}
            FROM ({locate.locations_sql(con)})"""
    )
    return tiers


# -- the shares' sums: one SQL fragment and one reader per kind, for every query that needs them --
_INFLUENCEABLE = "coalesce(sum(amount) FILTER (WHERE excluded_by IS NULL), 0)"


def _influenceable_where(condition: str) -> str:
    return f"coalesce(sum(amount) FILTER (WHERE excluded_by IS NULL AND {condition}), 0)"


_CLASS_SUMS = ", ".join([
    _influenceable_where("sme") + " AS sme",
    _influenceable_where("sme IS NOT NULL") + " AS sme_known",
    _influenceable_where("payee_class = 'vcse'") + " AS vcse",
    _influenceable_where("payee_class <> 'unknown'") + " AS class_known",
])
_DEPRIVED_SUMS = ", ".join([
    _influenceable_where("imd_decile = 1") + " AS d1",
    _influenceable_where("imd_decile <= 2") + " AS d2",
    _influenceable_where("imd_decile IS NOT NULL") + " AS d_known",
])


def _local_sums(tiers: list[str]) -> str:
    return ", ".join(f"{_influenceable_where(_col(t))} AS {_col('in ' + t)}, "
                     f"{_influenceable_where(_col(t) + ' IS NOT NULL')} AS {_col('known ' + t)}" for t in tiers)


def _class_shares(row: dict, infl: float) -> dict:
    return {"sme": share(float(row["sme"]), float(row["sme_known"]), infl),
            "vcse": share(float(row["vcse"]), float(row["class_known"]), infl)}


def _local_shares(row: dict, tiers: list[str], infl: float) -> list[dict]:
    return [{"tier": t, **share(float(row["in " + t]), float(row["known " + t]), infl)} for t in tiers]


def _deprivation_shares(row: dict, infl: float) -> dict:
    known = float(row.get("d_known", 0))
    return {"most_deprived_10pc": share(float(row.get("d1", 0)), known, infl),
            "most_deprived_20pc": share(float(row.get("d2", 0)), known, infl)}


def share(part: float, known: float, whole: float) -> dict:
    """A share with its coverage: part / whole, and the part of whole that is known.

    ``share`` is of the whole (so unknown stays unknown and is never split pro rata), and
    is None when nothing is known;
    ``share_of_known`` is of the known part only, for context.
    """
    return {
        "numerator": round(part, 2),
        "known": round(known, 2),
        "denominator": round(whole, 2),
        # nothing known: the share is unknown, not zero
        "share": round(part / whole, 4) if whole and known else None,
        "share_of_known": round(part / known, 4) if known else None,
        "coverage": round(known / whole, 4) if whole else None,
        "unknown_share": round(1 - known / whole, 4) if whole else None,
    }
