"""First run, sign in and out, the rate limit, CSRF, sessions, security headers."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from web_support import ACCOUNTS, PASSWORD, SECRET, Web, csrf_in, route_paths, text_of

from anchornet.web import security


def test_first_run_asks_for_the_coordinator_and_the_setup_code(empty_web):
    client, app = empty_web.client, empty_web.app
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/setup"
    assert client.get("/login", follow_redirects=False).headers["location"] == "/setup"
    page = client.get("/setup")
    assert page.status_code == 200 and "Create the coordinator" in page.text
    for label in ('for="setup_code"', 'for="email"', 'for="password"', 'for="confirm"'):
        assert label in page.text
    form = {"csrf_token": csrf_in(page.text), "email": "Chair@Example.org", "name": "Chair",
            "password": PASSWORD, "confirm": PASSWORD}

    wrong = client.post("/setup", data={**form, "setup_code": "NOPE-NOPE"})
    assert wrong.status_code == 400 and "setup code" in wrong.text
    differ = client.post("/setup", data={**form, "setup_code": app.state.setup_code, "confirm": "something else"})
    assert differ.status_code == 400 and "differ" in differ.text
    short = client.post("/setup", data={**form, "setup_code": app.state.setup_code, "password": "short",
                                        "confirm": "short"})
    assert short.status_code == 400 and "at least 10 characters" in short.text

    done = client.post("/setup", data={**form, "setup_code": app.state.setup_code.lower()},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/"
    assert client.get("/api/me").json() == {"user_id": 1, "email": "chair@example.org", "name": "Chair",
                                            "role": "coordinator", "member": None}
    # an empty workspace: an honest empty state that says what to do next
    overview = client.get("/")
    assert overview.status_code == 200
    assert "No payments yet" in overview.text and 'href="/data"' in overview.text
    # the first run is over: setup is closed, and a second attempt changes nothing
    assert app.state.setup_code is None
    assert client.get("/setup", follow_redirects=False).headers["location"] == "/login"
    again = client.post("/setup", data={**form, "csrf_token": empty_web.csrf(), "email": "mallory@example.org",
                                         "setup_code": "X"},
                        follow_redirects=False)
    assert again.status_code == 303
    con = app.state.base.con
    assert con.execute("SELECT email, role FROM users").fetchall() == [("chair@example.org", "coordinator")]
    stored = con.execute("SELECT password_hash FROM users").fetchone()[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert [r[0] for r in empty_web.audit("setup")] == ["chair@example.org"]


def test_empty_workspace_pages_say_what_to_do(empty_web):
    app = empty_web.app
    page = empty_web.client.get("/setup")
    empty_web.client.post("/setup", data={"csrf_token": csrf_in(page.text), "email": "c@example.org",
                                          "password": PASSWORD, "confirm": PASSWORD,
                                          "setup_code": app.state.setup_code})
    for url, expected in [("/data", "No files yet"), ("/payments", "No payments loaded yet"),
                          ("/suppliers", "No suppliers yet"), ("/reports", "There are no payments yet"),
                          ("/public", "has not published")]:
        response = empty_web.client.get(url)
        assert expected in response.text, url
    data = empty_web.client.get("/api/overview").json()
    assert data["has_data"] is False and data["headline"]["payments"] == 0


def test_login_good_and_bad(web):
    page = web.client.get("/login")
    assert page.status_code == 200 and 'autocomplete="current-password"' in page.text
    bad = web.client.post("/login", data={"email": ACCOUNTS["member"][0], "password": "wrong password!",
                                          "csrf_token": csrf_in(page.text)})
    assert bad.status_code == 401 and "do not match" in bad.text
    unknown = web.client.post("/login", data={"email": "nobody@example.org", "password": PASSWORD,
                                              "csrf_token": csrf_in(page.text)})
    assert unknown.status_code == 401 and "do not match" in unknown.text  # same answer: no account enumeration
    assert web.client.get("/api/me").status_code == 401

    good = web.client.post("/login", data={"email": "  LEAD@oxford.example.org ", "password": PASSWORD,
                                           "csrf_token": csrf_in(page.text), "next": "/payments"},
                           follow_redirects=False)
    assert good.status_code == 303 and good.headers["location"] == "/payments"
    cookie = good.headers["set-cookie"]
    assert security.SESSION_COOKIE in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert web.client.get("/api/me").json()["member"] == "Oxford City Council"
    assert [r[1] for r in web.audit("login.failed")] == [ACCOUNTS["member"][0], "nobody@example.org"]
    assert [r[0] for r in web.audit("login")] == [ACCOUNTS["member"][0]]
    last = web.workspace().con.execute("SELECT last_login_at FROM users WHERE email = ?",
                                       [ACCOUNTS["member"][0]]).fetchone()[0]
    assert last is not None


def test_login_never_redirects_to_another_site(web):
    for target in ("//evil.example.com/", "https://evil.example.com/", "/\\evil.example.com"):
        response = web.client.post("/login", data={"email": ACCOUNTS["viewer"][0], "password": PASSWORD,
                                                   "csrf_token": web.csrf(), "next": target},
                                   follow_redirects=False)
        assert response.headers["location"] == "/"
    page = web.client.get("/login?next=//evil.example.com", follow_redirects=False)
    assert page.headers["location"] == "/"


def test_login_is_rate_limited_per_account(web):
    email = ACCOUNTS["coordinator"][0]
    for _ in range(security.LIMIT_PER_ACCOUNT):
        response = web.client.post("/login", data={"email": email, "password": "not the password",
                                                   "csrf_token": web.csrf()})
        assert response.status_code == 401
    blocked = web.client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": web.csrf()})
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    assert "too many failed sign-in attempts" in blocked.text
    assert web.client.get("/api/me").status_code == 401
    # another account from the same address is not blocked by this one's failures
    Web(web.app, web.client, web.path).login("viewer")
    assert web.audit("login.refused")


def test_login_is_rate_limited_per_address(web):
    for i in range(security.LIMIT_PER_ADDRESS):
        web.client.post("/login", data={"email": f"guess{i}@example.org", "password": "x" * 12,
                                        "csrf_token": web.csrf()})
    blocked = web.client.post("/login", data={"email": ACCOUNTS["viewer"][0], "password": PASSWORD,
                                              "csrf_token": web.csrf()})
    assert blocked.status_code == 429


def test_logout_ends_the_session(web):
    client = web.login("viewer")
    assert client.get("/api/me").status_code == 200
    token = web.csrf()
    refused = client.post("/logout", follow_redirects=False)  # no token: refused, still signed in
    assert refused.status_code == 403 and client.get("/api/me").status_code == 200
    out = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert client.get("/api/me").status_code == 401
    assert client.get("/", follow_redirects=False).headers["location"] == "/login?next=%2F"
    assert [r[0] for r in web.audit("logout")] == [ACCOUNTS["viewer"][0]]


def test_every_post_refuses_a_missing_or_wrong_csrf_token(web):
    client = web.login("coordinator")
    posts = sorted(route_paths(web.app, "POST"))
    assert {"/login", "/logout", "/setup", "/data/upload", "/suppliers/merge", "/admin/publish",
            "/account/password"} <= set(posts)
    for path in posts:
        url = path.replace("{file_id}", "1").replace("{user_id}", "1")
        missing = client.post(url, data={"note": "x"}, follow_redirects=False)
        assert missing.status_code == 403, url
        assert "form has expired" in missing.text
        wrong = client.post(url, data={"csrf_token": "forged"}, follow_redirects=False)
        assert wrong.status_code == 403, url
        header = client.post(url, headers={"X-CSRF-Token": "forged"}, follow_redirects=False)
        assert header.status_code == 403, url
    # a token from another browser's session is refused too
    other = TestClient(web.app)
    foreign = other.get("/api/session").json()["csrf_token"]
    assert client.post("/suppliers/merge", data={"csrf_token": foreign, "supplier_a": 1, "supplier_b": 2}
                       ).status_code == 403
    assert web.workspace().con.execute("SELECT count(*) FROM supplier_overrides").fetchone()[0] == 0
    # and the JSON API may send it as a header
    assert client.post("/suppliers/merge", headers={"X-CSRF-Token": web.csrf()},
                       data={"supplier_a": 1, "supplier_b": 1}, follow_redirects=False).status_code == 400


def test_sessions_are_signed_and_end_when_the_account_changes(web):
    client = web.login("member")
    cookie = client.cookies.get(security.SESSION_COOKIE)
    client.cookies.set(security.SESSION_COOKIE, cookie[:-3] + ("AAA" if not cookie.endswith("AAA") else "BBB"))
    assert client.get("/api/me").status_code == 401  # tampered: not signed in
    other_secret = TestClient(web.app)
    forged = security.Sessions("another secret entirely, not the app's").dump({"uid": 1, "sv": 1, "csrf": "x"})
    other_secret.cookies.set(security.SESSION_COOKIE, forged)
    assert other_secret.get("/api/me").status_code == 401

    lead = TestClient(web.app)
    Web(web.app, lead, web.path).login("member")
    coordinator = TestClient(web.app)
    helper = Web(web.app, coordinator, web.path)
    helper.login("coordinator")
    user_id = web.workspace().con.execute("SELECT user_id FROM users WHERE email = ?",
                                          [ACCOUNTS["member"][0]]).fetchone()[0]
    token = coordinator.get("/api/session").json()["csrf_token"]
    changed = coordinator.post(f"/admin/users/{user_id}", data={"csrf_token": token, "role": "member",
                                                               "member": "Oxford City Council"},
                               follow_redirects=False)  # "active" unticked
    assert changed.status_code == 303
    assert lead.get("/api/me").status_code == 401  # deactivated: the session has ended
    assert web.audit("users.change")[0][0] == ACCOUNTS["coordinator"][0]


def test_password_change_keeps_this_session_and_ends_the_others(web):
    first = web.login("viewer")
    second = TestClient(web.app)
    Web(web.app, second, web.path).login("viewer")
    new = "a much better passphrase"
    wrong = first.post("/account/password", data={"csrf_token": web.csrf(), "current": "nope", "password": new,
                                                  "confirm": new})
    assert wrong.status_code == 400 and "current password" in wrong.text
    done = first.post("/account/password", data={"csrf_token": web.csrf(), "current": PASSWORD, "password": new,
                                                 "confirm": new}, follow_redirects=False)
    assert done.status_code == 303
    assert first.get("/api/me").status_code == 200
    assert second.get("/api/me").status_code == 401
    fresh = TestClient(web.app)
    token = fresh.get("/api/session").json()["csrf_token"]
    assert fresh.post("/login", data={"email": ACCOUNTS["viewer"][0], "password": new, "csrf_token": token},
                      follow_redirects=False).status_code == 303


def test_security_headers_and_no_cdn(shared_web, clients):
    response = clients["coordinator"].get("/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    for url in ("/", "/data", "/payments", "/suppliers", "/reports", "/public"):
        html = clients["coordinator"].get(url).text
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), url  # nothing loaded from elsewhere
        assert "cdn" not in html.lower(), url
    assert clients["anonymous"].get("/docs").status_code == 404  # Swagger UI would load from a CDN


def test_secret_key_is_made_once_and_kept(empty_web):
    key_file = empty_web.path / security.SECRET_FILE
    assert not key_file.exists()  # the app was given a key
    from anchornet.web.app import create_app

    create_app(empty_web.path)
    made = key_file.read_text().strip()
    assert len(made) >= 32 and (key_file.stat().st_mode & 0o077) == 0
    create_app(empty_web.path)
    assert key_file.read_text().strip() == made
    assert made != SECRET


def test_pages_are_accessible_by_construction(shared_web, clients):
    """A skip link, one <main>, a labelled nav, and a label for every visible input."""
    for url in ("/", "/data", "/payments", "/suppliers", "/reports", "/admin/users", "/admin/publish",
                "/account", "/login", "/public"):
        client = clients["anonymous"] if url in ("/login", "/public") else clients["coordinator"]
        html = client.get(url).text
        assert 'class="skip-link" href="#main"' in html, url
        assert html.count("<main") == 1 and 'id="main"' in html, url
        assert '<nav aria-label="Main">' in html, url
        assert '<html lang="en-GB">' in html
        ids = set(re.findall(r'<label[^>]* for="([^"]+)"', html))
        for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
            if re.search(r'type="(hidden|submit|checkbox|radio)"', tag) or " hidden" in tag:
                continue
            found = re.search(r'id="([^"]+)"', tag)
            assert found and found.group(1) in ids, f"{url}: no label for {tag}"
        assert text_of(html).strip()
