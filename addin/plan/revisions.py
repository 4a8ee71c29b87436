"""What a plan records of its life over the period, beside its items: year targets, effect targets, 改定履歴.

All optional (SPEC, "Plan revisions during the period"): a plan without these sheets behaves as before.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["YearTarget", "EffectTarget", "Revision"]


@dataclass(frozen=True)
class YearTarget:
    """A KPI's target for one year (単年度目標, sheet KPI年度目標)."""

    item_id: str
    kpi_name: str
    year: int
    target: float
    row: int | None = None


@dataclass(frozen=True)
class EffectTarget:
    """The financial effect the plan expects from an item in one year (sheet 効果額目標), in 千円."""

    item_id: str
    year: int
    amount: float
    row: int | None = None


@dataclass(frozen=True)
class Revision:
    """One row of 改定履歴: what changed in the plan, from which year, and who decided it."""

    date: object  # as typed: a date cell or a text such as 令和9年3月
    year: int  # 適用年度
    item_id: str | None
    kind: str
    before: str | None = None
    after: str | None = None
    reason: str | None = None
    decided_by: str | None = None
    row: int | None = None
