"""The second example force (tools/example_force.py): written the same each time, read whole.

One data folder is generated for the module and built with the project's readers
(``build_dataset``, as ``engagement data`` does); the tidy table is compared with the
generator's ``expected.json`` and with figures read from the files independently.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from helpers import config
from helpers.errors import DataError
from helpers.ingest.accounts import load_accounts
from helpers.layout import DataLayout
from helpers.tidy.dataset import build_dataset, load_profile
from tools import example_force
from tools.example_force import load_expected, monthly_totals

SEED = 1
MONTHS = [f"{m}" for m in pd.period_range("2025-11", "2026-11", freq="M")]
KEYS = ["channel", "account", "metric", "segment", "span", "month"]
#: Every reader the example means to exercise.
FORMATS = {
    "ga4",
    "meta_facebook",
    "meta_instagram",
    "meta_overview",
    "x_content",
    "x_overview",
    "youtube_table",
    "youtube_chart",
    "youtube_totals",
    "neighbourhood_alert",
}


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> SimpleNamespace:
    data = tmp_path_factory.mktemp("example") / "data"
    force = example_force.generate(data, seed=SEED)
    problems: list[DataError] = []
    exports: list = []
    tidy = build_dataset(DataLayout.from_data_dir(data), problems=problems, exports=exports)
    return SimpleNamespace(data=data, force=force, tidy=tidy, problems=problems, result=exports[0])


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "processed" not in p.relative_to(folder).parts
    }


def _month_sum(tidy: pd.DataFrame, channel: str, account: str, metric: str, month: str) -> float:
    """The sum of a series' one-day rows (no segment) in a month, from the tidy table."""
    rows = tidy[
        (tidy["channel"] == channel)
        & (tidy["account"] == account)
        & (tidy["metric"] == metric)
        & (tidy["segment"] == "")
        & (tidy["start"] == tidy["end"])
        & (tidy["start"].dt.strftime("%Y-%m") == month)
    ]
    return float(rows["value"].sum())


def _exports(example, pattern: str) -> list[Path]:
    return sorted((example.data / "raw" / "exports").glob(pattern))


def _read(path: Path, **options) -> pd.DataFrame:
    """A CSV as text cells, read here without the project's readers."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, **options)


# --- written the same each time, and only where it may be --------------------------------


def test_the_same_seed_writes_the_same_files(example, tmp_path):
    again = example_force.generate(tmp_path / "again", seed=SEED)
    assert again.files == example.force.files
    assert _digests(tmp_path / "again") == _digests(example.data)
    other = example_force.generate(tmp_path / "other", seed=SEED + 1)
    changed = _digests(tmp_path / "other")
    differ = [f for f, digest in _digests(example.data).items() if changed.get(f) != digest]
    assert "expected.json" in differ
    assert any(f.endswith("Totals.csv") for f in differ)
    assert not other.expected.equals(example.force.expected)


def test_refuses_the_projects_raw_data_and_a_used_folder(example, capsys):
    target = config.RAW_DIR / "exports" / "example-force"
    with pytest.raises(ValueError, match="not written under"):
        example_force.generate(target)
    assert not target.exists()
    assert example_force.main([str(config.RAW_DIR)]) == 2
    assert "not written under" in capsys.readouterr().err
    before = _digests(example.data)
    with pytest.raises(ValueError, match="already holds files"):
        example_force.generate(example.data)
    assert _digests(example.data) == before


# --- every file read by the readers, with the figures it holds -----------------------------


def test_every_file_is_read_with_no_refusal_or_overlap(example):
    assert example.problems == []
    written = {f.removeprefix("exports/") for f in example.force.files if f.endswith(".csv")}
    read = {f.relpath: f for f in example.result.files}
    assert set(read) == written
    assert [f.relpath for f in read.values() if f.error] == []
    assert {f.format for f in read.values()} == FORMATS
    assert example.result.overlaps.empty


def test_the_tidy_table_holds_the_expected_figures(example):
    got = monthly_totals(example.tidy[["start", "end", *KEYS[:4], "value"]])
    expected = load_expected(example.data)
    pd.testing.assert_frame_equal(expected, example.force.expected, check_dtype=False)
    both = got.merge(expected, on=KEYS, how="outer", suffixes=("", "_expected"), indicator=True)
    assert (both["_merge"] == "both").all(), both[both["_merge"] != "both"].head()
    assert np.allclose(both["value"], both["value_expected"], rtol=1e-12, atol=1e-6)
    assert len(both) > 2_500


def test_known_figures_of_november_2026(example):
    """Figures read from the files by hand equal the tidy table's and expected.json's."""
    month, tidy, force = "2026-11", example.tidy, example.force
    corporate = example_force.CORPORATE
    # Facebook: the corporate page's post reach, summed over its posts (an error row has none).
    pages = [_read(p, encoding="utf-8-sig") for p in _exports(example, f"{month}/meta/*.csv")]
    page = next(p for p in pages if "Page name" in p and set(p["Page name"]) >= {corporate})
    reach = page.loc[page["Post ID"] != "", "Reach"].astype(int).sum()
    assert reach == _month_sum(tidy, "facebook", corporate, "post_reach", month)
    assert reach == force.value("facebook", corporate, "post_reach", month)
    # Facebook reach per day, from the UTF-16 overview download (tab-separated).
    text = _exports(example, f"{month}/meta/overview/Reach.csv")[0].read_text("utf-16")
    chart, daily = "", 0
    for row in csv.reader(io.StringIO(text), delimiter="\t"):
        if len(row) == 2 and row[1] == "" and row[0]:
            chart = row[0]  # a chart's title line
        elif chart == "Facebook reach" and re.match(r"\d{4}-\d\d-\d\dT", row[0]):
            daily += int(row[1])
    assert daily == _month_sum(tidy, "facebook", corporate, "reach", month)
    # X: the corporate account's impressions (overview) and a division's posts (content).
    overview = _read(_exports(example, f"{month}/x/EastmerePolice/*.csv")[0])
    impressions = overview["Impressions"].astype(int).sum()
    assert impressions == _month_sum(tidy, "twitter", corporate, "impressions", month)
    assert impressions == force.value("twitter", corporate, "impressions", month)
    north = _read(_exports(example, f"{month}/x/EastmereNorth/*.csv")[0])
    assert len(north) == _month_sum(tidy, "twitter", "North", "tweets", month)
    # YouTube: the channel's views per day (Totals.csv).
    totals = _read(_exports(example, f"{month}/youtube/Content */Totals.csv")[0])
    views = totals["Views"].astype(int).sum()
    assert views == _month_sum(tidy, "youtube", corporate, "views", month)
    assert views == force.value("youtube", corporate, "views", month)
    # GA4: sessions per day (the Explore download, without its Grand total row).
    text = _exports(example, f"{month}/ga4/explore/*.csv")[0].read_text(encoding="utf-8")
    header, *body = csv.reader(line for line in text.splitlines() if not line.startswith("#"))
    assert header[:2] == ["Date", "Sessions"]
    sessions = sum(int(row[1]) for row in body if row[0])  # a date: not the Grand total
    assert sessions == _month_sum(tidy, "website", example_force.SITE, "sessions", month)
    assert sessions == force.value("website", example_force.SITE, "sessions", month)
    # In the Know: members by division on the last day of the export.
    members = _read(_exports(example, "*/neighbourhood_alert/*.csv")[0], encoding="utf-8-sig")
    by_division = members["Neighbourhood"].map(example_force.AREAS).value_counts()
    itk = tidy[(tidy["channel"] == "itk") & (tidy["end"] == pd.Timestamp("2026-11-30"))]
    assert dict(zip(itk["account"], itk["value"], strict=True)) == by_division.to_dict()
    for division, count in by_division.items():
        assert force.value("itk", division, "registered_users", month) == count


def test_thirteen_months_and_changes_that_show(example):
    tidy = example.tidy
    for channel in ("facebook", "instagram", "twitter", "youtube", "website", "itk"):
        months = sorted(set(tidy.loc[tidy["channel"] == channel, "start"].dt.strftime("%Y-%m")))
        assert months == MONTHS, channel
    headline = [
        ("facebook", example_force.CORPORATE, "post_reach"),
        ("instagram", example_force.CORPORATE, "views"),
        ("twitter", example_force.CORPORATE, "impressions"),
        ("youtube", example_force.CORPORATE, "views"),
        ("website", example_force.SITE, "sessions"),
        ("itk", "North", "registered_users"),
    ]
    for series in headline:
        now, before, year_ago = (
            example.force.value(*series, month) for month in ("2026-11", "2026-10", "2025-11")
        )
        assert abs(now / before - 1) > 0.005, series  # month on month
        assert abs(now / year_ago - 1) > 0.03, series  # year on year


# --- the profile, the mapping and the invented people ----------------------------------------


def test_force_profile_and_mapping(example):
    profile = load_profile(example.data)
    assert profile.name == "Eastmere Constabulary"
    assert profile.divisions == ("North", "Central", "South")
    assert profile.site("website") == "eastmere.police.uk"
    for page in ("social", "website", "itk"):
        assert profile.description(page, "2026-11"), page
    layout = DataLayout.from_data_dir(example.data)
    mapping = load_accounts(layout.mapping, divisions=profile.divisions)
    assert mapping.divisions() == {d: d for d in profile.divisions}
    accounts = set(example.tidy["account"])
    assert accounts == {"Eastmere Police", *profile.divisions, "eastmere.police.uk"}


def test_personal_looking_values_are_invented_and_never_reach_the_table(example):
    members = _read(_exports(example, "*/neighbourhood_alert/*.csv")[0], encoding="utf-8-sig")
    assert members["Email Address"].str.fullmatch(r"[a-z.]+\d+@example\.invalid").all()
    assert members["Mobile Number"].str.fullmatch(r"07700 900\d{3}").all()
    assert members["Postcode"].str.startswith("EM").all()  # no UK postcode area
    text = example.tidy[["account", "segment", "source"]].to_numpy().ravel().astype(str)
    assert not any("@" in t or "07700" in t for t in text)
    for name in set(members["Last Name"]):
        assert not any(name in t for t in text[1::3])  # no surname as a segment
