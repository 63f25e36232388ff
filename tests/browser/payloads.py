"""Script payloads in every field an analyst or a platform gives the briefings.

The hostile build (:mod:`tests.browser.harness`) puts, besides its hostile names in
the report tables, a payload into every front-matter field and every figure field
of the commentary that holds free text (the decision, the contact, each figure's
qualifier, account and segment, the part names and the text), and into every text
column of the platform exports it adds (tweet text and links, Facebook and YouTube
names, video titles, website device categories, Trust Ed page paths, the
Neighbourhood Alert member columns). Every payload calls ``alert``: if one became
markup, opening the page raises a dialog or changes its DOM, which the browser tests
catch (:mod:`tests.browser.pages`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from tests.factories.synthetic import generate


def payload(where: str) -> str:
    """Markup that raises a dialog naming ``where`` if a page lets it run (no digits).

    The handler is in double quotes: Markdown renderers pass such a tag through as
    raw HTML (an unquoted value with a quote in it would be shown as text anyway).
    """
    return f"<img src=x onerror=\"alert('{where}')\">"


#: The hostile account and campaign names of the report tables the commentary refers to.
HOSTILE_ACCOUNT = '"><svg onload=window.__pwned=4>'
HOSTILE_SEGMENT = '<img src=x onerror="window.__pwned=2">'


def payload_commentary(text: str) -> str:
    """The commentary file ``text`` with a payload in every field that holds free text."""
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    meta["decision"] = payload("decision")
    meta["contact"] = payload("contact")
    for figure in meta["figures"].values():
        figure["qualifier"] = payload("qualifier")
        if figure.get("segment") == "In the Know alerts":
            figure["segment"] = HOSTILE_SEGMENT
    meta["figures"]["hostile_account_likes"] = {
        "channel": "facebook",
        "account": HOSTILE_ACCOUNT,
        "metric": "page_likes",
        "start": "2015-09-30",
        "value": 3179,
        "qualifier": payload("account figure"),
    }
    body = body.replace("## Operational examples", f"## Operational examples {payload('part')}")
    body = body.replace(
        "# social\n\n## Highlights\n",
        "# social\n\n## Highlights\n\n"
        f"- The page {payload('text')} had {{{{hostile_account_likes}}}} likes on "
        f"30 September 2015. <script>alert('script')</script> "
        f"[a link](javascript:alert('link'))\n",
    )
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n" + body


def _rewrite(path: Path, columns: dict[str, str], keep: frozenset[str] = frozenset()) -> None:
    """Put a payload into ``columns`` of a CSV file (a value in ``keep`` stays)."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header = rows[0]
    for row in rows[1:]:
        for column, where in columns.items():
            i = header.index(column)
            if row[i] not in keep:
                row[i] = payload(where)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8"))


def _device_categories(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for device in ("desktop", "mobile", "tablet"):
        text = text.replace(f"\n{device},", f'\n"{payload("device " + device)}",')
    path.write_text(text, encoding="utf-8")


#: The preamble of a Trust Ed page report (Universal Analytics ``Pages``).
TRUST_ED_PREAMBLE = """# ----------------------------------------
# Trust Ed - All Web Site Data
# Pages
# 20151101-20151115
# ----------------------------------------

"""


#: Trust Ed page paths carrying personal data in the spellings a URL can take.
PERSONAL_PATHS = (
    "/report/sam.jones%40mail.example/done",
    "/kontakt/jo@polícia.example",
    "/call/07700.900.124",
    "/link/tel:+44-7700-900-125",
    "/sms/447700900126",
    "www.trustedtoknow.example/report?name=Robin+Hood&dob=1980-01-01",
)
#: What of them must reach no output.
#: (Each holds a character base64 lacks, or is long: no chart's image data can hold it.)
PERSONAL = (
    "sam.jones",
    "polícia",
    "900.124",
    "7700-900-125",
    "447700900126",
    "Robin Hood",
    "Robin+Hood",
    "1980-01-01",
)


def _trust_ed_pages() -> str:
    """A Trust Ed page report whose page paths are payloads, in every spelling."""
    rows = [
        ("Page", "Pageviews", "Unique Pageviews"),
        (f"/news/{payload('page path')}", 120, 100),
        (payload("page title"), 80, 70),
        ("/advice/knives?q=<script>alert('query')</script>", 30, 25),
        ("<img src=x onerror=alert(document.domain)>", 20, 15),
        *((path, 1, 1) for path in PERSONAL_PATHS),
        ("", 250 + len(PERSONAL_PATHS), 210 + len(PERSONAL_PATHS)),
    ]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return TRUST_ED_PREAMBLE + out.getvalue()


def payload_exports(exports: Path) -> None:
    """Write small synthetic exports of 2015 into ``exports``, with payloads in their text."""
    generate(exports, years=1, accounts=4, tweets=400, seed=5, end_year=2015)
    for path in exports.glob("twitter/tweet_activity_metrics_*.csv"):
        _rewrite(path, {"Tweet permalink": "tweet link", "Tweet text": "tweet text"})
    for path in exports.glob("meta/*.csv"):
        columns = ("Page name", "Title", "Description", "Permalink", "Post type")
        _rewrite(path, {c: f"meta {c.lower()}" for c in columns})
    for path in exports.glob("youtube/*/Table data.csv"):
        _rewrite(path, {"Content": "video", "Video title": "video title"}, frozenset({"Total"}))
    for path in exports.glob("website/*.csv"):
        _device_categories(path)
    for path in exports.glob("itk/*.csv"):
        columns = ("First Name", "Surname", "Email Address", "Telephone", "Address Line 1")
        _rewrite(path, {c: f"member {c.lower()}" for c in columns})
        text = path.read_text(encoding="utf-8").replace(",Blackpool,", f',"{payload("area")}",')
        path.write_text(text, encoding="utf-8")
    page = next(exports.glob("facebook/*acct01*.csv"))
    page.rename(page.with_name(page.name.replace("SYNTHETIC acct01", payload("page name"))))
    (exports / "trustedtoknow").mkdir()
    pages = exports / "trustedtoknow" / "Analytics Trust Ed Pages 20151101-20151115.csv"
    pages.write_text(_trust_ed_pages(), encoding="utf-8")
    mapping = yaml.safe_load((exports / "accounts.yml").read_text(encoding="utf-8"))
    mapping["member_exports"][0]["areas"][payload("area")] = "West"
    mapping.setdefault("files", []).append(
        {"path": "trustedtoknow/*", "account": "trustedtoknow.co.uk", "channel": "trusted2know"}
    )
    (exports / "accounts.yml").write_text(
        yaml.safe_dump(mapping, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
