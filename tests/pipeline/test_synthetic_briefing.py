"""Briefings built from synthetic platform exports show the ingested figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers.briefing import runner
from helpers.tidy.dataset import build_dataset
from helpers.tidy.select import monthly_rollup

pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("synthetic")]
PERIOD = "2016-12"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> dict[str, object]:
    data = tmp_path_factory.mktemp("synthetic") / "data"
    exports = data / "raw" / "exports"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.factories.synthetic",
            str(exports),
            "--years",
            "2",
            "--accounts",
            "4",
            "--tweets",
            "2000",
            "--seed",
            "7",
            "--end-year",
            "2016",
        ],
        check=True,
        capture_output=True,
    )
    tidy = build_dataset(data / "raw", data / "processed")
    folder = runner.run_period(PERIOD, data_dir=data, out_dir=data.parent / "out", timeout=300)
    return {"tidy": tidy, "folder": folder}


def _one(records, **where) -> float:
    found = [r for r in records if all(r.get(k) == v for k, v in where.items())]
    assert len(found) == 1, (where, found)
    return found[0]["value"]


def test_exports_only_no_report_figures(synthetic):
    tidy = synthetic["tidy"]
    assert not tidy["source"].str.startswith("report_2015").any()
    assert tidy["account"].str.contains("SYNTHETIC").any()


def test_facebook_likes_come_from_the_page_exports(synthetic):
    tidy, folder = synthetic["tidy"], synthetic["folder"]
    likes = tidy[(tidy["metric"] == "page_likes") & (tidy["end"] == "2016-12-31")]
    h = json.loads((folder / "headlines.json").read_text())
    total = _one(
        h,
        channel="facebook",
        account="All accounts",
        metric="page_likes",
        measure="value",
        end="2016-12-31",
    )
    assert total == likes["value"].sum() > 0
    assert len(likes) == 4


def test_website_sessions_are_the_daily_rows_added_up(synthetic):
    tidy, folder = synthetic["tidy"], synthetic["folder"]
    web = tidy[(tidy["channel"] == "website") & (tidy["metric"] == "sessions")]
    web = web[(web["segment"] == "") & (web["start"] == web["end"])]  # the daily rows
    in_2016 = web[(web["start"] >= "2016-01-01") & (web["end"] <= "2016-12-31")]
    h = json.loads((folder / "headlines.json").read_text())
    value = _one(
        h,
        channel="website",
        metric="sessions",
        measure="sum",  # the window's total beside the months
        start="2016-01-01",
        end="2016-12-31",
    )
    assert value == in_2016["value"].sum() > 0
    text = (folder / "website.html").read_text()
    assert f"{int(value):,} sessions" in text


def test_itk_divisions_from_the_member_export(synthetic):
    folder = synthetic["folder"]
    h = json.loads((folder / "headlines.json").read_text())
    divisions = {r["account"] for r in h if r["channel"] == "itk" and r["measure"] == "pct_change"}
    assert {"West", "South", "East"} <= divisions
    assert "Is growth slowing?" in (folder / "itk.html").read_text()


def test_monthly_rollup_needs_every_day(synthetic):
    tidy = synthetic["tidy"]
    daily = tidy[(tidy["channel"] == "website") & (tidy["metric"] == "sessions")]
    daily = daily[(daily["segment"] == "") & (daily["start"] == daily["end"])]
    cut = daily[daily["start"] != pd.Timestamp("2016-03-15")]
    rolled = monthly_rollup(cut)
    march = rolled[(rolled["start"] == "2016-03-01") & (rolled["end"] == "2016-03-31")]
    april = rolled[(rolled["start"] == "2016-04-01") & (rolled["end"] == "2016-04-30")]
    assert march.empty and len(april) == 1
    assert Path(april["source"].iloc[0].split(":")[0]).suffix in {".csv", ".xlsx"}
