"""HTML pieces of the views, rendered from Jinja templates with autoescape.

Every piece of HTML a view shows (the overview's lists and tables, the data-quality
table, headline tiles, the headline summary) comes from a macro in ``templates/``:
autoescaping is on, so text from data is always text, never markup. A view calls
:func:`render` with the template file and macro name and gets :class:`Html`, which a
notebook displays as HTML.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2

#: The folder of the views' templates.
TEMPLATES = Path(__file__).parent / "templates"


class Html(str):
    """A piece of a page as HTML, rendered from an autoescaped template."""

    def _repr_html_(self) -> str:
        return str(self)


@functools.cache
def environment() -> jinja2.Environment:
    """The views' template environment (built once): autoescaped, strict."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def render(template: str, macro: str, /, *args: Any, **kwargs: Any) -> Html:
    """Call the macro ``macro`` of ``templates/<template>`` and return its HTML.

    Args:
        template: The template file, e.g. ``"summary.html.j2"``.
        macro: The macro's name.
        *args: Its arguments, escaped where they are shown.
        **kwargs: Its keyword arguments.

    Returns:
        The HTML, with no space around it.
    """
    module = environment().get_template(template).module
    return Html(str(getattr(module, macro)(*args, **kwargs)).strip())
