"""The finance export (財政課出力): the effect and KPI sheets of a report as a values-only workbook and as CSV.

Which sheets go out is one list, :data:`FINANCE_SHEETS`; a sheet marked optional
(効果額推移, in reports that have it) is skipped when the report lacks it. Each
sheet gets a title block (plan, 令和8年度（R8）, the source report, the day of
the export), fitted widths, a filter and A4 print setup (:mod:`.finance_book`).

The CSV files (``効果額集計_R8.csv`` …) are UTF-8 with BOM and CRLF, which Excel
opens correctly by a double click: one header row, one record per line
(departments joined with 「、」, other line breaks a space), 達成率 as ``58.3%``
(Excel reads it back as a percentage). Text a spreadsheet would take for a
formula (= + - @, tab, CR at the start) gets a leading single quote; numbers and
the grade ``-`` stay as they are, so a negative amount is still a number.
"""

from __future__ import annotations

import csv
import math
import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from addin.atomic import atomic_path
from addin.errors import ReformError, UnreadableWorkbook
from addin.fiscal import FiscalYearError, format_fiscal_year, parse_fiscal_year
from addin.reports.effect_trend import ESTIMATED_YEARS, TREND_SHEET
from addin.reports.effects import EFFECTS_SHEET
from addin.reports.finance_book import (
    FinanceTable,
    ReportInfo,
    add_finance_sheet,
    is_department,
    join_departments,
    number_format,
)
from addin.reports.kpi import KPI_SHEET
from addin.xlsx.tables import Table, find_table, header_key
from addin.xlsx.writer import write_book

__all__ = ["export_finance", "read_finance_tables", "neutralize", "FinanceSheet", "FINANCE_SHEETS", "ReportError",
           "csv_name"]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NOT_FORMULAS = ("-", "－")  # the grade "no evaluation", not the start of a formula
_TITLE = re.compile(r"^(?P<plan>.+?)[\s　]+(?P<year>(令和|平成)(元|\d{1,2})年度)")
_PROPERTY_TITLE = re.compile(r"^(?P<plan>.+)\s+(?P<year>[RH]\d{1,2})\s+集約結果$")
_FILE_YEAR = re.compile(r"(?<![A-Za-z])([RH]\d{1,2})(?!\d)")


class ReportError(ReformError):
    """The file given is not a consolidated report (a sheet or its headers are missing)."""


@dataclass(frozen=True)
class FinanceSheet:
    """A report sheet finance receives: its name, the headers that locate its table, whether it may be absent,
    and columns left out (restating other columns, they would only cost width on paper)."""

    name: str
    required: tuple[str, ...]
    optional: bool = False
    drop: tuple[str, ...] = ()
    drop_if_empty: tuple[str, ...] = ()  # columns that say nothing when no row has a value (a plan without year targets)
    csv_only: tuple[str, ...] = ()  # in the CSV, not on paper (the workbook shows the same by a number format)


FINANCE_SHEETS: tuple[FinanceSheet, ...] = (
    FinanceSheet(EFFECTS_SHEET, ("区分", "項目ID", "効果額（千円）")),
    FinanceSheet(TREND_SHEET, ("項目ID",), optional=True, csv_only=(ESTIMATED_YEARS,)),  # ＊ in the workbook
    FinanceSheet(KPI_SHEET, ("項目ID", "指標名", "達成率"), drop=("推移",),  # 推移 restates the year columns
                 drop_if_empty=("当年度目標", "当年度達成率")),
)


def neutralize(value: object) -> object:
    """A text cell a spreadsheet could run as a formula gets a leading quote; numbers and the grade - pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS) and value not in _NOT_FORMULAS:
        return "'" + value
    return value


def csv_name(sheet: str, year: int) -> str:
    """``効果額集計_R8.csv``."""
    return f"{sheet}_{format_fiscal_year(year)}.csv"


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _header(rows: list[list[object]], at: int, key_col: int) -> tuple[list[str], int]:
    """The header names and the first data row; a two-row header (R8 over 目標 | 実績) becomes ``R8 目標``."""
    top = rows[at]
    width = max((i for i, v in enumerate(top) if not _blank(v)), default=-1) + 1
    below = rows[at + 1] if at + 1 < len(rows) else []
    grouped = any(_blank(v) for v in top[:width])
    if (grouped and below and (key_col >= len(below) or _blank(below[key_col]))
            and all(_blank(v) or isinstance(v, str) for v in below) and any(not _blank(v) for v in below)):
        width = max(width, max(i for i, v in enumerate(below) if not _blank(v)) + 1)
        names, group = [], ""
        for col in range(width):
            upper = top[col] if col < len(top) and not _blank(top[col]) else None
            lower = below[col] if col < len(below) and not _blank(below[col]) else None
            if upper is not None:
                group = str(upper).strip()
            if lower is None:
                names.append(group if upper is not None else "")
            else:
                names.append(f"{group} {str(lower).strip()}".strip())
        return names, at + 2
    return [str(v).strip() if not _blank(v) else "" for v in top[:width]], at + 1


def _guess_table(rows: list[list[object]], max_scan: int = 30) -> Table | None:
    """For a sheet whose layout this export does not know yet: the first row of three or more texts only."""
    for index, row in enumerate(rows[:max_scan]):
        filled = [v for v in row if not _blank(v)]
        if len(filled) >= 3 and all(isinstance(v, str) for v in filled) and not _TITLE.match(str(filled[0])):
            return Table(rows, index, {})
    return None


def _table(spec: FinanceSheet, cells: list[list[tuple[object, str]]], path: Path) -> tuple[FinanceTable, str | None]:
    """The table of one sheet, and the title text above it (None when the sheet has none)."""
    rows = [[v for v, _fmt in line] for line in cells]
    found = find_table(rows, spec.required) or (_guess_table(rows) if spec.optional else None)
    if found is None:
        raise ReportError(f"{path}: シート「{spec.name}」に見出し（{'、'.join(spec.required)}）の行が見つかりません。"
                          "reform consolidate で作った集約結果を指定してください。")
    key_col = found.columns.get(spec.required[0], 0)
    header, start = _header(rows, found.header_row, key_col)
    width = len(header)
    title = None
    above = [i for i in range(found.header_row) if any(not _blank(v) for v in rows[i])]
    if above and isinstance(rows[above[0]][0], str) and _TITLE.match(rows[above[0]][0]):
        title = rows[above.pop(0)][0]  # replaced by the export's own title
    body, formats, trailing = [], [], []
    for index in range(start, len(rows)):
        values = rows[index][:width] + [None] * (width - len(rows[index][:width]))
        if all(_blank(v) for v in values) or trailing:
            if trailing or body:  # the table ends at its first empty row; what follows is another block
                trailing.append(values)
            continue
        body.append(values)
        formats.append(_formats(cells[index], width))
    for col, name in enumerate(header):
        if is_department(name):
            for values in body:
                values[col] = join_departments(values[col])
    droppable = {header_key(n) for n in spec.drop_if_empty}
    empty = [name for c, name in enumerate(header) if header_key(name) in droppable and all(_blank(v[c]) for v in body)]
    while trailing and all(_blank(v) for v in trailing[-1]):
        trailing.pop()
    while trailing and all(_blank(v) for v in trailing[0]):
        trailing.pop(0)
    table = FinanceTable(spec.name, header, body, preamble=[_trim(rows[i]) for i in above], trailing=trailing,
                         formats=formats, preamble_formats=[_formats(cells[i], len(cells[i])) for i in above])
    return table.without([*spec.drop, *empty]), title


def _formats(line: list[tuple[object, str | None]], width: int) -> list[str | None]:
    found = [fmt for _v, fmt in line[:width]]
    return found + [None] * (width - len(found))


def _trim(values: list[object]) -> list[object]:
    last = max((i for i, v in enumerate(values) if not _blank(v)), default=-1)
    return list(values[:last + 1])


def _info(path: Path, titles: list[str], properties_title: str | None, author: str | None,
          made: date | None) -> ReportInfo:
    """Plan and year from the sheets' title rows, else the document title, else the file name."""
    plan_name, year = None, None
    for text in titles:
        match = _TITLE.match(text)
        if match:
            plan_name, year = match.group("plan"), parse_fiscal_year(match.group("year"))
            break
    match = _PROPERTY_TITLE.match(properties_title or "")
    if match:
        plan_name = plan_name or match.group("plan")
        year = year or parse_fiscal_year(match.group("year"))
    if year is None:
        for token in _FILE_YEAR.findall(path.stem):
            try:
                year = parse_fiscal_year(token)
                break
            except FiscalYearError:
                continue
    if year is None:
        raise ReportError(f"{path}: 集約結果の年度が分かりません（表題の「令和8年度」などがありません）。"
                          "reform consolidate で作った集約結果を指定してください。")
    return ReportInfo(plan_name or "", year, path, made or date.today(), author)


def read_finance_tables(path: str | os.PathLike, made: date | None = None) -> tuple[ReportInfo, list[FinanceTable]]:
    """The report's plan and year, and each sheet of :data:`FINANCE_SHEETS` it has, as values."""
    from addin.xlsx.guard import open_workbook

    path = Path(path)
    try:
        wb = open_workbook(path, read_only=True, data_only=True, sheets=[spec.name for spec in FINANCE_SHEETS])
    except UnreadableWorkbook as exc:
        raise ReportError(f"{path}: 集約結果を開けません。{exc.reason}") from exc
    tables, titles = [], []
    try:
        for spec in FINANCE_SHEETS:
            if spec.name not in wb.sheetnames:
                if spec.optional:
                    continue
                raise ReportError(f"{path}: シート「{spec.name}」がありません。reform consolidate で作った集約結果を指定してください。")
            cells = [[(c.value, getattr(c, "number_format", None)) for c in line] for line in wb[spec.name].iter_rows()]
            table, title = _table(spec, cells, path)
            tables.append(table)
            if title:
                titles.append(title)
        properties = wb.properties
        info = _info(path, titles, properties.title, properties.creator, made)
    finally:
        wb.close()
    return info, tables


def _csv_value(name: str, value: object, source_format: str | None) -> object:
    if value is None or isinstance(value, float) and not math.isfinite(value):
        return ""  # NaN or infinity, only in a crafted report: no reader takes them
    if isinstance(value, datetime):
        return value.strftime("%Y/%m/%d %H:%M")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "%" in (number_format(value, name, source_format) or "").split(";")[0]:
            return f"{value * 100:.1f}%"
        return int(value) if float(value).is_integer() else value
    text = str(value)
    # Every kind of line break (CR, LF, CRLF, U+2028 …): one record stays one line for any reader.
    text = join_departments(text) if is_department(name) else " ".join(text.splitlines())
    return neutralize(text)


def _write_csv(table: FinanceTable, path: Path) -> Path:
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerow([neutralize(name) for name in table.header])
            for r, row in enumerate(table.rows):
                writer.writerow([_csv_value(name, v, table.source_format(r, c))
                                 for c, (name, v) in enumerate(zip(table.header, row))])
    return path


def _refuse_overwriting(report: Path, outputs: list[Path]) -> None:
    source = report.resolve()
    for out in outputs:
        if out.resolve() == source:
            raise ReportError(f"{out}: 出力先が集約結果そのものです。別のファイル名を指定してください。")


def export_finance(report_path: str | os.PathLike, out: str | os.PathLike,
                   csv_dir: str | os.PathLike | None = None, made: date | None = None) -> list[Path]:
    """Write the values-only finance workbook ``out`` and, with ``csv_dir``, one CSV per sheet; returns the paths."""
    report, out = Path(report_path), Path(out)
    info, tables = read_finance_tables(report, made)
    csv_paths = [Path(csv_dir) / csv_name(t.sheet, info.year) for t in tables] if csv_dir is not None else []
    _refuse_overwriting(report, [out, *csv_paths])

    paper = {spec.name: spec.csv_only for spec in FINANCE_SHEETS}

    def fill(book) -> None:
        for table in tables:
            add_finance_sheet(book, table.without(paper[table.sheet]), info)

    written = [write_book(out, fill, title=f"{info.plan_name} {format_fiscal_year(info.year)} 財政課出力".strip(),
                          author=info.author)]
    written += [_write_csv(table, path) for table, path in zip(tables, csv_paths)]
    return written

