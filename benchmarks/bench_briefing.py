"""Time one period's briefings: the project's runner against the naive command lines.

Ours: ``engagement run --period P --force --out DIR``: every notebook the runner
runs for the period (however many there are), side by side in warm kernels, HTML
converted in-process. Baseline: for each of the channel notebooks, one after
another, the ``papermill`` command line and then ``jupyter nbconvert --to html
--no-input``. Each repeat runs both, so they share the machine's load.

    .venv/bin/python benchmarks/bench_briefing.py --period 2015-09 --repeat 3

Prints the median wall times and the ratio ours / baseline (the goal is <= 0.30 on
two cores). Both runs write into a temporary folder, never into outputs/.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from helpers import config
from helpers.briefing.plan import BRIEFINGS

BIN = Path(sys.executable).parent


def _run(cmd: list[str], cwd: Path | None = None) -> None:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr[-3000:]}")


def ours(period: str, start: str | None, out: Path, jobs: int | None) -> tuple[float, int]:
    """Run the project's runner; return its wall time and how many notebooks it ran."""
    cmd = [str(BIN / "engagement"), "run", "--period", period, "--force", "--out", str(out)]
    if start:
        cmd += ["--start", start]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    began = time.perf_counter()
    _run(cmd)
    seconds = time.perf_counter() - began
    expected = ["index.html", *(f"{n}.html" for n in BRIEFINGS), "manifest.json"]
    missing = [name for name in expected if not (out / period / name).is_file()]
    if missing:
        sys.exit(f"our run did not write {', '.join(missing)}")
    return seconds, len(list((out / period / "notebooks").glob("*.ipynb")))


def baseline(period: str, start: str | None, out: Path) -> float:
    """Run each channel notebook with the papermill and nbconvert command lines in turn."""
    out.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    for name in BRIEFINGS:
        executed = out / f"{name}.ipynb"
        cmd = [
            str(BIN / "papermill"),
            str(config.NOTEBOOKS_DIR / f"{name}.ipynb"),
            str(executed),
            "-k",
            config.KERNEL_NAME,
            "--cwd",
            str(config.NOTEBOOKS_DIR),
            "--no-progress-bar",
            "-p",
            "period",
            period,
            "-p",
            "data_dir",
            str(config.DATA_DIR),
            "-p",
            "output_dir",
            str(out),
        ]
        if start:
            cmd += ["-p", "start", start]
        _run(cmd)
        _run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)])
    seconds = time.perf_counter() - began
    missing = [n for n in BRIEFINGS if not (out / f"{n}.html").is_file()]
    if missing:
        sys.exit(f"the baseline did not write {', '.join(missing)}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="2015-09", help="reporting month YYYY-MM")
    parser.add_argument("--start", help="first month YYYY-MM (default: 12 months)")
    parser.add_argument("--jobs", type=int, help="notebooks at once for our runner")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (median shown)")
    args = parser.parse_args(argv)
    print(f"{os.cpu_count()} cores; period {args.period}; notebooks: {', '.join(BRIEFINGS)}")
    ours_times: list[float] = []
    base_times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-briefing-") as tmp:
        for run in range(args.repeat):
            seconds, count = ours(args.period, args.start, Path(tmp) / f"ours{run}", args.jobs)
            ours_times.append(seconds)
            print(f"  ours     run {run + 1}: {seconds:6.1f} s  ({count} notebooks)", flush=True)
            base_times.append(baseline(args.period, args.start, Path(tmp) / f"base{run}"))
            print(f"  baseline run {run + 1}: {base_times[-1]:6.1f} s", flush=True)
    mine, theirs = statistics.median(ours_times), statistics.median(base_times)
    print(f"ours:     {mine:6.1f} s  (engagement run --force, median of {args.repeat})")
    print(f"baseline: {theirs:6.1f} s  (papermill CLI + jupyter nbconvert CLI, sequential)")
    print(f"ratio ours/baseline: {mine / theirs:.2f}  (goal <= 0.30)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
