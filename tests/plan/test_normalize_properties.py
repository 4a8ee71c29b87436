"""Property tests: a number written the ways clerks write it parses back; fiscal years round-trip."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from addin.fiscal import format_fiscal_year, parse_fiscal_year
from addin.normalize import parse_amount_thousand_yen, parse_number, parse_percent

_FULL = str.maketrans("0123456789,.%-", "０１２３４５６７８９，．％－")


def full_width(text: str) -> str:
    return text.translate(_FULL)


def kanji_units(n: int) -> str:
    """12345678 -> '1234万5678'; 150000000 -> '1億5000万'."""
    oku, rest = divmod(n, 10**8)
    man, one = divmod(rest, 10**4)
    text = (f"{oku}億" if oku else "") + (f"{man}万" if man else "") + (str(one) if one else "")
    return text or "0"


numbers = st.integers(min_value=0, max_value=10**12)


@given(numbers, st.sampled_from(["plain", "comma", "full", "full_comma", "kanji", "kanji_full"]))
def test_a_number_written_any_way_parses_back(n, style):
    text = {"plain": str(n), "comma": f"{n:,}", "full": full_width(str(n)), "full_comma": full_width(f"{n:,}"),
            "kanji": kanji_units(n), "kanji_full": full_width(kanji_units(n))}[style]
    assert parse_number(text) == n


@given(st.integers(min_value=1, max_value=10**9), st.sampled_from(["△", "▲", "-", "－"]))
def test_a_negative_mark_gives_a_negative_number(n, mark):
    assert parse_number(f"{mark}{n:,}") == -n


@given(numbers)
def test_amounts_in_yen_units_become_thousands(n):
    assert parse_amount_thousand_yen(f"{n:,}千円") == n
    assert parse_amount_thousand_yen(f"{kanji_units(n * 1000)}円") == n
    assert parse_amount_thousand_yen(full_width(f"{n:,}")) == n


@given(st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=9))
def test_percents_written_any_way(whole, tenth):
    value = whole + tenth / 10
    text = f"{whole}.{tenth}"
    assert parse_percent(f"{text}%") == parse_percent(full_width(text) + "％") == parse_percent(float(text))
    assert abs(parse_percent(float(text) / 100, "0.0%") - value) < 1e-6


@given(st.integers(min_value=2019, max_value=2117))
def test_fiscal_years_round_trip(year):
    reiwa = year - 2018
    spellings = [format_fiscal_year(year), f"令和{reiwa}年度", str(year), f"{year}年度", full_width(f"R{reiwa}").replace("R", "Ｒ")]
    assert {parse_fiscal_year(s) for s in spellings} == {year}
