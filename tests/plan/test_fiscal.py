import pytest
from hypothesis import given
from hypothesis import strategies as st

from addin.fiscal import FiscalYearError, format_fiscal_year, parse_fiscal_year


@pytest.mark.parametrize("text", ["R8", "Ｒ８", "令和8年度", "令和８年度", "2026", "2026年度", "２０２６年度", 2026, "r8", "R 8", "FY2026"])
def test_every_spelling_of_r8(text):
    assert parse_fiscal_year(text) == 2026


def test_gannen_and_heisei():
    assert parse_fiscal_year("令和元年度") == 2019
    assert parse_fiscal_year("H30") == 2018
    assert format_fiscal_year(2018) == "H30"


@pytest.mark.parametrize("bad", ["", "来年", "R", "2026年度末", None, True, "12345"])
def test_not_a_year(bad):
    with pytest.raises(FiscalYearError):
        parse_fiscal_year(bad)


@given(st.integers(min_value=2019, max_value=2117))
def test_format_then_parse(year):
    assert parse_fiscal_year(format_fiscal_year(year)) == year
