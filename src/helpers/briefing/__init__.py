"""Run the briefing notebooks for a period and publish ``outputs/<period>/``.

The runner checks the request before any kernel starts (:mod:`.plan`), executes
the notebooks of a period concurrently with papermill (:mod:`.execute`), converts
them in-process to offline HTML (:mod:`.render`), writes the index page
(:mod:`.index`) and the manifest (:mod:`.manifest`), and swaps the finished folder
into place only when everything succeeded (:mod:`.runner`).

Importing this package is cheap: the runner (papermill, nbconvert) is loaded only
when :func:`run_period` or :func:`run_all` is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from helpers.briefing.errors import ParameterError, RunError

if TYPE_CHECKING:
    from helpers.briefing.runner import run_all, run_period

#: MIME type of a notebook's data-quality bundle: ``{"records": [{check, stated,
#: computed, difference, status, ...}]}``; collected into ``quality.json``.
QUALITY_MIME = "application/vnd.engagement-briefings.quality+json"

__all__ = ["QUALITY_MIME", "ParameterError", "RunError", "run_all", "run_period"]


def __getattr__(name: str) -> Any:
    if name in {"run_period", "run_all"}:
        from helpers.briefing import runner

        return getattr(runner, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
