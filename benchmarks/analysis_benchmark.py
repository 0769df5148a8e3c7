"""Benchmark: the spend analysis and the network report on 10,000,000 payments.

Builds a synthetic workspace straight with DuckDB SQL (not through the ingest: the
analysis is what is measured) in a temporary directory (or ``--work DIR``):

* 20 members of an Oxfordshire anchor network, of different sizes, each with two
  payment files (April 2021 - September 2022, October 2022 - March 2024: three
  financial years); three members publish no supplier reference;
* ``--payments`` (10,000,000) loaded payments, plus one quarantined record in 1,001, with
  lineage (file, line), categories and service areas drawn from real council
  category names (each supplier has a usual category), log-normal amounts with
  about 1.5% credits, weekday dates, and 3% placeholder dates that carry only the
  quarter they were paid in;
* about 200,000 payees (member, name as written, reference) resolved into about
  150,000 supplier entities: companies, VCSE bodies, public bodies, unknowns and
  possible sole traders, with a second or third spelling at other members for
  about a quarter of them; private individuals and one redacted payee per member,
  personal and never matched; 0.3% of payments to names not resolved yet;
* size bands and SME flags (as linking to Companies House, or a member's list,
  gives them) and postcodes for about 70% of the entities (a few invalid, a few not
  in the lookup, some written in lower case without the space);
* an ONS postcode lookup holding those postcodes, with local authority districts,
  regions and IMD deciles (a few terminated), and the place: ``city=E07000178``,
  ``county=E07000178,E07000180`` (set with ``anchornet.place.geography.set_place``).

The generator is pseudo-random with a fixed seed: each value is a hash of the row
number, a salt and the seed, so the same options give the same workspace whatever
the number of threads. The build is timed, but apart.

Then, in one fresh process with the workspace opened read-only (as the CLI does),
it times ``Analysis(ws)`` (which locates every supplier), ``headline()``,
``by('category')``, ``top_suppliers(300)``, ``shared_suppliers()``, ``leakage()``,
``trend('quarter')``, ``headline()`` for one member and one financial year, and
``write_report`` to HTML, PDF, XLSX and the public HTML. It prints each step's wall
and CPU time, the process's peak memory after it (``ru_maxrss``) and the total, and
checks the headline against the records (exit 1 when they disagree).

    .venv/bin/python benchmarks/analysis_benchmark.py [--payments N] [--work DIR] [--keep]
        [--json] [--profile]

``--profile`` also times every SQL statement the analysis runs and shows DuckDB's
profile (operators, their time and rows) of the slowest ones.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEED = 20240601
FULL_PAYMENTS = 10_000_000
FULL_SUPPLIERS = 150_000  # supplier entities at full size (fewer for small runs)
PERSONAL_PER_SUPPLIER = 9_500 / 150_000  # private individuals among the payees
SECOND_SPELLING = 0.22  # entities paid by a second member, under a second spelling
THIRD_SPELLING = 0.05
POSTCODE_SHARE = 0.70  # entities with a postcode
POSTCODE_POOL_PER_SUPPLIER = 0.45  # distinct postcodes generated per entity (shared offices)
QUARANTINE_EVERY = 1001  # one record in 1,001 is not a payment (amount not a number), on top of the payments
REDACTED = 0.015  # payments to the member's redacted payee
PERSONAL = 0.04  # payments to private individuals
UNRESOLVED = 0.003  # payments to names not resolved yet
PLACEHOLDER_DATES = 0.03
CREDITS = 0.015
ONE_MEMBER = "Oxfordshire County Council"
ONE_YEAR = "FY2022/23"
FILE_HALVES = (("2021-04-01", "2022-09-30"), ("2022-10-01", "2024-03-31"))

# name, relative size, publishes supplier references
MEMBERS = [
    ("Oxfordshire County Council", 18, True), ("Oxford University Hospitals NHS Foundation Trust", 16, True),
    ("University of Oxford", 14, True), ("Oxford City Council", 10, True),
    ("Oxford Health NHS Foundation Trust", 8, True), ("Oxford Brookes University", 6, True),
    ("Thames Valley Police (Oxfordshire)", 6, True), ("Cherwell District Council", 5, True),
    ("South Oxfordshire District Council", 4, True), ("Vale of White Horse District Council", 4, True),
    ("West Oxfordshire District Council", 3, False), ("Oxford Direct Services Ltd", 3, True),
    ("Buckinghamshire, Oxfordshire and Berkshire West ICB", 3, True), ("Activate Learning", 2, True),
    ("GreenSquareAccord", 2, True), ("Oxfordshire Fire and Rescue Service", 2, True),
    ("Abingdon and Witney College", 1.5, False), ("Soha Housing", 1.5, True),
    ("Oxfordshire Local Enterprise Partnership", 1, True), ("Abingdon-on-Thames Town Council", 0.5, False),
]

# Categories as councils write them (most used first: the generator favours the head of the
# list). Some match the influenceable-spend rules (grants, recharges, internal, transfers).
CATEGORIES = [
    ("Materials", "D3021"), ("General Contracted Services", "D3401"), ("Main Contractor", "Y021"),
    ("Temporary Bureau Staffing", "A0108"), ("Direct Services Supplies & Services", "D3000"),
    ("Consultants Fees", "D3411"), ("Furniture & Equipment Purchase", "D3001"),
    ("Direct Services Sub Contractors", "B1111"), ("Electricity", "B1501"), ("Grants", "D3701"),
    ("Engineering Services Supplies and Services", "D3010"), ("Gas", "B1502"),
    ("Services Maintenance (Planned)", "B1103"), ("Veh.maint direct purchase", "C2101"),
    ("Hardware Purchase", "D3520"), ("External Telephone Charges", "D3601"),
    ("Reactive Maintenance & Minor Repairs", "B1101"), ("Software Maintenance/Running Costs", "D3513"),
    ("General Stationery Supplies", "D3301"), ("Short Courses", "A0622"), ("Advertising & Publicity", "D3802"),
    ("Water & Sewerage Charges", "B1503"), ("Fire Alarms and Emergency Lighting", "B1120"),
    ("Tipping Charges", "D3421"), ("Contract Printing (External)", "D3310"),
    ("Counsel & External Legal Fees", "D3417"), ("Tools", "D3025"), ("Subscriptions", "D3703"),
    ("Plant Purchase", "D3005"), ("Postage & Carriage", "D3602"), ("Protective Clothing", "D3030"),
    ("Other Contributions", "D3710"), ("Special Events", "D3820"), ("Security Services", "D3405"),
    ("Internal Recharges", "Z9001"), ("Software Purchase", "D3512"), ("Homeless Prevention", "D3730"),
    ("Fuel Purchase (Stock)", "C2010"), ("Rent", "B1601"), ("Waste Disposal & Skip Hire", "D3422"),
    ("Other Miscellaneous Expenses", "D3999"), ("Petrol, Diesel & Oil", "C2011"),
    ("Other Computing Services", "D3530"), ("Cleaning Materials", "D3040"), ("Provisions", "D3305"),
    ("Contract Plant Hire", "C2301"), ("Lift Maintenance / Servicing", "B1125"),
    ("Building Alterations & Modifications", "B1130"), ("Refuse Containers", "D3423"),
    ("Internal/External common areas", "B1140"), ("Short Term Vehicle Hire", "C2302"),
    ("Books & Publications", "D3320"), ("Conferences", "A0630"), ("Asbestos Work", "B1150"),
    ("Hospitality", "D3830"), ("Window Cleaning", "B1160"), ("CCTV", "D3406"),
    ("Grants to Voluntary Organisations", "D3702"), ("Transfer Payments", "Z9002"),
    ("Medical and Surgical Equipment", "M2001"), ("Drugs", "M1001"), ("Agency Nursing", "A0120"),
    ("Research Consumables", "R1001"), ("Laboratory Equipment", "R1002"),
    ("Home to School Transport", "T1001"), ("Residential Care (Older People)", "S1001"),
    ("Supported Living", "S1002"), ("Highways Maintenance", "H1001"), ("Street Lighting Energy", "H1002"),
]
PERSONAL_CATEGORIES = [
    ("Grants-Private Persons", "D3704"), ("Rent Allowance Cheques (Home Choice)", "D3731"),
    ("Foster Carer Allowances", "S2001"), ("Direct Payments", "S2002"), ("Compensation Payments", "D3950"),
    ("Refunds", "Z9100"),
]
SERVICE_AREAS = [
    "Direct Services", "HRA", "Housing and Property", "Leisure, Parks & Communities", "Adult Social Care",
    "Children's Services", "Highways & Transport", "Regeneration and Major Projects Team",
    "Environmental Development", "Community Services", "Business Improvement & Technology", "Estates & Facilities",
    "Human Resources & Facilities", "Planning & Regulatory", "Financial Services", "Customer Services",
    "Law and Governance", "City Development", "Policy, Culture and Communication", "Research Services",
    "Clinical Support Services", "Surgery & Oncology", "Medicine, Rehabilitation & Cardiac", "Pharmacy",
    "Transformation", "Holding Accounts & Other Funds", "Organisational Development", "General Fund",
    "Environmental Sustainability", "Partnerships Team", "Welfare Reform Team", "ICT", "Suspense",
    "Public Health", "Fire & Rescue Operations", "Libraries & Heritage",
]

# -- supplier names: one name per (stem, third part), one-to-one for up to MAX_SUPPLIERS --------
PRE = (
    "ASH BRAD BRAM CAR CHEL DUN EL FAIR GLEN HAR HOLM KEN LANG MAR NEW OAK PEN RED ROCK SAL SHER "
    "STAN THORN WAL WEST WHIT WIN YAR ALD BEL BIR BROOK CLAY CROM DAL EAST FERN GRAN HAL HAW KING "
    "LIN MEL MILL NOR PAR PRES RAY ROS SEL SOUTH STOW TAM UP WAR WEL WOOD AMBER BLACK BURN CRAN"
).split()
SUF = (
    "FORD TON LEY HAM WOOD FIELD BURY WELL SIDE MORE DALE WICK STEAD COMBE HURST CASTER MOUTH "
    "BRIDGE STONE WORTH BY THORPE GATE HOLME LAND MERE SHAW CROFT DON LOW MINSTER PORT VALE WAY BECK"
).split()
TRADES = [
    "CLEANING SERVICES", "BUILDING SERVICES", "CONSTRUCTION", "ELECTRICAL", "PLUMBING & HEATING",
    "ROOFING", "SCAFFOLDING", "GLAZING", "LANDSCAPES", "GROUNDWORKS", "DRAINAGE", "PLANT HIRE",
    "HAULAGE", "TRANSPORT", "COACHES", "TAXIS", "MOTORS", "FUELS", "TIMBER", "BUILDERS MERCHANTS",
    "AGGREGATES", "ENVIRONMENTAL SERVICES", "WASTE MANAGEMENT", "RECYCLING", "PEST CONTROL",
    "SECURITY", "FIRE PROTECTION", "LIFTS", "ACCESS SOLUTIONS", "CATERING", "FOODS", "BAKERY",
    "PRINTING", "SIGNS", "DESIGN", "MEDIA", "MARKETING", "CONSULTING", "CONSULTANTS", "ASSOCIATES",
    "SURVEYORS", "ARCHITECTS", "ENGINEERING", "LEGAL SERVICES", "SOLICITORS", "ACCOUNTANTS",
    "RECRUITMENT", "TRAINING", "EDUCATION SERVICES", "CARE", "HOME CARE", "HEALTHCARE", "NURSING",
    "PHARMACY", "IT SOLUTIONS", "SOFTWARE", "DIGITAL", "TELECOM", "NETWORKS", "DATA SYSTEMS",
    "OFFICE SUPPLIES", "FURNITURE", "FLOORING", "KITCHENS", "DOORS & WINDOWS", "TOOLS & EQUIPMENT",
    "SAFETY", "PROPERTY SERVICES", "ESTATES", "LETTINGS", "FACILITIES MANAGEMENT", "INTERIORS",
]
FORMS = ["LTD", "LIMITED", "LTD", "LTD", "PLC", "LLP", "LIMITED", "& CO LTD"]
VCSE_KINDS = [
    "COMMUNITY ASSOCIATION", "TRUST", "FOUNDATION", "YOUTH CLUB", "FOOD BANK", "CARERS CENTRE",
    "ARTS TRUST", "SPORTS CLUB", "RESIDENTS ASSOCIATION", "COMMUNITY CENTRE", "DEVELOPMENT TRUST",
    "HOUSING ASSOCIATION", "PRESCHOOL", "SCOUT GROUP", "CRICKET CLUB", "FOOTBALL CLUB",
    "HISTORY SOCIETY", "ALLOTMENT SOCIETY", "MENTAL HEALTH SUPPORT", "BEFRIENDING SCHEME",
]
VCSE_QUALIFIERS = ["", "NORTH ", "SOUTH ", "EAST "]
PUBLIC_KINDS = ["PARISH COUNCIL", "TOWN COUNCIL", "PRIMARY SCHOOL", "ACADEMY", "COLLEGE", "DISTRICT COUNCIL"]
PUBLIC_QUALIFIERS = ["", "ST MARY'S ", "ST JOHN'S ", "NORTH ", "SOUTH ", "EAST ", "WEST ", "UPPER ", "LOWER ",
                     "GREAT ", "LITTLE ", "OLD ", "NEW "]
SOLE_TRADES = ["", " PLUMBING", " DECORATING"]
INITIALS = list("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
TITLES = ["MR", "MRS", "MS", "DR"]
SURNAMES = (
    "SMITH JONES TAYLOR BROWN WILLIAMS WILSON JOHNSON DAVIES ROBINSON WRIGHT THOMPSON EVANS WALKER "
    "WHITE ROBERTS GREEN HALL WOOD JACKSON CLARKE PATEL KHAN AHMED HUGHES EDWARDS HILL MOORE LEWIS "
    "HARRIS MARTIN COOPER KING LEE MORGAN BAKER TURNER PARKER COLLINS HARRISON MITCHELL CARTER "
    "PHILLIPS BENNETT SHAW COOK SHAH BAILEY RICHARDSON COX MARSHALL GRAY FOSTER MURPHY HAVARD "
    "LONSDALE BIRD ANDERS OKAFOR NOWAK SINGH"
).split()
SIC = ["43210", "81210", "49410", "62020", "70229", "71129", "78200", "86900", "56290", "43390", "38110",
       "80100", "47110", "46900", "69102"]

# Postcode districts: (district, local authority district, region, country, weight).
# Oxford (E07000178) and the Vale of White Horse (E07000180) are the place's tiers.
DISTRICTS = [
    ("OX1", "E07000178", "E12000008", "E", 7), ("OX2", "E07000178", "E12000008", "E", 6),
    ("OX3", "E07000178", "E12000008", "E", 5), ("OX4", "E07000178", "E12000008", "E", 7),
    ("OX12", "E07000180", "E12000008", "E", 2.5), ("OX13", "E07000180", "E12000008", "E", 2),
    ("OX14", "E07000180", "E12000008", "E", 4), ("SN7", "E07000180", "E12000008", "E", 1.5),
    ("OX10", "E07000179", "E12000008", "E", 2), ("OX11", "E07000179", "E12000008", "E", 3),
    ("OX9", "E07000179", "E12000008", "E", 1.5), ("OX44", "E07000179", "E12000008", "E", 1),
    ("RG9", "E07000179", "E12000008", "E", 1.5), ("OX15", "E07000177", "E12000008", "E", 1),
    ("OX16", "E07000177", "E12000008", "E", 2.5), ("OX26", "E07000177", "E12000008", "E", 2),
    ("OX5", "E07000177", "E12000008", "E", 1.5), ("OX28", "E07000181", "E12000008", "E", 1.5),
    ("OX29", "E07000181", "E12000008", "E", 1), ("OX18", "E07000181", "E12000008", "E", 0.5),
    ("OX7", "E07000181", "E12000008", "E", 1), ("RG1", "E06000038", "E12000008", "E", 2),
    ("RG2", "E06000038", "E12000008", "E", 1), ("RG30", "E06000038", "E12000008", "E", 0.5),
    ("MK9", "E06000042", "E12000008", "E", 1.5), ("MK10", "E06000042", "E12000008", "E", 0.5),
    ("HP11", "E06000060", "E12000008", "E", 1), ("HP20", "E06000060", "E12000008", "E", 1),
    ("SN1", "E06000030", "E12000009", "E", 1.5), ("SN5", "E06000030", "E12000009", "E", 1),
    ("BS1", "E06000023", "E12000009", "E", 1.5), ("BS2", "E06000023", "E12000009", "E", 0.5),
    ("GL1", "E07000081", "E12000009", "E", 1), ("B1", "E08000025", "E12000005", "E", 2),
    ("B5", "E08000025", "E12000005", "E", 1), ("B12", "E08000025", "E12000005", "E", 1),
    ("CV1", "E08000026", "E12000005", "E", 1), ("NN1", "E06000062", "E12000004", "E", 1),
    ("M1", "E08000003", "E12000002", "E", 2), ("M4", "E08000003", "E12000002", "E", 1),
    ("LS1", "E08000035", "E12000003", "E", 1.5), ("NE1", "E08000021", "E12000001", "E", 1),
    ("EC1A", "E09000001", "E12000007", "E", 1), ("EC2V", "E09000001", "E12000007", "E", 1),
    ("SW1A", "E09000033", "E12000007", "E", 1.5), ("W1T", "E09000033", "E12000007", "E", 1.5),
    ("WC2H", "E09000033", "E12000007", "E", 1), ("N1", "E09000019", "E12000007", "E", 1.5),
    ("SE1", "E09000028", "E12000007", "E", 2), ("CF10", "W06000015", None, "W", 1),
    ("EH1", "S12000036", None, "S", 0.7), ("G2", "S12000049", None, "S", 0.5),
    ("BT1", "N09000003", None, "N", 0.3), ("JE2", None, None, "L", 0.2),
]
COUNTRY_CODES = {"E": "E92000001", "W": "W92000004", "S": "S92000003", "N": "N92000002", "L": "L93000001"}
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# the supplier-name generator is one-to-one for this many entities
MAX_SUPPLIERS = 60 * 35 * min(len(TRADES), 78)
PLACE = ("Oxfordshire anchor network", ["city=E07000178", "county=E07000178,E07000180"])


def _lit(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _list(values) -> str:
    return "[" + ", ".join(_lit(v) for v in values) + "]"


def _cumulative_case(expr: str, weights: list[float]) -> str:
    """SQL picking 1..len(weights) with those weights, from a uniform value ``expr``."""
    total, acc, whens = sum(weights), 0.0, []
    for i, w in enumerate(weights[:-1], start=1):
        acc += w / total
        whens.append(f"WHEN {expr} < {acc!r} THEN {i}")
    return f"(CASE {' '.join(whens)} ELSE {len(weights)} END)"


def _max_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:
        return None
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def _cpu_s() -> float:
    times = os.times()
    return times.user + times.system


def _load() -> float | None:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None


def plan(payments: int, suppliers: int | None) -> dict:
    """Sizes of everything, from the number of payments."""
    if suppliers is None:
        suppliers = int(min(FULL_SUPPLIERS, max(2_000, payments * FULL_SUPPLIERS / FULL_PAYMENTS)))
    if suppliers > MAX_SUPPLIERS:
        raise SystemExit(f"--suppliers: at most {MAX_SUPPLIERS:,} (the name generator runs out)")
    weights = [w for _, w, _ in MEMBERS]
    per_member = [int(payments * w / sum(weights)) for w in weights]
    per_member[0] += payments - sum(per_member)
    files, start = [], 0
    for m, rows in enumerate(per_member, start=1):
        first = int(rows * 0.48)  # spend grows a little: the second half is larger
        for half, n in enumerate((first, rows - first)):
            p0, p1 = FILE_HALVES[half]
            records = n + n // (QUARANTINE_EVERY - 1)  # exactly n of them loaded (see the records' SQL)
            files.append({"member_id": m, "start": start, "end": start + records, "payments": n,
                          "period_start": p0, "period_end": p1})
            start += records
    personal = [max(20, int(suppliers * PERSONAL_PER_SUPPLIER * w / sum(weights))) for w in weights]
    return {"payments": payments, "suppliers": suppliers, "files": files, "personal_payees": personal,
            "postcode_pool": max(500, int(suppliers * POSTCODE_POOL_PER_SUPPLIER))}


# -- the build ------------------------------------------------------------------------------------


def build(ws_path: Path, payments: int, suppliers: int | None, seed: int, log) -> dict:
    """Create the workspace (migrations through ``Workspace``) and fill it with SQL."""
    from anchornet import Workspace
    from anchornet.place.geography import parse_tier, set_place

    p = plan(payments, suppliers)
    n_sup, timings = p["suppliers"], {}
    ws = Workspace(ws_path)
    con = ws.con
    con.execute("SET enable_progress_bar = false")
    con.execute(f"CREATE OR REPLACE TEMP MACRO u(i, s) AS "
                f"CAST(hash(CAST(i AS BIGINT), CAST(s AS INTEGER), {int(seed)}) >> 11 AS DOUBLE) "
                f"/ 9007199254740992.0")

    def step(label: str, sql: str | None = None, fn=None) -> None:
        t0 = time.perf_counter()
        if sql is not None:
            con.execute(sql)
        if fn is not None:
            fn()
        timings[label] = time.perf_counter() - t0
        log(f"    {label}: {timings[label]:.1f} s")

    # members and files ------------------------------------------------------------------------
    def members_and_files() -> None:
        for name, _, _ in MEMBERS:
            ws.member_id(name, create=True)
        mapping = {"": {"body": 0, "service_area": 1, "category": 2, "expense_code": 3, "payment_date": 4,
                        "transaction_ref": 5, "amount": 6, "capital_revenue": 7, "supplier_ref": 8,
                        "supplier_name": 9}}
        rows = []
        for f in p["files"]:
            name, _, refs = MEMBERS[f["member_id"] - 1]
            slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
            file_name = f"{slug}-spend-over-500-{f['period_start'][:7]}-to-{f['period_end'][:7]}.csv"
            m = dict(mapping)
            if not refs:
                m = {"": {k: v for k, v in mapping[""].items() if k != "supplier_ref"}}
            mapping_json = json.dumps(m, sort_keys=True)
            rows.append([f["member_id"], file_name, hashlib.sha256(f"{seed}:{file_name}".encode()).hexdigest(),
                         (f["end"] - f["start"]) * 160 + 200, "csv", "utf-8", ",", "crlf", "payments", mapping_json,
                         hashlib.sha256(mapping_json.encode()).hexdigest()[:16], f["period_start"],
                         f["period_end"], "dates", "active", "[]"])
        con.executemany(
            "INSERT INTO files (member_id, name, sha256, size_bytes, format, encoding, delimiter, line_ending, kind,"
            " mapping_json, mapping_hash, period_start, period_end, period_source, status, notes_json)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        values = ", ".join(
            f"({i}, {f['member_id']}, {f['start']}, {f['end']}, DATE '{f['period_start']}', "
            f"DATE '{f['period_end']}')" for i, f in enumerate(p["files"], start=1))
        con.execute(f"CREATE TEMP TABLE _fplan AS SELECT * FROM (VALUES {values}) "
                    "t(file_id, member_id, start_row, end_row, period_start, period_end)")
        values = ", ".join(
            f"({i}, {_lit(name)}, {_lit(refs)}, {_lit('V' + format(i, '02d'))}, {p['personal_payees'][i - 1]})"
            for i, (name, _, refs) in enumerate(MEMBERS, start=1))
        con.execute(f"CREATE TEMP TABLE _members AS SELECT * FROM (VALUES {values}) "
                    "t(member_id, name, has_refs, ref_prefix, personal_payees)")

    step("members and files", fn=members_and_files)

    # postcodes: a pool of distinct postcodes; the lookup holds all but 2% of them -------------------
    districts = ", ".join(
        f"({i}, {_lit(d)}, {_lit(lad)}, {_lit(rgn)}, {_lit(c)}, {_lit(COUNTRY_CODES[c])})"
        for i, (d, lad, rgn, c, _) in enumerate(DISTRICTS, start=1))
    pick_district = _cumulative_case("u(j, 43)", [w for *_, w in DISTRICTS])
    step("postcode lookup", f"""
        CREATE TEMP TABLE _districts AS SELECT * FROM (VALUES {districts})
            t(d_no, district, lad_code, region_code, country, country_code);
        CREATE TEMP TABLE _pool AS
        WITH g AS (
            SELECT j, {pick_district} AS d_no,
                   CAST(floor(u(j, 40) * 10) AS INTEGER) AS digit,
                   {_list(INWARD_LETTERS)}[CAST(floor(u(j, 41) * 20) AS INTEGER) + 1]
                   || {_list(INWARD_LETTERS)}[CAST(floor(u(j, 42) * 20) AS INTEGER) + 1] AS letters
            FROM range(0, {p['postcode_pool']}) r(j)
        ), pc AS (
            SELECT DISTINCT d.*, d.district || ' ' || g.digit || g.letters AS postcode,
                   d.district || ' ' || g.digit AS sector
            FROM g JOIN _districts d USING (d_no)
        )
        SELECT row_number() OVER (ORDER BY postcode) - 1 AS pool_idx, * FROM pc;
        INSERT INTO register_loads (load_id, register, file_name, source_files, sha256, size_bytes, rows_loaded,
                                    vintage, status, seconds)
        VALUES (1, 'postcodes', 'NSPL_FEB_2024_UK.zip', ['Data/NSPL_FEB_2024_UK.csv'],
                '{hashlib.sha256(b'nspl').hexdigest()}', 195000000, (SELECT count(*) FROM _pool), 'NSPL FEB 2024',
                'active', 1.0);
        INSERT INTO postcodes
        SELECT postcode, district, sector, regexp_extract(district, '^[A-Z]+') AS area, country, country_code,
               lad_code,
               CASE WHEN lad_code IS NOT NULL THEN left(lad_code, 1) || '05' || lpad(CAST(pool_idx % 999999 AS
                    VARCHAR), 6, '0') END AS ward_code,
               CASE WHEN country <> 'L' THEN left(country_code, 1) || '01' || lpad(CAST(pool_idx AS VARCHAR), 6, '0')
                    END AS lsoa_code,
               region_code,
               CASE WHEN country <> 'L' THEN CAST(floor(u(pool_idx, 45) * 32844) AS INTEGER) + 1 END AS imd_rank,
               CASE WHEN country <> 'L' THEN CAST(floor(u(pool_idx, 45) * 10) AS TINYINT) + 1 END AS imd_decile,
               CASE WHEN country <> 'L' THEN 'IoD2019' END AS imd_index,
               51.75 + (u(pool_idx, 46) - 0.5) * 2, -1.25 + (u(pool_idx, 47) - 0.5) * 3,
               DATE '1990-01-01',
               CASE WHEN u(pool_idx, 48) < 0.015 THEN DATE '2022-06-01' END AS terminated,
               1 AS load_id
        FROM _pool WHERE u(pool_idx, 44) >= 0.02
    """)

    # supplier entities, their payees, and the personal payees ---------------------------------------
    pick_member = _cumulative_case("u(o, 14)", [w for _, w, _ in MEMBERS])
    n_members = len(MEMBERS)
    step("supplier entities and payees", f"""
        CREATE TEMP TABLE _orgs AS
        WITH a AS (  -- n: o scrambled (a bijection), so that small runs get every kind of name
            SELECT o, (o * 7919) % {MAX_SUPPLIERS} AS n FROM range(0, {n_sup}) r(o)
        ), b AS (
            SELECT o, u(o, 10) AS uc, {_list(PRE)}[n % 60 + 1] || {_list(SUF)}[(n // 60) % 35 + 1] AS stem,
                   CAST(n // 2100 AS INTEGER) AS t, {pick_member} AS m1
            FROM a
        ), c AS (
            SELECT *, CASE WHEN uc < 0.70 THEN 'company' WHEN uc < 0.79 THEN 'vcse' WHEN uc < 0.85 THEN 'public'
                           WHEN uc < 0.91 THEN 'unknown' WHEN uc < 0.95 THEN 'individual' ELSE 'company' END
                   AS class,
                   {_list(FORMS)}[CAST(floor(u(o, 11) * {len(FORMS)}) AS INTEGER) + 1] AS form
            FROM b
        )
        SELECT o, class, m1,
               (m1 - 1 + 1 + CAST(floor(u(o, 15) * 9) AS INTEGER)) % {n_members} + 1 AS m2,
               (m1 - 1 + 10 + CAST(floor(u(o, 16) * 9) AS INTEGER)) % {n_members} + 1 AS m3,
               u(o, 12) < {SECOND_SPELLING} AS second, u(o, 13) < {THIRD_SPELLING} AS third,
               CASE class
                   WHEN 'company' THEN stem || ' ' || {_list(TRADES)}[t % {len(TRADES)} + 1] || ' ' || form
                   WHEN 'vcse' THEN {_list(VCSE_QUALIFIERS)}[t // 20 + 1] || stem || ' '
                                    || {_list(VCSE_KINDS)}[t % 20 + 1]
                   WHEN 'public' THEN {_list(PUBLIC_QUALIFIERS)}[t // 6 + 1] || stem || ' '
                                      || {_list(PUBLIC_KINDS)}[t % 6 + 1]
                   WHEN 'unknown' THEN stem || ' ' || {_list(TRADES)}[t % {len(TRADES)} + 1]
                   ELSE {_list(INITIALS)}[t % 26 + 1] || ' ' || stem || {_list(SOLE_TRADES)}[t // 26 + 1]
               END AS name,
               CASE WHEN class = 'company' AND form = 'LTD' THEN 'LIMITED' WHEN class = 'company'
                    AND form = 'LIMITED' THEN 'LTD' END AS other_form
        FROM c;

        CREATE TEMP TABLE _op AS
        WITH spellings AS (
            SELECT o, 0 AS variant, m1 AS member_id, name AS supplier_name FROM _orgs
            UNION ALL
            SELECT o, 1, m2, CASE WHEN other_form IS NOT NULL
                                  THEN regexp_replace(name, ' (LTD|LIMITED)$', ' ' || other_form)
                                  WHEN class = 'vcse' THEN 'THE ' || name ELSE name END
            FROM _orgs WHERE second
            UNION ALL
            SELECT o, 2, m3, CASE WHEN class = 'company' THEN replace(name, ' & ', ' AND ') ELSE upper(name) END
            FROM _orgs WHERE third
        )
        SELECT row_number() OVER (ORDER BY o, variant) AS payee_id, * FROM spellings;

        INSERT INTO payees (payee_id, member_id, supplier_name, supplier_ref, name_key, trading_key, class,
                            class_reason, personal, matchable, entity_id, match_probability)
        SELECT q.payee_id, q.member_id, q.supplier_name,
               CASE WHEN m.has_refs THEN m.ref_prefix || lpad(CAST(q.payee_id AS VARCHAR), 7, '0') ELSE '' END,
               lower(regexp_replace(q.supplier_name, ' (LTD|LIMITED|PLC|LLP|& CO LTD)$', '')), NULL, o.class,
               CASE o.class WHEN 'company' THEN 'legal form' WHEN 'vcse' THEN 'voluntary-sector word'
                    WHEN 'public' THEN 'public-body word' WHEN 'individual' THEN 'a person''s name, trading'
                    ELSE 'no rule matched' END,
               o.class = 'individual', true, first_value(q.payee_id) OVER (PARTITION BY q.o ORDER BY q.variant),
               CASE WHEN q.variant > 0 THEN 0.9 + 0.1 * u(q.payee_id, 17) END
        FROM _op q JOIN _orgs o USING (o) JOIN _members m ON m.member_id = q.member_id;

        INSERT INTO payees (payee_id, member_id, supplier_name, supplier_ref, name_key, class, class_reason,
                            personal, matchable, entity_id)
        WITH people AS (
            SELECT m.member_id, m.has_refs, m.ref_prefix, r.k
            FROM _members m, range(0, m.personal_payees) r(k)
        ), numbered AS (
            SELECT *, row_number() OVER (ORDER BY member_id, k) - 1 AS g,
                   (SELECT max(payee_id) FROM _op) + row_number() OVER (ORDER BY member_id, k) AS payee_id
            FROM people
        )
        SELECT payee_id, member_id,
               {_list(TITLES)}[g % 4 + 1] || ' ' || {_list(INITIALS)}[(g // 4) % 26 + 1] || ' '
               || {_list(INITIALS)}[(g // 104) % 26 + 1] || ' ' || {_list(SURNAMES)}[(g // 2704) % 60 + 1],
               CASE WHEN has_refs THEN ref_prefix || lpad(CAST(payee_id AS VARCHAR), 7, '0') ELSE '' END,
               NULL, 'individual', 'title and initials', true, false, NULL
        FROM numbered;

        INSERT INTO payees (payee_id, member_id, supplier_name, supplier_ref, class, class_reason, personal,
                            matchable, entity_id)
        SELECT (SELECT max(payee_id) FROM payees) + member_id, member_id, 'REDACTED', '', 'redacted',
               'redacted label', true, false, NULL
        FROM _members;

        INSERT INTO supplier_entities (entity_id, display_name, name_key, class, class_reason, personal, postcode,
                                       company_number, charity_number, payees, members, min_probability,
                                       postcode_source, org_id, company_status, size_band, sic_codes, sme,
                                       link_probability)
        WITH counts AS (
            SELECT o, min(payee_id) AS entity_id, count(*) AS payees, count(DISTINCT member_id) AS members,
                   min(CASE WHEN variant > 0 THEN 0.9 END) AS min_probability
            FROM _op GROUP BY o
        ), e AS (
            SELECT g.*, c.entity_id, c.payees, c.members, c.min_probability, u(g.o, 20) AS us,
                   u(g.o, 30) < {POSTCODE_SHARE} AS has_postcode,
                   CAST(floor(u(g.o, 31) * (SELECT count(*) FROM _pool)) AS BIGINT) AS pool_idx
            FROM _orgs g JOIN counts c USING (o)
        ), sized AS (
            SELECT *,
                   CASE WHEN class = 'company' THEN CASE WHEN us < 0.30 THEN 'micro' WHEN us < 0.50 THEN 'small'
                        WHEN us < 0.60 THEN 'medium' WHEN us < 0.72 THEN 'large' WHEN us < 0.74 THEN 'dormant'
                        WHEN us < 0.76 THEN 'unknown' END END AS size_band
            FROM e
        )
        SELECT s.entity_id, s.name, lower(regexp_replace(s.name, ' (LTD|LIMITED|PLC|LLP|& CO LTD)$', '')),
               s.class,
               CASE s.class WHEN 'company' THEN 'legal form' WHEN 'vcse' THEN 'voluntary-sector word'
                    WHEN 'public' THEN 'public-body word' WHEN 'individual' THEN 'a person''s name, trading'
                    ELSE 'no rule matched' END,
               s.class = 'individual',
               CASE WHEN NOT s.has_postcode THEN NULL
                    WHEN u(s.o, 32) < 0.007 THEN 'TBC'
                    WHEN u(s.o, 33) < 0.10 THEN lower(replace(p.postcode, ' ', ''))
                    ELSE p.postcode END,
               CASE WHEN s.size_band IS NOT NULL THEN lpad(CAST(s.o AS VARCHAR), 8, '0') END,
               CASE WHEN s.class = 'vcse' AND u(s.o, 34) < 0.6 THEN CAST(1000000 + s.o AS VARCHAR) END,
               s.payees, s.members, s.min_probability,
               CASE WHEN NOT s.has_postcode THEN NULL WHEN s.size_band IS NOT NULL THEN 'companies-house'
                    WHEN s.class = 'vcse' THEN 'charities' ELSE 'member list' END,
               CASE WHEN s.size_band IS NOT NULL THEN 'GB-COH-' || lpad(CAST(s.o AS VARCHAR), 8, '0') END,
               CASE WHEN s.size_band IS NOT NULL THEN 'Active' END,
               s.size_band,
               CASE WHEN s.size_band IS NOT NULL THEN [{_list(SIC)}[CAST(floor(u(s.o, 35) * {len(SIC)})
                    AS INTEGER) + 1]] END,
               CASE WHEN s.size_band IN ('micro', 'small', 'medium') THEN true
                    WHEN s.size_band IN ('large', 'dormant') THEN false
                    WHEN s.class IN ('vcse', 'unknown', 'individual') AND u(s.o, 36) < 0.15 THEN u(s.o, 37) < 0.8
                    END,
               CASE WHEN s.size_band IS NOT NULL THEN 0.95 + 0.05 * u(s.o, 38) END
        FROM sized s LEFT JOIN _pool p USING (pool_idx)
    """)

    # how payments pick their payee: per member, payees in order of popularity -----------------------
    n_cat, n_pcat, n_area = len(CATEGORIES), len(PERSONAL_CATEGORIES), len(SERVICE_AREAS)
    step("payee popularity", f"""
        CREATE TEMP TABLE _pick AS
        WITH q AS (
            SELECT *, CASE WHEN class = 'redacted' THEN 'redacted' WHEN NOT matchable THEN 'personal'
                           ELSE 'org' END AS kind
            FROM payees
        )
        SELECT q.member_id, q.kind,
               row_number() OVER (PARTITION BY q.member_id, q.kind ORDER BY hash(q.payee_id, {int(seed)})) - 1
                   AS idx,
               q.supplier_name, CASE WHEN m.has_refs THEN q.supplier_ref END AS record_ref,
               CAST(floor(pow(u(coalesce(q.entity_id, q.payee_id), 21), 2) * {n_cat}) AS INTEGER) AS cat_idx
        FROM q JOIN _members m USING (member_id);
        CREATE TEMP TABLE _mk AS
        SELECT member_id, count(*) FILTER (WHERE kind = 'org') AS n_org,
               count(*) FILTER (WHERE kind = 'personal') AS n_personal
        FROM _pick GROUP BY member_id;
    """)

    # the payments -----------------------------------------------------------------------------------
    cats = _list([c for c, _ in CATEGORIES] + [c for c, _ in PERSONAL_CATEGORIES])
    codes = _list([c for _, c in CATEGORIES] + [c for _, c in PERSONAL_CATEGORIES])
    k_red, k_per, k_unres = REDACTED, REDACTED + PERSONAL, REDACTED + PERSONAL + UNRESOLVED
    step("payments (records)", f"""
        INSERT INTO records (file_id, member_id, part_no, source_line, status, reason, record_type, payment_date,
                             period_start, period_end, amount, supplier_name, supplier_ref, category,
                             service_area, expense_code, transaction_ref, capital_revenue, body, date_raw,
                             amount_raw, flags, raw)
        WITH g AS (
            SELECT f.file_id, f.member_id, f.period_start, i, i - f.start_row + 2 AS source_line,
                   u(i, 1) AS u_kind, u(i, 2) AS u_pick,
                   f.period_start + CAST(floor(u(i, 3) * (f.period_end - f.period_start + 1)) AS INTEGER) AS d0,
                   (i - f.start_row) % {QUARANTINE_EVERY} = {QUARANTINE_EVERY - 1} AS quarantined,
                   u(i, 12) < {PLACEHOLDER_DATES} AS placeholder
            FROM _fplan f, range(f.start_row, f.end_row) t(i)
        ), k AS (
            SELECT g.*, CASE WHEN u_kind < {k_red} THEN 'redacted' WHEN u_kind < {k_per} THEN 'personal'
                             WHEN u_kind < {k_unres} THEN 'unresolved' ELSE 'org' END AS kind,
                   greatest(period_start, d0 - CASE dayofweek(d0) WHEN 6 THEN 1 WHEN 0 THEN 2 ELSE 0 END) AS d,
                   -- log-normal amounts (median about 1,100), 1.5% credits
                   round(least(exp(ln(1100) + 1.5 * sqrt(-2 * ln(1 - u(i, 7))) * cos(2 * pi() * u(i, 8))),
                               4000000) * CASE WHEN u(i, 11) < {CREDITS} THEN -0.5 ELSE 1 END, 2) AS amt
            FROM g
        ), picked AS (
            SELECT k.*, CAST(CASE kind WHEN 'org' THEN floor(c.n_org * pow(u_pick, 4))
                                       WHEN 'personal' THEN floor(c.n_personal * u_pick) ELSE 0 END AS BIGINT)
                        AS idx
            FROM k JOIN _mk c USING (member_id)
        ), j AS (
            SELECT x.*, p.supplier_name AS p_name, p.record_ref,
                   CASE WHEN x.kind IN ('personal', 'redacted')
                        THEN {n_cat} + CAST(floor(u(x.i, 4) * {n_pcat}) AS INTEGER)
                        WHEN u(x.i, 5) < 0.75 AND p.cat_idx IS NOT NULL THEN p.cat_idx
                        ELSE CAST(floor(pow(u(x.i, 4), 2) * {n_cat}) AS INTEGER) END + 1 AS cat_no,
                   CAST(floor(pow(u(x.i, 6), 1.5) * {n_area}) AS INTEGER) + 1 AS area_no,
                   m.name AS body
            FROM picked x
            LEFT JOIN _pick p ON p.member_id = x.member_id AND p.kind = x.kind AND p.idx = x.idx
            JOIN _members m ON m.member_id = x.member_id
        ), v AS (
            SELECT *, coalesce(p_name, 'NEW SUPPLIER ' || (i % 3000)) AS supplier_name,
                   {cats}[cat_no] AS category, {_list(SERVICE_AREAS)}[area_no] AS service_area,
                   {codes}[cat_no] AS expense_code,
                   CAST(40000000 + i AS VARCHAR) || '_1' AS transaction_ref,
                   CASE WHEN u(i, 9) < 0.05 THEN 'Capital' ELSE 'Revenue' END AS capital_revenue,
                   CASE WHEN placeholder THEN '00:00:00' ELSE strftime(d, '%d/%m/%Y') END AS date_raw
            FROM j
        )
        SELECT file_id, member_id, 0, source_line,
               CASE WHEN quarantined THEN 'quarantined' ELSE 'loaded' END,
               CASE WHEN quarantined THEN 'amount is not a number: TBC' END,
               CASE WHEN NOT quarantined THEN 'payment' END,
               CASE WHEN NOT quarantined AND NOT placeholder THEN d END,
               CASE WHEN NOT quarantined AND placeholder THEN CAST(date_trunc('quarter', d) AS DATE) END,
               CASE WHEN NOT quarantined AND placeholder
                    THEN CAST(date_trunc('quarter', d) + INTERVAL 3 MONTH - INTERVAL 1 DAY AS DATE) END,
               CASE WHEN NOT quarantined THEN amt END,
               supplier_name, record_ref, category, service_area, expense_code, transaction_ref, capital_revenue,
               body, date_raw,
               CASE WHEN quarantined THEN 'TBC' ELSE CAST(amt AS VARCHAR) END,
               CASE WHEN quarantined THEN [] ELSE list_filter([
                   CASE WHEN placeholder THEN 'placeholder_date' END,
                   CASE WHEN amt < 0 THEN 'credit' END,
                   CASE WHEN amt > 0 AND amt < 500 THEN 'under_500' END,
                   CASE WHEN kind = 'redacted' THEN 'redacted_payee' END,
                   CASE WHEN kind = 'personal' THEN 'individual_payee' END], lambda x: x IS NOT NULL) END,
               CASE WHEN quarantined THEN [body, service_area, category, expense_code, date_raw, transaction_ref,
                                           'TBC', capital_revenue, record_ref, supplier_name] END
        FROM v
    """)

    step("line accounting (file_parts)", """
        INSERT INTO file_parts (file_id, part_no, sheet, header_line, header_json, lines_total, lines_header,
                                lines_blank, lines_nondata, lines_continuation, rows_loaded, rows_quarantined)
        SELECT file_id, 0, NULL, 1,
               '["Body Name", "Service Area", "Expenditure Category", "Expenditure Code", "Paid Date", '
               || '"Trans No", "Amount", "Capital/Revenue", "Supplier ID", "Supplier Name"]',
               count(*) + 1, 1, 0, 0, 0, count(*) FILTER (WHERE status = 'loaded'),
               count(*) FILTER (WHERE status = 'quarantined')
        FROM records GROUP BY file_id
    """)

    def place() -> None:
        set_place(ws, PLACE[0], [parse_tier(t) for t in PLACE[1]])

    step("place (set_place)", fn=place)
    step("checkpoint", "CHECKPOINT")

    facts = dict(zip(
        ["members", "files", "records", "payments", "payments_total", "quarantined", "placeholder_dates",
         "payees", "personal_payees", "supplier_entities", "entities_with_postcode", "lookup_postcodes",
         "unresolved_payments"],
        con.execute("""
            SELECT (SELECT count(*) FROM members), (SELECT count(*) FROM files), (SELECT count(*) FROM records),
                   (SELECT count(*) FROM records WHERE status = 'loaded'),
                   (SELECT sum(amount) FROM records WHERE status = 'loaded'),
                   (SELECT count(*) FROM records WHERE status = 'quarantined'),
                   (SELECT count(*) FROM records WHERE status = 'loaded' AND payment_date IS NULL),
                   (SELECT count(*) FROM payees), (SELECT count(*) FROM payees WHERE NOT matchable),
                   (SELECT count(*) FROM supplier_entities),
                   (SELECT count(postcode) FROM supplier_entities), (SELECT count(*) FROM postcodes),
                   (SELECT count(*) FROM records r WHERE status = 'loaded' AND NOT EXISTS (
                        SELECT 1 FROM payees q WHERE q.member_id = r.member_id
                        AND q.supplier_name = r.supplier_name AND q.supplier_ref = coalesce(r.supplier_ref, '')))
        """).fetchone(), strict=True))
    facts["payments_total"] = float(facts["payments_total"] or 0)
    ws.close()
    facts["database_mb"] = sum(f.stat().st_size for f in ws_path.iterdir() if f.is_file()) / 2**20
    return {"facts": facts, "timings": timings, "params": {k: v for k, v in p.items() if k != "files"}}


# -- the analysis ---------------------------------------------------------------------------------


class _TimedConnection:
    """A DuckDB connection that notes how long each statement takes (``--profile``)."""

    def __init__(self, con, log: list, step: list):
        self._con, self._log, self._step = con, log, step

    def execute(self, sql, *args, **kwargs):
        t0 = time.perf_counter()
        result = self._con.execute(sql, *args, **kwargs)
        self._log.append({"step": self._step[0], "seconds": time.perf_counter() - t0, "sql": sql,
                          "params": args[0] if args else None})
        return result

    def __getattr__(self, name):
        return getattr(self._con, name)


def _operators(node, out: list, depth: int = 0) -> None:
    if isinstance(node, list):
        for item in node:
            _operators(item, out, depth)
        return
    if not isinstance(node, dict):
        return
    name = node.get("name") or node.get("operator_name") or node.get("operator_type")
    timing = node.get("timing", node.get("operator_timing"))
    if name and timing is not None:
        rows = node.get("intermediate_rows", node.get("operator_cardinality"))
        info = node.get("extra_info") or {}
        detail = ""
        if isinstance(info, dict):
            for key in ("Aggregates", "Conditions", "Join Type", "Groups", "Table", "Function", "Projections",
                        "Expression", "Filters"):
                if key in info:
                    value = info[key]
                    value = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
                    detail += f"{key}: {value[:110]}; "
        out.append({"operator": name, "seconds": float(timing), "rows": rows, "depth": depth,
                    "detail": detail.strip("; ")})
    for child in node.get("children", []) or []:
        _operators(child, out, depth + 1)


def _explain(con, sql: str, params, work: Path) -> dict:
    """DuckDB's profile of one statement: its time, peak memory and its slowest operators."""
    target = work / "profile.json"
    con.execute("SET enable_profiling = 'json'")
    con.execute(f"SET profiling_output = '{target}'")
    try:
        t0 = time.perf_counter()
        if params is not None:
            con.execute(sql, params)
        else:
            con.execute(sql)
        con.fetchall()
        seconds = time.perf_counter() - t0
    finally:
        con.execute("RESET enable_profiling")
    data = json.loads(target.read_text())
    ops: list = []
    _operators(data.get("operator") or data, ops)
    query = data.get("query") if isinstance(data.get("query"), dict) else {}
    system = data.get("system") if isinstance(data.get("system"), dict) else {}
    return {"seconds": seconds, "cpu_s": query.get("cpu_time"),
            "peak_buffer_mb": (system.get("peak_buffer_memory") or 0) / 2**20 or None,
            "operators": sorted(ops, key=lambda o: -o["seconds"])[:8]}


def _label(sql: str) -> str:
    """A short name for an analysis statement: the figure it computes."""
    flat = " ".join(sql.split())
    for marker, label in (
        ("AS unresolved_payments", "headline: totals, SME, VCSE, located (count DISTINCT)"),
        ("excluded_by AS rule", "headline: exclusions by rule"),
        ("FROM records r WHERE r.file_id IN", "file_quality (line accounting, flags)"),
        ("AS d1", "deprivation"),
        ("AS infl, coalesce(sum(amount) FILTER (WHERE excluded_by IS NULL AND \"", "local shares per tier"),
        ("NOT (span_start >=", "outside_window"), ("list(DISTINCT member", "shared_suppliers"),
        ("GROUP BY entity_id ORDER BY spend DESC", "top_suppliers"), ("AS outside,", "leakage"),
        ("AS period, count(*)", "trend"), ("_analysis_locations AS", "Analysis(): locate suppliers"),
        ("FROM companies", "opportunities: firms"),
    ):
        if marker in flat:
            return label
    if "coalesce(member, '(not given)')" in flat or "coalesce(member," in flat:
        return "by member"
    if "coalesce(category, '(not given)') AS category, count(*)" in flat:
        return "by category"
    if "coalesce(service_area" in flat:
        return "by service area"
    return flat[:70]


def analyse(ws_path: Path, work: Path, profile: bool, log) -> dict:
    from anchornet import Workspace
    from anchornet.analysis.metrics import Analysis, Scope
    from anchornet.analysis.periods import parse_analysis_period
    from anchornet.reports.annual import write_report

    reports = work / "reports"
    reports.mkdir(exist_ok=True)
    t0, c0 = time.perf_counter(), _cpu_s()
    ws = Workspace(ws_path, read_only=True)
    ws.con.execute("SET enable_progress_bar = false")
    open_s = time.perf_counter() - t0
    statements: list = []
    current = [""]
    if profile:
        ws.con = _TimedConnection(ws.con, statements, current)
    steps: list[dict] = []
    results: dict = {}
    state: dict = {}
    scope = Scope(members=[ONE_MEMBER], period=parse_analysis_period(ONE_YEAR))

    def run(label: str, fn) -> None:
        current[0] = label
        s0, sc = time.perf_counter(), _cpu_s()
        value = fn()
        steps.append({"step": label, "seconds": time.perf_counter() - s0, "cpu_s": _cpu_s() - sc,
                      "peak_rss_mb": _max_rss_mb()})
        results[label] = value
        log(f"    {label}: {steps[-1]['seconds']:.1f} s (cpu {steps[-1]['cpu_s']:.1f} s), "
            f"peak RSS {steps[-1]['peak_rss_mb'] or 0:,.0f} MB")

    def construct():
        state["a"] = Analysis(ws)

    def report(name: str, public: bool = False):
        path = write_report(ws, reports / name, public=public)
        return path.stat().st_size

    run("Analysis(ws): locate suppliers", construct)
    a = state["a"]
    run("headline()", a.headline)
    run("by('category')", lambda: a.by("category"))
    run("top_suppliers(300)", lambda: a.top_suppliers(300))
    run("shared_suppliers()", a.shared_suppliers)
    run("leakage()", a.leakage)
    run("trend('quarter')", lambda: a.trend("quarter"))
    run(f"headline(): {ONE_MEMBER}, {ONE_YEAR}", lambda: Analysis(ws, scope).headline())
    run("write_report: HTML", lambda: report("report.html"))
    run("write_report: PDF", lambda: report("report.pdf"))
    run("write_report: XLSX", lambda: report("report.xlsx"))
    run("write_report: public HTML", lambda: report("report-public.html", public=True))
    total_s, total_cpu = time.perf_counter() - t0, _cpu_s() - c0

    h = results["headline()"]
    one = results[f"headline(): {ONE_MEMBER}, {ONE_YEAR}"]
    trend = results["trend('quarter')"]
    figures = {
        "payments": h["payments"], "total_spend": h["total_spend"],
        "influenceable_spend": h["influenceable_spend"], "suppliers": h["suppliers"],
        "personal_payees": h["personal_payees"], "unresolved_payments": h["unresolved_payments"],
        "excluded": {e["rule"]: round(e["amount"], 2) for e in h["excluded"]},
        "sme_share": h["sme"]["share"], "sme_coverage": h["sme"]["coverage"],
        "vcse_share": h["vcse"]["share"], "located_share": h["located"]["share"],
        "local": {t["tier"]: {"share": t["share"], "coverage": t["coverage"]} for t in h["local"]},
        "most_deprived_10pc": h["deprivation"]["most_deprived_10pc"]["share"],
        "categories": len(results["by('category')"]),
        "top_supplier_spend": results["top_suppliers(300)"][0]["spend"] if results["top_suppliers(300)"] else None,
        "quarters": len(trend["periods"]), "not_placeable_by_quarter": trend["not_placeable_at_this_grain"],
        "one_member_year": {"payments": one["payments"], "influenceable_spend": one["influenceable_spend"],
                            "outside_window": one["outside_window"]},
        "report_bytes": {k.split(": ", 1)[1]: v for k, v in results.items() if k.startswith("write_report")},
    }
    out = {"open_s": open_s, "steps": steps, "total_s": total_s, "total_cpu_s": total_cpu,
           "peak_rss_mb": _max_rss_mb(), "figures": figures}
    if profile:
        ws.con = ws.con._con
        for s in statements:
            s["label"] = _label(s["sql"])
        slowest = sorted(statements, key=lambda s: -s["seconds"])
        out["statements"] = [{k: s[k] for k in ("step", "label", "seconds")} for s in slowest[:25]]
        by_label: dict[str, dict] = {}
        for s in statements:
            agg = by_label.setdefault(s["label"], {"count": 0, "seconds": 0.0})
            agg["count"] += 1
            agg["seconds"] += s["seconds"]
        out["statements_by_figure"] = dict(sorted(by_label.items(), key=lambda kv: -kv[1]["seconds"]))
        explained, seen = [], set()
        for s in slowest:
            if s["label"] in seen or len(explained) >= 3:
                continue
            seen.add(s["label"])
            log(f"    profiling: {s['label']} ...")
            explained.append({"label": s["label"], "step": s["step"],
                              **_explain(ws.con, s["sql"], s["params"], work)})
        out["explained"] = explained
    ws.close()
    return out


# -- the benchmark ----------------------------------------------------------------------------------


def _run_stage(stage: str, args, ws_path: Path, work: Path) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--_stage", stage, "--_ws", str(ws_path),
           "--work", str(work), "--payments", str(args.payments), "--seed", str(args.seed)]
    if args.suppliers:
        cmd += ["--suppliers", str(args.suppliers)]
    if args.profile:
        cmd.append("--profile")
    load = _load()
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"the {stage} stage failed (exit {proc.returncode})")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result.update({"process_s": seconds, "load_average_before": load, "load_average_after": _load()})
    return result


def _check(build: dict, analysis: dict) -> list[str]:
    facts, fig = build["facts"], analysis["figures"]
    problems = []
    if fig["payments"] != facts["payments"]:
        problems.append(f"headline payments {fig['payments']:,} but the records hold {facts['payments']:,}")
    if abs(fig["total_spend"] - facts["payments_total"]) > 0.005:
        problems.append(f"headline total {fig['total_spend']:,.2f} but the records sum to "
                        f"{facts['payments_total']:,.2f}")
    if fig["unresolved_payments"] != facts["unresolved_payments"]:
        problems.append(f"headline unresolved payments {fig['unresolved_payments']:,} but "
                        f"{facts['unresolved_payments']:,} payments match no payee")
    if not all(fig["report_bytes"].values()):
        problems.append("a report is empty")
    return problems


def _machine() -> dict:
    cpu = None
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        memory = None
    import duckdb

    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_gb": memory, "python": platform.python_version(),
            "duckdb": duckdb.__version__}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--payments", type=int, default=FULL_PAYMENTS, help="loaded payments (10,000,000)")
    parser.add_argument("--suppliers", type=int, default=None,
                        help="supplier entities (150,000 at full size; scaled down for fewer payments)")
    parser.add_argument("--seed", type=int, default=SEED, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help="build the workspace and write the reports here")
    parser.add_argument("--keep", action="store_true", help="keep the workspace and the reports")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--profile", action="store_true",
                        help="time every SQL statement and show DuckDB's profile of the slowest")
    parser.add_argument("--_stage", help=argparse.SUPPRESS)
    parser.add_argument("--_ws", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args._stage:
        def err(*a):
            print(*a, file=sys.stderr, flush=True)

        if args._stage == "build":
            t0, c0 = time.perf_counter(), _cpu_s()
            out = build(args._ws, args.payments, args.suppliers, args.seed, err)
            out.update({"seconds": time.perf_counter() - t0, "cpu_s": _cpu_s() - c0, "peak_rss_mb": _max_rss_mb()})
        else:
            out = analyse(args._ws, args.work, args.profile, err)
        print(json.dumps(out, default=str))
        return 0

    log = (lambda *a: print(*a, file=sys.stderr, flush=True)) if args.json else \
        (lambda *a: print(*a, flush=True))
    own_dir = args.work is None
    work = Path(tempfile.mkdtemp(prefix="anchornet-analysis-bench-")) if own_dir else args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    ws_path = work / "workspace"
    try:
        shutil.rmtree(ws_path, ignore_errors=True)
        log(f"building a workspace of {args.payments:,} payments in {ws_path} ...")
        built = _run_stage("build", args, ws_path, work)
        log(f"  built in {built['seconds']:.1f} s ({built['facts']['database_mb']:,.0f} MB); analysing ...")
        analysed = _run_stage("analyse", args, ws_path, work)
        problems = _check(built, analysed)
        results = {"date": dt.date.today().isoformat(), "machine": _machine(), "build": built,
                   "analysis": analysed, "problems": problems}
        if args.json:
            print(json.dumps(results, indent=2, default=str))
        else:
            _report(results)
        return 1 if problems else 0
    finally:
        if args.keep:
            log(f"kept {work}")
        elif own_dir:
            shutil.rmtree(work, ignore_errors=True)
        else:
            shutil.rmtree(ws_path, ignore_errors=True)
            shutil.rmtree(work / "reports", ignore_errors=True)
            with contextlib.suppress(FileNotFoundError):
                (work / "profile.json").unlink()


def _money(value: float) -> str:
    for unit, div in (("bn", 1e9), ("m", 1e6), ("k", 1e3)):
        if abs(value) >= div:
            return f"£{value / div:,.1f}{unit}"
    return f"£{value:,.0f}"


def _pct(value) -> str:
    return "unknown" if value is None else f"{value:.1%}"


def _report(r: dict) -> None:
    b, a, m = r["build"], r["analysis"], r["machine"]
    f, fig = b["facts"], a["figures"]
    print()
    print(f"{f['payments']:,} payments (+{f['quarantined']:,} quarantined records; {f['placeholder_dates']:,} "
          f"with a placeholder date) in {f['files']} files of {f['members']} members; {f['payees']:,} payees "
          f"({f['personal_payees']:,} personal) in {f['supplier_entities']:,} supplier entities "
          f"({f['entities_with_postcode']:,} with a postcode); {f['lookup_postcodes']:,} postcodes in the lookup; "
          f"database {f['database_mb']:,.0f} MB")
    print(f"machine: {m['cpus']} CPUs ({m['cpu'] or '?'}), {m['memory_gb'] or 0:.0f} GB; DuckDB {m['duckdb']}, "
          f"Python {m['python']}; {r['date']}")
    print(f"load average: {b['load_average_before'] or 0:.1f} before the build, "
          f"{a['load_average_before'] or 0:.1f} before the analysis, {a['load_average_after'] or 0:.1f} after")
    print(f"\nbuild (apart): {b['seconds']:.1f} s wall, {b['cpu_s']:.1f} s cpu, peak RSS "
          f"{b['peak_rss_mb'] or 0:,.0f} MB")
    for label, secs in b["timings"].items():
        print(f"    {label:<40} {secs:7.1f}s")
    print(f"\nanalysis (one process, workspace opened read-only in {a['open_s']:.2f} s):")
    print(f"  {'step':<56} {'wall':>8} {'cpu':>8} {'peak RSS':>10}")
    for s in a["steps"]:
        print(f"  {s['step']:<56} {s['seconds']:7.1f}s {s['cpu_s']:7.1f}s {s['peak_rss_mb'] or 0:>7,.0f} MB")
    print(f"  {'total':<56} {a['total_s']:7.1f}s {a['total_cpu_s']:7.1f}s {a['peak_rss_mb'] or 0:>7,.0f} MB")
    print("  (peak RSS is the process's peak so far: ru_maxrss)")
    print(f"\nfigures: total {_money(fig['total_spend'])}, influenceable {_money(fig['influenceable_spend'])} "
          f"({fig['suppliers']:,} suppliers, {fig['personal_payees']:,} personal payees, "
          f"{fig['unresolved_payments']:,} unresolved payments)")
    print(f"  SME {_pct(fig['sme_share'])} (coverage {_pct(fig['sme_coverage'])}), VCSE {_pct(fig['vcse_share'])}, "
          f"located {_pct(fig['located_share'])}, "
          + ", ".join(f"local ({t}) {_pct(v['share'])} (coverage {_pct(v['coverage'])})"
                      for t, v in fig["local"].items())
          + f", most deprived 10% {_pct(fig['most_deprived_10pc'])}")
    print(f"  {fig['quarters']} quarters; {ONE_MEMBER}, {ONE_YEAR}: {fig['one_member_year']['payments']:,} payments, "
          f"influenceable {_money(fig['one_member_year']['influenceable_spend'])}")
    print("  reports: " + ", ".join(f"{k} {v / 1024:,.0f} KB" for k, v in fig["report_bytes"].items()))
    load = a.get("load_average_after")
    if load is not None and m["cpus"] and load > 0.5 * m["cpus"]:
        print(f"  note: load average {load:.1f} on {m['cpus']} CPUs: wall times are inflated; see the cpu column")
    if "statements" in a:
        print("\nSQL statements by figure (all steps):")
        for label, agg in a["statements_by_figure"].items():
            print(f"  {label:<58} {agg['count']:>4}x {agg['seconds']:8.1f}s")
        print("\nslowest statements:")
        for s in a["statements"][:12]:
            print(f"  {s['seconds']:7.1f}s  {s['label']:<56} (in {s['step']})")
        for e in a["explained"]:
            peak = f", DuckDB peak buffer {e['peak_buffer_mb']:,.0f} MB" if e.get("peak_buffer_mb") else ""
            print(f"\nprofile of '{e['label']}' (from {e['step']}): {e['seconds']:.1f} s, cpu "
                  f"{e['cpu_s'] or 0:.1f} s{peak}; slowest operators:")
            for o in e["operators"]:
                rows = f"{o['rows']:,}" if isinstance(o["rows"], int) else str(o["rows"])
                print(f"  {o['seconds']:7.2f}s  {o['operator']:<22} rows {rows:>12}  {o['detail'][:120]}")
    if r["problems"]:
        print("\nCHECK FAILED:")
        for p in r["problems"]:
            print(f"  {p}")
    else:
        print(f"\ncheck: the headline counts the {f['payments']:,} loaded payments and their exact total, and "
              f"the {f['unresolved_payments']:,} that match no payee")


if __name__ == "__main__":
    sys.exit(main())
