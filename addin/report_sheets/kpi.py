"""KPI一覧: every KPI with its baseline, the actual of every plan year (推移), target, 達成率 and direction."""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from ..consolidate import IMPROVED, UNCHANGED, WORSENED, Consolidation, KpiResult
from ..fiscal import format_fiscal_year
from ..styles import BAD_FONT, CENTER, GOOD_FONT, PERCENT_FORMAT
from .common import achievement_colours, fit_row_heights, number_format, restyle, title_block, write_table

__all__ = ["KPI_SHEET", "kpi_headers", "add_kpi_sheet", "direction_label", "trend_text"]

KPI_SHEET = "KPI一覧"
ACHIEVEMENT = "達成率"
_ARROWS = {IMPROVED: "↑", WORSENED: "↓", UNCHANGED: "→"}


def kpi_headers(summary: Consolidation) -> list[str]:
    """項目ID … 基準年度, one column per plan year, 目標値 … 推移."""
    years = [format_fiscal_year(y) for y in summary.plan.years]
    return ["項目ID", "改革項目", "担当課", "指標名", "単位", "基準値", "基準年度", *years, "目標値", "目標年度",
            ACHIEVEMENT, "方向", "推移"]


def direction_label(k: KpiResult) -> str | None:
    """↑ 改善 / ↓ 悪化 / → 横ばい: the arrow is the value's move, the word whether that is better."""
    if k.direction is None:
        return None
    if k.direction == UNCHANGED:
        return "→ 横ばい"
    went_up = k.actual > k.previous
    return f"{'↑' if went_up else '↓'} {k.direction}"


def _short(value: float | int | None) -> str:
    if value is None:
        return "－"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def trend_text(k: KpiResult) -> str | None:
    """``R8 26 → R9 27.5``: the years with an actual, in order."""
    known = [(y, v) for y, v in sorted(k.history.items()) if v is not None]
    if not known:
        return None
    return " → ".join(f"{format_fiscal_year(y)} {_short(v)}" for y, v in known)


def add_kpi_sheet(wb: Workbook, summary: Consolidation):
    """Add KPI一覧 and a bar chart of 達成率 per KPI."""
    ws = wb.create_sheet(KPI_SHEET)
    title_block(ws, summary, KPI_SHEET,
                note="達成率 = (実績値−基準値)÷(目標値−基準値)（算定方法「比率」は 実績値÷目標値、低いほど良い指標は 目標値÷実績値）。"
                     "方向は前年度の実績との比較（指標の良い方向を考慮）。")
    headers = kpi_headers(summary)
    years = summary.plan.years
    rows, kpis = [], []
    for result in summary.items:
        for k in result.kpis:
            kpi = k.kpi
            rows.append([kpi.item_id, result.item.name, k.department, kpi.name, kpi.unit, kpi.baseline,
                         format_fiscal_year(kpi.baseline_year), *[k.history.get(y) for y in years], kpi.target,
                         format_fiscal_year(kpi.target_year), k.achievement, direction_label(k), trend_text(k)])
            kpis.append(k)
    widths = [9, 22, 11, 30, 6, 10, 8, *[9] * len(years), 10, 8, 9, 9, 26]
    styles = {name: {"alignment": CENTER} for name in ("単位", "基準年度", "目標年度", "方向")}
    styles[ACHIEVEMENT] = {"number_format": PERCENT_FORMAT}
    first, last = write_table(ws, headers, rows, widths, freeze_col=4, column_styles=styles)
    col = {name: i for i, name in enumerate(headers, start=1)}
    numeric = ["基準値", *[format_fiscal_year(y) for y in years], "目標値"]
    for r in range(first, first + len(rows)):
        for name in numeric:
            cell = ws.cell(r, col[name])
            restyle(cell, number_format=number_format(cell.value))
        k = kpis[r - first]
        if k.direction in (IMPROVED, WORSENED):
            restyle(ws.cell(r, col["方向"]), font=GOOD_FONT if k.direction == IMPROVED else BAD_FONT)
    letter = get_column_letter(col[ACHIEVEMENT])
    achievement_colours(ws, f"{letter}{first}:{letter}{last}")
    fit_row_heights(ws, first, last, widths)
    if rows:
        _chart(ws, summary, col, first, first + len(rows) - 1, anchor_row=last + 3)
    return ws


def _chart(ws, summary: Consolidation, col: dict[str, int], first: int, last: int, anchor_row: int) -> None:
    """Horizontal bars of 達成率, one per KPI (labels are 指標名), below the table."""
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = f"KPI 達成率（{format_fiscal_year(summary.year)}）"
    chart.y_axis.title = "達成率"
    chart.y_axis.numFmt = "0%"
    chart.y_axis.majorGridlines = None
    chart.x_axis.scaling.orientation = "maxMin"  # first KPI on top, as in the table
    data = Reference(ws, min_col=col[ACHIEVEMENT], min_row=first - 1, max_row=last)
    labels = Reference(ws, min_col=col["指標名"], min_row=first, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(labels)
    chart.legend = None
    chart.dataLabels = DataLabelList(showVal=True, showCatName=False, showSerName=False, showLegendKey=False,
                                     showPercent=False)
    chart.dataLabels.numFmt = "0%"
    chart.height = max(7.5, 0.7 * (last - first + 1) + 2)
    chart.width = 24
    ws.add_chart(chart, f"B{anchor_row}")
