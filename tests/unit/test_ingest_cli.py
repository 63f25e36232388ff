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


# checking a download before it is placed (what a `files` entry would give, or its place)

SHAPES = Path(__file__).parents[1] / "fixtures" / "shapes"


def _download(tmp_path: Path, relpath: str) -> Path:
    """A copy of a fixture as an analyst's download: outside the exports folder."""
    path = tmp_path / "Downloads" / Path(relpath).name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes((SHAPES / relpath).read_bytes())
    return path


def _ingest(*argv: str, capsys) -> tuple[int, str, list[str]]:
    code = main(["ingest", *argv])
    printed = capsys.readouterr()
    return code, printed.out, printed.err.splitlines()


def test_an_overview_download_is_checked_with_the_account_and_channel_given(tmp_path, capsys):
    views = _download(tmp_path, "meta/Views.csv")
    exports = tmp_path / "exports"  # no accounts.yml: nothing maps the file
    code, _, err = _ingest(str(views), "--exports", str(exports), capsys=capsys)
    assert code == 1 and "'files' entry" in err[0]
    out = tmp_path / "rows.csv"
    code, printed, err = _ingest(
        str(views),
        "--exports",
        str(exports),
        "--account",
        "Lancs Police",
        "--channel",
        "facebook",
        "--csv",
        str(out),
        capsys=capsys,
    )
    assert code == 0, err
    assert "facebook account 'Lancs Police'" in printed
    assert "account from the command line" in printed
    rows = pd.read_csv(out, keep_default_na=False)
    assert set(rows["channel"]) == {"facebook"} and set(rows["account"]) == {"Lancs Police"}
    assert rows.loc[rows["start"] == "2025-09-02", "value"].item() == 1875
    assert rows["source"].str.startswith(f"{views.resolve().as_posix()}:").all()


def test_a_table_data_file_out_of_its_studio_folder_takes_the_range_given(tmp_path, capsys):
    table = _download(
        tmp_path, "youtube/Traffic source 2025-01-01_2025-03-31 Lancashire Police/Table data.csv"
    )
    code, _, err = _ingest(str(table), "--account", "Lancs Police", capsys=capsys)
    assert code == 1 and "give start and end" in err[0]
    out = tmp_path / "rows.csv"
    code, _, err = _ingest(
        str(table),
        "--account",
        "Lancs Police",
        "--start",
        "2025-01-01",
        "--end",
        "2025-03-31",
        "--csv",
        str(out),
        capsys=capsys,
    )
    assert code == 0, err
    rows = pd.read_csv(out, keep_default_na=False)
    assert set(rows["start"]) == {"2025-01-01"} and set(rows["end"]) == {"2025-03-31"}
    assert rows.loc[rows["metric"] == "views", "value"].sum() == 130513


@pytest.mark.parametrize(
    "place",
    ["exports/meta/Views.csv", "meta/Views.csv", "data/raw/exports/meta/Views.csv"],
)
def test_a_download_is_checked_by_the_path_it_will_have(place, tmp_path, capsys):
    """accounts.yml's entry for meta/Views.csv (account and channel) applies by --as."""
    views = _download(tmp_path, "meta/Views.csv")
    out = tmp_path / "rows.csv"
    code, printed, err = _ingest(
        str(views), "--exports", str(SHAPES), "--as", place, "--csv", str(out), capsys=capsys
    )
    assert code == 0, err
    assert f"{views}: checked as exports/meta/Views.csv" in printed
    rows = pd.read_csv(out, keep_default_na=False)
    assert set(rows["account"]) == {"Lancs Police"} and set(rows["channel"]) == {"facebook"}
    assert rows["source"].str.startswith("exports/meta/Views.csv:").all()


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--channel", "myspace"], "--channel is one of"),
        (["--start", "2025-02-30"], "--start is a day YYYY-MM-DD"),
        (["--start", "2025-03-01", "--end", "2025-02-01"], "is before --start"),
        (["--as", "../Views.csv"], "--as is a file's path under the exports folder"),
        (["--as", "/etc/Views.csv"], "--as is a path under the exports folder"),
        (["--as", "meta/Views.csv"], "--as gives the place of one file"),  # two files
    ],
)
def test_bad_placing_parameters_are_refused_in_one_line(argv, says, tmp_path, capsys):
    views = _download(tmp_path, "meta/Views.csv")
    files = [str(views)] * (2 if "place of one file" in says else 1)
    code, printed, err = _ingest(*files, "--exports", str(SHAPES), *argv, capsys=capsys)
    assert code == 2 and len(err) == 1 and says in err[0], err
    assert printed == ""
