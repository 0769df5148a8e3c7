"""Locate every supplier entity from its postcode, and place it in each tier.

Two temporary views, created on a connection by :func:`install` (they use the
postcode SQL macros, which live on the connection, so they are not stored in the
workspace file; install them on any connection that wants them):

``supplier_locations``
    one row per supplier entity: its postcode as stored and normalised, the
    postcode's status (``missing``, ``invalid``, ``unchecked``, ``not_in_lookup``,
    ``terminated``, ``live``), district, sector and area (from the postcode itself),
    and, from the ONS postcode lookup when it is loaded and knows the postcode, the
    local authority district, ward, LSOA, region, country, deprivation rank and
    decile, coordinates and terminated date.

``supplier_tiers``
    one row per supplier entity and tier: ``inside`` is true, false, or NULL for
    unknown. Unknown is never counted as outside.

The rules, in one place (``HIT`` and ``DECIDABLE`` below, used by the views and by
the nesting check of :mod:`anchornet.place.geography`):

- a postcode district or area code is decided from the postcode alone: a
  well-shaped postcode always has a district and an area;
- a local authority district, region or country code needs the postcode lookup,
  and the postcode in it; without them the answer is unknown;
- a postcode the lookup gives no district for is unknown for district codes,
  except in the Channel Islands and the Isle of Man (in no UK district);
  a postcode with no English region is outside every region when it is in Wales,
  Scotland, Northern Ireland, the Channel Islands or the Isle of Man;
- a tier is inside when any of its codes (or of the tiers inside it) says inside,
  outside when every one of them says outside, and unknown otherwise;
- a terminated postcode still locates (a payment can be to an old address): it is
  flagged by its status ``terminated``;
- a postcode that is not a postcode's shape is unknown everywhere.
"""

from __future__ import annotations

import duckdb

from anchornet.place.postcodes import install_macros as install_postcode_macros

KINDS = ("lad", "region", "country", "postcode_area", "postcode_district")

# How a row with the columns district, area, lad_code, region_code and country (a
# located supplier, or a row of the postcode lookup) meets one code of a kind.
# {a} is the row's alias, {c} the code (a column or a literal).
HIT = {
    "postcode_district": "{a}.district = {c}",
    "postcode_area": "{a}.area = {c}",
    "lad": "{a}.lad_code = {c}",
    "region": "{a}.region_code = {c}",
    "country": "{a}.country = left({c}, 1)",
}

# When the same row's place with respect to codes of a kind is known at all.
DECIDABLE = {
    "postcode_district": "{a}.district IS NOT NULL",
    "postcode_area": "{a}.area IS NOT NULL",
    "lad": "({a}.lad_code IS NOT NULL OR coalesce({a}.country IN ('L', 'M'), false))",
    "region": "({a}.region_code IS NOT NULL OR coalesce({a}.country IN ('W', 'S', 'N', 'L', 'M'), false))",
    "country": "{a}.country IS NOT NULL",
}

STATUSES = {
    "live": "a live postcode, found in the postcode lookup",
    "terminated": "a terminated postcode, found in the postcode lookup (located, but an old address)",
    "not_in_lookup": "a postcode's shape, but not in the postcode lookup (district and area only)",
    "unchecked": "a postcode's shape; no postcode lookup loaded (district and area only)",
    "invalid": "written, but not a postcode's shape",
    "missing": "no postcode",
}
LOCATED = ("live", "terminated", "not_in_lookup", "unchecked")  # district and area known
IN_LOOKUP = ("live", "terminated")


def inside_sql(alias: str, codes: list[tuple[str, str]]) -> str:
    """Three-valued SQL for "row ``alias`` lies inside these (kind, literal) codes"."""
    if not codes:
        return "false"
    hits = " OR ".join(HIT[kind].format(a=alias, c=literal) for kind, literal in codes)
    kinds = sorted({kind for kind, _ in codes})
    known = " AND ".join(DECIDABLE[kind].format(a=alias) for kind in kinds)
    return f"(CASE WHEN coalesce({hits}, false) THEN true WHEN {known} THEN false END)"


def _has_column(con, table: str, column: str) -> bool:
    return con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND column_name = ?",
        [table, column],
    ).fetchall()[0][0] > 0


def has_schema(con) -> bool:
    """Does this workspace hold the place tables (migration 0004)?"""
    return con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('place', 'place_tiers', 'place_codes')"
    ).fetchall()[0][0] == 3


def locations_view_sql(con) -> str:
    source = "e.postcode_source" if _has_column(con, "supplier_entities", "postcode_source") else (
        "CAST(NULL AS VARCHAR)")
    return f"""
    CREATE OR REPLACE TEMP VIEW supplier_locations AS
    WITH lookup AS (SELECT EXISTS (SELECT 1 FROM postcodes) AS loaded),
    e AS (
        SELECT e.entity_id, e.display_name, e.class, e.personal, e.postcode AS postcode_raw,
               {source} AS postcode_source, pc_normalise(e.postcode) AS postcode
        FROM supplier_entities e
    ),
    reg AS (
        SELECT p.* FROM postcodes p
        WHERE p.postcode IN (SELECT postcode FROM e WHERE postcode IS NOT NULL)
        QUALIFY row_number() OVER (PARTITION BY p.postcode ORDER BY p.terminated IS NOT NULL, p.load_id DESC) = 1
    )
    SELECT e.entity_id, e.display_name, e.class, e.personal, e.postcode_raw, e.postcode_source, e.postcode,
           CASE WHEN nullif(trim(e.postcode_raw), '') IS NULL THEN 'missing'
                WHEN e.postcode IS NULL THEN 'invalid'
                WHEN NOT lookup.loaded THEN 'unchecked'
                WHEN r.postcode IS NULL THEN 'not_in_lookup'
                WHEN r.terminated IS NOT NULL THEN 'terminated'
                ELSE 'live' END AS postcode_status,
           pc_outward(e.postcode) AS district, pc_sector(e.postcode) AS sector, pc_area(e.postcode) AS area,
           r.lad_code, r.ward_code, r.lsoa_code, r.region_code, r.country, r.country_code,
           r.imd_rank, r.imd_decile, r.imd_index, r.lat, r.long, r.introduced, r.terminated
    FROM e CROSS JOIN lookup LEFT JOIN reg r ON r.postcode = e.postcode
    """


def tiers_view_sql() -> str:
    hits = "\n            UNION ALL\n".join(
        f"            SELECT l.entity_id, t.tier_no FROM _located l JOIN _tier_codes t "
        f"ON t.kind = '{kind}' AND {HIT[kind].format(a='l', c='t.code')}"
        for kind in KINDS
    )
    known = " AND ".join(
        f"(NOT k.by_{kind} OR coalesce({DECIDABLE[kind].format(a='l')}, false))" for kind in KINDS
    )
    flags = ", ".join(f"bool_or(kind = '{kind}') AS by_{kind}" for kind in KINDS)
    return f"""
    CREATE OR REPLACE TEMP VIEW supplier_tiers AS
    WITH _located AS MATERIALIZED (
        SELECT entity_id, district, area, lad_code, region_code, country FROM supplier_locations
    ),
    _tier_codes AS (   -- each tier with its own codes and those of every tier inside it
        SELECT t.tier_no, t.name, c.kind, c.code
        FROM place_tiers t JOIN place_codes c ON c.tier_no <= t.tier_no
    ),
    kinds AS (SELECT tier_no, name, {flags} FROM _tier_codes GROUP BY tier_no, name),
    hits AS (
        SELECT DISTINCT entity_id, tier_no FROM (
{hits}
        )
    )
    SELECT l.entity_id, k.tier_no, k.name AS tier,
           CASE WHEN h.entity_id IS NOT NULL THEN true WHEN {known} THEN false END AS inside
    FROM _located l CROSS JOIN kinds k
    LEFT JOIN hits h ON h.entity_id = l.entity_id AND h.tier_no = k.tier_no
    """


def install(con: duckdb.DuckDBPyConnection) -> None:
    """Create the postcode macros and the ``supplier_locations`` and ``supplier_tiers`` views."""
    install_postcode_macros(con)
    con.execute(locations_view_sql(con))
    if has_schema(con):
        con.execute(tiers_view_sql())


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def locations_sql(con: duckdb.DuckDBPyConnection) -> str:
    """A SELECT of ``supplier_locations`` with one column per tier, ``in_<tier>``
    (true, false or NULL for unknown). Call :func:`install` first."""
    tiers = con.execute("SELECT tier_no, name FROM place_tiers ORDER BY tier_no").fetchall() if has_schema(
        con) else []
    if not tiers:
        return "SELECT * FROM supplier_locations"
    columns = ", ".join(
        f"bool_or(inside) FILTER (WHERE tier_no = {int(n)}) AS {quote('in_' + name)}" for n, name in tiers
    )
    return f"""
    SELECT l.*, t.* EXCLUDE (entity_id)
    FROM supplier_locations l
    LEFT JOIN (SELECT entity_id, {columns} FROM supplier_tiers GROUP BY entity_id) t USING (entity_id)
    """


def locations(con: duckdb.DuckDBPyConnection, *, include_personal: bool = False,
              status: str | None = None, limit: int | None = None) -> list[dict]:
    """Every supplier entity's location and place in each tier, as dicts.

    Personal entities (possible private individuals) are left out unless asked for.
    """
    install(con)
    where = [] if include_personal else ["NOT personal"]
    params: list = []
    if status:
        where.append("postcode_status = ?")
        params.append(status)
    sql = f"SELECT * FROM ({locations_sql(con)}) {'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY entity_id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
