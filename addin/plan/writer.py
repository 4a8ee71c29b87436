"""Write a plan workbook (設定, 計画, KPI, 工程 and the revision sheets) that the secretariat edits and :mod:`plan_reader` reads."""

from __future__ import annotations

import io
import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from addin.atomic import atomic_write
from addin.fiscal import format_fiscal_year
from addin.plan import layout as S
from addin.plan.model import KPI_METHODS, Plan
from addin.vocab import ITEM_STATES, NO, REVISION_KINDS, YES
from addin.xlsx.styles import BODY_FONT, THIN_BORDER, WRAP_TOP, set_widths, setup_print, style_header_row

__all__ = ["plan_workbook_bytes", "write_plan"]


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
        ["コメントの公表", YES if s.publish_comments else NO], ["バックアップの保存数", s.backup_keep],
    ]
    settings = _table_sheet(wb, S.SETTINGS_SHEET, S.SETTINGS_HEADERS, settings_rows, [16, 60])
    comments_row = 2 + [r[0] for r in settings_rows].index("コメントの公表")
    _choices(settings, "B", (YES, NO), ref=f"B{comments_row}")
    item_rows = [[i.item_id, i.pillar, i.area, i.number, i.name, "○" if i.continuing else None, i.content,
                  i.actions, "\n".join(i.in_charge), i.state, _year(i.start_year), _year(i.end_year), i.merged_into,
                  i.repeat_of] for i in plan.items]
    ws = _table_sheet(wb, S.ITEMS_SHEET, S.ITEM_HEADERS + S.ITEM_OPTIONAL, item_rows,
                      [10, 22, 22, 5, 28, 7, 44, 40, 14, 7, 9, 9, 10, 10])
    _choices(ws, "J", ITEM_STATES)
    kpi_rows = [[k.item_id, k.name, k.unit, format_fiscal_year(k.baseline_year), k.baseline,
                 format_fiscal_year(k.target_year), k.target, k.method, k.old_name] for k in plan.kpis]
    ws = _table_sheet(wb, S.KPI_SHEET, S.KPI_HEADERS + S.KPI_OPTIONAL, kpi_rows, [10, 40, 8, 10, 12, 10, 12, 10, 30])
    _number_format(ws, 5, 7)
    _choices(ws, "H", KPI_METHODS)
    bar_rows = [[b.item_id, b.label, format_fiscal_year(b.start), format_fiscal_year(b.end)] for b in plan.bars]
    _table_sheet(wb, S.SCHEDULE_SHEET, S.SCHEDULE_HEADERS, bar_rows, [10, 60, 10, 10])
    _revision_sheets(wb, plan)
    wb.active = 1
    return wb


def _revision_sheets(wb: Workbook, plan: Plan) -> None:
    """KPI年度目標, 効果額目標 and 改定履歴: written even when empty, so the secretariat sees where a revision goes."""
    rows = [[t.item_id, t.kpi_name, format_fiscal_year(t.year), t.target] for t in plan.year_targets]
    _number_format(_table_sheet(wb, S.YEAR_TARGET_SHEET, S.YEAR_TARGET_HEADERS, rows, [10, 40, 10, 12]), 4, 4)
    rows = [[t.item_id, format_fiscal_year(t.year), t.amount] for t in plan.effect_targets]
    _number_format(_table_sheet(wb, S.EFFECT_TARGET_SHEET, S.EFFECT_TARGET_HEADERS, rows, [10, 10, 16]), 3, 3)
    rows = [[r.date, format_fiscal_year(r.year), r.item_id, r.kind, r.before, r.after, r.reason, r.decided_by]
            for r in plan.revisions]
    ws = _table_sheet(wb, S.REVISION_SHEET, S.REVISION_HEADERS, rows, [12, 9, 10, 11, 30, 30, 30, 16])
    _choices(ws, "D", REVISION_KINDS)


def _year(year: int | None) -> str | None:
    return format_fiscal_year(year) if year is not None else None


def _number_format(ws, first_col: int, last_col: int) -> None:
    for row in ws.iter_rows(min_row=2, min_col=first_col, max_col=last_col):
        for cell in row:
            cell.number_format = "#,##0.##"


def _choices(ws, column: str, choices: tuple[str, ...], ref: str | None = None) -> None:
    """A dropdown of ``choices`` in a column, or in the cells ``ref`` (blank allowed: every one is optional)."""
    rule = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True)
    rule.add(ref or f"{column}2:{column}1000")
    ws.add_data_validation(rule)


def plan_workbook_bytes(plan: Plan) -> bytes:
    """The plan workbook as the bytes of an .xlsx (what the history keeps per consolidated year)."""
    buffer = io.BytesIO()
    build_plan_workbook(plan).save(buffer)
    return buffer.getvalue()


def write_plan(plan: Plan, path: str | os.PathLike) -> Path:
    """Write the plan workbook atomically and return its path."""
    workbook = build_plan_workbook(plan)
    return atomic_write(path, workbook.save)
