"""Placeholder opener; replaced by the hardened guard (zip-bomb, XML and format checks)."""

from __future__ import annotations

import openpyxl

from .errors import UnreadableWorkbook


def open_workbook(path, **kwargs):
    """Open an .xlsx with openpyxl; any failure becomes UnreadableWorkbook."""
    try:
        return openpyxl.load_workbook(path, **kwargs)
    except Exception as exc:  # noqa: BLE001 - every reader failure is one Japanese message
        raise UnreadableWorkbook(path, f"Excel ファイル（.xlsx）として開けません（{type(exc).__name__}）。") from exc
