"""The job of ``reform plan-snapshot``: the plan workbook as it was when a year was consolidated.

Every consolidation keeps the plan it used in the history database (``plan_snapshots``), so a
report of an earlier year can be rebuilt after the plan was revised: write the snapshot out and
consolidate (or publish) that year with it.
"""

from __future__ import annotations

import os
from pathlib import Path

from addin.atomic import atomic_write
from addin.consolidation.history import History
from addin.errors import ReformError
from addin.fiscal import format_fiscal_year

__all__ = ["write_plan_snapshot"]


def write_plan_snapshot(db: str | os.PathLike, year: int, out: str | os.PathLike,
                        plan_name: str | None = None) -> Path:
    """Write the plan workbook ``year`` was consolidated with to ``out`` (atomically) and return ``out``."""
    db = Path(db)
    if not db.is_file():  # opening would create an empty database
        raise ReformError(f"履歴データベース {db} がありません。集約結果と同じフォルダの reform.db を指定してください。")
    with History(db) as history:
        name = plan_name or _only_plan(history, db)
        stored = history.plan_snapshot(name, year)
    if stored is None:
        raise ReformError(f"{format_fiscal_year(year)}の集約時の計画は履歴 {db} にありません（計画「{name}」）。"
                          "その年度をこの版のツールで集約し直すと保存されます。")
    return atomic_write(out, lambda tmp: tmp.write_bytes(stored[1]))


def _only_plan(history: History, db: Path) -> str:
    names = history.plans()
    if len(names) == 1:
        return names[0]
    if not names:
        raise ReformError(f"履歴データベース {db} には集約した年度がありません。")
    raise ReformError(f"履歴データベース {db} には複数の計画（{'、'.join(names)}）があります。"
                      "--plan-name で計画名を指定してください。")
