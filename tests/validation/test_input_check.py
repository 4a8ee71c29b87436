"""入力チェック: one department workbook, with or without the plan; marks in the open workbook."""

from __future__ import annotations

import openpyxl
from standin import build_department_workbook, fill

from addin.validation.marks import CHECK_SHEET, COMMENT_AUTHOR, ERROR_RGB, compute_marks
from addin.validation.validate import check_workbook, mark_workbook
from addin.xlsx.styles import ERROR_FILL, INPUT_FILL, WARNING_FILL

YEAR = 2026


def spoiled(plan):
    wb = fill(build_department_workbook(plan, "DX推進課", YEAR),
              entries={"1-(1)-3": {"自己評価": "D", "取組状況": None}},
              kpis={("1-(1)-1", "証明書等のコンビニ交付による交付率"): {"実績値": "だいたい"}})
    wb["入力"]["B8"] = "名前を変えた項目"
    return wb


def flat(issues):
    return sorted((i.code, i.sheet, i.cell, i.item_id) for i in issues)


def test_without_plan_checks_the_shape(plan, tmp_path):
    path = tmp_path / "R8_DX推進課.xlsx"
    spoiled(plan).save(path)
    assert flat(check_workbook(path)) == [("invalid_choice", "入力", "E6", "1-(1)-3"),
                                          ("not_a_number", "KPI実績", "F5", "1-(1)-1"),
                                          ("required", "入力", "D6", "1-(1)-3")]


def test_with_plan_also_checks_the_plan(plan, tmp_path):
    path = tmp_path / "R8_DX推進課.xlsx"
    spoiled(plan).save(path)
    assert ("altered_cell", "入力", "B8", "1-(2)-2") in flat(check_workbook(path, plan))


def test_an_open_workbook_gives_the_same_issues(plan, tmp_path):
    wb = spoiled(plan)
    path = tmp_path / "R8_DX推進課.xlsx"
    wb.save(path)
    assert flat(check_workbook(wb)) == flat(check_workbook(path))


def test_without_plan_a_percent_kpi_is_known_by_its_own_unit(plan):
    wb = fill(build_department_workbook(plan, "DX推進課", YEAR),
              kpis={("1-(1)-1", "証明書等のコンビニ交付による交付率"): {"実績値": "２６％"}})
    assert check_workbook(wb) == []


def test_marks_cells_and_lists_issues_then_clears_them(plan, tmp_path):
    wb = spoiled(plan)
    wb["入力"]["E6"].fill = INPUT_FILL
    issues = check_workbook(wb, plan)
    mark_workbook(wb, issues)
    e6, b8 = wb["入力"]["E6"], wb["入力"]["B8"]
    assert e6.fill.fgColor.rgb == ERROR_FILL.fgColor.rgb and "A、B、C、-" in e6.comment.text
    assert b8.fill.fgColor.rgb == WARNING_FILL.fgColor.rgb and e6.comment.author == COMMENT_AUTHOR
    assert e6.comment.text == "【選択肢以外】「D」は選べない値です。A、B、C、- のいずれかをリストから選んでください。"
    listed = [r for r in wb[CHECK_SHEET].iter_rows(min_row=4, values_only=True)]
    assert [(r[2], r[3]) for r in listed] == [(i.sheet, i.cell) for i in issues]
    assert {r[1] for r in listed} >= {"選択肢以外", "未入力", "固定セルの変更"}  # labels, never codes
    assert wb[CHECK_SHEET]["D4"].hyperlink.location.endswith("!" + issues[0].cell)

    # Saved and reopened, fixed, checked again: the old marks go, the cell's own fill comes back.
    path = tmp_path / "R8_DX推進課.xlsx"
    wb.save(path)
    wb = openpyxl.load_workbook(path)
    wb["入力"]["E6"] = "A"
    wb["入力"]["D6"] = "実施した。"
    wb["入力"]["B8"] = plan.item("1-(2)-2").name
    wb["KPI実績"]["F5"] = 26
    issues = check_workbook(wb, plan)
    assert issues == []
    mark_workbook(wb, issues)
    assert wb.sheetnames.count(CHECK_SHEET) == 1
    assert wb["入力"]["E6"].fill.fgColor.rgb == INPUT_FILL.fgColor.rgb and wb["入力"]["E6"].comment is None
    assert wb["入力"]["B8"].fill.fill_type is None
    assert wb[CHECK_SHEET]["A2"].value.startswith("問題は見つかりませんでした")


def test_marks_are_values(plan):
    issues = check_workbook(spoiled(plan), plan)
    marks = {(m.sheet, m.cell): m for m in compute_marks(issues)}
    assert marks[("入力", "E6")].rgb == ERROR_RGB and marks[("入力", "E6")].severity == "error"
    assert marks[("入力", "B8")].severity == "warning"
    assert marks[("入力", "D6")].comment == "【未入力】「取組状況」が入力されていません。入力してください。"
    assert ("入力", None) not in marks and len(marks) == len({(i.sheet, i.cell) for i in issues if i.cell})


def test_a_clerks_own_comment_comes_back(plan):
    from openpyxl.comments import Comment

    wb = spoiled(plan)
    wb["入力"]["E6"].comment = Comment("課長に確認中", "山田")
    mark_workbook(wb, check_workbook(wb, plan))
    assert wb["入力"]["E6"].comment.author == COMMENT_AUTHOR
    wb["入力"]["E6"] = "B"
    mark_workbook(wb, check_workbook(wb, plan))
    assert (wb["入力"]["E6"].comment.text, wb["入力"]["E6"].comment.author) == ("課長に確認中", "山田")
