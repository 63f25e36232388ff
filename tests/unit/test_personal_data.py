"""No personal data out, and no CSV cell a spreadsheet would run as a formula."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers import config
from helpers.cli import main
from helpers.ingest.redact import redact_rows, redact_text
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
    assert rows["value"].dtype == float


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
