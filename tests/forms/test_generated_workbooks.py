"""The real generator's workbooks: clean when filled, codes where spoiled.

Addresses are looked up by header and 項目ID, so the generator may lay out
columns and rows as it likes.
"""

from __future__ import annotations

import pytest
from standin import address, fill

from addin.forms import generate
from addin.forms import layout as T
from addin.validation.validate import validate_file

YEAR = 2026


def build(plan, department):
    return fill(generate.build_department_workbook(plan, department, YEAR))


def test_every_department_filled_plainly_is_clean(plan, tmp_path):
    for department in plan.departments:
        path = tmp_path / T.workbook_name("R8", department)
        build(plan, department).save(path)
        result = validate_file(path, plan, YEAR)
        assert (department, result.status, result.issues) == (department, "ok", [])


@pytest.mark.parametrize("header,value,code", [("自己評価", "D", "invalid_choice"), ("取組状況", None, "required"),
                                               ("効果額（千円）", "たくさん", "not_a_number")])
def test_spoiled_cells_are_found(plan, tmp_path, header, value, code):
    wb = build(plan, "財政課")
    cell = address(wb, T.INPUT_SHEET, "1-(3)-2", header)
    wb[T.INPUT_SHEET][cell] = value
    wb.save(tmp_path / "R8_財政課.xlsx")
    result = validate_file(tmp_path / "R8_財政課.xlsx", plan, YEAR)
    assert [(i.code, i.sheet, i.cell, i.item_id) for i in result.issues] == [(code, T.INPUT_SHEET, cell, "1-(3)-2")]
