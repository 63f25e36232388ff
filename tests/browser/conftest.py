"""Fixtures of the browser tests: the built briefings, Chromium, and page reports.

The briefings are built once per test process (:mod:`tests.browser.harness`) and
every page is opened once (:func:`tests.browser.pages.inspect_page`); the tests
then assert on the recorded report.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers.briefing.pdf import CHROMIUM_ARGS, find_chromium
from tests.browser.harness import (
    ARCHIVE_PAGE,
    BUILDS,
    Build,
    require_browser_tools,
    shared_base,
    write_atomically,
)
from tests.browser.pages import IMPACTS, PageReport, inspect_page

#: Recorded test property holding one page's axe-core counts (see the terminal summary).
AXE_PROPERTY = "axe_impacts"


@pytest.fixture(scope="session")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Build]:
    """The normal and hostile builds of this test process."""
    return BUILDS.get(shared_base(tmp_path_factory))


@pytest.fixture(scope="session")
def normal_build(builds: dict[str, Build]) -> Build:
    """The briefings of 2015-09 and 2015-11 built from a copy of data/raw."""
    build = builds["normal"]
    build.check_succeeded()
    return build


@pytest.fixture(scope="session")
def hostile_build(builds: dict[str, Build]) -> Build:
    """The briefings built from raw data with hostile names in it."""
    build = builds["hostile"]
    build.check_succeeded()
    return build


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Any]:
    """One Playwright driver per test process, shared by every browser fixture.

    Playwright's synchronous API allows one session per thread: the page tests and
    the JupyterLab test launch their own Chromium from this one.
    """
    require_browser_tools()
    from playwright.sync_api import sync_playwright

    # Notebooks run in-process earlier in this worker (papermill, nbclient's nested
    # event loop) can leave a loop marked as running on this thread, and the sync API
    # then refuses to start; nothing runs on it between tests, so clear the mark.
    asyncio.events._set_running_loop(None)
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser_context(
    tmp_path_factory: pytest.TempPathFactory, playwright_session: Any
) -> Iterator[Any]:
    """The board paper's Chromium and flags, headless, with a fresh profile (no download)."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    context = playwright_session.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(find_chromium()),
        headless=True,
        args=list(CHROMIUM_ARGS),
        viewport={"width": 1280, "height": 900},
    )
    try:
        yield context
    finally:
        # At the end of the session Chromium may already be gone (its driver stops
        # with the process); the tests have their results, so closing is best effort.
        with contextlib.suppress(Exception):
            context.close()


PageGetter = Callable[[Build, str, str], PageReport]


@pytest.fixture(scope="session")
def page_report(browser_context: Any) -> PageGetter:
    """Return a function giving the report of one page, opening each page only once."""
    cache: dict[tuple[str, str, str], PageReport] = {}

    def get(build: Build, period: str, name: str) -> PageReport:
        """The report of a page (``ARCHIVE_PAGE``: the archive of the build's periods)."""
        key = (build.name, period, name)
        if key not in cache:
            archive = name == ARCHIVE_PAGE
            path = build.out_dir / "index.html" if archive else build.page(period, name)
            assert path.is_file(), f"the {build.name} build wrote no {period}/{path.name}"
            shot = build.period_dir(period) / "screenshots" / f"{name}.png"
            cache[key] = inspect_page(browser_context, path, shot)
        return cache[key]

    return get


def axe_summary(reports: list[PageReport]) -> dict[str, Any]:
    """Violations by impact per file and in total, with the rules found."""
    files = {}
    total = dict.fromkeys(IMPACTS, 0)
    for report in reports:
        counts = report.impacts()
        for impact, count in counts.items():
            total[impact] = total.get(impact, 0) + count
        files[report.path.name] = {
            "impacts": counts,
            "violations": [
                {
                    "id": v["id"],
                    "impact": v["impact"],
                    "help": v["help"],
                    "nodes": len(v["nodes"]),
                    "targets": [n["target"] for n in v["nodes"][:5]],
                }
                for v in report.violations
            ],
        }
    version = reports[0].axe_version if reports else ""
    return {"axe_core": version, "total": total, "files": files}


def write_axe_summary(folder: Path, summary: dict[str, Any]) -> Path:
    """Write ``axe-summary.json`` into ``folder`` and return its path."""
    path = folder / "axe-summary.json"
    write_atomically(path, (json.dumps(summary, indent=2) + "\n").encode("utf-8"))
    return path


def format_axe_line(label: str, counts: dict[str, int]) -> str:
    """``label: 0 critical, 0 serious, 2 moderate, 1 minor`` (most severe first)."""
    return f"{label}: " + ", ".join(f"{counts.get(i, 0)} {i}" for i in reversed(IMPACTS))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the axe-core violations by impact recorded by the page tests."""
    lines = []
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", []):
                if name == AXE_PROPERTY and getattr(report, "when", "call") == "call":
                    lines.append(format_axe_line(value["label"], value["impacts"]))
    if lines:
        terminalreporter.section("axe-core violations by impact (serious/critical fail)")
        for line in sorted(set(lines)):
            terminalreporter.write_line(line)
