"""Reference data by division: residents of each division (2011 Census).

:func:`helpers.ingest.reference.read_census` reads the residents of each local
authority; :func:`division_residents` adds the authorities up by division. Figures
divided by these residents are labelled :data:`PER_1000_LABEL`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

#: Columns of :func:`division_residents`.
DIVISION_COLUMNS: list[str] = ["division", "residents", "authorities", "n_authorities"]
#: How figures per resident are labelled wherever they are shown.
PER_1000_LABEL = "per 1,000 residents (2011 Census)"


def join_names(names: list[str]) -> str:
    """``["A", "B", "C"]`` -> ``"A, B and C"`` (one name alone, ``""`` for none)."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def division_residents(census: pd.DataFrame, divisions: Sequence[str] = ()) -> pd.DataFrame:
    """Residents of each division: the sum of its authorities.

    Args:
        census: Authorities with ``authority``, ``division`` and ``usual_residents``
            columns, as returned by
            :func:`helpers.ingest.reference.read_census`.
        divisions: The force's divisions in the order pages list them (its profile).

    Returns:
        One row per division with the columns :data:`DIVISION_COLUMNS`: ``division``,
        ``residents`` (``int64``), ``authorities`` (the names in alphabetical order as
        a readable list, e.g. ``"Blackpool, Fylde, Lancaster and Wyre"``) and
        ``n_authorities``. Divisions come in the order of
        ``divisions``, then any others in the order the census first names them; an empty
        census gives an empty frame with these columns.
    """
    if census.empty:
        frame = pd.DataFrame({c: pd.Series(dtype=str) for c in DIVISION_COLUMNS})
        return frame.astype({"residents": "int64", "n_authorities": "int64"})
    grouped = census.groupby("division", sort=True)
    out = pd.DataFrame(
        {
            "residents": grouped["usual_residents"].sum().astype("int64"),
            "authorities": grouped["authority"].agg(lambda names: join_names(sorted(names))),
            "n_authorities": grouped["authority"].size().astype("int64"),
        }
    )
    order = [d for d in divisions if d in out.index]
    order += [d for d in census["division"].unique() if d not in order]
    return out.loc[order].rename_axis("division").reset_index()[DIVISION_COLUMNS]
