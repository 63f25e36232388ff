"""The briefing template for plain ``jupyter nbconvert``: its installer and preprocessor.

``python -m helpers.briefing.nbconvert_template`` (run by ``make setup``) installs the
briefing template into the environment's Jupyter data path as ``engagement-briefing``,
so that::

    jupyter nbconvert --to html --template engagement-briefing outputs/2015-09/notebooks/itk.ipynb

writes the same self-contained, offline page as the briefing runner. The installed
folder links to the files under ``helpers/briefing/templates`` (they stay the only
copy; edits show at once in an editable install).

The runner passes the page's titles, links and CSS in ``resources["briefing"]`` and
prepares the cells with its own preprocessors
(:func:`helpers.briefing.render.briefing_preprocessors`);
plain nbconvert does neither, so the template's ``conf.json`` registers
:class:`PlainNbconvert`, which, when no ``resources["briefing"]`` was given, fills it
in from the notebook itself (the notebook's name and its ``period`` and ``start``
parameters) and then applies the runner's preprocessors. When the runner renders, it
does nothing, so the runner's pages do not change.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from helpers.briefing.render import (
    TEMPLATES,
    Page,
    briefing_preprocessors,
    heading_offset,
    shift_headings,
    stylesheet,
)

#: Name to pass to ``jupyter nbconvert --template``.
TEMPLATE_NAME = "engagement-briefing"

#: Files of the installed template: name in the installed folder -> source file.
TEMPLATE_FILES: dict[str, Path] = {
    "conf.json": TEMPLATES / "notebook" / "conf.json",
    "index.html.j2": TEMPLATES / "notebook" / "index.html.j2",
    "_layout.html.j2": TEMPLATES / "_layout.html.j2",
    "briefing.css": TEMPLATES / "briefing.css",
}

#: Tags of the cells that hold parameters, in the order papermill applies them.
PARAMETER_TAGS: tuple[str, ...] = ("parameters", "injected-parameters")


def notebook_parameters(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """Return the literal values assigned in a notebook's parameters cells.

    The defaults cell (tag ``parameters``) is read first and papermill's injected
    cell (tag ``injected-parameters``) second, so injected values win.

    Args:
        nb: A notebook, executed or not.

    Returns:
        Name -> value of every plain assignment of a Python literal.
    """
    values: dict[str, Any] = {}
    for tag in PARAMETER_TAGS:
        for cell in nb.cells:
            if cell.cell_type != "code" or tag not in cell.get("metadata", {}).get("tags", []):
                continue
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            for node in tree.body:
                # ``period = "2015-09"`` or, typed, ``period: str = "2015-09"``
                if isinstance(node, ast.Assign) and len(node.targets) == 1:
                    target: ast.expr = node.targets[0]
                elif isinstance(node, ast.AnnAssign) and node.value is not None:
                    target = node.target
                else:
                    continue
                if isinstance(target, ast.Name):
                    try:
                        values[target.id] = ast.literal_eval(node.value)  # type: ignore[arg-type]
                    except ValueError:
                        continue
    return values


def briefing_name(nb: nbformat.NotebookNode, file_name: str = "") -> str:
    """Return the briefing a notebook belongs to (``"itk"`` for ``notebooks/itk.ipynb``).

    Args:
        nb: The notebook.
        file_name: Its file name without ``.ipynb``, as nbconvert reports it.

    Returns:
        The stem of the notebook papermill executed when that is a briefing,
        otherwise ``file_name``.
    """
    from helpers.briefing.plan import BRIEFINGS

    source = nb.get("metadata", {}).get("papermill", {}).get("input_path") or ""
    stem = Path(str(source)).stem
    return stem if stem in BRIEFINGS else file_name


def default_page(nb: nbformat.NotebookNode, file_name: str = "") -> Page:
    """Titles of a page converted outside the runner, from the notebook alone.

    The masthead matches the runner's page for the same notebook and period; there
    are no links to the other briefings (they need not exist beside the page).

    Args:
        nb: The executed notebook.
        file_name: Its file name without ``.ipynb``.

    Returns:
        The page's titles.
    """
    from helpers.briefing.plan import briefing_title
    from helpers.tidy.dataset import load_profile
    from helpers.tidy.periods import month_label, reporting_window

    name = briefing_name(nb, file_name)
    topic = f"{briefing_title(name)} briefing" if name else "Briefing"
    params = notebook_parameters(nb)
    period = str(params.get("period") or "")
    start = params.get("start")
    try:
        window = reporting_window(period, start if isinstance(start, str) else None)
        period_label, window_label = month_label(window.end), window.label
    except Exception:  # a notebook without a usable period still converts
        period_label, window_label = period, ""
    try:  # the force of the data folder the notebook read
        force = load_profile(str(params.get("data_dir") or "") or None).name
    except Exception:  # an unreadable profile does not stop a conversion
        force = ""
    title = f"{topic}, {period_label}" if period_label else topic
    title += f" – {force}" if period_label and force else ""
    source = f"{file_name or name}.ipynb"
    return Page(
        force=force,
        topic=topic,
        period_label=period_label,
        window_label=window_label,
        title=title,
        nav=[],
        footer=f"Converted from {source} with jupyter nbconvert"
        + (f" for {period}." if period else "."),
        default_alt=f"Chart from the {topic.lower()}"
        + (f", {period_label}" if period_label else ""),
    )


class PlainNbconvert(Preprocessor):
    """Prepare a notebook the way the runner does when plain nbconvert converts it.

    Plain nbconvert gives no ``resources["briefing"]``: this adds the page's titles
    (:func:`default_page`), CSS and heading shift, then applies the runner's
    :func:`~helpers.briefing.render.briefing_preprocessors`. With
    ``resources["briefing"]`` given (the runner), it changes nothing.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess(
        self, nb: nbformat.NotebookNode, resources: dict[str, Any]
    ) -> tuple[nbformat.NotebookNode, dict[str, Any]]:
        """Add the page values and apply the runner's preprocessors, unless given."""
        if resources.get("briefing"):
            return nb, resources
        file_name = str((resources.get("metadata") or {}).get("name") or "")
        resources["briefing"] = {
            **asdict(default_page(nb, file_name)),
            "css": stylesheet(),
            "heading_offset": heading_offset(nb),
            "shift_headings": shift_headings,
        }
        for preprocessor in briefing_preprocessors():
            nb, resources = preprocessor(nb, resources)
        return nb, resources


def template_dir(prefix: str | Path | None = None) -> Path:
    """Folder the template is installed in, under an environment's Jupyter data path.

    Args:
        prefix: The environment (default: the running Python's ``sys.prefix``).

    Returns:
        ``<prefix>/share/jupyter/nbconvert/templates/engagement-briefing``.
    """
    root = Path(prefix) if prefix else Path(sys.prefix)
    return root / "share" / "jupyter" / "nbconvert" / "templates" / TEMPLATE_NAME


def install(prefix: str | Path | None = None, *, copy: bool = False) -> Path:
    """Install the template, replacing an earlier installation.

    Args:
        prefix: The environment (default: the running Python's ``sys.prefix``).
        copy: Copy the files instead of linking to them (for a non-editable
            install, or a file system without symbolic links).

    Returns:
        The installed template's folder.
    """
    target = template_dir(prefix)
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.is_dir():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name, source in TEMPLATE_FILES.items():
        if copy:
            shutil.copyfile(source, target / name)
            continue
        try:
            (target / name).symlink_to(source.resolve())
        except OSError:
            shutil.copyfile(source, target / name)
    return target


def main(argv: list[str] | None = None) -> int:
    """Command line: install the template into this environment.

    Args:
        argv: Arguments (default: ``sys.argv[1:]``).

    Returns:
        The exit code.
    """
    parser = argparse.ArgumentParser(
        prog="python -m helpers.briefing.nbconvert_template",
        description=f"Install the briefing template for jupyter nbconvert as {TEMPLATE_NAME!r}.",
    )
    parser.add_argument("--prefix", help="environment to install into (default: this one)")
    parser.add_argument("--copy", action="store_true", help="copy the files, do not link")
    args = parser.parse_args(argv)
    target = install(args.prefix, copy=args.copy)
    print(f"installed the nbconvert template {TEMPLATE_NAME!r} in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
