"""One clear line per fault: names shown escaped, a full disk, a read-only home.

Notebook execution is replaced (no kernels): the faults come from the runner's
own steps, or from what a kernel reports.
"""

from __future__ import annotations

import errno
import io
import os
from types import SimpleNamespace

import pytest
from rich.console import Console

from helpers import cli
from helpers.briefing import build as runner_module
from helpers.briefing.execute import NotebookFailed, check_runtime_dir
from helpers.briefing.run_errors import RunError
from helpers.briefing.runner import run_period
from helpers.errors import DataError, display_path
from tests.factories.fake_notebooks import (
    channel_page,
    fake_execute,
    headline_record,
    write_page_notebooks,
)

PERIOD = "2015-09"
#: A file name that would print a second line over the terminal's last one.
SNEAKY = "web\n\x1b[2Kerror: all good, nothing wrong.csv"


def test_control_characters_in_a_file_name_are_shown_escaped(tmp_path, capsys):
    raw = tmp_path / "raw"
    (raw / "exports").mkdir(parents=True)
    (raw / "exports" / SNEAKY).write_text("Date,Sessions\nnot a date,1\n", encoding="utf-8")
    assert cli.main(["data", "--raw", str(raw), "--out", str(tmp_path / "processed")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("error: ") and "web\\n\\x1b[2Kerror: all good" in err[0]
    assert not any(line.startswith("\x1b") or "all good" in line for line in err[1:])
    assert "\x1b" not in "".join(err)


@pytest.mark.parametrize("name", ["a\nb", "a\x1b[31mb", "a\u202eb", "a\tb"])
def test_messages_and_paths_hold_no_control_character(name):
    shown = display_path(f"/data/{name}.csv")
    message = str(DataError(f"/data/{name}.csv", "text", found=name))
    for text in (shown, message):
        assert len(text.splitlines()) == 1 and text.isprintable(), text


@pytest.fixture
def fake_run(monkeypatch, tmp_path):
    notebooks = tmp_path / "notebooks"
    write_page_notebooks(notebooks, ("website", "itk"))
    monkeypatch.setattr(runner_module, "check_kernel", lambda name: None)
    monkeypatch.setattr(runner_module, "kernel_pool", lambda *a, **k: SimpleNamespace(close=dict))

    def run(execute):
        monkeypatch.setattr(runner_module, "execute_notebook", execute)
        return run_period(
            PERIOD,
            channels="website,itk",
            out_dir=tmp_path / "outputs",
            notebooks_dir=notebooks,
            console=Console(file=io.StringIO()),
        )

    return SimpleNamespace(run=run, out=tmp_path / "outputs")


def test_a_full_disk_says_so_in_one_line_and_leaves_nothing_behind(fake_run):
    record = headline_record(1.0)
    fake = fake_execute(lambda job: channel_page(job, record), 0.1)

    def execute(job, **kwargs):
        if job.name == "itk":  # the kernel reports it from inside a cell
            partial = job.output
            partial.write_text("{}")
            raise NotebookFailed(
                "itk", PERIOD, 3, "chart", "OSError: [Errno 28] No space left on device", partial
            )
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(job.output))

    with pytest.raises(RunError) as caught:
        fake_run.run(execute)
    message = str(caught.value)
    assert len(message.splitlines()) == 1, message
    assert message.startswith("the disk is full (") and "free some space" in message
    assert "OSError(" not in message
    assert sorted(p.name for p in fake_run.out.iterdir()) == []  # no .failed, no staging
    fake_run.run(fake)  # once there is space, the period builds
    assert (fake_run.out / PERIOD / "index.html").is_file()


def test_a_read_only_home_is_one_line_with_the_remedy(tmp_path, monkeypatch):
    blocker = tmp_path / "home"
    blocker.write_text("a file where a folder should be")  # unwritable for root too
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(blocker / "runtime"))
    with pytest.raises(RunError) as caught:
        check_runtime_dir()
    message = str(caught.value)
    assert len(message.splitlines()) == 1
    assert "cannot write its runtime folder" in message
    assert "set HOME to a writable folder (or JUPYTER_RUNTIME_DIR to one)" in message


def test_the_runtime_check_comes_before_any_kernel(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "home"
    blocker.write_text("x")
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(blocker / "runtime"))

    def refuse(*args, **kwargs):
        raise AssertionError("a kernel would have started")

    monkeypatch.setattr(runner_module, "kernel_pool", refuse)
    code = cli.main(["run", "--period", PERIOD, "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert len(err) == 1 and "cannot write its runtime folder" in err[0], err
