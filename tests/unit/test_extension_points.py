"""README "Where things go": a new export format with a new metric touches three files.

The test copies the package, makes exactly the three changes the README names for it
(one ``Metric`` member and its ``METRICS`` entry in ``config.py``, a reader module in
``ingest/``, one line in the registry of ``ingest/detect.py``), and reads a toy
export with the ``engagement ingest`` command of the copy.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "extension"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_toy_format_and_metric_need_three_files(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "helpers", src / "helpers")
    package = src / "helpers"
    before = {p.relative_to(package): p.read_bytes() for p in package.rglob("*.py")}
    # 1. the metric: one member and its behaviour
    edit(
        package / "config.py",
        '    APPLICATIONS = "applications"\n',
        '    APPLICATIONS = "applications"\n    TOOTS = "toots"\n',
    )
    edit(
        package / "config.py",
        '    Metric.APPLICATIONS: M("online applications", additive=True),\n',
        '    Metric.APPLICATIONS: M("online applications", additive=True),\n'
        '    Metric.TOOTS: M("toots", additive=True),\n',
    )
    # 2. the reader module, declaring how it recognises its files
    shutil.copy(FIXTURES / "toy.py", package / "ingest" / "toy.py")
    # 3. the registry
    edit(
        package / "ingest" / "detect.py",
        "from helpers.ingest import facebook,",
        "from helpers.ingest import toy\nfrom helpers.ingest import facebook,",
    )
    edit(
        package / "ingest" / "detect.py",
        "REGISTRY: tuple[Format, ...] = (\n",
        "REGISTRY: tuple[Format, ...] = (\n    *toy.FORMATS,\n",
    )
    after = {p.relative_to(package): p.read_bytes() for p in package.rglob("*.py")}
    changed = {p for p in after if before.get(p) != after[p]}
    assert {str(p) for p in changed} == {"config.py", "ingest/toy.py", "ingest/detect.py"}

    out = tmp_path / "rows.csv"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from helpers.cli import main; sys.exit(main())",
            "ingest",
            str(FIXTURES / "toots.csv"),
            "--csv",
            str(out),
            "--exports",
            str(tmp_path / "exports"),  # --csv is written outside the exports
        ],
        env={"PYTHONPATH": str(src), "ENGAGEMENT_ROOT": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["start"], r["metric"], float(r["value"])) for r in rows] == [
        ("2015-09-01", "toots", 3.0),
        ("2015-09-02", "toots", 5.0),
    ]


def test_without_the_registry_line_the_toy_export_is_refused(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from helpers.cli import main; sys.exit(main())",
            "ingest",
            str(FIXTURES / "toots.csv"),
            "--exports",
            str(tmp_path / "exports"),  # --csv is written outside the exports
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "toots.csv" in done.stderr and "Traceback" not in done.stderr
