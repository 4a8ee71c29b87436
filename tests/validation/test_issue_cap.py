"""At most 1,000 issues per file, the rest counted in one (SPEC, "Safety"); 検証結果 never cut at Excel's last row."""

from __future__ import annotations

import openpyxl
import pytest
import standin

from addin.forms import layout as T
from addin.reports import validation as report
from addin.validation.codes import make_issue
from addin.validation.submission import INVALID, FileResult, ValidationRun
from addin.validation.validate import MAX_ISSUES_PER_FILE, check_workbook, validate_inputs

FILL_DOWN = 50_000


@pytest.fixture(scope="module")
def filled_down(plan, tmp_path_factory):
    """自己評価 copied down 50,000 rows below the table (within the GR100000 extent limit)."""
    dept = plan.departments[0]
    wb = standin.fill(standin.build_department_workbook(plan, dept, 2026))
    ws = wb[T.INPUT_SHEET]
    col = T.INPUT_HEADERS.index("自己評価") + 1
    start = ws.max_row + 1
    for r in range(start, start + FILL_DOWN):
        ws.cell(r, col, "A")
    path = tmp_path_factory.mktemp("filldown") / f"R8_{dept}.xlsx"
    wb.save(path)
    return path


def test_a_fill_down_is_capped_at_1000_issues_and_one_count(plan, filled_down):
    run = validate_inputs(plan, [filled_down], 2026)
    (result,) = run.files
    assert result.status == INVALID
    assert len(result.issues) == MAX_ISSUES_PER_FILE + 1 == 1_001
    listed, more = result.issues[:-1], result.issues[-1]
    assert more.code == "more_issues" and more.severity == "error"
    assert [i.code for i in listed] == ["extra_row"] * MAX_ISSUES_PER_FILE
    assert more.details["count"] == FILL_DOWN - MAX_ISSUES_PER_FILE
    assert "ほかに 49,000 件の問題があります" in more.message
    assert len(run.to_json()["files"][0]["issues"]) == 1_001


def test_input_check_is_capped_too(plan, filled_down):
    assert len(check_workbook(filled_down, plan, 2026)) == 1_001


def _issues(n: int) -> list:
    return [make_issue("required", "R8_財政課.xlsx", "入力", f"D{5 + i}", column="取組状況") for i in range(n)]


def test_the_issue_sheet_continues_past_the_last_row(plan, tmp_path, monkeypatch):
    # Excel's limit shrunk to 30 rows so the test writes 70 issues, not millions.
    monkeypatch.setattr(report, "EXCEL_ROWS", 30)
    run = ValidationRun(year=2026, files=[FileResult("R8_財政課.xlsx", "財政課", INVALID, _issues(70))])
    path = report.write_validation_report(run, plan, tmp_path / "検証結果.xlsx")
    wb = openpyxl.load_workbook(path)
    sheets = [wb[name] for name in wb.sheetnames]
    assert [ws.title for ws in sheets][0] == "検証結果" and len(sheets) > 1
    cells = []
    for ws in sheets:
        assert ws.max_row <= 30
        header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "重要度")
        cells += [ws.cell(r, 6).value for r in range(header + 1, ws.max_row + 1)]
    assert cells == [f"D{5 + i}" for i in range(70)]  # every issue, in order, none cut
    summary = {sheets[0].cell(r, 1).value: sheets[0].cell(r, 3).value for r in range(2, 30)}
    assert summary["続きのシート"] == "、".join(ws.title for ws in sheets[1:])
