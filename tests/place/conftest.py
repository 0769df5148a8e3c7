"""Fixtures for the place tests: a tiny network with and without the postcode lookup
(built by place_network.py), and no network access."""

from __future__ import annotations

import pytest
from place_network import build


@pytest.fixture
def network(tmp_path):
    """Payments and postcodes; no postcode lookup."""
    ws = build(tmp_path / "ws")
    yield ws
    ws.close()


@pytest.fixture
def network_with_lookup(tmp_path):
    """Payments, postcodes and the NSPL fixture."""
    ws = build(tmp_path / "ws", lookup=True)
    yield ws
    ws.close()
