"""The look shared by every workbook the tool writes: fonts, fills, borders, page setup."""

from __future__ import annotations

import re

from copy import copy

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "restyle",
    "FONT_NAME", "BODY_FONT", "BOLD_FONT", "TITLE_FONT", "HEADER_FONT", "HEADER_FILL", "INPUT_FILL",
    "FIXED_FILL", "MISSING_FILL", "ERROR_FILL", "WARNING_FILL", "THIN_BORDER", "WRAP_TOP", "CENTER",
    "SUBTITLE_FONT", "NOTE_FONT", "COUNT_FONT", "DONE_FONT", "SECTION_FILL", "UNLOCKED", "LOCKED",
    "BAR_FILL", "BAR_FONT", "LATE_FILL", "LATE_FONT", "CURRENT_YEAR_HEADER_FILL", "CURRENT_YEAR_SIDE",
    "style_header_row", "setup_print", "set_widths", "protect_sheet", "text_lines", "display_units",
    "line_capacity",
]

FONT_NAME = "游ゴシック"
BODY_FONT = Font(name=FONT_NAME, size=10)
BOLD_FONT = Font(name=FONT_NAME, size=10, bold=True)
TITLE_FONT = Font(name=FONT_NAME, size=14, bold=True)
HEADER_FONT = Font(name=FONT_NAME, size=10, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")   # dark blue: headers
FIXED_FILL = PatternFill("solid", fgColor="F2F2F2")    # grey: fixed by the plan, protected
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")    # light yellow: for the department to fill
MISSING_FILL = PatternFill("solid", fgColor="F8CBAD")  # orange: required and still empty
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")    # red: an error found by 入力チェック
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")  # amber: a warning
SUBTITLE_FONT = Font(name=FONT_NAME, size=11, bold=True)
NOTE_FONT = Font(name=FONT_NAME, size=9, color="595959")
COUNT_FONT = Font(name=FONT_NAME, size=11, bold=True, color="C00000")
DONE_FONT = Font(name=FONT_NAME, size=11, bold=True, color="00B050")
SECTION_FILL = PatternFill("solid", fgColor="D9E1F2")  # pale blue: section headings of an instructions sheet
UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)
# 工程表 (Gantt): a bar is a filled cell with a marker; late items are red; the reporting year is framed.
BAR_FILL = PatternFill("solid", fgColor="8EA9DB")
BAR_FONT = Font(name=FONT_NAME, size=10, color="1F3864")
LATE_FILL = PatternFill("solid", fgColor="FF7C80")
LATE_FONT = Font(name=FONT_NAME, size=10, bold=True, color="C00000")
CURRENT_YEAR_HEADER_FILL = PatternFill("solid", fgColor="C65911")
CURRENT_YEAR_SIDE = Side(style="medium", color="C65911")
_THIN = Side(style="thin", color="808080")
THIN_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def style_header_row(ws: Worksheet, row: int, first_col: int, last_col: int) -> None:
    """Dark header cells with white bold text, centered and wrapped."""
    for col in range(first_col, last_col + 1):
        restyle(ws.cell(row=row, column=col), font=HEADER_FONT, fill=HEADER_FILL, alignment=CENTER, border=THIN_BORDER)


def setup_print(ws: Worksheet, header_rows: str | None = None, landscape: bool = True) -> None:
    """A4, landscape by default, fit to one page wide, header rows repeated on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.25  # inside the margins, or the page number is clipped
    if header_rows:
        ws.print_title_rows = header_rows
    ws.oddFooter.center.text = "&P / &N"


def set_widths(ws: Worksheet, widths: dict[str, float]) -> None:
    """Column widths by letter, in Excel's character units."""
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width


def protect_sheet(ws: Worksheet) -> None:
    """Protect a sheet without a password: locked cells are fixed, unlocked cells stay editable.

    Rows and columns may still be resized (long answers need taller rows). No password, on
    purpose: the point is to prevent accidents, and the secretariat must be able to unprotect.
    """
    protection = ws.protection
    protection.sheet = True
    # In OOXML these flags mean "this action is locked"; False allows it under protection.
    protection.formatRows = False
    protection.formatColumns = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False


# Characters two units wide: CJK and full-width forms (U+2E80 on), and the symbols plans use before them.
_WIDE = re.compile("[\u2e80-\U0010ffff①②③④⑤⑥⑦⑧⑨⑩・、。（）「」【】〜～－]")


def display_units(text: str) -> int:
    """Display width in Excel character units: full-width characters count double."""
    return len(text) if text.isascii() else len(text) + len(_WIDE.findall(text))


def line_capacity(width: float) -> int:
    """Display units one line of a wrapped cell ``width`` wide holds in Excel: a 10 pt full-width character
    is 13.3 px, 1.9 units of 7 px (so a display unit is 0.95), less half a unit of padding."""
    return max(int((width - 0.5) / 0.95), 1)


def text_lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (full-width counts double)."""
    capacity = line_capacity(width)
    return sum(max(1, -(-display_units(paragraph) // capacity)) for paragraph in str(text).split("\n"))


# Consolidated report: grades and achievement in Excel's own good / neutral / bad colours.
__all__ += ["GOOD_FILL", "GOOD_FONT", "NEUTRAL_FILL", "NEUTRAL_FONT", "BAD_FILL", "BAD_FONT", "TOTAL_FILL",
            "SUBTOTAL_FILL", "REPORT_NOTE_FONT", "AMOUNT_FORMAT", "PERCENT_FORMAT", "DATETIME_FORMAT"]
GOOD_FILL = PatternFill("solid", fgColor="C6EFCE", bgColor="C6EFCE")     # A, target met
GOOD_FONT = Font(name=FONT_NAME, size=10, color="006100")
NEUTRAL_FILL = PatternFill("solid", fgColor="FFEB9C", bgColor="FFEB9C")  # B
NEUTRAL_FONT = Font(name=FONT_NAME, size=10, color="9C5700")
BAD_FILL = PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE")      # C, worse than the baseline
BAD_FONT = Font(name=FONT_NAME, size=10, color="9C0006")
SUBTOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")                   # 小計 rows
TOTAL_FILL = PatternFill("solid", fgColor="BDD7EE")                      # 総計 rows
REPORT_NOTE_FONT = Font(name=FONT_NAME, size=9, color="595959")
AMOUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"
DATETIME_FORMAT = "yyyy/mm/dd hh:mm"



def restyle(cell, **attrs) -> None:
    """Set style attributes (font, fill, border, alignment, protection, number_format) through a per-workbook cache.

    openpyxl hashes every style object on every assignment, which was half the time of
    writing a department workbook; the same change from the same starting style is
    computed once per workbook and then copied (style indexes belong to one workbook).
    """
    wb = cell.parent.parent
    cache = wb.__dict__.setdefault("_reform_style_cache", {})
    key = (tuple(cell._style) if cell._style is not None else (),
           tuple((k, v if isinstance(v, str) else id(v)) for k, v in attrs.items()))
    found = cache.get(key)
    if found is None:
        for name, value in attrs.items():
            setattr(cell, name, value)
        cache[key] = copy(cell._style)
    else:
        cell._style = copy(found)
