"""Data quality of what was ingested, per file and per member.

Measures what the Local Government Transparency Code 2015 asks each
expenditure-over-£500 record to carry, and the quirks that change how a figure
should be read: unknown dates, credits, small lines, redacted or personal payees,
duplicates, quarantined rows.
"""

from __future__ import annotations

import json

from anchornet.workspace import Workspace

# The Code's mandatory fields for each item of expenditure over £500.
LGTC_REQUIRED = {
    "payment_date": "date the expenditure was incurred",
    "service_area": "department which incurred the expenditure",
    "supplier_name": "beneficiary",
    "category": "summary of the purpose of the expenditure",
    "amount": "amount",
    "irrecoverable_vat": "VAT that cannot be recovered",
    "merchant_category": "merchant category",
}
# Fields the Code recommends, which make the data far more useful.
LGTC_RECOMMENDED = {
    "body": "name of the publishing body",
    "transaction_ref": "transaction number",
    "supplier_ref": "supplier identifier",
    "expense_code": "expenditure code",
    "capital_revenue": "capital or revenue",
}

_FILE_METRICS = """
SELECT
    r.file_id,
    count(*) FILTER (WHERE status = 'loaded') AS rows_loaded,
    coalesce(sum(amount) FILTER (WHERE status = 'loaded'), 0) AS amount_loaded,
    count(*) FILTER (WHERE status = 'loaded' AND payment_date IS NOT NULL) AS valid_dates,
    count(*) FILTER (WHERE list_contains(flags, 'placeholder_date')) AS placeholder_dates,
    count(*) FILTER (WHERE list_contains(flags, 'month_only_date')) AS month_only_dates,
    count(*) FILTER (WHERE list_contains(flags, 'date_not_understood')) AS dates_not_understood,
    count(*) FILTER (WHERE list_contains(flags, 'no_date')) AS blank_dates,
    count(*) FILTER (WHERE list_contains(flags, 'outside_period')) AS outside_period,
    count(*) FILTER (WHERE list_contains(flags, 'credit')) AS credits,
    coalesce(sum(amount) FILTER (WHERE list_contains(flags, 'credit')), 0) AS credits_amount,
    count(*) FILTER (WHERE list_contains(flags, 'zero_amount')) AS zero_amounts,
    count(*) FILTER (WHERE list_contains(flags, 'under_500')) AS under_500,
    count(*) FILTER (WHERE list_contains(flags, 'redacted_payee')) AS redacted_payees,
    count(*) FILTER (WHERE list_contains(flags, 'individual_payee')) AS individual_payees,
    count(*) FILTER (WHERE list_contains(flags, 'supplier_blank')) AS blank_suppliers,
    count(*) FILTER (WHERE list_contains(flags, 'duplicate_row')) AS duplicate_rows,
    count(*) FILTER (WHERE status = 'quarantined') AS rows_quarantined,
    count(*) FILTER (WHERE status = 'nondata') AS nondata_lines
FROM records r
WHERE r.file_id IN (SELECT file_id FROM files WHERE status = 'active')
GROUP BY r.file_id
"""


def _share(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _reasons(ws: Workspace, status: str) -> dict[int, dict[str, int]]:
    rows = ws.con.execute(
        """SELECT file_id,
                  CASE WHEN reason LIKE 'amount is not a number:%' THEN 'amount is not a number'
                       ELSE reason END AS why,
                  count(*)
           FROM records WHERE status = ? GROUP BY ALL ORDER BY 3 DESC""",
        [status],
    ).fetchall()
    out: dict[int, dict[str, int]] = {}
    for file_id, why, n in rows:
        out.setdefault(file_id, {})[why] = n
    return out


def file_quality(ws: Workspace) -> list[dict]:
    """One dict per active file."""
    files = ws.con.execute(
        """SELECT f.file_id, m.name, f.name, f.format, f.kind, f.encoding, f.mapping_json,
                  f.period_start, f.period_end, f.period_source, f.notes_json
           FROM files f JOIN members m USING (member_id)
           WHERE f.status = 'active' ORDER BY m.name, f.name"""
    ).fetchall()
    metrics_rows = ws.con.execute(_FILE_METRICS).fetchall()
    names = [d[0] for d in ws.con.description]
    metrics = {row[0]: dict(zip(names, row, strict=True)) for row in metrics_rows}
    quarantine = _reasons(ws, "quarantined")
    nondata = _reasons(ws, "nondata")
    out = []
    for fid, member, name, fmt, kind, enc, mapping_json, p0, p1, psrc, notes in files:
        mapping = json.loads(mapping_json)
        mapped = set().union(*[set(m) for m in mapping.values()]) if mapping else set()
        m = dict(metrics.get(fid, {}))
        m.pop("file_id", None)
        loaded = m.get("rows_loaded", 0)
        m["amount_loaded"] = float(m.get("amount_loaded", 0) or 0)
        m["credits_amount"] = float(m.get("credits_amount", 0) or 0)
        required = {k: k in mapped for k in LGTC_REQUIRED}
        out.append({
            "file_id": fid,
            "member": member,
            "file": name,
            "format": fmt,
            "kind": kind,
            "encoding": enc,
            "period": f"{p0}..{p1}" if p0 else None,
            "period_source": psrc,
            "columns": mapping,
            "lgtc_required": required,
            "lgtc_recommended": {k: k in mapped for k in LGTC_RECOMMENDED},
            "lgtc_score": round(sum(required.values()) / len(required), 2),
            "valid_date_share": _share(m.get("valid_dates", 0), loaded),
            "quarantine_reasons": quarantine.get(fid, {}),
            "nondata_reasons": nondata.get(fid, {}),
            "notes": json.loads(notes),
            **m,
        })
    return out


def member_quality(files: list[dict]) -> list[dict]:
    """Roll file figures up to each member."""
    summed = [
        "rows_loaded", "amount_loaded", "valid_dates", "placeholder_dates", "month_only_dates",
        "dates_not_understood", "blank_dates", "credits", "credits_amount", "zero_amounts",
        "under_500", "redacted_payees", "individual_payees", "duplicate_rows",
        "rows_quarantined", "nondata_lines",
    ]
    members: dict[str, dict] = {}
    for f in files:
        m = members.setdefault(f["member"], {"member": f["member"], "files": 0, **dict.fromkeys(summed, 0)})
        m["files"] += 1
        for key in summed:
            m[key] += f.get(key, 0) or 0
        m.setdefault("lgtc_scores", []).append(f["lgtc_score"])
    for m in members.values():
        m["valid_date_share"] = _share(m["valid_dates"], m["rows_loaded"])
        m["lgtc_score"] = round(min(m.pop("lgtc_scores")), 2)
        m["amount_loaded"] = round(m["amount_loaded"], 2)
    return list(members.values())


def quality_report(ws: Workspace) -> dict:
    files = file_quality(ws)
    return {
        "files": files,
        "members": member_quality(files),
        "lgtc_required": LGTC_REQUIRED,
        "lgtc_recommended": LGTC_RECOMMENDED,
    }
