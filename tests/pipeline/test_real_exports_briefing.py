"""The monthly job on today's exports: March 2025 from one force's genuine downloads.

The data folder holds nothing but twelve exports that people published (the 2025 set
of the real-exports corpus: Meta Business Suite content exports and a ``Reach.csv``
overview download, an X content export and account overview, three GA4 downloads,
YouTube Studio's Table data, Chart data and lifetime Totals) and an ``accounts.yml``
that places them as one force's downloads: no transcribed report, no stated figures,
no commentary and no force profile. The exports are linked, not copied: the corpus
stays where it is (its licences are unknown).

March 2025 is built with its board paper, and the paper must carry every channel's
month with its own dates: Facebook's 58 posts and their summed reach of 2,205,
Instagram's 18–31 March, X's 1–21 March (both labelled as part of the month), GA4's
weeks by their own dates and its year-long totals labelled with their range, and
YouTube's views; a trend chart for each channel with one; no "there are no ...
figures" line and nothing dated 2015.
"""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from helpers.briefing.pdf import PdfSkipped, find_chromium
from helpers.briefing.runner import plan_period, run_period
from helpers.tidy.dataset import build_dataset
from tests.factories.real_2025 import CORPUS, stage

pytestmark = [
    pytest.mark.pipeline,
    pytest.mark.xdist_group("real-exports"),
    pytest.mark.skipif(
        not CORPUS.is_dir(), reason=f"the real-exports corpus is not at {CORPUS} (kept beside it)"
    ),
]


@pytest.fixture(scope="module")
def force(tmp_path_factory) -> dict:
    try:
        find_chromium()
    except PdfSkipped as exc:  # the checks read the board paper
        pytest.skip(f"the board paper cannot be printed: {exc}")
    data = stage(tmp_path_factory.mktemp("force") / "data")
    tidy = build_dataset(data / "raw", data / "processed")
    out = data.parent / "out"
    folder = run_period("2025-03", data_dir=data, out_dir=out, timeout=600, pdf=True)
    pages = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.html")}
    paper = folder / "briefing.pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(paper).pages)
    return {
        "data": data,
        "tidy": tidy,
        "folder": folder,
        "pages": pages,
        "paper": " ".join(text.split()),
        "headlines": json.loads((folder / "headlines.json").read_text()),
    }


def test_the_latest_month_most_channels_reach_is_chosen_and_said(force):
    request = plan_period(data_dir=force["data"])
    # Facebook, Instagram, the website and YouTube reach April 2025; X stops on 21 March
    assert request.period == "2025-04"
    assert request.notes[0].startswith("April 2025: the latest month most channels' figures reach")
    assert "stop earlier: Twitter (21 March 2025)" in request.notes[0]
    assert "run on: YouTube (to 13 November 2025)" in request.notes[0]
    assert request.channels == ("social", "website")
    assert request.force == ""  # no profile: the paper names no force


def test_only_the_pages_with_figures_are_built(force):
    assert set(force["pages"]) == {"index.html", "social.html", "website.html", "quality.html"}
    overview = json.loads((force["folder"] / "overview.json").read_text())
    assert [p["href"] for p in overview["pages"]] == [
        "index.html",
        "social.html",
        "website.html",
        "quality.html",
    ]


def test_the_paper_carries_every_channel_s_month_with_its_own_days(force):
    paper = force["paper"]
    # Facebook posts and their reach, hand sums of the content export for March 2025
    assert re.search(r"Post reach \(summed over 58 posts\) 2,205\b", paper)
    assert re.search(r"Posts 58\b", paper)
    # Instagram and X cover part of the month, and say so
    assert "Instagram views: 8,517 over 18–31 March 2025 (14 of 31 days)" in paper
    assert "Twitter impressions: 5,910 over 1–21 March 2025 (21 of 31 days)" in paper
    assert "Twitter (1–21 March 2025, 21 of 31 days)" in paper
    assert re.search(r"Engagements 372\b", paper)
    # YouTube views of March, with the month before and a year before
    assert "YouTube views: 272 in March 2025" in paper
    # GA4: weeks by their own dates, a week in two months said as such
    assert re.search(r"\(part in (February|April)\)", paper)
    # a download's year-long totals carry their own range
    assert "Sessions by channel group, January to December 2025" in paper
    assert "runs on after the month" in paper


def test_each_channel_with_a_trend_has_a_chart(force):
    soup = BeautifulSoup(force["pages"]["social.html"], "html.parser")
    alts = " ".join(img.get("alt", "") for img in soup.find_all("img"))
    for chart in (
        "Facebook reach by month",
        "Twitter impressions by month",
        "YouTube views by month",
    ):
        assert chart in alts
    website = BeautifulSoup(force["pages"]["website.html"], "html.parser")
    assert "Force website new users by month" in " ".join(
        i.get("alt", "") for i in website.find_all("img")
    )


def test_nothing_empty_nothing_from_2015(force):
    for name, html in force["pages"].items():
        text = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
        assert not re.search(r"[Tt]here are no [^.]*figures", text), name
        assert "2015" not in text, name
        assert "Lancashire" not in text and "Lancs Police" not in text, name
    assert "2015" not in force["paper"] and "Lancashire" not in force["paper"]
    assert not re.search(r"[Tt]here are no [^.]*figures", force["paper"])


def test_headline_figures_carry_their_own_dates(force):
    reach = [
        h
        for h in force["headlines"]
        if h["channel"] == "twitter" and h["metric"] == "impressions" and h["measure"] == "value"
    ]
    assert ("2025-03-01", "2025-03-21", 5910.0) in {
        (h["start"], h["end"], h["value"]) for h in reach
    }
    assert ("2025-02-01", "2025-02-21", 9080.0) in {
        (h["start"], h["end"], h["value"]) for h in reach
    }
