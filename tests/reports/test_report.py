"""The network report: HTML offline, PDF pages not blank, XLSX sheets, a public edition
free of personal names."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from anchornet import Workspace, ingest_file
from anchornet.cli.main import main
from anchornet.place.geography import parse_tier, set_place
from anchornet.reports.annual import report_data, write_report
from anchornet.sample import SAMPLE_MEMBER, sample_files
from anchornet.suppliers.resolve import resolve

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "place"))
import place_network  # noqa: E402


@pytest.fixture(scope="module")
def oxford(tmp_path_factory):
    ws = Workspace(tmp_path_factory.mktemp("report") / "ws")
    for path in sample_files()[:2]:
        ingest_file(ws, path, SAMPLE_MEMBER)
    resolve(ws)
    yield ws
    ws.close()


def _personal_names(ws) -> list[str]:
    return [r[0] for r in ws.con.execute(
        "SELECT DISTINCT supplier_name FROM payees WHERE personal AND length(supplier_name) > 6 "
        "AND class_reason NOT LIKE 'the name is redacted%'"
    ).fetchall()]


def test_html_is_offline_and_honest_without_a_place(oxford, tmp_path):
    path = write_report(oxford, tmp_path / "r.html")
    html = path.read_text(encoding="utf-8")
    assert "<script" not in html and "https://" not in html and "cdn" not in html.lower()
    assert "<svg" in html  # charts are inline
    assert "No place is defined" in html  # no local share is invented


def test_public_edition_names_no_person(oxford, tmp_path):
    names = _personal_names(oxford)
    assert names
    html = write_report(oxford, tmp_path / "p.html", public=True).read_text(encoding="utf-8")
    assert "public edition" in html
    leaked = [n for n in names if n in html]
    assert leaked == []
    data = report_data(oxford, public=True)
    assert all(t["class"] in ("company", "vcse", "public") for t in data["top_suppliers"])
    assert data["by_service_area"] == []


def test_pdf_renders_pages_that_are_not_blank(oxford, tmp_path):
    import pypdfium2 as pdfium

    path = write_report(oxford, tmp_path / "r.pdf")
    pdf = pdfium.PdfDocument(str(path))
    assert len(pdf) >= 3
    for index in range(min(3, len(pdf))):
        image = pdf[index].render(scale=0.5).to_pil().convert("L")
        lo, hi = image.getextrema()
        assert lo < 100 and hi > 200  # ink on paper, not a blank page
    (tmp_path / "artifacts").mkdir()
    pdf[0].render(scale=1).to_pil().save(tmp_path / "artifacts" / "report-page-1.png")


def test_xlsx_has_one_sheet_per_table(oxford, tmp_path):
    import openpyxl

    path = write_report(oxford, tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(path, read_only=True)
    assert {"Headline", "Trend", "By member", "By category", "Top suppliers", "Data quality",
            "Rules"} <= set(book.sheetnames)
    headline = list(book["Headline"].iter_rows(values_only=True))
    assert headline[0][:3] == ("figure", "numerator", "denominator")


def test_local_shares_reach_the_report(tmp_path):
    ws = place_network.build(tmp_path / "ws", lookup=True)
    set_place(ws, "Oxfordshire", [parse_tier("city=E07000178"), parse_tier("county=E07000178,E07000180")])
    data = report_data(ws)
    assert [t["tier"] for t in data["headline"]["local"]] == ["city", "county"]
    assert data["leakage"]["tier"] == "city"
    html = write_report(ws, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "with suppliers in city" in html and "Leakage" in html
    ws.close()


def test_report_command(tmp_path, capsys):
    ws = str(tmp_path / "ws")
    main(["--workspace", ws, "ingest", str(sample_files()[0]), "--member", SAMPLE_MEMBER, "--quiet"])
    assert main(["--workspace", ws, "report", "-o", str(tmp_path / "r.html"), "--public"]) == 0
    assert (tmp_path / "r.html").exists()
    assert main(["--workspace", ws, "report", "-o", str(tmp_path / "r.doc")]) != 0
    assert "cannot write a report" in capsys.readouterr().err
