"""What a period's briefings depend on, as one digest: rebuild only when it changes.

A period is rebuilt only when something its pages are computed from has changed.
The fingerprint is a SHA-256 over named parts, each itself a SHA-256:

- ``data``: the tidy rows whose dates reach into the months the period reads: its
  window, the month a year before the period (year-on-year changes) and the start
  of every stated figure checked in the window (a claimed change over a year
  starts before the window);
- ``claims``: the stated figures ("as reported") checked in the window;
- ``commentary``: the analysts' commentary file of the period, if there is one;
- ``reference``: the reference files (``raw/reference/``, e.g. population);
- ``notebooks``: the notebooks run;
- ``code``: every file of the ``helpers`` package (analysis, presentation,
  templates, this runner);
- ``versions``: Python and the main packages (:data:`.manifest.PACKAGES`);
- ``parameters``: period, start, window, briefings, data folder and kernel.

The runner stores the fingerprint in the period's ``manifest.json`` and compares
it with the one of the next run. The parts are kept, so the runner can say what
changed. Everything here is vectorised over the tidy table: one run computes the
fingerprints of every period in well under a second.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import helpers
from helpers.briefing.manifest import package_versions
from helpers.briefing.plan import Request
from helpers.errors import display_path
from helpers.layout import DataLayout
from helpers.tidy.dataset import load_tidy
from helpers.tidy.inputs import load_claims

#: Bump when the way the fingerprint is computed changes (forces one rebuild).
VERSION = 1

#: The parts of a fingerprint, in the order a change is reported.
PARTS: tuple[str, ...] = (
    "data",
    "claims",
    "commentary",
    "reference",
    "notebooks",
    "code",
    "versions",
    "parameters",
)

#: Folders of the data folder's ``raw/`` the fingerprint reads.

_SKIPPED_NAMES = frozenset({"__pycache__", ".ipynb_checkpoints"})


def _sha256(*chunks: bytes) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(len(chunk).to_bytes(8, "little"))
        digest.update(chunk)
    return digest.hexdigest()


def _text(data: object) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")


def files_digest(files: Iterable[Path], root: Path | None = None) -> str:
    """SHA-256 over the names (relative to ``root``) and contents of ``files``.

    Args:
        files: The files, in any order (they are sorted).
        root: Names are taken relative to this folder (default: the file name only).

    Returns:
        The hex digest; the same for the same names and bytes.
    """
    chunks: list[bytes] = []
    for path in sorted(files, key=lambda p: p.relative_to(root).as_posix() if root else p.name):
        name = path.relative_to(root).as_posix() if root else path.name
        chunks += [name.encode(), hashlib.sha256(path.read_bytes()).digest()]
    return _sha256(*chunks)


def _tree(folder: Path, *, skip_readme: bool = False) -> list[Path]:
    """Every file under ``folder`` (none when it does not exist), caches left out."""
    if not folder.is_dir():
        return []
    return [
        path
        for path in folder.rglob("*")
        if path.is_file()
        and not _SKIPPED_NAMES.intersection(path.relative_to(folder).parts)
        and path.suffix not in {".pyc", ".pyo"}
        and not (skip_readme and path.name.lower().startswith("readme"))
    ]


def code_digest(package: Path | None = None) -> str:
    """Digest of every file of the ``helpers`` package (sources and templates)."""
    folder = package or Path(helpers.__file__).parent
    return files_digest(_tree(folder), folder)


def _row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """One 64-bit hash per row over every column (names included), in row order."""
    if frame.empty:
        return np.zeros(0, dtype=np.uint64)
    columns = sorted(frame.columns)
    step = 250_000  # a row's hash is its own: in parts, text columns never all become objects
    hashed = np.concatenate(
        [
            pd.util.hash_pandas_object(frame.iloc[i : i + step][columns], index=False).to_numpy()
            for i in range(0, len(frame), step)
        ]
    )
    return hashed ^ np.uint64(int(hashlib.sha256(_text(columns)).hexdigest()[:16], 16))


@dataclass(frozen=True)
class Inputs:
    """What the fingerprints of one run's periods are computed from (read once).

    Attributes:
        layout: The data folder's layout.
        tidy: The tidy table, as the notebooks will read it.
        claims: The stated figures.
        code: Digest of the ``helpers`` package.
        versions: Digest of the Python and package versions.
    """

    layout: DataLayout
    tidy: pd.DataFrame
    claims: pd.DataFrame
    code: str
    versions: str

    @cached_property
    def _tidy_index(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        hashes = _row_hashes(self.tidy)
        return (
            hashes,
            pd.to_datetime(self.tidy["start"]).to_numpy(),
            pd.to_datetime(self.tidy["end"]).to_numpy(),
        )

    @cached_property
    def _claim_index(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        if self.claims.empty:
            empty = np.zeros(0, dtype="datetime64[ns]")
            return np.zeros(0, dtype=np.uint64), empty, empty, empty
        return (
            _row_hashes(self.claims),
            pd.to_datetime(self.claims["start"]).to_numpy(),
            pd.to_datetime(self.claims["end"]).to_numpy(),
            pd.to_datetime(self.claims["reported"]).to_numpy(),
        )

    def _checked(self, window_first: pd.Timestamp, window_last: pd.Timestamp) -> np.ndarray:
        """Which claims a window checks: ending inside it, and stated by its last day."""
        _, _, ends, reported = self._claim_index
        last = window_last.to_datetime64()
        return (ends >= window_first.to_datetime64()) & (ends <= last) & (reported <= last)

    @cached_property
    def reference(self) -> str:
        """Digest of the reference files of the data folder."""
        folder = self.layout.reference
        return files_digest(_tree(folder, skip_readme=True), folder)

    def commentary(self, period: str) -> str:
        """Digest of the period's commentary file (a fixed value when there is none)."""
        path = commentary_path(self.layout, period)
        return files_digest([path]) if path.is_file() else _sha256(b"no commentary")

    def claims_digest(self, window_first: pd.Timestamp, window_last: pd.Timestamp) -> str:
        """Digest of the claims checked in a window (ending inside it, stated by its end)."""
        return _sha256(self._claim_index[0][self._checked(window_first, window_last)].tobytes())

    def earliest_claim_start(
        self, window_first: pd.Timestamp, window_last: pd.Timestamp
    ) -> pd.Timestamp | None:
        """The first day a claim checked in the window starts on (None: no claim)."""
        inside = self._checked(window_first, window_last)
        return pd.Timestamp(self._claim_index[1][inside].min()) if inside.any() else None

    def data_digest(self, first: pd.Timestamp, last: pd.Timestamp) -> str:
        """Digest of the tidy rows whose dates overlap ``first``..``last``."""
        hashes, starts, ends = self._tidy_index
        overlap = (ends >= first.to_datetime64()) & (starts <= last.to_datetime64())
        return _sha256(hashes[overlap].tobytes())


def commentary_path(layout: DataLayout, period: str) -> Path:
    """The analysts' commentary file of a period: ``<data>/raw/commentary/<period>.md``."""
    return layout.commentary / f"{period}.md"


def load_inputs(layout: DataLayout, tidy: pd.DataFrame | None = None) -> Inputs:
    """Read what the fingerprints of a run need.

    Args:
        layout: The data folder of the run.
        tidy: The tidy table if already loaded (else it is loaded like the notebooks do).

    Returns:
        The inputs, shared by every period of the run.
    """
    if tidy is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # stale processed data: rebuilt
            tidy = load_tidy(layout)
    claims = load_claims(layout)
    return Inputs(
        layout=layout,
        tidy=tidy,
        claims=claims,
        code=code_digest(),
        versions=_sha256(_text(package_versions())),
    )


def dependency_span(request: Request, inputs: Inputs) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day of the figures a period's briefings can read.

    The window, extended back to the month a year before the period (year-on-year
    changes) and to the start of any stated figure checked in the window.

    Args:
        request: The period's request.
        inputs: The run's inputs.

    Returns:
        ``(first day, last day)``.
    """
    window = request.window
    first = min(window.first_day, (window.end - 12).start_time.normalize())
    claimed = inputs.earliest_claim_start(window.first_day, window.last_day)
    if claimed is not None:
        first = min(first, claimed)
    return first, window.last_day


@dataclass(frozen=True)
class Fingerprint:
    """The digest of everything one period's briefings depend on.

    Attributes:
        parts: Digest of each part (:data:`PARTS`).
        span: First and last day of the tidy rows covered (ISO dates).
    """

    parts: dict[str, str]
    span: tuple[str, str]

    @property
    def digest(self) -> str:
        """One SHA-256 over the version and every part."""
        return _sha256(_text({"version": VERSION, "parts": self.parts}))

    def to_json(self) -> dict[str, Any]:
        """The form stored in ``manifest.json``."""
        return {
            "version": VERSION,
            "digest": self.digest,
            "span": list(self.span),
            "parts": dict(self.parts),
        }

    def changes(self, stored: Mapping[str, Any] | None) -> list[str]:
        """What differs from a stored fingerprint, in words (empty: up to date).

        Args:
            stored: The ``fingerprint`` of a published ``manifest.json`` (None: none).

        Returns:
            e.g. ``["data", "code"]``; ``["no earlier build"]`` when nothing is stored.
        """
        if not stored or not isinstance(stored, Mapping):
            return ["no earlier build"]
        if stored.get("digest") == self.digest and stored.get("version") == VERSION:
            return []
        if stored.get("version") != VERSION:
            return ["fingerprint format"]
        old = stored.get("parts") or {}
        return [name for name in PARTS if old.get(name) != self.parts.get(name)] or ["digest"]


def period_fingerprint(request: Request, inputs: Inputs, kernel_name: str) -> Fingerprint:
    """Compute the fingerprint of one period's briefings.

    Args:
        request: The checked request.
        inputs: The run's inputs (:func:`load_inputs`).
        kernel_name: The Jupyter kernel the notebooks run with.

    Returns:
        The fingerprint.
    """
    window = request.window
    first, last = dependency_span(request, inputs)
    parameters = {
        "period": request.period,
        "start": request.start,
        "window": [str(window.start), str(window.end)],
        "channels": list(request.channels),
        "data_dir": display_path(request.data_dir),
        "kernel": kernel_name,
    }
    notebooks = {
        name: hashlib.sha256(p.read_bytes()).hexdigest() for name, p in request.notebooks.items()
    }
    parts = {
        "data": inputs.data_digest(first, last),
        "claims": inputs.claims_digest(window.first_day, window.last_day),
        "commentary": inputs.commentary(request.period),
        "reference": inputs.reference,
        "notebooks": _sha256(_text(notebooks)),
        "code": inputs.code,
        "versions": inputs.versions,
        "parameters": _sha256(_text(parameters)),
    }
    return Fingerprint(parts, (first.date().isoformat(), last.date().isoformat()))


def stored_fingerprint(folder: Path) -> dict[str, Any] | None:
    """The fingerprint in a published period's ``manifest.json`` (None: none readable)."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    stored = manifest.get("fingerprint") if isinstance(manifest, dict) else None
    return stored if isinstance(stored, dict) else None
