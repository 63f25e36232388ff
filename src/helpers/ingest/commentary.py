"""Reader of the analysts' commentary: Markdown per period, every quoted number declared.

Each file ``<raw>/commentary/<YYYY-MM>.md`` comments on one reporting period (the
format is documented in ``data/raw/commentary/README.md``)::

    ---
    period: 2015-10
    decision: The Commissioner is requested to note the report.
    figures:
      instagram_followers:
        channel: instagram
        metric: followers
        start: 2015-11-18
        value: 651
    ---
    # social
    ## Highlights
    Our Instagram following reached {{instagram_followers}} on 18 November 2015.

The YAML front matter (read with PyYAML) gives the period, an optional decision line
and the figures; the body is split into pages and parts and checked by
:mod:`helpers.ingest.commentary_text`.

:func:`read_commentary` reads and checks every file of the commentary folder and
returns :class:`CommentaryFrames`: the parts (Markdown kept as written), the figures
and the periods (:class:`helpers.tidy.commentary.Commentary` wraps them for the
layers above). Every problem is a :class:`~helpers.errors.DataError` naming the file
and line and saying what to write instead.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import yaml

from helpers import config
from helpers.errors import DataError
from helpers.ingest.cleaning import parse_number
from helpers.ingest.commentary_text import (
    check_images,
    check_numbers,
    check_placeholders,
    read_parts,
    undeclared_numbers,
)
from helpers.ingest.yamlkeys import key_lines, parse, value_node

#: The folder of the commentary files, inside the raw data folder.
COMMENTARY_DIR = "commentary"
PART_COLUMNS: list[str] = ["period", "page", "part", "order", "markdown", "source"]
FIGURE_COLUMNS: list[str] = [
    "period",
    "figure",
    "channel",
    "account",
    "segment",
    "metric",
    "start",
    "end",
    "value",
    "qualifier",
    "unit",
    "dated",
    "source",
]
#: The board paper's closing parts, optional, in the order a paper gives them (before
#: the contact): each front-matter key and the heading the paper prints it under.
PAPER_PARTS: dict[str, str] = {
    "implications": "Implications",
    "plan": "Links to the Police & Crime Plan",
    "restricted": "Reasons why restricted",
    "background": "Background documents",
}
PERIOD_COLUMNS: list[str] = [
    "period",
    "decision",
    "issued",
    "contact",
    *PAPER_PARTS,
    "source",
]

FRONT_MATTER_KEYS = ("period", "issued", "decision", "contact", *PAPER_PARTS, "figures")
#: Largest commentary file read, in bytes (the text of a few pages).
MAX_COMMENTARY_BYTES = 200_000
REQUIRED_FIELDS = ("channel", "metric", "value")
OPTIONAL_FIELDS = ("account", "segment", "start", "end", "reported", "qualifier", "unit")

_FILE_NAME = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])\.md$")
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FIGURE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_FENCE = re.compile(r"^(---|\.\.\.)\s*$")


class CommentaryFrames(NamedTuple):
    """The commentary as read: three validated frames.

    :class:`helpers.tidy.commentary.Commentary` wraps them for the layers above.

    Attributes:
        parts: One row per part, columns :data:`PART_COLUMNS`.
        figures: One row per declared figure, columns :data:`FIGURE_COLUMNS`.
        periods: One row per file, columns :data:`PERIOD_COLUMNS`.
    """

    parts: pd.DataFrame
    figures: pd.DataFrame
    periods: pd.DataFrame


def commentary_frames(
    parts: list[dict[str, Any]], figures: list[dict[str, Any]], periods: list[dict[str, Any]]
) -> CommentaryFrames:
    """The three frames from their records (no records: empty frames with the columns)."""
    return CommentaryFrames(
        _frame(parts, PART_COLUMNS),
        _frame(figures, FIGURE_COLUMNS),
        _frame(periods, PERIOD_COLUMNS),
    )


def _frame(records: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=columns)
    if "order" in columns:
        frame["order"] = frame["order"].astype("int64")
    if "dated" in columns:
        frame["dated"] = frame["dated"].astype(bool)
    if "value" in columns:
        frame["value"] = frame["value"].astype(float)
        for col in ("start", "end"):
            frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    for col in columns:
        if col not in {"order", "value", "start", "end", "dated"}:
            frame[col] = frame[col].astype(str)
    return frame


# --- files ------------------------------------------------------------------------


def commentary_files(folder: Path) -> list[Path]:
    """Every commentary file of a commentary folder (all ``*.md`` but the README).

    Args:
        folder: The commentary folder (:attr:`helpers.layout.DataLayout.commentary`).
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.md") if p.name.lower() != "readme.md")


def read_commentary(folder: Path) -> CommentaryFrames:
    """Read and check every commentary file of a commentary folder.

    Args:
        folder: The commentary folder (:attr:`helpers.layout.DataLayout.commentary`);
            a missing folder has no commentary.

    Returns:
        The parts, figures and periods of every file, by period.

    Raises:
        DataError: Naming the file and line, for a file name that is not
            ``YYYY-MM.md``, missing or malformed front matter, a period that differs
            from the file name, an unknown key, channel, metric or unit, a bad date or
            value, an unknown page heading, text outside a page, a repeated page or
            part, an empty part, a placeholder with no declaration, a declared figure
            never used, or a number in the text that is not a declared figure.
    """
    parts: list[dict[str, Any]] = []
    figures: list[dict[str, Any]] = []
    periods: list[dict[str, Any]] = []
    for path in commentary_files(folder):
        one = read_commentary_file(path)
        parts += one.parts.to_dict("records")
        figures += one.figures.to_dict("records")
        periods += one.periods.to_dict("records")
    return commentary_frames(parts, figures, periods)


def read_commentary_file(path: Path) -> CommentaryFrames:
    """Read and check one commentary file (see :func:`read_commentary`).

    Args:
        path: The file, named ``YYYY-MM.md``.

    Returns:
        The file's parts, figures and period.

    Raises:
        DataError: See :func:`read_commentary`.
    """
    path = Path(path)
    if not _FILE_NAME.match(path.name):
        raise DataError(
            path,
            "a file name YYYY-MM.md naming the period it comments on (e.g. 2015-10.md); "
            "rename the file or move it out of the commentary folder",
        )
    size = path.stat().st_size
    if size > MAX_COMMENTARY_BYTES:
        raise DataError(
            path,
            f"a commentary of at most {MAX_COMMENTARY_BYTES // 1000} KB of text (this file is "
            f"{size / 1e6:.1f} MB); keep the briefing's commentary short and leave long "
            "material, pasted images and attachments out of it",
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(path, f"UTF-8 text (undecodable byte at offset {exc.start})") from None
    source = f"{COMMENTARY_DIR}/{path.name}"
    lines = text.split("\n")
    front, body_start = _split_front_matter(path, lines)
    meta, figure_lines = _read_front_matter(path, front)
    period = path.name.removesuffix(".md")
    if meta["period"] != period:
        raise DataError(
            path,
            f"period: {period} in the front matter, as in the file name (or rename the file)",
            line=meta["lines"]["period"],
            found=meta["period"],
        )
    body = lines[body_start - 1 :]
    check_images(path, body, body_start)
    parts = read_parts(path, body, body_start)
    figures = _check_figures(path, meta["figures"], figure_lines)
    _check_issue_date(path, period, meta, figures, figure_lines)
    check_placeholders(path, parts, body, body_start, figures, figure_lines)
    for part in parts:
        check_numbers(path, part)
    part_records = [
        {
            "period": period,
            "page": p.page,
            "part": p.name,
            "order": p.order,
            "markdown": p.markdown,
            "source": f"{source}:{p.line}",
        }
        for p in parts
    ]
    figure_records = [
        {"period": period, "figure": fid, **fields, "source": f"{source}:{figure_lines[fid][0]}"}
        for fid, fields in figures.items()
    ]
    period_records = [
        {
            "period": period,
            "decision": meta["decision"],
            "issued": meta["issued"],
            "contact": meta["contact"],
            **{key: meta[key] for key in PAPER_PARTS},
            "source": f"{source}:1",
        }
    ]
    return commentary_frames(part_records, figure_records, period_records)


# --- front matter -----------------------------------------------------------------


def _split_front_matter(path: Path, lines: list[str]) -> tuple[list[str], int]:
    """The front matter lines and the 1-based file line where the body starts."""
    how = (
        "front matter at the top of the file: a line '---', then 'period: YYYY-MM' and "
        "the figures, then a closing line '---'"
    )
    if not lines or lines[0].strip() != "---":
        raise DataError(path, how, line=1, found=lines[0] if lines else "")
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]):
            return lines[1:index], index + 2
    raise DataError(path, how + " (no closing '---' found)", line=1)


def _parse_front_matter(path: Path, front: list[str], offset: int) -> tuple[Any, Any]:
    """The YAML's root node and its values (:func:`~helpers.ingest.yamlkeys.parse`)."""
    return parse(path, "\n".join(front), "front matter", offset)


def _read_front_matter(
    path: Path, front: list[str]
) -> tuple[dict[str, Any], dict[str, tuple[int, dict[str, int]]]]:
    """Parse the YAML; return its values and the line of every figure and field."""
    offset = 2  # the YAML's first line is line 2 of the file
    node, data = _parse_front_matter(path, front, offset)
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise DataError(path, "front matter of 'key: value' lines starting with period:", line=2)
    keys = key_lines(path, node, "front matter", offset)
    for key, line in keys.items():
        if key not in FRONT_MATTER_KEYS:
            raise DataError(
                path,
                f"only the keys {', '.join(FRONT_MATTER_KEYS)} in the front matter",
                line=line,
                found=key,
            )
    if "period" not in data:
        raise DataError(path, "a line 'period: YYYY-MM' in the front matter", line=2)
    period = data["period"]
    if not isinstance(period, str) or not _PERIOD.match(period.strip()):
        raise DataError(path, "period: YYYY-MM (e.g. 2015-10)", line=keys["period"], found=period)
    lines_of: dict[str, str] = {}
    for key in ("decision", "contact"):
        text = data.get(key) or ""
        if not isinstance(text, str):
            raise DataError(
                path, f"one line of text after {key}: (put it in quotes)", line=keys[key]
            )
        count = len(text.strip().splitlines())
        if count > 1:
            raise DataError(
                path,
                f"one line of text after {key}: (it runs over {count} lines; the cover "
                "shows one line)",
                line=keys[key],
            )
        lines_of[key] = " ".join(text.split())
    for key, heading in PAPER_PARTS.items():
        text = data.get(key) or ""
        if not isinstance(text, str):
            raise DataError(
                path, f"text after {key}: ({heading}; put it in quotes)", line=keys[key]
            )
        lines_of[key] = " ".join(text.split())
    for key in ("decision", *PAPER_PARTS):
        for _, number in undeclared_numbers(lines_of[key]):
            raise DataError(
                path,
                f"numbers in the {key} text written in words (dates such as 18 November "
                "2015 and years may stay in digits)",
                line=keys[key],
                found=number,
            )
    issued = data.get("issued") or ""
    if issued:
        issued = _day(
            issued,
            lambda f: DataError(
                path,
                "issued: the date of issue as YYYY-MM-DD (or leave it out: the paper is then "
                "a draft)",
                line=keys["issued"],
                found=f,
            ),
        ).strftime("%Y-%m-%d")
    figures = data.get("figures") or {}
    figure_lines = _figure_lines(path, node, figures, keys, offset) if figures else {}
    meta = {
        "period": period.strip(),
        "decision": lines_of["decision"],
        "contact": lines_of["contact"],
        **{key: lines_of[key] for key in PAPER_PARTS},
        "issued": issued,
        "figures": figures,
        "lines": keys,
    }
    return meta, figure_lines


def _figure_lines(
    path: Path, node: yaml.MappingNode, figures: Any, keys: dict[str, int], offset: int
) -> dict[str, tuple[int, dict[str, int]]]:
    """The line of each declared figure and of each of its fields."""
    figures_node = value_node(node, "figures")
    if not isinstance(figures, dict) or not isinstance(figures_node, yaml.MappingNode):
        raise DataError(
            path, "figures: followed by one indented block per figure", line=keys["figures"]
        )
    figure_lines: dict[str, tuple[int, dict[str, int]]] = {}
    for fid, line in key_lines(path, figures_node, "figures", offset).items():
        field_node = value_node(figures_node, fid)
        if not isinstance(field_node, yaml.MappingNode):
            raise DataError(
                path,
                f"an indented block of fields under figure '{fid}' (channel:, metric:, "
                "start:, value:)",
                line=line,
            )
        figure_lines[fid] = (line, key_lines(path, field_node, f"figure '{fid}'", offset))
    return figure_lines


def _check_figures(
    path: Path, declared: dict[Any, Any], lines: dict[str, tuple[int, dict[str, int]]]
) -> dict[str, dict[str, Any]]:
    """Check every declared figure; return its fields, defaults filled in."""
    out: dict[str, dict[str, Any]] = {}
    for fid, fields in declared.items():
        fid = str(fid)
        line, field_lines = lines[fid]
        if not _FIGURE_ID.match(fid):
            raise DataError(
                path,
                "a figure id of lower-case letters, digits and underscores, starting with a "
                "letter (e.g. instagram_followers)",
                line=line,
                found=fid,
            )
        out[fid] = _check_figure(path, fid, fields, line, field_lines)
    return out


def _check_figure(
    path: Path, fid: str, fields: dict[str, Any], line: int, field_lines: dict[str, int]
) -> dict[str, Any]:
    def fail(field: str, expected: str, found: object = None) -> DataError:
        return DataError(
            path,
            f"{expected} for {field} of figure '{fid}'",
            line=field_lines.get(field, line),
            found=found,
        )

    for field in fields:
        if field not in REQUIRED_FIELDS + OPTIONAL_FIELDS:
            raise DataError(
                path,
                f"only the fields {', '.join(REQUIRED_FIELDS + OPTIONAL_FIELDS)} under figure "
                f"'{fid}'",
                line=field_lines.get(field, line),
                found=field,
            )
    for field in REQUIRED_FIELDS:
        if fields.get(field) is None:
            raise DataError(
                path,
                f"a line '{field}:' under figure '{fid}' (required: {', '.join(REQUIRED_FIELDS)})",
                line=line,
            )
    channel = fields["channel"]
    if channel not in config.CHANNELS:
        raise fail("channel", f"one of the channels {', '.join(config.CHANNELS)}", channel)
    metric = fields["metric"]
    if metric not in config.METRICS:
        raise fail("metric", f"one of the metrics {', '.join(config.METRICS)}", metric)
    spec = config.METRICS[metric]
    texts = {}
    for field, default in (("account", config.ALL_ACCOUNTS), ("segment", ""), ("qualifier", "")):
        value = fields.get(field)
        if value is None:
            value = default
        if not isinstance(value, str):
            raise fail(field, "text (put it in quotes)", value)
        texts[field] = " ".join(value.split())
    if not texts["account"]:
        raise fail("account", f"an account name (or leave it out for '{config.ALL_ACCOUNTS}')")
    if any(ch.isdigit() for ch in texts["qualifier"]):
        raise fail(
            "qualifier", "words without digits, e.g. nearly, more than, around", texts["qualifier"]
        )
    start, end, dated = _figure_dates(fields, fail)
    if end < start:
        raise fail("end", f"a date on or after the start ({start:%Y-%m-%d})", f"{end:%Y-%m-%d}")
    value = _number(fields["value"], spec, lambda e, f: fail("value", e, f))
    unit = fields.get("unit") or spec.unit
    if unit != spec.unit:
        raise fail("unit", f"{spec.unit}, the unit of {metric} (or leave unit out)", unit)
    return {
        "channel": str(channel),
        "account": config.canonical_account(texts["account"]),
        "segment": texts["segment"],
        "metric": str(metric),
        "start": start,
        "end": end,
        "value": value,
        "qualifier": texts["qualifier"],
        "unit": str(unit),
        "dated": dated,
    }


def _figure_dates(
    fields: dict[str, Any], fail: Callable[..., DataError]
) -> tuple[pd.Timestamp, pd.Timestamp, bool]:
    """``(start, end, dated)`` of a figure: its own dates, or the day it was reported."""
    if fields.get("reported") is not None:
        if fields.get("start") is not None or fields.get("end") is not None:
            raise fail(
                "reported",
                "either start: (and end:) for a dated figure, or reported: for one its source "
                "does not date, not both",
            )
        day = _day(fields["reported"], lambda f: fail("reported", "a date YYYY-MM-DD", f))
        return day, day, False
    if fields.get("start") is None:
        raise fail(
            "start",
            "a line 'start:' (the first day the figure covers), or 'reported:' (the day it "
            "was reported on) when its source gives it no dates",
        )
    start = _day(fields["start"], lambda f: fail("start", "a date YYYY-MM-DD", f))
    end = _day(fields.get("end") or fields["start"], lambda f: fail("end", "a date YYYY-MM-DD", f))
    return start, end, True


def _check_issue_date(
    path: Path,
    period: str,
    meta: dict[str, Any],
    figures: dict[str, dict[str, Any]],
    figure_lines: dict[str, tuple[int, dict[str, int]]],
) -> None:
    """A paper is issued in or after its period, and quotes nothing dated after its issue."""
    if not meta["issued"]:
        return
    issued = pd.Timestamp(meta["issued"])
    first = pd.Period(period, freq="M").start_time
    if issued < first:
        raise DataError(
            path,
            f"issued: a date on or after the first day of the period ({first:%Y-%m-%d})",
            line=meta["lines"]["issued"],
            found=meta["issued"],
        )
    for fid, fields in figures.items():
        if fields["end"] > issued:
            line, field_lines = figure_lines[fid]
            where = next((k for k in ("end", "reported", "start") if k in field_lines), "")
            raise DataError(
                path,
                f"figure '{fid}' dated on or before the date of issue ({meta['issued']}); "
                "correct its dates or the issued: line",
                line=field_lines.get(where, line),
                found=f"{fields['end']:%Y-%m-%d}",
            )


def _day(value: object, fail: Callable[[object], DataError]) -> pd.Timestamp:
    text = str(value).strip()
    if not _ISO_DAY.match(text):
        raise fail(value)
    try:
        return pd.Timestamp(dt.date.fromisoformat(text))
    except ValueError:
        raise fail(value) from None


def _number(
    value: object, spec: config.MetricSpec, fail: Callable[[str, object], DataError]
) -> float:
    try:
        number = parse_number(value)
    except ValueError:
        number = None
    if number is None or math.isinf(number):
        raise fail("a number (e.g. 651 or 1,300)", value)
    if number < 0 and not spec.signed:
        raise fail("a number of zero or more", value)
    if spec.unit == config.Unit.PERCENT and number > 100:
        raise fail("a percentage between 0 and 100", value)
    return number
