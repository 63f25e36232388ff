"""The tidy table: schema, build, and bad raw input giving one clear message."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from helpers import config
from helpers.cli import main
from helpers.schema import COLUMNS, KEY, validate_tidy
from helpers.tidy.dataset import build_dataset, load_tidy, processed_is_current


def test_tidy_table_shape(tidy):
    assert list(tidy.columns) == COLUMNS
    assert not tidy.duplicated(KEY).any()
    assert set(tidy["channel"]) <= set(config.CHANNELS)
    assert set(tidy["metric"]) <= set(config.METRICS)
    assert (tidy["end"] >= tidy["start"]).all()
    # every value traces back to a file, line and column of data/raw
    for source in tidy["source"]:
        path, line, column = source.split(":", 2)
        assert (config.RAW_DIR / path).is_file() and int(line) >= 2 and column


def test_website_device_shares_sum_to_100_each_month(tidy):
    dev = tidy[(tidy["metric"] == "device_share") & (tidy["channel"] == "website")]
    sums = dev.groupby(["start", "end"])["value"].sum()
    assert len(sums) == 6  # May to October 2015
    assert ((sums - 100).abs() <= 0.1).all()


def test_build_writes_parquet_and_csv(tmp_path):
    out = tmp_path / "processed"
    tidy = build_dataset(config.RAW_DIR, out)
    back = pd.read_parquet(out / config.TIDY_PARQUET)
    assert len(back) == len(tidy)
    csv = pd.read_csv(out / config.TIDY_CSV)
    assert list(csv.columns) == COLUMNS and len(csv) == len(tidy)
    assert processed_is_current(config.RAW_DIR, out)
    assert not list(out.glob("*.tmp"))


def test_load_tidy_rebuilds_when_processed_is_corrupt(tmp_path, raw_copy):
    data = raw_copy.parent
    (data / "processed").mkdir()
    (data / "processed" / config.TIDY_PARQUET).write_bytes(b"not parquet")
    with pytest.warns(UserWarning, match="missing or out of date"):
        tidy = load_tidy(data)
    assert len(tidy) > 100


def _digest(folder: Path) -> dict[str, str]:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files
    }


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BAD_INPUTS = [
    pytest.param(
        "report_2015/website_monthly.csv",
        "month,sessions,",
        "month,visits,",
        [
            "website_monthly.csv",
            "line 1",
            "column 'sessions'",
            "expected a column named 'sessions'",
        ],
        id="missing-column",
    ),
    pytest.param(
        "report_2015/facebook_likes_by_account.csv",
        "51069",
        "51O69",
        [
            "facebook_likes_by_account.csv",
            "line 2",
            "column '2015-02-28'",
            "expected a number",
            "51O69",
        ],
        id="text-in-count",
    ),
    pytest.param(
        "report_2015/twitter_followers_by_account.csv",
        "14938",
        "-14938",
        ["twitter_followers_by_account.csv", "line 4", "column '2015-02-28'", "zero or more"],
        id="negative-count",
    ),
    pytest.param(
        "report_2015/website_device_share_monthly.csv",
        "2015-05,30.75",
        "2015-05,35.75",
        ["website_device_share_monthly.csv", "line 2", "add up to 100"],
        id="shares-not-100",
    ),
    pytest.param(
        "report_2015/twitter_impressions_monthly.csv",
        "2015-10,2500000",
        "2015-09,2500000",
        ["twitter_impressions_monthly.csv", "line 2", "one value per date", "line 3"],
        id="duplicate-key",
    ),
    pytest.param(
        "report_2015/website_monthly.csv",
        "2015-07,",
        "2015-13,",
        ["website_monthly.csv", "line 4", "column 'month'", "a month YYYY-MM"],
        id="bad-month",
    ),
    pytest.param(
        "report_2015/digital_community_2015-10.csv",
        "Instagram,",
        "Snapchat,",
        ["digital_community_2015-10.csv", "line 5", "column 'channel'", "Snapchat"],
        id="unknown-channel",
    ),
    pytest.param(
        "report_2015/itk_registered_users_by_division.csv",
        "West Division,6269,7165",
        "West Division,6269",
        ["itk_registered_users_by_division.csv", "line 2", "3 comma-separated cells"],
        id="ragged-row",
    ),
]


@pytest.mark.parametrize(("relpath", "old", "new", "expected"), BAD_INPUTS)
def test_bad_raw_input_gives_one_clear_message_and_keeps_processed(
    raw_copy, tmp_path, capsys, relpath, old, new, expected
):
    out = tmp_path / "processed"
    assert main(["data", "--raw", str(raw_copy), "--out", str(out)]) == 0
    before = _digest(out)
    capsys.readouterr()

    _edit(raw_copy / relpath, old, new)
    code = main(["data", "--raw", str(raw_copy), "--out", str(out)])
    err = capsys.readouterr().err

    assert code == 1
    first_line = err.splitlines()[0]
    for part in expected:
        assert part in first_line, (part, first_line)
    assert "Traceback" not in err
    assert _digest(out) == before


def test_validate_rejects_unknown_metric(tidy):
    bad = tidy.copy()
    bad.loc[0, "metric"] = "vibes"
    with pytest.raises(Exception, match="known metric name"):
        validate_tidy(bad)


def test_a_process_reads_the_processed_table_once_and_callers_keep_their_changes(raw_copy):
    data = raw_copy.parent
    build_dataset(raw_copy, data / "processed")
    first = load_tidy(data)
    first["value"] = 0.0  # a notebook's own changes
    first["extra"] = 1
    first.loc[0, "account"] = "changed"
    second = load_tidy(data)
    assert second["value"].sum() > 0 and second.loc[0, "account"] != "changed"
    assert "extra" not in second.columns
    followers = raw_copy / "report_2015" / "instagram_followers.csv"
    followers.write_text(followers.read_text().replace(",651", ",652"))
    build_dataset(raw_copy, data / "processed")  # a new file: read again
    again = load_tidy(data)
    assert set(again["value"]) - set(second["value"]) == {652.0}
