"""Errors a person can act on.

A :class:`DataError` names the file, the line and the column of the problem and
what was expected there. The command line prints its message without a traceback,
and so does a notebook: in IPython (JupyterLab, papermill) these errors render as
their one-line message (:meth:`ShortTraceback._render_traceback_`), not a 40-line
traceback with the message at the end.
"""

from __future__ import annotations

import reprlib
import unicodedata
from pathlib import Path

from helpers import config


def printable(text: str) -> str:
    r"""``text`` with every control or format character written as an escape.

    A file name holding a line break or a terminal escape code (``[2K``) is
    shown on one line, as it is spelt, and cannot rewrite what a terminal shows.
    """
    if text.isprintable():
        return text
    return "".join(
        c.encode("unicode_escape").decode("ascii")
        if unicodedata.category(c)[0] in "CZ" and c != " "
        else c
        for c in text
    )


def display_path(path: str | Path) -> str:
    """``path`` relative to the project root when it lies inside it, on one line.

    Control characters in the name are shown escaped (:func:`printable`).
    """
    p = Path(path)
    try:
        shown = p.resolve().relative_to(config.ROOT).as_posix()
    except ValueError:
        shown = p.as_posix()
    return printable(shown)


#: Bounds of a structure (a list, a mapping) quoted in a message.
_QUOTE = reprlib.Repr()
_QUOTE.maxlevel, _QUOTE.maxlist, _QUOTE.maxdict, _QUOTE.maxstring = 2, 4, 4, 40


class ShortTraceback(Exception):
    """An error whose message says everything: IPython shows that line alone."""

    def _render_traceback_(self) -> list[str]:
        """The lines IPython shows for this error instead of its traceback."""
        return [f"\x1b[31m{type(self).__name__}\x1b[0m: {self}"]


#: How much of an offending value a message quotes.
FOUND_CHARS = 40


class DataError(ShortTraceback, ValueError):
    """A raw input that cannot be used as it is.

    Args:
        path: The file at fault.
        expected: What the file should have held, in plain words.
        line: 1-based line number in the file (the header is line 1).
        column: Column name at fault.
        found: The offending value, if there is one to show.
    """

    def __init__(
        self,
        path: str | Path,
        expected: str,
        *,
        line: int | None = None,
        column: str | None = None,
        found: object = None,
    ) -> None:
        self.path = display_path(path)
        self.line = line
        self.column = column
        self.expected = expected
        self.found = found
        where = [self.path]
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column '{column}'")
        message = f"{', '.join(where)}: expected {expected}"
        if found is not None:
            # a structure is quoted within bounds: str() of a YAML "billion laughs"
            # would take minutes and gigabytes
            structured = isinstance(found, list | tuple | dict | set | frozenset)
            shown = _QUOTE.repr(found) if structured else str(found)
            if len(shown) > FOUND_CHARS:
                shown = shown[: FOUND_CHARS - 1] + "…"
            message += f", found {shown!r}"
        super().__init__(printable(message))


class PeriodError(ShortTraceback, ValueError):
    """A reporting period or window that cannot be used."""
