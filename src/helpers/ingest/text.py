"""Text of an export file: decoding, lines and cells."""

from __future__ import annotations

import bisect
import csv
import re
from pathlib import Path

from helpers.errors import DataError


def decode(data: bytes, path: Path) -> str:
    r"""Decode an export's bytes: UTF-8 (with or without BOM), UTF-16 or Windows-1252.

    Line ends become ``\n``: ``\r\n``, and a lone ``\r`` where the file ends its
    lines that way (old Mac files) or inside a quoted cell (a line break within the
    cell, as the CSV standard reads it).

    Args:
        data: The file's bytes.
        path: The file (for messages).

    Returns:
        The text, without BOM.

    Raises:
        DataError: If the bytes are not text; UTF-16 cut in the middle of a
            character; UTF-8 mixed with Windows-1252 (Latin-1) bytes; or a lone
            carriage return in a cell that is not quoted, which cuts its row in two.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode_utf16(data, path)
    elif data.startswith(b"\xef\xbb\xbf"):
        text = _decode_utf8(data[3:], path, declared=True)
    else:
        text = _decode_utf8(data, path)
    text = text.lstrip("\ufeff")
    if "\x00" in text[:4096]:
        raise DataError(path, "a text (CSV) export or an .xlsx workbook", line=1)
    if "\r" in text:
        text = _line_ends(text, path)
    return text


def _decode_utf16(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode("utf-16", errors="ignore").count("\n") + 1
        what = (
            "UTF-16 text to its end (the file stops in the middle of a character: was "
            "the download cut short? download it again)"
            if "truncated" in exc.reason
            else f"UTF-16 text (a broken character at byte {exc.start:,}: download it again)"
        )
        raise DataError(path, what, line=line) from None


#: One character of UTF-8 written in two to four bytes (not ASCII).
_UTF8_CHARACTER = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def _decode_utf8(data: bytes, path: Path, *, declared: bool = False) -> str:
    """UTF-8, else Windows-1252 when the file holds no UTF-8 at all.

    A file that holds both (``mobilé`` in UTF-8 on one line, ``é`` as the single
    Latin-1 byte on another: lines pasted together from two files) is refused: read
    either way, one of them would come out wrong (``mobilÃ©``). So is a file whose
    BOM declares UTF-8 but which holds other bytes.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if b"\x00" in data[:4096]:
            raise DataError(path, "a text (CSV) export or an .xlsx workbook", line=1) from None
        bad_line = data.count(b"\n", 0, exc.start) + 1
        byte = f"0x{data[exc.start]:02X}"
        utf8 = _UTF8_CHARACTER.search(data)
        if declared or utf8 is not None:
            first = 1 if utf8 is None else data.count(b"\n", 0, utf8.start()) + 1
            where = "the BOM at its start" if declared else f"line {first}"
            raise DataError(
                path,
                f"one text encoding throughout: the file is UTF-8 ({where}) but this line "
                f"holds byte {byte} of another (Latin-1 or Windows-1252); save it again as "
                "UTF-8 or download it again",
                line=bad_line,
            ) from None
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as again:
            raise DataError(
                path,
                f"UTF-8 or Windows-1252 text (byte 0x{data[again.start]:02X} is neither)",
                line=data.count(b"\n", 0, again.start) + 1,
            ) from None


def _line_ends(text: str, path: Path) -> str:
    r"""``\n`` for every line end; a lone ``\r`` outside quotes is refused (see :func:`decode`).

    Raises:
        DataError: Naming the line whose row a lone carriage return cuts in two.
    """
    if "\n" not in text:  # lines ended by \r alone
        return text.replace("\r", "\n")
    text = text.replace("\r\n", "\n")
    if "\r" not in text:
        return text
    quotes = [m.start() for m in re.finditer('"', text)]
    for match in re.finditer("\r", text):
        if bisect.bisect_left(quotes, match.start()) % 2 == 0:  # not inside a quoted cell
            raise DataError(
                path,
                "line breaks only between rows or inside quoted cells: a carriage return "
                "in a cell that is not quoted cuts this row in two (was the file edited? "
                "download it again)",
                line=text.count("\n", 0, match.start()) + 1,
            )
    return text.replace("\r", "\n")


def head_lines(text: str, count: int) -> list[str]:
    """Return the first ``count`` lines of ``text`` (cheap for large texts)."""
    lines: list[str] = []
    start = 0
    while len(lines) < count and start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            if start < len(text):
                lines.append(text[start:])
            break
        lines.append(text[start:end])
        start = end + 1
    return lines


def line_offset(text: str, index: int) -> int:
    """Character offset of the 0-based line ``index`` in ``text``."""
    offset = 0
    for _ in range(index):
        offset = text.index("\n", offset) + 1
    return offset


def split_cells(line: str) -> list[str]:
    """Split one CSV line into cells (quotes honoured), whitespace-trimmed."""
    try:
        row = next(csv.reader([line]), [])
    except csv.Error:
        row = line.split(",")
    return [" ".join(c.replace("\ufeff", "").split()) for c in row]
