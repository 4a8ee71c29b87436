"""The 検証結果 workbook and the send-back lists, as the secretariat opens them."""

from __future__ import annotations

import openpyxl
from standin import build_department_workbook, fill

from addin.reports.validation import ISSUE_HEADERS, add_issue_sheet, write_return_lists, write_validation_report
from addin.validation.validate import validate_inputs
from addin.xlsx.writer import ReportBook

YEAR = 2026


def test_report_rows_link_to_their_cells(plan, tmp_path):
    folder = tmp_path / "提出"
    folder.mkdir()
    fill(build_department_workbook(plan, "財政課", YEAR), entries={"1-(3)-2": {"自己評価": "D"}}).save(folder / "R8_財政課.xlsx")
    fill(build_department_workbook(plan, "税務課", YEAR)).save(folder / "R8_税務課.xlsx")
    run = validate_inputs(plan, [folder], YEAR)
    path = write_validation_report(run, plan, tmp_path / "out" / "検証結果.xlsx")
    ws = openpyxl.load_workbook(path)["検証結果"]
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "重要度")
    assert tuple(c.value for c in ws[header][:10]) == ISSUE_HEADERS
    row = [c.value for c in ws[header + 1][:10]]
    assert row[:9] == ["エラー", "選択肢以外", "R8_財政課.xlsx", "財政課", "入力", "E6", "1-(3)-2", "自己評価", "D"]
    link = ws.cell(header + 1, 6).hyperlink
    # Relative, with the backslashes Excel itself writes on Windows.
    assert (link.target, link.location) == ("..\\提出\\R8_財政課.xlsx", "'入力'!E6")
    assert ws.freeze_panes == f"A{header + 1}" and ws.auto_filter.ref.startswith(f"A{header}")
    assert ws.page_setup.orientation == "landscape"


def test_return_lists_only_for_departments_with_errors(plan, tmp_path):
    fill(build_department_workbook(plan, "財政課", YEAR), entries={"1-(3)-2": {"取組状況": None}}).save(tmp_path / "R8_財政課.xlsx")
    fill(build_department_workbook(plan, "税務課", YEAR)).save(tmp_path / "R8_税務課.xlsx")
    run = validate_inputs(plan, [tmp_path], YEAR)
    paths = write_return_lists(run, plan, tmp_path / "差戻し")
    assert [p.name for p in paths] == ["差戻し_R8_財政課.xlsx"]
    ws = openpyxl.load_workbook(paths[0]).active
    text = "\n".join(str(c.value) for c in ws["A"] if c.value)
    assert "財政課 ご担当者様" in text and "提出し直してください" in text
    rows = [[c.value for c in r] for r in ws.iter_rows() if r[2].value == "D6"]
    assert rows and rows[0][6] == "「取組状況」が入力されていません。入力してください。"


def test_add_issue_sheet_is_reusable(plan, tmp_path):
    book = ReportBook(tmp_path / "r.xlsx")
    add_issue_sheet(book, [], "検証結果")
    book.close()
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx")["検証結果"]
    assert (ws.title, ws["A3"].value, ws["J4"].value) == ("検証結果", "重要度", "問題は見つかりませんでした。")
