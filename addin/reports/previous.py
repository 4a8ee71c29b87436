"""The previous report read back: what the secretariat and the committee typed, and cells edited by hand.

Two things in 取組状況一覧 belong to people, not to the tool:

- the input columns (事務局評価・事務局コメント・委員会評価・委員会意見), carried over by 項目ID
  on every re-run; a grade typed that is not A/B/C/- is kept as typed (and reported);
- any other cell changed by hand: the report keeps, in a very hidden sheet, a short digest of
  every cell it wrote, so a re-run can tell a cell the secretariat polished from one whose
  submission changed, and list it before it is replaced (the backup keeps the edit).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field

from addin.consolidation.summary import Override
from addin.errors import UnreadableWorkbook
from addin.fiscal import FiscalYearError, format_fiscal_year, parse_fiscal_year
from addin.normalize import NotAChoice, clean_text, parse_grade
from addin.reports.status import (
    COMMITTEE_COMMENT,
    COMMITTEE_GRADE,
    GRADE_INPUTS,
    INPUT_COLUMNS,
    OVERRIDE_COMMENT,
    OVERRIDE_GRADE,
    STATUS_SHEET,
)
from addin.xlsx.tables import cell_address, find_table, missing_headers

__all__ = ["DIGEST_SHEET", "HandEdit", "PreviousReport", "cell_digest", "cell_text", "check_previous", "digest_rows",
           "orphan_overrides", "orphan_issues", "orphan_rows", "read_previous_report"]

DIGEST_SHEET = "_原本"  # very hidden: 項目ID and the digest of every cell written in 取組状況一覧
KEY = "項目ID"
STAMP_SHEET = "検証結果"  # its lines 計画 and 年度 say which plan and year the report is of
STAMP_PLAN, STAMP_YEAR = "計画", "年度"


def cell_text(value: object) -> str:
    """A cell's text as written and as read back (calamine gives 5.0 for 5; Windows line ends folded)."""
    return clean_text(value) or ""


def cell_digest(value: object) -> str:
    """Eight hex digits that change when the cell's text changes."""
    return hashlib.sha1(cell_text(value).encode("utf-8")).hexdigest()[:8]


def digest_rows(headers: tuple[str, ...], rows: list[list[object]]) -> list[list[str]]:
    """The rows of :data:`DIGEST_SHEET`: a header row, then 項目ID and one digest per tracked column."""
    tracked = [i for i, h in enumerate(headers) if h not in INPUT_COLUMNS and h != KEY]
    key = headers.index(KEY)
    out = [[KEY, " ".join(headers[i] for i in tracked)]]
    out += [[cell_text(row[key]), " ".join(cell_digest(row[i]) for i in tracked)] for row in rows]
    return out


@dataclass(frozen=True)
class HandEdit:
    """A cell outside the input columns whose text differs from what the tool wrote there."""

    item_id: str
    column: str
    cell: str  # in the previous report
    text: str  # what is in the cell now (the edit)


@dataclass
class PreviousReport:
    """What a previous report holds that must not be lost."""

    overrides: dict[str, Override] = field(default_factory=dict)
    invalid: list[tuple[str, str, str]] = field(default_factory=list)  # (項目ID, column, typed text)
    edits: list[HandEdit] = field(default_factory=list)
    texts: dict[tuple[str, str], str] = field(default_factory=dict)  # (項目ID, column) -> text in the cell
    plan: str | None = None  # the plan name and fiscal year the report was made for
    year: int | None = None


def _grade(value: object) -> tuple[str | None, str | None]:
    """(grade, typed text when it is not a grade)."""
    text = clean_text(value)
    if text is None:
        return None, None
    try:
        return parse_grade(text), None
    except NotAChoice:
        return None, text


def _overrides(table, result: PreviousReport) -> None:
    for _index, row in table.data_rows():
        item_id = clean_text(table.value(row, KEY))
        if item_id is None:
            continue
        item_id = str(item_id)
        grades, typed = {}, []
        for column in GRADE_INPUTS:
            grades[column], bad = _grade(table.value(row, column))
            if bad is not None:
                typed.append((column, bad))
                result.invalid.append((item_id, column, bad))
        override = Override(grades[OVERRIDE_GRADE], clean_text(table.value(row, OVERRIDE_COMMENT)),
                            grades[COMMITTEE_GRADE], clean_text(table.value(row, COMMITTEE_COMMENT)), tuple(typed))
        if not override.empty:
            result.overrides[item_id] = override


def _tracked(digests) -> list[str]:
    return str(digests[0][1] or "").split() if digests and len(digests[0]) > 1 else []


def _edits(table, digests, result: PreviousReport) -> None:
    """Compare each tracked cell with the digest written beside it."""
    tracked = _tracked(digests)
    written = {cell_text(r[0]): str(r[1] or "").split() for r in digests[1:] if r and len(r) > 1}
    for index, row in table.data_rows():
        item_id = clean_text(table.value(row, KEY))
        expected = written.get(str(item_id)) if item_id is not None else None
        if expected is None or len(expected) != len(tracked):
            continue
        for column, digest in zip(tracked, expected):
            col = table.columns.get(column)
            if col is None:
                continue
            value = row[col] if col < len(row) else None
            result.texts[(str(item_id), column)] = cell_text(value)
            if cell_digest(value) != digest:
                result.edits.append(HandEdit(str(item_id), column, cell_address(index, col), cell_text(value)))


def _refused(path, code: str, variant: str, **details) -> UnreadableWorkbook:
    from addin.validation.codes import render

    return UnreadableWorkbook(path, render(code, variant, {"sheet": STATUS_SHEET, **details}), code=code)


def _newest_backup(path) -> str:
    from addin.backup import backups_of

    found = backups_of(path)
    return found[-1].name if found else "なし"


def _stamp(rows, result: PreviousReport) -> None:
    """The plan and year from the lines 計画 / 年度 above the table of 検証結果."""
    for row in rows[:15]:
        label = clean_text(row[0]) if row else None
        value = clean_text(row[2]) if len(row) > 2 else None
        if label == STAMP_PLAN and value is not None:
            result.plan = str(value)
        elif label == STAMP_YEAR and value is not None:
            try:
                result.year = parse_fiscal_year(value)
            except FiscalYearError:
                pass


def read_previous_report(path: str | os.PathLike) -> PreviousReport:
    """Read 取組状況一覧 (and the digests) of a previous report.

    A report that cannot be read, has lost 取組状況一覧 or the headers of its input columns
    raises UnreadableWorkbook saying what to do: starting empty would drop what was typed.
    """
    from addin.xlsx.guard import open_calamine, reading

    result = PreviousReport()
    try:
        book = open_calamine(path, sheets=(STATUS_SHEET, DIGEST_SHEET, STAMP_SHEET))  # a far cell stops the run before calamine
        with reading(path):
            names = book.sheet_names
            rows = (book.get_sheet_by_name(STATUS_SHEET).to_python(skip_empty_area=False)
                    if STATUS_SHEET in names else None)
            digests = (book.get_sheet_by_name(DIGEST_SHEET).to_python(skip_empty_area=False)
                       if DIGEST_SHEET in names else [])
            stamp = book.get_sheet_by_name(STAMP_SHEET).to_python(skip_empty_area=False) if STAMP_SHEET in names else []
    except UnreadableWorkbook as exc:
        raise _refused(path, "unreadable", "previous_report", reason=exc.reason, backup=_newest_backup(path)) from exc
    if rows is None:
        raise _refused(path, "wrong_template", "report_missing_sheet")
    required = [KEY, *INPUT_COLUMNS]
    table = find_table(rows, required, _tracked(digests))
    if table is None:
        raise _refused(path, "wrong_template", "report_missing_headers",
                       missing="・".join(missing_headers(rows, required)))
    _stamp(stamp, result)
    _overrides(table, result)
    _edits(table, digests, result)
    return result


def check_previous(previous: PreviousReport, plan_name: str, year: int, path: str | os.PathLike) -> None:
    """Refuse a previous report of another plan or year: its grades are not this year's."""
    if previous.plan is None or previous.year is None:
        raise _refused(path, "wrong_template", "report_no_stamp", sheet=STAMP_SHEET)
    if previous.plan != plan_name:
        raise _refused(path, "wrong_plan", "report_other_plan", value=previous.plan, plan=plan_name)
    if previous.year != year:
        raise _refused(path, "wrong_year", "report", found=format_fiscal_year(previous.year),
                       expected=format_fiscal_year(year))


def orphan_overrides(previous: PreviousReport, item_ids, stored: dict[str, dict]) -> dict[str, Override]:
    """What was typed for items no longer in the plan: from the previous report, else as stored this year.

    Kept (and stored again) on every run, so an item removed or renamed in a plan revision never
    takes the secretariat's or the committee's words with it.
    """
    known = set(item_ids)
    found = {item_id: o for item_id, o in previous.overrides.items() if item_id not in known}
    for item_id, row in stored.items():
        if item_id not in known and item_id not in found:
            override = Override(row.get("secretariat"), row.get("secretariat_comment"), row.get("committee"),
                                row.get("committee_comment"))
            if not override.empty:
                found[item_id] = override
    return found


def _orphan_values(override: Override) -> list[tuple[str, str]]:
    typed = dict(override.typed)
    values = [(OVERRIDE_GRADE, override.grade or typed.get(OVERRIDE_GRADE)), (OVERRIDE_COMMENT, override.comment),
              (COMMITTEE_GRADE, override.committee_grade or typed.get(COMMITTEE_GRADE)),
              (COMMITTEE_COMMENT, override.committee_comment)]
    return [(column, value) for column, value in values if value]


def orphan_rows(orphans: dict[str, Override]) -> list[tuple]:
    """Rows of the history's stage grades for orphans (no self or final grade: the item is not in the plan)."""
    rows = []
    for item_id, o in orphans.items():
        values = dict(_orphan_values(o))
        rows.append((item_id, None, values.get(OVERRIDE_GRADE), values.get(COMMITTEE_GRADE), None,
                     o.comment, o.committee_comment))
    return rows


def orphan_issues(orphans: dict[str, Override], report: str | os.PathLike) -> list:
    """One warning per typed value of an item no longer in the plan (``unknown_item``, with the text)."""
    from addin.validation.codes import WARNING, make_issue

    return [make_issue("unknown_item", str(report), STATUS_SHEET, None, item_id, column, value, severity=WARNING,
                       variant="report_override")
            for item_id, override in orphans.items() for column, value in _orphan_values(override)]


def report_issues(previous: PreviousReport, summary, report: str | os.PathLike) -> list:
    """Issues of the report itself, placed at their cells in the report being written.

    A grade typed that is not A/B/C/- is ``invalid_choice`` (an error the secretariat must fix;
    the final grade comes from the stage below meanwhile); a cell edited by hand outside the
    input columns is ``altered_cell`` (a warning: its text is replaced, the backup keeps it).
    """
    from addin.reports.common import HEADER_ROW
    from addin.reports.status import STATUS_HEADERS, status_rows
    from addin.validation.codes import make_issue

    rows = {row[0]: (HEADER_ROW + 1 + index, row) for index, row in enumerate(status_rows(summary))}

    def cell(item_id: str, column: str) -> str | None:
        found = rows.get(item_id)
        return cell_address(found[0] - 1, STATUS_HEADERS.index(column)) if found else None

    issues = []
    for item_id, column, typed in previous.invalid:
        if item_id not in rows:
            continue  # an item gone from the plan: listed with everything typed for it (orphan_issues)
        issues.append(make_issue("invalid_choice", str(report), STATUS_SHEET, cell(item_id, column), item_id, column,
                                 typed, variant="report_grade"))
    for edit in previous.edits:
        found = rows.get(edit.item_id)
        new_text = cell_text(found[1][STATUS_HEADERS.index(edit.column)]) if found and edit.column in STATUS_HEADERS else ""
        if new_text == edit.text:
            continue
        issues.append(make_issue("altered_cell", str(report), STATUS_SHEET, cell(edit.item_id, edit.column) or edit.cell,
                                 edit.item_id, edit.column, edit.text, variant="report_edit", previous_cell=edit.cell,
                                 edited=_shorten(edit.text), new=_shorten(new_text)))
    return issues


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
