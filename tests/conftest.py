"""Shared fixtures: the embedded data, and a scratch copy of data/raw to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers import config
from helpers.ingest.report import read_claims
from helpers.tidy.dataset import assemble


@pytest.fixture(scope="session")
def tidy() -> pd.DataFrame:
    """The tidy table built from the embedded 2015 report data."""
    return assemble(config.RAW_DIR)


@pytest.fixture(scope="session")
def claims() -> pd.DataFrame:
    """The report's stated figures."""
    return read_claims(config.AS_REPORTED_DIR)


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A writable copy of data/raw (report tables and claims only)."""
    target = tmp_path / "raw"
    for name in ("report_2015", "as_reported"):
        shutil.copytree(config.RAW_DIR / name, target / name)
    return target
