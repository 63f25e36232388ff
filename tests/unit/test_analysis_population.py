import csv
import math

import pandas as pd
import pytest

from helpers.errors import DataError
from helpers.measures.population import (
    COLUMNS,
    DIVISION_AUTHORITIES,
    PopulationUnavailable,
    division_population,
    per_1000,
    read_population_file,
)

# Synthetic figures for the tests only (not population estimates).
FIXTURE_SOURCE = "test fixture"


def fixture_rows(year=2015, size=1000):
    rows = []
    for division, authorities in DIVISION_AUTHORITIES.items():
        for i, (code, name) in enumerate(authorities.items(), start=1):
            rows.append([code, name, division, year, size * i, FIXTURE_SOURCE])
    return rows


def write(path, rows, header=COLUMNS):
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_missing_file_is_reported_not_guessed(tmp_path):
    result = division_population(tmp_path / "absent.csv")
    assert isinstance(result, PopulationUnavailable)
    assert "absent.csv not found" in result.reason
    assert "per 1,000 residents cannot be given" in result.reason


def test_division_totals(tmp_path):
    path = write(tmp_path / "pop.csv", fixture_rows())
    result = division_population(path)
    assert list(result.index) == ["West", "South", "East"]
    # West and South have 4 authorities (1+2+3+4 thousand), East 6 (1+...+6 thousand)
    assert list(result) == [10_000, 10_000, 21_000]
    assert result.attrs == {"year": 2015, "sources": [FIXTURE_SOURCE]}


def test_latest_year_by_default_and_year_choice(tmp_path):
    path = write(tmp_path / "pop.csv", fixture_rows(2014, 1000) + fixture_rows(2015, 2000))
    assert division_population(path).attrs["year"] == 2015
    assert division_population(path)["West"] == 20_000
    assert division_population(path, year=2014)["West"] == 10_000
    missing = division_population(path, year=2016)
    assert isinstance(missing, PopulationUnavailable)
    assert "no estimates for 2016 (it has 2014, 2015)" in missing.reason


def test_missing_column(tmp_path):
    path = write(tmp_path / "pop.csv", [], header=COLUMNS[:-1])
    with pytest.raises(DataError, match="line 1, column 'source'"):
        read_population_file(path)


def test_wrong_division_names_line_and_column(tmp_path):
    rows = fixture_rows()
    rows[2][2] = "East"  # Wyre is in West
    path = write(tmp_path / "pop.csv", rows)
    with pytest.raises(DataError, match=r"line 4, column 'division'.*West.*Wyre"):
        division_population(path)


def test_unknown_code(tmp_path):
    rows = fixture_rows()
    rows[0][0] = "E09000001"
    with pytest.raises(DataError, match="column 'la_code'"):
        division_population(write(tmp_path / "pop.csv", rows))


@pytest.mark.parametrize("bad", ["", "n/a", "-5", "0", "12.5"])
def test_population_must_be_a_positive_whole_number(tmp_path, bad):
    rows = fixture_rows()
    rows[5][4] = bad
    with pytest.raises(DataError, match="line 7, column 'population'"):
        division_population(write(tmp_path / "pop.csv", rows))


def test_thousands_separators_are_read(tmp_path):
    rows = fixture_rows()
    rows[0][4] = "1,000"
    assert division_population(write(tmp_path / "pop.csv", rows))["West"] == 10_000


def test_source_is_required(tmp_path):
    rows = fixture_rows()
    rows[1][5] = ""
    with pytest.raises(DataError, match="column 'source'"):
        division_population(write(tmp_path / "pop.csv", rows))


def test_duplicate_authority_and_year(tmp_path):
    rows = fixture_rows()
    rows.append(list(rows[0]))
    with pytest.raises(DataError, match="first on line 2"):
        division_population(write(tmp_path / "pop.csv", rows))


def test_every_authority_is_needed(tmp_path):
    rows = [row for row in fixture_rows() if row[1] != "Pendle"]
    with pytest.raises(DataError, match=r"missing Pendle \(E07000122\)"):
        division_population(write(tmp_path / "pop.csv", rows))


def test_per_1000():
    counts = pd.Series({"East Division": 8284, "West Division": 7165, "South Division": 7775})
    population = pd.Series({"West": 500_000, "South": 250_000, "East": 0})
    table = per_1000(counts, population)
    assert list(table.index) == ["West", "South", "East"]
    assert list(table.columns) == ["count", "population", "per_1000"]
    assert table.loc["West", "per_1000"] == pytest.approx(7165 / 500_000 * 1000)
    assert table.loc["South", "per_1000"] == pytest.approx(7775 / 250_000 * 1000)
    assert math.isnan(table.loc["East", "per_1000"])  # no residents to divide by


def test_per_1000_keeps_divisions_missing_on_either_side():
    table = per_1000(pd.Series({"West": 10, "Cadets": 3}), pd.Series({"West": 1000, "South": 2000}))
    assert list(table.index) == ["West", "South", "Cadets"]
    assert table.loc["West", "per_1000"] == pytest.approx(10.0)
    assert table.loc[["South", "Cadets"], "per_1000"].isna().all()
