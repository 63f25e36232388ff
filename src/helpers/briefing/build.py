"""Build periods: run every page's notebook, stage by stage, in one pool of workers.

Each period is built in ``outputs/.staging-<period>-<random>/``. Its channel notebooks
run side by side; when they are done their headline figures are written to
``headlines.json`` and the data-quality notebook runs (it writes ``quality.json``),
then the overview notebook, which reads both. Every notebook is published (as HTML)
as soon as it finishes. Notebooks of several periods share one pool of workers, each with
a warm kernel (:mod:`.execute`: started ahead, imports loaded once, reset between
notebooks), so a run of many periods keeps every worker busy. The kernels start before
nbformat, nbconvert and papermill are loaded (the workers load them while the kernels
warm up), so importing this module stays cheap. If anything fails (a
notebook, a check, Ctrl-C) the staging folder is removed and the previous
``outputs/<period>/`` stays as it was; a failed notebook is kept, partly executed, in
``outputs/.failed/<period>/``.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.briefing.execute import (
    KernelPool,
    NotebookFailed,
    NotebookJob,
    check_kernel,
    execute_notebook,
    kernel_pool,
)
from helpers.briefing.fingerprint import Fingerprint
from helpers.briefing.manifest import missing_headline_fields, write_json
from helpers.briefing.ownership import StagingLock
from helpers.briefing.plan import OVERVIEW, QUALITY, SUMMARY_PAGES, Request, briefing_title
from helpers.briefing.publish import finish_period, publish_page
from helpers.briefing.run_errors import NotRun, RunError
from helpers.briefing.state import (
    FAILED_DIR,
    LOGS_DIR,
    NotebookResult,
    PeriodBuild,
    Settings,
    now,
)
from helpers.errors import display_path
from helpers.tidy.published import (
    HEADLINES_FILE,
    HEADLINES_MIME,
    OVERVIEW_MIME,
    QUALITY_FILE,
    QUALITY_MIME,
)

if TYPE_CHECKING:  # nbformat and nbconvert load in the workers, while the kernels warm up
    import nbformat

    from helpers.briefing.render import Page


def page_settings(request: Request, name: str) -> Page:
    """Titles, header links and footer of one page of a period."""
    from helpers.briefing.render import Page

    nav = [
        {"href": "index.html", "text": briefing_title(OVERVIEW), "current": name == OVERVIEW},
        *(
            {"href": f"{b}.html", "text": briefing_title(b), "current": b == name}
            for b in request.channels
        ),
    ]
    topic = (
        "Community engagement briefing" if name == OVERVIEW else f"{briefing_title(name)} briefing"
    )
    footer = (
        f"Built from notebooks/{name}.ipynb for {request.period} with the data in "
        f"{display_path(request.data_dir)}; the executed notebook is in "
        f"notebooks/{name}.ipynb next to this page, and manifest.json lists every input, "
        "its checksum and the software versions."
    )
    force = f" – {request.force}" if request.force else ""
    return Page(
        force=request.force,
        topic=topic,
        period_label=request.period_label,
        window_label=request.window.label,
        title=f"{topic}, {request.period_label}{force}",
        nav=nav,
        footer=footer,
        default_alt=f"Chart from the {topic.lower()}, {request.period_label}",
    )


def _parameters(build: PeriodBuild, name: str, settings: Settings) -> dict[str, Any]:
    request = build.request
    parameters: dict[str, Any] = {
        "period": request.period,
        "start": request.start,
        "data_dir": str(request.data_dir),
        # the folder the notebook ends up in, so it reopens and reruns in place
        "output_dir": str(settings.out_dir / request.period),
    }
    if name in SUMMARY_PAGES:  # they read what the channel pages published
        parameters["pages_dir"] = str(build.staging)
    if name == OVERVIEW:
        parameters["channels"] = list(request.channels)
    return parameters


def _retarget(nb: nbformat.NotebookNode, staging: Path, target: Path) -> None:
    """Point the executed notebook at the period's final folder, where it is published.

    The summary pages read the staging folder while the run builds it, and papermill
    records the staging copy as its ``output_path``; the notebook an analyst reopens
    from ``outputs/<period>/notebooks/`` reads, and names, the published folder.
    """
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell.source = cell.source.replace(str(staging), str(target))
    papermill = nb.metadata.get("papermill", {})
    parameters = papermill.get("parameters", {})
    for key, value in list(parameters.items()):
        if isinstance(value, str):
            parameters[key] = value.replace(str(staging), str(target))
    if isinstance(papermill.get("output_path"), str):
        papermill["output_path"] = papermill["output_path"].replace(str(staging), str(target))


def _records(nb: nbformat.NotebookNode, mimetype: str) -> list[dict[str, Any]]:
    from helpers.briefing.render import collect_outputs

    return [dict(r) for b in collect_outputs(nb, mimetype) for r in b.get("records", [])]


def _result(nb: nbformat.NotebookNode, name: str, seconds: float) -> NotebookResult:
    """What a page's notebook published; refuse one that published nothing it should."""
    from helpers.briefing.render import collect_outputs

    if name == OVERVIEW:
        bundles = collect_outputs(nb, OVERVIEW_MIME)
        if not bundles:
            raise RunError(f"notebook {name}.ipynb published no overview record")
        return NotebookResult(name, seconds, overview=dict(bundles[-1]))
    if name == QUALITY:
        return NotebookResult(name, seconds, quality=_records(nb, QUALITY_MIME))
    headlines = _records(nb, HEADLINES_MIME)
    if not collect_outputs(nb, HEADLINES_MIME):
        raise RunError(
            f"notebook {name}.ipynb published no headline figures; "
            "its last cell should return a helpers.present.headlines.HeadlineSet"
        )
    missing = missing_headline_fields(headlines)
    if missing:
        raise RunError(
            f"notebook {name}.ipynb published headline records without {', '.join(missing)}"
        )
    return NotebookResult(name, seconds, headlines=headlines)


def build_notebook(
    build: PeriodBuild, name: str, settings: Settings, kernels: KernelPool
) -> NotebookResult:
    """Execute, collect and publish one notebook of a period (runs in a worker thread)."""
    import nbformat

    if build.cancelled.is_set():
        raise NotRun(f"{name}.ipynb was not run: another notebook of {build.period} failed")
    request = build.request
    page = page_settings(request, name)  # loads nbconvert while the kernel is made ready
    job = NotebookJob(
        name=name,
        period=request.period,
        source=request.notebooks[name],
        output=build.staging / "notebooks" / f"{name}.ipynb",
        parameters=_parameters(build, name, settings),
        kernel_log=build.staging / LOGS_DIR / f"{name}.log",
    )
    settings.console.print(f"  start   {request.period} {name}")
    nb, seconds = execute_notebook(job, kernels=kernels, timeout=settings.timeout)
    if build.cancelled.is_set():  # the run stopped while this notebook ran: publish nothing
        raise NotRun(f"{name}.ipynb was not published: the run of {build.period} stopped")
    result = _result(nb, name, seconds)
    _retarget(nb, build.staging, settings.out_dir / request.period)
    nbformat.write(nb, job.output)
    publish_page(nb, name, page, build.staging, settings)
    settings.console.print(f"  done    {request.period} {name} in {seconds:.1f} s")
    return result


def _between_stages(build: PeriodBuild, finished: tuple[str, ...]) -> None:
    """Write what the stage that finished published, for the notebooks of the next one."""
    if QUALITY in finished:
        write_json(build.staging / QUALITY_FILE, build.results[QUALITY].quality)
    elif OVERVIEW not in finished:
        write_json(build.staging / HEADLINES_FILE, build.headlines)


def start_build(request: Request, settings: Settings, fingerprint: Fingerprint) -> PeriodBuild:
    """Make the period's staging folder (locked) and plan its stages."""
    settings.out_dir.mkdir(parents=True, exist_ok=True)
    staging = settings.out_dir / f".staging-{request.period}-{secrets.token_hex(4)}"
    lock = StagingLock(staging)  # before the folder, so no other run takes it for stale
    (staging / "notebooks").mkdir(parents=True)
    (staging / LOGS_DIR).mkdir()
    build = PeriodBuild(request=request, staging=staging, started=now(), lock=lock)
    build.fingerprint = fingerprint
    build.stages = [tuple(request.channels), *((page,) for page in SUMMARY_PAGES)]
    return build


class Scheduler:
    """Submits each period's stages to a shared pool and concludes finished periods."""

    def __init__(self, pool: ThreadPoolExecutor, settings: Settings, kernels: KernelPool) -> None:
        self.pool = pool
        self.settings = settings
        self.kernels = kernels
        self.owner: dict[Future, PeriodBuild] = {}
        self.outcome: dict[str, Path | RunError] = {}

    def next_stage(self, build: PeriodBuild) -> bool:
        """Submit the build's next stage; False when it has none left."""
        if not build.stages:
            return False
        build.running = build.stages.pop(0)
        for name in build.running:
            future = self.pool.submit(build_notebook, build, name, self.settings, self.kernels)
            build.pending.add(future)
            self.owner[future] = build
        return True

    def done(self, future: Future) -> None:
        """Record a finished notebook; move its period on, or conclude it."""
        build = self.owner.pop(future)
        build.pending.discard(future)
        error = future.exception()
        if error is not None:
            build.failures.append(error)
            build.cancelled.set()
        else:
            result = future.result()
            build.results[result.name] = result
        if build.pending:
            return
        if not build.failures:
            try:
                _between_stages(build, build.running)
                if self.next_stage(build):
                    return
            except Exception as exc:
                build.failures.append(exc if isinstance(exc, RunError) else RunError(str(exc)))
        self.outcome[build.period] = conclude(build, self.settings)


def run_notebooks(
    todo: Sequence[tuple[Request, Fingerprint]],
    settings: Settings,
    jobs: int | None,
    after_publish: Any = None,
) -> dict[str, Path | RunError]:
    """Run every notebook of every request in one pool; finish each period when ready."""
    check_kernel(settings.kernel_name)
    width = max(len(r.channels) for r, _ in todo)
    workers = max(1, min(jobs or os.cpu_count() or 1, width * len(todo)))
    notebooks = sum(len(r.notebooks) for r, _ in todo)
    kernels = kernel_pool(settings.kernel_name, workers, notebooks)  # start while the rest loads
    builds: list[PeriodBuild] = []
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="notebook")
    scheduler = Scheduler(pool, settings, kernels)
    try:
        for request, fingerprint in todo:
            build = start_build(request, settings, fingerprint)
            builds.append(build)
            scheduler.next_stage(build)
        while scheduler.owner:
            finished, _ = wait(set(scheduler.owner), return_when=FIRST_COMPLETED)
            for future in finished:
                before = set(scheduler.outcome)
                scheduler.done(future)
                if after_publish is not None and set(scheduler.outcome) - before:
                    after_publish()
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            settings.console.print("  stopping: the run was interrupted")
        for build in builds:
            build.cancelled.set()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        kernels.close()  # a notebook still running stops: its kernel is gone
        # The workers finish before the staging folders go, so none writes into one
        # after it was removed (and leaves it behind).
        pool.shutdown(wait=True, cancel_futures=True)
        for build in builds:
            shutil.rmtree(build.staging, ignore_errors=True)
            if build.lock is not None:
                build.lock.release()
    return scheduler.outcome


def conclude(build: PeriodBuild, settings: Settings) -> Path | RunError:
    """Publish a finished period, or keep its failures and report them."""
    if not build.failures:
        try:
            target = finish_period(build, settings)
        except Exception as exc:  # a check failed or the folder could not be written
            known = isinstance(exc, RunError | OSError)
            build.failures.append(exc if known else RunError(str(exc)))
        else:
            settings.console.print(f"  wrote   {display_path(target)}/")
            return target
    previous = settings.out_dir / build.period
    kept = "was left as it was" if previous.exists() else "was not created"
    settings.console.print(f"  FAILED  {build.period}")
    if disk_full(build.failures):  # nothing kept: every byte written would make it worse
        shutil.rmtree(build.staging, ignore_errors=True)
        return RunError(
            f"the disk is full ({display_path(settings.out_dir)}): free some space there "
            f"(old periods' folders, {FAILED_DIR}/) and run again; nothing of this run was "
            f"left behind, and {display_path(previous)}/ {kept}"
        )
    messages = _keep_failed(build, settings)
    shutil.rmtree(build.staging, ignore_errors=True)
    text = "\n".join(messages) + f"\n{display_path(previous)}/ {kept}."
    return RunError(text)


#: How an error names a full disk in a notebook's traceback (``OSError: [Errno 28] ...``).
_NO_SPACE = (f"[Errno {errno.ENOSPC}]", os.strerror(errno.ENOSPC))


def disk_full(failures: Sequence[BaseException]) -> bool:
    """Whether any failure of a period was the disk filling up (here or in a kernel)."""
    from helpers.briefing.execute import NotebookFailed

    for failure in failures:
        if isinstance(failure, OSError) and failure.errno == errno.ENOSPC:
            return True
        if isinstance(failure, NotebookFailed) and any(n in failure.error for n in _NO_SPACE):
            return True
    return False


def _keep_failed(build: PeriodBuild, settings: Settings) -> list[str]:
    """Move partly executed notebooks to ``outputs/.failed/<period>/``; return messages."""
    messages = []
    folder = settings.out_dir / FAILED_DIR / build.period
    for failure in build.failures:
        if isinstance(failure, NotebookFailed):
            failure.partial = _keep(failure.partial, folder)
            failure.log = _keep(failure.log, folder, f"{failure.notebook}.kernel.log")
        if isinstance(failure, OSError):
            where = f" ({display_path(failure.filename)})" if failure.filename else ""
            messages.append(f"{failure.strerror or failure}{where}")
        elif not isinstance(failure, NotRun):
            messages.append(str(failure) if isinstance(failure, RunError) else repr(failure))
    return messages


def _keep(path: Path | None, folder: Path, name: str | None = None) -> Path | None:
    """Move ``path`` into ``folder`` if it exists and is not empty; return where it is."""
    if path is None or not path.exists() or path.stat().st_size == 0:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    kept = folder / (name or path.name)
    os.replace(path, kept)
    return kept
