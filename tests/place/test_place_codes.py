"""Codes by shape, tiers from the command line and from YAML."""

from __future__ import annotations

import pytest

from anchornet.errors import AnchornetError
from anchornet.place.geography import POSTCODE_AREAS, Code, parse_code, parse_tier, read_place_file


@pytest.mark.parametrize(
    ("text", "code", "kind"),
    [
        ("E07000178", "E07000178", "lad"),
        (" e06000045 ", "E06000045", "lad"),
        ("E08000035", "E08000035", "lad"),
        ("E09000033", "E09000033", "lad"),
        ("W06000015", "W06000015", "lad"),
        ("S12000036", "S12000036", "lad"),
        ("N09000003", "N09000003", "lad"),
        ("E12000008", "E12000008", "region"),
        ("W92000004", "W92000004", "country"),
        ("OX", "OX", "postcode_area"),
        ("e", "E", "postcode_area"),
        ("ox1", "OX1", "postcode_district"),
        ("OX14", "OX14", "postcode_district"),
        ("EC1A", "EC1A", "postcode_district"),
        ("W1A", "W1A", "postcode_district"),
    ],
)
def test_kind_by_shape(text, code, kind):
    assert parse_code(text) == Code(code, kind)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("OX1 1BX", "full postcode; give its district (OX1)"),
        ("ox11bx", "full postcode; give its district (OX1)"),
        ("OX1 1", "postcode sector"),
        ("E10000025", "county"),
        ("E47000001", "combined authority"),
        ("E05013077", "ward"),
        ("E01028522", "LSOA"),
        ("E99999999", "cannot place"),
        ("Oxford", "not a code"),
        ("QX1", "not a code"),     # no postcode starts with Q
        ("E0700017", "not a code"),  # one digit short
        ("", "empty"),
    ],
)
def test_refused_codes_say_what_to_give(text, says):
    with pytest.raises(AnchornetError, match="give|empty") as info:
        parse_code(text)
    assert says in str(info.value)


def test_tier_option():
    tier = parse_tier("county=E07000177, e07000178,OX")
    assert tier.name == "county"
    assert [c.code for c in tier.codes] == ["E07000177", "E07000178", "OX"]
    assert [c.kind for c in tier.codes] == ["lad", "lad", "postcode_area"]
    with pytest.raises(AnchornetError, match="TIER=CODE"):
        parse_tier("E07000178")


def test_postcode_areas_list():
    assert len(POSTCODE_AREAS) == 124  # 121 in Great Britain and Northern Ireland, with GY, JE, IM
    assert {"OX", "BT", "GY", "JE", "IM", "ZE", "E", "W"} <= POSTCODE_AREAS


def test_yaml_list_and_mapping_forms(tmp_path):
    listed = tmp_path / "place.yaml"
    listed.write_text(
        "name: Oxfordshire\n"
        "tiers:\n"
        "  - name: city\n"
        "    codes: [E07000178]   # Oxford\n"
        "  - name: county\n"
        "    codes: E07000177, E07000178, E07000179, E07000180, E07000181\n",
        encoding="utf-8",
    )
    name, tiers = read_place_file(listed)
    assert name == "Oxfordshire"
    assert [t.name for t in tiers] == ["city", "county"]
    assert len(tiers[1].codes) == 5

    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("tiers:\n  city: [OX1, OX2]\n  county: OX\n", encoding="utf-8")
    name, tiers = read_place_file(mapping)
    assert name is None
    assert [(t.name, [c.code for c in t.codes]) for t in tiers] == [("city", ["OX1", "OX2"]), ("county", ["OX"])]


def test_yaml_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ntiers:\n  - name: city\n    codes: [OX1 1BX]\n", encoding="utf-8")
    with pytest.raises(AnchornetError, match="bad.yaml: 'OX1 1BX' is a full postcode"):
        read_place_file(bad)
    bad.write_text("just text", encoding="utf-8")
    with pytest.raises(AnchornetError, match="'name' and 'tiers'"):
        read_place_file(bad)
    bad.write_text("tiers: [unclosed", encoding="utf-8")
    with pytest.raises(AnchornetError, match="not valid YAML"):
        read_place_file(bad)
    with pytest.raises(AnchornetError, match="no such file"):
        read_place_file(tmp_path / "missing.yaml")
