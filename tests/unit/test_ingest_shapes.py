"""Each reader recognises a table's shape from its content, and refuses what it cannot place.

The files in ``tests/fixtures/shapes/`` were typed by hand with the layout of the real
exports: a GA4 Reports snapshot whose first card has no dimension column (and a
comparison range), Business Suite overview charts titled without a platform word or
in the 2023 layout, a Facebook Video Posts export, a GA4 Explore download, a GA4
file in Dutch, Universal Analytics files re-saved by a spreadsheet, and a YouTube
Table data whose Total is a few views above its rows.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.errors import DataError
from helpers.ingest.accounts import AccountMap, load_accounts
from helpers.ingest.detect import FORMATS
from helpers.ingest.exports import parse_file

SHAPES = Path(__file__).parents[1] / "fixtures" / "shapes"


def _read(relpath: str, mapping: AccountMap | None = None) -> tuple[str, pd.DataFrame]:
    mapping = load_accounts(SHAPES / "accounts.yml") if mapping is None else mapping
    parsed = parse_file(SHAPES / relpath, relpath, mapping)
    return parsed.format, parsed.rows


def _value(rows: pd.DataFrame, start: str, end: str, segment: str, metric: str) -> float:
    hit = rows[
        (rows["start"] == pd.Timestamp(start))
        & (rows["end"] == pd.Timestamp(end))
        & (rows["segment"].fillna("") == segment)
        & (rows["metric"] == metric)
    ]
    assert len(hit) == 1, (start, end, segment, metric, rows)
    return float(hit["value"].iloc[0])


def _refusal(relpath: str, mapping: AccountMap | None = None) -> str:
    with pytest.raises(DataError) as caught:
        _read(relpath, mapping)
    message = str(caught.value)
    assert "\n" not in message
    return message


# 1. a card with no dimension column, twice with a comparison range


def test_a_metrics_only_card_is_a_whole_range_row_for_each_range():
    fmt, rows = _read("ga4/Reports_snapshot.csv")
    assert fmt == "ga4"
    assert _value(rows, "2025-09-01", "2025-09-30", "", "users") == 392
    assert _value(rows, "2025-09-01", "2025-09-30", "", "new_users") == 365
    assert _value(rows, "2025-08-01", "2025-08-31", "", "users") == 350  # comparison range
    assert _value(rows, "2025-08-01", "2025-08-31", "", "new_users") == 301
    assert _value(rows, "2025-09-01", "2025-09-30", "Direct", "new_users") == 190
    assert _value(rows, "2025-08-01", "2025-08-31", "Direct", "new_users") == 160
    assert not rows["segment"].isin(["392", "350"]).any()
    assert len(rows) == 2 * (2 + 3)


def test_a_card_of_several_rows_without_a_dimension_is_refused(tmp_path):
    text = (SHAPES / "ga4/Reports_snapshot.csv").read_text()
    text = text.replace("392,365,41.5,4012,7\n", "392,365,41.5,4012,7\n12,10,3.5,80,0\n")
    (tmp_path / "ga4").mkdir()
    (tmp_path / "ga4/Reports_snapshot.csv").write_text(text)
    with pytest.raises(DataError, match="a dimension column saying what each row is"):
        parse_file(tmp_path / "ga4/Reports_snapshot.csv", "ga4/Reports_snapshot.csv", AccountMap())


# 2. Business Suite overview charts the sniffers did not know


def test_an_overview_chart_titled_without_a_platform_takes_the_files_channel():
    fmt, rows = _read("meta/Views.csv")
    assert fmt == "meta_overview"
    assert set(rows["channel"]) == {"facebook"} and set(rows["account"]) == {"Lancs Police"}
    assert _value(rows, "2025-09-02", "2025-09-02", "", "views") == 1875
    assert len(rows) == 3


def test_without_a_files_channel_the_untitled_chart_says_what_to_add(tmp_path):
    accounts = tmp_path / "accounts.yml"
    accounts.write_text('files:\n  - path: "meta/*"\n    account: Lancs Police\n')
    message = _refusal("meta/Views.csv", load_accounts(accounts))
    assert "'files' entry with the channel" in message and "names no platform" in message


def test_the_2023_overview_layout_names_its_value_column_after_the_chart():
    fmt, rows = _read("meta/Reach.csv")
    assert fmt == "meta_overview"
    assert set(rows["channel"]) == {"instagram"} and set(rows["account"]) == {"lancspolice"}
    assert _value(rows, "2023-07-09", "2023-07-09", "", "reach") == 31
    assert len(rows) == 3


# 3. Facebook Video Posts: the video views


def test_the_video_posts_export_gives_video_views():
    relpath = (
        "facebook/Facebook Insights Data Export (Video Posts) - Lancashire Police - 2015-09-07.csv"
    )
    fmt, rows = _read(relpath)
    assert fmt == "facebook_posts"
    assert set(rows["segment"]) == {"video posts"}
    assert _value(rows, "2015-09-01", "2015-09-01", "video posts", "views") == 6210 + 9875
    assert _value(rows, "2015-09-03", "2015-09-03", "video posts", "views") == 2140
    assert _value(rows, "2015-09-01", "2015-09-01", "video posts", "post_reach") == 11230 + 17420
    assert set(rows["metric"]) == {"posts", "post_reach", "views"}


# 4. labels and messages


def test_a_ga4_explore_download_is_labelled_ga4():
    fmt, rows = _read("ga4_explore/Free_form_1.csv")
    assert fmt == "ga4" and FORMATS[fmt].label == "Google Analytics 4 export"
    assert _value(rows, "2024-09-01", "2024-09-07", "mobile", "sessions") == 820
    assert _value(rows, "2024-09-01", "2024-09-07", "desktop", "pageviews") == 3120
    assert "" not in set(rows["segment"].fillna(""))  # Totals equal the rows: not kept


def test_an_explore_download_names_no_account(tmp_path):
    message = _refusal("ga4_explore/Free_form_1.csv", AccountMap())
    assert "'files' entry" in message


def test_a_ga4_file_in_another_language_gets_the_language_message():
    message = _refusal("ga4_dutch/Paginas_en_schermen.csv")
    assert "English column names" in message and "Weergaven" in message


def test_a_re_saved_ua_file_is_read_if_its_dates_read_one_way_only():
    """9/1/2015 in September 2015 is 1 September; 03/04/2020 in March-April 2020 is not sure."""
    one_way = "ga_ua/Analytics All Web Site Data Audience Overview 20150901-20150907 (re-saved).csv"
    fmt, rows = _read(one_way)
    assert fmt == "ga_ua"
    assert _value(rows, "2015-09-05", "2015-09-05", "", "sessions") == 4320
    assert rows.loc[rows["metric"] == "sessions", "value"].sum() == 38620
    two_ways = (
        "ga_ua/Analytics All Web Site Data Audience Overview 20200301-20200430 (re-saved).csv"
    )
    message = _refusal(two_ways)
    assert "a date that reads one way only" in message and "03/04/2020" in message


# 5. totals within the rounding of their rows


def test_every_total_beyond_the_rounding_of_its_rows_is_kept_the_same_way(tmp_path):
    folder = "youtube/Content 2024-09-01_2024-09-07 Lancashire Police"
    _, rows = _read(f"{folder}/Table data.csv")
    whole = rows[rows["segment"].fillna("") == ""]
    kept = dict(zip(whole["metric"], whole["value"], strict=True))
    # 97,004 against 97,001 and 60 against 57: videos not shown; 2,310.4566 hours
    # against 2,310.4565 is the rounding of the three rows
    assert kept == {"views": 97004, "subscribers_gained": 60}
    copy = tmp_path / folder
    shutil.copytree(SHAPES / folder, copy)
    table = copy / "Table data.csv"
    table.write_text(table.read_text().replace("97004,", "96990,"))
    with pytest.raises(DataError, match="a total of at least the sum of the rows"):
        parse_file(table, f"{folder}/Table data.csv", AccountMap())


def test_a_table_whose_rows_hold_two_ranges_undated_is_refused(tmp_path):
    """A comparison written as a column of range names says nothing the reader can date."""
    text = (SHAPES / "ga4_explore/Free_form_1.csv").read_text()
    rows = text.splitlines()
    header = rows.index("Device category,Active users,Sessions,Views")
    body = [
        "Device category,Date range,Active users,Sessions,Views",
        "desktop,Sep 1 - Sep 7 2024,820,1010,3120",
        "desktop,Aug 1 - Aug 7 2024,790,980,2950",
    ]
    (tmp_path / "ga4").mkdir()
    path = tmp_path / "ga4/Free_form_1.csv"
    path.write_text("\n".join(rows[:header] + body) + "\n")
    mapping = load_accounts(SHAPES / "accounts.yml")
    with pytest.raises(DataError, match="each date range in a table of its own"):
        parse_file(path, "ga4_explore/Free_form_1.csv", mapping)


# 6. GA4 numbers calendar weeks (Sunday to Saturday) and months, cut to the range

WEEKS = "ga4_weeks/Reports_snapshot.csv"


def test_nth_weeks_are_sunday_to_saturday_weeks_cut_to_the_range():
    """1 June 2026 is a Monday: week 0000 is 1-6 June, week 0002 is 14-20 June."""
    fmt, rows = _read(WEEKS)
    assert fmt == "ga4"
    users = rows[rows["metric"] == "users"].sort_values("start")
    days = users["start"].dt.strftime("%m-%d") + " " + users["end"].dt.strftime("%m-%d")
    assert [tuple(d.split()) for d in days] == [
        ("06-01", "06-06"),
        ("06-07", "06-13"),
        ("06-14", "06-20"),
        ("06-21", "06-27"),
        ("06-28", "06-30"),
    ]
    assert _value(rows, "2026-06-14", "2026-06-20", "", "new_users") == 140


def test_the_weeks_agree_with_the_snapshots_retention_cohorts():
    """The cohort 'Jun 14 - Jun 20' holds that week's new users: the rows of that week."""
    parsed = parse_file(SHAPES / WEEKS, WEEKS, load_accounts(SHAPES / "accounts.yml"))
    rows = parsed.rows
    cohorts = {"Jun 7 - Jun 13": 131, "Jun 14 - Jun 20": 140, "Jun 21 - Jun 27": 122}
    for label, new_users in cohorts.items():
        first, last = (pd.Timestamp(f"{day} 2026") for day in label.split(" - "))
        assert _value(rows, f"{first:%Y-%m-%d}", f"{last:%Y-%m-%d}", "", "new_users") == new_users
    assert "new users of 3 week(s) agree with the retention cohorts (lines 32-34)" in parsed.notes


def _edited(tmp_path: Path, relpath: str, old: str, new: str) -> Path:
    text = (SHAPES / relpath).read_text()
    assert old in text
    path = tmp_path / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace(old, new))
    return path


def test_weeks_that_disagree_with_the_retention_cohorts_are_refused(tmp_path):
    path = _edited(tmp_path, WEEKS, "0002,140\n", "0002,139\n")
    with pytest.raises(DataError) as caught:
        parse_file(path, WEEKS, load_accounts(SHAPES / "accounts.yml"))
    message = str(caught.value)
    assert "line 21" in message and "'Jun 14 - Jun 20' at line 33" in message
    assert "14 Jun 2026 to 20 Jun 2026 (139)" in message and "(140)" in message


def test_weeks_from_another_weekday_cross_the_cohorts_and_are_refused(tmp_path):
    """Cohort weeks starting on Monday do not fit the rows' Sunday weeks: one loud line."""
    path = _edited(tmp_path, WEEKS, "Jun 14 - Jun 20,140", "Jun 15 - Jun 21,140")
    with pytest.raises(DataError) as caught:
        parse_file(path, WEEKS, load_accounts(SHAPES / "accounts.yml"))
    message = str(caught.value)
    assert "Sunday to Saturday" in message and "'Jun 15 - Jun 21' at line 33" in message
    assert "\n" not in message


def test_a_half_year_has_27_weeks_and_calendar_months():
    """1 January to 30 June 2026 holds 27 Sunday weeks; months from 15 January are cut."""
    _, rows = _read("ga4_weeks/Half_year_snapshot.csv")
    sessions = rows[rows["metric"] == "sessions"].sort_values("start")
    assert len(sessions) == 27 and sessions["value"].sum() == 16904
    assert _value(rows, "2026-01-01", "2026-01-03", "", "sessions") == 212  # Thu to Sat
    assert _value(rows, "2026-01-04", "2026-01-10", "", "sessions") == 604
    assert _value(rows, "2026-06-28", "2026-06-30", "", "sessions") == 219  # week 0026
    assert _value(rows, "2026-01-15", "2026-01-31", "", "users") == 1480  # month 0000
    assert _value(rows, "2026-02-01", "2026-02-28", "", "users") == 2561
    assert _value(rows, "2026-06-01", "2026-06-30", "", "users") == 2655  # month 0005


def test_a_week_past_the_range_is_refused(tmp_path):
    relpath = "ga4_weeks/Half_year_snapshot.csv"
    path = _edited(tmp_path, relpath, "0026,219\n", "0026,219\n0027,15\n")
    with pytest.raises(DataError) as caught:
        parse_file(path, relpath, load_accounts(SHAPES / "accounts.yml"))
    message = str(caught.value)
    assert "line 37" in message and "a week number from 0000 to 0026" in message
    assert "27 calendar weeks, Sunday to Saturday" in message


# 7. older Business Suite overview titles, the value column named after the chart


def _channel_value(rows: pd.DataFrame, channel: str, day: str, metric: str) -> float:
    return _value(rows[rows["channel"] == channel], day, day, "", metric)


def test_every_chart_of_an_older_overview_download_is_read_under_its_metric():
    parsed = parse_file(
        SHAPES / "meta_older/Results.csv",
        "meta_older/Results.csv",
        load_accounts(SHAPES / "accounts.yml"),
    )
    rows = parsed.rows
    assert parsed.format == "meta_overview"
    assert _channel_value(rows, "facebook", "2022-03-02", "reach") == 1046
    assert _channel_value(rows, "instagram", "2022-03-02", "reach") == 167
    assert _channel_value(rows, "facebook", "2022-03-02", "new_likes") == 9
    assert _channel_value(rows, "instagram", "2022-03-03", "new_follows") == 5
    assert _channel_value(rows, "instagram", "2022-03-01", "visits") == 27
    assert len(rows) == 5 * 3
    assert set(rows["account"]) == {"Lancs Police"}
    # the one chart not known is named, and its figures are not taken for another's
    assert (
        "chart 'Facebook Page unlikes' (line 26) left out: not a chart of reach, views, "
        "impressions, content interactions, link clicks, visits, new likes or new follows"
    ) in parsed.notes
    assert rows.loc[rows["metric"] == "new_likes", "value"].sum() == 4 + 9 + 2


def test_a_chart_named_only_in_its_value_column_is_read():
    _, rows = _read("meta_older/New Facebook Page likes.csv")
    assert set(rows["channel"]) == {"facebook"} and set(rows["metric"]) == {"new_likes"}
    assert _value(rows, "2021-11-03", "2021-11-03", "", "new_likes") == 11


def test_a_download_of_unknown_charts_only_is_refused_naming_the_chart():
    message = _refusal("meta_older/Unlikes.csv")
    assert "line 2" in message and "'Facebook Page unlikes'" in message
    assert "an overview chart of reach, views" in message


# 8. a total within the export's own rounding of its rows

TRAFFIC = "youtube/Traffic source 2025-01-01_2025-03-31 Lancashire Police"


def test_a_total_within_studios_own_rounding_of_watch_hours_agrees_with_its_rows():
    """Total 13,042.4778 hours; the 11 rows add up to 13,042.4803, 0.0025 more."""
    _, rows = _read(f"{TRAFFIC}/Table data.csv")
    assert "" not in set(rows["segment"].fillna(""))  # nothing kept as a total
    hours = rows[rows["metric"] == "watch_hours"]
    assert len(hours) == 11 and hours["value"].sum() == pytest.approx(13042.4803)
    assert _value(rows, "2025-01-01", "2025-03-31", "YouTube search", "views") == 41203


def test_a_total_below_its_rows_beyond_the_rounding_names_both_to_the_last_decimal(tmp_path):
    copy = tmp_path / TRAFFIC
    shutil.copytree(SHAPES / TRAFFIC, copy)
    table = copy / "Table data.csv"
    table.write_text(table.read_text().replace("13042.4778", "13042.4000"))
    with pytest.raises(DataError) as caught:
        parse_file(table, f"{TRAFFIC}/Table data.csv", AccountMap())
    message = str(caught.value)
    assert "line 2" in message and "column 'Watch time (hours)'" in message
    assert "13,042.4803" in message and "'13,042.4000, 0.0803 less'" in message


# 9. a column the platform never writes: the file was edited after download

X_EDITED = "x/account_analytics_content_2025-03-01_2025-03-07.csv"


def test_an_x_export_with_columns_its_owner_appended_is_refused_naming_them():
    message = _refusal(X_EDITED)
    assert "line 1" in message and "only columns X writes" in message
    assert "'is_thread_start', 'thread_id', 'thread_position' and 1 more are not X's" in message
    assert "edited" in message


def test_without_the_appended_columns_the_same_export_is_read(tmp_path):
    rows = list(csv.reader((SHAPES / X_EDITED).open()))
    path = tmp_path / X_EDITED
    path.parent.mkdir(parents=True)
    with path.open("w", newline="") as out:
        csv.writer(out).writerows(row[:-4] for row in rows)
    parsed = parse_file(path, X_EDITED, AccountMap())
    assert parsed.account == "Lancs Police"  # the handle in the links, canonical
    assert _value(parsed.rows, "2025-03-01", "2025-03-01", "", "impressions") == 4120 + 1870
    # X's own columns the reader does not use are accepted, and named
    assert any("columns not read: Bookmarks" in n for n in parsed.notes)
    assert "New follows" not in " ".join(parsed.notes)  # read, as new_follows


EXPORTS = SHAPES.parent / "exports"
#: A fixture of each reader that declares its platform's columns, its header's key cell,
#: and a column its platform writes that the reader does not read.
PLATFORMS = {
    "twitter/tweet_activity_metrics_LancsPolice_20150901_20150908_en.csv": (
        "Tweet id",
        "poll votes",
    ),
    "youtube/Content 2024-09-01_2024-09-07 Lancashire Police/Table data.csv": (
        "Content",
        "Stayed to watch (%)",
    ),
    "youtube/Content 2024-09-01_2024-09-07 Lancashire Police/Totals.csv": ("Date", "Shares"),
    "meta/Sep-01-2024_Sep-07-2024_1029384756.csv": ("Post ID", "3-second video views"),
    "facebook/Facebook Insights Data Export - Lancashire Police - 2015-09-07.csv": (
        "Date",
        "Daily Page Saves",
    ),
}


def _appended(tmp_path: Path, relpath: str, column: str) -> Path:
    """The fixture with ``column`` added after the others (cells ``1``)."""
    key = PLATFORMS[relpath][0]
    text = (EXPORTS / relpath).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = next(i for i, row in enumerate(rows) if key in row)
    for i, row in enumerate(rows[header:], start=header):
        if row:
            row.append(column if i == header else "1")
    path = tmp_path / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out, lineterminator="\n").writerows(rows)
    return path


@pytest.mark.parametrize("relpath", sorted(PLATFORMS))
def test_each_reader_refuses_a_column_its_platform_never_writes(relpath, tmp_path):
    mapping = load_accounts(EXPORTS / "accounts.yml")
    path = _appended(tmp_path, relpath, "owner_flag")
    with pytest.raises(DataError, match=r"'owner_flag' is not .*edited after download"):
        parse_file(path, relpath, mapping)
    path = _appended(tmp_path, relpath, PLATFORMS[relpath][1])  # the platform's own
    assert len(parse_file(path, relpath, mapping).rows) == len(
        parse_file(EXPORTS / relpath, relpath, mapping).rows
    )


# 10. broken cells and encodings

PAGES = "broken/ga_ua/Analytics Lancs Police Pages 20150901-20150930"


def test_a_carriage_return_in_a_quoted_cell_stays_in_its_cell():
    """As the CSV standard reads it: the row is not cut in two, the title keeps its words."""
    _, rows = _read(f"{PAGES}.csv")
    views = rows[rows["metric"] == "pageviews"]
    assert len(views) == 10 and views["value"].sum() == 28282  # the total agrees
    title = "Appeal after collision on the A59"
    assert _value(rows, "2015-09-01", "2015-09-30", title, "pageviews") == 1877
    assert not views["segment"].str.contains("\r|\n").any()


def test_a_carriage_return_in_a_cell_that_is_not_quoted_is_refused():
    message = _refusal(f"{PAGES} (cut).csv")
    assert "line 12" in message and "carriage return in a cell that is not quoted" in message


def test_a_file_mixing_utf8_and_latin1_is_refused_naming_both_lines():
    """Read as Windows-1252 it gave 'SÃ©curitÃ© routiÃ¨re'; read as UTF-8 it cannot be."""
    message = _refusal("broken/ga4/Pages_and_screens_Page_title_and_screen_class.csv")
    assert "line 12" in message and "UTF-8 (line 10)" in message and "0xE9" in message


def test_a_utf16_file_cut_in_the_middle_of_a_character_names_the_file_and_line():
    message = _refusal("broken/meta/Reach.csv")
    assert "broken/meta/Reach.csv, line 6" in message
    assert "stops in the middle of a character" in message


def test_a_row_dated_before_its_platform_began_is_refused_with_its_line():
    relpath = "broken/youtube/Content 2025-09-01_2025-09-07 Lancashire Police/Totals.csv"
    message = _refusal(relpath)
    assert "line 4" in message and "dates from 2005 on" in message and "'1900-09-03'" in message


@pytest.mark.parametrize(
    ("relpath", "year"),
    [
        ("facebook/Facebook Insights Data Export - Lancashire Police - 2015-09-07.csv", 2004),
        ("twitter/daily_tweet_activity_metrics_LancsPolice_20150901_20150908_en.csv", 2006),
        ("meta/Sep-01-2024_Sep-07-2024_5647382910.csv", 2010),  # Instagram
    ],
)
def test_every_platform_has_a_first_year(relpath, year, tmp_path):
    text = (EXPORTS / relpath).read_text(encoding="utf-8-sig")
    old = {"facebook": "9/3/2015", "twitter": "2015-09-03", "meta": "09/04/2024"}[
        relpath.split("/")[0]
    ]
    assert old in text
    path = tmp_path / relpath
    path.parent.mkdir(parents=True)
    path.write_text(text.replace(old, old.replace("2015", "1900").replace("2024", "1900"), 1))
    with pytest.raises(DataError, match=rf"line \d+: expected dates from {year} on"):
        parse_file(path, relpath, load_accounts(EXPORTS / "accounts.yml"))
