"""提出状況: every plan department with its file, time, state and issue counts; problems first."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from addin.consolidation.summary import Consolidation
from addin.reports.common import HEADER_ROW, header_cells, title_block
from addin.reports.validation import return_list_name, return_list_prefix
from addin.validation.issues import ERROR
from addin.validation.submission import INVALID, OK, UNREADABLE, FileResult, ValidationRun
from addin.vocab import NOT_SUBMITTED, SENT_BACK, SUBMITTED
from addin.xlsx.styles import (
    BAD_FILL,
    BODY_FONT,
    CENTER,
    DATETIME_FORMAT,
    FONT_NAME,
    GOOD_FILL,
    NEUTRAL_FILL,
    THIN_BORDER,
    WRAP_TOP,
)
from addin.xlsx.writer import ReportBook, ReportSheet

__all__ = ["TRACKER_SHEET", "TRACKER_HEADERS", "TrackerRow", "tracker_rows", "add_tracker_sheet", "find_return_lists",
           "SUBMITTED", "NEEDS_FIX", "NOT_SUBMITTED"]

TRACKER_SHEET = "提出状況"
FILE_TIME = "提出日時（ファイルの更新日時）"
TRACKER_HEADERS = ("担当課", "ファイル", FILE_TIME, "状態", "エラー件数", "警告件数", "差戻しリスト", "備考")
# A rejected file (errors, or not readable) is sent back: never 未提出.
NEEDS_FIX = SENT_BACK
_STATE = {OK: SUBMITTED, INVALID: NEEDS_FIX, UNREADABLE: NEEDS_FIX}
_ORDER = {NOT_SUBMITTED: 0, NEEDS_FIX: 1, SUBMITTED: 2}
_FILLS = {NOT_SUBMITTED: BAD_FILL, NEEDS_FIX: NEUTRAL_FILL, SUBMITTED: GOOD_FILL}
_WIDTHS = (14, 30, 17, 17, 9, 9, 26, 60)
LINK_FONT = Font(name=FONT_NAME, size=10, color="0563C1", underline="single")
_REASONS_SHOWN = 3


@dataclass
class TrackerRow:
    """One line of 提出状況; ``path`` and ``return_list`` are the link targets (None: no link)."""

    department: str
    file: str | None
    time: datetime | None
    state: str
    errors: int | None
    warnings: int | None
    note: str | None
    path: str | None = None
    return_list: Path | None = None

    def values(self) -> list[object]:
        return [self.department, self.file, self.time, self.state, self.errors, self.warnings,
                self.return_list.name if self.return_list is not None else None, self.note]


def _file_time(result: FileResult) -> datetime | None:
    stamp = result.submission.modified if result.submission is not None else None
    if stamp is None:
        try:
            stamp = os.path.getmtime(result.path)
        except OSError:
            return None
    return datetime.fromtimestamp(stamp).replace(microsecond=0)


def _reason(result: FileResult) -> str | None:
    """Why a file was sent back, in a few words: the first errors by label and cell."""
    if result.status == UNREADABLE:
        first = next((i for i in result.issues if i.severity == ERROR), None)
        return "ファイルを開けません: " + (first.text if first is not None else "")
    errors = [i for i in result.issues if i.severity == ERROR]
    if not errors:
        return None
    shown = [f"{i.label}（{i.sheet}!{i.cell}）" if i.sheet and i.cell else i.label for i in errors[:_REASONS_SHOWN]]
    more = f" ほか{len(errors) - _REASONS_SHOWN}件" if len(errors) > _REASONS_SHOWN else ""
    return "差戻し: " + "、".join(shown) + more


def find_return_lists(year: int, folders: list[Path], departments) -> dict[str, Path]:
    """{department: send-back list} found in ``folders`` and their 差戻し_R8 subfolders (the 検証 button's place).

    Looked up by the name each department's list is written under (addin.names), so a
    department whose name had to be made safe for a file name is still found."""
    prefix = return_list_prefix(year)
    found: dict[str, Path] = {}
    for folder in folders:
        for place in (folder, folder / prefix.rstrip("_")):
            if not place.is_dir():
                continue
            for department in departments:
                for name in (return_list_name(year, department, tagged=True), return_list_name(year, department)):
                    if department not in found and (place / name).is_file():
                        found[department] = place / name
    return found


def tracker_rows(summary: Consolidation, run: ValidationRun | None,
                 return_lists: dict[str, Path] | None = None) -> list[TrackerRow]:
    """One row per plan department (and per file of an unknown department), missing first, then sent back."""
    files = list(run.files) if run is not None else []
    lists = return_lists or {}
    by_department: dict[str | None, list[FileResult]] = {}
    for result in files:
        by_department.setdefault(result.department, []).append(result)
    submitted = set(summary.submitted)
    rows: list[TrackerRow] = []

    def row(dept: str, result: FileResult, note: str | None) -> TrackerRow:
        state = _STATE[result.status]
        reason = _reason(result) if state == NEEDS_FIX else None
        sent_back = lists.get(dept) if state == NEEDS_FIX or result.warnings else None
        return TrackerRow(dept, os.path.basename(result.path), _file_time(result), state, result.errors,
                          result.warnings, "。".join(t for t in (reason, note) if t) or None, result.path, sent_back)

    for dept in summary.plan.departments:
        results = by_department.pop(dept, [])
        if not results:
            # Records built in memory (no validation run) still show who submitted.
            rows.append(TrackerRow(dept, None, None, SUBMITTED if dept in submitted else NOT_SUBMITTED,
                                   None, None, None))
            continue
        for result in results:
            rows.append(row(dept, result, "同じ課の新しいファイルを集約に使用" if result.superseded else None))
    for dept, results in by_department.items():
        for result in results:
            rows.append(row(dept or "（不明）", result, "計画にない課、または課を判定できないファイル"))
    rows.sort(key=lambda r: _ORDER[r.state])  # stable: plan order within each state
    return rows


def _link_target(path: str | os.PathLike, base: Path | None) -> str:
    if base is None:
        return Path(path).as_posix()
    try:
        target = Path(path).resolve()
    except (OSError, RuntimeError):  # a symlink loop (listed as unreadable): link to the name as given
        target = Path(os.path.abspath(path))
    try:
        return Path(os.path.relpath(target, base.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return target.as_posix()


def add_tracker_sheet(book: ReportBook, summary: Consolidation, run: ValidationRun | None,
                      base: Path | None = None, return_lists: dict[str, Path] | None = None) -> ReportSheet:
    """Add 提出状況; ``base`` is the report's folder (links are relative to it, send-back lists are looked for there)."""
    sheet = book.add_sheet(TRACKER_SHEET)
    if return_lists is None and base is not None:
        departments = [*summary.plan.departments, *(f.department for f in run.files if f.department)] if run else \
            list(summary.plan.departments)
        return_lists = find_return_lists(summary.year, [base], dict.fromkeys(departments))
    rows = tracker_rows(summary, run, return_lists)
    counts = {state: 0 for state in _ORDER}
    for r in rows:
        counts[r.state] += 1
    title_block(sheet, summary, TRACKER_SHEET,
                note="　".join(f"{state} {n}" for state, n in counts.items())
                + "　（提出日時はファイルの更新日時です）")
    sheet.widths(dict(enumerate(_WIDTHS, start=1)))
    sheet.height(HEADER_ROW, 30)  # 提出日時（ファイルの更新日時） wraps to two lines
    header_cells(sheet, HEADER_ROW, TRACKER_HEADERS)
    plain = dict(font=BODY_FONT, border=THIN_BORDER, alignment=WRAP_TOP)
    centered = dict(plain, alignment=CENTER)
    for n, line in enumerate(rows, start=HEADER_ROW + 1):
        styles = [book.style(**plain), book.style(**plain), book.style(**plain, number_format=DATETIME_FORMAT),
                  book.style(**centered, fill=_FILLS[line.state]), book.style(**centered), book.style(**centered),
                  book.style(**plain), book.style(**plain)]
        values = line.values()
        link = book.style(font=LINK_FONT, border=THIN_BORDER, alignment=WRAP_TOP)
        for col, (value, style) in enumerate(zip(values, styles), start=1):
            if col == 2 and line.path:
                sheet.link(n, col, _link_target(line.path, base), None, value, link, tooltip="クリックでファイルを開きます")
            elif col == 7 and line.return_list is not None:
                sheet.link(n, col, _link_target(line.return_list, base), None, value, link,
                           tooltip="この課に送る差戻しリストを開きます")
            else:
                sheet.write(n, col, value, style)
    last = HEADER_ROW + max(len(rows), 1)
    sheet.freeze(f"B{HEADER_ROW + 1}")
    sheet.autofilter(f"A{HEADER_ROW}:{get_column_letter(len(TRACKER_HEADERS))}{last}")
    sheet.print_setup(header_rows=(HEADER_ROW, HEADER_ROW))
    return sheet
