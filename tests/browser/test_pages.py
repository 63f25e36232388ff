"""Every page of the 2015-09 and 2015-11 briefings in Chromium, offline, and with axe-core."""

from __future__ import annotations

import json
import struct

import pytest

from tests.browser.conftest import (
    AXE_PROPERTY,
    PageGetter,
    axe_summary,
    format_axe_line,
    write_axe_summary,
)
from tests.browser.harness import PERIODS, Build, pages_of
from tests.browser.pages import PageReport, heading_problems

pytestmark = [pytest.mark.browser, pytest.mark.pipeline, pytest.mark.xdist_group("builds")]

#: Shortest alternative text accepted for a chart.
MIN_ALT = 20


@pytest.fixture(
    params=[(p, n) for p in PERIODS for n in pages_of(p)], ids=lambda c: f"{c[0]}-{c[1]}"
)
def report(request: pytest.FixtureRequest, normal_build: Build, page_report: PageGetter):
    period, name = request.param
    return page_report(normal_build, period, name)


def test_page_loads_nothing_from_the_network(report: PageReport) -> None:
    assert report.requests, "the page was not requested at all"
    assert report.blocked == [], f"{report.name}.html tried to load {report.blocked}"


def test_no_console_errors(report: PageReport) -> None:
    assert report.console_errors == []


def test_exactly_one_h1_and_no_skipped_heading_level(report: PageReport) -> None:
    assert report.headings, "the page has no headings"
    assert heading_problems(report.headings) == []


def test_every_image_decoded_and_described(report: PageReport) -> None:
    for image in report.facts["images"]:
        assert image["naturalWidth"] > 0, f"image {image['src']}... did not decode"
        alt = (image["alt"] or "").strip()
        assert len(alt) > MIN_ALT, f"image {image['src']}... has alt text {alt!r}"


def test_page_shows_figures_or_says_why_not(report: PageReport) -> None:
    facts = report.facts
    if report.name == "index":
        assert facts["tables"], "index.html shows no headline table"
    else:
        shown = facts["tables"] or facts["images"]
        assert shown or facts["notices"], f"{report.name}.html shows no table, chart or notice"


@pytest.mark.parametrize("period", PERIODS)
def test_briefings_show_charts_and_tables(
    period: str, normal_build: Build, page_report: PageGetter
) -> None:
    reports = [
        page_report(normal_build, period, name) for name in pages_of(period) if name != "index"
    ]
    assert sum(len(r.facts["images"]) for r in reports) > 0, f"no chart in {period}"
    assert sum(len(r.facts["tables"]) for r in reports) > 0, f"no table in {period}"


def test_tables_have_captions_and_column_headers(report: PageReport) -> None:
    for table in report.facts["tables"]:
        assert table["caption"], f"a table of {table['rows']} rows has no caption"
        assert table["columnHeaders"] > 0, f"table {table['caption']!r} has no column headers"


def test_print_stylesheet_present(report: PageReport) -> None:
    assert report.facts["printRules"], "no @media print rules in the page's styles"


def test_no_scripts_or_event_handlers(report: PageReport) -> None:
    assert report.facts["scripts"] == []
    assert report.facts["risky"] == []


def test_page_language_and_title(report: PageReport) -> None:
    assert report.facts["lang"].startswith("en")
    assert report.facts["title"].strip()


def test_full_page_screenshot_saved(report: PageReport) -> None:
    assert not report.screenshot_error, f"{report.path}: {report.screenshot_error}"
    data = report.screenshot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 1280 and height >= 300, (width, height)


def test_no_serious_or_critical_accessibility_violation(
    report: PageReport, record_property: pytest.RecordProperty, request: pytest.FixtureRequest
) -> None:
    label = f"{report.path.parent.name}/{report.path.name}"
    record_property(AXE_PROPERTY, {"label": label, "impacts": report.impacts()})
    print(format_axe_line(label, report.impacts()))
    failing = [
        f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])} elements, e.g. "
        f"{v['nodes'][0]['target']}: {v['nodes'][0]['html'][:120]})"
        for v in report.failing()
    ]
    assert failing == []


@pytest.mark.parametrize("period", PERIODS)
def test_axe_summary_written(
    period: str,
    normal_build: Build,
    page_report: PageGetter,
    record_property: pytest.RecordProperty,
) -> None:
    reports = [page_report(normal_build, period, name) for name in pages_of(period)]
    summary = axe_summary(reports)
    path = write_axe_summary(normal_build.period_dir(period) / "screenshots", summary)
    record_property(AXE_PROPERTY, {"label": f"{period} (all pages)", "impacts": summary["total"]})
    print(json.dumps(summary["total"]), "->", path)
    assert json.loads(path.read_text(encoding="utf-8"))["files"].keys() == {
        f"{name}.html" for name in pages_of(period)
    }
    assert summary["axe_core"], "axe-core did not report its version"
