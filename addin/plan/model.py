"""The plan model: settings, reform items, KPIs and schedule bars.

One model, used by every command. Built by :mod:`addin.plan.reader` from a
plan workbook or by :mod:`addin.plan.default` from the embedded data.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Mapping

from addin.backup import KEEP
from addin.fiscal import fiscal_years, format_fiscal_year
from addin.normalize import normalize_name
from addin.plan.revisions import EffectTarget, Revision, YearTarget
from addin.vocab import DEPARTMENT_ROLE_MARKS, ITEM_STATE_DEFAULT, ITEM_STATE_PAUSED, PERCENT_UNITS

__all__ = ["Settings", "Item", "Kpi", "Bar", "YearTarget", "EffectTarget", "Revision", "Plan", "split_departments",
           "department_spellings", "NON_DEPARTMENTS"]

# Shown in 実施担当 but never given a workbook: "the other departments concerned".
NON_DEPARTMENTS = frozenset({"関係課", "関係各課"})
_DEPARTMENT_SEPARATORS = re.compile(r"[\s\u3000、・,，]+")
_ROLE_MARK = re.compile(r"[(【\[](?:%s)[)】\]]$" % "|".join(DEPARTMENT_ROLE_MARKS))

IMPROVEMENT = "改善"
RATIO = "比率"
KPI_METHODS = (IMPROVEMENT, RATIO)


def _number(value: float | None) -> float | None:
    return None if value is None else float(value)


def split_departments(text: object) -> tuple[str, ...]:
    """Split a 実施担当 cell into department names, keeping their order.

    Names are normalized (:func:`normalize_name`) and a role mark such as （主）
    is dropped, so one department never gets two workbooks for two spellings.
    """
    seen: dict[str, None] = {}
    for _typed, name in department_spellings(text):
        seen.setdefault(name, None)
    return tuple(seen)


def department_spellings(text: object) -> list[tuple[str, str]]:
    """(as typed, normalized name) of every department in a 実施担当 cell: what near-duplicate checks compare."""
    if text is None:
        return []
    result = []
    for part in _DEPARTMENT_SEPARATORS.split(str(text)):
        name = normalize_name(_ROLE_MARK.sub("", normalize_name(part) or ""))
        if name:
            result.append((part, name))
    return result


@dataclass(frozen=True)
class Settings:
    """The 設定 sheet."""

    plan_name: str
    municipality: str
    start_year: int
    end_year: int
    report_year: int | None = None
    submit_folder: str | None = None
    output_folder: str | None = None
    # What the forms and letters tell the departments; a deadline typed as a date stays a date.
    deadline: object = None
    submit_to: str | None = None
    contact: str | None = None
    # 事務局コメント and 委員会意見 in 公表_取組状況 and 個票 (the committee's 評価シート always has them).
    publish_comments: bool = False
    backup_keep: int = KEEP  # backups of the report and of the history database kept, oldest removed first


@dataclass(frozen=True)
class Item:
    """One numbered reform item (改革項目)."""

    item_id: str
    pillar: str
    area: str
    number: str
    name: str
    continuing: bool = False
    content: str = ""
    actions: str = ""
    in_charge: tuple[str, ...] = ()  # as written, 関係課 included
    row: int | None = None  # row in the plan workbook, for messages
    # The item's life over the period (SPEC, "Plan revisions during the period"); None = the plan's own years.
    state: str = ITEM_STATE_DEFAULT
    start_year: int | None = None
    end_year: int | None = None
    merged_into: str | None = None  # 統合先: from the year after end_year its departments report there
    repeat_of: str | None = None  # 再掲元: shown again under another pillar, reported (and counted) once there

    @property
    def is_repeat(self) -> bool:
        """A 再掲 item: no form rows, no counts; reports show it as （No.…再掲）."""
        return self.repeat_of is not None

    @property
    def departments(self) -> tuple[str, ...]:
        """The departments that get a workbook, lead first."""
        return tuple(d for d in self.in_charge if d not in NON_DEPARTMENTS)

    @property
    def lead(self) -> str | None:
        """The first listed department: it reports the item's KPIs."""
        return self.departments[0] if self.departments else None


@dataclass(frozen=True)
class Kpi:
    """One KPI (重要業績評価指標) of an item."""

    item_id: str
    name: str
    unit: str
    baseline_year: int
    baseline: float | None
    target_year: int
    target: float | None
    method: str = IMPROVEMENT
    row: int | None = None
    old_name: str | None = None  # 旧指標名: the history stored under this name belongs to this KPI

    @property
    def lower_is_better(self) -> bool:
        """A target below the baseline means the KPI should go down (85人⇒40人)."""
        return self.baseline is not None and self.target is not None and self.target < self.baseline

    @property
    def is_percent(self) -> bool:
        """Percent KPIs accept 26, 26% and a percent-formatted 0.26 alike."""
        return self.unit.strip() in PERCENT_UNITS

    @property
    def key(self) -> tuple[str, str]:
        """(項目ID, 指標名): what identifies a KPI across files and years."""
        return (self.item_id, self.name)

    def stored_actuals(self, stored: Mapping[tuple[str, str], Mapping[int, float | None]]) -> dict[int, float | None]:
        """This KPI's actuals by year in a history ``stored`` {(項目ID, 指標名): {year: actual}}: a renamed KPI
        (旧指標名) keeps the years stored under its old name, unless its own name has a value for them."""
        years = dict(stored.get((self.item_id, self.old_name), {})) if self.old_name else {}
        years.update((y, v) for y, v in stored.get(self.key, {}).items() if v is not None or y not in years)
        return years

    def achievement(self, actual: float | None, target: float | None = None) -> float | None:
        """達成率 as a fraction: 改善 = (実績−基準)/(目標−基準); 比率 = 実績/目標 (目標/実績 when lower is better).

        Here, below validation and consolidation, because both use it: a value far outside the
        plan's range is a warning (implausible_value) before it is a number in KPI一覧.
        ``target`` is another target than the plan-period one: the 単年度目標 of KPI年度目標.
        """
        target = self.target if target is None else target
        if actual is None or self.baseline is None or target is None:
            return None
        if self.method == RATIO:
            numerator, denominator = (target, actual) if self.lower_is_better else (actual, target)
        else:
            numerator, denominator = actual - self.baseline, target - self.baseline
        if denominator == 0:
            return None
        return round(numerator / denominator, 6)


@dataclass(frozen=True)
class Bar:
    """One bar of the schedule (工程表)."""

    item_id: str
    label: str
    start: int
    end: int
    row: int | None = None


@dataclass
class Plan:
    """A whole plan; lookups are computed once.

    ``in_year(Y)`` is the plan as one year sees it: the items active in Y, none repeated, merged
    items' departments under their 統合先. Forms, validation and consolidation of year Y use it;
    ``whole`` keeps the full plan for what reports show beside (状態, 再掲 rows, 計画変更一覧).
    """

    settings: Settings
    items: list[Item]
    kpis: list[Kpi] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    source: str | None = None
    year_targets: list[YearTarget] = field(default_factory=list)
    effect_targets: list[EffectTarget] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    year: int | None = None  # set on a plan made by in_year
    base: "Plan | None" = None

    @property
    def whole(self) -> "Plan":
        """The full plan, every item of every year."""
        return self.base or self

    def first_year(self, item: Item) -> int:
        return item.start_year or self.settings.start_year

    def last_year(self, item: Item) -> int:
        return item.end_year or self.settings.end_year

    def is_active(self, item: Item, year: int) -> bool:
        """Reported in ``year``: inside its years and not 休止 (a 再掲 item is active, but reported under 再掲元)."""
        return self.first_year(item) <= year <= self.last_year(item) and item.state != ITEM_STATE_PAUSED

    def active_items(self, year: int) -> list[Item]:
        """The items reported in ``year``, repeats excluded, in plan order."""
        return [i for i in self.whole.items if self.is_active(i, year) and not i.is_repeat]

    def in_year(self, year: int) -> "Plan":
        """The plan as year ``year`` sees it (idempotent for that year)."""
        if self.year == year:
            return self
        whole = self.whole
        taken: dict[str, list[str]] = {}  # 統合先 -> departments of the items merged into it before this year
        for item in whole.items:
            if item.merged_into and whole.last_year(item) < year:
                taken.setdefault(item.merged_into, []).extend(item.in_charge)
        items = []
        for item in whole.active_items(year):
            if item.item_id in taken:
                extra = tuple(d for d in taken[item.item_id] if d not in item.in_charge and d not in NON_DEPARTMENTS)
                item = replace(item, in_charge=item.in_charge + extra)
            items.append(item)
        ids = {i.item_id for i in items}
        return Plan(whole.settings, items, [k for k in whole.kpis if k.item_id in ids],
                    [b for b in whole.bars if b.item_id in ids], whole.source, whole.year_targets,
                    whole.effect_targets, whole.revisions, year=year, base=whole)

    def year_target(self, kpi: Kpi, year: int) -> float | None:
        """The KPI's 単年度目標 for ``year`` (KPI年度目標), or None."""
        return self._year_targets.get((kpi.item_id, kpi.name, year))

    @cached_property
    def _year_targets(self) -> dict[tuple[str, str, int], float]:
        return {(t.item_id, t.kpi_name, t.year): t.target for t in self.year_targets}

    def effect_target(self, item_id: str, year: int) -> float | None:
        """The 効果額目標 of an item for ``year`` in 千円, or None."""
        return self._effect_targets.get((item_id, year))

    @cached_property
    def _effect_targets(self) -> dict[tuple[str, int], float]:
        return {(t.item_id, t.year): t.amount for t in self.effect_targets}

    def revisions_until(self, year: int) -> list[Revision]:
        """The 改定履歴 rows that apply up to ``year``, in the order written."""
        return [r for r in self.whole.revisions if r.year <= year]

    @property
    def years(self) -> list[int]:
        """The plan period, e.g. R8..R12, as Western start years."""
        return fiscal_years(self.settings.start_year, self.settings.end_year)

    @property
    def period_label(self) -> str:
        """``R8～R12``."""
        return f"{format_fiscal_year(self.settings.start_year)}～{format_fiscal_year(self.settings.end_year)}"

    @cached_property
    def items_by_id(self) -> dict[str, Item]:
        return {item.item_id: item for item in self.items}

    def item(self, item_id: str) -> Item | None:
        """The item with this 項目ID, or None."""
        return self.items_by_id.get(item_id)

    def any_item(self, item_id: str) -> Item | None:
        """The item with this 項目ID in the whole plan, active this year or not."""
        return self.whole.items_by_id.get(item_id)

    @cached_property
    def departments(self) -> list[str]:
        """Every department that gets a workbook, in order of first appearance."""
        seen: dict[str, None] = {}
        for item in self.items:
            for dept in item.departments:
                seen.setdefault(dept, None)
        return list(seen)

    def compute_lookups(self) -> "Plan":
        """Compute every lookup now: before worker processes start, so they inherit them instead of each redoing them."""
        for name in ("items_by_id", "departments", "_department_set", "_items_by_department", "kpis_by_item",
                     "kpis_by_key", "_kpis_by_lead", "bars_by_item", "fingerprint", "names"):
            getattr(self, name)
        return self

    def has_department(self, department: str | None) -> bool:
        """Whether ``department`` gets a workbook (a set lookup: called once per file)."""
        return department in self._department_set

    @cached_property
    def _department_set(self) -> frozenset[str]:
        return frozenset(self.departments)

    @cached_property
    def names(self) -> tuple[frozenset[str], frozenset[str]]:
        """Every 改革項目 and every 指標名 (旧指標名 included) of the whole plan: a row naming none was inserted."""
        whole = self.whole
        return (frozenset(i.name for i in whole.items),
                frozenset(n for k in whole.kpis for n in (k.name, k.old_name) if n))

    @cached_property
    def kpis_by_key(self) -> dict[tuple[str, str], Kpi]:
        """(項目ID, 指標名) → KPI."""
        return {kpi.key: kpi for kpi in self.kpis}

    @cached_property
    def _items_by_department(self) -> dict[str, list[Item]]:
        result: dict[str, list[Item]] = {d: [] for d in self.departments}
        for item in self.items:
            for dept in item.departments:
                result[dept].append(item)
        return result

    def items_for(self, department: str) -> list[Item]:
        """The items assigned to a department, in plan order."""
        return self._items_by_department.get(department, [])

    @cached_property
    def kpis_by_item(self) -> dict[str, list[Kpi]]:
        result: dict[str, list[Kpi]] = {}
        for kpi in self.kpis:
            result.setdefault(kpi.item_id, []).append(kpi)
        return result

    @cached_property
    def _kpis_by_lead(self) -> dict[str, list[Kpi]]:
        result: dict[str, list[Kpi]] = {}
        for item in self.items:
            if item.lead is not None:
                result.setdefault(item.lead, []).extend(self.kpis_by_item.get(item.item_id, []))
        return result

    def kpis_led_by(self, department: str) -> list[Kpi]:
        """The KPIs a department reports: those of the items it leads."""
        return self._kpis_by_lead.get(department, [])

    @cached_property
    def bars_by_item(self) -> dict[str, list[Bar]]:
        result: dict[str, list[Bar]] = {}
        for bar in self.bars:
            result.setdefault(bar.item_id, []).append(bar)
        return result

    def bars_for(self, item: Item) -> list[Bar]:
        """An item's schedule bars; an item with none spans its years (the period, or its 開始年度～終了年度)."""
        bars = self.bars_by_item.get(item.item_id)
        if bars:
            return bars
        return [Bar(item.item_id, item.name, self.first_year(item), self.last_year(item))]

    @cached_property
    def fingerprint(self) -> str:
        """A short hash of what a department workbook depends on (items, departments, KPIs)."""
        content = {
            "items": [[i.item_id, i.name, list(i.departments)] for i in self.items],
            # Numbers as floats: 10 read from a workbook and 10.0 built in memory are the same plan.
            "kpis": [[k.item_id, k.name, k.unit, _number(k.baseline), _number(k.target)] for k in self.kpis],
            "period": [self.settings.start_year, self.settings.end_year],
        }
        raw = json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return hashlib.sha256(raw).hexdigest()[:16]
