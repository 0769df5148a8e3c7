"""How fast the web app's pages answer with millions of payments in the workspace.

Builds the analysis benchmark's synthetic workspace (``analysis_benchmark.build``:
20 members, suppliers, postcodes and a place) with ``--payments`` payments (default
3,000,000), adds a coordinator account and a published public dashboard, then, in
the same process, asks each page ``--repeat`` times through FastAPI's TestClient
(the whole app: routing, security, the library, the templates; no network) and
prints, per page, the first (cold) request and the p50 and p95 of the others.
Between the repeats nothing changes, so figures kept by the app between requests
(see ``web/cache.py``) serve the repeats, as they would serve a network's visitors.

    .venv/bin/python benchmarks/web_benchmark.py [--payments N] [--repeat N] [--json]

The target, from the issue: every page answers in well under a second.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

PASSWORD = "benchmark password 2026"
EMAIL = "coordinator@bench.anchornet.invalid"
PAGES = ["/", "/api/overview", "/data", "/payments", "/payments?q=LTD", "/suppliers", "/reports", "/public",
         "/admin/audit", "/account", "/network", "/network/members", "/network/members/1", "/network/groups",
         "/network/pledges", "/network/pledges/1", "/network/pipeline", "/network/framework",
         "/network/social-value", "/network/plans"]


def _analysis_benchmark():
    path = Path(__file__).with_name("analysis_benchmark.py")
    spec = importlib.util.spec_from_file_location("analysis_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(ws_path: Path, payments: int) -> float:
    from anchornet import Workspace
    from anchornet.web.users import create_user

    bench = _analysis_benchmark()
    started = time.perf_counter()
    bench.build(ws_path, payments, None, bench.SEED, lambda *_: None)
    ws = Workspace(ws_path)
    try:
        create_user(ws, EMAIL, PASSWORD, "coordinator", name="Benchmark")
        network_records(ws)
    finally:
        ws.close()
    return time.perf_counter() - started


def network_records(ws) -> None:
    """A pledge whose progress comes from the data, signed by five members (quarterly: every
    member-quarter is an analysis of its payments), a working group and a self-assessment."""
    from anchornet.network import assessments, groups, members, pledges

    names = [r[0] for r in ws.con.execute("SELECT name FROM members ORDER BY member_id LIMIT 5").fetchall()]
    for name in names:
        members.update_profile(ws, name, sector="local_authority")
    tier = ws.con.execute("SELECT name FROM place_tiers ORDER BY tier_no DESC LIMIT 1").fetchall()[0][0]
    pledge = pledges.add_pledge(ws, title="Local spend", text="Spend more locally.", theme="procurement",
                                measure=f"local:{tier}", grain="quarter", baseline_value="20",
                                target_value="30", target_date="2030-03-31")
    for name in names:
        pledges.sign(ws, pledge, name)
    group = groups.add_group(ws, "Procurement", "procurement")
    groups.set_role(ws, group, names[0], "chair")
    assessments.record(ws, names[0], {"employment": 2, "procurement": 3}, by="benchmark")


def measure(ws_path: Path, repeat: int) -> dict:
    from fastapi.testclient import TestClient

    from anchornet.web.app import create_app

    app = create_app(ws_path, secret_key="benchmark-secret-key-not-for-use")
    results = {}
    with TestClient(app) as client:
        csrf = client.get("/api/session").json()["csrf_token"]
        response = client.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": csrf},
                               follow_redirects=False)
        assert response.status_code == 303, response.text
        csrf = client.get("/api/session").json()["csrf_token"]
        client.post("/admin/publish", data={"csrf_token": csrf, "published": "true", "title": "Benchmark",
                                            "sections": ["headline", "trend", "leakage", "top_suppliers"]})
        for page in PAGES:
            times = []
            for _ in range(repeat + 1):
                started = time.perf_counter()
                response = client.get(page)
                times.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise SystemExit(f"{page}: HTTP {response.status_code}")
            warm = sorted(times[1:])
            results[page] = {
                "cold_s": round(times[0], 3),
                "p50_s": round(statistics.median(warm), 3),
                "p95_s": round(warm[min(len(warm) - 1, int(round(0.95 * (len(warm) - 1))))], 3),
            }
    return results


def after_change(ws_path: Path) -> dict:
    """The first request for the overview and the public dashboard after a change (a POST),
    with the app warming its figures in the background (as served) and without (the
    baseline: the request computes them). The warmed request is made once warming is done,
    as a visitor arriving a few seconds after a colleague's change would."""
    from fastapi.testclient import TestClient

    from anchornet.web.app import create_app

    out = {}
    for warm in (False, True):
        app = create_app(ws_path, secret_key="benchmark-secret-key-not-for-use", warm=warm)
        with TestClient(app) as client:
            csrf = client.get("/api/session").json()["csrf_token"]
            client.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": csrf},
                        follow_redirects=False)
            csrf = client.get("/api/session").json()["csrf_token"]
            changed = time.perf_counter()
            client.post("/admin/publish", data={"csrf_token": csrf, "published": "true", "title": "Benchmark",
                                                "sections": ["headline", "trend", "leakage", "top_suppliers"]})
            if warm:
                app.state.results.wait_warm(600)
            warmed_in = time.perf_counter() - changed
            timings = {}
            for page in ("/", "/public"):
                started = time.perf_counter()
                if client.get(page).status_code != 200:
                    raise SystemExit(f"{page}: HTTP error after a change")
                timings[page] = round(time.perf_counter() - started, 3)
        out["warmed" if warm else "baseline"] = {"pages": timings, "warming_s": round(warmed_in, 2) if warm else None}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--payments", type=int, default=3_000_000)
    parser.add_argument("--repeat", type=int, default=20, help="requests per page after the first")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="anchornet-web-bench-"))
    try:
        built = build(work / "ws", args.payments)
        results = measure(work / "ws", args.repeat)
        changed = after_change(work / "ws")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps({"payments": args.payments, "build_s": round(built, 1), "pages": results,
                          "after_change": changed}, indent=2))
        return 0
    print(f"{args.payments:,} payments (workspace built in {built:.1f} s); {args.repeat} requests per page "
          "after the first:")
    print(f"  {'page':<22}{'first':>9}{'p50':>9}{'p95':>9}")
    for page, r in results.items():
        print(f"  {page:<22}{r['cold_s']:>8.3f}s{r['p50_s']:>8.3f}s{r['p95_s']:>8.3f}s")
    base, warmed = changed["baseline"]["pages"], changed["warmed"]["pages"]
    print(f"first request after a change (warming took {changed['warmed']['warming_s']:.1f} s in the background):")
    print(f"  {'page':<22}{'baseline':>10}{'warmed':>9}")
    for page in base:
        print(f"  {page:<22}{base[page]:>9.3f}s{warmed[page]:>8.3f}s")
    slow = [p for p, r in results.items() if r["p95_s"] >= 1.0]
    print("target: every page well under a second (p95): " + ("MET" if not slow else "NOT MET for " + ", ".join(slow)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
