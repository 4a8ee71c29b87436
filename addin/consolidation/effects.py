"""Financial effects over the plan years (SPEC, "Financial effects over the years"): per item and in total.

Targets come from the plan's 効果額目標; actuals of earlier years from the history, this year's from
the submissions. A year nobody reported stays None (blank in the report, null in the JSON), never 0;
an amount is an estimate (見込み) when any department's part of it is. Cumulative figures run up
to the report year; the plan-period target is the sum over every plan year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

from addin.fiscal import format_fiscal_year
from addin.vocab import EFFECT_ESTIMATED, EFFECT_REDUCTION, EFFECT_REVENUE

__all__ = ["Part", "YearEffect", "EffectTrend", "effect_trend", "total_trend", "ended_trends", "ratio", "sum_known"]


@dataclass(frozen=True)
class Part:
    """One department's 効果額 for one year, with its 区分 and 確定・見込."""

    department: str
    amount: float | None
    kind: str | None = None
    certainty: str | None = None
    next_year: float | None = None


@dataclass
class YearEffect:
    """One plan year of an item (or a sum of items): the target, the actual and whether it is an estimate."""

    target: float | None = None
    actual: float | None = None
    estimate: bool = False

    def to_json(self) -> dict:
        return {"target": self.target, "actual": self.actual, "estimate": self.estimate}


@dataclass
class EffectTrend:
    """Every plan year's target and actual, the cumulative figures up to the report year, this year's split."""

    year: int
    by_year: dict[int, YearEffect] = field(default_factory=dict)
    reduction: float | None = None  # this year's 歳出削減
    revenue: float | None = None    # this year's 歳入確保
    next_year_estimate: float | None = None

    def _upto(self) -> list[YearEffect]:
        return [e for y, e in sorted(self.by_year.items()) if y <= self.year]

    @property
    def cumulative_target(self) -> float | None:
        return sum_known(e.target for e in self._upto())

    @property
    def cumulative_actual(self) -> float | None:
        return sum_known(e.actual for e in self._upto())

    @property
    def period_target(self) -> float | None:
        return sum_known(e.target for e in self.by_year.values())

    @property
    def achievement(self) -> float | None:
        """達成率: 累計実績 ÷ 累計目標."""
        return ratio(self.cumulative_actual, self.cumulative_target)

    @property
    def progress(self) -> float | None:
        """進捗率: 累計実績 ÷ 計画期間の目標."""
        return ratio(self.cumulative_actual, self.period_target)

    @property
    def cumulative_estimate(self) -> bool:
        return any(e.estimate for e in self._upto() if e.actual is not None)

    def to_json(self) -> dict:
        return {"by_year": {format_fiscal_year(y): e.to_json() for y, e in sorted(self.by_year.items())},
                "cumulative_target": self.cumulative_target, "cumulative_actual": self.cumulative_actual,
                "reduction": self.reduction, "revenue": self.revenue, "next_year_estimate": self.next_year_estimate}


def effect_trend(years: Iterable[int], year: int, targets: Mapping[int, float | None],
                 parts_by_year: Mapping[int, list[Part]]) -> EffectTrend:
    """An item's trend: ``targets`` {year: 効果額目標}, ``parts_by_year`` {year: departments' parts} (this year included)."""
    trend = EffectTrend(year)
    for y in years:
        parts = [p for p in parts_by_year.get(y, []) if p.amount is not None]
        trend.by_year[y] = YearEffect(targets.get(y), sum_known(p.amount for p in parts),
                                      any(p.certainty == EFFECT_ESTIMATED for p in parts))
    this_year = parts_by_year.get(year, [])
    trend.reduction = sum_known(p.amount for p in this_year if p.amount is not None and p.kind == EFFECT_REDUCTION)
    trend.revenue = sum_known(p.amount for p in this_year if p.amount is not None and p.kind == EFFECT_REVENUE)
    trend.next_year_estimate = sum_known(p.next_year for p in this_year)
    return trend


def ended_trends(plan, year: int, effect_history: Mapping[str, Mapping[int, list[Part]]]) -> list[tuple[object, EffectTrend]]:
    """Items of the whole plan not reported this year (completed, ended, merged, not yet started) whose
    earlier years hold an amount or a target: their effects stay in the plan's cumulative totals."""
    whole = plan.whole
    ended = []
    for item in whole.items:
        if item.is_repeat or whole.is_active(item, year):
            continue
        stored = {y: parts for y, parts in effect_history.get(item.item_id, {}).items() if y < year}
        targets = {y: whole.effect_target(item.item_id, y) for y in whole.years}
        trend = effect_trend(whole.years, year, targets, stored)
        if trend.cumulative_actual is not None or trend.cumulative_target is not None:
            ended.append((item, trend))
    return ended


def total_trend(years: Iterable[int], year: int, trends: Iterable[EffectTrend]) -> EffectTrend:
    """The sum of several items' trends (a 重点項目's 小計, the 総計); a year no item has stays None."""
    trends = list(trends)
    total = EffectTrend(year)
    for y in years:
        cells = [t.by_year[y] for t in trends if y in t.by_year]
        total.by_year[y] = YearEffect(sum_known(c.target for c in cells), sum_known(c.actual for c in cells),
                                      any(c.estimate for c in cells if c.actual is not None))
    total.reduction = sum_known(t.reduction for t in trends)
    total.revenue = sum_known(t.revenue for t in trends)
    total.next_year_estimate = sum_known(t.next_year_estimate for t in trends)
    return total


def ratio(value: float | None, base: float | None) -> float | None:
    """``value / base`` rounded against float noise; None when either is missing or the base is 0."""
    if value is None or not base:
        return None
    return round(value / base, 6)


def sum_known(values: Iterable[float | None]) -> float | int | None:
    """The sum of the values given (whole numbers as int); None when none is, never 0."""
    known = [v for v in values if v is not None]
    if not known:
        return None
    total = round(float(sum(known)), 6)
    return int(total) if total.is_integer() else total
