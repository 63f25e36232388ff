"""Convert an executed briefing notebook into one self-contained HTML page.

Conversion runs in-process with nbconvert's :class:`~nbconvert.HTMLExporter` and the
project's own template (``templates/notebook``): no code, no prompts, no parameters
cells, no headline or quality tables (they go to JSON files and the index), and
nothing loaded from the network (no scripts at all; images are inline data URIs),
and no link outside ``https``, ``http``, ``mailto`` and in-page or relative links
(:mod:`helpers.briefing.links`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from typing import Any

import nbformat
from nbconvert import HTMLExporter
from nbconvert.filters import markdown2html
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor
from traitlets import List, Unicode

from helpers.briefing.links import neutralize_links, unsafe_links
from helpers.briefing.page_layout import BriefingLayout, CompressImages
from helpers.briefing.run_errors import RunError
from helpers.briefing.templating import TEMPLATES
from helpers.tidy.published import HEADLINES_MIME, OVERVIEW_MIME, QUALITY_MIME

#: Cells removed from the page: papermill's injected values and the defaults.
REMOVED_TAGS: frozenset[str] = frozenset({"parameters", "injected-parameters"})

#: Outputs removed from the page (published as JSON instead).
REMOVED_MIMETYPES: tuple[str, ...] = (HEADLINES_MIME, QUALITY_MIME, OVERVIEW_MIME)

#: Largest page size accepted, in bytes.
MAX_PAGE_BYTES = 1_500_000

_HEADING = re.compile(r"<(/?)h([1-6])(?=[\s>])", re.IGNORECASE)
_ANCHOR_LINK = re.compile(r'<a class="anchor-link" href="#[^"]*">(?:¶|&#182;|&para;)</a>')
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*((?:https?:)?//[^)'\"]*)", re.IGNORECASE)


class DropMimeOutputs(Preprocessor):
    """Remove every output that carries one of ``mimetypes``."""

    mimetypes = List(Unicode(), default_value=list(REMOVED_MIMETYPES)).tag(config=True)

    def preprocess_cell(
        self, cell: nbformat.NotebookNode, resources: dict[str, Any], index: int
    ) -> tuple[nbformat.NotebookNode, dict[str, Any]]:
        """Drop the matching outputs of one cell."""
        if cell.cell_type == "code":
            cell.outputs = [
                out
                for out in cell.outputs
                if not any(m in out.get("data", {}) for m in self.mimetypes)
            ]
        return cell, resources


@dataclass(frozen=True)
class Page:
    """What the page template shows around a notebook.

    Attributes:
        force: Name of the force (h1, first line).
        topic: What the page is about (``"Social media briefing"``).
        period_label: The period in words (``"September 2015"``).
        window_label: The months covered in words.
        title: Text of ``<title>``.
        nav: Links of the header, dicts with ``href``, ``text``, ``current``.
        footer: One sentence for the footer.
        default_alt: Alternative text for an image output that has none of its own.
    """

    force: str
    topic: str
    period_label: str
    window_label: str
    title: str
    nav: list[dict[str, object]] = field(default_factory=list)
    footer: str = ""
    default_alt: str = "Chart"


@functools.cache
def stylesheet() -> str:
    """The pages' inline CSS."""
    return (TEMPLATES / "briefing.css").read_text(encoding="utf-8")


def shift_headings(html: str, offset: int) -> str:
    """Move every heading tag of ``html`` down ``offset`` levels (never past h6).

    Args:
        html: Rendered HTML.
        offset: Levels to add (0 leaves the HTML as it is).

    Returns:
        The HTML with ``<hN>``/``</hN>`` renumbered, and without the pilcrow links
        nbconvert appends to headings (the headings keep their ids).
    """
    html = _ANCHOR_LINK.sub("", html)
    if offset <= 0:
        return html
    return _HEADING.sub(
        lambda m: m.group(0)[: m.start(2) - m.start()] + str(min(6, int(m.group(2)) + offset)),
        html,
    )


def _markdown_sources(nb: nbformat.NotebookNode) -> list[str]:
    texts = [cell.source for cell in nb.cells if cell.cell_type == "markdown"]
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if "text/markdown" in out.get("data", {}):
                texts.append(out["data"]["text/markdown"])
    return texts


def heading_offset(nb: nbformat.NotebookNode, top: int = 2) -> int:
    """Return how far the notebook's headings must move so the highest becomes ``top``.

    Args:
        nb: The notebook.
        top: Heading level the notebook's highest heading should have (the page
            template provides the only h1).

    Returns:
        Levels to add to every heading (0 when the notebook already starts at ``top``).
    """
    levels = [
        int(level)
        for text in _markdown_sources(nb)
        for _, level in _HEADING.findall(markdown2html(text))
    ]
    return max(0, top - min(levels)) if levels else 0


def briefing_preprocessors() -> list[Preprocessor]:
    """The preprocessors that make a briefing page of an executed notebook, in order.

    The runner's exporter applies them after nbconvert's own; plain nbconvert applies
    them through the template's :class:`~helpers.briefing.nbconvert_template.PlainNbconvert`.
    """
    return [
        TagRemovePreprocessor(remove_cell_tags=set(REMOVED_TAGS), enabled=True),
        DropMimeOutputs(enabled=True),
        BriefingLayout(enabled=True),
        CompressImages(enabled=True),
    ]


def make_exporter() -> HTMLExporter:
    """Return an HTML exporter configured with the project's template."""
    exporter = HTMLExporter(
        template_name="notebook",
        extra_template_basedirs=[str(TEMPLATES)],
        extra_template_paths=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        filters={"shift_headings": shift_headings},
    )
    for preprocessor in briefing_preprocessors():
        exporter.register_preprocessor(preprocessor)
    return exporter


def render_notebook(nb: nbformat.NotebookNode, page: Page) -> str:
    """Render an executed notebook as a briefing page.

    Args:
        nb: The executed notebook (left unchanged).
        page: Titles and links around the content.

    Returns:
        The page's HTML.
    """
    resources = {
        "briefing": {
            **asdict(page),
            "css": stylesheet(),
            "heading_offset": heading_offset(nb),
        }
    }
    body, _ = make_exporter().from_notebook_node(nb, resources=resources)
    return neutralize_links(body)


class _ReferenceFinder(HTMLParser):
    """Collect URLs that would make a browser fetch something from the network."""

    _ATTRS: frozenset[tuple[str, str]] = frozenset(
        {
            ("script", "src"),
            ("link", "href"),
            ("img", "src"),
            ("img", "srcset"),
            ("iframe", "src"),
            ("source", "src"),
            ("video", "src"),
            ("audio", "src"),
            ("embed", "src"),
            ("object", "data"),
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = (value or "").strip()
            if (tag, name) in self._ATTRS and _is_remote(value):
                self.found.append(f"<{tag} {name}={value[:80]}>")
            if name == "style":
                self.found.extend(_CSS_URL.findall(value))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found.extend(_CSS_URL.findall(data))
            self.found.extend(re.findall(r"@import\s+['\"]?[^;]+", data))


def _is_remote(url: str) -> bool:
    lowered = url.lower()
    return (
        lowered.startswith(("http://", "https://", "//"))
        or "http://" in lowered
        or ("https://" in lowered)
    )


def network_references(html: str) -> list[str]:
    """List everything in ``html`` a browser would fetch from the network.

    Args:
        html: A page.

    Returns:
        The offending tags or CSS URLs (empty for a self-contained page).
    """
    finder = _ReferenceFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def check_page(html: str, name: str) -> None:
    """Refuse a page that is too large or not self-contained.

    Args:
        html: The page.
        name: File name used in the message.

    Raises:
        RunError: If the page exceeds :data:`MAX_PAGE_BYTES`, loads from the network or
            links to a scheme outside the allow-list.
    """
    size = len(html.encode("utf-8"))
    if size > MAX_PAGE_BYTES:
        raise RunError(
            f"{name} would be {size / 1e6:.1f} MB, over the {MAX_PAGE_BYTES / 1e6:.1f} MB "
            "limit; show fewer or smaller charts (lower dpi) in the notebook"
        )
    remote = network_references(html)
    if remote:
        raise RunError(
            f"{name} would load {remote[0]} from the network; briefings must work offline "
            "(embed images as data URIs, no external scripts or stylesheets)"
        )
    unsafe = unsafe_links(html)
    if unsafe:
        raise RunError(
            f"{name} would carry the link {unsafe[0][:80]}; only https, http, mailto and "
            "in-page links are allowed"
        )


def collect_outputs(nb: nbformat.NotebookNode, mimetype: str) -> list[dict[str, Any]]:
    """Return every payload of ``mimetype`` in a notebook's outputs, in cell order.

    Args:
        nb: An executed notebook.
        mimetype: e.g. :data:`helpers.tidy.published.HEADLINES_MIME`.

    Returns:
        The JSON payloads.
    """
    return [
        dict(out["data"][mimetype])
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if mimetype in out.get("data", {})
    ]
