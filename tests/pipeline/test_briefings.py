"""Execute every notebook for real periods and check the figures they publish.

The periods are those of the every-period build (:mod:`tests.pipeline.all_periods`),
made once per test run from a copy of ``data/raw`` and shared with the archive and
board-paper tests.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import config
from helpers.present import formats
from tests.pipeline.all_periods import AllPeriods, all_periods  # noqa: F401 (fixture)

pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("periods")]

PERIODS = ("2015-06", "2015-09", "2015-10", "2015-11")


def channel_pages(period: str) -> tuple[str, ...]:
    """The channel pages a run builds for a period: those whose channels have figures."""
    from helpers.tidy.coverage import pages_with_data
    from helpers.tidy.dataset import load_tidy
    from helpers.tidy.periods import reporting_window

    return pages_with_data(load_tidy(), reporting_window(period))


def pages(period: str) -> tuple[str, ...]:
    """Every page of a period but the data-quality page: the overview, then its channels."""
    return ("index", *channel_pages(period))


@pytest.fixture(scope="module")
def built(all_periods: AllPeriods) -> dict[str, Path]:  # noqa: F811
    return {p: all_periods.out_dir / p for p in PERIODS}


def headlines(folder: Path) -> list[dict]:
    return json.loads((folder / "headlines.json").read_text())


def pick(records, **where) -> list[dict]:
    return [r for r in records if all(r.get(k) == v for k, v in where.items())]


def one(records, **where) -> float:
    found = pick(records, **where)
    assert len(found) == 1, (where, found)
    return found[0]["value"]


def test_every_output_is_written(built):
    for period, folder in built.items():
        for page in pages(period):
            assert (folder / f"{page}.html").stat().st_size < 1.5 * 1024 * 1024
        for name in channel_pages(period):
            assert (folder / "notebooks" / f"{name}.ipynb").is_file()
        # a channel without figures in the window has no page
        left_out = {s.name for s in config.CHANNEL_SPECS} - set(channel_pages(period))
        for name in left_out:
            assert not (folder / f"{name}.html").exists(), (period, name)
        for name in ("headlines.json", "manifest.json", "quality.json"):
            json.loads((folder / name).read_text())
        for record in headlines(folder):
            assert {"channel", "account", "metric", "start", "end", "value", "unit"} <= set(record)


def test_2015_09_twelve_month_growth(built):
    h = headlines(built["2015-09"])
    kw = {
        "account": "All accounts",
        "measure": "yoy_pct_change",
        "start": "2014-09-30",
        "end": "2015-09-30",
    }
    assert round(one(h, channel="facebook", metric="page_likes", **kw), 1) == 63.1
    assert round(one(h, channel="twitter", metric="followers", **kw), 1) == 80.3


# The report's "% Feb to Sep" columns; Facebook East is 34.4 from the counts (stated 34.5).
FEB_SEP = {
    "facebook": {
        "Lancs Police": 20.4,
        "Specialist": 16.3,
        "West": 33.3,
        "South": 31.3,
        "East": 34.4,
        "Cadets": 14.3,
        "All accounts": 26.8,
    },
    "twitter": {
        "Lancs Police": 31.2,
        "Specialist": 35.5,
        "West": 19.5,
        "South": 27.6,
        "East": 20.7,
        "All accounts": 28.2,
    },
    "itk": {"West": 14.3, "South": 19.8, "East": 40.2, "All accounts": 24.4},
}


@pytest.mark.parametrize("channel", sorted(FEB_SEP))
def test_2015_09_growth_february_to_september(built, channel):
    h = headlines(built["2015-09"])
    for account, stated in FEB_SEP[channel].items():
        value = one(
            h,
            channel=channel,
            account=account,
            measure="pct_change",
            start="2015-02-28",
            end="2015-09-30",
        )
        assert round(value, 1) == stated, account


def test_2015_09_engagement_rates(built):
    h = headlines(built["2015-09"])
    stated = {
        "Lancs Police": 11,
        "Specialist": 14,
        "West": 23,
        "South": 23,
        "East": 27,
        "All accounts": 16,
    }
    for account, rate in stated.items():
        assert round(one(h, channel="facebook", account=account, metric="engagement_rate")) == rate


def test_2015_10_website_six_months(built):
    h = headlines(built["2015-10"])
    kw = {"channel": "website", "start": "2015-05-01", "end": "2015-10-31"}
    assert one(h, metric="sessions", measure="sum", **kw) == 1_169_461
    assert one(h, metric="pageviews", measure="sum", **kw) == 2_309_255
    assert one(h, metric="users", measure="value", **kw) == 724_650  # stated, not a sum


def test_2015_06_uses_only_data_up_to_june(built):
    h = headlines(built["2015-06"])
    assert all(r["end"] <= "2015-06-30" for r in h)
    growth = one(
        h, channel="facebook", account="All accounts", measure="pct_change", metric="page_likes"
    )
    # first figure in the window July 2014 - June 2015 is the September 2014 total
    assert round(growth, 1) == round((181_007 / 123_009 - 1) * 100, 1)
    kw = {"channel": "website", "metric": "sessions", "measure": "sum", "start": "2015-05-01"}
    assert one(h, end="2015-06-30", **kw) == 102_219 + 135_177
    # Trust Ed's figures are of May to October 2015: no page, and the overview says why
    assert not (built["2015-06"] / "trusted2know.html").exists()
    overview = " ".join(
        BeautifulSoup((built["2015-06"] / "index.html").read_text(), "html.parser")
        .get_text(" ")
        .split()
    )
    assert (
        "This briefing does not cover Trust Ed youth website: the data hold no figures for it "
        "in July 2014 to June 2015." in overview
    )


def test_missing_months_are_said_not_interpolated(built):
    text = BeautifulSoup((built["2015-09"] / "social.html").read_text(), "html.parser").get_text(
        " "
    )
    assert (
        "There are no Facebook likes figures by account for March, April, May, July and "
        "August 2015; nothing is filled in" in " ".join(text.split())
    )
    assert "Facebook likes (all accounts) grew by 26.8% between February and September 2015" in text


@pytest.mark.parametrize("period", PERIODS)
def test_html_is_offline_codeless_and_described(built, period):
    for page in pages(period):
        soup = BeautifulSoup((built[period] / f"{page}.html").read_text(), "html.parser")
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for el in soup.find_all(tag):
                assert not str(el.get(attr, "")).startswith(("http://", "https://", "//")), el
        assert not soup.select(".jp-InputArea, .input_area, .jp-CodeMirrorEditor"), page
        assert "open_period(" not in soup.get_text()
        for img in soup.find_all("img"):
            assert img.get("alt", "").strip(), (page, str(img)[:120])
        assert len(soup.find_all("h1")) == 1


# --- what the Commissioner reads (issue: briefings that brief) ------------------------------

INTERNALS = ("tidy.parquet", "parameters cell", ".csv not found", "AICc", "^(1/", "headlines.json")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_TOKEN = re.compile(r"(?<![\w.,/])[+-]?\d[\d,]*(?:\.\d+)?(?![\w/])")


def reader_text(html: str) -> str:
    """The page's main text as a reader sees it first: without the collapsed method part."""
    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main")
    for part in main.select("details.method"):
        part.decompose()
    return " ".join(main.get_text(" ").split())


def blocks(main) -> list[tuple[str, int]]:
    """Headings and content of a page in reading order: ("h", level) or ("c", 0)."""
    out = []
    for el in main.find_all(True):
        if re.fullmatch(r"h[2-6]", el.name):
            out.append(("h", int(el.name[1])))
        elif el.name in {"img", "table", "svg"} or (
            el.name in {"p", "li"}
            and el.get_text(strip=True)
            and not el.find_parent(re.compile("h[2-6]"))
        ):
            out.append(("c", 0))
    return out


@pytest.mark.parametrize("period", PERIODS)
def test_no_section_is_empty(built, period):
    for page in channel_pages(period):
        main = BeautifulSoup((built[period] / f"{page}.html").read_text(), "html.parser").main
        items = blocks(main)
        for i, (kind, level) in enumerate(items):
            if kind != "h":
                continue
            following = items[i + 1 :]
            nxt = next(((k, lv) for k, lv in following if k == "c" or lv <= level), None)
            assert nxt is not None and nxt[0] == "c", (period, page, i, str(main)[:0])


@pytest.mark.parametrize("period", PERIODS)
def test_no_pipeline_internals_outside_the_method_part(built, period):
    for page in pages(period):
        text = reader_text((built[period] / f"{page}.html").read_text())
        for word in INTERNALS:
            assert word not in text, (period, page, word)
        assert "\u00b6" not in text  # no pilcrow anchors after headings


def test_2015_10_key_points_carry_the_reports_main_messages(built):
    soup = BeautifulSoup((built["2015-10"] / "index.html").read_text(), "html.parser")
    points = " ".join(li.get_text(" ") for li in soup.select("ul.key-points li"))
    points = " ".join(points.split())
    assert "Facebook likes grew by 63.1%" in points
    assert "Twitter followers by 80.3%" in points
    # one key point an audience, one finding a sentence
    assert "Facebook likes grew fastest in East (+34.4%)" in points
    assert "In the Know registered users grew fastest in East (+40.2%)" in points
    # the accounts that outgrew every division on Twitter are named first
    assert "Twitter followers grew fastest on the specialist accounts (+35.5%) and Lancs" in points
    assert "The fastest division was South (+27.6%)." in points
    assert "latest figures, 30 September 2015" in points
    assert "23%–27%" in points and "11%" in points


def test_seed_figures_no_period_could_show_appear_with_their_dates(built):
    text = " ".join(
        reader_text((built["2015-11"] / f"{p}.html").read_text()) for p in channel_pages("2015-11")
    )
    assert "Date Followers 18 November 2015 651" in text  # one header row
    assert "more than 1,300 18 November 2015" in text
    assert "125,000 1 November to 18 November 2015" in text
    assert "nearly 3,000 as reported on 18 November 2015 (not dated in the report)" in text
    assert "March to" not in text  # no window the report does not state
    for period in ("2015-09", "2015-10"):  # nothing dated after the period
        later = " ".join(
            reader_text((built[period] / f"{p}.html").read_text()) for p in channel_pages(period)
        )
        assert "November 2015" not in later, period


def test_per_resident_itk_matches_counts_over_census(built):
    import pandas as pd

    counts = pd.read_csv(config.REPORT_DIR / "itk_registered_users_by_division.csv")
    census = pd.read_csv(config.REFERENCE_DIR / "census_2011_usual_residents.csv")
    residents = census.groupby("division")["usual_residents"].sum()
    h = headlines(built["2015-09"])
    for _, row in counts.iterrows():
        division = config.canonical_account(row.iloc[0])
        expected = float(str(row.iloc[-1]).replace(",", "")) / residents[division] * 1000
        value = one(h, channel="itk", account=division, measure="per_1000", end="2015-09-30")
        assert value == pytest.approx(expected), division
    # West: 7,165 / 463,946 x 1,000 = 15.44 (worked by hand)
    assert round(one(h, channel="itk", account="West", measure="per_1000"), 2) == 15.44


def _shown_forms(records: list[dict]) -> set[str]:
    out: set[str] = set()
    for r in records:
        if r["value"] is None:
            continue
        v = abs(r["value"])
        out |= {f"{v:,.0f}", f"{v:,.1f}", f"{v:,.2f}", f"{v:.0f}", f"{v:.1f}", f"{v:.2f}"}
        if formats.in_millions(v):  # "1.8 million": a count stated in millions
            out |= {f"{v / 1e6:,.1f}", f"{v / 1e6:,.0f}"}
    return out


@pytest.mark.parametrize("period", PERIODS)
def test_every_number_shown_is_in_headlines(built, period):
    forms = _shown_forms(headlines(built[period]))
    for page in pages(period):
        soup = BeautifulSoup((built[period] / f"{page}.html").read_text(), "html.parser")
        main = soup.main
        for part in main.select(
            "details.method, section[aria-labelledby=quality-heading], p.quality-line"
        ):
            part.decompose()  # the method part, and the quality summaries (quality.json)
        text = " ".join(main.get_text(" ").split())
        for m in _TOKEN.finditer(text):
            token = m.group(0).lstrip("+-").rstrip(",")
            after = text[m.end() : m.end() + 14]
            if re.fullmatch(r"(19|20)\d\d", token) or re.match(rf"\s*({_MONTHS})\b", after):
                continue  # a year or a day of a date
            if token in {"12", "1,000"} and re.match(r"\s*(months?|residents)\b", after):
                continue  # "12 months", "per 1,000 residents"
            context = text[max(0, m.start() - 60) : m.end() + 20]
            assert token.rstrip("%") in forms, (period, page, token, context)


def test_the_measure_behind_a_table_gives_the_published_figures(built):
    from helpers import measures
    from helpers.config import Channel, Metric
    from helpers.tidy.inputs import open_period

    inputs = open_period("2015-09")
    likes = measures.audience(inputs.tidy, inputs.window, Channel.FACEBOOK, Metric.PAGE_LIKES)
    mine = {
        (r.account, r.end.strftime("%Y-%m-%d")): r.value
        for r in likes[likes["in_window"].astype(bool)].itertuples()
    }
    published = {
        (r["account"], r["end"]): r["value"]
        for r in headlines(built["2015-09"])
        if (r["channel"], r["metric"], r["measure"]) == ("facebook", "page_likes", "value")
    }
    assert mine == published
    assert mine[("Lancs Police", "2015-09-30")] == 61_462


@pytest.mark.parametrize("period", PERIODS)
def test_a_page_that_quotes_campaign_figures_never_says_there_are_none(built, period):
    from helpers.present import formats
    from helpers.tidy.dataset import load_commentary

    figures = load_commentary().for_period(period).figures
    quoted = [formats.count(v) for v in figures[figures["segment"] != ""]["value"]]
    for page in channel_pages(period):
        text = reader_text((built[period] / f"{page}.html").read_text())
        notes = re.findall(r"Not in this briefing:[^.]*", text)
        if any(number in text for number in quoted):
            assert not any("campaign or operational figures" in n for n in notes), (page, notes)
