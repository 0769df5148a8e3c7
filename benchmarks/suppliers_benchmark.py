"""Benchmark: resolve 100,000 distinct supplier names and link them to a 5M-row register.

Generates, with a fixed seed, in a temporary directory (or ``--work DIR``):

* a payments CSV in the Oxford City Council layout whose supplier names are
  ``--names`` (100,000) distinct names: about 60% as many base organisations, each
  written one to four ways (case, LTD/LIMITED/Ltd./none, '&' or AND, a leading
  THE, a one-letter typo, a dropped word (never leaving one bare word), '(UK)',
  'X T/A Y', truncation at 30 characters), personal names ('MR J SMITH') and redacted rows; each base
  organisation has a supplier id used on 90% of its rows (``--stable-ids``), the
  rest carry one-off ids, as Oxford's ``20000000_nnnn``;
* a Companies House BasicCompanyData CSV in the published layout with
  ``--register-rows`` (5,000,000) rows: synthetic companies, and the legal names
  (with postcodes) of about 70% of the base organisations, a few of them renamed
  (the payment name is then a previous name);
* the truth: which base organisation each name belongs to.

Then it times, each stage in its own process (so each has its own peak memory):
``ingest_file`` of the payments, ``load_companies_house``, a first ``resolve(ws)``
(resolution and linking) and a second, incremental one with nothing new. It prints
the times (by stage of the resolution), peak memory, entities, linked entities,
the resolution's pairwise precision and recall against the truth, the links'
precision and recall, and the verdict on the targets: resolution under 60 s,
linking under 10 minutes, peak memory well inside 24 GB (at most half).
It exits 0 when a target is missed (and says so), 1 when a stage fails.

    .venv/bin/python benchmarks/suppliers_benchmark.py [--names N] [--register-rows N]
        [--rows N] [--stable-ids F] [--work DIR] [--keep] [--json] [--profile]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from anchornet.registers.companies_house import PUBLISHED_HEADER as CH_HEADER

SEED = 20240501
GENERATOR_VERSION = 1  # part of the reuse check: bump when the generated files change
MEMBER = "Oxford City Council"
RESOLVE_TARGET_S = 60.0
LINK_TARGET_S = 600.0
MACHINE_MEMORY_GB = 24.0
MEMORY_TARGET_GB = MACHINE_MEMORY_GB / 2  # "well inside": at most half the machine
BASE_SHARE = 0.6  # base organisations per distinct name
PERSONAL_SHARE = 0.03  # distinct names that are people
REDACTED_ROW_SHARE = 0.03  # rows whose payee is redacted
REGISTER_SHARE = 0.70  # base organisations in the register
RENAMED_SHARE = 0.08  # of those, registered under a new name (the old one a previous name)

HEADER = (
    "Body Name,Organisational Unit,Expenditure Category,Expenditure Code,Paid Date,"
    "Trans No,Amount,Type,Supplier ID,Supplier Name"
)

# -- vocabulary ---------------------------------------------------------------------------

_PRE = (
    "ASH BRAD BRAM CAR CHEL DUN EL FAIR GLEN HAR HOLM KEN LANG MAR NEW OAK PEN RED ROCK SAL SHER "
    "STAN THORN WAL WEST WHIT WIN YAR ALD BEL BIR BROOK CLAY CROM DAL EAST FERN GRAN HAL HAW KING "
    "LIN MEL MILL NOR PAR PRES RAY ROS SEL SOUTH STOW TAM UP WAR WEL WOOD AMBER BLACK BURN CRAN"
).split()
_SUF = (
    "FORD TON LEY HAM WOOD FIELD BURY WELL SIDE MORE DALE WICK STEAD COMBE HURST CASTER MOUTH "
    "BRIDGE STONE WORTH BY THORPE GATE HOLME LAND MERE SHAW CROFT DON LOW MINSTER PORT VALE WAY "
    "BECK FORTH"
).split()
SURNAMES = (
    "SMITH JONES TAYLOR BROWN WILLIAMS WILSON JOHNSON DAVIES ROBINSON WRIGHT THOMPSON EVANS WALKER "
    "WHITE ROBERTS GREEN HALL WOOD JACKSON CLARKE PATEL KHAN AHMED HUGHES EDWARDS HILL MOORE LEWIS "
    "HARRIS MARTIN COOPER KING LEE MORGAN BAKER TURNER PARKER COLLINS HARRISON MITCHELL CARTER "
    "PHILLIPS BENNETT SHAW COOK SHAH BAILEY RICHARDSON COX MARSHALL GRAY FOSTER MURPHY HAVARD "
    "LONSDALE BIRD ANDERS OKAFOR NOWAK SINGH"
).split()
_DESCRIPTIVE = (
    "NORTH SOUTHERN NORTHERN WESTERN EASTERN CENTRAL PREMIER APEX SUMMIT CROWN ROYAL ALLIED UNITED "
    "NATIONAL REGIONAL CITY COUNTY GREEN BLUE RED OAK ELM ASH BIRCH WILLOW CEDAR MERIDIAN COBALT "
    "PHOENIX FALCON EAGLE ORCHARD MEADOW RIVERSIDE VALLEY HIGHLAND COASTAL THAMES CHILTERN COTSWOLD "
    "CHERWELL ISIS OXFORD"
).split()
FIRST_NAMES = (
    "JOHN DAVID SARAH EMMA JAMES HELEN PAUL CLAIRE MARK RACHEL PETER LUCY ANDREW KATE SIMON AMY "
    "RICHARD LAURA MICHAEL SOPHIE"
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
    "DECORATORS", "TREE SURGEONS", "EVENTS", "PRODUCTIONS", "AUDIO VISUAL", "TRAVEL", "HOTELS",
    "INSURANCE SERVICES", "FINANCIAL SERVICES", "ENERGY", "SOLAR", "WATER SERVICES", "HOLDINGS",
    "GROUP", "TRADING", "ENTERPRISES", "SUPPLIES", "SYSTEMS", "TECHNOLOGIES", "INTERNATIONAL",
]
VCSE_KINDS = [
    "COMMUNITY ASSOCIATION", "TRUST", "FOUNDATION", "YOUTH CLUB", "FOOD BANK", "CARERS CENTRE",
    "ARTS TRUST", "SPORTS CLUB", "RESIDENTS ASSOCIATION", "COMMUNITY CENTRE", "DEVELOPMENT TRUST",
    "HOUSING ASSOCIATION", "PRESCHOOL", "SCOUT GROUP", "CRICKET CLUB", "FOOTBALL CLUB",
    "HISTORY SOCIETY", "ALLOTMENT SOCIETY", "MENTAL HEALTH SUPPORT", "BEFRIENDING SCHEME",
]
PUBLIC_KINDS = ["PARISH COUNCIL", "TOWN COUNCIL", "PRIMARY SCHOOL", "ACADEMY", "COLLEGE", "DISTRICT COUNCIL"]
UNITS = [
    "Direct Services", "HRA", '"Leisure, Parks & Communities"', "Housing and Property",
    "Regeneration and Major Projects Team", "Environmental Development",
    "Business Improvement & Technology", '"Policy, Culture and Communication"', "Finance", "ICT",
]
CATEGORIES = [
    ("Materials", "D3021"), ("General Contracted Services", "D3401"), ("Main Contractor", "Y021"),
    ("Consultants Fees", "D3411"), ("Direct Services Sub Contractors", "B1111"), ("Electricity", "B1501"),
    ("Services Maintenance (Planned)", "B1103"), ("Grants", "D3701"), ("Hardware Purchase", "D3520"),
    ("Software Maintenance/Running Costs", "D3513"), ("Reactive Maintenance & Minor Repairs", "B1101"),
    ("Short Courses", "A0622"), ("General Stationery Supplies", "D3301"), ("Advertising & Publicity", "D3802"),
    ("Counsel & External Legal Fees", "D3417"), ("Subscriptions", "D3703"), ("Tipping Charges", "D3421"),
    ("Temporary Bureau Staffing", "A0108"), ("Furniture & Equipment Purchase", "D3001"),
    ("Vehicle Excise Licences", "C2202"), ("Catering", "D3305"), ("Security Services", "D3405"),
]
AREAS = ["OX", "RG", "SN", "HP", "MK", "GL", "CV", "NN", "B", "M", "LS", "NE", "SW", "EC", "BS", "CF", "EH", "BT"]
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
REDACTED_LABEL = "Redacted personal data"
ONE_OFF_PREFIX = "20000000_"


def vocabulary() -> list[str]:
    words = sorted({p + s for p in _PRE for s in _SUF} | set(SURNAMES) | set(_DESCRIPTIVE))
    return [w for w in words if w not in ("THE", "TA", "CO", "AND")]


def _csv_field(value: str) -> str:
    if any(ch in value for ch in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


# -- base organisations and their names -----------------------------------------------------


@dataclass
class Org:
    org_id: int
    kind: str  # company | vcse | public | trader
    words: list[str]  # the name's words before its legal form; '&' is a word
    suffix: str  # legal form as registered: LIMITED, LTD, PLC, LLP, CIC or ''
    ref: str
    categories: list[int]
    brand: str | None = None
    in_register: bool = False
    renamed_to: str | None = None
    company_number: str | None = None
    postcode: str | None = None
    names: list[tuple[str, str]] = field(default_factory=list)  # (name, ops)

    @property
    def core(self) -> str:
        return " ".join(self.words)

    @property
    def legal_name(self) -> str:
        return f"{self.core} {self.suffix}".strip()


def _postcode(rng: random.Random) -> str:
    return (f"{rng.choice(AREAS)}{rng.randint(1, 20)} {rng.randint(0, 9)}"
            f"{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}")


def make_orgs(rng: random.Random, n: int, vocab: list[str]) -> list[Org]:
    """``n`` base organisations with distinct names; first words follow a Zipf-like law."""
    ranked = vocab[:]
    rng.shuffle(ranked)
    cum, total = [], 0.0
    for rank in range(len(ranked)):
        total += 1.0 / (rank + 8)
        cum.append(total)

    def word() -> str:
        return rng.choices(ranked, cum_weights=cum)[0]

    orgs: list[Org] = []
    cores: set[str] = set()
    while len(orgs) < n:
        roll = rng.random()
        if roll < 0.76:
            kind = "company"
            if rng.random() < 0.06:
                words = [rng.choice(SURNAMES), "&", rng.choice(SURNAMES)]
            else:
                words = [word()] + ([rng.choice(vocab)] if rng.random() < 0.35 else [])
            words += rng.choice(TRADES).split()
            suffix = rng.choices(["LIMITED", "LTD", "PLC", "LLP", ""], [55, 30, 2, 4, 9])[0]
        elif roll < 0.88:
            kind = "vcse"
            words = [word()] + ([rng.choice(vocab)] if rng.random() < 0.2 else []) + rng.choice(VCSE_KINDS).split()
            suffix = "CIC" if rng.random() < 0.2 else ""
        elif roll < 0.91:
            kind = "public"
            words = [word()] + rng.choice(PUBLIC_KINDS).split()
            suffix = ""
        else:
            kind = "trader"  # a small firm without a legal form: 'SHAH PLUMBING', 'COX & SON'
            words = ([rng.choice(SURNAMES), "&", rng.choice(["SON", "SONS", "DAUGHTERS"])] if rng.random() < 0.3
                     else [word()] + rng.choice(TRADES).split())
            suffix = ""
        core = " ".join(words)
        if core in cores:
            continue
        cores.add(core)
        org_id = len(orgs) + 1
        cats = rng.sample(range(len(CATEGORIES)), rng.randint(1, 3))
        orgs.append(Org(org_id, kind, words, suffix, f"{10_000_000 + org_id}", cats))
    return orgs


OPS = [("case", 15), ("suffix", 20), ("amp", 8), ("the", 8), ("typo", 15), ("drop", 10), ("uk", 6),
       ("ta", 6), ("trunc", 8)]


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word))
    letter = rng.choice("ABCDEFGHIJKLMNOPRSTUVWY")
    how = rng.randrange(4)
    if how == 0:
        return word[:i] + letter + word[i + 1:]  # substitution
    if how == 1:
        return word[:i] + word[i + 1:]  # deletion
    if how == 2:
        return word[:i] + word[i - 1] + word[i:]  # doubled letter
    return word[:i - 1] + word[i] + word[i - 1] + word[i + 1:] if i < len(word) else word[:i] + letter


def variant(rng: random.Random, org: Org, vocab: list[str]) -> tuple[str, str]:
    """One more way to write the organisation's name: (name, '+'-joined operations)."""
    ops: list[str] = []
    n_ops = 1 if rng.random() < 0.7 else 2
    names, weights = zip(*OPS, strict=True)
    while len(ops) < n_ops:
        op = rng.choices(names, weights)[0]
        if op in ops:
            continue
        if op == "amp" and not ({"&", "AND"} & set(org.words)):
            continue
        if op == "drop" and len([w for w in org.words if w != "&"]) < 3:
            continue  # never leave a bare first word: 'BLACKWOOD' for 'BLACKWOOD SIGNS' is anyone's
        if op == "trunc" and len(org.legal_name) <= 32:
            continue
        if op == "typo" and not any(len(w) >= 4 for w in org.words):
            continue
        if op == "suffix" and org.kind == "public":
            continue
        ops.append(op)
    words = org.words[:]
    suffix = org.suffix
    if "typo" in ops:
        idx = rng.choice([i for i, w in enumerate(words) if len(w) >= 4])
        words[idx] = _typo(rng, words[idx])
    if "drop" in ops:
        del words[rng.choice([i for i, w in enumerate(words) if i > 0 and w != "&"])]
        if words[-1] == "&":
            words.pop()
    if "amp" in ops:
        words = ["AND" if w == "&" else "&" if w == "AND" else w for w in words]
    if "suffix" in ops:
        suffix = rng.choice([s for s in ("LIMITED", "LTD", "Ltd.", "Ltd", "") if s != suffix])
    text = " ".join(words)
    if "uk" in ops:
        text += " (UK)"
    if suffix:
        text += " " + suffix
    if "the" in ops:
        text = text[4:] if text.startswith("THE ") else "THE " + text
    if "ta" in ops:
        if org.brand is None:
            org.brand = f"{rng.choice(vocab)} {rng.choice(TRADES)}"
        text = f"{text} T/A {org.brand}"
    if "case" in ops:
        text = text.title() if rng.random() < 0.85 else text.lower()
    if "trunc" in ops:
        text = text[:30].rstrip()
    return text, "+".join(ops)


def personal_name(rng: random.Random, vocab: list[str]) -> str:
    surname = rng.choice(SURNAMES) if rng.random() < 0.6 else rng.choice(vocab)
    if rng.random() < 0.8:
        title = rng.choice(["MR", "MRS", "MS", "MISS", "DR"])
        initials = " ".join(rng.choice("ABCDEFGHJKLMNPRSTW") for _ in range(rng.choice([1, 1, 2])))
        name = f"{title} {initials} {surname}"
        return name.title() if rng.random() < 0.2 else name
    return f"{rng.choice(FIRST_NAMES)} {surname}"  # no title: only "possibly a person"


@dataclass
class Generated:
    orgs: list[Org]
    personal: list[tuple[str, str]]  # (name, supplier ref)
    names: int


def make_names(rng: random.Random, n_names: int, vocab: list[str]) -> Generated:
    """Exactly ``n_names`` distinct names: org variants, personal names and the redacted label."""
    n_personal = max(1, round(n_names * PERSONAL_SHARE))
    n_org_names = n_names - n_personal - 1  # one redacted label
    n_orgs = max(1, min(round(n_names * BASE_SHARE), n_org_names))
    orgs = make_orgs(rng, n_orgs, vocab)
    seen: set[str] = set()
    for org in orgs:  # the legal name, as registered, is always one of the ways
        name = org.legal_name
        if name in seen:
            name = org.legal_name.title()
        seen.add(name)
        org.names.append((name, ""))
    extra = n_org_names - len(orgs)
    # 1-4 ways per organisation (about 60% one, 22% two, 12% three, 6% four), adjusted to the count
    wants = rng.choices([0, 1, 2, 3], [60, 22, 12, 6], k=len(orgs))
    surplus = sum(wants) - extra
    while surplus:
        i = rng.randrange(len(orgs))
        if surplus > 0 and wants[i] > 0:
            wants[i] -= 1
            surplus -= 1
        elif surplus < 0 and wants[i] < 3:
            wants[i] += 1
            surplus += 1
    made = 0
    for org, want in zip(orgs, wants, strict=True):
        for _ in range(want):
            for _attempt in range(30):
                name, ops = variant(rng, org, vocab)
                if name and name not in seen and name != REDACTED_LABEL:
                    seen.add(name)
                    org.names.append((name, ops))
                    made += 1
                    break
    while made < extra:  # a few variants collided: top up anywhere with room
        org = rng.choice(orgs)
        if len(org.names) >= 4:
            continue
        name, ops = variant(rng, org, vocab)
        if name and name not in seen:
            seen.add(name)
            org.names.append((name, ops))
            made += 1
    personal: list[tuple[str, str]] = []
    while len(personal) < n_personal:
        name = personal_name(rng, vocab)
        if name not in seen:
            seen.add(name)
            personal.append((name, f"{50_000_000 + len(personal)}"))
    # the register: about 70% of the organisations that could be companies
    eligible = [o for o in orgs if o.kind != "public"]
    share = min(1.0, REGISTER_SHARE * len(orgs) / max(1, len(eligible)))
    for org in eligible:
        if rng.random() < share:
            org.in_register = True
            org.company_number = f"{20_000_000 + org.org_id:08d}"
            org.postcode = _postcode(rng)
            if rng.random() < RENAMED_SHARE:
                org.renamed_to = f"{rng.choice(vocab)} {rng.choice(vocab)} {rng.choice(TRADES)} LIMITED"
    return Generated(orgs, personal, len(seen) + 1)


# -- files ---------------------------------------------------------------------------------


def _money(pence: int) -> str:
    sign = "-" if pence < 0 else ""
    pence = abs(pence)
    return f"{sign}{pence // 100}.{pence % 100:02d}"


def write_payments(path: Path, gen: Generated, rows: int, stable_share: float, rng: random.Random) -> dict:
    """The payments CSV: every name at least once, then rows by a long-tailed spend law."""
    specs: list[tuple[int, str, Org | None]] = []  # (kind 0 org / 1 personal / 2 redacted, name, org)
    for org in gen.orgs:
        for name, _ in org.names:
            specs.append((0, name, org))
    for name, _ref in gen.personal:
        specs.append((1, name, None))
    n_redacted = max(1, round(rows * REDACTED_ROW_SHARE))
    specs += [(2, REDACTED_LABEL, None)] * n_redacted
    remaining = rows - len(specs)
    if remaining < 0:
        raise SystemExit(f"--rows {rows:,} is too few for {gen.names:,} names (need {len(specs):,})")
    order = gen.orgs[:]
    rng.shuffle(order)
    cum, total = [], 0.0
    for rank in range(len(order)):
        total += 1.0 / (rank + 20) ** 0.9
        cum.append(total)
    personal_names = [n for n, _ in gen.personal]
    chosen = rng.choices(order, cum_weights=cum, k=remaining)
    for org in chosen:
        if rng.random() < 0.02:
            specs.append((1, rng.choice(personal_names), None))
        elif len(org.names) == 1 or rng.random() < 0.6:
            specs.append((0, org.names[0][0], org))
        else:
            specs.append((0, rng.choice(org.names[1:])[0], org))
    rng.shuffle(specs)
    personal_ref = dict(gen.personal)
    start = dt.date(2019, 4, 1)
    span = 5 * 365
    days = [(start + dt.timedelta(d)).strftime("%d/%m/%Y") for d in range(span + 1)]
    trans = 46_279_931
    total_pence = 0
    one_off = 0
    out_lines: list[str] = []
    random_ = rng.random
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\r\n")
        for i, (kind, name, org) in enumerate(specs):
            trans += 1 + int(random_() * 3)
            if kind == 0:
                ref = org.ref if random_() < stable_share else f"{ONE_OFF_PREFIX}{trans}"
                cat = org.categories[int(random_() * len(org.categories))] if random_() < 0.85 \
                    else int(random_() * len(CATEGORIES))
            elif kind == 1:
                ref = personal_ref[name] if random_() < 0.9 else f"{ONE_OFF_PREFIX}{trans}"
                cat = int(random_() * len(CATEGORIES))
            else:
                ref = f"{ONE_OFF_PREFIX}{trans}"
                cat = int(random_() * len(CATEGORIES))
            one_off += ref.startswith(ONE_OFF_PREFIX)
            roll = random_()
            if roll < 0.01:
                pence = -int(5_000 + 500_000 * random_() ** 2)
            elif roll < 0.18:
                pence = int(1 + 49_999 * random_())
            else:
                pence = min(int(50_000 * (1.0 - random_()) ** -0.8), 200_000_000)
            total_pence += pence
            category, code = CATEGORIES[cat]
            out_lines.append(
                f"{MEMBER},{UNITS[int(random_() * len(UNITS))]},{_csv_field(category)},{code},"
                f"{days[i * span // len(specs)]},{trans}_1,{_money(pence)},"
                f"{'Capital' if random_() < 0.05 else 'Revenue'},{ref},{_csv_field(name)}\r\n"
            )
            if len(out_lines) >= 50_000:
                out.write("".join(out_lines))
                out_lines.clear()
        out.write("".join(out_lines))
    return {"rows": len(specs), "bytes": path.stat().st_size, "redacted_rows": n_redacted,
            "one_off_refs": one_off, "total_pence": total_pence}


def _sql_list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


SIC = [
    "62020 - Information technology consultancy activities", "81210 - General cleaning of buildings",
    "43991 - Scaffold erection", "41202 - Construction of domestic buildings", "None Supplied",
    "70229 - Management consultancy activities other than financial management",
    "56290 - Other food services", "49410 - Freight transport by road", "68209 - Other letting and operating "
    "of own or leased real estate", "88990 - Other social work activities without accommodation n.e.c.",
    "96090 - Other service activities n.e.c.", "99999 - Dormant Company",
]
ACCOUNTS = ["MICRO ENTITY", "TOTAL EXEMPTION FULL", "DORMANT", "SMALL", "NO ACCOUNTS FILED", "FULL",
            "UNAUDITED ABRIDGED", "GROUP", "MEDIUM", "ACCOUNTS TYPE NOT AVAILABLE"]
STATUSES = ["Active"] * 17 + ["Active - Proposal to Strike off", "Liquidation", "In Administration"]
COMPANY_CATEGORIES = ["Private Limited Company"] * 8 + [
    "PRI/LTD BY GUAR/NSC (Private, limited by guarantee, no share capital)", "Limited Liability Partnership",
    "Community Interest Company", "Public Limited Company"]
TOWNS = ["OXFORD", "READING", "SWINDON", "BIRMINGHAM", "MANCHESTER", "LEEDS", "LONDON", "BRISTOL", "CARDIFF",
         "EDINBURGH", "BELFAST", "NEWCASTLE UPON TYNE", "MILTON KEYNES", "COVENTRY", "NORTHAMPTON"]


def write_register(path: Path, gen: Generated, n_rows: int, vocab: list[str], seed: int) -> dict:
    """The BasicCompanyData CSV: synthetic companies by DuckDB SQL, plus the organisations'."""
    import duckdb
    import pyarrow as pa

    included = [o for o in gen.orgs if o.in_register]
    n_synthetic = max(0, n_rows - len(included))
    con = duckdb.connect()
    con.execute(f"SET temp_directory = '{path.parent / 'duckdb-tmp'}'")
    v, t = len(vocab), len(TRADES)
    base = pa.table({
        "name": [o.renamed_to or o.legal_name for o in included],
        "number": [o.company_number for o in included],
        "postcode": [o.postcode for o in included],
        "category": ["Community Interest Company" if o.suffix == "CIC" else "Limited Liability Partnership"
                     if o.suffix == "LLP" else "Public Limited Company" if o.suffix == "PLC" else
                     "PRI/LTD BY GUAR/NSC (Private, limited by guarantee, no share capital)" if o.kind == "vcse"
                     else "Private Limited Company" for o in included],
        "previous": [o.legal_name if o.renamed_to else "" for o in included],
        "core": [o.core for o in included],
        "i": list(range(len(included))),
    })
    con.register("base_orgs", base)

    def cols(name: str, number: str, postcode: str, category: str, previous: str, h: str) -> str:
        """The 55 published columns, every one a string (so every one is quoted)."""
        date = f"strftime(DATE '1950-01-01' + CAST({h} % 27000 AS INTEGER), '%d/%m/%Y')"
        acc = f"acc[1 + CAST(({h} // 7) % {len(ACCOUNTS)} AS INTEGER)]"
        prev_pair = f"CASE WHEN {previous} <> '' THEN strftime(DATE '2005-01-01' + CAST(({h} // 11) % 6000 " \
                    f"AS INTEGER), '%d/%m/%Y') ELSE '' END, {previous}"
        return ", ".join([
            name, number, "''", "''",
            f"CAST(1 + {h} % 300 AS VARCHAR) || ' ' || w[1 + CAST(({h} // 3) % {v} AS INTEGER)] || ' ROAD'",
            "''", f"town[1 + CAST(({h} // 5) % {len(TOWNS)} AS INTEGER)]", "''", "'ENGLAND'", postcode,
            category, f"st[1 + CAST(({h} // 13) % {len(STATUSES)} AS INTEGER)]", "'United Kingdom'", "''", date,
            "'31'", "'3'", "'31/12/2024'",
            f"CASE WHEN {acc} = 'NO ACCOUNTS FILED' THEN '' ELSE '31/03/2023' END", acc, "''", "''",
            "'0'", "'0'", "'0'", "'0'",
            f"sic[1 + CAST(({h} // 17) % {len(SIC)} AS INTEGER)]",
            f"CASE WHEN ({h} // 19) % 3 = 0 THEN sic[1 + CAST(({h} // 23) % {len(SIC)} AS INTEGER)] ELSE '' END",
            "''", "''", "'0'", "'0'", f"'http://business.data.gov.uk/id/company/' || {number}",
            prev_pair, *["''"] * 18, "'14/06/2024'", "'31/05/2023'",
        ])

    pc = (f"area[1 + CAST(h % {len(AREAS)} AS INTEGER)] || CAST(1 + (h // 29) % 20 AS VARCHAR) || ' ' || "
          f"CAST((h // 31) % 10 AS VARCHAR) || substr('{INWARD_LETTERS}', 1 + CAST((h // 37) % 20 AS INTEGER), 1) "
          f"|| substr('{INWARD_LETTERS}', 1 + CAST((h // 41) % 20 AS INTEGER), 1)")
    sfx = "CASE h2 % 10 WHEN 0 THEN ' LTD' WHEN 1 THEN ' LTD.' WHEN 2 THEN ' PLC' WHEN 3 THEN ' LLP' " \
          "ELSE ' LIMITED' END"
    prev_synth = (f"CASE WHEN h2 % 10 = 9 THEN w[1 + CAST((h2 // 7) % {v} AS INTEGER)] || ' ' || "
                  f"w[1 + CAST((h2 // 11) % {v} AS INTEGER)] || ' ' || tr[1 + CAST((h2 // 13) % {t} AS INTEGER)]"
                  f" || ' LIMITED' ELSE '' END")
    body = path.with_suffix(".body.csv")
    consts = (f"SELECT {_sql_list(vocab)} AS w, {_sql_list(TRADES)} AS tr, {_sql_list(ACCOUNTS)} AS acc, "
              f"{_sql_list(STATUSES)} AS st, {_sql_list(SIC)} AS sic, {_sql_list(TOWNS)} AS town, "
              f"{_sql_list(AREAS)} AS area, {_sql_list(COMPANY_CATEGORIES)} AS cc")
    # (w1, w2) is a one-to-one function of i below v*v: synthetic names never repeat.
    sql = f"""
        COPY (
            WITH k AS ({consts}),
            s AS (
                SELECT i, hash(i + {seed}) AS h, hash(i * 7 + {seed}) AS h2,
                       w[1 + CAST(i % {v} AS INTEGER)] || ' ' ||
                       w[1 + CAST((i // {v} + 31 * (i % {v})) % {v} AS INTEGER)] || ' ' ||
                       tr[1 + CAST(hash(i + {seed} + 1) % {t} AS INTEGER)] AS core
                FROM range(1, {n_synthetic} + 1) r(i), k
            ),
            synthetic AS (
                SELECT {cols("core || " + sfx, "lpad(CAST(i AS VARCHAR), 8, '0')", pc,
                             f"cc[1 + CAST((h // 43) % {len(COMPANY_CATEGORIES)} AS INTEGER)]", prev_synth, "h")}
                FROM s, k
                WHERE core NOT IN (SELECT core FROM base_orgs)
            ),
            orgs AS (
                SELECT {cols("name", "number", "postcode", "category", "previous", "hash(i + 99)")}
                FROM base_orgs, k
            )
            SELECT * FROM synthetic UNION ALL SELECT * FROM orgs
        ) TO '{body}' (FORMAT csv, HEADER false, FORCE_QUOTE *)
    """
    if n_synthetic > v * v:
        raise SystemExit(f"--register-rows above {v * v:,} would repeat synthetic names")
    con.execute(sql)
    con.close()
    with open(path, "wb") as out:
        out.write((CH_HEADER + "\n").encode())
        with open(body, "rb") as src:
            shutil.copyfileobj(src, out, 16 << 20)
    body.unlink()
    shutil.rmtree(path.parent / "duckdb-tmp", ignore_errors=True)
    return {"bytes": path.stat().st_size, "organisations_in_register": len(included),
            "renamed": sum(1 for o in included if o.renamed_to)}


def write_truth(folder: Path, gen: Generated) -> None:
    """names.parquet (name, org_id, variant, ops, kind) and orgs.parquet (org_id, company number...)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    names, org_ids, variants, ops, kinds = [], [], [], [], []
    for org in gen.orgs:
        for i, (name, how) in enumerate(org.names):
            names.append(name)
            org_ids.append(org.org_id)
            variants.append(i)
            ops.append(how)
            kinds.append(org.kind)
    for i, (name, _) in enumerate(gen.personal):
        names.append(name)
        org_ids.append(-1 - i)  # each person is their own
        variants.append(0)
        ops.append("")
        kinds.append("personal")
    names.append(REDACTED_LABEL)
    org_ids.append(0)
    variants.append(0)
    ops.append("")
    kinds.append("redacted")
    pq.write_table(pa.table({"name": names, "org_id": org_ids, "variant": variants, "ops": ops,
                             "kind": kinds}), folder / "truth-names.parquet")
    pq.write_table(pa.table({
        "org_id": [o.org_id for o in gen.orgs],
        "kind": [o.kind for o in gen.orgs],
        "in_register": [o.in_register for o in gen.orgs],
        "renamed": [o.renamed_to is not None for o in gen.orgs],
        "company_number": [o.company_number for o in gen.orgs],
        "legal_name": [o.legal_name for o in gen.orgs],
    }), folder / "truth-orgs.parquet")


def generate(work: Path, names: int, register_rows: int, rows: int, stable_share: float, seed: int,
             log) -> dict:
    """Write the files (or reuse them when this exact set was written before) and return their facts."""
    stamp = work / "generated.json"
    params = {"names": names, "register_rows": register_rows, "rows": rows, "stable_ids": stable_share,
              "seed": seed, "generator": GENERATOR_VERSION}
    if stamp.exists():
        facts = json.loads(stamp.read_text())
        if facts.get("params") == params and all((work / f).exists() for f in facts["files"]):
            log(f"reusing the files generated earlier in {work}")
            facts["reused"] = True
            return facts
    rng = random.Random(seed)
    vocab = vocabulary()
    t0 = time.perf_counter()
    gen = make_names(rng, names, vocab)
    payments = work / "expenditure-suppliers-benchmark.csv"
    pay = write_payments(payments, gen, rows, stable_share, rng)
    write_truth(work, gen)
    t1 = time.perf_counter()
    log(f"payments: {pay['rows']:,} rows, {gen.names:,} distinct names of {len(gen.orgs):,} organisations, "
        f"{pay['bytes'] / 1e6:.1f} MB in {t1 - t0:.1f} s")
    files = [payments.name, "truth-names.parquet", "truth-orgs.parquet"]
    reg = {}
    if register_rows > 0:
        register = work / "BasicCompanyDataAsOneFile-2024-05-01.csv"
        reg = write_register(register, gen, register_rows, vocab, seed)
        files.append(register.name)
        log(f"register: {register_rows:,} rows, {reg['bytes'] / 1e6:,.0f} MB in {time.perf_counter() - t1:.1f} s "
            f"({reg['organisations_in_register']:,} of the organisations, {reg['renamed']:,} renamed)")
    ways: dict[int, int] = {}
    for org in gen.orgs:
        ways[len(org.names)] = ways.get(len(org.names), 0) + 1
    facts = {
        "params": params, "files": files, "payments": pay, "register": reg,
        "distinct_names": gen.names, "organisations": len(gen.orgs), "personal_names": len(gen.personal),
        "ways_per_organisation": {str(k): ways[k] for k in sorted(ways)},
        "generate_s": round(time.perf_counter() - t0, 1), "reused": False,
    }
    stamp.write_text(json.dumps(facts, indent=1))
    return facts


# -- stage workers: each runs in its own process -----------------------------------------------


def _max_rss_mb() -> float:
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


class Timers:
    """Wall time around named functions (nested calls indented), in first-call order."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.depth = 0

    def wrap(self, owner, attr: str, label: str) -> None:
        fn = getattr(owner, attr, None)
        if fn is None:  # moved or renamed: skip, the stage times still come from the progress callback
            return
        timers = self

        def timed(*args, **kwargs):
            key = "  " * timers.depth + label
            timers.seconds.setdefault(key, 0.0)
            timers.depth += 1
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                timers.depth -= 1
                timers.seconds[key] += time.perf_counter() - t0
                timers.calls[key] = timers.calls.get(key, 0) + 1

        setattr(owner, attr, timed)


def _instrument_resolve(timers: Timers, marks: dict) -> None:
    import importlib

    resolve = importlib.import_module("anchornet.suppliers.resolve")
    candidates = importlib.import_module("anchornet.suppliers.candidates")
    link = importlib.import_module("anchornet.suppliers.link")
    cluster = importlib.import_module("anchornet.suppliers.cluster")
    workspace = importlib.import_module("anchornet.workspace")
    for owner, attr, label in [
        (resolve, "add_new_payees", "payees: add and classify new payees"),
        (resolve, "propagate_personal_references", "payees: personal references"),
        (candidates, "sql_candidates", "candidates: exact rules (SQL)"),
        (candidates, "fuzzy_candidates", "candidates: fuzzy (rapidfuzz)"),
        (resolve, "estimate_u", "scoring: estimate u"),
        (resolve, "score_candidates", "scoring: score pairs"),
        (resolve, "_cluster", "clustering"),
        (cluster, "clusters", "union-find"),
        (cluster, "stable_ids", "stable ids"),
        (resolve, "settle_weak_persons", "settle weak persons"),
        (resolve, "_rebuild_entities", "rebuild supplier_entities"),
        (resolve, "link_entities", "linking"),
        (link, "_link_member_lists", "members' supplier lists"),
        (link, "_link_numbers", "company and charity numbers"),
        (link, "_link_names", "names"),
        (link, "_link_previous_names", "previous names"),
        (link, "_apply", "apply the links"),
    ]:
        timers.wrap(owner, attr, label)
    transaction = getattr(workspace.Workspace, "transaction", None)
    if transaction is not None:

        @contextlib.contextmanager
        def timed_transaction(self):
            with transaction(self) as con:
                yield con
                marks["body_end"] = time.perf_counter()
            marks["commit_end"] = time.perf_counter()

        workspace.Workspace.transaction = timed_transaction


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _worker(stage: str, ws_path: Path, file: Path | None, profile: bool) -> dict:
    out: dict = {"stage": stage}
    if stage == "ingest":
        from anchornet import Workspace, ingest_file

        ws = Workspace(ws_path)
        t0, c0 = time.perf_counter(), time.process_time()
        result = ingest_file(ws, file, MEMBER)
        out["seconds"], out["cpu_s"] = time.perf_counter() - t0, time.process_time() - c0
        out["status"] = result.status
        out["rows_loaded"], out["rows_quarantined"] = ws.con.execute(
            "SELECT count(*) FILTER (WHERE status = 'loaded'), count(*) FILTER (WHERE status = 'quarantined') "
            "FROM records").fetchone()
        ws.close()
    elif stage == "register":
        from anchornet import Workspace
        from anchornet.registers.companies_house import load_companies_house

        ws = Workspace(ws_path)
        t0, c0 = time.perf_counter(), time.process_time()
        result = load_companies_house(ws, file, force=True)
        out["seconds"], out["cpu_s"] = time.perf_counter() - t0, time.process_time() - c0
        out["rows_loaded"], out["rows_skipped"] = result.rows_loaded, result.rows_skipped
        ws.close()
    elif stage in ("resolve", "resolve-again"):
        import inspect

        from anchornet import Workspace
        from anchornet.suppliers import resolve as resolve_module

        timers, marks = Timers(), {}
        _instrument_resolve(timers, marks)
        stamps: list[tuple[str, float]] = []

        def progress(label: str) -> None:
            stamps.append((label, time.perf_counter()))
            _say(f"    {stage}: {label} (+{stamps[-1][1] - t0:.1f} s)")

        ws = Workspace(ws_path)
        kwargs = {"progress": progress} if "progress" in inspect.signature(resolve_module.resolve).parameters else {}
        profiler = None
        if profile:
            import cProfile

            profiler = cProfile.Profile()
        t0, c0 = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        result = resolve_module.resolve(ws, **kwargs)
        if profiler:
            profiler.disable()
        end = time.perf_counter()
        out["seconds"], out["cpu_s"] = end - t0, time.process_time() - c0
        out["result"] = result.to_dict() if hasattr(result, "to_dict") else dict(result.__dict__)
        body_end = marks.get("body_end", end)
        out["commit_s"] = marks["commit_end"] - body_end if "commit_end" in marks else None
        stages = {}
        for i, (label, at) in enumerate(stamps):
            stages[label] = (stamps[i + 1][1] if i + 1 < len(stamps) else body_end) - at
        out["progress_stages"] = stages
        out["functions"] = {k: round(v, 3) for k, v in timers.seconds.items()}
        linking = timers.seconds.get("linking")
        if linking is None:
            linking = stages.get("linking to registers")
        out["linking_s"] = linking
        out["resolution_s"] = out["seconds"] - (linking or 0.0)
        out["entities"], out["linked"] = ws.con.execute(
            "SELECT count(*), count(company_number) FROM supplier_entities").fetchone()
        if profiler:
            import io
            import pstats

            buf = io.StringIO()
            pstats.Stats(profiler, stream=buf).sort_stats("cumulative").print_stats(30)
            out["cprofile"] = buf.getvalue()
        ws.close()
    else:
        raise SystemExit(f"unknown stage {stage}")
    out["max_rss_mb"] = _max_rss_mb()
    return out


def _run_stage(stage: str, ws_path: Path, file: Path | None, profile: bool = False) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--_stage", stage, "--_ws", str(ws_path)]
    if file is not None:
        cmd += ["--_file", str(file)]
    if profile:
        cmd.append("--profile")
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)  # its progress goes to our stderr
    if proc.returncode != 0:
        why = " (killed: out of memory?)" if proc.returncode in (-9, 137) else ""
        raise RuntimeError(f"stage {stage} failed with exit status {proc.returncode}{why}; its error is above")
    out = proc.stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["process_s"] = time.perf_counter() - t0
    return result


# -- evaluation ------------------------------------------------------------------------------


def evaluate(ws_path: Path, work: Path) -> dict:
    """Pairwise precision and recall of the names' entities, and the links', against the truth."""
    import duckdb

    con = duckdb.connect(str(ws_path / "anchornet.duckdb"), read_only=True)
    try:
        con.execute(f"CREATE TEMP TABLE truth AS SELECT * FROM read_parquet('{work / 'truth-names.parquet'}')")
        con.execute(f"CREATE TEMP TABLE orgs AS SELECT * FROM read_parquet('{work / 'truth-orgs.parquet'}')")
        # A name's predicted cluster: the entity of its payees (a personal payee is its own).
        con.execute("""
            CREATE TEMP TABLE pred AS
            SELECT supplier_name AS name, mode(coalesce(entity_id, -payee_id)) AS cluster,
                   count(DISTINCT coalesce(entity_id, -payee_id)) FILTER (WHERE matchable) AS clusters,
                   bool_or(entity_id IS NOT NULL) AS has_entity
            FROM payees GROUP BY supplier_name
        """)
        con.execute("""
            CREATE TEMP TABLE j AS
            SELECT t.*, p.cluster, p.clusters, p.has_entity FROM truth t JOIN pred p USING (name)
            WHERE t.kind <> 'redacted'
        """)
        missing = con.execute("SELECT count(*) FROM truth WHERE name NOT IN (SELECT name FROM pred)").fetchone()[0]
        tp, truth_pairs, pred_pairs = con.execute("""
            SELECT (SELECT coalesce(sum(n * (n - 1) // 2), 0) FROM (SELECT count(*) n FROM j GROUP BY org_id, cluster)),
                   (SELECT coalesce(sum(n * (n - 1) // 2), 0) FROM (SELECT count(*) n FROM j GROUP BY org_id)),
                   (SELECT coalesce(sum(n * (n - 1) // 2), 0) FROM (SELECT count(*) n FROM j GROUP BY cluster))
        """).fetchone()
        split_names = con.execute("SELECT count(*) FROM j WHERE clusters > 1").fetchone()[0]
        mixed = con.execute(
            "SELECT count(*) FROM (SELECT cluster FROM j GROUP BY cluster HAVING count(DISTINCT org_id) > 1)"
        ).fetchone()[0]
        by_op = con.execute("""
            WITH firsts AS (SELECT org_id, cluster AS c0 FROM j WHERE variant = 0)
            SELECT op, count(*) AS names, count(*) FILTER (WHERE j.cluster = f.c0) AS joined,
                   count(*) FILTER (WHERE NOT contains(ops, '+')) AS alone,
                   count(*) FILTER (WHERE NOT contains(ops, '+') AND j.cluster = f.c0) AS alone_joined
            FROM (SELECT *, unnest(string_split(ops, '+')) AS op FROM j WHERE variant > 0) j
            JOIN firsts f USING (org_id)
            GROUP BY op ORDER BY op
        """).fetchall()
        kinds = dict(con.execute("""
            SELECT kind, count(*) FILTER (WHERE NOT has_entity) FROM j GROUP BY kind
        """).fetchall())
        # Links: each entity stands for the organisation most of its names belong to.
        link = con.execute("""
            WITH ent AS (
                SELECT cluster AS entity_id, mode(org_id) AS org_id FROM j
                WHERE org_id > 0 AND cluster > 0 GROUP BY cluster
            ),
            e AS (
                SELECT ent.org_id, o.in_register, o.renamed, s.company_number AS linked_to,
                       s.company_number = o.company_number AS correct
                FROM ent JOIN orgs o USING (org_id) JOIN supplier_entities s USING (entity_id)
            ),
            by_org AS (
                SELECT org_id, any_value(in_register) AS in_register, any_value(renamed) AS renamed,
                       coalesce(bool_or(correct), false) AS found
                FROM e GROUP BY org_id
            )
            SELECT (SELECT count(*) FROM e), (SELECT count(linked_to) FROM e),
                   (SELECT count(*) FILTER (WHERE correct) FROM e),
                   (SELECT count(linked_to) FILTER (WHERE NOT in_register) FROM e),
                   (SELECT count(*) FILTER (WHERE in_register) FROM by_org),
                   (SELECT count(*) FILTER (WHERE in_register AND found) FROM by_org),
                   (SELECT count(*) FILTER (WHERE in_register AND renamed) FROM by_org),
                   (SELECT count(*) FILTER (WHERE in_register AND renamed AND found) FROM by_org)
        """).fetchone()
        link_kinds = dict(con.execute(
            "SELECT method, count(*) FROM supplier_links WHERE register = 'companies' GROUP BY method").fetchall())
        entities, linked_all = con.execute(
            "SELECT count(*), count(company_number) FROM supplier_entities").fetchone()
    finally:
        con.close()
    precision = tp / pred_pairs if pred_pairs else 1.0
    recall = tp / truth_pairs if truth_pairs else 1.0
    ents, linked, correct, linked_absent, orgs_in_reg, orgs_found, renamed_in_reg, renamed_found = link
    return {
        "names_missing_from_payees": missing,
        "true_pairs": truth_pairs, "predicted_pairs": pred_pairs, "correct_pairs": tp,
        "precision": precision, "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "names_split_over_entities": split_names,
        "entities_mixing_organisations": mixed,
        "names_without_entity_by_kind": kinds,
        "recall_by_variant": {
            op: {"names": n, "joined": k, "share": k / n if n else None,
                 "alone": a, "alone_joined": ak, "alone_share": ak / a if a else None}
            for op, n, k, a, ak in by_op},
        "entities": entities, "linked_entities": linked_all,
        "links": {
            "org_entities": ents, "linked": linked, "correct": correct,
            "linked_but_not_in_register": linked_absent,
            "precision": correct / linked if linked else None,
            "orgs_in_register": orgs_in_reg, "orgs_found": orgs_found,
            "recall": orgs_found / orgs_in_reg if orgs_in_reg else None,
            "renamed_in_register": renamed_in_reg, "renamed_found": renamed_found,
            "by_evidence": link_kinds,
        },
    }


# -- the benchmark -----------------------------------------------------------------------------


def _gb(mb: float | None) -> str:
    return "-" if mb is None else f"{mb / 1024:.2f} GB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--names", type=int, default=100_000, help="distinct supplier names (100,000)")
    parser.add_argument("--register-rows", type=int, default=5_000_000,
                        help="Companies House rows (5,000,000; 0 loads no register)")
    parser.add_argument("--rows", type=int, default=None, help="payment rows (default: 3 per distinct name)")
    parser.add_argument("--stable-ids", type=float, default=0.9,
                        help="share of an organisation's rows carrying its supplier id (0.9)")
    parser.add_argument("--seed", type=int, default=SEED, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help="write the files here (reused when generated before)")
    parser.add_argument("--keep", action="store_true", help="keep the files and the workspace")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile summary of the first resolve")
    parser.add_argument("--_stage", help=argparse.SUPPRESS)
    parser.add_argument("--_ws", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--_file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args._stage:
        print(json.dumps(_worker(args._stage, args._ws, args._file, args.profile), default=str))
        return 0

    log = (lambda *a: print(*a, file=sys.stderr, flush=True)) if args.json else \
        (lambda *a: print(*a, flush=True))
    rows = args.rows or 3 * args.names
    own_dir = args.work is None
    work = Path(tempfile.mkdtemp(prefix="anchornet-suppliers-bench-")) if own_dir else args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    ws_path = work / "workspace"
    facts: dict = {}
    try:
        load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
        facts = generate(work, args.names, args.register_rows, rows, args.stable_ids, args.seed, log)
        generate_rss = _max_rss_mb()
        shutil.rmtree(ws_path, ignore_errors=True)
        stages: dict[str, dict] = {}
        plan = [("ingest", work / facts["files"][0])]
        if args.register_rows > 0:
            plan.append(("register", work / "BasicCompanyDataAsOneFile-2024-05-01.csv"))
        plan += [("resolve", None), ("resolve-again", None)]
        for stage, file in plan:
            log(f"  {stage} ...")
            run = _run_stage(stage, ws_path, file, profile=args.profile and stage == "resolve")
            stages[stage] = run
            log(f"  {stage}: {run['seconds']:.1f} s (cpu {run['cpu_s']:.1f} s), peak {_gb(run['max_rss_mb'])}")
        log("  evaluating ...")
        quality = evaluate(ws_path, work)
        load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
        first = stages["resolve"]
        peaks = [s["max_rss_mb"] for s in stages.values()] + [generate_rss]
        peak_stage_mb = max(s["max_rss_mb"] for s in stages.values())
        targets = {
            "resolution": {"seconds": first["resolution_s"], "limit_s": RESOLVE_TARGET_S,
                           "met": first["resolution_s"] <= RESOLVE_TARGET_S},
            "linking": {"seconds": first["linking_s"], "limit_s": LINK_TARGET_S,
                        "met": first["linking_s"] is not None and first["linking_s"] <= LINK_TARGET_S},
            "memory": {"peak_gb": peak_stage_mb / 1024, "limit_gb": MEMORY_TARGET_GB,
                       "met": peak_stage_mb / 1024 <= MEMORY_TARGET_GB},
        }
        results = {
            "date": dt.date.today().isoformat(),
            "machine": {"cpus": os.cpu_count(), "memory_gb": _machine_memory_gb(),
                        "load_average_before": load_before, "load_average_after": load_after},
            "generated": facts,
            "stages": stages,
            "generate_and_evaluate_peak_mb": max(generate_rss, _max_rss_mb()),
            "peak_rss_mb": max(peaks),
            "quality": quality,
            "targets": targets,
            "all_targets_met": all(t["met"] for t in targets.values()),
        }
        if args.json:
            print(json.dumps(results, indent=2, default=str))
        else:
            _report(results)
        return 0
    finally:
        if args.keep:
            log(f"kept {work}")
        elif own_dir:
            shutil.rmtree(work, ignore_errors=True)
        else:
            shutil.rmtree(ws_path, ignore_errors=True)
            for name in facts.get("files", []) + ["generated.json"]:
                with contextlib.suppress(FileNotFoundError):
                    (work / name).unlink()


def _machine_memory_gb() -> float | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        return None


def _report(r: dict) -> None:
    g, s, q, t = r["generated"], r["stages"], r["quality"], r["targets"]
    m = r["machine"]
    print()
    print(f"{g['distinct_names']:,} distinct names of {g['organisations']:,} organisations "
          f"({g['personal_names']:,} personal names; ways per organisation {g['ways_per_organisation']}), "
          f"{g['payments']['rows']:,} payment rows; register {g['params']['register_rows']:,} rows "
          f"({(g['register'] or {}).get('organisations_in_register', 0):,} of the organisations)")
    print(f"machine: {m['cpus']} CPUs, {m['memory_gb'] or 0:.0f} GB; load average {m['load_average_before']:.1f} "
          f"before, {m['load_average_after']:.1f} after; {r['date']}")
    print(f"\n  {'stage':<46} {'wall':>8} {'cpu':>8} {'peak RSS':>10}")
    labels = {"ingest": "ingest_file (payments)", "register": "load_companies_house",
              "resolve": "resolve (first run: resolution + linking)", "resolve-again": "resolve (again, nothing new)"}
    for key, run in s.items():
        print(f"  {labels[key]:<46} {run['seconds']:7.1f}s {run['cpu_s']:7.1f}s {_gb(run['max_rss_mb']):>10}")
    print(f"  {'generation + evaluation (this process)':<46} {'':>8} {'':>8} "
          f"{_gb(r['generate_and_evaluate_peak_mb']):>10}")
    for key in ("resolve", "resolve-again"):
        run = s[key]
        print(f"\n  {labels[key]}: resolution {run['resolution_s']:.1f} s, linking "
              f"{run['linking_s'] or 0:.1f} s, commit {run['commit_s'] or 0:.1f} s; {run['result']}")
        for label, secs in run["functions"].items():
            print(f"    {label:<50} {secs:8.2f}s")
    print(f"\n  entities {q['entities']:,}; linked to a company {q['linked_entities']:,}")
    print(f"  resolution against the truth (pairs of names of one organisation): precision {q['precision']:.4f}, "
          f"recall {q['recall']:.4f}, F1 {q['f1']:.4f} ({q['correct_pairs']:,} of {q['predicted_pairs']:,} "
          f"predicted pairs right; {q['true_pairs']:,} true pairs)")
    print(f"  entities holding names of several organisations: {q['entities_mixing_organisations']:,}; "
          f"names split over entities: {q['names_split_over_entities']:,}; names missing from payees: "
          f"{q['names_missing_from_payees']:,}")
    print("  a variant joined to its organisation's legal name, by how it was written "
          "(all variants with that change; those with that change alone):")
    for op, v in q["recall_by_variant"].items():
        alone = f"{v['alone_joined']:>7,} of {v['alone']:>7,}  {v['alone_share']:.3f}" if v["alone"] else ""
        print(f"    {op:<8} {v['joined']:>7,} of {v['names']:>7,}  {v['share']:.3f}    {alone}")
    lk = q["links"]
    print(f"  links: {lk['linked']:,} of {lk['org_entities']:,} organisations' entities linked to a company, "
          f"{lk['correct']:,} to the right one (precision {lk['precision'] or 0:.4f}; "
          f"{lk['linked_but_not_in_register']:,} linked although their organisation is not in the register)")
    print(f"  {lk['orgs_found']:,} of the {lk['orgs_in_register']:,} organisations in the register found "
          f"(recall {lk['recall'] or 0:.4f}); renamed ones, by a previous name: {lk['renamed_found']:,} of "
          f"{lk['renamed_in_register']:,}; links by evidence {lk['by_evidence']}")
    if "cprofile" in s["resolve"]:
        print("\n" + s["resolve"]["cprofile"])
    print("\ntargets:")
    res, lnk, mem = t["resolution"], t["linking"], t["memory"]
    print(f"  resolution under {res['limit_s']:.0f} s: {'MET' if res['met'] else 'NOT MET'} ({res['seconds']:.1f} s)")
    print(f"  linking under {lnk['limit_s'] / 60:.0f} minutes: {'MET' if lnk['met'] else 'NOT MET'} "
          f"({lnk['seconds'] or 0:.1f} s)")
    print(f"  peak memory of any stage at most {mem['limit_gb']:.0f} GB (half of {MACHINE_MEMORY_GB:.0f} GB): "
          f"{'MET' if mem['met'] else 'NOT MET'} ({mem['peak_gb']:.2f} GB)")
    load = m.get("load_average_after")
    if load is not None and m["cpus"] and load > 0.5 * m["cpus"]:
        print(f"  note: load average {load:.1f} on {m['cpus']} CPUs: wall times are inflated; see the cpu column")
    if not r["all_targets_met"]:
        print("  some targets were missed (exit status is still 0)")


if __name__ == "__main__":
    sys.exit(main())
