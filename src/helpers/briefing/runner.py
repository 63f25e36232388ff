"""Build the briefings of one or more periods into ``outputs/<period>/``, atomically.

Each period is built in ``outputs/.staging-<period>-<random>/``: the notebooks run
side by side in one thread pool shared by every period of the run (in warm kernels
reset between notebooks, :mod:`.kernels`), each is converted to HTML when it finishes,
and the index, JSON files and manifest are written when all are done. Only then
is the staging folder swapped in for ``outputs/<period>/``. If anything fails (a
notebook, a check, Ctrl-C) the staging folder is removed and the previous
``outputs/<period>/`` stays as it was; a failed notebook is kept, partly
executed, in ``outputs/.failed/<period>/``. Only files a run made are replaced
(:mod:`helpers.briefing.ownership`): others in the period folder are kept, and
the staging folders of killed runs are removed by the next run.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import secrets
import shutil
import threading
import time
import warnings
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from rich.console import Console

from helpers import config
from helpers.briefing import QUALITY_MIME
from helpers.briefing.errors import NotRun, ParameterError, RunError
from helpers.briefing.fingerprint import (
    Fingerprint,
    load_inputs,
    period_fingerprint,
    stored_fingerprint,
)
from helpers.briefing.manifest import (
    build_manifest,
    missing_headline_fields,
    write_json,
)
from helpers.briefing.overview import (
    OVERVIEW_FILE,
    overview_record,
    page_links,
    period_commentary,
    read_overview,
)
from helpers.briefing.ownership import (
    StagingLock,
    carry_over,
    clean_stale,
    files_of,
    named,
    record_made,
)
from helpers.briefing.plan import (
    Request,
    available_periods,
    briefing_title,
    check_data_dir,
    paper_periods,
    parse_channels,
    validate_request,
)
from helpers.errors import display_path
from helpers.ingest.report import read_claims
from helpers.tidy.dataset import load_commentary, load_tidy
from helpers.tidy.periods import reporting_window

if TYPE_CHECKING:
    from helpers.briefing.execute import NotebookJob
    from helpers.briefing.render import Page
    from helpers.tidy.commentary import Commentary

FAILED_DIR = ".failed"
LOGS_DIR = ".kernel-logs"
#: Key of ``_run_builds``' outcome under which a failed archive rebuild is reported.
ARCHIVE = "archive"


@dataclass(frozen=True)
class Settings:
    """How notebooks are run.

    Attributes:
        out_dir: Folder holding ``<period>/`` folders.
        kernel_name: Jupyter kernel to execute with.
        timeout: Seconds a cell may run (None: no limit).
        console: Where progress is printed.
        force: Rebuild periods whose inputs have not changed.
        pdf: Also print each period's briefings into ``briefing.pdf``.
        drop_pdf: Do not keep a published ``briefing.pdf`` when a period is rebuilt
            without ``pdf``.
    """

    out_dir: Path
    kernel_name: str
    timeout: float | None
    console: Console
    force: bool = False
    pdf: bool = False
    drop_pdf: bool = False


@dataclass(frozen=True)
class NotebookResult:
    """What one executed notebook contributed."""

    name: str
    seconds: float
    headlines: list[dict[str, Any]]
    quality: list[dict[str, Any]]


@dataclass
class PeriodBuild:
    """The state of one period while its notebooks run."""

    request: Request
    staging: Path
    started: str
    cancelled: threading.Event = field(default_factory=threading.Event)
    results: dict[str, NotebookResult] = field(default_factory=dict)
    failures: list[BaseException] = field(default_factory=list)
    pending: set[Future] = field(default_factory=set)
    #: Reconciliation of the period, computed while its notebooks run.
    prepared: Future | None = None
    #: What the period's briefings depend on, stored in its manifest.
    fingerprint: Fingerprint | None = None
    #: The lock that tells later runs the staging folder is in use.
    lock: StagingLock | None = None

    @property
    def period(self) -> str:
        """The period being built."""
        return self.request.period


# papermill and the kernel machinery (helpers.briefing.execute), the analysis
# (helpers.measures) and the presentation (helpers.present) are imported on first
# use, so that a run with nothing to build does not load them.


def execute_notebook(job: NotebookJob, **kwargs: Any) -> tuple[Any, float]:
    """Execute one notebook (:func:`helpers.briefing.execute.execute_notebook`)."""
    from helpers.briefing.execute import execute_notebook as execute

    return execute(job, **kwargs)


def check_kernel(kernel_name: str) -> None:
    """Refuse a missing kernel (:func:`helpers.briefing.execute.check_kernel`)."""
    from helpers.briefing.execute import check_kernel as check

    check(kernel_name)


def kernel_pool(kernel_name: str, size: int, notebooks: int) -> Any:
    """Start the run's warm kernels (:func:`helpers.briefing.kernels.kernel_pool`)."""
    from helpers.briefing.kernels import kernel_pool as start

    return start(kernel_name, size=size, notebooks=notebooks)


def stop_running_kernels() -> int:
    """Kill running kernels (:func:`helpers.briefing.execute.stop_running_kernels`)."""
    from helpers.briefing.execute import stop_running_kernels as stop

    return stop()


def _now() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")


def _default_console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _page(request: Request, name: str | None) -> Page:
    """Titles and header links of the index (``name`` None), a briefing or ``quality``."""
    from helpers.briefing.render import Page

    nav = [{"href": "index.html", "text": "Overview", "current": name is None}]
    nav += [
        {"href": f"{b}.html", "text": briefing_title(b), "current": b == name}
        for b in request.channels
    ]
    period = request.period_label
    if name is None:
        topic = "Community engagement briefing"
        footer = (
            f"Built for {request.period} from the data in {display_path(request.data_dir)}; "
            "manifest.json lists every input, its checksum and the software versions."
        )
    elif name in request.notebooks:
        topic = f"{briefing_title(name)} briefing"
        footer = (
            f"Built from notebooks/{name}.ipynb for {request.period}; the executed notebook "
            f"is in notebooks/{name}.ipynb next to this page."
        )
    else:  # the data-quality page: written from quality.json, not from a notebook
        topic = f"{briefing_title(name)} briefing"
        footer = (
            f"Built for {request.period} from quality.json next to this page (every stated "
            "figure and the value recomputed); manifest.json lists every input, its checksum "
            "and the software versions."
        )
    return Page(
        force=config.FORCE_NAME,
        topic=topic,
        period_label=period,
        window_label=request.window.label,
        title=f"{topic}, {period} – {config.FORCE_NAME}",
        nav=nav,
        footer=footer,
        default_alt=f"Chart from the {topic.lower()}, {period}",
    )


def _build_notebook(build: PeriodBuild, name: str, settings: Settings) -> NotebookResult:
    """Execute, collect and render one notebook of a period (runs in a worker thread).

    nbconvert is imported here, on first use, so the kernels start without waiting
    for it and the import overlaps with their work.
    """
    from helpers.briefing.execute import NotebookJob
    from helpers.briefing.render import check_page, collect_outputs, render_notebook
    from helpers.present.headlines import HEADLINES_MIME

    if build.cancelled.is_set():
        raise NotRun(f"{name}.ipynb was not run: another notebook of {build.period} failed")
    request = build.request
    job = NotebookJob(
        name=name,
        period=request.period,
        source=request.notebooks[name],
        output=build.staging / "notebooks" / f"{name}.ipynb",
        parameters={
            "period": request.period,
            "start": request.start,
            "data_dir": str(request.data_dir),
            # the folder the notebook ends up in, so it reopens and reruns in place
            "output_dir": str(settings.out_dir / request.period),
        },
        kernel_log=build.staging / LOGS_DIR / f"{name}.log",
    )
    settings.console.print(f"  start   {request.period} {name}")
    nb, seconds = execute_notebook(
        job,
        kernel_name=settings.kernel_name,
        timeout=settings.timeout,
        cwd=job.source.parent,
    )
    bundles = collect_outputs(nb, HEADLINES_MIME)
    if not bundles:
        raise RunError(
            f"notebook {name}.ipynb published no headline figures for {request.period}; "
            "its last cell should return a helpers.present.headlines.HeadlineSet"
        )
    headlines = [dict(r) for bundle in bundles for r in bundle.get("records", [])]
    missing = missing_headline_fields(headlines)
    if missing:
        raise RunError(
            f"notebook {name}.ipynb published headline records without {', '.join(missing)}"
        )
    quality = [dict(r) for b in collect_outputs(nb, QUALITY_MIME) for r in b.get("records", [])]
    html = render_notebook(nb, _page(request, name))
    check_page(html, f"{name}.html")
    (build.staging / f"{name}.html").write_text(html, encoding="utf-8")
    settings.console.print(f"  done    {request.period} {name} in {seconds:.1f} s")
    return NotebookResult(name, seconds, headlines, quality)


def _unique(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop repeated records (a check shared by two briefings), keeping the first."""
    seen: set[str] = set()
    out = []
    for record in records:
        key = repr(sorted(record.items(), key=lambda kv: kv[0]))
        if key not in seen:
            seen.add(key)
            out.append(record)
    return out


def _reconciliation(request: Request) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """The tidy table and every stated figure of the window, recomputed.

    Also imports the summary's analysis modules, so that the work left after the
    notebooks finish is only writing the index.
    """
    import helpers.present.overview  # noqa: F401
    from helpers.measures.quality import commentary_checks, quality_records, reconcile

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # stale processed data: rebuilt in memory
        tidy = load_tidy(request.data_dir)
    claims = read_claims(Path(request.data_dir) / "raw" / "as_reported")
    checks = reconcile(tidy, claims, request.window)
    figures = load_commentary(request.data_dir).for_period(request.period).figures
    if len(figures):  # figures the analysts quote, against the data
        checks = pd.concat([checks, commentary_checks(tidy, figures)], ignore_index=True)
    return tidy, quality_records(checks)


def _overview_commentary(notes: Commentary) -> str:
    """The analysts' text for the overview page of the period, figures filled in."""
    from helpers.present.narrative import commentary

    if not (notes.parts["page"] == "overview").any():
        return ""
    return commentary(notes.parts, notes.figures, "overview").data


def _finish(build: PeriodBuild, settings: Settings) -> Path:
    """Write the index, JSON files and manifest, then swap the staging folder in."""
    from helpers.briefing.index import render_index, render_quality
    from helpers.briefing.render import check_page
    from helpers.present.overview import key_points, quality_paragraph

    request = build.request
    results = [build.results[name] for name in request.channels]
    headlines = [r for result in results for r in result.headlines]
    _tidy, checks = build.prepared.result() if build.prepared else _reconciliation(request)
    quality = _unique([*checks, *(r for result in results for r in result.quality)])
    write_json(build.staging / "headlines.json", headlines)
    write_json(build.staging / "quality.json", quality)
    links = [{"href": f"{r.name}.html", "text": briefing_title(r.name)} for r in results]
    summary = key_points(headlines)
    paragraph = quality_paragraph(quality, headlines)
    notes = period_commentary(request.data_dir, request.period)
    overview = overview_record(request, build.staging, summary, notes)
    index = render_index(
        _page(request, None),
        links,
        headlines,
        quality,
        summary,
        paragraph,
        paper=overview,
        commentary=_overview_commentary(notes),
    )
    check_page(index, "index.html")
    (build.staging / "index.html").write_text(index, encoding="utf-8")
    quality_page = render_quality(_page(request, "quality"), quality, paragraph)
    check_page(quality_page, "quality.html")
    (build.staging / "quality.html").write_text(quality_page, encoding="utf-8")
    overview["pages"] = page_links(request, build.staging)
    write_json(build.staging / OVERVIEW_FILE, overview)
    shutil.rmtree(build.staging / LOGS_DIR)
    if settings.pdf:
        _write_pdf(build.staging, request.period, settings)
    target = settings.out_dir / request.period
    foreign, kept_pdf = carry_over(target, build.staging, keep_pdf=not settings.drop_pdf)
    made = [name for name in files_of(build.staging) if name not in foreign]
    parameters = {
        "period": request.period,
        "start": request.start,
        "window": [str(request.window.start), str(request.window.end)],
        "channels": list(request.channels),
        "timeout": settings.timeout,
    }
    manifest = build_manifest(
        parameters=parameters,
        data_dir=request.data_dir,
        notebooks=request.notebooks,
        kernel_name=settings.kernel_name,
        started=build.started,
        finished=_now(),
        seconds={r.name: r.seconds for r in results},
        fingerprint=build.fingerprint.to_json() if build.fingerprint else None,
    )
    manifest["files"] = sorted({*made, "manifest.json"})
    if kept_pdf:
        manifest["pdf_kept"] = "briefing.pdf was printed by an earlier build of this period"
    write_json(build.staging / "manifest.json", manifest)
    if kept_pdf:
        settings.console.print(
            f"  kept    {request.period} briefing.pdf of the earlier build "
            "(--pdf prints it again, --drop-pdf removes it)"
        )
    if foreign:
        settings.console.print(
            f"  kept    {request.period} {named(foreign)} (not made by a briefing run)"
        )
    swap_into_place(build.staging, target)
    shutil.rmtree(settings.out_dir / FAILED_DIR / request.period, ignore_errors=True)
    return target


def swap_into_place(staging: Path, target: Path) -> None:
    """Replace ``target`` with ``staging`` so readers never see a partial folder.

    The old folder is renamed aside, the new one renamed into place, and only then
    is the old one deleted; if the second rename fails the old folder is restored.

    Args:
        staging: The complete new folder (same filesystem as ``target``).
        target: The folder to replace (may not exist yet).
    """
    old: Path | None = None
    if target.exists():
        old = target.with_name(f".old-{target.name}-{secrets.token_hex(4)}")
        os.replace(target, old)
    try:
        os.replace(staging, target)
    except BaseException:
        if old is not None:
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _keep_failed(build: PeriodBuild, settings: Settings) -> list[str]:
    """Move partly executed notebooks to ``outputs/.failed/<period>/``; return messages."""
    from helpers.briefing.execute import NotebookFailed

    messages = []
    folder = settings.out_dir / FAILED_DIR / build.period
    for failure in build.failures:
        if isinstance(failure, NotebookFailed):
            failure.partial = _keep(failure.partial, folder)
            failure.log = _keep(failure.log, folder, f"{failure.notebook}.kernel.log")
        if not isinstance(failure, NotRun):
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


def _start(request: Request, settings: Settings) -> PeriodBuild:
    settings.out_dir.mkdir(parents=True, exist_ok=True)
    staging = settings.out_dir / f".staging-{request.period}-{secrets.token_hex(4)}"
    lock = StagingLock(staging)  # before the folder, so no other run takes it for stale
    (staging / "notebooks").mkdir(parents=True)
    (staging / LOGS_DIR).mkdir()
    return PeriodBuild(request=request, staging=staging, started=_now(), lock=lock)


def _write_pdf(folder: Path, period: str, settings: Settings) -> None:
    """Print ``folder``'s briefings into ``briefing.pdf``; say in one line if it cannot."""
    from helpers.briefing.pdf import PdfSkipped, write_pdf

    try:
        result = write_pdf(folder)
    except PdfSkipped as exc:
        settings.console.print(f"  PDF skipped for {period}: {exc}")
    else:
        settings.console.print(f"  pdf     {period} {result.describe()}")


def _pdf_settings(settings: Settings) -> Settings:
    """``settings`` without the PDF when it cannot be made here (said in one line)."""
    if not settings.pdf:
        return settings
    from helpers.briefing.pdf import PdfSkipped, check_pdf_tools

    try:
        check_pdf_tools()
    except PdfSkipped as exc:
        settings.console.print(f"PDF skipped: {exc}; the HTML briefings are still written.")
        return replace(settings, pdf=False)
    return settings


def _refresh_archive(settings: Settings) -> RunError | None:
    """Rebuild ``<out>/index.html`` if the published periods changed; None when fine.

    A failure is returned, not printed: the run ends with it as its one error line.
    """
    from helpers.briefing.archive import build_archive

    try:
        written = build_archive(settings.out_dir)
    except Exception as exc:  # the periods stay published; the message says why
        message = f"{display_path(settings.out_dir / 'index.html')} was not rebuilt: {exc}"
        return RunError(message)
    if written is not None:
        settings.console.print(f"  wrote   {display_path(written)}")
    return None


def _missing_outputs(folder: Path, request: Request) -> list[str]:
    """Files a complete period folder has that ``folder`` lacks (its pages included)."""
    expected = [
        "index.html",
        *(f"{name}.html" for name in request.channels),
        "headlines.json",
        "quality.json",
        OVERVIEW_FILE,
        "manifest.json",
    ]
    overview = read_overview(folder)
    if overview is not None:
        expected += [str(page.get("href")) for page in overview["pages"]]
    return [f"missing {name}" for name in dict.fromkeys(expected) if not (folder / name).is_file()]


def _outdated(
    requests: Sequence[Request],
    settings: Settings,
    outcome: dict[str, Path | RunError],
    tidy: pd.DataFrame | None = None,
) -> list[tuple[Request, Fingerprint]]:
    """The requests whose inputs changed since they were published, with their fingerprints.

    A period whose stored fingerprint matches (and whose folder is complete) is
    reported "up to date" and put in ``outcome`` as it is; with ``--pdf`` its
    missing ``briefing.pdf`` is printed from the published pages.
    """
    inputs = {}
    todo = []
    for request in requests:
        if request.data_dir not in inputs:
            inputs[request.data_dir] = load_inputs(request.data_dir, tidy)
        fingerprint = period_fingerprint(request, inputs[request.data_dir], settings.kernel_name)
        target = settings.out_dir / request.period
        if settings.force:
            reasons = ["--force"]
        elif not target.is_dir():
            reasons = ["no earlier build"]
        else:
            reasons = _missing_outputs(target, request) or fingerprint.changes(
                stored_fingerprint(target)
            )
        if reasons:
            why = reasons[0] if " " in reasons[0] else f"{', '.join(reasons)} changed"
            settings.console.print(f"  build   {request.period}: {why}")
            todo.append((request, fingerprint))
            continue
        settings.console.print(f"  up to date {request.period}")
        outcome[request.period] = target
        if settings.pdf and not (target / "briefing.pdf").is_file():
            _write_pdf(target, request.period, settings)
            if (target / "briefing.pdf").is_file():
                record_made(target, "briefing.pdf")
    return todo


def _run_builds(
    requests: Sequence[Request],
    settings: Settings,
    jobs: int | None,
    tidy: pd.DataFrame | None = None,
) -> dict[str, Path | RunError]:
    """Build the requests whose inputs changed, in one pool; finish each period when ready.

    Periods whose fingerprint matches the published one are skipped (unless
    ``settings.force``). The archive is rebuilt after each period is published and
    once more at the end if it does not show the periods published now.
    """
    began = time.perf_counter()
    check_writable(settings.out_dir)
    settings = _pdf_settings(settings)
    removed = clean_stale(settings.out_dir)
    if removed:
        settings.console.print(f"  removed {named(removed)} (left by a run that was stopped)")
    outcome: dict[str, Path | RunError] = {}
    todo = _outdated(requests, settings, outcome, tidy)
    if todo:
        outcome.update(_run_notebooks(todo, settings, jobs))
    failed = _refresh_archive(settings)
    if failed is not None:
        outcome[ARCHIVE] = failed
    settings.console.print(f"  total   {time.perf_counter() - began:.1f} s")
    return outcome


def check_writable(folder: Path) -> None:
    """Refuse an output folder that cannot be written, before any notebook runs.

    Raises:
        ParameterError: If ``folder`` cannot be created or written to.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".write-test-{secrets.token_hex(4)}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ParameterError(
            f"cannot write to the output folder {display_path(folder)} "
            f"({exc.strerror or exc}); choose another --out or fix its permissions"
        ) from None


def _run_notebooks(
    todo: Sequence[tuple[Request, Fingerprint]], settings: Settings, jobs: int | None
) -> dict[str, Path | RunError]:
    """Run every notebook of every request in one pool; finish each period when ready."""
    check_kernel(settings.kernel_name)
    requests = [request for request, _ in todo]
    tasks = sum(len(r.channels) for r in requests)
    workers = max(1, min(jobs or os.cpu_count() or 1, tasks))
    kernels = kernel_pool(settings.kernel_name, workers, tasks)  # start while the rest loads
    # Imported here, in one thread, before the pools start: importing these packages
    # from several threads at once races on their imports of each other.
    for module in ("helpers.measures.quality", "helpers.present.headlines"):
        importlib.import_module(module)

    outcome: dict[str, Path | RunError] = {}
    builds: list[PeriodBuild] = []
    owner: dict[Future, PeriodBuild] = {}
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="notebook")
    side = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare")
    try:
        for request, fingerprint in todo:
            build = _start(request, settings)
            build.fingerprint = fingerprint
            build.prepared = side.submit(_reconciliation, request)
            builds.append(build)
            for name in request.channels:
                future = pool.submit(_build_notebook, build, name, settings)
                build.pending.add(future)
                owner[future] = build
        waiting = set(owner)
        while waiting:
            done, waiting = wait(waiting, return_when=FIRST_COMPLETED)
            for future in done:
                build = owner[future]
                build.pending.discard(future)
                error = future.exception()
                if error is not None:
                    build.failures.append(error)
                    build.cancelled.set()
                else:
                    result = future.result()
                    build.results[result.name] = result
                if not build.pending:
                    outcome[build.period] = _conclude(build, settings)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            settings.console.print("  stopping: the run was interrupted")
        for build in builds:
            build.cancelled.set()
        pool.shutdown(wait=False, cancel_futures=True)
        stop_running_kernels()
        raise
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        side.shutdown(wait=False, cancel_futures=True)
        kernels.close()
        for build in builds:
            shutil.rmtree(build.staging, ignore_errors=True)
            if build.lock is not None:
                build.lock.release()
    return outcome


def _conclude(build: PeriodBuild, settings: Settings) -> Path | RunError:
    """Publish a finished period, or keep its failures and report them."""
    if not build.failures:
        try:
            target = _finish(build, settings)
        except Exception as exc:  # a check failed or the folder could not be written
            build.failures.append(exc if isinstance(exc, RunError) else RunError(str(exc)))
        else:
            settings.console.print(f"  wrote   {display_path(target)}/")
            _refresh_archive(settings)
            return target
    messages = _keep_failed(build, settings)
    shutil.rmtree(build.staging, ignore_errors=True)
    previous = settings.out_dir / build.period
    kept = "was left as it was" if previous.exists() else "was not created"
    text = "\n".join(messages) + f"\n{display_path(previous)}/ {kept}."
    settings.console.print(f"  FAILED  {build.period}")
    return RunError(text)


def _settings(
    out_dir: str | Path | None,
    kernel_name: str,
    timeout: float | None,
    console: Console | None,
    *,
    force: bool = False,
    pdf: bool = False,
    drop_pdf: bool = False,
) -> Settings:
    return Settings(
        out_dir=Path(out_dir).resolve() if out_dir else config.OUTPUTS_DIR,
        kernel_name=kernel_name,
        timeout=timeout,
        console=console or _default_console(),
        force=force,
        pdf=pdf,
        drop_pdf=drop_pdf,
    )


def plan_period(
    period: str | None = None,
    start: str | None = None,
    channels: str | Sequence[str] | None = None,
    data_dir: str | Path | None = None,
    *,
    notebooks_dir: str | Path | None = None,
    today: dt.date | None = None,
) -> Request:
    """Check a request in the order a person would fix it, before anything runs.

    The period and start are checked first, then the channels, then the data
    folder; only then is the data read to find the periods that have figures.

    Returns:
        The checked request.

    Raises:
        PeriodError: For a malformed or future period, or a start after it.
        ParameterError: For an unknown channel, a missing folder or notebook, or a
            period without data.
    """
    if period is not None:
        reporting_window(period, start, today=today)
    parse_channels(channels)
    folder = check_data_dir(data_dir)
    tidy = load_tidy(folder)
    available = available_periods(tidy, paper_periods(folder))
    if period is not None:
        # A month without month-end figures can still be briefed on request when
        # something is dated in it (18 November); a paper's month is always available.
        asked = str(reporting_window(period, start, today=today).end)
        dated = (pd.to_datetime(tidy["end"]).dt.strftime("%Y-%m") == asked).any()
        if asked not in available and dated:
            available = sorted({*available, asked})
    return validate_request(
        period,
        start,
        channels,
        folder,
        notebooks_dir=notebooks_dir,
        available=available,
        today=today,
    )


def run_period(
    period: str | None = None,
    start: str | None = None,
    channels: str | Sequence[str] | None = None,
    out_dir: str | Path | None = None,
    data_dir: str | Path | None = None,
    *,
    notebooks_dir: str | Path | None = None,
    jobs: int | None = None,
    timeout: float | None = None,
    kernel_name: str = config.KERNEL_NAME,
    console: Console | None = None,
    today: dt.date | None = None,
    force: bool = False,
    pdf: bool = False,
    drop_pdf: bool = False,
) -> Path:
    """Build the briefings of one period into ``<out_dir>/<period>/``.

    Nothing is run when the period's inputs (data in its window, stated figures,
    commentary, reference files, notebooks, code, parameters) are those it was
    last built from, unless ``force``. The archive ``<out_dir>/index.html`` is
    rebuilt when the period is published.

    Args:
        period: Reporting month ``YYYY-MM``; None for the latest with data.
        start: First month of the window (default: the 12 months ending at ``period``).
        channels: Briefings to build (``"social,website"`` or a list); None for all.
        out_dir: Folder of the period folders (default ``outputs/``).
        data_dir: The data folder the notebooks read (default ``data/``).
        notebooks_dir: Folder of the notebooks (default ``notebooks/``).
        jobs: Notebooks run at once (default: the number of CPU cores).
        timeout: Seconds a cell may run (None: no limit).
        kernel_name: Jupyter kernel to execute with.
        console: Where progress is printed (default: standard output).
        today: Date to judge "future" against (default: today).
        force: Rebuild even when nothing the period depends on has changed.
        pdf: Also write ``briefing.pdf`` (skipped, with one line saying why, when
            Playwright or Chromium is missing).
        drop_pdf: Without ``pdf``, do not keep the period's published ``briefing.pdf``.

    Returns:
        The period's output folder.

    Raises:
        PeriodError: If the period or start is malformed, in the future or reversed.
        ParameterError: If a channel, folder, notebook or the period's data is missing.
        RunError: If a notebook failed (the previous outputs are left as they were) or
            the archive could not be rebuilt.
    """
    request = plan_period(
        period, start, channels, data_dir, notebooks_dir=notebooks_dir, today=today
    )
    settings = _settings(
        out_dir, kernel_name, timeout, console, force=force, pdf=pdf, drop_pdf=drop_pdf
    )
    settings.console.print(
        f"Briefings for {request.period_label} ({request.window.label}): "
        f"{', '.join(request.channels)}"
    )
    outcome = _run_builds([request], settings, jobs)
    result = outcome[request.period]
    if isinstance(result, RunError):
        raise result
    if isinstance(outcome.get(ARCHIVE), RunError):
        raise outcome[ARCHIVE]
    return result


def run_all(
    jobs: int | None = None,
    *,
    channels: str | Sequence[str] | None = None,
    out_dir: str | Path | None = None,
    data_dir: str | Path | None = None,
    notebooks_dir: str | Path | None = None,
    timeout: float | None = None,
    kernel_name: str = config.KERNEL_NAME,
    console: Console | None = None,
    today: dt.date | None = None,
    force: bool = False,
    pdf: bool = False,
    drop_pdf: bool = False,
) -> list[Path]:
    """Build the briefings of every period that has data, several periods at once.

    Only periods whose inputs changed since they were published are rebuilt (all
    with ``force``); the others are reported "up to date". All notebooks of all
    periods share one pool of ``jobs`` workers; each period is published as soon
    as its own notebooks are done, and the archive is rebuilt with it. A failing
    period does not stop the others.

    Args:
        jobs: Notebooks run at once (default: the number of CPU cores).
        channels: Briefings to build; None for all.
        out_dir: Folder of the period folders (default ``outputs/``).
        data_dir: The data folder (default ``data/``).
        notebooks_dir: Folder of the notebooks (default ``notebooks/``).
        timeout: Seconds a cell may run (None: no limit).
        kernel_name: Jupyter kernel to execute with.
        console: Where progress is printed.
        today: Date to judge "future" against (default: today).
        force: Rebuild every period, changed or not.
        pdf: Also write each period's ``briefing.pdf``.
        drop_pdf: Without ``pdf``, do not keep the published ``briefing.pdf`` files.

    Returns:
        The output folders (rebuilt or up to date), oldest period first.

    Raises:
        ParameterError: If the request is invalid or no period has data.
        RunError: If any period failed (after the others were published).
    """
    if jobs is not None and jobs < 1:
        raise ParameterError(f"--jobs must be 1 or more, not {jobs}")
    parse_channels(channels)
    folder = check_data_dir(data_dir)
    today = today or dt.date.today()
    ended = pd.Period(today, freq="M") - 1
    tidy = load_tidy(folder)
    periods = [
        p for p in available_periods(tidy, paper_periods(folder)) if pd.Period(p, freq="M") <= ended
    ]
    if not periods:
        raise ParameterError("the data has no month-end figures, so there is no period to brief")
    requests = [
        validate_request(
            p, None, channels, folder, notebooks_dir=notebooks_dir, available=periods, today=today
        )
        for p in dict.fromkeys(periods)
    ]
    settings = _settings(
        out_dir, kernel_name, timeout, console, force=force, pdf=pdf, drop_pdf=drop_pdf
    )
    settings.console.print(f"Briefings for {len(requests)} periods: {', '.join(periods)}")
    outcome = _run_builds(requests, settings, jobs, tidy)
    failed = [(p, r) for p, r in outcome.items() if isinstance(r, RunError)]
    if failed:
        raise RunError("\n".join(f"{p}: {e}" for p, e in failed))
    return [outcome[r.period] for r in requests]  # type: ignore[misc]
