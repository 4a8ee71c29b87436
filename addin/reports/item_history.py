"""Every year's record of each item, read from the history database for the publication set.

個票 and the committee's 評価シート show earlier years (取組状況, KPI actuals, 効果額, grades);
the report holds only its own year, the history database beside it holds them all, and the
plan as it was when the year was consolidated (``plan_snapshots``), so publish needs no plan
workbook and an earlier year is published with the plan of that year.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from addin.consolidation.effects import EffectTrend, effect_trend
from addin.consolidation.history import History
from addin.errors import ReformError
from addin.fiscal import format_fiscal_year
from addin.plan.model import Bar, Item, Kpi, Plan
from addin.plan.reader import read_plan

__all__ = ["KpiRecord", "ItemRecord", "PlanHistory", "load_plan_history"]


@dataclass(frozen=True)
class KpiRecord:
    """One KPI with every plan year's actual and 単年度目標."""

    kpi: Kpi
    actuals: dict[int, float | None]
    targets: dict[int, float | None]


@dataclass
class ItemRecord:
    """One item over the years up to the published one."""

    item: Item
    bars: list[Bar]  # never empty: an item without its own bars spans its years
    kpis: list[KpiRecord]
    statuses: dict[int, list[tuple[str, str]]]  # year -> [(課, 取組状況)], departments in plan order
    next_steps: list[tuple[str, str]]  # this year's (課, 今後の課題・方向性)
    trend: EffectTrend
    grades: dict[int, str | None] = field(default_factory=dict)  # final grade by year
    comments: dict[str, str | None] = field(default_factory=dict)  # this year's secretariat/committee comment


@dataclass
class PlanHistory:
    """The plan of ``year`` and the record of each of its items."""

    plan: Plan
    year: int
    records: dict[str, ItemRecord]

    @property
    def years(self) -> list[int]:
        return self.plan.years

    def shown_years(self) -> list[int]:
        """The plan years up to the published one."""
        return [y for y in self.plan.years if y <= self.year]


def load_plan_history(db: str | os.PathLike, plan_name: str, year: int) -> PlanHistory:
    """Read the plan and every item's record of ``year`` from the history database; ReformError in Japanese."""
    db = Path(db)
    if not db.is_file():  # opening would create an empty database
        raise ReformError(f"履歴データベース {db} がありません。集約したときにできる reform.db が必要です"
                          "（集約結果と同じフォルダに置くか、コマンドでは --db で場所を指定してください）。")
    with History(db) as history:
        stored = history.plan_snapshot(plan_name, year)
        if stored is None:
            raise ReformError(f"履歴 {db} に計画「{plan_name}」の{format_fiscal_year(year)}の集約がありません"
                              "（集約時の計画が保存されていません）。その年度をこの版のツールで集約し直してください。")
        plan = _snapshot_plan(stored[1])
        kpi_actuals = history.kpi_actuals(plan_name)
        grades = history.final_grades(plan_name)
        stages = history.stage_grades(plan_name, year)
        parts = history.effect_parts(plan_name)
        entries = {y: _by_item(history.entries(plan_name, y)) for y in history.years(plan_name) if y <= year}
    records = {}
    for item in plan.in_year(year).items:  # departments of items merged into it included
        order = list(item.departments)
        this_year = _in_order(order, entries.get(year, {}).get(item.item_id, []))
        records[item.item_id] = ItemRecord(
            item, plan.bars_for(item),
            [_kpi_record(plan, kpi, kpi_actuals, year) for kpi in plan.kpis_by_item.get(item.item_id, [])],
            _statuses(order, item.item_id, entries),
            [(dept, e["next_steps"]) for dept, e in this_year if e["next_steps"]],
            effect_trend(plan.years, year, {y: plan.effect_target(item.item_id, y) for y in plan.years},
                         {y: p for y, p in parts.get(item.item_id, {}).items() if y <= year}),
            {y: g for y, g in grades.get(item.item_id, {}).items() if y <= year},
            {key: stages.get(item.item_id, {}).get(key) for key in ("secretariat_comment", "committee_comment")})
    return PlanHistory(plan, year, records)


def _snapshot_plan(workbook: bytes) -> Plan:
    """The stored plan workbook, read like any plan (a temporary copy: the reader takes a path)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "計画.xlsx"
        path.write_bytes(workbook)
        return read_plan(path)


def _kpi_record(plan: Plan, kpi: Kpi, stored: dict, year: int) -> KpiRecord:
    actuals = kpi.stored_actuals(stored)  # a renamed KPI keeps its 推移
    return KpiRecord(kpi, {y: v for y, v in actuals.items() if y in plan.years and y <= year},
                     {y: plan.year_target(kpi, y) for y in plan.years})


def _by_item(entries: dict[tuple[str, str], dict]) -> dict[str, list[tuple[str, dict]]]:
    """One year's stored entries grouped by 項目ID: [(課, entry)]."""
    grouped: dict[str, list[tuple[str, dict]]] = {}
    for (item_id, dept), entry in entries.items():
        grouped.setdefault(item_id, []).append((dept, entry))
    return grouped


def _in_order(order: list[str], found: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    """The entries in the plan's department order (any other department last)."""
    return sorted(found, key=lambda pair: order.index(pair[0]) if pair[0] in order else len(order))


def _statuses(order: list[str], item_id: str, entries: dict[int, dict]) -> dict[int, list[tuple[str, str]]]:
    result = {}
    for year in sorted(entries):
        lines = [(dept, e["status"]) for dept, e in _in_order(order, entries[year].get(item_id, [])) if e["status"]]
        if lines:
            result[year] = lines
    return result
