"""The place end to end: define tiers, locate suppliers, and count spend inside,
outside and unknown, with and without the ONS postcode lookup."""

from __future__ import annotations

import pytest
from place_network import NSPL, SUPPLIER_SPEND

from anchornet import Workspace
from anchornet.errors import AnchornetError
from anchornet.place import geography, locate
from anchornet.place.geography import parse_tier, set_place, summary, supplier_places
from anchornet.registers.nspl import load_postcodes

OXFORD, VALE = "E07000178", "E07000180"
SOUTH_EAST = "E12000008"


def tiers(*specs):
    return [parse_tier(s) for s in specs]


def by_name(rows):
    return {r["display_name"]: r for r in rows}


def tier(result, name):
    return next(t for t in result["tiers"] if t["name"] == name)


def assert_adds_up(result):
    for t in result["tiers"]:
        spend = sum(t[side]["spend"] for side in ("inside", "outside", "unknown"))
        assert spend == pytest.approx(result["spend"]["supplier_spend"])
        shares = [t[side]["share"] for side in ("inside", "outside", "unknown")]
        if result["spend"]["supplier_spend"]:
            assert round(sum(shares) * 10_000) == 10_000
        else:
            assert shares == [None, None, None]


# -- locating ----------------------------------------------------------------------------


def test_locations_with_the_lookup(network_with_lookup):
    ws = network_with_lookup
    set_place(ws, "Oxfordshire", tiers(f"city={OXFORD}", f"county={OXFORD},{VALE}", f"region={SOUTH_EAST}"))
    rows = by_name(locate.locations(ws.con))
    bakery = rows["Radcliffe Bakery Ltd"]
    assert (bakery["postcode_raw"], bakery["postcode"], bakery["postcode_status"]) == ("ox11bx", "OX1 1BX", "live")
    assert (bakery["district"], bakery["area"], bakery["lad_code"], bakery["region_code"]) == (
        "OX1", "OX", OXFORD, SOUTH_EAST)
    assert bakery["lsoa_code"] == "E01028522" and bakery["imd_decile"] == 6
    assert (bakery["in_city"], bakery["in_county"], bakery["in_region"]) == (True, True, True)

    assert rows["Cowley Motor Works Ltd"]["imd_decile"] == 1   # rank 1: the most deprived
    abingdon = rows["Abingdon Timber Supplies Ltd"]
    assert (abingdon["in_city"], abingdon["in_county"], abingdon["in_region"]) == (False, True, True)
    cardiff = rows["Cardiff Bay Consulting Ltd"]       # Wales: no English region, so outside it
    assert cardiff["region_code"] is None and cardiff["country"] == "W"
    assert (cardiff["in_city"], cardiff["in_county"], cardiff["in_region"]) == (False, False, False)

    old = rows["Merton Street Stationers Ltd"]          # terminated: still located, flagged
    assert old["postcode_status"] == "terminated" and old["terminated"] is not None
    assert old["lad_code"] == OXFORD and old["in_city"] is True

    ghost = rows["Ghost Road Printers Ltd"]             # right shape, not in the lookup
    assert ghost["postcode_status"] == "not_in_lookup" and ghost["district"] == "OX1"
    assert (ghost["in_city"], ghost["in_county"], ghost["in_region"]) == (None, None, None)

    invalid = rows["Quayside Plumbing Ltd"]
    assert invalid["postcode_status"] == "invalid" and invalid["postcode"] is None
    assert invalid["in_city"] is None and invalid["district"] is None
    assert rows["Northern Haulage Group Plc"]["postcode_status"] == "missing"
    assert rows["Northern Haulage Group Plc"]["in_region"] is None


def test_without_the_lookup_district_codes_are_unknown_never_outside(network):
    ws = network
    set_place(ws, "Oxfordshire", tiers(f"city={OXFORD}", f"county={OXFORD},{VALE}"))
    rows = locate.locations(ws.con)
    located = [r for r in rows if r["postcode"]]
    assert located and all(r["postcode_status"] == "unchecked" for r in located)
    assert all(r["lad_code"] is None and r["imd_decile"] is None for r in rows)
    assert all(r["in_city"] is None and r["in_county"] is None for r in rows)
    # the district and area come from the postcode itself
    assert by_name(rows)["Abingdon Timber Supplies Ltd"]["district"] == "OX14"

    result = summary(ws)
    for t in result["tiers"]:
        assert t["inside"]["spend"] == 0 and t["outside"]["spend"] == 0
        assert t["unknown"]["share"] == 1.0
        assert t["decided_without_lookup"] is False
    assert result["coverage"]["in_lookup"]["share"] is None
    assert result["coverage"]["deprivation_known"]["share"] is None
    assert result["postcode_lookup"]["loaded"] is False
    assert any("no postcode lookup is loaded" in w for w in result["warnings"])
    assert_adds_up(result)


def test_postcode_tiers_are_decided_without_the_lookup(network):
    ws = network
    set_place(ws, "Oxford", tiers("city=OX1,OX4", "county=OX", "wider=OX,CF"))
    result = summary(ws)
    city, county, wider = (tier(result, n) for n in ("city", "county", "wider"))
    # OX1 1BX 1000 + OX4 2JY 2000 + OX1 4AA 500 + OX1 9ZZ 300 (shape enough; lookup not needed)
    assert city["inside"]["spend"] == 3800
    assert city["outside"]["spend"] == 3000 + 1500        # OX14, CF10
    assert city["unknown"]["spend"] == 700 + 2500         # invalid, missing
    assert city["unknown"]["by_status"] == {"invalid": 700, "missing": 2500}
    assert county["inside"]["spend"] == 3800 + 3000 and county["outside"]["spend"] == 1500
    assert wider["inside"]["spend"] == 3800 + 3000 + 1500 and wider["outside"]["spend"] == 0
    assert city["decided_without_lookup"] is True
    assert_adds_up(result)


def test_mixed_tier_inside_by_postcode_unknown_by_district(network):
    """A tier of a district code and a postcode district: a supplier in the postcode
    district is inside without the lookup; the others are unknown, not outside."""
    ws = network
    set_place(ws, "Oxford", tiers(f"city=OX4,{OXFORD}"))
    rows = by_name(locate.locations(ws.con))
    assert rows["Cowley Motor Works Ltd"]["in_city"] is True
    assert rows["Cardiff Bay Consulting Ltd"]["in_city"] is None
    assert rows["Radcliffe Bakery Ltd"]["in_city"] is None


def test_spend_inside_outside_unknown_with_the_lookup(network_with_lookup):
    ws = network_with_lookup
    set_place(ws, "Oxfordshire", tiers(f"city={OXFORD}", f"county={OXFORD},{VALE}", f"region={SOUTH_EAST}"))
    result = summary(ws)
    spend = result["spend"]
    assert spend["supplier_spend"] == SUPPLIER_SPEND and spend["suppliers"] == 8
    assert spend["personal_or_redacted"] == 800
    assert spend["net_credit_suppliers"] == {"suppliers": 1, "spend": -400}
    assert spend["unresolved"] == 0
    assert spend["payments_total"] == SUPPLIER_SPEND + 800 - 400

    city, county, region = (tier(result, n) for n in ("city", "county", "region"))
    assert city["inside"]["spend"] == 1000 + 2000 + 500       # Oxford, incl. the terminated postcode
    assert city["outside"]["spend"] == 3000 + 1500            # Vale, Cardiff
    assert city["unknown"]["spend"] == 300 + 700 + 2500       # not in lookup, invalid, missing
    assert city["unknown"]["by_status"] == {"not_in_lookup": 300, "invalid": 700, "missing": 2500}
    assert county["inside"]["spend"] == 6500 and county["outside"]["spend"] == 1500
    assert region["inside"]["spend"] == 6500 and region["outside"]["spend"] == 1500
    assert city["inside"]["suppliers"] == 3
    assert_adds_up(result)

    cov = result["coverage"]
    assert cov["located"]["spend"] == 1000 + 2000 + 3000 + 1500 + 500 + 300
    assert cov["in_lookup"]["spend"] == 8000
    assert cov["deprivation_known"]["spend"] == 8000
    assert cov["by_status"]["terminated"] == {
        "meaning": cov["by_status"]["terminated"]["meaning"], "suppliers": 1, "spend": 500, "share": 0.0435}
    assert round(sum(s["share"] for s in cov["by_status"].values()) * 10_000) == 10_000

    lookup = result["postcode_lookup"]
    assert lookup["loaded"] and lookup["kind"] == "NSPL" and lookup["vintage"] == "NSPL NOV 2021"
    assert lookup["gives"]["lad"] and lookup["gives"]["imd_decile"]
    assert result["warnings"] == []


def test_personal_suppliers_are_never_listed(network_with_lookup):
    ws = network_with_lookup
    set_place(ws, "Oxford", tiers(f"city={OXFORD}"))
    listed = supplier_places(ws, limit=None)
    assert "REDACTED" not in {r["display_name"] for r in listed["items"]}
    assert listed["spend"] == SUPPLIER_SPEND
    unknown = supplier_places(ws, tier="city", side="unknown")
    assert [r["display_name"] for r in unknown["items"]] == [
        "Northern Haulage Group Plc", "Quayside Plumbing Ltd", "Ghost Road Printers Ltd"]
    assert unknown["spend"] == 3500
    assert supplier_places(ws, status="terminated")["items"][0]["tiers"] == {"city": True}
    with pytest.raises(AnchornetError, match="no tier 'county'"):
        supplier_places(ws, tier="county", side="inside")


def test_loading_the_lookup_later_decides_what_was_unknown(network):
    ws = network
    set_place(ws, "Oxford", tiers(f"city={OXFORD}"))
    before = tier(summary(ws), "city")
    assert before["unknown"]["spend"] == SUPPLIER_SPEND
    load_postcodes(ws, NSPL)
    after = tier(summary(ws), "city")
    assert after["inside"]["spend"] == 3500 and after["outside"]["spend"] == 4500


# -- honest when there is nothing ----------------------------------------------------------


def test_nothing_loaded_is_unknown_not_a_made_up_share(tmp_path):
    ws = Workspace(tmp_path / "empty")
    try:
        result = summary(ws)
        assert result["place"] is None and result["tiers"] == []
        assert result["spend"]["supplier_spend"] == 0
        assert result["coverage"]["located"]["share"] is None
        assert result["coverage"]["in_lookup"]["share"] is None
        assert any("no place defined" in w for w in result["warnings"])
        assert any("no supplier spend" in w for w in result["warnings"])
        set_place(ws, "Oxford", tiers("city=OX1"))
        result = summary(ws)
        assert tier(result, "city")["inside"]["share"] is None
        assert_adds_up(result)
    finally:
        ws.close()


def test_no_postcodes_is_zero_coverage(tmp_path):
    from place_network import build

    ws = build(tmp_path / "ws", postcodes=False)
    try:
        set_place(ws, "Oxford", tiers("city=OX1"))
        result = summary(ws)
        assert result["coverage"]["located"]["share"] == 0.0
        assert tier(result, "city")["unknown"]["share"] == 1.0
        assert tier(result, "city")["outside"]["spend"] == 0
    finally:
        ws.close()


# -- defining the place --------------------------------------------------------------------


def test_setting_again_replaces_and_a_refusal_keeps_the_old_one(network_with_lookup):
    ws = network_with_lookup
    set_place(ws, "First", tiers(f"city={OXFORD}", f"county={OXFORD},{VALE}"))
    set_place(ws, "Second", tiers("inner=OX1,OX4", f"outer={SOUTH_EAST}"))
    place = geography.get_place(ws)
    assert place["name"] == "Second" and [t["name"] for t in place["tiers"]] == ["inner", "outer"]
    assert ws.con.execute("SELECT count(*) FROM place_codes").fetchone()[0] == 3
    assert ws.con.execute("SELECT count(*) FROM place").fetchone()[0] == 1
    with pytest.raises(AnchornetError, match="bigger than tier"):
        set_place(ws, "Reversed", tiers(f"region={SOUTH_EAST}", f"city={OXFORD}"))
    assert geography.get_place(ws)["name"] == "Second"
    geography.clear_place(ws)
    assert geography.get_place(ws) is None


def test_nesting_with_the_lookup(network_with_lookup):
    ws = network_with_lookup
    with pytest.raises(AnchornetError, match=r"E07000180 \(tier city\) lies outside tier county"):
        set_place(ws, "x", tiers(f"city={OXFORD},{VALE}", f"county={OXFORD}"))
    # OX1 1BX, OX1 1HD, OX1 1DS, OX1 2AQ: all live OX1 postcodes of the fixture lie in Oxford
    place = set_place(ws, "x", tiers("city=OX1", f"county={OXFORD}"))
    assert place["warnings"] == []
    # Oxford lies in the OX area
    assert set_place(ws, "x", tiers(f"city={OXFORD}", "county=OX"))["warnings"] == []
    # the OX area is bigger than Oxford: tiers in the wrong order
    with pytest.raises(AnchornetError, match="tier county .* is bigger than tier wider"):
        set_place(ws, "x", tiers("city=OX4", f"county={OXFORD}", "wider=OX1"))


def test_partly_inside_is_a_warning(network_with_lookup):
    ws = network_with_lookup
    # the OX area reaches into the Vale of White Horse (OX14)
    place = set_place(ws, "x", tiers("inner=OX", f"outer={OXFORD},W06000015"))
    assert any("postcode area OX (tier inner) is only partly inside tier outer (1 of its 9 live postcodes" in w
               for w in place["warnings"])
    # the part outside still counts in the outer tier: shares stay nested
    rows = by_name(locate.locations(ws.con))
    assert rows["Abingdon Timber Supplies Ltd"]["in_inner"] is True
    assert rows["Abingdon Timber Supplies Ltd"]["in_outer"] is True
    stored = geography.get_place(ws)["notes_at_definition"]
    assert stored == place["warnings"]


def test_unknown_codes_warn_with_the_lookup(network_with_lookup):
    place = set_place(network_with_lookup, "x", tiers("city=E07000999", "region=E12000008,E12000009"))
    warnings = " ".join(place["warnings"])
    assert "no postcode in local authority district E07000999" in warnings
    assert "no postcode in region E12000009" in warnings


def test_nesting_without_the_lookup(network):
    ws = network
    # postcode codes: checked by their shape alone
    assert set_place(ws, "x", tiers("city=OX1,OX4", "county=OX"))["warnings"] == []
    with pytest.raises(AnchornetError, match=r"OX1 \(tier city\) lies outside tier county"):
        set_place(ws, "x", tiers("city=OX1", "county=CF"))
    with pytest.raises(AnchornetError, match="is bigger than what is listed in tier county"):
        set_place(ws, "x", tiers("city=OX", "county=OX1,OX2"))
    # district codes: cannot be checked, and say so
    place = set_place(ws, "x", tiers(f"city={OXFORD}", f"county={OXFORD},{VALE}", f"region={SOUTH_EAST}"))
    warnings = " ".join(place["warnings"])
    assert "no postcode lookup is loaded" in warnings
    assert f"tier county: {OXFORD}, {VALE} may not lie inside tier region" in warnings
    assert "KX" not in warnings
    place = set_place(ws, "x", tiers("city=KY1"))   # Kirkcaldy: a real area
    assert place["warnings"] == []


def test_definition_errors(network):
    ws = network
    with pytest.raises(AnchornetError, match="needs a name"):
        set_place(ws, " ", tiers("city=OX1"))
    with pytest.raises(AnchornetError, match="at least one tier"):
        set_place(ws, "x", [])
    with pytest.raises(AnchornetError, match="given twice"):
        set_place(ws, "x", tiers("city=OX1", "City=OX"))
    with pytest.raises(AnchornetError, match="tier name"):
        set_place(ws, "x", tiers("1st=OX1"))
    place = set_place(ws, "x", tiers("city=OX1,ox1"))
    assert place["tiers"][0]["codes"] == [
        {"code": "OX1", "kind": "postcode_district", "kind_label": "postcode district", "live_postcodes": None}]
    assert any("listed twice" in w for w in place["warnings"])
