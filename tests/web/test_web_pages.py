"""The pages do the work: upload with its line accounting, supplier decisions recorded,
payments with lineage and CSV, reports, the public dashboard free of personal data, and
the API returning what the pages show."""

from __future__ import annotations

import csv
import io
import json

from web_support import OXFORD, SMALL_CSV, text_of

from anchornet.reports.rendering import money, money0, percent


def _personal_names(con) -> list[str]:
    """Names of payees that are people or redacted (long enough not to occur by chance)."""
    return [r[0] for r in con.execute(
        "SELECT DISTINCT supplier_name FROM payees WHERE personal AND length(supplier_name) > 6 "
        "AND class_reason NOT LIKE 'the name is redacted%'").fetchall()]


# -- data --------------------------------------------------------------------------------------------
def test_upload_shows_the_line_accounting_and_the_quality_report(web):
    web.login("coordinator")
    page = web.client.get("/data")
    assert 'enctype="multipart/form-data"' in page.text and 'for="files"' in page.text
    response = web.post("/data/upload", {"new_member": "Riverside Community Health"},
                        files=[("files", ("riverside-apr-2024.csv", SMALL_CSV.encode("utf-8"), "text/csv")),
                               ("files", ("notes.csv", b"just some words\nand more words\n", "text/csv"))])
    assert response.status_code == 200, response.text
    text = text_of(response.text)
    # 9 lines: title + header, one blank, one footer total, 4 payments, 1 quarantined
    assert "riverside-apr-2024.csv loaded 2024-04-01..2024-04-30 9 2 1 1 0 4 1 £2,122.50" in text
    assert "9 of 9 lines accounted for (all)" in text
    assert "the file's own total £2,122.50 matches the loaded payments" in text
    assert "notes.csv refused" in text and "no header row" in text  # one bad file does not stop the other
    con = web.workspace().con
    file_id = con.execute("SELECT file_id FROM files WHERE name = 'riverside-apr-2024.csv'").fetchone()[0]
    assert con.execute("SELECT count(*) FROM payees q JOIN members m USING (member_id) "
                       "WHERE m.name = 'Riverside Community Health'").fetchone()[0] == 4  # resolved at once
    detail = text_of(web.client.get(f"/data/files/{file_id}").text)
    assert "Lines accounted for 9 of 9 (all)" in detail
    assert "amount is not a number" in detail and "twelve pounds" in detail
    assert "Transparency Code fields" in detail
    quarantine = text_of(web.client.get(f"/data/quarantine?file_id={file_id}").text)
    assert "1 quarantined rows" in quarantine and "NOT A PAYMENT LTD" in quarantine
    api = web.client.get(f"/api/files/{file_id}").json()
    assert api["file"]["accounted"] == api["file"]["lines_total"] == 9
    assert api["quarantine"]["rows"][0]["line"] == 8
    audit = web.audit("upload.loaded")
    assert audit[0][0] == "coord@example.org" and json.loads(audit[0][2])["rows_loaded"] == 4
    assert web.audit("upload.refused")[0][1] == "notes.csv"

    # the same file again changes nothing; a corrected file replaces it
    again = web.post("/data/upload", {"member": "Riverside Community Health"},
                     files={"files": ("riverside-apr-2024.csv", SMALL_CSV.encode(), "text/csv")})
    assert "already loaded" in again.text
    fixed = SMALL_CSV.replace("twelve pounds", "12.00")
    replaced = web.post(f"/data/files/{file_id}/replace",
                        files={"file": ("whatever-name.csv", fixed.encode(), "text/csv")})
    assert replaced.status_code == 200 and "replaced the earlier version" in replaced.text
    assert con.execute("SELECT status FROM files WHERE file_id = ?", [file_id]).fetchone()[0] == "superseded"
    assert con.execute("SELECT count(*) FROM files WHERE name = 'riverside-apr-2024.csv' AND status = 'active'"
                       ).fetchone()[0] == 1
    assert web.audit("upload.replaced")


def test_a_member_lead_uploads_for_their_own_member(web):
    web.login("member")
    page = web.client.get("/data")
    assert 'name="new_member"' not in page.text and f'value="{OXFORD}"' in page.text
    response = web.post("/data/upload", {"member": OXFORD},
                        files={"files": ("oxford-extra.csv", SMALL_CSV.encode(), "text/csv")})
    assert response.status_code == 200 and "9 of 9 lines accounted for" in text_of(response.text)
    assert web.audit("upload.loaded")[0][0] == "lead@oxford.example.org"


# -- suppliers ------------------------------------------------------------------------------------------
def test_supplier_merge_is_recorded_applied_and_audited(web):
    web.login("coordinator")
    queue = web.client.get("/api/suppliers/review").json()
    pair = queue["uncertain_matches"][0]
    page = web.client.get("/suppliers")
    assert pair["name_a"] in text_of(page.text) and 'action="/suppliers/merge"' in page.text
    response = web.post("/suppliers/merge", {"supplier_a": pair["entity_a"], "supplier_b": pair["entity_b"],
                                             "note": "same firm", "return_to": "/suppliers"})
    assert response.status_code == 303 and response.headers["location"] == "/suppliers?done=merge"
    assert "the two suppliers are now one" in web.client.get(response.headers["location"]).text
    con = web.workspace().con
    assert con.execute("SELECT action, note, created_by FROM supplier_overrides").fetchall() == [
        ("merge", "same firm", "coord@example.org")]
    a, b = (con.execute("SELECT entity_id FROM payees WHERE supplier_name = ?", [n]).fetchone()[0]
            for n in (pair["name_a"], pair["name_b"]))
    assert a == b  # applied at once
    actor, target, detail = web.audit("supplier.merge")[0]
    assert actor == "coord@example.org" and str(pair["entity_a"]) in target
    assert json.loads(detail)["note"] == "same firm"
    audit_page = text_of(web.client.get("/admin/audit?action=supplier.merge").text)
    assert "coord@example.org supplier.merge" in audit_page
    api = web.client.get("/api/audit?action=supplier.merge").json()
    assert api["total"] == 1 and api["entries"][0]["detail"]["supplier_b"] == pair["entity_b"]
    # the merged supplier's page lists both names; the old id leads to it
    merged = web.client.get(f"/suppliers/{pair['entity_b']}")
    assert pair["name_a"] in merged.text and pair["name_b"] in merged.text


def test_supplier_set_postcode_and_split(web):
    web.login("coordinator")
    unlocated = web.client.get("/api/suppliers/review").json()["unlocated"][0]
    response = web.post("/suppliers/set", {"supplier_id": unlocated["entity_id"], "field": "postcode",
                                           "value": "ox1 1bx", "return_to": f"/suppliers/{unlocated['entity_id']}"})
    assert response.status_code == 303
    supplier = web.client.get(f"/api/suppliers/{unlocated['entity_id']}").json()
    assert supplier["postcode"].upper() == "OX1 1BX" and supplier["decisions"][0]["created_by"] == "coord@example.org"
    bad = web.post("/suppliers/set", {"supplier_id": unlocated["entity_id"], "field": "class", "value": "alien"})
    assert bad.status_code == 400 and "unknown class" in bad.text
    con = web.workspace().con
    entity, payee = con.execute(
        "SELECT entity_id, max(payee_id) FROM payees WHERE entity_id IS NOT NULL GROUP BY entity_id "
        "HAVING count(*) > 1 ORDER BY entity_id LIMIT 1").fetchone()
    page = web.client.get(f"/suppliers/{entity}")
    assert 'action="/suppliers/split"' in page.text
    assert web.post("/suppliers/split", {"payee_id": payee, "return_to": f"/suppliers/{entity}"}).status_code == 303
    assert con.execute("SELECT entity_id FROM payees WHERE payee_id = ?", [payee]).fetchone()[0] != entity
    assert [r[1] for r in web.audit("supplier.set")] == [f"supplier {unlocated['entity_id']}"]
    assert web.audit("supplier.split")


# -- payments -------------------------------------------------------------------------------------------
def test_payments_search_filter_pages_and_lineage(clients):
    client = clients["coordinator"]
    everything = client.get("/api/payments").json()
    assert everything["total"] > 10_000 and len(everything["payments"]) == 50
    first = everything["payments"][0]
    assert {"source_file", "source_line", "file_id", "member"} <= set(first)
    page2 = client.get("/api/payments?page=2").json()["payments"]
    assert page2[0]["source_line"] != first["source_line"] or page2[0]["source_file"] != first["source_file"]
    found = client.get("/api/payments?q=leadbitter&sort=amount").json()
    assert found["total"] > 0 and all("LEADBITTER" in p["supplier_name"].upper() for p in found["payments"])
    amounts = [p["amount"] for p in found["payments"]]
    assert amounts == sorted(amounts, reverse=True)
    quarter = client.get("/api/payments?period=2014-Q2").json()
    assert 0 < quarter["total"] < everything["total"]
    member = client.get(f"/api/payments?member={OXFORD}").json()
    assert member["total"] < everything["total"]
    bad = client.get("/payments?period=someday")
    assert bad.status_code == 400 and "not understood" in bad.text
    # the page shows the same rows as the API
    html = text_of(client.get("/payments?q=leadbitter&sort=amount").text)
    assert f"{found['total']:,} payments match" in html
    for p in found["payments"][:5]:
        assert money(p["amount"]) in html and str(p["source_line"]) in html


def test_payments_csv_export(clients, shared_web):
    client = clients["coordinator"]
    response = client.get("/payments.csv?q=leadbitter")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    api = client.get("/api/payments?q=leadbitter").json()
    assert len(rows) == api["total"]
    assert {"member", "source_file", "source_sheet", "source_line", "payment_date", "amount", "supplier_name",
            "category"} <= set(rows[0])
    assert round(sum(float(r["amount"]) for r in rows), 2) == round(api["amount"], 2)
    lead = clients["member"].get("/payments.csv")
    assert {r["member"] for r in csv.DictReader(io.StringIO(lead.text))} == {OXFORD}
    exports = shared_web.audit("payments.export")
    assert exports and json.loads(exports[0][2])["rows"] == api["total"]


# -- reports --------------------------------------------------------------------------------------------
def test_report_download_html(clients):
    response = clients["coordinator"].get(f"/reports/download?edition=internal&format=html&member={OXFORD}"
                                          "&period=FY2014/15")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert 'filename="anchornet-report-internal-Oxford-City-Council-FY2014-15.html"' in \
        response.headers["content-disposition"]
    assert "internal edition" in response.text and "<svg" in response.text and "<script" not in response.text
    public = clients["viewer"].get("/reports/download?edition=public&format=xlsx")
    assert public.status_code == 200 and public.content[:2] == b"PK"
    pdf = clients["member"].get(f"/reports/download?edition=internal&format=pdf&member={OXFORD}&period=2014-Q2")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    assert "Reports" in clients["viewer"].get("/reports").text
    assert 'value="internal"' not in clients["viewer"].get("/reports").text


# -- the public dashboard -------------------------------------------------------------------------------
def test_public_dashboard_publishes_only_what_is_chosen_and_names_no_person(web):
    anonymous = web.client
    assert anonymous.get("/public").status_code == 404
    assert anonymous.get("/api/public").status_code == 404
    assert anonymous.get("/public/report.html").status_code == 404
    names = _personal_names(web.workspace().con)
    assert len(names) > 50

    web.login("coordinator")
    saved = web.post("/admin/publish", {"published": "true", "title": "Oxford's money", "period": "",
                                        "sections": ["headline", "trend", "leakage", "top_suppliers",
                                                     "by_category", "by_member"]})
    assert saved.status_code == 303 and web.audit("public.publish")
    web.client.post("/logout", data={"csrf_token": web.csrf()})
    assert web.client.get("/api/me").status_code == 401

    page = anonymous.get("/public")
    assert page.status_code == 200 and "Oxford's money" in text_of(page.text)
    data = anonymous.get("/api/public").json()
    report = anonymous.get("/public/report.html")
    assert report.status_code == 200 and "public edition" in report.text
    for where, text in (("page", page.text), ("api", json.dumps(data)), ("report", report.text)):
        leaked = [n for n in names if n in text]
        assert leaked == [], where
    assert data["top_suppliers"] and all(t["class"] in ("company", "vcse", "public") for t in data["top_suppliers"])
    assert "supplier_id" not in data["top_suppliers"][0] and "/payments" not in page.text
    assert "personal_payees" not in data["headline"]
    # what the page shows is the API's data
    shown = text_of(page.text)
    assert money0(data["headline"]["influenceable_spend"]) in shown
    for t in data["top_suppliers"]:
        assert t["supplier"] in shown
    # only the chosen sections
    web.login("coordinator")
    web.post("/admin/publish", {"published": "true", "sections": ["headline"]})
    web.client.post("/logout", data={"csrf_token": web.csrf()})
    data = anonymous.get("/api/public").json()
    assert data["sections"] == ["headline"] and "top_suppliers" not in data and "trend" not in data


# -- the API is what the pages show ----------------------------------------------------------------------
def test_overview_api_equals_the_page(clients):
    client = clients["coordinator"]
    for query in ("", f"?member={OXFORD}&period=FY2014/15"):
        data = client.get("/api/overview" + query).json()
        page = client.get("/" + query)
        assert page.status_code == 200
        shown = text_of(page.text)
        h = data["headline"]
        assert f"{money0(h['influenceable_spend'])} influenceable spend of {money0(h['total_spend'])} paid in " \
               f"{h['payments']:,} payments" in shown
        assert f"{percent(h['vcse']['share'])} with the voluntary sector (VCSE) known for " \
               f"{percent(h['vcse']['coverage'])}" in shown
        for row in data["top_suppliers"]:
            assert f"{row['supplier']} {row['class']}" in shown and money0(row["spend"]) in shown
        for p in data["trend"]["periods"]:
            assert f"{p['period']} {p['payments']:,} {money0(p['influenceable_spend'])}" in shown
        q = data["quality"]["summary"]
        assert f"Payments loaded {q['rows_loaded']:,}" in shown
    scoped = client.get(f"/api/overview?member={OXFORD}&period=FY2014/15").json()
    assert scoped["scope"] == {"members": [OXFORD], "period": "2014-04-01..2015-03-31"}
    # charts: Vega-Lite specs in the page, drawn by the bundled library
    page = client.get("/").text
    assert 'data-chart="chart-top_suppliers"' in page and '<script defer src="/static/vega.js"></script>' in page
    assert client.get("/?period=nonsense").status_code == 400


def test_files_and_quarantine_api_equal_the_pages(clients):
    client = clients["coordinator"]
    data = client.get("/api/files").json()
    shown = text_of(client.get("/data").text)
    for f in data["files"]:
        assert f"{f['member']} {f['name']}" in shown
        assert f"{f['lines_total']:,} {f['lines_header']:,} {f['lines_blank']:,}" in shown
    t = data["totals"]
    assert f"{t['accounted']:,} of {t['lines_total']:,} lines accounted for" in shown
    assert t["accounted"] == t["lines_total"]
    quarantine = client.get("/api/quarantine").json()
    assert f"{quarantine['total']:,} quarantined rows" in text_of(client.get("/data/quarantine").text)


def test_openapi_describes_the_api(clients):
    spec = clients["anonymous"].get("/openapi.json").json()
    assert spec["info"]["title"] == "anchornet"
    paths = set(spec["paths"])
    assert {"/api/overview", "/api/payments", "/api/files", "/api/files/{file_id}", "/api/quarantine",
            "/api/suppliers/review", "/api/public", "/api/me", "/payments.csv", "/reports/download"} <= paths
    assert not any(p in paths for p in ("/", "/login", "/data/upload"))  # pages are not the API
    params = {p["name"] for p in spec["paths"]["/api/payments"]["get"]["parameters"]}
    assert {"member", "period", "q", "page", "per_page", "sort"} <= params


def test_the_chart_library_is_served_from_the_package(clients):
    client = clients["anonymous"]
    response = client.get("/static/vega.js")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/javascript")
    assert "vegaEmbed" in response.text and len(response.content) > 100_000
    again = client.get("/static/vega.js", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
    assert "vegaEmbed" in client.get("/static/charts.js").text
    assert client.get("/static/style.css").status_code == 200


def test_what_members_wrote_is_shown_as_text_never_as_markup(web):
    web.login("coordinator")
    hostile = SMALL_CSV.replace("ACME SUPPLIES LTD", "<script>alert(1)</script> LTD")
    response = web.post("/data/upload", {"new_member": "<b>Bold</b> Trust"},
                        files={"files": ("x<img src=y>.csv", hostile.encode(), "text/csv")})
    assert response.status_code == 200
    for url in ("/payments?q=alert", "/data", "/?member=%3Cb%3EBold%3C%2Fb%3E%20Trust"):
        html = web.client.get(url).text
        assert "<script>alert" not in html and "<b>Bold</b>" not in html and "<img src=y>" not in html, url
    assert "&lt;script&gt;alert(1)&lt;/script&gt; LTD" in web.client.get("/payments?q=alert").text


def test_requests_in_parallel_each_have_their_own_connection(shared_web, clients):
    from concurrent.futures import ThreadPoolExecutor

    client = clients["coordinator"]
    urls = ["/api/overview", f"/api/overview?member={OXFORD}", "/api/payments?q=ltd", "/api/files"] * 3
    with ThreadPoolExecutor(max_workers=4) as pool:
        responses = list(pool.map(client.get, urls))
    assert all(r.status_code == 200 for r in responses)
    firsts = [r.json() for r in responses[:4]]
    for i, r in enumerate(responses):
        assert r.json() == firsts[i % 4]


def test_favicon(clients):
    response = clients["anonymous"].get("/favicon.ico")
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")


def test_an_unexpected_error_is_a_page_not_a_traceback(web, monkeypatch):
    """A bug in a page gives the person one clear page (500) and the API JSON; nothing leaks."""
    from anchornet.web.views import account

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(account, "render", broken)
    client = web.login("viewer")
    client_no_raise = type(client)(web.app, raise_server_exceptions=False, cookies=client.cookies)
    page = client_no_raise.get("/account")
    assert page.status_code == 500 and "Something went wrong" in page.text and "secret" not in page.text
