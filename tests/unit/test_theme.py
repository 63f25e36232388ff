"""The house style (helpers.present.theme): palette, fixed and stable colours, rc settings."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.colors as mcolors
import pandas as pd

from helpers import config
from helpers.present import theme
from tests.unit.test_primitives import OKABE_ITO_HEX, _restore_rc  # noqa: F401 (autouse)

# --- theme and colours ------------------------------------------------------------------------


def test_palette_is_okabe_ito():
    assert {c.lower() for c in theme.OKABE_ITO} == OKABE_ITO_HEX
    assert {c.lower() for c in theme.PALETTE} == OKABE_ITO_HEX
    assert len(theme.PALETTE) == 8


def test_theme_applies_palette_grid_and_spines_inside_the_block_only():
    mpl.rcParams["axes.prop_cycle"] = mpl.cycler(color=["#123456"])
    before = dict(mpl.rcParams)
    with theme.theme():
        cycle = [mcolors.to_hex(c) for c in mpl.rcParams["axes.prop_cycle"].by_key()["color"]]
        assert cycle == [c.lower() for c in theme.PALETTE]
        assert mpl.rcParams["axes.spines.top"] is False
        assert mpl.rcParams["axes.spines.right"] is False
        assert mpl.rcParams["axes.grid"] is True
        assert mpl.rcParams["axes.labelsize"] >= 10
    assert dict(mpl.rcParams) == before


def test_colour_of_known_accounts_fixed_and_distinct():
    accounts = list(theme.ACCOUNT_COLOURS)
    colours = [theme.colour_of(a) for a in accounts]
    assert len(set(colours)) == len(accounts)
    assert all(c.lower() in OKABE_ITO_HEX for c in colours)
    assert theme.colour_of("West Division") == theme.colour_of("West")
    assert theme.colour_of("Corporate Account") == theme.colour_of("Lancs Police")
    assert theme.colour_of("All accounts") == theme.BLACK


def test_colour_of_unknown_names_is_stable():
    # Pinned: a hash that changed between runs would recolour accounts across briefings.
    assert theme.colour_of("Road Policing") == theme.colour_of("Road Policing")
    assert theme.colour_of("Road Policing") == "#009E73"
    assert theme.colour_of("Rural Crime") == "#0072B2"
    assert theme.colour_of("road policing") == theme.colour_of("Road Policing")
    assert theme.colour_of("Road Policing") in theme.PALETTE


def test_palette_for_keeps_fixed_colours_and_avoids_clashes():
    unknown = [f"Team {i}" for i in range(6)]
    mapping = theme.palette_for(["West", *unknown])
    assert mapping["West"] == theme.colour_of("West")
    assert len(set(mapping.values())) == 7
    assert list(mapping) == ["West", *unknown]
    assert theme.palette_for(reversed(unknown)) == {
        n: theme.palette_for(unknown)[n] for n in reversed(unknown)
    }


def test_a_channel_without_a_fixed_colour_imports_and_draws_in_a_stable_colour(monkeypatch):
    """A channel added to the configuration needs no colour: it gets a stable palette one."""
    import importlib

    from helpers.present import charts, primitives

    monkeypatch.setitem(config.CHANNELS, "tiktok", "TikTok")
    importlib.reload(theme)  # the channel is new at import time, too
    importlib.reload(charts)
    assert "tiktok" not in theme.channel_colours()
    colour = theme.colour_of("TikTok")
    assert colour == theme.colour_of("tiktok") == theme.colour_of("TIKTOK")
    assert colour in theme.PALETTE and colour != theme.BLACK
    assert theme.colour_of("Facebook") == theme.colour_of("facebook") == theme.BLUE
    frame = pd.DataFrame(
        {
            "end": pd.to_datetime(["2015-02-28", "2015-09-30"] * 2),
            "channel": ["TikTok", "TikTok", "Facebook", "Facebook"],
            "value": [10.0, 20.0, 30.0, 40.0],
        }
    )
    fig = primitives.trend_chart(
        frame, hue="channel", title="Followers", ylabel="Followers", source="Source: test"
    )
    drawn = {line.get_label(): mcolors.to_hex(line.get_color()) for line in fig.axes[0].lines}
    assert drawn == {"TikTok": colour.lower(), "Facebook": theme.BLUE.lower()}
