"""The runner's assembly, swap and clean-up, with notebook execution replaced (no kernels)."""

import io
import json
import os
import re
from types import SimpleNamespace

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from rich.console import Console

from helpers.briefing import build as runner_module
from helpers.briefing.execute import NotebookFailed
from helpers.briefing.run_errors import RunError
from helpers.briefing.runner import run_period
from helpers.present.headlines import HEADLINES_MIME
from tests.factories.fake_notebooks import (
    SUMMARY_PAGES,
    fake_execute,
    summary_page,
    write_page_notebooks,
)

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
    write_page_notebooks(notebooks, ("website", "itk"))
    calls = []
    fake = fake_execute(_executed, 0.5)

    def execute(job, **kwargs):
        calls.append(job)
        return fake(job, **kwargs)

    monkeypatch.setattr(runner_module, "execute_notebook", execute)
    monkeypatch.setattr(runner_module, "check_kernel", lambda name: None)
    monkeypatch.setattr(runner_module, "kernel_pool", lambda *a, **k: SimpleNamespace(close=dict))
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
    assert set(jobs) == {"website", "itk", *SUMMARY_PAGES}
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


def test_every_footer_points_at_files_that_exist(fake_kernels):
    """Every page is a notebook: each footer names its executed notebook, beside it."""
    folder = _run(fake_kernels)
    footers = {}
    for page in folder.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        footers[page.name] = html[html.index("<footer>") : html.index("</footer>")]
    assert set(footers) == {"index.html", "website.html", "itk.html", "quality.html"}
    for name, footer in footers.items():
        named = re.findall(r"[\w/.-]+\.(?:ipynb|json)", footer)
        assert named, f"{name}'s footer names no file"
        for path in named:
            assert (folder / path).is_file(), f"{name}'s footer names {path}, which does not exist"
    assert "notebooks/quality.ipynb" in footers["quality.html"]
    assert "notebooks/overview.ipynb" in footers["index.html"]


def test_a_second_run_replaces_the_period(fake_kernels):
    first = _run(fake_kernels)
    (first / "website.html").write_text("from an earlier run")
    (first / "notebooks" / "old.ipynb").unlink(missing_ok=True)
    second = _run(fake_kernels, force=True)
    assert second == first
    assert (second / "website.html").read_text() != "from an earlier run"
    assert sorted(p.name for p in fake_kernels["out"].iterdir()) == [PERIOD, "index.html"]


def test_a_rebuild_keeps_files_it_did_not_make_and_lists_its_own(fake_kernels):
    folder = fake_kernels["out"] / PERIOD
    folder.mkdir(parents=True)
    (folder / "minutes.docx").write_text("x")  # an analyst's file, before any build
    _run(fake_kernels)
    (folder / "approved" / "paper.pdf").parent.mkdir()
    (folder / "approved" / "paper.pdf").write_bytes(b"%PDF approved")
    _run(fake_kernels, force=True)
    assert (folder / "minutes.docx").read_text() == "x"
    assert (folder / "approved" / "paper.pdf").read_bytes() == b"%PDF approved"
    files = json.loads((folder / "manifest.json").read_text())["files"]
    assert "index.html" in files and "notebooks/itk.ipynb" in files
    assert "minutes.docx" not in files and "approved/paper.pdf" not in files
    assert sorted(files) == sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name not in ("minutes.docx", "paper.pdf")
    )


def test_a_rebuild_keeps_foreign_folders_and_links_as_they_are(fake_kernels, tmp_path):
    """An empty folder, links to a folder and to a file: kept, still links, not followed."""
    shared = tmp_path / "share"
    (shared / "rota").mkdir(parents=True)
    (shared / "rota" / "week.txt").write_text("rota")
    folder = _run(fake_kernels)
    (folder / "drafts").mkdir()
    (folder / "notes" / "empty").mkdir(parents=True)
    os.symlink(shared / "rota", folder / "team rota")
    os.symlink(shared / "rota" / "week.txt", folder / "week.txt")
    os.symlink(tmp_path / "nowhere", folder / "broken")
    _run(fake_kernels, force=True)
    assert (folder / "drafts").is_dir() and not (folder / "drafts").is_symlink()
    assert (folder / "notes" / "empty").is_dir()
    assert os.readlink(folder / "team rota") == str(shared / "rota")
    assert os.readlink(folder / "week.txt") == str(shared / "rota" / "week.txt")
    assert os.readlink(folder / "broken") == str(tmp_path / "nowhere")
    assert (shared / "rota" / "week.txt").read_text() == "rota"
    files = json.loads((folder / "manifest.json").read_text())["files"]
    assert not {"drafts", "team rota", "week.txt", "broken"} & set(files)


def test_a_period_folder_that_is_a_link_is_not_replaced(fake_kernels, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    fake_kernels["out"].mkdir()
    os.symlink(elsewhere, fake_kernels["out"] / PERIOD)
    with pytest.raises(RunError, match="not a folder a briefing run made"):
        _run(fake_kernels)
    assert os.readlink(fake_kernels["out"] / PERIOD) == str(elsewhere)
    assert list(elsewhere.iterdir()) == []


def test_a_foreign_file_with_a_name_the_run_writes_is_refused(fake_kernels):
    folder = fake_kernels["out"] / PERIOD
    folder.mkdir(parents=True)
    (folder / "index.html").write_text("<html>intranet</html>")
    with pytest.raises(RunError) as caught:
        _run(fake_kernels)
    assert "index.html was not made by a briefing run" in str(caught.value)
    assert (folder / "index.html").read_text() == "<html>intranet</html>"
    assert sorted(p.name for p in folder.iterdir()) == ["index.html"]


def test_a_foreign_archive_page_is_not_overwritten(fake_kernels):
    fake_kernels["out"].mkdir()
    archive = fake_kernels["out"] / "index.html"
    archive.write_text("<html>intranet</html>")
    with pytest.raises(RunError) as caught:
        _run(fake_kernels)
    assert "index.html was not rebuilt: it was not made by a briefing run" in str(caught.value)
    assert len(str(caught.value).splitlines()) == 1
    assert archive.read_text() == "<html>intranet</html>"
    assert (fake_kernels["out"] / PERIOD / "index.html").is_file()  # the period is published


def test_a_rebuild_without_pdf_keeps_the_published_paper_unless_told(fake_kernels, monkeypatch):
    from helpers.briefing import pdf

    class Printed:
        def describe(self):
            return "briefing.pdf"

    def fake_pdf(folder, target=None):
        (folder / "briefing.pdf").write_bytes(b"%PDF paper")
        return Printed()

    monkeypatch.setattr(pdf, "write_pdf", fake_pdf)
    monkeypatch.setattr(pdf, "check_pdf_tools", lambda: None)
    folder = _run(fake_kernels)
    _run(fake_kernels, pdf=True)  # up to date: the paper is printed from the published pages
    assert "briefing.pdf" in json.loads((folder / "manifest.json").read_text())["files"]
    _run(fake_kernels, pdf=True, force=True)  # the run's own paper is not a foreign file
    assert "briefing.pdf" in json.loads((folder / "manifest.json").read_text())["files"]
    _run(fake_kernels, force=True)
    assert (folder / "briefing.pdf").read_bytes() == b"%PDF paper"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert "briefing.pdf" in manifest["files"] and "pdf_kept" in manifest
    assert "briefing.pdf" in (fake_kernels["out"] / "index.html").read_text()
    _run(fake_kernels, force=True, drop_pdf=True)
    assert not (folder / "briefing.pdf").exists()
    assert "briefing.pdf" not in (fake_kernels["out"] / "index.html").read_text()


def test_staging_folders_of_killed_runs_are_removed_by_the_next_run(fake_kernels):
    import os
    import time

    out = fake_kernels["out"]
    killed = out / ".staging-2015-09-dead0001"
    (killed / "notebooks").mkdir(parents=True)
    (killed / "notebooks" / "itk.ipynb").write_text("{}")
    (out / ".staging-2015-09-dead0001.lock").write_text("")  # its run is gone: lock free
    legacy = out / ".staging-2015-08-0ld00002"  # an older run's, no lock file
    legacy.mkdir()
    hour_ago = time.time() - 3600
    os.utime(legacy, (hour_ago, hour_ago))
    _run(fake_kernels)
    assert sorted(p.name for p in out.iterdir()) == [PERIOD, "index.html"]


def test_a_live_staging_folder_is_left_alone(fake_kernels, tmp_path):
    import os

    from helpers.briefing.ownership import StagingLock, clean_stale

    out = tmp_path / "o"
    live = out / ".staging-2015-09-live0001"
    out.mkdir()
    lock = StagingLock(live)
    live.mkdir()
    assert clean_stale(out) == []
    assert live.is_dir()
    os.close(lock._fd)  # the run is killed: its lock file stays, unlocked
    assert clean_stale(out) == [live.name]


def test_outputs_are_readable_by_colleagues(fake_kernels):
    import os

    old = os.umask(0o022)
    try:
        folder = _run(fake_kernels)
    finally:
        os.umask(old)
    files = [*folder.rglob("*"), fake_kernels["out"] / "index.html"]
    modes = {p.name: oct(p.stat().st_mode & 0o777) for p in files if p.is_file()}
    assert set(modes.values()) == {"0o644"}, modes


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
    nb = summary_page(job) if job.name in SUMMARY_PAGES else _executed(job)
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
    closed = []

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner_module, "wait", interrupted)
    pool = SimpleNamespace(close=lambda: closed.append(1))
    monkeypatch.setattr(runner_module, "kernel_pool", lambda *a, **k: pool)
    with pytest.raises(KeyboardInterrupt):
        _run(fake_kernels, force=True)
    assert closed == [1]  # the kernels are killed
    assert sorted(p.name for p in fake_kernels["out"].iterdir()) == [PERIOD, "index.html"]
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_the_runner_starts_kernels_before_loading_the_notebook_machinery():
    """nbformat, nbconvert and papermill load in the workers, while the kernels warm up.

    Importing them takes about two seconds; if the runner's import pulled them in, the
    kernels would start that much later (see benchmarks/bench_briefing.py).
    """
    import subprocess
    import sys

    code = (
        "import sys, helpers.briefing.runner; "
        "print(sorted(m for m in ('nbformat', 'nbconvert', 'papermill', 'jsonschema') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
