"""Accessibility checked by a tool: axe-core (the engine browser extensions and audits use,
shipped inside the axe-playwright-python package) run in Chromium on every page a
coordinator reaches from the navigation, the Network sections, and the sign-in and public
pages. Any violation of WCAG 2.1 A/AA rules fails, with the rule and the elements named."""

from __future__ import annotations

import pytest
from browser_support import SKIP_REASON, login

if SKIP_REASON:
    pytest.skip(SKIP_REASON, allow_module_level=True)

axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright",
                                     reason="accessibility tests need axe-playwright-python (dev extras)")
CHART = "[data-chart] svg, [data-chart] canvas"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _violations(page) -> list[str]:
    if page.locator("[data-chart]").count():
        page.wait_for_selector(CHART, state="attached")
    results = axe_playwright.Axe().run(page, options=WCAG)
    out = []
    for v in results.response["violations"]:
        targets = "; ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        out.append(f"{v['id']} ({v['impact']}): {v['help']} -> {targets}")
    return out


def _links(page, navigation: str) -> list[str]:
    nav = page.get_by_role("navigation", name=navigation).get_by_role("link")
    return [nav.nth(i).get_attribute("href") for i in range(nav.count())]


def test_every_page_passes_axe(published_server, browser_page):
    page, server = browser_page.page, published_server
    problems = {}
    for path in ("/login", "/public"):
        page.goto(server.url(path))
        problems[path] = _violations(page)
    login(page, server, "coordinator")
    hrefs = _links(page, "Main")
    page.goto(server.url("/network"))
    hrefs += [h for h in _links(page, "Network sections") if h not in hrefs]
    assert "/network" in hrefs and len(hrefs) >= 10
    for href in hrefs:
        response = page.goto(server.url(href))
        assert response is not None and response.status == 200, href
        page.wait_for_load_state("networkidle")
        problems[href] = _violations(page)
    found = {path: v for path, v in problems.items() if v}
    assert found == {}, "\n".join(f"{p}: {line}" for p, lines in found.items() for line in lines)


def test_the_check_finds_a_known_fault(browser_page):
    """The tool itself: an unlabelled field and an image without alt text are reported."""
    page = browser_page.page
    page.set_content('<!doctype html><html lang="en"><head><title>t</title></head><body><main>'
                     '<input type="text"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>')
    found = " ".join(_violations(page))
    assert "label" in found and "image-alt" in found
