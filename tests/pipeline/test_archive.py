"""The archive ``outputs/index.html``: every period built, the latest marked, charts from headlines.

The first tests write small period folders by hand (no kernels); the others use
every period of the embedded data built once per test process
(:mod:`tests.pipeline.all_periods`) and open the archive in Chromium offline with
axe-core, as the browser tests do with the briefings.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from helpers import config
from helpers.briefing.archive import build_archive
from helpers.briefing.plan import available_periods
from helpers.tidy.dataset import load_tidy, paper_periods
from tests.browser.conftest import browser_context, playwright_session  # noqa: F401 (fixtures)
from tests.browser.pages import heading_problems, inspect_page
from tests.pipeline.all_periods import AllPeriods, all_periods  # noqa: F401 (a fixture)

#: The measures the archive charts: channel, metric, and whether it is a level on a day.
CHARTED = {
    ("facebook", "page_likes"): True,
    ("twitter", "followers"): True,
    ("instagram", "followers"): True,
    ("youtube", "subscribers"): True,
    ("itk", "registered_users"): True,
    ("website", "sessions"): False,
}


# --- hand-written period folders ---------------------------------------------------


def _record(channel: str, metric: str, day: str, value: float, **extra: Any) -> dict:
    account = config.WEBSITE_ACCOUNT if channel == "website" else config.ALL_ACCOUNTS
    return {
        "channel": channel,
        "account": account,
        "metric": metric,
        "measure": "value",
        "start": extra.pop("start", day),
        "end": day,
        "value": value,
        "unit": "count",
        "segment": "",
        **extra,
    }


def write_period(
    out: Path,
    period: str,
    records: list[dict],
    key_points: list[str],
    pdf: bool = False,
    issued: str | None = "2015-11-02",
) -> Path:
    """A published period folder with the files the archive reads (``issued`` None: Draft)."""
    month = pd.Period(period, freq="M")
    folder = out / period
    folder.mkdir(parents=True)
    (folder / "index.html").write_text("<!DOCTYPE html><title>x</title>")
    overview = {
        "period": period,
        "period_label": month.strftime("%B %Y"),
        "window_label": f"{(month - 11).strftime('%B %Y')} to {month.strftime('%B %Y')}",
        "key_points": key_points,
        "pages": [{"href": "index.html", "title": "Overview"}],
        "decision": None,
        "issued": issued,
    }
    (folder / "overview.json").write_text(json.dumps(overview))
    (folder / "headlines.json").write_text(json.dumps(records))
    if pdf:
        (folder / "briefing.pdf").write_bytes(b"%PDF-1.4\n")
    return folder


def _last_day(period: str) -> str:
    return str(pd.Period(period, freq="M").end_time.date())


@pytest.fixture
def small_archive(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    likes = {"2015-06": 181007.0, "2015-08": None, "2015-09": 200644.0}
    for period, value in likes.items():
        records = [_record("itk", "registered_users", _last_day(period), 20000.0)]
        if value is not None:
            records.append(_record("facebook", "page_likes", _last_day(period), value))
            # a figure over a longer span is not the month's figure: never charted
            records.append(
                _record("website", "sessions", _last_day(period), 9e9, start="2015-01-01")
            )
        write_period(out, period, records, [f"Key point of {period}."], pdf=period == "2015-09")
    return out


def _soup(out: Path) -> BeautifulSoup:
    return BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_lists_every_period_newest_first_and_marks_the_latest(small_archive: Path) -> None:
    assert build_archive(small_archive) == small_archive / "index.html"
    soup = _soup(small_archive)
    listed = [li["data-period"] for li in soup.select("ol.periods > li")]
    assert listed == ["2015-09", "2015-08", "2015-06"]
    assert soup.select_one("section.latest")["data-period"] == "2015-09"
    assert [li["data-period"] for li in soup.select("li.is-latest")] == ["2015-09"]
    assert soup.select_one("section.latest a[href='2015-09/briefing.pdf']") is not None
    assert soup.select_one("a[href='2015-06/briefing.pdf']") is None
    assert "Key point of 2015-08." in soup.select_one("li[data-period='2015-08']").get_text()


def test_chart_points_are_the_periods_headline_values(small_archive: Path) -> None:
    build_archive(small_archive)
    soup = _soup(small_archive)
    likes = soup.select_one("figure.trend[data-measure='facebook/page_likes']")
    points = {c["data-period"]: float(c["data-value"]) for c in likes.select("circle")}
    assert points == {"2015-06": 181007.0, "2015-09": 200644.0}  # 2015-08 has none: a gap
    assert len(likes.select("polyline")) == 0  # no two neighbouring periods both have it
    assert soup.select_one("figure.trend[data-measure='website/sessions']") is None


def test_rewritten_only_when_what_it_shows_changes(small_archive: Path) -> None:
    assert build_archive(small_archive) is not None
    assert build_archive(small_archive) is None  # nothing changed
    (small_archive / "2015-06" / "briefing.pdf").write_bytes(b"%PDF-1.4\n")
    assert build_archive(small_archive) is not None
    shutil.rmtree(small_archive / "2015-08")
    assert build_archive(small_archive) is not None
    listed = [li["data-period"] for li in _soup(small_archive).select("ol.periods > li")]
    assert listed == ["2015-09", "2015-06"]
    assert sorted(p.name for p in small_archive.iterdir()) == ["2015-06", "2015-09", "index.html"]


def test_folders_that_are_not_complete_periods_are_left_out(small_archive: Path) -> None:
    (small_archive / "2015-06" / "overview.json").unlink()
    (small_archive / ".staging-2015-10-abcd").mkdir()
    (small_archive / ".failed" / "2015-10").mkdir(parents=True)
    build_archive(small_archive)
    listed = [li["data-period"] for li in _soup(small_archive).select("ol.periods > li")]
    assert listed == ["2015-09", "2015-08"]


def test_key_points_are_text_never_markup(tmp_path: Path) -> None:
    out = tmp_path / "out"
    hostile = '<script>window.__pwned=1</script><img src=x onerror="alert(1)">'
    write_period(out, "2015-09", [], [hostile])
    build_archive(out)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "<img" not in html
    assert hostile in _soup(out).get_text()


def test_every_figure_carries_its_own_date(tmp_path: Path) -> None:
    """Instagram's 651 is the figure of 18 November, not of the end of the month."""
    out = tmp_path / "out"
    write_period(out, "2015-10", [_record("instagram", "followers", "2015-10-31", 500.0)], [])
    write_period(out, "2015-11", [_record("instagram", "followers", "2015-11-18", 651.0)], [])
    build_archive(out)
    soup = _soup(out)
    caption = soup.select_one("figure.trend[data-measure='instagram/followers'] figcaption")
    text = " ".join(caption.get_text().split())
    assert "500 on 31 October 2015, 651 on 18 November 2015" in text
    assert "end of each briefing's month" not in text
    points = soup.select("figure.trend[data-measure='instagram/followers'] circle title")
    assert [p.get_text() for p in points][-1] == "November 2015 briefing: 651 on 18 November 2015"
    cells = {
        row.th.get_text(): row.td.get_text(" ", strip=True)
        for row in soup.select("table.archive-figures tbody tr")
    }
    assert cells == {"November 2015": "651 18 Nov 2015", "October 2015": "500 31 Oct 2015"}


def test_each_row_holds_the_latest_figures_its_briefing_shows(tmp_path: Path) -> None:
    """A November paper whose counts were last taken on 31 October shows those, dated."""
    out = tmp_path / "out"
    write_period(out, "2015-10", [_record("facebook", "page_likes", "2015-10-31", 205992.0)], [])
    write_period(
        out,
        "2015-11",
        [
            _record("facebook", "page_likes", "2015-09-30", 200644.0),
            _record("facebook", "page_likes", "2015-10-31", 205992.0),
            _record("instagram", "followers", "2015-11-18", 651.0),
            _record("website", "sessions", "2015-10-31", 230242.0, start="2015-10-01"),
            _record("website", "sessions", "2015-10-31", 9e9, start="2015-05-01"),  # six months
        ],
        [],
    )
    build_archive(out)
    soup = _soup(out)
    row = next(
        r
        for r in soup.select("table.archive-figures tbody tr")
        if r.th.get_text() == "November 2015"
    )
    cells = [td.get_text(" ", strip=True) for td in row.select("td")]
    assert "205,992 31 Oct 2015" in cells
    assert "651 18 Nov 2015" in cells
    assert "230,242 Oct 2015" in cells  # the latest month, never the six months' sum
    likes = soup.select_one("figure.trend[data-measure='facebook/page_likes']")
    points = {c["data-period"]: float(c["data-value"]) for c in likes.select("circle")}
    assert points == {"2015-10": 205992.0, "2015-11": 205992.0}  # the chart reaches November


def test_figures_of_different_definitions_are_not_joined(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_period(out, "2015-09", [_record("itk", "registered_users", "2015-09-30", 23224.0)], [])
    write_period(
        out,
        "2015-10",
        [_record("itk", "registered_users", "2015-10-31", 23.7, unit="thousands")],
        [],
    )
    build_archive(out)
    figure = _soup(out).select_one("figure.trend[data-measure='itk/registered_users']")
    assert len(figure.select("circle")) == 2
    assert figure.select("polyline") == []


def test_chart_axes_start_at_zero_so_slopes_are_in_proportion(tmp_path: Path) -> None:
    """23,224 to 23,655 users (+1.9%) is a nearly flat line, not a climb across the chart."""
    out = tmp_path / "out"
    for day, users in (("2015-09-30", 23224.0), ("2015-10-31", 23655.0)):
        write_period(out, day[:7], [_record("itk", "registered_users", day, users)], [])
    build_archive(out)
    figure = _soup(out).select_one("figure.trend[data-measure='itk/registered_users']")
    baseline = float(figure.select_one("line.axis")["y1"])
    ticks = {t.get_text(): float(t["y"]) for t in figure.select("text.tick[dominant-baseline]")}
    assert ticks["0"] == baseline  # the value axis starts at zero, on the x-axis line
    first, last = (float(c["cy"]) for c in figure.select("circle"))
    height = baseline - ticks["23,655"]
    assert first - last == pytest.approx(height * (23655 - 23224) / 23655, abs=0.2)
    assert (first - last) / height < 0.05


def test_each_period_shows_its_date_of_issue_or_draft(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_period(out, "2015-10", [], ["Issued point."], issued="2015-11-24")
    write_period(out, "2015-11", [], ["Draft point."], issued=None)
    build_archive(out)
    soup = _soup(out)
    said = {
        li["data-period"]: li.select_one("p.window").get_text()
        for li in soup.select("ol.periods > li")
    }
    assert said["2015-10"].endswith("Issued 24 November 2015.")
    assert said["2015-11"].endswith("Draft: no date of issue set.")
    assert "None" not in soup.get_text()
    assert "Draft" in soup.select_one("section.latest p.window").get_text()


# --- every period of the embedded data ----------------------------------------------


def _headline_record(folder: Path, channel: str, metric: str, snapshot: bool) -> dict | None:
    """The latest channel-wide figure the period's briefing shows (its headlines.json)."""
    last = str(pd.Period(folder.name, freq="M").end_time.date())
    records = json.loads((folder / "headlines.json").read_text(encoding="utf-8"))

    def one_month(r: dict) -> bool:
        first, end = pd.Timestamp(r["start"]), pd.Timestamp(r["end"])
        return first.is_month_start and end.is_month_end and first.month == end.month

    found = [
        r
        for r in records
        if r["channel"] == channel
        and r["metric"] == metric
        and r["account"] in {config.ALL_ACCOUNTS, config.WEBSITE_ACCOUNT}
        and not r.get("segment")
        and r.get("measure", "value") == "value"
        and r["end"] <= last
        and ((snapshot and r["start"] == r["end"]) or (not snapshot and one_month(r)))
    ]
    return max(found, key=lambda r: r["end"]) if found else None


def _headline_value(folder: Path, channel: str, metric: str, snapshot: bool) -> float | None:
    record = _headline_record(folder, channel, metric, snapshot)
    return record["value"] if record else None


@pytest.mark.pipeline
@pytest.mark.xdist_group("periods")
def test_archive_links_every_period_built(all_periods: AllPeriods) -> None:  # noqa: F811
    out = all_periods.out_dir
    expected = available_periods(
        load_tidy(all_periods.data_dir), paper_periods(all_periods.data_dir)
    )
    built = sorted(p.name for p in out.iterdir() if (p / "overview.json").is_file())
    assert built == expected
    soup = _soup(out)
    assert [li["data-period"] for li in soup.select("ol.periods > li")] == expected[::-1]
    for period in expected:
        item = soup.select_one(f"ol.periods > li[data-period='{period}']")
        overview = json.loads((out / period / "overview.json").read_text(encoding="utf-8"))
        hrefs = [a["href"] for a in item.select("ul.pages a")]
        assert hrefs[: len(overview["pages"])] == [
            f"{period}/{p['href']}" for p in overview["pages"]
        ]
        for href in hrefs:
            assert (out / href).is_file(), f"the archive links {href}, which does not exist"
        for point in overview["key_points"]:
            assert point in item.get_text()


@pytest.mark.pipeline
@pytest.mark.xdist_group("periods")
def test_archive_marks_the_latest(all_periods: AllPeriods) -> None:  # noqa: F811
    latest = available_periods(
        load_tidy(all_periods.data_dir), paper_periods(all_periods.data_dir)
    )[-1]
    soup = _soup(all_periods.out_dir)
    section = soup.select_one("section.latest")
    assert section["data-period"] == latest
    assert section.select_one(f"a[href='{latest}/index.html']") is not None
    assert "Latest briefing" in section.get_text()
    assert [li["data-period"] for li in soup.select("li.is-latest")] == [latest]


@pytest.mark.pipeline
@pytest.mark.xdist_group("periods")
def test_archive_charts_are_drawn_from_headlines_json(all_periods: AllPeriods) -> None:  # noqa: F811
    out = all_periods.out_dir
    soup = _soup(out)
    periods = sorted(p.name for p in out.iterdir() if (p / "headlines.json").is_file())
    drawn = 0
    for (channel, metric), snapshot in CHARTED.items():
        expected = {
            p: v
            for p in periods
            if (v := _headline_value(out / p, channel, metric, snapshot)) is not None
        }
        figure = soup.select_one(f"figure.trend[data-measure='{channel}/{metric}']")
        if not expected:
            assert figure is None, f"a chart of {channel}/{metric}, which no period has"
            continue
        points = {c["data-period"]: float(c["data-value"]) for c in figure.select("circle")}
        assert points == expected
        assert figure.select_one("svg[role='img']") is not None
        drawn += 1
    assert drawn >= 4  # likes, followers, ITK users and sessions at least


@pytest.mark.pipeline
@pytest.mark.xdist_group("periods")
def test_archive_shows_what_headlines_json_says(all_periods: AllPeriods, tmp_path: Path) -> None:  # noqa: F811
    """Change a published figure: the rebuilt archive shows it (nothing is recomputed)."""
    out = tmp_path / "out"
    shutil.copytree(all_periods.out_dir, out)
    path = out / "2015-09" / "headlines.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    target = next(
        r
        for r in records
        if (r["channel"], r["metric"], r["account"]) == ("twitter", "followers", "All accounts")
        and r.get("measure", "value") == "value"
        and r["end"] == "2015-09-30"
        and not r.get("segment")
    )
    target["value"] = 123456.0
    path.write_text(json.dumps(records), encoding="utf-8")
    assert build_archive(out) is not None
    point = _soup(out).select_one(
        "figure.trend[data-measure='twitter/followers'] circle[data-period='2015-09']"
    )
    assert float(point["data-value"]) == 123456.0


@pytest.mark.pipeline
@pytest.mark.browser
@pytest.mark.xdist_group("periods")
def test_archive_works_offline_and_passes_axe(
    all_periods: AllPeriods,  # noqa: F811
    browser_context: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    report = inspect_page(browser_context, all_periods.out_dir / "index.html", tmp_path / "a.png")
    assert report.requests, "the archive was not requested at all"
    assert report.blocked == [], f"the archive tried to load {report.blocked}"
    assert report.console_errors == []
    assert report.facts["scripts"] == []
    assert heading_problems(report.headings) == []
    assert report.failing() == [], [(v["id"], v["help"]) for v in report.failing()]
    for table in report.facts["tables"]:
        assert table["caption"] and table["columnHeaders"] > 0
