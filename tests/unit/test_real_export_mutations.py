"""Variants of the genuine exports give the same figures, or one clean refusal.

Each variant is something an analyst or a platform change could produce from a file
of the real-exports corpus (read in place, see ``test_real_exports``): its columns
reordered, an unknown column added, a dimension column removed, a value column
renamed to another name the platform uses for it, its rows reversed, a spreadsheet
re-save (``;`` separators or ``D/M/YYYY`` dates), a second comparison range, a
carriage return in a quoted cell, a column its owner appended (``thread_id``), or
two text cells saved in different encodings (UTF-8 and Latin-1). The variant is
written to a temporary folder under the same relative path (so that the ``files``
entries, folder and file names still apply) and read like the original.

A variant passes when it is read to exactly the figures of the original (a
comparison range: the original's figures plus the same figures over the other
range) or refused with one line; different figures, or anything but a
:class:`DataError`, fail. Mixed encodings must be refused, and so must an appended
column wherever the reader declares its platform's columns (all but Google
Analytics, whose custom dimensions and metrics carry any name). Examples are
bounded so that the whole module runs in well under two minutes.
"""

from __future__ import annotations

import csv
import functools
import io
import random
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.errors import DataError
from helpers.ingest.accounts import AccountMap, load_accounts
from helpers.ingest.exports import parse_file
from helpers.ingest.files import load_file
from tests.unit.test_real_exports import CASES, CORPUS, MAPPING, Read

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason=f"the real-exports corpus is not at {CORPUS} (it is kept beside the project)",
)

#: Per corpus folder, names the platform gives the same figure (either way round).
ALIASES: dict[str, list[tuple[str, ...]]] = {
    "ga4": [("Users", "Total users"), ("Views", "Pageviews")],
    "ga_ua": [("Users", "Total users"), ("Pageviews", "Views")],
    "facebook": [
        ("Lifetime Post Total Reach", "post_impressions_unique:lifetime"),
        ("Lifetime Engaged Users", "post_engaged_users:lifetime"),
        ("Lifetime Total Likes", "page_fans:lifetime"),
        ("Daily New Likes", "page_fan_adds:day"),
        ("Daily Total Reach", "page_impressions_unique:day"),
        ("Daily Page Engaged Users", "page_engaged_users:day"),
        ("Lifetime Total Video Views", "post_video_views:lifetime"),
    ],
    "twitter": [("likes", "favorites"), ("Shares", "Share")],
    "meta_business_suite": [("Link Clicks", "Link clicks"), ("Primary", "Facebook reach")],
    "youtube": [],
}
#: The corpus files read (text exports: workbooks keep their preamble in a sheet).
FILES = sorted(r for r, case in CASES.items() if isinstance(case, Read) and r.endswith(".csv"))
#: Days a comparison range is moved back (whole weeks, longer than any file's range).
SHIFT = pd.Timedelta(days=7 * 120)
FIGURES = ["start", "end", "channel", "account", "segment", "metric", "value"]


@dataclass
class Table:
    """A table of a file: the lines above it, its header rows and data rows."""

    comments: list[list[str]]
    header: list[list[str]]
    rows: list[list[str]]


def _model(relpath: str) -> tuple[str, list[Table | list[str]]]:
    """The file's text (commas) cut into tables; blank rows kept as ``[]``."""
    text = load_file(CORPUS / relpath, relpath).text
    rows = list(csv.reader(io.StringIO(text)))
    headers = 2 if Path(relpath).name.startswith("Facebook Insights") else 1
    parts: list[Table | list[str]] = []
    comments: list[list[str]] = []
    table: Table | None = None
    for position, row in enumerate(rows):
        cells = [c for c in row if c.strip()]
        if not cells:
            table = None
            parts.append([])
            continue
        after = rows[position + 1] if position + 1 < len(rows) else []
        is_comment = cells[0].startswith(("#", "sep=")) or (
            len(cells) == 1 and table is None and len([c for c in after if c]) > 1
        )
        if is_comment:
            table = None
            comments.append(row)
        elif table is None or len(table.header) < headers:
            if table is None:
                table = Table(comments, [], [])
                comments = []
                parts.append(table)
            table.header.append(row)
        else:
            table.rows.append(row)
    parts += [c for c in comments]
    return text, parts


def _text(parts: list[Table | list[str]], delimiter: str = ",", line_end: str = "\n") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=line_end)
    for part in parts:
        if isinstance(part, Table):
            writer.writerows(part.comments + part.header + part.rows)
        else:
            writer.writerow(part)
    return out.getvalue()


def _tables(parts) -> list[Table]:
    return [p for p in parts if isinstance(p, Table)]


_FIGURE = re.compile(r"^(?:[-+]?[\d,.]+%?|\d+:\d{2}(?::\d{2})?|Total|)$")


def _figures(cells) -> bool:
    """Whether a column holds figures only (numbers, rates, durations)."""
    return all(_FIGURE.match(c.strip()) for c in cells)


def _columns(table: Table, order: list[int]) -> None:
    """Rebuild every row of ``table`` from the cells at ``order`` (extra cells kept)."""
    width = len(table.header[0])
    for rows in (table.header, table.rows):
        for i, row in enumerate(rows):
            padded = row + [""] * (width - len(row))
            rows[i] = [padded[p] if p >= 0 else "" for p in order] + padded[width:]


# --- the variants ---------------------------------------------------------------------


def reorder(parts, rnd: random.Random) -> bool:
    for table in _tables(parts):
        order = list(range(len(table.header[0])))
        rnd.shuffle(order)
        _columns(table, order)
    return True


def add_column(parts, rnd: random.Random) -> bool:
    numeric = rnd.random() < 0.5
    for table in _tables(parts):
        width = len(table.header[0])
        at = rnd.randrange(width + 1)
        _columns(table, [*range(at), -1, *range(at, width)])
        table.header[0][at] = "Column added"
        for n, row in enumerate(table.rows):
            row[at] = str(n % 7) if numeric else f"note {n % 3}"
    return True


def remove_dimension(parts, rnd: random.Random) -> bool:
    candidates = [
        (table, p)
        for table in _tables(parts)
        for p in range(len(table.header[0]))
        if table.rows and not _figures(r[p] if p < len(r) else "" for r in table.rows)
    ]
    if not candidates:
        return False
    table, gone = rnd.choice(candidates)
    _columns(table, [p for p in range(len(table.header[0])) if p != gone])
    return True


def rename_alias(parts, rnd: random.Random, folder: str) -> bool:
    options = []
    for table in _tables(parts):
        names = table.header[0]
        for group in ALIASES[folder]:
            for p, name in enumerate(names):
                if name in group:
                    options += [(names, p, other) for other in group if other not in names]
    if not options:
        return False
    names, p, other = rnd.choice(options)
    names[p] = other
    return True


def reverse_rows(parts, rnd: random.Random) -> bool:
    for table in _tables(parts):
        table.rows.reverse()
    return True


_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](.*))?$")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2,4})(.*)$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _day_first(cell: str, header: str) -> str:
    """A date cell as a spreadsheet set to a day-first locale writes it again."""
    match = _ISO.match(cell)
    if match:
        y, m, d, rest = match.groups()
        return f"{int(d)}/{int(m)}/{y}" + (f" {rest}" if rest else "")
    match = _US.match(cell)
    if match:
        m, d, y, rest = match.groups()
        return f"{d}/{m}/{y}{rest}"
    match = _COMPACT.match(cell)
    if match and header.lower() in ("date", "day"):
        y, m, d = match.groups()
        return f"{int(d)}/{int(m)}/{y}"
    return cell


def resave(parts, rnd: random.Random) -> bool:
    if rnd.random() < 0.5:
        parts.append(Writing(delimiter=";"))  # read by _variant
        return True
    for table in _tables(parts):
        names = table.header[0]
        for row in table.rows:
            for p, cell in enumerate(row):
                row[p] = _day_first(cell, names[p] if p < len(names) else "")
    return True


_RANGE_LINE = re.compile(r"^#\s*(Start|End) date:\s*(\d{8})\s*$")


def comparison(parts, rnd: random.Random) -> bool:
    """Every table again, after the others, over a range :data:`SHIFT` earlier."""
    tables = _tables(parts)
    if not any(_RANGE_LINE.match(",".join(c).strip(",")) for t in tables for c in t.comments):
        return False
    copies: list[Table | list[str]] = []
    current: dict[str, str] = {}
    for table in tables:
        for line in table.comments:
            match = _RANGE_LINE.match(",".join(line).strip(","))
            if match:
                current[match.group(1)] = match.group(2)
        moved = {
            k: (pd.Timestamp(v) - SHIFT).strftime("%Y%m%d") for k, v in sorted(current.items())
        }
        names = table.header[0]
        rows = [
            [
                (pd.Timestamp(c) - SHIFT).strftime("%Y%m%d")
                if p < len(names) and names[p].lower() == "date" and _COMPACT.match(c)
                else c
                for p, c in enumerate(row)
            ]
            for row in table.rows
        ]
        comments = [[f"# {k} date: {v}"] for k, v in reversed(moved.items())]
        copies += [[], Table(comments, [list(h) for h in table.header], rows)]
    parts += copies
    return True


@dataclass
class Writing:
    """How a variant is written (a marker at the end of its parts; default: as read).

    Attributes:
        delimiter: The cell separator.
        line_end: What ends each row (``\r\n`` quotes every cell holding a ``\r``).
        latin1: Text written in Latin-1 where it stands (the rest in UTF-8).
    """

    delimiter: str = ","
    line_end: str = "\n"
    latin1: list[str] = field(default_factory=list)


_YEAR = re.compile(r"(?:19|20)\d\d|\d[-/]\d")


def _text_cells(parts) -> list[tuple[Table, int, int]]:
    """Cells of words in the tables' rows (no figures, dates or ids)."""
    return [
        (table, r, p)
        for table in _tables(parts)
        for r, row in enumerate(table.rows)
        for p, cell in enumerate(row)
        if sum(c.isalpha() for c in cell) >= 3 and not _YEAR.search(cell) and not _figures([cell])
    ]


def carriage_return(parts, rnd: random.Random) -> bool:
    """A ``\r`` at the start or end of a cell of words, the cell quoted as it must be."""
    cells = _text_cells(parts)
    if not cells:
        return False
    table, r, p = rnd.choice(cells)
    cell = table.rows[r][p]
    table.rows[r][p] = f"\r{cell}" if rnd.random() < 0.5 else f"{cell}\r"
    parts.append(Writing(line_end="\r\n"))
    return True


def appended_column(parts, rnd: random.Random) -> bool:
    """Columns a person or script added at the end of every table (``thread_id``)."""
    name = rnd.choice(["is_thread_start", "thread_id", "row_number", "owner_note"])
    for table in _tables(parts):
        width = len(table.header[0])
        _columns(table, [*range(width), -1])
        table.header[0][width] = name
        for n, row in enumerate(table.rows):
            row[width] = str(n % 2) if name != "owner_note" else f"checked {n % 3}"
    return True


def mixed_encodings(parts, rnd: random.Random) -> bool:
    """A word with an accent added to two cells, one saved as UTF-8 and one as Latin-1."""
    cells = _text_cells(parts)
    if len({(id(t), r) for t, r, _ in cells}) < 2:
        return False
    first = rnd.choice(cells)
    second = rnd.choice([c for c in cells if (id(c[0]), c[1]) != (id(first[0]), first[1])])
    for (table, r, p), word in ((first, "Sécurité"), (second, "Défense")):
        table.rows[r][p] = f"{table.rows[r][p]} {word}"
    parts.append(Writing(latin1=["Défense"]))
    return True


VARIANTS = {
    "columns reordered": reorder,
    "unknown column added": add_column,
    "dimension column removed": remove_dimension,
    "value column renamed to an alias": rename_alias,
    "rows reversed": reverse_rows,
    "spreadsheet re-save": resave,
    "second comparison range": comparison,
    "carriage return in a quoted cell": carriage_return,
    "column appended by its owner": appended_column,
    "mixed encodings": mixed_encodings,
}
#: Variants that must be refused (by the readers named, or all), never read.
REFUSED = {
    "mixed encodings": ("",),
    "column appended by its owner": ("twitter/", "youtube/", "meta_business_suite/", "facebook/"),
}


# --- reading ---------------------------------------------------------------------------


@functools.cache
def _mapping() -> AccountMap:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "accounts.yml"
        path.write_text(MAPPING)
        return load_accounts(path)


def _read(path: Path, relpath: str) -> pd.DataFrame:
    rows = parse_file(path, relpath, _mapping()).rows
    frame = rows[FIGURES].copy()
    frame["segment"] = frame["segment"].fillna("")
    return frame.sort_values(FIGURES).reset_index(drop=True)


@functools.cache
def _original(relpath: str) -> pd.DataFrame:
    return _read(CORPUS / relpath, relpath)


def _mutate(kind: str, relpath: str, parts, seed: int) -> bool:
    if kind == "value column renamed to an alias":
        return rename_alias(parts, random.Random(seed), relpath.split("/")[0])
    return VARIANTS[kind](parts, random.Random(seed))


@functools.cache
def _applies(kind: str, relpath: str) -> bool:
    _, parts = _model(relpath)
    return _mutate(kind, relpath, parts, 0)


def _variant(kind: str, relpath: str, seed: int) -> pd.DataFrame | DataError:
    _, parts = _model(relpath)
    _mutate(kind, relpath, parts, seed)
    writing = parts.pop() if parts and isinstance(parts[-1], Writing) else Writing()
    if writing.delimiter == ";":
        parts = [p for p in parts if not (isinstance(p, list) and p[:1] == ["sep="])]
        for table in _tables(parts):
            table.comments = [c for c in table.comments if not c[0].startswith("sep=")]
    text = _text(parts, writing.delimiter, writing.line_end)
    data = b""
    for word in writing.latin1:
        before, _, text = text.partition(word)
        data += before.encode("utf-8") + word.encode("latin-1")
    data += text.encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / relpath
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
        try:
            return _read(path, relpath)
        except DataError as error:
            return error


def _same(got: pd.DataFrame, want: pd.DataFrame, what: str) -> None:
    assert len(got) == len(want), f"{what}: {len(got)} figures instead of {len(want)}"
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-9, obj=what)


def _check(kind: str, relpath: str, seed: int) -> None:
    got = _variant(kind, relpath, seed)
    if isinstance(got, DataError):
        message = str(got)
        assert "\n" not in message and len(message) < 400, message
        return
    if relpath.startswith(REFUSED.get(kind, ("/",))):
        pytest.fail(f"{kind} (seed {seed}) of {relpath} was read; it must be refused")
    want = _original(relpath)
    what = f"{kind} (seed {seed}) of {relpath}"
    if kind != "second comparison range":
        _same(got, want, what)
        return
    earlier = want.assign(start=want["start"] - SHIFT, end=want["end"] - SHIFT)
    both = pd.concat([want, earlier]).sort_values(FIGURES).reset_index(drop=True)
    _same(got, both, what)


@pytest.mark.slow  # 15 variants of each kind, each read in full: make test, not make check
@pytest.mark.parametrize("kind", sorted(VARIANTS))
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_a_variant_gives_the_same_figures_or_one_refusal(kind, data):
    files = [f for f in FILES if _applies(kind, f)]
    relpath = data.draw(st.sampled_from(files), label="file")
    seed = data.draw(st.integers(0, 2**16), label="seed")
    _check(kind, relpath, seed)


@pytest.mark.parametrize(
    ("kind", "relpath"),
    [
        ("dimension column removed", "ga4/ryanpate-myrecoverypal/Reports_snapshot.csv"),
        ("dimension column removed", "youtube/CodingTrain-Happy-New-Year-2022/Chart data.csv"),
        ("columns reordered", "ga4/Anas3rdshade-Teefusion/Events_Event_name.csv"),
        ("unknown column added", "youtube/CodingTrain-Happy-New-Year-2022/Totals.csv"),
        (
            "rows reversed",
            "ga4/DanielTheC-internal-lnking-tool/"
            "Pages_and_screens_Page_path_and_screen_class (1).csv",
        ),
    ],
)
def test_the_variants_that_misread_before(kind, relpath):
    """Variants the readers once turned into other figures (kept as fixed examples)."""
    for seed in range(3):
        _check(kind, relpath, seed)
