"""No page of the network's sections escapes a role test: every GET route under /network/
and /api/network/ is in one section's PAGES matrix (tested for every role there) or in its
BY_ID list (tested with real ids there)."""

from __future__ import annotations

import importlib

import pytest
from web_support import check_roles, route_paths

SECTIONS = ("members", "groups", "pledges", "pipeline", "plans", "framework", "social_value")
MATRIX = sorted((url, frozenset(roles)) for section in SECTIONS
                for url, roles in importlib.import_module(f"test_web_{section}").PAGES.items())


@pytest.mark.parametrize(("url", "roles"), MATRIX, ids=[url for url, _ in MATRIX])
def test_each_network_page_for_each_role(clients, url, roles):
    check_roles(clients, url, roles)


def test_every_network_route_is_tested_for_every_role(shared_web):
    covered = {"/network"}
    for section in SECTIONS:
        module = importlib.import_module(f"test_web_{section}")
        covered |= {u.split("?")[0] for u in module.PAGES} | set(module.BY_ID)
    routes = {r for r in route_paths(shared_web.app, "GET") if r.startswith(("/network", "/api/network"))}
    assert routes - covered == set()
    assert len(routes) >= 14


def test_the_network_page_offers_each_role_its_sections_with_counts(clients):
    coordinator = clients["coordinator"].get("/network").text
    assert "/network/pipeline" in coordinator and "2 members; 0 with a sector recorded" in coordinator
    for role in ("member", "viewer"):
        page = clients[role].get("/network").text
        assert "/network/pledges" in page and "/network/pipeline" not in page
