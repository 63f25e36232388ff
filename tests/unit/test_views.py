"""Views on the embedded data: Styler tables, Figures from zero, absent notes when empty."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from pandas.io.formats.style import Styler

from helpers import measures, present
from helpers.config import Channel, Metric
from helpers.present import figure, tables
from helpers.present.page import ABSENT_MIME, Absent
from helpers.tidy.inputs import open_period


@pytest.fixture(scope="module")
def inputs():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return open_period("2015-10")


@pytest.fixture(scope="module")
def likes(inputs):
    return measures.audience(inputs.tidy, inputs.window, Channel.FACEBOOK, Metric.PAGE_LIKES)


def test_audience_table_is_a_styler_whose_total_row_adds_up(likes):
    changes = measures.audience_change(likes)
    table = present.audience_table(likes, changes, "Facebook likes", "account")
    assert isinstance(table, Styler)
    data = table.data
    accounts = data.drop(index="All accounts (sum)")
    assert data.loc["All accounts (sum)", "Sep 2015"] == accounts["Sep 2015"].sum() == 200_642
    assert "latest figures 30 September 2015" in table.caption
    html = table.to_html()
    assert "61,462" in html and "20.4%" in html


@pytest.mark.parametrize(
    "chart",
    [
        lambda likes, t: present.audience_chart(likes, "Facebook likes", "account"),
        lambda likes, t: present.total_chart(likes, "Facebook likes"),
        lambda likes, t: present.traffic_chart(t, "Force website"),
    ],
)
def test_count_axes_start_at_zero_and_titles_name_the_months(likes, inputs, chart):
    traffic = measures.traffic(inputs.tidy, inputs.window, Channel.WEBSITE, "lancashire.police.uk")
    fig = chart(likes, traffic)
    ax = fig.axes[0]
    assert ax.get_ylim()[0] == 0
    title = ax.get_title().replace("\n", " ")
    assert "2015" in title
    assert not title.endswith(("201", " "))  # nothing cut off
    assert figure.alt_text(fig)


def test_year_earlier_starting_point_is_on_the_total_chart(likes):
    fig = present.total_chart(likes, "Facebook likes")
    dates = [pd.Timestamp(d).strftime("%Y-%m") for d in fig.axes[0].lines[0].get_xdata()]
    assert dates[0] == "2014-09"
    assert "September 2014" in fig.axes[0].get_title().replace("\n", " ")


def test_empty_frames_give_one_line_not_an_empty_table(inputs):
    empty = measures.audience(inputs.tidy, inputs.window, Channel.YOUTUBE, Metric.SUBSCRIBERS)
    for out in (
        present.audience_table(empty, measures.audience_change(empty), "YouTube", "account"),
        present.audience_chart(empty, "YouTube subscribers", "account"),
        present.engagement_table(empty),
        present.quality_table(pd.DataFrame()),
    ):
        assert isinstance(out, Absent)
        bundle = out._repr_mimebundle_()
        assert ABSENT_MIME in bundle and bundle["text/markdown"].startswith("No ")


def test_views_escape_text_from_data():
    frame = pd.DataFrame({"Share": [50.0]}, index=pd.Index(["<b>x</b>"], name="Segment"))
    html = tables.styled(frame, "A <caption>", {"Share": tables.SHARE}).to_html()
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "A &lt;caption&gt;" in html
    md = present.markdown(["Account <script>bad()</script> grew."]).data
    assert "<script>" not in md


def test_every_table_escapes_text_from_data():
    hostile = '<a href="javascript:x()">T</a>'
    frame = pd.DataFrame({"Figure": [hostile], "Value": [3.0]})
    for styler in (
        tables.styled(frame, "c", {"Value": tables.COUNT}),
        tables.styled(frame.set_index("Figure"), "c", {"Value": tables.COUNT}),
        tables.styled(pd.concat([frame, frame]).set_index("Figure"), "c", {}),  # repeated labels
    ):
        html = styler.to_html()
        assert hostile not in html and "&lt;a href=" in html


def _inputs(period: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return open_period(period)


def test_change_column_names_the_dates_its_changes_span():
    """June 2015: the accounts' changes run from February, not from the stated September 2014."""
    inputs = _inputs("2015-06")
    likes = measures.audience(inputs.tidy, inputs.window, Channel.FACEBOOK, Metric.PAGE_LIKES)
    changes = measures.audience_change(likes)
    data = present.audience_table(likes, changes, "Facebook likes", "account").data
    assert list(data.columns) == ["Feb 2015", "Jun 2015", "% change Feb 2015 to Jun 2015"]
    assert round(data.loc["Lancs Police", "% change Feb 2015 to Jun 2015"], 1) == 9.8
    spans = changes[changes["measure"] == "pct_change"].set_index("account")
    for account in ("Lancs Police", "Sum of accounts"):
        assert (spans.loc[account, "start"], spans.loc[account, "end"]) == (
            pd.Timestamp("2015-02-28"),
            pd.Timestamp("2015-06-30"),
        )


def test_likes_per_resident_say_a_divisions_pages_are_added_up(inputs):
    """Summed page likes count a person once per page, as summed reach does: said so."""
    likes = measures.audience(inputs.tidy, inputs.window, Channel.FACEBOOK, Metric.PAGE_LIKES)
    table = present.per_resident_table(
        measures.per_resident(likes, inputs.residents), "Facebook likes"
    )
    assert "counting a person who likes two of them twice" in table.caption
    assert "Facebook likes (sum of pages)" in table.data.columns
    users = measures.audience(inputs.tidy, inputs.window, Channel.ITK, Metric.REGISTERED_USERS)
    itk = present.per_resident_table(measures.per_resident(users, inputs.residents), "ITK users")
    assert "twice" not in itk.caption  # a registered user is one person


def test_users_of_all_months_are_said_to_be_counted_once(inputs):
    traffic = measures.traffic(inputs.tidy, inputs.window, Channel.WEBSITE, "lancashire.police.uk")
    table = present.traffic_table(traffic, "Force website")
    users = table.data["Unique users"]
    assert users["All months"] == 724_650
    assert users.drop("All months").sum() == 856_401
    assert "count each person once, so they are fewer than the months' users" in table.caption


def test_a_stated_total_on_a_tile_says_so_beside_the_sum_of_the_accounts():
    """September 2015: the report states 200,644 likes; its accounts add up to 200,642."""
    inputs = _inputs("2015-09")
    likes = measures.audience(inputs.tidy, inputs.window, Channel.FACEBOOK, Metric.PAGE_LIKES)
    tile = present.tile(measures.audience_change(likes), "Facebook likes")
    assert tile.value == 200_644
    assert tile.note == "The report's stated total; the accounts listed add up to 200,642"
    html = present.Tiles([tile])._repr_html_()
    assert "200,644" in html and "the accounts listed add up to 200,642" in html
    followers = measures.audience(inputs.tidy, inputs.window, Channel.TWITTER, Metric.FOLLOWERS)
    tile = present.tile(measures.audience_change(followers), "Twitter followers")
    assert tile.value == 126_231  # the stated total and the accounts agree: no sum to add
    assert tile.note == "The report's stated total"


def _header_rows(styler: Styler) -> list[list[str]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(styler.to_html(), "html.parser")
    return [[c.get_text(strip=True) for c in tr.find_all("th")] for tr in soup.thead.find_all("tr")]


def test_tables_have_one_header_row_without_stray_index_names(inputs, likes):
    engagement = measures.engagement(inputs.tidy, inputs.window)
    traffic = measures.traffic(inputs.tidy, inputs.window, Channel.WEBSITE, "lancashire.police.uk")
    for styler, corner in (
        (present.engagement_table(engagement), "Account"),
        (present.traffic_table(traffic, "Force website"), "Month"),
        (
            present.audience_table(likes, measures.audience_change(likes), "Likes", "account"),
            "Account",
        ),
    ):
        rows = _header_rows(styler)
        assert len(rows) == 1, rows  # no row of its own for "Account", "Month" or "metric"
        assert rows[0][0] == corner and "metric" not in rows[0]


def test_empty_sections_are_named_without_garbled_words(inputs):
    empty = inputs.tidy.iloc[0:0]
    instagram = measures.latest_level(empty, inputs.window, Channel.INSTAGRAM, Metric.FOLLOWERS)
    lines = [
        present.figures_table(
            instagram, "Instagram followers, latest figure", "Date", "Followers"
        )._repr_mimebundle_()["text/plain"],
        present.figures_table(
            instagram,
            "Tweet impressions by month (times tweets were seen, not people)",
            "Month",
            "Impressions",
        )._repr_mimebundle_()["text/plain"],
        present.figures_table(
            instagram, "Audience of each channel on 30 November 2015", "Channel", "Audience"
        )._repr_mimebundle_()["text/plain"],
    ]
    assert lines[0].startswith("No Instagram followers for this period")
    assert lines[1].startswith("No tweet impressions by month for this period")
    for line in lines:
        assert "figure figures" not in line and not line.split(":")[0].endswith(" figures")


def test_projection_absent_says_too_few_readings_and_method_ends_in_a_sentence(likes):
    trend = measures.trend(likes)
    assert not hasattr(trend.projection, "table")  # 2015-10: too few readings to project
    # why there is none is said once, in the method part (and the paper's annex)
    assert present.projection_chart(trend, "Facebook likes") is None
    method = present.method_trend(trend, "Facebook likes").data
    last = method.strip().split("\n\n")[-1]
    assert last.endswith(".") and "at least six monthly readings" in last  # one rule, whole


def test_no_posts_said_once_and_no_commentary_said(inputs):
    flows = measures.period_flows(inputs.tidy.iloc[0:0], inputs.window, ["facebook"])
    assert isinstance(present.flow_table(flows), Absent)
    assert present.flow_notes(flows) is None  # nothing to note either
    parts = inputs.commentary.parts.iloc[0:0]
    out = present.commentary(parts, inputs.commentary.figures, "social")
    assert isinstance(out, Absent) and "commentary" in out.what


def test_views_on_the_analysts_axes_return_them(likes):
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    before = dict(mpl.rcParams)
    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    assert present.audience_chart(likes, "Facebook likes", "account", ax=ax) is ax
    assert len(ax.lines) == 6  # one line per account, no total
    own = present.audience_chart(likes, "Facebook likes", "account")
    assert own is not fig and own.axes[0] is not ax
    changed = [k for k, v in mpl.rcParams.items() if before[k] != v]
    assert not changed


def test_headline_cell_shows_a_short_summary_with_the_full_frame_one_name_away(inputs, likes):
    changes = measures.audience_change(likes)
    engagement = measures.engagement(inputs.tidy, inputs.window)
    headlines = present.HeadlineSet.from_frames(
        "social", inputs.period, [likes[likes.in_window], changes, engagement]
    )
    bundle = headlines._repr_mimebundle_()
    assert len(headlines.items) > 40
    assert bundle["text/html"].count("<tr>") <= 1 + headlines.SUMMARY_ROWS
    assert "headlines.frame" in bundle["text/html"]
    assert ".00" not in bundle["text/html"]  # values as the briefing writes them
    assert "Facebook page likes" in bundle["text/html"]
    assert len(headlines.frame) == len(headlines.items)
    records = bundle["application/vnd.engagement-briefings.headlines+json"]["records"]
    assert len(records) == len(headlines.items)  # the runner still gets every figure
    totals = {r["account"] for r in records if r["is_total"]}
    assert totals == {"All accounts", "Sum of accounts"}


def test_every_view_has_a_google_docstring_with_args():
    import inspect

    missing = []
    for name in present.__all__:
        view = getattr(present, name)
        if not inspect.isfunction(view):
            continue
        params = [p for p in inspect.signature(view).parameters if p not in ("args", "kwargs")]
        doc = inspect.getdoc(view) or ""
        if params and ("Args:" not in doc or any(f"{p}:" not in doc for p in params)):
            missing.append(name)
    assert not missing, f"views without Args for every parameter: {missing}"


def test_chart_and_table_parameters_say_what_they_do():
    import inspect

    for view in (present.audience_chart, present.change_chart, present.audience_table):
        params = list(inspect.signature(view).parameters)
        assert "by" not in params and "noun" not in params, (view.__name__, params)
        assert "account_kind" in params


def test_quality_link_works_on_the_page_and_in_jupyterlab(tmp_path, monkeypatch):
    from helpers import config

    page = present.quality_link("facebook", "2015-09", "/srv/outputs/2015-09").data
    assert "](quality.html#facebook)" in page  # the page sits beside quality.html
    monkeypatch.setattr(config, "ROOT", tmp_path)
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")  # JupyterLab's kernel runs in the notebook's folder
    unbuilt = present.quality_link("facebook", "2015-09").data
    assert "](" not in unbuilt and "make briefing PERIOD=2015-09" in unbuilt
    built = tmp_path / "outputs" / "2015-09" / "quality.html"
    built.parent.mkdir(parents=True)
    built.write_text("<html></html>")
    lab = present.quality_link("facebook", "2015-09").data
    assert "](../outputs/2015-09/quality.html#facebook)" in lab
