"""Publishing a period: the output formats (publishers) and the atomic swap into place.

Each output format is a :class:`Publisher` in the registry :data:`PUBLISHERS`, the way
papermill registers its engines: ``html`` writes each executed notebook as an offline
HTML page as soon as it finishes; ``pdf`` prints the finished pages into the board
paper ``briefing.pdf``. A run names the formats it wants (``--pdf`` adds ``pdf``); a new
format is one class registered here with :func:`register_publisher`.

:func:`finish_period` then writes ``overview.json`` and ``manifest.json`` and swaps the
staging folder in for ``outputs/<period>/`` (:func:`swap_into_place`), keeping the files
in that folder that no run made.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from rich.console import Console

from helpers.briefing.manifest import build_manifest, write_json
from helpers.briefing.overview_json import OVERVIEW_FILE
from helpers.briefing.ownership import carry_over, files_of, named, swap
from helpers.briefing.plan import OVERVIEW, briefing_title, page_file
from helpers.briefing.run_errors import RunError
from helpers.briefing.state import FAILED_DIR, HTML, LOGS_DIR, PeriodBuild, Settings, now

if TYPE_CHECKING:  # loaded by the first page published, not by the runner's import
    import nbformat

    from helpers.briefing.render import Page


class PublishSkipped(Exception):
    """A publisher cannot run on this machine; the message says why, in one line."""


class Publisher(Protocol):
    """One output format of a period.

    Attributes:
        name: The format's name (``html``, ``pdf``), as runs ask for it.
        files: Files it writes into the period folder besides the pages.
    """

    name: str
    files: tuple[str, ...]

    def check(self) -> None:
        """Raise :class:`PublishSkipped` if it cannot run here (before any notebook runs)."""

    def page(self, nb: nbformat.NotebookNode, name: str, page: Page, folder: Path) -> None:
        """Publish one executed notebook of a period into ``folder``."""

    def period(self, folder: Path, period: str, console: Console) -> None:
        """Publish a period whose pages are all in ``folder``."""


@dataclass(frozen=True)
class HtmlPublisher:
    """Each executed notebook as one offline HTML page (the overview is ``index.html``)."""

    name: ClassVar[str] = HTML
    files: ClassVar[tuple[str, ...]] = ()

    def check(self) -> None:
        """HTML needs nothing beyond the project's own packages."""

    def page(self, nb: nbformat.NotebookNode, name: str, page: Page, folder: Path) -> None:
        """Render ``nb`` with the briefing template, check it is offline and safe, write it."""
        from helpers.briefing.render import check_page, render_notebook

        filename = page_file(name)
        html = render_notebook(nb, page)
        check_page(html, filename)
        (folder / filename).write_text(html, encoding="utf-8")

    def period(self, folder: Path, period: str, console: Console) -> None:
        """The pages are written one by one; nothing is left for the period."""


@dataclass(frozen=True)
class PdfPublisher:
    """The board paper ``briefing.pdf``: every page of a period printed by Chromium."""

    name: ClassVar[str] = "pdf"
    files: ClassVar[tuple[str, ...]] = ("briefing.pdf",)

    def check(self) -> None:
        """Refuse when Playwright or Chromium is missing (saying which)."""
        from helpers.briefing.pdf import PdfSkipped, check_pdf_tools

        try:
            check_pdf_tools()
        except PdfSkipped as exc:
            raise PublishSkipped(str(exc)) from None

    def page(self, nb: nbformat.NotebookNode, name: str, page: Page, folder: Path) -> None:
        """The paper is printed from the finished pages, not page by page."""

    def period(self, folder: Path, period: str, console: Console) -> None:
        """Print the period's pages into ``briefing.pdf``; say in one line if it cannot."""
        from helpers.briefing.pdf import PdfSkipped, write_pdf

        try:
            result = write_pdf(folder)
        except PdfSkipped as exc:
            console.print(f"  PDF skipped for {period}: {exc}")
        else:
            console.print(f"  pdf     {period} {result.describe()}")


#: The output formats by name, in the order they publish.
PUBLISHERS: dict[str, Publisher] = {}


def register_publisher(publisher: Publisher) -> None:
    """Add an output format to :data:`PUBLISHERS` (replacing one of the same name)."""
    PUBLISHERS[publisher.name] = publisher


register_publisher(HtmlPublisher())
register_publisher(PdfPublisher())


def publishers(settings: Settings) -> list[Publisher]:
    """The publishers a run asked for, in registry order (HTML always)."""
    unknown = [name for name in settings.formats if name not in PUBLISHERS]
    if unknown:
        raise RunError(f"unknown output format {unknown[0]!r}; choose from {', '.join(PUBLISHERS)}")
    return [p for name, p in PUBLISHERS.items() if name == HTML or name in settings.formats]


def usable_formats(settings: Settings) -> tuple[str, ...]:
    """The formats asked for that can run here; one line for each that cannot."""
    kept = []
    for publisher in publishers(settings):
        try:
            publisher.check()
        except PublishSkipped as exc:
            settings.console.print(
                f"{publisher.name.upper()} skipped: {exc}; the HTML briefings are still written."
            )
        else:
            kept.append(publisher.name)
    return tuple(kept)


def publish_page(
    nb: nbformat.NotebookNode, name: str, page: Page, folder: Path, settings: Settings
) -> None:
    """Give one executed notebook to every publisher of the run."""
    for publisher in publishers(settings):
        publisher.page(nb, name, page, folder)


def publish_period(folder: Path, period: str, settings: Settings) -> None:
    """Give a period's finished folder to every publisher of the run."""
    for publisher in publishers(settings):
        publisher.period(folder, period, settings.console)


def missing_files(folder: Path, settings: Settings) -> list[str]:
    """Files of the run's publishers that a published period folder lacks."""
    return [name for p in publishers(settings) for name in p.files if not (folder / name).is_file()]


def page_links(build: PeriodBuild) -> list[dict[str, str]]:
    """The pages of a period in reading order, as ``overview.json`` lists them."""
    return [
        {"href": page_file(name), "title": briefing_title(name)}
        for name in build.request.pages
        if (build.staging / page_file(name)).is_file()
    ]


def _manifest(build: PeriodBuild, settings: Settings, made: Sequence[str]) -> dict[str, Any]:
    request = build.request
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
        finished=now(),
        seconds={name: r.seconds for name, r in build.results.items()},
        fingerprint=build.fingerprint.to_json() if build.fingerprint else None,
    )
    manifest["files"] = sorted({*made, "manifest.json"})
    return manifest


def finish_period(build: PeriodBuild, settings: Settings) -> Path:
    """Write ``overview.json`` and the manifest, publish, and swap the folder into place.

    Returns:
        The published period folder.

    Raises:
        RunError: If a foreign file in the period folder has a name the run made.
    """
    request = build.request
    overview = {
        **build.results[OVERVIEW].overview,
        "pages": page_links(build),
        "force": build.request.force,
    }
    write_json(build.staging / OVERVIEW_FILE, overview)
    shutil.rmtree(build.staging / LOGS_DIR)
    publish_period(build.staging, request.period, settings)
    target = settings.out_dir / request.period
    foreign, kept_pdf = carry_over(target, build.staging, keep_pdf=not settings.drop_pdf)
    made = [name for name in files_of(build.staging) if name not in foreign]
    manifest = _manifest(build, settings, made)
    if kept_pdf:
        manifest["pdf_kept"] = "briefing.pdf was printed by an earlier build of this period"
        settings.console.print(
            f"  kept    {request.period} briefing.pdf of the earlier build "
            "(--pdf prints it again, --drop-pdf removes it)"
        )
    write_json(build.staging / "manifest.json", manifest)
    if foreign:
        settings.console.print(
            f"  kept    {request.period} {named(foreign)} (not made by a briefing run)"
        )
    swap_into_place(build.staging, target)
    shutil.rmtree(settings.out_dir / FAILED_DIR / request.period, ignore_errors=True)
    return target


def swap_into_place(staging: Path, target: Path) -> None:
    """Replace ``target`` with ``staging`` (:func:`.ownership.swap`, crash-safe)."""
    swap(staging, target)
