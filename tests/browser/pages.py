"""Open one briefing page in Chromium with the network blocked and record what it does.

Every request the page makes is routed: ``file://`` and ``data:`` URLs load, any
other is recorded and aborted. The page's headings, images (after decoding),
tables, print rules, scripts, event-handler attributes and visible text are
collected, a full-page screenshot is saved, and axe-core is injected and run.
Every dialog the page opens (``alert``, ``confirm``, ``prompt``) is recorded and
dismissed, and the page's DOM once loaded is compared with the same file parsed
without running anything (``DOMParser``): a script or event handler that ran and
changed the page shows as a difference.

Chromium now and then refuses a capture ("Unable to capture screenshot") although the
page is fine. The capture is tried again a few times, then taken in viewport-high strips
put together; if that fails too, the error is kept in the report, so only the
screenshot test fails and the page's other checks still run.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.browser.harness import AXE, write_atomically

#: Impacts axe-core gives a violation, least to most severe.
IMPACTS: tuple[str, ...] = ("minor", "moderate", "serious", "critical")
#: Times a full-page capture is tried before its error is kept in the report.
SCREENSHOT_ATTEMPTS = 3
#: Wait before trying a refused capture again, in milliseconds.
SCREENSHOT_RETRY_MS = 500
#: Impacts that fail a page.
FAILING_IMPACTS: frozenset[str] = frozenset({"serious", "critical"})

_COLLECT = """
async () => {
  await Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null)));
  const printRules = [];
  const walk = (rules) => {
    for (const rule of rules) {
      if (rule instanceof CSSMediaRule) {
        if (/\\bprint\\b/i.test(rule.media.mediaText)) printRules.push(rule.media.mediaText);
        walk(rule.cssRules);
      }
    }
  };
  for (const sheet of document.styleSheets) {
    if (sheet.media && /\\bprint\\b/i.test(sheet.media.mediaText)) printRules.push('sheet');
    walk(sheet.cssRules);
  }
  const risky = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name) || /^\\s*(javascript|vbscript):/i.test(a.value)) {
        risky.push(`<${el.tagName.toLowerCase()} ${a.name}="${a.value}">`);
      }
    }
  }
  return {
    lang: document.documentElement.lang,
    title: document.title,
    headings: Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
      .map(h => [Number(h.tagName[1]), h.textContent.trim()]),
    images: Array.from(document.images).map(i => ({
      src: (i.currentSrc || i.src).slice(0, 30),
      naturalWidth: i.naturalWidth,
      alt: i.getAttribute('alt'),
    })),
    tables: Array.from(document.querySelectorAll('table')).map(t => ({
      caption: t.caption ? t.caption.textContent.trim() : null,
      columnHeaders: t.querySelectorAll('thead th, tr th[scope="col"]').length,
      rows: t.rows.length,
    })),
    printRules,
    notices: Array.from(document.querySelectorAll('.notice')).map(n => n.textContent.trim()),
    scripts: Array.from(document.scripts).map(s => s.outerHTML.slice(0, 120)),
    risky,
    pwned: typeof window.__pwned === 'undefined' ? null : String(window.__pwned),
    text: document.body ? document.body.innerText : '',
  };
}
"""

#: The first difference between the live DOM and the file parsed inertly ("" if none).
_DOM_CHANGE = """
(source) => {
  const parsed = new DOMParser().parseFromString(source, 'text/html');
  const live = document.documentElement.outerHTML;
  const inert = parsed.documentElement.outerHTML;
  if (live === inert) return '';
  let i = 0;
  while (i < live.length && live[i] === inert[i]) i++;
  const around = (text) => text.slice(Math.max(0, i - 80), i + 120);
  return `live: ${around(live)} | file: ${around(inert)}`;
}
"""
#: Milliseconds a page is left after loading, for handlers of failed images to run.
SETTLE_MS = 300

_AXE_RUN = """
async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return {
    version: axe.version,
    violations: result.violations.map(v => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 300),
                                summary: n.failureSummary})),
    })),
  };
}
"""


@dataclass
class PageReport:
    """What a page did and contained when opened offline."""

    name: str
    path: Path
    screenshot: Path
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    #: The message of every dialog the page opened.
    dialogs: list[str] = field(default_factory=list)
    #: How the DOM differs from the file parsed without running it ("" when it does not).
    dom_change: str = ""
    facts: dict[str, Any] = field(default_factory=dict)
    axe_version: str = ""
    #: Why the full-page screenshot could not be taken ("" when it was saved).
    screenshot_error: str = ""
    violations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def headings(self) -> list[tuple[int, str]]:
        """``(level, text)`` of every heading in document order."""
        return [(int(level), str(text)) for level, text in self.facts["headings"]]

    def impacts(self) -> dict[str, int]:
        """Number of axe violations (rules) of each impact."""
        counts = dict.fromkeys(IMPACTS, 0)
        for violation in self.violations:
            impact = violation.get("impact") or "minor"
            counts[impact] = counts.get(impact, 0) + 1
        return counts

    def failing(self) -> list[dict[str, Any]]:
        """The serious and critical violations."""
        return [v for v in self.violations if v.get("impact") in FAILING_IMPACTS]


def allowed_url(url: str) -> bool:
    """Whether a page may load ``url``: only local files and inline data."""
    return url.startswith(("file://", "data:"))


def inspect_page(context: Any, path: Path, screenshot: Path) -> PageReport:
    """Open ``path`` in a new tab of ``context`` offline and record what it does.

    Args:
        context: A Playwright browser context.
        path: The HTML file.
        screenshot: Where to save a full-page PNG screenshot.

    Returns:
        The page's report (axe-core run after the page's own facts were collected).
    """
    report = PageReport(path.stem, path, screenshot)
    page = context.new_page()

    def route(route: Any) -> None:
        url = route.request.url
        if allowed_url(url):
            route.continue_()
        else:
            report.blocked.append(url)
            route.abort("blockedbyclient")

    def console(message: Any) -> None:
        if message.type == "error":
            report.console_errors.append(message.text)

    page.route("**/*", route)
    page.on("request", lambda request: report.requests.append(request.url))
    page.on("websocket", lambda ws: report.blocked.append(ws.url))
    page.on("console", console)
    page.on("pageerror", lambda error: report.console_errors.append(f"page error: {error}"))

    def dialog(opened: Any) -> None:
        report.dialogs.append(f"{opened.type}: {opened.message}")
        opened.dismiss()

    page.on("dialog", dialog)
    try:
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_timeout(SETTLE_MS)
        report.dom_change = page.evaluate(_DOM_CHANGE, path.read_text(encoding="utf-8"))
        report.facts = page.evaluate(_COLLECT)
        report.screenshot_error = save_screenshot(page, screenshot)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(_AXE_RUN)
        report.axe_version = result["version"]
        report.violations = result["violations"]
    finally:
        page.close()
    report.blocked += [url for url in report.requests if not allowed_url(url)]
    report.blocked = list(dict.fromkeys(report.blocked))
    return report


def save_screenshot(page: Any, path: Path, attempts: int = SCREENSHOT_ATTEMPTS) -> str:
    """Save a full-page PNG of ``page`` to ``path``, trying a refused capture again.

    A page whose whole-page capture is refused every time is taken in strips of one
    viewport's height, put together into one image.

    Args:
        page: An open Playwright page.
        path: Where to write the PNG (written whole or not at all).
        attempts: How many times to try the whole-page capture.

    Returns:
        ``""`` once saved, else what went wrong, in one line.
    """
    from playwright.sync_api import Error as PlaywrightError

    error = ""
    for attempt in range(attempts):
        if attempt:
            page.wait_for_timeout(SCREENSHOT_RETRY_MS)
        try:
            write_atomically(path, page.screenshot(full_page=True))
        except PlaywrightError as exc:
            error = _first_line(exc)
        else:
            return ""
    try:
        write_atomically(path, _in_strips(page))
    except PlaywrightError as exc:
        return f"{attempts} captures refused, the last with: {error}; in strips: {_first_line(exc)}"
    return ""


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _in_strips(page: Any) -> bytes:
    """The whole page as one PNG, captured one viewport-high strip at a time."""
    import io

    from PIL import Image

    width, height, step = page.evaluate(
        "() => [document.documentElement.scrollWidth, "
        "document.documentElement.scrollHeight, window.innerHeight]"
    )
    sheet = Image.new("RGB", (width, height), "white")
    for top in range(0, height, step):
        clip = {"x": 0, "y": top, "width": width, "height": min(step, height - top)}
        strip = Image.open(io.BytesIO(page.screenshot(full_page=True, clip=clip)))
        sheet.paste(strip.convert("RGB"), (0, top))
    out = io.BytesIO()
    sheet.save(out, format="PNG")
    return out.getvalue()


def heading_problems(headings: list[tuple[int, str]]) -> list[str]:
    """Problems with a page's outline: not one h1 first, or a level skipped going down.

    Args:
        headings: ``(level, text)`` in document order.

    Returns:
        One line per problem (empty for a good outline).
    """
    problems = []
    h1 = [text for level, text in headings if level == 1]
    if len(h1) != 1:
        problems.append(f"expected exactly one h1, found {len(h1)}: {h1}")
    if headings and headings[0][0] != 1:
        problems.append(f"the first heading is h{headings[0][0]} ({headings[0][1]!r}), not h1")
    for (before, before_text), (level, text) in itertools.pairwise(headings):
        if level > before + 1:
            problems.append(
                f"h{before} {before_text!r} is followed by h{level} {text!r} (skips a level)"
            )
    return problems
