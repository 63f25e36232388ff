"""Where the data lives: one :class:`DataLayout` for a data folder, built once.

Every folder and file under a data folder (``raw/``, its force profile, report, claims, exports,
commentary and reference folders, the export mapping ``accounts.yml``, and the
processed tidy files) is named here and nowhere else. Code below the briefing
takes a layout and reads its fields; a public function that accepts a
``data_dir`` (for notebooks) converts it once with :meth:`DataLayout.from_data_dir`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from helpers import config

#: The export mapping file, inside the exports folder.
MAPPING_FILE = "accounts.yml"
#: The force profile, inside the raw folder.
PROFILE_FILE = "force.yml"
#: The census file, inside the reference folder.
CENSUS_FILE = "census_2011_usual_residents.csv"
#: The campaign qualifiers and the report's undated tables, inside the report folder.
CAMPAIGNS_FILE = "campaign_figures.csv"
DATE_ASSUMPTIONS_FILE = "date_assumptions.csv"


@dataclass(frozen=True)
class DataLayout:
    """The folders and files of one data folder.

    Attributes:
        data: The data folder.
        raw: Its inputs, never written by code (``<data>/raw``).
        processed: Where the tidy table is built (``<data>/processed``; ``engagement
            data --out`` may put it elsewhere).
    """

    data: Path
    raw: Path
    processed: Path

    @classmethod
    def from_data_dir(cls, data_dir: str | Path | None = None) -> DataLayout:
        """The layout of ``data_dir``; ``None`` or ``""`` for the project's ``data/``."""
        data = Path(data_dir) if data_dir else config.DATA_DIR
        return cls(data, data / "raw", data / "processed")

    @classmethod
    def from_raw_dir(
        cls, raw_dir: str | Path | None = None, processed_dir: str | Path | None = None
    ) -> DataLayout:
        """The layout of a raw folder (``None``: the project's) and its processed folder.

        Args:
            raw_dir: The raw data folder; the data folder is its parent.
            processed_dir: Where the tidy table goes (default ``<data>/processed``).
        """
        layout = cls.from_data_dir(Path(raw_dir).parent if raw_dir else None)
        raw = Path(raw_dir) if raw_dir else layout.raw
        return cls(layout.data, raw, Path(processed_dir) if processed_dir else layout.processed)

    @property
    def report_2015(self) -> Path:
        """Tables transcribed from the 2015 report."""
        return self.raw / "report_2015"

    @property
    def as_reported(self) -> Path:
        """Figures the report states (claims to check)."""
        return self.raw / "as_reported"

    @property
    def exports(self) -> Path:
        """Platform exports dropped in by analysts."""
        return self.raw / "exports"

    @property
    def commentary(self) -> Path:
        """The analysts' commentary, one Markdown file per period."""
        return self.raw / "commentary"

    @property
    def reference(self) -> Path:
        """Reference data (the 2011 Census residents)."""
        return self.raw / "reference"

    @property
    def profile(self) -> Path:
        """The force profile ``force.yml``: name, divisions, sites, page texts."""
        return self.raw / PROFILE_FILE

    @property
    def mapping(self) -> Path:
        """The export mapping ``accounts.yml``."""
        return self.exports / MAPPING_FILE

    @property
    def census(self) -> Path:
        """The 2011 Census residents by local authority."""
        return self.reference / CENSUS_FILE

    @property
    def campaigns(self) -> Path:
        """Qualifiers and dating of the report's campaign figures."""
        return self.report_2015 / CAMPAIGNS_FILE

    @property
    def date_assumptions(self) -> Path:
        """The report's tables whose dates it does not state, and what is assumed."""
        return self.report_2015 / DATE_ASSUMPTIONS_FILE

    @property
    def tidy_parquet(self) -> Path:
        """The processed tidy table (Parquet, what notebooks load)."""
        return self.processed / config.TIDY_PARQUET

    @property
    def tidy_csv(self) -> Path:
        """The processed tidy table as CSV (for spreadsheets)."""
        return self.processed / config.TIDY_CSV
