"""Number formats (helpers.present.formats, the one formatter of tables, charts and text)."""

from __future__ import annotations

import re

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
