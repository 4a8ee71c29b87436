"""入力チェック marks in an open workbook: a fill and a comment on each bad cell, and a list sheet.

Each run first removes the marks of the previous one: the list sheet keeps,
in hidden columns, each marked cell's own fill and comment, which are put back.
"""

from __future__ import annotations

import json

from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.worksheet.hyperlink import Hyperlink

from addin.validation.codes import label
from addin.validation.issues import ERROR, Issue
from addin.xlsx.styles import (
    BODY_FONT,
    ERROR_FILL,
    TITLE_FONT,
    WARNING_FILL,
    WRAP_TOP,
    set_widths,
    setup_print,
    style_header_row,
)

__all__ = ["mark_workbook", "CHECK_SHEET", "COMMENT_AUTHOR"]

CHECK_SHEET = "入力チェック結果"
COMMENT_AUTHOR = "入力チェック"
HEADERS = ("重要度", "区分", "シート", "セル", "項目ID", "列", "値", "内容", "元の書式")
_HEADER_ROW = 3
_SAVED = len(HEADERS)  # 1-based column of the hidden restore data


def _fill_state(fill) -> dict | None:
    if fill is None or fill.fill_type is None:
        return None
    return {"type": fill.fill_type, "fg": fill.fgColor.rgb if isinstance(fill.fgColor.rgb, str) else None,
            "bg": fill.bgColor.rgb if isinstance(fill.bgColor.rgb, str) else None}


def _restore_fill(state: dict | None) -> PatternFill:
    if not state:
        return PatternFill(fill_type=None)
    kwargs = {"fill_type": state["type"]}
    if state.get("fg"):
        kwargs["fgColor"] = state["fg"]
    if state.get("bg"):
        kwargs["bgColor"] = state["bg"]
    return PatternFill(**kwargs)


def _remove_previous(wb) -> None:
    if CHECK_SHEET not in wb.sheetnames:
        return
    ws = wb[CHECK_SHEET]
    restored: set[tuple[str, str]] = set()
    for row in ws.iter_rows(min_row=_HEADER_ROW + 1, values_only=True):
        if len(row) < _SAVED or not row[2] or not row[3] or not row[_SAVED - 1]:
            continue
        sheet, cell = str(row[2]), str(row[3])
        if (sheet, cell) in restored or sheet not in wb.sheetnames:
            continue
        restored.add((sheet, cell))
        try:
            saved = json.loads(row[_SAVED - 1])
        except (TypeError, ValueError):
            continue
        target = wb[sheet][cell]
        target.fill = _restore_fill(saved.get("fill"))
        if target.comment is not None and target.comment.author == COMMENT_AUTHOR:
            old = saved.get("comment")
            target.comment = Comment(old["text"], old.get("author") or "") if old else None
    del wb[CHECK_SHEET]


def mark_workbook(wb, issues: list[Issue]) -> None:
    """Mark each bad cell (fill, Japanese comment) and list the issues on sheet 入力チェック結果."""
    _remove_previous(wb)
    ws = wb.create_sheet(CHECK_SHEET)
    errors = sum(1 for i in issues if i.severity == ERROR)
    ws["A1"] = "入力チェック結果"
    ws["A1"].font = TITLE_FONT
    ws["A2"] = (f"エラー {errors} 件、警告 {len(issues) - errors} 件。色の付いたセルを直して、もう一度「入力チェック」を押してください。"
                if issues else "問題は見つかりませんでした。このまま提出できます。")
    for col, name in enumerate(HEADERS, start=1):
        ws.cell(_HEADER_ROW, col, name)
    style_header_row(ws, _HEADER_ROW, 1, len(HEADERS))
    messages: dict[tuple[str, str], list[Issue]] = {}
    for issue in issues:
        if issue.sheet and issue.cell and issue.sheet in wb.sheetnames:
            messages.setdefault((issue.sheet, issue.cell), []).append(issue)
    saved: dict[tuple[str, str], str] = {}
    for (sheet, cell), found in messages.items():
        target = wb[sheet][cell]
        own = target.comment
        saved[(sheet, cell)] = json.dumps({
            "fill": _fill_state(target.fill),
            "comment": {"text": own.text, "author": own.author} if own is not None and own.author != COMMENT_AUTHOR else None,
        }, ensure_ascii=False)
        worst = ERROR if any(i.severity == ERROR for i in found) else "warning"
        target.fill = ERROR_FILL if worst == ERROR else WARNING_FILL
        text = "\n".join(i.text for i in found)
        comment = Comment(text, COMMENT_AUTHOR)
        comment.width, comment.height = 320, 40 + 40 * len(found)
        target.comment = comment
    for r, issue in enumerate(issues, start=_HEADER_ROW + 1):
        values = ("エラー" if issue.severity == ERROR else "警告", label(issue.code), issue.sheet, issue.cell,
                  issue.item_id, issue.column, _shown(issue.value), issue.message,
                  saved.pop((issue.sheet, issue.cell), None))
        for col, value in enumerate(values, start=1):
            c = ws.cell(r, col, value)
            c.font, c.alignment = BODY_FONT, WRAP_TOP
        if issue.sheet and issue.cell and issue.sheet in wb.sheetnames:
            ws.cell(r, 4).hyperlink = Hyperlink(ref=f"D{r}", location=f"'{issue.sheet}'!{issue.cell}")
    ws.column_dimensions["I"].hidden = True
    ws.freeze_panes = f"A{_HEADER_ROW + 1}"
    if issues:
        ws.auto_filter.ref = f"A{_HEADER_ROW}:H{_HEADER_ROW + len(issues)}"
    set_widths(ws, {"A": 8, "B": 14, "C": 10, "D": 8, "E": 10, "F": 14, "G": 20, "H": 80})
    setup_print(ws, header_rows=f"{_HEADER_ROW}:{_HEADER_ROW}")


def _shown(value: object) -> object:
    if value is None or isinstance(value, (str, int, float)):
        return value
    return str(value)
