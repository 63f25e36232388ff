"""The cache of parsed export files, by content hash (``<data>/processed/.cache``)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pandas as pd
import pyarrow as pa

from helpers.fileio import atomic_path, write_bytes
from helpers.ingest.accounts import AccountMap
from helpers.ingest.common import Parsed
from helpers.ingest.results import OVERLAP_COLUMNS, ExportResult, FileResult
from helpers.ingest.rows import TIDY_ARROW
from helpers.schema import coerce_tidy

#: Bump when a reader changes what it returns (invalidates the cache).
PARSER_VERSION = "5"
_META_KEY = b"engagement_exports"


def cache_key(relpath: str, sha: str, mapping: AccountMap) -> str:
    """The key of one parsed file: reader version, path, content and mapping."""
    text = f"{PARSER_VERSION}\0{relpath}\0{sha}\0{mapping.digest}"
    return hashlib.sha256(text.encode()).hexdigest()


def combined_key(
    entries: list, mapping: AccountMap, *, refresh: bool = False, cache: Cache | None = None
) -> str | None:
    """The key of the combined rows of ``entries`` (``None`` when a file's hash is unknown)."""
    digest = hashlib.sha256(f"{PARSER_VERSION}\0{mapping.digest}".encode())
    for _, relpath, stat, sha in entries:
        if refresh and cache is not None and stat is not None:
            sha = cache.known_hash(relpath, stat)
        if sha is None:
            return None
        digest.update(f"\0{relpath}\0{sha}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


class Cache:
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
        """The content hash remembered for a file of this size and time (else ``None``)."""
        entry = self.index.get(relpath)
        if isinstance(entry, list) and entry[:2] == [stat.st_size, stat.st_mtime_ns]:
            return str(entry[2])
        return None

    def remember(self, relpath: str, stat: os.stat_result, sha: str) -> None:
        """Remember a file's content hash for its size and modification time."""
        self.index[relpath] = [stat.st_size, stat.st_mtime_ns, sha]
        self.dirty = True

    def save_index(self) -> None:
        """Write the index of hashes when it changed."""
        if self.dirty:
            self.folder.mkdir(parents=True, exist_ok=True)
            _atomic_write_bytes(self.index_path, json.dumps(self.index).encode())

    def load(self, key: str) -> Parsed | None:
        """The parsed file cached under ``key`` (``None``: absent or unreadable)."""
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
        """Cache a parsed file under ``key``."""
        meta = {
            "key": key,
            "format": parsed.format,
            "channel": parsed.channel,
            "account": parsed.account,
            "notes": parsed.notes,
        }
        self._write_table(self.folder / f"{key}.arrow", parsed.table, meta)

    def load_combined(self, key: str | None) -> ExportResult | None:
        """The combined result cached under ``key`` (``None``: absent, stale or unreadable)."""
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
        """Cache the combined result under ``key`` (nothing when ``key`` is ``None``)."""
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
