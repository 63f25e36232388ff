"""The 2025 set of the real-exports corpus, placed as one force's monthly downloads.

Twelve exports that people published (Meta Business Suite content exports and a
``Reach.csv`` overview download, an X content export and account overview, three GA4
downloads, YouTube Studio's Table data, Chart data and lifetime Totals), linked into a
data folder's ``raw/exports/`` as an analyst would place them, with the
``accounts.yml`` that names them as one force's: no transcribed report, no stated
figures, no commentary and no force profile. The files are linked, never copied (their
licences are unknown); tests and benchmarks read them in place.
"""

from __future__ import annotations

from pathlib import Path

from helpers import config

CORPUS = config.ROOT.parent / "shared" / "real-exports"
SET_2025 = {
    "meta_business_suite/LeonMpofu-Oigetit-Social-Media-Reports/"
    "Jan-14-2025_Apr-14-2025_1396269028466733.csv": "meta",
    "meta_business_suite/LeonMpofu-Oigetit-Social-Media-Reports/"
    "Mar-18-2025_Apr-14-2025_553302954456165.csv": "meta",
    "meta_business_suite/LeonMpofu-Oigetit-Social-Media-Reports/"
    "Mar-18-2025_Apr-14-2025_1019826952924933.csv": "meta",
    "meta_business_suite/LeonMpofu-Oigetit-Social-Media-Reports/Reach.csv": "meta/overview",
    "twitter/ayo-klaytn-kaia-devdash/"
    "kaiadevintern_account_analytics_content_2024-12-22_2025-03-22.csv": "x",
    "twitter/ayo-klaytn-kaia-devdash/kaiadevintern_account_overview_analytics.csv": "x/overview",
    "ga4/Joel-hanson-joel-hanson.github.io/Reports_snapshot.csv": "ga4",
    "ga4/DanielTheC-internal-lnking-tool/Pages_and_screens_Page_path_and_screen_class (1).csv": (
        "ga4"
    ),
    "ga4/Anas3rdshade-Teefusion/"
    "User_acquisition_First_user_primary_channel_group_(Default_Channel_Group).csv": "ga4",
    "youtube/ligardoisaghost-timaghostresonance/Table data.csv": "youtube",
    "youtube/ligardoisaghost-timaghostresonance/Chart data.csv": "youtube",
    "youtube/ligardoisaghost-timaghostresonance/Totals.csv": "youtube",
}
ACCOUNTS = """\
accounts:
  - name: Oigetit Fake News Filter - South Africa   # the Facebook page name
    account: Oigetit
  - name: oigetit_sa                                # the Instagram username
    account: Oigetit
  - name: KaiaDevIntern                             # the X handle in the posts' links
    account: Oigetit
files:
  - path: "meta/overview/*"                         # Business Suite overview downloads
    account: Oigetit
    channel: facebook
  - path: "x/overview/*"                            # X account overview
    account: Oigetit
  - path: "ga4/*"                                   # the force website's GA4 property
    account: oigetit.com
    channel: website
  - path: "youtube/*"                               # Studio files out of their folder
    account: Oigetit
    start: 2007-04-01
    end: 2025-11-13
"""


def stage(data: Path) -> Path:
    """Link the 2025 set into ``data/raw/exports/`` with its ``accounts.yml``; return ``data``.

    Raises:
        FileNotFoundError: If the corpus is not beside the project.
    """
    if not CORPUS.is_dir():
        raise FileNotFoundError(f"the real-exports corpus is not at {CORPUS}")
    exports = data / "raw" / "exports"
    for relpath, folder in SET_2025.items():
        target = exports / folder / relpath.rsplit("/", 1)[1]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(CORPUS / relpath)  # read in place
    (exports / "accounts.yml").write_text(ACCOUNTS, encoding="utf-8")
    return data
