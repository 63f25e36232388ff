"""README "Where things go": a new channel is one registry entry, a notebook and a reader.

The test copies the package, the notebooks and the raw data, makes exactly the three
changes the README names for a channel (a ``ChannelSpec`` with its ``Channel`` member in
``config.py``, a reader module in ``ingest/``, a notebook in ``notebooks/``), adds an
export of the new channel, and runs ``engagement data`` and ``engagement run`` of the
copy with real kernels. The new page is linked from the overview, shows its figures,
and its measure is charted in the archive.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "channel"
PERIOD = "2015-09"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def snapshot(project: Path) -> dict[str, bytes]:
    files = [*(project / "src").rglob("*.py"), *(project / "notebooks").glob("*.ipynb")]
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in files}


def add_mastodon(project: Path) -> None:
    """The three changes: the registry entry, the reader, the notebook."""
    config = project / "src" / "helpers" / "config.py"
    edit(
        config,
        '    TRUSTED2KNOW = "trusted2know"\n',
        '    TRUSTED2KNOW = "trusted2know"\n    MASTODON = "mastodon"\n',
    )
    edit(
        config,
        '    Channel.TRUSTED2KNOW: "Trust Ed youth website",\n',
        '    Channel.TRUSTED2KNOW: "Trust Ed youth website",\n    Channel.MASTODON: "Mastodon",\n',
    )
    edit(
        config,
        "\n)\ndel C\n",
        "\n    ChannelSpec(\n"
        '        "mastodon",\n'
        '        "Mastodon",\n'
        "        (Channel.MASTODON,),\n"
        '        readers=("helpers.ingest.mastodon",),\n'
        "        archive=(\n"
        "            ArchiveMeasure(\n"
        '                Channel.MASTODON, Metric.POSTS, "Mastodon posts", snapshot=False\n'
        "            ),\n"
        "        ),\n"
        "    ),\n)\ndel C\n",
    )
    shutil.copy(FIXTURES / "mastodon.py", project / "src" / "helpers" / "ingest" / "mastodon.py")
    shutil.copy(FIXTURES / "mastodon.ipynb", project / "notebooks" / "mastodon.ipynb")


def engagement(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(project / "src"), "ENGAGEMENT_ROOT": str(project)}
    return subprocess.run(
        [sys.executable, "-c", "import sys; from helpers.cli import main; sys.exit(main())", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.xdist_group("new-channel")
def test_a_toy_channel_touches_three_files_and_reaches_the_index_and_the_archive(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "src" / "helpers", project / "src" / "helpers")
    shutil.copytree(ROOT / "notebooks", project / "notebooks")
    shutil.copytree(ROOT / "data" / "raw", project / "data" / "raw")
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    before = snapshot(project)
    add_mastodon(project)
    after = snapshot(project)
    changed = {name for name in after if before.get(name) != after[name]}
    assert changed == {
        "src/helpers/config.py",
        "src/helpers/ingest/mastodon.py",
        "notebooks/mastodon.ipynb",
    }
    exports = project / "data" / "raw" / "exports" / "mastodon"
    exports.mkdir()
    shutil.copy(FIXTURES / "mastodon_posts.csv", exports / "mastodon_posts.csv")

    data = engagement(project, "data")
    assert data.returncode == 0, data.stderr
    run = engagement(project, "run", "--period", PERIOD, "--channels", "mastodon")
    assert run.returncode == 0, run.stderr + run.stdout

    folder = project / "outputs" / PERIOD
    index = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = {a.get_text(strip=True): a["href"] for a in index.select("main a[href]")}
    assert links.get("Mastodon") == "mastodon.html"
    page = BeautifulSoup((folder / "mastodon.html").read_text(encoding="utf-8"), "html.parser")
    assert "Mastodon briefing" in page.h1.get_text()
    expected = sum(2 + i % 3 for i in range(30))  # the export's posts in September 2015
    headlines = json.loads((folder / "headlines.json").read_text(encoding="utf-8"))
    posts = [h for h in headlines if h["channel"] == "mastodon" and h["metric"] == "posts"]
    assert [(h["start"], h["end"], h["value"]) for h in posts] == [
        ("2015-09-01", "2015-09-30", expected)
    ]
    assert f"{expected:,}" in page.get_text()
    archive = BeautifulSoup(
        (project / "outputs" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert "Mastodon posts" in archive.get_text()
    assert archive.select_one('[data-measure="mastodon/posts"]') is not None
