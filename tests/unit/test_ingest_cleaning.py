import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.ingest.cleaning import clean_text, parse_number, parse_percent


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,169,461", 1169461.0),
        (" 249,500 ", 249500.0),
        ("29.0", 29.0),
        ("7", 7.0),
        ("-3", -3.0),
        (12, 12.0),
        ("\u00a01,133\u00a0", 1133.0),
    ],
)
def test_parse_number_reads_counts(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "-", "n/a", "(not set)", None, math.nan])
def test_parse_number_blank_is_none(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("text", ["12a", "1,16,9", "2.546,3", "1.2.3", "abc", "54.46%", True])
def test_parse_number_rejects_text(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "expected"), [("54.46%", 54.46), (" 0.25 % ", 0.25), (26.3, 26.3)]
)
def test_parse_percent(text, expected):
    assert parse_percent(text) == pytest.approx(expected)


def test_clean_text_collapses_whitespace():
    assert clean_text("  West \t Division\u00a0") == "West Division"
    assert clean_text(None) == ""


@given(st.integers(min_value=0, max_value=10**12))
def test_thousands_separated_round_trip(n):
    assert parse_number(f"{n:,}") == n
    assert parse_number(f"  {n}  ") == n


@given(st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda x: round(x, 2)))
def test_percent_round_trip(x):
    assert parse_percent(f"{x:.2f}%") == pytest.approx(x)


@given(st.text(alphabet=st.characters(blacklist_categories=("Nd",)), min_size=1, max_size=8))
def test_text_without_digits_is_never_a_number(text):
    try:
        value = parse_number(text)
    except ValueError:
        return
    assert value is None
