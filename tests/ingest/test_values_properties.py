"""Property tests for the amount and date rules (the SQL macros in anchornet.ingest.values):
any amount or date written the way UK files write them reads back exactly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from anchornet.ingest.values import install_macros

D = Decimal
SETTINGS = settings(max_examples=75, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    install_macros(connection)
    yield connection
    connection.close()


def amount(con, text):
    return con.execute("SELECT an_amount(?)", [text]).fetchone()[0]


def date(con, text, month_first=False):
    return con.execute("SELECT an_date(?, ?)", [text, month_first]).fetchone()[0]


def amounts(con, texts: list[str]) -> list:
    """an_amount of each text, in one query."""
    return [r[0] for r in con.execute("SELECT an_amount(unnest(?::VARCHAR[]))", [texts]).fetchall()]


def dates(con, texts: list[str], month_first=False) -> list:
    """an_date of each text, in one query."""
    return [r[0] for r in con.execute("SELECT an_date(unnest(?::VARCHAR[]), ?)",
                                      [texts, month_first]).fetchall()]


def month(con, text):
    return con.execute("SELECT an_month(?)", [text]).fetchone()[0]


def placeholder(con, text):
    return con.execute("SELECT an_is_placeholder_date(?, false)", [text]).fetchone()[0]


# -- amounts -------------------------------------------------------------------------------------

pennies = st.decimals(min_value=D("-999999999999.99"), max_value=D("999999999999.99"), places=2,
                      allow_nan=False, allow_infinity=False)


def styles(value: Decimal) -> list[str]:
    """The ways published files write one amount."""
    sign = "-" if value < 0 else ""
    a = abs(value)
    plain, grouped = f"{a:.2f}", f"{a:,.2f}"
    out = [f"{sign}{plain}", f"{sign}{grouped}", f"{sign}£{grouped}", f"£{sign}{grouped}",
           f" {sign}{grouped} ", f"\t{sign}£{plain}\u00a0", f"{sign}{grouped} GBP",
           f"{sign}£ {grouped}"]
    if value < 0:
        out += [f"({grouped})", f"(£{grouped})", f"£({grouped})", f"{grouped}-",
                f"{grouped} CR", f"£{grouped}CR"]
    if a == a.to_integral_value():
        out.append(f"{sign}{int(a):,}")
    return out


@SETTINGS
@given(value=pennies)
@example(value=D("1234.56"))
@example(value=D("-250.00"))
@example(value=D("-12.50"))
@example(value=D("222441.16"))
@example(value=D("0.00"))
@example(value=D("-0.01"))
def test_any_written_amount_reads_back_exactly(con, value):
    texts = styles(value)
    assert dict(zip(texts, amounts(con, texts), strict=True)) == dict.fromkeys(texts, value)


@SETTINGS
@given(value=st.decimals(min_value=D("-999999999.99"), max_value=D("999999999.99"), places=2,
                         allow_nan=False, allow_infinity=False))
def test_spreadsheet_number_cells_read_back_to_the_penny(con, value):
    """Workbook cells arrive as Python float reprs ('1234.5', '1e-05', '-320.5')."""
    as_float = float(value)
    text = str(int(as_float)) if as_float.is_integer() else repr(as_float)
    assert amount(con, text) == value, text


@SETTINGS
@given(text=st.text(alphabet=st.characters(blacklist_categories=["Nd", "Cs"]), max_size=12))
def test_text_without_digits_is_never_an_amount(con, text):
    assert amount(con, text) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("£1,234.56", D("1234.56")),
        ("(250.00)", D("-250.00")),
        ("-12.50", D("-12.50")),
        (" 222,441.16 ", D("222441.16")),
        ("-£23,484.00", D("-23484.00")),
        ("-£8,503.95", D("-8503.95")),
        ("£505.90", D("505.90")),
        ("12.50-", D("-12.50")),
        ("100 CR", D("-100.00")),
        ("1500", D("1500.00")),
        ("8200.5", D("8200.50")),
        ("0", D("0.00")),
        ("", None),
        ("   ", None),
        ("TBC", None),
        ("N/A", None),
        ("£", None),
        ("-", None),
        ("12.34.56", None),
    ],
)
def test_amount_examples_from_real_files(con, text, expected):
    assert amount(con, text) == expected


@pytest.mark.parametrize(
    "text, value", [("1234,56", D("1234.56")), ("2,50", D("2.50")), ("1.234,56", D("1234.56"))]
)
def test_decimal_comma_is_read_as_a_decimal_or_refused(con, text, value):
    assert amount(con, text) in (None, value)


@pytest.mark.parametrize("text", ["100000000000000000", "51200433307000000000", "1e20"])
def test_out_of_range_amount_is_null_not_an_error(con, text):
    assert amount(con, text) is None


# -- dates ---------------------------------------------------------------------------------------

days = st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2099, 12, 31))

DAY_FIRST = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d-%b-%Y", "%d %b %Y", "%d %B %Y",
             "%d-%B-%Y", "%Y/%m/%d", "%d %b, %Y", "%d %B, %Y", "%A %d %B %Y", "%a %d %b %Y",
             "%Y%m%d"]
# formats with no day/month order question: the same whichever order the file uses
UNAMBIGUOUS = ["%Y-%m-%d", "%d-%b-%Y", "%d %b %Y", "%d %B %Y", "%Y/%m/%d", "%A %d %B %Y"]


def written(day: dt.date) -> list[str]:
    out = [day.strftime(f) for f in DAY_FIRST]
    out += [
        day.strftime("%d-%b-%Y").upper(),  # 01-JUN-2012 (Oracle)
        f"{day.day} {day:%b %Y}",  # 3 Apr 2023
        f"{day.day}/{day.month}/{day.year}",  # 3/4/2023
        f"{day:%d/%m/%Y} 00:00:00",  # a midnight time stamp after the date
        f"{day:%d/%m/%Y} 14:22",
        f"{day:%Y-%m-%d}T10:11:12",
        f"{day:%d/%m/%Y} 12:00:00 AM",
        f"{day:%Y-%m-%d} 00:00:00.000",
    ]
    return out


@SETTINGS
@given(day=days)
@example(day=dt.date(2012, 6, 1))
@example(day=dt.date(2023, 4, 3))
@example(day=dt.date(2024, 2, 29))
def test_any_date_in_each_day_first_format_reads_back(con, day):
    texts = written(day)
    assert dict(zip(texts, dates(con, texts), strict=True)) == dict.fromkeys(texts, day)


@SETTINGS
@given(day=days)
def test_month_first_formats_when_the_file_is_month_first(con, day):
    texts = [day.strftime(f) for f in ["%m/%d/%Y", "%m-%d-%Y", "%m.%d.%Y"]]
    assert dict(zip(texts, dates(con, texts, True), strict=True)) == dict.fromkeys(texts, day)
    texts = [day.strftime(f) for f in UNAMBIGUOUS]
    expected = dict.fromkeys(texts, day)
    assert dict(zip(texts, dates(con, texts, True), strict=True)) == expected
    assert dict(zip(texts, dates(con, texts, False), strict=True)) == expected


@SETTINGS
@given(day=st.dates(min_value=dt.date(1927, 5, 18), max_value=dt.date(2099, 12, 31)),
       fraction=st.sampled_from(["", ".0", ".5", ".999988426"]))
@example(day=dt.date(2023, 3, 15), fraction="")  # 45000
def test_excel_serial_numbers(con, day, fraction):
    serial = (day - dt.date(1899, 12, 30)).days
    assert date(con, f"{serial}{fraction}") == day


@pytest.mark.parametrize(
    "text",
    ["00:00:00", "0:00", "00:00", "00/00/0000", "00-00-00", "0", "01/01/1900", "1900-01-01",
     "31/12/9999", "30/12/1899", "00/00/0000 00:00:00"],
)
def test_placeholder_dates_are_unknown(con, text):
    assert date(con, text) is None
    assert placeholder(con, text) is True


@SETTINGS
@given(text=st.text(alphabet="0123456789/-.: TADFJMNOSaceglnoprtuvy", max_size=24))
def test_a_date_is_never_made_up_outside_1901_to_2099(con, text):
    got = date(con, text)
    assert got is None or dt.date(1901, 1, 1) <= got <= dt.date(2099, 12, 31)
    if got is not None:
        assert placeholder(con, text) is False


@pytest.mark.parametrize(
    "text, expected",
    [("Sep 2014", dt.date(2014, 9, 1)), ("September 2014", dt.date(2014, 9, 1)),
     ("Sep-2014", dt.date(2014, 9, 1)), ("2014-09", dt.date(2014, 9, 1)),
     ("09/2014", dt.date(2014, 9, 1))],
)
def test_month_only_dates(con, text, expected):
    assert date(con, text) is None
    assert month(con, text) == expected


@pytest.mark.parametrize("text", ["Apr-23", "Apr 23"])
def test_month_with_two_digit_year(con, text):
    assert month(con, text) == dt.date(2023, 4, 1)


@SETTINGS
@given(day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2068, 12, 31)),
       fmt=st.sampled_from(["%d/%m/%y", "%d-%b-%y", "%d.%m.%y", "%d %b %y", "%d %B %y"]))
@example(day=dt.date(2023, 4, 3), fmt="%d-%b-%y")
@example(day=dt.date(2023, 4, 21), fmt="%d/%m/%y")
def test_two_digit_years(con, day, fmt):
    assert date(con, day.strftime(fmt)) == day


@pytest.mark.parametrize("text, expected", [("21-04-23", dt.date(2023, 4, 21)),
                                            ("03-04-24", dt.date(2024, 4, 3)),
                                            ("01-01-01", dt.date(2001, 1, 1))])
def test_two_digit_years_with_hyphens(con, text, expected):
    assert date(con, text) == expected
