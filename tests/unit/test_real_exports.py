"""Every file of the real-exports corpus is read right, or refused in one line.

The corpus (``../shared/real-exports/`` beside the project, listed in its
``PROVENANCE.md``) holds analytics exports people published in public
repositories. Their licences are unknown and they hold public handles and post
texts, so nothing of them is copied into the project: the files are read where
they are, through ``engagement ingest``, and the outputs go to a temporary folder.

Each file's outcome is stated below: read, with its number of tidy rows and values
checked by hand against the raw file (the line is named), or refused, with the
gist of the one-line message. The mapping is what an analyst would write for
these files: accounts for the files that name none (or only Google Analytics'
default view name), and the range of YouTube ``Table data.csv`` files whose
Studio folder name was lost.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from helpers import config
from helpers.cli import main

CORPUS = config.ROOT.parent / "shared" / "real-exports"
pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason=f"the real-exports corpus is not at {CORPUS} (it is kept beside the project)",
)

MAPPING = """
files:
  - path: "ga_ua/*/Analytics All Web Site Data Pages*"
    account: DanielTheC site
    channel: website
  - path: "ga_ua/spenserTac-boost/*"
    account: boost site
    channel: website
  - path: "meta_business_suite/*/Reach.csv"
    account: overview page
  - path: "twitter/*/*account_overview_analytics.csv"
    account: overview handle
  - path: "youtube/CodingTrain-Happy-New-Year-2022/*"   # the range of its Totals.csv
    account: The Coding Train
    start: 2020-12-31
    end: 2021-12-30
  - path: "youtube/ligardoisaghost-timaghostresonance/*"  # the range of its Totals.csv
    account: timaghostresonance
    start: 2007-04-01
    end: 2025-11-13
  - path: "youtube/buildwithadi-*/*"                    # range not known: assumed
    account: suuz
    start: 2020-01-01
    end: 2021-12-31
"""
#: Files refused without the mapping above, and the words that say how to map them.
NEED_MAPPING = {
    "ga_ua/spenserTac-boost/Analytics_All_Web_Site_Data_Channels_20200601-20200909.csv": (
        "default view name"
    ),
    "meta_business_suite/marko7bub-Bubniak_Thesis/Reach.csv": "'files' entry",
    "twitter/vianarafael-koe/account_overview_analytics.csv": "'files' entry",
    "youtube/CodingTrain-Happy-New-Year-2022/Totals.csv": "folder name Studio gives",
    "youtube/ligardoisaghost-timaghostresonance/Table data.csv": "give start and end",
}


@dataclass(frozen=True)
class Read:
    """A file read: its account, tidy rows, (start, end, segment, metric, value[, channel
    or account])."""

    account: str
    rows: int
    values: tuple[tuple, ...]


@dataclass(frozen=True)
class Refused:
    """A file refused: words of its one-line message."""

    says: str


FB = "facebook/johankitti-vicvisual/Facebook Insights Data Export"
VIC = "Visualization Studio VIC"
OIG = "Oigetit Fake News Filter - South Africa"
LEON = "meta_business_suite/LeonMpofu-Oigetit-Social-Media-Reports"
UNKNOWN = "a supported export"

CASES: dict[str, Read | Refused] = {
    f"{FB} (Post Level) - {VIC} - 2015-08-19 - 2016-02-15.csv": Read(
        VIC,
        240,
        (
            ("2015-08-19", "2015-08-19", "", "post_engaged_users", 11),  # line 171
            ("2015-11-03", "2015-11-03", "", "post_reach", 441),
        ),
    ),
    # the video posts only: kept apart from all posts by their segment; their video
    # views (Lifetime Total Video Views) read as views
    f"{FB} (Video Posts) - {VIC} - 2015-08-19 - 2016-02-15.csv": Read(
        VIC,
        48,  # 16 days x posts, post_reach, views
        (
            ("2015-09-24", "2015-09-24", "video posts", "posts", 3),
            ("2015-09-24", "2015-09-24", "video posts", "post_reach", 1922),  # 3 posts
            ("2015-09-24", "2015-09-24", "video posts", "views", 1124),  # 117 + 797 + 210
            ("2015-12-21", "2015-12-21", "video posts", "post_reach", 5131),  # line 23
            ("2015-12-21", "2015-12-21", "video posts", "views", 2478),
        ),
    ),
    f"{FB} - {VIC} - 2015-08-19 - 2016-02-15.csv": Read(
        VIC,
        720,
        (
            ("2015-08-19", "2015-08-19", "", "page_likes", 771),  # line 3
            ("2015-08-19", "2015-08-19", "", "engaged_users", 22),
            ("2016-02-14", "2016-02-14", "", "reach", 415),  # line 182
        ),
    ),
    # headers are API keys (post_impressions_unique:lifetime ...)
    "facebook/viethngn-LACDA/Facebook Insights Data Export (Post Level) - LOK - 2017-07-27.xlsx": (
        Read(
            "LOK",
            21,
            (
                ("2017-07-22", "2017-07-22", "", "post_reach", 221231),  # Key Metrics row 3
                ("2017-07-22", "2017-07-22", "", "post_engaged_users", 12885),
                ("2017-06-30", "2017-06-30", "", "post_engaged_users", 1562),
            ),
        )
    ),
    "facebook/viethngn-LACDA/Facebook Insights Data Export - LOK - 2017-07-05.xls": Refused(
        "save it as .xlsx"
    ),
    "ga4/Anas3rdshade-Teefusion/Events_Event_name.csv": Read(
        "TeeFusion Wordpress",
        26,
        (
            ("2025-02-01", "2025-08-04", "view_item_list", "users", 572),  # line 11
            ("2025-02-01", "2025-08-04", "begin_checkout", "users", 12),  # line 24
        ),
    ),
    (
        "ga4/Anas3rdshade-Teefusion/"
        "User_acquisition_First_user_primary_channel_group_(Default_Channel_Group).csv"
    ): Read(
        "TeeFusion Wordpress",
        16,
        (
            ("2025-02-01", "2025-08-04", "Direct", "users", 1209),  # line 11
            ("2025-02-01", "2025-08-04", "Direct", "new_users", 1171),
            ("2025-02-01", "2025-08-04", "Referral", "new_users", 7),  # line 18
        ),
    ),
    "ga4/DanielTheC-internal-lnking-tool/Pages_and_screens_Page_path_and_screen_class (1).csv": (
        Read(
            "BuyShedsDirect (GA4)",
            1362,
            (
                (
                    "2025-01-01",
                    "2025-12-31",
                    "/blog/post/how-to-lay-slab-base-for-sheds",
                    "pageviews",
                    12688,
                ),  # line 11
                ("2025-01-01", "2025-12-31", "/blog/post/xiaomi-14-pro", "users", 1),  # line 694
            ),
        )
    ),
    # older GA4 card download: "Nth day,Users" from 2022-06-01, then country tables
    "ga4/DanielTheC-internal-lnking-tool/data-export.csv": Read(
        "MTG ROCKS - GA4",
        1321,
        (
            ("2022-08-31", "2022-08-31", "", "users", 34412),  # line 101: 0091
            ("2022-09-25", "2022-09-25", "", "new_users", 9253),  # line 674: 0116
            ("2022-06-01", "2023-11-26", "US", "users", 3507950),  # line 3572
        ),
    ),
    # Reports snapshot: Sunday-to-Saturday weeks cut to the range (Wednesday 1 January to
    # Wednesday 31 December 2025), then every table with a metric
    "ga4/Joel-hanson-joel-hanson.github.io/Reports_snapshot.csv": Read(
        "Website",
        356,
        (
            ("2025-01-01", "2025-01-04", "", "users", 13),  # line 10: week 0000, Wed to Sat
            ("2025-01-05", "2025-01-11", "", "new_users", 19),  # line 68: week 0001
            ("2025-12-28", "2025-12-31", "", "users", 54),  # line 62: week 0052, cut at the end
            ("2025-01-01", "2025-12-31", "Direct", "sessions", 2451),  # line 249
            ("2025-01-01", "2025-12-31", "Joel Hanson", "pageviews", 977),  # line 759
        ),
    ),
    "ga4/liga-nt-pyr_svelte/Pages_and_screens_Page_path_and_screen_class.csv": Read(
        "Plan Your Recovery - GA4",
        112,
        (
            ("2026-02-24", "2026-03-23", "/", "pageviews", 221),  # line 11
            ("2026-02-24", "2026-03-23", "/", "users", 154),
        ),
    ),
    "ga4/ryanpate-myrecoverypal/Reports_snapshot.csv": Read(
        "MyRecoveryPal",
        131,
        (
            ("2025-12-04", "2025-12-04", "", "users", 0),  # line 10: day 0000
            ("2025-12-04", "2025-12-31", "DE", "users", 19),  # line 158
            ("2025-12-04", "2025-12-31", "Direct", "sessions", 87),  # line 148
        ),
    ),
    # top 10 pages shown, the whole site totalled: the total is kept; Dataset2 is daily
    (
        "ga_ua/DanielTheC-internal-lnking-tool/"
        "Analytics All Web Site Data Pages 20220701-20220731.xlsx"
    ): Read(
        "DanielTheC site",
        42,
        (
            ("2022-07-01", "2022-07-31", "", "pageviews", 93480),  # Dataset1 row 12
            ("2022-07-01", "2022-07-31", "/gaming", "pageviews", 4311),  # Dataset1 row 3
            ("2022-07-01", "2022-07-01", "", "pageviews", 1022),  # Dataset2 row 2
        ),
    ),
    "ga_ua/agrc-view-counter/analytics_export.csv": Read(
        "gis portal",
        950,  # 987 page rows; those whose paths differ only in a query string are added up
        (
            ("2017-09-01", "2018-03-08", "/data/", "pageviews", 31411),  # line 8
            ("2018-03-08", "2018-03-08", "", "pageviews", 1391),  # line 997
        ),
    ),
    # charted by month: Month Index 0000 is January 2011
    (
        "ga_ua/scikit-learn-inria-fondation-Stats/"
        "Analytics scikit-learn.sourceforge.net Audience Overview 20110101-20220430.csv"
    ): Read(
        "scikit-learn.sourceforge.net",
        136,
        (
            ("2011-06-01", "2011-06-30", "", "users", 1744),  # line 13: 0005
            ("2022-04-01", "2022-04-30", "", "users", 1050191),  # line 143: 0135
        ),
    ),
    "ga_ua/spenserTac-boost/Analytics_All_Web_Site_Data_Channels_20200601-20200909.csv": Read(
        "boost site",
        113,
        (
            ("2020-06-01", "2020-09-09", "Direct", "users", 39),  # line 8
            ("2020-06-01", "2020-09-09", "Direct", "sessions", 45),
            ("2020-09-09", "2020-09-09", "", "users", 1),  # line 115
        ),
    ),
    "meta_business_suite/DanDirector-fts-video-site/May-25-2026_Jun-21-2026_1493633672508178.csv": (
        Read(
            "elitravelguy, caryjack",
            335,  # 28 days of the range in the file name x 2 accounts
            (("2026-06-19", "2026-06-19", "", "likes", 341, "elitravelguy"),),  # line 18
        )
    ),
    f"{LEON}/Jan-14-2025_Apr-14-2025_1396269028466733.csv": Read(
        OIG,
        574,
        (
            ("2025-01-14", "2025-01-14", "", "link_clicks", 1),  # "Link Clicks", not "Total"
        ),
    ),
    f"{LEON}/Mar-18-2025_Apr-14-2025_1019826952924933.csv": Read(
        "oigetit_sa",
        168,  # 28 days x 6 metrics
        (
            ("2025-03-18", "2025-03-18", "", "posts", 3),
            ("2025-04-01", "2025-04-01", "", "posts", 0),  # no post: 0 (range in the name)
            ("2025-04-02", "2025-04-02", "", "post_reach", 285),  # 3 posts
            ("2025-04-14", "2025-04-14", "", "likes", 4),  # 2 posts
        ),
    ),
    f"{LEON}/Mar-18-2025_Apr-14-2025_553302954456165.csv": Read(
        OIG,
        180,
        (
            ("2025-04-07", "2025-04-07", "", "posts", 5),
            ("2025-04-07", "2025-04-07", "", "post_reach", 152),
            ("2025-04-02", "2025-04-02", "", "engagements", 2),
        ),
    ),
    # UTF-16, sep=, overview download
    f"{LEON}/Reach.csv": Read(
        "overview page",
        105,
        (
            ("2025-01-01", "2025-01-01", "", "reach", 5),  # line 4
            ("2025-04-15", "2025-04-15", "", "reach", 43),  # line 108
        ),
    ),
    # three Meta error rows (no Post ID, no publish time) skipped, the rest read
    (
        "meta_business_suite/marko7bub-Bubniak_Thesis/Dec-12-2023_Mar-06-2024_1032418178499222.csv"
    ): Read(
        "Психічне здоров'я для України",
        582,
        (
            ("2024-02-16", "2024-02-16", "", "post_reach", 3982),  # line 187, one post
            ("2024-02-16", "2024-02-16", "", "engagements", 131),
        ),
    ),
    # UTF-16, sep=<TAB>: a Facebook chart and an Instagram chart
    "meta_business_suite/marko7bub-Bubniak_Thesis/Reach.csv": Read(
        "overview page",
        484,
        (
            ("2023-07-08", "2023-07-08", "", "reach", 2768, "facebook"),  # line 4
            ("2023-07-08", "2023-07-08", "", "reach", 20, "instagram"),  # line 249
            ("2024-03-05", "2024-03-05", "", "reach", 353, "instagram"),  # line 490
        ),
    ),
    # re-saved with every line quoted as one cell: not as Meta gives it
    (
        "meta_business_suite/vsbperoto-vintage-analytics-dashboard/"
        "Oct-31-2025_Dec-30-2025_1664278361210560.csv"
    ): Refused(UNKNOWN),
    "other/Anas3rdshade-Teefusion/Untitled-report-Feb-1-2025-to-Aug-4-2025_Reach.csv": Refused(
        UNKNOWN
    ),
    "other/DanielTheC-internal-lnking-tool/Campaign report.csv": Refused(UNKNOWN),
    (
        "other/DanielTheC-internal-lnking-tool/GMB insights (Performance Report) - "
        "2025-12-1 - 2025-12-31 - b0b8be9fada365c16d679e7d097d8c40.csv"
    ): Refused(UNKNOWN),
    "other/vsbperoto-vintage-analytics-dashboard/TIKTOK_RAW.csv": Refused(UNKNOWN),
    (
        "twitter/ayo-klaytn-kaia-devdash/"
        "kaiadevintern_account_analytics_content_2024-12-22_2025-03-22.csv"
    ): Read(
        "KaiaDevIntern",
        344,  # 43 days of posts: tweets and seven counts, new follows among them
        (
            ("2025-03-20", "2025-03-20", "", "tweets", 9),
            ("2025-03-20", "2025-03-20", "", "impressions", 2049),
            ("2025-01-27", "2025-01-27", "", "engagements", 125),
        ),
    ),
    "twitter/ayo-klaytn-kaia-devdash/kaiadevintern_account_overview_analytics.csv": Read(
        "overview handle",
        2168,
        (
            ("2025-03-21", "2025-03-21", "", "impressions", 1070),  # line 2
            ("2025-03-21", "2025-03-21", "", "engagements", 32),
        ),
    ),
    (
        "twitter/debruine-30DCC-2022/"
        "daily_tweet_activity_metrics_LisaDeBruine_20210801_20210901_en.csv"
    ): (
        Read(
            "LisaDeBruine",
            186,
            (
                ("2021-08-01", "2021-08-01", "", "impressions", 1088),  # line 2
                ("2021-08-31", "2021-08-31", "", "likes", 16),  # line 32
            ),
        )
    ),
    "twitter/debruine-30DCC-2022/tweet_activity_metrics_LisaDeBruine_20210801_20210901_en.csv": (
        Read(
            "LisaDeBruine",
            180,
            (("2021-08-31", "2021-08-31", "", "tweets", 21),),
        )
    ),
    (
        "twitter/hestey-star-hestys-stock-screener/"
        "account_analytics_content_2026-08-10_2026-08-16.csv"
    ): (
        Read(
            "HestysInvest",
            48,
            (
                ("2026-08-15", "2026-08-15", "", "tweets", 3),
                ("2026-08-12", "2026-08-12", "", "engagements", 24),
            ),
        )
    ),
    (
        "twitter/pmaier1971-TwitterPredictiveAnalytics/"
        "tweet_activity_metrics_EconomicsShiny_20220201_20220301_en.csv"
    ): Read(
        "EconomicsShiny",
        168,
        (("2022-02-28", "2022-02-28", "", "tweets", 2),),
    ),
    "twitter/vianarafael-koe/account_overview_analytics.csv": Read(
        "overview handle",
        56,
        (
            ("2025-08-26", "2025-08-26", "", "impressions", 444),  # line 2
            ("2025-08-25", "2025-08-25", "", "new_follows", 5),  # line 3: New follows
            ("2025-08-20", "2025-08-20", "", "tweets", 1),  # line 8: Create Post
        ),
    ),
    # the Geography tab
    "youtube/CodingTrain-Happy-New-Year-2022/Chart data.csv": Read(
        "The Coding Train",
        73365,
        (("2021-07-01", "2021-07-01", "KZ", "views", 16),),  # line 36684
    ),
    "youtube/CodingTrain-Happy-New-Year-2022/Table data.csv": Read(
        "The Coding Train",
        404,
        (
            ("2020-12-31", "2021-12-30", "", "views", 15503810),  # line 2: Total, kept
            ("2020-12-31", "2021-12-30", "US", "views", 2638475),  # line 3
        ),
    ),
    "youtube/CodingTrain-Happy-New-Year-2022/Totals.csv": Read(
        "The Coding Train",
        365,
        (
            ("2020-12-31", "2020-12-31", "", "views", 31964),  # line 2
            ("2021-12-30", "2021-12-30", "", "views", 39142),  # line 366
        ),
    ),
    # dates re-written M/D/YYYY by a spreadsheet: not as Studio gives them
    "youtube/Deanout-growth-plotter/Totals.csv": Refused("a date like 2024-09-27"),
    # every Total beyond the rounding of its rows kept, watch hours as views: 1,384.3735
    # against 1,383.0207 shown is 1.35 hours of videos not in the file
    "youtube/buildwithadi-youtube-analyis-of-my-sister-youtube-channel/Table data.csv": Read(
        "suuz",
        75,
        (
            ("2020-01-01", "2021-12-31", "", "views", 61685),  # line 2: Total, kept
            ("2020-01-01", "2021-12-31", "", "watch_hours", 1384.3735),
            ("2020-01-01", "2021-12-31", "", "subscribers_gained", 281),
            ("2020-01-01", "2021-12-31", "Study with me||India||^_^", "watch_hours", 2.74),
        ),
    ),
    # "Engaged views" only: read as views
    "youtube/ligardoisaghost-timaghostresonance/Chart data.csv": Read(
        "timaghostresonance",
        6802,
        (("2007-04-01", "2007-04-01", "March 27, 2021", "views", 0),),  # line 2
    ),
    # Views beside Engaged views: Views read; its Total covers more than the videos shown
    "youtube/ligardoisaghost-timaghostresonance/Table data.csv": Read(
        "timaghostresonance",
        682,
        (
            ("2007-04-01", "2025-11-13", "", "views", 37504),  # line 2
            ("2007-04-01", "2025-11-13", "", "subscribers_gained", 56),
            ("2007-04-01", "2025-11-13", "", "watch_hours", 597.3255),  # rows: 596.3976
        ),
    ),
    # "Engaged views" only: read as views
    "youtube/ligardoisaghost-timaghostresonance/Totals.csv": Read(
        "timaghostresonance",
        6802,
        (
            ("2023-10-01", "2023-10-01", "", "views", 9),  # line 6029
            ("2025-10-09", "2025-10-09", "", "views", 608),  # line 6768: the busiest day
            ("2025-11-13", "2025-11-13", "", "views", 33),  # line 6803
        ),
    ),
}


def _corpus_files() -> list[str]:
    return sorted(
        p.relative_to(CORPUS).as_posix()
        for p in CORPUS.rglob("*")
        if p.is_file() and p.name != "PROVENANCE.md"
    )


def _ingest(relpath: str, tmp_path: Path, capsys, mapping: str | None = MAPPING):
    """``engagement ingest`` on one corpus file: exit code, stdout, stderr lines, rows."""
    accounts = tmp_path / "accounts.yml"
    accounts.write_text(mapping or "")
    out = tmp_path / "rows.csv"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = main(
            [
                "ingest",
                str(CORPUS / relpath),
                "--csv",
                str(out),
                "--exports",
                str(CORPUS),
                "--accounts",
                str(accounts),
            ]
        )
    captured = capsys.readouterr()
    assert not caught, [str(w.message) for w in caught]
    rows = pd.read_csv(out, dtype=str, keep_default_na=False) if out.exists() else None
    return code, captured.out, captured.err.splitlines(), rows


def test_every_corpus_file_has_a_stated_outcome():
    assert _corpus_files() == sorted(CASES)


@pytest.mark.parametrize("relpath", sorted(CASES))
def test_corpus_file(relpath, tmp_path, capsys):
    expected = CASES[relpath]
    code, out, err, rows = _ingest(relpath, tmp_path, capsys)
    if isinstance(expected, Refused):
        assert code == 1
        assert len(err) == 1, err
        line = err[0]
        assert line.startswith("error: ") and expected.says in line
        assert "Traceback" not in out
        name = str(CORPUS / relpath)
        assert len(line.replace(name, "")) <= 200 + len("error: "), line
        return
    assert code == 0, err
    assert err == []
    assert len(rows) == expected.rows
    assert set(rows["account"]) == set(expected.account.split(", "))
    for start, end, segment, metric, value, *which in expected.values:
        hit = rows[
            (rows["start"].str[:10] == start)
            & (rows["end"].str[:10] == end)
            & (rows["segment"] == segment)
            & (rows["metric"] == metric)
            & (rows["channel"].isin(which) | rows["account"].isin(which) if which else True)
        ]
        assert len(hit) == 1, (start, end, segment, metric, hit)
        assert float(hit["value"].iloc[0]) == pytest.approx(value)
        assert hit["source"].iloc[0].startswith(f"exports/{relpath}:")


@pytest.mark.parametrize("relpath", sorted(NEED_MAPPING))
def test_without_a_mapping_the_file_says_how_to_map_it(relpath, tmp_path, capsys):
    code, _, err, _ = _ingest(relpath, tmp_path, capsys, mapping="")
    assert code == 1 and len(err) == 1
    assert NEED_MAPPING[relpath] in err[0] and "accounts.yml" in err[0]
    assert len(err[0].replace(str(CORPUS / relpath), "")) <= 200 + len("error: "), err[0]


def test_the_days_of_a_real_snapshot_agree_with_its_retention_cohorts(tmp_path, capsys):
    """New users by Nth day, added up by Sunday-to-Saturday week, equal the cohorts' Week 0."""
    code, out, err, _ = _ingest("ga4/ryanpate-myrecoverypal/Reports_snapshot.csv", tmp_path, capsys)
    assert code == 0, err
    assert "new users of 3 week(s) agree with the retention cohorts (lines 216-218)" in out
