"""Benchmark: load a synthetic Companies House file in the published layout.

Not collected by pytest (the name does not start with ``test_``). Run:

    .venv/bin/python tests/registers/bench_companies_house.py 1000000 /tmp/bench [--zip]

It writes ``BasicCompanyDataAsOneFile-2024-05-01.csv`` (or the zip) with N rows into
the directory (reused if present), loads it into a new workspace there, and prints
the time taken and the process's peak resident memory. Nothing is left in the repo.
"""

from __future__ import annotations

import resource
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "registers"))

from make_registers import CH_HEADER, companies_rows  # noqa: E402

from anchornet.registers.companies_house import load_companies_house  # noqa: E402
from anchornet.workspace import Workspace  # noqa: E402


def write_file(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(CH_HEADER + "\n")
        for row in companies_rows(n):
            out.write(",".join('"' + v.replace('"', '""') + '"' for v in row) + "\n")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    folder = Path(sys.argv[2] if len(sys.argv) > 2 else "/tmp/anchornet-bench")
    as_zip = "--zip" in sys.argv
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / f"BasicCompanyDataAsOneFile-2024-05-01-{n}.csv"
    if not csv_path.exists():
        t = time.monotonic()
        write_file(csv_path, n)
        print(f"wrote {csv_path} ({csv_path.stat().st_size / 1e6:,.0f} MB) in {time.monotonic() - t:.1f} s")
    source = csv_path
    if as_zip:
        source = folder / f"BasicCompanyDataAsOneFile-2024-05-01-{n}.zip"
        if not source.exists():
            with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(csv_path, csv_path.name)
    ws_path = folder / f"ws-{n}"
    ws = Workspace(ws_path)
    t = time.monotonic()
    result = load_companies_house(ws, source, force=True)
    took = time.monotonic() - t
    ws.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"loaded {result.rows_loaded:,} rows from {source.name} in {took:.1f} s; peak RSS {peak:,.0f} MB; "
          f"database {(ws_path / 'anchornet.duckdb').stat().st_size / 1e6:,.0f} MB")


if __name__ == "__main__":
    main()
