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
