"""The ingest rules on small hand-written exports (the corpus test checks real ones).

Totals larger than the rows shown, tables with their own ranges, rows counted from
the start date, platform error rows, metrics under other names, overview downloads,
X Premium exports, and accounts that a file's name does not settle.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.errors import DataError
from helpers.ingest.accounts import AccountMap, load_accounts
from helpers.ingest.exports import parse_file


def _parse(tmp_path: Path, name: str, text: str | bytes, mapping: str = "") -> pd.DataFrame:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    accounts = tmp_path / "accounts.yml"
    accounts.write_text(mapping)
    parsed = parse_file(path, name, load_accounts(accounts))
    return parsed.rows.assign(notes="; ".join(parsed.notes))


def _value(rows: pd.DataFrame, **where) -> float:
    hit = rows
    for key, value in where.items():
        hit = hit[hit[key].astype(str) == str(value)]
    assert len(hit) == 1, (where, hit)
    return float(hit["value"].iloc[0])


GA4_SNAPSHOT = """\
# ----------------------------------------
# Reports snapshot
# Account: Lancashire Constabulary
# Property: lancashire.police.uk - GA4
# ----------------------------------------
#
# Start date: 20240101
# End date: 20240115
Nth week,Active users
0000,70
0001,80
0002,20

# Start date: 20240101
# End date: 20240115
Nth week,Average engagement time per active user
0000,61.5

# Start date: 20240101
# End date: 20240115
Session primary channel group (Default Channel Group),Sessions
Direct,300
Organic Search,200
"""


def test_ga4_snapshot_reads_every_table_with_a_metric(tmp_path):
    rows = _parse(tmp_path, "Reports_snapshot.csv", GA4_SNAPSHOT)
    # Monday 1 January 2024: week 0 is 1-6 January (to Saturday), week 1 7-13 January,
    # week 2 starts on Sunday the 14th and is cut at the end date
    assert _value(rows, start="2024-01-01", end="2024-01-06", metric="users") == 70
    assert _value(rows, start="2024-01-07", end="2024-01-13", metric="users") == 80
    assert _value(rows, start="2024-01-14", end="2024-01-15", metric="users") == 20
    assert _value(rows, segment="Direct", metric="sessions") == 300
    assert "Average engagement time per active user (line 16)" in rows["notes"].iloc[0]


UA_TOP_PAGES = """\
# ----------------------------------------
# Lancs Police site
# Pages
# 20150901-20150930
# ----------------------------------------

Page,Pageviews,Unique Pageviews
/,"1,000",800
/news,500,450
,"9,000","7,000"

Month Index,Users
0000,"4,321"
,"4,321"
"""


def test_a_total_larger_than_the_rows_is_kept_for_the_whole_range(tmp_path):
    rows = _parse(tmp_path, "Analytics Lancs Police site Pages 20150901-20150930.csv", UA_TOP_PAGES)
    assert _value(rows, segment="", metric="pageviews") == 9000  # the whole site
    assert _value(rows, segment="/news", metric="pageviews") == 500
    assert _value(rows, start="2015-09-01", end="2015-09-30", metric="users") == 4321
    assert "covers more than the 2 rows shown" in rows["notes"].iloc[0]
    assert "columns not read: Unique Pageviews" in rows["notes"].iloc[0]


def test_a_total_smaller_than_the_rows_is_refused(tmp_path):
    broken = UA_TOP_PAGES.replace(',"9,000","7,000"', ',"1,200","7,000"')
    with pytest.raises(DataError, match="a total of at least the sum of the rows"):
        _parse(tmp_path, "pages.csv", broken)


def test_a_shared_view_name_needs_a_files_entry(tmp_path):
    text = UA_TOP_PAGES.replace("# Lancs Police site", "# All Web Site Data")
    with pytest.raises(DataError, match="default view name"):
        _parse(tmp_path, "website/pages.csv", text)
    mapping = 'files:\n  - path: "website/*"\n    account: lancashire.police.uk\n'
    rows = _parse(tmp_path, "website/pages.csv", text, mapping)
    assert set(rows["account"]) == {"lancashire.police.uk"}
    (tmp_path / "bad.yml").write_text(
        "accounts:\n  - {name: All Web Site Data, account: lancashire.police.uk}\n"
    )
    with pytest.raises(DataError, match="map such files by path"):
        load_accounts(tmp_path / "bad.yml")


META = """\
\ufeffPost ID,Page ID,Page name,Title,Description,Duration (sec),Publish time,Caption type,\
Permalink,Is crosspost,Is share,Post type,Languages,Custom labels,Funded content status,\
Data comment,Date,Reach,"Reactions, Comments and Shares",Total clicks,Link Clicks
11_22,11,Lancashire Police,,Appeal,,09/02/2024 10:15,,https://f/1,No,No,Photos,,,,,Lifetime,900,40,60,7
,,,,,,,,,,,,,,,An error occurred while computing metadata,Lifetime,,,,
"""


def test_meta_error_rows_are_skipped_and_link_clicks_come_from_link_clicks(tmp_path):
    rows = _parse(tmp_path, "Sep-01-2024_Sep-03-2024_11.csv", META)
    assert _value(rows, start="2024-09-02", metric="link_clicks") == 7  # not Total clicks (60)
    assert _value(rows, start="2024-09-02", metric="post_reach") == 900
    assert _value(rows, start="2024-09-01", metric="posts") == 0  # in the file name's range
    notes = rows["notes"].iloc[0]
    assert "1 platform error row(s)" in notes and "Total clicks" in notes


def test_overview_download_utf16_tabs_one_chart_per_platform(tmp_path):
    text = (
        "sep=\t\r\nFacebook reach\t\r\nDate\tPrimary\r\n2024-03-01T00:00:00\t850\r\n\t\r\n"
        "Instagram reach\t\r\nDate\tPrimary\r\n2024-03-01T00:00:00\t20\r\n"
    )
    mapping = 'files:\n  - path: "overview/*"\n    account: Lancs Police\n'
    rows = _parse(tmp_path, "overview/Reach.csv", text.encode("utf-16"), mapping)
    assert _value(rows, channel="facebook", metric="reach") == 850
    assert _value(rows, channel="instagram", metric="reach") == 20
    with pytest.raises(DataError, match="overview downloads name no page or account"):
        _parse(tmp_path, "elsewhere/Reach.csv", text.encode("utf-16"))


def test_x_premium_exports(tmp_path):
    content = (
        "Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,"
        "New follows,Replies,Reposts\n"
        '1,"Sat, Aug 15, 2026",hello,https://x.com/LancsPolice/status/1,40,1,3,0,0,0,1,2\n'
        '2,"Sat, Aug 15, 2026",again,https://x.com/LancsPolice/status/2,60,0,1,0,0,0,0,0\n'
    )
    rows = _parse(tmp_path, "account_analytics_content_2026-08-10_2026-08-16.csv", content)
    assert set(rows["account"]) == {"Lancs Police"}  # the handle, through the aliases
    assert _value(rows, metric="impressions") == 100
    assert _value(rows, metric="tweets") == 2 and _value(rows, metric="retweets") == 2
    overview = (
        "Date,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Unfollows,Replies,"
        'Reposts,Profile visits,Create Post,Video views,Media views\n"Tue, Aug 26, 2025",444,'
        "4,29,0,0,1,0,6,0,4,2,0,0\n"
    )
    mapping = 'files:\n  - path: "x/*"\n    account: Lancs Police\n'
    rows = _parse(tmp_path, "x/account_overview_analytics.csv", overview, mapping)
    assert _value(rows, metric="tweets") == 2 and _value(rows, metric="impressions") == 444


def test_youtube_engaged_views_and_facebook_api_keys(tmp_path):
    folder = "Content 2025-01-01_2025-01-02 Lancashire Police"
    rows = _parse(tmp_path, f"{folder}/Totals.csv", "Date,Engaged views\n2025-01-01,12\n")
    assert _value(rows, metric="views") == 12
    posts = (
        "Post ID,Permalink,Post Message,Type,Countries,Languages,Posted,Audience Targeting,"
        "post_impressions_unique:lifetime,post_engaged_users:lifetime\n"
        ",,,,,,,,Lifetime: reach,Lifetime: engaged\n"
        "1_2,https://f/2,Hi,Photo,,,2017-07-22 05:30:00,,221,12\n"
    )
    name = "Facebook Insights Data Export (Post Level) - Lancashire Police - 2017-07-27.csv"
    rows = _parse(tmp_path, name, posts)
    assert _value(rows, metric="post_reach") == 221
    assert _value(rows, metric="post_engaged_users") == 12


def test_an_empty_mapping_names_nothing():
    assert AccountMap().resolve("website", "Lancs Police site") == ("website", "Lancs Police site")
