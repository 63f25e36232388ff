"""Per-1,000-resident figures: hand-made frames, then the 2015 ITK figures."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers import config
from helpers.ingest.reference import read_census
from helpers.layout import DataLayout
from helpers.measures.population import PER_1000_COLUMNS, per_1000
from helpers.tidy.reference import division_residents

RESIDENTS = pd.DataFrame(
    {"division": ["West", "South", "East"], "residents": [500_000, 250_000, 100_000]}
)


def tidy_rows(values: dict[str, float], day: str = "2015-09-30") -> pd.DataFrame:
    """Tidy-table rows of registered users by division on one day."""
    return pd.DataFrame(
        {
            "start": pd.Timestamp(day),
            "end": pd.Timestamp(day),
            "channel": "itk",
            "account": list(values),
            "segment": "",
            "metric": "registered_users",
            "value": list(values.values()),
        }
    )


def test_per_1000_from_tidy_rows():
    table = per_1000(tidy_rows({"East": 300, "West": 1000, "South": 125}), RESIDENTS)
    assert list(table.columns) == PER_1000_COLUMNS
    assert list(table["division"]) == ["West", "South", "East"]  # the residents' order
    assert list(table["per_1000"]) == pytest.approx([2.0, 0.5, 3.0])
    assert list(table["residents"]) == [500_000, 250_000, 100_000]
    assert (table["date"] == pd.Timestamp("2015-09-30")).all()


def test_per_1000_empty_counts():
    table = per_1000(tidy_rows({}), RESIDENTS)
    assert list(table.columns) == PER_1000_COLUMNS
    assert table.empty


def test_a_division_missing_from_the_counts_has_no_row():
    table = per_1000(tidy_rows({"West": 50, "East": 10}), RESIDENTS)
    assert list(table["division"]) == ["West", "East"]
    assert list(table["per_1000"]) == pytest.approx([0.1, 0.1])


def test_a_name_missing_from_the_residents_is_kept_without_a_rate():
    table = per_1000(tidy_rows({"West": 50, "Lancs Police": 10}), RESIDENTS)
    assert list(table["division"]) == ["West", "Lancs Police"]
    other = table.iloc[1]
    assert other["count"] == 10
    assert math.isnan(other["residents"]) and math.isnan(other["per_1000"])


def test_single_division_as_a_series_with_its_date():
    table = per_1000(pd.Series({"South Division": 25}), RESIDENTS, date="2015-02-28")
    assert table.to_dict("records") == [
        {
            "division": "South",
            "count": 25.0,
            "residents": 250_000.0,
            "per_1000": pytest.approx(0.1),
            "date": pd.Timestamp("2015-02-28"),
        }
    ]


def test_zero_residents_gives_no_rate_not_infinity():
    residents = pd.DataFrame({"division": ["West"], "residents": [0]})
    table = per_1000(pd.Series({"West": 10}), residents)
    assert math.isnan(table.loc[0, "per_1000"])
    assert pd.isna(table.loc[0, "date"])  # a Series without a date


def test_several_dates_sorted_by_date_then_division():
    counts = pd.concat(
        [tidy_rows({"East": 1, "West": 2}), tidy_rows({"West": 1})], ignore_index=True
    )
    counts.loc[counts.index[:2], ["start", "end"]] = pd.Timestamp("2015-02-28")
    table = per_1000(counts, RESIDENTS)
    assert list(zip(table["date"].dt.strftime("%m"), table["division"], strict=True)) == [
        ("02", "West"),
        ("02", "East"),
        ("09", "West"),
    ]


def test_census_by_authority_is_added_up_first():
    census = pd.DataFrame(
        {
            "gss_code": ["E0", "E1", "E2"],
            "authority": ["A", "B", "C"],
            "division": ["West", "West", "East"],
            "usual_residents": [1000, 3000, 2000],
        }
    )
    table = per_1000(pd.Series({"West": 8, "East": 8}), census)
    assert list(table["per_1000"]) == pytest.approx([2.0, 4.0])


def test_a_division_twice_on_one_date_is_refused():
    counts = pd.DataFrame({"division": ["West", "West Division"], "count": [1, 2]})
    with pytest.raises(ValueError, match="West appears more than once"):
        per_1000(counts, RESIDENTS)


def test_counts_of_an_unknown_shape_are_refused():
    with pytest.raises(ValueError, match="counts must be"):
        per_1000(pd.DataFrame({"who": ["West"], "n": [1]}), RESIDENTS)


def test_itk_registered_users_per_1000_residents_september_2015():
    """The 2015-09-30 ITK figures over the 2011 Census division totals.

    Worked by hand: West 7,165 / 463,946 = 15.44 per 1,000; South 7,775 / 467,099
    = 16.65; East 8,284 / 529,848 = 15.63 (e.g. 463.946 x 15.44 = 7,163.3, close to
    7,165).
    """
    itk = pd.read_csv(config.REPORT_DIR / "itk_registered_users_by_division.csv")
    census = pd.read_csv(config.REFERENCE_DIR / "census_2011_usual_residents.csv")
    users = itk.set_index("division")["2015-09-30"].rename(index=config.canonical_account)
    people = census.groupby("division")["usual_residents"].sum()
    expected = users / people.reindex(users.index) * 1000

    table = per_1000(
        users,
        division_residents(
            read_census(DataLayout.from_data_dir().census), ("West", "South", "East")
        ),
        date="2015-09-30",
    )

    got = table.set_index("division")["per_1000"]
    assert list(got.index) == ["West", "South", "East"]
    for division in got.index:
        assert got[division] == pytest.approx(expected[division])
    assert got.round(2).to_dict() == {"West": 15.44, "South": 16.65, "East": 15.63}
    assert table.set_index("division")["residents"].to_dict() == {
        "West": 463_946,
        "South": 467_099,
        "East": 529_848,
    }
