"""Build the demo workspace: the bundled sample ingested, the quality report written."""

from __future__ import annotations

from pathlib import Path

from anchornet.ingest.loader import FileResult, ingest_file
from anchornet.ingest.quality import quality_report
from anchornet.reports.quality_html import render_quality_html
from anchornet.sample import SAMPLE_MEMBER, sample_files
from anchornet.suppliers.resolve import resolve
from anchornet.workspace import Workspace


def build_demo(ws: Workspace, progress=None) -> tuple[list[FileResult], Path]:
    """Ingest the sample, resolve its suppliers (a re-run changes nothing) and write the
    quality report."""
    results = [ingest_file(ws, path, SAMPLE_MEMBER, progress=progress) for path in sample_files()]
    resolve(ws)
    report_path = ws.path / "reports" / "quality.html"
    report_path.parent.mkdir(parents=True, exist_ok=True)
    html = render_quality_html(quality_report(ws), ws.path.name)
    tmp = report_path.with_suffix(".tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(report_path)
    return results, report_path
