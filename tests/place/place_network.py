"""Builds a tiny network: one member's payments to a handful of suppliers, each given a
postcode by the coordinator, and the ONS postcode lookup fixture (NSPL, Nov 2021).

The fixture lookup (tests/fixtures/registers/NSPL_NOV_2021_UK_sample.csv) knows:
OX1 1BX, OX4 2JY, OX1 4AA (terminated 2019) in Oxford (E07000178); OX14 2AA in the
Vale of White Horse (E07000180), both in the South East (E12000008); CF10 1EP in
Cardiff (Wales: no English region); EH2 2AN in Edinburgh.
"""

from __future__ import annotations

from pathlib import Path

from anchornet import Workspace, ingest_file
from anchornet.registers.nspl import load_postcodes
from anchornet.suppliers import overrides
from anchornet.suppliers.resolve import resolve

REGISTERS = Path(__file__).resolve().parent.parent / "fixtures" / "registers"
NSPL = REGISTERS / "NSPL_NOV_2021_UK_sample.csv"

# name, amount, postcode set by the coordinator (None: none)
SUPPLIERS = [
    ("Radcliffe Bakery Ltd", "1000.00", "ox11bx"),          # Oxford, live, IMD rank 17,500 (decile 6)
    ("Cowley Motor Works Ltd", "2000.00", "OX4 2JY"),       # Oxford, live, IMD rank 1 (decile 1)
    ("Abingdon Timber Supplies Ltd", "3000.00", "OX14 2AA"),  # Vale of White Horse
    ("Cardiff Bay Consulting Ltd", "1500.00", "CF10 1EP"),   # Cardiff, Wales
    ("Merton Street Stationers Ltd", "500.00", "OX1 4AA"),   # Oxford, terminated postcode
    ("Quayside Plumbing Ltd", "700.00", "not known"),        # invalid postcode
    ("Northern Haulage Group Plc", "2500.00", None),         # no postcode
    ("Ghost Road Printers Ltd", "300.00", "OX1 9ZZ"),        # a postcode's shape, not in the lookup
]
SUPPLIER_SPEND = 11500  # the above
CREDIT = ("Refund Partners Ltd", "-400.00")   # net credit: counted apart
PERSONAL = ("REDACTED", "800.00")             # personal: never in the supplier spend


def _csv(path: Path) -> Path:
    lines = ["Date,Supplier Name,Amount,Expense Type"]
    for i, (name, amount, _) in enumerate(SUPPLIERS, start=1):
        lines.append(f"{i:02d}/04/2024,{name},{amount},Goods")
    lines.append(f"20/04/2024,{CREDIT[0]},{CREDIT[1]},Goods")
    lines.append(f"21/04/2024,{PERSONAL[0]},{PERSONAL[1]},Care")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def entity_of(ws: Workspace, name: str) -> int:
    return ws.con.execute("SELECT entity_id FROM payees WHERE supplier_name = ?", [name]).fetchall()[0][0]


def build(path: Path, *, postcodes: bool = True, lookup: bool = False) -> Workspace:
    ws = Workspace(path)
    ingest_file(ws, _csv(path.parent / f"{path.name}-payments-april-2024.csv"), "Anytown Council")
    resolve(ws)
    if postcodes:
        for name, _, postcode in SUPPLIERS:
            if postcode is not None:
                overrides.set_value(ws, entity_of(ws, name), "postcode", postcode)
        resolve(ws)
    if lookup:
        load_postcodes(ws, NSPL)
    return ws
