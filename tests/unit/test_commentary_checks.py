"""Figures quoted in the commentary, checked against hand-made tidy tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.ingest.commentary import FIGURE_COLUMNS
from helpers.measures.quality import (
    DIFFERS,
    NOT_IN_DATA,
    OK,
    QUALITY_COLUMNS,
    commentary_checks,
)
from helpers.schema import coerce_tidy

TIDY = coerce_tidy(
    pd.DataFrame(
        [
            # start, end, channel, account, segment, metric, value
            ("2015-11-18", "2015-11-18", "instagram", "All accounts", "", "followers", 651),
            ("2015-09-01", "2015-09-30", "facebook", "West", "Q&A", "reach", 6000),
            ("2015-09-30", "2015-09-30", "itk", "West", "", "registered_users", 70),
            ("2015-09-30", "2015-09-30", "itk", "East", "", "registered_users", 30),
            ("2015-09-01", "2015-09-30", "youtube", "All accounts", "", "watch_hours", 1234.4),
        ],
        columns=["start", "end", "channel", "account", "segment", "metric", "value"],
    ).assign(unit=lambda f: f["metric"].map({"watch_hours": "hours"}).fillna("count"), source="t")
)


def figures(*rows: tuple) -> pd.DataFrame:
    """Declared figures: (id, channel, account, segment, metric, start, end, value, qualifier)."""
    records = [
        dict(
            zip(FIGURE_COLUMNS[1:10], row, strict=True),
            period="2015-11",
            unit="count",
            source=f"commentary/2015-11.md:{i + 4}",
        )
        for i, row in enumerate(rows)
    ]
    frame = pd.DataFrame.from_records(records, columns=FIGURE_COLUMNS)
    for col in ("start", "end"):
        frame[col] = pd.to_datetime(frame[col])
    return frame


FOLLOWERS = ("ig", "instagram", "All accounts", "", "followers", "2015-11-18", "2015-11-18")


def test_a_matching_figure_is_ok():
    checks = commentary_checks(TIDY, figures((*FOLLOWERS, 651, "")))
    assert list(checks.columns) == QUALITY_COLUMNS
    row = checks.iloc[0]
    assert (row["check"], row["kind"], row["status"]) == ("commentary_2015-11_ig", "commentary", OK)
    assert (row["stated"], row["computed"], row["difference"]) == (651, 651, 0)
    assert row["source"] == "commentary/2015-11.md:4"
    assert row["quote"] == "651"


def test_a_different_value_differs():
    checks = commentary_checks(TIDY, figures((*FOLLOWERS, 650, "nearly")))
    row = checks.iloc[0]
    assert row["status"] == DIFFERS
    assert row["difference"] == pytest.approx(1.0)  # computed - stated
    assert row["quote"] == "nearly 650"


def test_decimals_of_the_declared_value_set_the_tolerance():
    hours = ("h", "youtube", "All accounts", "", "watch_hours", "2015-09-01", "2015-09-30")
    checks = commentary_checks(
        TIDY, figures((*hours, 1234, "around"), (*hours, 1233, ""), (*hours, 1234.4, ""))
    )
    assert list(checks["status"]) == [OK, DIFFERS, OK]
    assert list(checks["tolerance"]) == pytest.approx([0.5, 0.5, 0.05])


def test_segment_account_and_dates_must_all_match():
    base = ("qa", "facebook", "West", "Q&A", "reach", "2015-09-01", "2015-09-30", 6000, "nearly")
    other_segment = (
        "q2",
        "facebook",
        "West",
        "Other",
        "reach",
        "2015-09-01",
        "2015-09-30",
        6000,
        "",
    )
    other_dates = ("q3", "facebook", "West", "Q&A", "reach", "2015-09-01", "2015-09-29", 6000, "")
    other_account = ("q4", "facebook", "East", "Q&A", "reach", "2015-09-01", "2015-09-30", 6000, "")
    checks = commentary_checks(TIDY, figures(base, other_segment, other_dates, other_account))
    assert list(checks["status"]) == [OK, NOT_IN_DATA, NOT_IN_DATA, NOT_IN_DATA]
    assert math.isnan(checks.iloc[1]["computed"])
    assert "(Other)" in checks.iloc[1]["description"]


def test_all_accounts_falls_back_to_the_sum_of_the_accounts():
    total = ("itk", "itk", "All accounts", "", "registered_users", "2015-09-30", "2015-09-30")
    checks = commentary_checks(TIDY, figures((*total, 100, "")))
    assert checks.iloc[0]["status"] == OK and checks.iloc[0]["computed"] == 100


def test_a_figure_absent_from_the_data():
    absent = ("yt", "youtube", "South", "Copcast", "views", "2015-11-18", "2015-11-18", 1300, "")
    checks = commentary_checks(TIDY, figures(absent))
    assert checks.iloc[0]["status"] == NOT_IN_DATA == "not in the data"


def test_no_figures_gives_no_checks():
    checks = commentary_checks(TIDY, figures())
    assert checks.empty and list(checks.columns) == QUALITY_COLUMNS
