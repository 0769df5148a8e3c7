"""Which records are payments, which are quarantined and why, and which are not data.

Built as one SQL SELECT over a part's records, so the decision for every row is
made by the database in the same pass that loads it.
"""

from __future__ import annotations

from anchornet.ingest.columns import ColumnMap

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


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


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
) -> str:
    hw = min(max(header_width, cmap.width), width)

    def col(field: str) -> str:
        i = cmap.fields.get(field)
        return f"c{i}" if i is not None else "CAST(NULL AS VARCHAR)"

    def clean(field: str) -> str:
        return f"an_clean({col(field)})"

    mf = "true" if month_first else "false"
    inside = [f"c{i}" for i in range(hw)]
    extra = [f"c{i}" for i in range(hw, width)]
    nonblank = " + ".join(f"(an_clean({c}) IS NOT NULL)::INTEGER" for c in inside) or "0"
    extra_any = " OR ".join(f"an_clean({c}) IS NOT NULL" for c in extra) or "false"
    extra_count = " + ".join(f"(an_clean({c}) IS NOT NULL)::INTEGER" for c in extra) or "0"
    total_any = " OR ".join(
        f"regexp_matches(lower(coalesce({c}, '')), {_q(TOTAL_LABEL)})" for c in inside
    ) or "false"
    # Raw cells as written; an empty cell is NULL whichever reader read it.
    raw_inside = "[" + ", ".join(f"nullif({c}, '')" for c in inside) + "]"
    raw_all = "[" + ", ".join(f"nullif({c}, '')" for c in inside + extra) + "]"

    sup_header = cmap.header[cmap.fields["supplier_name"]].strip().lower()
    amt_header = cmap.header[cmap.fields["amount"]].strip().lower()
    repeated = (
        f"lower(an_clean({col('supplier_name')})) = {_q(sup_header)} "
        f"AND lower(an_clean({col('amount')})) = {_q(amt_header)}"
    )
    totals = kind == "supplier_totals"
    ps = f"DATE {_q(period_start)}" if period_start else "CAST(NULL AS DATE)"
    pe = f"DATE {_q(period_end)}" if period_end else "CAST(NULL AS DATE)"
    if totals:
        date_expr = "CAST(NULL AS DATE)"
        month_expr = "CAST(NULL AS DATE)"
        flags_date = []
    else:
        date_expr = f"an_date({col('payment_date')}, {mf})"
        month_expr = (
            f"CASE WHEN an_date_any({col('payment_date')}, {mf}) IS NULL "
            f"THEN an_month({col('payment_date')}) END"
        )
        flags_date = [
            f"CASE WHEN an_is_placeholder_date({col('payment_date')}, {mf}) THEN 'placeholder_date' END",
            "CASE WHEN d_raw IS NULL THEN 'no_date' END",
            f"CASE WHEN d_raw IS NOT NULL AND pdate IS NULL AND pmonth IS NULL "
            f"AND NOT an_is_placeholder_date({col('payment_date')}, {mf}) THEN 'date_not_understood' END",
            "CASE WHEN pdate IS NULL AND pmonth IS NOT NULL THEN 'month_only_date' END",
        ]
        if period_start and period_end:
            flags_date.append(
                f"CASE WHEN pdate NOT BETWEEN {ps} AND {pe} THEN 'outside_period' END"
            )
    flag_items = flags_date + [
        "CASE WHEN amt < 0 THEN 'credit' END",
        "CASE WHEN amt = 0 THEN 'zero_amount' END",
        "CASE WHEN amt > 0 AND amt < 500 THEN 'under_500' END",
        "CASE WHEN an_is_redacted(sup) THEN 'redacted_payee' END",
        "CASE WHEN an_looks_individual(sup) THEN 'individual_payee' END",
        "CASE WHEN sup IS NULL THEN 'supplier_blank' END",
    ]
    flags = "list_filter([" + ", ".join(flag_items) + "], lambda x: x IS NOT NULL)"

    return f"""
WITH base AS (
    SELECT line,
        {clean('supplier_name')} AS sup,
        an_clean({col('amount')}) AS a_raw,
        an_amount({col('amount')}) AS amt,
        an_clean({col('payment_date')}) AS d_raw,
        {date_expr} AS pdate,
        {month_expr} AS pmonth,
        {nonblank} AS nonblank,
        ({extra_any}) AS has_extra,
        {extra_count} AS n_extra,
        ({total_any}) AS has_total_word,
        ({repeated}) AS is_repeat,
        {raw_inside} AS raw_inside,
        {raw_all} AS raw_all,
        *
    FROM _src
    WHERE line > {header_line}
), judged AS (
    SELECT *,
        CASE
            WHEN nonblank = 0 AND NOT has_extra THEN 'blank'
            WHEN coalesce(is_repeat, false) THEN 'nondata'
            WHEN (sup IS NULL OR regexp_matches(lower(sup), {_q(TOTAL_LABEL)}))
                AND pdate IS NULL AND pmonth IS NULL
                AND (has_total_word OR (amt IS NOT NULL AND nonblank <= 2)) THEN 'nondata'
            WHEN sup IS NULL AND a_raw IS NULL AND d_raw IS NULL AND nonblank <= 2 THEN 'nondata'
            WHEN has_extra OR a_raw IS NULL OR amt IS NULL THEN 'quarantined'
            ELSE 'loaded'
        END AS status
    FROM base
)
SELECT
    {file_id} AS file_id,
    {member_id} AS member_id,
    {part_no} AS part_no,
    line AS source_line,
    status,
    CASE
        WHEN status = 'blank' THEN 'blank line'
        WHEN status = 'nondata' AND coalesce(is_repeat, false) THEN 'repeated header'
        WHEN status = 'nondata' AND (has_total_word OR amt IS NOT NULL) THEN 'footer total'
        WHEN status = 'nondata' THEN 'no payment fields (note or junk line)'
        WHEN has_extra THEN 'more fields than the header (' || n_extra || ' extra)'
        WHEN a_raw IS NULL AND sup IS NULL THEN 'no supplier and no amount'
        WHEN a_raw IS NULL THEN 'no amount'
        WHEN amt IS NULL THEN 'amount is not a number: ' || a_raw
    END AS reason,
    CASE WHEN status = 'loaded' THEN {_q('period_total' if totals else 'payment')} END AS record_type,
    CASE WHEN status = 'loaded' THEN pdate END AS payment_date,
    CASE WHEN status = 'loaded' THEN coalesce(pmonth, {ps}) END AS period_start,
    CASE WHEN status = 'loaded' THEN coalesce(last_day(pmonth), {pe}) END AS period_end,
    CASE WHEN status IN ('loaded', 'nondata') THEN amt END AS amount,
    coalesce(sup, '') AS supplier_name,
    {clean('supplier_ref')} AS supplier_ref,
    {clean('category')} AS category,
    {clean('service_area')} AS service_area,
    {clean('expense_code')} AS expense_code,
    {clean('transaction_ref')} AS transaction_ref,
    {clean('capital_revenue')} AS capital_revenue,
    {clean('body')} AS body,
    {clean('vat_number')} AS vat_number,
    an_amount({col('irrecoverable_vat')}) AS irrecoverable_vat,
    {clean('merchant_category')} AS merchant_category,
    {clean('supplier_type')} AS supplier_type,
    d_raw AS date_raw,
    a_raw AS amount_raw,
    CASE WHEN status = 'loaded' THEN {flags} ELSE [] END AS flags,
    CASE WHEN has_extra
         -- keep the extra fields, not the reader's padding after the last of them
         THEN list_slice(raw_all, 1, len(raw_all) + 1 - list_position(
              list_reverse(list_transform(raw_all, lambda x: x IS NOT NULL)), true))
         ELSE raw_inside END AS raw
FROM judged
"""
