"""The business engagement pipeline: prospective business members, from being identified to
joining (or declining), with why they fit the network, who leads the approach and the next
step. Every stage change is kept, with its date, who recorded it and a note.

Joining creates the member (``members`` and a ``member_profiles`` row) unless asked not to.
Candidates can be suggested from the Companies House register: large, active companies whose
registered office lies inside the place.

The pipeline is the coordinator's working list and holds people's names (contacts, owners):
it is never part of a public output. See docs/network/pipeline.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from anchornet.errors import AnchornetError
from anchornet.network import inputs
from anchornet.network.sectors import ROLES_IN_NETWORK, SECTORS
from anchornet.place import locate
from anchornet.place import postcodes as pc
from anchornet.registers import identifiers
from anchornet.registers.companies_house import SIZE_BANDS
from anchornet.sqlrows import dict_rows
from anchornet.sqltext import sql_literal
from anchornet.suppliers import normalise
from anchornet.workspace import Workspace

STAGES: dict[str, str] = {
    "identified": "Identified",
    "approached": "Approached",
    "senior-meeting": "Senior meeting",
    "roundtable": "Roundtable",
    "co-design": "Co-design",
    "joined": "Joined",
    "declined": "Declined",
}
OPEN_STAGES = ("identified", "approached", "senior-meeting", "roundtable", "co-design")
BOARD_STAGES = (*OPEN_STAGES, "joined")  # declined is shown apart
FITS: dict[str, str] = {
    "place": "Connection to place",
    "size": "Size",
    "sector": "Sector",
}
SOURCES = ("manual", "companies-house")
SUGGEST_SIZES = ("large",)
_SIZE_ORDER = "CASE size_band WHEN 'large' THEN 1 WHEN 'medium' THEN 2 WHEN 'small' THEN 3 " \
              "WHEN 'micro' THEN 4 ELSE 5 END"
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_COLUMNS = ("prospect_id", "name", "company_number", "sector", "employees", "size_band", "postcode",
            "fit_place", "fit_size", "fit_sector", "fit_note", "stage", "contact_name", "contact_role",
            "contact_email", "owner", "notes", "next_step", "next_step_on", "source", "member_id",
            "created_at", "updated_at")
EDITABLE = ("name", "company_number", "sector", "employees", "size_band", "postcode", "fit", "fit_note",
            "contact_name", "contact_role", "contact_email", "owner", "notes", "next_step", "next_step_on")


# -- input ---------------------------------------------------------------------------------------------
def stage_code(value: str) -> str:
    """'Senior meeting', 'senior_meeting' and 'senior-meeting' are the same stage."""
    return inputs.choice(value, STAGES, "stage")


def _fits(fit: Iterable[str] | str | None) -> dict[str, bool]:
    if isinstance(fit, str):
        fit = [f for f in re.split(r"[,\s]+", fit) if f]
    chosen = {str(f).strip().lower() for f in (fit or [])}
    unknown = chosen - set(FITS)
    if unknown:
        raise AnchornetError(f"unknown reason to fit {sorted(unknown)[0]!r}; give any of: {', '.join(FITS)}")
    return {f"fit_{f}": f in chosen for f in FITS}


def _fields(values: dict) -> dict:
    """Validated column values from what a form, the CLI or a script gives."""
    out: dict = {}
    for key, value in values.items():
        if key == "name":
            out["name"] = inputs.text(value, "organisation's name", required=True, limit=200)
        elif key == "company_number":
            text = inputs.text(value, "company number", limit=20)
            number = identifiers.company_number(text) if text else None
            if text and not number:
                raise AnchornetError(f"{text!r} is not a Companies House number (8 characters, e.g. 02557144)")
            out["company_number"] = number
        elif key == "sector":
            out["sector"] = inputs.choice(value, SECTORS, "sector", required=False)
        elif key == "employees":
            out["employees"] = inputs.whole_number(value, "number of employees", high=inputs.MAX_EMPLOYEES)
        elif key == "size_band":
            out["size_band"] = inputs.choice(value, SIZE_BANDS, "size band", required=False)
        elif key == "postcode":
            text = inputs.text(value, "postcode", limit=12)
            code = pc.normalise(text) if text else None
            if text and not code:
                raise AnchornetError(f"{text!r} is not a postcode (e.g. OX1 1BX)")
            out["postcode"] = code
        elif key == "fit":
            out.update(_fits(value))
        elif key == "contact_email":
            text = inputs.text(value, "contact's e-mail address", limit=200)
            if text and not _EMAIL.fullmatch(text):
                raise AnchornetError(f"{text!r} is not an e-mail address")
            out["contact_email"] = text
        elif key == "next_step_on":
            out["next_step_on"] = inputs.date(value, "next step's date")
        elif key in ("fit_note", "contact_name", "contact_role", "owner", "next_step"):
            out[key] = inputs.text(value, key.replace("_", " "), limit=300)
        elif key == "notes":
            out[key] = inputs.text(value, "notes", limit=5000)
        else:
            raise AnchornetError(f"a prospect has no field {key!r}; the fields are: {', '.join(EDITABLE)}")
    return out


# -- reading ---------------------------------------------------------------------------------------------
def _decorate(row: dict, today: dt.date) -> dict:
    row["stage_label"] = STAGES.get(row["stage"], row["stage"])
    row["fits"] = [label for key, label in FITS.items() if row.get(f"fit_{key}")]
    row["sector_label"] = SECTORS[row["sector"]][0] if row.get("sector") in SECTORS else None
    row["overdue"] = bool(row["next_step_on"] and row["next_step_on"] < today and row["stage"] in OPEN_STAGES)
    return row


_SELECT = f"""
    SELECT {', '.join('p.' + c for c in _COLUMNS)}, m.name AS member
    FROM prospects p LEFT JOIN members m ON m.member_id = p.member_id
"""


def list_prospects(ws: Workspace, *, stage: str | None = None, today: dt.date | None = None) -> list[dict]:
    """Every prospect (or those at one stage), the next step soonest first."""
    today = today or dt.date.today()
    where, params = ("WHERE p.stage = ?", [stage_code(stage)]) if stage else ("", [])
    rows = dict_rows(ws.con.execute(f"{_SELECT} {where} ORDER BY p.next_step_on NULLS LAST, lower(p.name)", params))
    return [_decorate(r, today) for r in rows]


def get_prospect(ws: Workspace, prospect_id: int, *, today: dt.date | None = None) -> dict:
    """One prospect with its stage history (in the order recorded)."""
    rows = dict_rows(ws.con.execute(f"{_SELECT} WHERE p.prospect_id = ?", [int(prospect_id)]))
    if not rows:
        raise AnchornetError(f"there is no prospect {prospect_id}")
    prospect = _decorate(rows[0], today or dt.date.today())
    prospect["history"] = stage_history(ws, prospect_id)
    return prospect


def find_prospect(ws: Workspace, prospect_id: int) -> dict | None:
    """The prospect, or None (for pages that answer 404)."""
    exists = ws.con.execute("SELECT count(*) FROM prospects WHERE prospect_id = ?", [int(prospect_id)]).fetchall()
    return get_prospect(ws, prospect_id) if exists[0][0] else None


def stage_history(ws: Workspace, prospect_id: int) -> list[dict]:
    rows = dict_rows(ws.con.execute("""
        SELECT move_id, from_stage, to_stage, moved_on, moved_by, note, recorded_at
        FROM prospect_stage_history WHERE prospect_id = ? ORDER BY move_id""", [int(prospect_id)]))
    for r in rows:
        r["from_label"] = STAGES.get(r["from_stage"]) if r["from_stage"] else None
        r["to_label"] = STAGES.get(r["to_stage"], r["to_stage"])
    return rows


def board(ws: Workspace, *, today: dt.date | None = None) -> dict:
    """The board: a column per stage (declined apart), with counts and overdue next steps."""
    prospects = list_prospects(ws, today=today)
    columns = []
    for code in BOARD_STAGES:
        cards = [p for p in prospects if p["stage"] == code]
        columns.append({"stage": code, "label": STAGES[code], "count": len(cards), "prospects": cards})
    declined = [p for p in prospects if p["stage"] == "declined"]
    return {
        "columns": columns,
        "declined": declined,
        "counts": {code: sum(1 for p in prospects if p["stage"] == code) for code in STAGES},
        "total": len(prospects),
        "open": sum(1 for p in prospects if p["stage"] in OPEN_STAGES),
        "overdue": sum(1 for p in prospects if p["overdue"]),
        "prospects": prospects,
    }


# -- changes ---------------------------------------------------------------------------------------------
def _check_new(ws: Workspace, name: str, company_number: str | None, *, except_id: int | None = None) -> None:
    """One prospect per organisation; nobody already a member."""
    other = except_id if except_id is not None else -1
    same = ws.con.execute(
        "SELECT prospect_id, name FROM prospects WHERE prospect_id <> ? AND (lower(name) = lower(?) "
        "OR (? IS NOT NULL AND company_number = ?))", [other, name, company_number, company_number]).fetchall()
    if same:
        raise AnchornetError(f"{same[0][1]} is already in the pipeline (prospect {same[0][0]})")
    if except_id is None:
        member = ws.con.execute("SELECT name FROM members WHERE lower(name) = lower(?)", [name]).fetchall()
        if member:
            raise AnchornetError(f"{member[0][0]} is already a member of the network")


def _history(con, prospect_id: int, from_stage: str | None, to_stage: str, on: dt.date, by: str,
             note: str | None) -> None:
    con.execute(
        "INSERT INTO prospect_stage_history (prospect_id, from_stage, to_stage, moved_on, moved_by, note) "
        "VALUES (?, ?, ?, ?, ?, ?)", [prospect_id, from_stage, to_stage, on, by, note])


def add_prospect(ws: Workspace, name: str, *, stage: str = "identified", source: str = "manual",
                 by: str = "cli", on: dt.date | str | None = None, **fields) -> int:
    """Add a prospect at a stage before joining (joining is a move: it may create the member).

    ``fields`` are any of EDITABLE (``fit`` is a list of 'place', 'size', 'sector', or a
    comma-separated string). Adding the same organisation twice is refused.
    """
    values = _fields({"name": name, **fields})
    code = stage_code(stage)
    if code == "joined":
        raise AnchornetError("add the prospect first, then move it to joined (that is when the member is made)")
    if source not in SOURCES:
        raise AnchornetError(f"unknown source {source!r}")
    day = inputs.date(on, "date") or dt.date.today()
    _check_new(ws, values["name"], values.get("company_number"))
    columns = [*values, "stage", "source"]
    params = [*values.values(), code, source]
    with ws.transaction() as con:
        prospect_id = con.execute(
            f"INSERT INTO prospects ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)}) "
            "RETURNING prospect_id", params).fetchall()[0][0]
        _history(con, prospect_id, None, code, day, by, "added")
    return prospect_id


def add_from_register(ws: Workspace, company_number: str, *, by: str = "cli", **fields) -> int:
    """Add a company from the Companies House register: its name, registered postcode and size
    band come from the register; it fits by place (it was suggested for being in it) and,
    when large, by size."""
    number = identifiers.company_number(str(company_number or "").strip())
    rows = ws.con.execute(
        "SELECT name, postcode, size_band FROM companies WHERE company_number = ? AND load_id IN "
        "(SELECT load_id FROM register_loads WHERE status = 'active') LIMIT 1", [number]).fetchall()
    if not number or not rows:
        raise AnchornetError(f"company {company_number!r} is not in the Companies House register loaded "
                             "(load it with `anchornet registers load companies-house FILE`)")
    name, postcode, band = rows[0]
    fit = ["place"] + (["size"] if band == "large" else [])
    defaults = {"company_number": number, "postcode": postcode, "size_band": band, "sector": "business",
                "fit": fit, "fit_note": "suggested from the Companies House register"}
    return add_prospect(ws, name, source="companies-house", by=by, **{**defaults, **fields})


def update_prospect(ws: Workspace, prospect_id: int, **fields) -> dict:
    """Change a prospect's details (not its stage: see :func:`move`). Returns what changed."""
    current = get_prospect(ws, prospect_id)
    values = _fields(fields)
    if "name" in values or "company_number" in values:
        _check_new(ws, values.get("name", current["name"]),
                   values.get("company_number", current["company_number"]), except_id=int(prospect_id))
    changed = {k: v for k, v in values.items() if current.get(k) != v}
    if changed:
        sets = ", ".join(f"{k} = ?" for k in changed)
        ws.con.execute(f"UPDATE prospects SET {sets}, updated_at = current_timestamp WHERE prospect_id = ?",
                       [*changed.values(), int(prospect_id)])
    return changed


def move(ws: Workspace, prospect_id: int, stage: str, *, note: str | None = None,
         on: dt.date | str | None = None, by: str = "cli", create_member: bool = True,
         member_name: str | None = None, network_role: str = "associate") -> dict:
    """Move a prospect to another stage, keeping the change in its history.

    Moving to ``joined`` makes the member (``members`` and a ``member_profiles`` row with the
    sector, employees, date joined and role in the network) unless ``create_member`` is false;
    an existing member of that name is linked, and its profile kept. A joined prospect stays
    joined: its member's records are kept in the Members section.
    """
    prospect = get_prospect(ws, prospect_id)
    code = stage_code(stage)
    if code == prospect["stage"]:
        raise AnchornetError(f"{prospect['name']} is already at the stage {STAGES[code].lower()}")
    if prospect["stage"] == "joined":
        raise AnchornetError(f"{prospect['name']} has joined the network; its records are now in Members")
    day = inputs.date(on, "date") or dt.date.today()
    text = inputs.text(note, "note", limit=2000)
    result = {"prospect_id": int(prospect_id), "name": prospect["name"], "from": prospect["stage"], "to": code,
              "on": day, "member_id": None, "member": None, "member_created": False, "profile_created": False}
    if code == "joined":
        network_role = inputs.choice(network_role, ROLES_IN_NETWORK, "role in the network")
    with ws.transaction() as con:
        member_id = None
        if code == "joined" and create_member:
            name = inputs.text(member_name, "member's name", limit=200) or prospect["name"]
            same = con.execute("SELECT member_id, name FROM members WHERE lower(name) = lower(?) "
                               "ORDER BY name = ? DESC LIMIT 1", [name, name]).fetchall()
            result["member_created"] = not same
            if same:  # member names are unique whatever the letter case
                member_id, name = same[0]
            else:
                member_id = ws.member_id(name, create=True)
            has_profile = con.execute("SELECT count(*) FROM member_profiles WHERE member_id = ?",
                                      [member_id]).fetchall()[0][0]
            if not has_profile:
                con.execute(
                    "INSERT INTO member_profiles (member_id, sector, employees, network_role, joined_on, notes) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [member_id, prospect["sector"] or "business", prospect["employees"], network_role, day,
                     f"joined through the engagement pipeline (prospect {int(prospect_id)})"])
                result["profile_created"] = True
            else:
                con.execute("UPDATE member_profiles SET joined_on = coalesce(joined_on, ?), "
                            "network_role = coalesce(network_role, ?) WHERE member_id = ?",
                            [day, network_role, member_id])
            result.update(member_id=member_id, member=name)
        con.execute("UPDATE prospects SET stage = ?, member_id = coalesce(?, member_id), "
                    "updated_at = current_timestamp WHERE prospect_id = ?", [code, member_id, int(prospect_id)])
        _history(con, int(prospect_id), prospect["stage"], code, day, by, text)
    return result


# -- suggestions from the Companies House register --------------------------------------------------------
def suggestions(ws: Workspace, *, tier: str | None = None, sizes: Iterable[str] = SUGGEST_SIZES,
                limit: int = 100) -> dict:
    """Active companies of the given size bands (large by default) with their registered office
    inside a tier of the place (the widest by default), less members and prospects.

    The size band is the register's own (from the accounts category, registers/size_bands.yaml):
    "large" means full or group accounts, an upper bound rather than a measurement.
    """
    con = ws.con
    sizes = [str(s).strip().lower() for s in sizes if str(s).strip()] or list(SUGGEST_SIZES)
    for band in sizes:
        if band not in SIZE_BANDS:
            raise AnchornetError(f"unknown size band {band!r}; the bands are: {', '.join(SIZE_BANDS)}")
    out = {"tier": None, "tiers": [], "sizes": sizes, "companies": [], "total": 0, "note": None,
           "register_loaded": False, "place_defined": False}
    out["register_loaded"] = con.execute(
        "SELECT count(*) FROM companies WHERE load_id IN (SELECT load_id FROM register_loads "
        "WHERE status = 'active')").fetchall()[0][0] > 0
    tiers = con.execute("SELECT tier_no, name FROM place_tiers ORDER BY tier_no").fetchall() \
        if locate.has_schema(con) else []
    out["tiers"] = [name for _, name in tiers]
    out["place_defined"] = bool(tiers)
    missing = []
    if not tiers:
        missing.append("no place is defined (set it with `anchornet place set NAME --tier name=CODES`)")
    if not out["register_loaded"]:
        missing.append("the Companies House register is not loaded (download BasicCompanyData and load it "
                       "with `anchornet registers load companies-house FILE`)")
    if missing:
        out["note"] = "; ".join(missing)
        return out
    chosen = [t for t in tiers if t[1] == tier] if tier else [tiers[-1]]
    if not chosen:
        raise AnchornetError(f"the place has no tier {tier!r}; its tiers are: {', '.join(out['tiers'])}")
    tier_no, out["tier"] = chosen[0]
    codes = con.execute("SELECT kind, code FROM place_codes WHERE tier_no <= ? ORDER BY tier_no, position",
                        [tier_no]).fetchall()
    lookup = con.execute("SELECT count(*) FROM postcodes").fetchall()[0][0] > 0
    if not lookup and any(kind in ("lad", "region", "country") for kind, _ in codes):
        out["note"] = ("the tier is made of district, region or country codes and the ONS postcode lookup is "
                       "not loaded, so no registered office can be placed in it: load the lookup with "
                       "`anchornet registers load postcodes FILE`")
    inside = locate.inside_sql("c", [(kind, sql_literal(code)) for kind, code in codes])
    normalise.install_macros(con)
    locate.install(con)
    band_list = ", ".join(sql_literal(b) for b in sizes)
    sql = f"""
        WITH c AS (
            SELECT co.company_number, co.name, co.name_key, co.post_town, co.postcode, co.size_band,
                   co.sic_codes, co.sic_descriptions, co.incorporation_date, co.category,
                   pc_outward(co.postcode) AS district, pc_area(co.postcode) AS area,
                   p.lad_code, p.region_code, p.country
            FROM companies co
            LEFT JOIN (SELECT * FROM postcodes
                       QUALIFY row_number() OVER (PARTITION BY postcode ORDER BY load_id DESC) = 1) p
                   ON p.postcode = co.postcode
            WHERE co.status = 'Active' AND co.postcode IS NOT NULL AND co.size_band IN ({band_list})
              AND co.load_id IN (SELECT load_id FROM register_loads WHERE status = 'active')
        ),
        taken_numbers AS (
            SELECT company_number FROM prospects WHERE company_number IS NOT NULL
            UNION SELECT e.company_number FROM member_profiles mp
                  JOIN supplier_entities e ON e.entity_id = mp.supplier_entity_id
                  WHERE e.company_number IS NOT NULL
        ),
        taken_keys AS (
            SELECT sn_name_key(name) AS key FROM members
            UNION SELECT sn_name_key(name) FROM prospects
        )
        SELECT company_number, name, post_town, postcode, size_band, sic_codes, sic_descriptions,
               incorporation_date, category, count(*) OVER () AS total
        FROM c
        WHERE coalesce({inside}, false)
          AND company_number NOT IN (SELECT company_number FROM taken_numbers)
          AND coalesce(name_key NOT IN (SELECT key FROM taken_keys WHERE key IS NOT NULL), true)
        ORDER BY {_SIZE_ORDER}, name
        LIMIT {int(limit)}
    """
    rows = dict_rows(con.execute(sql))
    out["total"] = rows[0]["total"] if rows else 0
    for r in rows:
        del r["total"]
        r["sic"] = [f"{code} {desc}".strip() if desc else code
                    for code, desc in zip(r["sic_codes"] or [], (r["sic_descriptions"] or []) + [None] * 4,
                                          strict=False)]
    out["companies"] = rows
    return out


# -- export ------------------------------------------------------------------------------------------------
def export_tables(ws: Workspace, public: bool = False) -> dict[str, list[dict]]:
    """The pipeline for the CSV/XLSX export. Internal only: with ``public`` every table is empty
    (prospects have not agreed to anything, and the records name people)."""
    if public:
        return {"prospects": [], "stage_history": []}
    prospects = dict_rows(ws.con.execute("""
        SELECT p.prospect_id, p.name, p.company_number, p.sector, p.employees, p.size_band, p.postcode,
               p.fit_place, p.fit_size, p.fit_sector, p.fit_note, p.stage, p.contact_name, p.contact_role,
               p.contact_email, p.owner, p.notes, p.next_step, p.next_step_on, p.source, m.name AS member,
               p.created_at, p.updated_at
        FROM prospects p LEFT JOIN members m ON m.member_id = p.member_id
        ORDER BY p.prospect_id"""))
    history = dict_rows(ws.con.execute("""
        SELECT h.prospect_id, p.name, h.from_stage, h.to_stage, h.moved_on, h.moved_by, h.note, h.recorded_at
        FROM prospect_stage_history h JOIN prospects p USING (prospect_id)
        ORDER BY h.prospect_id, h.move_id"""))
    return {"prospects": prospects, "stage_history": history}
