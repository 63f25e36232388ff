"""Every export format in tests/fixtures/exports/ lands in the tidy schema with exact totals."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from helpers.ingest.accounts import load_accounts
from helpers.ingest.exports import parse_file, read_exports
from helpers.schema import COLUMNS, make_source, validate_tidy

FIXTURES = Path(__file__).parents[1] / "fixtures" / "exports"
YT = "youtube/Content 2024-09-01_2024-09-07 Lancashire Police"

# relpath -> (format, channel, account, first day, last day, rows, {metric: total})
EXPECTED = {
    "website/Analytics All Web Site Data Audience Overview 20150901-20150907.csv": (
        "ga_ua",
        "website",
        "lancashire.police.uk",
        "2015-09-01",
        "2015-09-07",
        13,
        {"sessions": 42722 * 2, "new_users": 25226},
    ),
    "website/Analytics Trust Ed All Web Site Data Pages 20150901-20150907.csv": (
        "ga_ua",
        "trusted2know",
        "trustedtoknow.co.uk",
        "2015-09-01",
        "2015-09-07",
        21,
        {"sessions": 3145, "users": 2739, "pageviews": 8616},
    ),
    "website/GA4 Sessions by date Lancashire Police 20240101-20240107.csv": (
        "ga4",
        "website",
        "lancashire.police.uk",
        "2024-01-01",
        "2024-01-07",
        28,
        {"users": 84422, "new_users": 64988, "sessions": 113547, "pageviews": 257434},
    ),
    "facebook/Facebook Insights Data Export - Lancashire Police - 2015-09-07.csv": (
        "facebook_page",
        "facebook",
        "Lancs Police",
        "2015-09-01",
        "2015-09-06",
        24,
        {"page_likes": 379418, "new_likes": 530, "engaged_users": 22676, "reach": 261990},
    ),
    "facebook/Facebook Insights Data Export (Post Level) - Lancashire Police - 2015-09-07.csv": (
        "facebook_posts",
        "facebook",
        "Lancs Police",
        "2015-09-01",
        "2015-09-05",
        9,
        {"posts": 4, "post_reach": 123514, "post_engaged_users": 10733},
    ),
    "meta/Sep-01-2024_Sep-07-2024_1029384756.csv": (
        "meta_facebook",
        "facebook",
        "Lancs Police",
        "2024-09-01",  # the range in the file name: days without a post count 0
        "2024-09-07",
        42,  # 7 days x 6 metrics (no link clicks: the file has Total clicks only)
        {
            "posts": 4,
            "post_reach": 119200,
            "views": 166050,
            "engagements": 10332,
            "comments": 811,
            "shares": 3111,
        },
    ),
    "meta/Sep-01-2024_Sep-07-2024_5647382910.csv": (
        "meta_instagram",
        "instagram",
        "Lancs Police",
        "2024-09-01",
        "2024-09-07",
        42,
        {
            "posts": 3,
            "post_reach": 33523,
            "views": 47162,
            "likes": 4040,
            "comments": 170,
            "shares": 162,
        },
    ),
    "twitter/tweet_activity_metrics_LancsPolice_20150901_20150908_en.csv": (
        "twitter_tweets",
        "twitter",
        "Lancs Police",
        "2015-09-02",
        "2015-09-05",
        18,
        {
            "tweets": 4,
            "impressions": 100782,
            "engagements": 5700,
            "retweets": 1678,
            "replies": 103,
            "likes": 511,
        },
    ),
    "twitter/daily_tweet_activity_metrics_LancsPolice_20150901_20150908_en.csv": (
        "twitter_daily",
        "twitter",
        "Lancs Police",
        "2015-09-01",
        "2015-09-07",
        42,
        {
            "tweets": 4,
            "impressions": 134575,
            "engagements": 6329,
            "retweets": 1744,
            "replies": 113,
            "likes": 558,
        },
    ),
    f"{YT}/Table data.csv": (
        "youtube_table",
        "youtube",
        "Lancs Police",
        "2024-09-01",
        "2024-09-07",
        9,
        {"views": 5312, "watch_hours": 301.4561, "subscribers_gained": 12},
    ),
    f"{YT}/Chart data.csv": (
        "youtube_chart",
        "youtube",
        "Lancs Police",
        "2024-09-01",
        "2024-09-03",
        6,
        {"views": 2259},
    ),
    f"{YT}/Totals.csv": (
        "youtube_totals",
        "youtube",
        "Lancs Police",
        "2024-09-01",
        "2024-09-07",
        7,
        {"views": 5312},
    ),
    "itk/ITK member export Sept 2015.csv": (
        "neighbourhood_alert",
        "itk",
        "East, South, West",
        "2015-08-28",
        "2015-09-05",
        17,
        {"registered_users": 26},
    ),
}


@pytest.fixture(scope="module")
def mapping():
    return load_accounts(FIXTURES / "accounts.yml")


@pytest.mark.parametrize("relpath", sorted(EXPECTED))
def test_fixture_totals(relpath: str, mapping) -> None:
    fmt, channel, account, first, last, count, totals = EXPECTED[relpath]
    parsed = parse_file(FIXTURES / relpath, relpath, mapping)
    rows = parsed.rows
    assert (parsed.format, parsed.channel, parsed.account) == (fmt, channel, account)
    assert (f"{parsed.start:%Y-%m-%d}", f"{parsed.end:%Y-%m-%d}") == (first, last)
    assert len(rows) == count
    assert list(rows.columns) == COLUMNS
    got = rows.groupby("metric")["value"].sum().round(4).to_dict()
    assert got == pytest.approx(totals)
    assert rows["source"].str.startswith(f"exports/{relpath}:").all()
    validate_tidy(rows)


def test_every_fixture_is_covered() -> None:
    found = {p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*.csv")}
    assert found == set(EXPECTED)


def test_sources_point_at_the_cell(mapping) -> None:
    rel = "twitter/tweet_activity_metrics_LancsPolice_20150901_20150908_en.csv"
    rows = parse_file(FIXTURES / rel, rel, mapping).rows
    tweets = rows[rows["metric"] == "tweets"].set_index("start")["source"]
    # the tweet of 2 September spans lines 3-6 (a blank line inside its text)
    assert tweets[pd.Timestamp("2015-09-03")] == make_source(f"exports/{rel}", 7, "Tweet id")
    assert tweets[pd.Timestamp("2015-09-05")].endswith(":8:Tweet id")
    rel = "website/Analytics All Web Site Data Audience Overview 20150901-20150907.csv"
    rows = parse_file(FIXTURES / rel, rel, mapping).rows
    tablet = rows[(rows["segment"] == "tablet") & (rows["metric"] == "sessions")]
    assert tablet["source"].iloc[0].endswith(":10:Sessions")
    assert tablet["value"].iloc[0] == 6108


def test_snapshot_and_per_day_values(mapping) -> None:
    rel = "facebook/Facebook Insights Data Export - Lancashire Police - 2015-09-07.csv"
    rows = parse_file(FIXTURES / rel, rel, mapping).rows.set_index(["metric", "start"])
    assert rows.loc[("page_likes", pd.Timestamp("2015-09-06")), "value"] == 63398
    # the first of the two "Daily Total Reach" columns is the one read
    assert rows.loc[("reach", pd.Timestamp("2015-09-01")), "value"] == 48213
    rel = "itk/ITK member export Sept 2015.csv"
    itk = parse_file(FIXTURES / rel, rel, mapping).rows
    last = itk[itk["start"] == itk["start"].max()].set_index("account")["value"].to_dict()
    assert last == {"West": 3, "South": 2, "East": 1}


def test_folder_ingest_deduplicates_by_later_end(tmp_path: Path) -> None:
    result = read_exports(FIXTURES)
    assert result.problems == []
    validate_tidy(result.rows)
    [overlap] = result.overlaps.to_dict("records")
    assert overlap["kept_file"].startswith("twitter/daily_")
    assert overlap["dropped_file"].startswith("twitter/tweet_activity")
    assert (overlap["values"], overlap["first"], overlap["last"]) == (
        18,
        "2015-09-02",
        "2015-09-05",
    )
    twitter = result.rows[result.rows["channel"] == "twitter"]
    assert twitter["source"].str.contains("daily_tweet").all()
    assert "both give twitter 'Lancs Police'" in result.overlap_lines()[0]


def test_tie_on_end_date_goes_to_the_later_modified_file(tmp_path: Path) -> None:
    rel = "twitter/daily_tweet_activity_metrics_LancsPolice_20150901_20150908_en.csv"
    text = (FIXTURES / rel).read_text()
    older, newer = tmp_path / "a" / "x.csv", tmp_path / "b" / "x.csv"
    for path, impressions, when in ((older, "9000.0", 2), (newer, "8500.0", 1)):
        path.parent.mkdir()
        path.write_text(
            text.replace('"2015-09-01","0","8120.0"', f'"2015-09-01","0","{impressions}"')
        )
        os.utime(path, ns=(when * 10**9, when * 10**9))
    (tmp_path / "accounts.yml").write_text(
        "files:\n  - path: '*/x.csv'\n    account: Lancs Police\n"
    )
    result = read_exports(tmp_path)
    rows = result.rows.set_index(["metric", "start"])
    # same end date: a/x.csv was modified later, so it wins although b/ sorts later
    assert rows.loc[("impressions", pd.Timestamp("2015-09-01")), "value"] == 9000
    assert result.overlaps["kept_file"].tolist() == ["a/x.csv"]
    assert result.overlaps["values"].tolist() == [42]


def test_mapping_assigns_divisions() -> None:
    mapping = load_accounts(FIXTURES / "accounts.yml")
    assert mapping.resolve("website", "Trust Ed - All Web Site Data") == (
        "trusted2know",
        "trustedtoknow.co.uk",
    )
    assert mapping.resolve("twitter", "@LancsPolice") == ("twitter", "Lancs Police")
    assert mapping.resolve("twitter", "West Division") == ("twitter", "West")


def test_workbook_dataset1_sheet(tmp_path: Path, mapping) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    summary = book.active
    summary.title = "Summary"
    for line in ("----", "Lancs Police site", "Audience Overview", "20150901-20150903", "----"):
        summary.append([line])
    data = book.create_sheet("Dataset1")
    data.append(["Day Index", "Sessions", "Users"])
    for day, sessions in ((1, 6512), (2, 6398), (3, 6240)):
        data.append([pd.Timestamp(2015, 9, day).to_pydatetime(), sessions, sessions - 900])
    data.append([None, 19150, 14000])
    path = tmp_path / "Analytics export.xlsx"
    book.save(path)
    parsed = parse_file(path, path.name, mapping)
    rows = parsed.rows
    assert parsed.format == "ga_ua" and parsed.account == "Lancs Police site"
    assert rows[rows["metric"] == "sessions"]["value"].sum() == 19150
    assert rows["source"].iloc[0] == "exports/Analytics export.xlsx:2:Dataset1!Sessions"


@pytest.mark.parametrize("variant", ["utf-16", "crlf", "sep-line", "cp1252"])
def test_encodings_and_excel_habits(variant: str, tmp_path: Path, mapping) -> None:
    name = "tweet_activity" if variant == "cp1252" else "daily_tweet_activity"  # £ in a text
    rel = f"twitter/{name}_metrics_LancsPolice_20150901_20150908_en.csv"
    text = (FIXTURES / rel).read_text(encoding="utf-8")
    data = {
        "utf-16": text.encode("utf-16"),
        "crlf": text.replace("\n", "\r\n").encode(),
        "sep-line": ("sep=,\n" + text).encode(),
        "cp1252": text.replace("Call 101", "Call £101").encode("cp1252"),
    }[variant]
    assert variant != "cp1252" or b"\xa3" in data
    path = tmp_path / Path(rel).name
    path.write_bytes(data)
    expected = parse_file(FIXTURES / rel, rel, mapping).rows
    got = parse_file(path, rel, mapping).rows
    pd.testing.assert_frame_equal(got.drop(columns="source"), expected.drop(columns="source"))
    shift = 1 if variant == "sep-line" else 0
    lines = got["source"].str.split(":").str[1].astype(int)
    assert (lines == expected["source"].str.split(":").str[1].astype(int) + shift).all()
