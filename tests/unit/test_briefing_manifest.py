import hashlib
import json
import os

import pytest

from helpers import config
from helpers.briefing import manifest
from helpers.briefing.runner import swap_into_place
from helpers.ingest.sources import input_files


def test_git_state_in_and_outside_a_checkout(tmp_path):
    state = manifest.git_state()
    if (config.ROOT / ".git").exists():
        assert len(state["commit"]) == 40
        assert isinstance(state["dirty"], bool)
    assert manifest.git_state(tmp_path) == {"commit": "unknown", "dirty": None}


def test_package_versions():
    versions = manifest.package_versions()
    for name in (
        "python",
        "pandas",
        "pandera",
        "papermill",
        "nbconvert",
        "seaborn",
        "matplotlib",
        "numpy",
        "statsmodels",
    ):
        assert versions[name], name
    assert manifest.package_versions(["no-such-package-xyz"])["no-such-package-xyz"] is None


def test_build_manifest_fields(tmp_path):
    notebook = tmp_path / "social.ipynb"
    notebook.write_text('{"cells": []}')
    data = manifest.build_manifest(
        parameters={"period": "2015-09", "start": None},
        data_dir=config.DATA_DIR,
        notebooks={"social": notebook},
        kernel_name="engagement-briefings",
        started="2016-01-01T10:00:00+00:00",
        finished="2016-01-01T10:01:00+00:00",
        seconds={"social": 12.3456},
    )
    assert set(data) >= {"git", "parameters", "inputs", "versions", "started", "finished"}
    assert data["parameters"]["period"] == "2015-09"
    assert data["notebook_seconds"] == {"social": 12.35}
    hashes = data["inputs"]
    raw = input_files(config.DATA_DIR / "raw")
    assert raw and len(hashes) >= len(raw) + 1
    assert hashes[str(notebook)] == hashlib.sha256(notebook.read_bytes()).hexdigest()
    first = raw[0]
    key = first.relative_to(config.ROOT).as_posix()
    assert hashes[key] == hashlib.sha256(first.read_bytes()).hexdigest()
    json.dumps(data)  # JSON-ready


def test_write_json_turns_nan_into_null(tmp_path):
    path = tmp_path / "x.json"
    manifest.write_json(path, [{"value": float("nan"), "n": [1.5, float("inf")]}])
    assert json.loads(path.read_text()) == [{"value": None, "n": [1.5, None]}]


def test_missing_headline_fields():
    full = dict.fromkeys(manifest.HEADLINE_FIELDS, "x")
    assert manifest.missing_headline_fields([full]) == []
    partial = {k: v for k, v in full.items() if k != "unit"}
    assert manifest.missing_headline_fields([full, partial]) == ["unit"]


def _folder(path, text):
    path.mkdir()
    (path / "index.html").write_text(text)
    return path


def test_swap_replaces_the_old_folder(tmp_path):
    target = _folder(tmp_path / "2015-09", "old")
    staging = _folder(tmp_path / ".staging-2015-09-x", "new")
    swap_into_place(staging, target)
    assert (target / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2015-09"]


def test_swap_into_an_empty_place(tmp_path):
    staging = _folder(tmp_path / ".staging", "new")
    swap_into_place(staging, tmp_path / "2015-09")
    assert (tmp_path / "2015-09" / "index.html").read_text() == "new"


def test_swap_restores_the_old_folder_when_the_rename_fails(tmp_path, monkeypatch):
    target = _folder(tmp_path / "2015-09", "old")
    staging = _folder(tmp_path / ".staging", "new")
    real = os.replace
    calls = []

    def flaky(src, dst):
        calls.append(src)
        if len(calls) == 2:
            raise OSError("disk full")
        real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(OSError, match="disk full"):
        swap_into_place(staging, target)
    assert (target / "index.html").read_text() == "old"
    assert (staging / "index.html").read_text() == "new"
