"""``anchornet registers load | status | download``, end to end, in-process.

Downloads are served by a local HTTP server on 127.0.0.1: the tests never touch the internet.
"""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest

from anchornet.registers import download as dl
from anchornet.workspace import Workspace


def test_load_and_status(tmp_path, cli, fixture):
    ws = tmp_path / "ws"
    r = cli(ws, "load", "companies-house", fixture("BasicCompanyDataAsOneFile-2024-05-01.csv"), "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["rows_loaded"] == 20
    r = cli(ws, "load", "postcodes", fixture("NSPL_NOV_2021_UK_sample.csv"), "--quiet")
    assert r.code == 0 and r.out == ""
    r = cli(ws, "load", "charities", fixture("publicextract.charity.txt"), "--include-linked")
    assert r.code == 0 and "charities" in r.out and "10" in r.out
    r = cli(ws, "load", "suppliers", fixture("supplier-master-2024.csv"), "--member", "Anytown NHS FT")
    assert r.code == 0 and "Anytown NHS FT" in r.out
    r = cli(ws, "status", "--json")
    status = json.loads(r.out)
    got = {(x["register"], x["member"]): (x["rows_loaded"], x["vintage"]) for x in status["registers"]}
    assert got == {("companies-house", None): (20, "2024-05-01"), ("postcodes", None): (15, "NSPL NOV 2021"),
                   ("charities", None): (10, "2024-05-12"), ("suppliers", "Anytown NHS FT"): (8, None)}
    r = cli(ws, "status")
    assert r.code == 0 and "companies-house" in r.out and "NSPL NOV 2021" in r.out
    r = cli(ws, "load", "companies-house", fixture("BasicCompanyDataAsOneFile-2024-05-01.csv"), "--json")
    assert json.loads(r.out)["status"] == "unchanged"
    r = cli(ws, "load", "companies-house", fixture("BasicCompanyDataAsOneFile-2024-05-01.csv"), "--force",
            "--json")
    assert json.loads(r.out)["status"] == "replaced"
    r = cli(ws, "status", "--all", "--json")
    assert [x["status"] for x in json.loads(r.out)["registers"] if x["register"] == "companies-house"] == [
        "active", "replaced"]


def test_user_errors_are_one_line_and_leave_no_workspace(tmp_path, cli, fixture):
    ws = tmp_path / "ws"
    r = cli(ws, "load", "suppliers", fixture("supplier-master-2024.csv"))
    assert r.code == 2 and "--member" in r.err and len(r.err.strip().splitlines()) == 1
    r = cli(ws, "load", "charities", fixture("BasicCompanyDataAsOneFile-2024-05-01.csv"))
    assert r.code == 2 and "missing columns" in r.err and len(r.err.strip().splitlines()) == 1
    r = cli(ws, "load", "postcodes", tmp_path / "nope.csv")
    assert r.code == 2 and "no such file" in r.err
    r = cli(ws, "load", "companies-house", fixture("publicextract.charity.txt"), "--member", "X")
    assert r.code == 2 and "--member is for supplier lists" in r.err
    assert not ws.exists(), "a refused first command leaves no workspace behind"
    r = cli(ws, "status")
    assert r.code == 2 and "no workspace" in r.err


def test_status_of_an_empty_workspace(tmp_path, cli):
    ws = tmp_path / "ws"
    Workspace(ws).close()
    r = cli(ws, "status")
    assert r.code == 0 and "No registers loaded" in r.out
    assert json.loads(cli(ws, "status", "--json").out)["registers"] == []


def test_download_charities_and_load(tmp_path, cli, fixture, http_root, monkeypatch):
    root, base = http_root
    with zipfile.ZipFile(root / "publicextract.charity.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.write(fixture("publicextract.charity.txt"), "publicextract.charity.txt")
    monkeypatch.setattr(dl, "CHARITIES_URL", f"{base}/publicextract.charity.zip")
    ws = tmp_path / "ws"
    r = cli(ws, "download", "charities", "--json")
    assert r.code == 0, r.err
    got = json.loads(r.out)
    assert got["path"] == str(ws / "downloads" / "publicextract.charity.zip")
    assert got["load"]["rows_loaded"] == 8 and got["load"]["register"] == "charities"
    assert not list((ws / "downloads").glob(".*.part"))


def test_download_companies_house_finds_the_newest_file_on_the_page(tmp_path, cli, fixture, http_root,
                                                                    monkeypatch):
    root, base = http_root
    for month in ("2024-04-01", "2024-05-01"):
        with zipfile.ZipFile(root / f"BasicCompanyDataAsOneFile-{month}.zip", "w", zipfile.ZIP_DEFLATED) as z:
            z.write(fixture("BasicCompanyDataAsOneFile-2024-05-01.csv"), f"BasicCompanyDataAsOneFile-{month}.csv")
    (root / "en_output.html").write_text(
        "<html><body><ul>"
        '<li><a href="BasicCompanyDataAsOneFile-2024-05-01.zip">BasicCompanyDataAsOneFile-2024-05-01.zip '
        "(452Mb)</a></li>"
        '<li><a href="BasicCompanyData-2024-05-01-part1_7.zip">part 1</a></li>'
        '<li><a href="BasicCompanyDataAsOneFile-2024-04-01.zip">BasicCompanyDataAsOneFile-2024-04-01.zip</a>'
        "</li></ul></body></html>", encoding="utf-8")
    monkeypatch.setattr(dl, "COMPANIES_HOUSE_PAGE", f"{base}/en_output.html")
    assert dl.companies_house_url() == f"{base}/BasicCompanyDataAsOneFile-2024-05-01.zip"
    ws = tmp_path / "ws"
    to = tmp_path / "downloads-here"
    r = cli(ws, "download", "companies-house", "--to", to, "--json")
    assert r.code == 0, r.err
    got = json.loads(r.out)
    assert got["path"] == str(to / "BasicCompanyDataAsOneFile-2024-05-01.zip")
    assert got["load"]["vintage"] == "2024-05-01" and got["load"]["rows_loaded"] == 20


def test_download_postcodes_needs_a_url(tmp_path, cli, fixture, http_root):
    ws = tmp_path / "ws"
    r = cli(ws, "download", "postcodes")
    assert r.code == 2 and "--url" in r.err and "geoportal.statistics.gov.uk" in r.err
    root, base = http_root
    shutil.copy(fixture("NSPL21_FEB_2025_UK_sample.csv"), root / "NSPL21_FEB_2025_UK.csv")
    r = cli(ws, "download", "postcodes", "--url", f"{base}/NSPL21_FEB_2025_UK.csv", "--no-load", "--json")
    assert r.code == 0, r.err
    got = json.loads(r.out)
    assert got["load"] is None and (ws / "downloads" / "NSPL21_FEB_2025_UK.csv").exists()
    r = cli(ws, "download", "postcodes", "--url", f"{base}/NSPL21_FEB_2025_UK.csv", "--quiet")
    assert r.code == 0
    with Workspace(ws, read_only=True) as w:
        assert w.con.execute("SELECT count(*) FROM postcodes").fetchall() == [(15,)]


def test_download_failures_are_clear(tmp_path, cli, http_root):
    root, base = http_root
    ws = tmp_path / "ws"
    r = cli(ws, "download", "charities", "--url", f"{base}/missing.zip")
    assert r.code == 2 and "HTTP 404" in r.err and len(r.err.strip().splitlines()) == 1
    assert not ws.exists(), "a failed download leaves no workspace or downloads folder behind"
    (root / "page.html").write_text("<!DOCTYPE html><html><body>Download our data</body></html>")
    r = cli(ws, "download", "charities", "--url", f"{base}/page.html")
    assert r.code == 2 and "sent a web page" in r.err
    assert not list(ws.glob("downloads/*"))
    r = cli(ws, "download", "charities", "--url", "ftp://example.org/x.zip")
    assert r.code == 2 and "not a web address" in r.err
    r = cli(ws, "download", "charities", "--url", "http://127.0.0.1:9/nothing-listens-here.zip")
    assert r.code == 2 and "cannot reach" in r.err


def test_download_without_a_file_name_in_the_address(tmp_path, fixture, http_root):
    root, base = http_root
    folder = root / "items" / "abc123"
    folder.mkdir(parents=True)
    with zipfile.ZipFile(folder / "data", "w") as z:
        z.write(fixture("NSPL_NOV_2021_UK_sample.csv"), "Data/NSPL_NOV_2021_UK.csv")
    seen = []
    path = dl.download(f"{base}/items/abc123/data", tmp_path / "d", fallback_name="postcodes-download",
                       progress=lambda done, total: seen.append((done, total)))
    assert path.name == "postcodes-download.zip" and zipfile.is_zipfile(path)
    assert seen and seen[-1][0] == seen[-1][1] == path.stat().st_size


@pytest.mark.parametrize("register", ["companies-house", "charities"])
def test_default_addresses_are_the_publishers(register, monkeypatch):
    if register == "charities":
        assert dl.default_url("charities").startswith("https://ccewuksprdoneregsadata1.blob.core.windows.net/")
        assert dl.default_url("charities").endswith("/txt/publicextract.charity.zip")
    else:
        assert dl.COMPANIES_HOUSE_PAGE == "https://download.companieshouse.gov.uk/en_output.html"
        monkeypatch.setattr(dl, "companies_house_url", lambda: "resolved from the page")
        assert dl.default_url("companies-house") == "resolved from the page"


def test_status_of_a_workspace_without_the_registers_tables(tmp_path, cli):
    ws = tmp_path / "ws"
    w = Workspace(ws)
    w.con.execute("DROP TABLE register_loads")  # as a workspace opened read-only before the migration
    w.close()
    r = cli(ws, "status", "--json")
    assert r.code == 0 and json.loads(r.out)["registers"] == []
