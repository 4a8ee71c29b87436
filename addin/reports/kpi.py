"""KPI一覧: every KPI with its baseline, the actual of every plan year (推移), target, 達成率 and direction."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from addin.consolidation.summary import IMPROVED, UNCHANGED, WORSENED, Consolidation, KpiResult
from addin.fiscal import format_fiscal_year
from addin.reports.common import achievement_colours, number_format, title_block, write_table
from addin.xlsx.styles import BAD_FONT, CENTER, GOOD_FONT, PERCENT_FORMAT
from addin.xlsx.writer import ReportBook, ReportSheet

__all__ = ["KPI_SHEET", "kpi_headers", "add_kpi_sheet", "direction_label", "trend_text"]

KPI_SHEET = "KPI一覧"
ACHIEVEMENT = "達成率"
YEAR_TARGET = "当年度目標"
YEAR_ACHIEVEMENT = "当年度達成率"
_ARROWS = {IMPROVED: "↑", WORSENED: "↓", UNCHANGED: "→"}


def kpi_headers(summary: Consolidation) -> list[str]:
    """項目ID … 基準年度, one column per plan year, 目標値 … 推移."""
    years = [format_fiscal_year(y) for y in summary.plan.years]
    return ["項目ID", "改革項目", "担当課", "指標名", "単位", "基準値", "基準年度", *years, "目標値", "目標年度",
            ACHIEVEMENT, YEAR_TARGET, YEAR_ACHIEVEMENT, "方向", "推移"]


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


def add_kpi_sheet(book: ReportBook, summary: Consolidation) -> ReportSheet:
    """Add KPI一覧 and a bar chart of 達成率 per KPI."""
    sheet = book.add_sheet(KPI_SHEET)
    title_block(sheet, summary, KPI_SHEET,
                note="達成率 = (実績値−基準値)÷(目標値−基準値)（算定方法「比率」は 実績値÷目標値、低いほど良い指標は 目標値÷実績値）。"
                     "当年度達成率は同じ式で当年度目標（KPI年度目標）に対するもの。方向は前年度の実績との比較（指標の良い方向を考慮）。")
    headers = kpi_headers(summary)
    years = summary.plan.years
    rows, kpis = [], []
    for result in summary.items:
        for k in result.kpis:
            kpi = k.kpi
            rows.append([kpi.item_id, result.item.name, k.department, kpi.name, kpi.unit, kpi.baseline,
                         format_fiscal_year(kpi.baseline_year), *[k.history.get(y) for y in years], kpi.target,
                         format_fiscal_year(kpi.target_year), k.achievement, k.target_this_year,
                         k.achievement_this_year, direction_label(k), trend_text(k)])
            kpis.append(k)
    widths = [9, 22, 11, 30, 6, 10, 8, *[9] * len(years), 10, 8, 9, 10, 10, 9, 26]
    styles = {name: {"alignment": CENTER} for name in ("単位", "基準年度", "目標年度", "方向")}
    styles[ACHIEVEMENT] = styles[YEAR_ACHIEVEMENT] = {"number_format": PERCENT_FORMAT}
    numeric = [(name, headers.index(name))
               for name in ("基準値", *[format_fiscal_year(y) for y in years], "目標値", YEAR_TARGET)]

    def row_styles(index: int, values) -> dict[str, dict]:
        extra = {name: {"number_format": number_format(values[i])} for name, i in numeric}
        direction = kpis[index].direction
        if direction in (IMPROVED, WORSENED):
            extra["方向"] = {"font": GOOD_FONT if direction == IMPROVED else BAD_FONT}
        return extra

    first, last = write_table(sheet, headers, rows, widths, freeze_col=4, column_styles=styles, row_styles=row_styles,
                              fit_heights=True)
    col = {name: i for i, name in enumerate(headers, start=1)}
    for name in (ACHIEVEMENT, YEAR_ACHIEVEMENT):
        letter = get_column_letter(col[name])
        achievement_colours(sheet, f"{letter}{first}:{letter}{last}")
    if rows:
        _chart(sheet, summary, col, first, first + len(rows) - 1, anchor_row=last + 3)
    return sheet


def _chart(sheet: ReportSheet, summary: Consolidation, col: dict[str, int], first: int, last: int,
           anchor_row: int) -> None:
    """Horizontal bars of 達成率, one per KPI (labels are 指標名), below the table."""
    chart = sheet.book.add_chart({"type": "bar"})
    chart.set_style(10)
    chart.set_title({"name": f"KPI 達成率（{format_fiscal_year(summary.year)}）"})
    achievement, names = col[ACHIEVEMENT] - 1, col["指標名"] - 1
    chart.add_series({
        "name": [sheet.name, first - 2, achievement],
        "categories": [sheet.name, first - 1, names, last - 1, names],
        "values": [sheet.name, first - 1, achievement, last - 1, achievement],
        "data_labels": {"value": True, "num_format": "0%"},
    })
    # In a bar chart the x axis is the horizontal value axis; the first KPI on top, as in the table.
    chart.set_x_axis({"name": "達成率", "num_format": "0%", "major_gridlines": {"visible": False}})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"none": True})
    height_cm = max(7.5, 0.7 * (last - first + 1) + 2)
    chart.set_size({"width": int(24 / 2.54 * 96), "height": int(height_cm / 2.54 * 96)})
    sheet.ws.insert_chart(f"B{anchor_row}", chart)
