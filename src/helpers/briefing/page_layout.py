"""The published page's shape, from the executed notebook's cell tags.

An analyst reads a notebook top to bottom: data, then each section, then the key
points computed from it. The Commissioner reads the page the other way round. The
:class:`BriefingLayout` preprocessor turns one into the other when a briefing is
built:

* cells tagged ``intro`` (what the page covers, from the force's profile) stay under
  the title; cells tagged ``key-points`` follow under "Key points", then the
  ``tiles`` cells;
* cells tagged ``notebook-only`` (notes for the analyst: which frame holds what) are
  left out of the page;
* cells tagged ``method`` go to the end, inside a collapsed
  ``<details class="method">`` "How these figures were worked out" part;
* a section (a heading and what follows up to the next heading of the same or a
  higher level) whose outputs all say "no figures" (``present.absent``) is left
  out, and what was left out is named in one line at the end of the method part
  ("Not covered this period: ..."); a page left with nothing says so in one line.

:class:`CompressImages` re-encodes chart PNGs (:func:`~helpers.briefing.images.compress_png`).
"""

from __future__ import annotations

import re
from typing import Any

import nbformat
from nbconvert.preprocessors import Preprocessor

from helpers.briefing.images import compress_base64_png
from helpers.briefing.templating import environment
from helpers.tidy.published import ABSENT_MIME

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$", re.MULTILINE)


def _tags(cell: nbformat.NotebookNode) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _heading_level(cell: nbformat.NotebookNode) -> int | None:
    if cell.cell_type != "markdown":
        return None
    match = _HEADING.match(cell.source.strip())
    return len(match.group(1)) if match else None


def _absent(out: dict[str, Any]) -> dict[str, str] | None:
    data = out.get("data", {})
    return dict(data[ABSENT_MIME]) if ABSENT_MIME in data else None


def _visible(cell: nbformat.NotebookNode) -> bool:
    """Whether a code cell shows anything on the page (absent notes do not count)."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            continue
        if _absent(out) is not None:
            continue
        data = out.get("data", {})
        if out.get("output_type") in {"display_data", "execute_result"}:
            text = str(data.get("text/markdown", "x")).strip()
            if text and set(data) - {"text/plain"}:
                return True
        elif out.get("output_type") in {"stream", "error"}:
            return True
    return False


def _raw(text: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_raw_cell(text)
    cell.metadata["briefing_html"] = True
    return cell


def _drop_empty_sections(cells: list, reasons: list[tuple[str, str]]) -> list:
    """Remove sections with nothing visible; collect the reasons their cells gave."""
    for cell in cells:
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                note = _absent(out)
                if note is not None:
                    reasons.append((note["what"], note["reason"]))
            cell.outputs = [o for o in cell.get("outputs", []) if _absent(o) is None]
    changed = True
    while changed:
        changed = False
        for i, cell in enumerate(cells):
            level = _heading_level(cell)
            if level is None or level == 1:
                continue
            end = i + 1
            while end < len(cells):
                other = _heading_level(cells[end])
                if other is not None and other <= level:
                    break
                end += 1
            body = cells[i + 1 : end]
            has_text = any(
                c.cell_type == "markdown" and _heading_level(c) is None and c.source.strip()
                for c in body
            )
            if not has_text and not any(c.cell_type == "code" and _visible(c) for c in body):
                del cells[i:end]
                changed = True
                break
    return cells


def _listed(reasons: list[tuple[str, str]]) -> str:
    """What was left out, grouped by reason: "a, b and c (reason); d (other reason)"."""
    by_reason: dict[str, list[str]] = {}
    for what, reason in reasons:
        names = by_reason.setdefault(reason, [])
        if what not in names:
            names.append(what)
    parts = []
    for reason, names in by_reason.items():
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        parts.append(f"{joined} ({reason})")
    return "; ".join(parts)


#: The collapsed method part's summary line, unless the notebook names its own.
METHOD_SUMMARY = "How these figures were worked out"


def _method_opening(settings: dict[str, Any]) -> str:
    """The opening of the collapsed method part, as the notebook's metadata names it.

    A notebook's ``metadata.briefing`` may give ``method_summary`` (the line shown
    while it is folded) and ``method_id`` (the overview's is ``annex``: the board
    paper prints it as its one annex).
    """
    summary = str(settings.get("method_summary") or METHOD_SUMMARY)
    ident = str(settings.get("method_id") or "")
    ident = ident if re.fullmatch(r"[A-Za-z][\w-]*", ident) else ""
    return _cell_html("method_opening", summary, ident)


def _cell_html(macro: str, *args: str) -> str:
    """A raw cell's HTML from ``templates/cells.html.j2`` (autoescaped)."""
    module = environment().get_template("cells.html.j2").module
    return str(getattr(module, macro)(*args)).strip()


class BriefingLayout(Preprocessor):
    """Put key points first, method last (collapsed), and leave empty sections out."""

    def preprocess(
        self, nb: nbformat.NotebookNode, resources: dict[str, Any]
    ) -> tuple[nbformat.NotebookNode, dict[str, Any]]:
        """Reorder and filter the cells of an executed notebook."""
        cells = list(nb.cells)
        intro = [c for c in cells if "intro" in _tags(c) and _visible(c)]
        points = [c for c in cells if "key-points" in _tags(c) and _visible(c)]
        tiles = [c for c in cells if "tiles" in _tags(c) and _visible(c)]
        method = [c for c in cells if "method" in _tags(c)]
        placed = {"intro", "key-points", "tiles", "method", "parameters", "notebook-only"}
        body = [c for c in cells if not _tags(c) & placed]
        reasons: list[tuple[str, str]] = []
        body = _drop_empty_sections(body, reasons)
        method = _drop_empty_sections(method, [])
        title = body[:1] if body and _heading_level(body[0]) == 1 else []
        rest = body[len(title) :]
        # the title cell may carry one line of description after the heading
        out = [*title, *intro]
        if points:
            out += [nbformat.v4.new_markdown_cell("## Key points"), *points]
        out += tiles
        has_sections = any(_heading_level(c) is not None for c in rest)
        if not has_sections and not points:
            name = (
                resources.get("briefing", {}).get("topic", "this channel").removesuffix(" briefing")
            )
            window = resources.get("briefing", {}).get("window_label", "this period")
            line = f"No {name} figures are available for {window}."
            out.append(_raw(_cell_html("notice", line)))
            rest = []
        out += rest
        shown = [c for c in method if c.cell_type == "code" and _visible(c)]
        if reasons and has_sections:
            method = [
                *(method if shown else []),
                _raw(_cell_html("not_covered", _listed(reasons))),
            ]
        if method and (shown or reasons):
            out += [
                _raw(_method_opening(nb.metadata.get("briefing", {}))),
                *method,
                _raw(_cell_html("method_closing")),
            ]
        nb.cells = out
        return nb, resources


class CompressImages(Preprocessor):
    """Re-encode every PNG output as the smallest encoding that looks the same."""

    def preprocess_cell(
        self, cell: nbformat.NotebookNode, resources: dict[str, Any], index: int
    ) -> tuple[nbformat.NotebookNode, dict[str, Any]]:
        """Compress the PNG outputs of one cell."""
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/png" in data:
                data["image/png"] = compress_base64_png(data["image/png"])
        return cell, resources
