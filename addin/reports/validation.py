"""The validation outputs for people: the 検証結果 workbook and one send-back list (差戻し) per department.

Each issue row links to its cell: the link's target is the department
workbook relative to the report, its location the sheet and cell, so a click
opens the file at the bad cell. :func:`add_issue_sheet` is shared with the
consolidated report.
"""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl.styles import Font

from addin.fiscal import format_fiscal_year
from addin.reports.common import header_cells
from addin.validation.codes import label
from addin.validation.issues import ERROR, Issue
from addin.validation.submission import UNREADABLE, ValidationRun
from addin.validation.validate import RETURN_LIST_PREFIX
from addin.xlsx.styles import BODY_FONT, BOLD_FONT, FONT_NAME, THIN_BORDER, TITLE_FONT, WRAP_TOP
from addin.xlsx.writer import ReportBook, ReportSheet, write_book

__all__ = ["write_validation_report", "write_return_lists", "add_issue_sheet", "ISSUE_HEADERS", "return_list_name"]

ISSUE_HEADERS = ("重要度", "区分", "ファイル", "担当課", "シート", "セル", "項目ID", "列", "値", "内容")
LINK_FONT = Font(name=FONT_NAME, size=10, color="0563C1", underline="single")
_WIDTHS = (8, 14, 24, 14, 10, 8, 10, 16, 20, 80)
_RETURN_HEADERS = ("No.", "シート", "セル", "項目ID", "列", "入力されている値", "直してほしいこと")
_RETURN_WIDTHS = (5, 10, 8, 10, 16, 20, 80)


def _severity(issue: Issue) -> str:
    return "エラー" if issue.severity == ERROR else "警告"


def _shown(value: object) -> object:
    if value is None or isinstance(value, (str, int, float)):
        return value
    return str(value)


def _link_target(file: str, base: Path | None) -> str:
    """The department workbook, relative to the folder of the report when possible (forward slashes)."""
    if base is None:
        return Path(file).as_posix()
    try:
        return Path(os.path.relpath(Path(file).resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return Path(file).resolve().as_posix()


def add_issue_sheet(book: ReportBook, issues: list[Issue], title: str = "検証結果",
                    departments: dict[str, str] | None = None, base: Path | None = None,
                    summary: list[tuple[str, object]] | None = None, heading: str | None = None) -> ReportSheet:
    """Add a sheet listing ``issues`` (one row each, the セル column linked to the cell) and return it.

    ``departments`` maps a file path to its department; ``base`` is the folder the
    workbook will be saved in (links are relative to it); ``summary`` rows of
    (label, value) go above the table.
    """
    sheet = book.add_sheet(title)
    sheet.widths(dict(enumerate(_WIDTHS, start=1)))
    sheet.write(1, 1, heading or title, book.style(font=TITLE_FONT))
    row = 2
    for name, value in summary or []:
        sheet.write(row, 1, name, book.style(font=BOLD_FONT))
        sheet.write(row, 3, value, book.style(font=BODY_FONT))
        row += 1
    header_row = row + 1
    header_cells(sheet, header_row, ISSUE_HEADERS)
    departments = departments or {}
    body = book.style(font=BODY_FONT, alignment=WRAP_TOP, border=THIN_BORDER)
    link_style = book.style(font=LINK_FONT, alignment=WRAP_TOP, border=THIN_BORDER)
    for r, issue in enumerate(issues, start=header_row + 1):
        values = (_severity(issue), label(issue.code), os.path.basename(issue.file) if issue.file else None,
                  departments.get(issue.file), issue.sheet, issue.cell, issue.item_id, issue.column,
                  _shown(issue.value), issue.message)
        sheet.write_row(r, values, body)
        if issue.file and issue.sheet and issue.cell:
            sheet.link(r, 6, _link_target(issue.file, base), f"'{issue.sheet}'!{issue.cell}", issue.cell, link_style,
                       tooltip="クリックするとそのセルを開きます")
    if not issues:
        sheet.write(header_row + 1, 10, "問題は見つかりませんでした。", book.style(font=BODY_FONT))
    last = header_row + max(len(issues), 1)
    sheet.freeze(f"A{header_row + 1}")
    sheet.autofilter(f"A{header_row}:J{last}")
    sheet.print_setup((header_row, header_row))
    return sheet


def write_validation_report(run: ValidationRun, plan, path: str | os.PathLike) -> Path:
    """Write the 検証結果 workbook of a validation run (atomically) and return its path."""
    path = Path(path)
    s = run.summary()
    year = format_fiscal_year(run.year)
    summary = [("計画", plan.settings.plan_name if plan is not None else None), ("年度", year),
               ("ファイル数", s["files"]), ("正常", s["ok"]), ("要修正", s["invalid"]), ("読めない", s["unreadable"]),
               ("エラー件数", s["errors"]), ("警告件数", s["warnings"]), ("対象外（読み飛ばし）", len(run.skipped))]
    if plan is not None:
        sent = {f.department for f in run.files if f.department}
        missing = [d for d in plan.departments if d not in sent]
        summary.append(("未提出の課", "、".join(missing) if missing else "なし"))
    departments = {f.path: f.department for f in run.files}
    return write_book(path, lambda book: add_issue_sheet(book, run.issues, "検証結果", departments, base=path.parent,
                                                         summary=summary, heading=f"検証結果（{year}）"),
                      title=f"検証結果（{year}）")


def return_list_name(year: int, department: str) -> str:
    """``差戻し_R8_財政課.xlsx``."""
    return f"{RETURN_LIST_PREFIX}{format_fiscal_year(year)}_{department}.xlsx"


def write_return_lists(run: ValidationRun, plan, out_dir: str | os.PathLike) -> list[Path]:
    """One send-back workbook per department whose newest file has errors (or could not be read)."""
    out_dir = Path(out_dir)
    year = format_fiscal_year(run.year)
    by_department: dict[str, list] = {}
    for result in run.files:
        if result.department and not result.superseded:
            by_department.setdefault(result.department, []).append(result)
    written: list[Path] = []
    for department, results in by_department.items():
        bad = [r for r in results if r.errors]
        if not bad:
            continue
        issues = [i for r in bad for i in r.issues]
        written.append(write_book(out_dir / return_list_name(run.year, department),
                                  lambda book: _add_return_sheet(book, plan, year, department, bad, issues),
                                  title=f"入力様式の修正のお願い（{year}・{department}）"))
    return written


def _add_return_sheet(book: ReportBook, plan, year: str, department: str, bad: list, issues: list[Issue]) -> None:
    """One department's send-back list: a short letter, then the cells to fix."""
    files = "、".join(os.path.basename(r.path) for r in bad)
    unreadable = any(r.status == UNREADABLE for r in bad)
    lines = [
        f"{department} ご担当者様",
        "",
        f"{year}の進行管理の入力様式（{files}）を確認したところ、下の表の{len(issues)}件について修正が必要です。",
        ("ファイルを開けなかったため、内容を確認できていません。表の「内容」のとおり対応してください。" if unreadable else
         "表の「シート」「セル」の場所を直してください（「内容」に直し方を書いています）。"),
        "修正したら上書き保存し、同じファイル名で事務局へ提出し直してください。",
        f"（{plan.settings.plan_name if plan is not None else '行動計画'} 事務局）",
    ]
    sheet = book.add_sheet("差戻し")
    sheet.widths(dict(enumerate(_RETURN_WIDTHS, start=1)))
    sheet.write(1, 1, f"入力様式の修正のお願い（{year}・{department}）", book.style(font=TITLE_FONT))
    for r, text in enumerate(lines, start=2):
        sheet.write(r, 1, text, book.style(font=BODY_FONT))
    header_row = len(lines) + 3
    header_cells(sheet, header_row, _RETURN_HEADERS)
    body = book.style(font=BODY_FONT, alignment=WRAP_TOP, border=THIN_BORDER)
    for n, issue in enumerate(issues, start=1):
        sheet.write_row(header_row + n, (n, issue.sheet, issue.cell, issue.item_id, issue.column, _shown(issue.value),
                                         issue.text), body)
    sheet.freeze(f"A{header_row + 1}")
    sheet.print_setup((header_row, header_row))
