"""registers/identifiers.py: company and charity numbers, org-ids, dates and flags."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from anchornet.registers import identifiers


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2535986", "02535986"),  # a spreadsheet dropped the leading zero
        ("02535986", "02535986"),
        ("2535986.0", "02535986"),
        ("SC 12345", "SC012345"),
        ("sc012345", "SC012345"),
        ("OC301234", "OC301234"),
        ("NI654321", "NI654321"),
        ("IP29627R", "IP29627R"),  # a registered society
        ("Various", None),
        ("N/A", None),
        ("0", None),
        ("", None),
        (None, None),
        ("123456789", None),
    ],
)
def test_company_number(raw, expected):
    assert identifiers.company_number(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [("1100001", "1100001"), ("1100001-1", "1100001"), ("0202918", "202918"), (" 202918 ", "202918"),
     ("CHA1049226", None), ("abc", None), ("", None), (None, None)],
)
def test_charity_number(raw, expected):
    assert identifiers.charity_number(raw) == expected


def test_org_ids():
    assert identifiers.org_id("company", "2535986") == "GB-COH-02535986"
    assert identifiers.org_id("charity", "202918") == "GB-CHC-202918"
    assert identifiers.org_id("charity", "not a number") is None
    with pytest.raises(ValueError):
        identifiers.org_id("school", "1")


def test_dates_and_flags_in_sql():
    con = duckdb.connect()
    identifiers.install_macros(con)
    got = con.execute(
        """SELECT reg_date('05/11/1990'), reg_date('2015-03-02 00:00:00'), reg_date('2015-03-02T00:00:00'),
                  reg_date(''), reg_date('31/02/2020'),
                  reg_flag('Yes'), reg_flag('y'), reg_flag('TRUE'), reg_flag('No'), reg_flag('Various'),
                  reg_flag(NULL)"""
    ).fetchall()[0]
    assert got == (dt.date(1990, 11, 5), dt.date(2015, 3, 2), dt.date(2015, 3, 2), None, None,
                   True, True, True, False, None, None)
