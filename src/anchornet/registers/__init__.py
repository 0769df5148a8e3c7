"""Reference registers: Companies House, the Charity Commission register, the ONS
postcode lookup, and each member's own supplier list.

Each register is loaded whole, in one transaction that replaces its previous load
(``register_loads`` keeps the history). See docs/registers.md.
"""

from anchornet.registers.charities import load_charities
from anchornet.registers.common import LoadResult, register_status
from anchornet.registers.companies_house import load_companies_house
from anchornet.registers.nspl import load_postcodes
from anchornet.registers.suppliers import load_supplier_list

REGISTERS = ("companies-house", "charities", "postcodes", "suppliers")

__all__ = [
    "REGISTERS",
    "LoadResult",
    "load_charities",
    "load_companies_house",
    "load_postcodes",
    "load_supplier_list",
    "register_status",
]
