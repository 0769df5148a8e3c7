"""Benchmark: ingest a 1,000,000-row council payments CSV and compare with the floor.

Generates a CSV in the Oxford City Council layout (CRLF line endings, supplier
names padded to 50 characters, quoted fields with commas, a few doubled quotes,
credits, exact duplicate rows) with a fixed seed, then times, best of
``--repeat`` runs, each run in a fresh process and a fresh database file:

* ``ingest_file()`` into a fresh workspace (Python API), and the full
  ``anchornet ingest`` command including interpreter start-up;
* the floor: DuckDB ``CREATE TABLE t AS SELECT * FROM read_csv(file)``;
* pandas: ``read_csv`` plus ``to_datetime(dayfirst=True)`` and ``to_numeric``.

It checks the ingest loaded exactly the generated payments with the right total
and exits 1 if not. The target is an ingest within 1.5x of the DuckDB floor.

    .venv/bin/python benchmarks/ingest_benchmark.py [--rows N] [--repeat N]
        [--keep] [--json] [--profile] [--require-target]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 1.5
SEED = 20140121
MEMBER = "Oxford City Council"
HEADER = (
    "Body Name,Organisational Unit,Expenditure Category,Expenditure Code,Paid Date,"
    "Trans No,Amount,Type,Supplier ID,Supplier Name"
)

# (name, weight) — as in the real export, two units hold commas and are quoted.
UNITS = [
    ("Direct Services", 40), ("HRA", 8), ("Leisure, Parks & Communities", 7),
    ("Housing and Property", 6), ("Regeneration and Major Projects Team", 5),
    ("Environmental Development", 4), ("Business Improvement & Technology", 4),
    ("Policy, Culture and Communication", 2), ("Human Resources & Facilities", 2),
    ("Suspense", 2), ("Customer Services", 2), ("Law and Governance", 1),
    ("City Development", 1), ("Finance", 1), ("Transformation", 1),
    ("Holding Accounts & Other Funds", 1), ("General Fund", 1), ("ICT", 1),
]
# (category, code) pairs from the real files; some codes carry trailing spaces.
CATEGORIES = [
    ("Temporary Bureau Staffing", "A0108"), ("Materials", "D3021   "), ("Materials", "D3021"),
    ("Furniture & Equipment Purchase", "D3001"),
    ("Direct Services Supplies & Services", "D3311   "),
    ("General Contracted Services", "D3401"), ("Main Contractor", "Y021"),
    ("Consultants Fees", "D3411"), ("Direct Services Sub Contractors", "B1111   "),
    ("Rent Allowance Cheques (Home Choice)", "F5033"), ("Electricity", "B1501"),
    ("Services Maintenance (Planned)", "B1103"), ("Grants", "D3701"), ("Gas", "B1502"),
    ("Vehicle Excise Licences", "C2202"), ("Hardware Purchase", "D3520"),
    ("External Telephone Charges", "D3503"), ("Software Maintenance/Running Costs", "D3513"),
    ("Grants-Private Persons", "Y005"),
    ("Engineering Services Supplies and Services", "D3319   "),
    ("Reactive Maintenance & Minor Repairs", "B1101"), ("Veh.maint direct purchase", "D3031"),
    ("Short Courses", "A0622"), ("Water & Sewerage Charges", "B1830"),
    ("General Stationery Supplies", "D3301"), ("Fire Alarms and Emergency Lighting", "B1241"),
    ("Advertising & Publicity", "D3802"), ("Contract Printing (External)", "D3303"),
    ("Counsel & External Legal Fees", "D3417"), ("Other Contributions", "Y995"),
    ("Special Events", "D3807"), ("Subscriptions", "D3703"), ("Tipping Charges", "D3421"),
    ("Pitch & Site Rents", "K9534"), ("Property Rents/Income", "K9550"),
    ("Other Interest", "H7802"), ("Commission/Discount", "K9472"),
    ("Creditors - BACS", "J8810"), ("Hire of Rooms & Buildings", "K9540"),
    ("AR Refunds (Sundries & Periodics)", "Z400404"), ("Property Rents/Income", "K9550"),
]
_WORDS = (
    "OXFORD THAMES GRAFTON CHAMPION COBALT EYRE HARTWELL SHEEHAN HANSON WOLSELEY PYROTEC "
    "BARKER EVANS KENT SOUTHERN NORTHERN CHILTERN COTSWOLD ISIS CHERWELL HEADINGTON COWLEY "
    "BOTLEY ABINGDON WITNEY BANBURY DIDCOT MERIDIAN APEX SUMMIT PREMIER CROWN ROYAL ALLIED "
    "UNITED NATIONAL REGIONAL CITY COUNTY GREEN BLUE RED OAK ELM ASH BIRCH WILLOW CEDAR"
).split()
_TRADES = (
    "BUILDING SERVICES|MERCHANTING|EMPLOYMENT|TELEPHONE TECHNOLOGIES|CONSTRUCTION|HAULAGE|"
    "PLANT HIRE|AGGREGATES|ENVIRONMENTAL|INSTALLATIONS|ELECTRICAL|PLUMBING|ROOFING|"
    "SCAFFOLDING|CLEANING|SECURITY|CATERING|PRINTING|CONSULTING|LEGAL|FURNISHINGS|MOTORS|"
    "FUELS|TIMBER|GLAZING|LANDSCAPES|DRAINAGE|SURVEYORS|RECRUITMENT|SOFTWARE"
).split("|")
_SUFFIXES = ["LTD", "LIMITED", "PLC", "Ltd.", "LLP", "& SONS LTD", "GB LTD", "UK LIMITED", ""]
_FIRST = "A B C D E F G H J K L M N P R S T W".split()
_SURNAMES = "SMITH JONES TAYLOR BROWN WILSON HAVARD ANDERS BIRD LONSDALE PATEL KHAN".split()


def _csv_field(value: str) -> str:
    if any(ch in value for ch in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _suppliers(rng: random.Random, count: int) -> list[tuple[str, str | None]]:
    """(name as written, padded to 50 like the export; a stable supplier id or None)."""
    names: set[str] = set()
    out: list[tuple[str, str | None]] = []
    while len(out) < count:
        if len(out) == 8:  # common, not the commonest: about 1% of rows
            out.append((_csv_field("Redacted personal data".ljust(50)), None))
        roll = rng.random()
        if roll < 0.06:
            name = f"{rng.choice(['Mr', 'Mrs', 'Ms', 'Dr'])} {rng.choice(_FIRST)} " + (
                rng.choice(_SURNAMES).title()
            )
        elif roll < 0.10:  # a comma inside the name: quoted
            name = f"{rng.choice(_SURNAMES)}, {rng.choice(_SURNAMES)} & CO"
        elif roll < 0.11:  # a doubled quote, as in BLACKBIRD LEYS N""HOOD SUPPORT SCHEME
            name = f'{rng.choice(_WORDS)} N"HOOD {rng.choice(_TRADES)} SCHEME'
        else:
            name = " ".join(
                [rng.choice(_WORDS)] + ([rng.choice(_WORDS)] if rng.random() < 0.3 else [])
                + [rng.choice(_TRADES), rng.choice(_SUFFIXES)]
            ).strip()
        if name in names:
            continue
        names.add(name)
        stable = f"2001{len(out):04d}" if rng.random() < 0.6 else None
        out.append((_csv_field(name.ljust(50)), stable))
    return out


def _money(pence: int) -> str:
    sign = "-" if pence < 0 else ""
    pence = abs(pence)
    return f"{sign}{pence // 100}.{pence % 100:02d}"


def generate(path: Path, rows: int, seed: int = SEED) -> dict:
    """Write the CSV; return what a correct ingest must load."""
    rng = random.Random(seed)
    suppliers = _suppliers(rng, 3000)
    n_sup = len(suppliers)
    units = [_csv_field(u) for u, w in UNITS for _ in range(w)]
    cats = [f"{_csv_field(c)},{code}" for c, code in CATEGORIES]
    start = dt.date(2014, 1, 1)
    span = 5 * 365
    days = [(start + dt.timedelta(d)).strftime("%d/%m/%Y") for d in range(span + 40)]
    lines: list[str] = []
    total_pence = 0
    credits = duplicates = 0
    trans = 46279931
    line_no = 0
    prev = ""
    prev_pence = 0
    random_ = rng.random
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\r\n")
        written = 0
        while written < rows:
            if prev and random_() < 0.001:  # an exact duplicate of the previous row
                line = prev
                duplicates += 1
                total_pence += prev_pence
            else:
                if line_no == 0 or random_() < 0.8:
                    trans += 1 + int(random_() * 3)
                    line_no = 1
                    sup_name, sup_id = suppliers[int(n_sup * random_() ** 3)]
                    sup_id = sup_id or f"20000000_{trans}"
                    day = days[int(written * span / rows) + int(random_() * 30)]
                else:
                    line_no += 1  # another line of the same transaction
                roll = random_()
                # as in the real files: median about £900, a fifth under £500, a long tail
                if roll < 0.01:
                    pence = -int(5_000 + 500_000 * random_() ** 2)
                    credits += 1
                elif roll < 0.18:
                    pence = int(1 + 49_999 * random_())
                else:
                    pence = min(int(50_000 * (1.0 - random_()) ** -0.8), 200_000_000)
                line = (
                    f"Oxford City Council,{units[int(len(units) * random_())]},"
                    f"{cats[int(len(cats) * random_())]},{day},{trans}_{line_no},"
                    f"{_money(pence)},{'Capital' if random_() < 0.05 else 'Revenue'},"
                    f"{sup_id},{sup_name}\r\n"
                )
                total_pence += pence
                prev_pence = pence
            prev = line
            lines.append(line)
            written += 1
            if len(lines) >= 50_000:
                out.write("".join(lines))
                lines.clear()
        out.write("".join(lines))
    return {
        "rows": rows,
        "total_pence": total_pence,
        "credits": credits,
        "duplicates": duplicates,
        "bytes": path.stat().st_size,
    }


# -- workers: each timed run happens in its own process --------------------------------


def _max_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:
        return None
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def _workspace_figures(con, file_id: int | None = None) -> dict:
    where = f"WHERE file_id = {int(file_id)}" if file_id is not None else ""
    n, total, dup = con.execute(
        "SELECT count(*), coalesce(sum(amount), 0), "
        "count(*) FILTER (WHERE list_contains(flags, 'duplicate_row')) "
        f"FROM records {where} {'AND' if where else 'WHERE'} status = 'loaded'"
    ).fetchone()
    quarantined = con.execute(
        f"SELECT count(*) FROM records {where} {'AND' if where else 'WHERE'} "
        "status = 'quarantined'"
    ).fetchone()[0]
    return {
        "rows_loaded": n, "total_pence": int(round(total * 100)),
        "duplicate_flagged": dup, "rows_quarantined": quarantined,
    }


def _instrument(timings: dict[str, float]) -> None:
    """Wrap the ingest's stages with timers (skipping any that have moved)."""
    import pathlib

    from anchornet.ingest import delimited, loader, text

    def wrap(owner, attr: str, label: str) -> None:
        fn = getattr(owner, attr, None)
        if fn is None:
            return

        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                timings[label] = timings.get(label, 0.0) + time.perf_counter() - t0

        setattr(owner, attr, timed)

    wrap(loader, "sha256_file", "sha256 of the file")
    wrap(pathlib.Path, "read_bytes", "read the file into memory")
    wrap(text, "decode", "decode + line-ending check")
    wrap(delimited, "read_delimited", "scan text (sniff, preview, blank lines, count)")
    wrap(loader, "load_synonyms", "load synonyms")
    wrap(shutil, "copyfile", "copy original into the store")
    wrap(loader, "install_macros", "install macros")
    wrap(loader, "_load_part", "load part (total)")
    wrap(loader, "_materialise", "DuckDB reads the file into a table")
    wrap(loader, "_insert_part", "  INSERT INTO records (rules)")
    wrap(loader, "_part_counts", "  line accounting counts")
    wrap(loader, "_confirm_duplicates", "confirm duplicates")

    from anchornet import workspace
    transaction = getattr(workspace.Workspace, "transaction", None)
    if transaction is not None:

        @contextlib.contextmanager
        def timed_transaction(self):
            with transaction(self) as con:
                yield con
                body_done = time.perf_counter()
            label = "COMMIT"
            timings[label] = timings.get(label, 0.0) + time.perf_counter() - body_done

        workspace.Workspace.transaction = timed_transaction


def _worker(kind: str, csv_path: Path, target: Path, profile: bool) -> dict:
    out: dict = {}
    if kind == "api":
        t0 = time.perf_counter()
        from anchornet import Workspace, ingest_file

        out["import_s"] = time.perf_counter() - t0
        stages: dict[str, float] = {}
        if profile:
            _instrument(stages)
        t0 = time.perf_counter()
        ws = Workspace(target)
        out["workspace_s"] = time.perf_counter() - t0
        profiler = None
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        t0, c0 = time.perf_counter(), time.process_time()
        result = ingest_file(ws, csv_path, MEMBER)
        out["seconds"] = time.perf_counter() - t0
        out["cpu_s"] = time.process_time() - c0
        if profiler:
            profiler.disable()
        t0 = time.perf_counter()
        ws.close()
        out["close_s"] = time.perf_counter() - t0
        ws = Workspace(target, read_only=True)
        out.update(_workspace_figures(ws.con, result.file_id))
        ws.close()
        if profile:
            import io
            import pstats

            top = sum(v for k, v in stages.items() if not k.startswith(" "))
            stages["other (not timed above)"] = out["seconds"] - top
            out["stages"] = stages
            buf = io.StringIO()
            pstats.Stats(profiler, stream=buf).sort_stats("cumulative").print_stats(25)
            out["cprofile"] = buf.getvalue()
    elif kind == "floor":
        import duckdb

        con = duckdb.connect(str(target))
        path_sql = str(csv_path).replace("'", "''")
        t0, c0 = time.perf_counter(), time.process_time()
        con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path_sql}')")
        out["seconds"] = time.perf_counter() - t0
        out["cpu_s"] = time.process_time() - c0
        t0 = time.perf_counter()
        con.close()
        out["close_s"] = time.perf_counter() - t0
        con = duckdb.connect(str(target), read_only=True)
        out["rows_loaded"] = con.execute("SELECT count(*) FROM t").fetchone()[0]
        con.close()
    elif kind == "pandas":
        import pandas as pd

        t0, c0 = time.perf_counter(), time.process_time()
        df = pd.read_csv(csv_path)
        dates = pd.to_datetime(df["Paid Date"], dayfirst=True, errors="coerce")
        amounts = pd.to_numeric(df["Amount"], errors="coerce")
        out["seconds"] = time.perf_counter() - t0
        out["cpu_s"] = time.process_time() - c0
        out["rows_loaded"] = len(df)
        out["total_pence"] = int(round(float(amounts.sum()) * 100))
        out["dates_unparsed"] = int(dates.isna().sum())
    else:
        raise SystemExit(f"unknown worker {kind}")
    out["max_rss_mb"] = _max_rss_mb()
    return out


def _run_worker(kind: str, csv_path: Path, target: Path, profile: bool = False) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--_worker", kind,
           "--_target", str(target), str(csv_path)]
    if profile:
        cmd.append("--profile")
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{kind} run failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _anchornet_command() -> list[str]:
    script = Path(sys.executable).parent / ("anchornet.exe" if os.name == "nt" else "anchornet")
    if script.exists():
        return [str(script)]
    found = shutil.which("anchornet")
    return [found] if found else [sys.executable, "-m", "anchornet.cli.main"]


def _run_cli(csv_path: Path, workspace: Path) -> dict:
    cmd = _anchornet_command() + ["--workspace", str(workspace), "ingest", str(csv_path),
                                  "--member", MEMBER, "--quiet"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    rss = cpu = None
    if hasattr(os, "wait4"):
        # read nothing until exit: --quiet prints next to nothing
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
        cpu = usage.ru_utime + usage.ru_stime
        stderr = proc.stderr.read().decode(errors="replace")
        proc.stdout.close()
        proc.stderr.close()
    else:
        _, err = proc.communicate()
        seconds = time.perf_counter() - t0
        stderr = err.decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"anchornet ingest failed ({proc.returncode}):\n{stderr[-4000:]}")
    import duckdb

    con = duckdb.connect(str(workspace / "anchornet.duckdb"), read_only=True)
    try:
        figures = _workspace_figures(con)
    finally:
        con.close()
    return {"seconds": seconds, "cpu_s": cpu, "max_rss_mb": rss, **figures}


# -- the benchmark ---------------------------------------------------------------------


def _best(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r["seconds"])


def _check(expected: dict, got: dict, label: str) -> list[str]:
    problems = []
    if got.get("rows_loaded") != expected["rows"]:
        problems.append(
            f"{label}: loaded {got.get('rows_loaded')} rows, expected {expected['rows']}"
        )
    if got.get("total_pence") != expected["total_pence"]:
        problems.append(
            f"{label}: total {_money(got.get('total_pence') or 0)}, "
            f"expected {_money(expected['total_pence'])}"
        )
    if got.get("rows_quarantined"):
        problems.append(f"{label}: {got['rows_quarantined']} rows quarantined, expected none")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="payments to generate")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts")
    parser.add_argument("--seed", type=int, default=SEED, help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="keep the CSV and databases")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--profile", action="store_true",
                        help="also time the ingest's stages and print a cProfile summary")
    parser.add_argument("--require-target", action="store_true",
                        help=f"exit 2 when the ingest is not within {TARGET_RATIO}x of the floor")
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas comparison")
    parser.add_argument("--_worker", help=argparse.SUPPRESS)
    parser.add_argument("--_target", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("csv", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args._worker:
        print(json.dumps(_worker(args._worker, args.csv, args._target, args.profile)))
        return 0

    log = (lambda *a: print(*a, file=sys.stderr)) if args.json else print
    work = Path(tempfile.mkdtemp(prefix="anchornet-bench-"))
    try:
        csv_path = work / "expenditure-over-500-benchmark.csv"
        t0 = time.perf_counter()
        expected = generate(csv_path, args.rows, args.seed)
        gen_s = time.perf_counter() - t0
        log(f"generated {args.rows:,} rows, {expected['bytes'] / 1e6:.1f} MB in {gen_s:.1f}s "
            f"({expected['credits']:,} credits, {expected['duplicates']:,} duplicate rows, "
            f"total £{_money(expected['total_pence'])}) -> {csv_path}")

        kinds = ["api", "cli", "floor"] + ([] if args.no_pandas else ["pandas"])
        if "pandas" in kinds:
            try:
                import pandas  # noqa: F401
            except ImportError:
                log("pandas is not installed: skipping it (pip install -e '.[dev]')")
                kinds.remove("pandas")
        runs: dict[str, list[dict]] = {k: [] for k in kinds}
        for i in range(args.repeat):
            for kind in kinds:  # interleaved, so drift hits every contender alike
                target = work / f"{kind}-{i}"
                if kind == "cli":
                    run = _run_cli(csv_path, target)
                elif kind == "floor":
                    run = _run_worker(kind, csv_path, target.with_suffix(".duckdb"))
                else:
                    run = _run_worker(kind, csv_path, target)
                runs[kind].append(run)
                log(f"  run {i + 1}/{args.repeat} {kind:<6} {run['seconds']:7.2f}s")
                if not args.keep:
                    for stale in (target, target.with_suffix(".duckdb"),
                                  target.with_suffix(".duckdb.wal")):
                        if stale.is_dir():
                            shutil.rmtree(stale, ignore_errors=True)
                        elif stale.exists():
                            stale.unlink()
        best = {k: _best(v) for k, v in runs.items()}
        problems = []
        for kind in ("api", "cli"):
            for run in runs[kind]:
                problems += _check(expected, run, f"ingest ({kind})")
        if best["floor"]["rows_loaded"] != args.rows:
            problems.append(
                f"floor: read {best['floor']['rows_loaded']} rows, expected {args.rows}"
            )
        profile = None
        if args.profile:
            log("profiling one more API ingest ...")
            profile = _run_worker("api", csv_path, work / "profile", profile=True)
            if not args.keep:
                shutil.rmtree(work / "profile", ignore_errors=True)

        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
        floor = best["floor"]["seconds"]
        ratio = best["api"]["seconds"] / floor
        results = {
            "rows": args.rows,
            "bytes": expected["bytes"],
            "repeat": args.repeat,
            "generate_s": gen_s,
            "best": best,
            "runs": {k: [r["seconds"] for r in v] for k, v in runs.items()},
            "rows_per_s": {k: args.rows / v["seconds"] for k, v in best.items()},
            "ratio_ingest_floor": ratio,
            "ratio_cli_floor": best["cli"]["seconds"] / floor,
            "ratio_pandas_floor": best["pandas"]["seconds"] / floor if "pandas" in best else None,
            "target_ratio": TARGET_RATIO,
            "cpus": os.cpu_count(),
            "load_average": load,
            "target_met": ratio <= TARGET_RATIO,
            "expected": expected,
            "problems": problems,
            "csv": str(csv_path) if args.keep else None,
        }
        if profile:
            results["profile"] = {k: profile[k] for k in ("seconds", "stages", "cprofile")}

        if args.json:
            print(json.dumps(results, indent=2, default=str))
        else:
            _report(results)
        if problems:
            return 1
        if args.require_target and not results["target_met"]:
            return 2
        return 0
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _report(r: dict) -> None:
    best, rows = r["best"], r["rows"]
    names = {
        "api": "anchornet ingest_file() (API)",
        "cli": "anchornet ingest (CLI, incl. start-up)",
        "floor": "DuckDB floor: CREATE TABLE AS read_csv",
        "pandas": "pandas read_csv + to_datetime/to_numeric",
    }
    print()
    print(f"{rows:,} rows, {r['bytes'] / 1e6:.1f} MB, best of {r['repeat']}:")
    print(f"  {'':<42} {'wall':>8}  {'rows/s':>10}  {'cpu':>7}  {'peak RSS':>9}")
    for kind, run in best.items():
        cpu = f"{run['cpu_s']:6.2f}s" if run.get("cpu_s") is not None else f"{'-':>7}"
        rss = f"{run['max_rss_mb']:,.0f} MB" if run.get("max_rss_mb") else "-"
        print(f"  {names[kind]:<42} {run['seconds']:7.2f}s  "
              f"{rows / run['seconds']:>10,.0f}  {cpu}  {rss:>9}")
    api = best["api"]
    print(f"  (API: workspace creation {api['workspace_s']:.2f}s and close {api['close_s']:.2f}s "
          f"not included; floor close {best['floor']['close_s']:.2f}s)")
    print(f"  ingest / floor: {r['ratio_ingest_floor']:.2f}x   CLI / floor: "
          f"{r['ratio_cli_floor']:.2f}x", end="")
    if r["ratio_pandas_floor"] is not None:
        print(f"   pandas / floor: {r['ratio_pandas_floor']:.2f}x")
    else:
        print()
    verdict = "MET" if r["target_met"] else "NOT MET"
    load, cpus = r.get("load_average"), r.get("cpus")
    if load is not None and cpus and load > 0.5 * cpus:
        print(f"  note: load average {load:.1f} on {cpus} CPUs while measuring: wall times are "
              "inflated; compare the cpu column")
    print(f"  target: ingest within {r['target_ratio']}x of the DuckDB floor: {verdict} "
          f"({r['ratio_ingest_floor']:.2f}x)")
    if r["problems"]:
        print("CHECK FAILED:")
        for p in r["problems"]:
            print(f"  {p}")
    else:
        print(f"  check: every run loaded {rows:,} payments totalling "
              f"£{_money(r['expected']['total_pence'])}, none quarantined")
    if "profile" in r:
        prof = r["profile"]
        print(f"\nstages of one profiled ingest ({prof['seconds']:.2f}s, under cProfile):")
        for label, secs in prof["stages"].items():
            print(f"  {label:<50} {secs:7.2f}s")
        print(prof["cprofile"])


if __name__ == "__main__":
    sys.exit(main())
