"""Hand-made tidy rows of one figure a day, for the tests of the month's flows."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd


def daily_rows(
    channel: str,
    metric: str,
    first: str,
    last: str,
    value: float | Callable[[pd.Timestamp], float] = 1.0,
    account: str = "Acc",
    file: str | None = None,
) -> pd.DataFrame:
    """Tidy rows of one figure a day from ``first`` to ``last`` (a value, or one per day).

    Each row's ``source`` is a line of ``exports/<file>.csv`` (``file``: the channel).
    """
    days = pd.date_range(first, last, freq="D")
    values = value if callable(value) else (lambda _day: value)
    name = file or channel
    return pd.DataFrame(
        {
            "start": days,
            "end": days,
            "channel": channel,
            "account": account,
            "segment": "",
            "metric": metric,
            "value": [float(values(d)) for d in days],
            "unit": "count",
            "source": [f"exports/{name}.csv:{i + 2}:{metric}" for i in range(len(days))],
        }
    )
