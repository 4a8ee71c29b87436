"""The two kinds of cell of a department workbook: fixed (grey, locked) and input (yellow, unlocked)."""

from __future__ import annotations

from openpyxl.styles import Alignment

from addin.xlsx.styles import BODY_FONT, FIXED_FILL, INPUT_FILL, LOCKED, THIN_BORDER, UNLOCKED, WRAP_TOP, restyle

__all__ = ["LINE_HEIGHT", "fixed", "input_cell"]

LINE_HEIGHT = 15.0  # points per wrapped line of 10-point Japanese text


def fixed(cell, value, number_format: str | None = None, align: Alignment = WRAP_TOP) -> None:
    """A cell the plan fixes: grey and locked."""
    cell.value = value
    restyle(cell, font=BODY_FONT, fill=FIXED_FILL, border=THIN_BORDER, alignment=align, protection=LOCKED,
            **({"number_format": number_format} if number_format else {}))


def input_cell(cell, align: Alignment = WRAP_TOP) -> None:
    """A cell the department fills: yellow and unlocked."""
    restyle(cell, font=BODY_FONT, fill=INPUT_FILL, border=THIN_BORDER, alignment=align, protection=UNLOCKED)
