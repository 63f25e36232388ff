"""``manifest.json``, ``headlines.json`` and ``quality.json`` of a period's outputs.

The manifest records what the briefings were built from: the git commit (and
whether the working tree had changes), the run's parameters, the SHA-256 of every
input file and notebook, the versions of the main packages, and when the run
started and finished.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from helpers import config
from helpers.errors import display_path
from helpers.tidy.dataset import source_checksums

#: Packages whose versions the manifest records (besides Python itself).
PACKAGES: tuple[str, ...] = (
    "engagement-briefings",
    "pandas",
    "pandera",
    "papermill",
    "nbconvert",
    "seaborn",
    "matplotlib",
    "numpy",
    "statsmodels",
)

#: Fields every headline record must have.
HEADLINE_FIELDS: tuple[str, ...] = (
    "channel",
    "account",
    "metric",
    "start",
    "end",
    "value",
    "unit",
)


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def git_state(root: Path | None = None) -> dict[str, object]:
    """Return the commit checked out at ``root`` and whether the tree has changes.

    Args:
        root: The project folder (default: the project root).

    Returns:
        ``{"commit": sha or "unknown", "dirty": bool or None}``; ``None`` when ``root``
        is not a git checkout (or git is not installed).
    """
    folder = root or config.ROOT
    head = _git(folder, "rev-parse", "HEAD")
    if head is None:
        return {"commit": "unknown", "dirty": None}
    status = _git(folder, "status", "--porcelain")
    return {"commit": head.strip(), "dirty": None if status is None else bool(status.strip())}


def package_versions(names: Iterable[str] = PACKAGES) -> dict[str, str | None]:
    """Return the installed version of Python and of each package (None if absent)."""
    versions: dict[str, str | None] = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def input_hashes(data_dir: Path, notebooks: Iterable[Path]) -> dict[str, str]:
    """SHA-256 of every raw input, the processed table (if any) and the notebooks.

    Args:
        data_dir: The data folder the notebooks read.
        notebooks: The notebooks that were run.

    Returns:
        File path (relative to the project root when inside it) to hex digest.
    """
    sums = {display_path(path): digest for path, digest in source_checksums(data_dir).items()}
    for path in notebooks:
        sums[display_path(path)] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return sums


def build_manifest(
    *,
    parameters: Mapping[str, object],
    data_dir: Path,
    notebooks: Mapping[str, Path],
    kernel_name: str,
    started: str,
    finished: str,
    seconds: Mapping[str, float],
    fingerprint: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Assemble the manifest of one period.

    Args:
        parameters: The run's parameters (period, start, window, channels...).
        data_dir: The data folder the notebooks read.
        notebooks: Briefing name to the notebook that was run.
        kernel_name: The Jupyter kernel used.
        started: ISO time the run started.
        finished: ISO time the run finished.
        seconds: Execution time of each notebook.
        fingerprint: What the briefings depend on (:mod:`.fingerprint`); the next
            run rebuilds the period only when it differs.

    Returns:
        A JSON-ready dict.
    """
    return {
        "git": git_state(),
        "parameters": dict(parameters),
        "data_dir": display_path(data_dir),
        "notebooks": {name: display_path(path) for name, path in notebooks.items()},
        "kernel": kernel_name,
        "inputs": input_hashes(data_dir, notebooks.values()),
        "versions": package_versions(),
        "started": started,
        "finished": finished,
        "notebook_seconds": {name: round(s, 2) for name, s in seconds.items()},
        "fingerprint": dict(fingerprint) if fingerprint is not None else None,
    }


def missing_headline_fields(records: Sequence[Mapping[str, Any]]) -> list[str]:
    """Name the required fields absent from any headline record (empty when complete)."""
    return sorted({f for r in records for f in HEADLINE_FIELDS if f not in r})


def json_ready(data: object) -> object:
    """Return ``data`` with NaN and infinite floats replaced by None (valid JSON)."""
    if isinstance(data, float) and not math.isfinite(data):
        return None
    if isinstance(data, dict):
        return {key: json_ready(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [json_ready(value) for value in data]
    return data


def write_json(path: Path, data: object) -> None:
    """Write ``data`` as indented UTF-8 JSON with a final newline (NaN becomes null)."""
    text = json.dumps(json_ready(data), indent=2, ensure_ascii=False, allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8")
