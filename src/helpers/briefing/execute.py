"""Execute the briefing notebooks with papermill, in warm kernels.

Starting a kernel and importing pandas, matplotlib and the project's helpers take
most of the time of a short briefing notebook. A run therefore starts its kernels
ahead (:class:`KernelPool`, as many as notebooks run at once); each loads those
imports once (:func:`helpers.briefing.kernel_state.preload`) and then runs notebook
after notebook. :func:`execute_notebook` runs one with ``papermill.execute_notebook``,
handing it a kernel of the pool as a started kernel manager (``km=``, which papermill
passes to nbclient), after putting that kernel back into the state a fresh one has
(:func:`helpers.briefing.kernel_state.fresh_state`).

A kernel whose notebook stopped with an error in a cell is reused. One that died,
ran over the time limit or could not be reset is killed and another is started in
its place. Closing the pool kills its kernels, so no kernel outlives the run.
Kernels start in their own process session, so Ctrl-C in a terminal does not reach
them; the runner closes the pool when it stops.

nbformat and papermill take about two seconds to import; they are loaded by the
first notebook to run, in a worker, while the kernels warm up.
"""

from __future__ import annotations

import contextlib
import queue
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from jupyter_client.manager import KernelManager

from helpers import config
from helpers.briefing.run_errors import RunError
from helpers.errors import display_path

if TYPE_CHECKING:
    import nbformat

__all__ = [
    "KernelPool",
    "NotebookFailed",
    "NotebookJob",
    "check_kernel",
    "execute_notebook",
    "kernel_pool",
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
        kernel_log: Where the kernel's messages during this notebook are copied.
    """

    name: str
    period: str
    source: Path
    output: Path
    parameters: dict[str, Any]
    kernel_log: Path | None = None


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
    check_runtime_dir()


def check_runtime_dir() -> None:
    """Refuse to start when Jupyter cannot write its runtime folder (a read-only HOME).

    Every kernel writes its connection file (and, here, its sockets) there; without
    it each notebook would fail on its own with the same error.

    Raises:
        RunError: In one line, naming the folder and what to set.
    """
    from jupyter_core.paths import jupyter_runtime_dir

    runtime = Path(jupyter_runtime_dir())
    try:
        runtime.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=runtime, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise RunError(
            f"Jupyter cannot write its runtime folder {display_path(runtime)} "
            f"({exc.strerror or exc}), so no kernel can start: set HOME to a writable "
            "folder (or JUPYTER_RUNTIME_DIR to one) and run again"
        ) from None


# --- the pool ------------------------------------------------------------------------------------

#: Runs in the kernel without defining a name in the notebook's namespace.
_IN_KERNEL = "__import__('helpers.briefing.kernel_state', fromlist=['_']).{call}"


class KernelLost(RuntimeError):
    """A warm kernel died or stopped answering."""


class KernelCodeFailed(RuntimeError):
    """Code the pool ran in a kernel (preload, reset) raised an error."""


class PooledKernelManager(KernelManager):
    """A kernel manager of the pool; it closes the connections papermill opened to its kernel.

    The manager is the blocking kind, so any thread may start, check or stop its
    kernel; the clients it makes (``km.client()``, which nbclient calls) are
    asynchronous, as nbclient needs. nbclient leaves the client of a kernel it did
    not start open; :meth:`close_clients` closes it when the notebook is done.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("client_class", "jupyter_client.asynchronous.AsyncKernelClient")
        super().__init__(**kwargs)
        self.clients: list[Any] = []

    def client(self, **kwargs: Any) -> Any:
        """A client of the kernel (remembered, to be closed by :meth:`close_clients`)."""
        made = super().client(**kwargs)
        self.clients.append(made)
        return made

    def close_clients(self) -> None:
        """Close the connections of every client made so far."""
        while self.clients:
            with contextlib.suppress(Exception):
                self.clients.pop().stop_channels()


@dataclass
class WarmKernel:
    """One kernel of the pool.

    Attributes:
        manager: Its kernel manager (what papermill is given as ``km``).
        client: The pool's own client (shell channel only), for preload and reset.
        log: The file the kernel's stderr goes to.
        notebooks: How many notebooks it has been given.
        log_offset: Where the log of its current notebook starts.
    """

    manager: PooledKernelManager
    client: BlockingKernelClient
    log: Path
    notebooks: int = 0
    log_offset: int = 0

    def run(self, code: str, timeout: float, closed: threading.Event) -> None:
        """Run ``code`` silently and wait for the kernel's reply to it.

        Raises:
            KernelLost: If the kernel died, did not reply in time, or the pool was
                closed meanwhile.
            KernelCodeFailed: If the code raised.
        """
        msg_id = self.client.execute(code, silent=True, store_history=False, allow_stdin=False)
        deadline = time.monotonic() + timeout
        while True:
            try:
                reply = self.client.get_shell_msg(timeout=0.5)
            except queue.Empty:
                if closed.is_set():
                    raise KernelLost("the run is ending") from None
                if not self.manager.is_alive():
                    raise KernelLost("the kernel died") from None
                if time.monotonic() > deadline:
                    raise KernelLost(f"the kernel did not answer in {timeout:g} s") from None
                continue
            if reply.get("parent_header", {}).get("msg_id") != msg_id:
                continue  # the reply to the preload, sent when the kernel started
            content = reply["content"]
            if content.get("status") != "ok":
                raise KernelCodeFailed(f"{content.get('ename')}: {content.get('evalue')}")
            return

    def copy_log(self, target: Path) -> None:
        """Write what the kernel logged during its current notebook to ``target``."""
        with contextlib.suppress(OSError), self.log.open("rb") as source:
            source.seek(self.log_offset)
            target.write_bytes(source.read())

    def shutdown(self) -> None:
        """Kill the kernel, close every connection to it and remove its connection file."""
        self.manager.close_clients()
        with contextlib.suppress(Exception):
            self.client.stop_channels()
        with contextlib.suppress(Exception):
            self.manager.shutdown_kernel(now=True)


class KernelPool:
    """Kernels of one kernel spec, started ahead and lent to one notebook at a time.

    Each kernel is started at once (its process and connection) and sent the
    preload, which it runs while the runner goes on; the first notebook given the
    kernel waits for it.

    Args:
        kernel_name: The kernel spec the kernels run.
        size: How many kernels run at once (the run's workers).
        notebooks: How many notebooks the run will execute (None: unknown); a kernel
            that is lost is replaced only while notebooks remain.
        startup_timeout: Seconds a new kernel may take to start and load the imports.
        reset_timeout: Seconds a reset between notebooks may take.

    Raises:
        RunError: If a kernel cannot be started (its kernel spec is missing or broken).
    """

    def __init__(
        self,
        kernel_name: str,
        size: int,
        notebooks: int | None = None,
        startup_timeout: float = 300.0,
        reset_timeout: float = 60.0,
    ) -> None:
        if size < 1:
            raise ValueError(f"a kernel pool needs at least one kernel, not {size}")
        self.kernel_name = kernel_name
        self.notebooks = notebooks
        self.startup_timeout = startup_timeout
        self.reset_timeout = reset_timeout
        self.started = 0  # kernels started, replacements included
        self._lent = 0  # notebooks given a kernel so far
        self._kernels: list[WarmKernel] = []  # every kernel not shut down yet
        self._idle: queue.Queue[WarmKernel | RunError] = queue.Queue()
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._logs = Path(tempfile.mkdtemp(prefix="engagement-kernels-"))
        try:
            for _ in range(size):
                self._idle.put(self._start())
        except BaseException:
            self.close()
            raise

    def _start(self) -> WarmKernel:
        """Start a kernel and send it the preload (not waited for)."""
        with self._lock:
            if self._closed.is_set():
                raise RunError("the run is ending; no kernel is started")
            self.started += 1
            log = self._logs / f"kernel-{self.started}.log"
        manager = PooledKernelManager(kernel_name=self.kernel_name)
        try:
            with log.open("ab") as stderr:
                manager.start_kernel(stderr=stderr)
        except Exception as exc:
            raise RunError(f"the kernel {self.kernel_name!r} could not be started: {exc}") from None
        client = BlockingKernelClient()
        client.load_connection_info(manager.get_connection_info())
        client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        kernel = WarmKernel(manager=manager, client=client, log=log)
        with self._lock:
            self._kernels.append(kernel)
        client.execute(
            _IN_KERNEL.format(call="preload()"),
            silent=True,
            store_history=False,
            allow_stdin=False,
        )
        return kernel

    def _take(self) -> WarmKernel:
        """The next idle kernel (waits for one).

        Raises:
            RunError: If the pool was closed, or the kernel started in place of a lost
                one could not be started.
        """
        while True:
            if self._closed.is_set():
                raise RunError("the run is ending; no notebook is started")
            try:
                item = self._idle.get(timeout=0.5)
            except queue.Empty:
                continue
            if isinstance(item, RunError):
                raise item
            return item

    def acquire(self, cwd: Path) -> WarmKernel:
        """Take a kernel, in a fresh state with ``cwd`` as working directory.

        Waits for a kernel to be free. A kernel that died or stops answering is
        replaced and the new one tried (once).

        Raises:
            RunError: If the pool was closed, no kernel could be started, or the
                reset failed (for instance ``cwd`` is not a folder).
        """
        with self._lock:
            self._lent += 1
        for attempt in range(2):
            kernel = self._take()
            timeout = self.startup_timeout if kernel.notebooks == 0 else self.reset_timeout
            reset = _IN_KERNEL.format(call=f"fresh_state({str(cwd)!r})")
            try:
                kernel.run(reset, timeout, self._closed)
            except KernelCodeFailed as exc:
                self.discard(kernel)
                raise RunError(f"the kernel could not be prepared in {cwd}: {exc}") from None
            except KernelLost as exc:
                self.discard(kernel, replace=True)
                if self._closed.is_set():
                    raise RunError("the run is ending; no notebook is started") from None
                if attempt:
                    raise RunError(f"the kernel {self.kernel_name!r} was lost: {exc}") from None
                continue
            kernel.notebooks += 1
            kernel.log_offset = kernel.log.stat().st_size if kernel.log.exists() else 0
            return kernel
        raise AssertionError("unreachable")  # pragma: no cover

    def release(self, kernel: WarmKernel) -> None:
        """Give a kernel back after a notebook that ran (or stopped with a cell error)."""
        kernel.manager.close_clients()
        if self._closed.is_set() or not kernel.manager.is_alive():
            self.discard(kernel)
        else:
            self._idle.put(kernel)

    def discard(self, kernel: WarmKernel, replace: bool = False) -> None:
        """Kill a kernel that died, timed out or is in an unknown state.

        Another is started in its place when ``replace`` or when notebooks remain.
        """
        kernel.shutdown()
        with self._lock:
            if kernel in self._kernels:
                self._kernels.remove(kernel)
            remaining = self.notebooks is None or self._lent < self.notebooks
        if (replace or remaining) and not self._closed.is_set():
            try:
                self._idle.put(self._start())
            except RunError as exc:  # raised by the notebook that waits for this kernel
                self._idle.put(exc)

    @contextlib.contextmanager
    def lend(
        self,
        cwd: Path,
        log: Path | None = None,
        keep: tuple[type[BaseException], ...] = (),
    ) -> Iterator[WarmKernel]:
        """A kernel for one notebook: given back if it is well, replaced if it is not.

        Args:
            cwd: The notebook's working directory.
            log: Where the kernel's messages during the notebook are copied.
            keep: Exceptions after which the kernel is still usable (a cell raised);
                any other (timeout, dead kernel, interruption) discards it.

        Yields:
            The kernel, reset.
        """
        kernel = self.acquire(cwd)
        healthy = False
        try:
            yield kernel
            healthy = True
        except keep:
            healthy = True
            raise
        finally:
            if log is not None:
                kernel.copy_log(log)
            if healthy:
                self.release(kernel)
            else:
                self.discard(kernel)

    def close(self) -> None:
        """Kill every kernel of the pool and stop lending."""
        self._closed.set()
        with self._lock:
            kernels = list(self._kernels)
            self._kernels.clear()
        for kernel in kernels:
            kernel.shutdown()
        shutil.rmtree(self._logs, ignore_errors=True)

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def kernel_pool(kernel_name: str, size: int, notebooks: int | None = None) -> KernelPool:
    """Start the kernels of a run; close the pool (or use it in ``with``) when the run ends.

    Args:
        kernel_name: The kernel spec.
        size: Kernels at once (the number of notebooks run side by side).
        notebooks: How many notebooks the run will execute, if known.

    Returns:
        The pool, its kernels started and loading their imports.
    """
    return KernelPool(kernel_name, size, notebooks)


# --- one notebook --------------------------------------------------------------------------------


class _Progress:
    """The notebook papermill is executing and its current cell (nbclient's hooks)."""

    def __init__(self) -> None:
        self.nb: nbformat.NotebookNode | None = None
        self.cell: int | None = None
        self.first_line = ""

    def notebook_started(self, notebook: nbformat.NotebookNode, **_: Any) -> None:
        self.nb = notebook

    def cell_started(self, cell: nbformat.NotebookNode, cell_index: int, **_: Any) -> None:
        self.cell = cell_index
        self.first_line = _first_line(cell.source)


def _first_line(source: str) -> str:
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    return lines[0] if lines else ""


def execute_notebook(
    job: NotebookJob, *, kernels: KernelPool, timeout: float | None = None
) -> tuple[nbformat.NotebookNode, float]:
    """Execute ``job.source`` with its parameters into ``job.output``, in a kernel of the pool.

    The kernel's working directory is the notebook's folder.

    Args:
        job: The notebook and parameters.
        kernels: The run's kernel pool.
        timeout: Seconds one cell may run (None: no limit).

    Returns:
        The executed notebook and the seconds it took.

    Raises:
        NotebookFailed: If a cell raised or timed out, the kernel died, or no kernel
            could be made ready.
    """
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    began = time.perf_counter()
    progress = _Progress()
    try:
        with kernels.lend(job.source.parent, job.kernel_log, keep=(PapermillExecutionError,)) as k:
            nb = papermill.execute_notebook(
                job.source,
                job.output,
                parameters=dict(job.parameters),
                kernel_name=kernels.kernel_name,
                km=k.manager,
                progress_bar=False,
                # written once, at the end (or on a cell's error); a notebook that
                # stops otherwise is written below
                request_save_on_cell_execute=False,
                execution_timeout=timeout,
                on_notebook_start=progress.notebook_started,
                on_cell_start=progress.cell_started,
            )
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
    except Exception as exc:  # timeout, dead kernel, no kernel, unreadable notebook...
        partial = None
        if progress.nb is not None:
            with contextlib.suppress(Exception):
                nbformat.write(progress.nb, job.output)
                partial = job.output
        message = f"{type(exc).__name__}: {exc}".strip()
        if isinstance(exc, RunError):
            message = str(exc)
        elif type(exc).__name__ == "CellTimeoutError" and timeout:
            message = f"the cell ran longer than the {timeout:g} s limit"
        raise NotebookFailed(
            job.name,
            job.period,
            progress.cell,
            progress.first_line,
            message.splitlines()[0],
            partial,
            job.kernel_log,
        ) from None
    return nb, time.perf_counter() - began
