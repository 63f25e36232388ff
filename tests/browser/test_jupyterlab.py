"""Every notebook runs in JupyterLab, in a real browser, without errors and with charts.

A JupyterLab server is started on a free port of 127.0.0.1 with a random token, on a
scratch copy of ``notebooks/``, with the project's kernel. Debian's Chromium (driven by
Playwright, everything but 127.0.0.1 blocked) opens each notebook, runs all cells from
the Run menu and waits until the kernel is idle; the test then looks for error outputs
and rendered charts with JupyterLab's own selectors, never with a notebook's content.
The notebooks read the project's own data through its configuration; ``data/raw``
must be the same afterwards.

A screenshot of each notebook after the run is saved in
``<pytest's temporary folder>/jupyterlab/screenshots/<notebook>.png`` (the path is in
the failure messages).
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
from tests.browser.harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    describe_changes,
    in_ci,
    snapshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("kernels")]

#: The notebooks to open (whatever ``notebooks/`` holds when the tests are collected).
NOTEBOOKS: tuple[str, ...] = tuple(sorted(p.stem for p in config.NOTEBOOKS_DIR.glob("*.ipynb")))
JUPYTER = Path(sys.executable).parent / "jupyter"
#: Seconds the server may take to answer, and JupyterLab to show a notebook.
START_TIMEOUT = 90
#: Seconds all cells of one notebook may take.
RUN_TIMEOUT = 240
#: Seconds the server may take to stop before it is killed.
STOP_TIMEOUT = 20

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
#: Outputs that show an error: an exception, or a traceback printed on stderr.
ERROR_OUTPUTS = (
    f'{PANEL} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"], '
    f'{PANEL} [data-mime-type="application/vnd.jupyter.error"]'
)
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
    missing = []
    if not CHROMIUM.is_file():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    if not JUPYTER.is_file():
        missing.append(f"{JUPYTER} (make setup)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright Python package (make setup)")
    if missing:
        message = "the JupyterLab test needs " + " and ".join(missing)
        if in_ci():
            pytest.fail(message + "; CI must install them", pytrace=False)
        pytest.skip(message)


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def child_pids(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from ``/proc``; empty elsewhere)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@dataclass
class LabServer:
    """A JupyterLab server started by the test."""

    root: Path
    notebooks: Path
    port: int
    token: str
    log: Path
    process: subprocess.Popen[bytes] | None = None
    kernel_pids: set[int] = field(default_factory=set)

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
            "JUPYTER_RUNTIME_DIR": str(self.root / "runtime"),
            "JUPYTERLAB_SETTINGS_DIR": str(settings),
            "JUPYTERLAB_WORKSPACES_DIR": str(self.root / "workspaces"),
        }
        command = [
            str(JUPYTER),
            "lab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.notebooks}",
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
            self.kernel_pids.update(child_pids(self.process.pid))

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
        while any(alive(pid) for pid in self.kernel_pids) and time.monotonic() < deadline:
            time.sleep(0.2)
        for pid in self.kernel_pids:
            if alive(pid):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
        self.process = None


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """A JupyterLab server on a copy of ``notebooks/``, stopped after the module."""
    require_lab_tools()
    root = tmp_path_factory.mktemp("jupyterlab")
    notebooks = root / "notebooks"
    notebooks.mkdir()
    for name in NOTEBOOKS:
        shutil.copy2(config.NOTEBOOKS_DIR / f"{name}.ipynb", notebooks)
    server = LabServer(
        root=root,
        notebooks=notebooks,
        port=free_port(),
        token=secrets.token_urlsafe(24),
        log=root / "jupyter-lab.log",
    )
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def raw_before(lab: LabServer) -> dict[str, Any]:
    """The state of ``data/raw`` before any notebook runs."""
    return snapshot(config.RAW_DIR)


@dataclass
class Browser:
    """Chromium pages of one context, and the requests it refused."""

    context: Any
    blocked: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser(lab: LabServer) -> Iterator[Browser]:
    """Debian's Chromium, headless, that reaches nothing but the JupyterLab server."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS)
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


def wait_until(check: Any, timeout: float, what: str, diagnose: Any = None) -> Any:
    """Poll ``check()`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            detail = f": {diagnose()}" if diagnose else ""
            pytest.fail(f"{what} took more than {timeout:.0f} s{detail}", pytrace=False)
        time.sleep(0.5)


def session_of(lab: LabServer, notebook: str) -> dict[str, Any] | None:
    """The server's session of a notebook, once its kernel has started."""
    for session in lab.api("sessions"):
        if session.get("path", "").endswith(notebook) and session.get("kernel"):
            return session
    return None


def run_all_cells(page: Any) -> None:
    """Run > Run All Cells, from JupyterLab's menu bar."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(
        ".lm-Menu-item:not(.lm-mod-disabled) .lm-Menu-itemLabel",
        has_text=re.compile(r"^Run All Cells$"),
    ).click()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_in_jupyterlab(
    name: str,
    lab: LabServer,
    browser: Browser,
    screenshots: Path,
    raw_before: dict[str, Any],
) -> None:
    notebook = f"{name}.ipynb"
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
            lambda: session_of(lab, notebook), START_TIMEOUT, f"starting {notebook}'s kernel"
        )
        assert session["kernel"]["name"] == config.KERNEL_NAME, (
            f"{notebook} runs on kernel {session['kernel']['name']!r}, "
            f"not the project's {config.KERNEL_NAME!r}"
        )
        wait_until(
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
        assert charts, f"{notebook} shows no chart in JupyterLab (screenshot {shot})"
        undrawn = [c for c in charts if not c["drawn"]]
        assert not undrawn, (
            f"{len(undrawn)} of {len(charts)} charts of {notebook} were not drawn "
            f"(screenshot {shot})"
        )
        assert not console_errors, f"JavaScript errors while running {notebook}: {console_errors}"
        print(f"{notebook}: {len(prompts)} code cells, {len(charts)} charts in {seconds:.1f} s")
    finally:
        with contextlib.suppress(Exception):
            if not shot.exists():
                page.screenshot(path=str(shot))
        page.close()
        with contextlib.suppress(OSError, ValueError, TypeError, urllib.error.URLError):
            session = session_of(lab, notebook)
            if session:
                lab.api(f"sessions/{session['id']}", method="DELETE")


def test_jupyterlab_reached_nothing_outside_the_machine(lab: LabServer, browser: Browser) -> None:
    assert NOTEBOOKS, "notebooks/ holds no notebook"
    assert not browser.blocked, f"JupyterLab tried to load {sorted(set(browser.blocked))[:10]}"


def test_jupyterlab_left_data_raw_unchanged(lab: LabServer, raw_before: dict[str, Any]) -> None:
    changes = describe_changes(raw_before, snapshot(config.RAW_DIR))
    assert not changes, f"running the notebooks in JupyterLab changed data/raw: {changes}"
