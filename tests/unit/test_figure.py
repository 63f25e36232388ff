"""The chart object (helpers.present.figure): alt text, the displayed PNG, compression."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers.briefing import images
from helpers.present import figure, primitives, theme
from tests.unit.test_primitives import DATES, LIKES, SOURCE, _restore_rc  # noqa: F401 (autouse)


@pytest.fixture
def likes() -> pd.DataFrame:
    """Facebook page likes per account, as the report gives them."""
    return pd.DataFrame(
        {"end": pd.Timestamp(day), "account": account, "value": float(value)}
        for account, values in LIKES.items()
        for day, value in zip(DATES, values, strict=True)
    )


def test_describe_attaches_alt_text_to_the_displayed_png(likes):
    fig = primitives.trend_chart(likes, title="Likes", ylabel="Page likes", source=SOURCE)
    figure.describe(fig, 'Likes <script>alert("x")</script> by account')
    png, metadata = figure.png_with_metadata(fig)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert metadata["alt"] == 'Likes <script>alert("x")</script> by account'  # escaped by the page
    size = tuple(round(v * theme.DPI) for v in theme.FIGSIZE)  # FIGSIZE at 100 px an inch
    assert (metadata["width"], metadata["height"]) == size
    width, _height = images.png_size(png)
    assert width / metadata["width"] >= 1.5  # at least 150 dpi when printed at display size


@pytest.mark.parametrize("alt", ["", "   ", None])
def test_describe_requires_alt(alt):
    fig = Figure()
    with pytest.raises(ValueError, match="alt"):
        figure.describe(fig, alt)


def test_compress_png_uses_palette_for_charts_and_keeps_detailed_images(likes):
    chart = primitives.trend_chart(likes, title="Likes", ylabel="Page likes", source=SOURCE)
    raw, _ = figure.png_with_metadata(chart)
    png = images.compress_png(raw)
    assert png[25] == 3  # PNG colour type 3: palette image
    assert len(png) < len(raw)
    noise = Figure(figsize=(2, 2), dpi=100)
    FigureCanvasAgg(noise)
    ax = noise.add_axes((0, 0, 1, 1))
    ax.imshow(np.random.default_rng(0).random((200, 200, 3)), interpolation="nearest")
    noisy, _ = figure.png_with_metadata(noise)
    assert images.compress_png(noisy)[25] in (2, 6)  # too many colours: kept as RGB(A)


def test_a_chart_shows_itself_once_as_png_with_alt_text_and_registers_nothing(likes):
    """Importing the charts registers nothing with IPython; a chart still shows once, with alt."""
    import base64
    import importlib

    from IPython.core.interactiveshell import InteractiveShell
    from IPython.display import display
    from IPython.utils.capture import capture_output

    from helpers.present import charts

    shell = InteractiveShell.instance()
    try:
        png = shell.display_formatter.formatters["image/png"]
        png.type_printers.pop(Figure, None)
        importlib.reload(charts)  # as in a kernel: the module is imported with a shell running
        assert Figure not in png.type_printers, "importing the charts registered a formatter"
        fig = figure.describe(
            primitives.trend_chart(likes, title="Likes", ylabel="Page likes", source=SOURCE),
            "Likes by account",
        )
        with capture_output() as shown:
            display(fig)
        assert len(shown.outputs) == 1
        data, metadata = shown.outputs[0].data, shown.outputs[0].metadata
        assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG\r\n\x1a\n")
        width, height = (round(v * theme.DPI) for v in theme.FIGSIZE)
        assert metadata["image/png"] == {
            "width": width,
            "height": height,
            "alt": "Likes by account",
        }
    finally:
        InteractiveShell.clear_instance()
