"""What reading the export files gave: per-file results, the rows and the overlaps."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from helpers.errors import DataError, printable
from helpers.ingest.detect import FORMATS


@dataclass
class FileResult:
    """What happened to one file (printed by ``engagement ingest`` and ``data``)."""

    relpath: str
    format: str = ""
    channel: str = ""
    account: str = ""
    start: str = ""
    end: str = ""
    rows: int = 0
    notes: list[str] = field(default_factory=list)
    error: str = ""

    def describe(self) -> str:
        """One line for a person checking the file."""
        name = printable(self.relpath)
        if self.error:
            return f"{name}: NOT INGESTED - {self.error}"
        label = FORMATS[self.format].label if self.format in FORMATS else self.format
        span = f"{self.start} to {self.end}" if self.start else "no dated rows"
        notes = f"; {'; '.join(self.notes)}" if self.notes else ""
        return (
            f"{name}: {label}, {self.channel} account '{printable(str(self.account))}', "
            f"{span}, {self.rows:,} rows{notes}"
        )


@dataclass
class ExportResult:
    """Everything :func:`read_exports` found.

    Attributes:
        rows: Tidy rows of every good file, de-duplicated (not yet validated).
        files: One :class:`FileResult` per file, in path order.
        problems: One :class:`DataError` per file that could not be used.
        overlaps: Values dropped by the de-duplication rule, summarised per pair
            of files: ``channel, account, dropped_file, kept_file, values, first, last``.
    """

    rows: pd.DataFrame
    files: list[FileResult]
    problems: list[DataError]
    overlaps: pd.DataFrame

    def overlap_lines(self) -> list[str]:
        """The overlaps as sentences."""
        return [
            f"{o.dropped_file} and {o.kept_file} both give {o.channel} '{o.account}' for "
            f"{o.first} to {o.last}: kept {o.kept_file} ({o.values:,} values dropped)"
            for o in self.overlaps.itertuples()
        ]


OVERLAP_COLUMNS = ["channel", "account", "dropped_file", "kept_file", "values", "first", "last"]
