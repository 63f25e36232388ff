"""Nothing lost, nothing leaked, nothing started by mistake.

* The raw data is only read: ``engagement data`` and ``engagement run`` leave
  every raw file as it was (content and modification time), add nothing there,
  and write only to the output and processed folders (checked with an audit hook
  in every process, Jupyter kernels included).
* A run that fails, or whose kernel is killed mid-notebook, exits non-zero,
  names the notebook and cell, and leaves the previous ``outputs/<period>/`` and
  ``data/processed/`` as they were. A run stopped by SIGTERM ends its kernels too.
* A corrupt processed file is noticed (the raw data is used instead) and
  ``engagement data`` rewrites it.
* The files of a period run hold no e-mail address, UK phone number, full UK
  postcode or secret, and the parameters papermill recorded hold no credential.
* Bad parameters get one message and exit code 2 before any kernel starts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import nbformat
import pandas as pd
import psutil
import pyarrow as pa
import pytest
from nbformat.v4 import new_code_cell

from helpers import cli
from helpers.tidy.dataset import load_tidy, processed_is_current
from tests.browser.harness import (
    BUILDS,
    PERIODS,
    PROJECT,
    Build,
    describe_changes,
    engagement_env,
    is_under,
    shared_base,
    snapshot,
)

PERIOD = PERIODS[0]


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Build]:
    """The builds shared with the browser tests (made once per test process)."""
    return BUILDS.get(shared_base(tmp_path_factory))


@pytest.fixture(scope="module")
def normal_build(builds: dict[str, Build]) -> Build:
    build = builds["normal"]
    build.check_succeeded()
    return build


# --- the raw data is only read ----------------------------------------------------


@pytest.mark.parametrize("name", ["normal", "hostile"])
@pytest.mark.pipeline
@pytest.mark.xdist_group("builds")
def test_raw_data_left_exactly_as_it_was(name: str, builds: dict[str, Build]) -> None:
    build = builds[name]
    build.check_succeeded()
    assert build.raw_before, "the raw copy was empty"
    assert describe_changes(build.raw_before, build.raw_after) == []


@pytest.mark.parametrize("name", ["normal", "hostile"])
@pytest.mark.pipeline
@pytest.mark.xdist_group("builds")
def test_writes_go_only_to_outputs_and_processed(name: str, builds: dict[str, Build]) -> None:
    build = builds[name]
    build.check_succeeded()
    allowed = (build.out_dir, build.processed_dir)
    guarded = (build.root, PROJECT)
    assert any(is_under(path, build.out_dir) for _, path in build.writes), (
        "the write audit saw no write to the output folder: it is not working"
    )
    assert len(list(build.write_log_dir.glob("*.log"))) >= 1 + len(build.periods)
    stray = sorted(
        {
            f"{event} {path}"
            for event, path in build.writes
            if any(is_under(path, g) for g in guarded)
            and not any(is_under(path, a) for a in allowed)
        }
    )
    assert stray == []


# --- failed and killed runs -------------------------------------------------------

FAIL_SOURCE = "raise RuntimeError('stopped on purpose to test a failing run')"
SLEEP_SOURCE = (
    "import os, pathlib, time  # the safety test kills this kernel here\n"
    "pathlib.Path({marker!r}).write_text(str(os.getpid()))\n"
    "time.sleep(60)"
)
RUN_WITH_NOTEBOOKS = (
    "import sys\n"
    "from pathlib import Path\n"
    "from helpers import config\n"
    "config.NOTEBOOKS_DIR = Path(sys.argv[1])\n"
    "from helpers.cli import main\n"
    "sys.exit(main(sys.argv[2:]))\n"
)


def _notebooks_with_extra_cells(folder: Path, cells: dict[str, str]) -> Path:
    """Copy the notebooks to ``folder``, adding a cell after the data is loaded."""
    shutil.copytree(PROJECT / "notebooks", folder)
    for name, source in cells.items():
        path = folder / f"{name}.ipynb"
        nb = nbformat.read(path, as_version=4)
        loaded = next(i for i, c in enumerate(nb.cells) if "open_period(" in c.source)
        nb.cells.insert(loaded + 1, new_code_cell(source))
        nbformat.write(nb, path)
    return folder


def _start_run(notebooks: Path, args: list[str]) -> subprocess.Popen:
    """Start ``engagement`` with ``args`` on the notebooks in ``notebooks``, output piped."""
    return subprocess.Popen(
        [sys.executable, "-c", RUN_WITH_NOTEBOOKS, str(notebooks), *args],
        cwd=PROJECT,
        env=engagement_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def _wait_for(path: Path, proc: subprocess.Popen, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.is_file() and path.read_text().strip():
            return path.read_text().strip()
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    output = proc.communicate(timeout=30)[0] if proc.poll() is not None else ""
    pytest.fail(f"the notebook never reached the cell to kill; run output:\n{output}")


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _descendants(pid: int) -> set[int]:
    return {child.pid for child in psutil.Process(pid).children(recursive=True)}


@pytest.mark.pipeline
@pytest.mark.xdist_group("builds")
def test_failed_and_killed_run_keeps_previous_outputs(normal_build: Build, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(normal_build.data_dir, data)
    out = tmp_path / "out"
    shutil.copytree(normal_build.period_dir(PERIOD), out / PERIOD)
    marker = tmp_path / "kernel.pid"
    notebooks = _notebooks_with_extra_cells(
        tmp_path / "notebooks",
        {"itk": FAIL_SOURCE, "trusted2know": SLEEP_SOURCE.format(marker=str(marker))},
    )
    outputs_before, processed_before = snapshot(out / PERIOD), snapshot(data / "processed")
    args = ["run", "--period", PERIOD, "--channels", "itk,trusted2know"]
    args += ["--data", str(data), "--out", str(out), "--jobs", "2"]
    began = time.monotonic()
    proc = _start_run(notebooks, args)
    try:
        kernel = int(_wait_for(marker, proc, 240))
        assert kernel in _descendants(proc.pid), "the sleeping kernel is not the run's own"
        os.kill(kernel, signal.SIGKILL)
        output = proc.communicate(timeout=120)[0]
    finally:
        if proc.poll() is None:  # the test failed part-way: stop the run and its kernels
            children = _descendants(proc.pid)
            proc.kill()
            proc.wait()
            for pid in children:
                if _alive(pid):
                    os.kill(pid, signal.SIGKILL)
    print(f"failed run ended {time.monotonic() - began:.1f} s after it started:\n{output}")
    assert proc.returncode == 1
    assert "itk.ipynb failed for 2015-09 in cell" in output
    assert "RuntimeError: stopped on purpose" in output
    assert "trusted2know.ipynb failed for 2015-09 in cell" in output
    assert "(import os, pathlib, time" in output, "the killed cell is not named"
    assert f"{PERIOD}/ was left as it was" in output
    assert not _alive(kernel)
    assert describe_changes(outputs_before, snapshot(out / PERIOD)) == []
    assert describe_changes(processed_before, snapshot(data / "processed")) == []
    assert [p.name for p in out.iterdir() if p.name.startswith(".staging")] == []
    kept = out / ".failed" / PERIOD
    assert {p.name for p in kept.iterdir()} >= {"itk.ipynb"}


@pytest.mark.pipeline
@pytest.mark.xdist_group("builds")
def test_run_stopped_by_sigterm_ends_its_kernels(normal_build: Build, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(normal_build.period_dir(PERIOD), out / PERIOD)
    marker = tmp_path / "kernel.pid"
    notebooks = _notebooks_with_extra_cells(
        tmp_path / "notebooks", {"itk": SLEEP_SOURCE.format(marker=str(marker))}
    )
    outputs_before = snapshot(out / PERIOD)
    args = ["run", "--period", PERIOD, "--channels", "itk", "--force"]
    args += ["--data", str(normal_build.data_dir), "--out", str(out), "--jobs", "1"]
    proc = _start_run(notebooks, args)
    kernels: set[int] = set()
    try:
        kernel = int(_wait_for(marker, proc, 240))
        kernels = _descendants(proc.pid)
        assert kernel in kernels, "the sleeping kernel is not the run's own"
        proc.send_signal(signal.SIGTERM)  # to the run only, as a scheduler's timeout does
        output = proc.communicate(timeout=60)[0]
    finally:
        if proc.poll() is None:  # the test failed part-way: stop the run and its kernels
            kernels |= _descendants(proc.pid)
            proc.kill()
            proc.wait()
        for pid in kernels:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    left = [pid for pid in kernels if _alive(pid)]
    print(output)
    assert proc.returncode == 128 + signal.SIGTERM
    assert "stopped: nothing was published; earlier outputs are unchanged" in output
    assert left == [], f"processes of the run still alive after it stopped: {left}"
    assert describe_changes(outputs_before, snapshot(out / PERIOD)) == []
    assert [p.name for p in out.iterdir() if p.name.startswith(".staging")] == []


# --- a corrupt processed table ------------------------------------------------------


def test_corrupt_processed_table_is_noticed_and_rebuilt(tmp_path: Path) -> None:
    data = tmp_path / "data"
    raw, processed = data / "raw", data / "processed"
    shutil.copytree(PROJECT / "data" / "raw", raw)
    assert cli.main(["data", "--raw", str(raw), "--out", str(processed)]) == 0
    good = load_tidy(data)
    parquet = processed / "tidy.parquet"
    parquet.write_bytes(parquet.read_bytes()[: parquet.stat().st_size // 2])
    assert not processed_is_current(raw, processed)
    with pytest.warns(UserWarning, match="missing or out of date"):
        fallback = load_tidy(data)
    pd.testing.assert_frame_equal(fallback.reset_index(drop=True), good, check_dtype=False)
    assert cli.main(["data", "--raw", str(raw), "--out", str(processed)]) == 0
    assert processed_is_current(raw, processed)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rebuilt = load_tidy(data)
    pd.testing.assert_frame_equal(rebuilt, good)


# --- personal data and secrets ----------------------------------------------------

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
UK_PHONE = re.compile(
    r"(?<![\w+./:-])(?:\+44\s?(?:\(0\)\s?)?|0044\s?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}"
    r"(?![\w/:-])"
)
UK_POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-HJKPSTUW\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b"
)
SECRET_WORDS = re.compile(r"(?i)passw|secret|token|api[_-]?key|bearer|credential|auth")
_INLINE_DATA = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\\n]+")
_LONG_BASE64 = re.compile(r"[A-Za-z0-9+/]{120,}={0,2}")
TEXT_SUFFIXES = frozenset({".html", ".json", ".ipynb", ".csv", ".log", ".txt", ".md"})


def _uk_phone_numbers(text: str) -> list[str]:
    found = []
    for match in UK_PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        national = digits[2:] if digits.startswith("44") else digits.removeprefix("0")
        if len(national) in (9, 10):
            found.append(match.group())
    return found


def without_images(text: str) -> str:
    """``text`` without inline images and other long base64 runs (chart data)."""
    return _LONG_BASE64.sub(" ", _INLINE_DATA.sub(" ", text))


def personal_data(text: str) -> list[str]:
    """E-mail addresses, UK phone numbers and full UK postcodes in ``text``."""
    text = without_images(text)
    return (
        [f"e-mail {m}" for m in EMAIL.findall(text)]
        + [f"phone {m}" for m in _uk_phone_numbers(text)]
        + [f"postcode {m}" for m in UK_POSTCODE.findall(text)]
    )


def produced_files(build: Build) -> list[Path]:
    """Every file a run produced: processed data, outputs and console logs."""
    files = [p for p in build.processed_dir.rglob("*") if p.is_file()]
    for period in build.periods:
        folder = build.period_dir(period)
        files += [p for p in folder.rglob("*") if p.is_file() and "screenshots" not in p.parts]
    files += list(build.log_dir.glob("*.log"))
    return sorted(files)


def file_text(path: Path) -> str:
    """A produced file as text (Parquet and Arrow tables as CSV)."""
    if path.suffix == ".parquet":
        return pd.read_parquet(path).to_csv(index=False)
    if path.suffix == ".arrow":
        with pa.memory_map(str(path)) as source:
            return pa.ipc.open_file(source).read_all().to_pandas().to_csv(index=False)
    assert path.suffix in TEXT_SUFFIXES, f"unexpected kind of output file: {path}"
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("contact jane.doe@example.org today", "e-mail"),
        ("ring 01772 614444 now", "phone"),
        ("or +44 7700 900123.", "phone"),
        ("mobile 07700900123", "phone"),
        ("(0161) 496 0000", "phone"),
        ("HQ is at PR4 5SB", "postcode"),
        ("London SW1A 1AA", "postcode"),
    ],
)
def test_personal_data_detectors_find_planted_examples(text: str, kind: str) -> None:
    assert [hit for hit in personal_data(text) if hit.startswith(kind)], text


FAKE_IMAGE = '"image/png": "iVBORw0KGgo' + "A0123456789" * 20 + '"'  # pragma: allowlist secret


@pytest.mark.parametrize(
    "text",
    [
        "2015-09-30T14:12:03+01:00",
        "value 0.0123456789 and 1,169,461 sessions",
        "sha256 0123456789abcdef0123456789abcdef",  # pragma: allowlist secret
        "Lancs Police 61462; West 47430; 2014-09-30 to 2015-09-30",
        FAKE_IMAGE,
    ],
)
def test_personal_data_detectors_ignore_figures_dates_and_hashes(text: str) -> None:
    assert personal_data(text) == []


@pytest.mark.pipeline
@pytest.mark.xdist_group("builds")
def test_no_personal_data_in_anything_a_run_produces(normal_build: Build) -> None:
    files = produced_files(normal_build)
    kinds = {p.suffix for p in files}
    assert {".html", ".ipynb", ".json", ".parquet", ".csv", ".log"} <= kinds
    hits = [
        f"{p.relative_to(normal_build.root)}: {hit}"
        for p in files
        for hit in personal_data(file_text(p))
    ]
    print(f"scanned {len(files)} files")
    assert hits == []


#: detect-secrets plugins that look for real credential formats (the entropy plugins
#: are left out: chart images and checksums are high-entropy by nature).
SECRET_PLUGINS: tuple[str, ...] = (
    "AWSKeyDetector", "ArtifactoryDetector", "AzureStorageKeyDetector", "BasicAuthDetector",
    "DiscordBotTokenDetector", "GitHubTokenDetector", "GitLabTokenDetector",
    "JwtTokenDetector", "KeywordDetector", "MailchimpDetector", "NpmDetector",
    "OpenAIDetector", "PrivateKeyDetector", "PypiTokenDetector", "SendGridDetector",
    "SlackDetector", "SquareOAuthDetector", "StripeDetector", "TwilioKeyDetector",
)  # fmt: skip


def find_secrets(texts: dict[str, str], folder: Path) -> list[str]:
    """Run detect-secrets over ``texts`` (name -> text), written under ``folder``."""
    from detect_secrets import SecretsCollection
    from detect_secrets.settings import transient_settings

    for name, text in texts.items():
        path = folder / f"{name}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(without_images(text), encoding="utf-8")
    secrets = SecretsCollection(root=str(folder))
    with transient_settings({"plugins_used": [{"name": name} for name in SECRET_PLUGINS]}):
        for name in texts:
            secrets.scan_file(f"{name}.txt")
    return [
        f"{name.removesuffix('.txt')}: {secret.type} on line {secret.line_number}"
        for name, secret in secrets
    ]


def test_secret_scan_finds_planted_credentials(tmp_path: Path) -> None:
    planted = {
        "aws": "key = AKIAIOSFODNN7EXAMPLE\n",  # pragma: allowlist secret
        "github": "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8\n",  # pragma: allowlist secret
        "keyword": 'password = "hunter2-correct-horse"\n',  # pragma: allowlist secret
    }
    found = find_secrets(planted, tmp_path)
    assert {line.split(":")[0] for line in found} == set(planted)


@pytest.mark.pipeline
@pytest.mark.xdist_group("builds")
def test_no_secrets_in_anything_a_run_produces(normal_build: Build, tmp_path: Path) -> None:
    files = produced_files(normal_build)
    texts = {str(p.relative_to(normal_build.root)): file_text(p) for p in files}
    assert len(texts) >= 20
    assert find_secrets(texts, tmp_path) == []


@pytest.mark.pipeline
@pytest.mark.xdist_group("builds")
def test_papermill_recorded_no_credentials(normal_build: Build) -> None:
    from tests.browser.harness import pages_of

    notebooks = sorted(normal_build.out_dir.glob("*/notebooks/*.ipynb"))
    # each period's pages: the channel pages with figures, data quality and the overview
    assert len(notebooks) == sum(len(pages_of(p)) for p in normal_build.periods)
    for path in notebooks:
        meta = nbformat.read(path, as_version=4).metadata["papermill"]
        parameters = meta["parameters"]
        expected = {"period", "start", "data_dir", "output_dir"}
        if path.stem in ("overview", "quality"):  # they read the channel pages' folder
            expected |= {"pages_dir", *(("channels",) if path.stem == "overview" else ())}
        assert set(parameters) == expected, path
        for key, value in parameters.items():
            if key == "channels":  # the overview's list of channel pages
                assert all(isinstance(v, str) for v in value), (path, key)
                continue
            assert value is None or isinstance(value, str), (path, key)
            assert not SECRET_WORDS.search(f"{key}={value}"), (path, key)
            assert "@" not in str(value) and "://" not in str(value), (path, key)
        assert not meta.get("environment_variables"), path
    manifest = json.loads((normal_build.period_dir(PERIOD) / "manifest.json").read_text())
    assert not SECRET_WORDS.search(json.dumps(manifest.get("parameters", {})))


# --- bad parameters -----------------------------------------------------------------

BAD_RUNS = {
    "unknown channel": (["--period", "2015-09", "--channels", "tiktok"], "unknown channel"),
    "unknown among known": (["--period", "2015-09", "--channels", "social,,TikTok"], "tiktok"),
    "no channel": (["--period", "2015-09", "--channels", ","], "no channel"),
    "month 13": (["--period", "2015-13"], "YYYY-MM"),
    "words": (["--period", "Sept 2015"], "YYYY-MM"),
    "one-digit month": (["--period", "2015-9"], "YYYY-MM"),
    "future period": (["--period", "2099-01"], "not ended"),
    "start after end": (["--period", "2015-09", "--start", "2015-10"], "after the period"),
    "missing data folder": (["--period", "2015-09", "--data", "{tmp}/nowhere"], "does not exist"),
    "empty data folder": (["--period", "2015-09", "--data", "{tmp}/empty"], "neither raw/"),
    "period without data": (["--period", "2010-01", "--data", "{data}"], "no figures for 2010"),
    "all with a period": (["--all", "--period", "2015-09"], "--all"),
}


@pytest.fixture(scope="module")
def small_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with raw/ and processed/ built from the project's raw data."""
    data = tmp_path_factory.mktemp("bad-parameters") / "data"
    shutil.copytree(PROJECT / "data" / "raw", data / "raw")
    assert cli.main(["data", "--raw", str(data / "raw"), "--out", str(data / "processed")]) == 0
    return data


@pytest.mark.parametrize("case", list(BAD_RUNS), ids=list(BAD_RUNS))
def test_bad_parameters_one_message_exit_2_no_kernel(
    case: str,
    small_data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import helpers.briefing.build as runner

    started: list[object] = []
    monkeypatch.setattr(runner, "execute_notebook", lambda *a, **k: started.append(a))
    (tmp_path / "empty").mkdir()
    args, expected = BAD_RUNS[case]
    args = [a.format(tmp=tmp_path, data=small_data) for a in args]
    out = tmp_path / "out"
    capsys.readouterr()
    code = cli.main(["run", *args, "--out", str(out)])
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith("error: "), captured.err
    assert expected.lower() in lines[0].lower()
    assert captured.out == ""
    assert started == []  # refused before any notebook, so before any kernel
    assert not out.exists() or not [p for p in out.iterdir() if p.name.startswith(".staging")]


def test_bad_argument_value_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["run", "--period", "2015-09", "--jobs", "0"])
    assert stop.value.code == 2
    assert (
        capsys.readouterr()
        .err.strip()
        .splitlines()[-1]
        .endswith("expected a whole number of 1 or more, got 0")
    )
