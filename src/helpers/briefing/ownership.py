"""Which files of the output folder a run made, and what it may touch.

A run only ever replaces files it made. Each period's ``manifest.json`` lists the
files the run wrote (``files``); everything else in ``outputs/<period>/`` (an
approved copy of the paper, minutes an analyst saved there) is *foreign* and is
carried over, unchanged, into the rebuilt folder. A foreign file with the name of
a file the run makes is never overwritten: the run refuses the period in one line.
A published ``briefing.pdf`` is kept by a rebuild without ``--pdf`` (and stays
linked from the archive) unless ``--drop-pdf`` is given.

Staging folders (``.staging-<period>-<random>``) are locked by the run that owns
them (``.staging-…lock`` beside them); a later run removes those whose lock is
free, i.e. whose run was killed.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

from helpers import config
from helpers.briefing.errors import RunError
from helpers.errors import display_path
from helpers.fileio import write_text

try:  # POSIX: staging folders are locked by their run
    import fcntl
except ImportError:  # pragma: no cover - Windows: no clean-up of staging folders
    fcntl = None  # type: ignore[assignment]

MANIFEST_FILE = "manifest.json"
PDF_FILE = "briefing.pdf"
STAGING_PREFIX = ".staging-"
LOCK_SUFFIX = ".lock"
#: Seconds after which a folder set aside by a swap (``.old-*``) is certainly stale.
OLD_FOLDER_AGE_S = 300

#: Files a period folder held before manifests listed them (older builds).
_LEGACY_FILES: frozenset[str] = frozenset(
    {
        "index.html",
        "quality.html",
        "headlines.json",
        "quality.json",
        "overview.json",
        MANIFEST_FILE,
        PDF_FILE,
    }
)


def files_of(folder: Path) -> list[str]:
    """Every file under ``folder``, as sorted POSIX paths relative to it."""
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def made_files(folder: Path) -> set[str]:
    """The files of a published period folder that a briefing run made.

    Read from ``manifest.json``'s ``files``; a manifest without it (an older build)
    owns the files such builds wrote. A folder without a readable manifest owns
    nothing.
    """
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    if not isinstance(manifest, dict):
        return set()
    listed = manifest.get("files")
    if isinstance(listed, list):
        return {str(name) for name in listed} | {MANIFEST_FILE}
    channels = {spec.name for spec in config.CHANNEL_SPECS}
    return {
        name
        for name in files_of(folder)
        if name in _LEGACY_FILES
        or (name.endswith(".html") and name.removesuffix(".html") in channels)
        or (name.startswith("notebooks/") and name.endswith(".ipynb"))
    }


def record_made(folder: Path, name: str) -> None:
    """Add ``name`` to the ``files`` of ``folder``'s manifest (a file written after it)."""
    path = folder / MANIFEST_FILE
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(manifest, dict) and isinstance(manifest.get("files"), list):
        manifest["files"] = sorted({*map(str, manifest["files"]), name})
        write_text(path, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")


def foreign_files(folder: Path) -> list[str]:
    """Files in ``folder`` that no briefing run made (kept by every rebuild)."""
    made = made_files(folder)
    return [name for name in files_of(folder) if name not in made]


def carry_over(old: Path, new: Path, *, keep_pdf: bool) -> tuple[list[str], bool]:
    """Put the foreign files of ``old`` (and its board paper) into ``new`` before a swap.

    Files are hard-linked (copied where links are not possible), so ``old`` stays
    whole until the swap succeeds.

    Args:
        old: The published period folder (may not exist).
        new: The staging folder about to replace it.
        keep_pdf: Also keep ``old``'s ``briefing.pdf`` when ``new`` has none.

    Returns:
        The foreign files carried over, and whether the board paper was kept.

    Raises:
        RunError: If a foreign file has the name of a file the run made (nothing is
            overwritten; the period is not published).
    """
    if not old.is_dir():
        return [], False
    foreign = foreign_files(old)
    clash = [name for name in foreign if (new / name).exists()]
    if clash:
        raise RunError(
            f"{display_path(old / clash[0])} was not made by a briefing run, and a rebuild "
            f"would overwrite it; move it out of {display_path(old)}/ and run again"
        )
    kept_pdf = keep_pdf and PDF_FILE in made_files(old) and not (new / PDF_FILE).exists()
    for name in [*foreign, *([PDF_FILE] if kept_pdf else [])]:
        _link(old / name, new / name)
    return foreign, kept_pdf


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


class StagingLock:
    """An exclusive lock held by a run on its staging folder while it builds."""

    def __init__(self, staging: Path) -> None:
        self.path = staging.with_name(staging.name + LOCK_SUFFIX)
        self._fd: int | None = None
        if fcntl is not None:
            self._fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
            fcntl.flock(self._fd, fcntl.LOCK_EX)

    def release(self) -> None:
        """Drop the lock and its file (the staging folder is already gone)."""
        if self._fd is not None:
            self.path.unlink(missing_ok=True)
            os.close(self._fd)
            self._fd = None


def _is_free(lock: Path) -> bool:
    """True when ``lock`` exists and no running process holds it."""
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def _age(path: Path, now: float) -> float:
    try:
        return now - path.stat().st_mtime
    except OSError:
        return 0.0


def clean_stale(out_dir: Path, *, now: float | None = None) -> list[str]:
    """Remove the staging folders of killed runs (and folders a killed swap set aside).

    Args:
        out_dir: The folder of the period folders.
        now: The current time (seconds since the epoch), for tests.

    Returns:
        The names removed.
    """
    if fcntl is None or not out_dir.is_dir():
        return []
    now = time.time() if now is None else now
    removed = []
    for path in sorted(out_dir.iterdir()):
        name = path.name
        if name.startswith(STAGING_PREFIX) and path.is_dir():
            lock = path.with_name(name + LOCK_SUFFIX)
            # Without its lock file the folder is an older run's, or its lock is
            # being made: removed only once it has not changed for a while.
            if _is_free(lock) or (not lock.exists() and _age(path, now) > OLD_FOLDER_AGE_S):
                shutil.rmtree(path, ignore_errors=True)
                lock.unlink(missing_ok=True)
                removed.append(name)
        elif name.startswith(STAGING_PREFIX) and name.endswith(LOCK_SUFFIX):
            folder = path.with_name(name.removesuffix(LOCK_SUFFIX))
            if not folder.exists() and _age(path, now) > OLD_FOLDER_AGE_S and _is_free(path):
                path.unlink(missing_ok=True)
        elif name.startswith(".old-") and path.is_dir() and _age(path, now) > OLD_FOLDER_AGE_S:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(name)
    return removed


def named(paths: Iterable[str]) -> str:
    """``a, b and 2 more``: a short list of file names for one line."""
    names = list(paths)
    if len(names) <= 3:
        return ", ".join(names)
    return f"{', '.join(names[:3])} and {len(names) - 3} more"
