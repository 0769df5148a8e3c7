"""`anchornet suppliers ...`: resolve, review and correct the network's suppliers."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from anchornet.cli.commands import err, out
from anchornet.cli.main import open_workspace, print_json


def add_parsers(sub) -> None:
    p = sub.add_parser("suppliers", help="resolve payees into suppliers; review and correct them")
    ss = p.add_subparsers(dest="suppliers_command", metavar="ACTION", required=True)

    q = ss.add_parser("resolve", help="classify, match and group payees (incremental)")
    q.add_argument("--rescore", action="store_true", help="compare every payee again")
    q.add_argument("--json", action="store_true")

    q = ss.add_parser("review", help="uncertain matches and the largest unlocated suppliers")
    q.add_argument("--limit", type=int, default=20)
    q.add_argument("--json", action="store_true")

    q = ss.add_parser("merge", help="record that two suppliers are one")
    q.add_argument("supplier_a", type=int)
    q.add_argument("supplier_b", type=int)
    q.add_argument("--note", default="")

    q = ss.add_parser("split", help="record that a payee (a name as written) is a supplier of its own")
    q.add_argument("payee", type=int, help="payee id (see export supplier-names)")
    q.add_argument("--note", default="")

    q = ss.add_parser("set", help="set a supplier's class, postcode or register number")
    q.add_argument("supplier", type=int)
    q.add_argument("field", choices=["class", "postcode", "company_number", "charity_number"])
    q.add_argument("value")
    q.add_argument("--payee", action="store_true", help="the id is a payee id, not a supplier id")
    q.add_argument("--note", default="")

    q = ss.add_parser("overrides", help="list the decisions recorded")
    q.add_argument("--json", action="store_true")

    q = ss.add_parser("evaluate", help="precision and recall against hand-labelled name pairs")
    q.add_argument("labels", type=Path, help="CSV with name_a, name_b, label (1 same, 0 different)")
    q.add_argument("--json", action="store_true")


def cmd_suppliers(args, workspace: Path) -> int:
    action = args.suppliers_command
    ws = open_workspace(workspace, read_only=action in ("review", "overrides", "evaluate"))
    try:
        return _ACTIONS[action](ws, args) or 0
    finally:
        ws.close()


def _resolve(ws, args) -> int:
    from anchornet.suppliers.resolve import resolve

    with err.status("resolving suppliers") if not args.json and err.is_terminal else _null():
        result = resolve(ws, rescore=args.rescore)
    if args.json:
        print_json(result.to_dict())
    else:
        out.print(
            f"{result.payees:,} payees ({result.new_payees:,} new; {result.personal_payees:,} "
            f"personal or redacted, never shown publicly) in {result.entities:,} suppliers; "
            f"{result.candidate_pairs:,} candidate pairs scored; {result.seconds}s"
        )
    return 0


def _review(ws, args) -> int:
    from anchornet.suppliers.review import largest_unlocated, uncertain_matches

    pairs = uncertain_matches(ws, args.limit)
    unlocated = largest_unlocated(ws, args.limit)
    if args.json:
        print_json({"uncertain_matches": pairs, **unlocated})
        return 0
    table = Table(title="Uncertain matches (largest spend first)")
    for col in ("supplier", "name", "supplier", "name", "probability", "spend at stake"):
        table.add_column(col)
    for p in pairs:
        table.add_row(str(p["entity_a"]), p["name_a"], str(p["entity_b"]), p["name_b"],
                      f"{p['probability']:.2f}", f"£{p['spend_at_stake']:,.0f}")
    out.print(table)
    out.print("Merge a pair with: anchornet suppliers merge SUPPLIER_A SUPPLIER_B")
    share = unlocated["located_share"]
    table = Table(title=f"Largest suppliers without a location (located now: "
                        f"{'unknown' if share is None else f'{share:.1%}'} of supplier spend)")
    for col in ("supplier", "name", "class", "spend", "located share once done"):
        table.add_column(col)
    for u in unlocated["unlocated"]:
        done = u["located_share_if_done"]
        table.add_row(str(u["entity_id"]), u["name"], u["class"], f"£{u['spend']:,.0f}",
                      "" if done is None else f"{done:.1%}")
    out.print(table)
    out.print("Set a postcode with: anchornet suppliers set SUPPLIER postcode 'OX1 1BX'")
    return 0


def _merge(ws, args) -> int:
    from anchornet.suppliers import overrides

    overrides.merge(ws, args.supplier_a, args.supplier_b, note=args.note, by="cli")
    err.print("recorded; run `anchornet suppliers resolve` to apply it")
    return 0


def _split(ws, args) -> int:
    from anchornet.suppliers import overrides

    overrides.split(ws, args.payee, note=args.note, by="cli")
    err.print("recorded; run `anchornet suppliers resolve` to apply it")
    return 0


def _set(ws, args) -> int:
    from anchornet.suppliers import overrides

    overrides.set_value(ws, args.supplier, args.field, args.value, payee=args.payee,
                        note=args.note, by="cli")
    err.print("recorded; run `anchornet suppliers resolve` to apply it")
    return 0


def _overrides(ws, args) -> int:
    from anchornet.suppliers.overrides import list_overrides

    rows = list_overrides(ws)
    if args.json:
        print_json(rows)
        return 0
    table = Table(title="Supplier decisions")
    for col in ("id", "action", "payee", "other payee", "field", "value", "note", "when", "active"):
        table.add_column(col)
    for r in rows:
        table.add_row(*[("" if r[k] is None else str(r[k])) for k in (
            "override_id", "action", "payee_id", "other_payee", "field", "value", "note",
            "created_at", "active")])
    out.print(table)
    return 0


def _evaluate(ws, args) -> int:
    from anchornet.suppliers.evaluate import evaluate, load_labels

    scores = evaluate(ws.con, load_labels(args.labels)).to_dict()
    if args.json:
        print_json(scores)
    else:
        out.print(f"{scores['pairs']} labelled pairs found in the workspace: precision "
                  f"{scores['precision']:.3f}, recall {scores['recall']:.3f} "
                  f"(TP {scores['true_positive']}, FP {scores['false_positive']}, "
                  f"FN {scores['false_negative']})")
    return 0


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


_ACTIONS = {
    "resolve": _resolve, "review": _review, "merge": _merge, "split": _split, "set": _set,
    "overrides": _overrides, "evaluate": _evaluate,
}
