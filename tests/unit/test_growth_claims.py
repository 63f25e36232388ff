"""The report's "growing at between 2.5% and 3% per month", tested on its own counts."""

from __future__ import annotations

import pytest

from helpers.measures import arithmetic
from helpers.measures.quality import DIFFERS, check_claims
from helpers.tidy.select import snapshot_series


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
