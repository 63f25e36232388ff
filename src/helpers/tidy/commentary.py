"""Analysts' commentary: Markdown per period, with every quoted number declared once.

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
and the figures; the body's level-1 headings are page keys (:data:`PAGES`) and its
level-2 headings name the parts of a page (found with markdown-it-py, so a ``#`` in
a code block is not a heading). A figure is written ``{{figure_id}}`` in the text and
filled in by the presentation layer through :func:`fill_figures`. Any other number in
the text must be a date or a year, or be written in words (:func:`undeclared_numbers`).

:func:`read_commentary` reads and checks every file and returns a
:class:`Commentary`: the parts (Markdown kept as written), the figures and the
periods. Every problem is a :class:`~helpers.errors.DataError` naming the file and
line and saying what to write instead.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from helpers import config
from helpers.errors import DataError
from helpers.ingest.cleaning import parse_number

#: The folder of the commentary files, inside the raw data folder.
COMMENTARY_DIR = "commentary"
#: Page keys: the level-1 headings a commentary file may use.
PAGES: tuple[str, ...] = ("overview", "social", "website", "itk", "trusted2know")
#: Part names to use where they fit (level-2 headings are otherwise free text).
PART_NAMES: tuple[str, ...] = ("Highlights", "Operational examples", "Developments and next steps")

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
PERIOD_COLUMNS: list[str] = ["period", "decision", "issued", "contact", "source"]

FRONT_MATTER_KEYS = ("period", "issued", "decision", "contact", "figures")
#: Largest commentary file read, in bytes (the text of a few pages).
MAX_COMMENTARY_BYTES = 200_000
REQUIRED_FIELDS = ("channel", "metric", "value")
OPTIONAL_FIELDS = ("account", "segment", "start", "end", "reported", "qualifier", "unit")

_FILE_NAME = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])\.md$")
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FIGURE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
#: A placeholder as written in the text: ``{{figure_id}}`` (spaces inside allowed).
PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*\}\}")
_BRACES = re.compile(r"\{\{|\}\}")
_BAD_PLACEHOLDER = re.compile(r"\{\{[^{}]{0,40}(\}\})?|[^{}]{0,40}\}\}")
_FENCE = re.compile(r"^(---|\.\.\.)\s*$")

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_NUMBER = re.compile(r"(?<!\w)\d+(?:[.,]\d+)*")
_ISO_DATE_IN_TEXT = re.compile(r"(?<!\w)\d{4}-\d{2}-\d{2}(?!\w)")
_DAY_BEFORE_MONTH = re.compile(rf"^(?:st|nd|rd|th)?\s+(?:{_MONTHS})\b", re.IGNORECASE)
_MONTH_BEFORE_DAY = re.compile(rf"\b(?:{_MONTHS})\s+$", re.IGNORECASE)
_NUMBER_RULE = (
    "every number in the text to be a declared figure written {{figure_id}}, or written "
    "in words (dates such as 18 November 2015 and years may stay in digits)"
)


@dataclass(frozen=True)
class Commentary:
    """The analysts' commentary of every period on file.

    Attributes:
        parts: One row per part, columns :data:`PART_COLUMNS`: ``period``
            (``YYYY-MM``), ``page`` (a key of :data:`PAGES`), ``part`` (the level-2
            heading; ``""`` for text right under the page heading), ``order`` (1, 2,
            ... within the page, as written), ``markdown`` (the text as written, with
            its ``{{figure_id}}`` placeholders; blank lines at either end removed) and
            ``source`` (``commentary/<file>:<line of the heading>``).
        figures: One row per declared figure, columns :data:`FIGURE_COLUMNS`:
            ``figure`` is the id used in the placeholders; ``start``/``end`` are
            timestamps (both the day it was reported on when the source gives the
            figure no dates); ``dated`` is False for such a figure; ``value`` is a
            float; ``source`` is ``commentary/<file>:<line of the declaration>``.
        periods: One row per file, columns :data:`PERIOD_COLUMNS`: ``decision`` is
            the decision line for the cover, ``issued`` the date of issue
            (``YYYY-MM-DD``) and ``contact`` the contact line (each ``""`` when not
            given: a paper without a date of issue is a draft).
    """

    parts: pd.DataFrame
    figures: pd.DataFrame
    periods: pd.DataFrame

    def for_period(self, period: str) -> Commentary:
        """The commentary of one period (empty frames when there is none)."""
        return Commentary(
            *(
                frame[frame["period"] == period].reset_index(drop=True)
                for frame in (self.parts, self.figures, self.periods)
            )
        )

    def decision(self, period: str) -> str:
        """The decision line of ``period`` (``""`` when not given)."""
        return self._field(period, "decision")

    def issued(self, period: str) -> str:
        """The date of issue of ``period``'s paper, ``YYYY-MM-DD`` (``""``: a draft)."""
        return self._field(period, "issued")

    def contact(self, period: str) -> str:
        """The contact line of ``period``'s paper (``""`` when not given)."""
        return self._field(period, "contact")

    def _field(self, period: str, field: str) -> str:
        rows = self.periods[self.periods["period"] == period]
        return str(rows[field].iloc[0]) if not rows.empty else ""


def empty_commentary() -> Commentary:
    """A commentary with no periods (a data folder without commentary files)."""
    return Commentary(
        _frame([], PART_COLUMNS), _frame([], FIGURE_COLUMNS), _frame([], PERIOD_COLUMNS)
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


def commentary_files(raw_dir: Path) -> list[Path]:
    """Every commentary file of ``<raw_dir>/commentary`` (all ``*.md`` but the README)."""
    folder = Path(raw_dir) / COMMENTARY_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.md") if p.name.lower() != "readme.md")


def read_commentary(raw_dir: Path) -> Commentary:
    """Read and check every commentary file of a raw data folder.

    Args:
        raw_dir: The raw data folder (``<data>/raw``); files are read from its
            ``commentary`` folder. A folder without one has no commentary.

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
    for path in commentary_files(raw_dir):
        one = read_commentary_file(path)
        parts += one.parts.to_dict("records")
        figures += one.figures.to_dict("records")
        periods += one.periods.to_dict("records")
    return Commentary(
        _frame(parts, PART_COLUMNS),
        _frame(figures, FIGURE_COLUMNS),
        _frame(periods, PERIOD_COLUMNS),
    )


def read_commentary_file(path: Path) -> Commentary:
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
    _check_images(path, body, body_start)
    parts = _read_parts(path, body, body_start)
    figures = _check_figures(path, meta["figures"], figure_lines)
    _check_issue_date(path, period, meta, figures, figure_lines)
    _check_placeholders(path, parts, body, body_start, figures, figure_lines)
    for part in parts:
        _check_numbers(path, part)
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
            "source": f"{source}:1",
        }
    ]
    return Commentary(
        _frame(part_records, PART_COLUMNS),
        _frame(figure_records, FIGURE_COLUMNS),
        _frame(period_records, PERIOD_COLUMNS),
    )


# --- front matter -----------------------------------------------------------------


class _FrontMatterLoader(yaml.SafeLoader):
    """PyYAML's safe loader, but dates stay text (checked here, with their line)."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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


def _read_front_matter(
    path: Path, front: list[str]
) -> tuple[dict[str, Any], dict[str, tuple[int, dict[str, int]]]]:
    """Parse the YAML; return its values and the line of every figure and field."""
    offset = 2  # the YAML's first line is line 2 of the file
    loader = _FrontMatterLoader("\n".join(front))
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DataError(
            path,
            f"valid YAML in the front matter ({problem}; check indentation and colons)",
            line=mark.line + offset if mark is not None else 2,
        ) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise DataError(path, "front matter of 'key: value' lines starting with period:", line=2)
    keys = _mapping_lines(path, node, offset, "front matter")
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
    for _, number in undeclared_numbers(lines_of["decision"]):
        raise DataError(
            path,
            "numbers in the decision line written in words (dates such as 18 November 2015 "
            "and years may stay in digits)",
            line=keys["decision"],
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
    figure_lines: dict[str, tuple[int, dict[str, int]]] = {}
    if figures:
        figures_node = _value_node(node, "figures")
        if not isinstance(figures, dict) or not isinstance(figures_node, yaml.MappingNode):
            raise DataError(
                path, "figures: followed by one indented block per figure", line=keys["figures"]
            )
        for fid, line in _mapping_lines(path, figures_node, offset, "figures").items():
            field_node = _value_node(figures_node, fid)
            if not isinstance(field_node, yaml.MappingNode):
                raise DataError(
                    path,
                    f"an indented block of fields under figure '{fid}' (channel:, metric:, "
                    "start:, value:)",
                    line=line,
                )
            figure_lines[fid] = (line, _mapping_lines(path, field_node, offset, f"figure '{fid}'"))
    meta = {
        "period": period.strip(),
        "decision": lines_of["decision"],
        "contact": lines_of["contact"],
        "issued": issued,
        "figures": figures,
        "lines": keys,
    }
    return meta, figure_lines


def _mapping_lines(path: Path, node: yaml.MappingNode, offset: int, where: str) -> dict[str, int]:
    """Each key of a YAML mapping -> its file line; a repeated key is an error."""
    lines: dict[str, int] = {}
    for key_node, _ in node.value:
        key = str(key_node.value)
        line = key_node.start_mark.line + offset
        if key in lines:
            raise DataError(
                path,
                f"each key once in {where} (first on line {lines[key]}); remove or rename one",
                line=line,
                found=key,
            )
        lines[key] = line
    return lines


def _value_node(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    for key_node, value_node in node.value:
        if str(key_node.value) == key:
            return value_node
    return None


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


# --- body -------------------------------------------------------------------------

_MD = MarkdownIt("commonmark")


@dataclass
class _Part:
    page: str
    name: str
    order: int
    line: int  # file line of the heading
    first: int  # body index of the first text line (0-based)
    stop: int  # body index after the last text line
    markdown: str = ""
    text_line: int = 0  # file line of the first text line


def _read_parts(path: Path, body: list[str], body_start: int) -> list[_Part]:
    """Split the body at its top-level h1 (page) and h2 (part) headings."""
    tokens = _MD.parse("\n".join(body))
    headings = [
        (tok, tokens[i + 1].content.strip())
        for i, tok in enumerate(tokens)
        if tok.type == "heading_open" and tok.level == 0 and tok.tag in ("h1", "h2")
    ]
    parts: list[_Part] = []
    page = ""
    pages_seen: dict[str, int] = {}
    names_seen: dict[str, int] = {}
    first_heading = headings[0][0].map[0] if headings else len(body)  # type: ignore[index]
    if any(line.strip() for line in body[:first_heading]):
        stray = next(i for i, line in enumerate(body[:first_heading]) if line.strip())
        raise DataError(
            path,
            f"a page heading ('# {PAGES[0]}', '# social'...) before any text",
            line=body_start + stray,
        )
    for index, (tok, title) in enumerate(headings):
        start, stop = tok.map  # type: ignore[misc]
        line = body_start + start
        if tok.tag == "h1":
            if title not in PAGES:
                raise DataError(
                    path, f"a page heading, one of '# {', # '.join(PAGES)}'", line=line, found=title
                )
            if title in pages_seen:
                raise DataError(
                    path,
                    f"each page heading once (# {title} is first on line {pages_seen[title]}); "
                    "merge the two",
                    line=line,
                )
            page, pages_seen[title], names_seen = title, line, {}
            name = ""
        else:
            if not page:
                raise DataError(path, "a page heading ('# social'...) before this part", line=line)
            if PLACEHOLDER.search(title) or _BRACES.search(title):
                raise DataError(path, "no figure placeholder in a heading", line=line, found=title)
            if title in names_seen:
                raise DataError(
                    path,
                    f"each part once per page (## {title} is first on line {names_seen[title]})",
                    line=line,
                )
            names_seen[title] = line
            name = title
        end = headings[index + 1][0].map[0] if index + 1 < len(headings) else len(body)  # type: ignore[index]
        text = body[stop:end]
        while text and not text[0].strip():
            text, stop = text[1:], stop + 1
        while text and not text[-1].strip():
            text = text[:-1]
        if tok.tag == "h2" and not text:
            raise DataError(
                path, f"text under ## {title} (write it, or remove the heading)", line=line
            )
        if text:
            order = sum(1 for p in parts if p.page == page) + 1
            parts.append(
                _Part(
                    page,
                    name,
                    order,
                    line,
                    stop,
                    stop + len(text),
                    "\n".join(text),
                    body_start + stop,
                )
            )
    return parts


def placeholders(markdown: str) -> list[str]:
    """The figure ids written as ``{{figure_id}}`` in ``markdown``, in order."""
    return PLACEHOLDER.findall(markdown)


def _check_placeholders(
    path: Path,
    parts: list[_Part],
    body: list[str],
    body_start: int,
    figures: dict[str, dict[str, Any]],
    figure_lines: dict[str, tuple[int, dict[str, int]]],
) -> None:
    used: set[str] = set()
    for part in parts:
        for index in range(part.first, part.stop):
            line = body[index]
            for match in PLACEHOLDER.finditer(line):
                fid = match.group(1)
                if fid not in figures:
                    raise DataError(
                        path,
                        f"a declaration of figure '{fid}' under figures: in the front matter "
                        "(or correct the placeholder's spelling)",
                        line=body_start + index,
                        found=match.group(0),
                    )
                used.add(fid)
            leftover = PLACEHOLDER.sub("", line)
            if _BRACES.search(leftover):
                raise DataError(
                    path,
                    "placeholders written {{figure_id}} (lower-case letters, digits, underscores)",
                    line=body_start + index,
                    found=_BAD_PLACEHOLDER.search(leftover).group(0),  # type: ignore[union-attr]
                )
    for fid in figures:
        if fid not in used:
            raise DataError(
                path,
                f"figure '{fid}' to be used in the text as {{{{{fid}}}}} (or remove its "
                "declaration)",
                line=figure_lines[fid][0],
            )


def _check_images(path: Path, body: list[str], body_start: int) -> None:
    """Refuse an image the briefing would have to fetch from the network."""

    def images(tokens: list[Token]) -> Iterator[Token]:
        for tok in tokens:
            if tok.type == "image":
                yield tok
            yield from images(tok.children or [])

    for block in _MD.parse("\n".join(body)):
        for image in images([block]):
            src = str(image.attrGet("src") or "")
            if "://" in src or src.startswith("//"):
                raise DataError(
                    path,
                    "no images from the web: the briefings work offline; remove the image "
                    "or describe it in words",
                    line=body_start + (block.map[0] if block.map else 0),
                    found=src,
                )


def _shown_text(tokens: list[Token]) -> Iterator[tuple[int, str]]:
    """``(line offset, text)`` of everything a reader sees, from markdown-it tokens."""
    for tok in tokens:
        if tok.type == "inline" and tok.map is not None:
            offset = tok.map[0]
            for child in tok.children or []:
                if child.type in ("softbreak", "hardbreak"):
                    offset += 1
                elif child.type in ("text", "code_inline", "image"):  # image: its alt text
                    yield offset, child.content
        elif tok.type in ("fence", "code_block") and tok.map is not None:
            first = tok.map[0] + (1 if tok.type == "fence" else 0)
            for i, line in enumerate(tok.content.split("\n")):
                yield first + i, line


def undeclared_numbers(markdown: str) -> list[tuple[int, str]]:
    """Numbers shown in ``markdown`` that are neither declared figures nor dates.

    Placeholders ``{{figure_id}}`` are figures; a four-digit year (1900-2099), an
    ISO date, and a day next to a month name ("18 November", "November 18") are
    dates. Digits inside a word or code (M6, E06000009) are not numbers. Anything
    else must be written in words ("three", "twenty-one").

    Args:
        markdown: One part's Markdown.

    Returns:
        ``(line offset within markdown, number as written)`` for each offending number.
    """
    found: list[tuple[int, str]] = []
    for offset, text in _shown_text(_MD.parse(markdown)):
        clean = _ISO_DATE_IN_TEXT.sub(" ", PLACEHOLDER.sub(" ", text))
        for match in _NUMBER.finditer(clean):
            number = match.group(0)
            if _is_date_or_year(number, clean[: match.start()], clean[match.end() :]):
                continue
            found.append((offset, number))
    return found


def _is_date_or_year(number: str, before: str, after: str) -> bool:
    if not number.isdigit():
        return False
    if len(number) == 4 and 1900 <= int(number) <= 2099:
        return True
    if 1 <= int(number) <= 31 and len(number) <= 2:
        return bool(_DAY_BEFORE_MONTH.match(after) or _MONTH_BEFORE_DAY.search(before))
    return False


def _check_numbers(path: Path, part: _Part) -> None:
    for offset, number in undeclared_numbers(part.markdown):
        raise DataError(path, _NUMBER_RULE, line=part.text_line + offset, found=number)


# --- presentation hook ------------------------------------------------------------


def fill_figures(
    markdown: str, figures: pd.DataFrame, formatter: Callable[[pd.Series], str]
) -> str:
    """Replace each ``{{figure_id}}`` by its figure, formatted by ``formatter``.

    Pure: the Markdown is otherwise returned as written (rendering and sanitising
    are the presentation layer's). The formatter's text is inserted as it is.

    Args:
        markdown: A part's Markdown.
        figures: The figures of the same period (columns :data:`FIGURE_COLUMNS`;
            at least ``figure`` and what ``formatter`` reads).
        formatter: Called with one figure's row (``value``, ``qualifier``, ``unit``,
            ``metric``...); returns its text, e.g. ``"nearly 6,000"``.

    Returns:
        The Markdown with every placeholder replaced.

    Raises:
        ValueError: If a placeholder has no figure, or an id appears twice in
            ``figures`` (pass one period's figures).
    """
    if figures["figure"].duplicated().any():
        twice = figures.loc[figures["figure"].duplicated(), "figure"].iloc[0]
        raise ValueError(f"figure '{twice}' appears more than once; pass one period's figures")
    by_id = {row["figure"]: row for _, row in figures.iterrows()}

    def replace(match: re.Match[str]) -> str:
        fid = match.group(1)
        if fid not in by_id:
            raise ValueError(f"no figure '{fid}' for placeholder {match.group(0)}")
        return formatter(by_id[fid])

    return PLACEHOLDER.sub(replace, markdown)
