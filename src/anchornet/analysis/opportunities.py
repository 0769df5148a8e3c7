"""Which local firms could win the spend that leaves the place: a shortlist for a
meet-the-buyer event.

For the categories that leak most, the active companies in the Companies House
register whose registered office lies inside the tier and whose SIC codes fit the
category (``category_sic.yaml``), excluding firms the members already pay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from anchornet.analysis.metrics import Analysis
from anchornet.errors import AnchornetError
from anchornet.place import locate
from anchornet.rulefiles import read_rule_file
from anchornet.sqltext import sql_literal

SIZE_ORDER = "CASE size_band WHEN 'small' THEN 1 WHEN 'micro' THEN 2 WHEN 'medium' THEN 3 " \
             "WHEN 'large' THEN 4 ELSE 5 END"


@dataclass
class CategoryFirms:
    match: str
    sic: list[str]
    label: str


def load_table(workspace_dir: Path | None = None) -> list[CategoryFirms]:
    text = read_rule_file("anchornet.analysis", "category_sic.yaml", workspace_dir)
    try:
        rows = yaml.safe_load(text)["categories"]
        table = [CategoryFirms(r["match"], [str(x) for x in r["sic"]], r.get("label", r["match"]))
                 for r in rows]
        for row in table:
            re.compile(row.match)
        return table
    except (yaml.YAMLError, KeyError, TypeError, re.error) as exc:
        raise AnchornetError(f"the category-to-SIC table cannot be read: {exc}") from None


def firms_for(category: str, table: list[CategoryFirms]) -> CategoryFirms | None:
    return next((row for row in table if re.search(row.match, category or "")), None)


LEAKING_CATEGORIES = 50  # the most-leaking categories looked at for a shortlist


def opportunities(analysis: Analysis, *, tier: str | None = None, categories: int = 5,
                  per_category: int = 25, leakage: dict | None = None) -> dict:
    """The shortlist: for each of the most-leaking categories, local firms that could bid.

    ``leakage`` is ``analysis.leakage(tier, limit=LEAKING_CATEGORIES)`` when the caller has it already.
    """
    ws = analysis.ws
    con = ws.con
    leak = leakage if leakage is not None else analysis.leakage(tier, limit=LEAKING_CATEGORIES)
    if leak["tier"] is None:
        return {"tier": None, "categories": [], "note": "no place is defined"}
    companies = con.execute("SELECT count(*) FROM companies").fetchall()[0][0]
    if not companies:
        return {"tier": leak["tier"], "categories": [],
                "note": "the Companies House register is not loaded"}
    tier_no = con.execute("SELECT tier_no FROM place_tiers WHERE name = ?", [leak["tier"]]).fetchall()[0][0]
    codes = con.execute(
        "SELECT kind, code FROM place_codes WHERE tier_no <= ? ORDER BY tier_no, position", [tier_no]
    ).fetchall()
    inside = locate.inside_sql("c", [(kind, sql_literal(code)) for kind, code in codes])
    table = load_table(ws.path)
    out = []
    for item in leak["categories"]:
        if item["outside"] <= 0 or len(out) >= categories:
            continue
        fit = firms_for(item["category"], table)
        entry = {**item, "firms_kind": fit.label if fit else None, "sic_prefixes": fit.sic if fit else [],
                 "firms": []}
        if fit:
            sic_match = " OR ".join(
                f"list_has_any(list_transform(sic_codes, lambda s: s LIKE '{p}%'), [true])"
                for p in fit.sic
            )
            entry["firms"] = _firms(con, inside, sic_match, per_category)
        out.append(entry)
    return {"tier": leak["tier"], "categories": out, "note": None}


def _firms(con, inside: str, sic_match: str, limit: int) -> list[dict]:
    locate.install(con)
    result = con.execute(f"""
        WITH c AS (
            SELECT co.company_number, co.name, co.postcode, co.size_band, co.sic_codes,
                   co.sic_descriptions, co.incorporation_date,
                   pc_outward(co.postcode) AS district, pc_area(co.postcode) AS area,
                   p.lad_code, p.region_code, p.country
            FROM companies co
            LEFT JOIN postcodes p ON p.postcode = co.postcode
            WHERE co.status = 'Active' AND co.postcode IS NOT NULL
              AND co.load_id IN (SELECT load_id FROM register_loads WHERE status = 'active')
        )
        SELECT company_number, name, postcode, size_band, sic_codes, sic_descriptions
        FROM c
        WHERE coalesce({inside}, false) AND ({sic_match})
          AND company_number NOT IN (
              SELECT company_number FROM supplier_entities WHERE company_number IS NOT NULL)
        ORDER BY {SIZE_ORDER}, name
        LIMIT {int(limit)}
    """)
    names = [d[0] for d in result.description]
    return [dict(zip(names, r, strict=True)) for r in result.fetchall()]
