"""The default board paper: the 2015 report's whole story on at most 12 full A4 pages.

The paper is the one ``make briefing PDF=1`` builds: the latest period, whose
commentary is the report's own (issued 18 November 2015). It comes from the build
of every period (:mod:`tests.pipeline.all_periods`). Every figure looked for is
taken from the period's ``headlines.json`` or the commentary's declared figures and
formatted as the pages format it, so the test follows the data.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from helpers.briefing.plan import latest_period
from helpers.present import formats
from helpers.tidy.dataset import load_commentary, load_tidy, paper_periods
from tests.pipeline.all_periods import AllPeriods, all_periods  # noqa: F401 (a fixture)
from tests.pipeline.test_pdf import _paper, _words

#: The longest the default paper may be, in A4 pages.
MAX_PAGES = 12
#: The least a page but the last must be filled: inked height over the text area's height.
MIN_FILL = 0.40
#: The A4 text area between the running header and the page number (print.css margins).
TOP_MM, BOTTOM_MM, PAGE_MM = 14, 13, 297


@pytest.fixture(scope="module")
def paper(all_periods: AllPeriods) -> dict[str, Any]:  # noqa: F811
    period = latest_period(load_tidy(all_periods.data_dir), paper_periods(all_periods.data_dir))
    path = _paper(all_periods, period)
    folder = all_periods.out_dir / period
    reader = PdfReader(path)
    return {
        "period": period,
        "path": path,
        "reader": reader,
        "text": _words(" ".join(page.extract_text() or "" for page in reader.pages)),
        "overview": json.loads((folder / "overview.json").read_text(encoding="utf-8")),
        "headlines": json.loads((folder / "headlines.json").read_text(encoding="utf-8")),
        "commentary": load_commentary(all_periods.data_dir).for_period(period),
    }


def _fill(png: Path) -> float:
    """Inked height of a rendered page's text area, as a share of that area's height."""
    image = Image.open(png).convert("L")
    width, height = image.size
    top = round(height * TOP_MM / PAGE_MM)
    bottom = round(height * (PAGE_MM - BOTTOM_MM) / PAGE_MM)
    pixels = image.load()
    inked = [y for y in range(top, bottom) if any(pixels[x, y] < 200 for x in range(width))]
    return (inked[-1] - top) / (bottom - top) if inked else 0.0


@pytest.mark.pipeline
@pytest.mark.xdist_group("periods")
def test_the_default_period_is_the_report_s_own_paper(paper: dict) -> None:
    assert paper["period"] == "2015-11"
    assert paper["overview"]["issued"] == paper["commentary"].issued(paper["period"])


@pytest.mark.pipeline
@pytest.mark.xdist_group("periods")
def test_at_most_twelve_pages_and_none_but_the_last_near_empty(paper: dict, tmp_path: Path) -> None:
    pages = len(paper["reader"].pages)
    assert pages <= MAX_PAGES, f"the default paper runs to {pages} pages"
    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm is needed (apt-get install poppler-utils)", pytrace=False)
    subprocess.run(
        ["pdftoppm", "-r", "30", "-gray", "-png", str(paper["path"]), str(tmp_path / "p")],
        check=True,
    )
    fills = [_fill(png) for png in sorted(tmp_path.glob("p-*.png"))]
    assert len(fills) == pages
    thin = {n: round(f, 2) for n, f in enumerate(fills[:-1], 1) if f < MIN_FILL}
    assert not thin, f"pages filled less than {MIN_FILL:.0%}: {thin}"


def _headline(paper: dict, **where: str) -> dict:
    rows = [r for r in paper["headlines"] if all(r.get(k) == v for k, v in where.items())]
    assert rows, f"no headline figure {where}"
    return rows[-1]


def _declared(paper: dict, figure: str) -> str:
    row = paper["commentary"].figures.set_index("figure").loc[figure]
    return f"{row['qualifier']} {formats.value(float(row['value']), str(row['unit']))}".strip()


def _part(paper: dict, page: str, part: str) -> str:
    parts = paper["commentary"].parts
    markdown = parts[(parts["page"] == page) & (parts["part"] == part)]["markdown"].iloc[0]
    first = re.sub(r"[*_`]", "", markdown.split("\n\n")[0].lstrip("- "))
    return _words(re.sub(r"\{\{[^}]+\}\}", "", first))[:60]


def _story(paper: dict) -> dict[str, str]:
    """One figure (or sentence) for each item of the report's story, as the paper prints it."""
    count = lambda r: formats.count(r["value"])  # noqa: E731
    percent = lambda r: formats.percent(r["value"])  # noqa: E731
    h = lambda **w: _headline(paper, **w)  # noqa: E731
    return {
        "12-month growth": percent(
            h(channel="facebook", account="All accounts", measure="yoy_pct_change")
        ),
        "division and specialist growth": percent(
            h(channel="twitter", account="Specialist", measure="pct_change")
        ),
        "local engagement against the corporate page": count(
            h(channel="facebook", account="East", metric="engaged_users")
        ),
        "reach": count(h(channel="facebook", account="All accounts", metric="reach")),
        "impressions": count(h(channel="twitter", metric="impressions")),
        "website's first six months": count(h(channel="website", metric="sessions", measure="sum")),
        "In the Know": count(
            h(channel="itk", account="All accounts", metric="registered_users", measure="value")
        ),
        "October figures and the digital community": count(
            h(channel="all", metric="audience", measure="sum")
        ),
        "Instagram": _declared(paper, "instagram_followers"),
        "Copcast": _declared(paper, "copcast_views"),
        "M6 post": _declared(paper, "m6_post_reach"),
        "CSE week": _declared(paper, "cse_reach"),
        "alpaca video": _declared(paper, "alpacas_video_views"),
        "online recruitment": _declared(paper, "pc_applications"),
        "operational examples": _part(paper, "social", "Operational examples"),
        "developments and next steps": _part(paper, "social", "Developments and next steps"),
        "strategy due in March 2016": _part(paper, "overview", "Developments and next steps"),
    }


@pytest.mark.pipeline
@pytest.mark.xdist_group("periods")
def test_the_paper_carries_the_report_s_whole_story(paper: dict) -> None:
    text = paper["text"]
    overview = paper["overview"]
    assert f"Decision required {overview['decision']}" in text
    day = formats.day(overview["issued"])
    assert f"Date of issue {day}" in text
    missing = {item: words for item, words in _story(paper).items() if words not in text}
    assert not missing, f"not in the paper: {missing}"
    assert "March 2016" in text
