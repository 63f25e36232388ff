"""Every notebook runs in JupyterLab, in a real browser, without errors and with charts.

A JupyterLab server is started on a free port of 127.0.0.1 with a random token, the way
``make lab`` starts it (rooted at a project folder, showing ``notebooks/`` first), on a
scratch folder holding a copy of ``notebooks/`` and an ``outputs/`` folder built by
``engagement run``, with the project's kernel. Debian's Chromium (driven by
Playwright, everything but 127.0.0.1 blocked) opens each notebook, runs all cells from
the Run menu and waits until the kernel is idle. With JupyterLab's own selectors,
never with a notebook's content, the test then checks that every code cell ran, that
no output is an error, and that every chart the kernel made (the image outputs of the
notebook as saved) is drawn in the page; the notebooks together must draw at least one.
The notebooks read the project's own data through its configuration; the write audit
(``write_audit/``) checks that neither the server nor its kernels write into
``data/raw`` or ``notebooks/``.

An analyst's session follows (``test_analyst_session_in_jupyterlab``): in a notebook
that has run, cells typed into JupyterLab draw a project chart on the analyst's own
``ax`` (shown once), check that matplotlib's settings are as they were before the
notebook ran, and sum a figure frame by date without counting totals twice. Then an
executed notebook is opened from ``outputs/`` and run again in place.

A screenshot of each notebook after the run is saved in pytest's temporary folder of
the run, as ``.../jupyterlab0/screenshots/<notebook>.png`` (e.g.
``/tmp/pytest-of-<user>/pytest-<n>/[popen-gw<k>/]jupyterlab0/screenshots/itk.png``);
failure messages name the file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from helpers import config
from helpers.briefing.pdf import CHROMIUM_ARGS, find_chromium
from tests.browser.harness import (
    AUDIT_HOOK_DIR,
    is_under,
    read_write_log,
    skip_or_fail,
    tool_problems,
)

# Its own xdist group: the server and Chromium mostly wait on each other, so the session
# overlaps the notebook builds of the other groups on the other worker.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("lab")]

#: The notebooks to open (whatever ``notebooks/`` holds when the tests are collected).
#: The notebooks that run from notebooks/ on the project's data alone: the channel pages.
#: The overview and data-quality notebooks read a built period's headlines.json, so they
#: are run by the pipeline tests and reopened from outputs/<period>/notebooks/.
NOTEBOOKS: tuple[str, ...] = tuple(spec.name for spec in config.CHANNEL_SPECS)
JUPYTER = Path(sys.executable).parent / "jupyter"
#: Seconds the server may take to answer, and JupyterLab to show a notebook.
START_TIMEOUT = 90
#: Seconds all cells of one notebook may take.
RUN_TIMEOUT = 240
#: Seconds the server may take to stop before it is killed.
STOP_TIMEOUT = 20

#: The copy of a notebook the analyst's session works in, and what it runs.
ANALYST = "analyst-social"
#: The period and briefing built into ``outputs/`` for the last test.
EXECUTED_PERIOD = "2015-09"
EXECUTED = "itk"

#: Charts drawn in each notebook (filled by the notebook tests).
CHARTS_SEEN: dict[str, int] = {}

#: JupyterLab settings for the test: every cell in the page (no windowing, so every
#: output can be inspected) and nothing fetched from the internet.
LAB_SETTINGS: dict[str, dict[str, Any]] = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}

#: The active notebook panel of the JupyterLab page.
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
#: Outputs that show an exception.
ERROR_OUTPUTS = f'{PANEL} [data-mime-type="application/vnd.jupyter.error"]'
#: Outputs printed on stderr (an error when they hold a traceback; warnings are fine).
STDERR_OUTPUTS = f'{PANEL} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'

#: JavaScript: the input prompts (``[1]:``, ``[*]:``, ``[ ]:``) of the notebook's code cells.
PROMPTS_JS = f"""() => [...document.querySelectorAll('{PANEL} .jp-CodeCell .jp-InputArea-prompt')]
    .map(e => e.textContent.trim())"""
#: JavaScript: the kernel's status as the notebook's toolbar shows it.
STATUS_JS = f"""() => {{
    const e = document.querySelector('{PANEL} .jp-Notebook-ExecutionIndicator');
    return e ? e.getAttribute('data-status') : null;
}}"""
#: JavaScript: every image or SVG chart in the outputs, and whether it was drawn.
CHARTS_JS = f"""() => [
    ...[...document.querySelectorAll('{PANEL} .jp-OutputArea-output img')].map(i => ({{
        kind: 'img', drawn: i.complete && i.naturalWidth > 0 && i.naturalHeight > 0,
    }})),
    ...[...document.querySelectorAll('{PANEL} .jp-OutputArea-output svg')]
        .filter(s => s.getBoundingClientRect().width > 50)
        .map(s => ({{kind: 'svg', drawn: s.childElementCount > 0}})),
]"""


def require_lab_tools() -> None:
    """Skip (locally) or fail (in CI) when Chromium, Playwright or Jupyter is missing."""
    problems = tool_problems(axe=False)
    if not JUPYTER.is_file():
        problems.append(f"{JUPYTER} is missing (make setup)")
    skip_or_fail("the JupyterLab test", problems)


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stat(pid: int) -> list[str]:
    """Fields of ``/proc/<pid>/stat`` after the command name (state first); [] if gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def child_processes(pid: int) -> set[tuple[int, str]]:
    """(pid, start time) of the processes whose parent is ``pid`` (Linux; empty elsewhere)."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        fields = _stat(int(stat.parent.name))
        if len(fields) > 19 and fields[1] == str(pid):
            children.add((int(stat.parent.name), fields[19]))
    return children


def alive(process: tuple[int, str]) -> bool:
    """Whether that very process (same pid and start time) still runs."""
    fields = _stat(process[0])
    return len(fields) > 19 and fields[19] == process[1] and fields[0] != "Z"


@dataclass
class LabServer:
    """A JupyterLab server started by the test."""

    root: Path
    notebooks: Path
    project: Path
    port: int
    token: str
    log: Path
    write_log: Path
    process: subprocess.Popen[bytes] | None = None
    kernels: set[tuple[int, str]] = field(default_factory=set)

    @property
    def base(self) -> str:
        """The server's address."""
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """Address of ``path`` on the server, with the token."""
        sep = "&" if "?" in path else "?"
        return f"{self.base}/{path.lstrip('/')}{sep}token={self.token}"

    def api(self, path: str, method: str = "GET") -> Any:
        """Call the server's REST API and return the decoded JSON (None when empty)."""
        request = urllib.request.Request(
            f"{self.base}/api/{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server's log."""
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def start(self) -> None:
        """Start the server and wait until it answers."""
        settings = self.root / "settings"
        for name, values in LAB_SETTINGS.items():
            path = settings / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": str(self.root / "config"),
            "JUPYTER_DATA_DIR": str(self.root / "data"),
            "JUPYTER_RUNTIME_DIR": str(self.root / "runtime"),
            "JUPYTERLAB_SETTINGS_DIR": str(settings),
            "JUPYTERLAB_WORKSPACES_DIR": str(self.root / "workspaces"),
            # Every write of the server and its kernels is logged (see write_audit/).
            "PYTHONPATH": os.pathsep.join(
                [str(AUDIT_HOOK_DIR), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
            "ENGAGEMENT_WRITE_LOG": str(self.write_log),
        }
        self.write_log.mkdir(exist_ok=True)
        command = [
            str(JUPYTER),
            "lab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            # as `make lab` does: rooted at the project, notebooks/ shown first
            f"--ServerApp.root_dir={self.project}",
            "--LabApp.default_url=/lab/tree/notebooks",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")  # containers and CI runners often run as root
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=self.notebooks,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(
                    f"jupyter lab exited with {self.process.returncode}:\n{self.log_tail()}",
                    pytrace=False,
                )
            with contextlib.suppress(OSError, ValueError):
                self.api("status")
                return
            time.sleep(0.5)
        pytest.fail(f"jupyter lab did not answer in {START_TIMEOUT} s:\n{self.log_tail()}")

    def remember_kernels(self) -> None:
        """Note the server's kernel processes, to be sure they end with it."""
        if self.process is not None:
            self.kernels.update(child_processes(self.process.pid))

    def stop(self) -> None:
        """Stop the server and its kernels: shut down, then terminate, then kill."""
        process = self.process
        if process is None:
            return
        self.remember_kernels()
        with contextlib.suppress(OSError, ValueError):
            self.api("shutdown", method="POST")
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_TIMEOUT)
        deadline = time.monotonic() + STOP_TIMEOUT
        while any(alive(k) for k in self.kernels) and time.monotonic() < deadline:
            time.sleep(0.2)
        for kernel in self.kernels:
            if alive(kernel):
                with contextlib.suppress(OSError):
                    os.kill(kernel[0], signal.SIGKILL)
        self.process = None


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """A JupyterLab server on a copy of ``notebooks/``, stopped after the module."""
    require_lab_tools()
    root = tmp_path_factory.mktemp("jupyterlab")
    project = root / "project"
    notebooks = project / "notebooks"
    notebooks.mkdir(parents=True)
    for name in NOTEBOOKS:
        shutil.copy2(config.NOTEBOOKS_DIR / f"{name}.ipynb", notebooks)
    shutil.copy2(config.NOTEBOOKS_DIR / "social.ipynb", notebooks / f"{ANALYST}.ipynb")
    built = subprocess.run(
        [
            str(Path(sys.executable).parent / "engagement"),
            "run",
            "--period",
            EXECUTED_PERIOD,
            "--channels",
            EXECUTED,
            "--out",
            str(project / "outputs"),
        ],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )
    assert built.returncode == 0, f"engagement run failed:\n{built.stdout}\n{built.stderr}"
    server = LabServer(
        root=root,
        notebooks=notebooks,
        project=project,
        port=free_port(),
        token=secrets.token_urlsafe(24),
        log=root / "jupyter-lab.log",
        write_log=root / "writes",
    )
    try:
        server.start()
        yield server
    finally:
        server.stop()


@dataclass
class Browser:
    """Chromium pages of one context, and the requests it refused."""

    context: Any
    blocked: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser(lab: LabServer, playwright_session: Any) -> Iterator[Browser]:
    """Debian's Chromium, headless, that reaches nothing but the JupyterLab server.

    Launched from the test process's one Playwright session (tests/browser/conftest.py):
    the synchronous API allows only one per thread.
    """
    chromium = playwright_session.chromium.launch(
        executable_path=str(find_chromium()), headless=True, args=list(CHROMIUM_ARGS)
    )
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    holder = Browser(context)

    def route(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            holder.blocked.append(url)
            route.abort()

    context.route("**/*", route)
    try:
        yield holder
    finally:
        context.close()
        chromium.close()


@pytest.fixture(scope="module")
def screenshots(lab: LabServer) -> Path:
    """The folder of the screenshots taken after each run."""
    folder = lab.root / "screenshots"
    folder.mkdir(exist_ok=True)
    return folder


def wait_until(page: Any, check: Any, timeout: float, what: str, diagnose: Any = None) -> Any:
    """Poll ``check()`` until it returns something true; fail after ``timeout`` seconds.

    The pauses go through Playwright, so the page's requests keep being routed
    (with the synchronous API, routes are served only while Playwright is called).
    """
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            detail = f": {diagnose()}" if diagnose else ""
            pytest.fail(f"{what} took more than {timeout:.0f} s{detail}", pytrace=False)
        page.wait_for_timeout(500)


def session_of(lab: LabServer, notebook: str) -> dict[str, Any] | None:
    """The server's session of a notebook, once its kernel has started."""
    for session in lab.api("sessions"):
        if session.get("path", "").endswith(notebook) and session.get("kernel"):
            return session
    return None


def chart_outputs(nb: dict[str, Any]) -> int:
    """How many outputs of a saved notebook hold a chart (an image, or HTML with one)."""
    count = 0
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            html = data.get("text/html", "")
            html = "".join(html) if isinstance(html, list) else str(html)
            if any(k.startswith("image/") for k in data) or re.search(r"<(img|svg)\b", html):
                count += 1
    return count


def save_notebook(page: Any, lab: LabServer, notebook: str) -> dict[str, Any]:
    """Save the open notebook (Ctrl+S) and return it as the server stored it."""
    page.keyboard.press("Control+s")
    wait_until(
        page,
        lambda: page.locator(".lm-TabBar-tab.jp-mod-dirty").count() == 0,
        START_TIMEOUT,
        f"saving {notebook}",
    )
    return lab.api(f"contents/{quote(notebook)}?content=1&type=notebook")["content"]


def run_all_cells(page: Any) -> None:
    """Run > Run All Cells, from JupyterLab's menu bar."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(
        ".lm-Menu-item:not(.lm-mod-disabled) .lm-Menu-itemLabel",
        has_text=re.compile(r"^Run All Cells$"),
    ).click()


def _close(lab: LabServer, page: Any, notebook: str, shot: Path) -> None:
    """Keep a screenshot of the page, close it and end its notebook's kernel session."""
    with contextlib.suppress(Exception):
        if not shot.exists():
            page.screenshot(path=str(shot))
    page.close()
    with contextlib.suppress(OSError, ValueError, TypeError, urllib.error.URLError):
        session = session_of(lab, notebook)
        if session:
            lab.api(f"sessions/{session['id']}", method="DELETE")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_in_jupyterlab(
    name: str,
    lab: LabServer,
    browser: Browser,
    screenshots: Path,
) -> None:
    notebook = f"notebooks/{name}.ipynb"
    shot = screenshots / f"{name}.png"
    page = browser.context.new_page()
    console_errors: list[str] = []
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    try:
        page.goto(
            lab.url(f"lab/workspaces/test-{name}/tree/{quote(notebook)}?reset"),
            wait_until="domcontentloaded",
        )
        page.locator(f"{PANEL} .jp-Notebook").wait_for(timeout=START_TIMEOUT * 1000)

        def status() -> str | None:
            return page.evaluate(STATUS_JS)

        session = wait_until(
            page, lambda: session_of(lab, notebook), START_TIMEOUT, f"starting {notebook}'s kernel"
        )
        assert session["kernel"]["name"] == config.KERNEL_NAME, (
            f"{notebook} runs on kernel {session['kernel']['name']!r}, "
            f"not the project's {config.KERNEL_NAME!r}"
        )
        wait_until(
            page,
            lambda: status() == "idle",
            START_TIMEOUT,
            f"the kernel of {notebook} becoming idle",
            lambda: f"status {status()!r}\n{lab.log_tail()}",
        )
        lab.remember_kernels()
        before = page.evaluate(PROMPTS_JS)
        assert before, f"JupyterLab shows no code cells in {notebook}"

        started = time.monotonic()
        page.locator(f"{PANEL} .jp-Notebook").click()
        run_all_cells(page)

        def finished() -> bool:
            prompts = page.evaluate(PROMPTS_JS)
            return (
                prompts != before
                and not any("*" in p for p in prompts)
                and status() == "idle"
                and page.evaluate(PROMPTS_JS) == prompts
            )

        wait_until(
            page,
            finished,
            RUN_TIMEOUT,
            f"running all cells of {notebook}",
            lambda: f"prompts {page.evaluate(PROMPTS_JS)}, status {status()!r}",
        )
        seconds = time.monotonic() - started
        charts = page.evaluate(CHARTS_JS)
        first_chart = page.locator(f"{PANEL} .jp-OutputArea-output img").first
        if first_chart.count():
            first_chart.scroll_into_view_if_needed()
        page.screenshot(path=str(shot))

        errors = [e.inner_text()[:2000] for e in page.locator(ERROR_OUTPUTS).all()]
        errors += [
            text[:2000]
            for text in (e.inner_text() for e in page.locator(STDERR_OUTPUTS).all())
            if "Traceback (most recent call last)" in text
        ]
        assert not errors, (
            f"{notebook} shows {len(errors)} error output(s) in JupyterLab "
            f"(screenshot {shot}):\n\n" + "\n\n".join(errors)
        )
        prompts = page.evaluate(PROMPTS_JS)
        not_run = [i for i, p in enumerate(prompts, 1) if not re.search(r"\[\d+\]", p)]
        assert not not_run, (
            f"code cells {not_run} of {notebook} did not run (prompts {prompts}; screenshot {shot})"
        )
        made = chart_outputs(save_notebook(page, lab, notebook))
        assert len(charts) >= made, (
            f"the kernel made {made} charts in {notebook}, JupyterLab shows {len(charts)} "
            f"(screenshot {shot})"
        )
        CHARTS_SEEN[notebook] = len(charts)
        undrawn = [c for c in charts if not c["drawn"]]
        assert not undrawn, (
            f"{len(undrawn)} of {len(charts)} charts of {notebook} were not drawn "
            f"(screenshot {shot})"
        )
        assert not console_errors, f"JavaScript errors while running {notebook}: {console_errors}"
        print(f"{notebook}: {len(prompts)} code cells, {len(charts)} charts in {seconds:.1f} s")
    finally:
        _close(lab, page, notebook, shot)


def test_jupyterlab_drew_charts(lab: LabServer) -> None:
    assert sum(CHARTS_SEEN.values()) > 0, f"no notebook drew a chart in JupyterLab: {CHARTS_SEEN}"


def test_jupyterlab_reached_nothing_outside_the_machine(lab: LabServer, browser: Browser) -> None:
    assert NOTEBOOKS, "notebooks/ holds no notebook"
    assert not browser.blocked, f"JupyterLab tried to load {sorted(set(browser.blocked))[:10]}"


def test_jupyterlab_wrote_nothing_into_data_raw_or_notebooks(lab: LabServer) -> None:
    events = read_write_log(lab.write_log)
    assert events, "the write audit recorded nothing: is it on the server's PYTHONPATH?"
    protected = (config.RAW_DIR, config.NOTEBOOKS_DIR)
    bad = sorted(
        {f"{event} {path}" for event, path in events if any(is_under(path, f) for f in protected)}
    )
    assert not bad, f"JupyterLab or its kernels wrote into data/raw or notebooks/: {bad[:10]}"


# --- an analyst's session -----------------------------------------------------------------------

#: Typed above the notebook's first cell before it runs: matplotlib's settings as the
#: analyst's kernel has them (pyplot imported, so the inline backend is set up).
RC_BEFORE = (
    "import matplotlib as mpl\nimport matplotlib.pyplot as plt\n_rc_before = dict(mpl.rcParams)"
)
#: The analyst's cells, typed below the last cell after the notebook ran.
OWN_AX = (
    'fig, ax = plt.subplots()\npresent.audience_chart(likes, "Facebook likes", "account", ax=ax)'
)
#: IPython's inline backend itself turns matplotlib's interactive mode on when it first
#: shows a figure, whatever the figure (a plain ``plt.subplots()`` does it too).
RC_AFTER = (
    "import json\n"
    "changed = sorted(\n"
    "    k for k, v in mpl.rcParams.items() if _rc_before.get(k) != v and k != 'interactive'\n"
    ")\n"
    'print(json.dumps({"changed": changed}))'
)
SUM_BY_DAY = (
    "by_day = likes[~likes.is_total].groupby('end').value.sum()\n"
    "total = likes[likes.account == 'All accounts'].set_index('end').value\n"
    "both = by_day.index.intersection(total.index)\n"
    "worst = float((by_day[both] / total[both] - 1).abs().max())\n"
    'print(json.dumps({"days": len(both), "worst": worst}))'
)


def open_notebook(page: Any, lab: LabServer, notebook: str, workspace: str) -> None:
    """Open a notebook (path from the server's root) and wait for its idle kernel."""
    page.goto(
        lab.url(f"lab/workspaces/{workspace}/tree/{quote(notebook)}?reset"),
        wait_until="domcontentloaded",
    )
    page.locator(f"{PANEL} .jp-Notebook").wait_for(timeout=START_TIMEOUT * 1000)
    wait_until(
        page, lambda: session_of(lab, notebook), START_TIMEOUT, f"starting {notebook}'s kernel"
    )
    wait_until(
        page,
        lambda: page.evaluate(STATUS_JS) == "idle",
        START_TIMEOUT,
        f"the kernel of {notebook} becoming idle",
    )
    lab.remember_kernels()


def wait_for_run(page: Any, before: list[str], what: str) -> list[str]:
    """Wait until the prompts changed, none is running and the kernel is idle."""

    def finished() -> bool:
        prompts = page.evaluate(PROMPTS_JS)
        return (
            prompts != before
            and not any("*" in p for p in prompts)
            and page.evaluate(STATUS_JS) == "idle"
            and page.evaluate(PROMPTS_JS) == prompts
        )

    wait_until(page, finished, RUN_TIMEOUT, what, lambda: f"prompts {page.evaluate(PROMPTS_JS)}")
    return page.evaluate(PROMPTS_JS)


def cells_of(page: Any) -> Any:
    return page.locator(f"{PANEL} .jp-Notebook .jp-Cell")


def type_cell(page: Any, code: str, *, above_first: bool = False) -> int:
    """Type a new code cell below the last cell (or above the first); return its index."""
    cells = cells_of(page)
    count = cells.count()
    (cells.first if above_first else cells.nth(count - 1)).locator(".jp-InputPrompt").click()
    page.keyboard.press("Escape")
    page.keyboard.press("a" if above_first else "b")
    wait_until(page, lambda: cells_of(page).count() == count + 1, 10, "inserting a cell")
    page.keyboard.press("Enter")
    page.keyboard.insert_text(code)
    page.keyboard.press("Escape")
    return 0 if above_first else count


def run_typed_cell(page: Any, index: int) -> None:
    """Run the selected (just typed) cell in place and wait for it."""
    before = page.evaluate(PROMPTS_JS)
    page.keyboard.press("Control+Enter")
    wait_for_run(page, before, f"running typed cell {index}")


def printed(nb: dict[str, Any], index: int) -> dict[str, Any]:
    """The JSON line a cell printed."""
    text = "".join(
        "".join(o.get("text", ""))
        for o in nb["cells"][index]["outputs"]
        if o.get("name") == "stdout"
    )
    errors = [o for o in nb["cells"][index]["outputs"] if o.get("output_type") == "error"]
    assert not errors, f"cell {index} raised {errors[0].get('ename')}: {errors[0].get('evalue')}"
    return json.loads(text.strip().splitlines()[-1])


def test_analyst_session_in_jupyterlab(lab: LabServer, browser: Browser, screenshots: Path) -> None:
    notebook = f"notebooks/{ANALYST}.ipynb"
    shot = screenshots / f"{ANALYST}.png"
    page = browser.context.new_page()
    try:
        open_notebook(page, lab, notebook, "test-analyst")
        type_cell(page, RC_BEFORE, above_first=True)
        before = page.evaluate(PROMPTS_JS)
        run_all_cells(page)
        wait_for_run(page, before, f"running all cells of {notebook}")

        chart = type_cell(page, OWN_AX)
        run_typed_cell(page, chart)
        rc_after = type_cell(page, RC_AFTER)
        run_typed_cell(page, rc_after)
        sums = type_cell(page, SUM_BY_DAY)
        run_typed_cell(page, sums)
        cells_of(page).nth(chart).scroll_into_view_if_needed()
        page.screenshot(path=str(shot))

        drawn = cells_of(page).nth(chart).locator(".jp-OutputArea-output img").count()
        nb = save_notebook(page, lab, notebook)
        images = [
            o
            for o in nb["cells"][chart]["outputs"]
            if any(k.startswith("image/") for k in o.get("data", {}))
        ]
        assert len(images) == 1 and drawn == 1, (
            f"the chart on the analyst's own ax shows {len(images)} times in the notebook and "
            f"{drawn} times in the page, not once (screenshot {shot})"
        )
        assert printed(nb, rc_after)["changed"] == [], "running the notebook changed rcParams"
        summed = printed(nb, sums)
        assert summed["days"] >= 3, summed
        # the accounts add up to the channel total (within what the report's rounding
        # leaves: 200,642 against a stated 200,644), not two or three times it
        assert summed["worst"] < 0.01, summed
    finally:
        _close(lab, page, notebook, shot)


def test_executed_notebook_reopens_and_reruns_from_outputs(
    lab: LabServer, browser: Browser, screenshots: Path
) -> None:
    folder = lab.project / "outputs" / EXECUTED_PERIOD
    notebook = f"outputs/{EXECUTED_PERIOD}/notebooks/{EXECUTED}.ipynb"
    shot = screenshots / "executed.png"
    stored = lab.api(f"contents/{quote(notebook)}?content=1&type=notebook")["content"]
    injected = [
        "".join(c["source"])
        for c in stored["cells"]
        if "injected-parameters" in c["metadata"].get("tags", [])
    ]
    assert injected and f"output_dir = {json.dumps(str(folder))}" in injected[0], injected
    assert folder.is_dir()
    page = browser.context.new_page()
    try:
        open_notebook(page, lab, notebook, "test-executed")
        missing = page.locator(".jp-Dialog", has_text="Could not find path")
        assert missing.count() == 0, f"JupyterLab cannot open {notebook}"
        # Edit > Clear Outputs of All Cells, so the run shows in fresh prompts
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Edit$")).click()
        page.locator(
            ".lm-Menu-item:not(.lm-mod-disabled) .lm-Menu-itemLabel",
            has_text=re.compile(r"^Clear Outputs of All Cells$"),
        ).click()
        wait_until(
            page,
            lambda: not any(re.search(r"\d", p) for p in page.evaluate(PROMPTS_JS)),
            10,
            "clearing the outputs",
        )
        before = page.evaluate(PROMPTS_JS)
        run_all_cells(page)
        prompts = wait_for_run(page, before, f"running {notebook} again in place")
        page.screenshot(path=str(shot))
        errors = [e.inner_text()[:2000] for e in page.locator(ERROR_OUTPUTS).all()]
        assert not errors, f"{notebook} fails when run again in place (screenshot {shot}): {errors}"
        assert all(re.search(r"\[\d+\]", p) for p in prompts), prompts
    finally:
        page.close()
        with contextlib.suppress(OSError, ValueError, TypeError, urllib.error.URLError):
            session = session_of(lab, notebook)
            if session:
                lab.api(f"sessions/{session['id']}", method="DELETE")
