"""Time one period's briefings: the runner's warm kernels against plain papermill.

Three ways to build a period's pages, each run once per repeat, in turn, so they
share the machine's load; the medians are compared:

- **warm**: ``engagement run --period P --force --out DIR``, the runner as it is: its
  kernels started ahead, imports loaded once, reset between notebooks;
- **plain**: the same runner with each notebook run by plain
  ``papermill.execute_notebook`` in a kernel of its own (no pool), in the runner's
  thread pool; everything else (staging, HTML, manifest, archive) is the same;
- **commands**: the ``papermill`` and ``jupyter nbconvert --to html --no-input``
  command lines, the channel notebooks side by side, then the data-quality and
  overview notebooks one after the other (they read what the channel pages
  published: the summary notebooks are given the warm run's folder).

    .venv/bin/python benchmarks/bench_briefing.py --period 2015-09 --repeat 3

The rule (issue 27): the warm kernels are kept only while they are at least 1.5 times
as fast as plain papermill in a thread pool. Every run writes into a temporary
folder, never into outputs/.
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
from types import SimpleNamespace
from typing import Any

from helpers import config
from helpers.briefing.plan import BRIEFINGS, SUMMARY_PAGES

BIN = Path(sys.executable).parent
#: How much faster the warm kernels must be than plain papermill to be worth keeping.
RULE = 1.5


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr[-3000:]}")


def _expect(folder: Path, names: list[str], who: str) -> None:
    missing = [name for name in names if not (folder / name).is_file()]
    if missing:
        sys.exit(f"the {who} run did not write {', '.join(missing)}")


def _run_options(period: str, start: str | None, jobs: int | None) -> list[str]:
    options = ["--period", period, "--force"]
    options += ["--start", start] if start else []
    options += ["--jobs", str(jobs)] if jobs else []
    return options


def warm(period: str, start: str | None, out: Path, jobs: int | None) -> float:
    """The runner as it is (``engagement run``); its wall time.

    The channel pages it writes (those the period has figures for) are the ones the
    other two ways build too.
    """
    cmd = [str(BIN / "engagement"), "run", *_run_options(period, start, jobs), "--out", str(out)]
    began = time.perf_counter()
    _run(cmd)
    seconds = time.perf_counter() - began
    _expect(out / period, ["index.html", "quality.html"], "warm")
    return seconds


def channel_pages(folder: Path) -> list[str]:
    """The channel pages a run wrote into a period's folder."""
    return [name for name in BRIEFINGS if (folder / f"{name}.html").is_file()]


def plain(
    period: str, start: str | None, out: Path, jobs: int | None, channels: list[str]
) -> float:
    """The runner with plain papermill, a kernel per notebook (this script, ``--plain-run``)."""
    options = _run_options(period, start, jobs)
    cmd = [sys.executable, __file__, "--plain-run", *options, "--out", str(out)]
    began = time.perf_counter()
    _run(cmd)
    seconds = time.perf_counter() - began
    _expect(out / period, ["index.html", *(f"{n}.html" for n in channels)], "plain")
    return seconds


def _plain_execute(job: Any, *, kernels: Any = None, timeout: float | None = None) -> Any:
    """One notebook by ``papermill.execute_notebook`` in a kernel started for it."""
    import papermill

    began = time.perf_counter()
    nb = papermill.execute_notebook(
        job.source,
        job.output,
        parameters=dict(job.parameters),
        kernel_name=config.KERNEL_NAME,
        progress_bar=False,
        request_save_on_cell_execute=False,
        execution_timeout=timeout,
        # the kernel's working directory (papermill's cwd= would chdir the runner)
        resources={"metadata": {"path": str(job.source.parent)}},
    )
    return nb, time.perf_counter() - began


def plain_run(argv: list[str]) -> int:
    """``engagement run`` with :func:`_plain_execute` in place of the warm kernels."""
    from helpers import cli
    from helpers.briefing import build

    build.kernel_pool = lambda *a, **k: SimpleNamespace(close=lambda: None)
    build.execute_notebook = _plain_execute
    return cli.main(["run", *argv])


def _papermill(name: str, executed: Path, parameters: dict[str, str]) -> list[str]:
    cmd = [str(BIN / "papermill"), str(config.NOTEBOOKS_DIR / f"{name}.ipynb"), str(executed)]
    cmd += ["-k", config.KERNEL_NAME, "--cwd", str(config.NOTEBOOKS_DIR), "--no-progress-bar"]
    for key, value in parameters.items():
        cmd += ["-p", key, value]
    return cmd


def _page(name: str, out: Path, parameters: dict[str, str]) -> list[list[str]]:
    executed = out / f"{name}.ipynb"
    convert = [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)]
    return [_papermill(name, executed, parameters), convert]


def _side_by_side(chains: list[list[list[str]]], log: Path) -> None:
    """Run each chain of commands in turn, all chains at once (their messages to ``log``)."""
    with log.open("a") as messages:

        def start(cmd: list[str]) -> subprocess.Popen:
            return subprocess.Popen(cmd, stdout=messages, stderr=messages)

        running = [[chain, 0, start(chain[0])] for chain in chains]
        while running:
            time.sleep(0.05)
            for entry in list(running):
                chain, step, proc = entry
                if proc.poll() is None:
                    continue
                if proc.returncode != 0:
                    sys.exit(f"failed: {' '.join(chain[step])}; see {log}")
                if step + 1 < len(chain):
                    entry[1:] = [step + 1, start(chain[step + 1])]
                else:
                    running.remove(entry)


def commands(
    period: str, start: str | None, out: Path, published: Path, channels: list[str]
) -> float:
    """The command lines: channel notebooks side by side, then the two summary pages."""
    out.mkdir(parents=True, exist_ok=True)
    parameters = {"period": period, "data_dir": str(config.DATA_DIR), "output_dir": str(out)}
    parameters |= {"start": start} if start else {}
    summary = parameters | {"pages_dir": str(published)}
    began = time.perf_counter()
    log = out / "commands.log"
    _side_by_side([_page(name, out, parameters) for name in channels], log)
    for name in SUMMARY_PAGES:
        _side_by_side([_page(name, out, summary)], log)
    seconds = time.perf_counter() - began
    _expect(out, [f"{n}.html" for n in (*channels, *SUMMARY_PAGES)], "commands")
    return seconds


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--plain-run"]:
        return plain_run(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="2015-09", help="reporting month YYYY-MM")
    parser.add_argument("--start", help="first month YYYY-MM (default: 12 months)")
    parser.add_argument("--jobs", type=int, help="notebooks at once for the runner")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (median shown)")
    args = parser.parse_args(argv)
    print(f"{os.cpu_count()} cores; period {args.period}")
    times: dict[str, list[float]] = {"warm": [], "plain": [], "commands": []}
    with tempfile.TemporaryDirectory(prefix="bench-briefing-") as tmp:
        for run in range(args.repeat):
            folder = Path(tmp) / str(run)
            times["warm"].append(warm(args.period, args.start, folder / "warm", args.jobs))
            published = folder / "warm" / args.period
            pages = channel_pages(published)
            if run == 0:
                print(f"pages: {', '.join([*pages, *SUMMARY_PAGES])}")
            plain_out = folder / "plain"
            times["plain"].append(plain(args.period, args.start, plain_out, args.jobs, pages))
            commands_out = folder / "commands"
            times["commands"].append(
                commands(args.period, args.start, commands_out, published, pages)
            )
            done = "  ".join(f"{k} {v[-1]:5.1f} s" for k, v in times.items())
            print(f"  run {run + 1}: {done}", flush=True)
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"warm:     {median['warm']:6.1f} s  (engagement run: warm kernels)")
    print(f"plain:    {median['plain']:6.1f} s  (the runner with plain papermill, a kernel each)")
    print(f"commands: {median['commands']:6.1f} s  (papermill + nbconvert commands, side by side)")
    print(f"(medians of {args.repeat})")
    speedup = median["plain"] / median["warm"]
    print(f"warm is {speedup:.2f}x as fast as plain papermill in a thread pool")
    print(f"warm is {median['commands'] / median['warm']:.2f}x as fast as the commands")
    verdict = "keep the warm kernels" if speedup >= RULE else "use plain papermill"
    print(f"rule: warm kernels only if >= {RULE}x as fast as plain: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
