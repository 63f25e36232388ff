"""Benchmark: a 2-million-row Trust Ed Pages export, through `engagement data` and a run.

Baseline: the project's own raw data (the 2015 report, its commentary), copied into
a temporary folder, built with ``engagement data`` and briefed with ``engagement run
--period 2015-11 --force``. Then a Google Analytics ``Pages`` export of the Trust Ed
site is added (2,000,000 rows by default: one page path a row, a fifth of them with
query strings that are removed and added up), and both commands run again. Goals on
the project's 2-core machine: each command under 60 s and 2 GB.

    .venv/bin/python benchmarks/bench_scale.py [--rows 2000000] [--period 2015-11] [--timeout S]

To measure another checkout's code with the same inputs, put its ``src`` first on
``PYTHONPATH`` (the commands and their kernels then import it).

Each command runs as a subprocess (the way a person runs it). Peak memory is the
largest sum of the resident set sizes of the command and every process it started
(its Jupyter kernels), sampled every 0.1 s; the largest of one process is printed
too. CPU seconds of the command's processes and the load average are printed as
well: wall time on a shared machine depends on what else runs. The ratios compare
the big export with the baseline, in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import psutil

PROJECT = Path(__file__).resolve().parents[1]
GOAL_S = 60.0
GOAL_MB = 2048.0
PREAMBLE = """# ----------------------------------------
# Trust Ed - All Web Site Data
# Pages
# 20151001-20151031
# ----------------------------------------

Page,Pageviews,Unique Pageviews
"""


def write_pages(path: Path, rows: int, seed: int = 1) -> None:
    """A UA Pages export of ``rows`` page paths (a fifth with a query string)."""
    rng = np.random.default_rng(seed)
    views = rng.zipf(1.6, rows).clip(1, 50_000)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.write(PREAMBLE)
        chunk = []
        for i in range(rows):
            query = f"?utm_source=s{i % 7}&page={i % 13}" if i % 5 == 0 else ""
            chunk.append(f"/advice/topic-{i // 5}/item-{i}{query},{views[i]},{views[i]}\n")
            if len(chunk) == 100_000:
                out.writelines(chunk)
                chunk = []
        out.writelines(chunk)
        out.write(f",{int(views.sum())},{int(views.sum())}\n")


def measure(args: list[str], timeout: float) -> dict:
    """Run ``engagement ARGS``; wall seconds, CPU seconds and peak tree memory.

    A command still running after ``timeout`` seconds is stopped (it and what it
    started) and reported as timed out.
    """
    began = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "helpers.cli", *args],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    root = psutil.Process(proc.pid)
    peak = [0]
    cpu: dict[int, float] = {}
    largest: dict[int, int] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            total = 0
            for p in tree:
                try:
                    rss = p.memory_info().rss
                    total += rss
                    largest[p.pid] = max(largest.get(p.pid, 0), rss)
                    t = p.cpu_times()
                    cpu[p.pid] = t.user + t.system
                except psutil.Error:
                    pass
            peak[0] = max(peak[0], total)
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        for p in [*root.children(recursive=True), root]:
            with contextlib.suppress(psutil.Error):
                p.kill()
        output, _ = proc.communicate()
        output += f"\ntimed out after {timeout:.0f} s"
    done.set()
    sampler.join()
    return {
        "command": "engagement " + " ".join(a for a in args[:3]),
        "seconds": round(time.perf_counter() - began, 1),
        "cpu_seconds": round(sum(cpu.values()), 1),
        "peak_mb": round(peak[0] / 1024**2),
        "largest_process_mb": round(max(largest.values(), default=0) / 1024**2),
        "exit": proc.returncode,
        "last_line": (output.strip().splitlines() or [""])[-1][:160],
    }


def build(data: Path, out: Path, period: str, timeout: float) -> list[dict]:
    raw, processed = data / "raw", data / "processed"
    return [
        measure(["data", "--raw", str(raw), "--out", str(processed)], timeout),
        measure(
            ["run", "--period", period, "--data", str(data), "--out", str(out), "--force"],
            timeout,
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--period", default="2015-11")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per command")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(PROJECT / "data" / "raw", data / "raw")
        baseline = build(data, Path(tmp) / "out", args.period, args.timeout)
        export = data / "raw" / "exports" / "trustedtoknow" / "Trust Ed Pages 201510.csv"
        write_pages(export, args.rows)
        size_mb = round(export.stat().st_size / 1024**2)
        big = build(data, Path(tmp) / "out", args.period, args.timeout)
    report = {
        "rows": args.rows,
        "export_mb": size_mb,
        "load_average_1min": round(os.getloadavg()[0], 1),
        "baseline (the project's data)": baseline,
        f"with {args.rows:,} page rows": big,
        "ratios (big / baseline)": [
            {
                "command": b["command"],
                "seconds": round(b["seconds"] / max(a["seconds"], 0.1), 1),
                "peak_mb": round(b["peak_mb"] / max(a["peak_mb"], 1), 1),
            }
            for a, b in zip(baseline, big, strict=True)
        ],
        "goals": {"seconds": GOAL_S, "peak_mb": GOAL_MB},
        "met": all(
            r["exit"] == 0 and r["seconds"] <= GOAL_S and r["peak_mb"] <= GOAL_MB for r in big
        ),
    }
    print(json.dumps(report, indent=2))
    return 0 if report["met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
