"""Score candidate pairs with a Fellegi-Sunter model whose parameters are data.

Each comparison puts a pair at one level (names: exact key, trading name, token-sort
similarity bands, one name containing the other; references; VAT numbers). Weights
are log2(m/u). The model is a YAML file so it can be read, versioned, retrained
and reviewed, like a Splink settings object.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import yaml
from rapidfuzz import fuzz

from anchornet.errors import AnchornetError
from anchornet.rulefiles import read_rule_file

U_SAMPLE_PAIRS = 200_000
MIN_INFORMATIVE = 100  # sampled pairs where a comparison can be made, to re-estimate its u


@dataclass
class Model:
    prior: float
    threshold: float
    review_band: tuple[float, float]
    levels: dict[str, dict[str, dict[str, float]]]  # comparison -> level -> {m, u}

    @classmethod
    def load(cls, workspace_dir: Path | None = None) -> Model:
        text = read_rule_file("anchornet.suppliers", "model.yaml", workspace_dir, "supplier_model.yaml")
        try:
            data = yaml.safe_load(text)
            return cls(
                prior=float(data["prior_log2_odds"]),
                threshold=float(data["threshold"]),
                review_band=tuple(data["review_band"]),
                levels={c: v["levels"] for c, v in data["comparisons"].items()},
            )
        except (yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
            raise AnchornetError(f"the supplier model cannot be read: {exc}") from None

    def to_yaml(self) -> str:
        return yaml.safe_dump({
            "prior_log2_odds": self.prior,
            "threshold": self.threshold,
            "review_band": list(self.review_band),
            "comparisons": {c: {"levels": v} for c, v in self.levels.items()},
        }, sort_keys=False)

    def weight(self, comparison: str, level: str) -> float:
        p = self.levels[comparison][level]
        return math.log2(max(p["m"], 1e-9) / max(p["u"], 1e-9))

    def probability(self, weight: float) -> float:
        return 1.0 / (1.0 + 2.0 ** (-weight))


def name_level(a: str | None, b: str | None, trading_a: str | None, trading_b: str | None) -> str:
    if not a or not b:
        return "other"
    if a == b:
        return "exact"
    if (trading_a and trading_a == b) or (trading_b and trading_b == a):
        return "trading"
    ts = fuzz.token_sort_ratio(a, b)
    if ts >= 95:
        return "ts95"
    if ts >= 88:
        return "ts88"
    shorter = min(len(a.split()), len(b.split()))
    if fuzz.token_set_ratio(a, b) >= 100 and (shorter >= 2 or min(len(a), len(b)) >= 4):
        return "contains"
    if ts >= 80:
        return "ts80"
    return "other"


def reference_level(member_a, member_b, ref_a, ref_b, informative_a, informative_b) -> str:
    if member_a != member_b or not ref_a or not ref_b:
        return "na"
    if ref_a == ref_b:
        return "same"
    if informative_a and informative_b:
        return "different"
    return "na"


def vat_level(a: str | None, b: str | None) -> str:
    if not a or not b:
        return "na"
    return "same" if a == b else "different"


_PAYEE_SQL = """
WITH refs AS (
    SELECT member_id, coalesce(supplier_ref, '') AS supplier_ref, count(*) AS payments
    FROM payments GROUP BY ALL
),
cats AS (
    SELECT member_id, supplier_name, coalesce(supplier_ref, '') AS supplier_ref,
           list(DISTINCT coalesce(category, '')) AS categories
    FROM payments GROUP BY ALL
)
SELECT p.payee_id, p.member_id, p.name_key, p.trading_key, p.supplier_ref, p.vat_number,
       coalesce(refs.payments, 0) >= 2 AS informative_ref, c.categories
FROM payees p
LEFT JOIN refs USING (member_id, supplier_ref)
LEFT JOIN cats c USING (member_id, supplier_name, supplier_ref)
WHERE p.matchable
"""


def _payees(con) -> dict[int, tuple]:
    return {row[0]: row[1:] for row in con.execute(_PAYEE_SQL).fetchall()}


def category_level(a: list | None, b: list | None) -> str:
    """Do the two payees' payments share an expenditure category?"""
    sa = {c for c in a or [] if c}
    sb = {c for c in b or [] if c}
    if not sa or not sb:
        return "na"
    return "shared" if sa & sb else "disjoint"


def levels_for(pa_: tuple, pb_: tuple) -> dict[str, str]:
    member_a, key_a, trade_a, ref_a, vat_a, inf_a, cat_a = pa_
    member_b, key_b, trade_b, ref_b, vat_b, inf_b, cat_b = pb_
    return {
        "name": name_level(key_a, key_b, trade_a, trade_b),
        "reference": reference_level(member_a, member_b, ref_a, ref_b, inf_a, inf_b),
        "vat_number": vat_level(vat_a, vat_b),
        "category": category_level(cat_a, cat_b),
    }


def estimate_u(con, model: Model, seed: int = 1) -> Model:
    """Re-estimate u from random pairs of this workspace's distinct names.

    Nearly every random pair is a non-match, so the share of random pairs at a level
    estimates u. One payee per distinct name key is sampled: a name paid under many
    references must not count as many different suppliers.
    """
    payees = _payees(con)
    by_key: dict[str, tuple] = {}
    for pid in sorted(payees):
        attrs = payees[pid]
        by_key.setdefault(attrs[1], attrs)
    reps = list(by_key.values())
    if len(reps) < 50:
        return model
    rng = random.Random(seed)
    counts = {c: dict.fromkeys(levels, 0) for c, levels in model.levels.items()}
    n = min(U_SAMPLE_PAIRS, len(reps) * (len(reps) - 1) // 2)
    for _ in range(n):
        a, b = rng.sample(reps, 2)
        for comparison, level in levels_for(a, b).items():
            counts[comparison][level] += 1
    levels = {}
    for comparison, by_level in model.levels.items():
        total = sum(counts[comparison].values())
        informative = total - counts[comparison].get("na", 0)
        if informative < MIN_INFORMATIVE:
            levels[comparison] = by_level  # too little data here to estimate: keep the model's u
            continue
        levels[comparison] = {}
        for level, p in by_level.items():
            # Laplace smoothing keeps a level never seen at random from weighing infinitely.
            seen = counts[comparison][level]
            u = (seen + 0.5) / (total + 0.5 * len(by_level))
            if seen == 0:
                u = min(u, p["u"])  # never seen at random: the sample cannot resolve it
            levels[comparison][level] = {"m": p["m"], "u": u}
    return Model(model.prior, model.threshold, model.review_band, levels)


def score_candidates(con: duckdb.DuckDBPyConnection, model: Model) -> int:
    """Score the pairs in temp table _cand into payee_pairs (replacing earlier scores)."""
    payees = _payees(con)
    pairs = con.execute("SELECT payee_a, payee_b FROM _cand").fetchall()
    out = {"payee_a": [], "payee_b": [], "probability": [], "weight": [], "evidence": []}
    for a, b in pairs:
        if a not in payees or b not in payees:
            continue
        levels = levels_for(payees[a], payees[b])
        weight = model.prior + sum(model.weight(c, lv) for c, lv in levels.items())
        out["payee_a"].append(a)
        out["payee_b"].append(b)
        out["probability"].append(model.probability(weight))
        out["weight"].append(weight)
        out["evidence"].append(json.dumps(levels, sort_keys=True))
    table = pa.table(out, schema=pa.schema([
        ("payee_a", pa.int64()), ("payee_b", pa.int64()), ("probability", pa.float64()),
        ("weight", pa.float64()), ("evidence", pa.string()),
    ]))
    con.register("_scored", table)
    try:
        con.execute("INSERT OR REPLACE INTO payee_pairs SELECT * FROM _scored").fetchall()
    finally:
        con.unregister("_scored")
    return len(out["payee_a"])
