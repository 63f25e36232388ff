"""Audience measures on small hand-made tidy tables: levels, changes, shares, community."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.config import ALL_ACCOUNTS
from helpers.measures import audiences as aud
from helpers.measures.figures import FIGURE_COLUMNS, one
from helpers.schema import coerce_tidy
from helpers.tidy.periods import Window

WINDOW = Window(pd.Period("2014-10", "M"), pd.Period("2015-09", "M"))


def tidy(*rows: tuple) -> pd.DataFrame:
    """Rows of (day, channel, account, metric, value) as a tidy table of snapshots."""
    return coerce_tidy(
        pd.DataFrame(
            [
                {
                    "start": d,
                    "end": d,
                    "channel": c,
                    "account": a,
                    "segment": "",
                    "metric": m,
                    "value": v,
                    "unit": "count",
                    "source": f"t.csv:{i + 2}:value",
                }
                for i, (d, c, a, m, v) in enumerate(rows)
            ]
        )
    )


LIKES = tidy(
    ("2014-09-30", "facebook", ALL_ACCOUNTS, "page_likes", 100.0),
    ("2015-02-28", "facebook", "West", "page_likes", 40.0),
    ("2015-02-28", "facebook", "East", "page_likes", 60.0),
    ("2015-02-10", "facebook", "East", "page_likes", 55.0),  # earlier in the month: dropped
    ("2015-09-30", "facebook", "West", "page_likes", 50.0),
    ("2015-09-30", "facebook", "East", "page_likes", 90.0),
    ("2015-09-30", "facebook", ALL_ACCOUNTS, "page_likes", 141.0),  # stated, differs by 1
)


def test_levels_keep_the_last_reading_of_each_month_and_the_stated_total():
    levels = aud.audience(LIKES, WINDOW, "facebook", "page_likes")
    assert list(levels.columns[: len(FIGURE_COLUMNS)]) == FIGURE_COLUMNS
    east = levels[(levels["account"] == "East")]
    assert east["value"].tolist() == [60.0, 90.0]
    total = levels[levels["account"] == ALL_ACCOUNTS].set_index("end")
    assert total.loc["2015-09-30", "value"] == 141.0  # the stated total wins
    assert total.loc["2015-02-28", "value"] == 100.0  # no stated total: the sum
    assert not bool(total.loc["2014-09-30", "in_window"])  # looked back for year on year
    summed = levels[levels["account"] == aud.SUM_OF_ACCOUNTS].set_index("end")["value"]
    assert summed.loc["2015-09-30"] == 140.0  # a table's total row adds up


def test_changes_compare_first_and_latest_and_the_year_before():
    changes = aud.audience_change(aud.audience(LIKES, WINDOW, "facebook", "page_likes"))
    assert one(changes, account="West", measure="pct_change") == pytest.approx(25.0)
    assert one(changes, account="West", measure="cmgr") == pytest.approx(
        ((50 / 40) ** (1 / 7) - 1) * 100
    )
    yoy = changes[(changes["account"] == ALL_ACCOUNTS) & (changes["measure"] == "yoy_pct_change")]
    assert yoy["value"].iloc[0] == pytest.approx(41.0)
    assert yoy["start"].iloc[0] == pd.Timestamp("2014-09-30")
    # February and September are not consecutive months: no month-on-month change
    assert changes[changes["measure"] == "mom_pct_change"].empty


def test_a_single_reading_gives_a_level_but_no_change():
    one_day = tidy(("2015-09-30", "itk", "West", "registered_users", 7165.0))
    changes = aud.audience_change(aud.audience(one_day, WINDOW, "itk", "registered_users"))
    west = changes[changes["account"] == "West"]
    assert west["measure"].tolist() == ["value"]
    assert west["value"].iloc[0] == 7165.0


def test_an_empty_window_gives_empty_frames():
    later = Window(pd.Period("2016-01", "M"), pd.Period("2016-06", "M"))
    early = Window(pd.Period("2013-01", "M"), pd.Period("2013-06", "M"))
    assert aud.audience(LIKES, early, "facebook", "page_likes").empty
    levels = aud.audience(LIKES, later, "facebook", "page_likes")
    assert not levels["in_window"].astype(bool).any()  # only looked-back readings
    assert aud.audience_change(levels).empty
    assert aud.growth_shares(aud.audience_change(levels)).empty


def test_a_missing_month_is_not_filled_in():
    levels = aud.audience(LIKES, WINDOW, "facebook", "page_likes")
    months = sorted(set(levels.loc[levels["account"] == "West", "month"].astype(str)))
    assert months == ["2015-02", "2015-09"]


def test_growth_shares_add_up_to_100():
    changes = aud.audience_change(aud.audience(LIKES, WINDOW, "facebook", "page_likes"))
    shares = aud.growth_shares(changes).set_index("account")["value"]
    assert shares.sum() == pytest.approx(100.0)
    assert shares["East"] == pytest.approx(30 / 40 * 100)


def test_community_adds_the_channels_with_a_figure_on_the_last_day():
    data = tidy(
        ("2015-09-30", "facebook", ALL_ACCOUNTS, "page_likes", 10.0),
        ("2015-09-30", "twitter", "A", "followers", 3.0),
        ("2015-09-30", "twitter", "B", "followers", 4.0),
        ("2015-09-29", "itk", ALL_ACCOUNTS, "registered_users", 99.0),  # not the last day
    )
    frame = aud.community(data, WINDOW)
    total = frame[frame["measure"] == "sum"].iloc[0]
    assert total["value"] == 17.0
    assert "itk" in total["missing"] and "instagram" in total["missing"]
    assert aud.community(data.iloc[0:0], WINDOW).empty


def test_community_is_taken_on_the_latest_day_two_channels_share():
    data = tidy(
        ("2015-08-31", "facebook", ALL_ACCOUNTS, "page_likes", 8.0),
        ("2015-08-31", "twitter", ALL_ACCOUNTS, "followers", 2.0),
        ("2015-09-18", "instagram", ALL_ACCOUNTS, "followers", 651.0),  # one channel only
    )
    frame = aud.community(data, WINDOW)
    total = frame[frame["measure"] == "sum"].iloc[0]
    assert total["value"] == 10.0
    assert total["end"] == pd.Timestamp("2015-08-31")
    assert "instagram" in total["missing"]


def test_per_resident_divides_the_latest_division_counts():
    data = tidy(
        ("2015-09-30", "itk", "West", "registered_users", 500.0),
        ("2015-09-30", "itk", "East", "registered_users", 300.0),
    )
    residents = pd.DataFrame({"division": ["West", "East"], "residents": [100_000, 150_000]})
    frame = aud.per_resident(aud.audience(data, WINDOW, "itk", "registered_users"), residents)
    rates = frame[frame["measure"] == "per_1000"].set_index("account")["value"]
    assert rates["West"] == pytest.approx(5.0)
    assert rates["East"] == pytest.approx(2.0)
    assert aud.per_resident(
        aud.audience(data, WINDOW, "itk", "registered_users"), residents.iloc[0:0]
    ).empty
    assert math.isnan(one(frame, account="South", measure="per_1000"))


def test_totals_are_marked_so_a_sum_by_date_counts_each_account_once():
    levels = aud.audience(
        tidy(
            ("2015-09-30", "facebook", "West", "page_likes", 100),
            ("2015-09-30", "facebook", "East", "page_likes", 50),
            ("2015-09-30", "facebook", ALL_ACCOUNTS, "page_likes", 152),  # stated total
            ("2015-06-30", "facebook", "West", "page_likes", 90),
            ("2015-06-30", "facebook", "East", "page_likes", 40),
        ),
        WINDOW,
        "facebook",
        "page_likes",
    )
    assert levels["is_total"].dtype == bool
    marked = set(levels.loc[levels["is_total"], "account"])
    assert marked == {ALL_ACCOUNTS, aud.SUM_OF_ACCOUNTS}
    by_day = levels[~levels["is_total"]].groupby("end")["value"].sum()
    assert by_day.to_dict() == {pd.Timestamp("2015-06-30"): 130, pd.Timestamp("2015-09-30"): 150}
    changes = aud.audience_change(levels)
    assert set(changes.loc[changes["is_total"], "account"]) == {ALL_ACCOUNTS, aud.SUM_OF_ACCOUNTS}


def test_parts_of_the_community_are_not_totals_and_its_sum_row_is():
    frame = aud.community(
        tidy(
            ("2015-09-30", "facebook", ALL_ACCOUNTS, "page_likes", 200),
            ("2015-09-30", "twitter", ALL_ACCOUNTS, "followers", 100),
        ),
        WINDOW,
    )
    assert frame.groupby("is_total")["value"].sum().to_dict() == {False: 300, True: 300}
    assert frame[~frame["is_total"]].groupby("end")["value"].sum().iloc[0] == 300


def test_figure_frames_are_documented_in_one_place():
    from helpers import measures

    doc = measures.figures.__doc__
    for word in ("is_total", "basis", "in_window", "``value``", "pct_change", "Sum of accounts"):
        assert word in doc
