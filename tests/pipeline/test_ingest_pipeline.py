"""`engagement data` with platform exports dropped into data/raw/exports/ (end to end)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers import config
from helpers.cli import main
from helpers.ingest.sources import input_files
from helpers.tidy.dataset import load_tidy, processed_is_current

FIXTURES = Path(__file__).parents[1] / "fixtures"
PERSONAL = [
    "Fictional",
    "Testperson",
    "fictional.testperson@example.invalid",
    "07700 900123",
    "1 Nowhere Lane",
    "FY0 0ZZ",
    "Imaginary",
    "Sampleman",
    "07700 900456",
    "22 Madeup Road",
    "Pretend",
    "Exampleton",
    "Notreal",
    "Fixturesmith",
    "Flat 4, 5 Dummy Close",
    "BB0 0ZZ",
    "Synthetic",
    "Resident",
    "7 Test Gardens",
    "LA0 0ZZ",
    "Latecomer",
    "09 Extra Road",
    "Madeup",
    "Zzyzxperson",
    "Madeup Zzyzxperson",
    "10 Nonesuch Way",
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    raw = tmp_path / "data" / "raw"
    for name in ("report_2015", "as_reported"):
        shutil.copytree(config.RAW_DIR / name, raw / name)
    shutil.copytree(FIXTURES / "exports", raw / "exports")
    members = raw / "exports" / "itk" / "ITK member export Sept 2015.csv"
    members.write_text(
        members.read_text()
        + "100237,Mr,Latecomer,Person,late@example.invalid,07700 900999,09 Extra Road,"
        "Blackpool,FY0 9ZZ,Blackpool,30/09/2015,Email\n"
    )
    return tmp_path / "data"


def _everything_written(data: Path) -> str:
    return "".join(
        p.read_bytes().decode("utf-8", "replace")
        for p in (data / "processed").rglob("*")
        if p.is_file()
    )


def test_data_includes_exports(project: Path, capsys) -> None:
    raw, out = project / "raw", project / "processed"
    code = main(["data", "--raw", str(raw), "--out", str(out)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "overlap: twitter/tweet_activity" in printed.out
    assert (
        "overlap: itk/ITK member export Sept 2015.csv and report_2015 (published figures) "
        "both give itk 'West' for 2015-09-30 to 2015-09-30" in printed.out
    )
    tidy = load_tidy(project)
    assert processed_is_current(raw, out)
    exported = tidy[tidy["source"].str.startswith("exports/")]
    assert set(exported["channel"]) == {
        "website",
        "trusted2know",
        "facebook",
        "instagram",
        "twitter",
        "youtube",
        "itk",
    }
    assert len(tidy[tidy["source"].str.startswith("report_2015/")]) > 0
    # the report's published snapshot stands where an export gives the same key
    itk = tidy[(tidy["channel"] == "itk") & (tidy["start"] == pd.Timestamp("2015-09-30"))]
    assert itk.set_index("account")["value"].to_dict() == {
        "East": 8284,
        "South": 7775,
        "West": 7165,
    }
    assert itk["source"].str.startswith("report_2015/").all()
    before = tidy[(tidy["channel"] == "itk") & (tidy["start"] == pd.Timestamp("2015-09-29"))]
    assert before.set_index("account")["value"].to_dict() == {"East": 1, "South": 2, "West": 3}
    assert any(p.parent.name == "exports" for p in input_files(raw))
    written = _everything_written(project) + printed.out + printed.err
    for value in PERSONAL:
        assert value not in written


def test_a_bad_export_leaves_processed_as_it_was_and_exit_is_nonzero(project: Path, capsys) -> None:
    raw, out = project / "raw", project / "processed"
    assert main(["data", "--raw", str(raw), "--out", str(out)]) == 0
    before = {p: p.read_bytes() for p in out.glob("tidy.*")}
    bad = FIXTURES / "bad_exports"
    shutil.copy(bad / "notes from the comms team.csv", raw / "exports")
    (raw / "exports" / "itk" / "ITK member export Oct 2015.csv").write_bytes(
        (bad / "itk" / "ITK member export Oct 2015.csv").read_bytes()
    )
    capsys.readouterr()
    code = main(["data", "--raw", str(raw), "--out", str(out)])
    printed = capsys.readouterr()
    assert code == 1
    assert "notes from the comms team.csv, line 1: expected a supported export" in printed.err
    assert "ITK member export Oct 2015.csv, line 3, column 'Date Registered'" in printed.err
    assert "2 export file(s) failed" in printed.err
    assert "was left as it was" in printed.err
    assert printed.out.count("data/processed:") == 0
    assert {p: p.read_bytes() for p in out.glob("tidy.*")} == before  # all or nothing
    # and no briefing is built from the data that failed
    code = main(["run", "--period", "2015-09", "--data", str(project), "--out", str(project / "o")])
    refused = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(refused) == 1 and "processed/ is out of date" in refused[0], refused
    assert not (project / "o").exists()
    written = _everything_written(project) + printed.out + printed.err
    for value in PERSONAL:
        assert value not in written


def test_if_changed_builds_only_when_the_raw_files_changed(project: Path, capsys) -> None:
    raw, out = project / "raw", project / "processed"
    command = ["data", "--raw", str(raw), "--out", str(out), "--if-changed"]
    assert main(command) == 0  # no table yet: built
    assert "tidy rows" in capsys.readouterr().out
    built = (out / config.TIDY_PARQUET).stat().st_mtime_ns
    assert main(command) == 0
    assert "is up to date" in capsys.readouterr().out
    assert (out / config.TIDY_PARQUET).stat().st_mtime_ns == built
    members = raw / "exports" / "itk" / "ITK member export Sept 2015.csv"
    members.write_text(members.read_text().replace("Latecomer", "Lateperson"))
    assert main(command) == 0  # same size and rows, other content: built again
    assert "tidy rows" in capsys.readouterr().out
    assert processed_is_current(raw, out)
