import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import (
    cli,  # FIXME
    config,
)
from helpers.briefing import runner as runner_module
from helpers.briefing.plan import (
    BRIEFINGS,
    SUMMARY_PAGES,
    available_periods,
    briefing_title,
    latest_period,
    parse_channels,
    validate_request,
)
from helpers.briefing.run_errors import ParameterError
from helpers.errors import PeriodError
from helpers.tidy.dataset import paper_periods

TODAY = dt.date(2016, 1, 15)


def _tidy(ends: list[str]) -> pd.DataFrame:
    days = pd.to_datetime(ends)
    return pd.DataFrame({"start": days, "end": days, "value": range(len(days))})


def test_available_periods_uses_month_end_values_only():
    tidy = _tidy(["2015-09-30", "2015-11-18", "2015-02-28", "2015-09-30", "2015-10-31"])
    assert available_periods(tidy) == ["2015-02", "2015-09", "2015-10"]
    assert latest_period(tidy) == "2015-10"


def test_a_paper_makes_its_period_briefable_and_the_latest(tmp_path):
    tidy = _tidy(["2015-09-30", "2015-11-18", "2015-10-31"])
    assert latest_period(tidy, ["2015-11"]) == "2015-11"
    folder = tmp_path / "raw" / "commentary"
    folder.mkdir(parents=True)
    for name in ("2015-11.md", "README.md", "notes.md"):
        (folder / name).write_text("x", encoding="utf-8")
    assert paper_periods(tmp_path) == ["2015-11"]
    assert paper_periods(tmp_path / "missing") == []


def test_a_whole_month_makes_a_period_a_longer_total_does_not():
    tidy = pd.DataFrame(
        {
            "start": pd.to_datetime(["2015-05-01", "2015-03-01", "2015-11-01", "2014-01-01"]),
            "end": pd.to_datetime(["2015-05-31", "2015-08-31", "2015-11-18", "2014-12-31"]),
        }
    )
    # a six-month total and a year-long one say nothing about any one month
    assert available_periods(tidy) == ["2015-05"]


def test_daily_activity_makes_a_partial_month_a_period():
    days = pd.to_datetime(["2025-04-02", "2025-04-14", "2025-05-10", "2025-06-03"])
    tidy = pd.DataFrame(
        {
            "start": days,
            "end": days,
            "metric": ["post_reach", "posts", "page_likes", "views"],
            "segment": ["", "", "", "Chorley Copcast"],
        }
    )
    # activity on some days of April; a mid-month snapshot and a campaign figure do not count
    assert available_periods(tidy) == ["2025-04"]


def test_project_data_periods_exclude_mid_month_snapshots():
    from helpers.tidy.dataset import load_tidy

    periods = available_periods(load_tidy())
    assert "2015-11" not in periods  # only a mid-November snapshot
    assert "2015-09" in periods


def test_latest_period_without_month_ends_is_refused():
    with pytest.raises(ParameterError, match="no figures of a day, a week or a month"):
        latest_period(_tidy(["2015-11-18"]))


@given(st.lists(st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)), max_size=30))
def test_available_periods_property(days):
    tidy = _tidy([d.isoformat() for d in days])
    expected = sorted({f"{d:%Y-%m}" for d in days if (d + dt.timedelta(days=1)).month != d.month})
    assert available_periods(tidy) == expected


def test_parse_channels():
    assert parse_channels(None) == BRIEFINGS
    assert parse_channels("itk, Social,itk") == ("social", "itk")
    assert parse_channels(["website"]) == ("website",)
    with pytest.raises(ParameterError, match="unknown channel 'facebok'"):
        parse_channels("social,facebok")
    with pytest.raises(ParameterError, match="no channel"):
        parse_channels(" , ")


def test_briefing_titles_come_from_config():
    assert briefing_title("itk") == config.CHANNELS["itk"]
    assert briefing_title("website") == config.CHANNELS["website"]
    assert briefing_title("social") == "Social media"


def _notebooks(tmp_path):
    folder = tmp_path / "nb"
    folder.mkdir()
    for name in (*BRIEFINGS, *SUMMARY_PAGES):
        (folder / f"{name}.ipynb").write_text("{}")
    return folder


def test_validate_request_accepts_a_good_request(tmp_path):
    request = validate_request(
        "2015-09",
        "2015-03",
        "website,social",
        config.DATA_DIR,
        notebooks_dir=_notebooks(tmp_path),
        available=["2015-02", "2015-09"],
        today=TODAY,
    )
    assert request.period == "2015-09"
    assert request.start == "2015-03"
    assert request.channels == ("social", "website")
    assert list(request.notebooks) == ["social", "website", "quality", "overview"]
    assert request.pages == ("overview", "social", "website", "quality")
    assert request.period_label == "September 2015"
    assert request.window.label == "March 2015 to September 2015"


def test_validate_request_defaults_to_latest_period(tmp_path):
    request = validate_request(
        None, notebooks_dir=_notebooks(tmp_path), available=["2015-02", "2015-10"], today=TODAY
    )
    assert request.period == "2015-10"
    assert request.start is None
    assert len(request.window.months) == 12


@pytest.mark.parametrize(
    ("period", "start", "channels", "error", "message"),
    [
        ("2015-13", None, None, PeriodError, "not a month"),
        ("Sept 2015", None, None, PeriodError, "YYYY-MM"),
        ("2016-01", None, None, PeriodError, "has not ended"),
        ("2015-09", "2015-10", None, PeriodError, "after the period"),
        ("2015-09", None, "social,tiktok", ParameterError, "unknown channel 'tiktok'"),
        ("2015-04", None, None, ParameterError, "no figures for 2015-04"),
    ],
)
def test_validate_request_refusals(tmp_path, period, start, channels, error, message):
    with pytest.raises(error, match=message):
        validate_request(
            period,
            start,
            channels,
            config.DATA_DIR,
            notebooks_dir=_notebooks(tmp_path),
            available=["2015-09"],
            today=TODAY,
        )


def test_validate_request_missing_data_dir_and_notebook(tmp_path):
    with pytest.raises(ParameterError, match="does not exist"):
        validate_request("2015-09", data_dir=tmp_path / "nowhere", today=TODAY)
    with pytest.raises(ParameterError, match="neither raw/ nor processed"):
        validate_request("2015-09", data_dir=tmp_path, today=TODAY)
    with pytest.raises(ParameterError, match=r"notebook .*itk\.ipynb not found"):
        validate_request("2015-09", channels="itk", notebooks_dir=tmp_path, today=TODAY)


def _no_kernels(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a kernel would have started")

    monkeypatch.setattr(runner_module, "_run_builds", refuse)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "--period", "2015-9"], "not a month written YYYY-MM"),
        (["run", "--period", "2999-01"], "has not ended yet"),
        (["run", "--period", "2015-09", "--start", "2015-10"], "after the period"),
        (["run", "--period", "2015-09", "--channels", "social,blog"], "unknown channel 'blog'"),
        (["run", "--period", "2015-09", "--data", "/nonexistent/data"], "does not exist"),
        (["run", "--period", "2015-04"], "no figures for 2015-04"),
        (["run", "--all", "--period", "2015-09"], "--all builds every period"),
    ],
)
def test_cli_bad_parameters_exit_2_before_any_kernel(monkeypatch, capsys, argv, message):
    _no_kernels(monkeypatch)
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.startswith("error: ")
    assert "Traceback" not in err


def test_cli_rejects_bad_jobs_and_timeout(capsys):
    for argv in (["run", "--jobs", "0"], ["run", "--timeout", "-1"]):
        with pytest.raises(SystemExit) as exc:
            cli.main(argv)
        assert exc.value.code == 2


def test_run_all_plans_each_period_once(monkeypatch, tmp_path):
    seen = {}

    def fake(requests, settings, jobs, tidy=None):
        seen["periods"] = [r.period for r in requests]
        seen["jobs"] = jobs
        return {r.period: settings.out_dir / r.period for r in requests}

    monkeypatch.setattr(runner_module, "_run_builds", fake)
    paths = runner_module.run_all(jobs=3, out_dir=tmp_path, today=TODAY)
    from helpers.tidy.dataset import load_tidy

    assert seen["periods"] == available_periods(load_tidy(), paper_periods(config.DATA_DIR))
    assert seen["periods"][-1] == "2015-11"  # the report's own paper
    assert len(set(seen["periods"])) == len(seen["periods"])
    assert seen["jobs"] == 3
    assert paths == [tmp_path / p for p in seen["periods"]]
