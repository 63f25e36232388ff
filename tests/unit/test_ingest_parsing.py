"""Property-based and fuzz tests of the export parsing (numbers, dates, CSV round trips)."""

from __future__ import annotations

import random
import string
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.errors import DataError
from helpers.ingest.accounts import load_accounts
from helpers.ingest.cleaning import parse_number
from helpers.ingest.common import ExportFile
from helpers.ingest.exports import parse_file
from helpers.ingest.values import dates, numbers
from helpers.schema import validate_tidy

FIXTURES = Path(__file__).parents[1] / "fixtures" / "exports"
FILE = ExportFile(Path("x.csv"), "x.csv", "")


def _reference(text: str) -> float | None:
    try:
        value = parse_number(text)
    except ValueError:
        return "error"  # type: ignore[return-value]
    return value


cells = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.integers(0, 10**9).map(lambda n: f"{n:,}"),
    st.floats(0, 1e9, allow_nan=False).map(lambda x: f"{x:.2f}"),
    st.sampled_from(["", "-", "n/a", "(not set)", "6.49E+17", "1,16,9", "12a", " 1,234 ", "29.0"]),
    st.text(alphabet=string.digits + ",.-+ eE", max_size=8),
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(cells, min_size=1, max_size=20))
def test_numbers_agree_with_parse_number(values: list[str]) -> None:
    expected = [_reference(v) for v in values]
    lines = np.arange(2, len(values) + 2)
    if "error" in expected:
        with pytest.raises(DataError) as info:
            numbers(FILE, pd.Series(values, dtype=str), lines, "c")
        assert info.value.line == int(lines[expected.index("error")])
        return
    got = numbers(FILE, pd.Series(values, dtype=str), lines, "c")
    for value, want in zip(got, expected, strict=True):
        if want is None:
            assert np.isnan(value)
        else:
            assert value == pytest.approx(want)


@settings(max_examples=60, deadline=None)
@given(
    st.dates(
        min_value=pd.Timestamp("1990-01-01").date(), max_value=pd.Timestamp("2040-12-31").date()
    )
)
def test_dates_read_every_day_form(day) -> None:
    forms = {
        "%m/%d/%Y": f"{day.month}/{day.day}/{day.year}",
        "%Y%m%d": f"{day:%Y%m%d}",
        "%d/%m/%Y": f"{day:%d/%m/%Y}",
        "%b %d, %Y": f"{day:%b} {day.day}, {day.year}",
        "%Y-%m-%d": f"{day:%Y-%m-%d}",
    }
    for fmt, text in forms.items():
        got = dates(FILE, pd.Series([text], dtype=str), np.array([2]), "d", [fmt], example="x")
        assert got[0] == pd.Timestamp(day)


@pytest.mark.parametrize("text", ["31/02/2015", "2015091", "13/13/2015", "", "2015-9-1"])
def test_impossible_dates_are_rejected(text: str) -> None:
    with pytest.raises(DataError) as info:
        dates(
            FILE,
            pd.Series(["01/09/2015", text], dtype=str),
            np.array([2, 3]),
            "Date",
            ["%d/%m/%Y", "%Y%m%d", "%Y-%m-%d"],
            example="01/09/2015",
        )
    assert info.value.line == 3


def test_day_index_locale_settled_by_the_range() -> None:
    within = (pd.Timestamp("2015-05-01"), pd.Timestamp("2015-05-31"))
    us = dates(
        FILE,
        pd.Series(["5/1/15", "5/12/15"]),
        np.array([2, 3]),
        "Day Index",
        ["%m/%d/%y", "%d/%m/%Y"],
        within=within,
        example="x",
    )
    uk = dates(
        FILE,
        pd.Series(["01/05/2015", "12/05/2015"]),
        np.array([2, 3]),
        "Day Index",
        ["%m/%d/%y", "%d/%m/%Y"],
        within=within,
        example="x",
    )
    assert list(us) == list(uk) == [pd.Timestamp("2015-05-01"), pd.Timestamp("2015-05-12")]


daily = st.lists(
    st.tuples(st.integers(0, 50), st.integers(0, 10**7), st.integers(0, 10**5)),
    min_size=1,
    max_size=40,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(daily, st.booleans())
def test_twitter_daily_csv_round_trip(tmp_path: Path, rows: list, thousands: bool) -> None:
    days = pd.date_range("2016-03-01", periods=len(rows), freq="D")
    fmt = (lambda v: f"{v:,}") if thousands else (lambda v: f"{v}.0")
    lines = ['"Date","Tweets published","impressions","engagements","engagement rate"']
    for day, (tweets, impressions, engagements) in zip(days, rows, strict=True):
        lines.append(f'"{day:%Y-%m-%d}","{tweets}","{fmt(impressions)}","{fmt(engagements)}","0.1"')
    path = tmp_path / "daily_tweet_activity_metrics_acct_20160301_20160430_en.csv"
    path.write_text("\n".join(lines) + "\n")
    got = parse_file(path, path.name, load_accounts(tmp_path / "none.yml")).rows
    table = got.pivot(index="start", columns="metric", values="value")
    assert list(table.index) == list(days)
    assert table["tweets"].tolist() == [r[0] for r in rows]
    assert table["impressions"].tolist() == [r[1] for r in rows]
    assert table["engagements"].tolist() == [r[2] for r in rows]
    assert (got["account"] == "acct").all()


def _mutations(data: bytes, rng: random.Random) -> list[bytes]:
    out = []
    for _ in range(12):
        cut = rng.randrange(1, len(data))
        kind = rng.randrange(5)
        if kind == 0:
            out.append(data[:cut])  # truncated
        elif kind == 1:
            out.append(data[:cut] + bytes([rng.randrange(256)]) + data[cut:])  # inserted byte
        elif kind == 2:
            out.append(data[:cut] + data[cut + rng.randrange(1, 40) :])  # deleted run
        elif kind == 3:
            out.append(data[:cut] + rng.choice([b'"', b",", b"\n", b"\r\n", b"#"]) + data[cut:])
        else:
            lines = data.split(b"\n")
            rng.shuffle(lines)
            out.append(b"\n".join(lines))
    return out


@pytest.mark.parametrize(
    "relpath", sorted(p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*.csv"))
)
def test_fuzzed_fixtures_fail_only_with_data_error(relpath: str, tmp_path: Path) -> None:
    mapping = load_accounts(FIXTURES / "accounts.yml")
    rng = random.Random(relpath)
    data = (FIXTURES / relpath).read_bytes()
    target = tmp_path / relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    for mutated in _mutations(data, rng):
        target.write_bytes(mutated)
        try:
            parsed = parse_file(target, relpath, mapping)
            validate_tidy(parsed.rows)  # whatever parses is a valid tidy table
        except DataError as exc:
            assert target.name in str(exc) or "tidy" in str(exc)
