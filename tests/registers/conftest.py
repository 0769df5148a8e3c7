"""Shared fixtures for the register tests: a fresh workspace, the committed register
fixtures, a command-line runner, and a local HTTP server (tests never use the network)."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from cli_support import run

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "registers"


@pytest.fixture
def fixture():
    def get(name: str) -> Path:
        path = FIXTURES / name
        assert path.exists(), f"missing fixture {name}; run tests/fixtures/registers/make_registers.py"
        return path

    return get


@pytest.fixture
def cli(capsys):
    """Run ``anchornet --workspace WS registers ...`` in-process: (exit code, stdout, stderr)."""

    def go(workspace: Path, *argv) -> SimpleNamespace:
        code, out, err = run(capsys, "--workspace", workspace, "registers", *argv)
        return SimpleNamespace(code=code, out=out, err=err)

    return go


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def http_root(tmp_path):
    """A folder served over HTTP on 127.0.0.1: yields (folder, base URL)."""
    root = tmp_path / "served"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
