"""A paper knows only what was known by its period's end: stated claims carry their date.

The report of 18 November 2015 states every claim of ``as_reported/``; papers of June
and September 2015 check none of them, the November paper checks them all.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

from helpers import config
from helpers.briefing.fingerprint import load_inputs
from helpers.errors import DataError
from helpers.ingest.report import read_claims
from helpers.layout import DataLayout
from helpers.tidy.inputs import known_by, open_period
from helpers.tidy.periods import reporting_window

REPORT_DAY = pd.Timestamp("2015-11-18")


def _inputs(period: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return open_period(period)


def test_every_claim_carries_the_day_it_was_stated(claims: pd.DataFrame) -> None:
    assert (claims["reported"] == REPORT_DAY).all()
    assert set(claims["dates"]) == {"stated", "assumed"}


@pytest.mark.parametrize(("period", "checked"), [("2015-06", 0), ("2015-09", 0), ("2015-10", 0)])
def test_papers_before_the_report_check_none_of_its_claims(period: str, checked: int) -> None:
    assert len(_inputs(period).claims) == checked


def test_the_report_s_own_paper_checks_every_claim(claims: pd.DataFrame) -> None:
    assert len(_inputs("2015-11").claims) == len(claims)
    assert len(known_by(claims, pd.Timestamp("2015-11-17"))) == 0


def test_incremental_builds_follow_the_same_claims() -> None:
    inputs = load_inputs(DataLayout.from_data_dir())
    september = reporting_window("2015-09", None)
    november = reporting_window("2015-11", None)
    nothing = inputs.claims_digest(pd.Timestamp("2000-01-01"), pd.Timestamp("2000-01-31"))
    assert inputs.claims_digest(september.first_day, september.last_day) == nothing
    assert inputs.claims_digest(november.first_day, november.last_day) != nothing
    assert inputs.earliest_claim_start(september.first_day, september.last_day) is None


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [("reported", "18/11/2015", "an ISO date"), ("dates", "guessed", "stated or assumed")],
)
def test_a_claim_without_its_day_or_with_unknown_dates_is_refused(
    tmp_path: Path, column: str, value: str, expected: str
) -> None:
    folder = tmp_path / "as_reported"
    shutil.copytree(config.AS_REPORTED_DIR, folder)
    path = folder / "website.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[1, column] = value
    frame.to_csv(path, index=False)
    with pytest.raises(DataError) as caught:
        read_claims(folder)
    message = str(caught.value)
    assert "website.csv" in message and "line 3" in message and expected in message
