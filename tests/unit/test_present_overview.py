"""The front page in words: key points, the data-quality line, the annex's notes."""

from __future__ import annotations

from helpers.present import overview


def change(channel: str, metric: str, account: str, value: float) -> dict:
    return {
        "channel": channel,
        "metric": metric,
        "account": account,
        "measure": "pct_change",
        "start": "2015-02-28",
        "end": "2015-09-30",
        "value": value,
        "unit": "percent",
        "segment": "",
    }


def test_accounts_that_outgrew_every_division_are_named_ahead_of_the_fastest_division():
    records = [
        change("twitter", "followers", "Lancs Police", 31.2),
        change("twitter", "followers", "Specialist", 35.5),
        change("twitter", "followers", "West", 19.5),
        change("twitter", "followers", "South", 27.6),
        change("twitter", "followers", "East", 20.7),
        change("twitter", "followers", "All accounts", 28.2),
        change("facebook", "page_likes", "Lancs Police", 20.4),
        change("facebook", "page_likes", "East", 34.4),
        change("facebook", "page_likes", "West", 33.3),
    ]
    assert overview.fastest_divisions(records) == ""  # a force that declares no divisions
    text = overview.fastest_divisions(records, ("West", "South", "East"))
    assert text.startswith("Fastest growth between February and September 2015:")
    twitter = text.split("on Twitter followers, ")[1]
    assert twitter.startswith("the specialist accounts (+35.5%) and Lancs Police (+31.2%)")
    assert "outgrew every division (fastest division South (+27.6%))" in twitter
    assert "on Facebook likes, East (+34.4%)" in text  # no account outgrew East
    assert "Fastest-growing division" not in text


def check(kind: str, status: str, **extra) -> dict:
    return {"check": extra.pop("check", kind), "kind": kind, "status": status, **extra}


def test_quoted_commentary_figures_are_not_counted_as_checks():
    quality = [
        check("pct_change", "ok"),
        check("pct_change", "differs"),
        check("commentary", "quoted", check="commentary_2015-11_cse_reach"),
        check("commentary", "quoted", check="commentary_2015-11_m6_post_reach"),
    ]
    assert len(overview.checked(quality)) == 2
    line = overview.quality_line(quality)
    assert line.startswith("Data quality: 1 of the 2 figures stated in the report agree")
    assert "1 differs beyond rounding" in line
    assert "2 figures in the commentary are quoted from the report" in line
    paragraph = overview.quality_paragraph(quality, [])
    assert "quoted, not checked" in paragraph
    assert "were checked against the data" not in paragraph
    assert [q["status"] for q in overview.flagged_checks(quality)] == ["differs"]


def test_growth_a_month_gives_each_channel_its_own_computed_rate():
    common = {
        "kind": "cmgr",
        "status": "differs",
        "stated": 2.5,
        "stated_high": 3.0,
        "start": "2014-09-30",
        "end": "2015-09-30",
        "account": "All accounts",
    }
    quality = [
        {**common, "check": "fb", "channel": "facebook", "metric": "page_likes", "computed": 4.16},
        {**common, "check": "tw", "channel": "twitter", "metric": "followers", "computed": 5.03},
    ]
    text = overview.quality_paragraph(quality, [])
    assert "(the counts give Facebook likes 4.2% and Twitter followers 5.0% a month)" in text


def test_each_figure_the_report_got_wrong_is_named_with_its_stated_precision():
    common = {"status": "differs", "comparison": "equal", "account": "All accounts"}
    quality = [
        {**common, "check": "a", "kind": "cross_table", "channel": "facebook",
         "metric": "page_likes", "stated": 200644.0, "computed": 200642.0},
        {**common, "check": "b", "kind": "pct_change", "channel": "facebook",
         "metric": "page_likes", "account": "East", "stated": 34.5, "computed": 34.3953},
        {**common, "check": "c", "kind": "engagement_rate", "channel": "facebook",
         "metric": "engagement_rate", "stated": 15.0, "computed": 16.2158},
        {**common, "check": "d", "kind": "value", "channel": "twitter", "metric": "impressions",
         "comparison": "at_least", "stated": 2e6, "computed": 1.8e6},
    ]  # fmt: skip
    text = overview.quality_paragraph(quality, [])
    assert (
        "the differences are small: Facebook page likes total: 200,644 stated against 200,642; "
        "Facebook page likes % change, East: 34.5% stated against 34.4%; "
        "Facebook engagement rate: 15% stated against 16.2%; "
        "Twitter impressions: at least 2,000,000 stated against 1,800,000."
    ) in text


def test_check_label_names_channel_once_and_kind_and_account():
    label = overview.check_label
    assert label({"channel": "twitter", "metric": "followers", "kind": "cmgr"}) == (
        "Twitter followers growth a month"
    )
    assert label({"channel": "facebook+twitter", "metric": "reach", "kind": "value"}) == (
        "Facebook and Twitter reach"
    )
    assert label({"channel": "itk", "metric": "registered_users", "account": "West"}) == (
        "In the Know registered users, West"
    )
    assert label({"channel": "web", "metric": "made_up_thing", "kind": "value"}) == (
        "web made up thing"
    )


def test_method_notes_explain_only_the_measures_shown():
    notes = overview.method_notes([{"measure": "per_1000"}, {"measure": "value"}])
    assert len(notes) == 2
    assert "counts twice" in notes[1]
    assert overview.method_notes([]) == []


def test_assumed_dates_are_said_beside_the_figure():
    import pandas as pd

    from helpers import config
    from helpers.ingest.report import read_date_assumptions
    from helpers.present import points

    assumptions = read_date_assumptions(config.REPORT_DIR)
    forms = pd.DataFrame(
        {
            "segment": ["Join us", ""],
            "measure": ["value", "sum"],
            "start": pd.to_datetime(["2015-05-01"] * 2),
            "end": pd.to_datetime(["2015-10-31"] * 2),
            "value": [4403.0, 9830.0],
            "source": ["report_2015/website_online_forms.csv:4:submissions"] * 2,
        }
    )
    note = points.date_note(forms, assumptions).data
    assert "the report says \u201cthe period 1 May \u2013 31\u201d" in note
    assert "October 2015" in note and "is assumed" in note
    stated = forms.assign(source="exports/ga/forms.csv:2:3")
    assert points.date_note(stated, assumptions) is None
    empty = forms.iloc[0:0].assign(metric=pd.Series(dtype=str))
    said = points.website_points(empty, empty, empty, forms, assumptions)
    assert said == [
        "9,830 online forms were submitted (May to October 2015, dates assumed); "
        "the most used was Join us (4,403)."
    ]
    assert "dates assumed" not in points.website_points(empty, empty, empty, stated, assumptions)[0]


def test_a_date_assumption_must_name_a_known_table(tmp_path):
    import pytest

    from helpers.errors import DataError
    from helpers.ingest.report import read_date_assumptions

    assert read_date_assumptions(tmp_path).empty
    (tmp_path / "date_assumptions.csv").write_text(
        "file,report_words,assumed,report_line\nminutes.csv,x,y,1\n", encoding="utf-8"
    )
    with pytest.raises(DataError, match=r"date_assumptions\.csv, line 2.*report table"):
        read_date_assumptions(tmp_path)
