"""Collect the distinct payees of the payments and classify new ones.

A payee is a distinct (member, supplier name as written, supplier reference). Only
payees not seen before are classified, so a re-run after new data does little.
"""

from __future__ import annotations

import duckdb

from anchornet.sqltext import sql_literal
from anchornet.suppliers.classify import PERSONAL_CLASSES, WEAK_PERSON_REASON, ClassRules, class_sql
from anchornet.suppliers.normalise import install_macros


def add_new_payees(con: duckdb.DuckDBPyConnection, rules: ClassRules) -> int:
    """Insert payees that appear in active payments but not yet in ``payees``."""
    install_macros(con)
    klass, reason = class_sql(rules, "supplier_name", "sn_tokens(supplier_name)")
    personal = ", ".join(f"'{c}'" for c in PERSONAL_CLASSES)
    before = con.execute("SELECT count(*) FROM payees").fetchone()[0]
    con.execute(
        f"""
        INSERT INTO payees (member_id, supplier_name, supplier_ref, name_key, trading_key,
                            vat_number, class, class_reason, personal, matchable)
        WITH fresh AS (
            SELECT r.member_id, r.supplier_name, coalesce(r.supplier_ref, '') AS supplier_ref,
                   any_value(r.vat_number) AS vat_number, min(r.file_id) AS first_file,
                   min(r.source_line) AS first_line
            FROM records r JOIN files f USING (file_id)
            WHERE r.status = 'loaded' AND f.status = 'active'
            GROUP BY r.member_id, r.supplier_name, coalesce(r.supplier_ref, '')
        ),
        new AS (
            SELECT * FROM fresh p WHERE NOT EXISTS (
                SELECT 1 FROM payees q WHERE q.member_id = p.member_id
                  AND q.supplier_name = p.supplier_name AND q.supplier_ref = p.supplier_ref)
        ),
        classified AS (
            SELECT *, {klass} AS cls, {reason} AS why FROM new
        )
        SELECT member_id, supplier_name, supplier_ref, sn_name_key(supplier_name),
               sn_trading_key(supplier_name), vat_number, cls, why, cls IN ({personal}),
               cls NOT IN ({personal}) OR why = {sql_literal(WEAK_PERSON_REASON)}
        FROM classified
        -- ids in the order payees first appear, so the same data always gives the same ids
        ORDER BY member_id, first_file, first_line, supplier_name, supplier_ref
        """
    )
    return con.execute("SELECT count(*) FROM payees").fetchone()[0] - before


def propagate_personal_references(con: duckdb.DuckDBPyConnection) -> int:
    """A reference that is redacted anywhere, or names a person, is personal everywhere.

    Publishers redact inconsistently; the same supplier reference can carry a name in
    one quarter and "redacted" in another, which would undo the redaction. Only strong
    evidence spreads (redaction, a personal title, a sole trader), not the weaker
    "looks like a person" guess.
    """
    return con.execute(
        """
        UPDATE payees SET personal = true, matchable = false, class = 'individual',
               class_reason = 'shares supplier reference ' || supplier_ref
                              || ' with a redacted or named personal payee',
               entity_id = NULL
        WHERE matchable AND supplier_ref <> '' AND (member_id, supplier_ref) IN (
            SELECT member_id, supplier_ref FROM payees
            WHERE supplier_ref <> '' AND (class = 'redacted'
                  OR class_reason LIKE 'starts with the personal title%'
                  OR class_reason LIKE 'a person trading%'
                  OR class_reason LIKE 'shares supplier reference%'))
        """
    ).fetchall()[0][0]


def settle_weak_persons(con: duckdb.DuckDBPyConnection) -> None:
    """A name that only looked like a person's joins the class of its organisation.

    When a "possibly a person" payee clusters with a company, VCSE or public body,
    it is that organisation; when it clusters only with other such payees, it stays
    personal and anonymous.
    """
    con.execute(
        f"""
        UPDATE payees SET personal = false, class = o.class,
               class_reason = 'matched to ' || o.name || ' (' || o.class_reason || ')'
        FROM (
            SELECT entity_id, arg_min(class, payee_id) AS class,
                   arg_min(class_reason, payee_id) AS class_reason,
                   arg_min(supplier_name, payee_id) AS name
            FROM payees WHERE matchable AND NOT personal AND entity_id IS NOT NULL
            GROUP BY entity_id
        ) o
        WHERE payees.entity_id = o.entity_id AND payees.personal AND payees.matchable
          AND payees.class_reason = {sql_literal(WEAK_PERSON_REASON)}
        """
    )
    # Payees that only looked like persons and matched no organisation stay personal; they
    # keep their entity (one anonymous payee), which is marked personal.
