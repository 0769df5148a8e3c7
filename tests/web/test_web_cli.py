"""`anchornet users add|list` and `anchornet serve`."""

from __future__ import annotations

import json

from cli_support import run
from fastapi.testclient import TestClient
from web_support import PASSWORD, SECRET

from anchornet.web.app import create_app


def test_users_add_for_scripts_then_sign_in(tmp_path, capsys, monkeypatch):
    ws = tmp_path / "ws"
    monkeypatch.setenv("ANCHORNET_PASSWORD", PASSWORD)
    code, _, err = run(capsys, "--workspace", ws, "users", "add", "Chair@Example.org", "--role", "coordinator")
    assert code == 0 and "added chair@example.org as coordinator" in err
    code, _, err = run(capsys, "--workspace", ws, "users", "add", "lead@example.org", "--role", "member",
                       "--member", "Anytown Council")
    assert code == 0
    code, _, err = run(capsys, "--workspace", ws, "users", "add", "lead2@example.org", "--role", "member")
    assert code == 2 and "needs the member organisation" in err
    code, _, err = run(capsys, "--workspace", ws, "users", "add", "chair@example.org", "--role", "viewer")
    assert code == 2 and "already an account" in err
    monkeypatch.setenv("ANCHORNET_PASSWORD", "short")
    code, _, err = run(capsys, "--workspace", ws, "users", "add", "v@example.org", "--role", "viewer")
    assert code == 2 and "at least 10 characters" in err
    code, out, _ = run(capsys, "--workspace", ws, "users", "list", "--json")
    listed = {u["email"]: (u["role"], u["member"]) for u in json.loads(out)}
    assert listed == {"chair@example.org": ("coordinator", None), "lead@example.org": ("member", "Anytown Council")}

    app = create_app(ws, secret_key=SECRET)
    assert app.state.setup_code is None  # accounts exist: no first-run page
    with TestClient(app) as client:
        assert client.get("/setup", follow_redirects=False).headers["location"] == "/login"
        token = client.get("/api/session").json()["csrf_token"]
        response = client.post("/login", data={"email": "lead@example.org", "password": PASSWORD,
                                               "csrf_token": token}, follow_redirects=False)
        assert response.status_code == 303
        assert client.get("/api/me").json()["member"] == "Anytown Council"
        actors = app.state.base.con.execute(
            "SELECT actor, action, target FROM audit_log WHERE action = 'users.add' ORDER BY audit_id").fetchall()
        assert actors == [("cli", "users.add", "chair@example.org"), ("cli", "users.add", "lead@example.org")]


def test_users_add_without_a_password_says_how(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("ANCHORNET_PASSWORD", raising=False)
    code, _, err = run(capsys, "--workspace", tmp_path / "ws", "users", "add", "a@example.org", "--role", "viewer")
    assert code == 2 and "ANCHORNET_PASSWORD" in err


def test_serve_prints_the_address_and_the_setup_code(tmp_path, capsys, monkeypatch):
    import uvicorn

    seen = {}

    def fake_run(app, host, port, **kwargs):
        seen.update(app=app, host=host, port=port)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    code, out, _ = run(capsys, "--workspace", tmp_path / "ws", "serve", "--port", "8123")
    assert code == 0
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123
    assert "http://localhost:8123/" in out and seen["app"].state.setup_code in out
    seen["app"].state.base.close()
