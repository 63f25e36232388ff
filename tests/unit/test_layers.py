"""The folders are the pipeline: imports run one way, ingest -> tidy -> measures -> present."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

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


@pytest.mark.parametrize("folder", ["ingest", "tidy", "measures", "present"])
def test_nothing_below_briefing_imports_briefing_or_the_cli(folder):
    assert offenders(folder, ("helpers.briefing", "helpers.cli")) == []


def test_ingest_imports_nothing_above_the_schema():
    above = (
        "helpers.tidy.dataset",
        "helpers.tidy.select",
        "helpers.tidy.inputs",
        "helpers.measures",
        "helpers.present",
        "helpers.sections",
    )
    assert offenders("ingest", above) == []


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


def test_the_check_itself_sees_a_forbidden_import(tmp_path, monkeypatch):
    fake = tmp_path / "helpers" / "measures"
    fake.mkdir(parents=True)
    (fake / "bad.py").write_text("from helpers.present import charts\nimport IPython\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", tmp_path / "helpers")
    found = offenders("measures", ("helpers.present", "IPython"))
    assert len(found) >= 2


def test_the_packages_lazy_names_cover_what_notebooks_and_views_use():
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
    assert set(views.__all__) <= set(present.__all__)
    assert [n for n in present.__all__ if getattr(present, n, None) is None] == []


def test_a_view_added_to_the_views_is_in_the_package_without_a_second_list(monkeypatch):
    import helpers.present as present
    from helpers.present import views

    monkeypatch.setattr(views, "new_view", lambda frame: frame, raising=False)
    monkeypatch.setattr(views, "__all__", [*views.__all__, "new_view"])
    assert "new_view" in present.__all__
    assert present.new_view is views.new_view
    monkeypatch.setattr(views, "__all__", [n for n in views.__all__ if n != "tile"])
    with pytest.raises(AttributeError, match="tile"):
        _ = present.tile


@pytest.mark.parametrize("folder", ["measures", "present"])
def test_modules_under_600_lines_and_functions_under_80(folder):
    """Split along the seams before a module or a function grows past what one can read."""
    too_long = []
    for path in modules(folder):
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > 600:
            too_long.append(f"{path.relative_to(PACKAGE)}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > 80:
                    too_long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}")
    assert too_long == []
