import datetime as dt

import pytest

from anchornet.errors import AnchornetError
from anchornet.ingest.period import parse_period_option, period_from_name


@pytest.mark.parametrize(
    "name, start, end",
    [
        ("expenditure-over-500-apr-jun-2014.csv", "2014-04-01", "2014-06-30"),
        ("expenditure-over-500-oct-dec-2015.csv", "2015-10-01", "2015-12-31"),
        ("DCCSpendingOver500_202603.csv", "2026-03-01", "2026-03-31"),
        ("spend-2011-11.csv", "2011-11-01", "2011-11-30"),
        ("Payments March 2026.xlsx", "2026-03-01", "2026-03-31"),
        ("payments_2024_february.csv", "2024-02-01", "2024-02-29"),
        ("supplier-totals-2014-15.csv", "2014-04-01", "2015-03-31"),
        ("spend-q3-2015.csv", "2015-07-01", "2015-09-30"),
        ("dec-feb-2015.csv", "2014-12-01", "2015-02-28"),
        ("april-to-june-2019.csv", "2019-04-01", "2019-06-30"),
    ],
)
def test_period_from_name(name, start, end):
    period = period_from_name(name)
    assert period is not None
    assert (period.start, period.end) == (dt.date.fromisoformat(start), dt.date.fromisoformat(end))


@pytest.mark.parametrize("name", ["payments.csv", "spend over 500.csv", "export-12345.csv"])
def test_no_period_in_name(name):
    assert period_from_name(name) is None


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("2015-04", "2015-04-01", "2015-04-30"),
        ("2015-Q2", "2015-04-01", "2015-06-30"),
        ("2015Q4", "2015-10-01", "2015-12-31"),
        ("2016", "2016-01-01", "2016-12-31"),
        ("2014-04..2015-03", "2014-04-01", "2015-03-31"),
    ],
)
def test_period_option(text, start, end):
    period = parse_period_option(text)
    assert str(period) == f"{start}..{end}"


@pytest.mark.parametrize("text", ["2015-13", "April", "2015-Q5", "2015-06..2015-01", ""])
def test_bad_period_option(text):
    with pytest.raises(AnchornetError):
        parse_period_option(text)
