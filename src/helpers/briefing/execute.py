"""Execute one briefing notebook with papermill and describe a failure precisely.

While a run has a pool of warm kernels open (:func:`helpers.briefing.kernels.kernel_pool`),
each call borrows one of them, reset to a fresh state; otherwise it starts its own
kernel process. Either way several notebooks can run at once from a thread pool,
and the kernel's working directory is the notebook's folder (or ``cwd``).
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

# nbformat validates notebooks with jsonschema, whose optional IRI format checker
# (rfc3987_syntax) compiles a grammar for 2-3 s at import. Notebook schemas use no
# IRI formats, so the runner process skips that checker; nothing else changes.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

import nbformat  # noqa: E402
import papermill  # noqa: E402
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel  # noqa: E402
from jupyter_client.manager import AsyncKernelManager  # noqa: E402
from papermill.clientwrap import PapermillNotebookClient  # noqa: E402
from papermill.engines import (  # noqa: E402
    NBClientEngine,
    NotebookExecutionManager,
    papermill_engines,
)
from papermill.exceptions import PapermillExecutionError  # noqa: E402
from papermill.log import logger as papermill_logger  # noqa: E402
from papermill.utils import merge_kwargs, remove_args  # noqa: E402

from helpers import config  # noqa: E402
from helpers.briefing import kernels  # noqa: E402
from helpers.briefing.errors import RunError  # noqa: E402
from helpers.briefing.kernels import stop_running_kernels  # noqa: E402
from helpers.errors import display_path  # noqa: E402

__all__ = [
    "ENGINE",
    "NotebookFailed",
    "NotebookJob",
    "check_kernel",
    "execute_notebook",
    "stop_running_kernels",
]


class NotebookFailed(RunError):
    """A notebook stopped with an error; the partly executed copy is kept.

    Args:
        notebook: Notebook name (``social``).
        period: The period being built.
        cell: 0-based index of the failing cell in the executed notebook, if known.
        first_line: First line of the failing cell's source.
        error: ``ename: evalue`` of the error.
        partial: Where the partly executed notebook is, if it was written.
        log: The kernel's own messages (stderr), if any were written.
    """

    def __init__(
        self,
        notebook: str,
        period: str,
        cell: int | None,
        first_line: str,
        error: str,
        partial: Path | None,
        log: Path | None = None,
    ) -> None:
        self.log = log
        self.notebook = notebook
        self.period = period
        self.cell = cell
        self.first_line = first_line
        self.error = error
        self.partial = partial
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"cell {self.cell}" if self.cell is not None else "an unknown cell"
        if self.first_line:
            where += f" ({self.first_line})"
        text = f"notebook {self.notebook}.ipynb failed for {self.period} in {where}: {self.error}"
        if self.partial is not None:
            text += f"\n  partly executed notebook: {display_path(self.partial)}"
        if self.log is not None:
            text += f"\n  kernel messages: {display_path(self.log)}"
        return text


@dataclass(frozen=True)
class NotebookJob:
    """One notebook to execute for one period.

    Attributes:
        name: Briefing name (``social``).
        period: The reporting month.
        source: The notebook to run.
        output: Where the executed notebook is written.
        parameters: Values injected after the ``parameters`` cell.
        kernel_log: Where the kernel's stderr goes (None: the runner's stderr).
    """

    name: str
    period: str
    source: Path
    output: Path
    parameters: dict[str, str | None]
    kernel_log: Path | None = None


# papermill logs at INFO/WARNING what the runner reports itself (and a harmless
# warning when it cannot parse a comment in a parameters cell); keep errors only.
logging.getLogger("papermill").setLevel(logging.ERROR)

# The kernel log file of the notebook the current thread is running (nbclient
# starts the kernel on the calling thread's event loop).
_THREAD = threading.local()


class TrackedKernelManager(AsyncKernelManager):
    """A kernel manager that registers its kernel so the runner can stop it.

    Kernels start in their own process session, so Ctrl-C in a terminal does not
    reach them; :func:`stop_running_kernels` ends them when a run is interrupted.
    """

    async def start_kernel(self, **kw: object) -> None:  # type: ignore[override]
        """Start the kernel (its stderr to this thread's kernel log) and register it."""
        log = getattr(_THREAD, "kernel_log", None)
        if log is not None:
            kw.setdefault("stderr", log)
        await super().start_kernel(**kw)
        kernels.track(self)


#: Seconds between saves of the executing notebook while its cells run.
SAVE_EVERY_S = 3.0


class ThrottledSaves(NotebookExecutionManager):
    """papermill's execution manager, saving at most every few seconds while cells run.

    papermill writes the whole notebook (charts included) before and after every
    cell; a briefing notebook has dozens of cells, so most of those writes are of
    a file that is about to change again. This keeps one every
    :data:`SAVE_EVERY_S` seconds, so a stopped run still leaves a recent partial
    notebook, and always saves at the end (also when the kernel died).
    """

    def save(self, **kwargs: object) -> None:
        """Save, unless the last save was moments ago and the notebook is not done."""
        last = getattr(self, "last_save_time", None)
        recent = last is not None and (self.now() - last).total_seconds() < SAVE_EVERY_S
        if self.end_time is None and recent:
            return
        super().save(**kwargs)


class BorrowedKernelClient(PapermillNotebookClient):
    """papermill's notebook client; it also closes its channels to a kernel it did not start.

    Given a kernel manager (``km=``, a warm kernel), nbclient leaves both the kernel
    and its client connection open; the kernel goes back to its pool, the
    connection is closed here.
    """

    def execute(self, **kwargs: object) -> nbformat.NotebookNode:
        """Execute the notebook, then close the connection to a borrowed kernel."""
        try:
            return super().execute(**kwargs)
        finally:
            if not self.owns_km and self.kc is not None:
                self.kc.stop_channels()
                self.kc = None


class BriefingEngine(NBClientEngine):
    """papermill's nbclient engine with :class:`ThrottledSaves` and borrowed kernels."""

    @classmethod
    def execute_managed_notebook(  # type: ignore[override]
        cls,
        nb_man: NotebookExecutionManager,
        kernel_name: str,
        log_output: bool = False,
        stdout_file: object = None,
        stderr_file: object = None,
        start_timeout: int = 60,
        execution_timeout: float | None = None,
        **kwargs: object,
    ) -> nbformat.NotebookNode:
        """Execute as papermill's nbclient engine does, with :class:`BorrowedKernelClient`."""
        kwargs = remove_args(["input_path"], **kwargs)
        safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
        final_kwargs = merge_kwargs(
            safe_kwargs,
            timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=papermill_logger,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        return BorrowedKernelClient(nb_man, **final_kwargs).execute()

    @classmethod
    def execute_notebook(  # type: ignore[override]
        cls,
        nb: nbformat.NotebookNode,
        kernel_name: str,
        output_path: str | None = None,
        progress_bar: bool = True,
        log_output: bool = False,
        autosave_cell_every: int = 30,
        **kwargs: object,
    ) -> nbformat.NotebookNode:
        """Execute ``nb`` as papermill's engine does, with throttled saves."""
        manager = ThrottledSaves(
            nb,
            output_path=output_path,
            progress_bar=progress_bar,
            log_output=log_output,
            autosave_cell_every=autosave_cell_every,
        )
        manager.notebook_start()
        try:
            cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
        finally:
            manager.cleanup_pbar()
            manager.notebook_complete()
        return manager.nb


ENGINE = "engagement-briefings"
papermill_engines.register(ENGINE, BriefingEngine)


def check_kernel(kernel_name: str = config.KERNEL_NAME) -> None:
    """Refuse to start when the project's Jupyter kernel is not installed.

    Args:
        kernel_name: The kernel spec name.

    Raises:
        RunError: If no kernel spec of that name exists.
    """
    try:
        KernelSpecManager().get_kernel_spec(kernel_name)
    except NoSuchKernel:
        raise RunError(
            f"the Jupyter kernel {kernel_name!r} is not installed; run `make setup` "
            f"(or: python -m ipykernel install --sys-prefix --name {kernel_name})"
        ) from None


def _first_line(source: str) -> str:
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    return lines[0] if lines else ""


def _running_cell(path: Path) -> tuple[int | None, str]:
    """Find the cell that was executing when a partly saved notebook stopped.

    papermill marks it ``running``, or, once it tidies up after an interruption,
    it is the last cell with a start time.
    """
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # not written yet, or written half-way
        return None, ""
    started = [
        (index, cell)
        for index, cell in enumerate(nb.cells)
        if cell.get("metadata", {}).get("papermill", {}).get("start_time")
        or cell.get("metadata", {}).get("papermill", {}).get("status") == "running"
    ]
    if not started:
        return None, ""
    index, cell = started[-1]
    return index, _first_line(cell.source)


#: What nbclient says when a kernel exits before it answers at all (for instance when
#: kernels started at the same moment raced for the same ports).
_NEVER_STARTED = "Kernel died before replying to kernel_info"


def _execute_once_more_if_the_kernel_never_started(*args: object, **kwargs: object) -> object:
    """Papermill's ``execute_notebook``, tried a second time if the kernel never started.

    A kernel that dies before its first reply has run no cell, so trying again
    repeats nothing; any other failure is raised at once.
    """
    try:
        return papermill.execute_notebook(*args, **kwargs)
    except RuntimeError as exc:
        if _NEVER_STARTED not in str(exc):
            raise
        logging.getLogger(__name__).warning("kernel did not start; starting another")
        return papermill.execute_notebook(*args, **kwargs)


def execute_notebook(
    job: NotebookJob,
    *,
    kernel_name: str = config.KERNEL_NAME,
    timeout: float | None = None,
    cwd: Path | None = None,
) -> tuple[nbformat.NotebookNode, float]:
    """Execute ``job.source`` with its parameters into ``job.output``.

    Args:
        job: The notebook and parameters.
        kernel_name: Jupyter kernel to run it with.
        timeout: Seconds one cell may run (None: no limit).
        cwd: Working directory of the kernel (default: the notebook's folder).

    Returns:
        The executed notebook and the seconds it took.

    Raises:
        NotebookFailed: If a cell raised, timed out, or the kernel died.
    """
    pool = kernels.active_pool(kernel_name)
    began = time.perf_counter()
    try:
        if pool is None:
            nb = _execute_in_own_kernel(job, kernel_name, timeout, cwd)
        else:
            nb = _execute_in_warm_kernel(pool, job, kernel_name, timeout, cwd)
    except PapermillExecutionError as exc:
        partial = job.output if job.output.exists() else None
        raise NotebookFailed(
            job.name,
            job.period,
            exc.cell_index,
            _first_line(exc.source),
            f"{exc.ename}: {exc.evalue}".rstrip(": "),
            partial,
        ) from None
    except Exception as exc:  # timeout, dead kernel, unreadable notebook...
        cell, first = _running_cell(job.output)
        partial = job.output if job.output.exists() else None
        message = f"{type(exc).__name__}: {exc}".strip()
        if type(exc).__name__ == "CellTimeoutError" and timeout:
            message = f"the cell ran longer than the {timeout:g} s limit"
        raise NotebookFailed(
            job.name, job.period, cell, first, message.splitlines()[0], partial, job.kernel_log
        ) from None
    return nb, time.perf_counter() - began


def _papermill_options(
    job: NotebookJob, kernel_name: str, timeout: float | None, cwd: Path | None
) -> dict[str, object]:
    return {
        "parameters": dict(job.parameters),
        "kernel_name": kernel_name,
        "engine_name": ENGINE,
        "progress_bar": False,
        "log_output": False,
        "execution_timeout": timeout,
        # The kernel's working directory. papermill's own ``cwd=`` would call
        # os.chdir(), which is process-wide and races between the threads that
        # run notebooks side by side; nbclient starts the kernel in this folder
        # without touching the runner's own working directory.
        "resources": {"metadata": {"path": str(cwd or job.source.parent)}},
    }


def _execute_in_own_kernel(
    job: NotebookJob, kernel_name: str, timeout: float | None, cwd: Path | None
) -> nbformat.NotebookNode:
    """Execute in a kernel started for this notebook (its stderr to the job's log)."""
    log = job.kernel_log.open("wb") if job.kernel_log else None
    _THREAD.kernel_log = log
    try:
        return _execute_once_more_if_the_kernel_never_started(
            str(job.source),
            str(job.output),
            kernel_manager_class=TrackedKernelManager,
            **_papermill_options(job, kernel_name, timeout, cwd),
        )
    finally:
        _THREAD.kernel_log = None
        if log is not None:
            log.close()


def _execute_in_warm_kernel(
    pool: kernels.KernelPool,
    job: NotebookJob,
    kernel_name: str,
    timeout: float | None,
    cwd: Path | None,
) -> nbformat.NotebookNode:
    """Execute in a kernel of the run's pool, reset first; a cell error keeps the kernel.

    A timeout, a dead kernel or anything else but an error raised by a cell
    discards the kernel (the pool starts another).
    """
    workdir = cwd or job.source.parent
    with pool.lend(workdir, job.kernel_log, keep=(PapermillExecutionError,)) as kernel:
        return papermill.execute_notebook(
            str(job.source),
            str(job.output),
            km=kernel.manager,
            **_papermill_options(job, kernel_name, timeout, cwd),
        )
