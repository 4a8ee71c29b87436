"""Write a plan workbook (設定, 計画, KPI, 工程) that the secretariat edits and :mod:`plan_reader` reads."""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from addin.atomic import atomic_write
from addin.fiscal import format_fiscal_year
from addin.plan import layout as S
from addin.plan.model import KPI_METHODS, Plan
from addin.xlsx.styles import BODY_FONT, THIN_BORDER, WRAP_TOP, set_widths, setup_print, style_header_row

__all__ = ["write_plan"]


def _table_sheet(wb: Workbook, title: str, headers: tuple[str, ...], rows: list[list[object]], widths: list[float]):
    ws = wb.create_sheet(title)
    ws.append(list(headers))
    style_header_row(ws, 1, 1, len(headers))
    for row in rows:
        ws.append(row)
    for line in ws.iter_rows(min_row=2, max_row=ws.max_row, max_col=len(headers)):
        for cell in line:
            cell.font = BODY_FONT
            cell.alignment = WRAP_TOP
            cell.border = THIN_BORDER
    set_widths(ws, {chr(ord("A") + i): w for i, w in enumerate(widths)})
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{chr(ord('A') + len(headers) - 1)}{max(ws.max_row, 2)}"
    setup_print(ws, "1:1")
    return ws


def build_plan_workbook(plan: Plan) -> Workbook:
    """The plan as an openpyxl Workbook, in the layout of SPEC."""
    wb = Workbook()
    wb.remove(wb.active)
    s = plan.settings
    settings_rows = [
        ["計画名", s.plan_name], ["団体名", s.municipality],
        ["開始年度", format_fiscal_year(s.start_year)], ["終了年度", format_fiscal_year(s.end_year)],
        ["報告年度", format_fiscal_year(s.report_year) if s.report_year else None],
        ["提出フォルダ", s.submit_folder], ["出力フォルダ", s.output_folder],
        ["提出期限", s.deadline], ["提出先", s.submit_to], ["問合せ先", s.contact],
    ]
    _table_sheet(wb, S.SETTINGS_SHEET, S.SETTINGS_HEADERS, settings_rows, [16, 60])
    item_rows = [[i.item_id, i.pillar, i.area, i.number, i.name, "○" if i.continuing else None, i.content,
                  i.actions, "\n".join(i.in_charge)] for i in plan.items]
    _table_sheet(wb, S.ITEMS_SHEET, S.ITEM_HEADERS, item_rows, [10, 22, 22, 5, 28, 7, 44, 40, 14])
    kpi_rows = [[k.item_id, k.name, k.unit, format_fiscal_year(k.baseline_year), k.baseline,
                 format_fiscal_year(k.target_year), k.target, k.method] for k in plan.kpis]
    ws = _table_sheet(wb, S.KPI_SHEET, S.KPI_HEADERS + S.KPI_OPTIONAL, kpi_rows, [10, 40, 8, 10, 12, 10, 12, 10])
    for row in ws.iter_rows(min_row=2, min_col=5, max_col=7):
        for cell in row:
            cell.number_format = "#,##0.##"
    methods = DataValidation(type="list", formula1=f'"{",".join(KPI_METHODS)}"', allow_blank=True)
    methods.add("H2:H1000")
    ws.add_data_validation(methods)
    bar_rows = [[b.item_id, b.label, format_fiscal_year(b.start), format_fiscal_year(b.end)] for b in plan.bars]
    _table_sheet(wb, S.SCHEDULE_SHEET, S.SCHEDULE_HEADERS, bar_rows, [10, 60, 10, 10])
    wb.active = 1
    return wb


def write_plan(plan: Plan, path: str | os.PathLike) -> Path:
    """Write the plan workbook atomically and return its path."""
    workbook = build_plan_workbook(plan)
    return atomic_write(path, workbook.save)
