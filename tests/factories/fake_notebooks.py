"""Page notebooks executed without a kernel, for tests of the runner's assembly.

A channel page publishes one headline record; the data-quality and overview pages
publish what their notebooks would, computed in-process with the same functions the
notebooks call (:mod:`helpers.present.summary`), from the folder the runner passes them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from helpers import measures
from helpers.briefing.plan import SUMMARY_PAGES
from helpers.measures.quality import QUALITY_COLUMNS
from helpers.present import summary
from helpers.present.headlines import HEADLINES_MIME
from helpers.tidy.inputs import open_period
from helpers.tidy.periods import month_label
from helpers.tidy.published import read_headlines, read_quality


def write_page_notebooks(folder: Path, channels: tuple[str, ...], text: str = "{}") -> None:
    """Write placeholder notebook files for the channel pages and the summary pages."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in (*channels, *SUMMARY_PAGES):
        (folder / f"{name}.ipynb").write_text(text)


def _cell(bundle: dict[str, Any]) -> nbformat.NotebookNode:
    return new_code_cell(
        "page", outputs=[new_output("execute_result", data=bundle, execution_count=1)]
    )


def summary_page(job: Any, checks: bool = True) -> nbformat.NotebookNode:
    """The overview or data-quality notebook's outputs, computed in-process.

    Args:
        job: The notebook job the runner made.
        checks: Recompute the stated figures (False: the quality page has none).
    """
    p = job.parameters
    inputs = open_period(p["period"], p["start"], p["data_dir"])
    headlines = read_headlines(p["pages_dir"])
    if job.name == "quality":
        checks = (
            measures.stated_figure_checks(
                inputs.tidy, inputs.claims, inputs.window, inputs.commentary.figures
            )
            if checks
            else pd.DataFrame(columns=QUALITY_COLUMNS)
        )
        bundle = summary.QualityRecords(checks)._repr_mimebundle_()
        table = summary.quality_page_table(checks)
        cells = [new_markdown_cell("# Data quality"), _cell({"text/html": str(table)})]
        return new_notebook(cells=[*cells, _cell(bundle)])
    quality = read_quality(p["pages_dir"])
    points = summary.overview_points(headlines)
    record = summary.overview_record(
        inputs.period,
        month_label(inputs.window.end),
        inputs.window.label,
        inputs.commentary,
        points,
    )
    cells = [
        new_markdown_cell("# Community engagement briefing"),
        _cell({"text/html": str(summary.quality_line(quality))}),
        _cell(record._repr_mimebundle_()),
    ]
    return new_notebook(cells=cells)


def headline_record(value: float = 1.0) -> dict[str, Any]:
    """A website headline of September 2015 (all accounts' sessions) with ``value``."""
    return {
        "channel": "website",
        "account": "All accounts",
        "metric": "sessions",
        "measure": "value",
        "start": "2015-09-01",
        "end": "2015-09-30",
        "value": value,
        "unit": "count",
    }


def channel_page(job: Any, record: dict[str, Any]) -> nbformat.NotebookNode:
    """A channel notebook that publishes one headline record."""
    return new_notebook(
        cells=[
            new_markdown_cell(f"## {job.name} for {job.parameters['period']}"),
            _cell({HEADLINES_MIME: {"records": [record]}, "text/plain": "h"}),
        ]
    )


def fake_execute(
    channel: Callable[[Any], nbformat.NotebookNode], seconds: float = 0.1, checks: bool = True
) -> Callable[..., tuple[nbformat.NotebookNode, float]]:
    """An ``execute_notebook`` that writes ``channel(job)`` or the summary page's outputs."""

    def execute(job: Any, **kwargs: Any) -> tuple[nbformat.NotebookNode, float]:
        nb = summary_page(job, checks) if job.name in SUMMARY_PAGES else channel(job)
        nbformat.write(nb, job.output)
        return nb, seconds

    return execute
