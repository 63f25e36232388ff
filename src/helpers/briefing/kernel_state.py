"""What a warm kernel runs inside itself: the imports once, then a fresh state per notebook.

:mod:`helpers.briefing.execute` starts the kernels and calls these functions in them.
This module imports nothing beyond the standard library at import time, so loading
it in a kernel costs nothing the notebooks would not load anyway. It uses public
APIs only: IPython's ``InteractiveShell.reset``, :func:`matplotlib.rc_context`,
:class:`warnings.catch_warnings` and :func:`pandas.reset_option`.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import os
import pkgutil
import random
import sys
import warnings
from typing import Any

#: Third-party modules loaded before the project's own, the ones the project imports
#: only in the functions that use them included (matplotlib's Agg canvas is what the
#: charts draw on; the kernel's pyplot backend stays the one a fresh kernel has).
PRELOAD = (
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.backends.backend_agg",
    "seaborn",
    "scipy.optimize",
    "statsmodels.regression.linear_model",
)
#: Packages of the project that run the notebooks rather than being used by them.
NOT_PRELOADED = ("helpers.briefing", "helpers.cli")

#: The state a fresh kernel has once the imports are loaded (filled by :func:`preload`).
_FRESH: dict[str, Any] = {}


def _project_modules() -> list[str]:
    """Every module of the ``helpers`` package a notebook may import."""
    import helpers

    names = []
    for top in pkgutil.iter_modules(helpers.__path__, "helpers."):
        if top.name in NOT_PRELOADED:
            continue
        names.append(top.name)
        if top.ispkg:
            package = importlib.import_module(top.name)
            found = pkgutil.walk_packages(package.__path__, f"{top.name}.")
            names += [info.name for info in found if not info.name.endswith(".__main__")]
    return names


def _keep_settings() -> contextlib.ExitStack:
    """Remember the warning filters and matplotlib's settings; closing the stack restores them."""
    stack = contextlib.ExitStack()
    stack.enter_context(warnings.catch_warnings())
    if "matplotlib" in sys.modules:
        stack.enter_context(sys.modules["matplotlib"].rc_context())
    return stack


def _close_settings() -> None:
    settings = _FRESH.pop("settings", None)
    if settings is not None:
        settings.close()


def preload() -> list[str]:
    """Import the heavy modules once and remember the state a fresh kernel has (in the kernel).

    A module that fails to import is left out: the notebook that imports it gets the
    error in its own cell, as it would in a fresh kernel.

    Returns:
        The modules that could not be imported.
    """
    failed = []
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # reported by the notebook that needs it
            failed.append(name)
    try:
        project = _project_modules()
    except Exception:  # a package that cannot be imported: its notebook reports it
        project = []
    for name in project:
        try:
            importlib.import_module(name)
        except Exception:
            failed.append(name)
    _FRESH["settings"] = _keep_settings()
    atexit.register(_close_settings)  # while matplotlib is still whole, not at teardown
    _FRESH["path"] = list(sys.path)
    _FRESH["environ"] = dict(os.environ)
    # What the imports made lives as long as the kernel: kept out of the collections
    # that follow (each reset collects), which then only look at a notebook's objects.
    gc.collect()
    gc.freeze()
    return failed


def fresh_state(cwd: str) -> None:
    """Give the kernel the state a fresh one has, in the working directory ``cwd`` (in the kernel).

    The namespace and output history are emptied, IPython's history opens a new
    session and the execution count starts at 1 again (``InteractiveShell.reset``);
    figures are closed; matplotlib's settings and the warning filters are those
    after the imports, pandas' options their defaults; ``sys.path``, the
    environment variables and the random generators are as a fresh kernel has them.

    Args:
        cwd: The next notebook's working directory.
    """
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        # a new history session too: reusing the old one once the count is back at 1
        # makes IPython print "Session/line number was not unique" into a cell
        shell.reset(new_session=True)
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    if "settings" in _FRESH:
        _FRESH["settings"].close()
        _FRESH["settings"] = _keep_settings()
    if "pandas" in sys.modules:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # deprecated options warn when they are set
            sys.modules["pandas"].reset_option("all")
    if "path" in _FRESH:
        sys.path[:] = _FRESH["path"]
    if "environ" in _FRESH and dict(os.environ) != _FRESH["environ"]:
        os.environ.clear()
        os.environ.update(_FRESH["environ"])
    random.seed()
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    os.chdir(cwd)
    gc.collect()
    if "pyarrow" in sys.modules:  # the last notebook's tables: memory back to the system
        sys.modules["pyarrow"].default_memory_pool().release_unused()
