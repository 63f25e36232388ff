"""Text of an export file: decoding, lines and cells."""

from __future__ import annotations

import csv
from pathlib import Path

from helpers.errors import DataError


def decode(data: bytes, path: Path) -> str:
    r"""Decode an export's bytes: UTF-8 (with or without BOM), UTF-16 or Windows-1252.

    Args:
        data: The file's bytes.
        path: The file (for messages).

    Returns:
        The text, without BOM, with ``\r\n`` line ends turned into ``\n``.

    Raises:
        DataError: If the bytes are not text.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    elif data.startswith(b"\xef\xbb\xbf"):
        text = _decode_utf8(data[3:], path)
    else:
        text = _decode_utf8(data, path)
    text = text.lstrip("\ufeff")
    if "\x00" in text[:4096]:
        raise DataError(path, "a text (CSV) export or an .xlsx workbook", line=1)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _decode_utf8(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if b"\x00" in data[:4096]:
            raise DataError(path, "a text (CSV) export or an .xlsx workbook", line=1) from None
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise DataError(
                path, f"UTF-8 or Windows-1252 text (undecodable byte at offset {exc.start})"
            ) from None


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
