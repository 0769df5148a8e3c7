"""Real-browser tests: the web app served by uvicorn on 127.0.0.1 (a free port, in a thread)
and driven by Debian's chromium through Playwright's sync API.

Every test module is skipped (browser_support.SKIP_REASON) when /usr/bin/chromium, the
playwright package or uvicorn is missing; ``playwright install`` is never used. Each test
gets a fresh copy of a workspace holding the Oxford sample and one account per role, its own
server and its own browser page; a screenshot of the page's final state goes to
test-artifacts/<test>.png.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser_support import (
    ACCOUNTS,
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    OTHER,
    OXFORD,
    PASSWORD,
    SECRET,
    SETUP_CODE,
    SKIP_REASON,
    TIMEOUT_MS,
    Served,
)

from anchornet import Workspace, ingest_file
from anchornet.sample import sample_files
from anchornet.suppliers.resolve import resolve
from anchornet.web import security, users
from anchornet.web.app import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Page



@pytest.fixture(scope="session", autouse=True)
def fast_hashing():
    """Argon2id with small parameters: the same code, a fraction of the time."""
    security.configure_hasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    security.configure_hasher()


@dataclass(frozen=True)
class Template:
    path: Path
    personal_names: tuple[str, ...]  # payees marked personal, long enough not to occur by chance
    other_file_id: int  # a file of OTHER (not Oxford's)


@pytest.fixture(scope="session")
def template(tmp_path_factory, fast_hashing) -> Template:
    """Four quarters of the Oxford sample for Oxford City Council, one quarter under a second
    member, suppliers resolved, one account per role."""
    path = tmp_path_factory.mktemp("browser-template") / "ws"
    ws = Workspace(path)
    files = sample_files()
    for file in files[:4]:
        ingest_file(ws, file, OXFORD)
    ingest_file(ws, files[4], OTHER)
    resolve(ws)
    for email, role, member in ACCOUNTS.values():
        users.create_user(ws, email, PASSWORD, role, member=member)
    names = tuple(r[0] for r in ws.con.execute(
        "SELECT DISTINCT supplier_name FROM payees WHERE personal AND length(supplier_name) > 6 "
        "AND class_reason NOT LIKE 'the name is redacted%'").fetchall())
    other_file = ws.con.execute("SELECT min(file_id) FROM files JOIN members USING (member_id) "
                                "WHERE members.name = ?", [OTHER]).fetchone()[0]
    ws.close()
    return Template(path, names, other_file)


# -- the server ---------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(workspace_path: Path, *, setup_code: str | None = None):
    """The app on 127.0.0.1 and a free port, run by uvicorn in a thread until the block ends."""
    import uvicorn

    app = create_app(workspace_path, secret_key=SECRET, setup_code=setup_code)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on",
                            access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while True:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            if server.started:
                break
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"uvicorn did not start on 127.0.0.1:{port}")
        time.sleep(0.05)
    try:
        yield Served(app, f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        assert not thread.is_alive(), "uvicorn did not stop"


@pytest.fixture
def server(template, tmp_path):
    """A fresh copy of the Oxford workspace, served."""
    path = tmp_path / "ws"
    shutil.copytree(template.path, path)
    with serve(path) as served:
        yield served


@pytest.fixture
def published_server(template, tmp_path):
    """A fresh copy of the Oxford workspace with the public dashboard published (every section), served."""
    from anchornet.web import publishing

    path = tmp_path / "ws"
    shutil.copytree(template.path, path)
    ws = Workspace(path)
    publishing.save_settings(ws, published=True, title="", period=None, members=[],
                             sections=list(publishing.SECTIONS), by=ACCOUNTS["coordinator"][0])
    ws.close()
    with serve(path) as served:
        yield served


@pytest.fixture
def empty_server(tmp_path):
    """A new, empty workspace (the first run), served with a known setup code."""
    with serve(tmp_path / "new", setup_code=SETUP_CODE) as served:
        yield served


# -- the browser --------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser():
    if SKIP_REASON:
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Watched:
    """A page with what it logged and requested."""

    page: Page
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def take_errors(self, *expected_statuses: int) -> list[str]:
        """The console errors so far (then forgotten), less Chromium's report of the HTTP
        statuses the test expects (Chromium logs every 4xx page as "Failed to load resource")."""
        out, self.console_errors[:] = list(self.console_errors), []
        expected = [f"status of {s} " for s in expected_statuses]
        return [e for e in out if not (e.startswith("Failed to load resource") and any(s in e for s in expected))]


@pytest.fixture
def browser_page(browser, request):
    """A new browser context and page; console errors, page errors and requests recorded; a
    screenshot of the final state saved to test-artifacts/ at the end."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    watched = Watched(page)
    page.on("console", lambda m: watched.console_errors.append(f"{m.text} @ {m.location.get('url', '')}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: watched.console_errors.append(f"uncaught: {e}"))
    page.on("request", lambda r: watched.requests.append(r.url))
    yield watched
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    with contextlib.suppress(Exception):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()

