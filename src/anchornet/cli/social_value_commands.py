"""`anchornet social-value ...`: measure tables, contracts, commitments, deliveries, summary."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from anchornet.cli.commands import err, out
from anchornet.cli.main import open_workspace, print_json


def add_parsers(sub) -> None:
    p = sub.add_parser("social-value", help="social value commitments in members' contracts, and delivery")
    ss = p.add_subparsers(dest="sv_command", metavar="ACTION", required=True)

    q = ss.add_parser("measures", help="measure tables: load a version, list them, choose the one in use")
    ms = q.add_subparsers(dest="sv_measures_command", metavar="ACTION", required=True)
    r = ms.add_parser("load", help="load a measure table (CSV or XLSX: code, name, theme, unit, "
                                   "description, proxy_value)")
    r.add_argument("file", type=Path)
    r.add_argument("--name", required=True, help="the table's name, e.g. our-network-measures")
    r.add_argument("--version", required=True, help="its version, e.g. 2026.1 (a loaded version never changes)")
    r.add_argument("--use", action="store_true", help="make it the version in use")
    r.add_argument("--json", action="store_true")
    r = ms.add_parser("list", help="the loaded versions (and with --measures, the measures of one)")
    r.add_argument("--measures", action="store_true", help="list the measures of the version in use "
                                                           "(or of --name/--version)")
    r.add_argument("--name")
    r.add_argument("--version")
    r.add_argument("--json", action="store_true")
    r = ms.add_parser("use", help="make a loaded version the one valuations use")
    r.add_argument("name")
    r.add_argument("version")

    q = ss.add_parser("contract", help="members' contracts with social value commitments")
    cs = q.add_subparsers(dest="sv_contract_command", metavar="ACTION", required=True)
    r = cs.add_parser("add", help="record a contract")
    r.add_argument("--member", required=True, help="the member that let the contract (the buyer)")
    r.add_argument("--title", required=True)
    r.add_argument("--supplier", required=True, help="the supplier's name")
    r.add_argument("--reference", help="the member's contract reference")
    r.add_argument("--value", help="the contract's value in £")
    r.add_argument("--start", help="start date, YYYY-MM-DD")
    r.add_argument("--end", help="end date, YYYY-MM-DD")
    r.add_argument("--supplier-id", type=int, help="link to this supplier (see `contract show` for suggestions)")
    r.add_argument("--publish", action="store_true", help="the member agrees to publish the contract")
    r.add_argument("--json", action="store_true")
    r = cs.add_parser("set", help="change a contract's details or whether it is published")
    r.add_argument("contract", type=int)
    r.add_argument("--title")
    r.add_argument("--supplier")
    r.add_argument("--reference")
    r.add_argument("--value")
    r.add_argument("--start")
    r.add_argument("--end")
    r.add_argument("--supplier-id", type=int)
    group = r.add_mutually_exclusive_group()
    group.add_argument("--publish", dest="publish", action="store_true", default=None)
    group.add_argument("--no-publish", dest="publish", action="store_false")
    r = cs.add_parser("list", help="contracts with their share of target met")
    r.add_argument("--member", help="only this member's")
    r.add_argument("--json", action="store_true")
    r = cs.add_parser("show", help="one contract: commitments, deliveries, ratings")
    r.add_argument("contract", type=int)
    r.add_argument("--json", action="store_true")

    q = ss.add_parser("commit", help="record (or change) a contract's commitment on a measure")
    q.add_argument("contract", type=int)
    q.add_argument("measure", help="a measure code of the version in use")
    q.add_argument("quantity", help="in the measure's unit")
    q.add_argument("--by", help="to be delivered by, YYYY-MM-DD")

    q = ss.add_parser("deliver", help="report what was delivered against a commitment")
    q.add_argument("contract", type=int)
    q.add_argument("measure")
    q.add_argument("quantity", help="delivered in the period (the total is the sum of the reports)")
    q.add_argument("--as-of", required=True, help="the end of the period reported, YYYY-MM-DD")
    q.add_argument("--period", help="a label for the period, e.g. 2025-Q1")
    q.add_argument("--evidence", default="", help="a note of the evidence (never published)")

    q = ss.add_parser("summary", help="committed against delivered per measure, contract and supplier")
    q.add_argument("--member", help="only this member's contracts")
    q.add_argument("--public", action="store_true", help="only the contracts their member agreed to publish")
    q.add_argument("--json", action="store_true")


def cmd_social_value(args, workspace: Path) -> int:
    ws = open_workspace(workspace)
    try:
        action = args.sv_command
        if action == "measures":
            return _MEASURES[args.sv_measures_command](ws, args) or 0
        if action == "contract":
            return _CONTRACT[args.sv_contract_command](ws, args) or 0
        return {"commit": _commit, "deliver": _deliver, "summary": _summary}[action](ws, args) or 0
    finally:
        ws.close()


def _audit(ws, action: str, target: str, member_id: int | None = None, **detail) -> None:
    from anchornet import audit as security

    security.audit(ws.con, security.Actor.cli(), "social_value." + action, target=target, member_id=member_id,
                   detail=detail)


def _num(value) -> str:
    if value is None:
        return ""
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


def _share(value) -> str:
    return "" if value is None else f"{value:.0%}"


def _money(value) -> str:
    return "" if value is None else f"£{value:,.2f}"


# -- measures ----------------------------------------------------------------------------------------
def _load(ws, args) -> int:
    from anchornet.network import sv_measures

    result = sv_measures.load_file(ws, args.file, args.name, args.version, by="cli", make_current=args.use)
    if result["loaded"]:
        _audit(ws, "measures.load", f"{result['name']} {result['version']}", file=args.file.name,
               measures=result["measures"], proxy_values=result["proxy_values"], current=result["is_current"])
    if args.json:
        print_json(result)
        return 0
    what = "loaded" if result["loaded"] else "already loaded (nothing changed)"
    err.print(f"{result['name']} {result['version']}: {what}; {result['measures']} measures, "
              f"{result['proxy_values']} with a proxy value; "
              + ("in use" if result["is_current"] else
                 f"not in use (use it with: anchornet social-value measures use {result['name']} "
                 f"{result['version']})"), markup=False)
    return 0


def _list_measures(ws, args) -> int:
    from anchornet.network import sv_measures

    if args.measures or args.name or args.version:
        chosen = (sv_measures.find_set(ws, args.name or "", args.version or "") if args.name or args.version
                  else sv_measures.current_set(ws))
        rows = sv_measures.measures(ws, chosen["set_id"])
        if args.json:
            print_json({"measure_set": chosen, "measures": rows})
            return 0
        table = Table(title=f"Measures of {chosen['name']} {chosen['version']}")
        for col in ("code", "name", "theme", "unit", "proxy £ per unit"):
            table.add_column(col)
        for m in rows:
            table.add_row(m["code"], m["name"], m["theme"], m["unit"],
                          "" if m["proxy_value"] is None else f"£{m['proxy_value']:,}")
        out.print(table)
        return 0
    rows = sv_measures.list_sets(ws)
    if args.json:
        print_json(rows)
        return 0
    table = Table(title="Measure tables (the one in use is marked)")
    for col in ("in use", "name", "version", "measures", "proxy values", "from", "loaded"):
        table.add_column(col)
    for s in rows:
        table.add_row("*" if s["is_current"] else "", s["name"], s["version"], str(s["measures"]),
                      str(s["proxy_values"]), s["source"], str(s["loaded_at"])[:16])
    out.print(table)
    return 0


def _use(ws, args) -> int:
    from anchornet.network import sv_measures

    chosen = sv_measures.use_set(ws, args.name, args.version)
    _audit(ws, "measures.use", f"{chosen['name']} {chosen['version']}")
    err.print(f"in use: {chosen['name']} {chosen['version']}", markup=False)
    return 0


# -- contracts -----------------------------------------------------------------------------------------
def _add(ws, args) -> int:
    from anchornet.network import social_value as sv

    contract_id = sv.add_contract(ws, args.member, args.title, args.supplier, reference=args.reference,
                                  value=args.value, start=args.start, end=args.end,
                                  supplier_entity_id=args.supplier_id, publish=args.publish, by="cli")
    record = sv.contract(ws, contract_id)
    _audit(ws, "contract.add", f"contract {contract_id}", record["member_id"], title=record["title"],
           supplier=record["supplier_name"], publish=record["publish"])
    if args.json:
        print_json(record)
    else:
        err.print(f"contract {contract_id}: {record['title']} ({record['member']}, supplier "
                  f"{record['supplier']})", markup=False)
    return 0


def _set(ws, args) -> int:
    from anchornet.network import social_value as sv

    changes = {k: v for k, v in {
        "title": args.title, "supplier_name": args.supplier, "reference": args.reference, "value": args.value,
        "start_date": args.start, "end_date": args.end, "supplier_entity_id": args.supplier_id,
        "publish": args.publish}.items() if v is not None}
    if not changes:
        err.print("nothing to change: give --title, --supplier, --publish, ...", markup=False)
        return 2
    record = sv.update_contract(ws, args.contract, **changes)
    _audit(ws, "contract.update", f"contract {args.contract}", record["member_id"], **changes)
    err.print(f"contract {args.contract} updated", markup=False)
    return 0


def _list(ws, args) -> int:
    from anchornet.network import social_value as sv

    rows = sv.list_contracts(ws, members=[args.member] if args.member else None)
    if args.json:
        print_json(rows)
        return 0
    table = Table(title="Social value contracts")
    for col in ("id", "member", "title", "supplier", "value", "commitments", "target met", "rating", "published"):
        table.add_column(col)
    for c in rows:
        table.add_row(str(c["contract_id"]), c["member"], c["title"], c["supplier"], _money(c["value"]),
                      str(c["commitments"]), _share(c["share"]), c["rating"] or "", "yes" if c["publish"] else "no")
    out.print(table)
    return 0


def _show(ws, args) -> int:
    from anchornet.network import social_value as sv

    d = sv.contract_detail(ws, args.contract)
    if args.json:
        print_json(d)
        return 0
    c = d["contract"]
    out.print(f"Contract {c['contract_id']}: {c['title']} ({c['member']})", markup=False)
    out.print(f"Supplier: {c['supplier']}" + (f" (supplier {c['supplier_entity_id']})" if c["supplier_entity_id"]
                                              else " (not linked to a supplier)"), markup=False)
    out.print(f"Value {_money(c['value']) or 'not given'}; {c['start_date'] or '?'} to {c['end_date'] or '?'}; "
              f"{'published' if c['publish'] else 'not published'}", markup=False)
    table = Table(title=f"Commitments ({d['valuation']['note']})")
    for col in ("measure", "unit", "committed", "by", "delivered", "target met", "rating", "£ committed",
                "£ delivered"):
        table.add_column(col)
    for k in d["commitments"]:
        table.add_row(f"{k['measure']} ({k['measure_code']})", k["unit"] or "", _num(k["committed"]),
                      str(k["by_date"] or ""), _num(k["delivered"]), _share(k["share"]), k["rating"],
                      _money(k["value_committed"]), _money(k["value_delivered"]))
    out.print(table)
    out.print(f"Overall: {_share(d['share']) or 'no commitments'} of target met"
              + (f" ({d['rating']})" if d["rating"] else ""), markup=False)
    for s in d["suggestions"]:
        out.print(f"Suggested supplier to link: {s['entity_id']} {s['display_name']} (similarity {s['score']}); "
                  f"link it with: anchornet social-value contract set {c['contract_id']} --supplier-id "
                  f"{s['entity_id']}", markup=False)
    return 0


def _commit(ws, args) -> int:
    from anchornet.network import social_value as sv

    result = sv.commit(ws, args.contract, args.measure, args.quantity, by_date=args.by)
    _audit(ws, "commit", f"contract {args.contract}", result["member_id"], measure=result["measure_code"],
           quantity=result["quantity"], by_date=result["by_date"])
    err.print(f"contract {args.contract}: committed {_num(result['quantity'])} {result['unit']} of "
              f"{result['measure_code']}", markup=False)
    return 0


def _deliver(ws, args) -> int:
    from anchornet.network import social_value as sv

    result = sv.record_delivery(ws, args.contract, args.measure, args.quantity, args.as_of, period=args.period,
                                evidence=args.evidence, by="cli")
    _audit(ws, "deliver", f"contract {args.contract}", result["member_id"], measure=result["measure_code"],
           quantity=result["quantity"], as_of=result["as_of"])
    err.print(f"contract {args.contract}: delivered {_num(result['quantity'])} of {result['measure_code']} "
              f"as of {result['as_of']}", markup=False)
    return 0


def _summary(ws, args) -> int:
    from anchornet.network import social_value as sv

    data = sv.summary(ws, members=[args.member] if args.member else None, published_only=args.public)
    if args.json:
        print_json(data)
        return 0
    table = Table(title=f"Committed against delivered per measure ({data['valuation']['note']})")
    for col in ("measure", "unit", "contracts", "committed", "delivered", "target met", "rating", "£ committed",
                "£ delivered"):
        table.add_column(col)
    for m in data["by_measure"]:
        table.add_row(m["measure"], m["unit"] or "", str(m["contracts"]), _num(m["committed"]),
                      _num(m["delivered"]), _share(m["share"]), m["rating"], _money(m["value_committed"]),
                      _money(m["value_delivered"]))
    out.print(table)
    table = Table(title="Per supplier")
    for col in ("supplier", "contracts", "commitments", "target met", "rating"):
        table.add_column(col)
    for s in data["by_supplier"]:
        table.add_row(s["supplier"], str(s["contracts"]), str(s["commitments"]), _share(s["share"]), s["rating"])
    out.print(table)
    t = data["totals"]
    out.print(f"{t['contracts']} contract(s) of {t['members']} member(s), {t['commitments']} commitment(s)"
              + (f"; £{t['value_delivered']:,.2f} delivered of £{t['value_committed']:,.2f} committed "
                 f"({t['measures_valued']} of {t['measures']} measures valued)" if t["value_committed"] is not None
                 else ""), markup=False)
    return 0


_MEASURES = {"load": _load, "list": _list_measures, "use": _use}
_CONTRACT = {"add": _add, "set": _set, "list": _list, "show": _show}
