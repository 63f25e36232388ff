"""`engagement ingest FILE... --csv OUT` and the synthetic export generator."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.cli import main
from helpers.ingest.exports import read_exports
from helpers.schema import validate_tidy
from tests.factories.synthetic import LABEL, generate

FIXTURES = Path(__file__).parents[1] / "fixtures" / "exports"
BAD = Path(__file__).parents[1] / "fixtures" / "bad_exports"
PERSONAL = [
    "Fictional",
    "Testperson",
    "fictional.testperson@example.invalid",
    "07700 900123",
    "1 Nowhere Lane",
    "FY0 0ZZ",
    "Notreal",
    "Fixturesmith",
    "Flat 4, 5 Dummy Close",
    "BB0 0ZZ",
]


def test_ingest_prints_what_it_recognised(tmp_path: Path, capsys) -> None:
    files = sorted(str(p) for p in FIXTURES.rglob("*.csv"))
    out = tmp_path / "check" / "tidy.csv"
    code = main(["ingest", *files, "--exports", str(FIXTURES), "--csv", str(out)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert (
        "twitter/daily_tweet_activity_metrics_LancsPolice_20150901_20150908_en.csv: "
        "Twitter daily activity export, twitter account 'Lancs Police', "
        "2015-09-01 to 2015-09-07, 42 rows" in printed.out
    )
    assert "Google Analytics 4 export, website account 'lancashire.police.uk'" in printed.out
    assert "overlap:" in printed.out
    written = pd.read_csv(out, keep_default_na=False)
    expected = read_exports(FIXTURES).rows
    # all files minus the overlap (Meta files: every day of the range in their names)
    assert len(written) == len(expected) == 278 - 18
    assert written["value"].sum() == pytest.approx(expected["value"].sum())
    for value in PERSONAL:
        assert value not in printed.out + printed.err
        assert value not in out.read_text()


def test_ingest_reports_bad_files_and_keeps_good_rows(tmp_path: Path, capsys) -> None:
    good = FIXTURES / "youtube/Content 2024-09-01_2024-09-07 Lancashire Police/Totals.csv"
    bad = BAD / "Analytics Alle websitegegevens Doelgroepoverzicht 20150901-20150907.csv"
    out = tmp_path / "tidy.csv"
    code = main(["ingest", str(good), str(bad), "--exports", str(FIXTURES), "--csv", str(out)])
    printed = capsys.readouterr()
    assert code == 1
    refusal = [line for line in printed.err.splitlines() if line.startswith("error: ")]
    assert len(refusal) == 1 and "English column names" in refusal[0]  # printed once
    assert "line 7" in refusal[0] and str(bad.name) not in printed.out
    assert len(pd.read_csv(out)) == 7


def test_synthetic_round_trip(tmp_path: Path) -> None:
    summary = generate(tmp_path / "out", years=2, accounts=3, tweets=1500, seed=7)
    assert all(LABEL in name or name == "accounts.yml" for name in summary.files)
    result = read_exports(tmp_path / "out")
    assert result.problems == []
    validate_tidy(result.rows)
    got = result.rows.groupby(["channel", "metric"])["value"].sum()
    for key, total in summary.totals.items():
        assert got[key] == pytest.approx(total), key
    itk = result.rows[result.rows["channel"] == "itk"]
    last = itk[itk["start"] == itk["start"].max()].set_index("account")["value"]
    for (_, division, _), count in summary.snapshots.items():
        if division in last:
            assert last[division] == count
    preamble = tmp_path / "out" / f"website/{LABEL} Analytics All Web Site Data 2024.csv"
    assert LABEL in preamble.read_text().splitlines()[1]
