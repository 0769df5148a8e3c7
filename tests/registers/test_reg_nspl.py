"""ONS postcode lookups (NSPL / ONSPD): columns found by pattern across vintages, deciles per country."""

from __future__ import annotations

import datetime as dt
import sys
import zipfile
from pathlib import Path

import pytest

from anchornet.errors import BadFileError
from anchornet.registers import load_postcodes
from anchornet.registers.nspl import deprivation_editions, find_columns, imd_edition, vintage_from_name

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fixtures" / "registers"))
import make_registers  # noqa: E402

SHARED = Path("/work/shared/data/registers")  # real files, read only when present
VINTAGES = ["NSPL_NOV_2021_UK_sample.csv", "NSPL21_FEB_2025_UK_sample.csv", "ONSPD_FEB_2026_UK_sample.csv"]


def rows(ws, sql, params=()):
    return ws.con.execute(sql, list(params)).fetchall()


def test_columns_by_pattern_across_vintages():
    assert find_columns(make_registers.NSPL_2021_HEADER) == {
        "postcode": "pcds", "lad": "laua", "ward": "ward", "lsoa": "lsoa11", "country": "ctry", "region": "rgn",
        "imd": "imd", "lat": "lat", "long": "long", "introduced": "dointr", "terminated": "doterm"}
    newer = find_columns(make_registers.NSPL_2025_HEADER)
    assert (newer["lad"], newer["ward"], newer["lsoa"], newer["imd"], newer["country"]) == (
        "lad25cd", "wd25cd", "lsoa21cd", "imd20ind", "ctry25cd")
    onspd = find_columns(make_registers.ONSPD_2026_HEADER)
    assert onspd["lsoa"] == "lsoa21cd"  # the newest of lsoa01cd, lsoa11cd, lsoa21cd
    older_onspd = find_columns(["pcd", "pcd2", "pcds", "oslaua", "osward", "ctry", "rgn", "lsoa11", "imd",
                                "lat", "long", "doterm"])
    assert (older_onspd["lad"], older_onspd["ward"]) == ("oslaua", "osward")
    upper = find_columns(["PCDS", "LAD26CD", "LAD25CD", "IMD25IND"])
    assert upper == {"postcode": "PCDS", "lad": "LAD26CD", "imd": "IMD25IND"}


def test_imd_edition_from_the_column_name():
    assert imd_edition("imd") == imd_edition("imd20ind") == imd_edition("IMD19") == "2019"
    assert imd_edition("imd25ind") == "2025" and imd_edition(None) is None
    england = deprivation_editions()["2019"]["E"]
    assert (england["index"], england["areas"]) == ("IoD2019", 32844)


@pytest.mark.parametrize("name", VINTAGES)
def test_every_vintage_loads_the_same(ws, fixture, name):
    result = load_postcodes(ws, fixture(name))
    assert result.rows_loaded == 15 and result.rows_skipped == 0
    assert result.vintage == vintage_from_name(name)
    got = rows(ws, """SELECT postcode, district, sector, area, country, country_code, lad_code, ward_code,
                             lsoa_code, region_code, imd_rank, imd_decile, imd_index, lat, long, introduced,
                             terminated
                      FROM postcodes ORDER BY postcode""")
    by = {r[0]: r for r in got}
    assert by["OX1 1BX"] == ("OX1 1BX", "OX1", "OX1 1", "OX", "E", "E92000001", "E07000178", "E05013077",
                             "E01028522", "E12000008", 17500, 6, "IoD2019", 51.752091, -1.26266,
                             dt.date(1980, 1, 1), None)
    assert by["OX1 4AA"][16] == dt.date(2019, 3, 1)  # terminated March 2019
    # pseudo-codes (W99999999...) are no region; each country its own index
    assert (by["CF10 1EP"][4], by["CF10 1EP"][9], by["CF10 1EP"][12]) == ("W", None, "WIMD2019")
    assert (by["EH2 2AN"][11], by["EH2 2AN"][12]) == (10, "SIMD2020")
    assert (by["BT1 5GS"][4], by["BT1 5GS"][11], by["BT1 5GS"][12]) == ("N", 5, "NIMDM2017")
    # Channel Islands: no index; a postcode with no grid reference: no place, no coordinates
    assert by["GY1 1AA"][4] == "L" and by["GY1 1AA"][10:13] == (None, None, None)
    assert by["OX99 9ZZ"][4:15] == (None,) * 11
    assert by["OX99 9ZZ"][15:] == (dt.date(2008, 4, 1), dt.date(2009, 5, 1))


def test_deciles_at_the_boundaries(ws, fixture):
    load_postcodes(ws, fixture(VINTAGES[0]))
    got = dict(rows(ws, "SELECT imd_rank, imd_decile FROM postcodes WHERE country = 'E'"))
    # England IoD2019: 32,844 LSOAs; decile 1 is ranks 1..3,284 (10% is 3,284.4)
    assert got[1] == 1 and got[3284] == 1 and got[3285] == 2 and got[32844] == 10 and got[9851] == 3


def test_ranks_beyond_the_index_leave_deciles_unknown(ws, tmp_path):
    bad = [p for p in make_registers.POSTCODES]
    bad[0] = bad[0][:8] + ("40000",) + bad[0][9:]  # more than England's 32,844 areas
    path = tmp_path / "NSPL_MAY_2099_UK.csv"
    path.write_text(make_registers.nspl_csv(make_registers.NSPL_2021_HEADER, bad), encoding="utf-8")
    result = load_postcodes(ws, path)
    assert any("deciles are left unknown" in n for n in result.notes)
    assert rows(ws, "SELECT count(imd_decile) FROM postcodes WHERE country = 'E'") == [(0,)]
    assert rows(ws, "SELECT count(imd_decile) FROM postcodes WHERE country = 'W'") == [(1,)]


def test_published_zip_reads_the_data_file_not_the_documents(ws, fixture, tmp_path):
    archive = tmp_path / "NSPL_NOV_2021_UK.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Documents/LA_UA names and codes UK as at 04_21.csv", "LAD21CD,LAD21NM\nE07000178,Oxford\n")
        z.writestr("User Guide/NSPL User Guide Nov 2021.pdf", b"%PDF")
        z.write(fixture(VINTAGES[0]), "Data/NSPL_NOV_2021_UK.csv")
        z.writestr("Data/multi_csv/NSPL_NOV_2021_UK_OX.csv", "pcds,laua\n")
    result = load_postcodes(ws, archive)
    assert result.rows_loaded == 15 and result.vintage == "NSPL NOV 2021"
    assert result.files == ["NSPL_NOV_2021_UK.zip"]


def test_multi_csv_zip_loads_every_area(ws, tmp_path):
    header = make_registers.NSPL_2021_HEADER
    archive = tmp_path / "NSPL_NOV_2021_UK_multi.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Data/multi_csv/NSPL_NOV_2021_UK_OX.csv",
                   make_registers.nspl_csv(header, make_registers.POSTCODES[:10]))
        z.writestr("Data/multi_csv/NSPL_NOV_2021_UK_CF.csv",
                   make_registers.nspl_csv(header, make_registers.POSTCODES[10:]))
    assert load_postcodes(ws, archive).rows_loaded == 15


def test_no_postcode_or_district_column_is_refused_with_the_headers(ws, tmp_path):
    path = tmp_path / "lookup.csv"
    path.write_text("pcds,lsoa11,imd\nOX1 1BX,E01028522,17500\n", encoding="utf-8")
    with pytest.raises(BadFileError) as exc:
        load_postcodes(ws, path)
    message = str(exc.value)
    assert "no local authority district (laua, oslaua, lad25cd...) column" in message
    assert "'pcds', 'lsoa11', 'imd'" in message and "\n" not in message
    path.write_text("Postcode district,Local authority\nOX1,Oxford\n", encoding="utf-8")
    with pytest.raises(BadFileError, match="no postcode .* or local authority"):
        load_postcodes(ws, path)


def test_bad_postcodes_are_skipped_and_counted(ws, tmp_path):
    text = make_registers.nspl_csv(make_registers.NSPL_2021_HEADER)
    text += '"ZZ9 9ZZX","ZZ9 9ZZX","ZZ9 9ZZX","","","0","","","","","","","E07000178"' + ',""' * 28 + "\n"
    path = tmp_path / "NSPL_NOV_2021_UK.csv"
    path.write_text(text, encoding="utf-8")
    result = load_postcodes(ws, path)
    assert result.rows_loaded == 15 and result.rows_skipped == 1


@pytest.mark.skipif(not (SHARED / "nspl-extract/NSPL_NOV_2021_UK_HX.csv").exists(),
                    reason="the real NSPL extract is not on this machine")
def test_real_nspl_extract(ws):
    path = SHARED / "nspl-extract/NSPL_NOV_2021_UK_HX.csv"
    result = load_postcodes(ws, path)
    assert result.vintage == "NSPL NOV 2021" and result.rows_skipped == 0
    total, districts, live, deciles, with_ll = rows(
        ws, """SELECT count(*), count(DISTINCT district), count(*) FILTER (WHERE terminated IS NULL),
                      count(imd_decile), count(lat) FROM postcodes""")[0]
    assert total == result.rows_loaded > 7000
    assert all(d.startswith("HX") for (d,) in rows(ws, "SELECT DISTINCT district FROM postcodes"))
    assert 0 < live < total and deciles == with_ll  # every placed postcode has a decile
    assert rows(ws, "SELECT min(imd_decile) >= 1, max(imd_decile) <= 10, count(DISTINCT imd_index) "
                    "FROM postcodes") == [(True, True, 1)]
    assert districts > 5
