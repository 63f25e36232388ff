"""Links safe by construction: the scheme allow-list and text from exports kept plain."""

from __future__ import annotations

import pytest
from nbconvert.filters import markdown2html

from helpers.briefing.links import is_safe_url, link_scheme, neutralize_links, unsafe_links
from helpers.briefing.render import check_page
from helpers.briefing.run_errors import RunError
from helpers.present import narrative

#: OWASP XSS filter-evasion vectors that apply to a link target.
HOSTILE_URLS = [
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(document.domain)",
    " javascript:alert(1)",
    "\x01javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java&#x09;script:alert(1)",
    "java&Tab;script&colon;alert(1)",
    "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
    "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)",
    "&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "VbScRiPt:msgbox(1)",
    "file:///etc/passwd",
]
SAFE_URLS = [
    "https://example.org/x",
    "HTTP://example.org",
    "mailto:a@b.example",
    "#part",
    "social.html",
    "../index.html",
    "",
]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_hostile_schemes_are_refused(url):
    assert not is_safe_url(url)
    assert link_scheme(url) in {"javascript", "data", "vbscript", "file"}


@pytest.mark.parametrize("url", SAFE_URLS)
def test_allowed_links_pass(url):
    assert is_safe_url(url)


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_a_page_keeps_no_hostile_link(url):
    import html

    page = (
        f'<p>before <a class="x" href="{html.escape(url)}">click me</a> '
        f'<a href="#top">top</a> <area href="{html.escape(url)}"/></p>'
    )
    safe = neutralize_links(page)
    assert unsafe_links(safe) == []
    assert 'class="x" data-link-removed>click me</a>' in safe
    assert '<a href="#top">top</a>' in safe
    with pytest.raises(RunError, match="only https, http, mailto and in-page links"):
        check_page(page, "social.html")
    check_page(safe, "social.html")


@pytest.mark.parametrize(
    "commentary",
    [
        "[click me](javascript:alert(document.domain))",
        "[click me](JaVaScRiPt:alert(document.domain))",
        "[click me](java&Tab;script&colon;alert(document.domain))",
        "[click me]( javascript:alert(document.domain))",
        "[click me](data:text/html,hello)",
        "[click me](vbscript:msgbox(document.domain))",
        "[click me][ref]\n\n[ref]: javascript:alert(document.domain)",
    ],
)
def test_commentary_links_outside_the_allow_list_lose_their_target(commentary):
    rendered = markdown2html(narrative.escape_html(commentary))
    assert len(unsafe_links(rendered)) == 1  # Markdown made the link: there is one to remove
    safe = neutralize_links(rendered)
    assert unsafe_links(safe) == []
    assert "<a data-link-removed>click me</a>" in safe and "href" not in safe


def test_a_hostile_automatic_link_in_commentary_stays_text():
    import html

    rendered = markdown2html(narrative.escape_html("<javascript:alert(document.domain)>"))
    assert "<a" not in rendered  # never a link: the brackets are text
    assert "<javascript:alert(document.domain)>" in html.unescape(rendered)


@pytest.mark.parametrize(
    "name",
    [
        "[Lancs Police](javascript:alert(document.domain))",
        "Lancs Police https://evil.example/login",
        "www.evil.example",
        "<https://evil.example>",
        "![x](https://evil.example/pixel.png)",
        "*Lancs* _Police_ `code`",
        "# Lancs",
        "- Lancs",
    ],
)
def test_names_from_exports_are_never_markdown(name):
    md = narrative.markdown([f"{name} grew fastest."]).data
    rendered = markdown2html(md)
    for tag in ("<a", "<img", "<em", "<strong", "<code", "<h", "<ul", "<li"):
        assert tag not in rendered, (name, rendered)
    assert name.replace("<", "&lt;").replace(">", "&gt;") in rendered
    points = markdown2html(narrative.escape(name))
    assert "<a" not in points
