"""The finance workbook's sheets laid out for A4: title block, fitted widths, wrap, number formats, print setup.

Widths are fitted to the content, then the long text columns are narrowed (they
wrap, rows grow) until the sheet fits one landscape page wide at a scale that
keeps 10 pt body text at least 8 pt on paper; a shrink-to-fit of 40 % would
make the page unreadable. The scale is judged for the widest rendering of a
width unit: where Calibri (the workbook's default font) is missing, LibreOffice
measures columns with DejaVu Sans, whose digits are a third wider than
Calibri's 7 px, so the same sheet needs more shrinking there than in Excel.

Numbers keep the report's own number format; where it has none, amounts (千円)
show as ``#,##0`` and ratios (a header ending in 率, stored as fractions) as
``0.0%``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Sequence

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from addin.fiscal import format_fiscal_year, format_fiscal_year_long
from addin.xlsx.styles import (
    AMOUNT_FORMAT,
    BODY_FONT,
    BOLD_FONT,
    CENTER,
    HEADER_FILL,
    HEADER_FONT,
    PERCENT_FORMAT,
    SUBTOTAL_FILL,
    THIN_BORDER,
    TITLE_FONT,
    TOTAL_FILL,
    WRAP_TOP,
    display_units,
    text_lines,
)
from addin.xlsx.tables import header_key
from addin.xlsx.writer import ReportBook, ReportSheet

__all__ = ["ReportInfo", "FinanceTable", "add_finance_sheet", "fit_widths", "column_needs", "printed_scale",
           "column_px", "display_text", "number_format", "is_percent", "is_amount", "is_department",
           "join_departments", "MIN_SCALE", "BODY_POINTS", "NOTE_FONT"]

BODY_POINTS = 10.0
MIN_SCALE = 0.83  # 10 pt body text prints at 8 pt or larger, with some to spare for other renderers
# A4 landscape (11.69 in) minus the 0.4 in side margins, at 96 px per inch.
_PRINTABLE_PX = (11.69 - 0.8) * 96
# A column w characters wide is 7w + 5 px in Excel (Calibri 11). LibreOffice with DejaVu Sans in its
# place prints it wider: 9.35 px for each unit of the width stored in the file (w + 5/7), plus 1 px,
# measured from the scale of three rendered sheets of 8 to 17 columns; 9.4 keeps a little to spare.
EXCEL_PX_PER_UNIT, EXCEL_PX_PAD, LIBREOFFICE_PX_PER_UNIT, LIBREOFFICE_PX_PAD = 7.0, 5.0, 9.4, 1.0
_LINE_POINTS = 16.5  # a line of 10 pt 游ゴシック in Excel (LibreOffice needs less)
_MAX_TEXT_WIDTH = 40.0
_MIN_TEXT_WIDTH = 8.0
# Digits are at most one unit wide in Excel's 10 pt 游ゴシック (a comma half of one); one unit more keeps
# "###" away.
_NUMBER_PAD = 1.0
NOTE_FONT = Font(name=BODY_FONT.name, size=BODY_POINTS, color="595959")  # notes print as large as the body
_LITERAL = re.compile(r'"([^"]*)"')
_CODE = re.compile(r"[!-~]{1,16}")  # an ID or code: printable ASCII without spaces
_CENTRE_TOP = Alignment(horizontal="center", vertical="top", wrap_text=True)
_TOTAL_LABELS = ("小計", "総計", "合計")
_DEPARTMENT_HEADERS = ("実施担当", "担当課", "所管課", "記入担当課")


@dataclass(frozen=True)
class ReportInfo:
    """Where the tables come from: plan, fiscal year, the report file, the day of the export."""

    plan_name: str
    year: int
    source: Path
    made: date
    author: str | None = None

    def year_labels(self) -> str:
        """令和8年度（R8）."""
        return f"{format_fiscal_year_long(self.year)}（{format_fiscal_year(self.year)}）"

    def made_label(self) -> str:
        """2026年12月2日."""
        return f"{self.made.year}年{self.made.month}月{self.made.day}日"


@dataclass
class FinanceTable:
    """One sheet of the report as values: notes above the table, one header row, data rows, anything below."""

    sheet: str
    header: list[str]
    rows: list[list[object]]
    preamble: list[list[object]] = field(default_factory=list)
    trailing: list[list[object]] = field(default_factory=list)
    formats: list[list[str | None]] = field(default_factory=list)  # the report's number formats, by row
    preamble_formats: list[list[str | None]] = field(default_factory=list)

    def without(self, names: Sequence[str]) -> "FinanceTable":
        """This table without the columns ``names`` (itself when it has none of them)."""
        dropped = {header_key(n) for n in names}
        keep = [c for c, name in enumerate(self.header) if header_key(name) not in dropped]
        if len(keep) == len(self.header):
            return self
        return replace(self, header=[self.header[c] for c in keep], rows=[[r[c] for c in keep] for r in self.rows],
                       formats=[[line[c] for c in keep if c < len(line)] for line in self.formats])

    def source_format(self, row: int, col: int, preamble: bool = False) -> str | None:
        """The number format the report gave this cell (None for General or unknown)."""
        formats = self.preamble_formats if preamble else self.formats
        found = formats[row][col] if row < len(formats) and col < len(formats[row]) else None
        return None if found in (None, "", "General") else found


def is_percent(name: object) -> bool:
    """達成率, 進捗率, …: a ratio stored as a fraction."""
    return str(name or "").strip().endswith("率")


def is_amount(name: object) -> bool:
    """An amount in 千円."""
    return "千円" in str(name or "")


def is_department(name: object) -> bool:
    """A column naming the departments in charge (one per line in the report)."""
    text = str(name or "").strip()
    return text in _DEPARTMENT_HEADERS or text.endswith("担当")


def join_departments(value: object) -> object:
    """``DX推進課\\n市民課`` → ``DX推進課、市民課``."""
    if not isinstance(value, str):
        return value
    return "、".join(part.strip() for part in value.splitlines() if part.strip())


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number_format(value: object, header: object, source: str | None = None) -> str | None:
    """The format a number is shown with: the report's own, else 0.0% for a ratio, #,##0 for 千円 and counts."""
    if not _is_number(value):
        return None
    if source:
        return source
    if is_percent(header):
        return PERCENT_FORMAT
    if is_amount(header) or float(value).is_integer():
        return AMOUNT_FORMAT
    return "#,##0.0#"


def display_text(value: object, fmt: str | None = None) -> str:
    """About the text a cell shows with its number format (for widths, row heights and the CSV)."""
    if value is None:
        return ""
    if not _is_number(value):
        return str(value)
    section = (fmt or "").split(";")[0]
    if "%" in section:
        text = f"{value * 100:.1f}%"
    elif isinstance(value, float) and not value.is_integer():
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{int(value):,}"
    return text + "".join(_LITERAL.findall(section))  # 1,000"（見込）" shows its mark


def column_needs(table: FinanceTable) -> tuple[list[float], list[float]]:
    """Per column: the width that shows it on one line (long text capped), and the narrowest it may become.

    Text may wrap down to a few characters a line; a number never wraps, so its
    column keeps the width of its longest value; a header may take two lines.
    """
    needs, mins = [], []
    for col, name in enumerate(table.header):
        header = str(name or "")
        longest_text = longest_number = 0
        for r, row in enumerate(table.rows):
            value = row[col] if col < len(row) else None
            fmt = number_format(value, name, table.source_format(r, col))
            units = max(display_units(line) for line in display_text(value, fmt).split("\n"))
            if isinstance(value, str) and not _CODE.fullmatch(value):
                longest_text = max(longest_text, units)
            else:  # numbers and codes (1-(2)-10, R8) would break mid-token: never narrower than they are
                longest_number = max(longest_number, units + 1 if isinstance(value, str) else units)
        for r, row in enumerate(table.preamble):  # a headline number above the table must fit its column too
            value = row[col] if col < len(row) else None
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                fmt = number_format(value, None, table.source_format(r, col, preamble=True))
                longest_number = max(longest_number, display_units(display_text(value, fmt)))
        number = longest_number + _NUMBER_PAD if longest_number else 0.0
        need = max(min(longest_text + 2.0, _MAX_TEXT_WIDTH), number, _header_width(header), 5.0)
        floor = max(number, min(longest_text + 2.0, _MIN_TEXT_WIDTH), _header_width(header), 5.0)
        needs.append(need)
        mins.append(min(floor, need))
    return needs, mins


def _header_width(name: str) -> float:
    """Wide enough for the header on two lines, broken before a unit such as （千円）."""
    units = display_units(name)
    if units <= 4:
        return units + 2
    if " " in name.strip():  # a grouped header: R8 目標
        return max(display_units(part) for part in name.split()) + 2
    if "（" in name[1:]:
        head, _, unit = name.partition("（")
        return max(display_units(head), display_units(unit) + 2) + 2
    return math.ceil(units / 2) + 2


def column_px(width: float) -> float:
    """The printed width of a column at 100 %, the wider of Excel's and LibreOffice's rendering."""
    return max(EXCEL_PX_PER_UNIT * width + EXCEL_PX_PAD,
               LIBREOFFICE_PX_PER_UNIT * (width + EXCEL_PX_PAD / EXCEL_PX_PER_UNIT) + LIBREOFFICE_PX_PAD)


def printed_scale(widths: Sequence[float]) -> float:
    """The scale a one-page-wide A4 landscape print of these columns needs (1 when they fit)."""
    total = sum(column_px(w) for w in widths)
    return min(1.0, _PRINTABLE_PX / total) if total else 1.0


def fit_widths(needs: Sequence[float], mins: Sequence[float], min_scale: float = MIN_SCALE) -> list[float]:
    """Narrow the widest columns to one common cap, as little as needed to print at ``min_scale`` or larger.

    When even the narrowest widths do not reach ``min_scale`` they are returned as they are.
    """
    if printed_scale(needs) >= min_scale:
        return list(needs)

    def capped(level: float) -> list[float]:
        return [max(lo, min(n, level)) for n, lo in zip(needs, mins)]

    low, high = 0.0, max(needs)
    for _ in range(40):  # bisection on the cap; the total width grows with it
        mid = (low + high) / 2
        if printed_scale(capped(mid)) >= min_scale:
            low = mid
        else:
            high = mid
    return [math.floor(w * 2) / 2 for w in capped(low)]


def _height(texts: Sequence[str], widths: Sequence[float]) -> float | None:
    lines = max((text_lines(text, w) for text, w in zip(texts, widths)), default=1)
    return min(lines, 40) * _LINE_POINTS + 3 if lines > 1 else None


def _escape(text: str) -> str:
    return text.replace("&", "&&")


def _banner(sheet: ReportSheet, row: int, text: str, style, widths: Sequence[float], points: float) -> None:
    """One line of text across the table's width, wrapped when the page is too narrow for it."""
    total = sum(widths) * BODY_POINTS / points
    lines = text_lines(text, total)
    if lines > 1 or points > BODY_POINTS:
        sheet.height(row, lines * points * 1.5 + 2)
    if len(widths) > 1:
        sheet.merge(f"A{row}:{get_column_letter(len(widths))}{row}", text, style)
    else:
        sheet.write(row, 1, text, style)


def add_finance_sheet(book: ReportBook, table: FinanceTable, info: ReportInfo) -> ReportSheet:
    """Write one sheet: title block, the report's notes, the table with filter and formats, what follows it."""
    sheet = book.add_sheet(table.sheet)
    widths = fit_widths(*column_needs(table))
    sheet.widths(dict(enumerate(widths, start=1)))
    wrap = {"alignment": WRAP_TOP}
    title = "　".join(part for part in (info.plan_name, info.year_labels(), table.sheet) if part)
    _banner(sheet, 1, title, book.style(font=TITLE_FONT, **wrap), widths, TITLE_FONT.sz)
    _banner(sheet, 2, f"出典: {info.source.name}　作成日: {info.made_label()}　（値のみ。数式・リンクはありません）",
            book.style(font=BODY_FONT, **wrap), widths, BODY_POINTS)
    row = 3
    for index, values in enumerate(table.preamble):
        filled = [v for v in values if v not in (None, "")]
        if len(filled) == 1 and isinstance(values[0], str):
            _banner(sheet, row, values[0], book.style(font=NOTE_FONT, **wrap), widths, BODY_POINTS)
        else:  # a headline block (目標 3,000 | 累計 2,500 | 進捗率 25.0%): cells as the report had them
            formats = [number_format(v, None, table.source_format(index, c, preamble=True))
                       for c, v in enumerate(values)]
            _write_headline(sheet, row, values[:len(widths)], widths, formats)
        row += 1
    header_row = row + 1
    header_style = book.style(font=HEADER_FONT, fill=HEADER_FILL, alignment=CENTER, border=THIN_BORDER)
    # A grouped header (R8 目標) breaks at its space: the year above, the column below.
    header = [name.replace(" ", "\n", 1) for name in table.header]
    header_height = _height(header, widths)
    if header_height:
        sheet.height(header_row, header_height)
    sheet.write_row(header_row, header, header_style)
    centred = _short_columns(table)
    for index, values in enumerate(table.rows):
        formats = [number_format(v, name, table.source_format(index, c))
                   for c, (v, name) in enumerate(zip(values, table.header))]
        _write_cells(sheet, header_row + 1 + index, values, widths, formats, border=True, centred=centred)
    last = header_row + max(len(table.rows), 1)
    row = last + 2
    starts = True  # a block below the table (課別の効果額): its title, its header row, its rows with borders
    for values in table.trailing:
        filled = [v for v in values if v not in (None, "")]
        used = values[:max(i for i, v in enumerate(values) if v not in (None, "")) + 1] if filled else []
        if len(filled) == 1 and isinstance(values[0], str):
            _banner(sheet, row, values[0], book.style(font=BOLD_FONT, **wrap), widths, BODY_POINTS)
            starts = True
        elif starts and filled:
            height = _height([str(v or "") for v in used], widths)
            if height:
                sheet.height(row, height)
            sheet.write_row(row, used, header_style)
            starts = False
        elif filled:
            _write_cells(sheet, row, used, widths, [number_format(v, None) for v in used], border=True)
        row += 1
    key = next((i for i, name in enumerate(table.header) if name == "項目ID"), 0)
    sheet.freeze(f"{get_column_letter(key + 2)}{header_row + 1}")
    sheet.autofilter(f"A{header_row}:{get_column_letter(len(table.header))}{last}")
    sheet.print_setup(header_rows=(header_row, header_row))
    # Every page names what it is: a loose page of the print-out is still identifiable.
    sheet.ws.set_header(f"&L&10{_escape(title)}&R&10{_escape(info.source.name)}", {"margin": 0.25})
    return sheet


def _short_columns(table: FinanceTable) -> set[int]:
    """Columns of short codes (単位, 年度, 区分): centred, as in the report."""
    short = set()
    for col in range(len(table.header)):
        values = [r[col] for r in table.rows if col < len(r) and r[col] not in (None, "")]
        if values and all(isinstance(v, str) and display_units(v) <= 4 for v in values):
            short.add(col)
    return short


def _write_headline(sheet: ReportSheet, row: int, values: Sequence[object], widths: Sequence[float],
                    formats: Sequence[str | None]) -> None:
    """A headline row (label, value, label, value…): a label spans the empty cells up to the next value, as
    the report merged them, so it reads on one line instead of wrapping in a narrow column."""
    spans, col = [], 0
    while col < len(values):
        end = col
        while isinstance(values[col], str) and end + 1 < len(values) and values[end + 1] in (None, ""):
            end += 1
        spans.append((col, end))
        col = end + 1
    height = _height([display_text(values[a], formats[a]) for a, _b in spans], [sum(widths[a:b + 1]) for a, b in spans])
    if height:
        sheet.height(row, height)
    for a, b in spans:
        style = sheet.book.style(font=BODY_FONT, alignment=WRAP_TOP, **({"number_format": formats[a]} if formats[a] else {}))
        if b > a:
            sheet.merge(f"{get_column_letter(a + 1)}{row}:{get_column_letter(b + 1)}{row}", values[a], style)
        else:
            sheet.write(row, a + 1, values[a], style)


def _write_cells(sheet: ReportSheet, row: int, values: Sequence[object], widths: Sequence[float],
                 formats: Sequence[str | None], border: bool, centred: set[int] = frozenset()) -> None:
    book = sheet.book
    total = any(isinstance(v, str) and v.strip() in _TOTAL_LABELS for v in values[:2])
    height = _height([display_text(v, f) for v, f in zip(values, formats)], widths)
    if height:
        sheet.height(row, height)
    for col, value in enumerate(values):
        attrs = {"font": BOLD_FONT if total else BODY_FONT, "alignment": _CENTRE_TOP if col in centred else WRAP_TOP}
        if border:
            attrs["border"] = THIN_BORDER
        if total:
            attrs["fill"] = TOTAL_FILL if any(v == "総計" for v in values[:2]) else SUBTOTAL_FILL
        if formats[col]:
            attrs["number_format"] = formats[col]
        sheet.write(row, col + 1, value, book.style(**attrs))
