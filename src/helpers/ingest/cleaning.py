"""Reading numbers, percentages and text as people and platforms write them."""

from __future__ import annotations

import math
import re

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_BLANKS = {"", "-", "--", "n/a", "N/A", "(not set)"}


def clean_text(value: object) -> str:
    """Collapse stray whitespace (including non-breaking spaces) in a cell.

    Args:
        value: Any cell value; ``None`` and NaN become ``""``.

    Returns:
        The text with runs of whitespace replaced by one space, trimmed.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return " ".join(str(value).replace("\ufeff", "").split())


def parse_number(value: object) -> float | None:
    """Parse a count such as ``"1,169,461"``, ``" 249,500 "``, ``"29.0"`` or ``7``.

    Thousands commas must be in the right places (``"1,16,9"`` is rejected), so a
    European decimal comma is never misread as a thousands separator.

    Args:
        value: The cell as read from a file.

    Returns:
        The number, or ``None`` for an empty cell, ``-`` or ``n/a``.

    Raises:
        ValueError: If the text is not a number.
    """
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        return float(value)
    text = clean_text(value).replace("\u2212", "-")
    if text in _BLANKS:
        return None
    if not _NUMBER.match(text):
        raise ValueError(f"not a number: {text!r}")
    return float(text.replace(",", ""))


_DOT_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")


def parse_count(value: object) -> float | None:
    """Parse a count (people, posts, views) like :func:`parse_number`, refusing dot thousands.

    ``51.069`` in a table of likes is 51,069 written with a European thousands
    separator, not fifty-one likes and a fraction; the text is refused rather than
    guessed. Decimals such as ``29.0`` or ``4.25`` still read.

    Raises:
        ValueError: If the text is not a number, or has a dot where a thousands
            comma belongs.
    """
    if isinstance(value, str) and _DOT_THOUSANDS.match(clean_text(value)):
        raise ValueError(f"a dot as thousands separator: {clean_text(value)!r}")
    return parse_number(value)


def parse_percent(value: object) -> float | None:
    """Parse a percentage such as ``"54.46%"`` or ``54.46`` into percent units.

    Args:
        value: The cell; a trailing ``%`` is optional.

    Returns:
        The value in percent (``54.46``), or ``None`` for an empty cell.

    Raises:
        ValueError: If the text is not a percentage.
    """
    if isinstance(value, str):
        text = clean_text(value)
        if text.endswith("%"):
            text = text[:-1].strip()
        return parse_number(text)
    return parse_number(value)
