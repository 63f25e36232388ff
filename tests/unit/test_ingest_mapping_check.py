"""accounts.yml is checked strictly: unknown keys, impossible dates, dead entries."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import config
from helpers.cli import main
from helpers.errors import DataError
from helpers.ingest.accounts import load_accounts

FIXTURES = Path(__file__).parents[1] / "fixtures" / "exports"
SHIPPED = config.EXPORTS_DIR / "accounts.yml"


def _mapping(tmp_path: Path, old: str, new: str, source: Path = SHIPPED) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "exports" / "accounts.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().split("\n"), 1) if needle in line)


# old text, new text, text on the line named, words of the message
CASES = [
    (
        "  - name: West Division\n    account: West\n",
        "  - name: West Division\n    account: West\n    account: East\n",
        "account: East",
        "each key once in entry 4 of 'accounts' (first on line",
    ),
    ("accounts:\n", "acounts:\n", "acounts:", "only the keys accounts, files, member_exports"),
    (
        "    account: lancashire.police.uk\n    channel: website\n",
        "    account: lancashire.police.uk\n    chanel: website\n",
        "chanel:",
        "only the keys path, account, channel, division, start, end in entry 1 of 'files'",
    ),
    (
        "  - name: West Division\n    account: West\n",
        "  - name: West Division\n    acount: West\n",
        "acount:",
        "only the keys name, account, channel, division in entry 4 of 'accounts'",
    ),
    (
        "    date_format:",
        "    date_fromat:",
        "date_fromat",
        "only the keys path, area_column, registered_column",
    ),
    (
        '  - path: "trustedtoknow/*"\n    account: trustedtoknow.co.uk\n',
        '  - path: "trustedtoknow/*"\n    account: trustedtoknow.co.uk\n    start: 2015-13-01\n',
        "2015-13-01",
        "a date that exists, written YYYY-MM-DD for start of entry 2 of 'files'",
    ),
    (
        '  - path: "trustedtoknow/*"\n    account: trustedtoknow.co.uk\n',
        '  - path: "trustedtoknow/*"\n    account: trustedtoknow.co.uk\n'
        "    start: 2015-06-01\n    end: 2015-05-31\n",
        "end: 2015-05-31",
        "an end on or after the start (2015-06-01)",
    ),
    (
        '  - path: "trustedtoknow/*"\n',
        '  - path: "website/2015/*"\n',
        "website/2015/*",
        "'website/*' on line 29 wins for every file this one matches, so it is never used",
    ),
    ('  - path: "trustedtoknow/*"\n', '  - path: "../trustedtoknow/*"\n', "../", "can never match"),
    (
        "    division: East\n",
        "    division: Eastern\n",
        "Eastern",
        "a division of the force (West, South, East",
    ),
    (
        "  - name: LancsPolice ",
        "  - name: Lancashire police\n    account: West\n  - name: LancsPolice ",
        "name: Lancashire police",
        "each name mapped once in 'accounts' (first on line 12",
    ),
]


@pytest.mark.parametrize(("old", "new", "where", "words"), CASES, ids=[c[3][:40] for c in CASES])
def test_a_mapping_mistake_gets_one_line_naming_file_and_line(tmp_path, old, new, where, words):
    path = _mapping(tmp_path, old, new)
    with pytest.raises(DataError) as caught:
        load_accounts(path, divisions=("West", "South", "East"))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path.as_posix()}, line {_line(path, where)}: expected"), message
    assert words in message, message


def test_an_entry_whose_files_an_earlier_entry_takes_is_shadowed(tmp_path):
    exports = tmp_path / "exports"
    shutil.copytree(FIXTURES, exports)
    text = (exports / "accounts.yml").read_text()
    (exports / "accounts.yml").write_text(
        text.replace(
            "files:\n",
            'files:\n  - path: "website/*"\n    account: lancashire.police.uk\n',
        )
    )
    with pytest.raises(DataError, match="'website/\\*' on line 16 wins for every file"):
        load_accounts(exports / "accounts.yml")


def test_the_shipped_and_fixture_mappings_pass():
    load_accounts(SHIPPED)
    load_accounts(FIXTURES / "accounts.yml")


def test_engagement_data_refuses_a_typo_and_leaves_processed_as_it_was(tmp_path, capsys):
    raw = tmp_path / "raw"
    for name in ("report_2015", "as_reported"):
        shutil.copytree(config.RAW_DIR / name, raw / name)
    shutil.copytree(FIXTURES, raw / "exports")
    processed = tmp_path / "processed"
    assert main(["data", "--raw", str(raw), "--out", str(processed)]) == 0
    before = {p.name: p.read_bytes() for p in processed.iterdir() if p.is_file()}
    mapping = raw / "exports" / "accounts.yml"
    mapping.write_text(mapping.read_text().replace("accounts:\n", "acounts:\n", 1))
    capsys.readouterr()
    assert main(["data", "--raw", str(raw), "--out", str(processed)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith(f"error: {mapping.as_posix()}, line 2: expected only the keys")
    assert {p.name: p.read_bytes() for p in processed.iterdir() if p.is_file()} == before
