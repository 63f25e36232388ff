"""papermill reads every line of each notebook's parameters cell.

papermill's parameter inspection (used by ``papermill --help-notebook`` and by every
run, to warn about unknown parameters) skips any line holding more than one ``=``, so
a comment such as ``# "" = data/ of this project`` hides the parameter from it.
"""

from __future__ import annotations

import ast
import logging
import re
from pathlib import Path

import pytest
from papermill.inspection import inspect_notebook

from helpers import config

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))

#: The parameters the briefing runner passes, and a check of each default.
EXPECTED: dict[str, object] = {
    "period": re.compile(r"\d{4}-\d{2}"),
    "start": None,
    "data_dir": "",
    "output_dir": "",
}


def test_there_are_notebooks():
    assert {p.stem for p in NOTEBOOKS} >= {"social", "website", "itk", "trusted2know"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_papermill_parses_every_line_of_the_parameters_cell(
    path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="papermill")
    params = inspect_notebook(path)
    unparsed = [r.getMessage() for r in caplog.records if "Unable to parse" in r.getMessage()]
    assert not unparsed, (
        f"{path.name}: papermill cannot read {unparsed}; "
        'comments in the parameters cell must not contain "="'
    )
    missing = sorted(EXPECTED.keys() - params.keys())
    assert not missing, f"{path.name}: papermill finds no {missing} in the parameters cell"
    for name, expected in EXPECTED.items():
        default = ast.literal_eval(params[name]["default"])
        if isinstance(expected, re.Pattern):
            assert isinstance(default, str) and expected.fullmatch(default), (name, default)
        else:
            assert default == expected, (path.name, name, default)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_are_typed_for_papermill_help(path: Path) -> None:
    """``papermill --help-notebook`` shows each parameter's type, not "Unknown type"."""
    params = inspect_notebook(path)
    untyped = [n for n, p in params.items() if p["inferred_type_name"] in ("None", "", None)]
    assert not untyped, f"{path.name}: parameters without a type: {untyped}"
    assert params["period"]["inferred_type_name"] == "str"
