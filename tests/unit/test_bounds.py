"""Inputs that would exhaust the machine are refused in one line naming the file.

A YAML "billion laughs" (aliases of aliases), a mapping nested 100,000 deep, a
workbook that unzips to gigabytes, a cell of megabytes: each is refused before any
reader works on it. A guard turns a hang into a failure (the old code took minutes
over the aliases), rather than timing a shared machine.
"""

from __future__ import annotations

import contextlib
import signal
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from helpers import config
from helpers.errors import DataError
from helpers.ingest import files, grid
from helpers.ingest.accounts import load_accounts
from helpers.ingest.commentary import read_commentary
from helpers.ingest.common import ExportFile

#: Seconds after which a refusal that has not come is a hang.
GUARD_S = 60


@contextlib.contextmanager
def no_hang(seconds: int = GUARD_S) -> Iterator[None]:
    def hung(signum, frame):
        raise TimeoutError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def laughs(levels: int = 9, width: int = 10, indent: str = "") -> str:
    """YAML whose last key expands to ``width ** levels`` strings through aliases."""
    lines = [f'{indent}a0: &a0 ["lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"{indent}a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def _refused(path: Path, read, words: str) -> str:
    with no_hang(), pytest.raises(DataError) as caught:
        read()
    message = str(caught.value)
    assert message.startswith(f"{path.as_posix()}") and words in message
    assert len(message.splitlines()) == 1 and len(message) < 400
    return message


def test_a_billion_laughs_in_accounts_yml(tmp_path):
    path = tmp_path / "accounts.yml"
    path.write_text("accounts:\n  - name: x\n    account: y\n" + laughs(), encoding="utf-8")
    _refused(path, lambda: load_accounts(path, files=[]), "aliases")


def test_a_billion_laughs_in_commentary_front_matter(tmp_path):
    text = (config.RAW_DIR / "commentary" / "2015-11.md").read_text(encoding="utf-8")
    head, rest = text.split("figures:\n", 1)
    path = tmp_path / "2015-11.md"
    path.write_text(head + laughs() + "figures:\n" + rest, encoding="utf-8")
    _refused(path, lambda: read_commentary(tmp_path), "aliases")


def test_few_aliases_that_expand_to_millions_of_values_are_refused(tmp_path):
    path = tmp_path / "accounts.yml"
    path.write_text(laughs(levels=7, width=10), encoding="utf-8")  # 70 aliases, 10**7 values
    _refused(path, lambda: load_accounts(path, files=[]), "values once aliases")


def test_an_alias_inside_its_own_anchor(tmp_path):
    path = tmp_path / "accounts.yml"
    path.write_text("accounts: &a [*a]\n", encoding="utf-8")
    _refused(path, lambda: load_accounts(path, files=[]), "no alias")


@pytest.mark.parametrize("style", ["block", "flow"])
def test_accounts_nested_a_hundred_thousand_deep(tmp_path, style):
    path = tmp_path / "accounts.yml"
    depth = 100_000
    if style == "flow":
        text = "accounts: " + "[" * depth + "]" * depth + "\n"
    else:
        text = "accounts:\n" + "".join(f"{'  ' * i}- \n" for i in range(1, 2000)) + "\n"
    path.write_text(text, encoding="utf-8")
    message = _refused(path, lambda: load_accounts(path, files=[]), "levels of nesting")
    assert "RecursionError" not in message


def test_a_message_quotes_a_huge_structure_within_bounds():
    nested: list = ["lol"]
    for _ in range(30):
        nested = [nested] * 10  # 10**30 strings if written out
    with no_hang():
        message = str(DataError("f.yml", "text", found=nested))
    assert len(message) < 200


def _workbook(path: Path, extra: int) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "Dataset1"
    book.active.append(["Day Index", "Sessions"])
    book.save(path)
    if extra:
        with (
            zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive,
            archive.open("xl/media/padding.bin", "w") as member,
        ):
            block = b"\0" * 1024**2
            for _ in range(extra // len(block)):
                member.write(block)
    return path


def test_a_workbook_that_unzips_past_the_bound_is_refused_unopened(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_WORKBOOK_BYTES", 8 * 1024**2)
    path = _workbook(tmp_path / "bomb.xlsx", 16 * 1024**2)
    assert path.stat().st_size < 200_000  # 16 MB of zeros, a few KB on disk

    def opened(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", opened)
    message = _refused(path, lambda: files.load_file(path, "bomb.xlsx"), "at most 8 MB")
    assert "16 MB" in message


def test_a_workbook_within_the_bound_is_read(tmp_path):
    path = _workbook(tmp_path / "fine.xlsx", 0)
    assert "Day Index,Sessions" in files.load_file(path, "fine.xlsx").text


def test_a_cell_past_the_bound_is_refused_with_its_line_and_column(tmp_path):
    long = "/page/" + "x" * grid.MAX_CELL_CHARS
    text = f"Page,Pageviews\n/home,5\n{long},3\n"
    file = ExportFile(tmp_path / "pages.csv", "pages.csv", text)
    with pytest.raises(DataError) as caught:
        grid.read_table(file, 0)
    message = str(caught.value)
    assert "line 3, column 'Page'" in message and "at most 100,000 characters" in message
    blocks = ExportFile(tmp_path / "pages.csv", "pages.csv", "# Pages\n\n" + text)
    with pytest.raises(DataError, match="line 5: expected cells of at most"):
        grid.read_grid(blocks)
