"""Consolidation: the valid submissions of one fiscal year turned into one summary per item.

The computation works on records only (no Excel): :func:`summarize` takes the
plan, the valid :class:`~addin.validation.submission.Submission` records, the
history of earlier years and the secretariat's overrides, and returns a
:class:`Consolidation`. The whole job of ``reform consolidate`` (validate,
summarize, write the report, store the history) is :mod:`addin.jobs.consolidate`.

Decisions (see also SPEC "Consolidation"):

- Item grade: the worst self-grade among the departments that submitted
  (C < B < A); ``-`` only when every submitted grade is ``-``; None when none
  submitted. ``-`` beside a letter is ignored (the letter decides).
- The final grade (確定評価) is 委員会評価 where set, else 事務局評価 where set, else the
  self-grade; it is the item's grade in every summary.
- Grade totals count items by their final grade; items with no grade (no
  department submitted) are not counted in ``totals.grades`` and are shown
  as 未提出 in 評価集計.
- Effect total: the sum of the item effects that are known (0 when none).
- Hints (確認事項) never change a grade; they point the secretariat at a
  self-grade that disagrees with the KPIs, and at 取組状況 copied unchanged
  from last year.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from addin.consolidation.effects import EffectTrend, Part, effect_trend, ended_trends, total_trend
from addin.consolidation.hints import IMPROVED, UNCHANGED, WORSENED, direction, kpi_hints
from addin.fiscal import format_fiscal_year
from addin.normalize import same_text
from addin.plan.model import Item, Kpi, Plan
from addin.plan.revisions import Revision
from addin.validation.submission import Submission
from addin.vocab import GRADE_RANK, GRADES

__all__ = [
    "Override", "KpiResult", "ItemResult", "Consolidation",
    "worst_grade", "achievement", "direction", "summarize", "STAGE_LABELS",
    "IMPROVED", "WORSENED", "UNCHANGED",
]

log = logging.getLogger(__name__)

# The evaluation stages of seed 002, in order, with the short label of 評価の相違.
STAGE_LABELS = {"self": "自己", "secretariat": "事務局", "committee": "委員会", "final": "確定"}


@dataclass(frozen=True)
class Override:
    """What was typed in 取組状況一覧 of the previous report: 事務局評価/コメント and 委員会評価/意見.

    ``typed`` keeps, by column, a grade typed that is not A/B/C/-: it stays in its cell on every
    re-run (and is reported) while the final grade comes from the stage below.
    """

    grade: str | None = None
    comment: str | None = None
    committee_grade: str | None = None
    committee_comment: str | None = None
    typed: tuple[tuple[str, str], ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.grade or self.comment or self.committee_grade or self.committee_comment or self.typed)


@dataclass
class KpiResult:
    """One KPI of an item this year, with its history (推移)."""

    kpi: Kpi
    department: str | None
    actual: float | None
    achievement: float | None
    history: dict[int, float | None]  # fiscal year -> actual, this year included
    previous_year: int | None = None
    previous: float | None = None
    direction: str | None = None  # 改善 / 悪化 / 横ばい against the previous year
    note: str | None = None
    target_this_year: float | None = None  # 単年度目標 (KPI年度目標) of the report year

    @property
    def achievement_this_year(self) -> float | None:
        """達成率 against this year's target, the same formula; None without a year target."""
        return self.kpi.achievement(self.actual, self.target_this_year) if self.target_this_year is not None else None

    @property
    def previous_achievement(self) -> float | None:
        return achievement(self.kpi, self.previous)

    def to_json(self) -> dict:
        return {
            "name": self.kpi.name, "unit": self.kpi.unit, "baseline": self.kpi.baseline, "target": self.kpi.target,
            "actual": self.actual, "achievement": self.achievement,
            "target_this_year": self.target_this_year, "achievement_this_year": self.achievement_this_year,
            "history": {format_fiscal_year(y): v for y, v in sorted(self.history.items())},
        }


@dataclass
class ItemResult:
    """One reform item after consolidation."""

    item: Item
    grades: dict[str, str | None] = field(default_factory=dict)
    status: dict[str, str | None] = field(default_factory=dict)
    progress: dict[str, str | None] = field(default_factory=dict)
    next_steps: dict[str, str | None] = field(default_factory=dict)
    responses: dict[str, str | None] = field(default_factory=dict)  # 前年度指摘への対応 by department
    effects: dict[str, float | None] = field(default_factory=dict)
    kpis: list[KpiResult] = field(default_factory=list)
    override: Override = field(default_factory=Override)
    hints: list[str] = field(default_factory=list)
    copied: list[str] = field(default_factory=list)  # departments whose 取組状況 equals last year's

    grade_history: dict[int, str | None] = field(default_factory=dict)  # fiscal year -> final grade, this year included
    parts: list[Part] = field(default_factory=list)  # this year's 効果額 of each department, with 区分 and 確定・見込
    trend: EffectTrend | None = None  # every plan year's 効果額 target and actual (効果額推移)

    @property
    def self_grade(self) -> str | None:
        """The grade from the departments' self-evaluations (worst wins)."""
        return worst_grade(self.grades.values())

    @property
    def grade(self) -> str | None:
        """The final grade (確定評価), used by every summary: 委員会評価, else 事務局評価, else the self-grade."""
        return self.override.committee_grade or self.override.grade or self.self_grade

    def stage_grade(self, stage: str) -> str | None:
        """The grade of one stage: ``self``, ``secretariat``, ``committee`` or ``final``."""
        return {"self": self.self_grade, "secretariat": self.override.grade,
                "committee": self.override.committee_grade, "final": self.grade}[stage]

    @property
    def grade_difference(self) -> str | None:
        """``自己A→事務局B→委員会B`` when two stages that were given differ; None when they agree."""
        stages = [(label, self.stage_grade(stage)) for stage, label in STAGE_LABELS.items() if stage != "final"]
        given = [(label, grade) for label, grade in stages if grade]
        if len({grade for _label, grade in given}) < 2:
            return None
        return "→".join(f"{label}{grade}" for label, grade in given)

    @property
    def effect(self) -> float | None:
        """Sum of the departments' 効果額 (千円); None when nobody reported one."""
        known = [v for v in self.effects.values() if v is not None]
        return _number(sum(known)) if known else None

    @property
    def submitted(self) -> bool:
        return bool(self.grades)

    def to_json(self, plan: Plan, listed: Item | None = None) -> dict:
        """The item's JSON; ``listed`` is a 再掲 item shown with this (its 再掲元's) record."""
        item = listed or self.item
        return {
            "item_id": item.item_id, "pillar": item.pillar, "area": item.area, "name": item.name,
            "state": item.state, "repeat_of": item.repeat_of,
            "departments": list(item.departments), "grades": dict(self.grades), "grade": self.grade,
            "grade_self": self.self_grade, "grade_secretariat": self.override.grade,
            "grade_committee": self.override.committee_grade,
            "grade_history": {format_fiscal_year(y): g for y, g in sorted(self.grade_history.items())},
            "status": dict(self.status), "progress": dict(self.progress),
            "effect_thousand_yen": self.effect, "effects": self.trend.to_json() if self.trend else None,
            "kpis": [k.to_json() for k in self.kpis],
            "schedule": [{"label": b.label, "start": format_fiscal_year(b.start), "end": format_fiscal_year(b.end)}
                         for b in plan.bars_for(item)],
        }


@dataclass
class Consolidation:
    """The consolidated year: one :class:`ItemResult` per plan item, and who submitted."""

    plan: Plan
    year: int
    items: list[ItemResult]
    submitted: list[str]
    missing: list[str]
    rejected: list[str]
    submissions: list[Submission] = field(default_factory=list)

    @property
    def history_years(self) -> list[int]:
        """Every plan year with a KPI actual in the history or in this run (this year always)."""
        years = {self.year}
        for item in self.items:
            for k in item.kpis:
                years.update(y for y, v in k.history.items() if v is not None)
        return sorted(y for y in years if y in self.plan.years or y == self.year)

    rejected_departments: list[str] = field(default_factory=list)
    previous_year: int | None = None
    report_issues: list = field(default_factory=list)  # issues of the report itself (typed grades, hand edits)
    ended: list = field(default_factory=list)  # (Item, EffectTrend) of items not reported this year, with earlier effects

    def grade_counts(self, items: Iterable[ItemResult] | None = None, stage: str = "final") -> dict[str, int]:
        """A/B/C/- counts of one stage over ``items`` (default all); items without that grade are not counted."""
        counts = {key: 0 for key in GRADES}
        for item in self.items if items is None else items:
            grade = item.stage_grade(stage)
            if grade in counts:
                counts[grade] += 1
        return counts

    def previous_grade_counts(self, items: Iterable[ItemResult] | None = None) -> dict[str, int] | None:
        """The final-grade counts of the previous stored year over ``items``; None when there is none."""
        if self.previous_year is None:
            return None
        counts = {key: 0 for key in GRADES}
        for item in self.items if items is None else items:
            grade = item.grade_history.get(self.previous_year)
            if grade in counts:
                counts[grade] += 1
        return counts

    @property
    def effect_trend(self) -> EffectTrend:
        """The 総計 of 効果額推移: every item's trend summed (repeats are not items, so never counted twice)."""
        return total_trend(self.plan.years, self.year,
                           [i.trend for i in self.items if i.trend] + [trend for _item, trend in self.ended])

    @property
    def effect_total(self) -> float:
        """Sum of the known item effects, in 千円."""
        return _number(sum(i.effect for i in self.items if i.effect is not None))

    def listed(self) -> list[tuple[Item, ItemResult]]:
        """What the reports list, in plan order: every item active this year, a 再掲 item with its 再掲元's result.

        Counts and totals use ``items`` (no repeats), so a repeated item is never counted twice.
        """
        results = {r.item.item_id: r for r in self.items}
        listed = []
        for item in self.plan.whole.items:
            if not self.plan.is_active(item, self.year):
                continue
            result = results.get(item.repeat_of if item.is_repeat else item.item_id)
            if result is not None:
                listed.append((item, result))
        return listed

    def to_json(self) -> dict:
        """The ``--json`` shape of SPEC, "Consolidation"."""
        effects = self.effect_trend  # computed once for both totals
        return {
            "year": format_fiscal_year(self.year),
            "items": [r.to_json(self.plan, item if item.is_repeat else None) for item, r in self.listed()],
            "plan_changes": [revision_json(r) for r in self.plan.revisions_until(self.year)],
            "totals": {"grades": self.grade_counts(), "effect_thousand_yen": self.effect_total,
                       "effect_cumulative_thousand_yen": effects.cumulative_actual,
                       "effect_cumulative_target_thousand_yen": effects.cumulative_target},
            "submitted": list(self.submitted), "missing": list(self.missing), "rejected": list(self.rejected),
        }


def revision_json(revision: Revision) -> dict:
    """One 改定履歴 row in the JSON (``plan_changes``)."""
    date = revision.date.isoformat()[:10] if hasattr(revision.date, "isoformat") else revision.date
    return {"date": date, "year": format_fiscal_year(revision.year), "item_id": revision.item_id, "kind": revision.kind,
            "before": revision.before, "after": revision.after, "reason": revision.reason,
            "decided_by": revision.decided_by}


def _number(value: float) -> float | int:
    """Whole numbers as int (JSON 1234, not 1234.0); others rounded against float noise."""
    value = round(float(value), 6)
    return int(value) if value.is_integer() else value


def worst_grade(grades: Iterable[str | None]) -> str | None:
    """C below B below A; ``-`` only when every grade given is ``-``; None when none given."""
    given = [g for g in grades if g is not None]
    letters = [g for g in given if g in GRADE_RANK]
    if letters:
        return min(letters, key=GRADE_RANK.__getitem__)
    return "-" if given else None


def achievement(kpi: Kpi, actual: float | None) -> float | None:
    """達成率 as a fraction (:meth:`Kpi.achievement`): 改善 = (実績−基準)/(目標−基準); 比率 = 実績/目標."""
    return kpi.achievement(actual)


def summarize(plan: Plan, year: int, submissions: list[Submission], rejected: Iterable[str] = (),
              kpi_history: Mapping[tuple[str, str], Mapping[int, float | None]] | None = None,
              previous_status: Mapping[tuple[str, str], str] | None = None, previous_year: int | None = None,
              overrides: Mapping[str, Override] | None = None,
              grade_history: Mapping[str, Mapping[int, str | None]] | None = None,
              rejected_departments: Iterable[str] = (),
              effect_history: Mapping[str, Mapping[int, list[Part]]] | None = None) -> Consolidation:
    """Consolidate the valid submissions of ``year``: grades, effects, KPIs, history, hints.

    ``kpi_history`` maps (項目ID, 指標名) to {year: actual} of other years;
    ``previous_status`` maps (項目ID, 課) to last year's 取組状況 (``previous_year``);
    ``overrides`` maps 項目ID to what the secretariat and the committee typed;
    ``grade_history`` maps 項目ID to {year: final grade} of other years;
    ``rejected_departments`` submitted a file that was sent back (要修正), so they are not 未提出;
    ``effect_history`` maps 項目ID to {year: departments' 効果額 parts} of other years.
    """
    effect_history = effect_history or {}
    kpi_history = kpi_history or {}
    grade_history = grade_history or {}
    previous_status = previous_status or {}
    overrides = overrides or {}
    by_department = {s.department: s for s in submissions}
    results: list[ItemResult] = []
    for item in plan.items:
        result = ItemResult(item, override=overrides.get(item.item_id, Override()))
        for dept in item.departments:
            sub = by_department.get(dept)
            if sub is None:
                continue
            entry = next((e for e in sub.entries if e.item_id == item.item_id), None)
            if entry is None:
                continue
            result.grades[dept] = entry.grade
            result.status[dept] = entry.status
            result.progress[dept] = entry.progress
            result.next_steps[dept] = entry.next_steps
            if entry.response:
                result.responses[dept] = entry.response
            result.effects[dept] = entry.effect
            result.parts.append(Part(dept, entry.effect, entry.effect_kind, entry.certainty, entry.next_year_effect))
            if same_text(entry.status, previous_status.get((item.item_id, dept))):
                result.copied.append(dept)
        lead_sub = by_department.get(item.lead) if item.lead else None
        for kpi in plan.kpis_by_item.get(item.item_id, []):
            row = None
            if lead_sub is not None:
                row = next((k for k in lead_sub.kpis if k.item_id == kpi.item_id and k.name == kpi.name), None)
            actual = row.actual if row is not None else None
            stored = kpi.stored_actuals(kpi_history)  # a renamed KPI keeps its 推移
            history = {y: v for y, v in stored.items() if y != year and y in plan.years}
            history[year] = actual
            earlier = [(y, v) for y, v in sorted(history.items()) if y < year and v is not None]
            prev_year, prev = earlier[-1] if earlier else (None, None)
            result.kpis.append(KpiResult(kpi, item.lead, actual, achievement(kpi, actual), history, prev_year, prev,
                                         direction(kpi, prev, actual), row.note if row is not None else None,
                                         plan.year_target(kpi, year)))
        result.grade_history = {y: g for y, g in grade_history.get(item.item_id, {}).items()
                                if y != year and y in plan.years}
        result.grade_history[year] = result.grade
        stored = {y: parts for y, parts in effect_history.get(item.item_id, {}).items() if y != year}
        result.trend = effect_trend(plan.years, year, {y: plan.effect_target(item.item_id, y) for y in plan.years},
                                    {**stored, year: result.parts})
        result.hints.extend(kpi_hints(result))
        label = format_fiscal_year(previous_year) if previous_year else "前年度"
        for dept in result.copied:
            result.hints.append(f"【{dept}】取組状況が{label}と同じ文章です。今年度の実績が書かれているか確認してください。")
        results.append(result)
    submitted = [d for d in plan.departments if d in by_department]
    missing = [d for d in plan.departments if d not in by_department]
    rejected_set = set(rejected_departments)  # still in ``missing`` (no valid submission), shown as 要修正
    return Consolidation(plan, year, results, submitted, missing, list(rejected), list(submissions),
                         rejected_departments=[d for d in plan.departments if d in rejected_set and d not in by_department],
                         previous_year=previous_year, ended=ended_trends(plan, year, effect_history))
