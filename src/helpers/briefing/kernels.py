"""Warm kernels: started ahead of a run, imports loaded once, reused notebook after notebook.

Starting a kernel and importing pandas, matplotlib and the project's helpers take
most of the time of a short briefing notebook. :func:`kernel_pool` starts the
kernels a run needs as soon as it knows it will execute notebooks; each one loads
those imports once (:func:`helpers.briefing.kernel_state.preload`) and then runs several
notebooks in turn. :func:`helpers.briefing.execute.execute_notebook` borrows a
kernel from the pool that is open, if there is one.

Before each notebook the kernel is put back into the state a fresh kernel has
(:func:`helpers.briefing.kernel_state.fresh_state`): ``%reset -f`` empties the namespace and
the output history, IPython's history opens a new session and the execution count
starts at 1 again, matplotlib's figures
are closed and its settings restored, pandas' options, the warning filters,
``sys.path``, the environment variables and the random generators are as they
were after the imports, and the working directory is the notebook's. A notebook
never sees a name a previous one defined.

A kernel whose notebook stopped with an error in a cell is reset and reused. A
kernel that died, timed out or could not be reset is killed and another is started
in its place. :func:`stop_running_kernels` kills every kernel (pooled or not) when
a run is interrupted, and closing the pool shuts its kernels down, so no kernel
process outlives the run.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import queue
import shutil
import tempfile
import threading
import time
import weakref
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.manager import KernelManager

from helpers.briefing.errors import RunError

_LOG = logging.getLogger(__name__)

# --- every kernel the runner started, so that an interrupted run can kill them -----------------

_RUNNING: weakref.WeakSet[Any] = weakref.WeakSet()
_RUNNING_LOCK = threading.Lock()


def track(manager: Any) -> None:
    """Register a kernel manager whose kernel :func:`stop_running_kernels` must kill."""
    with _RUNNING_LOCK:
        _RUNNING.add(manager)


def stop_running_kernels() -> int:
    """Kill every kernel the runner started that is still running (pooled or not).

    Returns:
        How many kernel processes were killed.
    """
    with _RUNNING_LOCK:
        managers = list(_RUNNING)
    killed = 0
    for manager in managers:
        process = getattr(manager.provisioner, "process", None)
        if process is not None and process.poll() is None:
            process.kill()
            killed += 1
    return killed


#: Runs in the kernel without defining a name in the notebook's namespace.
_IN_KERNEL = "__import__('helpers.briefing.kernel_state', fromlist=['_']).{call}"
_PRELOAD_CODE = _IN_KERNEL.format(call="preload()")


def _fresh_state_code(cwd: Path) -> str:
    return _IN_KERNEL.format(call=f"fresh_state({str(cwd)!r})")


# --- in the runner: the pool -------------------------------------------------------------------


class KernelLost(RuntimeError):
    """A warm kernel died or stopped answering."""


class KernelCodeFailed(RuntimeError):
    """Code the pool ran in a kernel (preload, reset) raised an error."""


class PooledKernelManager(KernelManager):
    """A kernel manager of the pool: registered for :func:`stop_running_kernels`.

    The manager is the blocking kind, so any thread may start, check or stop its
    kernel; the clients it makes for papermill are asynchronous, as nbclient needs.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("client_class", "jupyter_client.asynchronous.AsyncKernelClient")
        super().__init__(**kwargs)

    def start_kernel(self, **kw: Any) -> None:
        """Start the kernel and register it."""
        super().start_kernel(**kw)
        track(self)


@dataclass
class WarmKernel:
    """One kernel of the pool.

    Attributes:
        manager: Its kernel manager (what papermill is given as ``km``).
        client: The pool's own client (shell channel only), for preload and reset.
        log: The file the kernel's stderr goes to.
        notebooks: How many notebooks it has been given.
    """

    manager: PooledKernelManager
    client: BlockingKernelClient
    log: Path
    notebooks: int = 0
    _log_offset: int = field(default=0, repr=False)

    def run(self, code: str, timeout: float, closed: threading.Event | None = None) -> None:
        """Run ``code`` silently and wait for the kernel's reply.

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
                if closed is not None and closed.is_set():
                    raise KernelLost("the run is ending") from None
                if not self.manager.is_alive():
                    raise KernelLost("the kernel died") from None
                if time.monotonic() > deadline:
                    raise KernelLost(f"the kernel did not answer in {timeout:g} s") from None
                continue
            if reply.get("parent_header", {}).get("msg_id") != msg_id:
                continue  # the reply to an earlier request (kernel_info)
            content = reply["content"]
            if content.get("status") != "ok":
                raise KernelCodeFailed(f"{content.get('ename')}: {content.get('evalue')}")
            return

    def mark_log(self) -> None:
        """Remember where the kernel's log ends, so the next notebook's part can be copied."""
        self._log_offset = self.log.stat().st_size if self.log.exists() else 0

    def copy_log(self, target: Path) -> None:
        """Write what the kernel logged since :meth:`mark_log` to ``target``."""
        with contextlib.suppress(OSError), self.log.open("rb") as source:
            source.seek(self._log_offset)
            target.write_bytes(source.read())

    def shutdown(self) -> None:
        """Kill the kernel and remove its connection files."""
        with contextlib.suppress(Exception):
            self.client.stop_channels()
        with contextlib.suppress(Exception):
            self.manager.shutdown_kernel(now=True)


class KernelPool:
    """Kernels of one kernel spec, started ahead and lent to one notebook at a time.

    Args:
        kernel_name: The kernel spec the kernels run.
        size: How many kernels run at once (the run's workers).
        notebooks: How many notebooks the run will execute (None: unknown); a kernel
            that is lost is replaced only while notebooks remain.
        cwd: Working directory the kernels start in (each notebook gets its own).
        startup_timeout: Seconds a kernel may take to start and answer.
        preload_timeout: Seconds the imports may take.
        reset_timeout: Seconds a reset between notebooks may take.
    """

    def __init__(
        self,
        kernel_name: str,
        size: int,
        notebooks: int | None = None,
        cwd: Path | None = None,
        startup_timeout: float = 60.0,
        preload_timeout: float = 300.0,
        reset_timeout: float = 60.0,
    ) -> None:
        if size < 1:
            raise ValueError(f"a kernel pool needs at least one kernel, not {size}")
        self.kernel_name = kernel_name
        self.size = size
        self.notebooks = notebooks
        self.cwd = cwd
        self.startup_timeout = startup_timeout
        self.preload_timeout = preload_timeout
        self.reset_timeout = reset_timeout
        self.started = 0  # kernels started, replacements included
        self._lent = 0  # notebooks given a kernel so far
        self._slots = 0  # kernels starting, idle or lent
        self._kernels: list[WarmKernel] = []
        self._ready: queue.Queue[WarmKernel | BaseException] = queue.Queue()
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._logs = Path(tempfile.mkdtemp(prefix="engagement-kernels-"))
        self._starter = ThreadPoolExecutor(max_workers=size, thread_name_prefix="kernel-start")

    # -- starting -------------------------------------------------------------------------------

    def start(self) -> KernelPool:
        """Start all the pool's kernels in the background; return the pool."""
        with self._lock:
            for _ in range(self.size - self._slots):
                self._spawn()
        return self

    def _spawn(self) -> None:
        """Start one more kernel in the background (the lock is held)."""
        if self._closed.is_set():
            return
        self._slots += 1
        self._starter.submit(self._start_into_queue)

    def _start_into_queue(self) -> None:
        try:
            kernel = self._start_kernel()
        except BaseException as exc:  # handed to the notebook that takes this slot
            self._ready.put(exc)
        else:
            self._ready.put(kernel)

    def _start_kernel(self) -> WarmKernel:
        """Start a kernel, wait until it answers and preload; once more if it never started."""
        try:
            return self._start_once()
        except KernelLost as exc:
            if self._closed.is_set() or "died" not in str(exc):
                raise
            _LOG.warning("kernel did not start; starting another")
            return self._start_once()

    def _start_once(self) -> WarmKernel:
        with self._lock:
            if self._closed.is_set():
                raise KernelLost("the run is ending")
            self.started += 1
            log = self._logs / f"kernel-{self.started}.log"
        manager = PooledKernelManager(kernel_name=self.kernel_name)
        options: dict[str, Any] = {"cwd": str(self.cwd)} if self.cwd else {}
        with log.open("ab") as stderr:
            manager.start_kernel(stderr=stderr, **options)
        client = BlockingKernelClient()
        client.load_connection_info(manager.get_connection_info())
        client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        kernel = WarmKernel(manager=manager, client=client, log=log)
        with self._lock:
            self._kernels.append(kernel)
            closed = self._closed.is_set()
        if closed:
            self._discard(kernel)
            raise KernelLost("the run is ending")
        try:
            self._wait_until_ready(kernel)
            kernel.run(_PRELOAD_CODE, self.preload_timeout, self._closed)
        except BaseException:
            self._discard(kernel)
            raise
        return kernel

    def _wait_until_ready(self, kernel: WarmKernel) -> None:
        msg_id = kernel.client.kernel_info()
        deadline = time.monotonic() + self.startup_timeout
        while True:
            try:
                reply = kernel.client.get_shell_msg(timeout=0.5)
            except queue.Empty:
                if self._closed.is_set():
                    raise KernelLost("the run is ending") from None
                if not kernel.manager.is_alive():
                    raise KernelLost("the kernel died before it answered") from None
                if time.monotonic() > deadline:
                    raise KernelLost(
                        f"the kernel did not answer in {self.startup_timeout:g} s"
                    ) from None
                continue
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                return

    # -- lending ----------------------------------------------------------------------------------

    def acquire(self, cwd: Path) -> WarmKernel:
        """Take a ready kernel, in a fresh state with ``cwd`` as working directory.

        Waits for a kernel to be free. A kernel that dies or stops answering while it
        is reset is discarded and another is taken (once).

        Raises:
            RunError: If the pool was closed, a kernel could not be started, or the
                reset failed (for instance ``cwd`` is not a folder).
        """
        with self._lock:
            self._lent += 1
        for attempt in range(2):
            with self._lock:
                if self._ready.empty() and self._slots < self.size:
                    self._spawn()  # a slot was lost to a kernel that did not start
            item = self._take()
            if isinstance(item, BaseException):
                with self._lock:
                    self._slots -= 1
                raise RunError(f"the kernel {self.kernel_name!r} could not be started: {item}")
            try:
                item.run(_fresh_state_code(cwd), self.reset_timeout, self._closed)
            except KernelCodeFailed as exc:
                self.discard(item)
                raise RunError(f"the kernel could not be prepared in {cwd}: {exc}") from None
            except KernelLost as exc:
                self.discard(item)
                if self._closed.is_set():
                    raise RunError("the run is ending; no notebook is started") from None
                if attempt:
                    raise RunError(f"the kernel {self.kernel_name!r} was lost: {exc}") from None
                _LOG.warning("a kernel could not be reset (%s); starting another", exc)
                continue
            item.notebooks += 1
            item.mark_log()
            return item
        raise AssertionError("unreachable")  # pragma: no cover

    def _take(self) -> WarmKernel | BaseException:
        while True:
            if self._closed.is_set():
                raise RunError("the run is ending; no notebook is started")
            try:
                return self._ready.get(timeout=0.5)
            except queue.Empty:
                continue

    def release(self, kernel: WarmKernel) -> None:
        """Give a kernel back after a notebook that ran (or stopped with a cell error)."""
        if self._closed.is_set() or not kernel.manager.is_alive():
            self.discard(kernel)
        else:
            self._ready.put(kernel)

    def discard(self, kernel: WarmKernel) -> None:
        """Kill a kernel that died, timed out or is in an unknown state; start another if needed."""
        self._discard(kernel)
        with self._lock:
            self._slots -= 1
            remaining = None if self.notebooks is None else self.notebooks - self._lent
            if remaining is None or remaining > 0:
                self._spawn()

    def _discard(self, kernel: WarmKernel) -> None:
        kernel.shutdown()
        with self._lock:
            if kernel in self._kernels:
                self._kernels.remove(kernel)

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

    # -- closing ----------------------------------------------------------------------------------

    def close(self) -> None:
        """Shut every kernel down (also those still starting) and stop lending."""
        _deactivate(self)
        self._closed.set()
        with self._lock:
            kernels = list(self._kernels)
        for kernel in kernels:
            process = getattr(kernel.manager.provisioner, "process", None)
            if process is not None and process.poll() is None:
                process.kill()
        self._starter.shutdown(wait=True, cancel_futures=True)
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


# --- the pool of the current run -----------------------------------------------------------------

_ACTIVE: list[KernelPool] = []
_ACTIVE_LOCK = threading.Lock()


def kernel_pool(
    kernel_name: str,
    size: int,
    notebooks: int | None = None,
    cwd: Path | None = None,
    **kwargs: Any,
) -> KernelPool:
    """Start a pool of warm kernels and make it the one notebooks run in until it is closed.

    Args:
        kernel_name: The kernel spec.
        size: Kernels at once (the number of notebooks run side by side).
        notebooks: How many notebooks the run will execute, if known.
        cwd: Working directory the kernels start in.
        **kwargs: Timeouts (see :class:`KernelPool`).

    Returns:
        The started pool; close it (or use it in a ``with`` block) when the run ends.
    """
    pool = KernelPool(kernel_name, size, notebooks, cwd, **kwargs)
    with _ACTIVE_LOCK:
        _ACTIVE.append(pool)
    return pool.start()


def active_pool(kernel_name: str) -> KernelPool | None:
    """The open pool of ``kernel_name`` kernels, if a run opened one."""
    with _ACTIVE_LOCK:
        for pool in reversed(_ACTIVE):
            if pool.kernel_name == kernel_name:
                return pool
    return None


def _deactivate(pool: KernelPool) -> None:
    with _ACTIVE_LOCK:
        if pool in _ACTIVE:
            _ACTIVE.remove(pool)


@atexit.register
def _close_pools_left_open() -> None:
    """Shut down the kernels of a pool a run did not close (it stopped before it could)."""
    with _ACTIVE_LOCK:
        pools = list(_ACTIVE)
    for pool in pools:
        pool.close()
