"""The network's geography: named tiers of codes, innermost first, defined once.

A code is one of (detected by its shape):

========================  =====================================  ============
kind                      shape                                  example
========================  =====================================  ============
``lad``                   local authority district (GSS code):   E07000178
                          E06, E07, E08, E09, W06, S12, N09
``region``                English region: E12                    E12000008
``country``               E92, W92, S92, N92                     W92000004
``postcode_area``         the letters of a postcode's start      OX
``postcode_district``     a postcode's outward code              OX1
========================  =====================================  ============

Kinds can be mixed in a tier. Each tier contains the tiers inside it (an inner
tier's codes count in every outer tier), so the shares are nested whatever the
codes: city ≤ county ≤ region. The codes of an inner tier should still lie inside
the next tier's own codes; :func:`check_tiers` says where they do not (an inner
code entirely outside, or an inner tier bigger than the next, is an error; a code
partly outside, or one that cannot be checked without the postcode lookup, a warning).

Locating suppliers is in :mod:`anchornet.place.locate`; :func:`summary` gives what
``anchornet place show`` prints.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from anchornet.errors import AnchornetError
from anchornet.place import locate
from anchornet.place.locate import IN_LOOKUP, LOCATED, STATUSES, inside_sql
from anchornet.place.postcodes import OUTWARD
from anchornet.sqltext import sql_literal
from anchornet.workspace import Workspace

KIND_SHAPES = {
    "lad": r"(E0[6-9]|W06|S12|N09)\d{6}",
    "region": r"E12\d{6}",
    "country": r"[EWSN]92\d{6}",
    "postcode_area": r"[A-PR-UWYZ][A-HK-Y]?",
    "postcode_district": OUTWARD,
}
KIND_LABELS = {
    "lad": "local authority district",
    "region": "region",
    "country": "country",
    "postcode_area": "postcode area",
    "postcode_district": "postcode district",
}
POSTCODE_KINDS = ("postcode_area", "postcode_district")
LOOKUP_KINDS = ("lad", "region", "country")

# GSS codes of other kinds, for an error that says what to give instead.
OTHER_GSS = {
    "E10": "a county (the postcode lookup has no county column: list the county's districts instead)",
    "E11": "a metropolitan county (list its districts instead)",
    "E47": "a combined authority (list its districts instead)",
    "E05": "a ward", "W05": "a ward", "S13": "a ward", "N08": "a ward",
    "E01": "an LSOA", "W01": "an LSOA", "S01": "a data zone",
    "E02": "an MSOA", "W02": "an MSOA",
    "E14": "a parliamentary constituency", "W07": "a parliamentary constituency",
    "S14": "a parliamentary constituency", "N06": "a parliamentary constituency",
    "E13": "Inner or Outer London (list the London boroughs, E09, instead)",
    "E15": "a European electoral region (use the region code, E12, instead)",
    "E38": "a clinical commissioning group", "E54": "an integrated care board",
}

# The UK's geographic postcode areas, with the Channel Islands and the Isle of Man.
POSTCODE_AREAS = frozenset("""
AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY
E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE
LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL
SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE
""".split())

TIER_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,39}")
SOURCE_CLI = "command line"


@dataclass(frozen=True)
class Code:
    code: str
    kind: str

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def area(self) -> str | None:
        """The postcode area of a postcode area or district code."""
        if self.kind not in POSTCODE_KINDS:
            return None
        return re.match(r"[A-Z]+", self.code).group(0)


@dataclass
class Tier:
    name: str
    codes: list[Code] = field(default_factory=list)


# -- reading codes and tiers -----------------------------------------------------------

WHAT_CODES = ("give local authority district codes (E06, E07, E08, E09, W06, S12 or N09 and six digits), "
              "region codes (E12...), country codes (E92000001...), postcode areas ('OX') or postcode "
              "districts ('OX1')")


def kind_of(text: str) -> str | None:
    """The kind of an already-normalised code, or None."""
    for kind, shape in KIND_SHAPES.items():
        if re.fullmatch(shape, text):
            return kind
    return None


def parse_code(text: str) -> Code:
    """``'e07000178'`` → ``Code('E07000178', 'lad')``; ``' ox1 '`` → ``Code('OX1', 'postcode_district')``."""
    raw = str(text).strip()
    code = raw.upper()
    if not code:
        raise AnchornetError("an empty code; " + WHAT_CODES)
    compact = re.sub(r"\s+", "", code)
    kind = kind_of(code)
    if kind:
        return Code(code, kind)
    if re.fullmatch(rf"{OUTWARD} ?[0-9]", code):
        raise AnchornetError(f"{raw!r} is a postcode sector; give its district ({code.split()[0]}) or area")
    if re.fullmatch(rf"{OUTWARD}[0-9][A-Z]{{2}}", compact):
        district = compact[:-3]
        raise AnchornetError(f"{raw!r} is a full postcode; give its district ({district}) or area")
    m = re.fullmatch(r"([EWSNKLM]\d{2})\d{6}", compact)
    if m:
        what = OTHER_GSS.get(m.group(1))
        if what:
            raise AnchornetError(f"{raw!r} is the code of {what}; " + WHAT_CODES)
        raise AnchornetError(f"{raw!r} is a GSS code of a kind anchornet cannot place ({m.group(1)}); "
                             + WHAT_CODES)
    raise AnchornetError(f"{raw!r} is not a code anchornet knows; " + WHAT_CODES)


def parse_codes(values) -> list[Code]:
    """Codes from a comma-separated string, a list, or a list of such strings."""
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, (list, tuple)):
        raise AnchornetError(f"expected a list of codes, got {values!r}")
    parts: list[str] = []
    for v in values:
        if isinstance(v, (int, float)) or v is None:
            raise AnchornetError(f"{v!r} is not a code; " + WHAT_CODES)
        parts.extend(p for p in str(v).split(",") if p.strip())
    return [parse_code(p) for p in parts]


def parse_tier(text: str) -> Tier:
    """``'county=E07000178,E07000179'`` → a tier (the ``--tier`` option)."""
    name, sep, codes = str(text).partition("=")
    if not sep:
        raise AnchornetError(f"--tier {text!r}: write it as TIER=CODE[,CODE...], e.g. city=E07000178")
    return Tier(name.strip(), parse_codes(codes))


def read_place_file(path: Path | str) -> tuple[str | None, list[Tier]]:
    """The place in a YAML file: ``name`` and ``tiers``, innermost first.

    ``tiers`` is either a list (``- name: city`` / ``codes: [E07000178]``) or a
    mapping in order (``city: [E07000178]``); codes are a list or a comma-separated
    string.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise AnchornetError(f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AnchornetError(f"cannot read {path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise AnchornetError(f"{path.name} is not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict) or "tiers" not in data:
        raise AnchornetError(f"{path.name}: expected a mapping with 'name' and 'tiers' (see docs/place.md)")
    name = data.get("name")
    raw = data["tiers"]
    tiers: list[Tier] = []
    try:
        if isinstance(raw, dict):
            tiers = [Tier(str(k), parse_codes(v)) for k, v in raw.items()]
        elif isinstance(raw, list):
            for item in raw:
                if not isinstance(item, dict) or "name" not in item or "codes" not in item:
                    raise AnchornetError("each tier needs 'name' and 'codes'")
                tiers.append(Tier(str(item["name"]), parse_codes(item["codes"])))
        else:
            raise AnchornetError("'tiers' should be a list or a mapping")
    except AnchornetError as exc:
        raise AnchornetError(f"{path.name}: {exc}") from None
    return (None if name is None else str(name)), tiers


# -- checking --------------------------------------------------------------------------


def lookup_loaded(con) -> bool:
    return bool(con.execute("SELECT EXISTS (SELECT 1 FROM postcodes)").fetchall()[0][0])


def _validate_shape(name: str | None, tiers: list[Tier]) -> tuple[str, list[Tier], list[str]]:
    """Errors for a definition that cannot be stored; duplicates removed (with a warning)."""
    name = (name or "").strip()
    if not name:
        raise AnchornetError("the place needs a name: anchornet place set NAME --tier ...")
    if not tiers:
        raise AnchornetError("give at least one tier: --tier NAME=CODE[,CODE...] (innermost first)")
    warnings: list[str] = []
    seen: set[str] = set()
    cleaned = []
    for tier in tiers:
        if not TIER_NAME.fullmatch(tier.name):
            raise AnchornetError(f"tier name {tier.name!r}: use letters, digits, '_' or '-' (up to 40), "
                                 "starting with a letter")
        if tier.name.lower() in seen:
            raise AnchornetError(f"tier {tier.name!r} is given twice; list all its codes once "
                                 f"({tier.name}=CODE,CODE...)")
        seen.add(tier.name.lower())
        if not tier.codes:
            raise AnchornetError(f"tier {tier.name!r} has no codes")
        codes: list[Code] = []
        for c in tier.codes:
            if c in codes:
                warnings.append(f"tier {tier.name}: {c.code} is listed twice; kept once")
            else:
                codes.append(c)
        cleaned.append(Tier(tier.name, codes))
    return name, cleaned, warnings


def check_tiers(con, tiers: list[Tier]) -> tuple[list[str], list[str]]:
    """(errors, warnings): codes the postcode lookup does not know, and tiers that do not nest."""
    errors: list[str] = []
    warnings: list[str] = []
    loaded = lookup_loaded(con)
    column = {"lad": "lad_code", "region": "region_code", "postcode_area": "area", "postcode_district": "district"}
    for tier in tiers:
        for c in tier.codes:
            if loaded and c.kind in column:
                n = con.execute(f"SELECT count(*) FROM postcodes WHERE {column[c.kind]} = ?", [c.code]).fetchall()[0][0]
                if n == 0:
                    why = "" if c.kind in POSTCODE_KINDS else " (no supplier can be placed inside it)"
                    warnings.append(f"tier {tier.name}: the postcode lookup has no postcode in {c.label} {c.code}; "
                                    f"check the code{why}")
            elif loaded and c.kind == "country":
                n = con.execute("SELECT count(*) FROM postcodes WHERE country = ?", [c.code[0]]).fetchall()[0][0]
                if n == 0:
                    warnings.append(f"tier {tier.name}: the postcode lookup has no postcode in country {c.code}")
            elif c.kind in POSTCODE_KINDS and c.area not in POSTCODE_AREAS:
                warnings.append(f"tier {tier.name}: {c.code} is not in a UK postcode area anchornet knows "
                                f"({c.area}); check the code")
    needs_lookup = [t.name for t in tiers if any(c.kind in LOOKUP_KINDS for c in t.codes)]
    if needs_lookup and not loaded:
        warnings.append(
            f"no postcode lookup is loaded: tier(s) {', '.join(needs_lookup)} use local authority, region or "
            "country codes, which only the ONS postcode lookup can decide; until one is loaded those codes "
            "are not checked, and suppliers they would place are counted as unknown (never as outside). "
            "Load one with: anchornet registers load postcodes NSPL_FILE.zip")
    for inner, outer in zip(tiers, tiers[1:], strict=False):
        pair_errors: list[str] = []
        pair_warnings: list[str] = []
        unchecked: dict[str, list[str]] = {}
        for c in inner.codes:
            verdict, detail = _nesting(con, c, outer, loaded)
            where = f"{c.label} {c.code} (tier {inner.name}) {{}} tier {outer.name}"
            if verdict == "outside":
                pair_errors.append(where.format("lies outside") + f"{detail}: each tier should list the codes "
                                   f"of the tiers inside it (add {c.code} to tier {outer.name}), and tiers go "
                                   "innermost first")
            elif verdict == "bigger":
                pair_errors.append(where.format("is bigger than what is listed in") + f"{detail}: tiers go "
                                   "innermost first")
            elif verdict == "partly":
                pair_warnings.append(where.format("is only partly inside") + f"{detail}; the part outside still "
                                     f"counts in tier {outer.name}, since each tier contains the tiers inside it")
            elif verdict == "unchecked":
                unchecked.setdefault(detail, []).append(c.code)
        if not pair_errors and loaded:
            sizes = [_live_postcodes(con, t) for t in (inner, outer)]
            if sizes[0] > sizes[1] > 0:
                pair_errors.append(
                    f"tier {inner.name} ({sizes[0]:,} live postcodes in the postcode lookup) is bigger than tier "
                    f"{outer.name} ({sizes[1]:,}): tiers go innermost first (e.g. --tier city=... "
                    "--tier county=... --tier region=...)")
        errors += pair_errors
        if not pair_errors:
            warnings += pair_warnings
            for detail, codes in unchecked.items():
                warnings.append(f"tier {inner.name}: {', '.join(codes)} may not lie inside tier {outer.name} "
                                f"({detail})")
    return errors, warnings


def _live_postcodes(con, tier: Tier) -> int:
    """Live postcodes of the lookup inside a tier's own codes."""
    inside = inside_sql("p", [(c.kind, sql_literal(c.code)) for c in tier.codes])
    return con.execute(f"SELECT count(*) FROM postcodes p WHERE p.terminated IS NULL AND {inside}").fetchall()[0][0]


def _nesting(con, c: Code, outer: Tier, loaded: bool) -> tuple[str, str]:
    """Whether code ``c`` lies inside the codes of tier ``outer``: inside, partly, outside or unchecked."""
    districts = {o.code for o in outer.codes if o.kind == "postcode_district"}
    areas = {o.code for o in outer.codes if o.kind == "postcode_area"}
    if c in outer.codes:
        return "inside", ""
    if c.kind == "postcode_district" and c.area in areas:
        return "inside", ""
    if c.kind == "postcode_area" and c.code in areas:
        return "inside", ""
    outer_postcode_only = all(o.kind in POSTCODE_KINDS for o in outer.codes)
    if loaded:
        column = {"lad": "lad_code", "region": "region_code", "postcode_area": "area",
                  "postcode_district": "district"}
        match = (f"{column[c.kind]} = {sql_literal(c.code)}" if c.kind in column
                 else f"country = {sql_literal(c.code[0])}")
        inside = inside_sql("p", [(o.kind, sql_literal(o.code)) for o in outer.codes])
        total, out, unknown = con.execute(
            f"""SELECT count(*), count(*) FILTER (WHERE NOT inside), count(*) FILTER (WHERE inside IS NULL)
                FROM (SELECT {inside} AS inside FROM postcodes p WHERE p.terminated IS NULL AND p.{match})"""
        ).fetchall()[0]
        if total:
            counts = f" ({out:,} of its {total:,} live postcodes in the postcode lookup)"
            if out == total:
                return "outside", counts
            if out:
                return "partly", counts
            if unknown:
                return "unchecked", f"the postcode lookup does not say for {unknown:,} of its {total:,} live postcodes"
            return "inside", ""
        if c.kind not in POSTCODE_KINDS or not outer_postcode_only:
            return "unchecked", "the postcode lookup has no live postcode in it"
    if c.kind in POSTCODE_KINDS and outer_postcode_only:
        if c.kind == "postcode_district":
            return "outside", ""
        if any(re.fullmatch(rf"{c.code}[0-9].*", d) for d in districts):
            return "bigger", " (only some of its districts are listed there)"
        return "outside", ""
    return "unchecked", "this cannot be checked without the ONS postcode lookup"


# -- storing and reading -------------------------------------------------------------


def set_place(ws: Workspace, name: str | None, tiers: list[Tier], *, source: str = SOURCE_CLI) -> dict:
    """Define the network's place (replacing any earlier one, in one transaction).

    Returns the place as :func:`get_place` gives it, with ``warnings``.
    Raises :class:`AnchornetError` for a definition that cannot be right.
    """
    _require_schema(ws.con)
    name, tiers, warnings = _validate_shape(name, tiers)
    errors, more = check_tiers(ws.con, tiers)
    if errors:
        more_errors = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        raise AnchornetError("; ".join(errors[:3]) + more_errors)
    warnings += more
    with ws.transaction() as con:
        con.execute("DELETE FROM place_codes")
        con.execute("DELETE FROM place_tiers")
        con.execute("DELETE FROM place")
        con.execute("INSERT INTO place (name, source, notes_json) VALUES (?, ?, ?)",
                    [name, source, json.dumps(warnings)])
        for n, tier in enumerate(tiers, start=1):
            con.execute("INSERT INTO place_tiers VALUES (?, ?)", [n, tier.name])
            for pos, c in enumerate(tier.codes, start=1):
                con.execute("INSERT INTO place_codes VALUES (?, ?, ?, ?)", [n, pos, c.code, c.kind])
    place = get_place(ws)
    place["warnings"] = warnings
    return place


def set_place_from_file(ws: Workspace, path: Path | str, name: str | None = None) -> dict:
    """``set_place`` from a YAML file; ``name`` (when given) wins over the file's."""
    file_name, tiers = read_place_file(path)
    return set_place(ws, name or file_name, tiers, source=Path(path).name)


def clear_place(ws: Workspace) -> None:
    _require_schema(ws.con)
    with ws.transaction() as con:
        for table in ("place_codes", "place_tiers", "place"):
            con.execute(f"DELETE FROM {table}")


def _require_schema(con) -> None:
    if not locate.has_schema(con):
        raise AnchornetError("this workspace has no place tables yet; open it for writing once to upgrade it")


def tiers_of(con) -> list[Tier]:
    if not locate.has_schema(con):
        return []
    tiers = {n: Tier(name) for n, name in con.execute("SELECT tier_no, name FROM place_tiers ORDER BY tier_no")
             .fetchall()}
    for n, code, kind in con.execute("SELECT tier_no, code, kind FROM place_codes ORDER BY tier_no, position")\
            .fetchall():
        tiers[n].codes.append(Code(code, kind))
    return list(tiers.values())


def get_place(ws: Workspace) -> dict | None:
    """The place as defined: name, source, when, and its tiers with their codes; None if undefined."""
    con = ws.con
    if not locate.has_schema(con):
        return None
    row = con.execute("SELECT name, source, notes_json, defined_at FROM place").fetchall()
    if not row:
        return None
    name, source, notes, defined_at = row[0]
    loaded = lookup_loaded(con)
    tiers = []
    for n, tier in enumerate(tiers_of(con), start=1):
        codes = []
        for c in tier.codes:
            codes.append({"code": c.code, "kind": c.kind, "kind_label": c.label,
                          "live_postcodes": _postcodes_in(con, c) if loaded else None})
        tiers.append({
            "tier_no": n, "name": tier.name, "codes": codes,
            "needs_lookup": any(c.kind in LOOKUP_KINDS for c in tier.codes),
        })
    return {"name": name, "source": source, "defined_at": defined_at, "notes_at_definition": json.loads(notes),
            "tiers": tiers}


def _postcodes_in(con, c: Code) -> int:
    column = {"lad": "lad_code", "region": "region_code", "postcode_area": "area",
              "postcode_district": "district", "country": "country"}[c.kind]
    value = c.code[0] if c.kind == "country" else c.code
    return con.execute(f"SELECT count(*) FROM postcodes WHERE terminated IS NULL AND {column} = ?",
                       [value]).fetchall()[0][0]


# -- what is loaded --------------------------------------------------------------------


def postcode_lookup(ws: Workspace) -> dict:
    """Which ONS postcode lookup is loaded, and which fields it gives."""
    from anchornet.registers.common import register_status

    loads = [r for r in register_status(ws) if r["register"] == "postcodes"]
    n, live, lad, region, lsoa, imd, countries = ws.con.execute(
        """SELECT count(*), count(*) FILTER (WHERE terminated IS NULL), count(lad_code), count(region_code),
                  count(lsoa_code), count(imd_decile), list(DISTINCT country ORDER BY country)
           FROM postcodes"""
    ).fetchall()[0]
    if not n:
        return {"loaded": False, "kind": None, "vintage": None, "file": None, "loaded_at": None,
                "postcodes": 0, "live_postcodes": 0, "terminated_postcodes": 0, "gives": {}, "countries": []}
    load = loads[0] if loads else {}
    text = f"{load.get('vintage') or ''} {load.get('file') or ''}".upper()
    kind = "ONSPD" if "ONSPD" in text else "NSPL" if "NSPL" in text else "ONS postcode lookup"
    return {
        "loaded": True, "kind": kind, "vintage": load.get("vintage"), "file": load.get("file"),
        "loaded_at": load.get("loaded_at"), "postcodes": n, "live_postcodes": live, "terminated_postcodes": n - live,
        "gives": {"postcode_district": True, "postcode_area": True, "lad": lad > 0, "region": region > 0,
                  "lsoa": lsoa > 0, "imd_decile": imd > 0},
        "countries": [c for c in countries if c],
    }


def postcode_sources(ws: Workspace) -> list[dict]:
    """The other registers that give suppliers their postcodes (linking), as loaded."""
    from anchornet.registers.common import register_status

    what = {"companies-house": "registered office postcodes", "charities": "charity contact postcodes",
            "suppliers": "a member's own supplier list"}
    return [{"register": r["register"], "member": r["member"], "vintage": r["vintage"], "file": r["file"],
             "rows": r["rows_loaded"], "gives": what[r["register"]]}
            for r in register_status(ws) if r["register"] in what]


# -- the figures -------------------------------------------------------------------------

_PAYMENTS = """
SELECT r.amount,
       CASE WHEN q.payee_id IS NULL OR (q.entity_id IS NOT NULL AND e.entity_id IS NULL) THEN 'unresolved'
            WHEN q.entity_id IS NULL OR e.personal THEN 'personal'
            ELSE 'supplier' END AS category,
       e.entity_id
FROM payments r JOIN files f USING (file_id)
LEFT JOIN payees q ON q.member_id = r.member_id AND q.supplier_name = r.supplier_name
                  AND q.supplier_ref = coalesce(r.supplier_ref, '')
LEFT JOIN supplier_entities e ON e.entity_id = q.entity_id
WHERE f.status = 'active'
"""

ENTITY_SPEND = f"""
SELECT entity_id, sum(amount) AS spend, count(*) AS payments
FROM ({_PAYMENTS}) WHERE category = 'supplier' GROUP BY entity_id
"""


def shares(parts: list[Decimal], total: Decimal, places: int = 4) -> list[float | None]:
    """Shares of ``total`` rounded to ``places`` decimals that add up to exactly 1
    (largest remainder), when the parts add up to the total; None when total is 0."""
    if not total:
        return [None] * len(parts)
    unit = 10 ** places
    exact = [Decimal(p) * unit / Decimal(total) for p in parts]
    floors = [int(x) for x in exact]
    if sum(parts) == total:
        missing = unit - sum(floors)
        order = sorted(range(len(parts)), key=lambda i: exact[i] - floors[i], reverse=True)
        for i in order[:missing]:
            floors[i] += 1
        return [f / unit for f in floors]
    return [round(float(x) / unit, places) for x in exact]


def _money(value) -> float:
    return round(float(value or 0), 2)


def summary(ws: Workspace) -> dict:
    """What ``anchornet place show`` reports: the place, the postcode lookup and the other
    registers with postcodes, supplier spend and how much of it is located, and per tier
    the spend inside, outside and unknown (they add up to the supplier spend, and their
    shares to 100%).

    Supplier spend is each non-personal supplier's net spend in the active files,
    counting suppliers whose net spend is above zero (net credits are counted apart).
    Shares are None when there is no supplier spend: nothing to divide.
    """
    con = ws.con
    locate.install(con)
    place = get_place(ws)
    lookup = postcode_lookup(ws)

    totals = {cat: (n, amt) for cat, n, amt in con.execute(
        f"SELECT category, count(*), sum(amount) FROM ({_PAYMENTS}) GROUP BY category").fetchall()}
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _place_basis AS
                    SELECT s.entity_id, s.spend, l.postcode_status, l.imd_decile
                    FROM ({ENTITY_SPEND}) s JOIN supplier_locations l USING (entity_id) WHERE s.spend > 0""")
    try:
        credit_n, credit = con.execute(f"SELECT count(*), sum(spend) FROM ({ENTITY_SPEND}) WHERE spend <= 0")\
            .fetchall()[0]
        n_suppliers, supplier_spend = con.execute("SELECT count(*), sum(spend) FROM _place_basis").fetchall()[0]
        supplier_spend = supplier_spend or Decimal(0)
        payments_total = sum((amt or Decimal(0)) for _, amt in totals.values())
        spend = {
            "payments_total": _money(payments_total),
            "supplier_spend": _money(supplier_spend),
            "suppliers": n_suppliers,
            "personal_or_redacted": _money(totals.get("personal", (0, 0))[1]),
            "net_credit_suppliers": {"suppliers": credit_n, "spend": _money(credit)},
            "unresolved": _money(totals.get("unresolved", (0, 0))[1]),
        }
        if totals.get("unresolved", (0, 0))[0]:
            spend["note"] = "some payments are not resolved to suppliers yet: run anchornet suppliers resolve"

        by_status = {s: (n, amt) for s, n, amt in con.execute(
            "SELECT postcode_status, count(*), sum(spend) FROM _place_basis GROUP BY 1").fetchall()}
        status_parts = [by_status.get(s, (0, Decimal(0)))[1] for s in STATUSES]
        status_shares = shares(status_parts, supplier_spend)

        def part(statuses, include=True) -> dict:
            n = sum(by_status.get(s, (0, 0))[0] for s in statuses)
            amt = sum((by_status.get(s, (0, Decimal(0)))[1] for s in statuses), Decimal(0))
            share = shares([amt], supplier_spend)[0] if include else None
            return {"suppliers": n, "spend": _money(amt), "share": share}

        imd_n, imd_spend = con.execute(
            "SELECT count(*), sum(spend) FROM _place_basis WHERE imd_decile IS NOT NULL").fetchall()[0]
        coverage = {
            "located": part(LOCATED),
            "in_lookup": part(IN_LOOKUP, include=lookup["loaded"]),
            "deprivation_known": {
                "suppliers": imd_n, "spend": _money(imd_spend),
                "share": shares([imd_spend or Decimal(0)], supplier_spend)[0] if lookup["loaded"] else None,
            },
            "by_status": {
                s: {"meaning": STATUSES[s], "suppliers": by_status.get(s, (0, 0))[0],
                    "spend": _money(by_status.get(s, (0, 0))[1]), "share": sh}
                for s, sh in zip(STATUSES, status_shares, strict=True)
            },
        }
        coverage["located"]["meaning"] = "a postcode of the right shape: district and area known"
        coverage["in_lookup"]["meaning"] = ("found in the ONS postcode lookup: local authority, region and LSOA "
                                            "known" if lookup["loaded"] else "no postcode lookup loaded")

        tiers = []
        if place:
            rows = con.execute(
                """SELECT t.tier_no, CASE WHEN t.inside THEN 'inside' WHEN NOT t.inside THEN 'outside'
                                         ELSE 'unknown' END AS side,
                          b.postcode_status, count(*), sum(b.spend)
                   FROM _place_basis b JOIN supplier_tiers t USING (entity_id)
                   GROUP BY ALL"""
            ).fetchall()
            for t in place["tiers"]:
                mine = [r for r in rows if r[0] == t["tier_no"]]
                sides = {}
                for side in ("inside", "outside", "unknown"):
                    n = sum(r[3] for r in mine if r[1] == side)
                    amt = sum((r[4] for r in mine if r[1] == side), Decimal(0))
                    sides[side] = (n, amt)
                # the unknown part is what is left: the three add up to the supplier spend exactly
                sh = shares([sides[s][1] for s in sides], supplier_spend)
                entry = {"tier_no": t["tier_no"], "name": t["name"]}
                for (side, (n, amt)), share in zip(sides.items(), sh, strict=True):
                    entry[side] = {"suppliers": n, "spend": _money(amt), "share": share}
                entry["unknown"]["by_status"] = {
                    s: _money(sum((r[4] for r in mine if r[1] == "unknown" and r[2] == s), Decimal(0)))
                    for s in STATUSES if any(r[1] == "unknown" and r[2] == s for r in mine)
                }
                entry["decided_without_lookup"] = not t["needs_lookup"]
                tiers.append(entry)
    finally:
        con.execute("DROP TABLE IF EXISTS _place_basis")

    warnings: list[str] = []
    if place:
        errors, more = check_tiers(con, tiers_of(con))
        warnings = errors + more
    else:
        warnings.append("no place defined yet: anchornet place set NAME --tier city=CODE --tier county=CODE,...")
    if not lookup["loaded"] and not any(t["needs_lookup"] for t in (place or {}).get("tiers", [])):
        warnings.append("no ONS postcode lookup loaded: suppliers are located to postcode district and area only "
                        "(no local authority, region or deprivation decile)")
    if supplier_spend == 0:
        warnings.append("no supplier spend: ingest payment files and run anchornet suppliers resolve; shares "
                        "are unknown")
    return {"place": place, "postcode_lookup": lookup, "postcode_sources": postcode_sources(ws),
            "spend": spend, "coverage": coverage, "tiers": tiers, "warnings": warnings}


SIDES = ("inside", "outside", "unknown")


def supplier_places(ws: Workspace, *, tier: str | None = None, side: str | None = None,
                    status: str | None = None, limit: int | None = 50) -> dict:
    """The suppliers behind the figures, largest spend first: each one's location and
    place in every tier. ``tier`` and ``side`` pick e.g. the suppliers outside the
    county, or those whose place in it is unknown; ``status`` a postcode status."""
    con = ws.con
    locate.install(con)
    tiers = [t.name for t in tiers_of(con)]
    if side and not tier:
        raise AnchornetError("--side needs --tier: inside, outside or unknown of which tier?")
    if side and side not in SIDES:
        raise AnchornetError(f"side {side!r}: choose one of {', '.join(SIDES)}")
    if status and status not in STATUSES:
        raise AnchornetError(f"postcode status {status!r}: choose one of {', '.join(STATUSES)}")
    column = None
    if tier:
        match = [t for t in tiers if t.lower() == tier.lower()]
        if not match:
            raise AnchornetError(f"no tier {tier!r}; the tiers are: {', '.join(tiers) or 'none (see place set)'}")
        column = locate.quote("in_" + match[0])
    where = ["NOT l.personal"]
    params: list = []
    if status:
        where.append("l.postcode_status = ?")
        params.append(status)
    if column and side:
        where.append({"inside": f"l.{column}", "outside": f"NOT l.{column}", "unknown": f"l.{column} IS NULL"}[side])
    sql = f"""SELECT l.*, s.spend, s.payments
              FROM ({locate.locations_sql(con)}) l JOIN ({ENTITY_SPEND}) s USING (entity_id)
              WHERE s.spend > 0 AND {' AND '.join(where)}
              ORDER BY s.spend DESC, l.entity_id"""
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    total = sum((r["spend"] for r in rows), Decimal(0))
    items = []
    for r in rows[: limit if limit is not None else None]:
        r["spend"] = _money(r["spend"])
        r["tiers"] = {t: r.pop("in_" + t) for t in tiers}
        items.append(r)
    return {"tiers": tiers, "suppliers": len(rows), "spend": _money(total), "items": items}
