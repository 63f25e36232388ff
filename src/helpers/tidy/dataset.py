"""Build and load ``data/processed/``: the one validated tidy table.

``build_dataset`` reads every raw source, validates the whole table with the
pandera schema, and only then replaces the processed files (written to temporary
names first, then swapped in), so a bad input never leaves a half-written or
partly updated ``data/processed/``. ``load_tidy`` is what notebooks call.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from helpers import config
from helpers.errors import DataError
from helpers.fileio import atomic_path
from helpers.ingest.commentary import commentary_files, read_commentary
from helpers.ingest.exports import read_exports
from helpers.ingest.profile import ForceProfile, read_profile
from helpers.ingest.redact import redact_rows
from helpers.ingest.reference import empty_census, read_census
from helpers.ingest.report import read_report_tables
from helpers.ingest.results import OVERLAP_COLUMNS, ExportResult
from helpers.ingest.sources import file_sha256, fingerprint, input_files
from helpers.layout import DataLayout
from helpers.schema import KEY, coerce_tidy, empty_tidy, validate_tidy
from helpers.tidy.commentary import Commentary

_META_KEY = b"engagement_briefings"


def layout_of(
    raw_dir: DataLayout | str | Path | None = None, processed_dir: str | Path | None = None
) -> DataLayout:
    """The layout a raw folder (and processed folder) name; a :class:`DataLayout` as it is."""
    if isinstance(raw_dir, DataLayout):
        return raw_dir
    return DataLayout.from_raw_dir(raw_dir, processed_dir)


def assemble(
    raw_dir: DataLayout | Path | None = None,
    *,
    problems: list[DataError] | None = None,
    exports: list[ExportResult] | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Read every raw source and return the validated tidy table (nothing written).

    The transcribed report tables (when ``<raw>/report_2015`` exists) must all be
    good. Platform exports under ``<raw>/exports`` are read too: a bad export file is
    left out and its error
    appended to ``problems`` when that list is given (``engagement data`` prints
    them and exits non-zero); without ``problems`` the first bad export raises.
    Export values that repeat a key of the report tables are dropped: the
    published figure stands. The census reference file and the analysts'
    commentary and the force profile (when present) are read and checked too, so a bad one fails the
    build with one clear error; they are not part of the table.

    Args:
        raw_dir: The raw data folder (default ``data/raw``), or the data layout.
        problems: Collects the errors of export files that were skipped.
        exports: When given, the :class:`ExportResult` is appended to it (per-file
            report and overlaps, for printing).
        today: The build date; a value dated after it is refused (default: today).

    Returns:
        The tidy table, sorted by channel, account, metric, segment and dates.

    Raises:
        DataError: If any raw file is malformed or the table breaks the schema.
    """
    layout = layout_of(raw_dir)
    # A data folder without the transcribed report (exports only) is allowed.
    report_dir = layout.report_2015
    report = read_report_tables(report_dir) if report_dir.is_dir() else empty_tidy()
    report = redact_rows(report) if len(report) else report  # as export rows are
    profile = read_profile(layout.profile)
    divisions = profile.divisions
    if layout.census.is_file():
        read_census(layout.census, divisions)
    commentary = read_commentary(layout.commentary)
    result = read_exports(layout.exports, divisions=divisions)
    if result.problems and problems is None:
        raise result.problems[0]
    if problems is not None:
        problems.extend(result.problems)
    export_rows = result.rows
    if len(export_rows) and len(report):
        known = pd.MultiIndex.from_frame(report[KEY])
        # the report holds few keys: only rows matching it column by column are compared
        # whole (a pages export's millions of segments never are)
        maybe = np.ones(len(export_rows), dtype=bool)
        for col in KEY:
            maybe &= export_rows[col].isin(report[col].unique()).to_numpy()
        repeated = np.zeros(len(export_rows), dtype=bool)
        if maybe.any():
            repeated[maybe] = pd.MultiIndex.from_frame(export_rows.loc[maybe, KEY]).isin(known)
        result.overlaps = pd.concat(
            [result.overlaps, _report_overlaps(export_rows[repeated])], ignore_index=True
        )
        export_rows = export_rows[~repeated]
    if exports is not None:
        exports.append(result)
    frames = [f for f in (report, export_rows) if len(f)]
    tidy = coerce_tidy(pd.concat(frames, ignore_index=True)) if frames else coerce_tidy(report)
    tidy = validate_tidy(tidy, layout.raw)
    check_not_future(tidy, layout.raw, today)
    known = (config.ALL_ACCOUNTS, *profile.divisions, *profile.sites.values())
    check_known_accounts(commentary.figures, tidy, layout.raw, known)
    return tidy.sort_values(
        ["channel", "account", "metric", "segment", "start", "end"], kind="stable"
    ).reset_index(drop=True)


def check_known_accounts(
    figures: pd.DataFrame, tidy: pd.DataFrame, raw: Path, declared: Iterable[str] = ()
) -> None:
    """Refuse a commentary figure whose account neither the data nor the force know.

    A figure's account must be one the tidy table holds (any channel), or one the
    force declares (``All accounts``, its divisions and sites): a misspelt one
    (``Wset``) would be quoted and checked against nothing.

    Args:
        figures: The commentary's figures (``account``, ``figure``, ``source``).
        tidy: The tidy table.
        raw: The raw data folder (``source`` is relative to it).
        declared: The accounts the force declares besides those in the data.

    Raises:
        DataError: For the first such figure, naming its file, line and the known accounts.
    """
    known = {*map(str, tidy["account"].unique()), *declared}
    for figure in figures.to_dict("records"):
        if figure["account"] in known:
            continue
        file, _, line = str(figure["source"]).rpartition(":")
        names = sorted(known)
        listed = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
        raise DataError(
            raw / file,
            f"an account the data or the project know for figure '{figure['figure']}' ({listed})",
            line=int(line) if line.isdigit() else None,
            found=figure["account"],
        )


def check_not_future(tidy: pd.DataFrame, raw: Path, today: dt.date | None = None) -> None:
    """Refuse a value dated after the build date, naming the raw file and line it came from.

    Args:
        tidy: The tidy table (``source`` is ``file:line:column`` under ``raw``).
        raw: The raw data folder.
        today: The build date (default: today).

    Raises:
        DataError: For the first such value, in source order.
    """
    if tidy.empty:
        return
    today = today or dt.date.today()
    late = tidy[pd.to_datetime(tidy["end"]) > pd.Timestamp(today)]
    if late.empty:
        return
    row = late.sort_values("source", kind="stable").iloc[0]
    file, _, rest = str(row["source"]).partition(":")
    line, _, column = rest.partition(":")
    raise DataError(
        raw / file,
        f"dates up to the build date ({today:%Y-%m-%d}); a value dated "
        f"{pd.Timestamp(row['end']):%Y-%m-%d} is in the future (a typo in the year?)",
        line=int(line) if line.isdigit() else None,
        column=column or None,
    )


def _report_overlaps(repeated: pd.DataFrame) -> pd.DataFrame:
    """Summarise export values dropped because the report tables give the same key."""
    if repeated.empty:
        return pd.DataFrame(columns=OVERLAP_COLUMNS)
    frame = repeated.assign(
        dropped_file=repeated["source"].str.split(":").str[0].str.removeprefix("exports/"),
        kept_file="report_2015 (published figures)",
    )
    out = (
        frame.groupby(["channel", "account", "dropped_file", "kept_file"])
        .agg(values=("metric", "size"), first=("start", "min"), last=("end", "max"))
        .reset_index()
    )
    for col in ("first", "last"):
        out[col] = out[col].dt.strftime("%Y-%m-%d")
    return out[OVERLAP_COLUMNS]


def build_dataset(
    raw_dir: DataLayout | Path | None = None,
    processed_dir: Path | None = None,
    *,
    problems: list[DataError] | None = None,
    exports: list[ExportResult] | None = None,
) -> pd.DataFrame:
    """Build ``data/processed/tidy.parquet`` and ``tidy.csv`` from the raw data.

    Everything is read and validated before anything is written; each file is then
    written under a temporary name and swapped in. All or nothing: when any input
    fails (an export file included), nothing is written.

    Args:
        raw_dir: The raw data folder (default ``data/raw``), or the data layout.
        processed_dir: Where to write (default ``data/processed``; with a layout,
            its ``processed`` folder).
        problems: Collects the errors of every export file that failed (see
            :func:`assemble`); when it is not empty, ``processed_dir`` is left as it
            was and the table built from the good files is only returned.
        exports: Collects the export report (see :func:`assemble`).

    Returns:
        The tidy table that was written.

    Raises:
        DataError: If a raw file is malformed; ``processed_dir`` is then untouched.
    """
    layout = layout_of(raw_dir, processed_dir or DataLayout.from_data_dir().processed)
    tidy = assemble(layout, problems=problems, exports=exports)
    if problems:
        return tidy
    meta = {"fingerprint": fingerprint(input_files(layout)), "rows": len(tidy)}
    layout.processed.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(tidy, preserve_index=False)
    table = table.replace_schema_metadata(
        {**(table.schema.metadata or {}), _META_KEY: json.dumps(meta).encode()}
    )
    # Both files are written under temporary names; they replace the old ones only
    # when both were written.
    with (
        atomic_path(layout.tidy_parquet) as parquet,
        atomic_path(layout.tidy_csv) as csv,
    ):
        pq.write_table(table, parquet)
        write_tidy_csv(tidy, csv)
    return tidy


#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(text: object) -> object:
    """A text cell a spreadsheet shows as text: ``'`` before a leading ``= + - @`` tab or CR.

    Non-text values (numbers, missing values) are returned unchanged.
    """
    if isinstance(text, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with :func:`formula_safe` applied to every text column (numbers stay numbers)."""
    out = frame.copy(deep=False)  # copy-on-write: the columns replaced are new
    for col in out.columns:
        if out[col].dtype == object or isinstance(out[col].dtype, pd.StringDtype):
            cells = out[col]
            if isinstance(cells.dtype, pd.StringDtype):
                text = cells.notna()
            else:  # numbers may stand among the text: they stay numbers
                text = cells.map(lambda v: isinstance(v, str)).astype(bool)
            shown = cells.astype(str)
            risky = text & shown.str.startswith(FORMULA_STARTS)
            if risky.any():
                out[col] = cells.where(~risky, "'" + shown)
    return out


def write_tidy_csv(tidy: pd.DataFrame, path: Path) -> None:
    """Write the tidy rows as CSV: ISO dates, text cells that cannot run as formulas.

    Args:
        tidy: Tidy rows (``start`` and ``end`` datetimes).
        path: The file to write (write to a temporary name and swap it in, e.g. with
            :func:`helpers.fileio.atomic_path`, so no reader sees half a file).
    """
    frame = tidy.copy(deep=False)  # copy-on-write: tidy is left as it is
    for col in ("start", "end"):
        frame[col] = frame[col].dt.strftime("%Y-%m-%d")
    # pyarrow's writer: every text cell quoted, values as their shortest form ("2100");
    # a site's pages export is written in a second instead of twenty
    table = pa.Table.from_pandas(csv_safe(frame), preserve_index=False)
    pa_csv.write_csv(table, str(path), write_options=pa_csv.WriteOptions(quoting_style="needed"))


def processed_is_current(
    raw_dir: DataLayout | Path | None = None, processed_dir: Path | None = None
) -> bool:
    """Whether the processed Parquet exists, reads, and matches the raw files."""
    return processed_state(raw_dir, processed_dir) == CURRENT


#: :func:`processed_state`: the table matches the raw files.
CURRENT = "current"
#: :func:`processed_state`: no readable table (missing, corrupt or foreign).
MISSING = "missing"
#: :func:`processed_state`: a table built from other raw files than those there now.
OUT_OF_DATE = "out of date"


def processed_state(
    raw_dir: DataLayout | Path | None = None, processed_dir: Path | None = None
) -> str:
    """Whether the processed table is :data:`CURRENT`, :data:`MISSING` or :data:`OUT_OF_DATE`.

    Args:
        raw_dir: The raw data folder (default ``data/raw``), or the data layout.
        processed_dir: The processed folder (default ``data/processed``, as before;
            with a layout, its ``processed`` folder).
    """
    # Given a raw folder, the processed folder defaults to the project's.
    layout = layout_of(raw_dir, processed_dir or DataLayout.from_data_dir().processed)
    path = layout.tidy_parquet
    try:
        meta = pq.read_schema(path).metadata or {}
        stored = json.loads(meta[_META_KEY])["fingerprint"]
    except Exception:  # missing, corrupt or foreign file: not current
        return MISSING
    return CURRENT if stored == fingerprint(input_files(layout)) else OUT_OF_DATE


def layout_of_data(data_dir: DataLayout | str | Path | None = None) -> DataLayout:
    """The layout of a data folder (``None`` or ``""``: the project's); a layout as it is."""
    return data_dir if isinstance(data_dir, DataLayout) else DataLayout.from_data_dir(data_dir)


def load_tidy(data_dir: DataLayout | str | Path | None = None) -> pd.DataFrame:
    """Return the tidy table for notebooks.

    Reads ``<data_dir>/processed/tidy.parquet`` when it is current; when it is
    missing, stale or corrupt, rebuilds the table in memory from
    ``<data_dir>/raw`` (with a warning) so a notebook always sees the raw data.

    Args:
        data_dir: The project's ``data`` folder (default from :mod:`helpers.config`).

    Returns:
        The validated tidy table.
    """
    layout = layout_of_data(data_dir)
    if processed_is_current(layout):
        return _read_processed(layout.tidy_parquet).copy(deep=False)
    warnings.warn(
        f"{layout.tidy_parquet} is missing or out of date; "
        "using the raw data directly (run `make data` to rebuild it)",
        stacklevel=2,
    )
    return assemble(layout)


#: The last processed table read, by the file's identity (path, inode, size, time).
_READ: dict[tuple[str, int, int, int], pd.DataFrame] = {}


def _read_processed(path: Path) -> pd.DataFrame:
    """``tidy.parquet`` read once per process while the file stays the same.

    A process that reads it again (the runner planning and fingerprinting; a warm
    kernel running notebook after notebook) gets the table it read, not a second
    copy: the table of a site's pages export can take hundreds of MB. Callers get a
    shallow copy; pandas' copy-on-write keeps their changes to themselves.
    """
    stat = path.stat()
    key = (str(path.resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns)
    if key not in _READ:
        _READ.clear()
        # One chunk per column: selecting rows from a table in many chunks is slower
        # by two orders of magnitude (112 ms against 0.6 ms over two million rows).
        # ParquetFile.read gives one (read_table gives one per batch read).
        table = pq.ParquetFile(path).read()
        if any(column.num_chunks > 1 for column in table.columns):
            table = table.combine_chunks()
        _READ[key] = coerce_tidy(table.to_pandas())
        del table
        pa.default_memory_pool().release_unused()  # the file's decoding buffers
    return _READ[key]


def forget_processed() -> None:
    """Let go of the processed table this process read, and give its memory back."""
    import gc

    _READ.clear()
    gc.collect()
    pa.default_memory_pool().release_unused()


def load_reference(data_dir: DataLayout | str | Path | None = None) -> pd.DataFrame:
    """Return the 2011 Census residents by local authority, read and checked.

    Reads ``<data_dir>/raw/reference/census_2011_usual_residents.csv`` directly (it
    is small, read by :func:`helpers.ingest.reference.read_census`);
    :func:`helpers.tidy.reference.division_residents` adds it up by
    division.

    Args:
        data_dir: The project's ``data`` folder (default from :mod:`helpers.config`).

    Returns:
        One row per authority (columns
        :data:`helpers.ingest.reference.CENSUS_COLUMNS`); no rows when the data folder
        has no census file.

    Raises:
        DataError: If the file is malformed.
    """
    layout = layout_of_data(data_dir)
    if not layout.census.is_file():
        return empty_census()
    return read_census(layout.census, read_profile(layout.profile).divisions)


def load_profile(data_dir: DataLayout | str | Path | None = None) -> ForceProfile:
    """Return the force profile ``raw/force.yml`` (empty when the folder has none).

    Args:
        data_dir: The data folder (or its layout); None for the project's.

    Raises:
        DataError: If the profile is malformed.
    """
    return read_profile(layout_of_data(data_dir).profile)


def load_commentary(data_dir: DataLayout | str | Path | None = None) -> Commentary:
    """Return the analysts' commentary of every period, read and checked.

    Reads ``<data_dir>/raw/commentary/*.md`` directly (see
    :func:`helpers.ingest.commentary.read_commentary`).

    Args:
        data_dir: The project's ``data`` folder (default from :mod:`helpers.config`).

    Returns:
        The parts, figures and periods; empty frames when there is no commentary.

    Raises:
        DataError: If a commentary file is malformed.
    """
    return Commentary.from_frames(read_commentary(layout_of_data(data_dir).commentary))


def source_checksums(data_dir: DataLayout | str | Path | None = None) -> dict[Path, str]:
    """Every file the tidy table is built from and the table itself, with its SHA-256.

    Args:
        data_dir: The data folder (or its layout); None for the project's.

    Returns:
        The raw input files in a stable order, then ``processed/tidy.parquet`` when
        it exists, each to the hex digest of its bytes.
    """
    layout = layout_of_data(data_dir)
    files = list(input_files(layout))
    if layout.tidy_parquet.is_file():
        files.append(layout.tidy_parquet)
    return {path: file_sha256(path) for path in files}


def paper_periods(data_dir: DataLayout | str | Path | None = None) -> list[str]:
    """Periods the analysts wrote a paper for: a commentary file ``raw/commentary/YYYY-MM.md``.

    Args:
        data_dir: The data folder (or its layout); None for the project's.
    """
    return sorted(
        p.stem
        for p in commentary_files(layout_of_data(data_dir).commentary)
        if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", p.stem)
    )
