"""The two kinds of cell of a department workbook: fixed (grey, locked) and input (yellow, unlocked).

Row heights: Excel grows a row with its wrapped text only while the row keeps its automatic
height, and it never recomputes a height stored in the file. A generated form must store one
(a row of one line would hide everything typed in it), so :func:`fit_row_height` estimates it
from the longest text in the row; text typed later keeps the stored height until the row is
refitted (double-click the row border) — 記入要領 says so. Excel allows at most 409 points
(about 23 lines): beyond that, text stays in the cell but is hidden on screen and in print, and
:func:`mark_overflow` turns it red so the clerk sees it (記入要領 says what red means).
"""

from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from addin.xlsx.styles import BODY_FONT, FIXED_FILL, INPUT_FILL, LOCKED, THIN_BORDER, UNLOCKED, WRAP_TOP, restyle, text_lines

__all__ = ["LINE_HEIGHT", "MAX_ROW_HEIGHT", "OVERFLOW_FONT", "fixed", "input_cell", "fit_row_height", "visible_lines",
           "visible_characters", "mark_overflow"]

LINE_HEIGHT = 17.0  # points per wrapped line of 10-point 游ゴシック in Excel (LibreOffice needs less)
MAX_ROW_HEIGHT = 409.0  # Excel's largest row height, in points
_ROW_PADDING = 6.0
_DEFAULT_WIDTH = 8.43  # Excel's width of a column nobody sized
OVERFLOW_FONT = Font(color="C00000", bold=True)  # text longer than the tallest row shows


def fixed(cell, value, number_format: str | None = None, align: Alignment = WRAP_TOP) -> None:
    """A cell the plan fixes: grey and locked."""
    cell.value = value
    restyle(cell, font=BODY_FONT, fill=FIXED_FILL, border=THIN_BORDER, alignment=align, protection=LOCKED,
            **({"number_format": number_format} if number_format else {}))


def input_cell(cell, align: Alignment = WRAP_TOP) -> None:
    """A cell the department fills: yellow and unlocked."""
    restyle(cell, font=BODY_FONT, fill=INPUT_FILL, border=THIN_BORDER, alignment=align, protection=UNLOCKED)


def visible_lines() -> int:
    """How many wrapped lines the tallest row Excel allows shows."""
    return int((MAX_ROW_HEIGHT - _ROW_PADDING) // LINE_HEIGHT)


def visible_characters(width: float) -> int:
    """About how many full-width characters the tallest row shows in a column ``width`` wide (as text_lines counts)."""
    return visible_lines() * max(int(width - 1.5) // 2, 1)


def mark_overflow(ws, rng: str, width: float) -> None:
    """Red text where a cell holds more than the tallest row can show: the visible note that part is hidden."""
    top_left = rng.split(":")[0]
    ws.conditional_formatting.add(rng, FormulaRule(formula=[f"LEN({top_left})>{visible_characters(width)}"],
                                                   font=OVERFLOW_FONT, stopIfTrue=False))


def fit_row_height(ws, row: int, minimum: float) -> float:
    """Set ``row`` tall enough for its longest wrapped text (at least ``minimum``, at most Excel's limit)."""
    lines = 1
    for cell in ws[row]:
        if cell.value is None or isinstance(cell.value, (int, float)):
            continue
        width = ws.column_dimensions[get_column_letter(cell.column)].width or _DEFAULT_WIDTH
        lines = max(lines, text_lines(str(cell.value), width))
    height = min(MAX_ROW_HEIGHT, max(minimum, lines * LINE_HEIGHT + _ROW_PADDING))
    ws.row_dimensions[row].height = height
    return height
