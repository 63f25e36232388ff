"""The census reference file: reading, checking and adding up by division."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from helpers.errors import DataError
from helpers.ingest.reference import CENSUS_COLUMNS, read_census
from helpers.layout import DataLayout
from helpers.tidy.dataset import load_reference
from helpers.tidy.reference import DIVISION_COLUMNS, division_residents, join_names

#: The divisions the embedded data's force profile declares.
DIVISIONS = ("West", "South", "East")

CENSUS = DataLayout.from_data_dir().census


def rows_of(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write_census(raw: Path, rows: list[list[str]]) -> Path:
    path = DataLayout.from_raw_dir(raw).census
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.fixture
def good_rows() -> list[list[str]]:
    return rows_of(CENSUS)


def test_embedded_census_reads(good_rows):
    census = read_census(CENSUS)
    assert list(census.columns) == CENSUS_COLUMNS
    assert len(census) == 14 == len(good_rows) - 1
    assert str(census["usual_residents"].dtype) == "int64"
    # the cross-checks of data/raw/reference/README.md: Lancashire-14 and Lancashire-12
    # totals rounded to the nearest hundred, and district figures from other sources
    total = census["usual_residents"].sum()
    districts = census[census["gss_code"].str.startswith("E07")]["usual_residents"].sum()
    assert (round(total, -2), round(districts, -2)) == (1_460_900, 1_171_300)
    by_name = census.set_index("authority")["usual_residents"]
    assert by_name[["Fylde", "Chorley"]].tolist() == [75_757, 107_155]
    assert round(by_name["Preston"], -2) == 140_200 and round(by_name["Pendle"], -2) == 89_500


def test_division_residents_of_the_embedded_census():
    table = division_residents(read_census(CENSUS, DIVISIONS), DIVISIONS)
    assert list(table.columns) == DIVISION_COLUMNS
    records = table.set_index("division").to_dict("index")
    assert list(records) == ["West", "South", "East"]
    assert {d: r["residents"] for d, r in records.items()} == {
        "West": 463_946,
        "South": 467_099,
        "East": 529_848,
    }
    assert records["West"]["authorities"] == "Blackpool, Fylde, Lancaster and Wyre"
    assert records["South"]["authorities"] == "Chorley, Preston, South Ribble and West Lancashire"
    assert records["East"]["n_authorities"] == 6


def test_division_residents_of_hand_made_census():
    census = pd.DataFrame(
        {
            "gss_code": ["E1", "E2", "E3"],
            "authority": ["Zed", "Alpha", "Solo"],
            "division": ["East", "East", "West"],
            "usual_residents": [10, 5, 7],
        }
    )
    table = division_residents(census, DIVISIONS)
    assert table.to_dict("records") == [
        {"division": "West", "residents": 7, "authorities": "Solo", "n_authorities": 1},
        {"division": "East", "residents": 15, "authorities": "Alpha and Zed", "n_authorities": 2},
    ]
    empty = division_residents(census.iloc[:0])
    assert list(empty.columns) == DIVISION_COLUMNS and empty.empty


def test_join_names():
    assert join_names([]) == ""
    assert join_names(["A"]) == "A"
    assert join_names(["A", "B", "C"]) == "A, B and C"


def test_load_reference_honours_the_data_folder(tmp_path, good_rows):
    rows = [good_rows[0], *good_rows[1:]]
    rows[1][3] = "1"  # Blackpool with one resident: visibly this copy
    write_census(tmp_path / "raw", rows)
    assert load_reference(tmp_path).loc[0, "usual_residents"] == 1
    empty = load_reference(tmp_path / "elsewhere")
    assert list(empty.columns) == CENSUS_COLUMNS and empty.empty


def broken(good_rows, line, column, value):
    rows = [list(r) for r in good_rows]
    rows[line - 1][CENSUS_COLUMNS.index(column)] = value
    return rows


@pytest.mark.parametrize(
    ("line", "column", "value", "expected"),
    [
        (2, "gss_code", "E6000009", "ONS local authority code"),
        (3, "gss_code", "W06000001x", "ONS local authority code"),
        (4, "division", "North", "one of the divisions West, South, East"),
        (4, "division", "west", "one of the divisions"),
        (5, "usual_residents", "0", "positive whole number"),
        (5, "usual_residents", "-140202", "positive whole number"),
        (6, "usual_residents", "n/a", "positive whole number"),
        (6, "usual_residents", "", "positive whole number"),
        (7, "usual_residents", "109057.5", "positive whole number"),
        (8, "authority", "Blackpool", "each authority once (first on line 2)"),
        (8, "gss_code", "E06000009", "each gss_code once (first on line 2)"),
        (9, "authority", "", "the authority's name"),
    ],
)
def test_bad_rows_name_file_line_and_column(tmp_path, good_rows, line, column, value, expected):
    path = write_census(tmp_path / "raw", broken(good_rows, line, column, value))
    with pytest.raises(DataError) as caught:
        read_census(path, DIVISIONS)
    message = str(caught.value)
    assert "census_2011_usual_residents.csv" in message
    assert f"line {line}" in message and f"column '{column}'" in message
    assert expected in message


def test_thousands_commas_are_read(tmp_path, good_rows):
    rows = broken(good_rows, 2, "usual_residents", "142,065")
    assert read_census(write_census(tmp_path / "raw", rows)).loc[0, "usual_residents"] == 142_065


def test_missing_column(tmp_path, good_rows):
    rows = [[c for i, c in enumerate(r) if i != 2] for r in good_rows]
    with pytest.raises(DataError, match=r"line 1, column 'division': expected a column named"):
        read_census(write_census(tmp_path / "raw", rows))


def test_every_division_needs_an_authority(tmp_path, good_rows):
    rows = [r for r in good_rows if r[2] != "South"]
    with pytest.raises(DataError, match=r"at least one authority in each division.*South"):
        read_census(write_census(tmp_path / "raw", rows), DIVISIONS)


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="expected the file to exist"):
        read_census(DataLayout.from_raw_dir(tmp_path).census)
