"""Run the briefing notebooks for a period and publish ``outputs/<period>/``.

The runner (:mod:`.runner`) checks the request before any kernel starts
(:mod:`.plan`), executes every page's notebook with papermill, channel pages side by
side and then the data-quality and overview pages (:mod:`.build`, :mod:`.execute`),
hands each to the publishers (:mod:`.publish`: offline HTML through :mod:`.render`,
the board paper through :mod:`.pdf`), writes the manifest (:mod:`.manifest`), and swaps
the finished folder into place only when everything succeeded.

Importing this package is cheap: the runner (papermill, nbconvert) is loaded only
when :func:`run_period` or :func:`run_all` is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from helpers.briefing.errors import ParameterError, RunError

if TYPE_CHECKING:
    from helpers.briefing.runner import run_all, run_period

__all__ = ["ParameterError", "RunError", "run_all", "run_period"]


def __getattr__(name: str) -> Any:
    if name in {"run_period", "run_all"}:
        from helpers.briefing import runner

        return getattr(runner, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
