"""Every ribbon button, run through dispatch() on a fake open workbook."""

from __future__ import annotations

import openpyxl

from addin.excel import BUTTONS, dispatch
from tests.fake_book import FakeBook

RIBBON_IDS = {"btnGenerate", "btnValidate", "btnConsolidate", "btnGantt", "btnFinance", "btnCheck", "btnSettings"}


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
