"""What a warm kernel runs inside itself: the imports once, then a fresh state per notebook.

:mod:`helpers.briefing.kernels` starts the kernels and calls these functions in
them; this module imports nothing beyond the standard library at import time, so
loading it in a kernel costs nothing the notebooks would not load anyway.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pkgutil
import sys
from typing import Any

#: Third-party modules loaded before the project's own (matplotlib's Agg canvas is what
#: the charts draw on; the kernel's pyplot backend stays the one a fresh kernel has).
PRELOAD = ("numpy", "pandas", "matplotlib", "matplotlib.backends.backend_agg", "seaborn")
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


def _pandas_options() -> dict[str, Any]:
    import warnings

    import pandas as pd
    from pandas._config import config as options

    values = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for key in options._registered_options:
            with contextlib.suppress(Exception):
                values[key] = pd.get_option(key)
    return values


def preload() -> list[str]:
    """Import the heavy modules once and remember the state a fresh kernel has (in the kernel).

    A module that fails to import is left out: the notebook that imports it gets the
    error in its own cell, as it would in a fresh kernel.

    Returns:
        The modules that could not be imported.
    """
    import copy
    import gc
    import warnings

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
    import matplotlib as mpl

    # as matplotlib.rc_context keeps them: without the backend, which is not reset
    rc = dict(mpl.rcParams.copy())
    del rc["backend"]
    _FRESH["rc"] = copy.deepcopy(rc)
    _FRESH["pandas"] = _pandas_options()
    _FRESH["warnings"] = list(warnings.filters)
    _FRESH["path"] = list(sys.path)
    _FRESH["environ"] = dict(os.environ)
    # What the imports made lives as long as the kernel: kept out of the collections
    # that follow (each reset collects), which then only look at a notebook's objects.
    gc.collect()
    gc.freeze()
    return failed


def fresh_state(cwd: str) -> None:
    """Give the kernel the state a fresh one has, in the working directory ``cwd`` (in the kernel).

    Args:
        cwd: The next notebook's working directory.
    """
    import copy
    import gc
    import random
    import warnings

    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.run_line_magic("reset", "-f")
        # a new history session, as a fresh kernel has: reusing the old one once the
        # count is back at 1 makes IPython print "Session/line number was not unique"
        # into whatever cell is running
        shell.history_manager.reset(new_session=True)
        shell.execution_count = 1
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    if "rc" in _FRESH:
        import matplotlib as mpl

        restore = getattr(mpl.rcParams, "_update_raw", None)
        if restore is None:  # older matplotlib
            dict.update(mpl.rcParams, copy.deepcopy(_FRESH["rc"]))
        else:
            restore(copy.deepcopy(_FRESH["rc"]))
    if "pandas" in _FRESH:
        import pandas as pd

        now = _pandas_options()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for key, value in _FRESH["pandas"].items():
                with contextlib.suppress(Exception):
                    if key not in now or bool(now[key] != value):
                        pd.set_option(key, value)
    if "warnings" in _FRESH:
        warnings.filters[:] = _FRESH["warnings"]
        warnings._filters_mutated()  # type: ignore[attr-defined]
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
