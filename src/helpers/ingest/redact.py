"""No personal data out: one redaction step applied to every reader's output.

Every text field of an export that can reach an output (the account, and the
segment: page paths, page titles, video titles, form and campaign names) passes
through :func:`redact_text` before anything is cached or written. The text is read
as a browser would show it (percent-encoding such as ``%40`` and ``%2540``, HTML
character references and full-width characters undone) and:

* an address loses its query string and fragment (``/contact/thank-you?email=…``
  becomes ``/contact/thank-you``; so does ``www.site/report?name=…`` or
  ``report?name=…``: any text without spaces before its ``?`` or ``#`` that looks
  like a path, a site or a query); the rows that then share a key are added up
  (additive metrics) or the first is kept (levels and rates);
* e-mail addresses (any script in the name and the domain: ``jo@polícia.example``)
  become ``[e-mail removed]``, and telephone numbers ``[phone removed]``: UK
  numbers written with spaces, dashes, dots or brackets (``07700.900.123``,
  ``(01772) 614444``), with ``+44``, ``0044`` or ``44`` and no plus
  (``447700900123``), ``tel:`` links, and any international number (``+`` or ``00``
  and 9 to 15 digits).

A text where nothing is found is kept exactly as it came. What an analyst writes for
publication (the commentary's ``contact:`` line) is not this module's: the rule is
for data that arrive in exports. Neighbourhood Alert member exports never get this
far with personal values: only their area and registration-date columns are read.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import unquote

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from helpers import config
from helpers.ingest.common import Parsed
from helpers.ingest.rows import tidy_table

#: Text columns of the tidy rows that can reach a page, a JSON file or a CSV.
TEXT_COLUMNS: tuple[str, ...] = ("account", "segment")
#: An e-mail address, in any script (``\w`` is Unicode): name, ``@``, dotted domain.
EMAIL = re.compile(r"[\w.%+'-]+@[\w-]+(?:\.[\w-]+)*\.\w{2,}")
#: A run of digits and the separators a number is written with (no letters, no commas).
_NUMBER = re.compile(r"(?<![\w+])(?:\+|\(\+?)?\d[\d\s().\-]{7,}\d(?![\w])")
#: A page address: a path (``/x``), a URL with a scheme, or ``www.``.
_ADDRESS = re.compile(r"^(?:/|[a-z][a-z0-9+.-]*:|www\.)", re.IGNORECASE)
_QUERY_START = re.compile(r"[?#]")
_SPACE = re.compile(r"\s")
EMAIL_MARK = "[e-mail removed]"
PHONE_MARK = "[phone removed]"
QUERY_MARK = "[query removed]"
#: Rounds of decoding: ``%2540`` is ``%40`` encoded once more.
_DECODE_ROUNDS = 3
#: What any change by :func:`redact_text` needs in a text (RE2, for pyarrow): an
#: encoding, a ``?`` or ``#``, an ``@``, a character outside ASCII (NFKC leaves ASCII
#: as it is) or a run of digits long enough to be a number. A text without any of
#: them is kept without looking further: millions of page paths take seconds.
_SUSPECT = r"[%&?#@]|[^\x00-\x7F]|\d[\d\s().\-]{7,}\d"


#: Characters of a path that no step of :func:`redact_text` reads or changes (ASCII: no
#: encoding, reference, ``@``, space, ``?`` or ``#``).
_PLAIN = r"[A-Za-z0-9/._~!$'()*+,;=:\-]"
#: A plain path or site, then its query or fragment: it becomes the path, whatever the
#: query holds (RE2) ...
_PLAIN_ADDRESS = rf"^{_PLAIN}*[/.]{_PLAIN}*[?#]"
#: ... unless the path holds a run of digits that could be a telephone number.
_DIGITS_BEFORE_QUERY = r"^[^?#]*\d[\d().\-]{7,}\d"


def redacted(values: Sequence[str | None]) -> dict[str, str]:
    """The values :func:`redact_text` changes, each with what it becomes (vectorised).

    A plain address with a query (``/advice/item-5?utm_source=x``) becomes its path
    without a call per value: a site's pages export holds millions of them. The rest
    of the suspects go through :func:`redact_text` one by one.
    """
    array = pa.array(values, type=pa.string())
    suspects = array.filter(pc.match_substring_regex(array, _SUSPECT).fill_null(False))
    plain = pc.and_(
        pc.match_substring_regex(suspects, _PLAIN_ADDRESS),
        pc.invert(pc.match_substring_regex(suspects, _DIGITS_BEFORE_QUERY)),
    )
    addresses = suspects.filter(plain)
    paths = pc.replace_substring_regex(addresses, r"(?s)[?#].*$", "", max_replacements=1)
    found = dict(zip(addresses.to_pylist(), paths.to_pylist(), strict=True))
    rest = suspects.filter(pc.invert(plain)).to_pylist()
    found.update({v: r for v in rest if (r := redact_text(v)) != v})
    return found


def is_phone(number: str) -> bool:
    """Whether a run of digits and separators is a telephone number.

    UK: ``0`` and 9 or 10 digits, or ``44`` (with ``+``, ``00`` or nothing) and 9 or
    10 digits (a ``(0)`` after it allowed); international: ``+`` or ``00`` and 9 to
    15 digits.
    """
    digits = re.sub(r"\D", "", number)
    if number.lstrip("(").startswith("+") or digits.startswith("00"):
        digits = digits.removeprefix("00")
        return 9 <= len(digits) <= 15
    if digits.startswith("440"):
        digits = "44" + digits[3:]  # +44 (0)1772 ... written without its plus
    if digits.startswith("44"):
        return len(digits) in (11, 12)
    return digits.startswith("0") and len(digits) in (10, 11)


def readable(text: str) -> str:
    """``text`` as a browser shows it: percent-encoding, references, full-width undone."""
    for _ in range(_DECODE_ROUNDS):
        decoded = html.unescape(unquote(text))
        if decoded == text:
            break
        text = decoded
    return unicodedata.normalize("NFKC", text)


def _without_query(text: str) -> str:
    """An address without its query string and fragment (other text as it is)."""
    mark = _QUERY_START.search(text)
    if mark is None:
        return text
    head, rest = text[: mark.start()], text[mark.start() :]
    if _SPACE.search(head):
        return text  # a sentence: "What's on? Fun day"
    if _ADDRESS.match(head) or "/" in head or "." in head or "=" in rest:
        return head or QUERY_MARK
    return text


def redact_text(text: str) -> str:
    """``text`` without an address's query or fragment, e-mail addresses or phone numbers.

    Args:
        text: An account name, page path, page or video title.

    Returns:
        The text as it may be published: as it came when nothing was found, else
        as a browser shows it with what was found removed.
    """
    if not text:
        return text
    shown = readable(text)
    out = _without_query(shown)
    out = EMAIL.sub(EMAIL_MARK, out)
    out = _NUMBER.sub(lambda m: PHONE_MARK if is_phone(m.group(0)) else m.group(0), out)
    if out == shown:
        return text
    return out


def redact_rows(
    frame: pd.DataFrame, found: dict[str, dict[str, str]] | None = None
) -> pd.DataFrame:
    """Tidy rows with :func:`redact_text` applied to their text columns.

    Rows that come to share channel, account, segment, metric and dates are
    merged: additive metrics are added up, others keep the first row.

    Args:
        frame: Tidy rows.
        found: What :func:`redacted` gave for each text column, if known already.
    """
    out = frame.copy(deep=False)  # copy-on-write: frame is left as it is
    maybe = np.zeros(len(out), dtype=bool)  # rows that may now share a key
    for column in TEXT_COLUMNS:
        values = out[column].astype(str)
        mapping = (found or {}).get(column)
        if mapping is None:
            mapping = redacted(values.unique().tolist())
        if mapping:
            out[column] = values.map(mapping).fillna(values)
            maybe |= out[column].isin(list(set(mapping.values()))).to_numpy()
    if not maybe.any():
        return frame
    # Two rows come to share a key only where one of them was changed, and then both
    # hold a text a change gave: only those rows are compared and merged.
    key = ["start", "end", "channel", "account", "segment", "metric"]
    part = out[maybe]
    if not part.duplicated(key).any():
        return out
    additive = part["metric"].map(lambda m: getattr(config.METRICS.get(m), "additive", False))
    summed = (
        part[additive]
        .groupby(key, sort=False, as_index=False, dropna=False)
        .agg(value=("value", "sum"), unit=("unit", "first"), source=("source", "first"))
    )
    kept = part[~additive].drop_duplicates(key, keep="first")
    merged = pd.concat([out[~maybe], summed, kept], ignore_index=True)
    return merged[list(frame.columns)]


def redact_parsed(parsed: Parsed) -> Parsed:
    """A reader's output with :func:`redact_rows` applied (the account named too)."""
    table = parsed.table
    if not len(table):
        return replace(parsed, account=redact_text(parsed.account))
    found = {c: redacted(table[c].unique()) for c in TEXT_COLUMNS}
    if not any(found.values()):
        return replace(parsed, account=redact_text(parsed.account))
    frame = redact_rows(table.to_pandas(), found)
    return replace(parsed, account=redact_text(parsed.account), table=tidy_table(frame))
