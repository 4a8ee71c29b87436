"""The schedule (工程表): one row per bar, one column per plan year, as a sheet of any workbook.

Used alone (``reform gantt``) and inside the consolidated report, where the progress each
department reported (進捗) makes late items stand out. 進捗 is judged against the bar due in the
report year, so it is shown on that bar's row only, and 遅れ marks that bar's report-year cell
only: a bar painted red over five years reads as five years late, and a phase that starts later
cannot be late yet. A year inside a bar holds a marker and a
fill; a year outside is left truly empty (no value, no fill) so readers and filters see the bar
exactly. The reporting year is framed by a thick border and a coloured header instead of a fill,
for the same reason.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.styles import Alignment, Border
from openpyxl.utils import get_column_letter

from addin.fiscal import format_fiscal_year, format_fiscal_year_long
from addin.normalize import NotAChoice, parse_choice
from addin.plan.model import Item, Plan
from addin.xlsx.styles import (
    BAR_FILL,
    BAR_FONT,
    BODY_FONT,
    CENTER,
    CURRENT_YEAR_HEADER_FILL,
    CURRENT_YEAR_SIDE,
    HEADER_FILL,
    HEADER_FONT,
    LATE_FILL,
    LATE_FONT,
    NOTE_FONT,
    SUBTITLE_FONT,
    THIN_BORDER,
    TITLE_FONT,
    WRAP_TOP,
    text_lines,
)
from addin.xlsx.writer import ReportBook, ReportSheet, write_book

__all__ = ["add_gantt_sheet", "write_gantt", "GANTT_SHEET", "GANTT_HEADER_ROW", "MARKER", "LATE_MARKER", "LATE"]

GANTT_SHEET = "工程表"
GANTT_HEADER_ROW = 4
MARKER = "●"
LATE_MARKER = "▲"  # a different shape too, so late bars stand out on a black-and-white printout
LATE = "遅れ"

_FIXED_COLUMNS = (("項目ID", 9), ("取組", 22), ("改革項目", 24), ("工程", 40), ("実施担当", 18))
_PROGRESS_COLUMN = ("進捗", 10)
_YEAR_WIDTH = 7
_LINE_HEIGHT = 15.0


def _is_late(value: object) -> bool:
    try:
        return parse_choice(value) == LATE
    except NotAChoice:
        return False


_ID_ALIGNMENT = Alignment(horizontal="center", vertical="top")
# The reporting year's column is framed; every cell of it had THIN_BORDER before.
_CURRENT = Border(left=CURRENT_YEAR_SIDE, right=CURRENT_YEAR_SIDE, top=THIN_BORDER.top, bottom=THIN_BORDER.bottom)
_CURRENT_LAST = Border(left=CURRENT_YEAR_SIDE, right=CURRENT_YEAR_SIDE, top=THIN_BORDER.top, bottom=CURRENT_YEAR_SIDE)


def add_gantt_sheet(book: ReportBook, plan: Plan, year: int | None = None,
                    progress_by_item: dict[str, str] | None = None, title: str | None = None) -> ReportSheet:
    """Add the sheet 工程表 to ``book``; ``year`` is highlighted, 遅れ is drawn red in the report-year cell."""
    sheet = book.add_sheet(GANTT_SHEET)
    years = plan.years
    columns = list(_FIXED_COLUMNS) + ([_PROGRESS_COLUMN] if progress_by_item is not None else [])
    first_year_col = len(columns) + 1
    last_col = len(columns) + len(years)
    current_col = first_year_col + years.index(year) if year in years else None
    rows = [(item, bar.label, n == 0, n == _reported_bar(plan.bars_for(item), year))
            for item in plan.items for n, bar in enumerate(plan.bars_for(item))]
    spans = [(bar.start, bar.end) for item in plan.items for bar in plan.bars_for(item)]
    last_row = GANTT_HEADER_ROW + len(rows)

    widths = {i: w for i, (_, w) in enumerate(columns, start=1)}
    widths.update({c: _YEAR_WIDTH for c in range(first_year_col, last_col + 1)})
    sheet.widths(widths)
    sheet.height(1, 24)
    sheet.write(1, 1, title or f"{plan.settings.plan_name} 工程表（{plan.period_label}）", book.style(font=TITLE_FONT))
    if year is not None:
        sheet.write(2, 1, f"報告年度　{format_fiscal_year_long(year)}（{format_fiscal_year(year)}）",
                    book.style(font=SUBTITLE_FONT))
    legend = f"{MARKER}＝実施予定の年度"
    if current_col:
        legend += "　太枠の列＝報告年度"
    if progress_by_item is not None:
        legend += f"　赤・{LATE_MARKER}＝進捗が「{LATE}」（報告年度の工程）"
    sheet.write(3, 1, legend, book.style(font=NOTE_FONT))

    headers = [name for name, _ in columns] + [format_fiscal_year(y) for y in years]
    sheet.height(GANTT_HEADER_ROW, 22)
    for col, name in enumerate(headers, start=1):
        current = col == current_col
        sheet.write(GANTT_HEADER_ROW, col, name, book.style(
            font=HEADER_FONT, fill=CURRENT_YEAR_HEADER_FILL if current else HEADER_FILL, alignment=CENTER,
            border=_CURRENT if current else THIN_BORDER))

    for row, ((item, label, first, reported), (start, end)) in enumerate(zip(rows, spans), start=GANTT_HEADER_ROW + 1):
        progress = (progress_by_item or {}).get(item.item_id) if reported else None
        late = _is_late(progress)
        lines = max(text_lines(text, width) for text, width in zip(
            (item.area, item.name, label, "、".join(item.in_charge)), (w for _, w in _FIXED_COLUMNS[1:])))
        sheet.height(row, max(20.0, lines * _LINE_HEIGHT + 4))
        _write_bar_row(sheet, row, item, label, progress, late, first, with_progress=progress_by_item is not None)
        for offset, y in enumerate(years):
            col = first_year_col + offset
            inside = start <= y <= end
            late_here = late and col == current_col
            sheet.write(row, col, (LATE_MARKER if late_here else MARKER) if inside else None,
                        _year_style(book, inside, late_here, col == current_col, row == last_row))

    sheet.freeze(f"D{GANTT_HEADER_ROW + 1}")
    if last_row > GANTT_HEADER_ROW:
        sheet.autofilter(f"A{GANTT_HEADER_ROW}:{get_column_letter(last_col)}{last_row}")
    sheet.print_setup((GANTT_HEADER_ROW, GANTT_HEADER_ROW))
    sheet.print_area(f"A1:{get_column_letter(last_col)}{max(last_row, GANTT_HEADER_ROW)}")
    return sheet


def _reported_bar(bars: list, year: int | None) -> int:
    """The bar an item's 進捗 belongs to: the first that includes ``year``.

    Without a report year, or with none due that year (a gap in the schedule), the first bar,
    so a reported 進捗 is never dropped from the sheet.
    """
    return next((n for n, bar in enumerate(bars) if year is not None and bar.start <= year <= bar.end), 0)


def _year_style(book: ReportBook, inside: bool, late: bool, current: bool, last: bool):
    """A year cell: filled inside a bar (red when late), framed in the reporting year's column."""
    border = (_CURRENT_LAST if last else _CURRENT) if current else THIN_BORDER
    if not inside:
        return book.style(border=border, alignment=CENTER)
    return book.style(border=border, alignment=CENTER, fill=LATE_FILL if late else BAR_FILL,
                      font=LATE_FONT if late else BAR_FONT)


def _write_bar_row(sheet: ReportSheet, row: int, item: Item, label: str, progress: object, late: bool, first: bool,
                   with_progress: bool) -> None:
    # The item is repeated on every bar row so a filter or a reader of one row sees it whole;
    # on the item's later rows it is grey, so the eye still groups the bars of one item.
    book = sheet.book
    values = [item.item_id, item.area, item.name, label, "、".join(item.in_charge)]
    for col, value in enumerate(values, start=1):
        sheet.write(row, col, value, book.style(border=THIN_BORDER, alignment=_ID_ALIGNMENT if col == 1 else WRAP_TOP,
                                                font=BODY_FONT if (first or col == 4) else NOTE_FONT))
    if with_progress:
        style = (book.style(border=THIN_BORDER, alignment=CENTER, fill=LATE_FILL, font=LATE_FONT) if late
                 else book.style(border=THIN_BORDER, alignment=CENTER, font=BODY_FONT))  # only on the reported bar
        sheet.write(row, len(values) + 1, progress, style)


def write_gantt(plan: Plan, path: str | Path, year: int | None = None) -> Path:
    """A workbook holding only the 工程表 of ``plan``, written atomically."""
    return write_book(path, lambda book: add_gantt_sheet(book, plan, year),
                      title=f"{plan.settings.plan_name} 工程表", author=plan.settings.municipality)
