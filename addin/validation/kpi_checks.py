"""Warnings on KPI actuals (SPEC "Validation"): an actual not reported, an actual that parses but looks wrong."""

from __future__ import annotations

from typing import Iterator

from addin.forms import layout as T
from addin.validation.issues import Issue

__all__ = ["check_kpi_not_reported", "check_implausible", "IMPLAUSIBLE_ABOVE", "IMPLAUSIBLE_BELOW"]


def check_kpi_not_reported(rule, ctx) -> Iterator[Issue]:
    """A KPI whose 実績値 and 備考 are both empty: the department neither reported it nor said why."""
    led = {k.key for k in ctx.plan.kpis_led_by(ctx.department)} if ctx.knows_department() else None
    for row, raw in ctx.kpis:
        actual, note = raw.cells.get("実績値"), raw.cells.get("備考")
        if actual is None or not row.item_id or (led is not None and (row.item_id, row.name) not in led):
            continue
        if _blank(actual) and (note is None or _blank(note)):
            yield rule.issue(ctx, T.KPI_SHEET, actual.cell, row.item_id, "実績値", name=row.name)


def _blank(cell) -> bool:
    return not cell.formula_without_value and (cell.value is None or str(cell.value).strip(" \u3000\t\n") == "")


IMPLAUSIBLE_ABOVE, IMPLAUSIBLE_BELOW = 2.0, -1.0  # 達成率 above 200 % or below −100 %


def check_implausible(rule, ctx) -> Iterator[Issue]:
    """An actual that parses but looks wrong: a % KPI typed as a fraction, or an achievement far outside the plan."""
    seen: set[tuple] = set()
    for row, raw in ctx.kpis:
        kpi = ctx.plan.kpis_by_key.get((row.item_id, row.name))
        if kpi is None or row.actual is None or kpi.key in seen:
            continue  # a second row of one KPI is duplicate_item already
        seen.add(kpi.key)
        cell = raw.cells["実績値"]
        if kpi.is_percent and kpi.baseline is not None and kpi.baseline >= 1 and 0 < row.actual < 1:
            yield rule.issue(ctx, T.KPI_SHEET, cell.cell, kpi.item_id, "実績値", cell.value, variant="fraction",
                             unit=kpi.unit, baseline=kpi.baseline, percent=round(row.actual * 100, 6))
            continue
        rate = kpi.achievement(row.actual)
        if rate is not None and not IMPLAUSIBLE_BELOW <= rate <= IMPLAUSIBLE_ABOVE:
            yield rule.issue(ctx, T.KPI_SHEET, cell.cell, kpi.item_id, "実績値", cell.value,
                             rate=round(rate * 100, 1), unit=kpi.unit)
