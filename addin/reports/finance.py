"""The finance export (財政課出力): 効果額集計 and KPI一覧 of a report as values only, and as CSV.

The workbook holds values only (no formulas, no links, no charts); the CSV
files are UTF-8 with BOM and CRLF line ends, which Excel opens correctly by a
double click. Text that a spreadsheet would take for a formula (= + - @, tab,
CR at the start) is prefixed with a single quote; numbers stay numbers, so a
negative amount is still a negative number.
"""

from __future__ import annotations

import csv
import os
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

from addin.atomic import atomic_path, atomic_write
from addin.errors import ReformError, UnreadableWorkbook
from addin.reports.effects import EFFECTS_SHEET
from addin.reports.kpi import KPI_SHEET
from addin.xlsx.styles import AMOUNT_FORMAT, PERCENT_FORMAT, set_widths, setup_print, style_header_row
from addin.xlsx.tables import find_table

__all__ = ["export_finance", "read_summary_table", "neutralize", "FINANCE_SHEETS"]

# sheet -> the headers that locate its table
FINANCE_SHEETS = {EFFECTS_SHEET: ("区分", "項目ID", "効果額（千円）"), KPI_SHEET: ("項目ID", "指標名", "達成率")}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ReportError(ReformError):
    """The file given is not a consolidated report (a sheet or its headers are missing)."""


def neutralize(value: object) -> object:
    """A text cell a spreadsheet could run as a formula gets a leading quote; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def read_summary_table(path: str | os.PathLike, sheet: str, required: tuple[str, ...]) -> list[list[object]]:
    """The header row and the data rows of ``sheet`` (values only; table found by its header names)."""
    from addin.xlsx.guard import open_workbook

    try:
        wb = open_workbook(path, read_only=True, data_only=True)
    except UnreadableWorkbook as exc:
        raise ReportError(f"{path}: 集約結果を開けません。{exc.reason}") from exc
    try:
        if sheet not in wb.sheetnames:
            raise ReportError(f"{path}: シート「{sheet}」がありません。reform consolidate で作った集約結果を指定してください。")
        rows = [list(r) for r in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()
    table = find_table(rows, required)
    if table is None:
        raise ReportError(f"{path}: シート「{sheet}」に見出し（{'、'.join(required)}）の行が見つかりません。")
    header = rows[table.header_row]
    width = max(i for i, v in enumerate(header) if v not in (None, "")) + 1
    body = [list(row[:width]) + [None] * (width - len(row)) for _i, row in table.data_rows()]
    return [list(header[:width]), *body]


def _write_workbook(tables: dict[str, list[list[object]]], path: Path) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet, rows in tables.items():
        ws = wb.create_sheet(sheet)
        for row in rows:
            ws.append(row)
        for line in ws.iter_rows():
            for cell in line:
                if cell.data_type == "f":  # text that looks like a formula stays text: values only
                    cell.data_type = "s"
        header = rows[0]
        style_header_row(ws, 1, 1, len(header))
        for col, name in enumerate(header, start=1):
            fmt = PERCENT_FORMAT if name == "達成率" else AMOUNT_FORMAT if "千円" in str(name) else None
            if fmt:
                for r in range(2, len(rows) + 1):
                    ws.cell(r, col).number_format = fmt
        set_widths(ws, {ws.cell(1, c).column_letter: max(10, min(40, len(str(h or "")) * 2 + 4))
                        for c, h in enumerate(header, start=1)})
        ws.freeze_panes = "A2"
        setup_print(ws, "1:1")
    return atomic_write(path, wb.save)


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime):
        return value.strftime("%Y/%m/%d %H:%M")
    if isinstance(value, str):
        return neutralize(value.replace("\r\n", "\n"))
    return value


def _write_csv(rows: list[list[object]], path: Path) -> Path:
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
            for row in rows:
                writer.writerow([_csv_value(v) for v in row])
    return path


def export_finance(report_path: str | os.PathLike, out: str | os.PathLike,
                   csv_dir: str | os.PathLike | None = None) -> list[Path]:
    """Write the values-only finance workbook ``out`` and, with ``csv_dir``, one CSV per sheet; returns the paths."""
    tables = {sheet: read_summary_table(report_path, sheet, required) for sheet, required in FINANCE_SHEETS.items()}
    written = [_write_workbook(tables, Path(out))]
    if csv_dir is not None:
        folder = Path(csv_dir)
        for sheet, rows in tables.items():
            written.append(_write_csv(rows, folder / f"{sheet}.csv"))
    return written
