"""Build the demo workspace: the bundled sample ingested, suppliers resolved, the quality
report written, and demo accounts to sign in with."""

from __future__ import annotations

import secrets
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


DEMO_LOGINS = "DEMO-LOGINS.txt"
DEMO_ACCOUNTS = [
    ("coordinator@demo.anchornet.invalid", "coordinator", None),
    ("oxford.lead@demo.anchornet.invalid", "member", SAMPLE_MEMBER),
    ("viewer@demo.anchornet.invalid", "viewer", None),
]


def ensure_demo_accounts(ws: Workspace) -> list[tuple[str, str, str]]:
    """Demo accounts (e-mail, role, password), made once per demo workspace.

    The passwords are random and kept in DEMO-LOGINS.txt inside the demo workspace so a
    re-run can print them again: fit for a demo on this computer, never for real use.
    """
    from anchornet.web.users import create_user

    path = ws.path / DEMO_LOGINS
    if path.exists():
        rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:] if line]
        return [(email, role, password) for email, role, password in rows]
    made = []
    for email, role, member in DEMO_ACCOUNTS:
        password = "demo-" + secrets.token_urlsafe(9)
        create_user(ws, email, password, role, member=member, name=f"Demo {role}")
        made.append((email, role, password))
    tmp = path.with_suffix(".tmp")
    tmp.write_text("demo logins (this demo workspace only)\n"
                   + "".join(f"{e}\t{r}\t{p}\n" for e, r, p in made), encoding="utf-8")
    tmp.chmod(0o600)
    tmp.replace(path)
    return made
