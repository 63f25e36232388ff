"""Headline figures: the records a notebook publishes for ``headlines.json``.

A notebook's last step returns a :class:`HeadlineSet`. In JupyterLab it shows as a
table; in an executed notebook its output also carries the records under
:data:`HEADLINES_MIME`, which the briefing runner collects into
``outputs/<period>/headlines.json`` (and the HTML template leaves out, since the
figures already appear in the narrative above it).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from helpers.measures.figures import Measure
from helpers.tidy.published import HEADLINES_MIME


def channel_wide(records: Iterable[Mapping[str, Any]]) -> set[tuple[str, str]]:
    """The ``(channel, account)`` pairs that stand for a whole channel or site.

    A channel's total (``All accounts``) where it has one, else its one account (a web
    property, a single page): whichever force the records are of.
    """
    accounts: dict[str, set[str]] = {}
    for r in records:
        accounts.setdefault(str(r.get("channel")), set()).add(str(r.get("account")))
    wide = set()
    for channel, names in accounts.items():
        parts = names - {"All accounts", "Sum of accounts"}
        if "All accounts" in names:
            wide.add((channel, "All accounts"))
        elif len(parts) == 1:
            wide.add((channel, next(iter(parts))))
    return wide


#: What a headline value measures.
MEASURES = tuple(Measure)


@dataclass(frozen=True)
class Headline:
    """One headline figure of a briefing.

    Attributes:
        channel: Tidy channel name (``facebook``...).
        account: Account or division (``All accounts`` for a channel total).
        metric: Tidy metric the figure is about (``page_likes``, ``engagement_rate``).
        measure: One of :data:`MEASURES`.
        start: First day the figure covers (ISO date); for a change, the first point.
        end: Last day the figure covers (ISO date); for a change, the last point.
        value: The figure, percentages in percent units (63.1).
        unit: ``count``, ``percent``, ``percent_per_month``, ``count_per_month``,
            ``hours`` or ``per_1000``.
        segment: Breakdown segment, empty for a total.
        label: Short human label for tables.
        is_total: The figure adds up others of the same page (``is_total`` of its
            figure frame): leave it out before summing headlines.
    """

    channel: str
    account: str
    metric: str
    measure: str
    start: str
    end: str
    value: float
    unit: str
    segment: str = ""
    label: str = ""
    is_total: bool = False

    def __post_init__(self) -> None:
        if self.measure not in MEASURES:
            raise ValueError(f"unknown measure {self.measure!r}; expected one of {MEASURES}")


_MEASURE_WORDS = {
    "abs_change": "change",
    "pct_change": "% change",
    "yoy_pct_change": "12-month change",
    "mom_pct_change": "change on the month before",
    "cmgr": "monthly growth",
    "change_per_month": "change a month",
    "sum": "total",
    "per_1000": "per 1,000 residents (2011 Census)",
}


def _label(record: dict) -> str:
    from helpers import config

    spec = config.METRICS.get(str(record["metric"]))
    name = spec.label if spec else str(record["metric"]).replace("_", " ")
    channel = config.CHANNELS.get(str(record["channel"]), str(record["channel"]))
    label = name if name.startswith(channel) else f"{channel} {name}"
    if record.get("segment"):
        label += f" ({record['segment']})"
    words = _MEASURE_WORDS.get(str(record["measure"]))
    return f"{label}: {words}" if words else label


def iso(day: object) -> str:
    """Return a date as ``YYYY-MM-DD``."""
    return pd.Timestamp(day).strftime("%Y-%m-%d")


@dataclass
class HeadlineSet:
    """The headline figures of one notebook run (displayable, serialisable)."""

    channel: str
    period: str
    items: list[Headline] = field(default_factory=list)

    def add(self, headline: Headline) -> None:
        """Append a headline, dropping undefined (nan) values."""
        if headline.value is None or (
            isinstance(headline.value, float) and math.isnan(headline.value)
        ):
            return
        self.items.append(headline)

    def extend(self, headlines: list[Headline]) -> None:
        """Append several headlines."""
        for h in headlines:
            self.add(h)

    @classmethod
    def from_frames(cls, channel: str, period: str, frames: list[pd.DataFrame]) -> HeadlineSet:
        """Every figure of the given figure frames, as headline records.

        Args:
            channel: The briefing (notebook) name.
            period: The reporting month.
            frames: Figure frames (:mod:`helpers.measures.figures`) the page shows.

        Returns:
            The headline set; rows with no value are dropped, repeats kept once.
        """
        result = cls(channel, period)
        seen: set[tuple] = set()
        for frame in frames:
            for record in frame.to_dict("records"):
                key = tuple(
                    str(record.get(k))
                    for k in ("channel", "account", "segment", "metric", "measure", "start", "end")
                )
                if key in seen:
                    continue
                seen.add(key)
                result.add(
                    Headline(
                        channel=str(record["channel"]),
                        account=str(record["account"]),
                        metric=str(record["metric"]),
                        measure=str(record["measure"]),
                        start=iso(record["start"]),
                        end=iso(record["end"]),
                        value=float(record["value"]),
                        unit=str(record["unit"]),
                        segment=str(record.get("segment") or ""),
                        label=_label(record),
                        is_total=bool(record.get("is_total", False)),
                    )
                )
        return result

    def records(self) -> list[dict[str, object]]:
        """The headlines as JSON-ready records."""
        return [{**asdict(h), "value": float(h.value)} for h in self.items]

    def to_frame(self) -> pd.DataFrame:
        """The headlines as a DataFrame."""
        return pd.DataFrame(self.records())

    @property
    def frame(self) -> pd.DataFrame:
        """Every headline figure as a DataFrame (the same as :meth:`to_frame`)."""
        return self.to_frame()

    #: Most rows the summary shown in a notebook lists.
    SUMMARY_ROWS = 8

    def summary(self) -> list[Headline]:
        """The latest channel-wide level or rate of each metric: what the summary lists."""
        latest: dict[tuple[str, str], Headline] = {}
        wide = channel_wide(asdict(h) for h in self.items)
        for h in self.items:
            if (h.channel, h.account) not in wide or h.segment:
                continue
            if h.measure not in ("value", "rate"):
                continue
            key = (h.channel, h.metric)
            if key not in latest or h.end >= latest[key].end:
                latest[key] = h
        return list(latest.values())[: self.SUMMARY_ROWS]

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, object]:
        from helpers.present import formats
        from helpers.present.fragments import render

        shown = self.summary()
        rows = [
            (
                h.label or h.metric,
                formats.value(h.value, h.unit, h.measure),
                formats.dates(h.start, h.end),
            )
            for h in shown
        ]
        count = f"{len(self.items)} headline figures for {self.channel} {self.period}"
        table = str(render("headlines.html.j2", "summary", count, rows))
        plain = f"{len(self.items)} headline figures for {self.channel} {self.period}"
        plain += "".join(
            f"\n  {h.label or h.metric}: {formats.value(h.value, h.unit, h.measure)}" for h in shown
        )
        return {
            HEADLINES_MIME: {
                "channel": self.channel,
                "period": self.period,
                "records": self.records(),
            },
            "text/html": table,
            "text/plain": plain + "\n(all of them: headlines.frame)",
        }


def commentary_figures(figures: pd.DataFrame) -> pd.DataFrame:
    """The figures quoted in commentary, as a figure frame (measure ``quoted``).

    Args:
        figures: Declared figures of the period (``inputs.commentary.figures``).

    Returns:
        A figure frame (measure ``quoted``).
    """
    from helpers.measures.figures import figure_frame

    return figure_frame(
        {
            "channel": r["channel"],
            "account": r["account"],
            "segment": r["segment"],
            "metric": r["metric"],
            "measure": Measure.QUOTED,
            "start": r["start"],
            "end": r["end"],
            "value": r["value"],
            "unit": r["unit"] or "count",
            "source": r["source"],
        }
        for r in figures.to_dict("records")
    )
