"""確認事項: what the secretariat should look at twice — a self-grade the KPIs contradict, a KPI's direction.

Hints never change a grade; they are sentences in 確認事項 beside the item.
"""

from __future__ import annotations

from addin.fiscal import format_fiscal_year
from addin.plan.model import Kpi

__all__ = ["IMPROVED", "WORSENED", "UNCHANGED", "direction", "kpi_hints"]

IMPROVED, WORSENED, UNCHANGED = "改善", "悪化", "横ばい"


def direction(kpi: Kpi, previous: float | None, current: float | None) -> str | None:
    """改善 / 悪化 / 横ばい of ``current`` against ``previous``, the KPI's better direction taken into account."""
    if previous is None or current is None:
        return None
    if current == previous:
        return UNCHANGED
    better = current < previous if kpi.lower_is_better else current > previous
    return IMPROVED if better else WORSENED


def _fmt(value: float | None) -> str:
    if value is None:
        return "－"
    return f"{value:,.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"


def kpi_hints(result) -> list[str]:
    """A self-grade that the KPIs contradict, said plainly; the grade itself is left alone."""
    hints: list[str] = []
    lead = result.item.lead
    grade = result.grades.get(lead) if lead else None
    measured = [k for k in result.kpis if k.achievement is not None]
    if grade == "A":
        for k in measured:
            if k.achievement < 0:
                hints.append(f"自己評価はAですが、KPI「{k.kpi.name}」の実績（{_fmt(k.actual)}{k.kpi.unit}）が基準値"
                             f"（{_fmt(k.kpi.baseline)}{k.kpi.unit}）より悪化しています。評価を確認してください。")
            elif k.direction == WORSENED:
                hints.append(f"自己評価はAですが、KPI「{k.kpi.name}」が前年度より悪化しています"
                             f"（{format_fiscal_year(k.previous_year)} {_fmt(k.previous)} → "
                             f"{_fmt(k.actual)}{k.kpi.unit}）。評価を確認してください。")
    if grade == "C" and measured and all(k.achievement >= 1 for k in measured):
        hints.append("自己評価はCですが、KPIはすべて目標値を達成しています。評価を確認してください。")
    for dept, grade in result.grades.items():
        if grade == "A" and result.progress.get(dept) == "遅れ":
            hints.append(f"【{dept}】進捗が「遅れ」ですが自己評価はAです。評価を確認してください。")
    return hints
