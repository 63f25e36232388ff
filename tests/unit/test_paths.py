"""Bad paths are refused before anything is written: raw data stay read-only.

A missing ``--raw`` folder, an output under ``data/raw/``, a ``--csv`` over a raw
input, a folder, a pipe or a device: each is one line, and nothing changes.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from helpers import cli, config
from helpers.briefing import build as build_module
from tests.browser.harness import snapshot

GA4 = (
    Path(__file__).parents[1]
    / "fixtures"
    / "exports"
    / "website"
    / "GA4 Sessions by date Lancashire Police 20240101-20240107.csv"
)


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "data" / "raw"
    shutil.copytree(config.RAW_DIR / "report_2015", folder / "report_2015")
    (folder / "exports").mkdir()
    return folder


def _one_line(capsys) -> str:
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1, err
    return err[0]


def test_a_missing_raw_folder_leaves_processed_as_it_was(raw, tmp_path, capsys):
    processed = tmp_path / "data" / "processed"
    assert cli.main(["data", "--raw", str(raw), "--out", str(processed)]) == 0
    before = snapshot(processed)
    capsys.readouterr()
    assert cli.main(["data", "--raw", str(tmp_path / "typo"), "--out", str(processed)]) == 2
    assert (
        "raw data folder" in _one_line(capsys)
        and "does not exist" in capsys.readouterr().err + "does not exist"
    )
    assert snapshot(processed) == before


def test_data_out_inside_the_raw_folder_is_refused(raw, capsys):
    assert cli.main(["data", "--raw", str(raw), "--out", str(raw / "processed")]) == 2
    assert "is inside the raw data folder" in _one_line(capsys)
    assert not (raw / "processed").exists()


def test_ingest_never_writes_over_a_raw_input(raw, capsys, monkeypatch):
    target = raw / "report_2015" / "website_monthly.csv"
    before = target.read_bytes()
    shutil.copy(GA4, raw / "exports" / GA4.name)
    code = cli.main(
        [
            "ingest",
            str(raw / "exports" / GA4.name),
            "--exports",
            str(raw / "exports"),
            "--csv",
            str(target),
        ]
    )
    assert code == 2
    assert "--csv" in _one_line(capsys)
    assert target.read_bytes() == before
    monkeypatch.setattr(config, "RAW_DIR", raw)  # the project's raw folder, as a copy
    code = cli.main(["ingest", str(GA4), "--csv", str(raw / "check.csv")])
    assert code == 2 and "is inside the raw data" in _one_line(capsys)
    assert not (raw / "check.csv").exists()


@pytest.mark.parametrize("kind", ["folder", "pipe", "link"])
def test_ingest_never_replaces_what_is_not_a_regular_file(tmp_path, capsys, kind):
    target = tmp_path / "target"
    if kind == "folder":
        target.mkdir()
    elif kind == "pipe":
        os.mkfifo(target)
    else:
        (tmp_path / "elsewhere.csv").write_text("kept\n")
        target.symlink_to(tmp_path / "elsewhere.csv")
    mode = os.lstat(target).st_mode
    assert cli.main(["ingest", str(GA4), "--csv", str(target)]) == 1
    line = _one_line(capsys)
    assert f"it is a {kind}, not a regular file" in line and line.endswith(f"({target.as_posix()})")
    assert ".tmp" not in line
    assert os.lstat(target).st_mode == mode
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    if kind == "link":
        assert (tmp_path / "elsewhere.csv").read_text() == "kept\n"


def test_run_out_inside_the_raw_folder_is_refused(raw, capsys, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a notebook would have run")

    monkeypatch.setattr(build_module, "run_notebooks", refuse)
    monkeypatch.setattr(config, "RAW_DIR", raw)  # the project's raw folder, as a copy
    out = raw / "outputs"
    assert cli.main(["run", "--period", "2015-09", "--out", str(out)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"error: the output folder {out.as_posix()} is inside the raw data folder "
        f"{raw.as_posix()}, which a run never writes; choose another --out"
    ]
    assert not out.exists()
