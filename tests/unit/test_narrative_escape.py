"""Text from data shows as exactly that text: ``narrative.escape`` through nbconvert's Markdown.

A sentence such as "61.76% of sessions were on a mobile device" starts with digits and
a dot: Markdown would read "61." as a list marker, and a backslash put before the
digits is printed ("\\61.76%"), since a backslash escapes punctuation only.
"""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbconvert.filters import markdown2html

from helpers import present
from helpers.present import narrative


def _shown(markdown: str) -> str:
    """The text a reader sees once nbconvert renders ``markdown`` (tags dropped)."""
    rendered = markdown2html(markdown)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", rendered)).split())


@pytest.mark.parametrize(
    "sentence",
    [
        "61.76% of sessions were on a mobile device (May to October 2015).",
        "56.74% of sessions came from social.",
        "1) first",
        "12. twelve",
        "- a dash",
        "+ a plus",
        "> a quote",
        "= underline",
        "2015-11-18 was the day.",
    ],
)
def test_a_sentence_starting_with_a_number_or_marker_shows_as_written(sentence: str) -> None:
    md = present.markdown([sentence]).data
    assert _shown(md) == sentence
    assert "\\" not in _shown(md)


_TEXT = st.text(
    alphabet=st.characters(
        whitelist_categories=("Lu", "Ll", "Nd", "Zs"),
        whitelist_characters="%.,;:()-+=>#*_[]!`~|&<'\"/?",
    ),
    min_size=1,
    max_size=40,
)


#: Text that starts the way a list marker does: digits, then a dot or bracket.
_NUMBERED = st.builds(
    lambda n, mark, rest: f"{n}{mark}{rest}",
    st.integers(0, 9999),
    st.sampled_from(".)"),
    _TEXT,
)


@settings(max_examples=300, deadline=None)
@given(_TEXT | _NUMBERED)
def test_escaped_text_renders_as_the_text_itself(text: str) -> None:
    expected = " ".join(text.split())
    if not expected:
        return
    assert _shown(narrative.escape(text)) == expected
