"""What every report sheet shares: the title block, a styled table, grade colours, row heights."""

from __future__ import annotations

from typing import Callable, Sequence

from openpyxl.utils import get_column_letter

from addin.consolidation.summary import Consolidation
from addin.fiscal import format_fiscal_year_long
from addin.xlsx.styles import (
    BAD_FILL,
    BAD_FONT,
    BODY_FONT,
    CENTER,
    GOOD_FILL,
    GOOD_FONT,
    HEADER_FILL,
    HEADER_FONT,
    NEUTRAL_FILL,
    NEUTRAL_FONT,
    REPORT_NOTE_FONT,
    THIN_BORDER,
    TITLE_FONT,
    WRAP_TOP,
    display_units,
    line_capacity,
    text_lines,
)
from addin.xlsx.writer import ReportSheet

__all__ = ["HEADER_ROW", "title_block", "write_table", "header_cells", "grade_colours", "achievement_colours",
           "row_height", "number_format", "RowStyles"]

HEADER_ROW = 4  # rows 1-2: title and subtitle; row 3 a note or empty
_LINE_HEIGHT = 15.0
# For one data row: extra style attributes by header name, "*" for every cell of the row.
RowStyles = Callable[[int, Sequence[object]], "dict[str, dict] | None"]


def title_block(sheet: ReportSheet, summary: Consolidation, name: str, note: str | None = None) -> None:
    """Row 1 the plan name, year and sheet name; row 2 the municipality and period; row 3 an optional note."""
    s = summary.plan.settings
    book = sheet.book
    sheet.write(1, 1, f"{s.plan_name}　{format_fiscal_year_long(summary.year)} {name}", book.style(font=TITLE_FONT))
    sheet.write(2, 1, f"{s.municipality}　計画期間 {summary.plan.period_label}", book.style(font=BODY_FONT))
    if note:
        sheet.write(3, 1, note, book.style(font=REPORT_NOTE_FONT))


def number_format(value: object) -> str:
    """#,##0 for whole numbers, one or two decimals otherwise."""
    if isinstance(value, float) and not value.is_integer():
        return "#,##0.0#"
    return "#,##0"


def header_cells(sheet: ReportSheet, row: int, headers: Sequence[str], first_col: int = 1) -> None:
    """Dark header cells with white bold text, centered and wrapped."""
    style = sheet.book.style(font=HEADER_FONT, fill=HEADER_FILL, alignment=CENTER, border=THIN_BORDER)
    sheet.write_row(row, headers, style, first_col=first_col)


def write_table(sheet: ReportSheet, headers: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float],
                header_row: int = HEADER_ROW, freeze_col: int = 1, column_styles: dict[str, dict] | None = None,
                row_styles: RowStyles | None = None, fit_heights: bool = False) -> tuple[int, int]:
    """Header and body cells with the shared look, frozen header, autofilter, print setup; returns (first, last) data row.

    ``column_styles`` maps a header to extra style attributes for its body cells;
    ``row_styles(index, values)`` adds attributes for one row (by header, "*" for all);
    ``fit_heights`` makes rows tall enough for their wrapped text.
    """
    book = sheet.book
    base = {"font": BODY_FONT, "alignment": WRAP_TOP, "border": THIN_BORDER}
    column_attrs = [{**base, **(column_styles or {}).get(name, {})} for name in headers]
    column_formats = [book.style(**attrs) for attrs in column_attrs]
    sheet.widths(dict(enumerate(widths, start=1)))
    header_cells(sheet, header_row, headers)
    for index, values in enumerate(rows):
        r = header_row + 1 + index
        if fit_heights:
            height = row_height(values, widths)
            if height:
                sheet.height(r, height)
        extra = row_styles(index, values) if row_styles is not None else None
        if extra:
            everywhere = extra.get("*", {})
            formats = [book.style(**{**attrs, **everywhere, **extra.get(name, {})}) if (everywhere or name in extra)
                       else fmt for name, attrs, fmt in zip(headers, column_attrs, column_formats)]
        else:
            formats = column_formats
        sheet.write_row(r, values, formats)
    last = header_row + max(len(rows), 1)
    sheet.freeze(f"{get_column_letter(freeze_col + 1)}{header_row + 1}")
    sheet.autofilter(f"A{header_row}:{get_column_letter(len(headers))}{last}")
    sheet.print_setup(header_rows=(header_row, header_row))
    return header_row + 1, last


def grade_colours(sheet: ReportSheet, ref: str) -> None:
    """A green, B amber, C red, in ``ref`` (also where the secretariat types a grade later)."""
    for grade, fill, font in (("A", GOOD_FILL, GOOD_FONT), ("B", NEUTRAL_FILL, NEUTRAL_FONT), ("C", BAD_FILL, BAD_FONT)):
        sheet.highlight(ref, "==", f'"{grade}"', font=font, fill=fill)


def achievement_colours(sheet: ReportSheet, ref: str) -> None:
    """Target met (≥100%) green, worse than the baseline (<0%) red."""
    sheet.highlight(ref, ">=", "1", font=GOOD_FONT, fill=GOOD_FILL)
    sheet.highlight(ref, "<", "0", font=BAD_FONT, fill=BAD_FILL)


ROW_LINES = 25  # wrapped lines that fit one row: Excel's rows stop at 409 pt


def _lines(value: object, width: float) -> int:
    return 1 if value is None else text_lines(str(value), width)


def _cut(paragraph: str, limit: int) -> list[str]:
    """A paragraph in pieces of at most ``limit`` display units (wide characters count double)."""
    if display_units(paragraph) <= limit:
        return [paragraph]
    chunks, start, used = [], 0, 0
    for index, ch in enumerate(paragraph):
        units = display_units(ch)
        if used + units > limit:
            chunks.append(paragraph[start:index])
            start, used = index, 0
        used += units
    return chunks + [paragraph[start:]]


def row_pieces(text: str, width: float, lines: int = ROW_LINES) -> list[str]:
    """``text`` cut into pieces of at most ``lines`` wrapped lines each, at line breaks where it can.

    One piece per row: a text taller than a row would be cut off on screen and on paper.
    """
    limit = lines * line_capacity(width)
    parts = [piece for paragraph in text.split("\n") for piece in _cut(paragraph, limit)]
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    for part in parts:
        need = text_lines(part, width)
        if current and used + need > lines:
            pieces.append("\n".join(current))
            current, used = [], 0
        current.append(part)
        used += need
    return pieces + ["\n".join(current)] if current else pieces


def row_height(values: Sequence[object], widths: Sequence[float], cap: int = ROW_LINES) -> float | None:
    """The height for wrapped Japanese text (Excel does not grow rows written by a program); None for one line."""
    lines = max((_lines(v, w) for v, w in zip(values, widths)), default=1)
    return min(lines, cap) * _LINE_HEIGHT if lines > 1 else None


def split_row(values: Sequence[object], widths: Sequence[float]) -> list[list[object]]:
    """A table row as one or more rows, each text cut by :func:`row_pieces` for its column; other values
    stay on the first row. Every row then fits Excel's row height and prints whole."""
    pieces = [row_pieces(v, w) if isinstance(v, str) else [v] for v, w in zip(values, widths)]
    count = max((len(p) for p in pieces), default=1)
    return [[p[k] if k < len(p) else None for p in pieces] for k in range(count)]


def number_text(value: object) -> str:
    """A number as text with thousands separators (1,234; 26.5); 「－」 for none; other values as they are."""
    if value is None:
        return "－"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)

