"""Figures per 1,000 residents by division.

Pure measures: the residents come in as a frame (read by
:func:`helpers.ingest.reference.read_census` and added up by
:func:`helpers.tidy.reference.division_residents`); nothing here reads a file.
Results are labelled :data:`helpers.tidy.reference.PER_1000_LABEL`
("per 1,000 residents (2011 Census)"): the residents are 2011 Census figures, and
residents are not the audience (see ``data/raw/reference/README.md``).
"""

from __future__ import annotations

import pandas as pd

from helpers import config
from helpers.tidy.reference import division_residents

#: Columns of :func:`per_1000`.
PER_1000_COLUMNS: list[str] = ["division", "count", "residents", "per_1000", "date"]


def _counts_frame(counts: pd.DataFrame | pd.Series, date: object) -> pd.DataFrame:
    """Counts as a ``division, count, date`` frame with canonical division names."""
    if isinstance(counts, pd.Series):
        frame = pd.DataFrame(
            {"division": [str(i) for i in counts.index], "count": counts.to_numpy()}
        )
        frame["date"] = pd.Timestamp(date) if date is not None else pd.NaT
    elif {"account", "value", "end"} <= set(counts.columns):
        frame = pd.DataFrame(
            {"division": counts["account"], "count": counts["value"], "date": counts["end"]}
        )
    elif {"division", "count"} <= set(counts.columns):
        frame = counts[["division", "count"]].copy()
        frame["date"] = counts["date"] if "date" in counts.columns else date
    else:
        raise ValueError(
            "counts must be a Series indexed by division, tidy rows (account, value, end) "
            f"or a frame with division and count columns; got columns {list(counts.columns)}"
        )
    frame["division"] = frame["division"].astype(str).map(config.canonical_account)
    frame["count"] = pd.to_numeric(frame["count"]).astype(float)
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    return frame.reset_index(drop=True)


def _residents_by_division(residents: pd.DataFrame) -> pd.Series:
    if "residents" not in residents.columns and "usual_residents" in residents.columns:
        residents = division_residents(residents)
    series = residents.set_index(residents["division"].astype(str).map(config.canonical_account))
    return pd.to_numeric(series["residents"]).astype(float)


def per_1000(
    counts: pd.DataFrame | pd.Series, residents: pd.DataFrame, date: object = None
) -> pd.DataFrame:
    """Counts per 1,000 residents, division by division.

    Args:
        counts: The counts to divide, in one of three shapes:

            * rows of the tidy table (columns ``account``, ``value``, ``end``; e.g. ITK
              ``registered_users`` of the divisions): the date is each row's ``end``;
            * a frame with ``division`` and ``count`` columns and optionally ``date``;
            * a Series of counts indexed by division, dated ``date``.

            Division names are made canonical (``"West Division"`` -> ``"West"``).
            Several dates may be given; each division may appear once per date.
        residents: Residents by division: ``division`` and ``residents`` columns as
            returned by :func:`helpers.tidy.reference.division_residents` (the census
            by authority, with ``usual_residents``, is added up first).
        date: The date of the counts when they come as a Series or without a
            ``date`` column (``NaT`` when not given).

    Returns:
        One row per division and date of ``counts`` with the columns
        :data:`PER_1000_COLUMNS`: ``division``, ``count`` (float), ``residents``
        (float), ``per_1000`` (``count / residents * 1000``) and ``date`` (the
        count's own date; the residents are always the 2011 Census). ``residents`` is
        ``nan`` for a name that is not a division of ``residents`` (e.g. a force-wide
        account), and ``per_1000`` is ``nan`` wherever the count or residents are
        missing or residents are not positive: nothing is dropped or guessed. Rows are
        sorted by date, then divisions in the order of ``residents``, then any other
        names alphabetically. Empty ``counts`` give an empty frame with these
        columns.

    Raises:
        ValueError: If ``counts`` has none of the shapes above, or a division appears
            twice on one date.
    """
    frame = _counts_frame(counts, date)
    if frame.duplicated(["division", "date"]).any():
        twice = frame[frame.duplicated(["division", "date"], keep=False)].iloc[0]
        raise ValueError(
            f"one count per division and date; {twice['division']} appears more than once "
            f"for {twice['date']}"
        )
    people = _residents_by_division(residents)
    frame["residents"] = frame["division"].map(people).astype(float)
    positive = frame["residents"].where(frame["residents"] > 0)
    frame["per_1000"] = frame["count"] / positive * 1000
    order = {division: i for i, division in enumerate(people.index)}
    frame["_rank"] = frame["division"].map(order).fillna(len(order))
    frame = frame.sort_values(["date", "_rank", "division"], kind="stable")
    return frame[PER_1000_COLUMNS].reset_index(drop=True)
