import re

import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from helpers import config
from helpers.briefing import QUALITY_MIME, RunError
from helpers.briefing.index import (
    describe_dates,
    format_value,
    quality_rows,
    render_index,
    render_quality,
)
from helpers.briefing.render import (
    MAX_PAGE_BYTES,
    Page,
    check_page,
    collect_outputs,
    heading_offset,
    network_references,
    render_notebook,
    shift_headings,
)
from helpers.present.headlines import HEADLINES_MIME

PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)
REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)

RECORD = {
    "channel": "facebook",
    "account": "All accounts",
    "metric": "page_likes",
    "measure": "value",
    "start": "2015-09-30",
    "end": "2015-09-30",
    "value": 123456.0,
    "unit": "count",
    "segment": "",
    "label": "Page likes <all>",
}


def _page(**kw):
    base = {
        "force": config.FORCE_NAME,
        "topic": "Social media briefing",
        "period_label": "September 2015",
        "window_label": "October 2014 to September 2015",
        "title": "Social media briefing, September 2015",
        "nav": [{"href": "index.html", "text": "Overview", "current": False}],
        "footer": "Built for 2015-09.",
    }
    return Page(**{**base, **kw})


def _executed(top: str = "##") -> object:
    nb = new_notebook()
    nb.cells = [
        new_code_cell('period = "2015-09"', metadata={"tags": ["parameters"]}),
        new_code_cell('period = "2015-10"  # injected', metadata={"tags": ["injected-parameters"]}),
        new_markdown_cell(f"{top} Audience\n\nLikes grew.\n\n{top}# Detail"),
        new_code_cell(
            "show_chart()",
            outputs=[
                new_output(
                    "display_data",
                    data={
                        "text/html": (
                            f'<figure><img src="data:image/png;base64,{PNG}" alt="Likes by '
                            'month"><figcaption>Likes</figcaption></figure>'
                        ),
                        "text/plain": "<figure>",
                    },
                ),
                new_output("stream", name="stderr", text="UserWarning: noisy"),
            ],
        ),
        new_code_cell(
            "audience_table(ctx)",
            outputs=[
                new_output(
                    "execute_result",
                    data={
                        "text/html": "<table id='audience'><tr><td>61,462</td></tr></table>",
                        "text/plain": "table",
                    },
                    execution_count=4,
                )
            ],
        ),
        new_code_cell(
            "plt.show()",
            outputs=[new_output("display_data", data={"image/png": PNG, "text/plain": "fig"})],
        ),
        new_code_cell(
            "display_quality()",
            outputs=[
                new_output(
                    "display_data",
                    data={QUALITY_MIME: {"records": [{"check": "c1"}]}, "text/html": "<b>Q</b>"},
                )
            ],
        ),
        new_code_cell(
            "headlines",
            outputs=[
                new_output(
                    "execute_result",
                    data={
                        HEADLINES_MIME: {"channel": "social", "period": "2015-09", "records": []},
                        "text/html": "<table id='headline-table'></table>",
                        "text/plain": "0 headline figures",
                    },
                    execution_count=7,
                )
            ],
        ),
    ]
    return nb


@pytest.fixture(scope="module")
def soup():
    return BeautifulSoup(render_notebook(_executed(), _page()), "html.parser")


def test_page_loads_nothing_from_the_network(soup):
    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
        for node in soup.find_all(tag):
            assert not REMOTE.match(node.get(attr) or ""), node
    assert soup.find_all("script") == []
    assert "http://" not in str(soup.find("head")) and "https://" not in str(soup.find("head"))


def test_page_has_no_code_no_parameters_no_json_outputs(soup):
    text = str(soup)
    assert "show_chart()" not in text
    assert "period =" not in text
    assert "In&nbsp;[" not in text and "Out[" not in text
    assert soup.find(id="headline-table") is None
    assert "<b>Q</b>" not in text
    assert "UserWarning" not in text


def test_cell_values_and_displayed_outputs_are_shown(soup):
    assert soup.find("table", id="audience").get_text() == "61,462"
    assert soup.find("figure").figcaption.get_text() == "Likes"


def test_page_structure_and_accessibility(soup):
    assert soup.html["lang"] == "en-GB"
    h1s = soup.find_all("h1")
    assert len(h1s) == 1
    heading = h1s[0].get_text(" ", strip=True)
    assert config.FORCE_NAME in heading and "September 2015" in heading
    assert "Social media" in heading
    assert soup.title.get_text() == "Social media briefing, September 2015"
    assert soup.find("nav").find("a", href="index.html") is not None
    images = soup.find_all("img")
    assert len(images) == 2
    assert all((img.get("alt") or "").strip() for img in images)
    assert [h.name for h in soup.find_all(["h2", "h3"])] == ["h2", "h3"]
    css = soup.find("style").get_text()
    assert "max-width: 60rem" in css and "@media print" in css and "break-inside: avoid" in css


def test_top_level_headings_move_below_the_page_h1():
    nb = _executed(top="#")
    assert heading_offset(nb) == 1
    soup = BeautifulSoup(render_notebook(nb, _page()), "html.parser")
    assert len(soup.find_all("h1")) == 1
    assert [h.name for h in soup.find_all(["h2", "h3"])] == ["h2", "h3"]


def test_shift_headings():
    assert shift_headings("<h1 id='a'>A</h1><h6>B</h6>", 1) == "<h2 id='a'>A</h2><h6>B</h6>"
    assert shift_headings("<h2>A</h2>", 0) == "<h2>A</h2>"
    assert shift_headings("<header>x</header>", 2) == "<header>x</header>"


def test_network_references_finds_remote_loads():
    assert network_references('<img src="data:image/png;base64,AA" alt="x">') == []
    assert network_references('<a href="https://example.org">ok</a>') == []
    bad = [
        '<script src="https://cdn.example/require.js"></script>',
        '<link rel="stylesheet" href="//fonts.example/css">',
        '<img src="http://example.org/x.png" alt="x">',
        '<iframe src="https://example.org"></iframe>',
        "<style>@import url(https://fonts.example/f.css);</style>",
        "<div style=\"background: url('http://x/y.png')\"></div>",
    ]
    for html in bad:
        assert network_references(html), html


def test_check_page_refuses_remote_and_oversized_pages():
    check_page("<p>fine</p>", "ok.html")
    with pytest.raises(RunError, match=r"x\.html would load"):
        check_page('<script src="https://cdn.example/a.js"></script>', "x.html")
    with pytest.raises(RunError, match=r"over the 1\.5 MB limit"):
        check_page("a" * (MAX_PAGE_BYTES + 1), "big.html")


def test_collect_outputs():
    nb = _executed()
    assert collect_outputs(nb, QUALITY_MIME) == [{"records": [{"check": "c1"}]}]
    assert collect_outputs(nb, HEADLINES_MIME)[0]["channel"] == "social"
    assert collect_outputs(nb, "application/x-none") == []


@pytest.mark.parametrize(
    ("value", "unit", "measure", "text"),
    [
        (1234567.0, "count", "value", "1,234,567"),
        (1234.5, "count", "value", "1,234"),  # counts are shown whole
        (250.0, "count", "abs_change", "+250"),
        (-250.0, "count", "abs_change", "-250"),
        (63.14, "percent", "share", "63.1%"),
        (12.345, "percent", "pct_change", "+12.3%"),
        (2.04, "percent_per_month", "cmgr", "+2.0% a month"),
        (1500.0, "hours", "value", "1,500 hours"),
        (4.56, "per_1000", "per_1000", "4.6 per 1,000 residents"),
        (None, "count", "value", "–"),
        (float("nan"), "count", "value", "–"),
    ],
)
def test_format_value(value, unit, measure, text):
    assert format_value(value, unit, measure) == text


def test_describe_dates():
    assert describe_dates("2015-09-30", "2015-09-30") == "30 September 2015"
    assert describe_dates("2015-09-01", "2015-09-30") == "September 2015"
    assert describe_dates("2014-10-01", "2015-09-30") == "October 2014 to September 2015"
    assert describe_dates("2015-03-01", "2015-11-18") == "1 March to 18 November 2015"
    assert describe_dates("2014-12-05", "2015-01-02") == "5 December 2014 to 2 January 2015"


def test_quality_rows_keep_ranges_and_bounds_and_name_the_account():
    records = [
        {
            "check": "a",
            "kind": "abs_change",
            "channel": "facebook+twitter",
            "account": "All accounts",
            "metric": "audience",
            "comparison": "between",
            "stated": 8400,
            "stated_high": 8500,
            "computed": 8439,
            "start": "2015-09-30",
            "end": "2015-10-31",
            "status": "ok",
            "quote": "q",
        },
        {
            "check": "b",
            "kind": "pct_change",
            "channel": "facebook",
            "account": "East",
            "metric": "page_likes",
            "comparison": "at_least",
            "stated": 50,
            "stated_high": None,
            "computed": 34.4,
            "start": "2015-02-28",
            "end": "2015-09-30",
            "status": "differs",
            "quote": "",
        },
    ]
    rows = quality_rows(records)
    assert rows[0]["stated"] == "8,400 to 8,500"
    assert rows[0]["who"] == "Facebook and Twitter"
    assert rows[1]["stated"] == "at least 50%"  # as stated, no false precision
    assert rows[1]["who"] == "Facebook, East"
    assert rows[1]["flagged"] and rows[1]["verdict"] == "differs"
    assert rows[1]["dates"] == "28 February to 30 September 2015"
    html = render_quality(_page(topic="Data quality briefing"), records, "One <short> paragraph.")
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.select("table.quality tbody tr")) == 2
    assert "&lt;short&gt;" in html and not network_references(html)


def test_quality_rows_state_figures_as_stated_and_name_the_kind_once():
    base = {
        "channel": "facebook",
        "account": "Lancs Police",
        "comparison": "equal",
        "stated_high": None,
        "start": "2015-09-01",
        "end": "2015-09-30",
        "status": "ok",
        "quote": "",
    }
    records = [
        {
            **base,
            "check": "a",
            "kind": "pct_change",
            "metric": "page_likes",
            "stated": 20.4,
            "computed": 20.35,
        },
        {
            **base,
            "check": "b",
            "kind": "engagement_rate",
            "metric": "engagement_rate",
            "stated": 11,
            "computed": 10.6,
        },
    ]
    rows = quality_rows(records)
    assert rows[0]["stated"] == "20.4%"  # the report stated 20.4, not 20.40
    assert rows[0]["computed"] == "20.35%"
    assert rows[1]["stated"] == "11%"
    assert rows[1]["what"] == "engagement rate"  # not "engagement rate: engagement rate"
    assert rows[0]["what"].endswith(": % change")


def test_index_page():
    quality = [
        {
            "check": "q1",
            "quote": "Likes rose 20%",
            "kind": "pct_change",
            "stated": 20.0,
            "computed": 18.5,
            "difference": -1.5,
            "status": "differs",
        }
    ]
    records = [RECORD, {**RECORD, "channel": "twitter", "metric": "followers", "label": ""}]
    html = render_index(
        _page(topic="Community engagement briefing"),
        [{"href": "social.html", "text": "Social media"}],
        records,
        quality,
        summary=["Audiences grew <fast>."],
        quality_text="1 of 1 figures <differs>.",
    )
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.find_all("h1")) == 1
    assert "Community engagement briefing" in soup.h1.get_text()
    assert soup.html["lang"] == "en-GB"
    assert [a["href"] for a in soup.select("ul.briefings a")] == ["social.html"]
    tables = soup.select("section.screen-only table")
    assert len(tables) == 2  # facebook, twitter; the checks are on quality.html
    flagged = soup.select("details#annex table.flagged-checks tbody tr")
    assert len(flagged) == 1  # the one check that differs, in the collapsed annex
    for table in tables:
        assert table.caption.get_text(strip=True)
        assert all(th.get("scope") == "col" for th in table.thead.find_all("th"))
    assert "Facebook" in tables[0].caption.get_text()
    assert "Twitter" in tables[1].caption.get_text()
    cells = [td.get_text() for td in tables[0].find_all("td")]
    # channel-wide figures: no "All accounts" cell repeated in every row
    assert cells == ["Page likes <all>", "123,456", "30 September 2015"]
    assert soup.select_one('a[href="quality.html"]') is not None
    assert "<fast>" in soup.select_one("section.summary li").get_text()  # escaped, not a tag
    assert "<fast>" not in html and "&lt;fast&gt;" in html
    assert "&lt;differs&gt;" in html
    assert soup.select_one("dd.issued").get_text() == "Draft"  # no date of issue set
    assert soup.select_one("dd.decision") is None
    assert not network_references(html)


def test_index_shows_the_date_of_issue_decision_and_commentary_beside_the_key_points():
    html = render_index(
        _page(),
        [],
        [RECORD],
        [],
        summary=["Audiences grew."],
        paper={"issued": "2015-11-18", "decision": "Note <the> report.", "contact": "Media"},
        commentary="## Next steps\n\n[strategy](javascript:alert(1)) in March 2016 "
        "<script>x</script> [site](https://example.org)",
    )
    soup = BeautifulSoup(html, "html.parser")
    summary = soup.select_one("section.summary")
    assert summary.select_one("dd.issued").get_text() == "18 November 2015"
    assert summary.select_one("dd.decision").get_text() == "Note <the> report."
    assert summary.select_one("dd.contact").get_text() == "Media"
    commentary = soup.select_one("section.commentary")
    assert "March 2016" in commentary.get_text()
    assert [a["href"] for a in commentary.find_all("a")] == ["https://example.org"]
    assert commentary.find("script") is None and "&lt;script&gt;" in str(commentary)


def test_index_without_summary_or_quality():
    html = render_index(_page(), [], [], [])
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("ul.key-points") is None
    assert soup.select_one("dd.issued").get_text() == "Draft"
    assert soup.select_one('a[href="quality.html"]') is None
