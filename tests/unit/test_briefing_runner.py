"""The runner's assembly, swap and clean-up, with notebook execution replaced (no kernels)."""

import io
import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from rich.console import Console

from helpers.briefing import RunError, run_period
from helpers.briefing import runner as runner_module
from helpers.briefing.execute import NotebookFailed
from helpers.present.headlines import HEADLINES_MIME

PERIOD = "2015-09"


def _executed(job):
    record = {
        "channel": "itk" if job.name == "itk" else "website",
        "account": "All accounts",
        "metric": "registered_users",
        "measure": "value",
        "start": "2015-09-30",
        "end": "2015-09-30",
        "value": float(len(job.parameters["period"])),
        "unit": "count",
    }
    return new_notebook(
        cells=[
            new_markdown_cell(f"## {job.name} for {job.parameters['period']}"),
            new_code_cell(
                "headlines",
                outputs=[
                    new_output(
                        "execute_result",
                        data={HEADLINES_MIME: {"records": [record]}, "text/plain": "h"},
                        execution_count=1,
                    )
                ],
            ),
        ]
    )


@pytest.fixture
def fake_kernels(monkeypatch, tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for name in ("website", "itk"):
        (notebooks / f"{name}.ipynb").write_text("{}")
    calls = []

    def execute(job, **kwargs):
        calls.append(job)
        nb = _executed(job)
        nbformat.write(nb, job.output)
        return nb, 0.5

    monkeypatch.setattr(runner_module, "execute_notebook", execute)
    monkeypatch.setattr(runner_module, "check_kernel", lambda name: None)
    return {"notebooks": notebooks, "calls": calls, "out": tmp_path / "outputs"}


def _run(env, **kw):
    return run_period(
        PERIOD,
        channels="website,itk",
        out_dir=env["out"],
        notebooks_dir=env["notebooks"],
        console=Console(file=io.StringIO()),
        **kw,
    )


def test_runner_assembles_a_period_without_kernels(fake_kernels):
    folder = _run(fake_kernels)
    assert sorted(p.name for p in folder.iterdir()) == [
        "headlines.json",
        "index.html",
        "itk.html",
        "manifest.json",
        "notebooks",
        "overview.json",
        "quality.html",
        "quality.json",
        "website.html",
    ]
    jobs = {job.name: job for job in fake_kernels["calls"]}
    assert set(jobs) == {"website", "itk"}
    assert jobs["itk"].parameters["period"] == PERIOD
    assert jobs["itk"].parameters["start"] is None
    # the final folder, not the staging one: the executed notebook reruns in place
    assert jobs["itk"].parameters["output_dir"] == str(fake_kernels["out"] / PERIOD)
    headlines = json.loads((folder / "headlines.json").read_text())
    assert [h["channel"] for h in headlines] == ["website", "itk"]  # briefing order
    # the reconciliation of the report's stated figures ending in the window
    checks = json.loads((folder / "quality.json").read_text())
    assert {"check", "stated", "computed", "difference", "status"} <= set(checks[0])
    assert all(c["end"] <= "2015-09-30" for c in checks)
    assert sorted(p.name for p in fake_kernels["out"].iterdir()) == [PERIOD, "index.html"]


def test_a_second_run_replaces_the_period(fake_kernels):
    first = _run(fake_kernels)
    (first / "stale.txt").write_text("from an earlier run")
    second = _run(fake_kernels, force=True)
    assert second == first
    assert not (second / "stale.txt").exists()
    assert sorted(p.name for p in fake_kernels["out"].iterdir()) == [PERIOD, "index.html"]


def test_failure_keeps_previous_outputs_and_the_partial_notebook(fake_kernels, monkeypatch):
    folder = _run(fake_kernels)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    def failing(job, **kwargs):
        job.output.write_text("{}")
        raise NotebookFailed(job.name, job.period, 3, "plot(x)", "KeyError: 'x'", job.output)

    monkeypatch.setattr(runner_module, "execute_notebook", failing)
    with pytest.raises(RunError) as caught:
        _run(fake_kernels, force=True)
    message = str(caught.value)
    assert "in cell 3 (plot(x)): KeyError: 'x'" in message
    assert ".failed/2015-09/website.ipynb" in message
    assert "was left as it was" in message
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    assert (fake_kernels["out"] / ".failed" / PERIOD / "website.ipynb").is_file()
    names = sorted(p.name for p in fake_kernels["out"].iterdir())
    assert names == [".failed", PERIOD, "index.html"]
    # a later good build clears the kept failure
    monkeypatch.setattr(runner_module, "execute_notebook", lambda job, **kw: _ok(job))
    _run(fake_kernels, force=True)
    assert not (fake_kernels["out"] / ".failed" / PERIOD).exists()


def _ok(job):
    nb = _executed(job)
    nbformat.write(nb, job.output)
    return nb, 0.1


def test_a_notebook_without_headlines_fails_the_run(fake_kernels, monkeypatch):
    def silent(job, **kwargs):
        nb = new_notebook(cells=[new_markdown_cell("## Nothing")])
        return nb, 0.1

    monkeypatch.setattr(runner_module, "execute_notebook", silent)
    with pytest.raises(RunError, match="published no headline figures"):
        _run(fake_kernels)
    assert not fake_kernels["out"].joinpath(PERIOD).exists()


def test_interrupt_removes_staging_and_keeps_outputs(fake_kernels, monkeypatch):
    folder = _run(fake_kernels)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    stopped = []

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner_module, "wait", interrupted)
    monkeypatch.setattr(runner_module, "stop_running_kernels", lambda: stopped.append(1))
    with pytest.raises(KeyboardInterrupt):
        _run(fake_kernels, force=True)
    assert stopped == [1]
    assert sorted(p.name for p in fake_kernels["out"].iterdir()) == [PERIOD, "index.html"]
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
