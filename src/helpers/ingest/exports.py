"""The drop-in exports folder: discovery, account mapping, de-duplication, cache.

Analysts put platform exports anywhere under ``data/raw/exports/``.
:func:`read_exports` reads every file there (format recognised from content by
:mod:`helpers.ingest.detect`), maps accounts through ``accounts.yml``, drops
values given by more than one file, and returns the tidy rows with a per-file
report, the problems found and the overlaps.

De-duplication rule: when several files give a value for the same day (or range),
channel, account, segment and metric, the file whose data ends later wins; on a
tie the file modified later wins; on a further tie the later path in sort order.
Every value dropped this way is reported in :attr:`ExportResult.overlaps`.

Cache: parsing results are kept in ``<cache_dir>/<key>.arrow`` (Arrow IPC) where the key
hashes the file's content (SHA-256), its path under the exports folder, the
mapping file and the parser version, so an unchanged file is never parsed twice.
``index.json`` remembers each file's size, modification time and content hash so
unchanged files are not even re-hashed, and ``combined.arrow`` holds the
de-duplicated result of the last run. Everything in the cache is regenerable; a
cache file that cannot be read or does not match its key is rebuilt.
"""

from __future__ import annotations

import copyreg
import fnmatch
import hashlib
import io
import json
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from helpers import config
from helpers.errors import DataError
from helpers.fileio import atomic_path, write_bytes
from helpers.ingest.common import ExportFile, Parsed
from helpers.ingest.detect import FORMATS, detect
from helpers.ingest.mapping_check import check_mapping, load_yaml
from helpers.ingest.redact import redact_parsed
from helpers.ingest.rows import TIDY_ARROW
from helpers.ingest.text import decode
from helpers.layout import MAPPING_FILE, DataLayout
from helpers.schema import COLUMNS, coerce_tidy

#: Bump when a reader changes what it returns (invalidates the cache).
PARSER_VERSION = "3"
#: Files in the exports folder that are not exports.
IGNORED_SUFFIXES = frozenset({".md", ".yml", ".yaml", ".txt"})
WORKBOOK_SHEETS = ("Dataset1", "Key Metrics")
_META_KEY = b"engagement_exports"
#: Files uncached at once above which parsing uses several processes.
PARALLEL_FROM = 16
#: Names that many accounts share (every Universal Analytics property's default
#: views): they say nothing about whose figures a file holds.
SHARED_NAMES = frozenset({"all web site data", "all mobile app data"})


# --- account mapping ------------------------------------------------------------


@dataclass(frozen=True)
class AccountRule:
    """How a name found in an export maps to a canonical account."""

    account: str
    channel: str | None = None
    division: str | None = None


@dataclass
class AccountMap:
    """The contents of ``accounts.yml``.

    Attributes:
        names: Lower-cased export name (GA view, page, handle) -> rule.
        files: ``(path glob, options)`` for files that carry no usable name or
            range (``account``, ``channel``, ``start``, ``end``, ``division``).
        member_exports: Neighbourhood Alert mappings (``area_column``,
            ``registered_column``, optional ``path``, ``date_format``, ``areas``).
        digest: SHA-256 of the mapping file (part of every cache key).
    """

    names: dict[str, AccountRule] = field(default_factory=dict)
    files: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    member_exports: list[dict[str, Any]] = field(default_factory=list)
    digest: str = ""

    def options_for(self, relpath: str) -> dict[str, Any]:
        """Options of the first ``files`` rule whose glob matches ``relpath``."""
        for pattern, options in self.files:
            if fnmatch.fnmatch(relpath, pattern):
                return options
        return {}

    def member_mappings(self, relpath: str) -> list[dict[str, Any]]:
        """Member-export mappings that apply to ``relpath``."""
        return [m for m in self.member_exports if fnmatch.fnmatch(relpath, str(m.get("path", "*")))]

    def resolve(self, channel: str, name: str) -> tuple[str, str]:
        """Map an export's channel and account name to the canonical pair."""
        clean = " ".join(str(name).split()).lstrip("@")
        rule = self.names.get(clean.lower())
        if rule is None:
            return channel, config.canonical_account(clean)
        new_channel = channel
        if rule.channel and {rule.channel, channel} <= {"website", "trusted2know"}:
            new_channel = rule.channel
        return new_channel, rule.account

    def divisions(self) -> dict[str, str]:
        """Canonical account -> division, as the mapping assigns them."""
        out = {r.account: r.division for r in self.names.values() if r.division}
        out.update({o["account"]: o["division"] for _, o in self.files if o.get("division")})
        return out


def load_accounts(path: Path, files: Sequence[str] | None = None) -> AccountMap:
    """Read an ``accounts.yml`` mapping (an empty mapping when the file is absent).

    Args:
        path: The mapping file.
        files: Export paths relative to the exports folder, to find ``files`` entries
            an earlier entry always wins over (default: the files beside ``path``).

    Raises:
        DataError: If the file is not valid YAML of the documented shape
            (:func:`helpers.ingest.mapping_check.check_mapping`: unknown keys, bad
            values or dates, entries that are never used).
    """
    if not path.is_file():
        return AccountMap()
    raw = path.read_bytes()
    try:
        data = load_yaml(raw.decode("utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise DataError(path, "valid YAML", line=None if line is None else line + 1) from None
    if not isinstance(data, dict):
        raise DataError(path, "a mapping with the keys accounts, files, member_exports")
    if files is None:
        files = [relative_name(p, path.parent) for p in discover(path.parent)]
    check_mapping(path, raw.decode("utf-8"), files)
    mapping = AccountMap(digest=hashlib.sha256(raw).hexdigest())
    for number, entry in enumerate(_entries(path, data, "accounts", ("name", "account")), 1):
        if " ".join(str(entry["name"]).split()).lower() in SHARED_NAMES:
            raise DataError(
                path,
                f"a name that only one account uses in entry {number} of 'accounts' "
                f"('{entry['name']}' is every Google Analytics property's default view): "
                "map such files by path under 'files' instead",
            )
        channel = entry.get("channel")
        if channel is not None and channel not in config.CHANNELS:
            raise DataError(path, f"a channel ({', '.join(config.CHANNELS)})", found=channel)
        mapping.names[" ".join(str(entry["name"]).split()).lstrip("@").lower()] = AccountRule(
            account=str(entry["account"]),
            channel=channel,
            division=entry.get("division"),
        )
    for entry in _entries(path, data, "files", ("path",)):
        mapping.files.append((str(entry["path"]), dict(entry)))
    for entry in _entries(path, data, "member_exports", ("area_column", "registered_column")):
        mapping.member_exports.append(dict(entry))
    return mapping


def _entries(path: Path, data: dict, key: str, required: Sequence[str]) -> list[dict]:
    entries = data.get(key) or []
    if not isinstance(entries, list):
        raise DataError(path, f"'{key}' to be a list of entries")
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or any(r not in entry for r in required):
            raise DataError(
                path, f"entry {number} of '{key}' to have the keys {', '.join(required)}"
            )
    return entries


# --- reading one file ---------------------------------------------------------------


def discover(folder: Path) -> list[Path]:
    """Every export file under ``folder`` (hidden files, docs and mappings skipped)."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and not any(part.startswith((".", "_")) for part in p.relative_to(folder).parts)
        and p.suffix.lower() not in IGNORED_SUFFIXES
    )


def relative_name(path: Path, folder: Path | None) -> str:
    """``path`` relative to the exports folder, else its absolute path.

    Two files given on the command line therefore never share a name.
    """
    if folder is not None:
        for inner, outer in ((path, folder), (path.resolve(), folder.resolve())):
            try:
                return inner.relative_to(outer).as_posix()
            except ValueError:
                continue
    return path.resolve().as_posix()


def load_file(path: Path, relpath: str, data: bytes | None = None) -> ExportFile:
    """Decode an export (CSV text or an ``.xlsx`` workbook's data sheet).

    Raises:
        DataError: For unreadable files, old ``.xls`` workbooks and zips.
    """
    suffix = path.suffix.lower()
    if suffix == ".zip":
        raise DataError(path, "an unzipped export (unzip it into the exports folder)")
    if suffix == ".xls":
        raise DataError(path, "CSV or .xlsx (open the .xls file and save it as .xlsx)")
    try:
        content = path.read_bytes() if data is None else data
    except OSError as exc:
        raise DataError(path, f"a readable file ({exc.strerror})") from None
    if suffix in {".xlsx", ".xlsm"} or content[:2] == b"PK":
        return _load_workbook(path, relpath, content)
    text = decode(content, path)
    if text[:4].lower() == "sep=" and text[4:5] not in ("", ",", "\n"):
        return ExportFile(path, relpath, _as_commas(text, text[4]))
    return ExportFile(path, relpath, text)


def _as_commas(text: str, delimiter: str) -> str:
    """Text separated by ``delimiter`` (a ``sep=`` first line) rewritten as CSV."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    lines = text.split("\n")
    out.write("sep=,\n")
    for row in csv.reader(lines[1:], delimiter=delimiter):
        writer.writerow(row)
    return out.getvalue()


def _load_workbook(path: Path, relpath: str, content: bytes) -> ExportFile:
    """A workbook's data as CSV text.

    Google Analytics workbooks hold one table per ``Dataset<n>`` sheet (the report,
    then the chart over time): they follow one another, separated by a blank line.
    Facebook's post-level workbook holds its figures on ``Key Metrics``.
    """
    import csv
    import warnings

    import openpyxl

    try:
        with warnings.catch_warnings():  # "Workbook contains no default style"
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for broken zips
        raise DataError(path, "a readable .xlsx workbook") from None
    try:
        datasets = sorted(
            (s for s in book.sheetnames if s.startswith("Dataset") and s[7:].isdigit()),
            key=lambda s: int(s[7:]),
        )
        names = datasets or [s for s in WORKBOOK_SHEETS if s in book.sheetnames][:1]
        if not names:
            raise DataError(
                path,
                f"a sheet named {' or '.join(WORKBOOK_SHEETS)}",
                found=", ".join(book.sheetnames),
            )
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        sheets = []
        line = 1
        for name in names:
            if sheets:
                out.write("\n")
                line += 1
            sheets.append((name, line))
            for row in book[name].iter_rows(values_only=True):
                writer.writerow([_cell_text(v) for v in row])
                line += 1
        preamble = None
        if "Summary" in book.sheetnames:
            preamble = [
                "# " + " ".join(_cell_text(v) for v in row if v is not None)
                for row in book["Summary"].iter_rows(values_only=True)
            ]
    finally:
        book.close()
    return ExportFile(
        path,
        relpath,
        out.getvalue(),
        sheet=names[0],
        preamble=preamble,
        sheets=sheets if datasets else None,
    )


def _cell_text(value: object) -> str:
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


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
    return redact_parsed(_apply_mapping(file, parsed, mapping, options))


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
        notes = [*parsed.notes, "account from accounts.yml (files)"]
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
    cached: bool = False
    error: str = ""

    def describe(self) -> str:
        """One line for a person checking the file."""
        if self.error:
            return f"{self.relpath}: NOT INGESTED - {self.error}"
        label = FORMATS[self.format].label if self.format in FORMATS else self.format
        span = f"{self.start} to {self.end}" if self.start else "no dated rows"
        cached = " (cached)" if self.cached else ""
        notes = f"; {'; '.join(self.notes)}" if self.notes else ""
        return (
            f"{self.relpath}: {label}, {self.channel} account '{self.account}', "
            f"{span}, {self.rows:,} rows{cached}{notes}"
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


_Outcome = tuple[str, "Parsed | DataError", bool]


def _rebuild_error(state: dict[str, Any], message: str) -> DataError:
    error = DataError.__new__(DataError)
    error.__dict__.update(state)
    error.args = (message,)
    return error


def _reduce_error(error: DataError) -> tuple:
    """Pickle a :class:`DataError` as it is (its constructor takes other arguments)."""
    return _rebuild_error, (dict(error.__dict__), str(error))


copyreg.pickle(DataError, _reduce_error)


def _ingest_one(
    args: tuple[Path, str, AccountMap, Path | None, str | None],
) -> _Outcome:
    """Read one file through the cache: ``(content sha, parsed or error, from cache)``.

    Runs in a worker process when many files need reading; it hashes, parses and
    writes the cache entry itself so that all of that work is shared out.
    """
    path, relpath, mapping, cache_dir, known_sha = args
    cache = _Cache(cache_dir) if cache_dir is not None else None
    if cache is not None and known_sha:
        hit = cache.load(_cache_key(relpath, known_sha, mapping))
        if hit is not None:
            return known_sha, hit, True
    try:
        data = path.read_bytes()
    except OSError as exc:
        return "", DataError(path, f"a readable file ({exc.strerror})"), False
    sha = hashlib.sha256(data).hexdigest()
    key = _cache_key(relpath, sha, mapping)
    if cache is not None and sha != known_sha:
        hit = cache.load(key)
        if hit is not None:
            return sha, hit, True
    try:
        parsed = parse_file(path, relpath, mapping, data)
    except DataError as exc:
        return sha, exc, False
    if cache is not None:
        cache.store(key, parsed)
    return sha, parsed, False


def read_exports(
    folder: Path | None = None,
    *,
    files: Iterable[Path] | None = None,
    cache_dir: Path | None = None,
    mapping_path: Path | None = None,
    jobs: int | None = None,
) -> ExportResult:
    """Read every export under ``folder`` (or the given ``files``) into tidy rows.

    A file that cannot be used is reported in ``problems`` and left out; the
    others are still read.

    Args:
        folder: The exports folder (default ``data/raw/exports``).
        files: Read these files instead of everything under ``folder``.
        cache_dir: Where parsed files are cached; ``None`` disables the cache.
        mapping_path: The account mapping (default ``<folder>/accounts.yml``).
        jobs: Processes used when many files need parsing (default: CPU count, at
            most 2).

    Returns:
        The rows, a per-file report, the problems and the overlaps.

    Raises:
        DataError: Only if the mapping file itself is malformed.
    """
    folder = folder or DataLayout.from_data_dir().exports
    paths = sorted(Path(p) for p in files) if files is not None else discover(folder)
    mapping = load_accounts(
        mapping_path or folder / MAPPING_FILE, [relative_name(p, folder) for p in paths]
    )
    cache = _Cache(cache_dir) if cache_dir is not None and paths else None
    cache_dir = cache_dir if cache is not None else None
    entries = []
    for path in paths:
        relpath = relative_name(path, folder)
        try:
            stat = path.stat()
        except OSError:
            entries.append((path, relpath, None, None))
            continue
        sha = cache.known_hash(relpath, stat) if cache else None
        entries.append((path, relpath, stat, sha))
    if cache is not None:
        combined = cache.load_combined(_combined_key(entries, mapping))
        if combined is not None:
            return combined
    results: dict[str, FileResult] = {}
    parsed: dict[str, tuple[Parsed, int]] = {}
    problems: list[DataError] = []
    cached: set[str] = set()
    todo = []
    for path, relpath, stat, sha in entries:
        if stat is None:
            problems.append(DataError(path, "a readable file"))
            results[relpath] = FileResult(relpath, error=str(problems[-1]))
            continue
        todo.append((path, relpath, stat, sha))
    jobs_args = [(p, r, mapping, cache_dir, sha) for p, r, _, sha in todo]
    for (_, relpath, stat, _), outcome in zip(todo, _run_jobs(jobs_args, jobs), strict=True):
        sha, item, was_cached = outcome
        if cache is not None and sha:
            cache.remember(relpath, stat, sha)
        if isinstance(item, DataError):
            problems.append(item)
            results[relpath] = FileResult(relpath, error=str(item))
            continue
        parsed[relpath] = (item, stat.st_mtime_ns)
        if was_cached:
            cached.add(relpath)
    for relpath, (item, _) in parsed.items():
        results[relpath] = FileResult(
            relpath,
            format=item.format,
            channel=item.channel,
            account=item.account,
            start=_day(item.start),
            end=_day(item.end),
            rows=len(item.table),
            notes=list(item.notes),
            cached=relpath in cached,
        )
    rows, overlaps = deduplicate({r: (p.table, m) for r, (p, m) in parsed.items()})
    result = ExportResult(rows, [results[r] for _, r, _, _ in entries], problems, overlaps)
    if cache is not None:
        cache.save_index()
        if not problems:
            cache.store_combined(_combined_key(entries, mapping, refresh=True, cache=cache), result)
    return result


def _day(value: pd.Timestamp | None) -> str:
    return "" if value is None else f"{value:%Y-%m-%d}"


def _empty() -> pd.DataFrame:
    return coerce_tidy(pd.DataFrame(columns=COLUMNS))


def _run_jobs(jobs_args: list, jobs: int | None) -> list[_Outcome]:
    """Run :func:`_ingest_one` for every file (in processes when many are new)."""
    unknown = sum(1 for *_, sha in jobs_args if not sha)
    workers = min(jobs or min(2, os.cpu_count() or 1), len(jobs_args))
    if workers <= 1 or unknown < PARALLEL_FROM:
        return [_ingest_one(a) for a in jobs_args]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_ingest_one, jobs_args, chunksize=4))


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
    combined = pa.concat_tables([tables[r][0] for r in order]).combine_chunks()
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


# --- cache ------------------------------------------------------------------------


def _cache_key(relpath: str, sha: str, mapping: AccountMap) -> str:
    text = f"{PARSER_VERSION}\0{relpath}\0{sha}\0{mapping.digest}"
    return hashlib.sha256(text.encode()).hexdigest()


def _combined_key(
    entries: list, mapping: AccountMap, *, refresh: bool = False, cache: _Cache | None = None
) -> str | None:
    digest = hashlib.sha256(f"{PARSER_VERSION}\0{mapping.digest}".encode())
    for _, relpath, stat, sha in entries:
        if refresh and cache is not None and stat is not None:
            sha = cache.known_hash(relpath, stat)
        if sha is None:
            return None
        digest.update(f"\0{relpath}\0{sha}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


class _Cache:
    """Parquet files of parsed exports, keyed by content hash (all regenerable)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.index_path = folder / "index.json"
        self._index: dict[str, list] | None = None
        self.dirty = False

    @property
    def index(self) -> dict[str, list]:
        """Each path's [size, modification time in ns, content sha] (read lazily)."""
        if self._index is None:
            try:
                index = json.loads(self.index_path.read_text())
                self._index = index if isinstance(index, dict) else {}
            except (OSError, ValueError):
                self._index = {}
        return self._index

    def known_hash(self, relpath: str, stat: os.stat_result) -> str | None:
        entry = self.index.get(relpath)
        if isinstance(entry, list) and entry[:2] == [stat.st_size, stat.st_mtime_ns]:
            return str(entry[2])
        return None

    def remember(self, relpath: str, stat: os.stat_result, sha: str) -> None:
        self.index[relpath] = [stat.st_size, stat.st_mtime_ns, sha]
        self.dirty = True

    def save_index(self) -> None:
        if self.dirty:
            self.folder.mkdir(parents=True, exist_ok=True)
            _atomic_write_bytes(self.index_path, json.dumps(self.index).encode())

    def load(self, key: str) -> Parsed | None:
        path = self.folder / f"{key}.arrow"
        if not path.is_file():
            return None
        try:
            table = _read_arrow(path)
            meta = json.loads((table.schema.metadata or {})[_META_KEY])
            if meta.get("key") != key:
                raise ValueError("key mismatch")
            if table.schema.remove_metadata() != TIDY_ARROW:
                raise ValueError("unexpected columns")
        except Exception:  # corrupt or foreign cache file: rebuild it
            path.unlink(missing_ok=True)
            return None
        return Parsed(
            meta["format"],
            meta["channel"],
            meta["account"],
            table.replace_schema_metadata(),
            meta["notes"],
        )

    def store(self, key: str, parsed: Parsed) -> None:
        meta = {
            "key": key,
            "format": parsed.format,
            "channel": parsed.channel,
            "account": parsed.account,
            "notes": parsed.notes,
        }
        self._write_table(self.folder / f"{key}.arrow", parsed.table, meta)

    def load_combined(self, key: str | None) -> ExportResult | None:
        path = self.folder / "combined.arrow"
        if key is None or not path.is_file():
            return None
        try:
            table = _read_arrow(path)
            meta = json.loads((table.schema.metadata or {})[_META_KEY])
            if meta.get("key") != key:
                return None
            rows = coerce_tidy(table.to_pandas())
            files = [FileResult(**{**f, "cached": True}) for f in meta["files"]]
            overlaps = pd.DataFrame(meta["overlaps"], columns=OVERLAP_COLUMNS)
        except Exception:  # corrupt: rebuild from the per-file cache
            path.unlink(missing_ok=True)
            return None
        return ExportResult(rows, files, [], overlaps)

    def store_combined(self, key: str | None, result: ExportResult) -> None:
        if key is None:
            return
        meta = {
            "key": key,
            "files": [dict(f.__dict__) for f in result.files],
            "overlaps": result.overlaps.astype(object).to_dict("records"),
        }
        table = pa.Table.from_pandas(result.rows, preserve_index=False)
        self._write_table(self.folder / "combined.arrow", table, meta)

    def _write_table(self, path: Path, table: pa.Table, meta: dict) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        table = table.replace_schema_metadata({_META_KEY: json.dumps(meta).encode()})
        with (
            atomic_path(path) as tmp,
            pa.OSFile(str(tmp), "wb") as sink,
            pa.ipc.new_file(sink, table.schema) as writer,
        ):
            writer.write_table(table)


def _read_arrow(path: Path) -> pa.Table:
    """Read an Arrow IPC cache file (raises on a truncated or foreign file)."""
    with pa.memory_map(str(path), "r") as source:
        return pa.ipc.open_file(source).read_all()


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    write_bytes(path, data)
