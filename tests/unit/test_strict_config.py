"""Configuration read strictly: every YAML key once at every level, known names only.

A repeated key in YAML keeps the last value and drops the first without a word
(a second ``accounts:`` list moved figures between channels); a misspelt division
or account was published as a new one. Each is refused in one line naming the
file, the line and, for a name, the values the project knows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import config
from helpers.errors import DataError
from helpers.ingest.accounts import load_accounts
from helpers.ingest.commentary import read_commentary
from helpers.ingest.profile import read_profile
from helpers.tidy.dataset import assemble

SHIPPED = config.EXPORTS_DIR / "accounts.yml"
PROFILE = config.RAW_DIR / "force.yml"
PAPER = config.RAW_DIR / "commentary" / "2015-11.md"


def _line(path: Path, needle: str, nth: int = 1) -> int:
    lines = [i for i, text in enumerate(path.read_text().split("\n"), 1) if needle in text]
    return lines[nth - 1]


def _accounts(tmp_path: Path, old: str, new: str) -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "exports" / "accounts.yml"
    path.parent.mkdir(parents=True)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


# accounts.yml: old text, new text, (needle, which occurrence) of the line named, message
ACCOUNTS_CASES = {
    "a second accounts list": (
        "files:\n",
        "accounts:\n  - name: Other\n    account: Other\nfiles:\n",
        ("accounts:", 2),
        "each key once in the file (first on line",
    ),
    "a key twice in an area list": (
        "      Lancaster: West\n",
        "      Lancaster: West\n      Blackpool: East\n",
        ("Blackpool:", 2),
        "each key once in 'areas' in entry 1 of 'member_exports'",
    ),
    "a misspelt division of an area": (
        "      Blackpool: West\n",
        "      Blackpool: Westt\n",
        ("Blackpool: Westt", 1),
        "a division of the force (West, South, East, as raw/force.yml declares) for area "
        "'Blackpool'",
    ),
    "an unknown channel": (
        "    channel: trusted2know\n",
        "    channel: trusted2knw\n",
        ("trusted2knw", 1),
        "a channel (",
    ),
}


@pytest.mark.parametrize("case", sorted(ACCOUNTS_CASES))
def test_accounts_yml_refuses_repeated_keys_and_unknown_names(tmp_path, case):
    old, new, (needle, nth), words = ACCOUNTS_CASES[case]
    path = _accounts(tmp_path, old, new)
    with pytest.raises(DataError) as caught:
        load_accounts(path, files=[], divisions=read_profile(PROFILE).divisions)
    message = str(caught.value)
    assert f"line {_line(path, needle, nth)}:" in message
    assert words in message
    assert len(message.splitlines()) == 1


def _paper(tmp_path: Path, old: str, new: str) -> Path:
    text = PAPER.read_text(encoding="utf-8")
    assert old in text, old
    folder = tmp_path / "raw" / "commentary"
    folder.mkdir(parents=True)
    path = folder / PAPER.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


PAPER_CASES = {
    "decision twice": (
        "contact: Media",
        "decision: Another decision.\ncontact: Media",
        ("decision:", 2),
        "each key once in front matter",
    ),
    "a field twice in a figure": (
        "    qualifier: nearly\n",
        "    qualifier: nearly\n    qualifier: around\n",
        ("qualifier: around", 1),
        "each key once in 'morecambe_qa_reach' in figures",
    ),
    "figures twice": (
        "---\n# overview",
        "figures:\n  extra:\n    channel: all\n---\n# overview",
        ("figures:", 2),
        "each key once in front matter",
    ),
}


@pytest.mark.parametrize("case", sorted(PAPER_CASES))
def test_commentary_front_matter_refuses_repeated_keys_at_every_level(tmp_path, case):
    old, new, (needle, nth), words = PAPER_CASES[case]
    path = _paper(tmp_path, old, new)
    with pytest.raises(DataError) as caught:
        read_commentary(path.parent)
    assert f"line {_line(path, needle, nth)}:" in str(caught.value)
    assert words in str(caught.value)


def test_a_commentary_account_nobody_knows_is_refused_with_the_known_ones(tmp_path):
    raw = tmp_path / "raw"
    for folder in ("report_2015", "reference"):
        shutil.copytree(config.RAW_DIR / folder, raw / folder)
    shutil.copy(PROFILE, raw / "force.yml")
    old = "    segment: Morecambe Facebook Q&A\n    metric: reach\n"
    path = _paper(tmp_path, "    account: West\n" + old, "    account: Wset\n" + old)
    with pytest.raises(DataError) as caught:
        assemble(raw)
    message = str(caught.value)
    assert f"2015-11.md, line {_line(path, 'morecambe_qa_reach:')}:" in message
    assert "an account the data or the project know for figure 'morecambe_qa_reach'" in message
    assert "East" in message and "Lancs Police" in message
    assert message.endswith("found 'Wset'")


def test_the_force_profile_refuses_a_key_given_twice_at_any_level(tmp_path):
    text = PROFILE.read_text(encoding="utf-8")
    path = tmp_path / "force.yml"
    path.write_text(text + "name: Another force\n", encoding="utf-8")
    with pytest.raises(DataError, match="each key once in the top level"):
        read_profile(path)
