"""Chart images for the published pages: compression, and checks on alt text.

Notebooks display charts as full-colour PNGs with their alt text in the display
metadata (:func:`helpers.present.figure.png_with_metadata`). The briefing step
re-encodes each PNG as a 256-colour palette image when that looks the same (charts
are a few flat colours plus anti-aliased edges), which usually halves its size.
"""

from __future__ import annotations

import base64
import io

import numpy as np

_QUANTIZE_MEAN_ERROR = 1.0  # mean absolute error per channel (0-255) a palette PNG may add
_QUANTIZE_PEAK_ERROR = 24  # error allowed on all but the worst 0.1% of channel values


def _looks_the_same(original: np.ndarray, reduced: np.ndarray) -> bool:
    error = np.abs(reduced.astype(np.int16) - original.astype(np.int16))
    return bool(
        error.mean() <= _QUANTIZE_MEAN_ERROR and np.percentile(error, 99.9) <= _QUANTIZE_PEAK_ERROR
    )


def compress_png(png: bytes) -> bytes:
    """Re-save a PNG optimised, as a 256-colour palette image when that looks the same.

    Args:
        png: The PNG bytes.

    Returns:
        The smallest acceptable encoding (the input itself if nothing is smaller).
    """
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
    palette = rgb.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    reduced = (
        palette if _looks_the_same(np.asarray(rgb), np.asarray(palette.convert("RGB"))) else rgb
    )
    out = io.BytesIO()
    reduced.save(out, format="PNG", optimize=True)
    return min(png, out.getvalue(), key=len)


def compress_base64_png(data: str) -> str:
    """:func:`compress_png` on a base64 string, as notebooks store images."""
    return base64.b64encode(compress_png(base64.b64decode(data))).decode("ascii")


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, read from the PNG header."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
