"""The drop-in exports folder: discovery, account mapping, de-duplication.

Analysts put platform exports anywhere under ``data/raw/exports/``.
:func:`read_exports` reads every file there (format recognised from content by
:mod:`helpers.ingest.detect`), maps accounts through ``accounts.yml``, drops
values given by more than one file, and returns the tidy rows with a per-file
report, the problems found and the overlaps.

De-duplication rule: when several files give a value for the same day (or range),
channel, account, segment and metric, the file whose data ends later wins; on a
tie the file modified later wins; on a further tie the later path in sort order.
Every value dropped this way is reported in :attr:`ExportResult.overlaps`.

Every file is parsed on every read: a year of a force's downloads (about 30 files,
7 MB) takes well under a second of CPU (``benchmarks/bench_ingest.py``).
"""

from __future__ import annotations

import dataclasses
import glob
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from helpers import config
from helpers.errors import DataError
from helpers.ingest.accounts import SHARED_NAMES, AccountMap, load_accounts
from helpers.ingest.common import ExportFile, Parsed
from helpers.ingest.detect import FORMATS, detect
from helpers.ingest.files import discover, load_file, relative_name
from helpers.ingest.redact import redact_parsed
from helpers.ingest.results import OVERLAP_COLUMNS, ExportResult, FileResult
from helpers.layout import MAPPING_FILE, DataLayout
from helpers.schema import COLUMNS, coerce_tidy


def parse_file(path: Path, relpath: str, mapping: AccountMap, data: bytes | None = None) -> Parsed:
    """Recognise and read one export, with accounts mapped (no cache).

    Args:
        path: The file.
        relpath: Its path under the exports folder (used in ``source``).
        mapping: The account mapping.
        data: The file's bytes, when already read.

    Returns:
        The parsed rows (not yet validated or de-duplicated across files), with
        personal data removed from their text (:mod:`helpers.ingest.redact`).

    Raises:
        DataError: If the file cannot be used; nothing else escapes.
    """
    file = load_file(path, relpath, data)
    options = mapping.options_for(relpath)
    key, spec = detect(file, mapping.member_mappings(relpath))
    parsed = FORMATS[key].read(file, spec if spec is not None else options)
    parsed = _apply_mapping(file, parsed, mapping, options)
    _after_first_year(file, parsed)
    return redact_parsed(parsed)


#: The year each platform began: a row dated earlier comes from a broken or edited
#: cell (``1900``, a spreadsheet's day zero), never from the platform.
FIRST_YEAR: dict[str, tuple[int, str]] = {
    "facebook": (2004, "Facebook began in February 2004"),
    "instagram": (2010, "Instagram began in October 2010"),
    "twitter": (2006, "Twitter began in March 2006"),
    "youtube": (2005, "YouTube began in 2005"),
    # Google Analytics began in November 2005 (its first reporting API took no date
    # before 2005); a GA4 report's range may begin before its property existed
    "website": (2005, "Google Analytics began in November 2005"),
    "trusted2know": (2005, "Google Analytics began in November 2005"),
    # members register online: not before the Web was opened to all (1991)
    "itk": (1991, "online registration began with the Web in 1991"),
}


def _after_first_year(file: ExportFile, parsed: Parsed) -> None:
    """Refuse a row dated before its platform began, naming the cell it came from.

    Raises:
        DataError: At the first such row's line and column (from its ``source``).
    """
    table = parsed.table
    if not len(table):
        return
    for channel, (year, began) in FIRST_YEAR.items():
        early = pc.and_(
            pc.equal(table["channel"], channel),
            pc.less(table["start"], pa.scalar(pd.Timestamp(year, 1, 1), pa.timestamp("ns"))),
        )
        if not pc.any(early).as_py():
            continue
        row = table.filter(early).sort_by("start").slice(0, 1).to_pylist()[0]
        line = str(row["source"]).removeprefix(f"{file.source_path}:").partition(":")[0]
        raise file.error(
            f"dates from {year} on ({began}: was the date edited?)",
            line=int(line) if line.isdigit() and int(line) else None,
            found=f"{row['start']:%Y-%m-%d}",
        )


def _apply_mapping(
    file: ExportFile, parsed: Parsed, mapping: AccountMap, options: dict[str, Any]
) -> Parsed:
    """Give the rows their canonical account: from a ``files`` entry, else by name.

    Raises:
        DataError: If the file names no account, or only a name that many
            accounts share, and no ``files`` entry maps it.
    """
    table = parsed.table
    if parsed.format == "neighbourhood_alert":
        return parsed
    if options.get("account"):
        channel = options.get("channel") or parsed.channel
        if channel not in config.CHANNELS:
            raise file.error(f"a channel in accounts.yml ({', '.join(config.CHANNELS)})")
        account = str(options["account"])
        table = _set_column(table, "account", pa.array([account] * len(table), pa.string()))
        if options.get("channel"):  # else each row keeps its own (overviews hold several)
            table = _set_column(table, "channel", pa.array([channel] * len(table), pa.string()))
        notes = [*parsed.notes, f"account from {options.get('given', 'accounts.yml (files)')}"]
        return Parsed(parsed.format, channel, account, table, notes)
    names = pc.unique(table["account"]).to_pylist() if len(table) else [parsed.account]
    if any(not str(n).strip() for n in names):
        raise file.error(_NO_ACCOUNT.get(parsed.format, _NO_ACCOUNT[""]))
    shared = [n for n in names if " ".join(str(n).split()).lower() in SHARED_NAMES]
    if shared:
        raise file.error(
            f"a 'files' entry with the account in accounts.yml ('{shared[0]}' is every "
            "Google Analytics property's default view name, so it does not say whose site "
            "this is)"
        )
    resolved = [mapping.resolve(parsed.channel, n) for n in names]
    if len(table):
        where = pc.index_in(table["account"], value_set=pa.array(names, pa.string()))
        channels = pa.array([c for c, _ in resolved], pa.string())
        accounts = pa.array([a for _, a in resolved], pa.string())
        table = _set_column(table, "channel", pc.take(channels, where))
        table = _set_column(table, "account", pc.take(accounts, where))
    channel = resolved[0][0]
    joined = ", ".join(dict.fromkeys(a for _, a in resolved))
    return Parsed(parsed.format, channel, joined, table, parsed.notes)


#: Why a format's file can lack an account name, and what to do.
_NO_ACCOUNT = {
    "": "an account name: add a 'files' entry (path, account) for this file in accounts.yml",
    "facebook_page": "the page name in the file name as Facebook gives it "
    "('Facebook Insights Data Export - <Page> - <date>'), or a 'files' entry in accounts.yml",
    "facebook_posts": "the page name in the file name as Facebook gives it "
    "('Facebook Insights Data Export (Post Level) - <Page> - <date>'), or a 'files' entry "
    "in accounts.yml",
    "youtube_table": "the channel in the folder name Studio gives ('Content "
    "2024-01-01_2024-12-31 <channel>'), or a 'files' entry in accounts.yml",
    "twitter_tweets": "the handle in the file name as Twitter gives it, or a 'files' entry "
    "in accounts.yml",
    "meta_overview": "a 'files' entry (path, account) in accounts.yml: overview downloads "
    "name no page or account",
    "x_overview": "a 'files' entry (path, account) in accounts.yml: X overview exports "
    "name no account",
}
_NO_ACCOUNT["youtube_chart"] = _NO_ACCOUNT["youtube_totals"] = _NO_ACCOUNT["youtube_table"]
_NO_ACCOUNT["twitter_daily"] = _NO_ACCOUNT["twitter_tweets"]


def _set_column(table: pa.Table, name: str, values: pa.Array | pa.ChunkedArray) -> pa.Table:
    index = table.schema.get_field_index(name)
    return table.set_column(index, table.schema.field(index), values)


# --- many files ---------------------------------------------------------------


def read_exports(
    folder: Path | None = None,
    *,
    files: Iterable[Path] | None = None,
    mapping_path: Path | None = None,
    divisions: Sequence[str] = (),
    placed: dict[Path, str] | None = None,
    entry: dict[str, Any] | None = None,
) -> ExportResult:
    """Read every export under ``folder`` (or the given ``files``) into tidy rows.

    A file that cannot be used is reported in ``problems`` and left out; the
    others are still read.

    Args:
        folder: The exports folder (default ``data/raw/exports``).
        files: Read these files instead of everything under ``folder``.
        mapping_path: The account mapping (default ``<folder>/accounts.yml``).
        divisions: The force's divisions (``raw/force.yml``) the mapping may name.
        placed: The path a file not yet placed will have here (``ingest --as``).
        entry: A ``files`` entry for every file, before the mapping's (``--account``).

    Returns:
        The rows, a per-file report, the problems and the overlaps.

    Raises:
        DataError: Only if the mapping file itself is malformed.
    """
    folder = folder or DataLayout.from_data_dir().exports
    paths = sorted(Path(p) for p in files) if files is not None else discover(folder)
    names = {p: (placed or {}).get(p) or relative_name(p, folder) for p in paths}
    mapping = load_accounts(mapping_path or folder / MAPPING_FILE, list(names.values()), divisions)
    mapping = _first_entry(mapping, entry, list(names.values())) if entry else mapping
    results: list[FileResult] = []
    parsed: dict[str, tuple[pa.Table, int]] = {}
    problems: list[DataError] = []
    for path, relpath in names.items():
        try:
            modified = path.stat().st_mtime_ns
            item = parse_file(path, relpath, mapping)
        except OSError:
            problems.append(DataError(path, "a readable file"))
        except DataError as exc:
            problems.append(exc)
        else:
            parsed[relpath] = (item.table, modified)
            results.append(_file_result(relpath, item))
            continue
        results.append(FileResult(relpath, error=str(problems[-1])))
    rows, overlaps = deduplicate(parsed)
    parsed.clear()  # the files' own tables: the kept rows are in ``rows``
    return ExportResult(rows, results, problems, overlaps)


def _first_entry(mapping: AccountMap, entry: dict[str, Any], relpaths: list[str]) -> AccountMap:
    """The mapping with ``entry`` as the first ``files`` entry of each file."""
    first = [(glob.escape(r), dict(entry, path=r, given="the command line")) for r in relpaths]
    return dataclasses.replace(mapping, files=[*first, *mapping.files])


def _file_result(relpath: str, item: Parsed) -> FileResult:
    """The report line of one file that was read."""
    return FileResult(
        relpath,
        format=item.format,
        channel=item.channel,
        account=item.account,
        start=_day(item.start),
        end=_day(item.end),
        rows=len(item.table),
        notes=list(item.notes),
    )


def _day(value: pd.Timestamp | None) -> str:
    return "" if value is None else f"{value:%Y-%m-%d}"


def _empty() -> pd.DataFrame:
    return coerce_tidy(pd.DataFrame(columns=COLUMNS))


def deduplicate(
    tables: dict[str, tuple[pa.Table, int]],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply the de-duplication rule across files.

    Args:
        tables: relpath -> (tidy rows, modification time in ns).

    Returns:
        The kept rows and the overlap summary (see :class:`ExportResult`).
    """
    order = sorted(
        (r for r in tables if len(tables[r][0])),
        key=lambda r: (pc.max(tables[r][0]["end"]).as_py(), tables[r][1], r),
    )
    if not order:
        return _empty(), pd.DataFrame(columns=OVERLAP_COLUMNS)
    combined = pa.concat_tables([tables[r][0] for r in order])  # chunks kept: no copy
    file_of = np.repeat(np.arange(len(order)), [len(tables[r][0]) for r in order])
    keys = _key_codes(combined)
    dropped_mask = keys.duplicated(keep="last").to_numpy()
    if not dropped_mask.any():
        return coerce_tidy(combined.to_pandas()), pd.DataFrame(columns=OVERLAP_COLUMNS)
    kept = coerce_tidy(combined.filter(pa.array(~dropped_mask)).to_pandas())
    group = keys.groupby(list(keys.columns), sort=False).ngroup().to_numpy()
    last = np.zeros(group.max() + 1, dtype=np.int64)
    np.maximum.at(last, group, np.arange(len(group)))
    winner = last[group]
    pairs = pd.DataFrame(
        {
            "channel": keys["channel"].to_numpy()[dropped_mask],
            "account": keys["account"].to_numpy()[dropped_mask],
            "dropped_file": file_of[dropped_mask],
            "kept_file": file_of[winner[dropped_mask]],
            "start": keys["start"].to_numpy()[dropped_mask],
            "end": keys["end"].to_numpy()[dropped_mask],
        }
    )
    overlaps = (
        pairs.groupby(["channel", "account", "dropped_file", "kept_file"], sort=False)
        .agg(values=("start", "size"), first=("start", "min"), last=("end", "max"))
        .reset_index()
    )
    for col in ("channel", "account"):
        labels = pc.dictionary_encode(combined[col]).combine_chunks().dictionary.to_pylist()
        overlaps[col] = [labels[i] for i in overlaps[col]]
    for col in ("dropped_file", "kept_file"):
        overlaps[col] = [order[i] for i in overlaps[col]]
    for col in ("first", "last"):
        overlaps[col] = pd.to_datetime(overlaps[col], unit="D").dt.strftime("%Y-%m-%d")
    overlaps = overlaps.sort_values(["channel", "account", "dropped_file", "kept_file"])
    return kept, overlaps[OVERLAP_COLUMNS].reset_index(drop=True)


def _key_codes(table: pa.Table) -> pd.DataFrame:
    """Integer codes of the tidy key of every row (dates as day numbers)."""
    codes = {
        col: pc.cast(table[col], pa.date32()).combine_chunks().cast(pa.int32()).to_numpy()
        for col in ("start", "end")
    }
    for col in ("channel", "account", "segment", "metric"):
        encoded = pc.dictionary_encode(table[col]).combine_chunks()
        codes[col] = encoded.indices.to_numpy(zero_copy_only=False)
    return pd.DataFrame(codes)
