import duckdb
import pytest

from anchornet.suppliers.classify import ClassRules, class_sql
from anchornet.suppliers.normalise import install_macros, name_key


@pytest.mark.parametrize(
    "name, key",
    [
        ("ACME LTD", "ACME"),
        ("Acme Limited", "ACME"),
        ("ACME LTD.", "ACME"),
        ("The Acme Co. Ltd", "ACME"),
        ("Smith & Sons PLC", "SMITH AND SONS"),
        ("SMITH AND SONS", "SMITH AND SONS"),
        ("Marks & Spencer p.l.c.", "MARKS AND SPENCER"),
        ("GLL (GREENWICH LEISURE LTD)", "GREENWICH LEISURE"),
        ("TWIL CIVILS SOUTH WEST (Taylor Woodrow Infrastructure Ltd.)", "TAYLOR WOODROW INFRASTRUCTURE"),
        ("ACME (UK) LTD", "ACME UK"),
        ("Oxford Hub CIC", "OXFORD HUB"),
        ("CAFÉ ROUGE", "CAFE ROUGE"),
        ("JULIE'S BICYCLE", "JULIES BICYCLE"),
        ("X LTD T/A Y", "X"),
        ("LTD", None),
        (None, None),
    ],
)
def test_name_key(name, key):
    assert name_key(name) == key


def _classify(names):
    con = duckdb.connect()
    install_macros(con)
    klass, reason = class_sql(ClassRules.load(), "n", "sn_tokens(n)")
    return {n: con.execute(f"SELECT {klass}, {reason} FROM (SELECT ? AS n)", [n]).fetchone() for n in names}


def test_classes_with_reasons():
    got = _classify([
        "Redacted personal data", "MR Y ALI", "OXFORDSHIRE COUNTY COUNCIL", "OXFORD HUB CIC",
        "ACME LTD", "BLACKBIRD LEYS ADVENTURE PLAYGROUND", "MELISSA WESTBROOK",
        "RYAN D GILLARD T/A LATELIER", "GLOBAL SMILE", "OXFORD CITY COUNCIL FOR VOLUNTARY SERVICE",
    ])
    assert got["Redacted personal data"][0] == "redacted"
    assert got["MR Y ALI"] == ("individual", "starts with the personal title MR")
    assert got["OXFORDSHIRE COUNTY COUNCIL"][0] == "public"
    assert got["OXFORD HUB CIC"][0] == "vcse"
    assert got["ACME LTD"] == ("company", "the name holds the word LTD")
    assert got["BLACKBIRD LEYS ADVENTURE PLAYGROUND"][0] == "vcse"
    assert got["MELISSA WESTBROOK"][0] == "individual"
    assert got["RYAN D GILLARD T/A LATELIER"][1].startswith("a person trading")
    assert got["GLOBAL SMILE"][0] == "unknown"
    assert got["OXFORD CITY COUNCIL FOR VOLUNTARY SERVICE"][0] == "vcse"
