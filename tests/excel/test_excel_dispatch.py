"""Every ribbon button, run through dispatch() on a fake open workbook."""

from __future__ import annotations

import openpyxl

from addin.excel import BUTTONS, dispatch
from addin.validation.marks import ERROR_RGB
from addin.xlsx.styles import INPUT_FILL
from tests import standin
from tests.fake_book import FakeBook

RIBBON_IDS = {"btnGenerate", "btnValidate", "btnConsolidate", "btnGantt", "btnFinance", "btnPublish", "btnCheck", "btnSettings",
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
    assert list((tmp_path / "出力_R8" / "差戻し_R8").glob("差戻し_R8_*.xlsx"))
    assert (tmp_path / "出力_R8" / "差戻し_R8" / "督促_R8.xlsx").exists() and "督促リスト" in message
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
    assert sheet == "入力" and cell.startswith("E") and "A、B、C、-" in note
    assert book.written["入力チェック結果"][3][1] == "選択肢以外"  # the label, not invalid_choice
    assert book.hidden["入力チェック結果"] == (9,)
    # A second run after fixing clears the old marks.
    wb = openpyxl.load_workbook(path)
    standin.fill(wb)
    wb.save(path)
    assert "問題は見つかりませんでした" in dispatch("btnCheck", book)
    assert book.marks == {}


def test_input_check_gives_back_the_forms_own_fill_and_comment(plan, tmp_path):
    """On a generated form (yellow input cells), a mark and its removal leave the cell as it was."""
    from openpyxl.comments import Comment

    from addin.forms.fill import fill_department_workbook
    from addin.forms.generate import build_department_workbook

    dept = "財政課"
    item = plan.items_for(dept)[0].item_id
    wb = build_department_workbook(plan, dept, 2026)
    answers = {i.item_id: {"取組状況": "実施した。", "自己評価": "A", "進捗": "予定どおり"} for i in plan.items_for(dept)}
    answers[item]["自己評価"] = "E"
    fill_department_workbook(wb, answers, {k.key: {"実績値": 1} for k in plan.kpis_led_by(dept)})
    grade_cell = standin.address(wb, "入力", item, "自己評価")
    text_cell = standin.address(wb, "入力", item, "取組状況")
    wb["入力"][text_cell].comment = Comment("係長確認済み", "佐藤")
    path = tmp_path / f"R8_{dept}.xlsx"
    wb.save(path)
    book = FakeBook(path)
    before = {c: book.state("入力", c) for c in (grade_cell, text_cell)}
    assert before[grade_cell]["fill"] == [int(INPUT_FILL.fgColor.rgb[-6:][i:i + 2], 16) for i in (0, 2, 4)]

    dispatch("btnCheck", book)
    assert book.state("入力", grade_cell)["fill"] == list(ERROR_RGB)
    wb = openpyxl.load_workbook(path)
    wb["入力"][grade_cell] = "B"
    wb["入力"][text_cell] = "実施した。\n\n" + "あ" * 2001  # now too long: its own comment gives way to the mark
    wb.save(path)
    dispatch("btnCheck", book)
    assert book.state("入力", grade_cell) == before[grade_cell]
    assert book.state("入力", text_cell)["comment"].startswith("【文字数超過】")
    wb["入力"][text_cell] = "実施した。"
    wb.save(path)
    assert "問題は見つかりませんでした" in dispatch("btnCheck", book)
    assert {c: book.state("入力", c) for c in (grade_cell, text_cell)} == before


def test_the_ribbon_and_the_library_name_the_same_check_sheet():
    from addin.excel.dispatch import CHECK_SHEET
    from addin.validation import marks

    assert CHECK_SHEET == marks.CHECK_SHEET


def test_the_excel_book_and_the_fake_offer_every_method_the_buttons_use():
    """A method declared on ExcelBook but missing on XlwingsBook fails only inside real Excel: catch it here."""
    import inspect

    from addin.excel.book import ExcelBook, XlwingsBook
    from fake_book import FakeBook

    wanted = {name: inspect.signature(fn) for name, fn in vars(ExcelBook).items()
              if callable(fn) and not name.startswith("_")}
    for cls in (XlwingsBook, FakeBook):
        for name, signature in wanted.items():
            assert hasattr(cls, name), (cls.__name__, name)
            assert list(inspect.signature(getattr(cls, name)).parameters) == list(signature.parameters), (cls, name)
