"""`anchornet suppliers resolve`: normalise, classify, match and cluster, incrementally.

New payees are classified and compared with everything seen before; old pairs keep
their scores. Clustering is redone every run (it is cheap) so the coordinator's
decisions always win.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from anchornet.suppliers import candidates, cluster, overrides
from anchornet.suppliers.classify import ClassRules
from anchornet.suppliers.link import link_entities
from anchornet.suppliers.model import Model, estimate_u, score_candidates
from anchornet.suppliers.normalise import install_macros
from anchornet.suppliers.payees import add_new_payees, propagate_personal_references, settle_weak_persons
from anchornet.workspace import Workspace


@dataclass
class ResolveResult:
    new_payees: int
    payees: int
    personal_payees: int
    candidate_pairs: int
    entities: int
    merged_by_model: int
    seconds: float

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def resolve(ws: Workspace, *, model: Model | None = None, rescore: bool = False,
            progress=None) -> ResolveResult:
    """Resolve new payees; ``rescore`` compares every payee again (after a model change)."""
    say = progress or (lambda _stage: None)
    started = time.perf_counter()
    rules = ClassRules.load(ws.path)
    model = model or Model.load(ws.path)
    with ws.transaction() as con:
        install_macros(con)
        since = con.execute("SELECT coalesce(max(payee_id), 0) FROM payees").fetchone()[0]
        if rescore:
            con.execute("DELETE FROM payee_pairs")
            since = 0
        say("classifying")
        new = add_new_payees(con, rules)
        propagate_personal_references(con)
        overrides.apply_class_overrides(con)
        say("finding candidates")
        candidates.sql_candidates(con, since)
        candidates.fuzzy_candidates(con, since)
        n_candidates = con.execute("SELECT count(*) FROM _cand").fetchone()[0]
        say("scoring")
        if n_candidates:
            score_candidates(con, estimate_u(con, model))
        say("clustering")
        entities = _cluster(con, model)
        say("linking to registers")
        link_entities(con)
        con.execute("DROP TABLE IF EXISTS _cand")
        payees, personal = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE personal) FROM payees"
        ).fetchone()
        merged = con.execute(
            "SELECT count(*) FROM payees WHERE NOT personal AND entity_id <> payee_id"
        ).fetchone()[0]
    return ResolveResult(new, payees, personal, n_candidates, entities, merged,
                         round(time.perf_counter() - started, 2))


def _cluster(con, model: Model) -> int:
    payee_ids = [r[0] for r in con.execute("SELECT payee_id FROM payees WHERE matchable").fetchall()]
    edges = con.execute(
        "SELECT payee_a, payee_b, probability FROM payee_pairs WHERE probability >= ?",
        [model.threshold],
    ).fetchall()
    merges, splits = overrides.structural(con)
    groups = cluster.clusters(payee_ids, [(a, b) for a, b, _ in edges], merges, splits)
    previous = dict(con.execute("SELECT payee_id, entity_id FROM payees WHERE matchable").fetchall())
    assignment, aliases = cluster.stable_ids(groups, previous)
    best: dict[int, float] = {}
    for a, b, p in edges:
        if a in splits or b in splits or assignment.get(a) != assignment.get(b):
            continue
        best[a] = max(best.get(a, 0.0), p)
        best[b] = max(best.get(b, 0.0), p)
    for a, b in merges:
        best[a] = best[b] = 1.0
    import pyarrow as pa

    table = pa.table({
        "payee_id": pa.array(list(assignment), pa.int64()),
        "entity_id": pa.array(list(assignment.values()), pa.int64()),
        "probability": pa.array([best.get(p) for p in assignment], pa.float64()),
    })
    con.register("_assign", table)
    try:
        con.execute(
            "UPDATE payees SET entity_id = a.entity_id, match_probability = a.probability "
            "FROM _assign a WHERE payees.payee_id = a.payee_id"
        ).fetchall()
    finally:
        con.unregister("_assign")
    con.execute("UPDATE payees SET entity_id = NULL, match_probability = NULL WHERE NOT matchable")
    settle_weak_persons(con)
    for old, new in aliases.items():
        con.execute("INSERT OR REPLACE INTO entity_aliases VALUES (?, ?)", [old, new])
    con.execute("UPDATE entity_aliases SET entity_id = a2.entity_id FROM entity_aliases a2 "
                "WHERE entity_aliases.entity_id = a2.old_entity_id")
    _rebuild_entities(con)
    return con.execute("SELECT count(*) FROM supplier_entities").fetchone()[0]


_CLASS_RANK = "CASE class WHEN 'public' THEN 1 WHEN 'vcse' THEN 2 WHEN 'company' THEN 3 ELSE 4 END"


def _rebuild_entities(con) -> None:
    """One row per entity: its most-paid spelling, its strongest class, its size (ties go to
    the spelling paid most often, then to the payee seen first, so a re-run gives the same rows)."""
    con.execute("DELETE FROM supplier_entities")
    con.execute(
        f"""
        INSERT INTO supplier_entities (entity_id, display_name, name_key, class, class_reason,
            personal, postcode, company_number, charity_number, payees, members, min_probability,
            updated_at)
        WITH spend AS (
            SELECT member_id, supplier_name, coalesce(supplier_ref, '') AS supplier_ref,
                   count(*) AS n, sum(abs(amount)) AS value
            FROM payments GROUP BY ALL
        ),
        p AS (
            SELECT q.*, coalesce(s.n, 0) AS n, coalesce(s.value, 0) AS value
            FROM payees q LEFT JOIN spend s USING (member_id, supplier_name, supplier_ref)
            WHERE q.entity_id IS NOT NULL
        ),
        cls AS (
            SELECT entity_id, arg_min(class, (({_CLASS_RANK}) * 1e15 - value, payee_id)) AS class,
                   arg_min(class_reason, (({_CLASS_RANK}) * 1e15 - value, payee_id)) AS class_reason
            FROM p GROUP BY entity_id
        ),
        sets AS (
            SELECT q.entity_id, o.field, arg_max(o.value, o.override_id) AS value
            FROM supplier_overrides o JOIN payees q ON q.payee_id = o.payee_id
            WHERE o.active AND o.action = 'set' AND o.field <> 'class' AND q.entity_id IS NOT NULL
            GROUP BY ALL
        )
        SELECT p.entity_id, arg_max(p.supplier_name, (p.value, p.n, -p.payee_id)) AS display_name,
               arg_max(p.name_key, (p.value, p.n, -p.payee_id)) AS name_key,
               any_value(c.class), any_value(c.class_reason),
               bool_and(p.personal),
               (SELECT value FROM sets s WHERE s.entity_id = p.entity_id AND s.field = 'postcode'),
               (SELECT value FROM sets s WHERE s.entity_id = p.entity_id AND s.field = 'company_number'),
               (SELECT value FROM sets s WHERE s.entity_id = p.entity_id AND s.field = 'charity_number'),
               count(*) AS payees, count(DISTINCT p.member_id) AS members,
               min(p.match_probability) AS min_probability, current_timestamp
        FROM p JOIN cls c USING (entity_id)
        GROUP BY p.entity_id
        """
    )
