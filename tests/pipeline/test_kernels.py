"""Warm kernels: reused notebook after notebook, reset between them, replaced when lost."""

import ast
import io
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from rich.console import Console

from helpers import config
from helpers.briefing import execute as kernels
from helpers.briefing.execute import NotebookFailed, NotebookJob, check_kernel, execute_notebook
from helpers.briefing.run_errors import RunError
from helpers.briefing.runner import run_period
from tests.pipeline.test_runner import PERIOD, _notebook, _write

pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("kernels")]

PARAMETERS = 'period = "2015-09"'


def _job(folder: Path, name: str, *cells: str) -> NotebookJob:
    """A notebook of ``cells`` (after a parameters cell) to run from ``folder``."""
    nb = new_notebook(
        cells=[
            new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
            *(new_code_cell(source) for source in cells),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"{name}.ipynb"
    nbformat.write(nb, source)
    out = folder / "executed"
    out.mkdir(exist_ok=True)
    return NotebookJob(
        name=name,
        period=PERIOD,
        source=source,
        output=out / f"{name}.ipynb",
        parameters={"period": PERIOD},
        kernel_log=out / f"{name}.log",
    )


@pytest.fixture(scope="module")
def kernel() -> str:
    """The project's kernel (``make setup`` installs it)."""
    check_kernel(config.KERNEL_NAME)
    return config.KERNEL_NAME


@pytest.fixture
def tracked(monkeypatch):
    """Every kernel process started while the test runs."""
    processes = []
    start = kernels.PooledKernelManager.start_kernel

    def recording(manager, **kw):
        start(manager, **kw)
        processes.append(manager.provisioner.process)

    monkeypatch.setattr(kernels.PooledKernelManager, "start_kernel", recording)
    return processes


def _alive(processes) -> list[int]:
    return [p.pid for p in processes if p.poll() is None]


def test_a_notebook_in_a_warm_kernel_sees_nothing_of_the_one_before(kernel, tmp_path, tracked):
    first = _job(
        tmp_path / "first",
        "first",
        "secret = 42\nimport os, sys, warnings\nimport matplotlib as mpl\n"
        "import matplotlib.pyplot as plt\nimport pandas as pd",
        "fig = plt.figure()\nmpl.rcParams['lines.linewidth'] = 9.5\n"
        "pd.set_option('display.max_rows', 3)\nwarnings.simplefilter('error')\n"
        "sys.path.append('/nowhere')\nos.environ['LEFT_BEHIND'] = '1'\nos.chdir('/')",
        "secret",
    )
    second = _job(
        tmp_path / "second",
        "second",
        "import os, sys, warnings\nimport matplotlib as mpl\n"
        "import matplotlib.pyplot as plt\nimport pandas as pd",
        "names = sorted(n for n in dir() if not n.startswith('_'))\n"
        "assert 'secret' not in names and 'fig' not in names, names\n"
        "assert 'Out' in names and not Out, Out",
        "assert plt.get_fignums() == [], plt.get_fignums()\n"
        "assert mpl.rcParams['lines.linewidth'] != 9.5\n"
        "assert pd.get_option('display.max_rows') == 60\n"
        "assert '/nowhere' not in sys.path and 'LEFT_BEHIND' not in os.environ\n"
        "warnings.warn('only a warning')",
        "os.getcwd()",
    )
    with kernels.kernel_pool(kernel, size=1, notebooks=2) as pool:
        execute_notebook(first, kernels=pool, timeout=120)
        nb, _ = execute_notebook(second, kernels=pool, timeout=120)
        assert pool.started == 1  # both notebooks ran in the same kernel
    cells = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1))
    assert cells[-1].outputs[0]["data"]["text/plain"] == repr(str(tmp_path / "second"))
    assert nb.metadata["papermill"]["parameters"] == {"period": PERIOD}
    assert len(tracked) == 1 and _alive(tracked) == []


def test_a_warm_kernel_opens_a_new_history_session_for_each_notebook(kernel, tmp_path):
    """Line 1 of the next notebook is not line 1 of the last one again in IPython's history.

    Reusing the session after the execution count went back to 1 made IPython print
    "ERROR! Session/line number was not unique in database..." into a cell's output,
    and so into a published page.
    """
    history = "get_ipython().history_manager"
    first = _job(
        tmp_path, "first", "a = 1", f"{history}.writeout_cache()\n{history}.session_number"
    )
    second = _job(
        tmp_path,
        "second",
        "c = 3",
        f"{history}.writeout_cache()\n{history}.session_number, len(In)",
    )
    with kernels.kernel_pool(kernel, size=1, notebooks=2) as pool:
        before, _ = execute_notebook(first, kernels=pool, timeout=120)
        nb, _ = execute_notebook(second, kernels=pool, timeout=120)
        assert pool.started == 1
    streams = [
        out["text"]
        for cell in [*before.cells, *nb.cells]
        for out in cell.get("outputs", [])
        if out["output_type"] == "stream"
    ]
    assert streams == []
    session = int(before.cells[-1].outputs[0]["data"]["text/plain"])
    later, inputs = ast.literal_eval(nb.cells[-1].outputs[0]["data"]["text/plain"])
    assert later > session
    assert inputs == 5  # In[0] is empty; then the parameters, the injected ones, "c = 3", this


def test_a_cell_error_leaves_the_kernel_usable(kernel, tmp_path, tracked):
    broken = _job(tmp_path, "broken", "x = 1", "raise ValueError('broken on purpose')")
    fine = _job(tmp_path, "fine", "assert 'x' not in dir()\ny = 2", "y")
    with kernels.kernel_pool(kernel, size=1, notebooks=3) as pool:
        with pytest.raises(NotebookFailed) as caught:
            execute_notebook(broken, kernels=pool, timeout=120)
        assert caught.value.cell == 3  # after the parameters and the injected cell
        assert "ValueError: broken on purpose" in str(caught.value)
        nb, _ = execute_notebook(fine, kernels=pool, timeout=120)
        assert nb.cells[-1].outputs[0]["data"]["text/plain"] == "2"
        assert pool.started == 1
    assert _alive(tracked) == []


@pytest.mark.parametrize(
    ("cells", "error"),
    [
        (("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",), "DeadKernelError"),
        (("# wait too long\nimport time\ntime.sleep(120)",), "longer than the 3 s limit"),
    ],
    ids=["died", "timed-out"],
)
def test_a_dead_or_stuck_kernel_is_replaced(kernel, tmp_path, tracked, cells, error):
    lost = _job(tmp_path, "lost", *cells)
    after = _job(tmp_path, "after", "1 + 1")
    with kernels.kernel_pool(kernel, size=1, notebooks=2) as pool:
        with pytest.raises(NotebookFailed, match=error):
            execute_notebook(lost, kernels=pool, timeout=3)
        first = tracked[0]
        assert first.poll() is not None  # the lost kernel is gone
        nb, _ = execute_notebook(after, kernels=pool, timeout=120)
        assert nb.cells[-1].outputs[0]["data"]["text/plain"] == "2"
        assert pool.started == 2
    assert len(tracked) == 2 and _alive(tracked) == []


def test_a_pool_that_cannot_start_a_kernel_says_so():
    with pytest.raises(RunError, match="'no-such-kernel-here' could not be started"):
        kernels.kernel_pool("no-such-kernel-here", size=1, notebooks=1)


@pytest.mark.parametrize("fail", [False, True], ids=["good-run", "failing-run"])
def test_no_kernel_outlives_a_run_and_kernels_are_reused(kernel, tmp_path, tracked, fail):
    notebooks = tmp_path / "notebooks"
    _write(notebooks, "social", _notebook("social"))
    _write(notebooks, "website", _notebook("website"))
    _write(notebooks, "itk", _notebook("itk", fail=fail))
    out = tmp_path / "outputs"
    run = {
        "channels": "social,website,itk",
        "out_dir": out,
        "notebooks_dir": notebooks,
        "kernel_name": kernel,
        "timeout": 300,
        "jobs": 1,
        "console": Console(file=io.StringIO()),
    }
    if fail:
        with pytest.raises(RunError, match="broken on purpose"):
            run_period(PERIOD, **run)
    else:
        assert run_period(PERIOD, **run) == out / PERIOD
    assert len(tracked) == 1  # one warm kernel ran the three notebooks in turn
    assert _alive(tracked) == []
