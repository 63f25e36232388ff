"""Errors a person can act on.

A :class:`DataError` names the file, the line and the column of the problem and
what was expected there. The command line prints its message without a traceback,
and so does a notebook: in IPython (JupyterLab, papermill) these errors render as
their one-line message (:meth:`ShortTraceback._render_traceback_`), not a 40-line
traceback with the message at the end.
"""

from __future__ import annotations

from pathlib import Path

from helpers import config


def display_path(path: str | Path) -> str:
    """Return ``path`` relative to the project root when it lies inside it."""
    p = Path(path)
    try:
        return p.resolve().relative_to(config.ROOT).as_posix()
    except ValueError:
        return p.as_posix()


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
            shown = str(found)
            if len(shown) > FOUND_CHARS:
                shown = shown[: FOUND_CHARS - 1] + "…"
            message += f", found {shown!r}"
        super().__init__(message)


class PeriodError(ShortTraceback, ValueError):
    """A reporting period or window that cannot be used."""
