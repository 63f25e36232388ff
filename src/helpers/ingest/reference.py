"""Reader of the reference data: residents of each local authority (2011 Census).

``<raw>/reference/census_2011_usual_residents.csv`` (:attr:`DataLayout.census
<helpers.layout.DataLayout.census>`) holds one row per local authority of the force
area with the columns :data:`CENSUS_COLUMNS` (see ``data/raw/reference/README.md``
for the citation and caveats). :func:`read_census` reads and checks it;
:func:`helpers.tidy.reference.division_residents` adds the authorities up by division.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from helpers.errors import DataError
from helpers.ingest.cleaning import parse_number
from helpers.ingest.raw_table import read_raw_table

#: Columns the census file must have.
CENSUS_COLUMNS: list[str] = ["gss_code", "authority", "division", "usual_residents"]

# ONS local authority codes: E06 unitary, E07 district, E08 metropolitan, E09 London.
_GSS_CODE = re.compile(r"^E0[6-9]\d{6}$")


def empty_census() -> pd.DataFrame:
    """A census frame with no rows (a data folder without the reference file)."""
    frame = pd.DataFrame({column: pd.Series(dtype=str) for column in CENSUS_COLUMNS})
    return frame.astype({"usual_residents": "int64"})


def read_census(path: Path, divisions: Sequence[str] = ()) -> pd.DataFrame:
    """Read and check the 2011 Census residents of the force area.

    Args:
        path: The census file (:attr:`helpers.layout.DataLayout.census`).
        divisions: The force's divisions (``raw/force.yml``): every row names one and
            each has an authority (not checked when none are declared).

    Returns:
        One row per local authority, in file order, with the columns
        :data:`CENSUS_COLUMNS`: ``gss_code``, ``authority`` and ``division`` as text
        and ``usual_residents`` as ``int64``.

    Raises:
        DataError: Naming the file, line and column, if the file is missing or not
            UTF-8 CSV, a column is missing, a code is not an ONS local authority
            code, a division is not one of ``divisions``, a count is not a positive
            whole number, an authority or code appears twice, or a division has no
            authority.
    """
    path = Path(path)
    table = read_raw_table(path)
    table.require(*CENSUS_COLUMNS)
    records: list[dict[str, object]] = []
    seen: dict[str, dict[str, int]] = {"gss_code": {}, "authority": {}}
    for line, row in table.rows:
        code = row["gss_code"]
        if not _GSS_CODE.match(code):
            raise DataError(
                path,
                "an ONS local authority code such as E06000009 (E06, E07, E08 or E09 "
                "then six digits)",
                line=line,
                column="gss_code",
                found=code,
            )
        if not row["authority"]:
            raise DataError(path, "the authority's name", line=line, column="authority")
        if not row["division"] or (divisions and row["division"] not in divisions):
            raise DataError(
                path,
                f"one of the divisions {', '.join(divisions)}" if divisions else "a division",
                line=line,
                column="division",
                found=row["division"],
            )
        for column in ("gss_code", "authority"):
            key = row[column].casefold()
            if key in seen[column]:
                raise DataError(
                    path,
                    f"each {column} once (first on line {seen[column][key]})",
                    line=line,
                    column=column,
                    found=row[column],
                )
            seen[column][key] = line
        residents = _residents(path, line, row["usual_residents"])
        records.append({**{c: row[c] for c in CENSUS_COLUMNS[:3]}, "usual_residents": residents})
    census = pd.DataFrame.from_records(records, columns=CENSUS_COLUMNS)
    census = census.astype({"usual_residents": "int64"}) if records else empty_census()
    missing = [d for d in divisions if d not in set(census["division"])]
    if missing:
        raise DataError(
            path, f"at least one authority in each division (none for {', '.join(missing)})"
        )
    return census


def _residents(path: Path, line: int, text: str) -> int:
    """A positive whole number of residents (thousands commas allowed)."""
    try:
        value = parse_number(text)
    except ValueError:
        value = None
    if value is None or value <= 0 or not float(value).is_integer():
        raise DataError(
            path,
            "a positive whole number of residents",
            line=line,
            column="usual_residents",
            found=text,
        )
    return int(value)
