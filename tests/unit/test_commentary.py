"""Analysts' commentary: the embedded files, every failure, and text kept as written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import config
from helpers.errors import DataError
from helpers.ingest.commentary import (
    FIGURE_COLUMNS,
    PART_COLUMNS,
    PERIOD_COLUMNS,
    read_commentary,
    read_commentary_file,
)
from helpers.ingest.commentary_text import PAGES, placeholders, undeclared_numbers
from helpers.ingest.report import read_report_tables
from helpers.measures.quality import DIFFERS, OK, QUOTED, commentary_checks
from helpers.tidy.commentary import Commentary, fill_figures
from helpers.tidy.dataset import load_commentary

COMMENTARY = config.RAW_DIR / "commentary"


@pytest.fixture(scope="module")
def embedded():
    return load_commentary()


# --- the embedded 2015 commentary --------------------------------------------------


def test_embedded_commentary_shape(embedded):
    assert list(embedded.parts.columns) == PART_COLUMNS
    assert list(embedded.figures.columns) == FIGURE_COLUMNS
    assert list(embedded.periods.columns) == PERIOD_COLUMNS
    assert list(embedded.periods["period"]) == ["2015-11"]
    assert set(embedded.parts["page"]) <= set(PAGES)
    assert not embedded.parts.duplicated(["period", "page", "part"]).any()
    assert not embedded.figures.duplicated(["period", "figure"]).any()
    # each part's order counts 1, 2, ... within its page
    for _, group in embedded.parts.groupby(["period", "page"]):
        assert list(group["order"]) == list(range(1, len(group) + 1))


def test_embedded_sources_point_at_the_heading_and_declaration_lines(embedded):
    for frame, pattern in ((embedded.parts, r"^#+ "), (embedded.figures, r"^  [a-z0-9_]+:$")):
        for source in frame["source"]:
            relpath, line = source.rsplit(":", 1)
            text = (config.RAW_DIR / relpath).read_text(encoding="utf-8").split("\n")
            assert re.match(pattern, text[int(line) - 1]), source


def test_embedded_decision_and_parts(embedded):
    paper = embedded.for_period("2015-11")
    assert paper.decision("2015-11") == "The Commissioner is requested to note the report."
    assert paper.issued("2015-11") == "2015-11-18"
    assert paper.contact("2015-11") == "Media and Communications, Lancashire Constabulary"
    assert embedded.decision("2015-10") == "" and embedded.issued("2015-10") == ""
    social = paper.parts[paper.parts["page"] == "social"]
    assert list(social["part"]) == [
        "Highlights",
        "Operational examples",
        "Developments and next steps",
    ]
    overview = paper.parts[paper.parts["page"] == "overview"].set_index("part")
    assert list(overview.index) == ["How we engage", "Developments and next steps"]
    assert "Behind Bars" in " ".join(overview.loc["How we engage", "markdown"].split())
    assert "March 2016" in overview.loc["Developments and next steps", "markdown"]


def test_the_paper_s_closing_parts_in_the_report_s_order_and_only_those_written(embedded):
    parts = embedded.paper_parts("2015-11")
    assert [title for title, _ in parts] == [
        "Implications",
        "Links to the Police & Crime Plan",
        "Reasons why restricted",
        "Background documents",
        "Contact for further information",
    ]
    assert parts[0][1] == "There are no implications."
    assert parts[-1][1] == embedded.contact("2015-11")
    assert embedded.paper_parts("2015-10") == []


def test_a_paper_leaves_out_a_closing_part_the_analyst_did_not_write(tmp_path: Path) -> None:
    folder = tmp_path / "commentary"
    folder.mkdir()
    (folder / "2015-12.md").write_text(
        "---\nperiod: 2015-12\nimplications: None for the budget.\n---\n# social\n\nText.\n",
        encoding="utf-8",
    )
    paper = Commentary.from_frames(read_commentary(folder))
    assert paper.paper_parts("2015-12") == [("Implications", "None for the budget.")]


def test_numbers_in_a_closing_part_are_written_in_words(tmp_path: Path) -> None:
    folder = tmp_path / "commentary"
    folder.mkdir()
    (folder / "2015-12.md").write_text(
        "---\nperiod: 2015-12\nbackground: See the 3 reports.\n---\n# social\n\nText.\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="numbers in the background text written in words"):
        read_commentary(folder)


def test_undated_figures_are_reported_on_a_day_not_given_a_window(embedded):
    figures = embedded.figures.set_index("figure")
    undated = figures[~figures["dated"]]
    assert {"cse_reach", "alpacas_video_views", "itk_officers_trained", "pc_applications"} <= set(
        undated.index
    )
    assert (undated["start"] == undated["end"]).all()
    assert (undated["end"] == pd.Timestamp("2015-11-18")).all()
    assert bool(figures.loc["m6_post_reach", "dated"])
    assert figures.loc["m6_post_reach", "start"] == pd.Timestamp("2015-11-01")


def test_every_placeholder_is_declared_and_every_figure_used(embedded):
    for period, parts in embedded.parts.groupby("period"):
        used = {fid for md in parts["markdown"] for fid in placeholders(md)}
        declared = set(embedded.figures.loc[embedded.figures["period"] == period, "figure"])
        assert used == declared


def test_embedded_figures_are_quoted_not_checked(embedded):
    """The commentary and the report tables transcribe the same report: no check."""
    tidy = read_report_tables(config.REPORT_DIR)
    checks = commentary_checks(tidy, embedded.figures)
    assert len(checks) == len(embedded.figures)
    assert (checks["status"] == QUOTED).all(), checks[checks["status"] != QUOTED]


def test_a_figure_with_an_independent_source_is_checked(embedded):
    tidy = read_report_tables(config.REPORT_DIR)
    figure = embedded.figures[embedded.figures["figure"] == "instagram_followers"]
    export = tidy[(tidy["channel"] == "instagram") & (tidy["metric"] == "followers")].copy()
    export["source"] = "exports/instagram/overview.csv:2:3"
    others = tidy.drop(export.index)
    assert commentary_checks(pd.concat([others, export]), figure)["status"].tolist() == [OK]
    export["value"] = 640.0
    assert commentary_checks(pd.concat([others, export]), figure)["status"].tolist() == [DIFFERS]


def test_embedded_qualifiers_are_the_reports(embedded):
    qualifier = embedded.figures.set_index("figure")["qualifier"]
    assert qualifier["morecambe_qa_reach"] == "nearly"
    assert qualifier["copcast_views"] == "more than"
    # the report gives the CSE figures with no qualifier
    assert qualifier[["cse_reach", "cse_link_clicks", "cse_shares"]].eq("").all()


def test_load_commentary_honours_the_data_folder(tmp_path):
    assert load_commentary(tmp_path).parts.empty
    shutil.copytree(COMMENTARY, tmp_path / "raw" / "commentary")
    assert len(load_commentary(tmp_path).parts) == len(read_commentary(COMMENTARY).parts)


# --- failures: one error naming file and line ----------------------------------------


@pytest.fixture
def raw(tmp_path) -> Path:
    target = tmp_path / "raw"
    shutil.copytree(COMMENTARY, target / "commentary")
    return target


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th line containing ``needle``."""
    hits = [i for i, line in enumerate(path.read_text().split("\n"), 1) if needle in line]
    return hits[occurrence - 1]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


NOV = "2015-11.md"
OCT = NOV  # one paper: every case edits the same file

# file, old text, new text, (text on the line the error names, which occurrence), words
FAILURES = [
    (OCT, "# social\n", "# socials\n", ("# socials", 1), "a page heading, one of"),
    (OCT, "    metric: reach\n", "    metric: reaches\n", ("metric: reaches", 1), "the metrics"),
    (OCT, "channel: facebook\n", "channel: myspace\n", ("myspace", 1), "one of the channels"),
    (
        OCT,
        "Examples from the period:",
        "Examples from the {{period_examples}}:",
        ("{{period_examples}}", 1),
        "a declaration of figure 'period_examples' under figures:",
    ),
    (
        OCT,
        "{{cse_shares}} retweets",
        "many retweets",
        ("  cse_shares:", 1),
        "figure 'cse_shares' to be used in the text as {{cse_shares}}",
    ),
    (OCT, "end: 2015-11-18\n", "end: 2015-11-31\n", ("2015-11-31", 1), "a date YYYY-MM-DD"),
    (OCT, "start: 2015-11-01\n", "start: 1/11/2015\n", ("1/11/2015", 1), "a date YYYY-MM-DD"),
    (OCT, "end: 2015-11-18\n", "end: 2015-10-01\n", ("2015-10-01", 1), "on or after the start"),
    (OCT, "period: 2015-11\n", "period: 2015-09\n", ("period:", 1), "as in the file name"),
    (OCT, "period: 2015-11\n", "period: October\n", ("period:", 1), "period: YYYY-MM"),
    (OCT, "value: 6000\n", "value: six thousand\n", ("six thousand", 1), "a number"),
    (OCT, "value: 6000\n", "value: -6000\n", ("-6000", 1), "zero or more"),
    (OCT, "qualifier: nearly\n", "qualifier: nearly 6\n", ("nearly 6", 1), "without digits"),
    (
        OCT,
        "qualifier: nearly\n",
        "qualifier: nearly\n    unit: percent\n",
        ("unit: percent", 1),
        "count, the unit of reach",
    ),
    (OCT, "qualifier: nearly\n", "qualifier: nearly\n    colour: red\n", ("colour", 1), "fields"),
    (
        OCT,
        "decision:",
        "decisions:",
        ("decisions:", 1),
        "only the keys period, issued, decision, contact, implications, plan, restricted, "
        "background, figures",
    ),
    (OCT, "    metric: comments\n", "", ("  morecambe_qa_comments:", 1), "a line 'metric:'"),
    (
        OCT,
        "  morecambe_qa_comments:",
        "  morecambe_qa_reach:",
        ("  morecambe_qa_reach:", 2),
        "each key once in figures (first on line 14)",
    ),
    (OCT, "  cse_reach:\n", "  CSE-reach:\n", ("CSE-reach", 1), "a figure id of lower-case"),
    (OCT, "---\n# overview", "---\nA stray line.\n# overview", ("A stray", 1), "a page heading"),
    (OCT, "---\n# overview", "---\n## Intro\n\nText.\n# overview", ("## Intro", 1), "page heading"),
    (OCT, "# website\n", "# social\n", ("# social", 2), "each page heading once (# social is"),
    (
        OCT,
        "## Operational examples\n",
        "## Highlights\n",
        ("## Highlights", 2),
        "each part once per page (## Highlights is first on line",
    ),
    (
        OCT,
        "# trusted2know\n\n## Developments",
        "# trusted2know\n\n## Empty\n\n## Developments",
        ("## Empty", 1),
        "text under ## Empty (write it, or remove the heading)",
    ),
    (
        OCT,
        "## Operational examples\n",
        "## Operational examples {{cse_reach}}\n",
        ("## Operational", 1),
        "no figure placeholder in a heading",
    ),
    (
        OCT,
        "{{cse_shares}} retweets",
        "{{cse_shares}} {{ Bad-Id }} retweets",
        ("Bad-Id", 1),
        "placeholders written {{figure_id}}",
    ),
    (OCT, "the next three months", "the next 3 months", ("next 3 months", 1), "declared figure"),
    (OCT, "A twenty-one-year-old", "A 21-year-old", ("21-year-old", 1), "written in words"),
    (OCT, "Extend round-the-clock", "Extend 24/7", ("Extend 24/7", 1), "declared figure"),
    (NOV, "a three-minute", "a 3-minute", ("3-minute", 1), "declared figure"),
    (NOV, "start: 2015-11-18\n", "start: 2015-11-31\n", ("2015-11-31", 1), "a date YYYY-MM-DD"),
    # the paper's date of issue, and figures dated against it
    (NOV, "issued: 2015-11-18\n", "issued: 18/11/2015\n", ("issued:", 1), "issued: the date"),
    (NOV, "issued: 2015-11-18\n", "issued: 2015-10-30\n", ("issued:", 1), "on or after the first"),
    (
        NOV,
        "issued: 2015-11-18\n",
        "issued: 2015-11-17\n",
        ("reported: 2015-11-18", 1),
        "dated on or before the date of issue (2015-11-17)",
    ),
    (
        NOV,
        "    reported: 2015-11-18\n    value: 6000\n",
        "    reported: 2015-11-18\n    start: 2015-11-01\n    value: 6000\n",
        ("reported: 2015-11-18", 1),
        "either start: (and end:) for a dated figure, or reported:",
    ),
    (
        NOV,
        "    reported: 2015-11-18\n    value: 6000\n",
        "    value: 6000\n",
        ("  morecambe_qa_reach:", 1),
        "a line 'start:' (the first day the figure covers), or 'reported:'",
    ),
    (
        NOV,
        "contact: Media and Communications, Lancashire Constabulary\n",
        "contact: |\n  Media and Communications\n  Lancashire Constabulary\n",
        ("contact:", 1),
        "one line of text after contact:",
    ),
    (
        OCT,
        "decision: The Commissioner is requested to note the report.\n",
        "decision: |\n  The Commissioner is requested\n  to note the report.\n",
        ("decision:", 1),
        "one line of text after decision: (it runs over 2 lines",
    ),
    (
        OCT,
        "decision: The Commissioner is requested to note the report.\n",
        "decision: The Commissioner is requested to note the 3 reports.\n",
        ("decision:", 1),
        "numbers in the decision text written in words",
    ),
    (
        OCT,
        "## Operational examples\n",
        "## Operational examples\n\n![map](https://maps.example/tile.png)\n",
        ("![map]", 1),
        "no images from the web",
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "where", "expected"),
    FAILURES,
    ids=[f"{f[0][:7]}-{f[4][:30]}" for f in FAILURES],
)
def test_bad_commentary_names_file_line_and_what_to_do(raw, name, old, new, where, expected):
    path = raw / "commentary" / name
    edit(path, old, new)
    with pytest.raises(DataError) as caught:
        read_commentary(raw / "commentary")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path.as_posix()}, line {line_of(path, *where)}:"), message
    assert f"expected {expected}" in message or expected in message, message


def test_a_huge_commentary_is_refused_for_its_size_not_blamed_on_charts(raw):
    path = raw / "commentary" / OCT
    path.write_text(path.read_text() + "\nWords words words.\n" * 300_000, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_commentary(raw / "commentary")
    assert str(caught.value).startswith(f"{path.as_posix()}: expected a commentary of at most")
    assert "MB" in str(caught.value) and "chart" not in str(caught.value)


def test_broken_yaml_names_the_file_and_a_line(raw):
    path = raw / "commentary" / OCT
    edit(path, "    value: 40\n", "    value: [40\n")
    with pytest.raises(DataError, match=r"2015-11\.md, line \d+: expected valid YAML"):
        read_commentary(raw / "commentary")


@pytest.mark.parametrize("name", ["October.md", "2015-10-draft.md", "2015-13.md"])
def test_file_names_must_be_periods(raw, name):
    shutil.copy(raw / "commentary" / OCT, raw / "commentary" / name)
    with pytest.raises(DataError, match=re.escape(name) + ": expected a file name YYYY-MM.md"):
        read_commentary(raw / "commentary")


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("# social\n## Highlights\nText.\n", 1, "front matter at the top"),
        ("---\nperiod: 2015-10\n# social\n", 1, "no closing '---' found"),
        ("---\n- a\n- list\n---\n# social\n", 2, "front matter of 'key: value' lines"),
        ("---\ndecision: Note.\n---\n", 2, "a line 'period: YYYY-MM'"),
        ("---\nperiod: 2015-10\nfigures: [a]\n---\n", 3, "one indented block per figure"),
        ("---\nperiod: 2015-10\nfigures:\n  a: 5\n---\n", 4, "an indented block of fields"),
    ],
)
def test_front_matter_problems(tmp_path, text, line, expected):
    path = tmp_path / "2015-10.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=f"line {line}: expected .*{re.escape(expected)}"):
        read_commentary_file(path)


def test_not_utf8(tmp_path):
    path = tmp_path / "2015-10.md"
    path.write_bytes(b"---\nperiod: 2015-10\n---\n# social\n\xff\n")
    with pytest.raises(DataError, match="expected UTF-8 text"):
        read_commentary_file(path)


def test_minimal_file_and_defaults(tmp_path):
    path = tmp_path / "2015-12.md"
    path.write_text(
        "---\nperiod: 2015-12\nfigures:\n  likes:\n    channel: facebook\n"
        "    account: West Division\n    metric: page_likes\n    start: 2015-12-31\n"
        '    value: "1,234"\n---\n# overview\n\nIntro {{ likes }} on 31 December.\n\n'
        "## Highlights\n\n### A lower heading\n\nKept.\n",
        encoding="utf-8",
    )
    result = Commentary.from_frames(read_commentary_file(path))
    fig = result.figures.iloc[0]
    assert (fig["account"], fig["segment"], fig["qualifier"], fig["unit"]) == (
        "West",
        "",
        "",
        "count",
    )
    assert fig["value"] == 1234 and fig["start"] == fig["end"] == pd.Timestamp("2015-12-31")
    assert fig["source"] == "commentary/2015-12.md:4"
    assert list(result.parts["part"]) == ["", "Highlights"]
    assert list(result.parts["source"]) == ["commentary/2015-12.md:11", "commentary/2015-12.md:15"]
    assert result.parts["markdown"].tolist() == [
        "Intro {{ likes }} on 31 December.",
        "### A lower heading\n\nKept.",
    ]
    assert result.decision("2015-12") == ""


def test_headings_in_code_and_quotes_are_text(tmp_path):
    body = "```\n# not a page\n```\n\n> # quoted\n\n- # in a list"
    path = tmp_path / "2015-10.md"
    path.write_text(f"---\nperiod: 2015-10\n---\n# itk\n## Notes\n{body}\n", encoding="utf-8")
    assert read_commentary_file(path).parts["markdown"].tolist() == [body]


# --- text kept as written ------------------------------------------------------------


def _safe_line(line: str) -> bool:
    """Lines that cannot end the part: no heading marks, setext underlines or braces."""
    return not line.lstrip().startswith("#") and not re.match(r"^\s*[=-]+\s*$", line)


# Markdown that could fool a line-based reader: fences, quotes, lists, code, HTML.
MARKDOWN_LINES = st.sampled_from(
    [
        "```",
        "~~~",
        "> # quoted heading",
        "- # listed heading",
        "    # indented code",
        "<div>",
        "<!--",
        "***",
        "* item",
        "Setext?",
        "| a | b |",
        "[ref]: /url",
        "\\# escaped",
        "  ",
        "",
    ]
)
BODY_LINES = st.lists(
    st.one_of(
        st.text(
            st.characters(blacklist_categories=("Cs", "Nd"), blacklist_characters="\n\r{}"),
            max_size=40,
        ).filter(_safe_line),
        MARKDOWN_LINES,
    ),
    min_size=1,
    max_size=8,
).filter(lambda lines: lines[0].strip() != "" and lines[-1].strip() != "")


@settings(max_examples=150, deadline=None)
@given(lines=BODY_LINES)
def test_part_text_round_trips_unchanged(tmp_path_factory, lines):
    body = "\n".join(lines)
    path = tmp_path_factory.mktemp("c") / "2015-10.md"
    path.write_text(
        f"---\nperiod: 2015-10\n---\n# social\n\n## Highlights\n\n{body}\n\n", encoding="utf-8"
    )
    parts = read_commentary_file(path).parts
    assert parts["markdown"].tolist() == [body]


# --- numbers in the text -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "On 18 November 2015 and in March 2016.",
        "Since 1 Sept, the 7th October, November 18 and 2015-11-18.",
        "The M6 and code E06000009 and a [link](https://example.org/a1/2).",
        "Reached {{reach}} people.",
        "1. first item\n2. second item",
        "Three, twenty-one, ten weeks.",
    ],
)
def test_dates_years_names_and_placeholders_are_not_numbers(text):
    assert undeclared_numbers(text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("A 21-year-old man", [(0, "21")]),
        ("line\nover 1,300 people", [(1, "1,300")]),
        ("24/7 monitoring", [(0, "24"), (0, "7")]),
        ("on 7/10 about", [(0, "7"), (0, "10")]),
        ("`code 42`", [(0, "42")]),
        ("```\nfence 5\n```", [(1, "5")]),
        ("grew 4.5%", [(0, "4.5")]),
        ("32 November", [(0, "32")]),
        ("the year 2150", [(0, "2150")]),
    ],
)
def test_numbers_in_digits_are_found(text, found):
    assert undeclared_numbers(text) == found


# --- filling placeholders ------------------------------------------------------------

FIGURES = pd.DataFrame(
    {
        "figure": ["reach", "views"],
        "value": [6000.0, 1300.0],
        "qualifier": ["nearly", "more than"],
        "unit": ["count", "count"],
    }
)


def fmt(row: pd.Series) -> str:
    return f"{row['qualifier']} {row['value']:,.0f}".strip()


def test_fill_figures_uses_the_formatter():
    text = "Reached {{reach}} people; {{ views }} views; {{reach}} again."
    assert fill_figures(text, FIGURES, fmt) == (
        "Reached nearly 6,000 people; more than 1,300 views; nearly 6,000 again."
    )


def test_fill_figures_leaves_other_text_alone():
    text = "No placeholders here: *emphasis*, {braces} and 7 October."
    assert fill_figures(text, FIGURES, fmt) == text


def test_fill_figures_refuses_unknown_and_ambiguous_ids():
    with pytest.raises(ValueError, match="no figure 'clicks'"):
        fill_figures("{{clicks}}", FIGURES, fmt)
    with pytest.raises(ValueError, match="'reach' appears more than once"):
        fill_figures("{{reach}}", pd.concat([FIGURES, FIGURES]), fmt)


def test_fill_figures_on_the_embedded_commentary(embedded):
    month = embedded.for_period("2015-11")
    filled = [fill_figures(md, month.figures, fmt) for md in month.parts["markdown"]]
    assert all("{{" not in text for text in filled)
    assert any("651 followers" in text for text in filled)
