"""Fixtures shared by every test folder."""

from __future__ import annotations

import socket

import pytest

from anchornet.workspace import Workspace


@pytest.fixture(autouse=True)
def no_internet(monkeypatch):
    """Refuse every host name but this machine's: a test that tries the network fails loudly."""
    real = socket.getaddrinfo

    def local_only(host, *args, **kwargs):
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise OSError(f"tests do not use the network (tried {host})")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local_only)


@pytest.fixture
def ws(tmp_path):
    """A fresh, empty workspace in tmp_path."""
    workspace = Workspace(tmp_path / "ws")
    yield workspace
    workspace.close()
