"""Export files: finding them under the exports folder, loading one as text.

A CSV file is decoded; an Excel workbook's data sheets are converted to CSV.
"""

from __future__ import annotations

import io
from pathlib import Path

from helpers.errors import DataError
from helpers.ingest.common import ExportFile
from helpers.ingest.text import decode

#: Files in the exports folder that are not exports.
IGNORED_SUFFIXES = frozenset({".md", ".yml", ".yaml", ".txt"})
WORKBOOK_SHEETS = ("Dataset1", "Key Metrics")
#: Most bytes a workbook's parts may hold once unzipped: a "zip bomb" (a few MB that
#: expand to GB) is refused before it is opened. Python's zip reader stops each part
#: at its stated size, so the stated sizes bound what is read.
MAX_WORKBOOK_BYTES = 512 * 1024**2


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

    _check_unzipped_size(path, content)
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


def _check_unzipped_size(path: Path, content: bytes) -> None:
    """Refuse a workbook whose parts would unzip to more than :data:`MAX_WORKBOOK_BYTES`."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            size = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DataError(path, "a readable .xlsx workbook") from None
    if size > MAX_WORKBOOK_BYTES:
        raise DataError(
            path,
            f"a workbook of at most {MAX_WORKBOOK_BYTES // 1024**2:,} MB once unzipped "
            f"(this one would take {size / 1024**2:,.0f} MB)",
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
    return str(value).replace("\r\n", "\n").replace("\r", "\n")  # quoted when written
