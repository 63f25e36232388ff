"""A social briefing built from real platform exports only.

The data folder holds nothing but two Meta Business Suite content exports from the
real-exports corpus (a Facebook page and an Instagram account, both 18 March to
14 April 2025) and their ``accounts.yml``. The exports are linked, not copied: the
corpus stays where it is (its licences are unknown). April 2025 is covered only to
the 14th, so the briefing for 2025-04 must label the figures with those days and
say plainly what the data do not hold.
"""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from helpers import config
from helpers.briefing import runner
from helpers.tidy.dataset import build_dataset

CORPUS = config.ROOT.parent / "shared" / "real-exports"
LEON = CORPUS / "meta_business_suite" / "LeonMpofu-Oigetit-Social-Media-Reports"
FACEBOOK = LEON / "Mar-18-2025_Apr-14-2025_553302954456165.csv"
INSTAGRAM = LEON / "Mar-18-2025_Apr-14-2025_1019826952924933.csv"
ACCOUNTS = """\
accounts:
  - name: Oigetit Fake News Filter - South Africa   # the Facebook page name
    account: Oigetit
  - name: oigetit_sa                                # the Instagram username
    account: Oigetit
"""
DAYS = "1 April to 14 April 2025 (14 of 30 days)"

pytestmark = [
    pytest.mark.pipeline,
    pytest.mark.xdist_group("real-exports"),
    pytest.mark.skipif(
        not LEON.is_dir(), reason=f"the real-exports corpus is not at {CORPUS} (kept beside it)"
    ),
]


@pytest.fixture(scope="module")
def april(tmp_path_factory) -> dict:
    data = tmp_path_factory.mktemp("real") / "data"
    exports = data / "raw" / "exports"
    (exports / "meta").mkdir(parents=True)
    for export in (FACEBOOK, INSTAGRAM):
        (exports / "meta" / export.name).symlink_to(export)  # read in place
    (exports / "accounts.yml").write_text(ACCOUNTS)
    tidy = build_dataset(data / "raw", data / "processed")
    folder = runner.run_period(
        "2025-04", channels="social", data_dir=data, out_dir=data.parent / "out", timeout=300
    )
    return {
        "tidy": tidy,
        "html": (folder / "social.html").read_text(),
        "headlines": json.loads((folder / "headlines.json").read_text()),
    }


def test_only_the_exports_feed_the_data(april):
    tidy = april["tidy"]
    assert tidy["source"].str.startswith("exports/meta/").all()
    assert set(tidy["account"]) == {"Oigetit"}


def test_reach_and_engagement_labelled_with_the_days_covered(april):
    html = april["html"]
    # hand sums of the raw files: posts published 1-14 April 2025
    assert f"Facebook (Oigetit), {DAYS}: 29 posts reached 593 people" in html
    assert "drew 4 reactions, comments and shares" in html
    assert f"Instagram (Oigetit), {DAYS}: 29 posts reached 1,963 people" in html
    assert "drew 58 likes, comments and shares" in html
    assert "The exports cover part of April 2025 only" in html
    reach = [
        h for h in april["headlines"] if h["metric"] == "post_reach" and h["account"] == "Oigetit"
    ]
    assert {(h["channel"], h["start"], h["end"], h["value"]) for h in reach} == {
        ("facebook", "2025-04-01", "2025-04-14", 593),
        ("instagram", "2025-04-01", "2025-04-14", 1963),
    }


def test_the_rest_says_what_is_missing(april):
    html = april["html"]
    soup = BeautifulSoup(html, "html.parser")
    note = next(p for p in soup.select("p.notice") if "Not in this briefing" in p.get_text())
    text = " ".join(note.get_text(" ").split())
    for missing in ("Facebook likes", "Twitter followers", "Facebook reach and engagement"):
        assert f"{missing} figures" in text
    assert "(there are none in the months this briefing covers)" in text
    assert text.count("there are none in the months") == 1  # grouped, said once
