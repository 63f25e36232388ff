"""Time ``engagement run --all``: a full build, a run with nothing changed, one raw file changed.

    .venv/bin/python benchmarks/bench_incremental.py [--repeat 5] [--channels itk] [--jobs N]

Everything runs on a temporary copy of ``data/raw`` into a temporary output folder
(never ``outputs/``). The full build is the baseline, measured in the same run;
then ``--repeat`` runs with nothing changed (each must say "up to date" for every
period and start no notebook; the median is shown, goal under 2 s); then one
September 2015 figure of a raw file is changed, ``engagement data`` is run as
``make`` would, and the rebuild is timed with the periods it rebuilt.

Wall time on a shared machine depends on what else runs: the CPU seconds of each
command (its process and kernels) and the load average are printed beside it.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from helpers import config

BIN = Path(sys.executable).parent
GOAL_NOOP_S = 2.0
#: The raw file changed, and its column for 30 September 2015.
CHANGED_FILE = "report_2015/itk_registered_users_by_division.csv"
CHANGED_COLUMN = "2015-09-30"


#: CPU seconds used by the last command (it and its children).
LAST_CPU = [0.0]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _engagement(*args: str) -> tuple[float, str]:
    cpu = _children_cpu()
    began = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "engagement"), *args], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - began
    LAST_CPU[0] = _children_cpu() - cpu
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): engagement {' '.join(args)}\n{done.stderr[-3000:]}")
    return seconds, done.stdout


def _cpu() -> str:
    return f"({LAST_CPU[0]:.2f} CPU s, load average {os.getloadavg()[0]:.1f})"


def _periods(output: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(pattern, output)))


def _change_one_figure(raw: Path) -> None:
    path = raw / CHANGED_FILE
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, rows = list(reader.fieldnames or []), list(reader)
    rows[0][CHANGED_COLUMN] = str(int(rows[0][CHANGED_COLUMN]) + 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs with nothing changed")
    parser.add_argument("--channels", help="briefings to build (default: all)")
    parser.add_argument("--jobs", type=int, help="notebooks at once")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-incremental-") as tmp:
        data, out = Path(tmp) / "data", Path(tmp) / "out"
        shutil.copytree(config.RAW_DIR, data / "raw")
        _engagement("data", "--raw", str(data / "raw"), "--out", str(data / "processed"))
        run = ["run", "--all", "--data", str(data), "--out", str(out)]
        run += ["--channels", args.channels] if args.channels else []
        run += ["--jobs", str(args.jobs)] if args.jobs else []

        full, output = _engagement(*run)
        periods = _periods(output, r"wrote   \S*?(\d{4}-\d{2})/")
        print(f"{os.cpu_count()} cores; {len(periods)} periods: {', '.join(periods)}", flush=True)
        print(f"  full build:         {full:7.2f} s  {_cpu()}", flush=True)

        noop, noop_cpu = [], []
        for number in range(args.repeat):
            seconds, output = _engagement(*run)
            fresh = _periods(output, r"up to date (\d{4}-\d{2})")
            if fresh != periods or re.search(r"^\s+start ", output, re.MULTILINE):
                sys.exit(f"run {number + 1} with nothing changed rebuilt something:\n{output}")
            noop.append(seconds)
            noop_cpu.append(LAST_CPU[0])
            print(f"  nothing changed {number + 1}: {seconds:7.2f} s  {_cpu()}", flush=True)

        _change_one_figure(data / "raw")
        _engagement("data", "--raw", str(data / "raw"), "--out", str(data / "processed"))
        changed, output = _engagement(*run)
        rebuilt = _periods(output, r"wrote   \S*?(\d{4}-\d{2})/")

    median = statistics.median(noop)
    print(f"full build (baseline):      {full:7.2f} s")
    print(
        f"no-op --all (median of {len(noop)}): {median:7.2f} s, "
        f"{statistics.median(noop_cpu):.2f} CPU s  "
        f"(goal < {GOAL_NOOP_S:.0f} s; ratio to the full build {median / full:.3f})"
    )
    print(
        f"one raw file changed:       {changed:7.2f} s  "
        f"(rebuilt {', '.join(rebuilt) or 'nothing'}; {len(periods) - len(rebuilt)} up to date)"
    )
    return 0 if median < GOAL_NOOP_S else 1


if __name__ == "__main__":
    sys.exit(main())
