"""The raw files the tidy table is built from, and their digests.

:func:`input_files` lists every raw input of a data folder in a stable order;
:func:`fingerprint` digests their names and contents, so the processed table (and a
period's briefings) know when any raw file changed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from helpers.ingest.commentary import commentary_files
from helpers.ingest.files import discover
from helpers.ingest.report import report_files
from helpers.layout import DataLayout


def input_files(layout: DataLayout | Path | None = None) -> list[Path]:
    """Every raw file the processed table is built from, in a stable order.

    Args:
        layout: The data layout; a path is taken as the raw data folder (``None``:
            the project's).
    """
    if not isinstance(layout, DataLayout):
        layout = DataLayout.from_raw_dir(layout)
    files = report_files(layout.report_2015)
    profile = [layout.profile] if layout.profile.is_file() else []
    mapping = [layout.mapping] if layout.mapping.is_file() else []
    census = [layout.census] if layout.census.is_file() else []
    return (
        profile
        + [f for f in files if f.exists()]
        + sorted(layout.as_reported.glob("*.csv"))
        + mapping
        + discover(layout.exports)
        + census
        + commentary_files(layout.commentary)
    )


def fingerprint(files: list[Path]) -> str:
    """SHA-256 over the names and contents of ``files`` (detects any raw change)."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """SHA-256 of one file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
