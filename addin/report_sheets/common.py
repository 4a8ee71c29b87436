"""What every report sheet shares: the title block, a styled table, grade colours, row heights."""

from __future__ import annotations

import math
from typing import Sequence

from openpyxl.formatting.rule import CellIsRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..consolidate import Consolidation
from ..fiscal import format_fiscal_year
from ..styles import restyle  # noqa: F401 - re-exported for the report sheets
from ..styles import (BAD_FILL, BAD_FONT, BODY_FONT, GOOD_FILL, GOOD_FONT, NEUTRAL_FILL, NEUTRAL_FONT,
                      REPORT_NOTE_FONT, THIN_BORDER, TITLE_FONT, WRAP_TOP, setup_print, style_header_row)

__all__ = ["HEADER_ROW", "title_block", "write_table", "grade_colours", "achievement_colours", "fit_row_heights",
           "number_format", "japanese_year", "restyle"]

HEADER_ROW = 4  # rows 1-2: title and subtitle; row 3 a note or empty
_LINE_HEIGHT = 15.0


def title_block(ws: Worksheet, summary: Consolidation, name: str, note: str | None = None) -> None:
    """Row 1 the plan name, year and sheet name; row 2 the municipality and period; row 3 an optional note."""
    s = summary.plan.settings
    ws["A1"] = f"{s.plan_name}　{japanese_year(summary.year)} {name}"
    ws["A1"].font = TITLE_FONT
    ws["A2"] = f"{s.municipality}　計画期間 {summary.plan.period_label}"
    ws["A2"].font = BODY_FONT
    if note:
        ws["A3"] = note
        ws["A3"].font = REPORT_NOTE_FONT


def japanese_year(year: int) -> str:
    """令和8年度 (平成 before 2019)."""
    label = format_fiscal_year(year)
    era = "令和" if label.startswith("R") else "平成"
    return f"{era}{label[1:]}年度"


def number_format(value: object) -> str:
    """#,##0 for whole numbers, one or two decimals otherwise."""
    if isinstance(value, float) and not value.is_integer():
        return "#,##0.0#"
    return "#,##0"


def write_table(ws: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float],
                header_row: int = HEADER_ROW, freeze_col: int = 1,
                column_styles: dict[str, dict] | None = None) -> tuple[int, int]:
    """Header and body cells with the shared look, frozen header, autofilter, print setup; returns (first, last) data row.

    ``column_styles`` maps a header to extra style attributes for its body cells.
    """
    extra = {headers.index(name) + 1: attrs for name, attrs in (column_styles or {}).items()}
    for col, name in enumerate(headers, start=1):
        ws.cell(header_row, col, name)
    style_header_row(ws, header_row, 1, len(headers))
    for r, values in enumerate(rows, start=header_row + 1):
        for col, value in enumerate(values, start=1):
            cell = ws.cell(r, col, value)
            if cell.data_type == "f":  # what a department typed is text, never a formula
                cell.data_type = "s"
            restyle(cell, **{"font": BODY_FONT, "alignment": WRAP_TOP, "border": THIN_BORDER, **extra.get(col, {})})
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    last = header_row + max(len(rows), 1)
    ws.freeze_panes = ws.cell(header_row + 1, freeze_col + 1).coordinate
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{last}"
    setup_print(ws, header_rows=f"{header_row}:{header_row}")
    return header_row + 1, last


def grade_colours(ws: Worksheet, ref: str) -> None:
    """A green, B amber, C red, in ``ref`` (also where the secretariat types a grade later)."""
    for grade, fill, font in (("A", GOOD_FILL, GOOD_FONT), ("B", NEUTRAL_FILL, NEUTRAL_FONT), ("C", BAD_FILL, BAD_FONT)):
        ws.conditional_formatting.add(ref, CellIsRule(operator="equal", formula=[f'"{grade}"'], fill=fill, font=font))


def achievement_colours(ws: Worksheet, ref: str) -> None:
    """Target met (≥100%) green, worse than the baseline (<0%) red."""
    ws.conditional_formatting.add(ref, CellIsRule(operator="greaterThanOrEqual", formula=["1"], fill=GOOD_FILL, font=GOOD_FONT))
    ws.conditional_formatting.add(ref, CellIsRule(operator="lessThan", formula=["0"], fill=BAD_FILL, font=BAD_FONT))


def _lines(value: object, width: float) -> int:
    if value is None:
        return 1
    text = str(value)
    per_line = max(int(width / 1.8), 1)  # a Japanese character takes about 1.8 width units
    return sum(max(math.ceil(len(part) / per_line), 1) for part in text.split("\n"))


def fit_row_heights(ws: Worksheet, first: int, last: int, widths: Sequence[float], cap: int = 30) -> None:
    """Row heights for wrapped Japanese text (Excel does not grow rows written by a program)."""
    for r in range(first, last + 1):
        lines = max((_lines(ws.cell(r, c).value, w) for c, w in enumerate(widths, start=1)), default=1)
        if lines > 1:
            ws.row_dimensions[r].height = min(lines, cap) * _LINE_HEIGHT
