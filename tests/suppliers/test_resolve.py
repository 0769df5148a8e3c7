"""Resolution on the bundled sample: quality floor, privacy, overrides, stable ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from anchornet import Workspace, ingest_file
from anchornet.reports.exports import export
from anchornet.sample import SAMPLE_MEMBER, sample_files
from anchornet.suppliers import overrides
from anchornet.suppliers.evaluate import evaluate, load_labels
from anchornet.suppliers.resolve import resolve

LABELS = Path(__file__).parent.parent / "fixtures" / "suppliers" / "labelled_pairs.csv"


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    workspace = Workspace(tmp_path_factory.mktemp("suppliers") / "ws")
    for path in sample_files():
        ingest_file(workspace, path, SAMPLE_MEMBER)
    resolve(workspace)
    yield workspace
    workspace.close()


def test_precision_and_recall_floor(ws):
    scores = evaluate(ws.con, load_labels(LABELS))
    assert scores.pairs == 583
    assert scores.precision >= 0.97
    assert scores.recall >= 0.55  # the labelled pairs are the hard cases; see README


def test_redacted_payees_are_never_merged(ws):
    rows = ws.con.execute(
        "SELECT count(*), count(entity_id) FROM payees WHERE class = 'redacted'"
    ).fetchone()
    assert rows[0] > 0 and rows[1] == 0


def test_a_reference_redacted_anywhere_is_personal_everywhere(ws):
    leaked = ws.con.execute(
        """SELECT count(*) FROM payees p
           WHERE NOT p.personal AND p.supplier_ref <> '' AND EXISTS (
               SELECT 1 FROM payees r WHERE r.member_id = p.member_id
                 AND r.supplier_ref = p.supplier_ref AND r.class = 'redacted')"""
    ).fetchone()[0]
    assert leaked == 0


def test_exports_reconcile_and_name_every_payee(ws, tmp_path):
    import duckdb

    export(ws, "supplier-names", tmp_path / "names.csv")
    con = duckdb.connect()
    total = con.execute(f"SELECT sum(total_spend) FROM '{tmp_path / 'names.csv'}'").fetchone()[0]
    assert round(total, 2) == float(ws.con.execute("SELECT sum(amount) FROM payments").fetchone()[0])
    personal_with_id = con.execute(
        f"SELECT count(*) FROM '{tmp_path / 'names.csv'}' WHERE class = 'redacted' AND supplier_id IS NOT NULL"
    ).fetchone()[0]
    assert personal_with_id == 0
    export(ws, "suppliers", tmp_path / "suppliers.csv")
    header = (tmp_path / "suppliers.csv").read_text().splitlines()[0]
    assert header.startswith("supplier_id,name,class,class_reason,personal,postcode")


def test_rerun_is_stable(ws):
    before = ws.con.execute("SELECT payee_id, entity_id FROM payees ORDER BY 1").fetchall()
    result = resolve(ws)
    assert result.new_payees == 0 and result.candidate_pairs == 0
    assert ws.con.execute("SELECT payee_id, entity_id FROM payees ORDER BY 1").fetchall() == before


def _entities_of(ws, names):
    return sorted({r[0] for r in ws.con.execute(
        f"SELECT entity_id FROM payees WHERE supplier_name IN ({','.join('?' * len(names))})", names
    ).fetchall()})


def test_overrides_win_and_survive_reruns(tmp_path):
    from anchornet.suppliers.review import uncertain_matches

    ws = Workspace(tmp_path / "ws")
    first, second = sample_files()[:2]
    ingest_file(ws, first, SAMPLE_MEMBER)
    resolve(ws)
    pair = uncertain_matches(ws, 1)[0]  # two suppliers the model kept apart
    names = [pair["name_a"], pair["name_b"]]
    a, b = pair["entity_a"], pair["entity_b"]
    assert len(_entities_of(ws, names)) == 2
    overrides.merge(ws, a, b, note="test")
    overrides.set_value(ws, a, "postcode", "OX1 1ND")
    resolve(ws)
    assert _entities_of(ws, names) == [min(a, b)]
    ingest_file(ws, second, SAMPLE_MEMBER)  # new data, then a full rescore
    resolve(ws)
    resolve(ws, rescore=True)
    assert _entities_of(ws, names) == [min(a, b)]
    assert ws.con.execute(
        "SELECT postcode FROM supplier_entities WHERE entity_id = ?", [min(a, b)]
    ).fetchone()[0] == "OX1 1ND"
    # a split takes the later name out again; the first keeps the supplier's id
    later = max(a, b)
    payee = ws.con.execute("SELECT min(payee_id) FROM payees WHERE payee_id = ?", [later]).fetchone()[0]
    overrides.split(ws, payee)
    resolve(ws)
    assert ws.con.execute("SELECT entity_id FROM payees WHERE payee_id = ?", [min(a, b)]).fetchone()[0] == min(a, b)
    assert ws.con.execute("SELECT entity_id FROM payees WHERE payee_id = ?", [payee]).fetchone()[0] != min(a, b)
    ws.close()


def test_class_override(tmp_path):
    ws = Workspace(tmp_path / "ws")
    ingest_file(ws, sample_files()[0], SAMPLE_MEMBER)
    resolve(ws)
    entity = ws.con.execute(
        "SELECT entity_id FROM supplier_entities WHERE class = 'unknown' LIMIT 1"
    ).fetchone()[0]
    overrides.set_value(ws, entity, "class", "vcse", note="a registered charity")
    resolve(ws)
    klass, reason = ws.con.execute(
        "SELECT class, class_reason FROM supplier_entities WHERE entity_id = ?", [entity]
    ).fetchone()
    assert klass == "vcse" and reason.startswith("set by the coordinator")
    ws.close()
