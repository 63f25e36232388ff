"""No link on a page or in the board paper runs script: every link is clicked in Chromium.

The OWASP XSS filter-evasion vectors that apply to a link target (``javascript:``,
``data:``, ``vbscript:``, mixed case, character references, whitespace tricks) are
put in the analysts' commentary (as Markdown links) and in the page names of a
Meta content export. The social and website briefings of 2015-10 are built from
that data, every page is opened in Chromium, every link is clicked, and no dialog
may open.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from helpers.briefing.links import unsafe_links

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # pragma: no cover - the browser tests are skipped without it
    PlaywrightError = Exception

pytestmark = [pytest.mark.browser, pytest.mark.pipeline, pytest.mark.xdist_group("builds")]

PROJECT = Path(__file__).resolve().parents[2]
PERIOD = "2015-10"

#: Link targets from the OWASP XSS filter-evasion cheat sheet (no digits: the
#: commentary must write numbers in words).
COMMENTARY_VECTORS = [
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(document.domain)",
    "java&Tab;script&colon;alert(document.domain)",
    "&NewLine;javascript:alert(document.domain)",
    " javascript:alert(document.domain)",
    "jav&#x;ascript:alert(document.domain)",
    "data:text/html,<script>alert(document.domain)</script>",
    "vbscript:msgbox(document.domain)",
]
#: Page names of a Meta export: Markdown links, raw links and bare URLs.
NAME_VECTORS = [
    "[Lancs Police](javascript:alert(document.domain))",
    "[Lancs Police](JaVaScRiPt:alert(1))",
    "[Lancs Police](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">Lancs Police</a>',
    "Lancs Police https://evil.example/login",
]


#: Opens the collapsed parts around a link so that it can be clicked.
_OPEN_DETAILS = (
    "a => { for (let d = a.closest('details'); d; d = d.parentElement.closest('details')) "
    "d.open = true; }"
)


def _meta_export(path: Path) -> None:
    rows = [
        {
            "Post ID": f"9{i}{day}",
            "Page ID": "1",
            "Page name": name,
            "Title": "",
            "Description": "post",
            "Duration (sec)": "",
            "Publish time": f"10/{day:02d}/2015 10:00",
            "Permalink": "https://www.facebook.invalid/post",
            "Post type": "Photos",
            "Date": "Lifetime",
            "Views": 100,
            "Reach": 50,
            "Reactions, Comments and Shares": 5,
            "Reactions": 3,
            "Comments": 1,
            "Shares": 1,
            "Total clicks": 2,
        }
        for i, name in enumerate(NAME_VECTORS)
        for day in (1, 2, 3)
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(path, index=False)


def _commentary(path: Path) -> None:
    links = "\n".join(f"- [click me]({url})" for url in COMMENTARY_VECTORS)
    if not path.is_file():  # no paper for the period yet: the analysts start one
        path.write_text(f"---\nperiod: {PERIOD}\n---\n# social\n# website\n", encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    for page in ("# social\n", "# website\n"):
        text = text.replace(page, f"{page}\n## Hostile links\n\n{links}\n\n", 1)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("links")
    data, out = base / "data", base / "out"
    shutil.copytree(PROJECT / "data" / "raw", data / "raw")
    _meta_export(data / "raw" / "exports" / "meta" / "hostile_content.csv")
    _commentary(data / "raw" / "commentary" / f"{PERIOD}.md")
    engagement = [sys.executable, "-m", "helpers.cli"]
    for args in (
        ["data", "--raw", str(data / "raw"), "--out", str(data / "processed")],
        [
            *("run", "--period", PERIOD, "--channels", "social,website"),
            *("--data", str(data), "--out", str(out), "--timeout", "300"),
        ],
    ):
        done = subprocess.run([*engagement, *args], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
    return out / PERIOD


def test_the_vectors_reach_the_pages(built: Path) -> None:
    social = (built / "social.html").read_text(encoding="utf-8")
    assert "click me" in social
    assert "evil.example/login" in social
    assert "Lancs Police](javascript" in social  # the name, shown as text
    for page in built.glob("*.html"):
        assert unsafe_links(page.read_text(encoding="utf-8")) == [], page.name


def _open(page: Any, url: str) -> None:
    """Open ``url``, again if a navigation the last click started interrupts it."""
    for attempt in range(3):
        try:
            page.goto(url)
            return
        except PlaywrightError:
            if attempt == 2:
                raise
            page.wait_for_timeout(500)


@pytest.mark.parametrize("name", ["index", "social", "website"])
def test_clicking_every_link_opens_no_dialog(name: str, built: Path, browser_context: Any) -> None:
    url = (built / f"{name}.html").as_uri()
    dialogs: list[str] = []
    page = browser_context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    browser_context.on(
        "page", lambda p: p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    )
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
    )
    try:
        _open(page, url)
        count = page.locator("a").count()
        assert count > 3
        clicked = 0
        for i in range(count):
            _open(page, url)  # each link from the page as published
            link = page.locator("a").nth(i)
            link.evaluate(_OPEN_DETAILS)
            if not link.is_visible():
                continue
            link.click(no_wait_after=True)
            with contextlib.suppress(PlaywrightError):  # a link may start a navigation
                page.wait_for_load_state("load", timeout=3000)
            page.wait_for_timeout(100)
            clicked += 1
        page.wait_for_timeout(300)
        assert clicked >= count // 2
        assert dialogs == []
    finally:
        page.close()


def test_the_board_paper_carries_no_hostile_link(built: Path, tmp_path: Path) -> None:
    import re

    from pypdf import PdfReader

    from helpers.briefing.pdf import write_pdf

    paper = write_pdf(built, tmp_path / "briefing.pdf").path
    data = paper.read_bytes()
    targets = [t.decode("latin-1") for t in re.findall(rb"/URI\s*\(([^)]*)\)", data)]
    assert b"javascript" not in data.lower() and b"vbscript" not in data.lower()
    text = " ".join(page.extract_text() for page in PdfReader(paper).pages)
    assert "click me" in text  # the hostile links reached the paper, as text
    assert all(t.lower().startswith(("http:", "https:", "mailto:", "file:", "#")) for t in targets)
