"""Figures are kept between requests only until the next change to the data."""

from __future__ import annotations

from anchornet.web.cache import ResultCache


def test_cache_keeps_until_bumped():
    cache = ResultCache(size=2)
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert cache.get("a", compute) == 1
    assert cache.get("a", compute) == 1  # kept
    cache.bump()
    assert cache.get("a", compute) == 2  # recomputed after a change
    cache.get("b", compute)
    cache.get("c", compute)
    assert cache.get("a", compute) == 5  # the oldest went when the cache was full


def test_overview_follows_an_upload(web):
    """An upload (a POST) makes the overview count the new payments at once."""
    from web_support import SMALL_CSV

    client = web.login("coordinator")
    before = client.get("/api/overview").json()["headline"]["payments"]
    assert client.get("/api/overview").json()["headline"]["payments"] == before  # from the cache
    response = web.post("/data/upload", {"new_member": "Cache Test Trust"},
                        files={"files": ("cache-test-may-2024.csv", SMALL_CSV.encode(), "text/csv")})
    assert response.status_code in (200, 303)
    after = client.get("/api/overview").json()["headline"]["payments"]
    assert after > before


def test_a_figure_being_computed_is_computed_once():
    """Two requests for the same figure at once: the second waits for the first's result."""
    import threading
    import time

    cache = ResultCache()
    calls, results = [], []

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return "figures"

    threads = [threading.Thread(target=lambda: results.append(cache.get("k", slow))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["figures"] * 3 and len(calls) == 1


def test_warmers_run_again_after_each_change():
    cache = ResultCache()
    runs = []
    cache.add_warmer(lambda: runs.append(cache.get("network", lambda: len(runs) + 1)))
    cache.warm()
    assert cache.wait_warm(10) and runs == [1]
    cache.bump()
    assert cache.wait_warm(10) and len(runs) == 2
    assert cache.get("network", lambda: "not computed again") == runs[-1]


def test_a_failing_warmer_never_fails_a_page(caplog):
    cache = ResultCache()
    cache.add_warmer(lambda: 1 / 0)
    cache.bump()
    assert cache.wait_warm(10)
    assert cache.get("k", lambda: "computed by the request") == "computed by the request"
    assert "warming the figures failed" in caplog.text


def test_the_app_warms_the_network_overview_after_a_change(oxford_template, tmp_path):
    """After a change the whole network's overview is computed in the background: the next
    request finds it ready (served from the cache, no computation in the request)."""
    import shutil

    from fastapi.testclient import TestClient
    from web_support import SECRET, SMALL_CSV, Web

    from anchornet.web.app import create_app

    path = tmp_path / "ws"
    shutil.copytree(oxford_template, path)
    app = create_app(path, secret_key=SECRET)
    with TestClient(app) as client:
        web = Web(app, client, path)
        web.login("coordinator")
        results = app.state.results
        assert results.wait_warm(60)
        version = results.version
        assert any(k == (version, ("overview", (), None)) for k in results._items)
        response = web.post("/data/upload", {"new_member": "Warm Test Trust"},
                            files={"files": ("warm-test-may-2024.csv", SMALL_CSV.encode(), "text/csv")})
        assert response.status_code in (200, 303)
        assert results.wait_warm(60) and results.version > version
        assert (results.version, ("overview", (), None)) in results._items
        payments = client.get("/api/overview").json()["headline"]["payments"]
        assert payments == app.state.base.con.execute("SELECT count(*) FROM payments").fetchall()[0][0]


def test_signing_in_keeps_the_figures(web):
    """Signing in or out changes no figure: what was computed stays (a change still bumps)."""
    from web_support import SMALL_CSV

    client = web.login("coordinator")
    client.get("/api/overview")
    version = web.app.state.results.version
    web.client.post("/logout", data={"csrf_token": web.csrf()})
    web.login("coordinator")
    assert web.app.state.results.version == version
    web.post("/data/upload", {"new_member": "Bump Test Trust"},
             files={"files": ("bump-test-may-2024.csv", SMALL_CSV.encode(), "text/csv")})
    assert web.app.state.results.version > version
