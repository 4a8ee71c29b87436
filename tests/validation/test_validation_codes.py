"""Every SPEC code, found at its exact cell: one sample workbook per case, the expected issues its parameter.

The sample is 財政課's R8 workbook of the default plan, filled with plain valid
values, then spoiled in one way. 入力: 1-(1)-4 is row 5, 1-(3)-2 row 6, 2-(1)-3
row 7; columns A 項目ID, B 改革項目, D 取組状況, E 自己評価, F 進捗, G 効果額（千円）.
KPI実績: PPC用紙 row 5, 街路灯 row 6; F 実績値. 様式情報: B1 計画名, B2 計画識別子,
B3 担当課, B4 年度.
"""

from __future__ import annotations

import pytest
from standin import build_department_workbook, fill

from addin.forms import layout as T
from addin.validation.validate import validate_file

YEAR = 2026
DEPT = "財政課"
PPC = ("2-(2)-10", "PPC用紙(A4)年間使用枚数")
LED = ("2-(2)-10", "街路灯LED化更新数(累計)")


def flat(result):
    return sorted((i.code, i.sheet, i.cell, i.item_id) for i in result.issues)


def entry(item_id, **values):
    return lambda wb: fill(wb, entries={item_id: values}, default=False)


def kpi(key, **values):
    return lambda wb: fill(wb, kpis={key: values}, default=False)


def setcell(sheet, cell, value):
    def edit(wb):
        wb[sheet][cell] = value
    return edit


def delete_sheet(name):
    def edit(wb):
        del wb[name]
    return edit


CASES = {
    "required": (entry("1-(3)-2", 取組状況=None), [("required", "入力", "D6", "1-(3)-2")]),
    "required_whitespace_only": (entry("1-(3)-2", 自己評価="　 "), [("required", "入力", "E6", "1-(3)-2")]),
    "invalid_choice_grade": (entry("1-(3)-2", 自己評価="D"), [("invalid_choice", "入力", "E6", "1-(3)-2")]),
    "invalid_choice_progress": (entry("2-(1)-3", 進捗="たぶん順調"), [("invalid_choice", "入力", "F7", "2-(1)-3")]),
    "not_a_number": (entry("1-(1)-4", **{"効果額（千円）": "たくさん"}), [("not_a_number", "入力", "G5", "1-(1)-4")]),
    "not_a_number_two_numbers": (entry("1-(1)-4", **{"効果額（千円）": "1.2.3"}), [("not_a_number", "入力", "G5", "1-(1)-4")]),
    "out_of_range": (entry("1-(1)-4", **{"効果額（千円）": "△500"}), [("out_of_range", "入力", "G5", "1-(1)-4")]),
    "too_long": (entry("2-(1)-3", 取組状況="あ" * 2001), [("too_long", "入力", "D7", "2-(1)-3")]),
    "kpi_not_a_number": (kpi(PPC, 実績値="未集計"), [("not_a_number", "KPI実績", "F5", "2-(2)-10")]),
    "kpi_out_of_range": (kpi(LED, 実績値=-3), [("out_of_range", "KPI実績", "F6", "2-(2)-10")]),
    "formula_without_value": (entry("1-(1)-4", **{"効果額（千円）": "=100*2"}),
                              [("formula_without_value", "入力", "G5", "1-(1)-4")]),
    "unknown_item": (setcell("入力", "A6", "9-(9)-9"),
                     [("missing_item", "入力", None, "1-(3)-2"), ("unknown_item", "入力", "A6", "9-(9)-9")]),
    "unknown_item_other_department": (setcell("入力", "A6", "1-(1)-1"),
                                      [("missing_item", "入力", None, "1-(3)-2"), ("unknown_item", "入力", "A6", "1-(1)-1")]),
    "duplicate_item": (setcell("入力", "A7", "1-(3)-2"),
                       [("duplicate_item", "入力", "A7", "1-(3)-2"), ("missing_item", "入力", None, "2-(1)-3")]),
    "missing_item": (lambda wb: wb["入力"].delete_rows(7), [("missing_item", "入力", None, "2-(1)-3")]),
    "kpi_duplicate": (setcell("KPI実績", "B6", PPC[1]),
                      [("duplicate_item", "KPI実績", "B6", "2-(2)-10"), ("missing_item", "KPI実績", None, "2-(2)-10")]),
    "kpi_unknown": (setcell("KPI実績", "B6", "架空の指標"),
                    [("missing_item", "KPI実績", None, "2-(2)-10"), ("unknown_item", "KPI実績", "B6", "2-(2)-10")]),
    # Another fingerprint of the same plan is an earlier version of it: a warning, never a rejection.
    "plan_changed_fingerprint": (setcell(T.META_SHEET, "B2", "0123456789abcdef"),
                                 [("plan_changed", "様式情報", "B2", None)]),
    "kpi_not_reported": (kpi(LED, 実績値=None, 備考=None), [("kpi_not_reported", "KPI実績", "F6", "2-(2)-10")]),
    "kpi_unit_mismatch": (kpi(LED, 実績値="3万円"), [("unit_mismatch", "KPI実績", "F6", "2-(2)-10")]),
    "implausible_value": (kpi(PPC, 実績値=25), [("implausible_value", "KPI実績", "F5", "2-(2)-10")]),
    "wrong_plan_name": (setcell(T.META_SHEET, "B1", "第1次行財政改革大綱"), [("wrong_plan", "様式情報", "B1", None)]),
    "wrong_plan_department": (setcell(T.META_SHEET, "B3", "架空課"), [("wrong_plan", "様式情報", "B3", None)]),
    "wrong_year": (setcell(T.META_SHEET, "B4", "R7"), [("wrong_year", "様式情報", "B4", None)]),
    "wrong_template_sheet": (delete_sheet(T.INPUT_SHEET), [("wrong_template", "入力", None, None)]),
    "wrong_template_header": (setcell("入力", "E4", "評価"), [("wrong_template", "入力", None, None)]),
    "wrong_template_meta": (delete_sheet(T.META_SHEET), [("wrong_template", None, None, None)]),
    "altered_cell": (setcell("入力", "B6", "オフィス環境の改善（拡充）"), [("altered_cell", "入力", "B6", "1-(3)-2")]),
    "altered_kpi_baseline": (setcell("KPI実績", "D6", 300), [("altered_cell", "KPI実績", "D6", "2-(2)-10")]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_code_at_its_cell(case, plan, tmp_path):
    spoil, expected = CASES[case]
    wb = fill(build_department_workbook(plan, DEPT, YEAR))
    spoil(wb)
    path = tmp_path / f"R8_{DEPT}.xlsx"
    wb.save(path)
    result = validate_file(path, plan, YEAR)
    assert flat(result) == sorted(expected)
    assert result.department == ("架空課" if case == "wrong_plan_department" else DEPT)
    warnings = ("altered_cell", "plan_changed", "kpi_not_reported", "implausible_value")
    warnings_only = all(code in warnings for code, *_ in expected)
    assert result.status == ("ok" if warnings_only else "invalid")
    for issue in result.issues:
        assert issue.message.startswith(f"R8_{DEPT}.xlsx")
        assert issue.severity == ("warning" if issue.code in warnings else "error")


def test_a_clean_workbook_has_no_issue(plan, tmp_path):
    path = tmp_path / "R8_財政課.xlsx"
    fill(build_department_workbook(plan, DEPT, YEAR)).save(path)
    result = validate_file(path, plan, YEAR)
    assert (result.status, result.issues) == ("ok", [])
    sub = result.submission
    assert [e.item_id for e in sub.entries] == [i.item_id for i in plan.items_for(DEPT)]
    assert [(k.item_id, k.name, k.actual) for k in sub.kpis] == [(*PPC, 6_290_000), (*LED, 303)]
    assert sub.fingerprint == plan.fingerprint and sub.year == YEAR and len(sub.sha256) == 64


def test_messages_say_what_to_do(plan, tmp_path):
    wb = fill(build_department_workbook(plan, DEPT, YEAR), entries={"1-(3)-2": {"自己評価": "Ｄ"}})
    wb.save(tmp_path / "R8_財政課.xlsx")
    (issue,) = validate_file(tmp_path / "R8_財政課.xlsx", plan, YEAR).issues
    assert issue.message == ("R8_財政課.xlsx のシート「入力」 セル E6（自己評価）: 「Ｄ」は選べない値です。"
                             "A、B、C、- のいずれかをリストから選んでください。")
    assert issue.value == "Ｄ" and issue.column == "自己評価"


def test_department_falls_back_to_the_file_name(plan, tmp_path):
    wb = fill(build_department_workbook(plan, DEPT, YEAR))
    del wb[T.META_SHEET]
    wb.save(tmp_path / "R8_財政課.xlsx")
    result = validate_file(tmp_path / "R8_財政課.xlsx", plan, YEAR)
    assert result.department == DEPT
    assert [i.code for i in result.issues] == ["wrong_template"]


def test_rows_may_be_reordered_and_extra_columns_added(plan, tmp_path):
    wb = fill(build_department_workbook(plan, DEPT, YEAR))
    ws = wb["入力"]
    ws.move_range("A5:H5", rows=20)  # first item to the bottom, a gap left behind
    ws.insert_cols(3)
    ws["C4"] = "課内メモ"
    ws["C25"] = "自由に使う列"
    wb.save(tmp_path / "R8_財政課.xlsx")
    result = validate_file(tmp_path / "R8_財政課.xlsx", plan, YEAR)
    assert result.issues == []
    first = [e for e in result.submission.entries if e.item_id == "1-(1)-4"][0]
    assert (first.row, first.cells["自己評価"]) == (25, "F25")
