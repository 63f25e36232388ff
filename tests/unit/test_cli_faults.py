"""Faults of input, machine and parameters: one line each, tracebacks only with --debug."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest

from helpers import cli, config
from helpers.briefing import build as build_module

FIXTURES = Path(__file__).parents[1] / "fixtures" / "exports"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder: the report tables and stated figures, the fixture exports."""
    raw = tmp_path / "data" / "raw"
    for name in ("report_2015", "as_reported"):
        shutil.copytree(config.RAW_DIR / name, raw / name)
    shutil.copytree(FIXTURES, raw / "exports")
    return tmp_path / "data"


def _data(data: Path) -> int:
    return cli.main(["data", "--raw", str(data / "raw"), "--out", str(data / "processed")])


def _no_kernels(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a kernel would have started")

    monkeypatch.setattr(build_module, "run_notebooks", refuse)


def test_an_impossible_date_in_a_files_entry(data, capsys):
    mapping = data / "raw" / "exports" / "accounts.yml"
    mapping.write_text(
        mapping.read_text().replace(
            "    channel: website\nmember_exports:",
            "    channel: website\n    start: 2015-13-01\nmember_exports:",
        )
    )
    assert _data(data) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        f"error: {mapping.as_posix()}, line 19: expected a date that exists, written "
        "YYYY-MM-DD for start of entry 1 of 'files', found '2015-13-01'"
    )
    assert err[1:] == [f"{(data / 'processed').as_posix()}/ was left as it was."]
    assert not (data / "processed" / "tidy.parquet").exists()


def test_a_full_disk_during_data(data, capsys, monkeypatch):
    assert _data(data) == 0
    before = {p.name: p.read_bytes() for p in (data / "processed").glob("tidy.*")}
    import pyarrow.parquet as pq

    def full(table, where, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(where))

    monkeypatch.setattr(pq, "write_table", full)
    capsys.readouterr()
    assert cli.main(["data", "--raw", str(data / "raw"), "--out", str(data / "processed")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("error: the disk is full (")
    assert err[0].endswith("); free some space and run again")
    assert err[1:] == [f"{(data / 'processed').as_posix()}/ was left as it was."]
    assert {p.name: p.read_bytes() for p in (data / "processed").glob("tidy.*")} == before


def test_data_builds_the_data_folder_it_is_given(data, capsys):
    processed = data / "processed"
    assert cli.main(["data", "--data", str(data)]) == 0
    assert (processed / "tidy.parquet").is_file()
    assert f"raw files -> {processed.as_posix()}\n" in capsys.readouterr().out
    before = {p.name: p.read_bytes() for p in processed.glob("tidy.*")}
    mapping = data / "raw" / "exports" / "accounts.yml"
    mapping.write_text(mapping.read_text().replace("accounts:", "acounts:", 1))
    assert cli.main(["data", "--data", str(data)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"error: {mapping.as_posix()}, line ")
    assert err[1:] == [f"{processed.as_posix()}/ was left as it was."]
    assert {p.name: p.read_bytes() for p in processed.glob("tidy.*")} == before


def test_data_refuses_a_folder_without_raw_and_data_with_raw(data, tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli.main(["data", "--data", str(empty)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"error: data folder {empty.as_posix()} has no raw/ folder"
    ]
    assert not (empty / "processed").exists()
    assert cli.main(["data", "--data", str(data), "--raw", str(data / "raw")]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "error: --data names raw/ and processed/ together: leave out --raw and --out"
    ]
    assert not (data / "processed").exists()


def test_a_read_only_output_folder(data, capsys, monkeypatch, tmp_path):
    assert _data(data) == 0
    _no_kernels(monkeypatch)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    capsys.readouterr()
    code = cli.main(["run", "--period", "2015-09", "--data", str(data), "--out", str(blocker)])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert len(err) == 1 and err[0].startswith("error: cannot write to the output folder "), err

    original = Path.write_bytes

    def read_only(self, content):
        if self.name.startswith(".write-test-"):
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return original(self, content)

    monkeypatch.setattr(Path, "write_bytes", read_only)
    code = cli.main(["run", "--period", "2015-09", "--data", str(data), "--out", str(tmp_path)])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert err == [
        f"error: cannot write to the output folder {tmp_path.as_posix()} (Read-only file "
        "system); choose another --out or fix its permissions"
    ]


def test_a_fractional_timeout_is_refused_in_one_line(data, capsys, monkeypatch):
    _no_kernels(monkeypatch)
    code = cli.main(["run", "--period", "2015-09", "--data", str(data), "--timeout", "0.5"])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert err == ["error: --timeout is whole seconds (1 or more), not 0.5; e.g. --timeout 1"]


def test_no_warning_with_its_source_line_before_an_error(data, capsys, monkeypatch):
    _no_kernels(monkeypatch)  # data/processed was never built: a warning would come first
    code = cli.main(["run", "--period", "2015-04", "--data", str(data)])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert len(err) == 1 and err[0].startswith("error: "), err


def test_an_unexpected_error_is_one_line_and_debug_shows_the_traceback(capsys, monkeypatch):
    def broken(args):
        raise KeyError("columns")

    monkeypatch.setattr(cli, "_cmd_data", broken)
    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    parser._subparsers._group_actions[0].choices["data"].set_defaults(func=broken)
    assert cli.main(["data"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == ["error: unexpected KeyError: 'columns' (run with --debug for the traceback)"]
    assert cli.main(["--debug", "data"]) == 1
    assert "Traceback" in capsys.readouterr().err
    assert cli.main(["data", "--debug"]) == 1
    assert "Traceback" in capsys.readouterr().err


# --- values checked at the source ---------------------------------------------------


def _processed(data: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (data / "processed").glob("tidy.*")}


def test_a_header_only_report_table_is_refused(data, capsys):
    assert _data(data) == 0
    before = _processed(data)
    table = data / "raw" / "report_2015" / "website_monthly.csv"
    table.write_text(table.read_text().splitlines()[0] + "\n")
    capsys.readouterr()
    assert _data(data) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        f"error: {table.as_posix()}, line 2: expected rows of data under the header (the "
        "table has only its header; restore its rows or remove the file)"
    )
    assert _processed(data) == before


def test_a_dot_as_thousands_separator_is_refused(data, capsys):
    table = data / "raw" / "report_2015" / "facebook_likes_by_account.csv"
    table.write_text(table.read_text().replace("Lancs Police,51069,", "Lancs Police,51.069,"))
    assert _data(data) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(
        f"error: {table.as_posix()}, line 2, column '2015-02-28': expected a number with a "
        "comma (or nothing) between thousands"
    )
    assert err[0].endswith("found '51.069'")


def test_a_date_after_the_build_date_is_refused_naming_file_and_line(data, capsys):
    table = data / "raw" / "report_2015" / "website_monthly.csv"
    lines = table.read_text().splitlines()
    assert lines[3].startswith("2015-")
    lines[3] = "2035-" + lines[3][len("2015-") :]
    table.write_text("\n".join(lines) + "\n")
    assert _data(data) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"error: {table.as_posix()}, line 4, column ")
    assert "expected dates up to the build date" in err[0] and "2035-" in err[0]
    assert not (data / "processed" / "tidy.parquet").exists()


def test_counts_with_decimals_still_read():
    from helpers.ingest.cleaning import parse_count

    assert parse_count("29.0") == 29.0
    assert parse_count("1,169,461") == 1169461
    assert parse_count("4.25") == 4.25
    with pytest.raises(ValueError, match="thousands"):
        parse_count("1.169.461")
