import re

import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

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
from helpers.briefing.run_errors import RunError
from helpers.present.headlines import HEADLINES_MIME
from helpers.present.summary import QUALITY_MIME
from helpers.tidy.dataset import load_profile

#: The embedded data's force, as its profile (data/raw/force.yml) names it.
FORCE = load_profile().name

PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)
REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)


def _page(**kw):
    base = {
        "force": FORCE,
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
    assert FORCE in heading and "September 2015" in heading
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
