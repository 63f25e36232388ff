"""The content-hash cache: unchanged files are not parsed again; a corrupt cache is rebuilt."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.ingest import exports
from helpers.ingest.exports import read_exports

FIXTURES = Path(__file__).parents[1] / "fixtures" / "exports"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "exports"
    shutil.copytree(FIXTURES, target)
    return target


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    original = exports.parse_file

    def counting(path, relpath, mapping, data=None):
        calls.append(relpath)
        return original(path, relpath, mapping, data)

    monkeypatch.setattr(exports, "parse_file", counting)
    return calls


def test_second_run_parses_nothing(folder: Path, tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    calls = _count_parses(monkeypatch)
    first = read_exports(folder, cache_dir=cache, jobs=1)
    assert len(calls) == 13
    second = read_exports(folder, cache_dir=cache, jobs=1)
    assert len(calls) == 13
    assert all(f.cached for f in second.files)
    pd.testing.assert_frame_equal(first.rows, second.rows)
    pd.testing.assert_frame_equal(
        first.overlaps.reset_index(drop=True),
        second.overlaps.reset_index(drop=True),
        check_dtype=False,
    )
    assert len(list(cache.glob("*.arrow"))) == 14  # one per file and the combined result


def test_changed_file_is_parsed_again(folder: Path, tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    read_exports(folder, cache_dir=cache, jobs=1)
    calls = _count_parses(monkeypatch)
    path = folder / "youtube/Content 2024-09-01_2024-09-07 Lancashire Police/Totals.csv"
    path.write_text(path.read_text().replace("2024-09-07,650", "2024-09-07,651"))
    result = read_exports(folder, cache_dir=cache, jobs=1)
    assert calls == ["youtube/Content 2024-09-01_2024-09-07 Lancashire Police/Totals.csv"]
    totals = result.rows[result.rows["source"].str.contains("Totals.csv")]
    assert totals["value"].sum() == 5313


def test_corrupt_cache_files_are_rebuilt(folder: Path, tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    first = read_exports(folder, cache_dir=cache, jobs=1)
    for path in cache.glob("*.arrow"):
        path.write_bytes(path.read_bytes()[:50])  # truncated
    (cache / "index.json").write_text("{not json")
    calls = _count_parses(monkeypatch)
    second = read_exports(folder, cache_dir=cache, jobs=1)
    assert len(calls) == 13
    pd.testing.assert_frame_equal(first.rows, second.rows)
    calls.clear()
    third = read_exports(folder, cache_dir=cache, jobs=1)
    assert calls == []
    pd.testing.assert_frame_equal(first.rows, third.rows)


def test_foreign_file_under_a_cache_name_is_ignored(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    read_exports(folder, cache_dir=cache, jobs=1)
    victim = next(p for p in cache.glob("*.arrow") if p.name != "combined.arrow")
    other = next(
        p for p in cache.glob("*.arrow") if p not in (victim,) and p.name != "combined.arrow"
    )
    shutil.copy(other, victim)  # readable, but its key does not match its name
    (cache / "combined.arrow").unlink()
    result = read_exports(folder, cache_dir=cache, jobs=1)
    fresh = read_exports(folder, jobs=1)
    pd.testing.assert_frame_equal(result.rows, fresh.rows)


def test_mapping_change_invalidates(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    read_exports(folder, cache_dir=cache, jobs=1)
    mapping = folder / "accounts.yml"
    mapping.write_text(mapping.read_text().replace("account: Lancs Police", "account: Corporate"))
    result = read_exports(folder, cache_dir=cache, jobs=1)
    assert "Corporate" in set(result.rows["account"])


def test_bad_files_are_not_cached(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "odd.csv").write_text("a,b\n1,2\n")
    cache = tmp_path / "cache"
    calls = _count_parses(monkeypatch)
    for _ in range(2):
        result = read_exports(folder, cache_dir=cache, jobs=1)
        assert len(result.problems) == 1
    assert len(calls) == 2
    assert not (cache / "combined.arrow").exists()


def test_parallel_and_serial_agree(tmp_path: Path, monkeypatch) -> None:
    from tests.factories.synthetic import generate

    folder = tmp_path / "synthetic"
    generate(folder, years=1, accounts=6, tweets=600, seed=3)
    monkeypatch.setattr(exports, "PARALLEL_FROM", 2)
    parallel = read_exports(folder, cache_dir=tmp_path / "cache", jobs=2)
    serial = read_exports(folder, jobs=1)
    pd.testing.assert_frame_equal(parallel.rows, serial.rows)
    assert parallel.problems == serial.problems == []
