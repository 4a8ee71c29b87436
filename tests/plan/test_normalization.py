"""Item IDs and department names are keys: normalized (NFKC, trimmed) in the plan as in submissions.

Reproduces the defects: full-width item IDs in the plan made forms that could
never validate; ``1-(1)-1`` and ``１-(１)-１`` were two items; NFC and NFD
spellings (or ＤＸ and DX) of one department made two look-alike departments.
"""

from __future__ import annotations

import unicodedata

import openpyxl
import pytest

from addin.errors import PlanError
from addin.forms.fill import fill_department_workbook
from addin.forms.generate import generate_workbooks
from addin.normalize import normalize_id, normalize_name
from addin.plan.model import split_departments
from addin.plan.reader import read_plan
from addin.validation.validate import validate_file

FULL = str.maketrans("0123456789-()", "０１２３４５６７８９－（）")


@pytest.mark.parametrize("typed, key", [
    ("１-(１)-４", "1-(1)-4"), ("１－（１）－４", "1-(1)-4"), (" 1-(1)-4 ", "1-(1)-4"),
    ("1−(1)−4", "1-(1)-4"), ("1 - (1) - 4", "1-(1)-4"), ("", None), (None, None),
])
def test_item_id_keys(typed, key):
    assert normalize_id(typed) == key


def test_department_keys():
    nfd = unicodedata.normalize("NFD", "ガス水道課")
    assert nfd != "ガス水道課" and normalize_name(nfd) == "ガス水道課"
    assert normalize_name("ＤＸ推進課") == "DX推進課"
    assert split_departments("人事行政課（主）、ＤＸ推進課、DX推進課 関係課") == ("人事行政課", "DX推進課", "関係課")


def _edited_plan(plan_path, tmp_path, edit):
    wb = openpyxl.load_workbook(plan_path)
    edit(wb)
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    return path


def _column(ws, header):
    return next(c.column_letter for c in ws[1] if c.value == header)


def test_full_width_ids_in_the_plan_make_forms_that_validate(plan_path, tmp_path):
    def widen(wb):
        for sheet in ("計画", "KPI", "工程"):
            ws = wb[sheet]
            col = _column(ws, "項目ID")
            for row in range(2, ws.max_row + 1):
                cell = ws[f"{col}{row}"]
                if cell.value:
                    cell.value = str(cell.value).translate(FULL)
    path = _edited_plan(plan_path, tmp_path, widen)
    assert "１－（１）－１" in {c.value for c in openpyxl.load_workbook(path)["計画"]["A"]}
    plan = read_plan(path)
    assert plan.items[0].item_id == "1-(1)-1" and plan.kpis and plan.bars
    forms = generate_workbooks(plan, 2026, tmp_path / "forms")
    target = next(p for p in forms if p.name.endswith("_財政課.xlsx"))
    wb = openpyxl.load_workbook(target)
    entries = {item.item_id: {"取組状況": "実施した。", "自己評価": "B", "進捗": "予定どおり"}
               for item in plan.items_for("財政課")}
    kpis = {k.key: {"実績値": 1} for k in plan.kpis_led_by("財政課")}
    fill_department_workbook(wb, entries, kpis)
    wb.save(target)
    result = validate_file(target, plan, 2026)
    assert not result.errors, [i.message for i in result.errors]


def test_two_spellings_of_one_id_are_a_duplicate(plan_path, tmp_path):
    path = _edited_plan(plan_path, tmp_path, lambda wb: wb["計画"].__setitem__("A3", "１－（１）－１"))
    with pytest.raises(PlanError) as info:
        read_plan(path)
    [problem] = [p for p in info.value.problems if (p.sheet, p.cell) == ("計画", "A3")]
    assert "重複" in problem.message and "「1-(1)-1」と同じ" in problem.message


def test_nfd_and_full_width_departments_are_one_department(plan_path, tmp_path, plan):
    """One consistent other spelling (NFD, full-width letters) is read as the same department: one workbook each."""
    def respell(wb):
        ws = wb["計画"]
        col = _column(ws, "実施担当")
        for row in range(2, ws.max_row + 1):
            cell = ws[f"{col}{row}"]
            if cell.value:
                cell.value = unicodedata.normalize("NFD", str(cell.value)).replace("DX", "ＤＸ")
    edited = read_plan(_edited_plan(plan_path, tmp_path, respell))
    assert edited.departments == plan.departments
    forms = generate_workbooks(edited, 2026, tmp_path / "forms")
    assert len(forms) == len(plan.departments)


def test_one_department_spelled_two_ways_is_a_plan_problem_with_both_cells(plan_path, tmp_path):
    """財政課（主） in one row and 財政課 in another, ＤＸ推進課 beside DX推進課: the plan is made consistent first."""
    cells = {}

    def respell(wb):
        ws = wb["計画"]
        col = _column(ws, "実施担当")
        rows = [r for r in range(2, ws.max_row + 1) if "財政課" in str(ws[f"{col}{r}"].value or "")]
        dx_rows = [r for r in range(2, ws.max_row + 1) if "DX推進課" in str(ws[f"{col}{r}"].value or "")]
        ws[f"{col}{rows[1]}"] = str(ws[f"{col}{rows[1]}"].value).replace("財政課", "財政課（主）")
        ws[f"{col}{dx_rows[1]}"] = str(ws[f"{col}{dx_rows[1]}"].value).replace("DX推進課", "ＤＸ推進課")
        cells.update(first=f"{col}{rows[0]}", later=f"{col}{rows[1]}", dx_first=f"{col}{dx_rows[0]}",
                     dx_later=f"{col}{dx_rows[1]}")
    path = _edited_plan(plan_path, tmp_path, respell)
    with pytest.raises(PlanError) as info:
        read_plan(path)
    by_cell = {p.cell: p.message for p in info.value.problems}
    assert set(by_cell) == {cells["later"], cells["dx_later"]}
    assert "財政課（主）" in by_cell[cells["later"]] and cells["first"] in by_cell[cells["later"]]
    assert "ＤＸ推進課" in by_cell[cells["dx_later"]] and cells["dx_first"] in by_cell[cells["dx_later"]]
