"""The dataset build checks the commentary and the census, and notices their changes."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from helpers import config
from helpers.cli import main
from helpers.ingest.sources import input_files
from helpers.tidy.dataset import build_dataset, processed_is_current


@pytest.fixture
def raw(raw_copy: Path) -> Path:
    """The scratch copy of data/raw with the commentary, reference data and force profile."""
    for name in ("commentary", "reference"):
        shutil.copytree(config.RAW_DIR / name, raw_copy / name)
    shutil.copy2(config.RAW_DIR / "force.yml", raw_copy / "force.yml")
    return raw_copy


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if text in line)


# file, old text, new text, text on the line the error names, words in the error
@pytest.mark.parametrize(
    ("relpath", "old", "new", "at", "expected"),
    [
        (
            "commentary/2015-11.md",
            "# itk\n",
            "# In the Know\n",
            "# In the Know",
            ["commentary/2015-11.md", "expected a page heading", "In the Know"],
        ),
        (
            "commentary/2015-11.md",
            "{{instagram_followers}} followers",
            "651 followers",
            "  instagram_followers:",
            ["commentary/2015-11.md", "figure 'instagram_followers' to be used"],
        ),
        (
            "reference/census_2011_usual_residents.csv",
            "Pendle,East,89452",
            "Pendle,North,89452",
            "Pendle",
            ["census_2011_usual_residents.csv", "column 'division'", "North"],
        ),
    ],
    ids=["commentary-page", "commentary-unused-figure", "census-division"],
)
def test_engagement_data_fails_with_one_line_and_keeps_processed(
    raw, tmp_path, capsys, relpath, old, new, at, expected
):
    out = tmp_path / "processed"
    assert main(["data", "--raw", str(raw), "--out", str(out)]) == 0
    before = _digest(out)
    capsys.readouterr()

    _edit(raw / relpath, old, new)
    code = main(["data", "--raw", str(raw), "--out", str(out)])
    err = capsys.readouterr().err

    assert code == 1
    first_line = err.splitlines()[0]
    for part in expected:
        assert part in first_line, (part, first_line)
    assert re.search(rf"line {_line_of(raw / relpath, at)}\b", first_line), first_line
    assert "Traceback" not in err
    assert _digest(out) == before


def test_input_files_include_commentary_and_census(raw):
    names = [p.relative_to(raw).as_posix() for p in input_files(raw)]
    assert "reference/census_2011_usual_residents.csv" in names
    assert {"commentary/2015-11.md"} <= set(names)
    assert "commentary/README.md" not in names


@pytest.mark.parametrize(
    "relpath", ["commentary/2015-11.md", "reference/census_2011_usual_residents.csv"]
)
def test_a_changed_commentary_or_census_makes_processed_stale(raw, tmp_path, relpath):
    out = tmp_path / "processed"
    build_dataset(raw, out)
    assert processed_is_current(raw, out)
    path = raw / relpath
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert not processed_is_current(raw, out)


def test_a_data_folder_without_commentary_or_census_still_builds(raw_copy, tmp_path):
    assert len(build_dataset(raw_copy, tmp_path / "processed")) > 100
