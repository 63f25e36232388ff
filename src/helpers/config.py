"""Project paths and the shared vocabulary (channels, metrics, accounts).

Every folder is derived from the project root (the folder holding
``pyproject.toml``), never from the working directory, so notebooks, tests and the
command line agree wherever they are started from. ``ENGAGEMENT_ROOT`` overrides
the root (used by tests that run the pipeline on a copy of the project).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
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

FORCE_NAME = "Lancashire Constabulary"
KERNEL_NAME = "engagement-briefings"

#: Account label used for a channel-wide figure (all accounts together).
ALL_ACCOUNTS = "All accounts"

#: Channels, in the order briefings show them, with display names.
CHANNELS: dict[str, str] = {
    "facebook": "Facebook",
    "twitter": "Twitter",
    "instagram": "Instagram",
    "youtube": "YouTube",
    "itk": "In the Know",
    "website": "Force website",
    "trusted2know": "Trust Ed youth website",
    "all": "All channels",
}

#: The audience metric of each channel: the one that sums to the digital community.
AUDIENCE_METRIC: dict[str, str] = {
    "facebook": "page_likes",
    "twitter": "followers",
    "instagram": "followers",
    "youtube": "subscribers",
    "itk": "registered_users",
}


@dataclass(frozen=True)
class Metric:
    """A metric name of the tidy table and how its values behave.

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
    unit: str = "count"
    breakdown: str | None = None
    signed: bool = False
    additive: bool = False


METRICS: dict[str, Metric] = {
    # audiences (snapshots)
    "page_likes": Metric("Facebook page likes"),
    "followers": Metric("followers"),
    "registered_users": Metric("registered users"),
    "subscribers": Metric("subscribers", signed=True),
    # activity over a period
    "reach": Metric("reach", additive=True),
    "engaged_users": Metric("engaged users", additive=True),
    "new_likes": Metric("new likes", additive=True),
    "impressions": Metric("impressions", additive=True),
    "engagements": Metric("engagements", additive=True),
    "tweets": Metric("tweets", additive=True),
    "retweets": Metric("retweets", additive=True),
    "replies": Metric("replies", additive=True),
    "likes": Metric("likes", additive=True),
    "posts": Metric("posts", additive=True),
    "post_reach": Metric("post reach", additive=True),
    "post_engaged_users": Metric("post engaged users", additive=True),
    "views": Metric("views", additive=True),
    "watch_hours": Metric("watch time", unit="hours", additive=True),
    "comments": Metric("comments", additive=True),
    "shares": Metric("shares", additive=True),
    "link_clicks": Metric("link clicks", additive=True),
    # website
    "sessions": Metric("sessions", additive=True),
    "users": Metric("unique users"),
    "new_users": Metric("new users", additive=True),
    "pageviews": Metric("page views", additive=True),
    "form_submissions": Metric("online forms submitted", additive=True),
    "device_share": Metric("share of sessions by device", "percent", "complete"),
    "acquisition_share": Metric("share of sessions by source", "percent", "complete"),
    "social_referral_share": Metric("share of social referrals", "percent", "complete"),
    "pageview_share": Metric("share of page views", "percent", "partial"),
    # operations and campaigns
    "staff_trained": Metric("staff trained"),
    "officers_trained": Metric("officers trained"),
    "alerts_per_month": Metric("alerts sent per month"),
    "alerts": Metric("alerts sent", additive=True),
    "enquiries": Metric("enquiries", additive=True),
    "applications": Metric("online applications", additive=True),
}

UNITS: frozenset[str] = frozenset({"count", "percent", "hours"})

#: Division of each canonical account (None for force-wide accounts).
DIVISIONS: tuple[str, ...] = ("West", "South", "East")

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
