"""Shared fixtures for the register tests: a fresh workspace, the committed register
fixtures, a command-line runner, and a local HTTP server (tests never use the network)."""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from anchornet.cli.registers_commands import add_parsers, cmd_registers
from anchornet.errors import AnchornetError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "registers"






@pytest.fixture
def fixture():
    def get(name: str) -> Path:
        path = FIXTURES / name
        assert path.exists(), f"missing fixture {name}; run tests/fixtures/registers/make_registers.py"
        return path

    return get


def _wired() -> bool:
    """Is ``registers`` wired into anchornet's own command line yet?"""
    from anchornet.cli import main as cli_main

    parser = cli_main.build_parser()
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        if "registers" in getattr(action, "choices", {}):
            return True
    return False


@pytest.fixture
def cli(capsys):
    """Run ``anchornet --workspace WS registers ...`` in-process: (exit code, stdout, stderr).

    Through anchornet's main() once it is wired in; until then through the same
    parser and error handling on their own.
    """

    def run(workspace: Path, *argv) -> SimpleNamespace:
        argv = [str(a) for a in argv]
        if _wired():
            from anchornet.cli.main import main

            code = main(["--workspace", str(workspace), "registers", *argv])
        else:
            parser = argparse.ArgumentParser(prog="anchornet")
            add_parsers(parser.add_subparsers(dest="command"))
            args = parser.parse_args(["registers", *argv])
            try:
                code = cmd_registers(args, Path(workspace)) or 0
            except AnchornetError as exc:
                print(f"anchornet: error: {exc}", file=sys.stderr)
                code = exc.exit_code
        captured = capsys.readouterr()
        return SimpleNamespace(code=code, out=captured.out, err=captured.err)

    return run


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
