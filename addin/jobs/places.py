"""Where a plan's files go when the buttons (and ``reform generate``) are not told: folders from 設定.

The history database is one per plan, not per year: every year's consolidation and the next
year's forms must find the same file. It lives in the 出力フォルダ of 設定 when one is set (a
fixed folder), else beside the plan workbook — never in the default per-year folder 出力_R8.
"""

from __future__ import annotations

from pathlib import Path

from addin.consolidation.history import HISTORY_FILE
from addin.fiscal import format_fiscal_year

__all__ = ["HISTORY_FILE", "plan_folders", "history_path"]


def _under(base: Path, value: str | None, default: str) -> Path:
    path = Path(value) if value else Path(default)
    return path if path.is_absolute() else base / path


def plan_folders(settings, base: Path) -> tuple[Path, Path]:
    """(提出フォルダ, 出力フォルダ) of a plan's settings, relative ones under ``base`` (the plan workbook's folder)."""
    year = format_fiscal_year(settings.report_year) if settings.report_year is not None else None
    return (_under(base, settings.submit_folder, f"提出_{year}"), _under(base, settings.output_folder, f"出力_{year}"))


def history_path(settings, base: Path) -> Path:
    """The plan's history database: in 出力フォルダ when 設定 names one, else beside the plan workbook."""
    return _under(base, settings.output_folder, ".") / HISTORY_FILE
