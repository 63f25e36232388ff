"""One DataLayout names every folder and file of a data folder."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from helpers import config
from helpers.layout import DataLayout


def test_the_projects_layout_is_the_default():
    assert (
        DataLayout.from_data_dir(None)
        == DataLayout.from_data_dir("")
        == DataLayout.from_data_dir(config.DATA_DIR)
    )
    layout = DataLayout.from_data_dir()
    assert layout.raw == config.RAW_DIR and layout.processed == config.PROCESSED_DIR
    assert layout.report_2015 == config.REPORT_DIR and layout.as_reported == config.AS_REPORTED_DIR
    assert layout.exports == config.EXPORTS_DIR and layout.reference == config.REFERENCE_DIR
    assert layout.tidy_parquet == config.PROCESSED_DIR / config.TIDY_PARQUET
    assert layout.mapping.is_file() and layout.census.is_file() and layout.commentary.is_dir()


def test_every_path_is_under_the_data_folder(tmp_path):
    layout = DataLayout.from_data_dir(tmp_path)
    paths = {
        name: getattr(layout, name)
        for name, attr in vars(DataLayout).items()
        if isinstance(attr, property)
    }
    assert len(paths) >= 11
    for name, path in paths.items():
        assert path.is_relative_to(tmp_path), name
    assert layout.census == tmp_path / "raw" / "reference" / "census_2011_usual_residents.csv"
    assert layout.mapping == tmp_path / "raw" / "exports" / "accounts.yml"


def test_a_raw_folder_and_a_processed_folder_elsewhere(tmp_path):
    layout = DataLayout.from_raw_dir(tmp_path / "copy" / "raw", tmp_path / "out")
    assert layout.data == tmp_path / "copy" and layout.raw == tmp_path / "copy" / "raw"
    assert layout.processed == tmp_path / "out"
    assert layout.tidy_csv == tmp_path / "out" / config.TIDY_CSV
    assert DataLayout.from_raw_dir(None) == DataLayout.from_data_dir()


def test_a_layout_cannot_change(tmp_path):
    layout = DataLayout.from_data_dir(tmp_path)
    with pytest.raises(dataclasses.FrozenInstanceError):
        layout.data = Path("elsewhere")  # type: ignore[misc]
