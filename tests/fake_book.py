"""A stand-in for an open Excel workbook: the seam that lets every ribbon button run in tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl


class FakeBook:
    """Implements addin.excel.book.ExcelBook over a file on disk plus in-memory edits."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.written: dict[str, list[list[object]]] = {}
        self.marks: dict[tuple[str, str], tuple[tuple[int, int, int], str]] = {}
        self.alerts: list[str] = []
        self.statuses: list[str | None] = []
        self.active: str | None = None

    def sheet_rows(self, name):
        if name in self.written:
            return self.written[name]
        wb = openpyxl.load_workbook(self.path, read_only=True)
        try:
            if name not in wb.sheetnames:
                return None
            return [list(r) for r in wb[name].iter_rows(values_only=True)]
        finally:
            wb.close()

    def write_rows(self, name, rows):
        self.written[name] = [list(r) for r in rows]

    def save_copy(self, target):
        shutil.copyfile(self.path, target)

    def mark_cell(self, sheet, cell, rgb, note):
        self.marks[(sheet, cell)] = (rgb, note)

    def clear_marks(self, sheet, cells):
        for cell in cells:
            self.marks.pop((sheet, cell), None)

    def activate(self, sheet):
        wb = openpyxl.load_workbook(self.path, read_only=True)
        found = sheet in wb.sheetnames
        wb.close()
        if found:
            self.active = sheet
        return found

    def status(self, text):
        self.statuses.append(text)

    def alert(self, text, title="行革進行管理"):
        self.alerts.append(text)
