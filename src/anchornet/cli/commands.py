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


def cmd_quality(args, workspace: Path) -> int:
    from anchornet.ingest.quality import quality_report
    from anchornet.reports.quality_html import render_quality_html

    ws = open_workspace(workspace, read_only=True)
    try:
        report = quality_report(ws)
    finally:
        ws.close()
    if args.format == "json":
        text = json.dumps(report, indent=2, default=str)
    elif args.format == "html":
        text = render_quality_html(report, Path(workspace).name)
    else:
        _print_quality(report)
        return 0
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        err.print(f"wrote {args.output}")
    else:
        print(text)
    return 0


def _print_quality(report: dict) -> None:
    table = Table(title="Data quality by file")
    cols = ["member", "file", "loaded", "valid date", "placeholder", "credits", "under £500",
            "redacted", "individuals", "duplicates", "quarantined", "LGTC"]
    for col in cols:
        table.add_column(col, justify="left" if col in ("member", "file") else "right")
    for f in report["files"]:
        share = f["valid_date_share"]
        table.add_row(
            f["member"], f["file"], f"{f['rows_loaded']:,}",
            "unknown" if share is None else f"{share:.0%}", f"{f['placeholder_dates']:,}",
            f"{f['credits']:,}", f"{f['under_500']:,}", f"{f['redacted_payees']:,}",
            f"{f['individual_payees']:,}", f"{f['duplicate_rows']:,}",
            f"{f['rows_quarantined']:,}", f"{f['lgtc_score']:.0%}",
        )
    out.print(table)
    for f in report["files"]:
        for why, n in f["quarantine_reasons"].items():
            out.print(f"  {f['file']}: {n:,} quarantined: {why}", markup=False)
        for note in f["notes"]:
            out.print(f"  {f['file']}: {note}", markup=False)


def cmd_quarantine(args, workspace: Path) -> int:
    ws = open_workspace(workspace, read_only=True)
    try:
        rows = ws.con.execute(
            """SELECT m.name, f.name, p.sheet, r.source_line, r.reason, r.raw
               FROM records r JOIN files f USING (file_id) JOIN members m ON m.member_id = r.member_id
               JOIN file_parts p ON p.file_id = r.file_id AND p.part_no = r.part_no
               WHERE r.status = 'quarantined' AND f.status = 'active'
               ORDER BY m.name, f.name, r.part_no, r.source_line LIMIT ?""",
            [args.limit],
        ).fetchall()
        total = ws.con.execute("SELECT count(*) FROM quarantine q JOIN files f USING (file_id) "
                               "WHERE f.status = 'active'").fetchone()[0]
    finally:
        ws.close()
    items = [
        {"member": m, "file": f, "sheet": s, "line": line, "reason": why, "raw": raw}
        for m, f, s, line, why, raw in rows
    ]
    if args.json:
        print_json({"total": total, "rows": items})
        return 0
    table = Table(title=f"Quarantined rows ({total:,} in all; showing {len(items):,})")
    for col in ("member", "file", "line", "reason", "raw values"):
        table.add_column(col)
    for i in items:
        where = f"{i['sheet']}!{i['line']}" if i["sheet"] else str(i["line"])
        raw = " | ".join("" if v is None else v for v in i["raw"])
        table.add_row(i["member"], i["file"], where, i["reason"], raw[:120])
    out.print(table)
    if total:
        out.print("Fix them with a mapping file (docs/ingest.md) and ingest again with --replace, "
                  "or export them: anchornet export quarantine -o quarantine.csv")
    return 0


def cmd_export(args, workspace: Path) -> int:
    from anchornet.reports.exports import export

    if args.table == "network":
        return _export_network(args, workspace)
    if args.public:
        raise AnchornetError("--public is for the network's records (anchornet export network --public)")
    ws = open_workspace(workspace, read_only=True)
    try:
        rows = export(ws, args.table, args.output, args.format, member=args.member)
    finally:
        ws.close()
    err.print(f"wrote {rows:,} rows to {args.output}")
    return 0


def _export_network(args, workspace: Path) -> int:
    from anchornet.network.exports import export_network

    if args.member:
        raise AnchornetError("the network's records export whole; --member is for payments and quarantine")
    if args.format == "parquet":
        raise AnchornetError("the network's records export as xlsx (one workbook) or csv (a folder of files)")
    ws = open_workspace(workspace, read_only=True)
    try:
        counts = export_network(ws, args.output, args.format, public=args.public)
    finally:
        ws.close()
    edition = "public edition: " if args.public else ""
    err.print(f"wrote {edition}{len(counts)} tables ({sum(counts.values()):,} rows) to {args.output}")
    return 0


def cmd_demo(args, workspace: Path) -> int:
    from anchornet.demo import build_demo, ensure_demo_accounts

    ws = open_workspace(workspace, create=True)
    try:
        results, report = build_demo(ws)
        logins = ensure_demo_accounts(ws)
    except BaseException:
        ws.discard_if_new()
        raise
    files = file_status(ws)
    ws.close()
    if not args.quiet:
        _print_ingest_summary(results)
        summary = totals(files)
        out.print(f"\nDemo workspace {workspace}: {summary['files']} files of {len({f['member'] for f in files})} "
                  f"members; every line of every file accounted for "
                  f"({summary['accounted']:,} of {summary['lines_total']:,}).")
        for member in sorted({f["member"] for f in files}, key=lambda m: (m.endswith("(fictional)"), m)):
            part = totals([f for f in files if f["member"] == member])
            out.print(f"  {member}: {part['files']} files, {part['rows_loaded']:,} payments loaded, "
                      f"{part['rows_quarantined']:,} quarantined, {part['lines_nondata']:,} non-data lines, "
                      f"£{part['amount_loaded']:,.2f}", markup=False)
        out.print("  (members named \"(fictional)\" and the registers are made-up demo data: "
                  f"see {workspace / 'fictional-demo-data' / 'FICTIONAL.md'})", markup=False)
        ws = open_workspace(workspace, read_only=True)
        suppliers, personal = ws.con.execute(
            "SELECT count(*) FILTER (WHERE NOT personal), count(*) FILTER (WHERE personal) "
            "FROM supplier_entities").fetchall()[0]
        from anchornet.network.report import at_a_glance
        from anchornet.place.geography import summary as place_summary

        place = place_summary(ws)
        glance = at_a_glance(ws)
        ws.close()
        out.print(f"Suppliers: {suppliers:,} organisations resolved from the payees "
                  f"({personal:,} possible private individuals kept anonymous); "
                  "see `anchornet suppliers review`.")
        if place.get("place"):
            shares = ", ".join(
                f"{t['name']} {t['inside']['share']:.1%} inside" for t in place.get("tiers", [])
                if t.get("inside", {}).get("share") is not None)
            out.print(f"Place: {place['place']['name']}: {shares}; location known for "
                      f"{place['coverage']['in_lookup']['share']:.1%} of supplier spend "
                      "(the rest is shown as unknown).", markup=False)
        out.print("Network (made up, on the Network page): " + "; ".join(
            glance[k] for k in ("/network/members", "/network/groups", "/network/pledges", "/network/framework",
                                "/network/social-value", "/network/plans")) + ".", markup=False)
        out.print(f"Quality report: {report}")
    if args.no_serve:
        return 0
    out.print("\nDemo logins (this demo workspace only):")
    for email, role, password in logins:
        out.print(f"  {role:<12} {email}  password: {password}", markup=False)
    from anchornet.cli.web_commands import cmd_serve

    return cmd_serve(args, workspace)
