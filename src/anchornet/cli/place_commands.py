"""``anchornet place ...``: define the network's geography and see how well suppliers are located.

Wired into the command line by ``anchornet.cli.main``: ``add_parsers(sub)`` adds the
``place`` command and ``cmd_place(args, workspace)`` runs it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.table import Table

from anchornet.errors import AnchornetError

out = Console(highlight=False)
if not out.is_terminal:
    out = Console(highlight=False, width=200)  # piped output: don't squeeze tables
err = Console(stderr=True, highlight=False)

GIVES = {"postcode_district": "postcode district", "postcode_area": "area", "lad": "local authority district",
         "region": "region", "lsoa": "LSOA", "imd_decile": "deprivation decile"}
STATUSES = ("live", "terminated", "not_in_lookup", "unchecked", "invalid", "missing")


def add_parsers(subparsers) -> None:
    """Add the ``place`` command (with its actions) to the CLI's sub-parsers."""
    p = subparsers.add_parser(
        "place", help="the network's geography (tiers of districts, regions, postcode areas) and coverage",
        description="Define the network's place in tiers, innermost first, and see where suppliers are "
                    "(docs/place.md).",
    )
    p.set_defaults(place_parser=p)
    sub = p.add_subparsers(dest="place_command", metavar="ACTION")

    s = sub.add_parser(
        "set", help="define the place (replaces any earlier definition)",
        description="Define the place in named tiers, innermost first, e.g. "
                    "--tier city=E07000178 --tier county=E07000177,E07000178,E07000179,E07000180,E07000181 "
                    "--tier region=E12000008. Codes: local authority districts (E06/E07/E08/E09/W06/S12/N09), "
                    "regions (E12), countries (E92/W92/S92/N92), postcode areas (OX) or districts (OX1).",
    )
    s.add_argument("name", nargs="?", help="the place's name (optional with --from-file when the file names it)")
    s.add_argument("--tier", action="append", default=[], metavar="TIER=CODE[,CODE...]",
                   help="a tier and its codes; repeat, innermost first")
    s.add_argument("--from-file", type=Path, metavar="FILE", help="read the place from a YAML file")
    s.add_argument("--json", action="store_true", help="print the place as JSON")

    s = sub.add_parser("show", help="the place, the postcode lookup loaded, coverage and spend per tier")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("suppliers", help="the suppliers behind the figures, largest spend first")
    s.add_argument("--tier", help="with --side: only suppliers inside, outside or unknown of this tier")
    s.add_argument("--side", choices=("inside", "outside", "unknown"))
    s.add_argument("--status", choices=STATUSES, help="only suppliers whose postcode has this status")
    s.add_argument("--limit", type=int, default=50)
    s.add_argument("--json", action="store_true")

    sub.add_parser("clear", help="remove the place definition")


def cmd_place(args, workspace_path: Path) -> int:
    action = getattr(args, "place_command", None)
    if action is None:
        parser: argparse.ArgumentParser | None = getattr(args, "place_parser", None)
        if parser is not None:
            parser.print_help()
        return 0
    return _ACTIONS[action](args, Path(workspace_path))


def _open(workspace: Path, *, read_only: bool):
    from anchornet.place.locate import has_schema
    from anchornet.workspace import Workspace

    ws = Workspace(workspace, create=False, read_only=read_only)
    if read_only and not has_schema(ws.con):  # a workspace from before places: upgrade it
        ws.close()
        ws = Workspace(workspace, create=False)
    return ws


# -- set --------------------------------------------------------------------------------


def _set(args, workspace: Path) -> int:
    from anchornet.place import geography
    from anchornet.workspace import Workspace

    if args.from_file and args.tier:
        raise AnchornetError("give the tiers with --tier or in --from-file, not both")
    if not args.from_file and not args.tier:
        raise AnchornetError("give the tiers, innermost first: anchornet place set NAME --tier city=CODE "
                             "--tier county=CODE,CODE... (or --from-file place.yaml)")
    if args.from_file:
        name, tiers = geography.read_place_file(args.from_file)
        name, source = args.name or name, args.from_file.name
    else:
        name, tiers, source = args.name, [geography.parse_tier(t) for t in args.tier], geography.SOURCE_CLI
    ws = Workspace(workspace, create=True)
    try:
        place = geography.set_place(ws, name, tiers, source=source)
    except BaseException:
        ws.discard_if_new()
        raise
    ws.close()
    for warning in place["warnings"]:
        err.print(f"anchornet: warning: {warning}", markup=False)
    if args.json:
        from anchornet.cli.main import print_json

        print_json(place)
        return 0
    out.print(f"Place set: {place['name']}", markup=False)
    _print_tiers(place)
    out.print("See how suppliers are placed with: anchornet place show", markup=False)
    return 0


def _print_tiers(place: dict) -> None:
    table = Table(title="Tiers (innermost first; each contains the tiers inside it)")
    for col in ("tier", "name", "codes"):
        table.add_column(col)
    for t in place["tiers"]:
        codes = ", ".join(
            f"{c['code']} ({c['kind_label']}"
            + ("" if c["live_postcodes"] is None else
               f", {c['live_postcodes']:,} postcode{'' if c['live_postcodes'] == 1 else 's'}")
            + ")" for c in t["codes"])
        table.add_row(str(t["tier_no"]), t["name"], codes)
    out.print(table)


# -- show -------------------------------------------------------------------------------


def _share(value) -> str:
    return "unknown" if value is None else f"{value:.1%}"


def _money(value) -> str:
    return f"-£{-value:,.0f}" if value < 0 else f"£{value:,.0f}"


def _show(args, workspace: Path) -> int:
    from anchornet.place.geography import summary

    ws = _open(workspace, read_only=True)
    try:
        result = summary(ws)
    finally:
        ws.close()
    if args.json:
        from anchornet.cli.main import print_json

        print_json(result)
        return 0
    place = result["place"]
    if place:
        out.print(f"Place: {place['name']} (set {place['defined_at']:%Y-%m-%d %H:%M}, from the {place['source']})"
                  if place["source"] == "command line" else
                  f"Place: {place['name']} (set {place['defined_at']:%Y-%m-%d %H:%M}, from {place['source']})",
                  markup=False)
        _print_tiers(place)
    else:
        out.print("No place defined.", markup=False)

    lookup = result["postcode_lookup"]
    if lookup["loaded"]:
        gives = [GIVES.get(k, k) for k, v in lookup["gives"].items() if v]
        vintage = lookup["vintage"] or ""
        title = vintage if lookup["kind"] in vintage else f"{lookup['kind']} {vintage}".strip()
        out.print(f"Postcode lookup: {title} ({lookup['file']}), "
                  f"{lookup['postcodes']:,} postcodes ({lookup['terminated_postcodes']:,} terminated); gives "
                  f"{', '.join(gives)}", markup=False)
    else:
        out.print("Postcode lookup: none loaded (postcode district and area only)", markup=False)
    for s in result["postcode_sources"]:
        who = f" for {s['member']}" if s["member"] else ""
        out.print(f"Supplier postcodes from: {s['register']}{who} ({s['gives']}, {s['rows']:,} rows)",
                  markup=False)

    spend, cov = result["spend"], result["coverage"]
    out.print(
        f"Supplier spend: {_money(spend['supplier_spend'])} to {spend['suppliers']:,} suppliers "
        f"(not counted: {_money(spend['personal_or_redacted'])} personal or redacted, "
        f"{_money(spend['net_credit_suppliers']['spend'])} net credits, {_money(spend['unresolved'])} unresolved)",
        markup=False)
    out.print(
        f"Located (postcode district known): {_share(cov['located']['share'])} of supplier spend, "
        f"{cov['located']['suppliers']:,} suppliers; in the postcode lookup: {_share(cov['in_lookup']['share'])}; "
        f"deprivation decile known: {_share(cov['deprivation_known']['share'])}", markup=False)
    term = cov["by_status"]["terminated"]
    if term["suppliers"]:
        out.print(f"  of which {term['suppliers']:,} supplier(s) at a terminated postcode "
                  f"({_money(term['spend'])}): located, but an old address", markup=False)

    if result["tiers"]:
        table = Table(title="Supplier spend by tier (inside + outside + unknown = 100%)")
        for col in ("tier", "inside", "outside", "unknown", "unknown because"):
            table.add_column(col, justify="left" if col in ("tier", "unknown because") else "right")
        for t in result["tiers"]:
            why = ", ".join(f"{k.replace('_', ' ')} {_money(v)}" for k, v in t["unknown"]["by_status"].items())
            table.add_row(t["name"], *[f"{_share(t[s]['share'])} ({_money(t[s]['spend'])})"
                                       for s in ("inside", "outside", "unknown")], why)
        out.print(table)
    for warning in result["warnings"]:
        err.print(f"anchornet: warning: {warning}", markup=False)
    return 0


# -- suppliers --------------------------------------------------------------------------


def _suppliers(args, workspace: Path) -> int:
    from anchornet.place.geography import supplier_places

    ws = _open(workspace, read_only=True)
    try:
        result = supplier_places(ws, tier=args.tier, side=args.side, status=args.status, limit=args.limit)
    finally:
        ws.close()
    if args.json:
        from anchornet.cli.main import print_json

        print_json(result)
        return 0
    table = Table(title=f"{result['suppliers']:,} suppliers, {_money(result['spend'])} (largest first)")
    for col in ("supplier", "name", "spend", "postcode", "status", "district", "local authority", "IMD decile",
                *result["tiers"]):
        table.add_column(col)
    for r in result["items"]:
        table.add_row(
            str(r["entity_id"]), r["display_name"], _money(r["spend"]), r["postcode"] or r["postcode_raw"] or "",
            r["postcode_status"], r["district"] or "", r["lad_code"] or "",
            "" if r["imd_decile"] is None else str(r["imd_decile"]),
            *["unknown" if v is None else ("inside" if v else "outside") for v in r["tiers"].values()],
        )
    out.print(table, markup=False)
    return 0


def _clear(args, workspace: Path) -> int:
    from anchornet.place.geography import clear_place

    ws = _open(workspace, read_only=False)
    try:
        clear_place(ws)
    finally:
        ws.close()
    err.print("place definition removed")
    return 0


_ACTIONS = {"set": _set, "show": _show, "suppliers": _suppliers, "clear": _clear}
