"""公表_取組状況_R8.xlsx: the published status list (layout of the yearly 実施状況) from a consolidated report.

The report's 取組状況一覧 is the secretariat's working sheet; the public gets only the
columns below, grouped under one heading row per 重点項目 and per 取組 (not repeated on
every row), A4 landscape, the title and the date in the page header. Internal columns
(確認事項, per-department grades, 事務局評価・コメント, 委員会評価・意見) never come out.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl.utils import get_column_letter

from addin.errors import UnreadableWorkbook
from addin.fiscal import format_fiscal_year, format_fiscal_year_long, japanese_date
from addin.forms.layout import RESPONSE
from addin.reports.common import header_cells, row_height, split_row
from addin.reports.finance import ReportError
from addin.reports.finance_book import ReportInfo
from addin.reports.grades import grade_legend
from addin.reports.previous import cell_text
from addin.reports.workbook import PLAN_HEADERS, PLAN_SHEET, SETTINGS_SHEET
from addin.reports.status import (COMMITTEE_COMMENT, COMMITTEE_GRADE, FINAL_GRADE, OVERRIDE_COMMENT, OVERRIDE_GRADE,
                                  STATUS_SHEET)
from addin.xlsx.styles import BODY_FONT, BOLD_FONT, CENTER, SECTION_FILL, THIN_BORDER, TITLE_FONT, WRAP_TOP
from addin.xlsx.tables import find_table
from addin.xlsx.writer import ReportBook, ReportSheet, write_book

__all__ = ["PublicItem", "grouped_sheet", "HEADER_ROW", "read_public_items", "read_report_settings", "public_headers", "write_status_list", "status_list_name"]

_READ = ("項目ID", "重点項目", "取組", "No.", "改革項目", "実施担当", "取組状況", "今後の課題・方向性", FINAL_GRADE)
_OPTIONAL = ("推進内容", "主な取組", "自己評価", OVERRIDE_GRADE, OVERRIDE_COMMENT, COMMITTEE_GRADE, COMMITTEE_COMMENT,
             RESPONSE)  # empty when absent
_WIDTHS = (17, 17, 22, 9, 34, 26, 5)
# With 設定「コメントの公表」する: one more column, the others narrower (the same 130 units print at 8 pt).
COMMENTS_HEADER = "事務局・委員会の意見"
_WIDTHS_WITH_COMMENTS = (15, 15, 19, 8, 30, 22, 5, 16)
HEADER_ROW = 3


@dataclass(frozen=True)
class PublicItem:
    """What the public sees of one item."""

    item_id: str
    pillar: str
    area: str
    number: str
    name: str
    measures: str  # 主な取組
    content: str  # 推進内容
    in_charge: str
    status: str
    next_steps: str
    grade: str
    # The grades of 評価_R8.csv (published there, never in the status list).
    self_grade: str = ""
    secretariat_grade: str = ""
    committee_grade: str = ""
    comment: str = ""  # 事務局コメント: on the committee's sheet; public only where 設定 says so
    response: str = ""  # 前年度指摘への対応: on the committee's sheet
    committee_comment: str = ""  # 委員会意見: public only where 設定 says so

    def comments(self) -> str:
        """事務局コメント and 委員会意見, each labelled, for a public document that shows them."""
        said = (("事務局", self.comment), ("委員会", self.committee_comment))
        return "\n".join(f"【{who}】{text}" for who, text in said if text)


def public_headers(year: int) -> tuple[str, ...]:
    """Seed 000's six columns plus 評価."""
    return ("改革項目", "具体的取組", "内容", "所管課", f"{format_fiscal_year(year)}取組状況", "今後の課題・方向性", "評価")


def status_list_name(year: int) -> str:
    return f"公表_取組状況_{format_fiscal_year(year)}.xlsx"


def _report_sheets(path: Path, names: tuple[str, ...]) -> dict[str, list[list[object]]]:
    """The rows of each of the report's sheets ``names`` that it has (one opening, hardened reader)."""
    from addin.xlsx.guard import open_calamine, reading

    try:
        book = open_calamine(path, sheets=names)
        with reading(path):
            return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                    for name in names if name in book.sheet_names}
    except UnreadableWorkbook as exc:
        raise ReportError(f"{path}: 集約結果を開けません。{exc.reason}") from exc


def read_public_items(path: str | os.PathLike) -> list[PublicItem]:
    """The items of the report's 取組状況一覧, in report order, public columns only."""
    path = Path(path)
    sheets = _report_sheets(path, (STATUS_SHEET, PLAN_SHEET))
    if STATUS_SHEET not in sheets:
        raise ReportError(f"{path}: シート「{STATUS_SHEET}」がありません。reform consolidate で作った集約結果を指定してください。")
    plan = _plan_texts(sheets.get(PLAN_SHEET))
    table = find_table(sheets[STATUS_SHEET], _READ, _OPTIONAL)
    if table is None:
        raise ReportError(f"{path}: シート「{STATUS_SHEET}」に見出し（{'、'.join(_READ)}）の行が見つかりません。"
                          "reform consolidate で作った集約結果を指定してください。")
    items = []
    for _index, row in table.data_rows():
        get = lambda name: cell_text(table.value(row, name))  # noqa: E731 - one short accessor
        if not get("項目ID"):
            continue
        texts = plan.get(get("項目ID"), {})
        items.append(PublicItem(get("項目ID"), get("重点項目"), get("取組"), get("No."), get("改革項目"),
                                get("主な取組") or texts.get("主な取組", ""),
                                get("推進内容") or texts.get("推進内容", ""),
                                "、".join(get("実施担当").split("\n")), get("取組状況"), get("今後の課題・方向性"),
                                get(FINAL_GRADE), " ".join(get("自己評価").split("\n")), get(OVERRIDE_GRADE),
                                get(COMMITTEE_GRADE), get(OVERRIDE_COMMENT), get(RESPONSE), get(COMMITTEE_COMMENT)))
    return items


def read_report_settings(path: str | os.PathLike) -> dict[str, str]:
    """The plan settings the report was made with (its hidden 設定 sheet); {} for a report made before it existed."""
    rows = _report_sheets(Path(path), (SETTINGS_SHEET,)).get(SETTINGS_SHEET, [])
    return {cell_text(row[0]): cell_text(row[1]) for row in rows[1:] if len(row) >= 2 and cell_text(row[0])}


def _plan_texts(rows: list[list[object]] | None) -> dict[str, dict[str, str]]:
    """項目ID → 推進内容 and 主な取組 from the report's hidden plan sheet; {} in a report made before it existed."""
    table = find_table(rows, PLAN_HEADERS) if rows else None
    if table is None:
        return {}
    return {cell_text(table.value(row, "項目ID")): {name: cell_text(table.value(row, name)) for name in PLAN_HEADERS[1:]}
            for _index, row in table.data_rows()}


def _item_row(item: PublicItem) -> list[str]:
    name = f"{item.number} {item.name}".strip()
    return [name, item.measures, item.content, item.in_charge, item.status, item.next_steps, item.grade]


def _escape(text: str) -> str:
    return text.replace("&", "&&")  # & starts a code in a page header


def grouped_sheet(book: ReportBook, name: str, title: str, made: date, headers: tuple[str, ...],
                  widths: tuple[float, ...], items: list[PublicItem], values, styles: list) -> tuple[ReportSheet, int]:
    """A printable list of items under heading rows per 重点項目 and 取組, title and date in the page header.

    ``values(item)`` gives a row, ``styles`` one cell format per column; returns the sheet and its last row.
    """
    sheet = book.add_sheet(name)
    sheet.write(1, 1, title, book.style(font=TITLE_FONT))
    sheet.widths(dict(enumerate(widths, start=1)))
    sheet.height(HEADER_ROW, 30)  # room for a header wrapped in a narrow grade column
    header_cells(sheet, HEADER_ROW, headers)
    heading = book.style(font=BOLD_FONT, fill=SECTION_FILL, border=THIN_BORDER)
    last = get_column_letter(len(headers))
    row, pillar, area = HEADER_ROW + 1, None, None
    for item in items:
        # A heading row when the 重点項目 or the 取組 changes, never repeated on the rows below it.
        if item.pillar != pillar:
            pillar, area = item.pillar, None
            if pillar:
                sheet.merge(f"A{row}:{last}{row}", pillar, heading)
                row += 1
        if item.area != area:
            area = item.area
            if area:
                sheet.merge(f"A{row}:{last}{row}", f"　{area}", heading)
                row += 1
        for line in split_row(values(item), widths):  # a long text goes on over more rows, never cut
            height = row_height(line, widths)
            if height:
                sheet.height(row, height)
            sheet.write_row(row, line, styles)
            row += 1
    sheet.freeze(f"A{HEADER_ROW + 1}")
    sheet.print_setup(header_rows=(HEADER_ROW, HEADER_ROW))
    sheet.ws.set_header(f"&L&10{_escape(title)}&R&10{_escape(japanese_date(made))}", {"margin": 0.25})
    return sheet, row - 1


def _fill(book: ReportBook, items: list[PublicItem], plan_name: str, year: int, made: date, comments: bool) -> None:
    title = f"{plan_name}　{format_fiscal_year_long(year)}の実施状況".strip("　")
    body = book.style(font=BODY_FONT, alignment=WRAP_TOP, border=THIN_BORDER)
    grade = book.style(font=BODY_FONT, alignment=CENTER, border=THIN_BORDER)
    headers = public_headers(year)
    if comments:
        sheet, last = grouped_sheet(book, "取組状況", title, made, (*headers, COMMENTS_HEADER), _WIDTHS_WITH_COMMENTS,
                                    items, lambda item: [*_item_row(item), item.comments() or None],
                                    [body] * (len(headers) - 1) + [grade, body])
        widths = _WIDTHS_WITH_COMMENTS
    else:
        sheet, last = grouped_sheet(book, "取組状況", title, made, headers, _WIDTHS, items, _item_row,
                                    [body] * (len(headers) - 1) + [grade])
        widths = _WIDTHS
    # What A, B, C and - mean, below the list: the public has no criteria sheet.
    legend = grade_legend()
    height = row_height([legend], [sum(widths)])
    if height:
        sheet.height(last + 2, height)
    sheet.merge(f"A{last + 2}:{get_column_letter(len(widths))}{last + 2}", legend,
                book.style(font=BODY_FONT, alignment=WRAP_TOP))


def write_status_list(items: list[PublicItem], info: ReportInfo, out_dir: str | os.PathLike,
                      comments: bool = False) -> Path:
    """Write 公表_取組状況_R8.xlsx into ``out_dir`` from the report's items; returns its path.

    ``comments``: 設定「コメントの公表」する — 事務局コメント and 委員会意見 in one more column."""
    out = Path(out_dir) / status_list_name(info.year)
    return write_book(out, lambda book: _fill(book, items, info.plan_name, info.year, info.made, comments),
                      title=f"{info.plan_name} {format_fiscal_year(info.year)} 公表 取組状況".strip(), author=info.author)
