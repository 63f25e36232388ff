"""Build the briefings of one or more periods into ``outputs/<period>/``: the orchestrator.

The runner plans (:mod:`.plan`: the request checked before any kernel starts, the
period parsed into its window once), decides which periods changed
(:mod:`.fingerprint`), builds them (:mod:`.build`: every page is a notebook, run by
papermill) and publishes them (:mod:`.publish`: HTML, and the board paper with
``--pdf``), then rebuilds the archive (:mod:`.archive`). It computes no figure: the
notebooks do, through the analysis layers.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd
from rich.console import Console

from helpers import config
from helpers.briefing.archive import build_archive
from helpers.briefing.fingerprint import (
    Fingerprint,
    load_inputs,
    period_fingerprint,
    stored_fingerprint,
)
from helpers.briefing.overview_json import OVERVIEW_FILE, read_overview
from helpers.briefing.ownership import clean_stale, named, record_made, recover_swaps
from helpers.briefing.plan import (
    BRIEFINGS,
    Request,
    available_periods,
    briefing_title,
    check_data_dir,
    page_file,
    parse_channels,
    validate_request,
)
from helpers.briefing.publish import (
    missing_files,
    publishers,
    usable_formats,
)
from helpers.briefing.publish import swap_into_place as swap_into_place
from helpers.briefing.run_errors import ParameterError, RunError
from helpers.briefing.state import HTML, Settings
from helpers.errors import display_path
from helpers.fileio import is_inside
from helpers.layout import DataLayout
from helpers.tidy.coverage import DefaultPeriod, default_period, pages_by_window, pages_with_data
from helpers.tidy.dataset import forget_processed, load_tidy, paper_periods
from helpers.tidy.periods import month_label, parse_month, reporting_window

#: Key of ``_run_builds``' outcome under which a failed archive rebuild is reported.
ARCHIVE = "archive"


def _default_console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _refresh_archive(settings: Settings) -> RunError | None:
    """Rebuild ``<out>/index.html`` if the published periods changed; None when fine.

    A failure is returned, not printed: the run ends with it as its one error line.
    """
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
        *(page_file(name) for name in request.pages),
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
        if request.layout not in inputs:
            inputs[request.layout] = load_inputs(request.layout, tidy)
        fingerprint = period_fingerprint(request, inputs[request.layout], settings.kernel_name)
        target = settings.out_dir / request.period
        if settings.force:
            reasons = ["rebuilt on request (--force)"]
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
        _publish_missing(target, request.period, settings)
    return todo


def _publish_missing(target: Path, period: str, settings: Settings) -> None:
    """Publish into an up-to-date period the formats asked for that it lacks (its paper)."""
    for publisher in publishers(settings):
        if publisher.name == HTML or not missing_files(
            target, replace(settings, formats=(publisher.name,))
        ):
            continue
        publisher.period(target, period, settings.console)
        for name in publisher.files:
            if (target / name).is_file():
                record_made(target, name)


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
    for raw in dict.fromkeys((config.RAW_DIR, *(r.layout.raw for r in requests))):
        if is_inside(settings.out_dir, raw):
            raise ParameterError(
                f"the output folder {display_path(settings.out_dir)} is inside the raw data "
                f"folder {display_path(raw)}, which a run never writes; choose another --out"
            )
    check_writable(settings.out_dir)
    settings = replace(settings, formats=usable_formats(settings))
    for line in recover_swaps(settings.out_dir):
        settings.console.print(f"  {line}")
    removed = clean_stale(settings.out_dir)
    if removed:
        settings.console.print(f"  removed {named(removed)} (left by a run that was stopped)")
    outcome: dict[str, Path | RunError] = {}
    todo = _outdated(requests, settings, outcome, tidy)
    forget_processed()  # fingerprinted: the notebooks read the table in their kernels
    if todo:
        # kernels and notebooks: loaded only when something is to be built (a run with
        # nothing changed answers without them)
        from helpers.briefing import build as builder

        outcome.update(
            builder.run_notebooks(todo, settings, jobs, lambda: _refresh_archive(settings))
        )
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
        formats=(HTML, "pdf") if pdf else (HTML,),
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
    folder; only then is the data read to find the periods that have figures. Without
    a period, the latest month that most channels' figures reach is briefed
    (:func:`helpers.tidy.coverage.default_period`); without channels, the pages whose
    channels have figures in the window (:func:`helpers.tidy.coverage.pages_with_data`).
    The request's ``notes`` say what was chosen and why.

    Returns:
        The checked request.

    Raises:
        PeriodError: For a malformed or future period, or a start after it.
        ParameterError: For an unknown channel, a missing folder or notebook, or a
            period without data.
    """
    window = reporting_window(period, start, today=today) if period is not None else None
    parse_channels(channels)
    folder = check_data_dir(data_dir)
    tidy = load_tidy(folder)
    papers = paper_periods(folder)
    available = available_periods(tidy, papers)
    notes: list[str] = []
    if window is not None:
        # A month without month-end figures can still be briefed on request when
        # something is dated in it (18 November); a paper's month is always available.
        asked = str(window.end)
        month = pd.Period(asked, freq="M")
        ends = pd.to_datetime(tidy["end"])
        dated = ((ends >= month.start_time) & (ends <= month.end_time)).any()
        if asked not in available and dated:
            available = sorted({*available, asked})
    else:
        today = today or dt.date.today()
        ended = str(pd.Period(today, freq="M") - 1)
        chosen = default_period(tidy, papers, [p for p in available if p <= ended])
        if chosen is not None:
            period = chosen.period
            notes.append(default_note(chosen))
    if channels is None and (window is not None or period is not None):
        window = window or reporting_window(period, start, today=today)
        with_data = pages_with_data(tidy, window)
        if with_data:
            channels = with_data
            left = [briefing_title(b) for b in BRIEFINGS if b not in with_data]
            if left:
                notes.append(f"not covered: {', '.join(left)} (no figures in {window.label})")
    request = validate_request(
        period,
        start,
        channels,
        folder,
        notebooks_dir=notebooks_dir,
        available=available,
        today=today,
        window=window,
    )
    return replace(request, notes=tuple(notes))


def default_note(chosen: DefaultPeriod) -> str:
    """Why a run briefs the month it chose, naming channels that stop earlier or run on."""
    month = month_label(pd.Period(chosen.period, freq="M"))
    if chosen.paper:
        why = f"{month}: the latest month with a paper (commentary file)"
    else:
        why = f"{month}: the latest month most channels' figures reach"
    parts = [why]
    if chosen.earlier:
        parts.append(
            "stop earlier: " + ", ".join(f"{c.name} ({c.last:%-d %B %Y})" for c in chosen.earlier)
        )
    if chosen.later:
        parts.append(
            "run on: " + ", ".join(f"{c.name} (to {c.last:%-d %B %Y})" for c in chosen.later)
        )
    return "; ".join(parts)


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
    for note in request.notes:
        settings.console.print(f"  plan    {note}")
    outcome = _run_builds([request], settings, jobs)
    result = outcome[request.period]
    if isinstance(result, RunError):
        raise result
    if isinstance(outcome.get(ARCHIVE), RunError):
        raise outcome[ARCHIVE]
    return result


def plan_all(
    tidy: pd.DataFrame,
    folder: DataLayout,
    channels: str | Sequence[str] | None,
    today: dt.date,
    since: str | None = None,
    notebooks_dir: str | Path | None = None,
) -> list[Request]:
    """The checked request of every month that can be briefed, oldest first.

    Args:
        tidy: The tidy table.
        folder: The data folder's layout.
        channels: The pages asked for; None: each period's pages with figures.
        today: The date the months must have ended by.
        since: The first month ``YYYY-MM`` (None: the earliest with data).
        notebooks_dir: Folder of the notebooks.

    Raises:
        ParameterError: If no month can be briefed.
    """
    ended = pd.Period(today, freq="M") - 1
    first = parse_month(since) if since else None
    periods = [
        p
        for p in available_periods(tidy, paper_periods(folder))
        if pd.Period(p, freq="M") <= ended and (first is None or pd.Period(p, freq="M") >= first)
    ]
    if not periods:
        after = f" from {since} on" if since else ""
        raise ParameterError(
            f"the data has no figures of a day, a week or a month{after}, "
            "so there is no period to brief"
        )
    months = list(dict.fromkeys(periods))
    with_data = (
        [channels] * len(months)
        if channels
        else pages_by_window(tidy, [reporting_window(p, today=today) for p in months])
    )
    return [
        validate_request(
            p,
            None,
            pages or None,
            folder,
            notebooks_dir=notebooks_dir,
            available=periods,
            today=today,
        )
        for p, pages in zip(months, with_data, strict=True)
    ]


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
    since: str | None = None,
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
        since: The first month ``YYYY-MM`` to brief (default: every month with data).

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
    tidy = load_tidy(folder)
    requests = plan_all(tidy, folder, channels, today, since, notebooks_dir)
    settings = _settings(
        out_dir, kernel_name, timeout, console, force=force, pdf=pdf, drop_pdf=drop_pdf
    )
    periods = [r.period for r in requests]
    settings.console.print(f"Briefings for {len(requests)} periods: {', '.join(periods)}")
    outcome = _run_builds(requests, settings, jobs, tidy)
    failed = [(p, r) for p, r in outcome.items() if isinstance(r, RunError)]
    if failed:
        raise RunError("\n".join(f"{p}: {e}" for p, e in failed))
    return [outcome[r.period] for r in requests]  # type: ignore[misc]
