"""Running the ``anchornet`` command in-process, as a test sees it: one helper for every
test folder (import it as ``from cli_support import run``)."""

from __future__ import annotations

from anchornet.cli.main import main


def run(capsys, *args) -> tuple[int, str, str]:
    """``anchornet ARGS...``: (exit code, stdout, stderr)."""
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err
