"""What the workspace holds: files, their line accounting, and the totals."""

from __future__ import annotations

from anchornet.workspace import Workspace

COUNT_COLUMNS = [
    "lines_total", "lines_header", "lines_blank", "lines_nondata", "lines_continuation",
    "rows_loaded", "rows_quarantined",
]


def file_status(ws: Workspace, *, include_superseded: bool = False) -> list[dict]:
    """One dict per file with its counts; ``accounted`` equals ``lines_total`` when all is well."""
    where = "" if include_superseded else "WHERE f.status = 'active'"
    sums = ", ".join(f"sum(p.{c}) AS {c}" for c in COUNT_COLUMNS)
    rows = ws.con.execute(
        f"""SELECT f.file_id, m.name AS member, f.name, f.sha256, f.format, f.kind, f.encoding,
                   f.period_start, f.period_end, f.period_source, f.status, f.ingested_at,
                   {sums},
                   (SELECT coalesce(sum(amount), 0) FROM records r
                     WHERE r.file_id = f.file_id AND r.status = 'loaded') AS amount_loaded,
                   count(p.part_no) AS parts
            FROM files f JOIN members m USING (member_id) JOIN file_parts p USING (file_id)
            {where}
            GROUP BY ALL ORDER BY m.name, f.name, f.file_id"""
    ).fetchall()
    names = [d[0] for d in ws.con.description]
    out = []
    for row in rows:
        item = dict(zip(names, row, strict=True))
        item["amount_loaded"] = float(item["amount_loaded"])
        for key in ("period_start", "period_end", "ingested_at"):
            item[key] = item[key].isoformat() if item[key] is not None else None
        item["accounted"] = sum(item[c] for c in COUNT_COLUMNS[1:])
        out.append(item)
    return out


def totals(files: list[dict]) -> dict:
    out = {c: sum(f[c] for f in files) for c in COUNT_COLUMNS + ["accounted"]}
    out["amount_loaded"] = round(sum(f["amount_loaded"] for f in files), 2)
    out["files"] = len(files)
    return out
