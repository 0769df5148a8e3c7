"""The web app under test: the bundled Oxford sample in a workspace with one account per
role, copied afresh for each test that changes it; HTTP through FastAPI's TestClient."""

from __future__ import annotations

import re
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", message=".*install `httpx2` instead")  # Starlette prefers httpx2
from fastapi.testclient import TestClient  # noqa: E402

from anchornet import Workspace, ingest_file  # noqa: E402
from anchornet.sample import SAMPLE_MEMBER, sample_files  # noqa: E402
from anchornet.suppliers.resolve import resolve  # noqa: E402
from anchornet.web import security, users  # noqa: E402
from anchornet.web.app import create_app  # noqa: E402

OXFORD = SAMPLE_MEMBER  # "Oxford City Council"
OTHER = "Riverside NHS Trust"
PASSWORD = "correct horse battery staple"
SECRET = "test-secret-" + "x" * 40
ACCOUNTS = {
    "coordinator": ("coord@example.org", "coordinator", None),
    "member": ("lead@oxford.example.org", "member", OXFORD),
    "other": ("lead@riverside.example.org", "member", OTHER),
    "viewer": ("viewer@example.org", "viewer", None),
}
SMALL_CSV = (
    "Riverside NHS Trust - expenditure over £500,,,,\n"
    "Date,Supplier,Amount,Expense Type,Service Area\n"
    '01/04/2024,ACME SUPPLIES LTD,"£1,200.00",Stationery,Estates\n'
    "\n"
    "02/04/2024,Riverside Community Trust,650.50,Grants to voluntary bodies,Community\n"
    '03/04/2024,BRIGHT SPARK ELECTRICAL LTD,"(540.00)",Electrical works,Estates\n'
    "04/04/2024,Mr John Smith,812.00,Refunds,Finance\n"
    "05/04/2024,NOT A PAYMENT LTD,twelve pounds,Stationery,Estates\n"
    'Total,,"2,122.50",,\n'
)


@pytest.fixture(scope="session", autouse=True)
def fast_hashing():
    """Argon2id with small parameters: the same code, a fraction of the time."""
    security.configure_hasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    security.configure_hasher()


@pytest.fixture(scope="session")
def oxford_template(tmp_path_factory, fast_hashing) -> Path:
    """Four quarters of the Oxford sample for Oxford City Council, one quarter under a
    second member, suppliers resolved, one account per role."""
    path = tmp_path_factory.mktemp("web-template") / "ws"
    ws = Workspace(path)
    files = sample_files()
    for file in files[:4]:
        ingest_file(ws, file, OXFORD)
    ingest_file(ws, files[4], OTHER)
    resolve(ws)
    for email, role, member in ACCOUNTS.values():
        users.create_user(ws, email, PASSWORD, role, member=member)
    ws.close()
    return path


@dataclass
class Web:
    app: object
    client: TestClient
    path: Path

    def csrf(self) -> str:
        return self.client.get("/api/session").json()["csrf_token"]

    def login(self, who: str) -> TestClient:
        email = ACCOUNTS[who][0] if who in ACCOUNTS else who
        response = self.client.post("/login", data={"email": email, "password": PASSWORD,
                                                    "csrf_token": self.csrf()}, follow_redirects=False)
        assert response.status_code == 303, response.text
        return self.client

    def post(self, url: str, data: dict | None = None, **kwargs):
        return self.client.post(url, data={**(data or {}), "csrf_token": self.csrf()}, follow_redirects=False,
                                **kwargs)

    def workspace(self) -> Workspace:
        """The app's own workspace (reading what the app wrote)."""
        return self.app.state.base

    def audit(self, action: str) -> list[tuple]:
        return self.app.state.base.con.execute(
            "SELECT actor, target, detail_json FROM audit_log WHERE action = ? ORDER BY audit_id", [action]
        ).fetchall()


def _web(path: Path):
    app = create_app(path, secret_key=SECRET, warm=False)  # warming: tests/web/test_web_cache.py
    with TestClient(app) as client:
        yield Web(app, client, path)


@pytest.fixture
def web(oxford_template, tmp_path):
    """A fresh copy of the Oxford workspace, served; nobody signed in."""
    path = tmp_path / "ws"
    shutil.copytree(oxford_template, path)
    yield from _web(path)


@pytest.fixture(scope="module")
def shared_web(oxford_template, tmp_path_factory):
    """One served copy for tests that only read (each signs in with its own client)."""
    path = tmp_path_factory.mktemp("web-shared") / "ws"
    shutil.copytree(oxford_template, path)
    yield from _web(path)


@pytest.fixture(scope="module")
def clients(shared_web):
    """A signed-in client per role (and one for nobody), on the shared copy."""
    out = {"anonymous": shared_web.client}
    for who in ACCOUNTS:
        client = TestClient(shared_web.app)
        helper = Web(shared_web.app, client, shared_web.path)
        helper.login(who)
        out[who] = client
    yield out
    for who in ACCOUNTS:
        out[who].close()


@pytest.fixture
def empty_web(tmp_path):
    """A new, empty workspace: the first run."""
    yield from _web(tmp_path / "new")


def all_routes(app) -> list:
    """Every route of the app (FastAPI may keep an included router's routes inside it)."""
    out = []
    for route in app.routes:
        inner = getattr(route, "original_router", None)
        out.extend(all_routes(inner) if inner is not None else [route])
    return out


def route_paths(app, method: str) -> set[str]:
    return {r.path for r in all_routes(app) if method in (getattr(r, "methods", None) or set())}


def text_of(html: str) -> str:
    """A page's visible text, roughly: tags and the JSON of charts removed."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    import html as html_module

    return re.sub(r"\s+", " ", html_module.unescape(html))


def csrf_in(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


ROLES = ("coordinator", "member", "viewer")


def check_roles(clients: dict, url: str, allowed: set[str]) -> None:
    """``url`` answers 200 to the roles in ``allowed`` and 403 to the others; nobody signed
    in is sent to sign in (a page) or refused with 401 (the API)."""
    for role in ROLES:
        response = clients[role].get(url, follow_redirects=False)
        assert response.status_code == (200 if role in allowed else 403), (role, url, response.text[:300])
    anonymous = clients["anonymous"].get(url, follow_redirects=False)
    if url.startswith("/api/"):
        assert anonymous.status_code == 401, url
    else:
        assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login?next="), url
