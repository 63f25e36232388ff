"""Presentation: number formats, tables (Styler), charts (Figure) and sentences (Markdown).

``from helpers import present`` gives the views a notebook step calls, the names
listed once, in ``helpers.present.views.__all__`` (a misspelt name there fails the
lint, F822, and ``tests/unit/test_layers.py``). Views take figure frames from
:mod:`helpers.measures` and return objects a notebook displays; they compute no
figure of their own and write no file. Given nothing to show, a view here returns
:func:`absent` (one line saying so, and the published page leaves the section out)
instead of an empty table or chart; the functions in the submodules themselves
expect data.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

#: The module whose ``__all__`` is the package's one list of views. It is imported on
#: first use, so that importing one submodule (``helpers.present.formats``) stays cheap.
_VIEWS = "helpers.present.views"


def _views() -> ModuleType:
    return importlib.import_module(_VIEWS)


def _submodule(name: str) -> ModuleType | None:
    """``helpers.present.<name>`` if it is a submodule (``formats``, ``charts``...), else None."""
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as error:
        if error.name != f"{__name__}.{name}":
            raise
        return None


def __getattr__(name: str) -> Any:
    if name == "__all__":
        return list(_views().__all__)
    if name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = _submodule(name)
    if module is not None:
        return module
    views = _views()
    if name not in views.__all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(views, name)


def __dir__() -> list[str]:
    return sorted(_views().__all__)
