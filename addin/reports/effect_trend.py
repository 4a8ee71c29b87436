"""効果額推移: every plan year's 効果額 target and actual per item, 重点項目 subtotals and the total,
with the cumulative figures against the plan (SPEC, "Financial effects over the years").

A headline block on top says what the committee asks first: the plan-period target, this year's
actual, the cumulative actual and how far it has come. An estimate (見込み) is marked ＊ by the
number format, so the cell stays a number; a year nobody reported is empty, never 0.
"""

from __future__ import annotations

from addin.consolidation.effects import EffectTrend, total_trend
from addin.consolidation.summary import Consolidation
from addin.fiscal import format_fiscal_year
from addin.reports.common import title_block, write_table
from addin.reports.effects import ITEM, SUBTOTAL, TOTAL, total_rows
from addin.xlsx.styles import AMOUNT_FORMAT, BOLD_FONT, BODY_FONT, PERCENT_FORMAT, THIN_BORDER
from addin.xlsx.writer import ReportBook, ReportSheet

__all__ = ["TREND_SHEET", "trend_headers", "add_trend_sheet", "ESTIMATE_FORMAT", "ESTIMATED_YEARS"]

TREND_SHEET = "効果額推移"
ESTIMATE_FORMAT = '#,##0"＊"'  # a 見込み amount: still a number, shown with ＊
TABLE_ROW = 12  # the table's header row, below the headline block
_CUMULATIVE = ("累計目標", "累計実績", "達成率", "計画期間目標", "進捗率")
_RATIOS = ("達成率", "進捗率")
# The years whose actual includes a 見込み, as text: the ＊ of the number format is lost in a values-only
# copy (財政課出力, its CSV), this column is not.
ESTIMATED_YEARS = "見込みを含む年度"


def trend_headers(summary: Consolidation) -> list[str]:
    years = [format_fiscal_year(y) for y in summary.plan.years]
    return ["区分", "項目ID", "改革項目", *(f"{y}{kind}" for y in years for kind in ("目標", "実績")), *_CUMULATIVE,
            ESTIMATED_YEARS]


def _row(kind: str, item_id: str | None, name: str, trend: EffectTrend) -> list[object]:
    values: list[object] = [kind, item_id, name]
    years = sorted(trend.by_year.items())
    for _year, effect in years:
        values += [effect.target, effect.actual]
    estimated = [format_fiscal_year(y) for y, e in years if e.estimate and e.actual is not None]
    return values + [trend.cumulative_target, trend.cumulative_actual, trend.achievement, trend.period_target,
                     trend.progress, "、".join(estimated) or None]


def _styles(trends: list[EffectTrend]):
    """小計・総計 bold on blue; an estimated actual (and a cumulative one including it) marked ＊."""
    actual_headers = {y: f"{format_fiscal_year(y)}実績" for y in (trends[0].by_year if trends else {})}

    def styles(index: int, values) -> dict[str, dict] | None:
        trend = trends[index]
        extra = dict(total_rows(index, values) or {})
        for year, effect in trend.by_year.items():
            if effect.estimate and effect.actual is not None:
                extra[actual_headers[year]] = {"number_format": ESTIMATE_FORMAT}
        if trend.cumulative_estimate:
            extra["累計実績"] = {"number_format": ESTIMATE_FORMAT}
        return extra or None
    return styles


def _headline(sheet: ReportSheet, summary: Consolidation, total: EffectTrend) -> None:
    """The figures asked for first, in rows 4-10 (label, value)."""
    book = sheet.book
    label = book.style(font=BOLD_FONT, border=THIN_BORDER)
    amount = book.style(font=BODY_FONT, border=THIN_BORDER, number_format=AMOUNT_FORMAT)
    estimate = book.style(font=BODY_FONT, border=THIN_BORDER, number_format=ESTIMATE_FORMAT)
    percent = book.style(font=BODY_FONT, border=THIN_BORDER, number_format=PERCENT_FORMAT)
    this_year = total.by_year.get(summary.year)
    first, now = format_fiscal_year(summary.plan.settings.start_year), format_fiscal_year(summary.year)
    span = now if first == now else f"{first}～{now}"
    rows = [  # short labels: the note above says what each is
        ("計画期間の目標額", total.period_target, amount),
        (f"{now}の目標額", this_year.target if this_year else None, amount),
        (f"{now}の実績", this_year.actual if this_year else None, estimate if this_year and this_year.estimate else amount),
        (f"累計目標（{span}）", total.cumulative_target, amount),
        (f"累計実績（{span}）", total.cumulative_actual, estimate if total.cumulative_estimate else amount),
        ("達成率", total.achievement, percent),
        ("進捗率", total.progress, percent),
    ]
    for offset, (text, value, style) in enumerate(rows):
        sheet.merge(f"A{4 + offset}:C{4 + offset}", text, label)
        sheet.write(4 + offset, 4, value, style)


def add_trend_sheet(book: ReportBook, summary: Consolidation) -> ReportSheet:
    """Add 効果額推移 (items without any target or amount are listed too: the plan expects them to report)."""
    sheet = book.add_sheet(TREND_SHEET)
    title_block(sheet, summary, TREND_SHEET,
                note="単位: 千円。目標は計画の効果額目標、実績は各課の報告の合計（前年度までは履歴データベースから）。"
                     "＊は見込み（確定していない額）を含む額、空欄は目標・報告なし。再掲の項目は数えていません。"
                     "達成率＝累計実績÷累計目標、進捗率＝累計実績÷計画期間の目標額。")
    total = summary.effect_trend
    _headline(sheet, summary, total)
    rows, trends = [], []
    listed = {r.item.item_id: (r.item.name, r.trend) for r in summary.items}
    listed.update((item.item_id, (f"{item.name}（{item.state}）", trend)) for item, trend in summary.ended)
    pillars: dict[str, list[tuple[str, str, EffectTrend]]] = {}
    for item in summary.plan.whole.items:  # plan order; an item that ended keeps its place and its effects
        if item.item_id in listed:
            pillars.setdefault(item.pillar, []).append((item.item_id, *listed[item.item_id]))
    for pillar, items in pillars.items():
        for item_id, name, trend in items:
            rows.append(_row(ITEM, item_id, name, trend))
            trends.append(trend)
        subtotal = total_trend(summary.plan.years, summary.year, [trend for _i, _n, trend in items])
        rows.append(_row(SUBTOTAL, None, f"{pillar} 小計", subtotal))
        trends.append(subtotal)
    rows.append(_row(TOTAL, None, TOTAL, total))
    trends.append(total)
    headers = trend_headers(summary)
    widths = [6, 9, 28, *([9] * 2 * len(summary.plan.years)), 10, 10, 8, 10, 8, 10]
    styles = {h: {"number_format": PERCENT_FORMAT if h in _RATIOS else AMOUNT_FORMAT} for h in headers[3:-1]}
    write_table(sheet, headers, rows, widths, header_row=TABLE_ROW, freeze_col=3, column_styles=styles,
                row_styles=_styles(trends), fit_heights=True)
    return sheet
