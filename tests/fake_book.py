"""A stand-in for an open Excel workbook: the seam that lets every ribbon button run in tests.

Cells keep their real state: each cell's fill and comment start as the file on
disk has them (read with openpyxl) and change only through the methods Excel
offers, so a test sees a fill that a button lost.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl


def _file_state(ws, cell: str) -> dict:
    target = ws[cell]
    fill = target.fill
    color = None
    if fill is not None and fill.fill_type == "solid" and isinstance(fill.fgColor.rgb, str):
        hex_ = fill.fgColor.rgb[-6:]
        color = [int(hex_[i:i + 2], 16) for i in (0, 2, 4)]
    return {"fill": color, "comment": target.comment.text if target.comment is not None else None}


class FakeBook:
    """Implements addin.excel.book.ExcelBook over a file on disk plus in-memory edits."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.written: dict[str, list[list[object]]] = {}
        self.hidden: dict[str, tuple[int, ...]] = {}
        self.cells: dict[tuple[str, str], dict] = {}  # every cell touched: {"fill": [r, g, b] or None, "comment"}
        self.alerts: list[str] = []
        self.statuses: list[str | None] = []
        self.active: str | None = None
        self.exported: list[tuple[Path, Path]] = []  # (workbook, pdf) of each PDF export

    def _sheetnames(self) -> list[str]:
        wb = openpyxl.load_workbook(self.path, read_only=True)
        try:
            return list(wb.sheetnames) + [n for n in self.written if n not in wb.sheetnames]
        finally:
            wb.close()

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

    def write_rows(self, name, rows, hidden_columns=()):
        self.written[name] = [list(r) for r in rows]
        self.hidden[name] = tuple(hidden_columns)

    def save_copy(self, target):
        shutil.copyfile(self.path, target)

    def state(self, sheet, cell) -> dict | None:
        """The cell as Excel would show it now: fill colour and comment text."""
        if (sheet, cell) not in self.cells:
            wb = openpyxl.load_workbook(self.path)
            if sheet not in wb.sheetnames:
                return None
            self.cells[(sheet, cell)] = _file_state(wb[sheet], cell)
        return dict(self.cells[(sheet, cell)])

    def cell_state(self, sheet, cell):
        return self.state(sheet, cell)

    def restore_cell(self, sheet, cell, state, comment_too):
        current = self.state(sheet, cell)
        current["fill"] = list(state["fill"]) if state.get("fill") else None
        if comment_too:
            current["comment"] = state.get("comment")
        self.cells[(sheet, cell)] = current

    def mark_cell(self, sheet, cell, rgb, note):
        self.cells[(sheet, cell)] = {"fill": list(rgb), "comment": note}

    @property
    def marks(self) -> dict[tuple[str, str], tuple[tuple[int, int, int], str]]:
        """The cells that carry an 入力チェック colour now."""
        from addin.validation.marks import ERROR_RGB, WARNING_RGB

        return {key: (tuple(s["fill"]), s["comment"]) for key, s in self.cells.items()
                if s["fill"] and tuple(s["fill"]) in (ERROR_RGB, WARNING_RGB)}

    def activate(self, sheet):
        found = sheet in self._sheetnames()
        if found:
            self.active = sheet
        return found

    def status(self, text):
        self.statuses.append(text)

    def alert(self, text, title="行革進行管理"):
        self.alerts.append(text)

    def export_pdf(self, workbook, pdf):
        """Excel's PDF export, recorded; the file written holds the workbook's name (no Excel here)."""
        self.exported.append((Path(workbook), Path(pdf)))
        Path(pdf).write_bytes(b"%PDF-1.4 stand-in for " + Path(workbook).name.encode("utf-8"))
