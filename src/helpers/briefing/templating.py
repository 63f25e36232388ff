"""The one Jinja environment of the project's own page templates (``templates/``).

The archive (``outputs/index.html``) and the board paper's print document render with
it: autoescaping on (text from data is never markup), undefined names an error. The
notebooks' pages are rendered by nbconvert, whose exporter owns its environment; it
loads the same ``templates/`` folder (:mod:`.render`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import jinja2

#: The folder of the page templates and stylesheets.
TEMPLATES = Path(__file__).parent / "templates"

#: Filters the templates use, registered by the modules that own them.
_FILTERS: dict[str, Callable[..., str]] = {}


def register_filter(name: str, function: Callable[..., str]) -> None:
    """Make ``function`` available to every template as the filter ``name``."""
    _FILTERS[name] = function
    if environment.cache_info().currsize:
        environment().filters[name] = function


@functools.cache
def environment() -> jinja2.Environment:
    """The environment (built once): ``templates/``, autoescaped, strict."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters.update(_FILTERS)
    return env


def read_template_file(*names: str) -> str:
    """The text of files in ``templates/`` (stylesheets, scripts), joined by newlines."""
    return "\n".join((TEMPLATES / name).read_text(encoding="utf-8") for name in names)
