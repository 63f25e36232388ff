"""The tidy table: its columns, its pandera schema and readable validation errors.

One row is one value: a count or share for one channel, account, segment and
metric over the inclusive dates ``start``..``end`` (equal for a snapshot such as
followers on a day). ``source`` says where the value came from as
``<file under data/raw>:<line>:<column>``, so every figure traces back to a cell.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from helpers import config
from helpers.errors import DataError

if TYPE_CHECKING:
    import pandera.pandas as pa

COLUMNS: list[str] = [
    "start",
    "end",
    "channel",
    "account",
    "segment",
    "metric",
    "value",
    "unit",
    "source",
]
KEY: list[str] = ["start", "end", "channel", "account", "segment", "metric"]
SHARE_TOLERANCE = 0.1


def make_source(relpath: str, line: int, column: str) -> str:
    """Build the ``source`` cell for a value read from a file cell."""
    return f"{relpath}:{line}:{column}"


def parse_source(source: str) -> tuple[str, int | None, str | None]:
    """Split a ``source`` cell into (file, line, column)."""
    parts = str(source).split(":", 2)
    if len(parts) == 3 and parts[1].isdigit():
        return parts[0], int(parts[1]), parts[2]
    return str(source), None, None


def _value_ok(df: pd.DataFrame) -> pd.Series:
    signed = {name for name, m in config.METRICS.items() if m.signed}
    return df["metric"].isin(signed) | (df["value"] >= 0)


def _percent_ok(df: pd.DataFrame) -> pd.Series:
    return (df["unit"] != "percent") | df["value"].between(0, 100)


def _unit_matches_metric(df: pd.DataFrame) -> pd.Series:
    expected = df["metric"].map({k: m.unit for k, m in config.METRICS.items()})
    return expected.isna() | (expected == df["unit"])


def _share_groups(df: pd.DataFrame) -> pd.Series:
    group = ["start", "end", "channel", "account", "metric"]
    kind = df["metric"].map({k: m.breakdown for k, m in config.METRICS.items()})
    totals = df.groupby(group, dropna=False)["value"].transform("sum")
    complete_ok = (totals - 100).abs() <= SHARE_TOLERANCE
    partial_ok = totals <= 100 + SHARE_TOLERANCE
    return kind.isna() | ((kind == "complete") & complete_ok) | ((kind == "partial") & partial_ok)


def _end_not_before_start(df: pd.DataFrame) -> pd.Series:
    return df["end"] >= df["start"]


CHECK_MESSAGES: dict[str, tuple[str, str]] = {
    "non_negative": ("value", "a count of zero or more"),
    "percent_range": ("value", "a percentage between 0 and 100"),
    "unit_matches_metric": ("unit", "the unit its metric is measured in"),
    "shares_sum": (
        "value",
        f"the shares of one breakdown to add up to 100 (+/- {SHARE_TOLERANCE})",
    ),
    "dates_ordered": ("end", "an end date on or after the start date"),
}


@functools.cache
def tidy_schema() -> pa.DataFrameSchema:
    """The pandera schema of the tidy table (built on first use: pandera loads in 0.4 s)."""
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "start": pa.Column("datetime64[ns]", nullable=False),
            "end": pa.Column("datetime64[ns]", nullable=False),
            "channel": pa.Column(str, pa.Check.isin(list(config.CHANNELS)), nullable=False),
            "account": pa.Column(str, pa.Check.str_length(min_value=1), nullable=False),
            "segment": pa.Column(str, nullable=False),
            "metric": pa.Column(str, pa.Check.isin(list(config.METRICS)), nullable=False),
            "value": pa.Column(float, nullable=False),
            "unit": pa.Column(str, pa.Check.isin(sorted(config.UNITS)), nullable=False),
            "source": pa.Column(str, pa.Check.str_length(min_value=1), nullable=False),
        },
        checks=[
            pa.Check(_value_ok, name="non_negative"),
            pa.Check(_percent_ok, name="percent_range"),
            pa.Check(_unit_matches_metric, name="unit_matches_metric"),
            pa.Check(_share_groups, name="shares_sum"),
            pa.Check(_end_not_before_start, name="dates_ordered"),
        ],
        unique=KEY,
        report_duplicates="all",
        strict=True,
        ordered=True,
        coerce=False,
        name="tidy",
    )


def empty_tidy() -> pd.DataFrame:
    """Return an empty tidy table with the right columns and dtypes."""
    return coerce_tidy(pd.DataFrame({c: [] for c in COLUMNS}))


def coerce_tidy(df: pd.DataFrame) -> pd.DataFrame:
    """Put rows into the tidy column order and dtypes (no validation).

    Args:
        df: Rows with the tidy columns (any order, any compatible dtypes).

    Returns:
        A new frame with datetime dates, text columns as ``str`` and float values.
    """
    out = df.reindex(columns=COLUMNS)  # a new frame: assignments below leave df as it is
    for col in ("start", "end"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
    for col in ("channel", "account", "segment", "metric", "unit", "source"):
        out[col] = out[col].fillna("").astype(str)
    out["value"] = pd.to_numeric(out["value"]).astype(float)
    return out.reset_index(drop=True)


def _error_for_row(
    df: pd.DataFrame, index: object, expected: str, column: str, raw_dir: Path | None = None
) -> DataError:
    row = df.loc[index]
    path, line, source_column = parse_source(row["source"])
    found = row[column] if column in df.columns else None
    if column == "value" and found is not None:
        found = float(found)
    return DataError(
        (raw_dir or config.RAW_DIR) / path,
        expected,
        line=line,
        column=source_column or column,
        found=found,
    )


def validate_tidy(df: pd.DataFrame, raw_dir: Path | None = None) -> pd.DataFrame:
    """Validate a tidy table, raising one :class:`DataError` for the first problem.

    The error names the raw file, line and column the faulty value came from (via
    the ``source`` column) and what was expected there.

    Args:
        df: A tidy table.
        raw_dir: The raw data folder ``source`` paths are relative to (for messages).

    Returns:
        The validated table.

    Raises:
        DataError: If any row breaks the schema.
    """
    from pandera.errors import SchemaErrors

    try:
        return tidy_schema().validate(df, lazy=True)
    except SchemaErrors as exc:
        raise _first_error(df, exc.failure_cases, raw_dir) from None


def _first_error(df: pd.DataFrame, cases: pd.DataFrame, raw_dir: Path | None) -> DataError:
    cases = cases.copy()
    for _, case in cases.iterrows():
        index = case["index"]
        check = str(case["check"])
        if index is None or (isinstance(index, float) and pd.isna(index)):
            return DataError("tidy table", f"a valid tidy table ({check})")
        if "uniqueness" in check or "duplicate" in check:
            return _duplicate_error(df, raw_dir)
        if check in CHECK_MESSAGES:
            column, expected = CHECK_MESSAGES[check]
            return _error_for_row(df, index, expected, column, raw_dir)
        column = str(case["column"])
        allowed = {
            "channel": f"one of the channels {', '.join(config.CHANNELS)}",
            "metric": "a known metric name (see helpers.config.METRICS)",
            "unit": f"one of the units {', '.join(sorted(config.UNITS))}",
        }
        return _error_for_row(df, index, allowed.get(column, f"a valid {column}"), column, raw_dir)
    return DataError("tidy table", "a valid tidy table")


def _duplicate_error(df: pd.DataFrame, raw_dir: Path | None) -> DataError:
    dup = df[df.duplicated(KEY, keep=False)]
    first = dup.iloc[0]
    twins = dup[(dup[KEY] == first[KEY]).all(axis=1)]
    others = [parse_source(s) for s in twins["source"].iloc[1:]]
    where = "; ".join(f"{p} line {ln}" for p, ln, _ in others)
    return _error_for_row(
        df,
        twins.index[0],
        "one value per date, channel, account, segment and metric "
        f"(the same {first['metric']} for {first['account']} is also given in {where})",
        "value",
        raw_dir,
    )
