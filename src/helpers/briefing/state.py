"""The state a run keeps: its settings, and each period while its notebooks run."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from helpers.briefing.plan import Request

if TYPE_CHECKING:
    from helpers.briefing.fingerprint import Fingerprint
    from helpers.briefing.ownership import StagingLock

#: Where partly executed notebooks of a failed period are kept (``outputs/.failed/``).
FAILED_DIR = ".failed"
#: The kernels' logs inside a staging folder (removed before publishing).
LOGS_DIR = ".kernel-logs"
#: The output format every run publishes; others (``pdf``) are asked for.
HTML = "html"


@dataclass(frozen=True)
class Settings:
    """How notebooks are run and what is published.

    Attributes:
        out_dir: Folder holding ``<period>/`` folders.
        kernel_name: Jupyter kernel to execute with.
        timeout: Seconds a cell may run (None: no limit).
        console: Where progress is printed.
        force: Rebuild periods whose inputs have not changed.
        formats: The publishers to run (:data:`helpers.briefing.publish.PUBLISHERS`);
            ``html`` always, ``pdf`` for the board paper.
        drop_pdf: Do not keep a published ``briefing.pdf`` when a period is rebuilt
            without the ``pdf`` publisher.
    """

    out_dir: Path
    kernel_name: str
    timeout: float | None
    console: Console
    force: bool = False
    formats: tuple[str, ...] = (HTML,)
    drop_pdf: bool = False


@dataclass(frozen=True)
class NotebookResult:
    """What one executed notebook contributed.

    Attributes:
        name: The page's notebook name.
        seconds: How long it ran.
        headlines: Headline records (channel pages).
        quality: Stated-figure checks (the data-quality page).
        overview: The overview's key points and paper facts (the overview page).
    """

    name: str
    seconds: float
    headlines: list[dict[str, Any]] = field(default_factory=list)
    quality: list[dict[str, Any]] = field(default_factory=list)
    overview: dict[str, Any] = field(default_factory=dict)


@dataclass
class PeriodBuild:
    """The state of one period while its notebooks run."""

    request: Request
    staging: Path
    started: str
    cancelled: threading.Event = field(default_factory=threading.Event)
    results: dict[str, NotebookResult] = field(default_factory=dict)
    failures: list[BaseException] = field(default_factory=list)
    pending: set[Future] = field(default_factory=set)
    #: The pages still to run after the ones running now, stage by stage.
    stages: list[tuple[str, ...]] = field(default_factory=list)
    #: The pages of the stage running now.
    running: tuple[str, ...] = ()
    #: What the period's briefings depend on, stored in its manifest.
    fingerprint: Fingerprint | None = None
    #: The lock that tells later runs the staging folder is in use.
    lock: StagingLock | None = None

    @property
    def period(self) -> str:
        """The period being built."""
        return self.request.period

    @property
    def headlines(self) -> list[dict[str, Any]]:
        """The headline records of the channel pages run so far, in page order."""
        return [
            r
            for name in self.request.channels
            if name in self.results
            for r in self.results[name].headlines
        ]


def now() -> str:
    """The time now, ISO 8601 with the local offset, to the second."""
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
