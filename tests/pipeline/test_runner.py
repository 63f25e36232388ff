"""End-to-end runs of the briefing runner on small generated notebooks (starts kernels)."""

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from rich.console import Console

from helpers import cli, config
from helpers.briefing.render import network_references
from helpers.briefing.run_errors import RunError
from helpers.briefing.runner import run_period
from helpers.tidy.published import HEADLINES_MIME

pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("runner")]

PERIOD = "2015-09"
PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)
PARAMETERS = 'period = "2015-09"\nstart = None\ndata_dir = ""\noutput_dir = ""'


def _notebook(channel: str, *, fail: bool = False) -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell(f"A small {channel} briefing for the runner's tests."),
        new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
        new_markdown_cell("## Audience\n\n### Detail"),
        new_code_cell(
            "from pathlib import Path\n"
            "from IPython.display import HTML, display\n"
            "raw_files = len(list(Path(data_dir).glob('raw/*/*.csv')))\n"
            "here = Path.cwd().name\n"
            f"image = '<img src=\"data:image/png;base64,{PNG}\" '\n"
            "alt = f'alt=\"Raw files for {period}\">'\n"
            "display(HTML(f'<figure>{image}{alt}<figcaption>Files</figcaption></figure>'))"
        ),
    ]
    if fail:
        cells.append(new_code_cell("# deliberate failure\nraise ValueError('broken on purpose')"))
    cells.append(
        new_code_cell(
            "from helpers.present.headlines import Headline, HeadlineSet\n"
            f"headlines = HeadlineSet({channel!r}, period)\n"
            "headlines.add(Headline(\n"
            f"    channel={channel!r}, account='All accounts', metric='followers',\n"
            "    measure='value', start=f'{period}-01', end=f'{period}-30',\n"
            "    value=float(raw_files), unit='count', label=f'raw files seen from {here}'))\n"
            "headlines"
        )
    )
    return new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )


def _write(folder: Path, name: str, nb: nbformat.NotebookNode) -> None:
    """Write a channel notebook, beside the project's overview and data-quality notebooks."""
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")
    for page in ("overview", "quality"):
        shutil.copy(config.NOTEBOOKS_DIR / f"{page}.ipynb", folder / f"{page}.ipynb")


@pytest.fixture(scope="session")
def kernel():
    """The project's kernel, installed the way the Makefile does when missing."""
    try:
        KernelSpecManager().get_kernel_spec(config.KERNEL_NAME)
    except NoSuchKernel:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "ipykernel",
                "install",
                "--sys-prefix",
                "--name",
                config.KERNEL_NAME,
            ],
            check=True,
            capture_output=True,
        )
    return config.KERNEL_NAME


@pytest.fixture(scope="module")
def built(kernel, tmp_path_factory):
    root = tmp_path_factory.mktemp("runner")
    notebooks = root / "notebooks"
    _write(notebooks, "social", _notebook("social"))
    _write(notebooks, "website", _notebook("website"))
    out = root / "outputs"
    log = io.StringIO()
    folder = run_period(
        PERIOD,
        channels="website,social",
        out_dir=out,
        notebooks_dir=notebooks,
        kernel_name=kernel,
        timeout=300,
        console=Console(file=log, width=200),
    )
    return {"folder": folder, "out": out, "log": log.getvalue(), "notebooks": notebooks}


def test_run_period_writes_the_whole_period(built):
    folder = built["folder"]
    assert folder == built["out"] / PERIOD
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert names == [
        "headlines.json",
        "index.html",
        "manifest.json",
        "notebooks/overview.ipynb",
        "notebooks/quality.ipynb",
        "notebooks/social.ipynb",
        "notebooks/website.ipynb",
        "overview.json",
        "quality.html",
        "quality.json",
        "social.html",
        "website.html",
    ]
    # the period and the archive of all periods; no staging left behind
    assert sorted(p.name for p in built["out"].iterdir()) == [PERIOD, "index.html"]


def test_parameters_and_working_directory_reach_the_kernel(built):
    raw_files = len(list(config.RAW_DIR.glob("*/*.csv")))
    records = json.loads((built["folder"] / "headlines.json").read_text())
    assert [r["channel"] for r in records] == ["social", "website"]
    for record in records:
        assert record["value"] == raw_files
        assert record["label"] == f"raw files seen from {built['notebooks'].name}"
        assert {"channel", "account", "metric", "start", "end", "value", "unit"} <= set(record)
    executed = nbformat.read(built["folder"] / "notebooks" / "social.ipynb", as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert f'period = "{PERIOD}"' in injected[0].source


def test_quality_and_manifest(built):
    folder = built["folder"]
    quality = json.loads((folder / "quality.json").read_text())
    checks = [q["check"] for q in quality]
    # every stated figure of the window known by its end, recomputed by
    # notebooks/quality.ipynb: the report of 18 November 2015 is not, in September
    assert "facebook_page_likes_2015-09-30_total_vs_accounts" in checks
    assert "facebook_growth_feb_sep_east" not in checks
    assert "quality.ipynb" in (folder / "quality.html").read_text()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["parameters"]["period"] == PERIOD
    assert manifest["parameters"]["channels"] == ["social", "website"]
    assert manifest["git"]["commit"]
    assert manifest["started"] <= manifest["finished"]
    assert any(key.endswith("social.ipynb") for key in manifest["inputs"])
    assert manifest["versions"]["papermill"]


def test_pages(built):
    folder = built["folder"]
    index = BeautifulSoup((folder / "index.html").read_text(), "html.parser")
    assert [a["href"] for a in index.select("ul.briefings a")] == ["social.html", "website.html"]
    assert index.select_one('a[href="quality.html"]') is not None  # the checks: quality.html
    quality = BeautifulSoup((folder / "quality.html").read_text(), "html.parser")
    assert quality.find("tr", class_="flagged") is not None
    for name in ("index", "social", "website"):
        html = (folder / f"{name}.html").read_text()
        soup = BeautifulSoup(html, "html.parser")
        assert len(soup.find_all("h1")) == 1
        assert "September 2015" in soup.h1.get_text()
        assert not network_references(html)
        assert all(img.get("alt") for img in soup.find_all("img"))
        assert len(html.encode()) < 1_500_000
    social = (folder / "social.html").read_text()
    assert "raise" not in social and "HeadlineSet" not in social
    assert HEADLINES_MIME not in social


def test_progress_is_shown_per_notebook(built):
    for name in ("social", "website"):
        assert f"start   {PERIOD} {name}" in built["log"]
        assert re.search(rf"done    {PERIOD} {name} in \d+\.\d s", built["log"])


def test_a_failing_notebook_leaves_the_previous_outputs(built, tmp_path, monkeypatch, capsys):
    folder, out = built["folder"], built["out"]
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    broken = tmp_path / "notebooks"
    _write(broken, "website", _notebook("website", fail=True))
    monkeypatch.setattr(config, "NOTEBOOKS_DIR", broken)
    code = cli.main(
        ["run", "--period", PERIOD, "--channels", "website", "--out", str(out), "--timeout", "300"]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "website.ipynb failed for 2015-09 in cell 5 (# deliberate failure)" in err
    assert "ValueError: broken on purpose" in err
    assert ".failed/2015-09/website.ipynb" in err
    assert "left as it was" in err
    after = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before
    kept = nbformat.read(out / ".failed" / PERIOD / "website.ipynb", as_version=4)
    errors = [o for c in kept.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors and errors[0].evalue == "broken on purpose"
    assert sorted(p.name for p in out.iterdir()) == [".failed", PERIOD, "index.html"]


def test_a_cell_over_the_time_limit_fails_the_run(kernel, tmp_path):
    slow = _notebook("itk")
    slow.cells.insert(3, new_code_cell("# wait too long\nimport time\ntime.sleep(120)"))
    _write(tmp_path / "notebooks", "itk", slow)
    out = tmp_path / "outputs"
    with pytest.raises(RunError) as caught:
        run_period(
            PERIOD,
            channels="itk",
            out_dir=out,
            notebooks_dir=tmp_path / "notebooks",
            kernel_name=kernel,
            timeout=3,
            console=Console(file=io.StringIO()),
        )
    message = str(caught.value)
    assert "itk.ipynb failed for 2015-09 in cell 4 (# wait too long)" in message
    assert "longer than the 3 s limit" in message
    assert "was not created" in message
    assert not (out / PERIOD).exists()
    assert (out / ".failed" / PERIOD / "itk.ipynb").is_file()
    assert [p.name for p in out.iterdir()] == [".failed"]
