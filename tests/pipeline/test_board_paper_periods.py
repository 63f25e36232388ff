"""The board papers and pages of June, September and November 2015, as a board secretary reads them.

The three periods come from the build of every period (:mod:`tests.pipeline.all_periods`),
with their board papers. Each test follows the data: figures and dates are taken from
the periods' ``headlines.json``, ``quality.json``, ``overview.json``, the claims of
``as_reported/`` and the commentary, never written in.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from helpers import config
from helpers.briefing.pdf import ABOUT_TITLE, ANNEX_TITLE
from helpers.ingest.report import read_claims
from helpers.present import formats, theme
from helpers.tidy.dataset import load_commentary
from tests.pipeline.all_periods import AllPeriods, all_periods  # noqa: F401 (a fixture)
from tests.pipeline.test_pdf import _paper

pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("periods")]

PERIODS = ("2015-06", "2015-09", "2015-11")
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("¶", "")).strip()


@dataclass
class Paper:
    """One period's board paper and pages."""

    period: str
    folder: Path
    reader: PdfReader
    page_texts: list[str]
    overview: dict[str, Any]
    headlines: list[dict[str, Any]]
    quality: list[dict[str, Any]]
    pages: dict[str, BeautifulSoup]

    @property
    def text(self) -> str:
        return _words(" ".join(self.page_texts))

    @property
    def last_day(self) -> str:
        return str(pd.Period(self.period, freq="M").end_time.date())

    def visible(self, name: str) -> str:
        soup = BeautifulSoup(str(self.pages[name]), "html.parser")
        for node in soup(["style", "script", "template", "head"]):
            node.decompose()
        return _words(soup.get_text(" "))


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def papers(all_periods: AllPeriods) -> dict[str, Paper]:  # noqa: F811
    out = {}
    for period in PERIODS:
        folder = all_periods.out_dir / period
        reader = PdfReader(_paper(all_periods, period))
        overview = _json(folder / "overview.json")
        out[period] = Paper(
            period=period,
            folder=folder,
            reader=reader,
            page_texts=[page.extract_text() or "" for page in reader.pages],
            overview=overview,
            headlines=_json(folder / "headlines.json"),
            quality=_json(folder / "quality.json"),
            pages={
                p["href"].removesuffix(".html"): BeautifulSoup(
                    (folder / p["href"]).read_text(encoding="utf-8"), "html.parser"
                )
                for p in overview["pages"]
            },
        )
    return out


@pytest.fixture(scope="module")
def claims(all_periods: AllPeriods) -> pd.DataFrame:  # noqa: F811
    return read_claims(all_periods.data_dir / "raw" / "as_reported")


# --- 1. every table and chart headed with its own dates; the front says what they reach -----


@pytest.mark.parametrize("period", PERIODS)
def test_every_table_and_chart_is_headed_with_its_own_dates(papers: dict, period: str) -> None:
    paper = papers[period]
    for name, soup in paper.pages.items():
        for caption in soup.select("main table caption"):
            heads = {_words(th.get_text()) for th in caption.parent.select("thead th")}
            if heads & {"Dates", "Date", "When", "Month", "Period covered"}:
                continue  # each row gives its own dates
            words = _words(caption.get_text())
            assert re.search(_MONTH + r" \d{4}", words), f"{name}: {words!r} names no date"
        for img in soup.select("main img"):
            assert re.search(r"\b20\d\d\b", img.get("alt", "")), f"{name}: chart without dates"
    community = [r for r in paper.headlines if (r["channel"], r["metric"]) == ("all", "audience")]
    caption = next(
        _words(c.get_text())
        for c in paper.pages["social"].select("table caption")
        if "Audience of each channel" in c.get_text()
    )
    assert caption == f"Audience of each channel on {formats.day(community[-1]['end'])}"


@pytest.mark.parametrize("period", PERIODS)
def test_the_front_says_what_the_figures_reach(papers: dict, period: str) -> None:
    paper = papers[period]
    ends = [r["end"][:10] for r in paper.headlines if r.get("measure") != "projection"]
    assert paper.overview["latest"] == max(ends) <= paper.last_day
    cover = _words(paper.page_texts[0])
    assert f"Latest figures {formats.day(paper.overview['latest'])}" in cover
    assert "Figures for" not in cover


# --- 2. no stray backslashes ----------------------------------------------------------------


@pytest.mark.parametrize("period", PERIODS)
def test_no_stray_backslash_in_any_page_or_in_the_paper(papers: dict, period: str) -> None:
    paper = papers[period]
    for name in paper.pages:
        text = paper.visible(name)
        assert "\\" not in text, f"{name}: {text[max(0, text.find(chr(92)) - 40) :][:80]!r}"
    assert "\\" not in paper.text
    assert re.search(r"\d+\.\d+% of sessions were on a mobile device", paper.text)


# --- 3. chart text prints at 7 pt or more ------------------------------------------------


def _placed_images(page: Any) -> list[tuple[int, float]]:
    """``(pixel width, printed width in inches)`` of every image drawn on a page."""
    resources = page["/Resources"]
    xobjects = resources["/XObject"].get_object() if "/XObject" in resources else {}
    found: list[tuple[int, float]] = []

    def visit(operator: bytes, args: list, cm: list, tm: list) -> None:
        if operator == b"Do" and args and args[0] in xobjects:
            image = xobjects[args[0]].get_object()
            if image.get("/Subtype") == "/Image":
                found.append((int(image["/Width"]), math.hypot(cm[0], cm[1]) / 72))

    page.extract_text(visitor_operand_before=visit)
    return found


@pytest.mark.parametrize("period", PERIODS)
def test_chart_text_prints_at_seven_points_or_more(papers: dict, period: str) -> None:
    """A chart's own size is its pixel width over the PNG's pixels an inch; its text is at
    least ``MIN_FONT_PT`` (``tests/unit/test_chart_print_size.py`` measures every text)."""
    images = [i for page in papers[period].reader.pages for i in _placed_images(page)]
    assert images
    for pixels, printed in images:
        own = pixels / config.CHART_PIXELS_PER_INCH
        smallest = theme.MIN_FONT_PT * printed / own
        assert smallest >= theme.MIN_PRINTED_PT, f"chart text prints at {smallest:.1f} pt"


# --- 4. growth stated interval by interval, one finding that holds ----------------------


@pytest.mark.parametrize("period", PERIODS)
def test_growth_is_stated_by_interval_with_a_finding_that_holds(papers: dict, period: str) -> None:
    text = papers[period].text
    assert "fewer each month" not in text and "more each month" not in text
    assert "a month between September 2014 and February 2015" in text  # the chart's first interval
    for finding in re.findall(r"Growth continued in every interval; [^.]*\.", text):
        assert re.fullmatch(
            r"Growth continued in every interval; with \w+ monthly readings? it is too early "
            r"to tell whether growth is slowing \(at least six are needed\)\.",
            finding,
        ), finding


# --- 5. data-quality verdicts that rest on dates -------------------------------------------


def test_claims_that_rest_on_dates_are_judged_over_them_and_not_counted(papers: dict) -> None:
    paper = papers["2015-11"]
    checks = {q["check"]: q for q in paper.quality}
    growth = checks["twitter_monthly_growth_text"]
    assert (growth["start"], growth["end"], growth["status"]) == (
        "2015-09-30",
        "2015-10-31",
        "depends on the dates",
    )
    assert checks["facebook_monthly_reach_text"]["status"] == "ok"  # 4.9 million: "5-6m"
    flagged = paper.pages["index"].select("#annex table.flagged-checks tbody tr")
    assert not any("growth a month" in row.get_text() for row in flagged)
    annex = paper.text[paper.text.rfind(ANNEX_TITLE) :]
    assert "over 30 September to 31 October 2015" in annex
    assert "In the Know registered users 1.9%" not in annex


# --- 6. the paper's closing parts, in the report's order ---------------------------------


def test_the_closing_parts_come_after_the_channels_in_the_report_s_order(
    papers: dict,
    all_periods: AllPeriods,  # noqa: F811
) -> None:
    paper = papers["2015-11"]
    parts = load_commentary(all_periods.data_dir).paper_parts("2015-11")
    assert [t for t, _ in parts][:4] == [
        "Implications",
        "Links to the Police & Crime Plan",
        "Reasons why restricted",
        "Background documents",
    ]
    text = paper.text
    about = text.index(ABOUT_TITLE + " Implications")
    assert text.index("Trust Ed youth website", text.index("Contents") + 200) < about
    assert about < text.rindex(ANNEX_TITLE)
    cursor = about
    for title, body in parts:
        cursor = text.index(f"{title} {_words(body)}", cursor)
    for period in ("2015-06", "2015-09"):  # no paper parts written: none printed
        assert "Reasons why restricted" not in papers[period].text


# --- 7. the report's remaining messages -------------------------------------------------


def test_the_report_s_remaining_messages_are_in_its_paper(papers: dict) -> None:
    text = papers["2015-11"].text
    view = re.search(
        r"no current indication that they are reaching saturation point\.” Our test", text
    )
    assert view, "the report's message on saturation, with our test beside it"
    for words in (
        "Samsung devices supported by the Commissioner",
        "Roads Policing",
        "Rural Crime",
        "football supporters",
        "Online PACT meetings",
        "Traditional methods",
        "Behind Bars",
    ):
        assert words in text, words


# --- 8. a paper knows only what was known by its period's end -----------------------------


@pytest.mark.parametrize("period", PERIODS)
def test_a_paper_checks_only_what_was_stated_by_its_end(
    papers: dict, claims: pd.DataFrame, period: str
) -> None:
    paper = papers[period]
    checked = {q["check"] for q in paper.quality}
    stated = {c: str(r.date()) for c, r in zip(claims["claim"], claims["reported"], strict=True)}
    known = {c for c, day in stated.items() if day <= paper.last_day}
    assert checked & set(stated) == known
    if not known:  # June and September 2015: before the report of 18 November
        assert "2.5%" not in paper.text and "two million" not in paper.text
        assert "All 5 figures" not in paper.text  # nothing the report states is checked


@pytest.mark.parametrize("period", PERIODS)
def test_a_description_holds_only_from_when_it_is_true(papers: dict, period: str) -> None:
    intro = papers[period].pages["social"].select_one("main p")
    said = "Instagram" in intro.get_text()
    assert said == (period >= "2015-09"), intro.get_text()  # the account began in September


# --- 9. the archive shows each briefing's own latest figures ------------------------------


def _latest(paper: Paper, channel: str, metric: str) -> dict | None:
    found = [
        r
        for r in paper.headlines
        if (r["channel"], r["metric"]) == (channel, metric)
        and r["account"] == config.ALL_ACCOUNTS
        and not r.get("segment")
        and r.get("measure", "value") == "value"
        and r["start"] == r["end"] <= paper.last_day
    ]
    return max(found, key=lambda r: r["end"]) if found else None


@pytest.mark.parametrize("period", PERIODS)
def test_each_archive_row_holds_its_briefing_s_latest_figures(
    papers: dict,
    all_periods: AllPeriods,  # noqa: F811
    period: str,
) -> None:
    paper = papers[period]
    soup = BeautifulSoup((all_periods.out_dir / "index.html").read_text("utf-8"), "html.parser")
    heads = [_words(th.get_text()) for th in soup.select("table.archive-figures thead th")][1:]
    row = next(
        r
        for r in soup.select("table.archive-figures tbody tr")
        if _words(r.th.get_text()) == paper.overview["period_label"]
    )
    cells = dict(zip(heads, (_words(td.get_text(" ")) for td in row.select("td")), strict=True))
    for title, (channel, metric) in {
        "Facebook likes": ("facebook", "page_likes"),
        "Twitter followers": ("twitter", "followers"),
        "In the Know registered users": ("itk", "registered_users"),
    }.items():
        record = _latest(paper, channel, metric)
        if record is None:
            assert cells[title] == formats.MISSING
            continue
        day = pd.Timestamp(record["end"])
        assert cells[title] == f"{formats.count(record['value'])} {day.day} {day:%b %Y}", title
    point = soup.select_one(
        f"figure.trend[data-measure='facebook/page_likes'] circle[data-period='{period}']"
    )
    assert point is not None  # the chart reaches this briefing


# --- 10. layout ---------------------------------------------------------------------------


def _events(paper: Paper) -> list[tuple[str, str]]:
    """Headings (with the words after them), table captions and charts, in print order."""
    events: list[tuple[str, str]] = []
    for page in paper.overview["pages"]:
        if page["href"] == "quality.html":
            continue
        main = BeautifulSoup(str(paper.pages[page["href"].removesuffix(".html")]), "html.parser")
        main = main.select_one("main") or main
        for node in main.select(".screen-only, details, table.quality, dl.paper-facts"):
            node.decompose()
        events.append(("part", _words(f"{page['title']} {_first_words(main)}")[:60]))
        for node in main.find_all(["h2", "h3", "h4", "caption", "img"]):
            if node.name == "img":
                events.append(("chart", ""))
            elif node.name == "caption":
                events.append(("table", _words(node.get_text())[:40]))
            else:
                after = next(
                    (
                        str(t)
                        for t in node.next_elements
                        if isinstance(t, str)
                        and t.strip()
                        and node not in t.parents
                        and t.parent.name not in ("style", "script")
                    ),
                    "",
                )
                events.append(("heading", _words(f"{node.get_text()} {after}")[:60]))
    return events


def _first_words(main: Any) -> str:
    """The first words of a page after its own title (the paper prints the part's title)."""
    texts = [
        str(t)
        for t in main.find_all(string=True)
        if t.strip() and t.parent.name not in ("style", "script", "h1", "h2")
    ]
    return texts[0] if texts else ""


def _flowing(paper: Paper) -> tuple[str, list[int]]:
    """The paper's text without its running header and page numbers, and where each page starts."""
    header = _words(f"{paper.overview['force']} · Community engagement briefing")
    text, starts = "", []
    for number, page in enumerate(paper.page_texts, 1):
        words = _words(page)
        words = words.replace(f"Page {number} of {len(paper.page_texts)}", "")
        words = words.replace(header, "").replace(paper.overview["period_label"], "", 1)
        starts.append(len(text))
        text += _words(words) + " "
    return text, starts


@pytest.mark.parametrize("period", PERIODS)
def test_no_heading_ends_a_page_apart_from_its_table_or_chart(papers: dict, period: str) -> None:
    paper = papers[period]
    text, starts = _flowing(paper)

    def page_at(offset: int) -> int:
        return max(n for n, start in enumerate(starts) if start <= offset)

    charts = [n for n, page in enumerate(paper.reader.pages) for _ in _placed_images(page)]
    chart_count, cursor = 0, 0
    placed: list[tuple[str, str, int]] = []
    for kind, words in _events(paper):
        if kind == "chart":
            placed.append((kind, words, charts[chart_count]))
            cursor = max(cursor, starts[charts[chart_count]])
            chart_count += 1
            continue
        found = text.find(words, cursor)
        if found < 0:  # a heading the paper leaves out (its section is screen-only)
            continue
        if kind in ("heading", "part"):  # never the last line of a page
            said = f"{words!r} ends page {page_at(found) + 1}"  # its next words overleaf
            assert page_at(found) == page_at(found + len(words) - 1), said
        placed.append((kind, words, page_at(found)))
        cursor = found
    assert chart_count == len(charts)
    apart = []
    for i, (kind, words, page) in enumerate(placed):
        if kind != "heading":
            continue
        under = []
        for other in placed[i + 1 :]:
            if other[0] in ("heading", "part"):
                break
            under.append(other)
        if under and under[-1][2] != page:
            apart.append(f"{words!r} on page {page + 1}, its {under[-1][0]} on {under[-1][2] + 1}")
    assert not apart, apart
    assert f"Page 1 of {len(paper.page_texts)}" in paper.page_texts[0]  # page 1 is numbered


def test_the_in_the_know_chart_is_titled_by_division(papers: dict) -> None:
    for paper in papers.values():
        printed = paper.pages["itk"].select("main img")
        alts = [img["alt"] for img in printed if not img.find_parent(class_="screen-only")]
        assert alts and all("all divisions" in a and "all accounts" not in a for a in alts)


# --- 11. the report's precision ---------------------------------------------------------


@pytest.mark.parametrize("period", PERIODS)
def test_figures_keep_the_precision_they_were_stated_with(papers: dict, period: str) -> None:
    paper = papers[period]
    texts = [paper.text, *(paper.visible(name) for name in paper.pages)]
    for text in texts:
        for long_form in ("1,800,000", "4,700,000", "2,000,000", "32.50%", "26.30%"):
            assert long_form not in text
    for name, soup in paper.pages.items():
        for row in soup.select("table.flagged-checks tbody tr, table.quality tbody tr"):
            cells = [_words(td.get_text()) for td in row.select("td.num")]
            if len(cells) < 2:
                continue
            stated, computed = cells[0], cells[1]
            decimals = [len(d) for d in re.findall(r"\d\.(\d+)", stated)] or [0]
            if max(decimals) <= 1:
                assert not re.search(r"\d\.\d\d", computed), f"{name}: {stated} beside {computed}"
    if period == "2015-11":
        assert "1.8 million" in paper.text and "4.7 million" in paper.text
        assert "32.5%" in paper.visible("trusted2know")


# --- 12. plain English ------------------------------------------------------------------


@pytest.mark.parametrize("period", PERIODS)
def test_the_paper_says_findings_in_plain_english(papers: dict, period: str) -> None:
    paper = papers[period]
    text = paper.text
    assert "quality.html" not in text and "data/raw" not in text
    assert "No projection is shown" not in text
    assert "of the 5 figures" not in text and "5 of the 5" not in text
    for point in paper.overview["key_points"]:
        assert ";" not in point, point  # one finding a sentence
    assert not re.search(r"[a-z]+ followers, latest figure and", text)  # no garbled lists
    if period == "2015-11":
        assert "The most viewed page was the homepage" in text
        assert text.index("Towards round-the-clock monitoring") < text.index("M6")


# --- 13. plain nbconvert: the executed notebooks name themselves ------------------------------


@pytest.mark.parametrize("period", PERIODS)
def test_executed_notebooks_name_their_published_copy(papers: dict, period: str) -> None:
    folder = papers[period].folder
    for path in sorted((folder / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata["papermill"]["output_path"] == str(path)
        assert ".staging-" not in json.dumps(nb.metadata)
