"""place/postcodes.py: one normalisation for every postcode, in SQL, with Python wrappers."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from anchornet.place import postcodes


@pytest.mark.parametrize(
    "raw, expected, district, area, sector",
    [
        ("ox11bx", "OX1 1BX", "OX1", "OX", "OX1 1"),
        ("OX1  1BX", "OX1 1BX", "OX1", "OX", "OX1 1"),
        (" ox1 1bx. ", "OX1 1BX", "OX1", "OX", "OX1 1"),
        ("SW1A 1AA", "SW1A 1AA", "SW1A", "SW", "SW1A 1"),
        ("ec1a1bb", "EC1A 1BB", "EC1A", "EC", "EC1A 1"),
        ("W1A 0AX", "W1A 0AX", "W1A", "W", "W1A 0"),
        ("M1 1AE", "M1 1AE", "M1", "M", "M1 1"),
        ("B33 8TH", "B33 8TH", "B33", "B", "B33 8"),
        ("DN55 1PT", "DN55 1PT", "DN55", "DN", "DN55 1"),
        ("LA14 2TB", "LA14 2TB", "LA14", "LA", "LA14 2"),
        ("GIR 0AA", "GIR 0AA", "GIR", "GIR", "GIR 0"),
        ("bt1-5gs", "BT1 5GS", "BT1", "BT", "BT1 5"),
    ],
)
def test_normalise_and_parts(raw, expected, district, area, sector):
    assert postcodes.normalise(raw) == expected
    assert postcodes.is_valid(raw)
    assert postcodes.outward(raw) == district
    assert postcodes.area(raw) == area
    assert postcodes.sector(raw) == sector


@pytest.mark.parametrize(
    "raw", [None, "", "Various", "N/A", "OX1", "OX1 1B", "OX1 1BXX", "QX1 1AA", "M1 1AO", "AB12 3CD",
            "T12 VP94", "M30 0EJ / M5 4WT", "12345"],
)
def test_not_a_postcode(raw):
    assert postcodes.normalise(raw) is None
    assert not postcodes.is_valid(raw)
    assert postcodes.outward(raw) is None
    assert postcodes.area(raw) is None


def test_find_in_text():
    assert postcodes.find("Unit 4, Botley Works, Oxford ox2 0hp") == "OX2 0HP"
    assert postcodes.find("1 High St, Salford M5 4WT, UK") == "M5 4WT"
    assert postcodes.find("OX11BX") == "OX1 1BX"
    assert postcodes.find("no postcode here") is None
    assert postcodes.find(None) is None


def test_macros_in_sql_over_a_column():
    con = duckdb.connect()
    postcodes.install_macros(con)
    rows = con.execute(
        """SELECT pc_normalise(p), pc_outward(p), pc_area(p), pc_is_valid(p)
           FROM (VALUES ('ox11bx'), ('Various'), (NULL)) t(p)"""
    ).fetchall()
    assert rows == [("OX1 1BX", "OX1", "OX", True), (None, None, None, False), (None, None, None, False)]


_letters = st.sampled_from("ABDEFGHJLNPQRSTUWXYZ")


@given(
    area=st.sampled_from(["OX", "M", "B", "SW", "EC", "BT", "CF", "EH", "W", "N"]),
    district=st.integers(1, 29), sector=st.integers(0, 9), a=_letters, b=_letters,
    spaces=st.sampled_from(["", " ", "  ", "\t"]), lower=st.booleans(),
)
def test_any_spacing_or_case_gives_one_key(area, district, sector, a, b, spaces, lower):
    canonical = f"{area}{district} {sector}{a}{b}"
    written = f"{area}{district}{spaces}{sector}{a}{b}"
    written = written.lower() if lower else written
    assert postcodes.normalise(written) == canonical
    assert postcodes.normalise(canonical) == canonical  # idempotent
    assert postcodes.outward(written) == f"{area}{district}"
