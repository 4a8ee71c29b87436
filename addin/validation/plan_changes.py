"""plan_changed: a form made from an earlier version of the same plan, compared row by row (by 項目ID) with the
current plan, so the secretariat reads in one line per file what changed for that department.

The form keeps the fixed cells of the plan it was made from; where they differ from the current
plan, the plan changed (validation uses the current plan's values and blames nobody).
"""

from __future__ import annotations

from typing import Iterator

from addin.forms import layout as T
from addin.normalize import NotANumber, parse_number, parse_percent
from addin.validation.issues import Issue
from addin.validation.records import RawRow
from addin.xlsx.tables import header_key

__all__ = ["check_plan_changed", "plan_changes", "same_number"]


def same_number(raw_cell, expected: float | None, percent_unit: bool) -> bool:
    """Whether a fixed number cell of the form holds the plan's number (26 and 26% alike for a % KPI)."""
    value = raw_cell.value
    if value is None:
        return expected is None
    if expected is None:
        return False
    try:
        found = parse_percent(value, "0%" if raw_cell.percent else None) if percent_unit else parse_number(value)
    except (NotANumber, ArithmeticError):
        return False
    return found is not None and abs(float(found) - float(expected)) < 1e-9 * max(1.0, abs(float(expected)))


def plan_changes(ctx) -> tuple[list[str], list[str], list[str]]:
    """What differs between an earlier version's form and the current plan, for this department:
    ``(changed fixed cells, items and KPIs added since, rows no longer in the plan)``."""
    plan, changed, added, removed = ctx.plan, [], [], []
    assigned = {i.item_id: i for i in plan.items_for(ctx.department)} if ctx.knows_department() else {}
    present = set()
    for entry, raw in ctx.entries:
        item = assigned.get(entry.item_id)
        if entry.item_id is None or entry.item_id in present:
            continue
        present.add(entry.item_id)
        if item is None:
            removed.append(entry.item_id)
            continue
        cell = raw.cells.get("改革項目")
        if cell is not None and header_key(cell.value) != header_key(item.name):
            changed.append(f"改革項目（{item.item_id}）")
    added += [f"{i.item_id} {i.name}" for i in assigned.values() if i.item_id not in present]
    kpis = {k.key: k for k in plan.kpis_led_by(ctx.department)} if ctx.knows_department() else {}
    present_kpis = set()
    for row, raw in ctx.kpis:
        key = (row.item_id, row.name)
        if row.item_id is None or key in present_kpis:
            continue
        present_kpis.add(key)
        kpi = kpis.get(key)
        if kpi is None:
            removed.append(f"{row.item_id} {row.name}")
            continue
        for column in _kpi_differences(kpi, raw):
            changed.append(f"{column}（{kpi.item_id} {kpi.name}）")
    added += [f"{k.item_id} {k.name}" for key, k in kpis.items() if key not in present_kpis]
    return changed, added, removed


def _kpi_differences(kpi, raw: RawRow) -> list[str]:
    """The fixed columns of a KPI row that differ from the plan's KPI."""
    columns = []
    unit = raw.cells.get("単位")
    if unit is not None and header_key(unit.value) != header_key(kpi.unit):
        columns.append("単位")
    for column, expected in (("基準値", kpi.baseline), ("目標値", kpi.target)):
        cell = raw.cells.get(column)
        if cell is not None and not cell.formula_without_value and not same_number(cell, expected, kpi.is_percent):
            columns.append(column)
    return columns


def check_plan_changed(rule, ctx) -> Iterator[Issue]:
    """One warning per form of an earlier version of the plan, naming what changed for this department."""
    if not ctx.from_earlier_plan():
        return
    changed, added, removed = plan_changes(ctx)
    cell = ctx.records.meta.get(T.META_FINGERPRINT)
    yield rule.issue(ctx, T.META_SHEET, cell.cell if cell else None, column=T.META_FINGERPRINT,
                     value=ctx.records.meta_value(T.META_FINGERPRINT),
                     variant=None if changed or added or removed else "unaffected", plan=ctx.plan.settings.plan_name,
                     changed=tuple(changed), added=tuple(added), removed=tuple(removed))
