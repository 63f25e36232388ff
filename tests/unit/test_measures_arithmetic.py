import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.measures import arithmetic


def test_pct_change_and_undefined():
    assert arithmetic.pct_change(123009, 200644) == pytest.approx(63.113, abs=1e-3)
    assert math.isnan(arithmetic.pct_change(0, 5))


def test_cmgr_recovers_a_constant_rate():
    assert arithmetic.cmgr(100, 100 * 1.03**7, 7) == pytest.approx(3.0)
    assert math.isnan(arithmetic.cmgr(100, 200, 0))


@given(st.floats(1, 1e6), st.floats(-0.5, 0.5), st.integers(1, 60))
def test_cmgr_inverts_compounding(first, rate, months):
    last = first * (1 + rate) ** months
    assert arithmetic.cmgr(first, last, months) == pytest.approx(rate * 100, abs=1e-6)


def test_engagement_rate_and_shares():
    assert arithmetic.engagement_rate(792191, 4885290) == pytest.approx(16.2158, abs=1e-4)
    assert math.isnan(arithmetic.engagement_rate(1, 0))
    s = arithmetic.shares(pd.Series({"a": 1, "b": 3}))
    assert s.tolist() == [25.0, 75.0]


def test_weighted_share():
    shares = pd.Series([50.0, 10.0], index=["m1", "m2"])
    weights = pd.Series([100.0, 300.0], index=["m1", "m2"])
    assert arithmetic.weighted_share(shares, weights) == pytest.approx(20.0)


def test_round_half_up():
    assert arithmetic.round_half_up(34.45, 1) == pytest.approx(34.5)
    assert arithmetic.round_half_up(2.5) == 3
