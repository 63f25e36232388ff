"""Bad exports: one clear message per file (file, line, what was expected), others still ingest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.errors import DataError
from helpers.ingest.accounts import load_accounts
from helpers.ingest.exports import parse_file, read_exports

BAD = Path(__file__).parents[1] / "fixtures" / "bad_exports"
GOOD = Path(__file__).parents[1] / "fixtures" / "exports"
TWEETS = "tweet_activity_metrics_LancsPolice_20150901_20150908_en"

# relpath -> (line, column, words the message must contain)
CASES = {
    "Analytics Alle websitegegevens Doelgroepoverzicht 20150901-20150907.csv": (
        7,
        None,
        ["English column names", "Sessies"],
    ),
    "Analytics All Web Site Data totals disagree 20150901-20150903.csv": (
        11,
        "Sessions",
        ["a total of at least the sum of the rows", "19,150", "18,150"],
    ),
    f"{TWEETS}.csv": (3, None, ["truncated"]),
    f"{TWEETS} (excel ids).csv": (7, "Tweet id", ["scientific notation", "6.39200E+17"]),
    f"{TWEETS} (excel dates).csv": (8, "time", ["2015-09-04 07:12 +0000", "05/09/2015 19:55"]),
    "notes from the comms team.csv": (1, None, ["a supported export"]),
    "Content 2024-09-01_2024-09-07 Lancashire Police/Table data.csv": (
        2,
        "Views",
        ["a total of at least the sum", "3,999"],
    ),
    "itk/ITK member export Oct 2015.csv": (3, "Date Registered", ["a date like"]),
}
PERSONAL = [
    "Madeup",
    "Zzyzxperson",
    "Madeup Zzyzxperson",
    "madeup.zzyzxperson@example.invalid",
    "07700 900222",
    "10 Nonesuch Way",
    "BB0 1ZZ",
    "Hypothetical",
    "PR0 2ZZ",
]


@pytest.mark.parametrize("relpath", sorted(CASES))
def test_one_clear_message(relpath: str) -> None:
    line, column, words = CASES[relpath]
    with pytest.raises(DataError) as info:
        parse_file(BAD / relpath, relpath, load_accounts(BAD / "accounts.yml"))
    error = info.value
    message = str(error)
    assert Path(relpath).name in message
    assert error.line == line
    assert error.column == column
    for word in words:
        assert word in message
    assert "Traceback" not in message


def test_member_export_errors_quote_no_personal_value() -> None:
    relpath = "itk/ITK member export Oct 2015.csv"
    with pytest.raises(DataError) as info:
        parse_file(BAD / relpath, relpath, load_accounts(BAD / "accounts.yml"))
    assert info.value.found is None
    for value in PERSONAL:
        assert value not in str(info.value)


def test_good_files_still_ingest_next_to_bad_ones(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    shutil.copytree(GOOD, folder)
    shutil.copytree(BAD, folder / "bad", ignore=shutil.ignore_patterns("accounts.yml", "itk"))
    result = read_exports(folder)
    bad = {f.relpath for f in result.files if f.error}
    assert bad == {f"bad/{r}" for r in CASES if not r.startswith("itk/")}
    assert len(result.problems) == len(bad)
    good = read_exports(GOOD)
    assert len(result.rows) == len(good.rows)


def test_unreadable_things_are_named(tmp_path: Path) -> None:
    mapping = load_accounts(tmp_path / "none.yml")
    cases = {
        "export.zip": b"PK\x03\x04",
        "old.xls": b"\xd0\xcf\x11\xe0",
        "broken.xlsx": b"PK\x03\x04not really a workbook",
        "binary.csv": b"\x00\x01\x02" * 50,
        "empty.csv": b"",
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(DataError) as info:
            parse_file(path, name, mapping)
        assert name in str(info.value)


def test_missing_account_is_explained(tmp_path: Path) -> None:
    rel = "twitter/daily_tweet_activity_metrics_LancsPolice_20150901_20150908_en.csv"
    path = tmp_path / "daily.csv"
    shutil.copy(GOOD / rel, path)
    with pytest.raises(DataError, match="the handle in the file name"):
        parse_file(path, path.name, load_accounts(tmp_path / "none.yml"))


def test_bad_mapping_file(tmp_path: Path) -> None:
    path = tmp_path / "accounts.yml"
    path.write_text("accounts:\n  - name: x\n")
    with pytest.raises(DataError, match="entry 1 of 'accounts'"):
        load_accounts(path)
    path.write_text("accounts: [unclosed\n")
    with pytest.raises(DataError, match="valid YAML"):
        load_accounts(path)
    path.write_text("accounts:\n  - {name: x, account: y, channel: myspace}\n")
    with pytest.raises(DataError, match="a channel"):
        load_accounts(path)
