"""Number formats (helpers.present.formats, the one formatter of tables, charts and text)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.present import formats


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_format_count_round_trips(value):
    text = formats.count(value)
    assert int(text.replace(",", "")) == value
    assert re.fullmatch(r"-?\d{1,3}(,\d{3})*", text)


def test_format_percent():
    assert formats.percent(54.46) == "54.5%"
    assert formats.percent(26.8, signed=True) == "+26.8%"
    assert formats.percent(-3.25, signed=True) == "-3.2%"
    assert formats.percent(0.0, 0, signed=True) == "0%"
    assert formats.percent(-0.01, signed=True) == "0.0%"
    assert formats.percent(1234.5, 0) == "1,234%"
    assert formats.percent(float("nan")) == formats.MISSING


def test_as_stated_keeps_the_decimals_the_figure_was_stated_with():
    assert formats.as_stated(20.4, percent=True) == "20.4%"
    assert formats.as_stated(15.0, percent=True) == "15%"
    assert formats.as_stated(8400.0) == "8,400"
    assert formats.as_stated(3.5) == "3.5"
    assert formats.as_stated(None) == formats.MISSING


@pytest.mark.parametrize(
    ("check", "text"),
    [
        ({"kind": "pct_change", "stated": 15.0}, "15%"),
        ({"kind": "engagement_rate", "stated": 20.4}, "20.4%"),
        ({"kind": "total", "unit": "percent", "stated": 34.5}, "34.5%"),
        ({"kind": "total", "stated": 200644.0}, "200,644"),
        ({"kind": "total", "stated": 5e6, "stated_high": 6e6}, "5,000,000 to 6,000,000"),
        ({"kind": "total", "stated": 8400.0, "stated_high": float("nan")}, "8,400"),
        ({"kind": "total", "stated": 2e6, "comparison": "at_least"}, "at least 2,000,000"),
        ({"kind": "cmgr", "stated": 3.0, "comparison": "at_most"}, "at most 3%"),
        ({"kind": "total", "stated": 1.0, "comparison": "equal"}, "1"),
    ],
)
def test_stated_figure_keeps_precision_range_and_bound(check, text):
    assert formats.stated_figure(check) == text
