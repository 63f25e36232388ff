"""Read the tables transcribed from the 2015 Community Engagement Update Report.

Each file of ``data/raw/report_2015/`` has a layout close to the table it was
copied from (see ``data/raw/README.md``). :data:`TABLES` says how each one maps to
the tidy vocabulary; :func:`read_report_tables` returns all of them as tidy rows.
The "as reported" claims of ``data/raw/as_reported/`` are read by
:func:`read_claims`; they are statements to check, never inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

from helpers import config
from helpers.errors import DataError
from helpers.ingest.raw_table import (
    RawTable,
    channel_cell,
    count_cell,
    date_cell,
    month_cell,
    percent_cell,
    read_raw_table,
)
from helpers.layout import CAMPAIGNS_FILE, DATE_ASSUMPTIONS_FILE, DataLayout
from helpers.schema import coerce_tidy, make_source

Record = dict[str, object]


def _record(
    table: RawTable,
    line: int,
    column: str,
    *,
    start: pd.Timestamp,
    end: pd.Timestamp,
    channel: str,
    account: str,
    metric: str,
    value: float,
    segment: str = "",
) -> Record:
    unit = config.METRICS[metric].unit if metric in config.METRICS else "count"
    return {
        "start": start,
        "end": end,
        "channel": channel,
        "account": config.canonical_account(account),
        "segment": segment,
        "metric": metric,
        "value": value,
        "unit": unit,
        "source": make_source(table.relpath, line, column),
    }


# --- layouts -----------------------------------------------------------------


def snapshots_by_row(id_column: str, channel: str | None, metric: str | None) -> Callable:
    """Layout: one row per account (or channel), one ISO-date column per snapshot.

    Args:
        id_column: The first column (account, division or channel names).
        channel: The channel of every row, or ``None`` if ``id_column`` names it.
        metric: The metric, or ``None`` to use the channel's audience metric.
    """

    def read(table: RawTable) -> Iterator[Record]:
        table.require(id_column)
        dates = [c for c in table.header if c != id_column]
        if not dates:
            raise DataError(table.path, "at least one date column", line=1)
        parsed = {c: date_cell(table, 1, c, c) for c in dates}
        for line, row in table.rows:
            name = row[id_column]
            if not name:
                raise DataError(table.path, "a name", line=line, column=id_column, found=name)
            row_channel = channel or channel_cell(table, line, id_column, name)
            row_metric = metric or config.AUDIENCE_METRIC[row_channel]
            account = name if channel else config.ALL_ACCOUNTS
            for col in dates:
                if row[col] == "":
                    continue
                yield _record(
                    table,
                    line,
                    col,
                    start=parsed[col],
                    end=parsed[col],
                    channel=row_channel,
                    account=account,
                    metric=row_metric,
                    value=count_cell(table, line, col, row[col]),
                )

    return read


def metrics_by_row(
    id_column: str, channel: str, columns: dict[str, str], start: str, end: str
) -> Callable:
    """Layout: one row per account, one column per metric, one fixed period.

    Args:
        id_column: Column holding account names.
        channel: The channel of every row.
        columns: File column -> tidy metric.
        start: First day the figures cover (ISO).
        end: Last day the figures cover (ISO).
    """

    def read(table: RawTable) -> Iterator[Record]:
        table.require(id_column, *columns)
        first, last = pd.Timestamp(start), pd.Timestamp(end)
        for line, row in table.rows:
            for col, metric in columns.items():
                yield _record(
                    table,
                    line,
                    col,
                    start=first,
                    end=last,
                    channel=channel,
                    account=row[id_column],
                    metric=metric,
                    value=count_cell(table, line, col, row[col]),
                )

    return read


def metrics_by_month(channel: str, account: str, columns: dict[str, str]) -> Callable:
    """Layout: a ``month`` column (``YYYY-MM``) and one column per metric.

    Args:
        channel: The channel of every row.
        account: The account of every row.
        columns: File column -> tidy metric.
    """

    def read(table: RawTable) -> Iterator[Record]:
        table.require("month", *columns)
        for line, row in table.rows:
            first, last = month_cell(table, line, "month", row["month"])
            for col, metric in columns.items():
                yield _record(
                    table,
                    line,
                    col,
                    start=first,
                    end=last,
                    channel=channel,
                    account=account,
                    metric=metric,
                    value=count_cell(table, line, col, row[col]),
                )

    return read


def shares_by_month(channel: str, account: str, metric: str) -> Callable:
    """Layout: a ``month`` column and one column per segment holding percentages."""

    def read(table: RawTable) -> Iterator[Record]:
        table.require("month")
        segments = [c for c in table.header if c != "month"]
        for line, row in table.rows:
            first, last = month_cell(table, line, "month", row["month"])
            for col in segments:
                yield _record(
                    table,
                    line,
                    col,
                    start=first,
                    end=last,
                    channel=channel,
                    account=account,
                    metric=metric,
                    segment=col,
                    value=percent_cell(table, line, col, row[col]),
                )

    return read


def ranged_metrics(channel: str, account: str, columns: dict[str, str]) -> Callable:
    """Layout: ``start``, ``end`` and one column per metric (figures over a range)."""

    def read(table: RawTable) -> Iterator[Record]:
        table.require("start", "end", *columns)
        for line, row in table.rows:
            first = date_cell(table, line, "start", row["start"])
            last = date_cell(table, line, "end", row["end"])
            for col, metric in columns.items():
                yield _record(
                    table,
                    line,
                    col,
                    start=first,
                    end=last,
                    channel=channel,
                    account=account,
                    metric=metric,
                    value=count_cell(table, line, col, row[col]),
                )

    return read


def ranged_segments(
    channel: str,
    account: str,
    segment_column: str,
    value_column: str,
    metric: str | dict[str, str],
    breakdown_column: str | None = None,
    percent: bool = False,
) -> Callable:
    """Layout: ``start``, ``end``, a segment column and a value column.

    Args:
        channel: The channel of every row.
        account: The account of every row.
        segment_column: Column naming the segment (device, source, page, form).
        value_column: Column holding the value.
        metric: The tidy metric, or a mapping from ``breakdown_column`` values to it.
        breakdown_column: Column naming the breakdown, when ``metric`` is a mapping.
        percent: Whether values are percentages.
    """

    def read(table: RawTable) -> Iterator[Record]:
        needed = ["start", "end", segment_column, value_column]
        if breakdown_column:
            needed.append(breakdown_column)
        table.require(*needed)
        parse = percent_cell if percent else count_cell
        for line, row in table.rows:
            if isinstance(metric, dict):
                assert breakdown_column is not None
                kind = row[breakdown_column]
                if kind not in metric:
                    raise DataError(
                        table.path,
                        f"a breakdown ({', '.join(metric)})",
                        line=line,
                        column=breakdown_column,
                        found=kind,
                    )
                row_metric = metric[kind]
            else:
                row_metric = metric
            yield _record(
                table,
                line,
                value_column,
                start=date_cell(table, line, "start", row["start"]),
                end=date_cell(table, line, "end", row["end"]),
                channel=channel,
                account=account,
                metric=row_metric,
                segment=row[segment_column],
                value=parse(table, line, value_column, row[value_column]),
            )

    return read


def dated_values(channel: str, account: str, date_column: str, columns: dict[str, str]) -> Callable:
    """Layout: a snapshot ``date`` column and one column per metric."""

    def read(table: RawTable) -> Iterator[Record]:
        table.require(date_column, *columns)
        for line, row in table.rows:
            day = date_cell(table, line, date_column, row[date_column])
            for col, metric in columns.items():
                yield _record(
                    table,
                    line,
                    col,
                    start=day,
                    end=day,
                    channel=channel,
                    account=account,
                    metric=metric,
                    value=count_cell(table, line, col, row[col]),
                )

    return read


def campaign_rows(table: RawTable) -> Iterator[Record]:
    """Layout of ``campaign_figures.csv``: one quoted figure per row."""
    table.require("start", "end", "channel", "account", "activity", "metric", "value")
    for line, row in table.rows:
        metric = row["metric"]
        if metric not in config.METRICS:
            raise DataError(
                table.path, "a known metric name", line=line, column="metric", found=metric
            )
        yield _record(
            table,
            line,
            "value",
            start=date_cell(table, line, "start", row["start"]),
            end=date_cell(table, line, "end", row["end"]),
            channel=channel_cell(table, line, "channel", row["channel"]),
            account=row["account"] or config.ALL_ACCOUNTS,
            metric=metric,
            segment=row["activity"],
            value=count_cell(table, line, "value", row["value"]),
        )


W, T = config.WEBSITE_ACCOUNT, config.TRUSTED2KNOW_ACCOUNT
PERIOD_SHARE_METRICS = {
    "device": "device_share",
    "acquisition": "acquisition_share",
    "social_referral": "social_referral_share",
    "page_group": "pageview_share",
}

#: How each transcribed file maps to the tidy vocabulary.
TABLES: dict[str, Callable[[RawTable], Iterator[Record]]] = {
    "social_totals_12_month.csv": snapshots_by_row("channel", None, None),
    "facebook_likes_by_account.csv": snapshots_by_row("account", "facebook", "page_likes"),
    "twitter_followers_by_account.csv": snapshots_by_row("account", "twitter", "followers"),
    "facebook_reach_engagement_2015-09.csv": metrics_by_row(
        "account",
        "facebook",
        {"reach": "reach", "engagement": "engaged_users"},
        "2015-09-01",
        "2015-09-30",
    ),
    "itk_registered_users_by_division.csv": snapshots_by_row("division", "itk", "registered_users"),
    "digital_community_2015-10.csv": snapshots_by_row("channel", None, None),
    "instagram_followers.csv": dated_values(
        "instagram", config.ALL_ACCOUNTS, "date", {"followers": "followers"}
    ),
    "twitter_impressions_monthly.csv": metrics_by_month(
        "twitter", config.ALL_ACCOUNTS, {"impressions": "impressions"}
    ),
    "website_monthly.csv": metrics_by_month(
        "website", W, {"sessions": "sessions", "unique_users": "users", "page_views": "pageviews"}
    ),
    "website_device_share_monthly.csv": shares_by_month("website", W, "device_share"),
    "website_period_users.csv": ranged_metrics("website", W, {"users": "users"}),
    "website_period_shares.csv": ranged_segments(
        "website", W, "segment", "share_pct", PERIOD_SHARE_METRICS, "breakdown", percent=True
    ),
    "website_online_forms.csv": ranged_segments(
        "website", W, "form", "submissions", "form_submissions"
    ),
    "trusted2know_period_totals.csv": ranged_metrics(
        "trusted2know", T, {"sessions": "sessions", "users": "users", "page_views": "pageviews"}
    ),
    "trusted2know_period_shares.csv": ranged_segments(
        "trusted2know", T, "segment", "share_pct", PERIOD_SHARE_METRICS, "breakdown", percent=True
    ),
    "trusted2know_top_pages.csv": ranged_segments(
        "trusted2know", T, "page", "page_views", "pageviews"
    ),
    "campaign_figures.csv": campaign_rows,
}


def report_files(report_dir: Path | None = None) -> list[Path]:
    """Return the transcribed tables the reader knows, in :data:`TABLES` order."""
    folder = report_dir or DataLayout.from_data_dir().report_2015
    return [folder / name for name in TABLES]


def read_report_table(path: Path) -> pd.DataFrame:
    """Read one transcribed table into tidy rows (not yet validated).

    Args:
        path: A file named in :data:`TABLES`.

    Returns:
        Tidy rows.

    Raises:
        DataError: If the file is unknown, missing or malformed.
    """
    reader = TABLES.get(path.name)
    if reader is None:
        raise DataError(path, f"one of the known report tables ({', '.join(TABLES)})")
    records = list(reader(read_raw_table(path)))
    return coerce_tidy(pd.DataFrame.from_records(records, columns=None))


def read_report_tables(report_dir: Path | None = None) -> pd.DataFrame:
    """Read every transcribed table of the report into one tidy frame.

    Args:
        report_dir: Folder of the transcribed tables (default ``data/raw/report_2015``).

    Returns:
        All tidy rows, not yet validated.
    """
    frames = [read_report_table(p) for p in report_files(report_dir)]
    return coerce_tidy(pd.concat(frames, ignore_index=True))


def read_campaigns(report_dir: Path | None = None) -> pd.DataFrame:
    """How the quoted campaign figures are qualified and whether the report dates them.

    Args:
        report_dir: The folder of the transcribed report tables.

    Returns:
        One row per campaign figure: ``source`` (its tidy ``source`` cell),
        ``qualifier`` (the report's word: "nearly", "more than", "around" or empty)
        and ``dated`` (False where the report gives no date and the figure carries
        the report's scrutiny window instead).

    Raises:
        DataError: If ``dated`` is not ``yes`` or ``no``.
    """
    folder = report_dir or DataLayout.from_data_dir().report_2015
    table = read_raw_table(folder / CAMPAIGNS_FILE)
    records = []
    for line, row in table.rows:
        dated = row.get("dated", "").strip().lower()
        if dated not in {"yes", "no"}:
            raise DataError(table.path, "yes or no", line=line, column="dated", found=dated)
        records.append(
            {
                "source": make_source(table.relpath, line, "value"),
                "qualifier": row.get("qualifier", "").strip(),
                "dated": dated == "yes",
            }
        )
    return pd.DataFrame.from_records(records, columns=["source", "qualifier", "dated"])


# --- claims ("as reported") ---------------------------------------------------

CLAIM_COLUMNS = [
    "claim",
    "kind",
    "comparison",
    "channel",
    "account",
    "segment",
    "metric",
    "start",
    "end",
    "dates",
    "stated",
    "stated_high",
    "decimals",
    "unit",
    "report_line",
    "quote",
    "reported",
]
CLAIM_KINDS = {
    "pct_change",
    "total_of_accounts",
    "total_of_channels",
    "engagement_rate",
    "cmgr",
    "abs_change",
    "period_sum",
    "weighted_share",
    "value",
    "saturation",
}
COMPARISONS = {"equal", "at_least", "at_most", "between"}
#: Whose dates a claim is checked over: the source's own (``stated``), or dates the
#: source does not give that the transcription reads into it (``assumed``: "still
#: growing at ... per month" is the latest interval of the source's figures).
CLAIM_DATES = ("stated", "assumed")


def read_claims(folder: Path | None = None) -> pd.DataFrame:
    """Read every "as reported" claim file into one frame.

    Args:
        folder: Folder of claim files (default ``data/raw/as_reported``).

    Returns:
        One row per claim with parsed dates and numbers and a ``source`` column.

    Raises:
        DataError: If a claim file is malformed.
    """
    folder = folder or DataLayout.from_data_dir().as_reported
    records: list[dict[str, object]] = []
    for path in sorted(folder.glob("*.csv")):
        table = read_raw_table(path)
        table.require(*CLAIM_COLUMNS)
        for line, row in table.rows:
            if row["kind"] not in CLAIM_KINDS:
                raise DataError(
                    path,
                    f"a claim kind ({', '.join(sorted(CLAIM_KINDS))})",
                    line=line,
                    column="kind",
                    found=row["kind"],
                )
            if row["comparison"] not in COMPARISONS:
                raise DataError(
                    path,
                    f"a comparison ({', '.join(sorted(COMPARISONS))})",
                    line=line,
                    column="comparison",
                    found=row["comparison"],
                )
            if row["dates"] not in CLAIM_DATES:
                raise DataError(
                    path,
                    f"whose dates the claim is checked over ({' or '.join(CLAIM_DATES)})",
                    line=line,
                    column="dates",
                    found=row["dates"],
                )
            high = row["stated_high"]
            records.append(
                {
                    **row,
                    "start": date_cell(table, line, "start", row["start"]),
                    "end": date_cell(table, line, "end", row["end"]),
                    "reported": date_cell(table, line, "reported", row["reported"]),
                    "stated": count_cell(table, line, "stated", row["stated"]),
                    "stated_high": count_cell(table, line, "stated_high", high) if high else None,
                    "decimals": int(count_cell(table, line, "decimals", row["decimals"])),
                    "source": make_source(table.relpath, line, "stated"),
                }
            )
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        return pd.DataFrame(columns=[*CLAIM_COLUMNS, "source"])
    dup = frame[frame["claim"].duplicated()]
    if not dup.empty:
        path, line, _ = dup["source"].iloc[0].split(":", 2)
        raise DataError(
            folder.parent / path,
            "a claim id used once",
            line=int(line),
            column="claim",
            found=dup["claim"].iloc[0],
        )
    return frame


#: Columns of :func:`read_date_assumptions`.
DATE_ASSUMPTION_COLUMNS: list[str] = ["file", "report_words", "assumed", "report_line"]


def read_date_assumptions(report_dir: Path | None = None) -> pd.DataFrame:
    """The report tables whose dates the report does not state, and what is assumed.

    Reads ``date_assumptions.csv`` beside the transcribed tables: one row per table
    (``file``), with the report's own words about its dates (``report_words``), what
    the transcription assumes instead (``assumed``) and the report's line.

    Args:
        report_dir: The folder of the transcribed report tables.

    Returns:
        The rows (no rows when the file is absent).

    Raises:
        DataError: If a row names a table the reader does not know, or leaves
            ``assumed`` empty.
    """
    path = (report_dir or DataLayout.from_data_dir().report_2015) / DATE_ASSUMPTIONS_FILE
    if not path.is_file():
        return pd.DataFrame(columns=DATE_ASSUMPTION_COLUMNS)
    table = read_raw_table(path)
    records = []
    for line, row in table.rows:
        name = row.get("file", "").strip()
        if name not in TABLES:
            raise DataError(
                table.path, "the name of a transcribed report table", line=line, column="file"
            )
        assumed = " ".join(row.get("assumed", "").split())
        if not assumed:
            raise DataError(table.path, "what is assumed", line=line, column="assumed")
        records.append(
            {
                "file": name,
                "report_words": " ".join(row.get("report_words", "").split()),
                "assumed": assumed,
                "report_line": row.get("report_line", "").strip(),
            }
        )
    return pd.DataFrame.from_records(records, columns=DATE_ASSUMPTION_COLUMNS)
