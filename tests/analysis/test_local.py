"""Local shares per tier, deprivation and leakage, with the place and the postcode lookup."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from anchornet.analysis.metrics import Analysis
from anchornet.place.geography import parse_tier, set_place

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "place"))
import place_network  # noqa: E402


@pytest.fixture()
def ws(tmp_path):
    workspace = place_network.build(tmp_path / "ws", lookup=True)
    set_place(workspace, "Oxfordshire", [parse_tier("city=E07000178"), parse_tier("county=E07000178,E07000180")])
    yield workspace
    workspace.close()


def test_local_shares_nest_and_show_coverage(ws):
    h = Analysis(ws).headline()
    city, county = h["local"]
    assert (city["tier"], county["tier"]) == ("city", "county")
    # Oxford: 1000 + 2000 + 500 (terminated postcode still locates); Vale: 3000
    assert city["numerator"] == pytest.approx(3500)
    assert county["numerator"] == pytest.approx(6500)
    assert city["share"] <= county["share"]
    # unknown (invalid, missing or unlisted postcodes) is never counted as outside
    assert 0 < city["coverage"] < 1 and city["unknown_share"] == pytest.approx(1 - city["coverage"], abs=1e-4)


def test_deprivation_and_leakage(ws):
    analysis = Analysis(ws)
    d = analysis.headline()["deprivation"]
    assert d["most_deprived_10pc"]["numerator"] == pytest.approx(2000)  # OX4 2JY, IMD decile 1
    leak = analysis.leakage("county")
    goods = next(c for c in leak["categories"] if c["category"] == "Goods")
    assert goods["inside"] == pytest.approx(6500)
    assert goods["outside"] == pytest.approx(1500)  # Cardiff
    assert goods["inside"] + goods["outside"] + goods["unknown"] == pytest.approx(goods["influenceable_spend"])


def test_drill_down_behind_a_local_share(ws):
    analysis = Analysis(ws)
    city = analysis.headline()["local"][0]
    inside = analysis.payments_behind(tier="city", inside=True, excluded=False)
    assert sum(p["amount"] for p in inside) == pytest.approx(city["numerator"])
    unknown = analysis.payments_behind(tier="city", inside=None, excluded=False)
    known_outside = analysis.payments_behind(tier="city", inside=False, excluded=False)
    total = sum(p["amount"] for p in inside + unknown + known_outside)
    assert total == pytest.approx(city["denominator"])


def test_suppliers_export_has_tiers_and_size(ws, tmp_path):
    import csv

    from anchornet.reports.exports import export

    export(ws, "suppliers", tmp_path / "s.csv")
    rows = list(csv.DictReader(open(tmp_path / "s.csv", encoding="utf-8")))
    assert {"in_city", "in_county", "postcode_status", "size_band", "imd_decile", "org_id"} <= set(rows[0])
    cowley = next(r for r in rows if r["name"] == "Cowley Motor Works Ltd")
    assert cowley["in_city"] == "true" and cowley["imd_decile"] == "1"


@pytest.mark.parametrize("grain", ["month", "quarter", "financial_year"])
def test_shares_by_member_and_period_are_the_headline_of_each(ws, grain):
    """One pass gives, for every member and period, what an analysis of that member and
    period alone gives: the figures a pledge's trajectory is drawn from."""
    from anchornet.analysis.metrics import Scope
    from anchornet.analysis.periods import parse_analysis_period

    figures = Analysis(ws).shares_by_member_and_period(grain)
    assert figures
    for (member, label), got in figures.items():
        text = "FY" + label if grain == "financial_year" else label
        expected = Analysis(ws, Scope(members=[member], period=parse_analysis_period(text))).headline()
        assert got["payments"] == expected["payments"]
        for key in ("sme", "vcse"):
            assert got[key] == expected[key]
        assert got["local"] == expected["local"] and got["deprivation"] == expected["deprivation"]
