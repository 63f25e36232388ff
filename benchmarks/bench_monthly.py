"""The monthly job on today's exports: how long a modern month takes beside a 2015 period.

Part 1 (needs ``../shared/real-exports``): March 2025 from the 2025 set of genuine
exports (``tests.factories.real_2025``) against September 2015 from the embedded data,
each built with ``engagement run --period P --force`` into a temporary folder; each
repeat runs both, so they share the machine's load. Goal: ratio modern / 2015 <= 1.2.

Part 2 (``--example``): the example force (``tools.example_force``) from scratch:
``engagement data`` then ``engagement run --all``, then ``run --all`` again with nothing
changed. Goals: under 180 s from scratch and under 2 s when nothing changed, on 2 cores.

    .venv/bin/python benchmarks/bench_monthly.py --repeat 3 [--example]

Prints the median wall times and the ratios. Nothing is written outside a temporary
folder.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.factories, tools


def _timed(*args: str) -> float:
    began = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "engagement"), *args], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): engagement {' '.join(args)}\n{done.stderr[-3000:]}")
    return seconds


def modern_against_2015(base: Path, repeat: int) -> tuple[float, float]:
    """Median seconds of March 2025 (2025 set) and of September 2015 (embedded data)."""
    from tests.factories.real_2025 import stage

    data = stage(base / "modern" / "data")
    _timed("data", "--raw", str(data / "raw"), "--out", str(data / "processed"))
    modern, old = [], []
    for i in range(repeat):
        out = base / f"out-{i}"
        modern.append(
            _timed("run", "--period", "2025-03", "--force", "--data", str(data), "--out", str(out))
        )
        old.append(_timed("run", "--period", "2015-09", "--force", "--out", str(out)))
    return statistics.median(modern), statistics.median(old)


def example_all(base: Path) -> tuple[float, float, int]:
    """Seconds of ``data`` + ``run --all`` from scratch, of ``run --all`` again, and periods."""
    from tools.example_force import generate

    data = base / "example" / "data"
    generate(data)
    out = base / "example" / "out"
    began = time.perf_counter()
    _timed("data", "--raw", str(data / "raw"), "--out", str(data / "processed"))
    _timed("run", "--all", "--data", str(data), "--out", str(out))
    scratch = time.perf_counter() - began
    again = _timed("run", "--all", "--data", str(data), "--out", str(out))
    periods = sum(1 for p in out.iterdir() if p.is_dir() and (p / "index.html").is_file())
    return scratch, again, periods


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--example", action="store_true", help="also time the example force")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-monthly-") as tmp:
        base = Path(tmp)
        modern, old = modern_against_2015(base, args.repeat)
        print(f"March 2025 (2025 set of real exports): {modern:.1f} s (median of {args.repeat})")
        print(f"September 2015 (embedded data), baseline: {old:.1f} s")
        print(f"ratio modern / 2015: {modern / old:.2f} (goal <= 1.2)")
        if args.example:
            if importlib.util.find_spec("tools.example_force") is None:
                sys.exit("tools/example_force.py is missing")
            scratch, again, periods = example_all(base)
            print(f"example force, {periods} periods from scratch: {scratch:.1f} s (goal < 180)")
            print(f"example force, nothing changed: {again:.2f} s (goal < 2)")


if __name__ == "__main__":
    main()
