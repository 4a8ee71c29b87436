"""The streamed report writer: what a reader of its files sees (values, text kept as text, styles, links)."""

from __future__ import annotations

from datetime import datetime

import openpyxl

from addin.xlsx import writer as xlsxout
from addin.xlsx.styles import AMOUNT_FORMAT, BODY_FONT, DATETIME_FORMAT, INPUT_FILL, THIN_BORDER, WRAP_TOP
from addin.xlsx.writer import ReportBook


def _written(tmp_path, fill):
    book = ReportBook(tmp_path / "r.xlsx", title="題名", author="二本松市")
    sheet = book.add_sheet("一覧")
    fill(book, sheet)
    book.close()
    return openpyxl.load_workbook(tmp_path / "r.xlsx")


def test_text_stays_text_even_when_it_looks_like_a_formula_a_number_or_a_link(tmp_path):
    texts = ["=SUM(A1:A9)", "+81-3-1234", "http://example.jp/", "0012", "  前後に空白  ", "改行\nあり"]
    wb = _written(tmp_path, lambda book, sheet: sheet.write_row(1, texts))
    ws = wb["一覧"]
    assert [c.value for c in ws[1]] == texts
    assert all(c.data_type == "s" and c.hyperlink is None for c in ws[1])


def test_values_of_every_type_and_styles_as_given(tmp_path):
    def fill(book, sheet):
        style = book.style(font=BODY_FONT, fill=INPUT_FILL, border=THIN_BORDER, alignment=WRAP_TOP,
                           number_format=AMOUNT_FORMAT)
        when = book.style(font=BODY_FONT, number_format=DATETIME_FORMAT)
        sheet.write_row(2, [1234, 0.5, True, datetime(2026, 5, 31, 9, 30), None, None], [style] * 3 + [when, style, None])

    ws = _written(tmp_path, fill)["一覧"]
    a, b, c, d, e, f = (ws.cell(2, col) for col in range(1, 7))
    assert (a.value, b.value, c.value, d.value) == (1234, 0.5, True, datetime(2026, 5, 31, 9, 30))
    assert a.number_format == AMOUNT_FORMAT and a.font.name == BODY_FONT.name and a.alignment.wrap_text
    assert a.fill.fgColor.rgb.endswith(INPUT_FILL.fgColor.rgb[-6:]) and a.border.left.style == "thin"
    assert e.value is None and e.border.left.style == "thin"  # a styled blank is written
    assert f.value is None and f.border.left.style is None  # an unstyled blank is not


def test_links_open_the_file_at_the_cell_until_excel_s_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsxout, "MAX_LINKS", 2)

    def fill(book, sheet):
        for row in range(1, 4):
            sheet.link(row, 1, "../提出/R8_財政課.xlsx", "'入力'!E6", "E6", tooltip="開く")

    ws = _written(tmp_path, fill)["一覧"]
    first, _second, third = ws["A1"], ws["A2"], ws["A3"]
    assert first.value == third.value == "E6"
    assert first.hyperlink.target == "..\\提出\\R8_財政課.xlsx" and first.hyperlink.location == "'入力'!E6"
    assert third.hyperlink is None  # past the limit: the text without a link


def test_document_properties(tmp_path):
    wb = _written(tmp_path, lambda book, sheet: None)
    assert (wb.properties.title, wb.properties.creator) == ("題名", "二本松市")
