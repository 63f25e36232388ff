"""The report's own percentages, totals and growth claims, recomputed from its counts."""

from __future__ import annotations

import pytest

from helpers.measures import arithmetic
from helpers.measures.quality import (
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
        "facebook_monthly_growth_text",
        "twitter_monthly_growth_text",
        "twitter_lancs_police_monthly_growth_text",
        "facebook_monthly_reach_text",
        "facebook_engagement_rate_text",
        "twitter_impressions_text_2015-09",
        "facebook_page_likes_2015-09-30_total_vs_accounts",
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


def test_twelve_month_rate_claim_is_flagged(tidy, claims):
    checks = check_claims(tidy, claims).set_index("check")
    for claim, rate in (
        ("facebook_monthly_growth_text", 4.16),
        ("twitter_monthly_growth_text", 5.03),
    ):
        assert checks.loc[claim, "status"] == DIFFERS
        assert checks.loc[claim, "computed"] == pytest.approx(rate, abs=0.005)
