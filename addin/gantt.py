"""The schedule (工程表): one row per bar, one column per plan year, as a sheet of any workbook.

Used alone (``reform gantt``) and inside the consolidated report, where the progress each
department reported (進捗) makes late items stand out. A year inside a bar holds a marker and a
fill; a year outside is left truly empty (no value, no fill) so readers and filters see the bar
exactly. The reporting year is framed by a thick border and a coloured header instead of a fill,
for the same reason.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .atomic import atomic_write
from .fiscal import format_fiscal_year, format_fiscal_year_long
from .normalize import NotAChoice, parse_choice
from .plan import Item, Plan
from .styles import (
    BAR_FILL, BAR_FONT, BODY_FONT, CENTER, CURRENT_YEAR_HEADER_FILL, CURRENT_YEAR_SIDE, LATE_FILL, LATE_FONT,
    NOTE_FONT, SUBTITLE_FONT, THIN_BORDER, TITLE_FONT, WRAP_TOP, set_widths, setup_print, style_header_row,
    restyle, text_lines,
)

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


def _unique_title(wb: Workbook) -> int | None:
    """Remove an existing 工程表 (a report made again) and return its position."""
    if GANTT_SHEET not in wb.sheetnames:
        return None
    index = wb.sheetnames.index(GANTT_SHEET)
    wb.remove(wb[GANTT_SHEET])
    return index


_ID_ALIGNMENT = Alignment(horizontal="center", vertical="top")
# The reporting year's column is framed; every cell of it had THIN_BORDER before.
_CURRENT = Border(left=CURRENT_YEAR_SIDE, right=CURRENT_YEAR_SIDE, top=THIN_BORDER.top, bottom=THIN_BORDER.bottom)
_CURRENT_LAST = Border(left=CURRENT_YEAR_SIDE, right=CURRENT_YEAR_SIDE, top=THIN_BORDER.top, bottom=CURRENT_YEAR_SIDE)


def add_gantt_sheet(wb: Workbook, plan: Plan, year: int | None = None,
                    progress_by_item: dict[str, str] | None = None, title: str | None = None) -> Worksheet:
    """Add the sheet 工程表 to ``wb``; ``year`` is highlighted, items whose 進捗 is 遅れ are drawn red."""
    index = _unique_title(wb)
    ws = wb.create_sheet(GANTT_SHEET, index)
    years = plan.years
    columns = list(_FIXED_COLUMNS) + ([_PROGRESS_COLUMN] if progress_by_item is not None else [])
    first_year_col = len(columns) + 1
    last_col = len(columns) + len(years)
    current_col = first_year_col + years.index(year) if year in years else None

    ws["A1"] = title or f"{plan.settings.plan_name} 工程表（{plan.period_label}）"
    ws["A1"].font = TITLE_FONT
    ws.row_dimensions[1].height = 24
    if year is not None:
        ws["A2"] = f"報告年度　{format_fiscal_year_long(year)}（{format_fiscal_year(year)}）"
        ws["A2"].font = SUBTITLE_FONT
    legend = f"{MARKER}＝実施予定の年度"
    if current_col:
        legend += "　太枠の列＝報告年度"
    if progress_by_item is not None:
        legend += f"　赤・{LATE_MARKER}＝進捗が「{LATE}」の項目"
    ws["A3"] = legend
    ws["A3"].font = NOTE_FONT

    headers = [name for name, _ in columns] + [format_fiscal_year(y) for y in years]
    for col, name in enumerate(headers, start=1):
        ws.cell(row=GANTT_HEADER_ROW, column=col, value=name)
    style_header_row(ws, GANTT_HEADER_ROW, 1, last_col)
    ws.row_dimensions[GANTT_HEADER_ROW].height = 22
    if current_col:
        ws.cell(row=GANTT_HEADER_ROW, column=current_col).fill = CURRENT_YEAR_HEADER_FILL

    row = GANTT_HEADER_ROW + 1
    for item in plan.items:
        progress = (progress_by_item or {}).get(item.item_id)
        late = _is_late(progress)
        for n, bar in enumerate(plan.bars_for(item)):
            _write_bar_row(ws, row, item, bar.label, progress, late, first=(n == 0),
                           with_progress=progress_by_item is not None)
            for offset, y in enumerate(years):
                cell = ws.cell(row=row, column=first_year_col + offset)
                if bar.start <= y <= bar.end:
                    cell.value = LATE_MARKER if late else MARKER
                    restyle(cell, border=THIN_BORDER, alignment=CENTER, fill=LATE_FILL if late else BAR_FILL,
                            font=LATE_FONT if late else BAR_FONT)
                else:
                    restyle(cell, border=THIN_BORDER, alignment=CENTER)
            lines = max(text_lines(text, width) for text, width in zip(
                (item.area, item.name, bar.label, "、".join(item.in_charge)), (w for _, w in _FIXED_COLUMNS[1:])))
            ws.row_dimensions[row].height = max(20.0, lines * _LINE_HEIGHT + 4)
            row += 1
    last_row = row - 1

    if current_col:
        for r in range(GANTT_HEADER_ROW, max(last_row, GANTT_HEADER_ROW) + 1):
            cell = ws.cell(row=r, column=current_col)
            restyle(cell, border=_CURRENT_LAST if r == last_row else _CURRENT)

    widths = {get_column_letter(i): w for i, (_, w) in enumerate(columns, start=1)}
    widths.update({get_column_letter(c): _YEAR_WIDTH for c in range(first_year_col, last_col + 1)})
    set_widths(ws, widths)
    ws.freeze_panes = f"D{GANTT_HEADER_ROW + 1}"
    if last_row > GANTT_HEADER_ROW:
        ws.auto_filter.ref = f"A{GANTT_HEADER_ROW}:{get_column_letter(last_col)}{last_row}"
    setup_print(ws, f"{GANTT_HEADER_ROW}:{GANTT_HEADER_ROW}")
    ws.print_area = f"A1:{get_column_letter(last_col)}{max(last_row, GANTT_HEADER_ROW)}"
    return ws


def _write_bar_row(ws: Worksheet, row: int, item: Item, label: str, progress: object, late: bool, first: bool,
                   with_progress: bool) -> None:
    # The item is repeated on every bar row so a filter or a reader of one row sees it whole;
    # on the item's later rows it is grey, so the eye still groups the bars of one item.
    values = [item.item_id, item.area, item.name, label, "、".join(item.in_charge)]
    if with_progress:
        values.append(progress)
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=value)
        restyle(cell, border=THIN_BORDER, alignment=_ID_ALIGNMENT if col == 1 else WRAP_TOP,
                font=BODY_FONT if (first or col == 4) else NOTE_FONT)
    if with_progress:
        cell = ws.cell(row=row, column=len(values))
        restyle(cell, alignment=CENTER, **({"fill": LATE_FILL, "font": LATE_FONT} if late else {}))


def write_gantt(plan: Plan, path: str | Path, year: int | None = None) -> Path:
    """A workbook holding only the 工程表 of ``plan``, written atomically."""
    wb = Workbook()
    wb.remove(wb.active)
    add_gantt_sheet(wb, plan, year)
    return atomic_write(path, wb.save)
