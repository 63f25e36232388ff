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
    """One key point per audience, one finding per sentence."""
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
    assert overview.fastest_divisions(records) == []  # a force that declares no divisions
    points = overview.fastest_divisions(records, ("West", "South", "East"))
    assert (
        points[0]
        == "Facebook likes grew fastest in East (+34.4%) between February and September 2015."
    )
    assert points[1] == (
        "Twitter followers grew fastest on the specialist accounts (+35.5%) and Lancs Police "
        "(+31.2%) between February and September 2015, ahead of every division. "
        "The fastest division was South (+27.6%)."
    )
    for point in points:  # one finding a sentence: no run-on lists of channels
        assert ";" not in point and point.count("(") <= 3


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
    assert line == (
        "Data quality: 1 of the 2 stated figures agrees with the data; "
        "1 differs beyond rounding (listed in the annex)."
    )
    paragraph = overview.quality_paragraph(quality)
    assert "quoted, not checked" in paragraph
    assert "were checked against the data" not in paragraph
    assert [q["status"] for q in overview.flagged_checks(quality)] == ["differs"]


STILL_GROWING = "Facebook and twitter still both growing at between 2.5% and 3% per month"


def test_a_claim_resting_on_dates_is_shown_over_them_and_not_counted_as_differing():
    common = {
        "kind": "cmgr",
        "comparison": "between",
        "dates": "assumed",
        "stated": 2.5,
        "stated_high": 3.0,
        "start": "2015-09-30",
        "end": "2015-10-31",
        "account": "All accounts",
        "quote": STILL_GROWING,
    }
    quality = [
        {**common, "check": "fb", "channel": "facebook", "metric": "page_likes",
         "computed": 2.665, "status": "ok"},
        {**common, "check": "tw", "channel": "twitter", "metric": "followers",
         "computed": 2.4487, "status": "depends on the dates"},
        {"check": "itk", "kind": "pct_change", "channel": "itk", "metric": "registered_users",
         "status": "ok", "stated": 24.4, "computed": 24.41},
    ]  # fmt: skip
    text = overview.quality_paragraph(quality)
    assert "over 30 September to 31 October 2015" in text
    assert "Facebook page likes growth a month 2.7%, which agrees" in text
    assert "Twitter followers growth a month 2.4%" in text
    assert "In the Know" not in text  # no unrelated figure
    assert "2 of 3 stated figures agree with the tables they come from" in text
    line = overview.quality_line(quality)
    assert "differ" not in line.replace("different", "")
    assert "one rests on dates the report does not give (listed in the annex)" in line
    assert overview.flagged_checks(quality) == []


def test_all_agreeing_and_none_stated_are_said_in_plain_words():
    agree = [{"check": c, "kind": "pct_change", "status": "ok"} for c in "abcde"]
    assert overview.quality_line(agree) == (
        "Data quality: All five stated figures agree with the data."
    )
    assert overview.quality_paragraph(agree) == (
        "All five stated figures agree with the tables they come from."
    )
    assert overview.quality_line([]).startswith("No report had stated figures")


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
    text = overview.quality_paragraph(quality)
    assert (
        "the differences are small: Facebook page likes total: 200,644 stated against 200,642; "
        "Facebook page likes % change, East: 34.5% stated against 34.4%; "
        "Facebook engagement rate: 15% stated against 16%; "
        "Twitter impressions: at least 2 million stated against 1.8 million."
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
