"""Project paths and the shared vocabulary (channels, metrics, accounts).

Every folder is derived from the project root (the folder holding
``pyproject.toml``), never from the working directory, so notebooks, tests and the
command line agree wherever they are started from. ``ENGAGEMENT_ROOT`` overrides
the root (used by tests that run the pipeline on a copy of the project).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


def _find_root() -> Path:
    env = os.environ.get("ENGAGEMENT_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "data").is_dir():
            return parent
    return here.parents[2]


ROOT: Path = _find_root()
DATA_DIR: Path = ROOT / "data"
RAW_DIR: Path = DATA_DIR / "raw"
REPORT_DIR: Path = RAW_DIR / "report_2015"
AS_REPORTED_DIR: Path = RAW_DIR / "as_reported"
REFERENCE_DIR: Path = RAW_DIR / "reference"
EXPORTS_DIR: Path = RAW_DIR / "exports"
PROCESSED_DIR: Path = DATA_DIR / "processed"
TIDY_PARQUET: str = "tidy.parquet"
TIDY_CSV: str = "tidy.csv"
NOTEBOOKS_DIR: Path = ROOT / "notebooks"
OUTPUTS_DIR: Path = ROOT / "outputs"

#: Pixels per inch of the PNG a chart is shown as (sharp on high-density screens).
CHART_PIXELS_PER_INCH = 150
#: The share of its own size a chart is printed at in the board paper: with the
#: charts' smallest text at 9 pt (``present.theme.MIN_FONT_PT``), 7.2 pt on paper.
CHART_PRINT_SCALE = 0.8

KERNEL_NAME = "engagement-briefings"

#: Account label used for a channel-wide figure (all accounts together).
ALL_ACCOUNTS = "All accounts"


class Channel(StrEnum):
    """The channels of the tidy table, in the order briefings show them.

    Members are strings (``Channel.FACEBOOK == "facebook"``), so they can be used
    wherever a channel name is expected; a misspelt member fails at import.
    """

    FACEBOOK = "facebook"
    TWITTER = "twitter"
    INSTAGRAM = "instagram"
    YOUTUBE = "youtube"
    ITK = "itk"
    WEBSITE = "website"
    TRUSTED2KNOW = "trusted2know"
    ALL = "all"


#: Display names of the channels.
CHANNELS: dict[str, str] = {
    Channel.FACEBOOK: "Facebook",
    Channel.TWITTER: "Twitter",
    Channel.INSTAGRAM: "Instagram",
    Channel.YOUTUBE: "YouTube",
    Channel.ITK: "In the Know",
    Channel.WEBSITE: "Force website",
    Channel.TRUSTED2KNOW: "Trust Ed youth website",
    Channel.ALL: "All channels",
}


class Metric(StrEnum):
    """The metric names of the tidy table (see :data:`METRICS` for how each behaves)."""

    # audiences (snapshots)
    PAGE_LIKES = "page_likes"
    FOLLOWERS = "followers"
    REGISTERED_USERS = "registered_users"
    SUBSCRIBERS = "subscribers"
    # activity over a period
    REACH = "reach"
    ENGAGED_USERS = "engaged_users"
    NEW_LIKES = "new_likes"
    NEW_FOLLOWS = "new_follows"
    SUBSCRIBERS_GAINED = "subscribers_gained"
    IMPRESSIONS = "impressions"
    ENGAGEMENTS = "engagements"
    TWEETS = "tweets"
    RETWEETS = "retweets"
    REPLIES = "replies"
    LIKES = "likes"
    POSTS = "posts"
    POST_REACH = "post_reach"
    POST_ENGAGED_USERS = "post_engaged_users"
    VIEWS = "views"
    WATCH_HOURS = "watch_hours"
    COMMENTS = "comments"
    SHARES = "shares"
    LINK_CLICKS = "link_clicks"
    VISITS = "visits"
    # website
    SESSIONS = "sessions"
    USERS = "users"
    NEW_USERS = "new_users"
    PAGEVIEWS = "pageviews"
    FORM_SUBMISSIONS = "form_submissions"
    DEVICE_SHARE = "device_share"
    ACQUISITION_SHARE = "acquisition_share"
    SOCIAL_REFERRAL_SHARE = "social_referral_share"
    PAGEVIEW_SHARE = "pageview_share"
    # operations and campaigns
    STAFF_TRAINED = "staff_trained"
    OFFICERS_TRAINED = "officers_trained"
    ALERTS_PER_MONTH = "alerts_per_month"
    ALERTS = "alerts"
    ENQUIRIES = "enquiries"
    APPLICATIONS = "applications"


class Unit(StrEnum):
    """Units of the tidy table's values."""

    COUNT = "count"
    PERCENT = "percent"
    HOURS = "hours"


#: The audience metric of each channel: the one that sums to the digital community.
AUDIENCE_METRIC: dict[str, Metric] = {
    Channel.FACEBOOK: Metric.PAGE_LIKES,
    Channel.TWITTER: Metric.FOLLOWERS,
    Channel.INSTAGRAM: Metric.FOLLOWERS,
    Channel.YOUTUBE: Metric.SUBSCRIBERS,
    Channel.ITK: Metric.REGISTERED_USERS,
}


@dataclass(frozen=True)
class MetricSpec:
    """How the values of one metric behave.

    Attributes:
        label: Human-readable name used in charts and sentences.
        unit: ``count``, ``percent`` or ``hours``.
        breakdown: For shares, ``complete`` if the segments of one group must add
            up to 100, ``partial`` if they are the top segments only.
        signed: Whether negative values are legitimate (net changes).
        additive: Whether daily values add up to a month's value (sessions do;
            unique users and audience levels do not).
    """

    label: str
    unit: str = Unit.COUNT
    breakdown: str | None = None
    signed: bool = False
    additive: bool = False


M = MetricSpec
#: Every metric with its behaviour; a new metric is one member of :class:`Metric`
#: and one entry here.
METRICS: dict[str, MetricSpec] = {
    Metric.PAGE_LIKES: M("Facebook page likes"),
    Metric.FOLLOWERS: M("followers"),
    Metric.REGISTERED_USERS: M("registered users"),
    Metric.SUBSCRIBERS: M("subscribers", signed=True),
    Metric.REACH: M("reach", additive=True),
    Metric.ENGAGED_USERS: M("engaged users", additive=True),
    Metric.NEW_LIKES: M("new likes", additive=True),
    Metric.NEW_FOLLOWS: M("new follows", additive=True),
    Metric.SUBSCRIBERS_GAINED: M("subscribers gained (net)", signed=True, additive=True),
    Metric.IMPRESSIONS: M("impressions", additive=True),
    Metric.ENGAGEMENTS: M("engagements", additive=True),
    Metric.TWEETS: M("tweets", additive=True),
    Metric.RETWEETS: M("retweets", additive=True),
    Metric.REPLIES: M("replies", additive=True),
    Metric.LIKES: M("likes", additive=True),
    Metric.POSTS: M("posts", additive=True),
    Metric.POST_REACH: M("post reach (summed over posts)", additive=True),
    Metric.POST_ENGAGED_USERS: M("post engaged users", additive=True),
    Metric.VIEWS: M("views", additive=True),
    Metric.WATCH_HOURS: M("watch time", unit=Unit.HOURS, additive=True),
    Metric.COMMENTS: M("comments", additive=True),
    Metric.SHARES: M("shares", additive=True),
    Metric.LINK_CLICKS: M("link clicks", additive=True),
    Metric.VISITS: M("page and profile visits", additive=True),
    Metric.SESSIONS: M("sessions", additive=True),
    Metric.USERS: M("unique users"),
    Metric.NEW_USERS: M("new users", additive=True),
    Metric.PAGEVIEWS: M("page views", additive=True),
    Metric.FORM_SUBMISSIONS: M("online forms submitted", additive=True),
    Metric.DEVICE_SHARE: M("share of sessions by device", Unit.PERCENT, "complete"),
    Metric.ACQUISITION_SHARE: M("share of sessions by source", Unit.PERCENT, "complete"),
    Metric.SOCIAL_REFERRAL_SHARE: M("share of social referrals", Unit.PERCENT, "complete"),
    Metric.PAGEVIEW_SHARE: M("share of page views", Unit.PERCENT, "partial"),
    Metric.STAFF_TRAINED: M("staff trained"),
    Metric.OFFICERS_TRAINED: M("officers trained"),
    Metric.ALERTS_PER_MONTH: M("alerts sent per month"),
    Metric.ALERTS: M("alerts sent", additive=True),
    Metric.ENQUIRIES: M("enquiries", additive=True),
    Metric.APPLICATIONS: M("online applications", additive=True),
}
del M
assert set(METRICS) == set(Metric), "every Metric needs a METRICS entry"

UNITS: frozenset[str] = frozenset(Unit)

#: Google Analytics' default channel groups (GA4 and Universal Analytics), lower case:
#: a breakdown whose items are all among these is one "by how visitors arrived".
TRAFFIC_SOURCES: frozenset[str] = frozenset(
    {
        "affiliates",
        "audio",
        "cross-network",
        "direct",
        "display",
        "email",
        "mobile push notifications",
        "organic search",
        "organic shopping",
        "organic social",
        "organic video",
        "paid other",
        "paid search",
        "paid shopping",
        "paid social",
        "paid video",
        "referral",
        "sms",
        "social",
        "unassigned",
        "(other)",
        "(not set)",
    }
)
#: Device categories (GA4 and Universal Analytics), lower case.
DEVICE_CATEGORIES: frozenset[str] = frozenset({"desktop", "mobile", "tablet", "smart tv"})

#: Names the report uses for an account, mapped to the canonical account name.
ACCOUNT_ALIASES: dict[str, str] = {
    "Corporate Account": "Lancs Police",
    "LancsPolice": "Lancs Police",
    "Specialist Accounts": "Specialist",
    "West Division": "West",
    "South Division": "South",
    "East Division": "East",
    "Total": ALL_ACCOUNTS,
}

#: Accounts of the two web properties.
WEBSITE_ACCOUNT = "lancashire.police.uk"
TRUSTED2KNOW_ACCOUNT = "trustedtoknow.co.uk"


def canonical_account(name: str) -> str:
    """Return the canonical account name for a name as a source spells it.

    Args:
        name: Account or division name, e.g. ``"West Division"``.

    Returns:
        The canonical name, e.g. ``"West"``; unknown names come back stripped.
    """
    clean = " ".join(name.split())
    return ACCOUNT_ALIASES.get(clean, clean)


@dataclass(frozen=True)
class Audience:
    """An audience a briefing follows: a channel's level metric and what to call it."""

    channel: Channel
    metric: Metric
    noun: str


@dataclass(frozen=True)
class ArchiveMeasure:
    """A headline measure the archive charts across the periods.

    Attributes:
        channel: Tidy channel.
        metric: Tidy metric.
        title: What the chart is called.
        snapshot: True for a level on a day (the latest a briefing shows is used);
            False for a count over time (the latest whole month a briefing shows,
            never a longer span, so the periods compare like with like).
    """

    channel: str
    metric: str
    title: str
    snapshot: bool = True

    @property
    def key(self) -> str:
        """``channel/metric``, used in the page's ``data-measure`` attributes."""
        return f"{self.channel}/{self.metric}"

    @property
    def reading(self) -> str:
        """What one point is, in words (each point's own date is given with it)."""
        return (
            "the latest figure each briefing shows"
            if self.snapshot
            else "the latest month's count each briefing shows"
        )


#: Okabe–Ito colours (colour-blind safe), for the channels' fixed colours.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}


@dataclass(frozen=True)
class ChannelSpec:
    """One channel briefing page, declared once; everything else derives from it.

    The notebook is ``notebooks/<name>.ipynb``, the page ``<name>.html``, and the
    analysts' commentary for it sits under ``# <name>`` in a commentary file. Charts,
    the commentary's page headings, the overview's links, the archive's charts, the
    command line's help and the browser tests read this registry.

    Attributes:
        name: The notebook's, page's and commentary heading's name.
        title: The page's title in the navigation.
        channels: The tidy channels the page covers (its quality checks concern these).
        audiences: The audience totals whose changes lead the front page.
        colours: Each tidy channel's fixed chart colour (others get a stable palette
            colour).
        archive: The measures the archive charts across periods.
        readers: Modules of ``ingest/`` with export formats for these channels
            (each declares ``FORMATS``), beyond the built-in ones.
    """

    name: str
    title: str
    channels: tuple[str, ...]
    audiences: tuple[Audience, ...] = ()
    colours: tuple[tuple[str, str], ...] = ()
    archive: tuple[ArchiveMeasure, ...] = ()
    readers: tuple[str, ...] = ()

    @property
    def notebook(self) -> str:
        """The notebook's file name in ``notebooks/``."""
        return f"{self.name}.ipynb"


C = OKABE_ITO
#: The channel briefing pages, in the order the navigation and the front page list them.
#: A new channel is one entry here, its notebook and, if it brings new data, its reader.
CHANNEL_SPECS: tuple[ChannelSpec, ...] = (
    ChannelSpec(
        "social",
        "Social media",
        (Channel.FACEBOOK, Channel.TWITTER, Channel.INSTAGRAM, Channel.YOUTUBE, Channel.ALL),
        (
            Audience(Channel.FACEBOOK, Metric.PAGE_LIKES, "Facebook likes"),
            Audience(Channel.TWITTER, Metric.FOLLOWERS, "Twitter followers"),
        ),
        colours=(
            (Channel.FACEBOOK, C["blue"]),
            (Channel.TWITTER, C["sky_blue"]),
            (Channel.INSTAGRAM, C["reddish_purple"]),
            (Channel.YOUTUBE, C["vermillion"]),
            (Channel.ALL, C["black"]),
        ),
        archive=(
            ArchiveMeasure(Channel.FACEBOOK, Metric.PAGE_LIKES, "Facebook likes"),
            ArchiveMeasure(Channel.TWITTER, Metric.FOLLOWERS, "Twitter followers"),
            ArchiveMeasure(Channel.INSTAGRAM, Metric.FOLLOWERS, "Instagram followers"),
            ArchiveMeasure(Channel.YOUTUBE, Metric.SUBSCRIBERS, "YouTube subscribers"),
        ),
    ),
    ChannelSpec(
        "website",
        CHANNELS[Channel.WEBSITE],
        (Channel.WEBSITE,),
        colours=((Channel.WEBSITE, C["orange"]),),
        archive=(
            ArchiveMeasure(
                Channel.WEBSITE, Metric.SESSIONS, "Force website sessions", snapshot=False
            ),
        ),
    ),
    ChannelSpec(
        "itk",
        CHANNELS[Channel.ITK],
        (Channel.ITK,),
        (Audience(Channel.ITK, Metric.REGISTERED_USERS, "In the Know registered users"),),
        colours=((Channel.ITK, C["bluish_green"]),),
        archive=(
            ArchiveMeasure(Channel.ITK, Metric.REGISTERED_USERS, "In the Know registered users"),
        ),
    ),
    ChannelSpec(
        "trusted2know",
        CHANNELS[Channel.TRUSTED2KNOW],
        (Channel.TRUSTED2KNOW,),
        colours=((Channel.TRUSTED2KNOW, C["yellow"]),),
    ),
)
del C


def spec_of(name: str) -> ChannelSpec:
    """The :class:`ChannelSpec` of a channel page, by its name (``"social"``).

    Raises:
        KeyError: If no page has that name (the message lists the pages).
    """
    for spec in CHANNEL_SPECS:
        if spec.name == name:
            return spec
    raise KeyError(f"no channel page {name!r}; pages: {', '.join(s.name for s in CHANNEL_SPECS)}")


def channel_colours() -> dict[str, str]:
    """The fixed chart colour of each tidy channel, from :data:`CHANNEL_SPECS`."""
    return {str(ch): colour for spec in CHANNEL_SPECS for ch, colour in spec.colours}


def archive_measures() -> tuple[ArchiveMeasure, ...]:
    """Every measure the archive charts, in page order, from :data:`CHANNEL_SPECS`."""
    return tuple(m for spec in CHANNEL_SPECS for m in spec.archive)


def reader_modules() -> tuple[str, ...]:
    """The ingest modules the channel specs add to the built-in export formats."""
    return tuple(dict.fromkeys(m for spec in CHANNEL_SPECS for m in spec.readers))


def commentary_pages() -> tuple[str, ...]:
    """The page headings a commentary file may use: the overview, then each channel page."""
    return ("overview", *(spec.name for spec in CHANNEL_SPECS))
