"""No personal data out: one redaction step applied to every reader's output.

Every text field of an export that can reach an output (the account, and the
segment: page paths, page titles, video titles, form and campaign names) passes
through :func:`redact_text` before anything is cached or written:

* a page address loses its query string and fragment (``/contact/thank-you?email=…``
  becomes ``/contact/thank-you``); the rows that then share a key are added up
  (additive metrics) or the first is kept (levels and rates);
* e-mail addresses become ``[e-mail removed]`` and UK phone numbers
  ``[phone removed]``, wherever they appear in the text.

Neighbourhood Alert member exports never get this far with personal values: only
their area and registration-date columns are read.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd

from helpers import config
from helpers.ingest.common import Parsed
from helpers.ingest.rows import tidy_table

#: Text columns of the tidy rows that can reach a page, a JSON file or a CSV.
TEXT_COLUMNS: tuple[str, ...] = ("account", "segment")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
#: UK numbers: +44 / 0044 / 0 followed by 9-10 digits, with spaces, dashes or brackets.
UK_PHONE = re.compile(
    r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0044\s?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\w)"
)
#: A page address: a path (``/x``), or a URL with a scheme.
_ADDRESS = re.compile(r"^(?:/|[a-z][a-z0-9+.-]*://)", re.IGNORECASE)
EMAIL_MARK = "[e-mail removed]"
PHONE_MARK = "[phone removed]"


def redact_text(text: str) -> str:
    """``text`` without a page address's query or fragment, e-mail addresses or UK phones.

    Args:
        text: An account name, page path, page or video title.

    Returns:
        The text as it may be published.
    """
    if not text:
        return text
    if _ADDRESS.match(text):
        text = text.split("#", 1)[0].split("?", 1)[0]
    text = EMAIL.sub(EMAIL_MARK, text)
    return UK_PHONE.sub(PHONE_MARK, text)


def redact_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Tidy rows with :func:`redact_text` applied to their text columns.

    Rows that come to share channel, account, segment, metric and dates are
    merged: additive metrics are added up, others keep the first row.
    """
    changed = False
    out = frame.copy()
    for column in TEXT_COLUMNS:
        values = out[column].astype(str)
        mapping = {v: redact_text(v) for v in values.unique()}
        if any(k != v for k, v in mapping.items()):
            out[column] = values.map(mapping)
            changed = True
    if not changed:
        return frame
    key = ["start", "end", "channel", "account", "segment", "metric"]
    if not out.duplicated(key).any():
        return out
    additive = out["metric"].map(lambda m: getattr(config.METRICS.get(m), "additive", False))
    summed = (
        out[additive]
        .groupby(key, sort=False, as_index=False, dropna=False)
        .agg(value=("value", "sum"), unit=("unit", "first"), source=("source", "first"))
    )
    kept = out[~additive].drop_duplicates(key, keep="first")
    merged = pd.concat([summed, kept], ignore_index=True)
    return merged[list(frame.columns)]


def redact_parsed(parsed: Parsed) -> Parsed:
    """A reader's output with :func:`redact_rows` applied (the account named too)."""
    table = parsed.table
    if not len(table):
        return replace(parsed, account=redact_text(parsed.account))
    texts = {c: table[c].unique().to_pylist() for c in TEXT_COLUMNS}
    if all(redact_text(v) == v for values in texts.values() for v in values if v is not None):
        return replace(parsed, account=redact_text(parsed.account))
    frame = redact_rows(table.to_pandas())
    return replace(parsed, account=redact_text(parsed.account), table=tidy_table(frame))
