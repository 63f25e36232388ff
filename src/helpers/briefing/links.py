"""Links safe by construction: only ``https``, ``http``, ``mailto`` and in-page or relative links.

Every page the run writes passes through :func:`neutralize_links`: a link
(``<a>``/``<area>`` ``href``, a form's ``action``, a button's ``formaction``)
whose target has any other scheme (``javascript:``, ``data:``, ``vbscript:``,
``file:``…) loses its target and stays as plain text. The scheme is read the way
a browser reads it: character references decoded, tabs and line breaks inside
removed, leading and trailing spaces and control characters stripped, letter case
ignored. :func:`unsafe_links` lists what would be removed, so a page can be
checked before it is written. The board paper is printed from these pages, so
its link annotations pass the same test.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

#: Schemes a link may use; a link without a scheme (``#part``, ``social.html``) is fine.
ALLOWED_SCHEMES: frozenset[str] = frozenset({"https", "http", "mailto"})

#: (tag, attribute) pairs whose value is a link a person can follow or submit to.
LINK_ATTRIBUTES: frozenset[tuple[str, str]] = frozenset(
    {
        ("a", "href"),
        ("area", "href"),
        ("form", "action"),
        ("button", "formaction"),
        ("input", "formaction"),
        ("iframe", "src"),
        ("embed", "src"),
        ("object", "data"),
    }
)

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# What a URL parser ignores: tab, LF and CR anywhere; C0 controls and space at the ends.
_INSIDE = re.compile(r"[\t\n\r]")
_ENDS = "".join(chr(c) for c in range(0x21))


def link_scheme(url: str) -> str | None:
    """The scheme a browser would see in ``url`` (lower case), or None for a relative link.

    Args:
        url: An attribute value, entity references already decoded or not.

    Returns:
        e.g. ``"javascript"`` for ``" JaVa&#x09;Script:alert(1)"``; None for ``"#top"``.
    """
    text = _INSIDE.sub("", html.unescape(url)).strip(_ENDS).lower()
    match = _SCHEME.match(text)
    return match.group(1) if match else None


def is_safe_url(url: str) -> bool:
    """Whether a link to ``url`` may appear on a page (allowed scheme or none)."""
    scheme = link_scheme(url)
    return scheme is None or scheme in ALLOWED_SCHEMES


class _LinkFinder(HTMLParser):
    """Find the start tags that carry a link with a scheme outside the allow-list."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        #: (line, column, start-tag text, attributes) of each offending tag.
        self.found: list[tuple[int, int, str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if any(
            (tag, name) in LINK_ATTRIBUTES and not is_safe_url(value or "") for name, value in attrs
        ):
            line, column = self.getpos()
            self.found.append((line, column, self.get_starttag_text() or "", attrs))

    handle_startendtag = handle_starttag


def _find(page: str) -> list[tuple[int, int, str, list[tuple[str, str | None]]]]:
    finder = _LinkFinder()
    finder.feed(page)
    finder.close()
    return finder.found


def unsafe_links(page: str) -> list[str]:
    """The start tags of ``page`` whose link has a scheme outside :data:`ALLOWED_SCHEMES`."""
    return [text for _, _, text, _ in _find(page)]


def _rebuilt(tag_text: str, attrs: list[tuple[str, str | None]]) -> str:
    tag = re.match(r"<\s*([a-zA-Z0-9]+)", tag_text)
    name = tag.group(1).lower() if tag else "a"
    kept = [
        f' {key}="{html.escape(value or "", quote=True)}"' if value is not None else f" {key}"
        for key, value in attrs
        if (name, key) not in LINK_ATTRIBUTES
    ]
    end = "/>" if tag_text.rstrip().endswith("/>") else ">"
    return f"<{name}{''.join(kept)} data-link-removed{end}"


def neutralize_links(page: str) -> str:
    """Return ``page`` with every link outside the allow-list made plain text.

    The offending tag keeps its other attributes and its content, and gains
    ``data-link-removed``; nothing else of the page changes.

    Args:
        page: An HTML page or fragment.

    Returns:
        The page without unsafe links.
    """
    found = _find(page)
    if not found:
        return page
    # line starts as the parser counts lines (by "\n" only)
    starts = [0, *(m.end() for m in re.finditer("\n", page))]
    out, done = [], 0
    for line, column, text, attrs in found:
        at = starts[line - 1] + column
        if page[at : at + len(text)] != text:  # pragma: no cover - parser and text disagree
            continue
        out.append(page[done:at])
        out.append(_rebuilt(text, attrs))
        done = at + len(text)
    out.append(page[done:])
    return "".join(out)
