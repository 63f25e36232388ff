"""Plain papermill and nbconvert inside the project's environment, as an analyst runs them.

- ``papermill`` on the project's kernel talks to it over IPC: no "Kernel is running
  over TCP without encryption" warning;
- ``papermill --help-notebook`` shows each parameter's type;
- ``jupyter nbconvert --to html`` without ``--template`` writes the offline briefing
  page (no require.js or MathJax from a CDN), and ``--template`` still chooses another.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from helpers import config
from helpers.briefing import kernel
from helpers.briefing.render import network_references

pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("plain-tools")]

BIN = Path(sys.executable).parent


def _require_setup() -> None:
    if not kernel.kernel_json().is_file() or not kernel.nbconvert_config().is_file():
        pytest.fail("the project's kernel is not set up in this environment: run make setup")


def _tiny(path: Path) -> Path:
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Tiny"),
            new_code_cell('period: str = "2015-09"  # month'),
            new_code_cell("import matplotlib\nprint(period)"),
        ]
    )
    nb.cells[1].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {
        "name": config.KERNEL_NAME,
        "display_name": "x",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


def test_the_project_kernel_is_provisioned_over_ipc() -> None:
    _require_setup()
    spec = json.loads(kernel.kernel_json().read_text())
    assert spec["metadata"]["kernel_provisioner"]["provisioner_name"] == kernel.PROVISIONER


def test_plain_papermill_runs_without_the_tcp_warning(tmp_path: Path) -> None:
    _require_setup()
    source = _tiny(tmp_path / "tiny.ipynb")
    done = subprocess.run(
        [
            str(BIN / "papermill"),
            str(source),
            str(tmp_path / "out.ipynb"),
            "-p",
            "period",
            "2015-10",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "TCP without encryption" not in done.stderr + done.stdout
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert "2015-10" in "".join(o.get("text", "") for o in out.cells[-1].outputs)


def test_papermill_help_shows_parameter_types() -> None:
    done = subprocess.run(
        [str(BIN / "papermill"), "--help-notebook", str(config.NOTEBOOKS_DIR / "itk.ipynb")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Unknown type" not in done.stdout
    assert "period: str" in done.stdout and "start: Optional[str]" in done.stdout


def test_plain_nbconvert_uses_the_offline_briefing_template(tmp_path: Path) -> None:
    _require_setup()
    source = _tiny(tmp_path / "tiny.ipynb")
    subprocess.run(
        [str(BIN / "papermill"), str(source), str(tmp_path / "run.ipynb")],
        check=True,
        capture_output=True,
        timeout=120,
        cwd=tmp_path,
    )
    for extra, offline in (([], True), (["--template", "lab"], False)):
        done = subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", *extra, "run.ipynb"],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        page = (tmp_path / "run.html").read_text(encoding="utf-8")
        assert (not network_references(page)) is offline, (extra, network_references(page)[:3])
        assert "alt text" not in done.stderr


def test_install_writes_the_kernel_metadata_and_nbconvert_config(tmp_path: Path) -> None:
    spec = kernel.kernel_json(tmp_path)
    spec.parent.mkdir(parents=True)
    spec.write_text(json.dumps({"argv": ["python"], "metadata": {"debugger": True}}))
    written, settings = kernel.install(tmp_path)
    data = json.loads(written.read_text())
    assert data["metadata"] == {
        "debugger": True,
        "kernel_provisioner": {"provisioner_name": kernel.PROVISIONER},
    }
    assert "c.HTMLExporter.template_name = 'engagement-briefing'" in settings.read_text()


@pytest.mark.pipeline
def test_the_kernel_starts_over_ipc_from_a_long_runtime_folder(tmp_path, monkeypatch):
    """A Unix socket path holds 107 bytes: a deep runtime folder must not stop the kernel."""
    from jupyter_client.manager import start_new_kernel

    runtime = tmp_path / ("r" * 60) / ("s" * 60)
    runtime.mkdir(parents=True)
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    km, kc = start_new_kernel(kernel_name=config.KERNEL_NAME, startup_timeout=60)
    try:
        assert km.transport == "ipc"
        assert len(km.ip) < 100
        assert kc.execute_interactive("x = 1 + 1", timeout=30)["content"]["status"] == "ok"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
