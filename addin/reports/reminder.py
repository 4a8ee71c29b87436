"""督促: the departments that sent nothing, with the deadline and whom to ask, ready to chase.

Written beside the send-back lists (``reform validate --return-dir DIR`` and the
検証 button) as ``督促_R8.xlsx``. A department whose file was rejected is not
here: it has a send-back list and shows as 要修正（差戻し中） in 提出状況.
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

from addin.fiscal import format_fiscal_year, format_fiscal_year_long
from addin.names import inside
from addin.reports.common import header_cells, row_height
from addin.reports.letters import contacts_of, japanese_date
from addin.validation.submission import ValidationRun
from addin.validation.validate import REMINDER_LIST_PREFIX
from addin.xlsx.styles import BODY_FONT, BOLD_FONT, THIN_BORDER, TITLE_FONT, WRAP_TOP
from addin.xlsx.writer import ReportBook, write_book

__all__ = ["REMINDER_PREFIX", "REMINDER_HEADERS", "reminder_name", "missing_departments", "write_reminder_list"]

REMINDER_PREFIX = REMINDER_LIST_PREFIX
REMINDER_HEADERS = ("No.", "担当課", "担当する改革項目", "提出期限", "問合せ先", "連絡文（メールに貼り付けて使えます）")
_WIDTHS = (5, 14, 12, 20, 24, 80)


def reminder_name(year: int) -> str:
    """``督促_R8.xlsx``."""
    return f"{REMINDER_PREFIX}{format_fiscal_year(year)}.xlsx"


def missing_departments(run: ValidationRun, plan) -> list[str]:
    """The plan's departments (in plan order) with no file at all in the run."""
    sent = {f.department for f in run.files if f.department}
    return [d for d in plan.departments if d not in sent]


def _message(plan, year: str, department: str, deadline: str, submit_to: str, contact: str) -> str:
    return (f"{department} ご担当者様　{year}の{plan.settings.plan_name}の進行管理の入力様式が、まだ提出されていません。"
            f"提出期限（{deadline}）までに、提出先（{submit_to}）へ提出してください。"
            f"ご不明な点は {contact} までお問い合わせください。")


def write_reminder_list(run: ValidationRun, plan, out_dir: str | os.PathLike,
                        today: _dt.date | None = None) -> Path:
    """Write ``督促_R8.xlsx`` in ``out_dir`` (atomically) and return its path; written even when nobody is missing."""
    today = today or _dt.date.today()
    year = format_fiscal_year_long(run.year)
    contacts = contacts_of(plan)
    missing = missing_departments(run, plan)
    title = f"未提出の課（督促）（{year}）"

    def fill(book: ReportBook) -> None:
        sheet = book.add_sheet("督促")
        sheet.widths(dict(enumerate(_WIDTHS, start=1)))
        sheet.write(1, 1, title, book.style(font=TITLE_FONT))
        lines = [f"作成日: {japanese_date(today)}", f"計画: {plan.settings.plan_name}",
                 f"提出期限: {contacts.deadline}", f"提出先: {contacts.submit_to}", f"問合せ先: {contacts.contact}",
                 (f"未提出 {len(missing)} 課（{len({f.department for f in run.files if f.department})} 課から提出あり）。"
                  "提出されたが差し戻した課は、差戻しリストと提出状況を見てください。") if missing else
                 "未提出の課はありません。"]
        for r, text in enumerate(lines, start=2):
            sheet.write(r, 1, text, book.style(font=BOLD_FONT if r <= 6 else BODY_FONT))
        header_row = len(lines) + 3
        header_cells(sheet, header_row, REMINDER_HEADERS)
        body = book.style(font=BODY_FONT, alignment=WRAP_TOP, border=THIN_BORDER)
        for n, department in enumerate(missing, start=1):
            values = (n, department, f"{len(plan.items_for(department))}件", contacts.deadline, contacts.contact,
                      _message(plan, year, department, contacts.deadline, contacts.submit_to, contacts.contact))
            height = row_height(values, [w * 0.85 for w in _WIDTHS])
            if height:
                sheet.height(header_row + n, height)
            sheet.write_row(header_row + n, values, body)
        sheet.freeze(f"A{header_row + 1}")
        sheet.print_setup((header_row, header_row))

    return write_book(inside(out_dir, reminder_name(run.year)), fill, title=title)
