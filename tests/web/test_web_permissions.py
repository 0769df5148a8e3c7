"""Every page and API route, for every role: who may see what, and the server refusing
(403) what a role may not do, whatever the page shows."""

from __future__ import annotations

import pytest
from web_support import OTHER, OXFORD, SMALL_CSV, check_roles, route_paths

ROLES = ("coordinator", "member", "viewer")
EVERYONE, LEADS, COORDINATOR = set(ROLES), {"coordinator", "member"}, {"coordinator"}

PAGES = {
    "/": EVERYONE,
    "/data": LEADS,
    "/data/quarantine": LEADS,
    "/payments": LEADS,
    "/payments.csv": LEADS,
    "/suppliers": COORDINATOR,
    "/reports": EVERYONE,
    "/reports/download?edition=public&format=html": EVERYONE,
    "/admin/users": COORDINATOR,
    "/admin/audit": COORDINATOR,
    "/admin/publish": COORDINATOR,
    "/account": EVERYONE,
    "/network": EVERYONE,
    "/api/me": EVERYONE,
    "/api/session": EVERYONE,
    "/api/overview": EVERYONE,
    "/api/files": LEADS,
    "/api/quarantine": LEADS,
    "/api/payments": LEADS,
    "/api/suppliers/review": COORDINATOR,
    "/api/users": COORDINATOR,
    "/api/audit": COORDINATOR,
}


@pytest.mark.parametrize("url", sorted(PAGES))
def test_each_page_for_each_role(clients, url):
    if url == "/api/session":  # open to everyone: it hands out the CSRF token
        assert all(clients[who].get(url).status_code == 200 for who in (*ROLES, "anonymous"))
        return
    check_roles(clients, url, PAGES[url])


def test_every_get_route_is_in_the_matrix(shared_web):
    """No page escapes this test: every GET route is listed above or tested by id below."""
    tested_elsewhere = {"/setup", "/login", "/public", "/api/public", "/public/report.html", "/static/vega.js",
                        "/favicon.ico",
                        "/openapi.json", "/reports/download", "/data/files/{file_id}", "/api/files/{file_id}",
                        "/suppliers/{entity_id}", "/api/suppliers/{entity_id}"}
    listed = {u.split("?")[0] for u in PAGES}
    # the network's sections keep their own matrices (tests/web/test_web_network_routes.py)
    routes = {r for r in route_paths(shared_web.app, "GET") if not r.startswith(("/network/", "/api/network/"))}
    assert routes - listed - tested_elsewhere == set()


def _file_id(shared_web, member: str) -> int:
    return shared_web.workspace().con.execute(
        "SELECT min(file_id) FROM files JOIN members USING (member_id) WHERE members.name = ?", [member]
    ).fetchone()[0]


def test_pages_by_id_for_each_role(shared_web, clients):
    oxford_file, other_file = _file_id(shared_web, OXFORD), _file_id(shared_web, OTHER)
    supplier = clients["coordinator"].get("/api/overview").json()["top_suppliers"][0]["supplier_id"]
    expected = {
        f"/data/files/{oxford_file}": {"coordinator": 200, "member": 200, "viewer": 403},
        f"/api/files/{oxford_file}": {"coordinator": 200, "member": 200, "viewer": 403},
        f"/data/files/{other_file}": {"coordinator": 200, "member": 403, "viewer": 403},
        f"/api/files/{other_file}": {"coordinator": 200, "member": 403, "viewer": 403},
        f"/suppliers/{supplier}": {"coordinator": 200, "member": 403, "viewer": 403},
        f"/api/suppliers/{supplier}": {"coordinator": 200, "member": 403, "viewer": 403},
        "/data/files/999999": {"coordinator": 404, "member": 404, "viewer": 404},
    }
    for url, by_role in expected.items():
        for role, status in by_role.items():
            assert clients[role].get(url).status_code == status, (role, url)


def test_a_member_lead_never_reads_another_members_data(shared_web, clients):
    lead = clients["member"]
    other_file = _file_id(shared_web, OTHER)
    refused = [
        f"/payments?member={OTHER}", f"/api/payments?member={OTHER}", f"/payments.csv?member={OTHER}",
        f"/data?member={OTHER}", f"/api/files?member={OTHER}", f"/data/files/{other_file}",
        f"/api/files/{other_file}", f"/data/quarantine?member={OTHER}", f"/data/quarantine?file_id={other_file}",
        f"/api/quarantine?file_id={other_file}", f"/?member={OTHER}", f"/api/overview?member={OTHER}",
        f"/reports/download?edition=internal&format=html&member={OTHER}",
        "/reports/download?edition=internal&format=html",  # the whole network's internal edition
    ]
    for url in refused:
        response = lead.get(url)
        assert response.status_code == 403, url
    # what they may see is their own, in full, and nothing else
    payments = lead.get("/api/payments?per_page=500").json()
    assert payments["total"] > 0 and {p["member"] for p in payments["payments"]} == {OXFORD}
    files = lead.get("/api/files").json()["files"]
    assert files and {f["member"] for f in files} == {OXFORD}
    assert {m["member"] for m in lead.get("/api/overview").json()["quality"]["members"]} == {OXFORD}
    csv = lead.get("/payments.csv").text
    assert OTHER not in csv and OXFORD in csv
    assert lead.get(f"/api/overview?member={OXFORD}").status_code == 200
    own = lead.get(f"/reports/download?edition=internal&format=html&member={OXFORD}")
    assert own.status_code == 200 and "internal edition" in own.text
    # the network's shared view is open to them: the whole network's figures
    network = lead.get("/api/overview").json()
    assert network["scope"]["members"] == "all"
    assert network["names_in_full"] is False
    assert all(t["class"] in ("company", "vcse", "public") for t in network["top_suppliers"])


def test_a_viewer_sees_shared_views_only(clients):
    viewer = clients["viewer"]
    assert viewer.get(f"/api/overview?member={OXFORD}").status_code == 403
    assert viewer.get("/api/overview").status_code == 200
    assert viewer.get("/reports/download?edition=internal&format=html").status_code == 403
    nav = viewer.get("/").text
    assert 'href="/payments"' not in nav and 'href="/data"' not in nav and 'href="/suppliers"' not in nav


def test_changes_the_role_may_not_make_are_refused(web):
    other_file = _file_id(web, OTHER)
    upload = {"files": ("small.csv", SMALL_CSV.encode(), "text/csv")}
    before = web.workspace().con.execute("SELECT count(*) FROM files").fetchone()[0]

    web.login("viewer")
    assert web.post("/data/upload", {"member": OXFORD}, files=upload).status_code == 403
    changes = [
        (f"/data/files/{other_file}/replace", {}, {"file": ("x.csv", SMALL_CSV.encode(), "text/csv")}),
        ("/suppliers/merge", {"supplier_a": 1, "supplier_b": 2}, None),
        ("/suppliers/split", {"payee_id": 1}, None),
        ("/suppliers/set", {"supplier_id": 1, "field": "postcode", "value": "OX1 1BX"}, None),
        ("/admin/users", {"email": "new@example.org", "role": "coordinator", "password": "x" * 12}, None),
        ("/admin/users/1", {"role": "viewer"}, None),
        ("/admin/users/1/password", {"password": "y" * 12}, None),
        ("/admin/publish", {"published": "true"}, None),
    ]
    for url, data, files in changes:
        response = web.post(url, data, files=files)
        assert response.status_code == 403, (url, response.text[:200])

    web.client.post("/logout", data={"csrf_token": web.csrf()})
    web.login("member")  # Oxford's lead: not Riverside's records, not the network's
    for url, data, files in changes:
        response = web.post(url, data, files=files)
        assert response.status_code == 403, (url, response.text[:200])
    for name in (OTHER, "A Brand New Member"):
        response = web.post("/data/upload", {"member": name}, files=upload)
        assert response.status_code == 403, name
    response = web.post("/data/upload", {"member": OXFORD, "new_member": OTHER}, files=upload)
    assert response.status_code in (200, 303)  # only a coordinator names a new member: ignored, own member used
    con = web.workspace().con
    assert con.execute(
        "SELECT m.name FROM files f JOIN members m USING (member_id) ORDER BY file_id DESC LIMIT 1"
    ).fetchone()[0] == OXFORD
    assert con.execute("SELECT count(*) FROM files").fetchone()[0] == before + 1
    assert con.execute("SELECT count(*) FROM supplier_overrides").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM users").fetchone()[0] == 4
    assert con.execute("SELECT count(*) FROM public_dashboard").fetchone()[0] == 0
