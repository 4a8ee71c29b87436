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
from addin.xlsx.tables import cell_address, find_table

__all__ = ["DIGEST_SHEET", "HandEdit", "PreviousReport", "cell_digest", "digest_rows", "read_previous_report"]

DIGEST_SHEET = "_原本"  # very hidden: 項目ID and the digest of every cell written in 取組状況一覧
KEY = "項目ID"


def _text(value: object) -> str:
    """A cell's text as written and as read back (calamine gives 5.0 for 5; Windows line ends folded)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").strip()


def cell_digest(value: object) -> str:
    """Eight hex digits that change when the cell's text changes."""
    return hashlib.sha1(_text(value).encode("utf-8")).hexdigest()[:8]


def digest_rows(headers: tuple[str, ...], rows: list[list[object]]) -> list[list[str]]:
    """The rows of :data:`DIGEST_SHEET`: a header row, then 項目ID and one digest per tracked column."""
    tracked = [i for i, h in enumerate(headers) if h not in INPUT_COLUMNS and h != KEY]
    key = headers.index(KEY)
    out = [[KEY, " ".join(headers[i] for i in tracked)]]
    out += [[_text(row[key]), " ".join(cell_digest(row[i]) for i in tracked)] for row in rows]
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
    written = {_text(r[0]): str(r[1] or "").split() for r in digests[1:] if r and len(r) > 1}
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
            result.texts[(str(item_id), column)] = _text(value)
            if cell_digest(value) != digest:
                result.edits.append(HandEdit(str(item_id), column, cell_address(index, col), _text(value)))


def read_previous_report(path: str | os.PathLike) -> PreviousReport:
    """Read 取組状況一覧 (and the digests) of a previous report; an empty result when the sheet is not there."""
    from addin.xlsx.guard import open_calamine, reading

    result = PreviousReport()
    book = open_calamine(path, sheets=(STATUS_SHEET, DIGEST_SHEET))  # a far cell stops the run before calamine
    if STATUS_SHEET not in book.sheet_names:
        return result
    with reading(path):
        rows = book.get_sheet_by_name(STATUS_SHEET).to_python(skip_empty_area=False)
        digests = (book.get_sheet_by_name(DIGEST_SHEET).to_python(skip_empty_area=False)
                   if DIGEST_SHEET in book.sheet_names else [])
    table = find_table(rows, [KEY, OVERRIDE_GRADE],
                       [OVERRIDE_COMMENT, COMMITTEE_GRADE, COMMITTEE_COMMENT, *_tracked(digests)])
    if table is None:
        return result
    _overrides(table, result)
    _edits(table, digests, result)
    return result


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
        issues.append(make_issue("invalid_choice", str(report), STATUS_SHEET, cell(item_id, column), item_id, column,
                                 typed, variant="report_grade"))
    for edit in previous.edits:
        found = rows.get(edit.item_id)
        new_text = _text(found[1][STATUS_HEADERS.index(edit.column)]) if found and edit.column in STATUS_HEADERS else ""
        if new_text == edit.text:
            continue
        issues.append(make_issue("altered_cell", str(report), STATUS_SHEET, cell(edit.item_id, edit.column) or edit.cell,
                                 edit.item_id, edit.column, edit.text, variant="report_edit", previous_cell=edit.cell,
                                 edited=_shorten(edit.text), new=_shorten(new_text)))
    return issues


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
