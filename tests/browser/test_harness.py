"""The checks of the browser and safety tests catch what they claim to (no kernels)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from helpers.briefing.pdf import CHROMIUM_ENV
from tests.browser.harness import (
    HOSTILE_EDITS,
    PROJECT,
    RAW,
    describe_changes,
    engagement_env,
    is_under,
    make_hostile_raw,
    read_write_log,
    require_browser_tools,
    snapshot,
)
from tests.browser.pages import allowed_url, heading_problems, inspect_page, save_screenshot

#: A 1x1 PNG image.
PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ"  # pragma: allowlist secret
    "AAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="  # pragma: allowlist secret
)
BROKEN_PAGE = f"""<!DOCTYPE html>
<html><head><title>Broken on purpose</title></head>
<body>
<h2>Before the title</h2>
<h1>First title</h1>
<h1>Second title</h1>
<h4>Skips two levels</h4>
<img src="data:image/png;base64,{PNG}">
<img src="http://example.invalid/chart.png" alt="A chart loaded from another site">
<table><tr><td>1</td></tr></table>
<script>console.error("broken on purpose")</script>
</body></html>
"""


@pytest.mark.parametrize(
    ("headings", "problems"),
    [
        ([(1, "t"), (2, "a"), (3, "b"), (2, "c"), (3, "d"), (4, "e"), (2, "f")], 0),
        ([(1, "t"), (3, "a")], 1),
        ([(2, "a"), (1, "t")], 1),
        ([(1, "t"), (1, "u")], 1),
        ([], 1),
    ],
)
def test_heading_problems(headings: list[tuple[int, str]], problems: int) -> None:
    assert len(heading_problems(headings)) == problems


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("file:///tmp/a.html", True),
        ("data:image/png;base64,AAAA", True),
        ("https://example.org/x.js", False),
        ("http://localhost:8888/x", False),
        ("ws://localhost/socket", False),
        ("blob:null/123", False),
    ],
)
def test_only_local_files_and_inline_data_are_allowed(url: str, allowed: bool) -> None:
    assert allowed_url(url) is allowed


@pytest.mark.browser
def test_page_inspection_catches_a_broken_page(browser_context: Any, tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text(BROKEN_PAGE, encoding="utf-8")
    report = inspect_page(browser_context, page, tmp_path / "shots" / "broken.png")
    assert report.blocked == ["http://example.invalid/chart.png"]
    assert any("broken on purpose" in e for e in report.console_errors)
    assert len(heading_problems(report.headings)) == 3
    widths = [image["naturalWidth"] for image in report.facts["images"]]
    assert widths == [1, 0]
    assert report.facts["images"][0]["alt"] is None
    assert report.facts["tables"] == [{"caption": None, "columnHeaders": 0, "rows": 1}]
    assert report.facts["printRules"] == []
    assert len(report.facts["scripts"]) == 1
    rules = {v["id"]: v["impact"] for v in report.violations}
    assert rules["image-alt"] == "critical"
    assert rules["html-has-lang"] == "serious"
    assert {"image-alt", "html-has-lang"} <= {v["id"] for v in report.failing()}
    assert report.screenshot.read_bytes()[:4] == b"\x89PNG"


class _RefusingPage:
    """A stand-in page (800 x 2,000 px, viewport 900 px high) whose first ``refusals``
    whole-page captures fail as Chromium's do; ``strips`` says whether strips fail too."""

    def __init__(self, refusals: int, strips: bool = True) -> None:
        self.refusals = refusals
        self.strips = strips
        self.captures = 0
        self.clips: list[dict[str, int]] = []
        self.waits: list[int] = []

    def screenshot(self, full_page: bool, clip: dict[str, int] | None = None) -> bytes:
        import io

        from PIL import Image
        from playwright.sync_api import Error as PlaywrightError

        assert full_page
        if clip is not None:
            if not self.strips:
                raise PlaywrightError("Page.screenshot: Unable to capture screenshot")
            self.clips.append(clip)
            shade = 40 * len(self.clips)
            image = Image.new("RGB", (clip["width"], clip["height"]), (shade, shade, shade))
            out = io.BytesIO()
            image.save(out, format="PNG")
            return out.getvalue()
        self.captures += 1
        if self.captures <= self.refusals:
            raise PlaywrightError("Page.screenshot: Unable to capture screenshot\nCall log: ...")
        return b"\x89PNG fake"

    def evaluate(self, script: str) -> list[int]:
        assert "scrollHeight" in script
        return [800, 2000, 900]

    def wait_for_timeout(self, ms: int) -> None:
        self.waits.append(ms)


@pytest.mark.parametrize("refusals", [0, 1, 2])
def test_a_refused_capture_is_tried_again(refusals: int, tmp_path: Path) -> None:
    page = _RefusingPage(refusals)
    shot = tmp_path / "page.png"
    assert save_screenshot(page, shot, attempts=3) == ""
    assert shot.read_bytes() == b"\x89PNG fake"
    assert page.captures == refusals + 1
    assert len(page.waits) == refusals
    assert page.clips == []


def test_a_page_refused_whole_is_taken_in_strips(tmp_path: Path) -> None:
    from PIL import Image

    page = _RefusingPage(refusals=5)
    shot = tmp_path / "page.png"
    assert save_screenshot(page, shot, attempts=3) == ""
    assert page.captures == 3
    assert [(c["y"], c["height"]) for c in page.clips] == [(0, 900), (900, 900), (1800, 200)]
    image = Image.open(shot)
    assert image.size == (800, 2000)
    assert [image.getpixel((10, y))[0] for y in (0, 899, 900, 1999)] == [40, 40, 80, 120]


def test_a_capture_refused_every_way_is_reported_not_raised(tmp_path: Path) -> None:
    page = _RefusingPage(refusals=5, strips=False)
    shot = tmp_path / "page.png"
    error = save_screenshot(page, shot, attempts=3)
    assert error == (
        "3 captures refused, the last with: Page.screenshot: Unable to capture screenshot; "
        "in strips: Page.screenshot: Unable to capture screenshot"
    )
    assert page.captures == 3
    assert not shot.exists()


def test_write_audit_sees_child_processes(tmp_path: Path) -> None:
    log = tmp_path / "writes"
    log.mkdir()
    child = "open('child.txt', 'w').write('x')"
    parent = (
        "import os, subprocess, sys\n"
        "open('parent.txt', 'w').write('x')\n"
        "os.replace('parent.txt', 'moved.txt')\n"
        f"subprocess.run([sys.executable, '-c', {child!r}], check=True)\n"
    )
    subprocess.run(
        [sys.executable, "-c", parent], cwd=tmp_path, env=engagement_env(log), check=True
    )
    events = read_write_log(log)
    assert len(list(log.glob("*.log"))) == 2
    assert ("open", tmp_path / "parent.txt") in events
    assert ("os.rename", tmp_path / "moved.txt") in events
    assert ("open", tmp_path / "child.txt") in events
    assert all(is_under(path, tmp_path) for _, path in events)


def test_snapshot_notices_changed_added_and_touched_files(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x\n")
    (tmp_path / "b.csv").write_text("y\n")
    before = snapshot(tmp_path)
    (tmp_path / "a.csv").write_text("z\n")
    (tmp_path / "new.csv").write_text("n\n")
    stat = (tmp_path / "b.csv").stat()
    import os

    os.utime(tmp_path / "b.csv", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert describe_changes(before, snapshot(tmp_path)) == [
        "new file new.csv",
        "changed a.csv",
        "changed b.csv",
    ]


def test_hostile_raw_copy_replaces_every_planned_cell(tmp_path: Path) -> None:
    make_hostile_raw(tmp_path / "raw")
    for hostile, cells in HOSTILE_EDITS:
        for name, _, old in cells:
            text = (tmp_path / "raw" / name).read_text(encoding="utf-8")
            assert old in (RAW / name).read_text(encoding="utf-8")
            assert hostile.text.replace('"', '""') in text or hostile.text in text, name
            assert f",{old}," not in text, name


def test_browser_tests_use_the_chromium_the_paper_prints_with(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="no-chromium"):
        require_browser_tools()


def _flag_lists(path: Path) -> list[str]:
    """Names given a tuple or list of three or more command-line flags in one module."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(
            node.value, ast.Tuple | ast.List
        ):
            items = node.value.elts
            if len(items) >= 3 and all(
                isinstance(i, ast.Constant) and str(i.value).startswith("--") for i in items
            ):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names += [f"{path.relative_to(PROJECT)}:{ast.unparse(t)}" for t in targets]
    return names


def test_chromium_flags_are_defined_once_in_the_project() -> None:
    modules = sorted((PROJECT / "src").rglob("*.py")) + sorted((PROJECT / "tests").rglob("*.py"))
    defined = [name for path in modules for name in _flag_lists(path)]
    assert defined == ["src/helpers/briefing/pdf.py:CHROMIUM_ARGS"]
