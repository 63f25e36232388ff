"""Tidy rows from the values of an export: long arrays, repeats dropped, an Arrow table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from helpers import config
from helpers.ingest.common import ExportFile
from helpers.schema import COLUMNS


def long_values(
    start: pd.Series | np.ndarray,
    end: pd.Series | np.ndarray,
    segment: pd.Series | np.ndarray | str,
    lines: np.ndarray,
    values: dict[tuple[str, str], np.ndarray],
) -> dict[str, Any]:
    """Stack per-row values of several metrics into long arrays.

    Args:
        start: First day of each row.
        end: Last day of each row.
        segment: Segment of each row (or one segment for all).
        lines: File line of each row.
        values: ``(metric, file column) -> values`` (NaN = no data, dropped).

    Returns:
        Arrays ``start, end, seg (codes), item (codes), value, line`` of equal
        length, with the lists ``segments`` and ``items`` ((metric, column) pairs)
        the codes refer to.
    """
    start_a = np.asarray(start, dtype="datetime64[ns]")
    end_a = np.asarray(end, dtype="datetime64[ns]")
    if isinstance(segment, str):
        seg_a, segments = np.zeros(len(lines), dtype=np.int64), [segment]
    else:
        codes, uniques = pd.factorize(np.asarray(segment, dtype=object))
        seg_a, segments = codes.astype(np.int64), [str(u) for u in uniques]
    line_a = np.asarray(lines, dtype=np.int64)
    parts: dict[str, list[np.ndarray]] = {k: [] for k in _ARRAYS}
    items = list(values)
    for code, vals in enumerate(values.values()):
        vals = np.asarray(vals, dtype=float)
        keep = ~np.isnan(vals)
        parts["start"].append(start_a[keep])
        parts["end"].append(end_a[keep])
        parts["seg"].append(seg_a[keep])
        parts["item"].append(np.full(int(keep.sum()), code, dtype=np.int64))
        parts["value"].append(vals[keep])
        parts["line"].append(line_a[keep])
    long: dict[str, Any] = {k: _concat(v, k) for k, v in parts.items()}
    long["segments"], long["items"] = segments, items
    return long


_ARRAYS = ("start", "end", "seg", "item", "value", "line")
_ARRAY_DTYPES = {"start": "datetime64[ns]", "end": "datetime64[ns]", "value": float}


def _concat(arrays: list[np.ndarray], key: str) -> np.ndarray:
    if not arrays:
        return np.zeros(0, dtype=_ARRAY_DTYPES.get(key, np.int64))
    return np.concatenate(arrays)


def concat_long(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Join several :func:`long_values` results (codes renumbered)."""
    out: dict[str, Any] = {k: [] for k in _ARRAYS}
    segments: list[str] = []
    items: list[tuple[str, str]] = []
    for part in parts:
        for key in ("start", "end", "value", "line"):
            out[key].append(part[key])
        out["seg"].append(part["seg"] + len(segments))
        out["item"].append(part["item"] + len(items))
        segments += part["segments"]
        items += part["items"]
    long: dict[str, Any] = {k: _concat(v, k) for k, v in out.items()}
    long["segments"], long["items"] = segments, items
    return long


def drop_repeats(long: dict[str, Any], tables: np.ndarray | None = None) -> dict[str, Any]:
    """Keep the first of values that share date range, segment and metric.

    With ``tables`` (the table each value comes from), a key is kept from the first
    table that gives it, with all its values there (summed later by
    :func:`to_tidy`): a table that repeats an earlier one is dropped, while rows of
    one table sharing a key (a page listed twice) do not depend on their order.
    """
    keys = _keys(long)
    if tables is None:
        keep = ~keys.duplicated().to_numpy()
    else:
        keys["table"] = tables
        first = keys.groupby(["start", "end", "segment", "metric"])["table"].transform("min")
        keep = (first == keys["table"]).to_numpy()
    out = {k: long[k][keep] for k in _ARRAYS}
    out["segments"], out["items"] = long["segments"], long["items"]
    return out


def _keys(long: dict[str, Any]) -> pd.DataFrame:
    """The tidy key of each long value: start, end, segment and metric (as codes).

    Segments and metrics are coded by name (two columns of a file may give the same
    metric, two parts the same segment), one column each.
    """
    segments = pd.factorize(np.asarray(long["segments"] or [""], dtype=object))[0]
    metrics = pd.factorize(np.asarray([m for m, _ in long["items"]] or [""], dtype=object))[0]
    return pd.DataFrame(
        {
            "start": long["start"].view(np.int64),
            "end": long["end"].view(np.int64),
            "segment": segments[long["seg"]],
            "metric": metrics[long["item"]],
        }
    )


def _groups(keys: pd.DataFrame) -> np.ndarray:
    """One id per distinct key, numbered in order of first appearance.

    Only the key columns that vary are grouped on (most files have one segment, and
    daily rows start and end on the same day).
    """
    varying = [c for c in keys.columns if (keys[c].to_numpy() != keys[c].to_numpy()[:1]).any()]
    if not varying:
        return np.zeros(len(keys), dtype=np.int64)
    if len(varying) == 1:
        return pd.factorize(keys[varying[0]], sort=False)[0].astype(np.int64)
    return keys.groupby(varying, sort=False).ngroup().to_numpy(np.int64)


#: Arrow schema of tidy rows.
TIDY_ARROW = pa.schema(
    [
        ("start", pa.timestamp("ns")),
        ("end", pa.timestamp("ns")),
        ("channel", pa.string()),
        ("account", pa.string()),
        ("segment", pa.string()),
        ("metric", pa.string()),
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("source", pa.string()),
    ]
)


def tidy_table(frame: pd.DataFrame) -> pa.Table:
    """Tidy rows of a pandas frame as an Arrow table with :data:`TIDY_ARROW`."""
    arrays = [
        pa.array(np.asarray(frame[c], dtype="datetime64[ns]"), pa.timestamp("ns"))
        if c in ("start", "end")
        else pa.array(np.asarray(frame[c], dtype=float), pa.float64())
        if c == "value"
        else pa.array(frame[c], type=TIDY_ARROW.field(c).type)  # text: no Python objects
        for c in COLUMNS
    ]
    return pa.Table.from_arrays(arrays, schema=TIDY_ARROW)


def to_tidy(
    file: ExportFile,
    long: dict[str, np.ndarray],
    *,
    channel: str,
    account: str,
    snapshot_metrics: Iterable[str] = (),
) -> pa.Table:
    """Aggregate long values into tidy rows, one per date range, segment and metric.

    Values of the same key are summed, except ``snapshot_metrics`` (lifetime
    totals), where the last row of the key wins. The source is the first cell that
    contributed (the last one for snapshots). Uses numpy and Arrow only (fast on
    big files).

    Args:
        file: The export.
        long: Output of :func:`long_values` (or :func:`concat_long`).
        channel: Channel of every row.
        account: Account of every row.
        snapshot_metrics: Metrics that are totals at a date, never summed.

    Returns:
        Tidy rows (:data:`TIDY_ARROW`).
    """
    if len(long["value"]) == 0:
        return TIDY_ARROW.empty_table()
    group = _groups(_keys(long))
    first = np.flatnonzero(group > np.maximum.accumulate(np.r_[-1, group[:-1]]))
    sums = np.bincount(group, weights=long["value"], minlength=len(first))
    pick = first
    items = long["items"]
    snapshot_codes = [i for i, (m, _) in enumerate(items) if m in set(snapshot_metrics)]
    snapshot = np.isin(long["item"][first], snapshot_codes)
    if snapshot.any():
        last = np.zeros(len(first), dtype=np.int64)
        np.maximum.at(last, group, np.arange(len(group)))
        pick = np.where(snapshot, last, first)
        sums = np.where(snapshot, long["value"][last], sums)
        order = np.argsort(pick, kind="stable")
        pick, sums = pick[order], sums[order]
    n = len(pick)
    item = pa.array(long["item"][pick])
    units = {k: m.unit for k, m in config.METRICS.items()}
    metric_of = pa.array([m for m, _ in items], pa.string())
    unit_of = pa.array([units.get(m, "count") for m, _ in items], pa.string())
    column_of = pa.array([c for _, c in items], pa.string())
    sources = pc.binary_join_element_wise(
        _constant(file.source_path, n),
        pc.cast(pa.array(long["line"][pick]), pa.string()),
        pc.take(column_of, item),
        ":",
    )
    return pa.Table.from_arrays(
        [
            pa.array(long["start"][pick], pa.timestamp("ns")),
            pa.array(long["end"][pick], pa.timestamp("ns")),
            _constant(channel, n),
            _constant(account, n),
            pc.take(pa.array(long["segments"], pa.string()), pa.array(long["seg"][pick])),
            pc.take(metric_of, item),
            pa.array(sums.astype(float), pa.float64()),
            pc.take(unit_of, item),
            sources,
        ],
        schema=TIDY_ARROW,
    )


def _constant(text: str, count: int) -> pa.Array:
    """A string array holding ``text`` ``count`` times."""
    return pc.fill_null(pa.nulls(count, pa.string()), text)
