"""Names from the data that look like markup or script stay text on every page.

The hostile build (:data:`tests.browser.harness.HOSTILE_EDITS`) replaces a Trust Ed
page title, a campaign activity, a website page group, a Facebook account (in the
report table and in the stated claims), an online form name and a second page
title with hostile text, builds the tidy data and the briefings of
:data:`~tests.browser.harness.HOSTILE_PERIOD` (the window that holds all of these
figures), then opens every page in Chromium. The commentary and the platform
exports of the build carry a script payload in every field that holds text
(:mod:`tests.browser.payloads`): no page may open a dialog or change its own DOM.
"""

from __future__ import annotations

import html
import json

import pytest
from markupsafe import escape

from tests.browser.conftest import PageGetter
from tests.browser.harness import (
    ARCHIVE_PAGE,
    HOSTILE_EDITS,
    HOSTILE_PERIOD,
    PAGES,
    Build,
    Hostile,
)
from tests.browser.payloads import PERSONAL, payload

pytestmark = [pytest.mark.browser, pytest.mark.pipeline, pytest.mark.xdist_group("builds")]

HOSTILE = [hostile for hostile, _ in HOSTILE_EDITS]


def _markup_chars(text: str) -> bool:
    return any(c in text for c in "<>&\"'")


def test_hostile_names_pass_the_data_schema(hostile_build: Build) -> None:
    import pandas as pd

    tidy = pd.read_parquet(hostile_build.processed_dir / "tidy.parquet")
    values = set(tidy["account"]) | set(tidy["segment"])
    tidy_names = [h for h, cells in HOSTILE_EDITS if any(c[0].startswith("report_") for c in cells)]
    assert len(tidy_names) >= 4
    missing = [h.text for h in tidy_names if h.text not in values]
    assert missing == [], "hostile names were changed or dropped on the way in"


@pytest.mark.parametrize("name", PAGES)
def test_no_hostile_code_runs(
    name: str, hostile_build: Build, normal_build: Build, page_report: PageGetter
) -> None:
    report = page_report(hostile_build, HOSTILE_PERIOD, name)
    normal = page_report(normal_build, HOSTILE_PERIOD, name)
    assert report.facts["pwned"] is None, (
        f"script from the data ran: __pwned={report.facts['pwned']}"
    )
    assert report.facts["scripts"] == normal.facts["scripts"], "a <script> element came from data"
    assert report.facts["risky"] == [], "an event handler or javascript: URL came from data"
    assert report.blocked == [], f"a hostile name made the page request {report.blocked}"
    assert report.console_errors == []
    assert len([h for h in report.headings if h[0] == 1]) == 1


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda h: h.where)
def test_hostile_text_shown_as_text(
    hostile: Hostile, hostile_build: Build, page_report: PageGetter
) -> None:
    for name in hostile.pages:
        report = page_report(hostile_build, HOSTILE_PERIOD, name)
        assert hostile.text in report.facts["text"], f"{hostile.text!r} not visible on {name}.html"


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda h: h.where)
def test_hostile_text_escaped_in_the_source(hostile: Hostile, hostile_build: Build) -> None:
    forms = {
        html.escape(hostile.text, quote=False),
        html.escape(hostile.text),
        escape(hostile.text),
    }
    for name in PAGES:
        source = hostile_build.page(HOSTILE_PERIOD, name).read_text(encoding="utf-8")
        if _markup_chars(hostile.text):
            assert hostile.text not in source, f"{name}.html holds {hostile.text!r} unescaped"
        if name in hostile.pages:
            assert any(form in source for form in forms), f"{name}.html lacks the escaped text"
    for name in hostile.pages:
        source = hostile_build.page(HOSTILE_PERIOD, name).read_text(encoding="utf-8")
        assert f'href="{hostile.text}' not in source


def _strings(value: object) -> set[str]:
    if isinstance(value, dict):
        return {s for v in value.values() for s in _strings(v)}
    if isinstance(value, list):
        return {s for v in value for s in _strings(v)}
    return {value} if isinstance(value, str) else set()


@pytest.mark.parametrize("file", ["headlines.json", "quality.json"])
def test_published_json_keeps_names_unchanged(file: str, hostile_build: Build) -> None:
    path = hostile_build.period_dir(HOSTILE_PERIOD) / file
    strings = _strings(json.loads(path.read_text(encoding="utf-8")))
    expected = [h.text for h in HOSTILE if file in h.published]
    assert expected
    assert [text for text in expected if text not in strings] == []


@pytest.mark.parametrize("name", [*PAGES, ARCHIVE_PAGE])
def test_no_payload_runs_on_any_page(
    name: str, hostile_build: Build, page_report: PageGetter
) -> None:
    """A payload that became markup would open a dialog or change the page once loaded."""
    report = page_report(hostile_build, HOSTILE_PERIOD, name)
    assert report.dialogs == [], f"script from the data ran on {name}: {report.dialogs}"
    assert report.dom_change == "", f"the page changed itself after loading: {report.dom_change}"
    assert report.facts["risky"] == [], "an event handler or javascript: URL came from data"


#: Payloads shown on a page, and the pages that show them (as text).
SHOWN = {
    "decision": ("index", ARCHIVE_PAGE),
    "contact": ("index",),
    "qualifier": ("social", "itk", "website"),
    "account figure": ("social",),
    "part": ("social",),
    "text": ("social",),
    "page name": ("social",),
    "meta page name": ("social",),
    "page path": ("trusted2know",),
    "page title": ("trusted2know",),
}


@pytest.mark.parametrize("where", sorted(SHOWN))
def test_payloads_are_shown_as_text(
    where: str, hostile_build: Build, page_report: PageGetter
) -> None:
    for name in SHOWN[where]:
        report = page_report(hostile_build, HOSTILE_PERIOD, name)
        assert payload(where) in report.facts["text"], f"{where!r} not shown as text on {name}"


def test_no_personal_data_from_the_exports_reaches_an_output(hostile_build: Build) -> None:
    """Pages, JSON files and the tidy table hold none of the personal data in the paths."""
    outputs = [
        *hostile_build.period_dir(HOSTILE_PERIOD).glob("*.html"),
        *hostile_build.period_dir(HOSTILE_PERIOD).glob("*.json"),
        hostile_build.processed_dir / "tidy.csv",
    ]
    text = "".join(p.read_text(encoding="utf-8") for p in outputs)
    assert "trusted2know.html" in {p.name for p in outputs}
    assert [value for value in PERSONAL if value in text] == []
