"""Each vocabulary is defined once (addin.vocab): the schemas, the normalizers, the form and the reports agree."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from addin import vocab
from addin.fiscal import format_fiscal_year_long, parse_fiscal_year
from addin.forms import layout as T
from addin.forms.generate import build_department_workbook
from addin.normalize import NotAChoice, parse_choice, parse_grade, parse_percent


def _schema(name: str) -> dict:
    return json.loads(resources.files("addin.schemas").joinpath(name).read_text(encoding="utf-8"))


def test_schema_enums_are_the_vocabulary():
    props = _schema("entry_row.schema.json")["properties"]
    assert tuple(props["grade"]["enum"]) == vocab.GRADES
    assert tuple(props["progress"]["enum"]) == vocab.PROGRESS


def _list_of(ws, header: str) -> list[str]:
    col = [c.value for c in ws[T.HEADER_ROW]].index(header) + 1
    letter = ws.cell(T.HEADER_ROW, col).column_letter
    for dv in ws.data_validations.dataValidation:
        if any(letter in str(r) for r in dv.sqref.ranges):
            return dv.formula1.strip('"').split(",")
    raise AssertionError(f"no list on {header}")


def test_the_forms_dropdowns_offer_the_vocabulary(plan):
    ws = build_department_workbook(plan, plan.departments[0], 2026)[T.INPUT_SHEET]
    assert tuple(_list_of(ws, "自己評価")) == vocab.GRADES
    assert tuple(_list_of(ws, "進捗")) == vocab.PROGRESS


def test_the_normalizers_accept_every_word_and_nothing_else():
    assert [parse_grade(g) for g in vocab.GRADES] == list(vocab.GRADES)
    assert [parse_choice(p) for p in vocab.PROGRESS] == list(vocab.PROGRESS)
    assert {parse_choice(typed) for typed in vocab.PROGRESS_SYNONYMS} <= set(vocab.PROGRESS)
    assert set(vocab.PROGRESS_ATTENTION) == set(vocab.PROGRESS)
    assert set(vocab.GRADE_RANK) == set(vocab.GRADES) - {"-"}
    with pytest.raises(NotAChoice):
        parse_grade("D")
    for unit in vocab.PERCENT_SUFFIXES:
        assert parse_percent(f"26{unit}") == 26


def test_the_guide_explains_every_grade_and_progress_value(plan):
    ws = build_department_workbook(plan, plan.departments[0], 2026)[T.GUIDE_SHEET]
    explained = {str(c.value).strip() for row in ws.iter_rows() for c in row if c.value is not None}
    assert set(vocab.GRADES) <= explained and set(vocab.PROGRESS) <= explained


@pytest.mark.parametrize("year,long", [(2019, "令和元年度"), (2026, "令和8年度"), (2018, "平成30年度")])
def test_era_names_are_one_spelling(year, long):
    assert format_fiscal_year_long(year) == long
    assert parse_fiscal_year(long) == year
