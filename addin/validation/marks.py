"""入力チェック marks as values, and the one way they are put on a workbook and taken off again.

:func:`compute_marks` turns the issues of one department workbook into marks
(sheet, cell, fill colour, comment text): plain values. :func:`apply_check`
puts them on a :class:`MarkTarget` — the open Excel workbook
(:mod:`addin.excel.book`) or an openpyxl workbook (:class:`OpenpyxlTarget`) — and
lists the issues on the sheet 入力チェック結果. The list keeps, in a hidden last
column, each marked cell's own fill and comment; the next run first puts them
back, so the form's own yellow input fill and a clerk's own comment survive.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Protocol, Sequence

from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.worksheet.hyperlink import Hyperlink

from addin.validation.codes import shown
from addin.validation.issues import ERROR, Issue
from addin.xlsx.styles import (
    BODY_FONT,
    BOLD_FONT,
    ERROR_FILL,
    TITLE_FONT,
    WARNING_FILL,
    WRAP_TOP,
    set_widths,
    setup_print,
    style_header_row,
    text_lines,
)

__all__ = ["Mark", "MarkTarget", "OpenpyxlTarget", "compute_marks", "check_rows", "apply_check", "mark_workbook",
           "CHECK_SHEET", "CHECK_HEADERS", "COMMENT_AUTHOR", "HEADER_ROW", "ERROR_RGB", "WARNING_RGB"]

CHECK_SHEET = "入力チェック結果"
COMMENT_AUTHOR = "入力チェック"
SAVED_HEADER = "元の書式"
CHECK_HEADERS = ("重要度", "区分", "シート", "セル", "項目ID", "列", "入力されている値", "直し方", SAVED_HEADER)
HEADER_ROW = 3  # 1-based: title, summary, then the table
_SAVED = len(CHECK_HEADERS) - 1  # 0-based column of the restore data
_TEXT_WIDTH = 80


def _rgb(fill: PatternFill) -> tuple[int, int, int]:
    hex_ = fill.fgColor.rgb[-6:]
    return int(hex_[0:2], 16), int(hex_[2:4], 16), int(hex_[4:6], 16)


ERROR_RGB = _rgb(ERROR_FILL)
WARNING_RGB = _rgb(WARNING_FILL)


@dataclass(frozen=True)
class Mark:
    """What 入力チェック puts on one cell: a fill colour and a comment (every issue of the cell)."""

    sheet: str
    cell: str
    severity: str  # the worst of the cell's issues
    rgb: tuple[int, int, int]
    comment: str


class MarkTarget(Protocol):
    """A workbook marks can be put on: read and restore a cell's own state, mark it, keep the list sheet."""

    def cell_state(self, sheet: str, cell: str) -> dict | None:
        """``{"fill": …, "comment": text or None}`` (fill in the target's own JSON form); None when no such sheet."""

    def restore_cell(self, sheet: str, cell: str, state: dict, comment_too: bool) -> None:
        """Put back a state from :meth:`cell_state` (the comment only when ``comment_too``)."""

    def mark_cell(self, sheet: str, cell: str, rgb: tuple[int, int, int], note: str) -> None:
        """Fill the cell and set its comment."""

    def check_rows(self) -> list[list[object]] | None:
        """The rows of the list sheet of the previous run, None when there is none."""

    def write_check_rows(self, rows: list[list[object]]) -> None:
        """Replace the list sheet with ``rows`` (title, summary, header at HEADER_ROW, one row per issue)."""


def compute_marks(issues: Sequence[Issue]) -> list[Mark]:
    """One mark per cell that has an issue, in the order of the issues; red for an error, amber for a warning."""
    by_cell: dict[tuple[str, str], list[Issue]] = {}
    for issue in issues:
        if issue.sheet and issue.cell:
            by_cell.setdefault((issue.sheet, issue.cell), []).append(issue)
    marks = []
    for (sheet, cell), found in by_cell.items():
        worst = ERROR if any(i.severity == ERROR for i in found) else "warning"
        text = "\n".join(f"【{i.label}】{i.text}" for i in found)
        marks.append(Mark(sheet, cell, worst, ERROR_RGB if worst == ERROR else WARNING_RGB, text))
    return marks


def _summary(issues: Sequence[Issue]) -> str:
    errors = sum(1 for i in issues if i.severity == ERROR)
    if not issues:
        return "問題は見つかりませんでした。このまま提出できます。"
    if not errors:
        return (f"警告 {len(issues)} 件（提出はできます）。色の付いたセルの内容を確認し、"
                "直したら、もう一度「入力チェック」を押してください。")
    return (f"エラー {errors} 件、警告 {len(issues) - errors} 件。色の付いたセルを直して、"
            "もう一度「入力チェック」を押してください。")


def check_rows(issues: Sequence[Issue], saved: dict[tuple[str, str], str] | None = None) -> list[list[object]]:
    """The list sheet as rows: title, summary, header, one row per issue (labels, not codes)."""
    saved = dict(saved or {})
    rows: list[list[object]] = [[CHECK_SHEET], [_summary(issues)], list(CHECK_HEADERS)]
    for issue in issues:
        value = issue.value if issue.value is None or isinstance(issue.value, str) else shown(issue.value)
        rows.append(["エラー" if issue.severity == ERROR else "警告", issue.label, issue.sheet, issue.cell,
                     issue.item_id, issue.column, value, issue.text, saved.pop((issue.sheet, issue.cell), None)])
    return rows


def _previous_states(rows: list[list[object]] | None) -> dict[tuple[str, str], dict]:
    """Each cell marked last time with its own state before the mark, from the list sheet's hidden column."""
    found: dict[tuple[str, str], dict] = {}
    for row in (rows or [])[HEADER_ROW:]:
        if len(row) <= _SAVED or not row[2] or not row[3] or not row[_SAVED]:
            continue
        try:
            state = json.loads(str(row[_SAVED]))
        except ValueError:
            continue
        found.setdefault((str(row[2]), str(row[3])), state)
    return found


def _ours(current: str | None, mark: str | None) -> bool:
    """The comment on the cell is still the one 入力チェック wrote (Excel may prefix the author's name)."""
    return bool(current and mark) and current.strip().endswith(mark.strip())


def apply_check(target: MarkTarget, issues: Sequence[Issue]) -> list[Mark]:
    """Take off the previous marks (restoring each cell), put on the marks of ``issues``, rewrite the list."""
    for (sheet, cell), state in _previous_states(target.check_rows()).items():
        current = target.cell_state(sheet, cell)
        if current is not None:
            target.restore_cell(sheet, cell, state, comment_too=_ours(current.get("comment"), state.get("mark")))
    marks = compute_marks(issues)
    saved: dict[tuple[str, str], str] = {}
    for mark in marks:
        own = target.cell_state(mark.sheet, mark.cell)
        if own is None:
            continue
        saved[(mark.sheet, mark.cell)] = json.dumps({**own, "mark": mark.comment}, ensure_ascii=False)
        target.mark_cell(mark.sheet, mark.cell, mark.rgb, mark.comment)
    target.write_check_rows(check_rows(issues, saved))
    return marks


class OpenpyxlTarget:
    """A :class:`MarkTarget` over an openpyxl workbook (tests, and a workbook checked without Excel)."""

    def __init__(self, wb):
        self.wb = wb

    def cell_state(self, sheet: str, cell: str) -> dict | None:
        if sheet not in self.wb.sheetnames:
            return None
        target = self.wb[sheet][cell]
        fill = target.fill
        state = None
        if fill is not None and fill.fill_type is not None:
            state = {"type": fill.fill_type, "fg": fill.fgColor.rgb if isinstance(fill.fgColor.rgb, str) else None,
                     "bg": fill.bgColor.rgb if isinstance(fill.bgColor.rgb, str) else None}
        own = target.comment
        return {"fill": state, "comment": own.text if own is not None else None,
                "author": own.author if own is not None else None}

    def restore_cell(self, sheet: str, cell: str, state: dict, comment_too: bool) -> None:
        target = self.wb[sheet][cell]
        fill = state.get("fill")
        kwargs = {"fill_type": fill["type"]} if fill else {"fill_type": None}
        for key, name in (("fg", "fgColor"), ("bg", "bgColor")):
            if fill and fill.get(key):
                kwargs[name] = fill[key]
        target.fill = PatternFill(**kwargs)
        if comment_too:
            old = state.get("comment")
            target.comment = Comment(old, state.get("author") or "") if old else None

    def mark_cell(self, sheet: str, cell: str, rgb: tuple[int, int, int], note: str) -> None:
        target = self.wb[sheet][cell]
        target.fill = PatternFill("solid", fgColor="%02X%02X%02X" % rgb)
        comment = Comment(note, COMMENT_AUTHOR)
        comment.width, comment.height = 320, 40 + 20 * note.count("\n") + len(note) // 2
        target.comment = comment

    def check_rows(self) -> list[list[object]] | None:
        if CHECK_SHEET not in self.wb.sheetnames:
            return None
        return [list(r) for r in self.wb[CHECK_SHEET].iter_rows(values_only=True)]

    def write_check_rows(self, rows: list[list[object]]) -> None:
        if CHECK_SHEET in self.wb.sheetnames:
            del self.wb[CHECK_SHEET]
        ws = self.wb.create_sheet(CHECK_SHEET)
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row, start=1):
                c = ws.cell(r, col, value)
                if r > HEADER_ROW:
                    c.font, c.alignment = BODY_FONT, WRAP_TOP
            if r > HEADER_ROW:
                # Spreadsheet applications do not grow a row written by a program: as tall as its text.
                lines = max(text_lines(str(row[7] or ""), _TEXT_WIDTH * 0.85), text_lines(str(row[6] or ""), 17))
                ws.row_dimensions[r].height = 15 * lines if lines > 1 else None
                if row[2] in self.wb.sheetnames and row[3]:
                    ws.cell(r, 4).hyperlink = Hyperlink(ref=f"D{r}", location=f"'{row[2]}'!{row[3]}")
        ws["A1"].font, ws["A2"].font = TITLE_FONT, BOLD_FONT
        style_header_row(ws, HEADER_ROW, 1, len(CHECK_HEADERS) - 1)
        ws.column_dimensions["I"].hidden = True
        ws.freeze_panes = f"A{HEADER_ROW + 1}"
        if len(rows) > HEADER_ROW:
            ws.auto_filter.ref = f"A{HEADER_ROW}:H{len(rows)}"
        set_widths(ws, {"A": 8, "B": 14, "C": 10, "D": 8, "E": 10, "F": 14, "G": 20, "H": _TEXT_WIDTH})
        setup_print(ws, header_rows=f"{HEADER_ROW}:{HEADER_ROW}")


def mark_workbook(wb, issues: list[Issue]) -> list[Mark]:
    """入力チェック on an openpyxl workbook: the same marks and list as in Excel."""
    return apply_check(OpenpyxlTarget(wb), issues)
