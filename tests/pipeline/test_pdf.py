"""The board paper ``briefing.pdf``: A4, numbered, the briefing's content, crisp charts, fonts in.

The PDFs of 2015-09 and 2015-11 (the default period: the 2015 report's own paper)
come from the build of every period
(:mod:`tests.pipeline.all_periods`) and are read with pypdf. The first tests need
no browser: the cover's HTML, and a run whose Chromium is missing.
"""

from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_notebook, new_output
from pypdf import PdfReader
from rich.console import Console

from helpers.briefing import build as runner_module
from helpers.briefing.pdf import (
    ANNEX_TITLE,
    CHROMIUM_ENV,
    PRINT_DPI,
    css_string,
    part_pages,
    print_document,
)
from helpers.briefing.runner import run_period
from helpers.tidy.dataset import load_profile
from helpers.tidy.published import HEADLINES_MIME
from tests.browser.harness import require_browser_tools
from tests.factories.fake_notebooks import fake_execute, write_page_notebooks
from tests.pipeline.all_periods import AllPeriods, all_periods  # noqa: F401 (a fixture)

#: The embedded data's force, as its profile (data/raw/force.yml) names it.
FORCE = load_profile().name

#: A4 in PostScript points.
A4 = (595.28, 841.89)
#: Largest board paper accepted for the 2015 data, in bytes.
MAX_BYTES = 3_000_000


def _words(text: str) -> str:
    """Text with every run of white space made one space (PDF text wraps lines)."""
    return re.sub(r"\s+", " ", text).strip()


# --- without a browser ----------------------------------------------------------------


def _overview(**changes: Any) -> dict[str, Any]:
    return {
        "period": "2015-10",
        "period_label": "October 2015",
        "window_label": "November 2014 to October 2015",
        "key_points": ["One."],
        "pages": [{"href": "index.html", "title": "Overview"}],
        "decision": None,
        "issued": "2015-11-02",
        "force": FORCE,
        **changes,
    }


def test_cover_names_the_decision_when_the_commentary_gives_one() -> None:
    decision = 'The Commissioner is requested to note the report & "agree" <its> actions.'
    html = print_document(_overview(decision=decision), [])
    cover = BeautifulSoup(html, "html.parser").select_one("section.cover")
    text = _words(cover.get_text(" "))
    assert f"Decision required {decision}" in text
    assert "Date of issue 2 November 2015" in text
    assert FORCE in text and "October 2015" in text
    assert "<its>" not in html  # escaped


def test_cover_without_a_decision_has_no_decision_line() -> None:
    html = print_document(_overview(), [])
    assert "Decision required" not in html


def test_a_paper_without_a_date_of_issue_is_a_draft_never_dated_by_the_build() -> None:
    cover = BeautifulSoup(print_document(_overview(issued=None), []), "html.parser")
    assert _words(cover.select_one("dl.cover-facts").get_text(" ")).startswith(
        "Date of issue Draft"
    )


def test_the_contents_take_each_part_s_page_from_the_bookmarks(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(4):
        writer.add_blank_page(*A4)
    writer.add_outline_item(title="Overview", page_number=0)
    writer.add_outline_item(title="Social media", page_number=2)
    writer.add_outline_item(title=ANNEX_TITLE, page_number=3)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert part_pages(buffer.getvalue()) == {"Overview": 1, "Social media": 3, ANNEX_TITLE: 4}


def test_running_header_text_cannot_break_out_of_the_stylesheet() -> None:
    assert css_string('a "b" \\ </style>') == '"a \\22 b\\22  \\5c  \\3c /style\\3e "'


def _executed(job: Any) -> nbformat.NotebookNode:
    record = {
        "channel": "itk",
        "account": "All accounts",
        "metric": "registered_users",
        "measure": "value",
        "start": "2015-09-30",
        "end": "2015-09-30",
        "value": 1.0,
        "unit": "count",
    }
    bundle = {HEADLINES_MIME: {"records": [record]}, "text/plain": "h"}
    out = new_output("execute_result", data=bundle, execution_count=1)
    return new_notebook(cells=[new_code_cell("headlines", outputs=[out])])


def test_without_chromium_the_html_is_written_and_one_line_says_why(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    notebooks = tmp_path / "notebooks"
    write_page_notebooks(notebooks, ("itk",))
    monkeypatch.setattr(runner_module, "execute_notebook", fake_execute(_executed))
    monkeypatch.setattr(runner_module, "check_kernel", lambda name: None)
    monkeypatch.setattr(runner_module, "kernel_pool", lambda *a, **k: SimpleNamespace(close=dict))
    monkeypatch.setenv(CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    log = io.StringIO()
    folder = run_period(
        "2015-09",
        channels="itk",
        out_dir=tmp_path / "out",
        notebooks_dir=notebooks,
        console=Console(file=log, width=200),
        pdf=True,
    )
    lines = log.getvalue().splitlines()
    skipped = [line for line in lines if "PDF skipped" in line]
    assert len(skipped) == 1, lines
    assert "no-chromium" in skipped[0] and "HTML briefings are still written" in skipped[0]
    assert (folder / "index.html").is_file() and (folder / "itk.html").is_file()
    assert not (folder / "briefing.pdf").exists()


# --- the board papers of the embedded data ---------------------------------------------


def _paper(build: AllPeriods, period: str) -> Path:
    path = build.out_dir / period / "briefing.pdf"
    if not path.is_file():
        require_browser_tools()  # skips here (fails in CI) when Chromium is missing
        output = build.output("run", "--period", period)
        pytest.fail(f"no briefing.pdf for {period}:\n{output[-2000:]}", pytrace=False)
    return path


def _overview_of(build: AllPeriods, period: str) -> dict[str, Any]:
    return json.loads((build.out_dir / period / "overview.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def september(all_periods: AllPeriods) -> dict[str, Any]:  # noqa: F811
    path = _paper(all_periods, "2015-09")
    reader = PdfReader(path)
    return {
        "path": path,
        "reader": reader,
        "pages": [page.extract_text() or "" for page in reader.pages],
        "overview": _overview_of(all_periods, "2015-09"),
        "folder": all_periods.out_dir / "2015-09",
    }


@pytest.mark.pipeline
@pytest.mark.xdist_group("periods")
def test_every_page_is_a4_with_its_number_and_the_running_header(september: dict) -> None:
    pages = september["pages"]
    label = september["overview"]["period_label"]
    assert len(pages) >= 6
    for number, (page, text) in enumerate(zip(september["reader"].pages, pages, strict=True), 1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1, f"page {number} is not A4"
        assert text.strip(), f"page {number} has no selectable text"
        assert f"Page {number} of {len(pages)}" in text  # the first page too
        if number == 1:
            continue
        assert FORCE in text and label in text


@pytest.mark.pipeline
@pytest.mark.xdist_group("periods")
def test_front_then_key_points_then_channels_then_one_annex(september: dict) -> None:
    overview = september["overview"]
    cover = _words(september["pages"][0])
    assert FORCE in cover and "Community engagement briefing" in cover
    assert overview["period_label"] in cover and "Date of issue" in cover
    assert ("Decision required" in cover) == bool(overview["decision"])
    text = _words(" ".join(september["pages"]))
    for point in overview["key_points"]:
        assert _words(point) in text, f"key point missing from the PDF: {point}"
    reader = september["reader"]
    parts = [item for item in reader.outline if not isinstance(item, list)]
    titles = [page["title"] for page in overview["pages"] if page["href"] != "quality.html"]
    expected = ["Community engagement briefing", *titles, ANNEX_TITLE]
    assert [item.title for item in parts] == expected
    starts = [reader.get_destination_page_number(item) for item in parts]
    assert starts[0] == 0 and starts[1] == 0 and starts == sorted(starts)  # parts flow on
    # the contents give each part's first page
    contents = cover[cover.index("Contents") :]
    for item, start in zip(parts[1:], starts[1:], strict=True):
        assert re.search(re.escape(_words(item.title)) + rf" {start + 1}\b", contents), item.title


@pytest.mark.pipeline
@pytest.mark.xdist_group("periods")
def test_the_annex_has_the_flagged_checks_and_the_full_table_is_never_printed(
    september: dict,
) -> None:
    folder = september["folder"]
    index = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    flagged = index.select("#annex table.flagged-checks tbody tr")
    text = _words(" ".join(september["pages"]))
    end = text[text.rfind(ANNEX_TITLE) :]
    for row in flagged:
        for cell in row.find_all(["th", "td"]):
            words = _words(cell.get_text(" "))
            assert words in end, f"flagged check {words!r} is not in the annex"
    quality = BeautifulSoup((folder / "quality.html").read_text(encoding="utf-8"), "html.parser")
    caption = _words(quality.select_one("table.quality caption").get_text())
    assert caption not in text  # the stated-figures table stays in quality.html
    assert "data-quality page of the HTML briefing" in end  # named, not a file name
    reader = september["reader"]
    annex = next(item for item in reader.outline if getattr(item, "title", "") == ANNEX_TITLE)
    assert len(reader.pages) - reader.get_destination_page_number(annex) <= 2


def _images(page: Any) -> list[tuple[int, float]]:
    """``(pixel width, printed dpi)`` of every image drawn on a page."""
    resources = page["/Resources"]
    xobjects = resources["/XObject"].get_object() if "/XObject" in resources else {}
    found: list[tuple[int, float]] = []

    def visit(operator: bytes, args: list, cm: list, tm: list) -> None:
        if operator == b"Do" and args and args[0] in xobjects:
            image = xobjects[args[0]].get_object()
            if image.get("/Subtype") == "/Image":
                printed_inches = math.hypot(cm[0], cm[1]) / 72
                found.append((int(image["/Width"]), int(image["/Width"]) / printed_inches))

    page.extract_text(visitor_operand_before=visit)
    return found


@pytest.mark.pipeline
@pytest.mark.xdist_group("periods")
def test_every_chart_is_printed_at_150_dpi_or_finer(september: dict) -> None:
    folder = september["folder"]
    charts = 0
    for page in september["overview"]["pages"]:
        if page["href"] == "quality.html":
            continue
        soup = BeautifulSoup((folder / page["href"]).read_text(encoding="utf-8"), "html.parser")
        printed_charts = [
            img
            for img in soup.select("main img")
            if not img.find_parent(class_="screen-only") and not img.find_parent("details")
        ]
        charts += len(printed_charts)
    printed = [image for page in september["reader"].pages for image in _images(page)]
    assert charts > 0
    assert len(printed) == charts, f"{charts} charts in the pages, {len(printed)} in the PDF"
    for width, dpi in printed:
        assert dpi >= PRINT_DPI - 1, f"a {width}-pixel chart printed at {dpi:.0f} dpi"


@pytest.mark.pipeline
@pytest.mark.xdist_group("periods")
def test_fonts_are_embedded_and_the_file_is_small(september: dict) -> None:
    assert september["path"].stat().st_size < MAX_BYTES
    fonts = {}
    for page in september["reader"].pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            fonts[str(font.get("/BaseFont"))] = font
    assert fonts
    for name, font in fonts.items():
        if font["/Subtype"] == "/Type0":
            font = font["/DescendantFonts"][0].get_object()
        descriptor = font["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), f"{name} not embedded"


@pytest.mark.pipeline
@pytest.mark.xdist_group("periods")
def test_the_decision_line_comes_from_the_commentary(all_periods: AllPeriods) -> None:  # noqa: F811
    overview = _overview_of(all_periods, "2015-11")
    commentary = all_periods.data_dir / "raw" / "commentary" / "2015-11.md"
    assert overview["decision"] and overview["decision"] in commentary.read_text(encoding="utf-8")
    cover = _words(PdfReader(_paper(all_periods, "2015-11")).pages[0].extract_text())
    assert f"Decision required {overview['decision']}" in cover
