"""What the browser tests share besides fixtures: whether they can run at all, the accounts,
and signing in and out through the pages (a module of its own, so that test files do not
import a ``conftest``). Importing it from a test module skips that module, with the reason,
when Debian's chromium or the playwright package is missing."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from anchornet.sample import SAMPLE_MEMBER

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")


def _skip_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium); not found"
    for module, what in (("playwright", "the playwright package (dev extras)"), ("uvicorn", "uvicorn")):
        if importlib.util.find_spec(module) is None:
            return f"browser tests need {what}; not installed"
    return None


SKIP_REASON = _skip_reason()
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
OXFORD = SAMPLE_MEMBER  # "Oxford City Council"
OTHER = "Riverside NHS Trust"
PASSWORD = "correct horse battery staple"
SECRET = "browser-test-secret-" + "x" * 40
SETUP_CODE = "WXYZ-2345"
ACCOUNTS = {
    "coordinator": ("coord@example.org", "coordinator", None),
    "member": ("lead@oxford.example.org", "member", OXFORD),
    "other": ("lead@riverside.example.org", "member", OTHER),
    "viewer": ("viewer@example.org", "viewer", None),
}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
TIMEOUT_MS = 20_000


@dataclass
class Served:
    """The app being served, and where."""

    app: object
    base: str

    def url(self, path: str) -> str:
        return self.base + path


def login(page: Page, served: Served, who: str, password: str = PASSWORD) -> None:
    """Sign in through the /login form and land on the overview."""
    email = ACCOUNTS[who][0] if who in ACCOUNTS else who
    page.goto(served.url("/login"))
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(served.url("/"))


def logout(page: Page, served: Served) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(served.url("/login"))
