"""The folders are the pipeline: imports run one way, ingest -> tidy -> measures -> present."""

from __future__ import annotations

import ast
import contextlib
import os
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pandas as pd
import pytest

from helpers import config
from helpers.layout import DataLayout
from helpers.tidy import dataset
from helpers.tidy.dataset import build_dataset, processed_is_current
from helpers.tidy.inputs import open_period

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "helpers"


def imports_of(path: Path) -> set[str]:
    """Every module a file imports (absolute names; relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def offenders(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    out = []
    for path in modules(folder):
        for name in imports_of(path):
            if name == "helpers" or not name:
                continue
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                out.append(f"{path.relative_to(PACKAGE)} imports {name}")
    return out


FLOOR = ("config", "layout", "schema", "errors", "fileio")
LAYERS = ("ingest", "tidy", "measures", "present", "briefing", "cli")


def forbidden(*layers: str) -> tuple[str, ...]:
    return tuple(f"helpers.{layer}" for layer in layers)


def floor_offenders(forbidden_names: tuple[str, ...]) -> list[str]:
    out = []
    for name in FLOOR:
        path = PACKAGE / f"{name}.py"
        for imported in imports_of(path):
            if any(imported == f or imported.startswith(f + ".") for f in forbidden_names):
                out.append(f"{name}.py imports {imported}")
    return out


def test_the_floor_imports_no_layer():
    assert all((PACKAGE / f"{name}.py").is_file() for name in FLOOR)
    assert floor_offenders(forbidden(*LAYERS)) == []


@pytest.mark.parametrize(
    ("folder", "above"),
    [
        ("ingest", ("tidy", "measures", "present", "briefing", "cli")),
        ("tidy", ("measures", "present", "briefing", "cli")),
        ("measures", ("ingest", "present", "briefing", "cli")),
        ("present", ("ingest", "briefing", "cli")),
        # the orchestrator plans, executes, renders and publishes: it computes nothing
        ("briefing", ("ingest", "measures", "cli")),
    ],
)
def test_imports_run_one_way(folder, above):
    assert offenders(folder, forbidden(*above)) == []


def test_measures_import_no_display_html_or_file_reading():
    forbidden = (
        "IPython",
        "jinja2",
        "html",
        "nbconvert",
        "nbformat",
        "matplotlib",
        "seaborn",
        "helpers.present",
        "helpers.ingest",
        "helpers.tidy.dataset",
        "helpers.tidy.inputs",
        "csv",
        "pyarrow",
        "yaml",
        "openpyxl",
    )
    assert offenders("measures", forbidden) == []


def test_measures_import_no_readers_or_loaders():
    names = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in modules("measures")
        for name in imports_of(path)
        if name.startswith("helpers.") and name.rsplit(".", 1)[-1].startswith(("read_", "load_"))
    ]
    assert names == []


def test_measures_call_no_file_reading_functions():
    readers = {"read_csv", "read_parquet", "read_excel", "read_text", "read_bytes", "open"}
    calls = []
    for path in modules("measures"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if name in readers:
                    calls.append(f"{path.relative_to(PACKAGE)}:{node.lineno} calls {name}")
    assert calls == []


def test_the_package_faces_cover_what_notebooks_use():
    import helpers.measures as measures
    import helpers.present as present
    from helpers.present import views

    notebooks = (PACKAGE.parents[1] / "notebooks").glob("*.ipynb")
    text = "\n".join(p.read_text(encoding="utf-8") for p in notebooks)
    for package, name in (("present", present), ("measures", measures)):
        used = set(re.findall(rf"\b{package}\.([A-Za-z_][A-Za-z0-9_]*)", text))
        assert used - set(name.__all__) == set(), package
        for attr in used:
            assert getattr(name, attr) is not None
    defined = {
        name
        for name, value in vars(views).items()
        if callable(value) and not name.startswith("_") and value.__module__ == views.__name__
    }
    assert defined - set(present.__all__) == set()  # every view of views.py is given
    assert [n for n in present.__all__ if getattr(present, n, None) is None] == []


def test_package_faces_are_plain_imports():
    """No module ``__getattr__`` or ``__dir__``: an editor's go-to-definition reaches the code."""
    lazy = [
        f"{path.relative_to(PACKAGE)} defines {node.name}"
        for path in sorted(PACKAGE.rglob("__init__.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef) and node.name in {"__getattr__", "__dir__"}
    ]
    assert lazy == []


@pytest.mark.parametrize("folder", ["", "ingest", "tidy", "measures", "present", "briefing"])
def test_modules_under_600_lines_and_functions_under_80(folder):
    """Split along the seams before a module or a function grows past what one can read."""
    too_long = []
    for path in modules(folder) if folder else sorted(PACKAGE.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > 600:
            too_long.append(f"{path.relative_to(PACKAGE)}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > 80:
                    too_long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}")
    assert too_long == []


# --- at run time: only ingest/ opens a raw file ------------------------------------

EXPORT_FIXTURES = PACKAGE.parents[1] / "tests" / "fixtures" / "exports"


class RawOpens:
    """Every ``open`` of a file under a raw folder, with the helpers module that made it.

    ``sys.addaudithook`` cannot be removed, so the hook is installed once and does
    nothing unless :attr:`raw` is set (only inside :meth:`watching`).
    """

    raw: ClassVar[Path | None] = None
    seen: ClassVar[list[tuple[str, str]]] = []
    installed: ClassVar[bool] = False

    @classmethod
    def hook(cls, event: str, args: tuple) -> None:
        if event != "open" or cls.raw is None or not isinstance(args[0], (str, bytes, Path)):
            return
        name = os.fsdecode(args[0])
        try:
            Path(name).resolve().relative_to(cls.raw)
        except (ValueError, OSError):
            return
        frame = sys._getframe(1)
        while frame is not None:
            file = Path(frame.f_code.co_filename)
            if file.is_relative_to(PACKAGE):
                cls.seen.append((file.relative_to(PACKAGE).as_posix(), Path(name).name))
                return
            frame = frame.f_back
        cls.seen.append(("(no helpers module)", Path(name).name))

    @classmethod
    @contextlib.contextmanager
    def watching(cls, raw: Path) -> Iterator[list[tuple[str, str]]]:
        if not cls.installed:
            sys.addaudithook(cls.hook)
            cls.installed = True
        cls.raw, cls.seen = raw.resolve(), []
        try:
            yield cls.seen
        finally:
            cls.raw = None


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder with every kind of raw input: report, claims, commentary, census, exports."""
    raw = tmp_path / "data" / "raw"
    for name in ("report_2015", "as_reported", "commentary", "reference"):
        shutil.copytree(config.RAW_DIR / name, raw / name)
    shutil.copytree(EXPORT_FIXTURES, raw / "exports")
    return tmp_path / "data"


def not_from_ingest(seen: list[tuple[str, str]]) -> list[str]:
    return [f"{module} opened {name}" for module, name in seen if not module.startswith("ingest/")]


def test_only_ingest_opens_a_raw_file(data_dir):
    layout = DataLayout.from_data_dir(data_dir)
    with RawOpens.watching(layout.raw) as seen:
        build_dataset(layout)
        assert processed_is_current(layout)
        inputs = open_period("2015-11", data_dir=data_dir)
    assert len(inputs.tidy) and len(inputs.commentary.parts) and len(inputs.residents)
    opened = {name for _, name in seen}
    assert {"census_2011_usual_residents.csv", "2015-11.md", "accounts.yml"} <= opened
    assert not_from_ingest(seen) == []


def test_the_open_check_sees_a_tidy_function_open_a_raw_file(data_dir, monkeypatch):
    def read_it_here(path: Path, divisions: object = ()) -> pd.DataFrame:
        return pd.read_csv(path)  # called from tidy/dataset.py: the innermost helpers frame

    monkeypatch.setattr(dataset, "read_census", read_it_here)
    layout = DataLayout.from_data_dir(data_dir)
    with RawOpens.watching(layout.raw) as seen:
        build_dataset(layout)
    assert "tidy/dataset.py opened census_2011_usual_residents.csv" in not_from_ingest(seen)
