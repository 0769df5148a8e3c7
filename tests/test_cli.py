"""The command line, end to end, in-process."""

from __future__ import annotations

import json

from cli_support import run

from anchornet.sample import sample_files


def test_ingest_status_json_and_rerun(tmp_path, capsys):
    ws = tmp_path / "ws"
    path = sample_files()[0]
    code, out, _ = run(capsys, "--workspace", ws, "ingest", path, "--member", "Oxford", "--json")
    assert code == 0
    first = json.loads(out)[0]
    assert first["status"] == "loaded"
    assert first["totals"]["rows_loaded"] + first["totals"]["lines_nondata"] + 1 == (
        first["totals"]["lines_total"]
    )
    code, out, _ = run(capsys, "--workspace", ws, "ingest", path, "--member", "Oxford", "--json")
    assert code == 0 and json.loads(out)[0]["status"] == "unchanged"
    code, out, _ = run(capsys, "--workspace", ws, "status", "--json")
    status = json.loads(out)
    assert status["totals"]["files"] == 1
    assert status["totals"]["accounted"] == status["totals"]["lines_total"]


def test_workspace_from_environment(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ANCHORNET_WORKSPACE", str(tmp_path / "envws"))
    code, _, _ = run(capsys, "ingest", sample_files()[1], "--member", "Oxford", "--quiet")
    assert code == 0
    assert (tmp_path / "envws" / "anchornet.duckdb").exists()


def test_status_without_workspace_is_a_clear_error(tmp_path, capsys):
    code, out, err = run(capsys, "--workspace", tmp_path / "none", "status")
    assert code != 0
    assert "no workspace" in err and "Traceback" not in err
    assert not (tmp_path / "none").exists()


def test_missing_file_leaves_no_workspace(tmp_path, capsys):
    code, _, err = run(capsys, "--workspace", tmp_path / "ws", "ingest", tmp_path / "nope.csv",
                       "--member", "X")
    assert code != 0 and "no such file" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "ws").exists()


def test_demo_builds_and_reruns(tmp_path, capsys):
    ws = tmp_path / "demo"
    code, out, _ = run(capsys, "--workspace", ws, "demo", "--no-serve")
    assert code == 0
    assert "30,558 payments loaded" in out
    assert (ws / "reports" / "quality.html").exists()
    logins = (ws / "DEMO-LOGINS.txt").read_text()
    code, out, _ = run(capsys, "--workspace", ws, "demo", "--no-serve")
    assert code == 0 and "unchanged" in out and "30,558 payments loaded" in out
    assert (ws / "DEMO-LOGINS.txt").read_text() == logins  # the same accounts, not new ones


def test_demo_prints_logins_then_serves(tmp_path, capsys, monkeypatch):
    from anchornet.cli import web_commands

    served = {}
    monkeypatch.setattr(web_commands, "cmd_serve", lambda args, workspace: served.setdefault("at", args.port) and 0)
    code, out, _ = run(capsys, "--workspace", tmp_path / "demo", "demo", "--port", "8765")
    assert code == 0 and served["at"] == 8765
    assert "coordinator@demo.anchornet.invalid" in out and "password: demo-" in out


def test_quality_and_quarantine_commands(tmp_path, capsys):
    ws = tmp_path / "ws"
    run(capsys, "--workspace", ws, "ingest", sample_files()[2], "--member", "Oxford", "--quiet")
    code, out, _ = run(capsys, "--workspace", ws, "quality", "--format", "json")
    assert code == 0 and json.loads(out)["files"][0]["rows_loaded"] > 0
    html = tmp_path / "q.html"
    code, _, _ = run(capsys, "--workspace", ws, "quality", "--format", "html", "-o", html)
    assert code == 0 and html.read_text().startswith("<!doctype html>")
    code, out, _ = run(capsys, "--workspace", ws, "quarantine", "--json")
    assert code == 0 and json.loads(out)["total"] == 0
    code, _, err = run(capsys, "--workspace", ws, "export", "payments", "-o", tmp_path / "p.csv")
    assert code == 0 and "rows" in err
