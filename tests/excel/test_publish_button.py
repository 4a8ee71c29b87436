"""The 公表資料 button on a fake open plan workbook: after 集約, the publication set and a PDF of each workbook."""

from __future__ import annotations

from addin.excel import dispatch
from tests import standin
from tests.fake_book import FakeBook


def test_publish_button_writes_the_set_and_excel_pdfs(plan, plan_path, tmp_path):
    book = FakeBook(standin.plan_book_with_submissions(plan, plan_path, tmp_path))
    before = dispatch("btnPublish", book)
    assert "先に「集約」を押してください" in before
    dispatch("btnConsolidate", book)
    message = dispatch("btnPublish", book)
    out = tmp_path / "出力_R8" / "公表_R8"
    books = ["公表_取組状況_R8.xlsx", "個票_R8.xlsx", "評価シート_R8.xlsx"]
    assert all((out / name).exists() for name in books)
    assert {w.name for w, _pdf in book.exported} == set(books)  # Excel's export, one PDF per workbook
    assert all(pdf.exists() and pdf.parent == out for _w, pdf in book.exported)
    assert "PDF 3 件" in message and str(out) in message
    assert any(row[1] == "公表資料" for row in book.written["実行結果"])


def test_a_failed_pdf_is_a_message_and_the_workbooks_stay(plan, plan_path, tmp_path, monkeypatch):
    book = FakeBook(standin.plan_book_with_submissions(plan, plan_path, tmp_path))
    dispatch("btnConsolidate", book)

    def refuse(workbook, pdf):
        raise OSError("printer driver missing")
    monkeypatch.setattr(book, "export_pdf", refuse)
    message = dispatch("btnPublish", book)
    assert "個票_R8.xlsx の PDF を作れませんでした" in message and "PDF/XPS の作成" in message
    assert (tmp_path / "出力_R8" / "公表_R8" / "個票_R8.xlsx").exists()
