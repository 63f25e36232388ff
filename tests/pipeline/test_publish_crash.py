"""A run killed at any step of publishing loses nothing: the next run puts the swap right.

Each case runs a real briefing run (notebooks faked, no kernels:
:mod:`tests.factories.killed_run`) over a published period that holds an analyst's
files (minutes, an empty folder, a link to a shared folder), and kills it with
SIGKILL just before one publishing step: the published folder set aside, the new one
moved in, the set-aside folder removed, the archive written; then just after the
last. The folder set aside is made a day old, as if found the next morning. The
next run must say in one line what it put right, and leave the period whole: every
file of a build, the analyst's files unchanged, nothing half-done left behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers.briefing.ownership import files_of
from tests.browser.harness import PROJECT
from tests.factories.fake_notebooks import write_page_notebooks
from tests.factories.killed_run import CHANNELS, PERIOD

pytestmark = [pytest.mark.pipeline]

#: The files every build of the period holds.
BUILD_FILES = {
    "index.html",
    "quality.html",
    *(f"{name}.html" for name in CHANNELS),
    "headlines.json",
    "quality.json",
    "overview.json",
    "manifest.json",
}
MINUTES = f"{PERIOD} minutes.docx"


def run(out: Path, notebooks: Path, kill_at: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.factories.killed_run",
            str(out),
            str(notebooks),
            f"{kill_at}",
        ],
        cwd=PROJECT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def steps(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("step ")]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A period published once, and the publishing steps a rebuild of it takes."""
    base = tmp_path_factory.mktemp("crash")
    notebooks = base / "notebooks"
    write_page_notebooks(notebooks, CHANNELS)
    out = base / "outputs"
    first = run(out, notebooks, 0)
    assert first.returncode == 0, first.stdout + first.stderr
    published = base / "published"
    shutil.copytree(out, published, symlinks=True)
    rebuild = run(out, notebooks, 0)
    assert rebuild.returncode == 0, rebuild.stdout + rebuild.stderr
    return {"published": published, "notebooks": notebooks, "steps": steps(rebuild.stdout)}


def test_a_rebuild_publishes_in_these_steps(published):
    """The steps the kills below hit, in order."""
    seen = [line.split(" ")[2:] for line in published["steps"]]
    assert [(event, names[:5]) for event, names, *_ in seen] == [
        ("os.rename", PERIOD[:5]),  # the published folder set aside
        ("os.rename", ".stag"),  # the new one moved in
        ("shutil.rmtree", ".old-"),  # the one set aside removed
        ("os.rename", ".inde"),  # the archive written
        ("shutil.rmtree", ".stag"),  # the staging folder, already moved in
    ]


def analyst_files(period_dir: Path, shared: Path) -> None:
    """Minutes, an empty folder and a link to a shared folder, saved by an analyst."""
    (period_dir / MINUTES).write_bytes(b"minutes of the board, approved\n")
    (period_dir / "drafts").mkdir()
    os.symlink(shared, period_dir / "team share")


#: Killed before step K: the line in which the next run says what it put right, if any.
SAID = {
    1: "removed .staging-",  # nothing swapped yet: the killed run's staging folder goes
    2: "restored 2015-09/ as it was",  # set aside, the new one not moved in: undone
    3: "finished publishing 2015-09/",  # the new one in place: the one set aside goes
    4: "removed .index.html.",  # the archive half-written: its temporary file goes
    5: None,  # published; only the killed run's lock file is left (removed silently)
}


@pytest.mark.parametrize("kill_at", sorted(SAID))
def test_a_run_killed_while_publishing_loses_nothing(published, kill_at, tmp_path):
    out = tmp_path / "outputs"
    shutil.copytree(published["published"], out, symlinks=True)
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "rota.txt").write_text("rota\n")
    analyst_files(out / PERIOD, shared)

    killed = run(out, published["notebooks"], kill_at)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    day_ago = time.time() - 86400  # found the next morning: age changes nothing
    for left in out.iterdir():
        os.utime(left, (day_ago, day_ago), follow_symlinks=False)

    after = run(out, published["notebooks"], 0)
    assert after.returncode == 0, after.stdout + after.stderr
    said = [
        line.strip()
        for line in after.stdout.splitlines()
        if line.strip().startswith(("restored", "finished publishing", "removed"))
    ]
    swaps = [line for line in said if not line.startswith("removed .staging-")]
    assert len(swaps) <= 1, swaps  # one line per swap put right
    if SAID[kill_at] is None:
        assert said == []
    else:
        assert [line for line in said if line.startswith(SAID[kill_at])], said
    folder = out / PERIOD
    assert set(files_of(folder)) >= BUILD_FILES
    assert (folder / MINUTES).read_bytes() == b"minutes of the board, approved\n"
    assert (folder / "drafts").is_dir() and not any((folder / "drafts").iterdir())
    assert os.readlink(folder / "team share") == str(shared)
    assert (shared / "rota.txt").read_text() == "rota\n"
    assert sorted(p.name for p in out.iterdir()) == [PERIOD, "index.html"]
