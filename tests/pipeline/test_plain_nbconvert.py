"""Plain ``jupyter nbconvert`` with the installed template writes the runner's page.

The runner builds the ITK briefing of 2015-09; the executed notebook it keeps is then
converted by ``jupyter nbconvert --to html --template engagement-briefing`` from this
environment, as a person would, and the two pages are compared.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from rich.console import Console

from helpers.briefing import runner
from helpers.briefing.nbconvert_template import TEMPLATE_FILES, TEMPLATE_NAME, template_dir
from helpers.briefing.render import check_page, network_references

pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("plain-nbconvert")]

PERIOD = "2015-09"
NAME = "itk"
JUPYTER = Path(sys.executable).parent / "jupyter"


def _text(tag: object) -> str:
    return " ".join(tag.get_text(" ").split())


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The runner's page, the executed notebook, and plain nbconvert's page of it."""
    out = tmp_path_factory.mktemp("outputs")
    folder = runner.run_period(
        PERIOD, channels=NAME, out_dir=out, timeout=300, console=Console(file=io.StringIO())
    )
    executed = folder / "notebooks" / f"{NAME}.ipynb"
    converted = tmp_path_factory.mktemp("plain")
    command = [
        str(JUPYTER),
        "nbconvert",
        "--to",
        "html",
        "--template",
        TEMPLATE_NAME,
        "--output-dir",
        str(converted),
        str(executed),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stderr[-3000:]}"
    return {
        "runner": (folder / f"{NAME}.html").read_text(encoding="utf-8"),
        "plain": (converted / f"{NAME}.html").read_text(encoding="utf-8"),
        "notebook": nbformat.read(executed, as_version=4),
    }


def test_template_is_installed_in_this_environment() -> None:
    target = template_dir()
    assert target.is_dir(), f"no {target}: run make setup"
    for name, source in TEMPLATE_FILES.items():
        installed = target / name
        assert installed.is_file(), f"{installed} is missing: run make setup"
        assert installed.read_bytes() == source.read_bytes(), f"{installed} is stale"


def test_plain_page_is_self_contained(pages: dict[str, object]) -> None:
    html = pages["plain"]
    assert network_references(html) == []
    check_page(html, f"{NAME}.html")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None
    assert soup.find("link", rel="stylesheet") is None
    assert soup.style is not None and soup.style.get_text().strip()


def test_plain_page_has_no_code(pages: dict[str, object]) -> None:
    soup = BeautifulSoup(pages["plain"], "html.parser")
    text = _text(soup)
    assert soup.find(class_="highlight") is None
    assert soup.find(class_="jp-InputArea") is None
    assert "In [" not in text
    for cell in pages["notebook"].cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            line = " ".join(line.split())
            if len(line) > 20 and not line.startswith("#"):
                assert line not in text, f"code shown on the page: {line!r}"


def test_plain_page_shows_what_the_runner_shows(pages: dict[str, object]) -> None:
    runner = BeautifulSoup(pages["runner"], "html.parser")
    plain = BeautifulSoup(pages["plain"], "html.parser")
    assert runner.main is not None and plain.main is not None
    assert _text(plain.main) == _text(runner.main)
    assert len(plain.main.find_all("img")) == len(runner.main.find_all("img")) > 0
    assert _text(plain.h1) == _text(runner.h1)
    assert _text(plain.title) == _text(runner.title)
