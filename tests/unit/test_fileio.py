"""The one atomic-write helper: all or nothing."""

from __future__ import annotations

import pytest

from helpers.fileio import atomic_path, write_bytes, write_text


def test_replaces_the_target_only_when_the_block_succeeds(tmp_path):
    target = tmp_path / "sub" / "a.txt"
    write_text(target, "old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("writer failed")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in target.parent.iterdir()] == ["a.txt"]  # no temporary left
    write_bytes(target, b"new")
    assert target.read_bytes() == b"new"


def test_nested_writes_are_both_or_none(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    with pytest.raises(ValueError), atomic_path(a) as ta, atomic_path(b) as tb:
        ta.write_text("1")
        tb.write_text("2")
        raise ValueError
    assert not a.exists() and not b.exists()
    with atomic_path(a) as ta, atomic_path(b) as tb:
        ta.write_text("1")
        tb.write_text("2")
    assert (a.read_text(), b.read_text()) == ("1", "2")


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_written_files_follow_the_umask_not_the_temporary_file_mode(tmp_path, umask):
    import os

    old = os.umask(umask)
    try:
        write_text(tmp_path / "a.txt", "x")
        with atomic_path(tmp_path / "b.bin") as tmp:
            tmp.write_bytes(b"y")
    finally:
        os.umask(old)
    for name in ("a.txt", "b.bin"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o666 & ~umask
