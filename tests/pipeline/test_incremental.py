"""Incremental builds: a period is rebuilt only when something it depends on changed.

Most tests replace notebook execution (no kernels) and count which periods the
runner executes; the last runs ``engagement run --all`` for real on a copy of
the data, twice, then changes one September 2015 figure in a raw file.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output
from rich.console import Console

from helpers import config
from helpers.briefing import build as runner_module
from helpers.briefing.fingerprint import load_inputs, period_fingerprint
from helpers.briefing.plan import available_periods, validate_request
from helpers.briefing.runner import run_all
from helpers.layout import DataLayout
from helpers.tidy.dataset import build_dataset, load_tidy, paper_periods
from helpers.tidy.periods import reporting_window
from helpers.tidy.published import HEADLINES_MIME
from tests.browser.harness import engagement, engagement_env
from tests.factories.fake_notebooks import fake_execute, write_page_notebooks

#: The raw file and cell changed: In the Know users of one division on 30 September 2015.
ITK_FILE = "report_2015/itk_registered_users_by_division.csv"
CHANGED_DAY = pd.Timestamp("2015-09-30")


def _covering(periods: list[str], day: pd.Timestamp) -> set[str]:
    """The periods whose window holds ``day``."""
    return {p for p in periods if reporting_window(p).contains(day)}


def _copy_data(target: Path) -> Path:
    """A copy of data/raw with data/processed built from it."""
    shutil.copytree(config.RAW_DIR, target / "raw")
    build_dataset(target / "raw", target / "processed")
    return target


def _change_itk_figure(raw: Path, day: pd.Timestamp, by: int = 1000) -> None:
    """Add ``by`` to each division's In the Know users on ``day`` (a column of the file)."""
    path = raw / ITK_FILE
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, rows = list(reader.fieldnames or []), list(reader)
    column = f"{day:%Y-%m-%d}"
    assert column in fields, f"{ITK_FILE} has no column {column}"
    for row in rows:
        row[column] = str(int(row[column].replace(",", "")) + by)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# --- the fingerprint --------------------------------------------------------------------


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _copy_data(tmp_path_factory.mktemp("data"))


def test_a_changed_figure_changes_only_the_periods_that_read_it(
    data_copy: Path, tmp_path: Path
) -> None:
    periods = available_periods(load_tidy(data_copy))
    requests = [validate_request(p, data_dir=data_copy, available=periods) for p in periods]
    before = load_inputs(DataLayout.from_data_dir(data_copy))
    changed_data = _copy_data(tmp_path / "data")
    _change_itk_figure(changed_data / "raw", CHANGED_DAY)
    build_dataset(changed_data / "raw", changed_data / "processed")
    after = load_inputs(DataLayout.from_data_dir(changed_data))
    moved = {
        r.period
        for r in requests
        if period_fingerprint(r, before, "k").parts["data"]
        != period_fingerprint(r, after, "k").parts["data"]
    }
    assert moved == _covering(periods, CHANGED_DAY)
    assert moved and moved != set(periods)


# --- runs without kernels -----------------------------------------------------------------


def _executed(job: Any) -> nbformat.NotebookNode:
    record = {
        "channel": "itk",
        "account": "All accounts",
        "metric": "registered_users",
        "measure": "value",
        "start": f"{job.parameters['period']}-01",
        "end": f"{job.parameters['period']}-01",
        "value": 1.0,
        "unit": "count",
    }
    bundle = {HEADLINES_MIME: {"records": [record]}, "text/plain": "h"}
    out = new_output("execute_result", data=bundle, execution_count=1)
    return new_notebook(cells=[new_code_cell("headlines", outputs=[out])])


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, data_copy: Path) -> dict[str, Any]:
    """``run_all`` of the itk briefing on a copy of the data, notebooks not executed."""
    data = tmp_path / "data"
    shutil.copytree(data_copy, data)
    notebooks = tmp_path / "notebooks"
    write_page_notebooks(notebooks, ("itk",), '{"cells": []}')
    executed: list[str] = []
    # the stated figures are not what these tests are about (and take a second a period)
    fake = fake_execute(_executed, checks=False)

    def execute(job: Any, **kwargs: Any) -> tuple[nbformat.NotebookNode, float]:
        if job.name == "itk":
            executed.append(job.period)
        return fake(job, **kwargs)

    monkeypatch.setattr(runner_module, "execute_notebook", execute)
    monkeypatch.setattr(runner_module, "check_kernel", lambda name: None)
    monkeypatch.setattr(runner_module, "kernel_pool", lambda *a, **k: SimpleNamespace(close=dict))
    out = tmp_path / "out"

    def run(**kw: Any) -> tuple[list[str], str]:
        executed.clear()
        log = io.StringIO()
        run_all(
            channels="itk",
            out_dir=out,
            data_dir=data,
            notebooks_dir=notebooks,
            console=Console(file=log, width=200),
            **kw,
        )
        return sorted(set(executed)), log.getvalue()

    return {"run": run, "data": data, "out": out, "notebooks": notebooks}


def test_a_second_run_builds_nothing(runs: dict[str, Any]) -> None:
    built, _ = runs["run"]()
    manifests = {p: p.read_bytes() for p in runs["out"].glob("*/manifest.json")}
    archive = (runs["out"] / "index.html").read_bytes()
    again, log = runs["run"]()
    assert again == []
    assert sorted(re.findall(r"up to date (\d{4}-\d{2})", log)) == built
    assert {p: p.read_bytes() for p in runs["out"].glob("*/manifest.json")} == manifests
    assert (runs["out"] / "index.html").read_bytes() == archive
    forced, _ = runs["run"](force=True)
    assert forced == built


def test_the_fingerprint_is_stored_in_the_manifest(runs: dict[str, Any]) -> None:
    built, _ = runs["run"]()
    manifest = json.loads((runs["out"] / built[-1] / "manifest.json").read_text())
    stored = manifest["fingerprint"]
    assert re.fullmatch(r"[0-9a-f]{64}", stored["digest"])
    assert set(stored["parts"]) >= {"data", "commentary", "notebooks", "code", "parameters"}


def test_commentary_rebuilds_only_its_period(runs: dict[str, Any]) -> None:
    built, _ = runs["run"]()
    period = "2015-09"
    assert period in built
    folder = runs["data"] / "raw" / "commentary"
    folder.mkdir(exist_ok=True)
    decision = "The Commissioner is requested to note the report."
    (folder / f"{period}.md").write_text(
        f"---\nperiod: {period}\ndecision: {decision}\n---\n", encoding="utf-8"
    )
    build_dataset(runs["data"] / "raw", runs["data"] / "processed")  # `make data`
    rebuilt, log = runs["run"]()
    assert rebuilt == [period]
    assert f"build   {period}: commentary changed" in log
    overview = json.loads((runs["out"] / period / "overview.json").read_text())
    assert overview["decision"] == decision


def test_notebooks_reference_data_and_missing_pages_rebuild(runs: dict[str, Any]) -> None:
    built, _ = runs["run"]()
    (runs["notebooks"] / "itk.ipynb").write_text('{"cells": [], "metadata": {}}')
    assert runs["run"]()[0] == built
    reference = runs["data"] / "raw" / "reference"
    reference.mkdir(exist_ok=True)
    (reference / "extra.csv").write_text("a,b\n1,2\n")
    assert runs["run"]()[0] == built
    (runs["out"] / built[0] / "itk.html").unlink()
    rebuilt, log = runs["run"]()
    assert rebuilt == [built[0]]
    assert f"build   {built[0]}: missing itk.html" in log


# --- for real ---------------------------------------------------------------------------


def _run_all(data: Path, out: Path, log: Path) -> tuple[list[str], list[str], str]:
    command = engagement(
        ["run", "--all", "--channels", "itk", "--data", str(data), "--out", str(out)],
        log=log,
        env=engagement_env(),
    )
    assert command.returncode == 0, command.output[-3000:]
    fresh = re.findall(r"up to date (\d{4}-\d{2})", command.output)
    built = re.findall(r"wrote   \S*?(\d{4}-\d{2})/", command.output)
    return sorted(built), sorted(fresh), command.output


@pytest.mark.pipeline
@pytest.mark.xdist_group("incremental")
def test_engagement_run_all_rebuilds_only_what_changed(tmp_path: Path) -> None:
    data = _copy_data(tmp_path / "data")
    out = tmp_path / "out"
    periods = available_periods(load_tidy(data), paper_periods(data))

    built, fresh, _ = _run_all(data, out, tmp_path / "first.log")
    assert built == periods and fresh == []
    finished = {p: json.loads((out / p / "manifest.json").read_text())["finished"] for p in periods}

    built, fresh, output = _run_all(data, out, tmp_path / "second.log")
    assert built == [] and fresh == periods, output
    assert "start" not in output  # no notebook was run

    _change_itk_figure(data / "raw", CHANGED_DAY)
    engagement(
        ["data", "--raw", str(data / "raw"), "--out", str(data / "processed")],
        log=tmp_path / "data.log",
        env=engagement_env(),
    )
    built, fresh, output = _run_all(data, out, tmp_path / "third.log")
    expected = sorted(_covering(periods, CHANGED_DAY))
    assert built == expected, output
    assert fresh == sorted(set(periods) - set(expected))
    for period in periods:
        manifest = json.loads((out / period / "manifest.json").read_text())
        assert (manifest["finished"] != finished[period]) == (period in expected)
