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
    digits = formats.count(value, millions=False)
    assert int(digits.replace(",", "")) == value
    assert re.fullmatch(r"-?\d{1,3}(,\d{3})*", digits)
    text = formats.count(value)
    if text.endswith(" million"):  # stated in millions: whole tenths of a million
        assert round(float(text.removesuffix(" million").replace(",", "")) * 1e6) == value
    else:
        assert text == digits


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1_800_000, "1.8 million"),
        (4_700_000, "4.7 million"),
        (2_000_000, "2 million"),
        (4_885_290, "4,885,290"),
        (1_169_461, "1,169,461"),
        (900_000, "900,000"),
    ],
)
def test_a_count_stated_in_millions_keeps_that_precision(value, text):
    assert formats.count(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(32.5, "32.5%"), (26.3, "26.3%"), (40.47, "40.47%"), (61.7612, "61.76%"), (15.0, "15%")],
)
def test_a_share_keeps_the_decimals_it_was_stated_with(value, text):
    assert formats.share(value) == text


@pytest.mark.parametrize(
    ("check", "text"),
    [
        ({"kind": "pct_change", "stated": 34.5, "computed": 34.3953}, "34.4%"),
        ({"kind": "engagement_rate", "stated": 15.0, "computed": 16.2158}, "16%"),
        ({"kind": "cmgr", "stated": 2.5, "stated_high": 3.0, "computed": 4.16}, "4.2%"),
        ({"kind": "weighted_share", "stated": 61.76, "computed": 61.7612}, "61.76%"),
        ({"kind": "total", "stated": 200644.0, "computed": 200642.0}, "200,642"),
        ({"kind": "value", "stated": 2e6, "computed": 1.8e6}, "1.8 million"),
        (
            {"kind": "value", "stated": 5e6, "stated_high": 6e6, "computed": 4885290.0},
            "4.9 million",
        ),
        # the same at the stated precision, yet differing: one decimal more shows why
        ({"kind": "pct_change", "stated": 50.0, "computed": 49.6, "status": "differs"}, "49.6%"),
    ],
)
def test_no_more_decimals_beside_a_stated_figure_than_it_was_stated_with(check, text):
    assert formats.computed_figure(check) == text


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
        ({"kind": "total", "stated": 5e6, "stated_high": 6e6}, "5 million to 6 million"),
        ({"kind": "total", "stated": 8400.0, "stated_high": float("nan")}, "8,400"),
        ({"kind": "total", "stated": 2e6, "comparison": "at_least"}, "at least 2 million"),
        ({"kind": "cmgr", "stated": 3.0, "comparison": "at_most"}, "at most 3%"),
        ({"kind": "total", "stated": 1.0, "comparison": "equal"}, "1"),
    ],
)
def test_stated_figure_keeps_precision_range_and_bound(check, text):
    assert formats.stated_figure(check) == text


def test_a_page_that_is_a_common_noun_is_said_as_one():
    assert formats.page_in_sentence("Homepage") == "the homepage"
    assert formats.page_in_sentence("Cadets") == "Cadets"
