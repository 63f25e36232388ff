"""Views of the overview and data-quality pages: escaped, complete, and JSON-ready records."""

from __future__ import annotations

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from helpers.briefing.render import network_references
from helpers.present import formats, summary
from helpers.tidy.published import read_headlines, read_quality

RECORD = {
    "channel": "facebook",
    "account": "All accounts",
    "metric": "page_likes",
    "measure": "value",
    "start": "2015-09-30",
    "end": "2015-09-30",
    "value": 123456.0,
    "unit": "count",
    "segment": "",
    "label": "Page likes <all>",
}
RANGE = {
    "check": "a",
    "kind": "abs_change",
    "channel": "facebook+twitter",
    "account": "All accounts",
    "metric": "audience",
    "comparison": "between",
    "stated": 8400,
    "stated_high": 8500,
    "computed": 8439,
    "start": "2015-09-30",
    "end": "2015-10-31",
    "status": "ok",
    "quote": "q <b>",
}
BOUND = {
    "check": "b",
    "kind": "pct_change",
    "channel": "facebook",
    "account": "East",
    "metric": "page_likes",
    "comparison": "at_least",
    "stated": 50,
    "stated_high": None,
    "computed": 34.4,
    "start": "2015-02-28",
    "end": "2015-09-30",
    "status": "differs",
    "quote": "",
}


@pytest.mark.parametrize(
    ("value", "unit", "measure", "text"),
    [
        (1234567.0, "count", "value", "1,234,567"),
        (250.0, "count", "abs_change", "+250"),
        (None, "count", "value", "–"),
    ],
)
def test_headline_values_are_formatted_as_the_pages_format_them(value, unit, measure, text):
    frame = summary.headline_frame([{**RECORD, "value": value, "unit": unit, "measure": measure}])
    shown = frame["value"].tolist()
    assert shown == ([text] if measure in summary.KEY_MEASURES else [])
    assert formats.value(value, unit, measure) == text


def test_check_rows_keep_ranges_and_bounds_and_name_the_account():
    rows = summary.check_rows([RANGE, BOUND])
    assert rows[0].stated == "8,400 to 8,500"
    assert rows[0].who == "Facebook and Twitter"
    assert rows[1].stated == "at least 50%"  # as stated, no false precision
    assert rows[1].who == "Facebook, East"
    assert rows[1].flagged and rows[1].verdict == "differs"
    assert rows[1].dates == "28 February to 30 September 2015"
    assert [r.anchor for r in rows] == ["facebook", ""]  # quality.html#facebook


def test_check_rows_state_figures_as_stated_and_name_the_kind_once():
    base = {**BOUND, "account": "Lancs Police", "comparison": "equal", "status": "ok"}
    rows = summary.check_rows(
        [
            {**base, "kind": "pct_change", "stated": 20.4, "computed": 20.35},
            {**base, "kind": "engagement_rate", "metric": "engagement_rate", "stated": 11},
        ]
    )
    assert rows[0].stated == "20.4%" and rows[0].computed == "20.4%"  # the stated precision
    assert rows[1].stated == "11%"
    assert rows[1].what == "engagement rate"  # not "engagement rate: engagement rate"
    assert rows[0].what.endswith(": % change")


def test_quality_page_table_escapes_text_from_data_and_anchors_each_channel():
    html = str(summary.quality_page_table(pd.DataFrame([RANGE, BOUND])))
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.select("table.data.quality tbody tr")) == 2
    assert soup.select_one("tr#facebook") is not None
    assert soup.select("tr.flagged strong")[0].get_text() == "differs"
    assert soup.find("b") is None and "q &lt;b&gt;" in html
    assert not network_references(html)


def test_flagged_checks_list_only_the_checks_that_differ():
    soup = BeautifulSoup(str(summary.flagged_checks([RANGE, BOUND])), "html.parser")
    rows = soup.select("table.flagged-checks tbody tr")
    assert [r.th.get_text(" ") for r in rows] == ["Facebook, East Facebook page likes: % change"]
    assert summary.flagged_checks([RANGE]).data.startswith("No stated figure differs")


def test_headline_tables_one_per_channel_in_briefing_order_escaped():
    records = [
        {**RECORD, "channel": "twitter", "metric": "followers", "label": ""},
        RECORD,
        {**RECORD, "account": "East"},  # not channel-wide: on the channel page only
    ]
    frame = summary.headline_frame(records)
    assert frame["channel"].tolist() == ["facebook", "twitter"]
    html = str(summary.headline_tables(frame, "September 2015"))
    soup = BeautifulSoup(html, "html.parser")
    tables = soup.find_all("table")
    assert [t.caption.get_text() for t in tables] == [
        "Facebook: headline figures, September 2015",
        "Twitter: headline figures, September 2015",
    ]
    assert [td.get_text() for td in tables[0].find_all("td")] == [
        "Page likes <all>",
        "123,456",
        "30 September 2015",
    ]
    assert "&lt;all&gt;" in html
    empty = summary.headline_tables(summary.headline_frame([]), "September 2015")
    assert "no headline figures" in empty.data


def test_paper_facts_escape_and_say_draft_without_a_date_of_issue():
    soup = BeautifulSoup(str(summary.paper_facts("Note <the>  report.", "", "")), "html.parser")
    assert soup.select_one("dd.issued").get_text() == "Draft"
    assert soup.select_one("dd.decision").get_text() == "Note <the> report."
    assert soup.select_one("dd.contact") is None
    issued = BeautifulSoup(str(summary.paper_facts("", "2015-11-18", "Media")), "html.parser")
    assert issued.select_one("dd.issued").get_text() == "18 November 2015"
    assert issued.select_one("dd.contact").get_text() == "Media"


def test_page_links_cannot_carry_markup():
    html = str(summary.page_links([{"title": "A [b](javascript:x) <i>", "href": "a.html"}]))
    assert html == (
        '<ul class="briefings"><li><a href="a.html">A [b](javascript:x) &lt;i&gt;</a></li></ul>'
    )
    assert [p["href"] for p in summary.channel_pages(["itk", "social"])] == [
        "social.html",
        "itk.html",
    ]


def test_quality_page_link_counts_checks_and_quoted_figures():
    quoted = {**RANGE, "check": "commentary_1", "status": "quoted"}
    text = summary.quality_page_link([RANGE, BOUND, quoted]).data
    assert "(2 checks and 1 figures quoted)" in text and "(quality.html)" in text
    assert summary.quality_page_link([]) is None  # nothing to link to: the section goes


class _Notes:
    def decision(self, period):
        return "Note\n the report."

    def issued(self, period):
        return "2015-11-18" if period == "2015-11" else ""

    def contact(self, period):
        return ""

    def paper_parts(self, period):
        return [("Implications", "None.")] if period == "2015-11" else []


def test_overview_record_is_json_ready_and_hidden_behind_its_mime_type():
    record = summary.overview_record("2015-11", "November 2015", "w", _Notes(), ["a", "", "b"])
    bundle = record._repr_mimebundle_()
    assert bundle[summary.OVERVIEW_MIME] == {
        "period": "2015-11",
        "period_label": "November 2015",
        "window_label": "w",
        "key_points": ["a", "b"],
        "decision": "Note the report.",
        "issued": "2015-11-18",
        "contact": None,
        "latest": None,
        "paper_parts": [{"title": "Implications", "text": "None."}],
    }
    assert "issued 18 November 2015" in bundle["text/plain"]
    draft = summary.overview_record("2015-10", "October 2015", "w", _Notes(), [])
    assert draft.to_json()["issued"] is None


def test_quality_records_carry_iso_dates_and_no_nan():
    checks = pd.DataFrame([{**BOUND, "start": pd.Timestamp("2015-02-28"), "stated_high": None}])
    checks["stated_high"] = checks["stated_high"].astype(float)
    bundle = summary.QualityRecords(checks)._repr_mimebundle_()
    (row,) = bundle[summary.QUALITY_MIME]["records"]
    assert row["start"] == "2015-02-28" and row["stated_high"] is None
    assert bundle["text/plain"].startswith("1 stated-figure checks, 1 flagged")


def test_published_files_are_read_back_as_frames(tmp_path):
    (tmp_path / "headlines.json").write_text('[{"channel": "itk", "value": "5"}]')
    frame = read_headlines(tmp_path)
    assert frame.loc[0, "value"] == 5 and frame.loc[0, "segment"] == ""
    assert list(frame.columns)[:4] == ["channel", "account", "metric", "measure"]
    (tmp_path / "quality.json").write_text("[]")
    assert read_quality(tmp_path).empty


@pytest.mark.parametrize(
    ("text", "expected"),
    [(None, "a file that the data-quality notebook write"), ("{", "JSON"), ('{"a": 1}', "a list")],
)
def test_a_missing_or_broken_published_file_is_one_line_naming_it(tmp_path, text, expected):
    from helpers.errors import DataError

    if text is not None:
        (tmp_path / "quality.json").write_text(text)
    with pytest.raises(DataError) as caught:
        read_quality(tmp_path)
    message = str(caught.value)
    assert "quality.json" in message and expected in message and "\n" not in message


def test_a_plain_figure_is_named_by_its_metric_alone():
    rows = summary.check_rows(
        [{**BOUND, "kind": "value", "metric": "impressions", "channel": "twitter"}]
    )
    assert rows[0].what == "impressions"


def test_the_front_says_what_the_figures_reach_not_the_window():
    """A November paper whose figures reach 31 October says so; a projection does not count."""
    headlines = [
        {"measure": "value", "start": "2015-10-31", "end": "2015-10-31"},
        {"measure": "sum", "start": "2015-05-01", "end": "2015-10-31"},
        {"measure": "projection", "start": "2015-10-31", "end": "2016-04-30"},
    ]
    record = summary.overview_record("2015-11", "November 2015", "w", _Notes(), [], headlines)
    assert record.to_json()["latest"] == "2015-10-31"
    assert summary.latest_day([]) is None


def test_a_range_that_runs_on_after_the_month_is_not_what_the_figures_reach():
    """A March paper showing a year's top pages: its figures reach 31 March, not December."""
    headlines = [
        {"measure": "sum", "start": "2025-03-01", "end": "2025-03-31"},
        {"measure": "top", "start": "2025-01-01", "end": "2025-12-31"},
    ]
    assert summary.latest_day(headlines, "2025-03") == "2025-03-31"
    assert summary.latest_day(headlines) == "2025-12-31"
    # nothing else shown: the range's own end is what the figures reach
    assert summary.latest_day(headlines[1:], "2025-03") == "2025-12-31"
