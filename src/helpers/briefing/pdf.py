"""``briefing.pdf``: the period's briefings as one A4 board paper, printed by Chromium.

The paper is built offline from the period's HTML pages: a front block (force,
title, period, the day the latest figures reach, the date of issue or "Draft", the
"Decision required" and contact lines of the analysts' commentary, and the contents
with page numbers), then the overview and each channel briefing, flowing on from one
to the next, then the paper's closing parts the analysts wrote ("About this paper":
implications, links to the Police & Crime Plan, reasons why restricted, background
documents, contact for further information), and at the end one annex: how the
figures were worked out and the data-quality summary (the full stated-figures table
stays in ``quality.html``). A print stylesheet (``templates/print.css``) gives A4
pages, a running header and page numbers (CSS page margin boxes), keeps tables,
charts and headings with what follows them whole, and prints every chart at
:data:`CHART_PRINT_SCALE` of its own size (so its text prints at 7 pt or more) and at
:data:`PRINT_DPI` or finer.

The contents' page numbers come from a first printing: its outline (bookmarks)
gives the page each part starts on, the numbers are written in, and the paper is
printed again (the numbers take the same room, so nothing moves).

Chromium (Debian's ``/usr/bin/chromium``, or the one named by ``ENGAGEMENT_CHROMIUM``)
is driven with Playwright: the pages' own scripts are disabled, every request
other than ``file:`` and ``data:`` is refused, and ``page.pdf`` writes a PDF with
selectable text, embedded fonts and an outline (bookmarks) of the parts. Without
Playwright or Chromium, :class:`PdfSkipped` says why in one line and the HTML
briefings are unaffected.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import shutil
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from helpers import config
from helpers.briefing.overview_json import QUALITY_PAGE, read_overview
from helpers.briefing.templating import TEMPLATES, environment, register_filter
from helpers.fileio import atomic_path

#: Stylesheets of the paper: the briefings' own, then the print additions.
_STYLES: tuple[str, ...] = ("briefing.css", "print.css")
PDF_FILE = "briefing.pdf"
#: Environment variable naming the Chromium executable to print with.
CHROMIUM_ENV = "ENGAGEMENT_CHROMIUM"
#: Where Chromium is looked for when the variable is not set (then on PATH).
CHROMIUM_CANDIDATES: tuple[str, ...] = ("/usr/bin/chromium", "chromium", "chromium-browser")
#: Chromium's command-line flags: headless, no sandbox (containers), nothing fetched.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
#: Charts print no larger than their pixel width divided by this (dots per inch).
PRINT_DPI = 150
#: A chart prints at this share of its own size (its text at 7 pt or more), no wider
#: than the text; its own size is its pixel width over :data:`CHART_PIXELS_PER_INCH`.
CHART_PRINT_SCALE = config.CHART_PRINT_SCALE
CHART_PIXELS_PER_INCH = config.CHART_PIXELS_PER_INCH
#: Width of the text on an A4 sheet, in millimetres (210 less print.css's side margins).
TEXT_WIDTH_MM = 210 - 14 - 13
#: Height of the text on an A4 sheet, in millimetres (297 less print.css's top and
#: bottom margins).
TEXT_HEIGHT_MM = 297 - 14 - 13
#: Title of the paper's one annex.
ANNEX_TITLE = "Annex: how the figures were worked out, and data quality"
#: Title of the paper's closing parts (implications ... contact), after the channels.
ABOUT_TITLE = "About this paper"
#: What the cover says instead of a date when the analysts set no date of issue.
DRAFT = "Draft"
#: Title of the paper (cover and running header).
TOPIC = "Community engagement briefing"
#: Seconds Chromium may take for one step (launch, assembly, printing).
TIMEOUT_S = 120


class PdfSkipped(Exception):
    """The PDF could not be made here (no Playwright or no Chromium); the message says why."""


@dataclass(frozen=True)
class PdfResult:
    """A written PDF and what went into it."""

    path: Path
    bytes: int
    pages: int
    parts: list[str]
    charts: int
    method_notes: int
    quality_tables: int

    def describe(self) -> str:
        """One line for the console, e.g. ``briefing.pdf: 1.2 MB, 11 pages, 5 parts, 9 charts``."""
        return (
            f"{self.path.name}: {self.bytes / 1e6:.1f} MB, {self.pages} pages, "
            f"{len(self.parts)} parts, {self.charts} charts"
        )


def find_chromium() -> Path:
    """The Chromium executable to print with.

    Returns:
        ``$ENGAGEMENT_CHROMIUM`` when set, else the first of
        :data:`CHROMIUM_CANDIDATES` that exists.

    Raises:
        PdfSkipped: If there is none.
    """
    named = os.environ.get(CHROMIUM_ENV)
    if named:
        path = Path(named)
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise PdfSkipped(f"{CHROMIUM_ENV}={named} is not an executable Chromium")
        return path
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return Path(found)
    raise PdfSkipped("Chromium is not installed (apt-get install chromium)")


def _sync_playwright() -> Any:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise PdfSkipped(
            "the playwright package is not installed (make setup installs it)"
        ) from None
    return sync_playwright


def check_pdf_tools() -> None:
    """Check that Playwright and Chromium are here, before any period is built.

    Raises:
        PdfSkipped: Saying which is missing and how to install it.
    """
    _sync_playwright()
    find_chromium()


def css_string(text: object) -> Markup:
    """Quote ``text`` as a CSS string that is safe inside a ``<style>`` element."""
    out = []
    for char in str(text):
        if char in '"\\<>&' or ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return Markup('"' + "".join(out) + '"')


register_filter("css_string", css_string)


@functools.cache
def _assemble_script() -> str:
    """``templates/print.js`` as the function expression Playwright evaluates."""
    text = (TEMPLATES / "print.js").read_text(encoding="utf-8")
    code = "\n".join(line for line in text.splitlines() if not line.startswith("//"))
    return code.strip().rstrip(";")


def issue_label(issued: object) -> str:
    """The cover's date of issue: ``"18 November 2015"``, or :data:`DRAFT` without one."""
    if not issued:
        return DRAFT
    return _day_words(issued)


def _day_words(iso: object) -> str:
    day = dt.date.fromisoformat(str(iso)[:10])
    return f"{day.day} {day:%B %Y}"


def paper_parts(folder: Path, overview: Mapping[str, Any]) -> list[dict[str, str]]:
    """The pages that go into the paper, in order, with their HTML.

    Args:
        folder: The period folder (published or being built).
        overview: Its ``overview.json``.

    Returns:
        Dicts with ``name`` (file stem), ``title``, ``role`` (``overview``, ``channel``
        or ``quality``) and ``html``.

    Raises:
        PdfSkipped: If a listed page is missing.
    """
    parts = []
    for page in overview["pages"]:
        href = str(page["href"])
        path = folder / href
        if not re.fullmatch(r"[A-Za-z0-9_-]+\.html", href) or not path.is_file():
            raise PdfSkipped(f"{href} is listed in overview.json but not in {folder.name}/")
        name = href.removesuffix(".html")
        role = (
            "overview" if href == "index.html" else "quality" if href == QUALITY_PAGE else "channel"
        )
        parts.append(
            {
                "name": name,
                "title": str(page["title"]),
                "role": role,
                "html": path.read_text(encoding="utf-8"),
            }
        )
    return parts


def print_document(overview: Mapping[str, Any], parts: Sequence[Mapping[str, str]]) -> str:
    """The print document's skeleton: styles, cover and the empty parts.

    Args:
        overview: The period's ``overview.json``.
        parts: :func:`paper_parts` (their titles make the contents list).

    Returns:
        HTML; ``print.js`` fills in the parts in Chromium.
    """
    css = "\n".join(
        (TEMPLATES / n).read_text(encoding="utf-8") for n in ("briefing.css", "print.css")
    )
    return (
        environment()
        .get_template("print.html.j2")
        .render(
            css=css,
            force=str(overview.get("force") or ""),
            topic=TOPIC,
            overview=overview,
            issued=issue_label(overview.get("issued")),
            latest=_day_words(overview["latest"]) if overview.get("latest") else "",
            parts=list(parts),
            annex_title=ANNEX_TITLE,
            about_title=ABOUT_TITLE,
            running_left=" · ".join(p for p in (str(overview.get("force") or ""), TOPIC) if p),
            running_right=str(overview["period_label"]),
        )
    )


#: Writes each part's first page into the contents (``{title: page}``).
_NUMBER_SCRIPT = """(numbers) => {
  for (const ref of document.querySelectorAll(".contents .page-ref")) {
    const page = numbers[ref.dataset.title];
    ref.textContent = page ? String(page) : "";
  }
}"""


def part_pages(pdf: bytes) -> dict[str, int]:
    """The page (1-based) each top-level bookmark of a PDF points to, by its title."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    pages: dict[str, int] = {}

    def visit(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                visit(item)
                continue
            title = " ".join(str(item.title).split())
            if title not in pages:
                pages[title] = reader.get_destination_page_number(item) + 1

    visit(reader.outline)
    return pages


def page_count(path: Path) -> int:
    """How many pages a PDF has."""
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def _allowed(url: str) -> bool:
    return url.startswith(("file:", "data:", "about:"))


def write_pdf(folder: Path, target: Path | None = None) -> PdfResult:
    """Print a period's briefings into one A4 PDF, written atomically.

    Playwright's synchronous API runs on a thread of its own, so the caller's thread
    may have an event loop running (JupyterLab) or another Playwright session open.

    Args:
        folder: The period folder with ``overview.json`` and the pages it lists.
        target: Where to write (default ``<folder>/briefing.pdf``).

    Returns:
        What was written.

    Raises:
        PdfSkipped: If Playwright or Chromium is missing or Chromium fails.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf") as pool:
        return pool.submit(_write_pdf, folder, target).result()


#: Chromium's PDF options: A4 from the print stylesheet, outline and tags for readers.
_PDF_OPTIONS: dict[str, Any] = {
    "format": "A4",
    "print_background": True,
    "prefer_css_page_size": True,
    "outline": True,
    "tagged": True,
}


def _print(context: Any, skeleton: str, parts: list[dict[str, str]], path: Path) -> dict[str, Any]:
    """Assemble the parts in a page of ``context``, print it twice (numbers), write ``path``."""
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_S * 1000)
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if _allowed(route.request.url) else route.abort("blockedbyclient")
        ),
    )
    page.emulate_media(media="print")
    page.set_content(skeleton, wait_until="load")
    report = page.evaluate(
        _assemble_script(),
        {
            "parts": parts,
            "dpi": PRINT_DPI,
            "chartScale": CHART_PRINT_SCALE,
            "chartPixelsPerInch": CHART_PIXELS_PER_INCH,
            "textWidthMm": TEXT_WIDTH_MM,
            "textHeightMm": TEXT_HEIGHT_MM,
        },
    )
    numbers = part_pages(page.pdf(**_PDF_OPTIONS))
    page.evaluate(_NUMBER_SCRIPT, numbers)
    page.pdf(path=str(path), **_PDF_OPTIONS)
    return report


def _write_pdf(folder: Path, target: Path | None = None) -> PdfResult:
    """Print a period's briefings into one A4 PDF (see :func:`write_pdf`).

    Args:
        folder: The period folder with ``overview.json`` and the pages it lists.
        target: Where to write (default ``<folder>/briefing.pdf``).

    Returns:
        What was written.

    Raises:
        PdfSkipped: If Playwright or Chromium is missing or Chromium fails.
    """
    overview = read_overview(folder)
    if overview is None:
        raise PdfSkipped(f"{folder.name}/overview.json is missing or unreadable")
    target = target or folder / PDF_FILE
    parts = paper_parts(folder, overview)
    skeleton = print_document(overview, parts)
    chromium = find_chromium()
    sync_playwright = _sync_playwright()
    from playwright.sync_api import Error as PlaywrightError

    try:
        with atomic_path(target) as tmp, sync_playwright() as playwright:
            try:
                browser = playwright.chromium.launch(
                    executable_path=str(chromium),
                    headless=True,
                    args=list(CHROMIUM_ARGS),
                    timeout=TIMEOUT_S * 1000,
                )
            except PlaywrightError as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise PdfSkipped(f"Chromium ({chromium}) did not start: {first}") from None
            try:
                report = _print(
                    browser.new_context(java_script_enabled=False, offline=True),
                    skeleton,
                    parts,
                    tmp,
                )
            finally:
                browser.close()
    except PlaywrightError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PdfSkipped(f"Chromium could not print the briefing: {first}") from None
    return PdfResult(
        path=target,
        bytes=target.stat().st_size,
        pages=page_count(target),
        parts=list(report["parts"]),
        charts=int(report["images"]),
        method_notes=int(report["methods"]),
        quality_tables=int(report["qualityTables"]),
    )
