"""Benchmark: ingest five years of daily exports for 40 accounts plus 700,000 tweets.

The synthetic exports are generated into a temporary folder first (not timed).
Then the whole folder is ingested, every file parsed (there is no cache: a year of
a force's downloads, ``--years 1 --accounts 8 --tweets 20000``, is about 30 files and
7 MB and takes well under a second of CPU). Goals on the project's 2-core machine:
at most 10 s and 1.5 GB peak memory at the default volume.

    .venv/bin/python benchmarks/bench_ingest.py [--years 5] [--accounts 40] [--tweets 700000]

Peak memory is the largest maximum resident set size (``resource.getrusage``) of
the ingesting process and its workers, measured in a fresh child process per run
so generation does not count. CPU seconds (all processes) and the machine's load
average are printed too: wall time on a shared machine depends on what else runs.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

# The synthetic export factory lives with the tests, outside the installed package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

GOAL_S = 10.0
GOAL_PEAK_MB = 1536.0


def _ingest(folder: str, queue: mp.Queue) -> None:
    from helpers.ingest.exports import read_exports

    started = time.perf_counter()
    result = read_exports(Path(folder))
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    queue.put(
        {
            "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu, 2),
            "load_average_1min": round(os.getloadavg()[0], 1),
            "peak_mb": round(max(own.ru_maxrss, kids.ru_maxrss) / 1024, 1),
            "files": len(result.files),
            "problems": len(result.problems),
            "rows": len(result.rows),
            "overlapping_values": int(result.overlaps["values"].sum())
            if len(result.overlaps)
            else 0,
        }
    )


def _run(folder: Path) -> dict:
    queue: mp.Queue = mp.get_context("fork").Queue()
    proc = mp.get_context("fork").Process(target=_ingest, args=(str(folder), queue))
    proc.start()
    out = queue.get()
    proc.join()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--accounts", type=int, default=40)
    parser.add_argument("--tweets", type=int, default=700_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    from tests.factories.synthetic import generate

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        folder = Path(tmp) / "exports"
        started = time.perf_counter()
        summary = generate(
            folder, years=args.years, accounts=args.accounts, tweets=args.tweets, seed=args.seed
        )
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        print(
            f"generated {len(summary.files)} files, {size / 1e6:.0f} MB "
            f"in {time.perf_counter() - started:.1f} s (not timed)"
        )
        report = _run(folder)
    print(json.dumps(report, indent=2))
    ok = report["seconds"] <= GOAL_S and report["peak_mb"] <= GOAL_PEAK_MB
    ok = ok and report["problems"] == 0
    print(f"goals: <= {GOAL_S} s and <= {GOAL_PEAK_MB:.0f} MB: " + ("met" if ok else "NOT met"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
