"""Which records are payments, which are quarantined and why, and which are not data.

Built as one SQL SELECT over a part's records, so the decision for every row is
made by the database in the same pass that loads it.
"""

from __future__ import annotations

from anchornet.ingest.columns import ColumnMap
from anchornet.ingest.values import DAY_FIRST_FORMATS, EARLIEST_DATE, LATEST_DATE, MONTH_FIRST_FORMATS
from anchornet.sqltext import sql_literal

# A cell that is a total label ("Total", "Grand Total", "Total spend:"), not a
# name that starts with "Total" such as "Total Gas & Power Ltd".
TOTAL_LABEL = (
    r"^\s*(grand\s*|sub[- ]?)?totals?(\s+(spend|amount|paid|payments|value|for\s.*))?\s*:?\s*$"
)

# Flags a loaded payment may carry; documented in docs/ingest.md.
FLAGS = {
    "placeholder_date": "the date is a placeholder (e.g. 00:00:00 or 01/01/1900): unknown",
    "date_not_understood": "the date cell holds text that is not a date: unknown",
    "month_only_date": "only the month is given: the payment's period is that month",
    "no_date": "the date cell is blank",
    "credit": "a negative amount (credit note or refund)",
    "zero_amount": "the amount is zero",
    "under_500": "under £500: often one line of a multi-line transaction",
    "redacted_payee": "the payee is redacted",
    "individual_payee": "the payee looks like a private individual",
    "supplier_blank": "no supplier name is given",
    "outside_period": "the date falls outside the file's stated period",
    "duplicate_row": "an exact duplicate of another row in the same file (kept: it can be genuine)",
}


def raw_cells_sql(width: int) -> str:
    """The raw cells of a record as stored: empty cells as NULL, whichever reader read them."""
    return "[" + ", ".join(f"nullif(c{i}, '')" for i in range(width)) + "]"


def duplicate_hashes_sql(header_width: int, width: int, header_line: int) -> str:
    """Hashes of the raw cells that occur more than once among a part's records."""
    hw = min(header_width, width)
    return (
        f"SELECT hash({raw_cells_sql(hw)}) AS h FROM _src WHERE line > {header_line} "
        "GROUP BY 1 HAVING count(*) > 1"
    )


def build_select(
    cmap: ColumnMap,
    *,
    width: int,
    header_width: int,
    header_line: int,
    file_id: int,
    member_id: int,
    part_no: int,
    month_first: bool,
    kind: str,
    period_start: str | None,
    period_end: str | None,
    spaces_only: bool = False,
) -> str:
    """The INSERT's SELECT. Each cell is cleaned once; amounts and dates in the common
    shapes take a quick path that gives exactly what the full rules would; the costly
    checks run only on the rows whose outcome they can change."""
    hw = min(max(header_width, cmap.width), width)

    def col(field: str) -> str:
        i = cmap.fields.get(field)
        return f"c{i}" if i is not None else "CAST(NULL AS VARCHAR)"

    mf = "true" if month_first else "false"
    clean = "an_clean_spaces" if spaces_only else "an_clean"
    inside = [f"c{i}" for i in range(hw)]
    extra = [f"c{i}" for i in range(hw, width)]
    nonblank = " + ".join(f"({clean}({c}) IS NOT NULL)::INTEGER" for c in inside) or "0"
    extra_any = " OR ".join(f"{clean}({c}) IS NOT NULL" for c in extra) or "false"
    extra_count = " + ".join(f"({clean}({c}) IS NOT NULL)::INTEGER" for c in extra) or "0"
    total_any = " OR ".join(
        f"regexp_matches(lower(coalesce({c}, '')), {sql_literal(TOTAL_LABEL)})" for c in inside
    ) or "false"
    # Raw cells as written; an empty cell is NULL whichever reader read it. With extra
    # fields, keep them but not the reader's padding after the last of them.
    raw_inside = raw_cells_sql(hw)
    raw_all = "[" + ", ".join(f"nullif({c}, '')" for c in inside + extra) + "]"
    raw = (
        f"CASE WHEN has_extra THEN list_slice({raw_all}, 1, {len(inside + extra)} + 1 - list_position("
        f"list_reverse(list_transform({raw_all}, lambda x: x IS NOT NULL)), true)) "
        f"ELSE {raw_inside} END"
    )
    # A loaded payment keeps its raw cells only when some column is not mapped to a field:
    # otherwise the fields hold every cell already (trimmed), and the original file is
    # kept, by its hash, for the bytes. Other rows always keep them, to be fixed.
    unmapped = [i for i in range(hw) if i not in set(cmap.fields.values())]
    raw_out = "raw" if unmapped else "CASE WHEN status = 'loaded' THEN NULL ELSE raw END"
    sup_header = cmap.header[cmap.fields["supplier_name"]].strip().lower()
    amt_header = cmap.header[cmap.fields["amount"]].strip().lower()
    totals = kind == "supplier_totals"
    ps = f"DATE {sql_literal(period_start)}" if period_start else "CAST(NULL AS DATE)"
    pe = f"DATE {sql_literal(period_end)}" if period_end else "CAST(NULL AS DATE)"

    if totals:
        in_range = "false"
        dates = "CAST(NULL AS DATE) AS pdate, CAST(NULL AS DATE) AS pmonth"
        date_flags: list[str] = []
    else:
        # The first two formats of the full list, tried first: when they read the text as
        # a date in range, the full rules would give the same date.
        quick = (MONTH_FIRST_FORMATS if month_first else DAY_FIRST_FORMATS)[:2]
        quick_sql = "[" + ", ".join(sql_literal(f) for f in quick) + "]"
        in_range = f"(qdate BETWEEN DATE {sql_literal(EARLIEST_DATE)} AND DATE {sql_literal(LATEST_DATE)})"
        dates = f"""
            CASE WHEN {in_range} THEN qdate WHEN NOT is_ph THEN dany END AS pdate,
            CASE WHEN {in_range} THEN NULL WHEN dany IS NULL THEN an_month(d_raw) END AS pmonth"""
        date_flags = [
            "CASE WHEN is_ph THEN 'placeholder_date' END",
            "CASE WHEN d_raw IS NULL THEN 'no_date' END",
            "CASE WHEN d_raw IS NOT NULL AND pdate IS NULL AND pmonth IS NULL AND NOT is_ph "
            "THEN 'date_not_understood' END",
            "CASE WHEN pdate IS NULL AND pmonth IS NOT NULL THEN 'month_only_date' END",
        ]
        if period_start and period_end:
            date_flags.append(f"CASE WHEN pdate NOT BETWEEN {ps} AND {pe} THEN 'outside_period' END")
    flag_items = date_flags + [
        "CASE WHEN amt < 0 THEN 'credit' END",
        "CASE WHEN amt = 0 THEN 'zero_amount' END",
        "CASE WHEN amt > 0 AND amt < 500 THEN 'under_500' END",
        "CASE WHEN an_is_redacted(sup) THEN 'redacted_payee' END",
        "CASE WHEN an_looks_individual(sup) THEN 'individual_payee' END",
        "CASE WHEN sup IS NULL THEN 'supplier_blank' END",
        # a candidate only: confirmed exactly after the insert (see loader._confirm_duplicates)
        "CASE WHEN dup_candidates > 1 THEN 'duplicate_row' END",
    ]
    flags = "list_filter([" + ", ".join(flag_items) + "], lambda x: x IS NOT NULL)"
    if totals:
        parse_dates = "CAST(NULL AS DATE) AS qdate"
        resolve_dates = "CAST(NULL AS DATE) AS dany, false AS is_ph"
    else:
        parse_dates = f"CAST(try_strptime(d_raw, {quick_sql}) AS DATE) AS qdate"
        resolve_dates = f"""
            CASE WHEN NOT coalesce({in_range}, false) THEN an_date_any(d_raw, {mf}) END AS dany"""

    placeholder = "false" if totals else (
        f"CASE WHEN coalesce({in_range}, false) THEN false ELSE an_is_placeholder(d_raw, dany) END")
    return f"""
WITH cleaned AS (
    SELECT line,
        {clean}({col('supplier_name')}) AS sup,
        {clean}({col('amount')}) AS a_raw,
        {clean}({col('payment_date')}) AS d_raw,
        ({extra_any}) AS has_extra,
        *
    FROM _src
    WHERE line > {header_line}
), parsed AS (
    SELECT *,
        CASE WHEN regexp_full_match(a_raw, '-?[0-9]{{1,15}}(\\.[0-9]{{1,2}})?')
             THEN TRY_CAST(a_raw AS DECIMAL(18, 2)) ELSE an_amount(a_raw) END AS amt,
        {parse_dates}
    FROM cleaned
), resolved AS (
    SELECT *, {resolve_dates}
    FROM parsed
), placeholder AS (
    SELECT *, {placeholder} AS is_ph
    FROM resolved
), dated AS (
    SELECT *, {dates}
    FROM placeholder
), judged AS (
    SELECT *,
        CASE WHEN sup IS NULL OR (pdate IS NULL AND pmonth IS NULL) THEN {nonblank} ELSE {hw + 1} END
            AS nonblank,
        CASE WHEN pdate IS NULL AND pmonth IS NULL THEN ({total_any}) ELSE false END AS has_total_word,
        coalesce(lower(sup) = {sql_literal(sup_header)}
                 AND lower(a_raw) = {sql_literal(amt_header)}, false) AS is_repeat
    FROM dated
), decided AS (
    SELECT *,
        CASE
            WHEN nonblank = 0 AND NOT has_extra THEN 'blank'
            WHEN is_repeat THEN 'nondata'
            WHEN (sup IS NULL OR regexp_matches(lower(sup), {sql_literal(TOTAL_LABEL)}))
                AND pdate IS NULL AND pmonth IS NULL
                AND (has_total_word OR (amt IS NOT NULL AND nonblank <= 2)) THEN 'nondata'
            WHEN sup IS NULL AND a_raw IS NULL AND d_raw IS NULL AND nonblank <= 2 THEN 'nondata'
            WHEN has_extra OR a_raw IS NULL OR amt IS NULL THEN 'quarantined'
            ELSE 'loaded'
        END AS status,
        {raw} AS raw
    FROM judged
), counted AS (
    -- hashes seen twice come from a quick pass over the source (duplicate_hashes_sql);
    -- a window here would make DuckDB compute everything above twice
    SELECT *, CASE WHEN status = 'loaded' AND hash(raw) IN (SELECT h FROM _dup_hashes) THEN 2 END
        AS dup_candidates
    FROM decided
)
SELECT
    {file_id} AS file_id,
    {member_id} AS member_id,
    {part_no} AS part_no,
    line AS source_line,
    status,
    CASE
        WHEN status = 'blank' THEN 'blank line'
        WHEN status = 'nondata' AND is_repeat THEN 'repeated header'
        WHEN status = 'nondata' AND (has_total_word OR amt IS NOT NULL) THEN 'footer total'
        WHEN status = 'nondata' THEN 'no payment fields (note or junk line)'
        WHEN has_extra THEN 'more fields than the header (' || ({extra_count}) || ' extra)'
        WHEN a_raw IS NULL AND sup IS NULL THEN 'no supplier and no amount'
        WHEN a_raw IS NULL THEN 'no amount'
        WHEN amt IS NULL THEN 'amount is not a number: ' || a_raw
    END AS reason,
    CASE WHEN status = 'loaded' THEN {sql_literal('period_total' if totals else 'payment')} END AS record_type,
    CASE WHEN status = 'loaded' THEN pdate END AS payment_date,
    CASE WHEN status = 'loaded' THEN coalesce(pmonth, {ps}) END AS period_start,
    CASE WHEN status = 'loaded' THEN coalesce(last_day(pmonth), {pe}) END AS period_end,
    CASE WHEN status IN ('loaded', 'nondata') THEN amt END AS amount,
    coalesce(sup, '') AS supplier_name,
    {clean}({col('supplier_ref')}) AS supplier_ref,
    {clean}({col('category')}) AS category,
    {clean}({col('service_area')}) AS service_area,
    {clean}({col('expense_code')}) AS expense_code,
    {clean}({col('transaction_ref')}) AS transaction_ref,
    {clean}({col('capital_revenue')}) AS capital_revenue,
    {clean}({col('body')}) AS body,
    {clean}({col('vat_number')}) AS vat_number,
    an_amount({col('irrecoverable_vat')}) AS irrecoverable_vat,
    {clean}({col('merchant_category')}) AS merchant_category,
    {clean}({col('supplier_type')}) AS supplier_type,
    d_raw AS date_raw,
    a_raw AS amount_raw,
    CASE WHEN status = 'loaded' THEN {flags} ELSE [] END AS flags,
    {raw_out} AS raw
FROM counted
"""
