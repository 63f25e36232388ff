"""Post activity in a month the data cover only in part."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from helpers.measures import post_activity
from helpers.tidy.periods import reporting_window

WINDOW = reporting_window("2025-04", None, today=dt.date(2026, 1, 1))


def _rows(channel: str, metric: str, values: dict[str, float]) -> pd.DataFrame:
    days = pd.to_datetime(list(values))
    return pd.DataFrame(
        {
            "start": days,
            "end": days,
            "channel": channel,
            "account": "Lancs Police",
            "segment": "",
            "metric": metric,
            "value": list(values.values()),
            "unit": "count",
            "source": [f"exports/x.csv:{i + 2}:{metric}" for i in range(len(days))],
        }
    )


def test_days_covered_and_sums_of_a_partial_month():
    tidy = pd.concat(
        [
            # 31 March is outside the month; 1 April is a day of the export without a post
            _rows("facebook", "posts", {"2025-03-31": 4, "2025-04-01": 0, "2025-04-14": 2}),
            _rows("facebook", "post_reach", {"2025-03-31": 90, "2025-04-01": 0, "2025-04-14": 70}),
            _rows("facebook", "engagements", {"2025-04-01": 0, "2025-04-14": 5}),
            _rows("instagram", "posts", {"2025-04-03": 1}),
            _rows("instagram", "likes", {"2025-04-03": 7}),
            _rows("instagram", "comments", {"2025-04-03": 2}),
            # a whole-month figure is not a day of publication
            _rows("facebook", "post_reach", {"2025-04-30": 1}).assign(
                start=pd.Timestamp("2025-04-01")
            ),
        ],
        ignore_index=True,
    )
    frame = post_activity(tidy, WINDOW).set_index(["channel", "metric"])
    fb = frame.loc["facebook"]
    assert fb.loc["posts", "value"] == 2 and fb.loc["post_reach", "value"] == 70
    assert fb.loc["engagements", "value"] == 5
    assert (fb["start"] == "2025-04-01").all() and (fb["end"] == "2025-04-14").all()
    assert (fb["days"] == 2).all() and (fb["month_days"] == 30).all()
    ig = frame.loc["instagram"]
    assert ig.loc["engagements", "value"] == 9  # likes + comments: Instagram gives no total
    assert ig.loc["engagements", "engagement"] == "likes, comments and shares"
    assert "post_reach" not in ig.index


def test_a_month_without_posts_gives_an_empty_frame():
    tidy = _rows("facebook", "posts", {"2025-03-02": 3})
    assert post_activity(tidy, WINDOW).empty
