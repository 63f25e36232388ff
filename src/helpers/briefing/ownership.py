"""Which files of the output folder a run made, and what it may touch.

A run only ever replaces files it made. Each period's ``manifest.json`` lists the
files the run wrote (``files``); everything else in ``outputs/<period>/`` (an
approved copy of the paper, minutes an analyst saved there) is *foreign* and is
carried over, unchanged, into the rebuilt folder. A foreign file with the name of
a file the run makes is never overwritten: the run refuses the period in one line.
A published ``briefing.pdf`` is kept by a rebuild without ``--pdf`` (and stays
linked from the archive) unless ``--drop-pdf`` is given.

What is foreign is kept as it is: files, symbolic links (never followed) and empty
folders alike.

Staging folders (``.staging-<period>-<random>``) are locked by the run that owns
them (``.staging-…lock`` beside them); a later run removes those whose lock is
free, i.e. whose run was killed.

Publishing swaps two folders under a lock on the output folder
(:func:`output_lock`): the published period folder is renamed aside
(``.old-<period>-<random>``), the staging folder renamed into its place, and the
folder set aside removed. A run killed in between leaves a ``.old-*`` folder; the
next run finds it (whatever its age) and finishes the swap (the new folder is in
place: the one set aside goes) or undoes it (no folder in place: the one set aside
comes back), and says so in one line (:func:`recover_swaps`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from helpers import config
from helpers.briefing.run_errors import RunError
from helpers.errors import display_path, printable
from helpers.fileio import write_text

try:  # POSIX: staging folders are locked by their run
    import fcntl
except ImportError:  # pragma: no cover - Windows: no clean-up of staging folders
    fcntl = None  # type: ignore[assignment]

MANIFEST_FILE = "manifest.json"
PDF_FILE = "briefing.pdf"
STAGING_PREFIX = ".staging-"
LOCK_SUFFIX = ".lock"
#: Seconds after which a staging folder without its lock file is certainly stale.
OLD_FOLDER_AGE_S = 300
#: Prefix of a published folder set aside by a swap: ``.old-<period>-<8 hex digits>``.
SET_ASIDE_PREFIX = ".old-"
_SET_ASIDE = re.compile(rf"{re.escape(SET_ASIDE_PREFIX)}(?P<name>.+)-[0-9a-f]{{8}}")
#: The archive's temporary file while it is written (:func:`helpers.fileio.atomic_path`).
_ARCHIVE_TEMP = re.compile(r"\.index\.html\.[A-Za-z0-9_]{8}\.tmp")

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
    """Every regular file under ``folder`` (links not followed), as sorted POSIX paths."""
    return [name for name, kind in _entries(folder) if kind == "file"]


def _entries(folder: Path) -> list[tuple[str, str]]:
    """Every file, symbolic link and empty folder under ``folder``, with its kind.

    Symbolic links are listed as links, never followed (a link to a folder is one
    entry); kinds are ``file``, ``link``, ``folder`` (empty) and ``other`` (a FIFO,
    a socket).
    """
    if not folder.is_dir() or folder.is_symlink():
        return []
    found = []
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        for name in [*dirs, *files]:
            path = here / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found.append((rel, "link"))
            elif path.is_dir():
                if not any(path.iterdir()):
                    found.append((rel, "folder"))
            else:
                found.append((rel, "file" if path.is_file() else "other"))
    return sorted(found)


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
    """What no briefing run made in ``folder``: files, links, empty folders (all kept)."""
    made = made_files(folder)
    return [name for name, kind in _entries(folder) if kind != "file" or name not in made]


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
    if old.is_symlink() or (old.exists() and not old.is_dir()):
        raise RunError(
            f"{display_path(old)} is not a folder a briefing run made (a link or a file), "
            "so it is not replaced; move it away and run again"
        )
    if not old.is_dir():
        return [], False
    foreign = foreign_files(old)
    clash = [name for name in foreign if os.path.lexists(new / name)]
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
    """Put ``source`` at ``target`` as it is: a link stays a link, an empty folder a folder."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_symlink():
        os.symlink(os.readlink(source), target)
    elif source.is_dir():
        target.mkdir()
    else:
        try:
            os.link(source, target, follow_symlinks=False)
        except OSError:
            shutil.copy2(source, target, follow_symlinks=False)


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
    return removed


@contextlib.contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder (POSIX): swaps and the archive.

    A killed run's lock goes with its process, so a later run never waits on it.
    """
    if fcntl is None:
        yield
        return
    fd = os.open(out_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def set_aside_name(target: Path) -> Path:
    """Where a swap puts the published folder ``target`` while the new one moves in."""
    return target.with_name(f"{SET_ASIDE_PREFIX}{target.name}-{secrets.token_hex(4)}")


def swap(staging: Path, target: Path) -> None:
    """Replace ``target`` with ``staging`` under the output lock; readers never see half.

    The old folder is renamed aside, the new one renamed into place, and only then
    is the old one deleted; if the second rename fails the old folder is restored.
    A process killed at any step leaves what :func:`recover_swaps` puts right.

    Args:
        staging: The complete new folder (same filesystem as ``target``).
        target: The folder to replace (may not exist yet).
    """
    with output_lock(target.parent):
        old: Path | None = None
        if os.path.lexists(target):
            old = set_aside_name(target)
            os.replace(target, old)
        try:
            os.replace(staging, target)
        except BaseException:
            if old is not None:
                os.replace(old, target)
            raise
        if old is not None:
            shutil.rmtree(old)


def recover_swaps(out_dir: Path) -> list[str]:
    """Finish or undo every swap a killed run left half done, whatever its age.

    A folder set aside (``.old-<period>-…``) with no ``<period>`` folder in place is
    put back: the earlier build returns as it was. One with the new folder in place
    is removed, after anything foreign it holds that the new folder lacks is moved
    across. Nothing foreign is ever deleted. An archive page half-written by a
    killed run (its temporary file) is removed.

    Args:
        out_dir: The folder of the period folders.

    Returns:
        One line per swap put right, saying what was done.
    """
    if not out_dir.is_dir():
        return []
    lines = []
    with output_lock(out_dir):  # no run is swapping or writing the archive meanwhile
        for temp in sorted(out_dir.iterdir()):
            if _ARCHIVE_TEMP.fullmatch(temp.name) and temp.is_file() and not temp.is_symlink():
                temp.unlink()
                lines.append(f"removed {temp.name} (half-written by a run that was stopped)")
        for old in sorted(out_dir.iterdir()):
            match = _SET_ASIDE.fullmatch(old.name)
            if not match or old.is_symlink() or not old.is_dir():
                continue
            name = match["name"]
            target = out_dir / name
            if not os.path.lexists(target):
                os.replace(old, target)
                lines.append(
                    f"restored {name}/ as it was: a run was stopped while publishing it "
                    "(its new build was not put in place)"
                )
                continue
            for entry in foreign_files(old):
                if not os.path.lexists(target / entry):
                    (target / entry).parent.mkdir(parents=True, exist_ok=True)
                    os.replace(old / entry, target / entry)
            shutil.rmtree(old)
            lines.append(
                f"finished publishing {name}/: a run was stopped after putting its new "
                "build in place (removed the earlier build it had set aside)"
            )
    return lines


def named(paths: Iterable[str]) -> str:
    """``a, b and 2 more``: a short list of file names for one line."""
    names = [printable(name) for name in paths]
    if len(names) <= 3:
        return ", ".join(names)
    return f"{', '.join(names[:3])} and {len(names) - 3} more"
