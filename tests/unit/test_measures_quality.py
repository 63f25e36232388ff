"""The report's own percentages, totals and growth claims, recomputed from its counts."""

from __future__ import annotations

import pytest

from helpers.measures import arithmetic
from helpers.measures.quality import (
    DEPENDS_ON_DATES,
    DIFFERS,
    OK,
    check_claims,
    cross_table_checks,
    discrepancies,
    judge,
    reconcile,
)
from helpers.tidy.select import figure, snapshot_series

FEB, JUN, SEP = "2015-02-28", "2015-06-30", "2015-09-30"


def growth(tidy, channel, metric, account, first, last):
    s = snapshot_series(tidy, channel, metric, account)
    return arithmetic.pct_change(s[first], s[last])


@pytest.mark.parametrize(
    ("channel", "metric", "stated"),
    [("facebook", "page_likes", 63.1), ("twitter", "followers", 80.3)],
)
def test_twelve_month_growth(tidy, channel, metric, stated):
    assert round(growth(tidy, channel, metric, "All accounts", "2014-09-30", SEP), 1) == stated


FACEBOOK = {"Lancs Police": 20.4, "Specialist": 16.3, "West": 33.3, "South": 31.3, "Cadets": 14.3}
TWITTER = {"Lancs Police": 31.2, "Specialist": 35.5, "West": 19.5, "South": 27.6, "East": 20.7}


@pytest.mark.parametrize(("account", "stated"), FACEBOOK.items())
def test_facebook_growth_by_account_feb_to_sep(tidy, account, stated):
    assert round(growth(tidy, "facebook", "page_likes", account, FEB, SEP), 1) == stated


def test_facebook_east_growth_is_misstated_and_reconciliation_reports_it(tidy, claims):
    computed = growth(tidy, "facebook", "page_likes", "East", FEB, SEP)
    assert round(computed, 2) == 34.40  # the report says 34.5
    checks = check_claims(tidy, claims).set_index("check")
    row = checks.loc["facebook_growth_feb_sep_east"]
    assert row["status"] == DIFFERS and row["difference"] == pytest.approx(-0.105, abs=1e-3)


@pytest.mark.parametrize(("account", "stated"), TWITTER.items())
def test_twitter_growth_by_account_feb_to_sep(tidy, account, stated):
    assert round(growth(tidy, "twitter", "followers", account, FEB, SEP), 1) == stated


@pytest.mark.parametrize(
    ("account", "stated"),
    [
        ("Lancs Police", 11),
        ("Specialist", 14),
        ("West", 23),
        ("South", 23),
        ("East", 27),
        ("All accounts", 16),
    ],
)
def test_september_engagement_rates(tidy, account, stated):
    args = ("facebook",)
    reach = figure(tidy, *args, "reach", "2015-09-01", "2015-09-30", account)
    engaged = figure(tidy, *args, "engaged_users", "2015-09-01", "2015-09-30", account)
    assert round(arithmetic.engagement_rate(engaged, reach)) == stated


@pytest.mark.parametrize(
    ("account", "stated"), [("West", 14.3), ("South", 19.8), ("East", 40.2), ("All accounts", 24.4)]
)
def test_itk_growth_by_division(tidy, account, stated):
    assert round(growth(tidy, "itk", "registered_users", account, FEB, SEP), 1) == stated


def test_website_period_totals_are_the_sum_of_months(tidy, claims):
    checks = check_claims(tidy, claims).set_index("check")
    assert checks.loc["website_sessions_may_oct", "computed"] == 1_169_461
    assert checks.loc["website_pageviews_may_oct", "computed"] == 2_309_255


def test_reassembled_device_split_reproduces_the_stated_period_shares(tidy, claims):
    """The October desktop/mobile order is the one that reproduces 61.76/25.38/12.86."""
    checks = check_claims(tidy, claims).set_index("check")
    for device in ("mobile", "desktop", "tablet"):
        assert checks.loc[f"website_device_{device}_may_oct", "status"] == OK


def test_cross_table_totals_find_the_facebook_disagreement(tidy):
    checks = cross_table_checks(tidy)
    differs = checks[checks["status"] == DIFFERS]
    assert differs["check"].tolist() == ["facebook_page_likes_2015-09-30_total_vs_accounts"]
    assert differs["stated"].iloc[0] == 200_644 and differs["computed"].iloc[0] == 200_642


def test_every_discrepancy_in_the_report(tidy, claims):
    """All stated figures that differ beyond rounding, found by the code."""
    found = set(discrepancies(reconcile(tidy, claims))["check"])
    assert found == {
        "facebook_growth_feb_sep_east",
        "twitter_impressions_text_2015-09",
        "facebook_page_likes_2015-09-30_total_vs_accounts",
    }
    # claims over dates the report does not give: judged, shown, not counted as differing
    dated = reconcile(tidy, claims).set_index("check")
    assert set(dated.index[dated["status"] == DEPENDS_ON_DATES]) == {
        "twitter_monthly_growth_text",
        "facebook_engagement_rate_text",
    }
    assert (reconcile(tidy, claims)["status"] != "not computable").all()


@pytest.mark.parametrize(
    ("computed", "stated", "comparison", "decimals", "high", "status"),
    [
        (34.395, 34.4, "equal", 1, None, OK),
        (34.395, 34.5, "equal", 1, None, DIFFERS),
        (63.1, 50, "at_least", 0, None, OK),
        (4.16, 2.5, "between", 1, 3.0, DIFFERS),
        (2.7, 2.5, "between", 1, 3.0, OK),
        (2.46, 2.5, "between", 1, 3.0, OK),  # rounds into the range
        (2.4487, 2.5, "between", 1, 3.0, DIFFERS),  # 2.4
        (4_885_290, 5e6, "between", -6, 6e6, OK),  # "around 5-6m": to the million
        (1.8e6, 2e6, "at_least", 0, None, DIFFERS),
        (float("nan"), 1, "equal", 0, None, "not computable"),
    ],
)
def test_judge(computed, stated, comparison, decimals, high, status):
    assert judge(computed, stated, comparison, decimals, high)[0] == status


# --- "growing at between 2.5% and 3% per month", tested on its own counts ----------------


@pytest.mark.parametrize(
    ("channel", "metric", "expected"),
    [("facebook", "page_likes", 3.45), ("twitter", "followers", 3.61)],
)
def test_cmgr_february_to_september_2015_is_above_the_claimed_range(
    tidy, channel, metric, expected
):
    totals = snapshot_series(tidy, channel, metric)
    rate = arithmetic.cmgr(totals["2015-02-28"], totals["2015-09-30"], 7)
    assert rate == pytest.approx(expected, abs=0.005)
    assert not 2.5 <= rate <= 3.0  # the report: "between 2.5% and 3% per month"


def test_still_growing_claim_is_judged_over_the_latest_interval_and_rests_on_it(tidy, claims):
    """ "Still both growing at between 2.5% and 3% per month": the report gives no dates, so
    the claim is judged over the interval "still" speaks of, the latest of the report's
    readings (30 September to 31 October 2015), and is not counted as differing."""
    checks = check_claims(tidy, claims).set_index("check")
    for claim, rate, status in (
        ("facebook_monthly_growth_text", 2.67, OK),
        ("twitter_monthly_growth_text", 2.45, DEPENDS_ON_DATES),  # 2.4487: rounds to 2.4
    ):
        row = checks.loc[claim]
        assert (str(row["start"].date()), str(row["end"].date())) == ("2015-09-30", "2015-10-31")
        assert row["dates"] == "assumed"
        assert row["status"] == status
        assert row["computed"] == pytest.approx(rate, abs=0.005)
    found = set(discrepancies(reconcile(tidy, claims))["check"])
    assert "twitter_monthly_growth_text" not in found


def test_a_range_is_judged_as_a_range_at_its_stated_precision(tidy, claims):
    """ "Around 5-6m people each month": 4,885,290 is 4.9 million, inside "5-6m" to the
    million the report states it to."""
    row = check_claims(tidy, claims).set_index("check").loc["facebook_monthly_reach_text"]
    assert row["computed"] == 4_885_290
    assert row["status"] == OK


def test_checks_mark_channel_wide_rows_as_totals_like_every_figure_frame(tidy, claims):
    """The social page's ``checks``: "All accounts" rows are marked, not mixed in unmarked."""
    from helpers.measures.quality import QUALITY_COLUMNS, checks_for
    from helpers.tidy.periods import reporting_window

    checks = checks_for(tidy, claims, reporting_window("2015-11", None), ["facebook", "twitter"])
    assert "is_total" in QUALITY_COLUMNS and list(checks.columns) == QUALITY_COLUMNS
    assert checks["is_total"].dtype == bool
    assert (checks["is_total"] == (checks["account"] == "All accounts")).all()
    accounts = checks[~checks["is_total"]]
    assert len(accounts) and "All accounts" not in set(accounts["account"])
