"""The briefing template as plain ``jupyter nbconvert`` uses it (installed, no runner).

The exporter here is configured the way ``jupyter nbconvert --to html --template
engagement-briefing`` configures it: the template's name and nothing else (no
filters, no preprocessors, no ``resources["briefing"]``, inputs not excluded).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from helpers.briefing.nbconvert_template import (
    TEMPLATE_FILES,
    TEMPLATE_NAME,
    PlainNbconvert,
    briefing_name,
    default_page,
    install,
    notebook_parameters,
    template_dir,
)
from helpers.briefing.render import Page, network_references, render_notebook, stylesheet
from helpers.present.summary import QUALITY_MIME
from helpers.tidy.dataset import load_profile
from helpers.tidy.published import HEADLINES_MIME

#: The embedded data's force, as its profile (data/raw/force.yml) names it.
FORCE = load_profile().name

PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)


def _executed() -> object:
    nb = new_notebook()
    nb.metadata["papermill"] = {"input_path": "notebooks/social.ipynb"}
    nb.cells = [
        new_markdown_cell("Social media briefing."),
        new_code_cell(
            'period = "2015-09"  # reporting month\nstart = None\nsecret = object()',
            metadata={"tags": ["parameters"]},
        ),
        new_code_cell('period = "2015-10"\n', metadata={"tags": ["injected-parameters"]}),
        new_markdown_cell("# Audience\n\nLikes grew.\n\n## Detail"),
        new_code_cell(
            "show_chart_of_likes()",
            outputs=[
                new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
                new_output("stream", name="stderr", text="UserWarning: noisy"),
            ],
        ),
        new_code_cell(
            "audience_table(ctx)",
            outputs=[
                new_output(
                    "execute_result",
                    data={"text/html": "<table id='audience'></table>", "text/plain": "t"},
                    execution_count=4,
                )
            ],
        ),
        new_code_cell(
            "display_quality()",
            outputs=[
                new_output(
                    "display_data",
                    data={QUALITY_MIME: {"records": []}, "text/html": "<b id='quality'>Q</b>"},
                )
            ],
        ),
        new_code_cell(
            "headlines",
            outputs=[
                new_output(
                    "execute_result",
                    data={
                        HEADLINES_MIME: {"records": []},
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
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install(tmp_path_factory.mktemp("prefix"))


def _plain(installed: Path, nb: object, name: str = "executed") -> str:
    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME, extra_template_basedirs=[str(installed.parent)]
    )
    html, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": name}})
    return html


@pytest.fixture(scope="module")
def plain(installed: Path) -> BeautifulSoup:
    return BeautifulSoup(_plain(installed, _executed()), "html.parser")


def test_install_links_every_template_file(tmp_path: Path) -> None:
    target = install(tmp_path)
    assert target == template_dir(tmp_path)
    assert target.parts[-5:] == ("share", "jupyter", "nbconvert", "templates", TEMPLATE_NAME)
    assert sorted(p.name for p in target.iterdir()) == sorted(TEMPLATE_FILES)
    for name, source in TEMPLATE_FILES.items():
        assert (target / name).read_bytes() == source.read_bytes()
    (target / "stale.j2").write_text("old")
    copied = install(tmp_path, copy=True)
    assert not (copied / "stale.j2").exists()
    assert not any(p.is_symlink() for p in copied.iterdir())


def test_notebook_parameters_injected_values_win() -> None:
    assert notebook_parameters(_executed()) == {"period": "2015-10", "start": None}


def test_notebook_parameters_read_typed_defaults() -> None:
    nb = new_notebook()
    cell = new_code_cell(
        'period: str = "2015-09"  # month\nstart: "Optional[str]" = None\ndata_dir: str = ""'
    )
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    assert notebook_parameters(nb) == {"period": "2015-09", "start": None, "data_dir": ""}


def test_briefing_name_prefers_the_executed_notebook() -> None:
    nb = _executed()
    assert briefing_name(nb, "copy of social") == "social"
    nb.metadata.papermill.input_path = "scratch/untitled.ipynb"
    assert briefing_name(nb, "copy of social") == "copy of social"


def test_default_page_matches_the_runner_titles() -> None:
    page = default_page(_executed(), "social")
    assert page.force == FORCE
    assert page.topic == "Social media briefing"
    assert page.period_label == "October 2015"
    assert page.window_label == "November 2014 to October 2015"
    assert page.title == f"Social media briefing, October 2015 – {FORCE}"
    assert page.nav == []


def test_default_page_without_a_period() -> None:
    nb = new_notebook(cells=[new_markdown_cell("# Notes")])
    page = default_page(nb, "notes")
    assert (page.topic, page.period_label, page.window_label) == ("notes briefing", "", "")


def test_plain_nbconvert_leaves_the_runner_alone() -> None:
    given = {"briefing": {"title": "from the runner"}}
    nb = _executed()
    cells = len(nb.cells)
    out, resources = PlainNbconvert().preprocess(nb, dict(given))
    assert resources == given
    assert len(out.cells) == cells


def test_plain_page_is_complete_and_offline(plain: BeautifulSoup) -> None:
    html = str(plain)
    assert network_references(html) == []
    assert plain.find("script") is None
    assert plain.find("link") is None
    assert stylesheet().strip() in plain.style.get_text()
    assert plain.title.get_text() == f"Social media briefing, October 2015 – {FORCE}"
    assert "October 2015" in plain.find("p", class_="window").get_text()
    assert plain.find("nav") is None
    assert plain.footer.get_text(strip=True) == (
        "Converted from executed.ipynb with jupyter nbconvert for 2015-10."
    )
    assert plain.main.find("img")["alt"].startswith("Chart from the social media briefing")


def test_plain_page_has_no_code_parameters_or_published_outputs(plain: BeautifulSoup) -> None:
    text = plain.get_text()
    for code in ("show_chart_of_likes", "audience_table", "period =", "2015-09", "noisy"):
        assert code not in text
    assert plain.find(id="audience") is not None
    assert plain.find(id="quality") is None
    assert plain.find(id="headline-table") is None
    assert plain.find(class_="highlight") is None


def test_plain_page_headings_sit_below_the_h1(plain: BeautifulSoup) -> None:
    assert len(plain.find_all("h1")) == 1
    assert [h.get_text(strip=True).rstrip("¶") for h in plain.main.find_all("h2")] == ["Audience"]
    assert plain.main.find("h3") is not None


def test_plain_main_equals_the_runner_main(installed: Path) -> None:
    page = Page(
        force=FORCE,
        topic="Social media briefing",
        period_label="October 2015",
        window_label="November 2014 to October 2015",
        title="t",
        nav=[{"href": "index.html", "text": "Overview", "current": False}],
        default_alt="Chart from the social media briefing, October 2015",
    )
    runner = BeautifulSoup(render_notebook(_executed(), page), "html.parser")
    plain = BeautifulSoup(_plain(installed, _executed(), "social"), "html.parser")
    assert str(plain.main) == str(runner.main)
    assert plain.h1.get_text() == runner.h1.get_text()
    window = [page.find("p", class_="window") for page in (plain, runner)]
    assert str(window[0]) == str(window[1])
