"""The body of a commentary file: pages, parts, placeholders and the numbers rule.

The body's level-1 headings are page keys (:data:`PAGES`) and its level-2 headings
name the parts of a page (found with markdown-it-py, so a ``#`` in a code block is
not a heading). A figure is written ``{{figure_id}}`` in the text; any other number
in the text must be a date or a year, or be written in words
(:func:`undeclared_numbers`). Every problem is a :class:`~helpers.errors.DataError`
naming the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from helpers import config
from helpers.errors import DataError

#: Page keys: the level-1 headings a commentary file may use.
PAGES: tuple[str, ...] = config.commentary_pages()
#: Part names to use where they fit (level-2 headings are otherwise free text).
PART_NAMES: tuple[str, ...] = ("Highlights", "Operational examples", "Developments and next steps")

#: A placeholder as written in the text: ``{{figure_id}}`` (spaces inside allowed).
PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*\}\}")
_BRACES = re.compile(r"\{\{|\}\}")
_BAD_PLACEHOLDER = re.compile(r"\{\{[^{}]{0,40}(\}\})?|[^{}]{0,40}\}\}")

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_NUMBER = re.compile(r"(?<!\w)\d+(?:[.,]\d+)*")
_ISO_DATE_IN_TEXT = re.compile(r"(?<!\w)\d{4}-\d{2}-\d{2}(?!\w)")
_DAY_BEFORE_MONTH = re.compile(rf"^(?:st|nd|rd|th)?\s+(?:{_MONTHS})\b", re.IGNORECASE)
_MONTH_BEFORE_DAY = re.compile(rf"\b(?:{_MONTHS})\s+$", re.IGNORECASE)
_NUMBER_RULE = (
    "every number in the text to be a declared figure written {{figure_id}}, or written "
    "in words (dates such as 18 November 2015 and years may stay in digits)"
)

_MD = MarkdownIt("commonmark")


@dataclass
class Part:
    """One part of a commentary page: its heading, place in the file and Markdown."""

    page: str
    name: str
    order: int
    line: int  # file line of the heading
    first: int  # body index of the first text line (0-based)
    stop: int  # body index after the last text line
    markdown: str = ""
    text_line: int = 0  # file line of the first text line


def read_parts(path: Path, body: list[str], body_start: int) -> list[Part]:
    """Split the body at its top-level h1 (page) and h2 (part) headings."""
    tokens = _MD.parse("\n".join(body))
    headings = [
        (tok, tokens[i + 1].content.strip())
        for i, tok in enumerate(tokens)
        if tok.type == "heading_open" and tok.level == 0 and tok.tag in ("h1", "h2")
    ]
    parts: list[Part] = []
    page = ""
    pages_seen: dict[str, int] = {}
    names_seen: dict[str, int] = {}
    first_heading = headings[0][0].map[0] if headings else len(body)  # type: ignore[index]
    if any(line.strip() for line in body[:first_heading]):
        stray = next(i for i, line in enumerate(body[:first_heading]) if line.strip())
        raise DataError(
            path,
            f"a page heading ('# {PAGES[0]}', '# social'...) before any text",
            line=body_start + stray,
        )
    for index, (tok, title) in enumerate(headings):
        start, stop = tok.map  # type: ignore[misc]
        line = body_start + start
        if tok.tag == "h1":
            if title not in PAGES:
                raise DataError(
                    path, f"a page heading, one of '# {', # '.join(PAGES)}'", line=line, found=title
                )
            if title in pages_seen:
                raise DataError(
                    path,
                    f"each page heading once (# {title} is first on line {pages_seen[title]}); "
                    "merge the two",
                    line=line,
                )
            page, pages_seen[title], names_seen = title, line, {}
            name = ""
        else:
            if not page:
                raise DataError(path, "a page heading ('# social'...) before this part", line=line)
            if PLACEHOLDER.search(title) or _BRACES.search(title):
                raise DataError(path, "no figure placeholder in a heading", line=line, found=title)
            if title in names_seen:
                raise DataError(
                    path,
                    f"each part once per page (## {title} is first on line {names_seen[title]})",
                    line=line,
                )
            names_seen[title] = line
            name = title
        end = headings[index + 1][0].map[0] if index + 1 < len(headings) else len(body)  # type: ignore[index]
        text = body[stop:end]
        while text and not text[0].strip():
            text, stop = text[1:], stop + 1
        while text and not text[-1].strip():
            text = text[:-1]
        if tok.tag == "h2" and not text:
            raise DataError(
                path, f"text under ## {title} (write it, or remove the heading)", line=line
            )
        if text:
            order = sum(1 for p in parts if p.page == page) + 1
            parts.append(
                Part(
                    page,
                    name,
                    order,
                    line,
                    stop,
                    stop + len(text),
                    "\n".join(text),
                    body_start + stop,
                )
            )
    return parts


def placeholders(markdown: str) -> list[str]:
    """The figure ids written as ``{{figure_id}}`` in ``markdown``, in order."""
    return PLACEHOLDER.findall(markdown)


def check_placeholders(
    path: Path,
    parts: list[Part],
    body: list[str],
    body_start: int,
    figures: dict[str, dict[str, Any]],
    figure_lines: dict[str, tuple[int, dict[str, int]]],
) -> None:
    """Refuse a placeholder with no declaration, a malformed one, or a figure never used."""
    used: set[str] = set()
    for part in parts:
        for index in range(part.first, part.stop):
            line = body[index]
            for match in PLACEHOLDER.finditer(line):
                fid = match.group(1)
                if fid not in figures:
                    raise DataError(
                        path,
                        f"a declaration of figure '{fid}' under figures: in the front matter "
                        "(or correct the placeholder's spelling)",
                        line=body_start + index,
                        found=match.group(0),
                    )
                used.add(fid)
            leftover = PLACEHOLDER.sub("", line)
            if _BRACES.search(leftover):
                raise DataError(
                    path,
                    "placeholders written {{figure_id}} (lower-case letters, digits, underscores)",
                    line=body_start + index,
                    found=_BAD_PLACEHOLDER.search(leftover).group(0),  # type: ignore[union-attr]
                )
    for fid in figures:
        if fid not in used:
            raise DataError(
                path,
                f"figure '{fid}' to be used in the text as {{{{{fid}}}}} (or remove its "
                "declaration)",
                line=figure_lines[fid][0],
            )


def check_images(path: Path, body: list[str], body_start: int) -> None:
    """Refuse an image the briefing would have to fetch from the network."""

    def images(tokens: list[Token]) -> Iterator[Token]:
        for tok in tokens:
            if tok.type == "image":
                yield tok
            yield from images(tok.children or [])

    for block in _MD.parse("\n".join(body)):
        for image in images([block]):
            src = str(image.attrGet("src") or "")
            if "://" in src or src.startswith("//"):
                raise DataError(
                    path,
                    "no images from the web: the briefings work offline; remove the image "
                    "or describe it in words",
                    line=body_start + (block.map[0] if block.map else 0),
                    found=src,
                )


def _shown_text(tokens: list[Token]) -> Iterator[tuple[int, str]]:
    """``(line offset, text)`` of everything a reader sees, from markdown-it tokens."""
    for tok in tokens:
        if tok.type == "inline" and tok.map is not None:
            offset = tok.map[0]
            for child in tok.children or []:
                if child.type in ("softbreak", "hardbreak"):
                    offset += 1
                elif child.type in ("text", "code_inline", "image"):  # image: its alt text
                    yield offset, child.content
        elif tok.type in ("fence", "code_block") and tok.map is not None:
            first = tok.map[0] + (1 if tok.type == "fence" else 0)
            for i, line in enumerate(tok.content.split("\n")):
                yield first + i, line


def undeclared_numbers(markdown: str) -> list[tuple[int, str]]:
    """Numbers shown in ``markdown`` that are neither declared figures nor dates.

    Placeholders ``{{figure_id}}`` are figures; a four-digit year (1900-2099), an
    ISO date, and a day next to a month name ("18 November", "November 18") are
    dates. Digits inside a word or code (M6, E06000009) are not numbers. Anything
    else must be written in words ("three", "twenty-one").

    Args:
        markdown: One part's Markdown.

    Returns:
        ``(line offset within markdown, number as written)`` for each offending number.
    """
    found: list[tuple[int, str]] = []
    for offset, text in _shown_text(_MD.parse(markdown)):
        clean = _ISO_DATE_IN_TEXT.sub(" ", PLACEHOLDER.sub(" ", text))
        for match in _NUMBER.finditer(clean):
            number = match.group(0)
            if _is_date_or_year(number, clean[: match.start()], clean[match.end() :]):
                continue
            found.append((offset, number))
    return found


def _is_date_or_year(number: str, before: str, after: str) -> bool:
    if not number.isdigit():
        return False
    if len(number) == 4 and 1900 <= int(number) <= 2099:
        return True
    if 1 <= int(number) <= 31 and len(number) <= 2:
        return bool(_DAY_BEFORE_MONTH.match(after) or _MONTH_BEFORE_DAY.search(before))
    return False


def check_numbers(path: Path, part: Part) -> None:
    """Refuse a number in a part's text that is neither a declared figure nor a date."""
    for offset, number in undeclared_numbers(part.markdown):
        raise DataError(path, _NUMBER_RULE, line=part.text_line + offset, found=number)
