"""Fictional demo data: three made-up members, their suppliers and small registers.

The bundled Oxford sample is one real member; a network needs several, and the place
figures need registers. :func:`write_fictional_data` writes, deterministically (a
fixed seed), into a folder:

- payment files for three **fictional** members, each name ending in ``(fictional)``,
  four quarters of 2015 each, in three different published layouts (the NHS
  "spend over £25,000" layout, a university-style "payments over £500" report with a
  title line, and the council-style Local Government Transparency Code layout). They
  pay some suppliers that Oxford City Council also paid (real names, read from the
  bundled Oxford files) and fictional firms, every one named ``... (fictional) Ltd``;
- ``BasicCompanyDataAsOneFile-2016-01-01-fictional.csv``: a Companies House
  register in the published layout holding **only fictional firms** (those paid, and
  more that nobody pays yet: the opportunities). Real supplier names get no entry, so
  they stay unlinked and their location stays honestly unknown. Company numbers start
  ``ZZ``, not a prefix Companies House uses;
- ``NSPL_NOV_2021_UK_fictional.csv``: a postcode lookup in the NSPL November 2021
  layout whose postcodes, districts and deprivation ranks are made up (shaped like
  OX postcodes in the five Oxfordshire districts, and a few in London, Birmingham and
  Cardiff);
- ``FICTIONAL.md``, saying all this beside the files.
"""

from __future__ import annotations

import csv
import io
import random
import re
from datetime import date, timedelta
from pathlib import Path

from anchornet.registers.companies_house import PUBLISHED_HEADER as CH_HEADER
from anchornet.sample import sample_files

SEED = 2015
SUFFIX = "(fictional)"
NHS = "Cherwell Valley NHS Trust (fictional)"
UNIVERSITY = "Isis University (fictional)"
HOUSING = "Thames Housing Group (fictional)"
MEMBERS = [NHS, UNIVERSITY, HOUSING]
COMPANIES_FILE = "BasicCompanyDataAsOneFile-2016-01-01-fictional.csv"
POSTCODES_FILE = "NSPL_NOV_2021_UK_fictional.csv"
NOTE_FILE = "FICTIONAL.md"

# kind: (spending category as the members write it, SIC codes as the register writes them)
KINDS = {
    "cleaning": ("Cleaning Services", ["81210 - General cleaning of buildings"]),
    "catering": ("Catering and Food Supplies", ["56290 - Other food services"]),
    "building": ("Building Works and Repairs", ["41201 - Construction of commercial buildings",
                                                 "43390 - Other building completion and finishing"]),
    "grounds": ("Grounds Maintenance", ["81300 - Landscape service activities"]),
    "consultancy": ("Consultancy Fees", ["70229 - Management consultancy activities other than financial "
                                         "management", "71129 - Other engineering activities"]),
    "legal": ("Legal Fees", ["69102 - Solicitors"]),
    "it": ("IT Software and Licences", ["62020 - Information technology consultancy activities",
                                        "62090 - Other information technology service activities"]),
    "printing": ("Printing and Stationery", ["18129 - Printing n.e.c."]),
    "transport": ("Transport and Vehicle Hire", ["49410 - Freight transport by road",
                                                 "49320 - Taxi operation"]),
    "staffing": ("Agency Staff", ["78200 - Temporary employment agency activities"]),
    "security": ("Security Services", ["80100 - Private security activities"]),
    "waste": ("Waste Collection and Recycling", ["38110 - Collection of non-hazardous waste"]),
    "care": ("Care and Support Services", ["88100 - Social work activities without accommodation for the "
                                           "elderly and disabled"]),
    "supplies": ("Medical Equipment and Supplies", ["46460 - Wholesale of pharmaceutical goods"]),
    # the large employers below: nobody in the network buys these
    "vehicles": ("Vehicle Manufacture", ["29100 - Manufacture of motor vehicles"]),
    "science": ("Research and Development", ["72190 - Other research and experimental development on natural "
                                             "sciences and engineering"]),
    "retail": ("Retail", ["47190 - Other retail sale in non-specialised stores"]),
    "food": ("Food Manufacture", ["10890 - Manufacture of other food products n.e.c."]),
    "logistics": ("Warehousing", ["52103 - Operation of warehouse and storage facilities for land transport "
                                  "activities"]),
}

# Where the fictional firms are: a local authority district, its postcode districts,
# county, region and country codes, and a point to scatter coordinates around.
AREAS = {
    "E07000178": (["OX1", "OX2", "OX3", "OX4"], "E10000025", "E12000008", "E92000001", 51.752, -1.258),  # Oxford
    "E07000177": (["OX5", "OX16", "OX26", "OX15"], "E10000025", "E12000008", "E92000001", 51.99, -1.30),  # Cherwell
    "E07000179": (["OX9", "OX10", "OX44"], "E10000025", "E12000008", "E92000001", 51.66, -1.05),  # South Oxon
    "E07000180": (["OX14", "OX12", "OX13"], "E10000025", "E12000008", "E92000001", 51.64, -1.40),  # Vale of WH
    "E07000181": (["OX28", "OX29", "OX7", "OX18"], "E10000025", "E12000008", "E92000001", 51.80, -1.55),  # W Oxon
    "E09000001": (["EC2V", "EC4M", "EC1A"], "E99999999", "E12000007", "E92000001", 51.515, -0.092),  # London
    "E08000025": (["B1", "B3"], "E99999999", "E12000005", "E92000001", 52.48, -1.90),  # Birmingham
    "W06000015": (["CF10", "CF24"], "W99999999", "W99999999", "W92000004", 51.48, -3.18),  # Cardiff
}
TOWNS = {"E07000178": "OXFORD", "E07000177": "BANBURY", "E07000179": "WALLINGFORD", "E07000180": "ABINGDON",
         "E07000181": "WITNEY", "E09000001": "LONDON", "E08000025": "BIRMINGHAM", "W06000015": "CARDIFF"}

# Fictional firms the fictional members pay: (name, kind, district, account category).
PAID_FIRMS = [
    ("Wychwood Office Cleaning", "cleaning", "E07000181", "MICRO ENTITY"),
    ("Godstow Kitchen Supplies", "catering", "E07000178", "SMALL"),
    ("Shotover Building Services", "building", "E07000178", "MEDIUM"),
    ("Otmoor Grounds Care", "grounds", "E07000177", "MICRO ENTITY"),
    ("Evenlode Engineering Consultants", "consultancy", "E07000181", "TOTAL EXEMPTION FULL"),
    ("Hinksey Legal Partners", "legal", "E07000178", "SMALL"),
    ("Windrush Digital", "it", "E07000181", "UNAUDITED ABRIDGED"),
    ("Binsey Print Works", "printing", "E07000178", "MICRO ENTITY"),
    ("Ock Valley Haulage", "transport", "E07000180", "SMALL"),
    ("Thame Meadow Care", "care", "E07000179", "MEDIUM"),
    ("Iffley Lock Security", "security", "E07000178", "SMALL"),
    ("Ridgeway Waste Services", "waste", "E07000180", "FULL"),
    ("Cumnor Roofing and Joinery", "building", "E07000180", "MICRO ENTITY"),
    ("Banbury Cross Staffing", "staffing", "E07000177", "SMALL"),
    # outside Oxfordshire: the spend that leaks
    ("Moorgate Facilities Cleaning", "cleaning", "E09000001", "GROUP"),
    ("Cheapside Agency Recruitment", "staffing", "E09000001", "FULL"),
    ("Aldgate Management Consulting", "consultancy", "E09000001", "FULL"),
    ("Ludgate Legal Services", "legal", "E09000001", "MEDIUM"),
    ("Digbeth Software Systems", "it", "E08000025", "MEDIUM"),
    ("Edgbaston Catering Contracts", "catering", "E08000025", "GROUP"),
    ("Cathays Security Group", "security", "W06000015", "FULL"),
    ("Bute Dock Medical Supplies", "supplies", "W06000015", "GROUP"),
    ("Taff Valley Building Contractors", "building", "W06000015", "MEDIUM"),
    ("Roath Print and Design", "printing", "W06000015", "SMALL"),
]

# Fictional Oxfordshire firms nobody pays yet: the shortlist for opportunities.
LOCAL_FIRMS = [
    ("Port Meadow Cleaning Co-operative", "cleaning", "E07000178", "MICRO ENTITY"),
    ("Jericho Spotless Cleaning", "cleaning", "E07000178", "SMALL"),
    ("Kidlington Bright Cleaning", "cleaning", "E07000177", "MICRO ENTITY"),
    ("Abingdon Clean Team", "cleaning", "E07000180", "SMALL"),
    ("Cowley Road Recruitment", "staffing", "E07000178", "SMALL"),
    ("Bicester Temp Solutions", "staffing", "E07000177", "MICRO ENTITY"),
    ("Witney People Agency", "staffing", "E07000181", "MEDIUM"),
    ("Headington Strategy Advisers", "consultancy", "E07000178", "MICRO ENTITY"),
    ("Summertown Surveying and Design", "consultancy", "E07000178", "SMALL"),
    ("Didcot Engineering Advice", "consultancy", "E07000179", "SMALL"),
    ("Carfax Solicitors", "legal", "E07000178", "SMALL"),
    ("Wantage Law Chambers", "legal", "E07000180", "MICRO ENTITY"),
    ("Osney Code Studio", "it", "E07000178", "MICRO ENTITY"),
    ("Botley Cloud Services", "it", "E07000178", "SMALL"),
    ("Chipping Norton Networks", "it", "E07000181", "UNAUDITED ABRIDGED"),
    ("Marston Community Kitchen", "catering", "E07000178", "MICRO ENTITY"),
    ("Wallingford Fresh Foods", "catering", "E07000179", "SMALL"),
    ("Blackbird Leys Builders", "building", "E07000178", "SMALL"),
    ("Thame Valley Construction", "building", "E07000179", "MEDIUM"),
    ("Radley Guarding Services", "security", "E07000180", "SMALL"),
    ("Rose Hill Watch Security", "security", "E07000178", "MICRO ENTITY"),
    ("Folly Bridge Printers", "printing", "E07000178", "MICRO ENTITY"),
    ("Eynsham Press", "printing", "E07000181", "SMALL"),
    ("Wolvercote Medical Wholesale", "supplies", "E07000178", "SMALL"),
    ("Bampton Healthcare Supplies", "supplies", "E07000181", "MICRO ENTITY"),
    ("Littlemore Green Spaces", "grounds", "E07000178", "MICRO ENTITY"),
    ("Benson Recycling", "waste", "E07000179", "SMALL"),
    ("Charlbury Minibus Hire", "transport", "E07000181", "MICRO ENTITY"),
    ("St Clements Home Support", "care", "E07000178", "SMALL"),
    ("Deddington Dormant Holdings", "consultancy", "E07000177", "DORMANT"),
]

# Large fictional Oxfordshire employers (full or group accounts, registered office in the
# place) that are not yet in the network: what the business engagement pipeline suggests.
# Drawn from a random stream of their own, so the rest of the demo stays the same.
LARGE_FIRMS = [
    ("Magdalen Vehicle Assembly", "vehicles", "E07000178", "GROUP"),
    ("Boars Hill Life Sciences", "science", "E07000180", "FULL"),
    ("Carfax Retail Holdings", "retail", "E07000178", "GROUP"),
    ("Cherwell Valley Foods", "food", "E07000177", "FULL"),
    ("Sutton Courtenay Research Campus", "science", "E07000180", "FULL"),
    ("Windrush Logistics Park", "logistics", "E07000181", "GROUP"),
    ("Bicester Village Outlets Operations", "retail", "E07000177", "FULL"),
]

# What each member buys (kinds its fictional firms are drawn from), rows per quarter,
# and how much of the spend goes to suppliers Oxford City Council also pays.
PLANS = {
    NHS: (["cleaning", "catering", "building", "consultancy", "legal", "it", "staffing", "security",
           "supplies", "waste", "care"], 110, 0.3),
    UNIVERSITY: (["cleaning", "catering", "building", "grounds", "consultancy", "legal", "it", "printing",
                  "staffing", "security", "transport"], 260, 0.35),
    HOUSING: (["cleaning", "building", "grounds", "legal", "it", "printing", "staffing", "security", "waste",
               "care", "transport"], 230, 0.4),
}
QUARTERS = [(1, "jan-mar"), (4, "apr-jun"), (7, "jul-sep"), (10, "oct-dec")]
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

NSPL_HEADER = (
    "pcd,pcd2,pcds,dointr,doterm,usertype,oseast1m,osnrth1m,osgrdind,oa11,cty,ced,laua,ward,hlthau,nhser,ctry,"
    "rgn,pcon,eer,teclec,ttwa,pct,itl,park,lsoa11,msoa11,wz11,ccg,bua11,buasd11,ru11ind,oac11,lat,long,lep1,"
    "lep2,pfa,imd,calncv,stp"
).split(",")

NOTE = """# Fictional demo data

**Everything in this folder is fictional.** It is written by `anchornet demo`
(`anchornet.sample.fictional`) so that the demo workspace is a small network whose
pages show local shares, leakage and opportunities. None of it describes a real
organisation's spending, a real company or a real postcode's area.

- Payment files of three made-up members, each named "... (fictional)":
  {members}.
  They pay fictional firms (each named "... (fictional) Ltd") and some suppliers
  whose names appear in Oxford City Council's published payments (the bundled
  sample); the amounts, dates and categories of those payments are invented too.
- `{companies}`: a Companies House register in the published BasicCompanyData
  layout holding only fictional firms. Company numbers start `ZZ`, a prefix
  Companies House does not use. Real suppliers' names are deliberately absent, so
  they are not linked and their location is shown as unknown.
- `{postcodes}`: a postcode lookup in the ONS NSPL November 2021 layout. The
  postcodes are shaped like real ones (OX, EC, B and CF areas) but their districts,
  wards, small areas, coordinates and deprivation ranks are made up.
- The network's own records in the demo workspace (written by
  `anchornet.sample.fictional_network`, not stored in this folder) are made up too:
  every member profile (Oxford City Council's included), the two businesses, senior
  sponsors and contacts (people who do not exist, each marked "(fictional)"), working
  groups, pledges, self-assessments, prospects, contracts and the action plan.

Oxford City Council's own files (the bundled sample) are real published data under
the Open Government Licence v3.0, and are unchanged.
"""


def oxford_supplier_names() -> list[str]:
    """Distinct supplier names in the bundled Oxford files with how they were coded:
    (name, most common category), most-paid first; redacted, personal and public
    payees left out."""
    counts: dict[str, dict[str, int]] = {}
    for path in sample_files():
        with open(path, newline="", encoding="utf-8", errors="replace") as f:
            reader = csv.reader(f)
            next(reader, None)
            for row in reader:
                if len(row) < 10:
                    continue
                name = " ".join(row[-1].split())
                if not name:
                    continue
                by_cat = counts.setdefault(name, {})
                by_cat[row[2]] = by_cat.get(row[2], 0) + 1
    skip = re.compile(r"(?i)redacted|council|\b(mr|mrs|ms|miss|dr)\b|grant|hmrc|police|nhs|university")
    rows = [(name, max(cats, key=lambda c: (cats[c], c)), sum(cats.values())) for name, cats in counts.items()
            if not skip.search(name) and sum(cats.values()) >= 20]
    rows.sort(key=lambda r: (-r[2], r[0]))
    return [(name, category) for name, category, _ in rows]


def _firm_name(name: str) -> str:
    return f"{name} {SUFFIX} Ltd"


def _register_name(name: str) -> str:
    return f"{name} {SUFFIX} LIMITED".upper()


def _postcodes(rnd: random.Random, firms: list[tuple], taken: set[str] | None = None) -> dict[str, str]:
    """A distinct fictional postcode for every firm, in its district's postcode districts."""
    taken = set(taken or ())
    out = {}
    for name, _kind, lad, _accounts in firms:
        while True:
            outward = rnd.choice(AREAS[lad][0])
            code = f"{outward} {rnd.randint(1, 9)}{rnd.choice(INWARD_LETTERS)}{rnd.choice(INWARD_LETTERS)}"
            if code not in taken:
                break
        taken.add(code)
        out[name] = code
    return out


def _companies_csv(rnd: random.Random, firms: list[tuple], postcodes: dict[str, str], first: int = 1,
                   header: bool = True) -> str:
    lines = [CH_HEADER] if header else []
    for i, (name, kind, lad, accounts) in enumerate(firms, start=first):
        number = f"ZZ{i:06d}"
        incorporated = date(1985, 1, 1) + timedelta(days=rnd.randint(0, 29 * 365))
        street = f"{rnd.randint(1, 120)} {rnd.choice(['HIGH STREET', 'STATION ROAD', 'MILL LANE', 'CHURCH STREET'])}"
        country = "WALES" if lad.startswith("W") else "ENGLAND"
        county = "OXFORDSHIRE" if lad.startswith("E07") else ""
        made_up = "" if accounts == "NO ACCOUNTS FILED" else "31/03/2015"
        sics = (KINDS[kind][1] + ["", "", "", ""])[:4]
        if accounts == "DORMANT":
            sics = ["99999 - Dormant Company", "", "", ""]
        row = [_register_name(name), number, "", "", street, "", TOWNS[lad], county, country, postcodes[name],
               "Private Limited Company", "Active", "United Kingdom", "", incorporated.strftime("%d/%m/%Y"),
               "31", "3", "31/12/2016", made_up, accounts, "", "", "0", "0", "0", "0", *sics, "0", "0",
               f"http://business.data.gov.uk/id/company/{number}", *([""] * 20), "14/06/2016", "31/05/2015"]
        lines.append(",".join('"' + v.replace('"', '""') + '"' for v in row))
    return "\n".join(lines) + "\n"


def _nspl_csv(rnd: random.Random, firms: list[tuple], postcodes: dict[str, str], header: bool = True,
              extra: bool = True) -> str:
    out = io.StringIO()
    if header:
        out.write(",".join(NSPL_HEADER) + "\n")
    rows = []
    for name, _kind, lad, _accounts in firms:
        rows.append((postcodes[name], lad))
    # a few more postcodes in every district, nobody's address
    extra_taken = set(postcodes.values())
    for lad in AREAS if extra else ():
        for _ in range(3):
            while True:
                code = (f"{rnd.choice(AREAS[lad][0])} {rnd.randint(1, 9)}{rnd.choice(INWARD_LETTERS)}"
                        f"{rnd.choice(INWARD_LETTERS)}")
                if code not in extra_taken:
                    break
            extra_taken.add(code)
            rows.append((code, lad))
    rows.sort()
    numeric = {"lat", "long", "imd"}
    for code, lad in rows:
        _districts, cty, rgn, ctry, lat, lon = AREAS[lad]
        outward, inward = code.split(" ")
        wales = ctry == "W92000004"
        values = {
            "pcd": f"{outward:<4}{inward}", "pcd2": f"{outward:<5}{inward}", "pcds": code, "dointr": "199801",
            "doterm": "", "usertype": "0", "cty": cty, "laua": lad, "ward": f"{lad[0]}0599{rnd.randint(0, 9999):04d}",
            "ctry": ctry, "rgn": rgn, "lsoa11": f"{lad[0]}0199{rnd.randint(0, 9999):04d}",
            "imd": str(rnd.randint(1, 1909 if wales else 32844)),
            "lat": f"{lat + rnd.uniform(-0.03, 0.03):.6f}", "long": f"{lon + rnd.uniform(-0.04, 0.04):.6f}",
        }
        out.write(",".join(values.get(h, "") if h in numeric else f'"{values.get(h, "")}"' for h in NSPL_HEADER))
        out.write("\n")
    return out.getvalue()


def _amount(rnd: random.Random, low: float, median: float) -> float:
    return round(max(low, rnd.lognormvariate(0, 0.9) * median), 2)


def _payments(rnd: random.Random, member: str, shared: list[tuple[str, str]]) -> list[list[tuple]]:
    """Per quarter, (date, supplier, category, area, amount) rows for one member."""
    kinds, per_quarter, shared_share = PLANS[member]
    firms = [f for f in PAID_FIRMS if f[1] in kinds]
    # each member buys from a different run of the shared suppliers, overlapping the others'
    start = MEMBERS.index(member) * 8
    suppliers = shared[start:start + 16]
    areas = {
        NHS: ["Estates and Facilities", "Surgery", "Medicine", "Corporate Services", "Pharmacy"],
        UNIVERSITY: ["Estates Services", "Library", "Humanities", "Medical Sciences", "IT Services"],
        HOUSING: ["Property Services", "Housing Management", "Corporate Services", "Care and Support"],
    }[member]
    low, median = (25000, 60000) if member == NHS else (500, 3500)
    quarters = []
    for month, _label in QUARTERS:
        start_day = date(2015, month, 1)
        rows = []
        for _ in range(per_quarter):
            day = start_day + timedelta(days=rnd.randint(0, 89))
            if rnd.random() < shared_share:
                supplier, category = rnd.choice(suppliers)
            else:
                name, kind, _lad, _accounts = rnd.choice(firms)
                supplier, category = _firm_name(name), KINDS[kind][0]
            rows.append((day, supplier, category, rnd.choice(areas), _amount(rnd, low, median)))
        rows.sort(key=lambda r: r[0])
        quarters.append(rows)
    return quarters


def _csv_text(rows: list[list[str]], line_end: str = "\r\n") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=line_end)
    writer.writerows(rows)
    return out.getvalue()


def _nhs_file(rows: list[tuple], quarter: int) -> str:
    """The NHS / central government "spend over £25,000" layout."""
    out = [["Department family", "Entity", "Date", "Expense type", "Expense area", "Supplier",
            "Transaction number", "Amount", "VAT Registration Number"]]
    for n, (day, supplier, category, area, amount) in enumerate(rows, start=1):
        out.append(["Department of Health", NHS, day.strftime("%d/%m/%Y"), category, area, supplier.upper(),
                    f"{5100000 + quarter * 10000 + n}", f"{amount:.2f}", ""])
    return _csv_text(out)


def _university_file(rows: list[tuple], label: str) -> str:
    """A university's "payments over £500" report: a title line, then the table."""
    out = [[f"{UNIVERSITY} - payments over £500, {label} 2015", "", "", "", "", ""],
           ["Transaction Date", "Supplier", "Department", "Expense Description", "Transaction Number", "Amount £"]]
    for n, (day, supplier, category, area, amount) in enumerate(rows, start=1):
        out.append([day.strftime("%d-%b-%Y"), supplier, area, category, f"UNI{day:%y%m}{n:05d}", f"£{amount:,.2f}"])
    return _csv_text(out, "\n")


def _housing_file(rows: list[tuple]) -> str:
    """The Local Government Transparency Code layout, as councils and housing groups publish it."""
    out = [["Organisation name", "Organisation Code", "Directorate", "Service Category label",
            "Service Category code", "Supplier name", "Payment date", "Transaction number", "Net Amount",
            "Purpose of spend", "Procurement category name"]]
    for n, (day, supplier, category, area, amount) in enumerate(rows, start=1):
        out.append([HOUSING, "", area, area, f"{900 + len(area)}", supplier, day.strftime("%d/%m/%Y"),
                    f"{20150000 + n + day.month * 1000}", f"{amount:,.2f}", category, category])
    return _csv_text(out)


def _write(path: Path, text: str) -> None:
    """Write only when the content differs, so a re-run leaves the files as they were."""
    data = text.encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def write_fictional_data(folder: Path | str) -> dict[str, list[Path] | Path]:
    """Write the fictional files into ``folder``; returns ``{"members": {name: [files]},
    "companies": path, "postcodes": path, "note": path}``. The same files every time."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(SEED)
    firms = PAID_FIRMS + LOCAL_FIRMS
    postcodes = _postcodes(rnd, firms)
    large_rnd = random.Random(SEED + 1)
    large_postcodes = _postcodes(large_rnd, LARGE_FIRMS, taken=set(postcodes.values()))
    companies = folder / COMPANIES_FILE
    _write(companies, _companies_csv(rnd, firms, postcodes)
           + _companies_csv(large_rnd, LARGE_FIRMS, large_postcodes, first=len(firms) + 1, header=False))
    lookup = folder / POSTCODES_FILE
    _write(lookup, _nspl_csv(rnd, firms, postcodes)
           + _nspl_csv(large_rnd, LARGE_FIRMS, large_postcodes, header=False, extra=False))
    shared = oxford_supplier_names()[:40]
    members: dict[str, list[Path]] = {}
    for member in MEMBERS:
        slug = re.sub(r"[^a-z0-9]+", "-", member.lower()).strip("-")
        paths = []
        for q, ((_month, label), rows) in enumerate(zip(QUARTERS, _payments(rnd, member, shared),
                                                        strict=True), start=1):
            if member == NHS:
                path, text = folder / f"{slug}-spend-over-25k-{label}-2015.csv", _nhs_file(rows, q)
            elif member == UNIVERSITY:
                nice = {"jan-mar": "January to March", "apr-jun": "April to June", "jul-sep": "July to September",
                        "oct-dec": "October to December"}[label]
                path, text = folder / f"{slug}-payments-over-500-{label}-2015.csv", _university_file(rows, nice)
            else:
                path, text = folder / f"{slug}-spend-{label}-2015.csv", _housing_file(rows)
            _write(path, text)
            paths.append(path)
        members[member] = paths
    note = folder / NOTE_FILE
    _write(note, NOTE.format(members=", ".join(f'"{m}"' for m in MEMBERS), companies=COMPANIES_FILE,
                             postcodes=POSTCODES_FILE))
    return {"members": members, "companies": companies, "postcodes": lookup, "note": note}
