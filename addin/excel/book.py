"""The open Excel workbook behind one small interface; the only module that touches xlwings objects.

:class:`XlwingsBook` wraps ``xw.Book.caller()``; tests use a fake with the same
methods, so every button is tested without Excel.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Protocol, Sequence

from addin.atomic import atomic_path

__all__ = ["ExcelBook", "XlwingsBook", "caller_book", "XLWINGS_HINT"]

XLWINGS_HINT = "xlwings がインストールされていません。コマンドプロンプトで pip install \"reform-addin[excel]\" を実行してください。"


class ExcelBook(Protocol):
    """What the buttons need from the open workbook."""

    path: Path

    def sheet_rows(self, name: str) -> list[list[object]] | None: ...
    def write_rows(self, name: str, rows: Sequence[Sequence[object]], hidden_columns: Sequence[int] = ()) -> None: ...
    def _add_sheet(self, name: str):
        """A new last sheet; a department form locks its structure (no password), so unlock it meanwhile."""
        api = self.book.api
        locked = bool(api.ProtectStructure)
        if locked:
            api.Unprotect()
        try:
            return self.book.sheets.add(name, after=self.book.sheets[-1])
        finally:
            if locked:
                api.Protect(Structure=True)

    def save_copy(self, target: Path) -> None: ...
    # 入力チェック (addin.validation.marks.MarkTarget): a cell's own fill and comment, read and put back.
    def cell_state(self, sheet: str, cell: str) -> dict | None: ...
    def restore_cell(self, sheet: str, cell: str, state: dict, comment_too: bool) -> None: ...
    def mark_cell(self, sheet: str, cell: str, rgb: tuple[int, int, int], note: str) -> None: ...
    def activate(self, sheet: str) -> bool: ...
    def status(self, text: str | None) -> None: ...
    def alert(self, text: str, title: str = "行革進行管理") -> None: ...
    def export_pdf(self, workbook: Path, pdf: Path) -> None: ...


class XlwingsBook:
    """An :class:`ExcelBook` over an xlwings Book (the workbook whose button was clicked)."""

    def __init__(self, book):
        self.book = book
        self.path = Path(book.fullname)

    def _sheet(self, name: str):
        names = [s.name for s in self.book.sheets]
        return self.book.sheets[name] if name in names else None

    def sheet_rows(self, name: str) -> list[list[object]] | None:
        sheet = self._sheet(name)
        if sheet is None:
            return None
        values = sheet.used_range.options(ndim=2).value
        return [list(row) for row in values]

    def write_rows(self, name: str, rows: Sequence[Sequence[object]], hidden_columns: Sequence[int] = ()) -> None:
        sheet = self._sheet(name) or self._add_sheet(name)
        sheet.clear()
        if rows:
            width = max(len(r) for r in rows)
            sheet.range("A1").value = [list(r) + [None] * (width - len(r)) for r in rows]
            sheet.range("A1").expand("right").font.bold = True
            sheet.autofit("c")
        for col in hidden_columns:
            sheet.range((1, col)).api.EntireColumn.Hidden = True

    def save_copy(self, target: Path) -> None:
        # SaveCopyAs keeps the open book untouched (its name, its dirty state); both Windows and
        # macOS Excel expose it through the object model.
        self.book.api.SaveCopyAs(str(target))

    @contextmanager
    def _formattable(self, name: str) -> Iterator[object]:
        """The sheet, unprotected while marks change (a protected form refuses fills and notes), then protected again.

        The forms are protected without a password; the same protection is put back.
        """
        sheet = self.book.sheets[name]
        api = sheet.api
        protected = bool(api.ProtectContents)
        if protected:
            allow = api.Protection
            rows, cols = bool(allow.AllowFormattingRows), bool(allow.AllowFormattingColumns)
            api.Unprotect()
        try:
            yield sheet
        finally:
            if protected:
                api.Protect(Contents=True, AllowFormattingRows=rows, AllowFormattingColumns=cols)

    def cell_state(self, sheet: str, cell: str) -> dict | None:
        target = self._sheet(sheet)
        if target is None:
            return None
        rng = target.range(cell)
        color = rng.color
        return {"fill": list(color) if color else None, "comment": rng.note.text if rng.note is not None else None}

    def restore_cell(self, sheet: str, cell: str, state: dict, comment_too: bool) -> None:
        with self._formattable(sheet) as target:
            rng = target.range(cell)
            rng.color = tuple(state["fill"]) if state.get("fill") else None
            if comment_too:
                if rng.note is not None:
                    rng.note.delete()
                if state.get("comment"):
                    rng.add_note(state["comment"])

    def mark_cell(self, sheet: str, cell: str, rgb: tuple[int, int, int], note: str) -> None:
        with self._formattable(sheet) as target:
            rng = target.range(cell)
            rng.color = rgb
            if rng.note is not None:
                rng.note.delete()
            rng.add_note(note)

    def activate(self, sheet: str) -> bool:
        target = self._sheet(sheet)
        if target is None:
            return False
        target.activate()
        return True

    def status(self, text: str | None) -> None:
        self.book.app.status_bar = text if text else False

    def alert(self, text: str, title: str = "行革進行管理") -> None:
        self.book.app.alert(text, title=title)


    def export_pdf(self, workbook: Path, pdf: Path) -> None:
        # Excel's own PDF export (ExportAsFixedFormat, through xlwings), on the written workbook
        # opened read-only in the same Excel, into a temporary file that replaces ``pdf`` when whole.
        opened = self.book.app.books.open(str(workbook), read_only=True, update_links=False)
        try:
            with atomic_path(pdf) as tmp:
                opened.to_pdf(str(tmp), show=False)
        finally:
            opened.close()


def caller_book() -> XlwingsBook:
    """The workbook whose ribbon button called Python (only valid inside a RunPython call)."""
    try:
        import xlwings as xw
    except ImportError as exc:  # the optional front end: say how to install it
        raise RuntimeError(XLWINGS_HINT) from exc
    return XlwingsBook(xw.Book.caller())
