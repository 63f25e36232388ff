"""Promises the repository makes about itself."""

from __future__ import annotations

import re
import tomllib

import pytest
import yaml

from helpers import config
from tools.nbcheck import notebook_problems

ROOT = config.ROOT


def _name(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, requirement
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(
        _name(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]
    )
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = dict(_name(d) for d in env["dependencies"] if isinstance(d, str))
    conda.pop("python"), conda.pop("pip")
    assert conda == wanted


def test_version_is_semantic_and_in_changelog():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert f"[{version}]" in (ROOT / "CHANGELOG.md").read_text()


def test_lock_pins_every_direct_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lock = (ROOT / "requirements.lock").read_text().lower()
    for requirement in project["dependencies"] + project["optional-dependencies"]["dev"]:
        name = _name(requirement)[0]
        assert re.search(rf"^{re.escape(name)}==", lock, re.M), name


def test_committed_notebooks_are_clean_with_literal_parameters():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert {p.stem for p in notebooks} >= {"social", "website", "itk", "trusted2know"}
    for path in notebooks:
        assert notebook_problems(path) == []


def test_paths_come_from_the_project_root():
    assert (config.ROOT / "pyproject.toml").is_file()
    assert config.RAW_DIR == config.ROOT / "data" / "raw"


def test_make_lab_opens_the_project_root_and_passes_lab_args():
    import shlex
    import shutil
    import subprocess

    make = shutil.which("make")
    if make is None:  # pragma: no cover - make is part of the project's setup
        import pytest

        pytest.skip("make is not installed")
    dry = subprocess.run(
        [
            make,
            "-n",
            "-o",
            ".venv/.installed",
            "-o",
            "setup",
            "lab",
            "LAB_ARGS=--no-browser --port=8890 --allow-root",
        ],
        cwd=config.ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(row for row in dry.splitlines() if "jupyter lab" in row)
    words = shlex.split(line)
    assert f"--ServerApp.root_dir={config.ROOT}" in words
    assert "--LabApp.default_url=/lab/tree/notebooks" in words
    assert words[-3:] == ["--no-browser", "--port=8890", "--allow-root"]
    assert not any(w.startswith("--notebook-dir") for w in words)


def test_make_briefing_alone_installs_the_template_that_plain_nbconvert_is_told_to_use():
    """The set-up writes the nbconvert configuration naming ``engagement-briefing``
    (``helpers.briefing.kernel``); it installs that template too, so that after a first
    ``make briefing`` plain ``jupyter nbconvert --to html`` finds it."""
    import shutil
    import subprocess

    make = shutil.which("make")
    if make is None:  # pragma: no cover - make is part of the project's setup
        pytest.skip("make is not installed")
    dry = subprocess.run(
        [make, "-n", "-B", "briefing"],
        cwd=config.ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = dry.splitlines()
    configured = next(i for i, row in enumerate(lines) if "-m helpers.briefing.kernel" in row)
    installed = next(
        i for i, row in enumerate(lines) if "-m helpers.briefing.nbconvert_template" in row
    )
    run = next(i for i, row in enumerate(lines) if "engagement run" in row)
    assert configured < run and installed < run
