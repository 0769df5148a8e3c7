"""Build the demo workspace: the bundled sample ingested, suppliers resolved, the quality
report written, and demo accounts to sign in with."""

from __future__ import annotations

import secrets
from pathlib import Path

from anchornet.ingest.loader import FileResult, ingest_file
from anchornet.ingest.quality import quality_report
from anchornet.place.geography import get_place, parse_tier, set_place
from anchornet.registers.companies_house import load_companies_house
from anchornet.registers.nspl import load_postcodes
from anchornet.reports.quality_html import render_quality_html
from anchornet.sample import SAMPLE_MEMBER, sample_files
from anchornet.sample.fictional import write_fictional_data
from anchornet.sample.fictional_network import ENGINEERING, seed_network_records
from anchornet.suppliers.resolve import resolve
from anchornet.workspace import Workspace

FICTIONAL_FOLDER = "fictional-demo-data"
DEMO_PLACE = "Oxfordshire (demo)"
DEMO_TIERS = ["city=E07000178", "county=E07000177,E07000178,E07000179,E07000180,E07000181"]


def _register_loaded(ws: Workspace, register: str) -> bool:
    return bool(ws.con.execute(
        "SELECT count(*) FROM register_loads WHERE register = ? AND status = 'active'", [register]
    ).fetchall()[0][0])


def build_demo(ws: Workspace, progress=None) -> tuple[list[FileResult], Path]:
    """Ingest the sample and the fictional members' files, load the fictional registers,
    set the place, resolve the suppliers and write the quality report.

    A re-run changes nothing: the files are unchanged, a register already loaded (the
    fictional one, or a real one loaded since) is left alone, and so is a place already set.
    """
    results = [ingest_file(ws, path, SAMPLE_MEMBER, progress=progress) for path in sample_files()]
    fictional = write_fictional_data(ws.path / FICTIONAL_FOLDER)
    for member, paths in fictional["members"].items():
        results += [ingest_file(ws, path, member, progress=progress) for path in paths]
    if not _register_loaded(ws, "companies-house"):
        load_companies_house(ws, fictional["companies"])
    if not _register_loaded(ws, "postcodes"):
        load_postcodes(ws, fictional["postcodes"])
    if get_place(ws) is None:
        set_place(ws, DEMO_PLACE, [parse_tier(t) for t in DEMO_TIERS])
    resolve(ws)
    seed_network_records(ws)  # members' profiles, groups, pledges, ...: once
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
    ("business.lead@demo.anchornet.invalid", "member", ENGINEERING),
    ("viewer@demo.anchornet.invalid", "viewer", None),
]


def ensure_demo_accounts(ws: Workspace) -> list[tuple[str, str, str]]:
    """Demo accounts (e-mail, role, password), made once per demo workspace.

    The passwords are random and kept in DEMO-LOGINS.txt inside the demo workspace so a
    re-run can print them again: fit for a demo on this computer, never for real use.
    """
    from anchornet.web.users import create_user

    path = ws.path / DEMO_LOGINS
    made: list[tuple[str, str, str]] = []
    if path.exists():
        rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:] if line]
        made = [(email, role, password) for email, role, password in rows]
    known = {email for email, _, _ in made}
    added = False
    for email, role, member in DEMO_ACCOUNTS:  # accounts a newer demo added are made on a re-run
        if email in known or (member is not None and ws.member_id(member) is None):
            continue
        password = "demo-" + secrets.token_urlsafe(9)
        create_user(ws, email, password, role, member=member, name=f"Demo {role}")
        made.append((email, role, password))
        added = True
    if added:
        tmp = path.with_suffix(".tmp")
        tmp.write_text("demo logins (this demo workspace only)\n"
                       + "".join(f"{e}\t{r}\t{p}\n" for e, r, p in made), encoding="utf-8")
        tmp.chmod(0o600)
        tmp.replace(path)
    return made
