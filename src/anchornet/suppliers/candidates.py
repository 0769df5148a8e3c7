"""Candidate pairs of payees that might be the same supplier.

Cheap rules find most pairs in SQL (same key, trading name, shared reference or
VAT number); fuzzy candidates come from rapidfuzz within blocks (same first word,
or same last word and initial), so typos anywhere but in both words are caught.
Only pairs that involve a new payee are generated, so re-runs stay incremental.
"""

from __future__ import annotations

from collections import defaultdict

import duckdb
import pyarrow as pa
from rapidfuzz import fuzz, process

FUZZY_CUTOFF = 72  # token_sort_ratio below this never becomes a candidate
MAX_BLOCK = 4000  # larger blocks are split by the first letter of the other word


def sql_candidates(con: duckdb.DuckDBPyConnection, since_payee: int) -> None:
    """Fill temp table _cand (payee_a, payee_b) from the exact rules.

    Payees sharing a key, a reference or a VAT number are joined to the first payee
    that has it (a star, not every pair), which is enough for clustering and keeps a
    name shared by thousands of payees linear.
    """
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _cand AS
        WITH p AS (SELECT * FROM payees WHERE matchable),
        star AS (
            SELECT payee_id, min(payee_id) OVER (PARTITION BY name_key) AS hub
            FROM p WHERE name_key IS NOT NULL
            UNION ALL
            SELECT payee_id, min(payee_id) OVER (PARTITION BY member_id, supplier_ref) AS hub
            FROM p WHERE supplier_ref <> ''
            UNION ALL
            SELECT payee_id, min(payee_id) OVER (PARTITION BY vat_number) AS hub
            FROM p WHERE vat_number IS NOT NULL
        ),
        keyhub AS (SELECT name_key, min(payee_id) AS hub FROM p WHERE name_key IS NOT NULL GROUP BY 1),
        trading AS (
            SELECT a.payee_id, k.hub FROM p a JOIN keyhub k ON a.trading_key = k.name_key
        ),
        pairs AS (SELECT * FROM star UNION ALL SELECT * FROM trading)
        SELECT DISTINCT least(payee_id, hub) AS payee_a, greatest(payee_id, hub) AS payee_b
        FROM pairs
        WHERE payee_id <> hub AND (payee_id > {since_payee} OR hub > {since_payee})
        """
    )


def _blocks(rows: list[tuple[int, str]]) -> dict[str, list[int]]:
    blocks: dict[str, list[int]] = defaultdict(list)
    for index, (_, key) in enumerate(rows):
        words = key.split()
        blocks["F " + words[0]].append(index)
        blocks["P " + key.replace(" ", "")[:6]].append(index)  # 'A2DOMINION' and 'A2 DOMINION'
        if len(words) > 1:
            blocks[f"L {words[-1]} {words[0][0]}"].append(index)
    split: dict[str, list[int]] = {}
    for name, members in blocks.items():
        if len(members) <= MAX_BLOCK:
            split[name] = members
            continue
        for index in members:  # a very common word: split by the next word's initial
            words = rows[index][1].split()
            extra = words[1][0] if len(words) > 1 else "-"
            split.setdefault(f"{name} {extra}", []).append(index)
    return split


def fuzzy_candidates(con: duckdb.DuckDBPyConnection, since_payee: int) -> int:
    """Add fuzzy candidates to _cand; return how many were added."""
    rows = con.execute(
        "SELECT min(payee_id), name_key FROM payees WHERE matchable AND name_key IS NOT NULL "
        "GROUP BY name_key"
    ).fetchall()
    ids_by_key: dict[str, list[int]] = defaultdict(list)
    for pid, key in con.execute(
        "SELECT payee_id, name_key FROM payees WHERE matchable AND name_key IS NOT NULL"
    ).fetchall():
        ids_by_key[key].append(pid)
    new_keys = {
        key for (key,) in con.execute(
            "SELECT DISTINCT name_key FROM payees WHERE matchable AND payee_id > ?", [since_payee]
        ).fetchall()
    }
    pairs: set[tuple[str, str]] = set()
    for members in _blocks(rows).values():
        if len(members) < 2:
            continue
        keys = [rows[i][1] for i in members]
        fresh = [k for k in keys if k in new_keys]
        if not fresh:
            continue
        scores = process.cdist(fresh, keys, scorer=fuzz.token_sort_ratio,
                               score_cutoff=FUZZY_CUTOFF, workers=-1)
        for i, j in zip(*scores.nonzero(), strict=True):
            a, b = fresh[i], keys[j]
            if a != b:
                pairs.add((a, b) if a < b else (b, a))
    hub = {key: min(ids) for key, ids in ids_by_key.items()}
    out_a, out_b = [], []
    for ka, kb in pairs:
        a, b = hub[ka], hub[kb]
        out_a.append(min(a, b))
        out_b.append(max(a, b))
    table = pa.table({"payee_a": pa.array(out_a, pa.int64()), "payee_b": pa.array(out_b, pa.int64())})
    con.register("_fuzzy_pairs", table)
    try:
        before = con.execute("SELECT count(*) FROM _cand").fetchone()[0]
        con.execute("INSERT INTO _cand SELECT * FROM _fuzzy_pairs EXCEPT SELECT * FROM _cand").fetchall()
        return con.execute("SELECT count(*) FROM _cand").fetchall()[0][0] - before
    finally:
        con.unregister("_fuzzy_pairs")
