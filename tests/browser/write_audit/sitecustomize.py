"""Record every file-system write of a Python process (and of its kernels) to a log.

Put this folder on ``PYTHONPATH`` and set ``ENGAGEMENT_WRITE_LOG`` to a folder:
each process then appends one line per write-like event (``open`` for writing,
rename, replace, remove, mkdir, rmtree, chmod, truncate) to ``<folder>/<pid>.log``
as ``event<TAB>absolute path``. Child processes (Jupyter kernels) inherit both
variables, so the log covers the notebooks too. Writes made by compiled code
without Python's ``open`` (e.g. Arrow writing Parquet) are not seen here, but
their final rename into place is.
"""

from __future__ import annotations

import os
import sys
import threading

_LOG_DIR = os.environ.get("ENGAGEMENT_WRITE_LOG", "")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_PATH_EVENTS = {
    "os.remove": 1,
    "os.rmdir": 1,
    "os.mkdir": 1,
    "os.chmod": 1,
    "os.utime": 1,
    "shutil.rmtree": 1,
    "os.rename": 2,
    "os.link": 2,
    "os.symlink": 2,
}
_state = threading.local()


def _is_write(mode: object, flags: object) -> bool:
    if isinstance(mode, str):
        return any(c in mode for c in "wax+")
    return isinstance(flags, int) and bool(flags & _WRITE_FLAGS)


def _absolute(path: object) -> str | None:
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if not isinstance(path, str):
        return None  # a file descriptor
    return os.path.abspath(path)


def _targets(event: str, args: tuple) -> list[str]:
    opened = event == "open" and len(args) >= 3 and _is_write(args[1], args[2])
    if opened or event == "os.truncate":
        paths = [args[0]]
    elif event in _PATH_EVENTS:
        dir_fd = args[-1] if event != "shutil.rmtree" else None
        if isinstance(dir_fd, int) and dir_fd >= 0:
            return []  # relative to an open folder: covered by the enclosing rmtree
        paths = list(args[: _PATH_EVENTS[event]])
    else:
        return []
    return [p for p in (_absolute(path) for path in paths) if p is not None]


def _hook(event: str, args: tuple) -> None:
    if getattr(_state, "busy", False):
        return
    paths = _targets(event, args)
    if not paths:
        return
    _state.busy = True
    try:
        log = os.path.join(_LOG_DIR, f"{os.getpid()}.log")
        with open(log, "a", encoding="utf-8") as handle:
            for path in paths:
                handle.write(f"{event}\t{path}\n")
    except OSError:
        pass
    finally:
        _state.busy = False


if _LOG_DIR and os.path.isdir(_LOG_DIR):
    sys.addaudithook(_hook)
