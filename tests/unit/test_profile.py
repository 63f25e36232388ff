"""The force profile raw/force.yml: read strictly, dated page texts, the embedded force's."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.errors import DataError
from helpers.ingest.profile import ForceProfile, parse_profile, read_profile
from helpers.tidy.dataset import load_profile

GOOD = """\
name: Eastmere Constabulary
divisions: [North, Central, South]
sites:
  website: eastmere.police.uk
pages:
  social:
    - text: "Facebook and X accounts."
    - from: 2026-03
      text: "Facebook, X and Instagram accounts."
"""


def test_a_profile_is_read_with_its_dated_texts():
    profile = parse_profile(Path("force.yml"), GOOD)
    assert profile.name == "Eastmere Constabulary"
    assert profile.divisions == ("North", "Central", "South")
    assert profile.site("website") == "eastmere.police.uk" and profile.site("trusted2know") == ""
    assert profile.description("social", "2026-02") == "Facebook and X accounts."
    assert profile.description("social", "2026-03") == "Facebook, X and Instagram accounts."
    assert profile.description("itk", "2026-03") == ""


def test_the_embedded_force_is_lancashire_and_knows_when_instagram_began():
    profile = load_profile()
    assert profile.name == "Lancashire Constabulary"
    assert profile.divisions == ("West", "South", "East")
    assert "Instagram" not in profile.description("social", "2015-06")
    assert "Instagram" in profile.description("social", "2015-09")
    assert profile.description("website", "2015-04") == ""  # the new site came in May 2015


def test_no_file_is_an_empty_profile(tmp_path):
    assert read_profile(tmp_path / "force.yml") == ForceProfile()


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("name: Eastmere", "nmae: Eastmere", 1, "only the keys name, divisions, sites, pages"),
        ("[North, Central, South]", "[North, North]", 2, "each division once"),
        ("  website: eastmere", "  webiste: eastmere", 4, "a channel ("),
        ("  social:", "  socail:", 6, "a page ("),
        ("    - from: 2026-03", "    - from: 2026-13", 8, "a month written YYYY-MM"),
        ('      text: "Facebook, X', '      txet: "Facebook, X', 9, "only the keys text, from"),
        (
            "name: Eastmere Constabulary\n",
            "name: Eastmere Constabulary\nname: Other\n",
            2,
            "each key once",
        ),
    ],
)
def test_a_mistake_is_refused_in_one_line_naming_the_line(old, new, line, words):
    with pytest.raises(DataError) as caught:
        parse_profile(Path("force.yml"), GOOD.replace(old, new, 1))
    message = str(caught.value)
    assert "\n" not in message and f"line {line}" in message and words in message, message
