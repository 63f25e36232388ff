"""Builds of real briefings for the browser and safety tests, made once per test process.

A *build* copies raw data into a scratch folder, runs ``engagement data`` and
``engagement run`` there as subprocesses (the way a person runs them) and records
what happened: exit codes, the console output, the state of every raw file before
and after, and every file the processes (and their Jupyter kernels) wrote, through
the audit hook in ``write_audit/sitecustomize.py``.

All builds of a test process start together on first use (the notebooks of the
different runs share the CPU), and are then reused by every test that needs them.
The tests that use them are in the xdist group ``builds`` (``make test`` runs
``--dist loadgroup``), so one worker makes them while the other runs other groups
(``periods``, the every-period build, and one group per module of notebook runs).
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import os
import pickle
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from helpers import config
from helpers.briefing.pdf import PdfSkipped, find_chromium

PROJECT = Path(__file__).resolve().parents[2]
RAW = PROJECT / "data" / "raw"
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
AUDIT_HOOK_DIR = Path(__file__).resolve().parent / "write_audit"

#: The pages of a period, without ``.html``.
PAGES: tuple[str, ...] = ("index", *(spec.name for spec in config.CHANNEL_SPECS), "quality")
#: The periods built for the browser tests.
PERIODS: tuple[str, ...] = ("2015-09", "2015-11")


def pages_of(period: str) -> tuple[str, ...]:
    """The pages a run builds for a period of the embedded data (channels with figures)."""
    from helpers.tidy.coverage import pages_with_data
    from helpers.tidy.dataset import load_tidy
    from helpers.tidy.periods import reporting_window

    channels = pages_with_data(load_tidy(), reporting_window(period))
    return tuple(p for p in PAGES if p in {"index", "quality", *channels})


#: The period of the hostile build: its window holds every figure the hostile names are in.
HOSTILE_PERIOD = "2015-11"
#: The archive page (``<out>/index.html``) among the pages a test opens.
ARCHIVE_PAGE = "archive"
#: Seconds one ``engagement`` command may take before the build is declared hung.
COMMAND_TIMEOUT = 900


def in_ci() -> bool:
    """Whether the tests run in CI (where every tool must be present)."""
    return bool(os.environ.get("CI"))


def tool_problems(*, axe: bool = True) -> list[str]:
    """What is missing for a browser test: Chromium, Playwright and (when asked) axe-core.

    Chromium is found as the board paper finds it (:func:`helpers.briefing.pdf.find_chromium`:
    ``$ENGAGEMENT_CHROMIUM``, else ``/usr/bin/chromium`` or one on ``PATH``).
    """
    problems = []
    try:
        find_chromium()
    except PdfSkipped as exc:
        problems.append(str(exc))
    if axe and not AXE.is_file():
        problems.append(f"{AXE.relative_to(PROJECT)} is missing (npm ci)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("the playwright package is not installed (make setup)")
    return problems


def skip_or_fail(what: str, problems: list[str]) -> None:
    """Skip (locally) or fail (in CI) naming each of ``problems``; nothing when there are none."""
    if not problems:
        return
    message = f"{what} cannot run: " + "; ".join(problems)
    if in_ci():
        pytest.fail(message + " (CI must install them)", pytrace=False)
    pytest.skip(message)


def require_browser_tools() -> None:
    """Skip (locally) or fail (in CI) when Chromium, Playwright or axe-core is missing."""
    skip_or_fail("the browser tests", tool_problems())


# --- file-system state --------------------------------------------------------------


@dataclass(frozen=True)
class FileState:
    """Content hash, modification time and size of one file."""

    sha256: str
    mtime_ns: int
    size: int


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(root: Path) -> dict[str, FileState]:
    """State of every file under ``root``, keyed by path relative to it."""
    out = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        stat = path.stat()
        out[str(path.relative_to(root))] = FileState(sha256(path), stat.st_mtime_ns, stat.st_size)
    return out


def describe_changes(before: dict[str, FileState], after: dict[str, FileState]) -> list[str]:
    """Lines naming each file added, removed or changed between two snapshots."""
    lines = [f"new file {name}" for name in sorted(after.keys() - before.keys())]
    lines += [f"removed {name}" for name in sorted(before.keys() - after.keys())]
    lines += [
        f"changed {name}"
        for name in sorted(before.keys() & after.keys())
        if before[name] != after[name]
    ]
    return lines


def read_write_log(folder: Path) -> list[tuple[str, Path]]:
    """The (event, path) pairs recorded by the audit hook of every process."""
    events = []
    for log in sorted(folder.glob("*.log")):
        for line in log.read_text(encoding="utf-8").splitlines():
            event, _, path = line.partition("\t")
            events.append((event, Path(path)))
    return events


def is_under(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or inside it."""
    return path == folder or folder in path.parents


# --- builds ---------------------------------------------------------------------------


@dataclass
class Command:
    """One finished ``engagement`` command."""

    args: list[str]
    returncode: int
    seconds: float
    output: str


@dataclass
class Build:
    """A scratch data folder, the briefings built from it, and what the run did."""

    name: str
    root: Path
    periods: tuple[str, ...]
    raw_before: dict[str, FileState] = field(default_factory=dict)
    raw_after: dict[str, FileState] = field(default_factory=dict)
    commands: list[Command] = field(default_factory=list)
    writes: list[tuple[str, Path]] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        """The data folder (``raw/`` and ``processed/``)."""
        return self.root / "data"

    @property
    def raw_dir(self) -> Path:
        """The raw copy the build read."""
        return self.data_dir / "raw"

    @property
    def processed_dir(self) -> Path:
        """Where ``engagement data`` wrote the tidy table."""
        return self.data_dir / "processed"

    @property
    def out_dir(self) -> Path:
        """The folder of the period folders."""
        return self.root / "out"

    @property
    def log_dir(self) -> Path:
        """Console output of each command."""
        return self.root / "logs"

    @property
    def write_log_dir(self) -> Path:
        """The audit hook's logs."""
        return self.root / "writes"

    def period_dir(self, period: str) -> Path:
        """The output folder of one period."""
        return self.out_dir / period

    def page(self, period: str, name: str) -> Path:
        """One HTML page of a period."""
        return self.period_dir(period) / f"{name}.html"

    def check_succeeded(self) -> None:
        """Fail with the console output of the first command that did not succeed."""
        for command in self.commands:
            if command.returncode != 0:
                pytest.fail(
                    f"`engagement {' '.join(command.args)}` exited {command.returncode} "
                    f"in the {self.name} build:\n{command.output[-4000:]}",
                    pytrace=False,
                )


def engagement_env(write_log: Path | None = None) -> dict[str, str]:
    """Environment of an ``engagement`` subprocess, with the write audit when asked."""
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    if write_log is not None:
        env["PYTHONPATH"] = os.pathsep.join(
            [str(AUDIT_HOOK_DIR), *filter(None, [env.get("PYTHONPATH")])]
        )
        env["ENGAGEMENT_WRITE_LOG"] = str(write_log)
    return env


def engagement(args: list[str], *, log: Path, env: dict[str, str], cwd: Path = PROJECT) -> Command:
    """Run ``engagement ARGS`` (the project's command line) and wait for it."""
    began = time.perf_counter()
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as handle:
        proc = subprocess.run(
            [sys.executable, "-m", "helpers.cli", *args],
            cwd=cwd,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
    return Command(args, proc.returncode, time.perf_counter() - began, log.read_text("utf-8"))


def copy_raw(target: Path, folders: tuple[str, ...] | None = None) -> None:
    """Copy the project's raw data (all of it, or only ``folders``) to ``target``."""
    if folders is None:
        shutil.copytree(RAW, target)
        return
    for name in folders:
        shutil.copytree(RAW / name, target / name)


def prepare_data(build: Build) -> None:
    """Snapshot the raw copy and run ``engagement data`` on it (audited)."""
    build.write_log_dir.mkdir(parents=True, exist_ok=True)
    build.raw_before = snapshot(build.raw_dir)
    build.commands.append(
        engagement(
            ["data", "--raw", str(build.raw_dir), "--out", str(build.processed_dir)],
            log=build.log_dir / "data.log",
            env=engagement_env(build.write_log_dir),
        )
    )


def run_period(build: Build, period: str) -> Command:
    """Run the briefings of one period of a build (audited)."""
    return engagement(
        [
            "run",
            "--period",
            period,
            "--data",
            str(build.data_dir),
            "--out",
            str(build.out_dir),
        ],
        log=build.log_dir / f"run-{period}.log",
        env=engagement_env(build.write_log_dir),
    )


def finish(build: Build) -> None:
    """Record the raw copy's state and the writes after the build."""
    build.raw_after = snapshot(build.raw_dir)
    build.writes = read_write_log(build.write_log_dir)


# --- hostile data -----------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    """One hostile text put in place of a name in the raw data.

    Attributes:
        text: The hostile text.
        where: What it replaces, in words.
        pages: Pages of the hostile build where it must appear as visible text.
        published: JSON files of the period where it must appear unchanged.
    """

    text: str
    where: str
    pages: tuple[str, ...]
    published: tuple[str, ...] = ()


#: Each hostile text, the (file, column, original value) cells it replaces.
HOSTILE_EDITS: tuple[tuple[Hostile, tuple[tuple[str, str, str], ...]], ...] = (
    (
        Hostile(
            "<script>window.__pwned=1</script>",
            "Trust Ed top page title",
            ("trusted2know",),
        ),
        (("report_2015/trusted2know_top_pages.csv", "page", "Homepage"),),
    ),
    (
        Hostile(
            '<img src=x onerror="window.__pwned=2">',
            "campaign activity",
            ("itk",),  # reported on 18 November 2015, inside the period
        ),
        (("report_2015/campaign_figures.csv", "activity", "In the Know alerts"),),
    ),
    (
        Hostile("javascript:window.__pwned=3", "website page group", ("website",)),
        (("report_2015/website_period_shares.csv", "segment", "Homepage"),),
    ),
    (
        Hostile(
            '"><svg onload=window.__pwned=4>',
            "Facebook account name",
            ("social",),
        ),
        (
            ("report_2015/facebook_likes_by_account.csv", "account", "Cadets"),
            ("as_reported/facebook_likes_by_account.csv", "account", "Cadets"),
        ),
    ),
    (
        Hostile(
            '<iframe src="javascript:window.__pwned=6"></iframe>',
            "Trust Ed device segment",
            ("trusted2know",),
            ("headlines.json",),
        ),
        (("report_2015/trusted2know_period_shares.csv", "segment", "Mobile"),),
    ),
    (
        Hostile(
            '<a href="javascript:window.__pwned=7">Total digital community 359469</a>',
            "quote of a stated figure (quality tables)",
            ("quality",),  # the full check table; channel pages fold theirs away
            ("quality.json",),
        ),
        (("as_reported/digital_community_2015-10.csv", "quote", "Total digital community 359469"),),
    ),
    (
        Hostile(
            "[report](javascript:window.__pwned=5) **bold** {{ 7*7 }}",
            "website online form name (Markdown and template syntax)",
            ("website",),
        ),
        (("report_2015/website_online_forms.csv", "form", "Lost Property"),),
    ),
    (
        Hostile(
            "Tom &amp; Jerry &lt;b&gt;bold&lt;/b&gt;",
            "Trust Ed top page title (already-escaped entities)",
            ("trusted2know",),
        ),
        (("report_2015/trusted2know_top_pages.csv", "page", "Robbery"),),
    ),
)


def replace_cells(path: Path, column: str, old: str, new: str) -> int:
    """Replace every ``old`` in ``column`` of a CSV file by ``new``; return how many."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    count = 0
    for row in rows:
        if row[column] == old:
            row[column] = new
            count += 1
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return count


def make_hostile_raw(raw: Path) -> None:
    """Copy the raw data to ``raw``, hostile names in the report tables and payloads.

    The commentary and the platform exports get a script payload in every field
    that holds text (:mod:`tests.browser.payloads`).
    """
    from tests.browser.payloads import payload_commentary, payload_exports

    copy_raw(raw, ("report_2015", "as_reported", "reference"))
    for hostile, cells in HOSTILE_EDITS:
        for name, column, old in cells:
            if replace_cells(raw / name, column, old, hostile.text) == 0:
                raise AssertionError(f"{name} has no {column} {old!r} to replace")
    paper = f"commentary/{HOSTILE_PERIOD}.md"
    (raw / "commentary").mkdir()
    (raw / paper).write_text(payload_commentary((RAW / paper).read_text("utf-8")), "utf-8")
    payload_exports(raw / "exports")


# --- the builds of a test process ---------------------------------------------------


class Builds:
    """The normal and hostile builds, made once and shared by every test process.

    Under pytest-xdist each worker is its own process: the first to ask builds
    while holding a file lock in the run's shared temporary folder, and the
    others wait for it and load the recorded result.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._builds: dict[str, Build] | None = None

    def get(self, base: Path) -> dict[str, Build]:
        """Return the builds, making them under ``base`` if no process has yet."""
        with self._lock:
            if self._builds is None:
                base.mkdir(parents=True, exist_ok=True)
                state = base / "builds.pickle"
                with (base / "builds.lock").open("w") as lock:
                    fcntl.flock(lock, fcntl.LOCK_EX)
                    if state.is_file():
                        self._builds = pickle.loads(state.read_bytes())
                    else:
                        self._builds = make_builds(base)
                        state.write_bytes(pickle.dumps(self._builds))
            return self._builds


def shared_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of the builds: the run's temporary folder, shared by xdist workers."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    return base / "briefings"


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so a reader in another process never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _in_thread(work: Callable[[], object]) -> threading.Thread:
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def make_builds(base: Path) -> dict[str, Build]:
    """Build the periods of :data:`PERIODS` and the hostile period, all at once."""
    normal = Build("normal", base / "normal", PERIODS)
    hostile = Build("hostile", base / "hostile", (HOSTILE_PERIOD,))
    copy_raw(normal.raw_dir)
    make_hostile_raw(hostile.raw_dir)
    results: dict[tuple[str, str], Command] = {}

    def build_all(build: Build) -> None:
        try:
            prepare_data(build)
        except Exception as exc:  # a hung data step: report it with the build
            build.commands.append(Command(["data"], -1, 0.0, repr(exc)))
            return
        if build.commands[-1].returncode != 0:
            return
        threads = []
        for period in build.periods:

            def one(period: str = period) -> None:
                try:
                    results[(build.name, period)] = run_period(build, period)
                except Exception as exc:  # a hung or unstartable run: report, don't lose it
                    results[(build.name, period)] = Command(["run", period], -1, 0.0, repr(exc))

            threads.append(_in_thread(one))
        for thread in threads:
            thread.join()

    workers = [_in_thread(lambda b=b: build_all(b)) for b in (normal, hostile)]
    for worker in workers:
        worker.join()
    for build in (normal, hostile):
        build.commands += [results[key] for key in results if key[0] == build.name]
        finish(build)
    return {"normal": normal, "hostile": hostile}


#: The builds of this test process (shared by the browser and pipeline tests).
BUILDS = Builds()
