"""Every period of the embedded data, built once per test process for the archive and PDF tests.

The build copies ``data/raw`` into a scratch folder, runs ``engagement data`` and
``engagement run --all`` there (the way a person runs them), then asks for the
board papers of 2015-06, 2015-09 and 2015-11 with ``engagement run --period P --pdf``:
those periods are already up to date, so only their PDFs are printed. Under
pytest-xdist the first worker builds while holding a file lock and the others
load the recorded result (as :mod:`tests.browser.harness` does).
"""

from __future__ import annotations

import fcntl
import pickle
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser.harness import Command, copy_raw, engagement, engagement_env, shared_base

#: Periods whose board paper is printed (2015-11, the default, is the 2015 report's paper).
PDF_PERIODS: tuple[str, ...] = ("2015-06", "2015-09", "2015-11")


@dataclass
class AllPeriods:
    """A scratch copy of the data and every period built from it."""

    root: Path
    commands: list[Command] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        """The data folder (``raw/`` and ``processed/``)."""
        return self.root / "data"

    @property
    def out_dir(self) -> Path:
        """The folder of the period folders and the archive."""
        return self.root / "out"

    def output(self, *words: str) -> str:
        """The console output of the first command whose arguments start with ``words``."""
        for command in self.commands:
            if command.args[: len(words)] == list(words):
                return command.output
        raise KeyError(words)

    def check_succeeded(self) -> None:
        """Fail with the console output of the first command that did not succeed."""
        for command in self.commands:
            if command.returncode != 0:
                pytest.fail(
                    f"`engagement {' '.join(command.args)}` exited {command.returncode}:\n"
                    f"{command.output[-4000:]}",
                    pytrace=False,
                )


def make(root: Path) -> AllPeriods:
    """Copy the raw data, build data/processed and every period, then two board papers."""
    build = AllPeriods(root)
    copy_raw(build.data_dir / "raw")
    env = engagement_env()
    logs = root / "logs"
    out = str(build.out_dir)
    steps = [
        ["data", "--raw", str(build.data_dir / "raw"), "--out", str(build.data_dir / "processed")],
        ["run", "--all", "--data", str(build.data_dir), "--out", out],
        *(
            ["run", "--period", p, "--pdf", "--data", str(build.data_dir), "--out", out]
            for p in PDF_PERIODS
        ),
    ]
    for number, args in enumerate(steps):
        command = engagement(args, log=logs / f"{number}-{args[0]}.log", env=env)
        build.commands.append(command)
        if command.returncode != 0:
            break
    return build


class _Once:
    """The build of this test process, made by the first process that asks for it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._build: AllPeriods | None = None

    def get(self, base: Path) -> AllPeriods:
        with self._lock:
            if self._build is None:
                base.mkdir(parents=True, exist_ok=True)
                state = base / "build.pickle"
                with (base / "build.lock").open("w") as lock:
                    fcntl.flock(lock, fcntl.LOCK_EX)
                    if state.is_file():
                        self._build = pickle.loads(state.read_bytes())
                    else:
                        self._build = make(base / "build")
                        state.write_bytes(pickle.dumps(self._build))
            return self._build


ALL_PERIODS = _Once()


@pytest.fixture(scope="session")
def all_periods(tmp_path_factory: pytest.TempPathFactory) -> AllPeriods:
    """Every period of the embedded data, built from a copy of data/raw."""
    build = ALL_PERIODS.get(shared_base(tmp_path_factory).with_name("all-periods"))
    build.check_succeeded()
    return build
