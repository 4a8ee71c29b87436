"""The validation outputs for people: the 検証結果 workbook and one send-back list (差戻し) per department.

Each issue row links to its cell: the link's target is the department
workbook relative to the report, its location the sheet and cell, so a click
opens the file at the bad cell. :func:`add_issue_sheet` is shared with the
consolidated report.
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

from openpyxl.styles import Font

from addin.errors import OutputError, explain_os_error
from addin.fiscal import format_fiscal_year, format_fiscal_year_long
from addin.names import distinct_parts, file_part, inside
from addin.reports.common import header_cells, row_height
from addin.reports.letters import contacts_of, japanese_date
from addin.validation.codes import label, shown
from addin.validation.issues import ERROR, Issue
from addin.validation.submission import UNREADABLE, ValidationRun
from addin.validation.validate import RETURN_LIST_PREFIX
from addin.xlsx.styles import BODY_FONT, BOLD_FONT, FONT_NAME, THIN_BORDER, TITLE_FONT, WRAP_TOP
from addin.xlsx.writer import ReportBook, ReportSheet, write_book

__all__ = ["write_validation_report", "write_return_lists", "add_issue_sheet", "ISSUE_HEADERS", "RETURN_HEADERS",
           "return_list_name", "return_list_names", "return_list_paths", "remove_stale_return_lists", "return_list_prefix", "department_issues", "SECRETARIAT_ONLY"]

ISSUE_HEADERS = ("重要度", "区分", "ファイル", "担当課", "シート", "セル", "項目ID", "列", "値", "内容")
LINK_FONT = Font(name=FONT_NAME, size=10, color="0563C1", underline="single")
_WIDTHS = (8, 14, 24, 14, 10, 8, 10, 16, 20, 80)
_HOW = "直し方"
RETURN_HEADERS = ("No.", "対応", "シート", "セル", "項目ID", "改革項目", "列", "入力されている値", _HOW)
_RETURN_WIDTHS = (5, 7, 9, 7, 9, 26, 14, 18, 62)
_BOLD_LINES = ("再提出期限", "提出期限", "提出先", "問合せ先")


def _severity(issue: Issue) -> str:
    return "エラー" if issue.severity == ERROR else "警告"


def _link_target(file: str, base: Path | None) -> str:
    """The department workbook, relative to the folder of the report when possible (forward slashes)."""
    if base is None:
        return Path(file).as_posix()
    try:
        target = Path(file).resolve()
    except (OSError, RuntimeError):  # a symlink loop (listed as unreadable): link to the name as given
        target = Path(os.path.abspath(file))
    try:
        return Path(os.path.relpath(target, base.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return target.as_posix()


EXCEL_ROWS = 1_048_576  # the last row of a sheet: the rows past it go on to a continuation sheet


def add_issue_sheet(book: ReportBook, issues: list[Issue], title: str = "検証結果",
                    departments: dict[str, str] | None = None, base: Path | None = None,
                    summary: list[tuple[str, object]] | None = None, heading: str | None = None) -> ReportSheet:
    """Add a sheet listing ``issues`` (one row each, the セル column linked to the cell) and return it.

    ``departments`` maps a file path to its department; ``base`` is the folder the
    workbook will be saved in (links are relative to it); ``summary`` rows of
    (label, value) go above the table. Issues that do not fit below Excel's last
    row continue on sheets 「<title>（2）」, 「<title>（3）」…, named in the summary:
    nothing is cut.
    """
    lines = list(summary or [])
    room = EXCEL_ROWS - (len(lines) + 3)  # rows below the header of the first sheet
    if len(issues) > room:
        room -= 1  # one summary line more names the continuation sheets
    chunks = [issues[:room]]
    rest, more_room = issues[room:], EXCEL_ROWS - 4  # a continuation sheet has one summary line
    chunks += [rest[i:i + more_room] for i in range(0, len(rest), more_room)]
    names = [title] + [f"{title}（{n}）" for n in range(2, len(chunks) + 1)]
    if len(chunks) > 1:
        lines.append(("続きのシート", "、".join(names[1:])))
    first = _issue_table(book, chunks[0], names[0], heading or title, lines, departments or {}, base)
    for n, (name, chunk) in enumerate(zip(names[1:], chunks[1:]), start=2):
        _issue_table(book, chunk, name, heading or title, [("続き", f"{title} の続き（{n}/{len(chunks)}）")],
                     departments or {}, base)
    return first


def _issue_table(book: ReportBook, issues: list[Issue], title: str, heading: str,
                 summary: list[tuple[str, object]], departments: dict[str, str], base: Path | None) -> ReportSheet:
    sheet = book.add_sheet(title)
    sheet.widths(dict(enumerate(_WIDTHS, start=1)))
    sheet.write(1, 1, heading, book.style(font=TITLE_FONT))
    row = 2
    for name, value in summary:
        sheet.write(row, 1, name, book.style(font=BOLD_FONT))
        sheet.write(row, 3, value, book.style(font=BODY_FONT))
        row += 1
    header_row = row + 1
    if header_row + len(issues) > EXCEL_ROWS:  # add_issue_sheet splits; never let openpyxl cut or fail late
        raise ValueError(f"{len(issues)} issues do not fit below row {header_row}")
    header_cells(sheet, header_row, ISSUE_HEADERS)
    body = book.style(font=BODY_FONT, alignment=WRAP_TOP, border=THIN_BORDER)
    link_style = book.style(font=LINK_FONT, alignment=WRAP_TOP, border=THIN_BORDER)
    for r, issue in enumerate(issues, start=header_row + 1):
        values = (_severity(issue), label(issue.code), os.path.basename(issue.file) if issue.file else None,
                  departments.get(issue.file), issue.sheet, issue.cell, issue.item_id, issue.column,
                  _typed(issue.value), issue.message)
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
    year = format_fiscal_year_long(run.year)
    summary = [("計画", plan.settings.plan_name if plan is not None else None), ("年度", year),
               *run.summary_lines(), ("対象外（読み飛ばし）", len(run.skipped))]
    if plan is not None:
        sent = {f.department for f in run.files if f.department}
        missing = [d for d in plan.departments if d not in sent]
        summary.append(("未提出の課", "、".join(missing) if missing else "なし"))
    departments = {f.path: f.department for f in run.files}
    return write_book(path, lambda book: add_issue_sheet(book, run.issues, "検証結果", departments, base=path.parent,
                                                         summary=summary, heading=f"検証結果（{year}）"),
                      title=f"検証結果（{year}）")


def return_list_prefix(year: int) -> str:
    """``差戻し_R8_``: what every send-back list of the year is named from."""
    return f"{RETURN_LIST_PREFIX}{format_fiscal_year(year)}_"


def return_list_name(year: int, department: str, tagged: bool = False) -> str:
    """``差戻し_R8_財政課.xlsx``; the department as a safe file-name part (addin.names)."""
    return f"{return_list_prefix(year)}{file_part(department, tagged=tagged)}.xlsx"


def return_list_names(year: int, departments) -> dict[str, str]:
    """{department: send-back list name} for a batch; no two share a file, even on a case-blind disk."""
    return {d: f"{return_list_prefix(year)}{part}.xlsx" for d, part in distinct_parts(departments).items()}


# Warnings that are the secretariat's business, never a department's (SPEC: plan_changed).
SECRETARIAT_ONLY = frozenset({"plan_changed"})


def department_issues(results: list) -> list[Issue]:
    """What one department is told: every issue of its newest files but the secretariat's own warnings,
    and for a file superseded by a newer one only that it was superseded."""
    issues = []
    for result in results:
        for issue in result.issues:
            if issue.code in SECRETARIAT_ONLY or result.superseded and issue.code != "duplicate_submission":
                continue
            issues.append(issue)
    return issues


def _by_department(run: ValidationRun) -> dict[str, list]:
    by_department: dict[str, list] = {}
    for result in run.files:
        if result.department:
            by_department.setdefault(result.department, []).append(result)
    return by_department


def return_list_paths(run: ValidationRun, out_dir: str | os.PathLike) -> dict[str, Path]:
    """{department: its send-back list in ``out_dir``} for every department with something to fix or check."""
    by_department = _by_department(run)
    names = return_list_names(run.year, by_department)
    return {d: inside(out_dir, names[d]) for d, results in by_department.items() if department_issues(results)}


def write_return_lists(run: ValidationRun, plan, out_dir: str | os.PathLike,
                       today: _dt.date | None = None) -> list[Path]:
    """One send-back workbook per department with something to fix or check: errors (the file is sent back)
    or warnings only (the file is accepted; the department is asked to check)."""
    today = today or _dt.date.today()
    by_department = _by_department(run)
    written: list[Path] = []
    for department, path in return_list_paths(run, out_dir).items():
        results = by_department[department]
        issues = department_issues(results)
        letter = _Letter(run.year, department, [r for r in results if not r.superseded] or results, issues,
                         plan, today)
        written.append(write_book(path, letter.write, title=letter.title))
    return written


def remove_stale_return_lists(run: ValidationRun, out_dir: str | os.PathLike, keep: list[Path],
                              named: list[Path] = ()) -> list[Path]:
    """Remove from ``out_dir`` the send-back lists of departments that sent a file with nothing left to fix
    (their old list would have them fix what is fixed); a department with no file in the run keeps its list,
    and a file ``named`` as an input is never touched. Returns the lists removed."""
    out_dir = Path(out_dir)
    kept = {p.name for p in keep}
    read = {Path(p).resolve() for p in named}
    removed = []
    for department in _by_department(run):
        for name in (return_list_name(run.year, department), return_list_name(run.year, department, tagged=True)):
            path = out_dir / name
            if name in kept or not path.is_file() or path.resolve() in read:
                continue
            try:
                path.unlink()
            except OSError as exc:
                raise OutputError(path, "古い差戻しリストを削除できません。" + explain_os_error(exc)) from exc
            removed.append(path)
    return removed


class _Letter:
    """One department's send-back list: a short letter, then one row per cell to fix or check."""

    def __init__(self, year: int, department: str, files: list, issues: list[Issue], plan, today: _dt.date):
        self.year, self.department, self.files, self.issues, self.plan, self.today = (
            year, department, files, issues, plan, today)
        self.errors = sum(1 for i in issues if i.severity == ERROR)
        what = "入力様式の修正のお願い" if self.errors else "入力内容の確認のお願い"
        self.title = f"{what}（{format_fiscal_year_long(year)}・{department}）"

    def lines(self) -> list[str]:
        year = format_fiscal_year_long(self.year)
        files = "、".join(os.path.basename(r.path) for r in self.files)
        checks = len(self.issues) - self.errors
        contacts = contacts_of(self.plan)
        if any(r.status == UNREADABLE for r in self.files):
            ask = f"ファイルを開けなかったため、内容を確認できていません。表の「{_HOW}」のとおりに対応してください。"
        elif self.errors:
            ask = f"表の「セル」の場所を、「{_HOW}」のとおりに直してください（セルの場所をクリックすると開きます）。"
        else:
            ask = f"表の「{_HOW}」を読んで内容を確認し、直す場合は直した様式を提出し直してください。"
        if self.errors:
            found = f"下の表の{self.errors}件について修正が必要です" + (f"（ほかに確認のお願いが{checks}件あります）。" if checks else "。")
            deadline = ("再提出期限", contacts.deadline)
            send = "修正したら上書き保存し、同じファイル名で再提出期限までに提出先へ提出し直してください。"
        else:
            found = f"提出を受け付けました。下の表の{checks}件について、内容の確認をお願いします。"
            deadline = ("提出期限", contacts.deadline)
            send = "直す場合は上書き保存し、同じファイル名で提出期限までに提出先へ提出し直してください。"
        plan_name = self.plan.settings.plan_name if self.plan is not None else "行動計画"
        return [
            f"作成日: {japanese_date(self.today)}",
            f"{self.department} ご担当者様",
            f"{plan_name} 事務局",
            "",
            f"{year}の進行管理の入力様式（{files}）を確認したところ、{found}",
            ask,
            send,
            "",
            f"{deadline[0]}: {deadline[1]}",
            f"提出先: {contacts.submit_to}",
            f"問合せ先: {contacts.contact}",
        ]

    def write(self, book: ReportBook) -> None:
        lines = self.lines()
        sheet = book.add_sheet("差戻し" if self.errors else "確認のお願い")
        sheet.widths(dict(enumerate(_RETURN_WIDTHS, start=1)))
        sheet.write(1, 1, self.title, book.style(font=TITLE_FONT))
        for r, text in enumerate(lines, start=2):
            sheet.write(r, 1, text, book.style(font=BOLD_FONT if text.startswith(_BOLD_LINES) else BODY_FONT))
        header_row = len(lines) + 3
        header_cells(sheet, header_row, RETURN_HEADERS)
        body = book.style(font=BODY_FONT, alignment=WRAP_TOP, border=THIN_BORDER)
        link_style = book.style(font=LINK_FONT, alignment=WRAP_TOP, border=THIN_BORDER)
        names = self.plan.items_by_id if self.plan is not None else {}
        for n, issue in enumerate(self.issues, start=1):
            item = names.get(issue.item_id) if issue.item_id else None
            row = header_row + n
            values = (n, "要修正" if issue.severity == ERROR else "要確認", issue.sheet, issue.cell, issue.item_id,
                      item.name if item is not None else None, issue.column, _typed(issue.value), issue.text)
            height = row_height(values, [w * 0.85 for w in _RETURN_WIDTHS])  # LibreOffice wraps sooner than the estimate
            if height:
                sheet.height(row, height + 4)  # a little slack: LibreOffice sets lines looser
            sheet.write_row(row, values, body)
            if issue.file and issue.sheet and issue.cell:
                sheet.link(row, 4, os.path.basename(issue.file), f"'{issue.sheet}'!{issue.cell}", issue.cell,
                           link_style, tooltip="提出したファイルが同じフォルダにあれば、クリックでそのセルを開きます")
        sheet.freeze(f"A{header_row + 1}")
        sheet.print_setup((header_row, header_row))


def _typed(value: object) -> object:
    """The value as the department typed it: text as is, numbers as people write them."""
    return value if value is None or isinstance(value, str) else shown(value)
