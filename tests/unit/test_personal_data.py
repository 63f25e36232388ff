"""No personal data out, and no CSV cell a spreadsheet would run as a formula."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import config
from helpers.cli import main
from helpers.ingest.redact import readable, redact_rows, redact_text, redacted
from helpers.tidy.dataset import csv_safe, formula_safe

PII = Path(__file__).parents[1] / "fixtures" / "pii_exports"
PAGES = PII / "website" / "Analytics All Web Site Data Pages 20150901-20150907.csv"
PERSONAL = [
    "john.smith",
    "example.com",
    "07700900123",
    "jane@",
    "01772 614444",
    "info@",
    "#comments",
    "sam.jones",
    "polícia",
    "900.124",
    "7700-900-125",
    "447700900126",
    "Robin",
    "1980-01-01",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/contact/thank-you?email=john.smith@example.com&phone=07700900123", "/contact/thank-you"),
        ("https://www.lancashire.police.uk/news?id=3#top", "https://www.lancashire.police.uk/news"),
        ("/news/item#comments", "/news/item"),
        ("Chat with PC Smith, ring 07700 900123", "Chat with PC Smith, ring [phone removed]"),
        ("Call +44 (0)1772 614444 now", "Call [phone removed] now"),
        ("Write to jo.bloggs@lancashire.pnn.police.uk", "Write to [e-mail removed]"),
        ("What's on? Fun day", "What's on? Fun day"),  # not an address: the ? stays
        ("Lancs Police", "Lancs Police"),
        ("M6 crash 2015: 125,000 reached", "M6 crash 2015: 125,000 reached"),
    ],
)
def test_redaction(text, expected):
    assert redact_text(text) == expected


def test_rows_that_come_to_share_a_key_are_added_up():
    rows = pd.DataFrame(
        {
            "start": pd.Timestamp("2015-09-01"),
            "end": pd.Timestamp("2015-09-07"),
            "channel": "youtube",
            "account": "Lancs Police",
            "segment": ["Video for a@b.example", "Video for c@d.example", "Alpaca"],
            "metric": "views",
            "value": [3.0, 4.0, 5.0],
            "unit": "count",
            "source": ["f:2:x", "f:3:x", "f:4:x"],
        }
    )
    out = redact_rows(rows).set_index("segment")["value"].to_dict()
    assert out == {"Video for [e-mail removed]": 7.0, "Alpaca": 5.0}


def test_ingest_csv_has_no_personal_data_and_no_formulas(tmp_path, capsys):
    out = tmp_path / "check.csv"
    assert main(["ingest", str(PAGES), "--exports", str(PII), "--csv", str(out)]) == 0
    printed = capsys.readouterr()
    text = out.read_text(encoding="utf-8")
    for value in PERSONAL:
        assert value not in text + printed.out + printed.err
    rows = pd.read_csv(out, keep_default_na=False)
    pages = rows.set_index("segment")["value"].to_dict()
    assert pages["/contact/thank-you"] == 8.0  # the two thank-you pages, added up
    assert pages["/news/item"] == 7.0
    assert '\'=HYPERLINK("https://evil.example","Lancs Police")' in pages
    assert pd.api.types.is_numeric_dtype(rows["value"])  # numbers are never prefixed


def test_processed_data_has_no_personal_data_and_csv_cells_are_not_formulas(tmp_path):
    raw = tmp_path / "data" / "raw"
    shutil.copytree(config.RAW_DIR / "report_2015", raw / "report_2015")
    shutil.copytree(PII, raw / "exports")
    processed = tmp_path / "data" / "processed"
    assert main(["data", "--raw", str(raw), "--out", str(processed)]) == 0
    written = "".join(
        p.read_bytes().decode("utf-8", "replace") for p in processed.rglob("*") if p.is_file()
    )
    for value in PERSONAL:
        assert value not in written
    tidy = pd.read_csv(processed / "tidy.csv", keep_default_na=False)
    for col in ("channel", "account", "segment", "metric", "unit", "source"):
        cells = tidy[col].astype(str)
        assert not cells.str.match(r"^[=+\-@\t\r]").any(), col
    assert pd.api.types.is_float_dtype(tidy["value"])


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("https://evil.example","x")', '\'=HYPERLINK("https://evil.example","x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("-2+3", "'-2+3"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("Lancs Police", "Lancs Police"),
        (-3.0, -3.0),
        (51069.0, 51069.0),
    ],
)
def test_formula_cells_are_prefixed_and_numbers_stay_numbers(cell, expected):
    assert formula_safe(cell) == expected
    frame = pd.DataFrame({"text": [cell if isinstance(cell, str) else "x"], "value": [-3.0]})
    safe = csv_safe(frame)
    assert safe["value"].tolist() == [-3.0]


def test_outputs_of_data_are_readable_by_colleagues(tmp_path):
    import os

    raw = tmp_path / "data" / "raw"
    shutil.copytree(config.RAW_DIR / "report_2015", raw / "report_2015")
    processed = tmp_path / "data" / "processed"
    old = os.umask(0o022)
    try:
        assert main(["data", "--raw", str(raw), "--out", str(processed)]) == 0
    finally:
        os.umask(old)
    modes = {p.name: oct(p.stat().st_mode & 0o777) for p in processed.glob("tidy.*")}
    assert modes == {"tidy.parquet": "0o644", "tidy.csv": "0o644"}


# --- the spellings a URL can carry (property-based) ----------------------------------

#: Letters of several scripts, as names and domains hold them.
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüçøłπλждяあい例え"
_label = st.text(LETTERS, min_size=2, max_size=8)
emails = st.builds(
    lambda name, joiner, more, labels, tld: f"{name}{joiner}{more}@{'.'.join(labels)}.{tld}",
    _label,
    st.sampled_from(["", ".", "_", "-", "+"]),
    st.text(LETTERS + "0123456789", max_size=4),
    st.lists(_label, min_size=1, max_size=3),
    st.text(LETTERS, min_size=2, max_size=4),
)


@st.composite
def phones(draw) -> tuple[str, str]:
    """A UK number in one of its spellings, and its ten national digits."""
    digits = draw(st.sampled_from(["7700", "1772", "2079", "1524"])) + "".join(
        draw(st.lists(st.sampled_from("0123456789"), min_size=6, max_size=6))
    )
    prefix = draw(st.sampled_from(["0", "+44", "+44 (0)", "0044 ", "44", "tel:+44-", "tel:0"]))
    sep = draw(st.sampled_from(["", " ", "-", ".", " - "]))
    cut = draw(st.sampled_from([(4, 7), (3, 6), (4, 6), (5, 5)]))
    parts = [digits[: cut[0]], digits[cut[0] : cut[1]], digits[cut[1] :]]
    if prefix == "0" and draw(st.booleans()):
        parts[0] = f"({parts[0]})"  # (07700) 900 123 is written with the 0 inside
        prefix = "(0"
        parts[0] = parts[0][1:]
    return prefix + sep.join(p for p in parts if p), digits


def encoded(text: str, how: str) -> str:
    if how == "plain":
        return text
    if how == "at-and-plus":
        return text.replace("@", "%40").replace("+", "%2B")
    once = quote(text, safe="/")
    return once if how == "percent" else quote(once, safe="/")


CONTEXTS = [
    "/contact/thank-you?email={}",
    "www.lancs.example/report?name=Jo&contact={}&dob=x",
    "report?who={}",
    "/profile/{}",
    "/profile/{}/edit",
    "{}",
    "Call {} for help",
]
ENCODINGS = ["plain", "at-and-plus", "percent", "twice"]


@settings(max_examples=300, deadline=None)
@given(emails, st.sampled_from(CONTEXTS), st.sampled_from(ENCODINGS))
def test_no_email_survives_in_any_spelling(email, context, how):
    out = readable(redact_text(encoded(context.format(email), how)))
    assert "@" not in out, out


@settings(max_examples=300, deadline=None)
@given(phones(), st.sampled_from(CONTEXTS), st.sampled_from(ENCODINGS))
def test_no_phone_number_survives_in_any_spelling(phone, context, how):
    spelt, national = phone
    out = readable(redact_text(encoded(context.format(spelt), how)))
    assert national not in "".join(c for c in out if c.isdigit()), (spelt, out)


_segment = st.one_of(
    st.text("abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12),
    st.integers(0, 999_999).map(str),
    st.sampled_from(["2015", "11", "18", "news", "knife-crime", "page-2"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_segment, min_size=1, max_size=6), st.booleans())
def test_paths_without_personal_data_are_kept_exactly(segments, site):
    path = ("www.trustedtoknow.co.uk/" if site else "/") + "/".join(segments)
    assert redact_text(path) == path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("john%40example.com", "[e-mail removed]"),
        ("/u/jo@polícia.example", "/u/[e-mail removed]"),
        ("07700.900.123", "[phone removed]"),
        ("tel:+44-7700-900-123", "tel:[phone removed]"),
        ("447700900123", "[phone removed]"),
        ("www.site/report?name=Jo+Bloggs&dob=1980-01-01", "www.site/report"),
        ("?email=jo@example.com", "[query removed]"),
        ("What's on? Fun day", "What's on? Fun day"),
        ("/news/2015/11/18/item", "/news/2015/11/18/item"),
        ("Knife crime: 1,300 pupils", "Knife crime: 1,300 pupils"),
    ],
)
def test_the_spellings_the_issue_names(text, expected):
    assert redact_text(text) == expected


#: Pieces of page paths: plain words, digits, separators, encodings, references, e-mail
#: and telephone spellings, queries, fragments, spaces and non-ASCII letters.
_PIECES = st.sampled_from(
    [
        "/",
        "advice",
        "item-5",
        ".",
        "www.",
        "?",
        "#",
        "&",
        "=",
        "%40",
        "%2540",
        "&amp;",
        "&#64;",
        "@",
        "jo@example.org",
        "07700 900 123",
        "07700.900.123",
        "(01772)614444",
        "447700900123",
        "tel:",
        "+",
        "12345678",
        " ",
        "é",
        "ｐ",
        "(",
        ")",
        "-",
        "~",
    ]
)


@given(st.lists(st.lists(_PIECES, max_size=8).map("".join), max_size=20))
@settings(max_examples=300, deadline=None)
def test_redacted_gives_what_redact_text_gives_value_by_value(values):
    """The vectorised shortcut for plain addresses changes nothing redact_text would not."""
    expected = {v: r for v in values if (r := redact_text(v)) != v}
    assert redacted(values) == expected
