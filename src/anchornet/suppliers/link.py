"""Link supplier entities to the reference registers, and take what the links tell.

Evidence, strongest first:

1. a company or charity number (set by the coordinator, or from a member's own
   supplier list matched by supplier reference, or by name) — probability 1.0;
2. the normalised name equal to exactly one register entry's name (an active
   company or a registered charity is preferred over dissolved or removed ones) —
   0.95 when the postcode district also agrees, 0.9 otherwise;
3. the name equal to exactly one company's previous name — 0.8;
4. a name very like exactly one live register entry's (rapidfuzz token-sort
   ratio of 92 or more within blocks of the same first word, and clearly ahead of
   the next best) — 0.85 to 0.95 by similarity, up with an agreeing postcode
   district, down with a different one; links below 0.85 are not made.

A name shared by several live register entries is not linked: it goes to review.
Every entity is tried, including one whose names only looked like a person's: a
register entry shows it is an organisation (redacted and surely-personal payees
have no entity and are never linked).
From a link come the registration number, status, postcode (registered office:
not always where the work is done), SIC codes, size band, VCSE flag and org-id.
A postcode set by the coordinator always wins, then a member's own list, then the
register.
"""

from __future__ import annotations

import duckdb

from anchornet.place.postcodes import install_macros as install_postcode_macros
from anchornet.registers.identifiers import install_macros as install_id_macros

ACTIVE_LOADS = "(SELECT load_id FROM register_loads WHERE status = 'active')"


def link_entities(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    install_id_macros(con)
    install_postcode_macros(con)
    con.execute("DELETE FROM supplier_links")
    counts = {}
    counts["member_suppliers"] = _link_member_lists(con)
    counts["number"] = _link_numbers(con)
    counts["name"] = _link_names(con)
    counts["previous_name"] = _link_previous_names(con)
    counts["similar_name"] = _link_similar_names(con)
    _apply(con)
    return counts


def _inserted(con, sql: str) -> int:
    before = con.execute("SELECT count(*) FROM supplier_links").fetchall()[0][0]
    con.execute(sql)
    return con.execute("SELECT count(*) FROM supplier_links").fetchall()[0][0] - before


def _link_member_lists(con) -> int:
    """A member's own supplier list, by that member's supplier reference, else by name."""
    return _inserted(con, f"""
        INSERT OR IGNORE INTO supplier_links
        SELECT DISTINCT q.entity_id, 'member_suppliers', ms.member_id || ':' || ms.source_line,
               CASE WHEN ms.supplier_ref IS NOT NULL AND ms.supplier_ref = q.supplier_ref
                    THEN 'supplier reference in the member''s list' ELSE 'name in the member''s list' END,
               CASE WHEN ms.supplier_ref IS NOT NULL AND ms.supplier_ref = q.supplier_ref THEN 1.0 ELSE 0.95 END
        FROM payees q JOIN member_suppliers ms ON ms.member_id = q.member_id
             AND ((ms.supplier_ref IS NOT NULL AND ms.supplier_ref <> '' AND ms.supplier_ref = q.supplier_ref)
                  OR (ms.name_key IS NOT NULL AND ms.name_key = q.name_key))
        WHERE q.entity_id IS NOT NULL AND q.matchable AND ms.load_id IN {ACTIVE_LOADS}
    """)


def _numbers(con):
    """Company and charity numbers known for each entity: overrides, then member lists."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _numbers AS
        SELECT e.entity_id, 'company' AS kind, e.company_number AS number, 'set by the coordinator' AS how
        FROM supplier_entities e WHERE e.company_number IS NOT NULL
        UNION ALL
        SELECT e.entity_id, 'charity', e.charity_number, 'set by the coordinator'
        FROM supplier_entities e WHERE e.charity_number IS NOT NULL
        UNION ALL
        SELECT l.entity_id, 'company', ms.company_number, 'company number in the member''s list'
        FROM supplier_links l JOIN member_suppliers ms
          ON l.register = 'member_suppliers' AND l.register_id = ms.member_id || ':' || ms.source_line
        WHERE ms.company_number IS NOT NULL AND ms.load_id IN {ACTIVE_LOADS}
        UNION ALL
        SELECT l.entity_id, 'charity', ms.charity_number, 'charity number in the member''s list'
        FROM supplier_links l JOIN member_suppliers ms
          ON l.register = 'member_suppliers' AND l.register_id = ms.member_id || ':' || ms.source_line
        WHERE ms.charity_number IS NOT NULL AND ms.load_id IN {ACTIVE_LOADS}
    """)


def _link_numbers(con) -> int:
    _numbers(con)
    return _inserted(con, f"""
        INSERT OR IGNORE INTO supplier_links
        SELECT n.entity_id, 'companies', c.company_number, n.how, 1.0
        FROM _numbers n JOIN companies c ON c.company_number = reg_company_number(n.number)
        WHERE n.kind = 'company' AND c.load_id IN {ACTIVE_LOADS}
        UNION ALL
        SELECT n.entity_id, 'charities', c.charity_number, n.how, 1.0
        FROM _numbers n JOIN charities c ON c.charity_number = reg_charity_number(n.number)
        WHERE n.kind = 'charity' AND c.linked_number = 0 AND c.load_id IN {ACTIVE_LOADS}
    """)


def _unlinked(register: str) -> str:
    return f"NOT EXISTS (SELECT 1 FROM supplier_links l WHERE l.entity_id = e.entity_id AND l.register = '{register}')"


def _link_names(con) -> int:
    """One live register entry with the same key (dead ones only when no live one exists)."""
    return _inserted(con, f"""
        INSERT OR IGNORE INTO supplier_links
        WITH ent AS (
            SELECT e.entity_id, e.name_key, e.postcode FROM supplier_entities e
            WHERE e.name_key IS NOT NULL AND {_unlinked('companies')}
              AND {_unlinked('charities')}
        ),
        cands AS (
            SELECT ent.entity_id, 'companies' AS register, c.company_number AS register_id,
                   c.status = 'Active' AS live, c.postcode, ent.postcode AS entity_postcode
            FROM ent JOIN companies c ON c.name_key = ent.name_key AND c.load_id IN {ACTIVE_LOADS}
            UNION ALL
            SELECT ent.entity_id, 'charities', c.charity_number, c.registration_status = 'Registered',
                   c.postcode, ent.postcode
            FROM ent JOIN charities c ON c.name_key = ent.name_key AND c.linked_number = 0
                 AND c.load_id IN {ACTIVE_LOADS}
        ),
        ranked AS (
            SELECT *, count(*) OVER (PARTITION BY entity_id, live) AS n_same,
                      max(live::INTEGER) OVER (PARTITION BY entity_id) AS any_live
            FROM cands
        )
        SELECT entity_id, register, register_id,
               CASE WHEN entity_postcode IS NOT NULL AND pc_outward(entity_postcode) = pc_outward(postcode)
                    THEN 'name and postcode district' ELSE 'name' END,
               CASE WHEN entity_postcode IS NOT NULL AND pc_outward(entity_postcode) = pc_outward(postcode)
                    THEN 0.95 ELSE 0.9 END
        FROM ranked
        WHERE n_same = 1 AND live::INTEGER = any_live
    """)


def _link_previous_names(con) -> int:
    return _inserted(con, f"""
        INSERT OR IGNORE INTO supplier_links
        WITH ent AS (
            SELECT e.entity_id, e.name_key FROM supplier_entities e
            WHERE e.name_key IS NOT NULL AND {_unlinked('companies')}
              AND {_unlinked('charities')}
        ),
        prev AS (
            SELECT company_number, sn_name_key(unnest(previous_names)) AS key
            FROM companies WHERE previous_names IS NOT NULL AND len(previous_names) > 0
              AND load_id IN {ACTIVE_LOADS}
        ),
        cands AS (
            SELECT ent.entity_id, prev.company_number, count(*) OVER (PARTITION BY ent.entity_id) AS n
            FROM ent JOIN prev ON prev.key = ent.name_key
        )
        SELECT entity_id, 'companies', company_number, 'a previous name of the company', 0.8
        FROM cands WHERE n = 1
    """)


SIMILAR_CUTOFF = 92   # token-sort ratio below this is never a link
SIMILAR_MARGIN = 3    # the best must beat the second best by this much
APPLY_FROM = 0.85     # links less likely than this are left for review


def similar_probability(score: float, same_district: bool | None) -> float:
    """How likely a name this similar is the same organisation (the register's name
    is usually the legal one; near-identical names of different firms are rare)."""
    p = 0.85 if score < 95 else 0.9 if score < 98 else 0.95
    if same_district is True:
        p = min(0.98, p + 0.04)
    elif same_district is False:
        p -= 0.2
    return round(p, 2)


def _link_similar_names(con) -> int:
    from collections import defaultdict

    import pyarrow as pa
    from rapidfuzz import fuzz, process

    entities = con.execute(f"""
        SELECT e.entity_id, e.name_key, pc_outward(e.postcode) FROM supplier_entities e
        WHERE e.name_key IS NOT NULL AND {_unlinked('companies')}
          AND {_unlinked('charities')}
    """).fetchall()
    if not entities:
        return 0
    blocks: dict[str, list[tuple[int, str, str | None]]] = defaultdict(list)
    for entity_id, key, district in entities:
        blocks[key.split()[0]].append((entity_id, key, district))
    con.register("_fz_tokens", pa.table({"token": list(blocks)}))
    try:
        register = con.execute(f"""
            SELECT 'companies', company_number, name_key, pc_outward(postcode), split_part(name_key, ' ', 1)
            FROM companies WHERE status = 'Active' AND name_key IS NOT NULL
              AND load_id IN {ACTIVE_LOADS}
              AND split_part(name_key, ' ', 1) IN (SELECT token FROM _fz_tokens)
            UNION ALL
            SELECT 'charities', charity_number, name_key, pc_outward(postcode), split_part(name_key, ' ', 1)
            FROM charities WHERE registration_status = 'Registered' AND linked_number = 0
              AND name_key IS NOT NULL AND load_id IN {ACTIVE_LOADS}
              AND split_part(name_key, ' ', 1) IN (SELECT token FROM _fz_tokens)
        """).fetchall()
    finally:
        con.unregister("_fz_tokens")
    by_token: dict[str, list[tuple[str, str, str, str | None]]] = defaultdict(list)
    for reg, reg_id, key, district, token in register:
        by_token[token].append((reg, reg_id, key, district))
    links = {"entity_id": [], "register": [], "register_id": [], "method": [], "probability": []}
    for token, ents in blocks.items():
        candidates = by_token.get(token)
        if not candidates:
            continue
        scores = process.cdist([e[1] for e in ents], [c[2] for c in candidates],
                               scorer=fuzz.token_sort_ratio, score_cutoff=SIMILAR_CUTOFF - SIMILAR_MARGIN,
                               workers=-1)
        for i, (entity_id, _, district) in enumerate(ents):
            row = scores[i]
            order = row.argsort()[::-1][:2]
            best = float(row[order[0]])
            second = float(row[order[1]]) if len(order) > 1 else 0.0
            if best < SIMILAR_CUTOFF or best - second < SIMILAR_MARGIN:
                continue
            reg, reg_id, _, reg_district = candidates[order[0]]
            same = None if not district or not reg_district else district == reg_district
            p = similar_probability(best, same)
            if p >= APPLY_FROM:
                links["entity_id"].append(entity_id)
                links["register"].append(reg)
                links["register_id"].append(reg_id)
                links["method"].append(f"similar name (score {best:.0f})")
                links["probability"].append(p)
    if not links["entity_id"]:
        return 0
    con.register("_fz_links", pa.table(links))
    try:
        return _inserted(con, "INSERT OR IGNORE INTO supplier_links SELECT * FROM _fz_links")
    finally:
        con.unregister("_fz_links")


def _apply(con) -> None:
    """Copy what the best link of each kind tells into the entity."""
    con.execute(f"""
        UPDATE supplier_entities e SET
            company_number = coalesce(e.company_number, co.company_number),
            charity_number = coalesce(e.charity_number, ch.charity_number),
            company_status = co.status,
            size_band = co.size_band,
            sic_codes = co.sic_codes,
            sme = coalesce(ms.sme, CASE WHEN co.size_band IN ('micro', 'small', 'medium') THEN true
                                        WHEN co.size_band = 'large' THEN false END),
            org_id = CASE WHEN ch.charity_number IS NOT NULL THEN reg_org_id_charity(ch.charity_number)
                          WHEN co.company_number IS NOT NULL THEN reg_org_id_company(co.company_number) END,
            postcode_source = CASE
                WHEN e.postcode IS NOT NULL THEN 'set by the coordinator'
                WHEN ms.postcode IS NOT NULL THEN 'the member''s supplier list'
                WHEN ch.postcode IS NOT NULL THEN 'charity contact address'
                WHEN co.postcode IS NOT NULL THEN 'registered office' END,
            postcode = coalesce(e.postcode, ms.postcode, ch.postcode, co.postcode),
            class = CASE WHEN e.class_reason LIKE 'set by the coordinator%' THEN e.class
                         WHEN ch.charity_number IS NOT NULL OR co.category ILIKE '%community interest%'
                              OR ms.vcse THEN 'vcse'
                         WHEN co.company_number IS NOT NULL AND e.class IN ('unknown', 'individual')
                              THEN 'company'
                         ELSE e.class END,
            class_reason = CASE WHEN e.class_reason LIKE 'set by the coordinator%' THEN e.class_reason
                         WHEN ch.charity_number IS NOT NULL THEN 'registered charity ' || ch.charity_number
                         WHEN co.category ILIKE '%community interest%'
                              THEN 'community interest company ' || co.company_number
                         WHEN ms.vcse THEN 'marked VCSE in the member''s supplier list'
                         WHEN co.company_number IS NOT NULL AND e.class IN ('unknown', 'individual')
                              THEN 'registered company ' || co.company_number
                         ELSE e.class_reason END,
            personal = CASE WHEN co.company_number IS NOT NULL OR ch.charity_number IS NOT NULL THEN false
                            ELSE e.personal END,
            link_probability = greatest(co.probability, ch.probability, ms.probability)
        FROM supplier_entities base
        LEFT JOIN (
            SELECT l.entity_id, arg_max(c.company_number, l.probability) AS company_number,
                   arg_max(c.status, l.probability) AS status, arg_max(c.size_band, l.probability) AS size_band,
                   arg_max(c.sic_codes, l.probability) AS sic_codes, arg_max(c.postcode, l.probability) AS postcode,
                   arg_max(c.category, l.probability) AS category, max(l.probability) AS probability
            FROM supplier_links l JOIN companies c ON l.register = 'companies' AND c.company_number = l.register_id
            WHERE c.load_id IN {ACTIVE_LOADS}
            GROUP BY l.entity_id
        ) co ON co.entity_id = base.entity_id
        LEFT JOIN (
            SELECT l.entity_id, arg_max(c.charity_number, l.probability) AS charity_number,
                   arg_max(c.postcode, l.probability) AS postcode, max(l.probability) AS probability
            FROM supplier_links l JOIN charities c ON l.register = 'charities' AND c.charity_number = l.register_id
            WHERE c.linked_number = 0 AND c.load_id IN {ACTIVE_LOADS}
            GROUP BY l.entity_id
        ) ch ON ch.entity_id = base.entity_id
        LEFT JOIN (
            SELECT l.entity_id, arg_max(m.postcode, l.probability) AS postcode,
                   bool_or(m.sme) AS sme, bool_or(m.vcse) AS vcse, max(l.probability) AS probability
            FROM supplier_links l JOIN member_suppliers m
              ON l.register = 'member_suppliers' AND l.register_id = m.member_id || ':' || m.source_line
            WHERE m.load_id IN {ACTIVE_LOADS}
            GROUP BY l.entity_id
        ) ms ON ms.entity_id = base.entity_id
        WHERE e.entity_id = base.entity_id
    """)
    # A payee that only looked like a person, in an entity a register knows, is that body.
    con.execute("""
        UPDATE payees SET personal = false, class = e.class,
               class_reason = 'matched to ' || e.display_name || ' (' || e.class_reason || ')'
        FROM supplier_entities e
        WHERE payees.entity_id = e.entity_id AND payees.personal AND payees.matchable
          AND NOT e.personal
    """)
