"""Headline figures: the records a notebook publishes for ``headlines.json``.

A notebook's last step returns a :class:`HeadlineSet`. In JupyterLab it shows as a
table; in an executed notebook its output also carries the records under
:data:`HEADLINES_MIME`, which the briefing runner collects into
``outputs/<period>/headlines.json`` (and the HTML template leaves out, since the
figures already appear in the narrative above it).
"""

from __future__ import annotations

import html
import math
from dataclasses import asdict, dataclass, field

import pandas as pd

HEADLINES_MIME = "application/vnd.engagement-briefings.headlines+json"

#: What a headline value measures.
MEASURES = (
    "value",  # a figure as it stands (followers on a day, sessions in a month)
    "abs_change",  # last - first
    "pct_change",  # change over the window, percent
    "yoy_pct_change",  # change on the same month a year earlier, percent
    "cmgr",  # compound monthly growth rate, percent per month
    "rate",  # a ratio in percent (engagement rate)
    "share",  # a segment's share in percent
    "per_1000",  # per 1,000 residents
)


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
        unit: ``count``, ``percent``, ``percent_per_month``, ``hours`` or ``per_1000``.
        segment: Breakdown segment, empty for a total.
        label: Short human label for tables.
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

    def __post_init__(self) -> None:
        if self.measure not in MEASURES:
            raise ValueError(f"unknown measure {self.measure!r}; expected one of {MEASURES}")


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

    def records(self) -> list[dict[str, object]]:
        """The headlines as JSON-ready records."""
        return [{**asdict(h), "value": float(h.value)} for h in self.items]

    def to_frame(self) -> pd.DataFrame:
        """The headlines as a DataFrame."""
        return pd.DataFrame(self.records())

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, object]:
        rows = "".join(
            "<tr>"
            + "".join(
                f"<td>{html.escape(str(v))}</td>"
                for v in (
                    h.label or h.metric,
                    h.account,
                    h.measure,
                    h.start,
                    h.end,
                    f"{h.value:,.2f}",
                    h.unit,
                )
            )
            + "</tr>"
            for h in self.items
        )
        table = (
            f"<table><caption>Headline figures: {html.escape(self.channel)}, "
            f"{html.escape(self.period)}</caption><thead><tr>"
            + "".join(
                f"<th scope='col'>{c}</th>"
                for c in ("figure", "account", "measure", "start", "end", "value", "unit")
            )
            + f"</tr></thead><tbody>{rows}</tbody></table>"
        )
        return {
            HEADLINES_MIME: {
                "channel": self.channel,
                "period": self.period,
                "records": self.records(),
            },
            "text/html": table,
            "text/plain": f"{len(self.items)} headline figures for {self.channel} {self.period}",
        }
