"""Every ribbon button, run through dispatch() on a fake open workbook."""

from __future__ import annotations

import openpyxl

from addin.excel import BUTTONS, dispatch
from tests.fake_book import FakeBook

RIBBON_IDS = {"btnGenerate", "btnValidate", "btnConsolidate", "btnGantt", "btnFinance", "btnCheck", "btnSettings",
              "btnDoctor"}


def test_every_ribbon_id_has_an_action():
    assert set(BUTTONS) == RIBBON_IDS


def test_settings_button_opens_the_settings_sheet(plan_path):
    book = FakeBook(plan_path)
    assert dispatch("btnSettings", book) is None
    assert book.active == "設定"
    assert book.statuses[-1] is None  # the status bar is given back to Excel


def test_settings_button_on_a_book_without_settings(tmp_path):
    path = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(path)
    book = FakeBook(path)
    dispatch("btnSettings", book)
    assert "「設定」シートがありません" in book.alerts[-1]


def test_unknown_button_says_so(plan_path):
    book = FakeBook(plan_path)
    dispatch("btnNope", book)
    assert "不明なボタン" in book.alerts[-1]


def test_missing_report_year_is_a_message_not_a_traceback(plan_path, tmp_path):
    wb = openpyxl.load_workbook(plan_path)
    ws = wb["設定"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "報告年度":
            row[1].value = None
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    book = FakeBook(path)
    dispatch("btnGenerate", book)
    assert "報告年度" in book.alerts[-1] and "Traceback" not in book.alerts[-1]


def test_broken_plan_is_reported_in_japanese(plan_path, tmp_path):
    wb = openpyxl.load_workbook(plan_path)
    wb["計画"]["A3"] = "1-(1)-1"
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    book = FakeBook(path)
    dispatch("btnGantt", book)
    assert "重複" in book.alerts[-1] and "A3" in book.alerts[-1]


def _submissions(plan, folder, bad_grade_for=None):
    from tests import standin

    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for dept in plan.departments[:3]:
        wb = standin.build_department_workbook(plan, dept, 2026)
        entries = {}
        if dept == bad_grade_for:
            entries = {plan.items_for(dept)[0].item_id: {"自己評価": "E"}}
        standin.fill(wb, entries=entries)
        paths[dept] = folder / f"R8_{dept}.xlsx"
        wb.save(paths[dept])
    return paths


def test_validate_button_writes_report_and_records_it(plan, plan_path, tmp_path):
    import shutil

    book_path = tmp_path / "計画.xlsx"
    shutil.copy(plan_path, book_path)
    _submissions(plan, tmp_path / "提出_R8", bad_grade_for=plan.departments[1])
    book = FakeBook(book_path)
    message = dispatch("btnValidate", book)
    assert "3 件を検証しました" in message and "要修正 1 件" in message
    assert (tmp_path / "出力_R8" / "検証結果_R8.xlsx").exists()
    assert list((tmp_path / "出力_R8" / "差戻し_R8").glob("*.xlsx"))
    recorded = book.written["実行結果"]
    assert recorded[0] == ["日時", "操作", "項目", "内容"]
    assert any(row[1] == "検証" and row[2] == "要修正" and row[3] == "1" for row in recorded)


def test_input_check_marks_the_open_department_workbook(plan, tmp_path):
    dept = plan.departments[0]
    path = _submissions(plan, tmp_path, bad_grade_for=dept)[dept]
    book = FakeBook(path)
    message = dispatch("btnCheck", book)
    assert "エラー 1 件" in message
    (sheet, cell), (rgb, note) = next(iter(book.marks.items()))
    assert sheet == "入力" and cell.startswith("E") and "A" in note
    assert book.written["入力チェック結果"][1][1] == "invalid_choice"
    # A second run after fixing clears the old marks.
    import openpyxl

    from tests import standin
    wb = openpyxl.load_workbook(path)
    standin.fill(wb)
    wb.save(path)
    assert "問題は見つかりませんでした" in dispatch("btnCheck", book)
    assert book.marks == {}
