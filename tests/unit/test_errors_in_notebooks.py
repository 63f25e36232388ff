"""A bad parameter inside a notebook shows one short message, not a long traceback."""

from __future__ import annotations

import pytest

from helpers.errors import DataError, PeriodError
from helpers.tidy.inputs import open_period


def test_a_bad_period_renders_as_one_line():
    with pytest.raises(PeriodError) as caught:
        open_period("2015-13")
    lines = caught.value._render_traceback_()
    assert len(lines) == 1
    assert "2015-13" in lines[0] and "PeriodError" in lines[0]


def test_ipython_shows_the_short_message(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        shell.run_cell('from helpers.tidy.inputs import open_period\nopen_period("2015-13")')
    finally:
        InteractiveShell.clear_instance()
    out = capsys.readouterr()
    shown = (out.out + out.err).strip().splitlines()
    assert any("2015-13" in line for line in shown)
    assert not any("Traceback" in line or "File " in line for line in shown), shown
    assert len(shown) <= 2, shown


def test_data_errors_render_short_too():
    assert len(DataError("x.csv", "a number", line=3, column="value")._render_traceback_()) == 1
