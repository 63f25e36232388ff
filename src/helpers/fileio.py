"""Writing files so that readers never see half of one: the one atomic-write helper.

A write replaces only a regular file: never a folder, a link, a device (``/dev/full``)
or a pipe, which would be swapped for a regular file.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: Permission bits a new file gets before the umask (what ``open(..., "w")`` uses).
_FILE_MODE = 0o666


def current_umask() -> int:
    """The process's umask, read without changing it where the system allows.

    Linux shows it in ``/proc/self/status``; elsewhere it is set and restored at
    once (``os.umask`` has no read-only form).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def is_inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies under it (links resolved)."""
    return Path(path).resolve().is_relative_to(Path(folder).resolve())


def check_replaceable(target: Path) -> None:
    """Refuse to write over anything but a regular file (or nothing).

    Raises:
        OSError: ``EEXIST`` naming ``target`` when it is a folder, a link, a device
            or a pipe.
    """
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        kind = "folder" if stat.S_ISDIR(mode) else "link" if stat.S_ISLNK(mode) else "device"
        kind = "pipe" if stat.S_ISFIFO(mode) else kind
        raise OSError(
            errno.EEXIST,
            f"not replaced: it is a {kind}, not a regular file; choose a file name",
            str(target),
        )


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` that replaces it when the block succeeds.

    Write the file at the yielded path (any writer: pandas, pyarrow, Chromium); when
    the ``with`` block ends without an error the file is renamed over ``target`` in
    one step, otherwise it is removed and ``target`` is left as it was. Nested
    blocks replace their targets only when every write succeeded. The file gets
    the mode any ordinary write would give it (0644 under umask 022), not the
    0600 of a temporary file, so colleagues on a file share can read it.

    Args:
        target: The file to write (absent, or a regular file).

    Raises:
        OSError: If ``target`` is not a regular file (:func:`check_replaceable`).

    Yields:
        The temporary path to write to (same folder, so the rename is atomic).
    """
    target = Path(target)
    check_replaceable(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, _FILE_MODE & ~current_umask())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(target: Path, text: str) -> None:
    """Write UTF-8 text to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes(target: Path, data: bytes) -> None:
    """Write bytes to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
