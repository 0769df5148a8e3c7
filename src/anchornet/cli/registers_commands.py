"""``anchornet registers ...``: load, list and download the reference registers.

Wired into the command line by ``anchornet.cli.main``: ``add_parsers(sub)`` adds the
``registers`` command and ``cmd_registers(args, workspace)`` runs it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from anchornet.errors import AnchornetError

REGISTERS = ("companies-house", "charities", "postcodes", "suppliers")
DOWNLOADABLE = ("companies-house", "charities", "postcodes")

out = Console(highlight=False)
if not out.is_terminal:
    out = Console(highlight=False, width=200)  # piped output: don't squeeze tables
err = Console(stderr=True, highlight=False)


def add_parsers(subparsers) -> None:
    """Add the ``registers`` command (with its actions) to the CLI's sub-parsers."""
    p = subparsers.add_parser(
        "registers", help="reference registers: Companies House, charities, postcodes, supplier lists",
        description="Load, list and download the reference registers (docs/registers.md).",
    )
    p.set_defaults(registers_parser=p)
    sub = p.add_subparsers(dest="registers_command", metavar="ACTION")

    a = sub.add_parser("load", help="load a register file (CSV, text or the published zip)")
    a.add_argument("register", choices=REGISTERS)
    a.add_argument("files", nargs="+", type=Path, metavar="FILE",
                   help="the file; several for the parts of a Companies House or postcode file")
    a.add_argument("--member", help="suppliers: the member organisation the list belongs to")
    a.add_argument("--include-linked", action="store_true",
                   help="charities: keep linked charities (subsidiaries, group members) too")
    a.add_argument("--force", action="store_true", help="load again even if the same file is loaded")
    a.add_argument("--quiet", "-q", action="store_true", help="no progress display")
    a.add_argument("--json", action="store_true", help="print a JSON summary")

    s = sub.add_parser("status", help="what registers are loaded")
    s.add_argument("--all", action="store_true", help="include earlier, replaced loads")
    s.add_argument("--json", action="store_true")

    d = sub.add_parser("download", help="download a register from its publisher and load it")
    d.add_argument("register", choices=DOWNLOADABLE)
    d.add_argument("--url", help="download from this address instead of the publisher's usual one "
                                 "(required for postcodes)")
    d.add_argument("--to", type=Path, help="folder for the file (default: the workspace's downloads/)")
    d.add_argument("--no-load", action="store_true", help="download only")
    d.add_argument("--include-linked", action="store_true", help="charities: keep linked charities too")
    d.add_argument("--quiet", "-q", action="store_true", help="no progress display")
    d.add_argument("--json", action="store_true", help="print a JSON summary")


def cmd_registers(args, workspace_path: Path) -> int:
    action = getattr(args, "registers_command", None)
    if action == "load":
        return _load(args, Path(workspace_path))
    if action == "status":
        return _status(args, Path(workspace_path))
    if action == "download":
        return _download(args, Path(workspace_path))
    parser: argparse.ArgumentParser | None = getattr(args, "registers_parser", None)
    if parser is not None:
        parser.print_help()
    return 0


# -- load -----------------------------------------------------------------------


def _check_load_args(register: str, files: list[Path], member: str | None, include_linked: bool) -> None:
    if register == "suppliers" and not (member or "").strip():
        raise AnchornetError("a supplier list belongs to a member: give --member NAME")
    if register != "suppliers" and member:
        raise AnchornetError(f"--member is for supplier lists, not {register}")
    if include_linked and register != "charities":
        raise AnchornetError("--include-linked is for the charities register")
    if len(files) > 1 and register not in ("companies-house", "postcodes"):
        raise AnchornetError(f"give one file for {register} (several files are for the parts of a "
                             "Companies House or postcode file)")


def load_register(ws, register: str, files: list[Path], *, member=None, include_linked=False, force=False,
                  progress=None):
    """Load one register (the library call behind ``registers load``)."""
    from anchornet import registers

    if register == "companies-house":
        return registers.load_companies_house(ws, files, force=force, progress=progress)
    if register == "charities":
        return registers.load_charities(ws, files[0], include_linked=include_linked, force=force,
                                        progress=progress)
    if register == "postcodes":
        return registers.load_postcodes(ws, files, force=force, progress=progress)
    return registers.load_supplier_list(ws, files[0], member, force=force, progress=progress)


def _spinner(enabled: bool) -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err,
                    disable=not enabled, transient=True)


def _run_load(args, workspace: Path, files: list[Path]):
    from anchornet.cli.main import open_workspace

    ws = open_workspace(workspace, create=True)
    show = not (getattr(args, "quiet", False) or args.json) and err.is_terminal
    try:
        with _spinner(show) as progress:
            task = progress.add_task(f"{args.register}: starting")

            def stage(name: str) -> None:
                progress.update(task, description=f"{args.register}: {name}")

            result = load_register(ws, args.register, files, member=getattr(args, "member", None),
                                   include_linked=args.include_linked, force=getattr(args, "force", False),
                                   progress=stage)
    except BaseException:
        ws.discard_if_new()
        raise
    ws.close()
    return result


def _load(args, workspace: Path) -> int:
    from anchornet.cli.main import print_json

    _check_load_args(args.register, args.files, args.member, args.include_linked)
    result = _run_load(args, workspace, args.files)
    if args.json:
        print_json(result.to_dict())
    elif not args.quiet:
        _print_results([result])
    return 0


def _print_results(results) -> None:
    table = Table(title="Registers loaded")
    for col in ("register", "member", "file", "result", "rows loaded", "skipped", "vintage", "seconds"):
        table.add_column(col, justify="right" if col in ("rows loaded", "skipped", "seconds") else "left")
    for r in results:
        table.add_row(r.register, r.member or "", ", ".join(r.files), r.status, f"{r.rows_loaded:,}",
                      f"{r.rows_skipped:,}", r.vintage or "", f"{r.seconds:.1f}")
    out.print(table)
    for r in results:
        for note in r.notes:
            out.print(f"  {r.register}: {note}", markup=False)


# -- status ---------------------------------------------------------------------


def _status(args, workspace: Path) -> int:
    from anchornet.cli.main import open_workspace, print_json
    from anchornet.registers.common import register_status

    ws = open_workspace(workspace, read_only=True)
    try:
        loads = register_status(ws, include_replaced=args.all)
    finally:
        ws.close()
    if args.json:
        print_json({"workspace": str(workspace), "registers": loads})
        return 0
    if not loads:
        out.print(f"No registers loaded in {workspace}. Load one with: anchornet registers load "
                  "companies-house|charities|postcodes FILE, or suppliers FILE --member NAME", markup=False)
        return 0
    table = Table(title=f"Registers in {workspace}")
    for col in ("register", "member", "file", "vintage", "rows", "skipped", "loaded at", "status"):
        table.add_column(col, justify="right" if col in ("rows", "skipped") else "left")
    for r in loads:
        table.add_row(r["register"], r["member"] or "", r["file"], r["vintage"] or "", f"{r['rows_loaded']:,}",
                      f"{r['rows_skipped']:,}", str(r["loaded_at"])[:19], r["status"])
    out.print(table)
    return 0


# -- download -------------------------------------------------------------------


def _download(args, workspace: Path) -> int:
    from anchornet.cli.main import print_json
    from anchornet.registers import download as dl

    url = args.url or dl.default_url(args.register)
    to_dir = args.to or Path(workspace) / "downloads"
    show = not (args.quiet or args.json) and err.is_terminal
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                  TimeRemainingColumn(), console=err, disable=not show, transient=True) as progress:
        task = progress.add_task(f"downloading {args.register}", total=None)

        def advance(done: int, total: int | None) -> None:
            progress.update(task, completed=done, total=total)

        path = dl.download(url, to_dir, fallback_name=f"{args.register}-download", progress=advance)
    if not (args.quiet or args.json):
        err.print(f"downloaded {url} to {path} ({path.stat().st_size:,} bytes)", markup=False)
    result = None
    if not args.no_load:
        args.files, args.member = [path], None
        result = _run_load(args, workspace, [path])
    if args.json:
        print_json({"register": args.register, "url": url, "path": str(path), "bytes": path.stat().st_size,
                    "load": result.to_dict() if result else None})
    elif result is not None and not args.quiet:
        _print_results([result])
    return 0
