"""The 財政課出力 button on a fake open plan workbook: after 集約, the finance workbook and CSVs named by the year."""

from __future__ import annotations

import csv

import openpyxl

from addin.excel import dispatch
from tests import standin
from tests.fake_book import FakeBook


def test_finance_button_after_consolidation(plan, plan_path, tmp_path):
    book = FakeBook(standin.plan_book_with_submissions(plan, plan_path, tmp_path))
    before = dispatch("btnFinance", book)
    assert "先に「集約」を押してください" in before and book.alerts[-1] == before
    dispatch("btnConsolidate", book)
    message = dispatch("btnFinance", book)
    out = tmp_path / "出力_R8"
    workbook = out / "財政課_R8.xlsx"
    csvs = [out / "財政課CSV_R8" / name for name in ("効果額集計_R8.csv", "効果額推移_R8.csv", "KPI一覧_R8.csv")]
    assert all(str(p) in message for p in [workbook, *csvs])
    wb = openpyxl.load_workbook(workbook)
    assert wb.sheetnames == ["効果額集計", "効果額推移", "KPI一覧"]
    assert "令和8年度（R8）" in wb["効果額集計"]["A1"].value
    with open(csvs[0], encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:2] == ["区分", "項目ID"] and rows[-1][0] == "総計"
    assert any(row[1] == "財政課出力" for row in book.written["実行結果"])
