"""Per-resident figures by division, from ONS mid-year population estimates.

The estimates live in ``data/raw/reference/ons_mid_year_population.csv`` with
columns ``la_code, la_name, division, year, population, source`` (one row per
local authority and year; ``source`` cites the publication each figure was
copied from). When the file is absent, :func:`division_population` returns a
:class:`PopulationUnavailable` saying so: populations are never guessed.

Divisions of Lancashire Constabulary and the local authorities they cover
(:data:`DIVISION_AUTHORITIES`): West - Blackpool, Fylde, Wyre, Lancaster; South -
Preston, Chorley, South Ribble, West Lancashire; East - Blackburn with Darwen,
Burnley, Hyndburn, Pendle, Ribble Valley, Rossendale. The file's ``division``
column must agree with this mapping.

Evidence for the mapping (from public pages; a force statement for 2015 would be
better and should replace it when found):

* three divisions, West, South and East: Lancashire Constabulary, "About Us",
  https://lancashire.police.uk/about-us/ (undated);
* West Division "covers Lancaster and Morecambe, Blackpool, Fylde and Wyre":
  Lancaster Guardian, "New super police station being built", 8 December 2016,
  http://www.lancasterguardian.co.uk/news/crime/new-super-police-station-being-built-1-8280610;
* East: the force's East news page (https://lancashire.police.uk/news/east) carries
  Burnley, Blackburn, Hyndburn and Rossendale items; the earlier Eastern (Blackburn,
  Hyndburn, Ribble Valley) and Pennine (Burnley, Pendle, Rossendale) divisions are
  described in the Lancashire Telegraph, https://lancashiretelegraph.co.uk/news/6109034.area-suffers-types-crime;
* South: the remaining four districts (Preston, Chorley, South Ribble, West
  Lancashire); no page stating it was found.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import config
from helpers.errors import DataError, display_path

#: Default location of the population estimates.
POPULATION_FILE: Path = config.REFERENCE_DIR / "ons_mid_year_population.csv"
#: Columns the file must have.
COLUMNS = ("la_code", "la_name", "division", "year", "population", "source")

#: Local authorities (ONS code -> name) of each division.
DIVISION_AUTHORITIES: dict[str, dict[str, str]] = {
    "West": {
        "E06000009": "Blackpool",
        "E07000119": "Fylde",
        "E07000128": "Wyre",
        "E07000121": "Lancaster",
    },
    "South": {
        "E07000123": "Preston",
        "E07000118": "Chorley",
        "E07000126": "South Ribble",
        "E07000127": "West Lancashire",
    },
    "East": {
        "E06000008": "Blackburn with Darwen",
        "E07000117": "Burnley",
        "E07000120": "Hyndburn",
        "E07000122": "Pendle",
        "E07000124": "Ribble Valley",
        "E07000125": "Rossendale",
    },
}
_DIVISION_OF = {code: div for div, las in DIVISION_AUTHORITIES.items() for code in las}
_NAME_OF = {code: name for las in DIVISION_AUTHORITIES.values() for code, name in las.items()}


@dataclass(frozen=True)
class PopulationUnavailable:
    """No population figures to divide by, and why.

    Attributes:
        reason: Plain-English reason, naming the file.
    """

    reason: str


def _read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in reader.fieldnames or []]
        for column in COLUMNS:
            if column not in header:
                raise DataError(
                    path,
                    f"a column named '{column}' (columns found: {', '.join(header) or 'none'})",
                    line=1,
                    column=column,
                )
        return [
            (number, {k.strip(): (v or "").strip() for k, v in row.items() if k is not None})
            for number, row in enumerate(reader, start=2)
        ]


def _check_row(path: Path, line: int, row: dict[str, str]) -> tuple[int, int]:
    code, division = row["la_code"], row["division"]
    if code not in _DIVISION_OF:
        known = ", ".join(sorted(_DIVISION_OF))
        raise DataError(
            path,
            f"a Lancashire local authority code ({known})",
            line=line,
            column="la_code",
            found=code,
        )
    if division != _DIVISION_OF[code]:
        expected = f"division '{_DIVISION_OF[code]}' for {code} ({_NAME_OF[code]})"
        raise DataError(path, expected, line=line, column="division", found=division)
    if not row["source"]:
        raise DataError(path, "the publication the figure comes from", line=line, column="source")
    numbers = []
    for column in ("year", "population"):
        text = row[column].replace(",", "")
        if not text.isdigit() or int(text) <= 0:
            raise DataError(
                path, "a positive whole number", line=line, column=column, found=row[column]
            )
        numbers.append(int(text))
    return numbers[0], numbers[1]


def read_population_file(path: Path = POPULATION_FILE) -> pd.DataFrame:
    """Read and check the population estimates file.

    Args:
        path: The CSV file.

    Returns:
        One row per local authority and year with the columns of :data:`COLUMNS`.

    Raises:
        DataError: If a column is missing, a code, division, year or population
            is wrong, a source is empty, or an authority appears twice in a year.
    """
    records = []
    seen: dict[tuple[str, int], int] = {}
    for line, row in _read_rows(path):
        year, population = _check_row(path, line, row)
        key = (row["la_code"], year)
        if key in seen:
            raise DataError(
                path,
                f"one row per authority and year (first on line {seen[key]})",
                line=line,
                column="la_code",
                found=row["la_code"],
            )
        seen[key] = line
        records.append({**row, "year": year, "population": population})
    return pd.DataFrame.from_records(records, columns=list(COLUMNS))


def division_population(
    path: Path = POPULATION_FILE, year: int | None = None
) -> pd.Series | PopulationUnavailable:
    """Population of each division: the sum of its local authorities' estimates.

    Args:
        path: The population estimates file.
        year: Mid-year of the estimates; by default the latest year in the file.

    Returns:
        Population indexed by division (``West``, ``South``, ``East``), with the
        year and the sources in ``attrs``; or :class:`PopulationUnavailable` if
        the file is missing or has no estimates for ``year``.

    Raises:
        DataError: If the file is malformed or the year lacks an authority.
    """
    if not Path(path).is_file():
        return PopulationUnavailable(
            f"{display_path(path)} not found: no published population estimates have been "
            "added, so figures per 1,000 residents cannot be given"
        )
    table = read_population_file(Path(path))
    years = sorted(table["year"].unique())
    if not years:
        return PopulationUnavailable(f"{display_path(path)} holds no estimates")
    chosen = int(years[-1]) if year is None else int(year)
    if chosen not in years:
        listed = ", ".join(str(y) for y in years)
        return PopulationUnavailable(
            f"{display_path(path)} has no estimates for {chosen} (it has {listed})"
        )
    rows = table[table["year"] == chosen]
    missing = [
        f"{name} ({code})" for code, name in _NAME_OF.items() if code not in set(rows["la_code"])
    ]
    if missing:
        raise DataError(
            path, f"an estimate for every authority in {chosen}; missing " + ", ".join(missing)
        )
    totals = rows.groupby("division")["population"].sum()
    result = totals.reindex(list(DIVISION_AUTHORITIES)).astype("int64").rename("population")
    result.index.name = "division"
    result.attrs = {"year": chosen, "sources": sorted(set(rows["source"]))}
    return result


def per_1000(counts_by_division: pd.Series, population_by_division: pd.Series) -> pd.DataFrame:
    """Counts per 1,000 residents by division.

    Args:
        counts_by_division: Registered users or followers indexed by division
            (``"West"`` or ``"West Division"``).
        population_by_division: Residents indexed by division, as returned by
            :func:`division_population`.

    Returns:
        One row per division with columns ``count``, ``population`` and
        ``per_1000`` (``nan`` where either figure is missing or the population is
        not positive). Divisions are listed West, South, East, then any others.
    """
    counts = counts_by_division.rename(index=config.canonical_account).astype(float)
    population = population_by_division.rename(index=config.canonical_account).astype(float)
    table = pd.concat({"count": counts, "population": population}, axis=1, join="outer")
    population_ok = table["population"].where(table["population"] > 0)
    table["per_1000"] = table["count"] / population_ok * 1000
    order = [d for d in DIVISION_AUTHORITIES if d in table.index]
    order += [d for d in table.index if d not in order]
    table = table.loc[order]
    table.index.name = "division"
    return table
