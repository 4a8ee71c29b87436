"""A small stand-in for the department workbook generator, following addin/template.py.

Tests build department workbooks with it, then fill them the way departments
do. It writes only what the readers rely on: title rows, the header row at
HEADER_ROW, one row per item / KPI, and the hidden 様式情報 sheet.
"""

from __future__ import annotations

from openpyxl import Workbook

from addin.fiscal import format_fiscal_year
from addin.forms import layout as T
from addin.xlsx.tables import find_table


def build_department_workbook(plan, department: str, year: int) -> Workbook:
    """An empty entry workbook for ``department`` and ``year``."""
    wb = Workbook()
    ws = wb.active
    ws.title = T.INPUT_SHEET
    ws["A1"] = f"{plan.settings.plan_name}　{format_fiscal_year(year)} 取組状況（{department}）"
    ws["A2"] = "未入力の必須セル: 0"
    for col, name in enumerate(T.INPUT_HEADERS, start=1):
        ws.cell(T.HEADER_ROW, col, name)
    for r, item in enumerate(plan.items_for(department), start=T.HEADER_ROW + 1):
        ws.cell(r, 1, item.item_id)
        ws.cell(r, 2, item.name)
        ws.cell(r, 3, item.actions)
    kpi_ws = wb.create_sheet(T.KPI_SHEET)
    kpi_ws["A1"] = f"KPI実績（{department}）"
    for col, name in enumerate(T.KPI_HEADERS, start=1):
        kpi_ws.cell(T.HEADER_ROW, col, name)
    for r, kpi in enumerate(plan.kpis_led_by(department), start=T.HEADER_ROW + 1):
        for col, value in enumerate((kpi.item_id, kpi.name, kpi.unit, kpi.baseline, kpi.target), start=1):
            kpi_ws.cell(r, col, value)
    meta = wb.create_sheet(T.META_SHEET)
    values = {T.META_PLAN_NAME: plan.settings.plan_name, T.META_FINGERPRINT: plan.fingerprint,
              T.META_DEPARTMENT: department, T.META_YEAR: format_fiscal_year(year),
              T.META_VERSION: T.TEMPLATE_VERSION, T.META_CREATED: "2026-04-01T09:00:00"}
    # A form of the first version: no 団体名 row (readers accept it; wrong_plan then compares 計画名 only).
    for r, key in enumerate([k for k in T.META_KEYS if k in values], start=1):
        meta.cell(r, 1, key)
        meta.cell(r, 2, values[key])
    meta.sheet_state = "hidden"
    return wb


def rows_by_key(ws, headers, optional=()):
    """{項目ID or (項目ID, 指標名): 1-based row} and {header: column letter} of a generated sheet."""
    from openpyxl.utils import get_column_letter

    grid = [[c.value for c in row] for row in ws.iter_rows()]
    table = find_table(grid, headers, optional=optional)
    columns = {name: get_column_letter(col + 1) for name, col in table.columns.items()}
    rows = {}
    for index in range(table.header_row + 1, len(grid)):
        row = grid[index]
        item_id = table.value(row, "項目ID")
        if item_id is None:
            continue
        key = (item_id, table.value(row, "指標名")) if "指標名" in table.columns else item_id
        rows[key] = index + 1
    return rows, columns


def fill(wb, entries=None, kpis=None, default=True):
    """Fill a workbook: ``entries`` {項目ID: {header: value}}, ``kpis`` {(項目ID, 指標名): {header: value}}.

    With ``default`` every row not named gets plain valid values first.
    """
    ws = wb[T.INPUT_SHEET]
    rows, cols = rows_by_key(ws, T.INPUT_HEADERS, T.OPTIONAL_INPUT_HEADERS)
    for item_id, r in rows.items():
        values = dict(DEFAULT_ENTRY) if default else {}
        values.update((entries or {}).get(item_id, {}))
        for name, value in values.items():
            if name in cols or name in T.INPUT_HEADERS:  # a form of the first version has no 効果額 details
                ws[f"{cols[name]}{r}"] = value
    ws = wb[T.KPI_SHEET]
    rows, cols = rows_by_key(ws, T.KPI_HEADERS)
    for key, r in rows.items():
        # The default actual is the row's baseline: a value the plan makes plausible (25 sheets of PPC
        # paper against 6,290,000 would be an implausible_value).
        values = {"実績値": ws[f"{cols['基準値']}{r}"].value} if default else {}
        values.update((kpis or {}).get(key, {}))
        for name, value in values.items():
            ws[f"{cols[name]}{r}"] = value
    return wb


DEFAULT_ENTRY = {"取組状況": "計画どおり検討を進めた。", "自己評価": "B", "進捗": "予定どおり", "効果額（千円）": 100,
                 "今後の課題・方向性": "引き続き進める。", T.EFFECT_KIND: "歳出削減", T.EFFECT_BASIS: "消耗品費の削減 100千円"}


def address(wb, sheet, key, header):
    """The A1 address of ``header`` in the row of ``key`` (項目ID or (項目ID, 指標名))."""
    headers = T.INPUT_HEADERS if sheet == T.INPUT_SHEET else T.KPI_HEADERS
    rows, cols = rows_by_key(wb[sheet], headers)
    return f"{cols[header]}{rows[key]}"


def plan_book_with_submissions(plan, plan_path, tmp_path, departments: int = 3):
    """A copy of the plan workbook (the book a button is clicked in) and 提出_R8 beside it with filled forms."""
    import shutil

    book_path = tmp_path / "計画.xlsx"
    shutil.copy(plan_path, book_path)
    folder = tmp_path / "提出_R8"
    folder.mkdir()
    for dept in plan.departments[:departments]:
        wb = build_department_workbook(plan, dept, 2026)
        fill(wb)
        wb.save(folder / f"R8_{dept}.xlsx")
    return book_path
