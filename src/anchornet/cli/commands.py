"""One function per CLI command; each calls the library and prints its result."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from anchornet.cli.main import open_workspace, print_json
from anchornet.errors import AnchornetError
from anchornet.ingest.inventory import file_status, totals
from anchornet.ingest.loader import ingest_file

out = Console(highlight=False)
if not out.is_terminal:
    out = Console(highlight=False, width=200)  # piped output: don't squeeze tables
err = Console(stderr=True, highlight=False)


def _money(value) -> str:
    return "" if value is None else f"£{value:,.2f}"


def cmd_ingest(args, workspace: Path) -> int:
    ws = open_workspace(workspace, create=True)
    results = []
    failed = 0
    show_progress = not (args.quiet or args.json) and err.is_terminal
    try:
        with Progress(
            TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[stage]}"),
            TimeElapsedColumn(), console=err, disable=not show_progress, transient=True,
        ) as progress:
            task = progress.add_task("ingesting", total=len(args.files), stage="")
            for path in args.files:
                progress.update(task, description=Path(path).name)

                def stage(name: str, _task=task) -> None:
                    progress.update(_task, stage=name)

                try:
                    result = ingest_file(
                        ws, path, args.member, period=args.period, mapping_path=args.mapping,
                        replace=args.replace, progress=stage,
                    )
                    results.append(result)
                except AnchornetError as exc:
                    failed += 1
                    if len(args.files) == 1:
                        raise
                    err.print(f"anchornet: error: {exc}", markup=False)
                    results.append({"path": str(path), "status": "refused", "message": str(exc)})
                progress.advance(task)
    except BaseException:
        if not any(not isinstance(r, dict) for r in results):
            ws.discard_if_new()
        else:
            ws.close()
        raise
    ws.close()
    if args.json:
        print_json([r if isinstance(r, dict) else r.to_dict() for r in results])
    elif not args.quiet:
        _print_ingest_summary([r for r in results if not isinstance(r, dict)])
    return 1 if failed else 0


def _print_ingest_summary(results) -> None:
    table = Table(title="Ingested", show_lines=False)
    for col in ("file", "result", "period", "lines", "header", "blank", "non-data", "loaded",
                "quarantined", "amount loaded"):
        table.add_column(col, justify="left" if col in ("file", "result", "period") else "right")
    for r in results:
        t = r.totals()
        table.add_row(
            r.name, r.status, r.period or "unknown", f"{t['lines_total']:,}",
            f"{t['lines_header']:,}", f"{t['lines_blank']:,}", f"{t['lines_nondata']:,}",
            f"{t['rows_loaded']:,}", f"{t['rows_quarantined']:,}", _money(t["amount_loaded"]),
        )
    out.print(table)
    for r in results:
        for note in r.notes:
            out.print(f"  {r.name}: {note}", markup=False)


def cmd_status(args, workspace: Path) -> int:
    ws = open_workspace(workspace, read_only=True)
    try:
        files = file_status(ws, include_superseded=args.all)
    finally:
        ws.close()
    summary = totals(files)
    if args.json:
        print_json({"workspace": str(workspace), "files": files, "totals": summary})
        return 0
    table = Table(title=f"Workspace {workspace}")
    cols = ["member", "file", "period", "lines", "header", "blank", "non-data", "continued",
            "loaded", "quarantined", "amount loaded"]
    for col in cols:
        table.add_column(col, justify="left" if col in ("member", "file", "period") else "right")
    for f in files:
        period = f"{f['period_start']}..{f['period_end']}" if f["period_start"] else "unknown"
        name = f["name"] + ("" if f["status"] == "active" else f" ({f['status']})")
        table.add_row(
            f["member"], name, period, f"{f['lines_total']:,}", f"{f['lines_header']:,}",
            f"{f['lines_blank']:,}", f"{f['lines_nondata']:,}", f"{f['lines_continuation']:,}",
            f"{f['rows_loaded']:,}", f"{f['rows_quarantined']:,}", _money(f["amount_loaded"]),
        )
    table.add_section()
    table.add_row(
        "total", f"{summary['files']} files", "", f"{summary['lines_total']:,}",
        f"{summary['lines_header']:,}", f"{summary['lines_blank']:,}",
        f"{summary['lines_nondata']:,}", f"{summary['lines_continuation']:,}",
        f"{summary['rows_loaded']:,}", f"{summary['rows_quarantined']:,}",
        _money(summary["amount_loaded"]),
    )
    out.print(table)
    return 0
