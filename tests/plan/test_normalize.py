"""SPEC's examples of what departments type, parsed to the same value."""

import pytest

from addin.normalize import (
    NotAChoice,
    NotANumber,
    parse_amount_thousand_yen,
    parse_choice,
    parse_grade,
    parse_number,
    parse_percent,
)


@pytest.mark.parametrize("text, expected", [
    ("1,234", 1234), ("１，２３４", 1234), ("1234千円", 1234), ("123万円", 1230), ("1億5千万円", 150000),
    ("2.5億円", 250000), ("△500", -500), ("500円", 0.5), (1234, 1234), (None, None), ("  ", None),
])
def test_amounts_in_thousand_yen(text, expected):
    assert parse_amount_thousand_yen(text) == expected


@pytest.mark.parametrize("text", ["abc", "12個", True, "1.2.3"])
def test_not_amounts(text):
    with pytest.raises(NotANumber):
        parse_amount_thousand_yen(text)


@pytest.mark.parametrize("value, fmt", [(26, None), ("26%", None), ("２６％", None), (0.26, "0%"), (0.26, "0.0%")])
def test_percent_kpis(value, fmt):
    assert parse_percent(value, fmt) == 26


@pytest.mark.parametrize("text, grade", [("A", "A"), ("Ａ", "A"), ("b", "B"), ("－", "-"), ("ー", "-"), (" C ", "C")])
def test_grades_in_either_width(text, grade):
    assert parse_grade(text) == grade


def test_bad_choices():
    with pytest.raises(NotAChoice):
        parse_grade("AB")
    with pytest.raises(NotAChoice):
        parse_choice("たぶん")
    assert parse_choice("予定通り") == "予定どおり"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_a_cell_holding_nan_or_infinity_is_not_a_number(value):
    # Excel cannot store these; a crafted file can, and no report or total could show them.
    with pytest.raises(NotANumber):
        parse_number(value)
    with pytest.raises(NotANumber):
        parse_amount_thousand_yen(value)
