"""The open-data CSVs of the publication set (取組状況・評価・KPI・効果額 _R8.csv), in the finance export's conventions.

UTF-8 with BOM and CRLF, one header row, one record per line (line breaks inside a field
become a space, departments are joined with 「、」), formula-like text neutralized by
:func:`addin.reports.finance.neutralize` (numbers and the grade ``-`` unchanged).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from addin.atomic import atomic_path
from addin.fiscal import FiscalYearError, format_fiscal_year, parse_fiscal_year
from addin.reports.effects import EFFECTS_SHEET
from addin.reports.finance import neutralize
from addin.reports.finance_book import FinanceTable
from addin.reports.item_history import PlanHistory
from addin.reports.kpi import KPI_SHEET
from addin.reports.publication import PublicItem
from addin.vocab import EFFECT_CONFIRMED, EFFECT_ESTIMATED

__all__ = ["STATUS_CSV_HEADERS", "GRADES_CSV_HEADERS", "KPI_CSV_HEADERS", "EFFECTS_CSV_HEADERS", "write_status_csv",
           "write_grades_csv", "write_table_csvs", "kpi_records", "effect_records", "history_effect_records",
           "history_kpi_records", "write_csv"]

STATUS_CSV_HEADERS = ("項目ID", "重点項目", "取組", "改革項目", "所管課", "取組状況", "今後の課題・方向性")


class _Percent(str):
    """A ratio written as 58.3% (or -12.5%): a number in text form, never taken for a formula."""


def _field(value: object) -> object:
    if isinstance(value, _Percent):
        return str(value)
    if isinstance(value, str):
        return neutralize(" ".join(value.splitlines()))
    return "" if value is None else value


def write_csv(path: Path, headers: tuple[str, ...], rows: list[list[object]]) -> Path:
    """One CSV, written atomically."""
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerow(headers)
            writer.writerows([_field(v) for v in row] for row in rows)
    return path


def write_status_csv(items: list[PublicItem], year: int, out_dir: str | os.PathLike) -> Path:
    """取組状況_R8.csv."""
    rows = [[i.item_id, i.pillar, i.area, i.name, i.in_charge, i.status, i.next_steps] for i in items]
    return write_csv(Path(out_dir) / f"取組状況_{format_fiscal_year(year)}.csv", STATUS_CSV_HEADERS, rows)


GRADES_CSV_HEADERS = ("項目ID", "改革項目", "自己評価", "事務局評価", "委員会評価", "確定評価")
KPI_CSV_HEADERS = ("項目ID", "指標名", "単位", "年度", "実績値", "目標値", "達成率")
EFFECTS_CSV_HEADERS = ("項目ID", "年度", "目標", "実績", "確定・見込")


def write_grades_csv(items: list[PublicItem], year: int, out_dir: str | os.PathLike) -> Path:
    """評価_R8.csv: the grades of every stage and the final one."""
    rows = [[i.item_id, i.name, i.self_grade, i.secretariat_grade, i.committee_grade, i.grade] for i in items]
    return write_csv(Path(out_dir) / f"評価_{format_fiscal_year(year)}.csv", GRADES_CSV_HEADERS, rows)


def _year_columns(header: list[str], year: int) -> list[tuple[int, int]]:
    """(column, fiscal year) of the report's year columns (R8, R9 …) up to ``year``."""
    found = []
    for col, name in enumerate(header):
        try:
            fiscal = parse_fiscal_year(name)
        except FiscalYearError:
            continue
        if fiscal <= year:
            found.append((col, fiscal))
    return found


def _rate(value: object) -> object:
    return _Percent(f"{value * 100:.1f}%") if isinstance(value, (int, float)) and not isinstance(value, bool) else ""


def kpi_records(table: FinanceTable, year: int) -> list[list[object]]:
    """KPI一覧 in long format: one row per KPI and plan year up to ``year`` that has an actual."""
    col = {name: i for i, name in enumerate(table.header)}
    rows = []
    for values in table.rows:
        get = lambda name: values[col[name]] if name in col else None  # noqa: E731 - one short accessor
        for c, fiscal in _year_columns(table.header, year):
            if values[c] is None or values[c] == "":
                continue
            rate = get("達成率") if fiscal == year else None  # the report holds this year's rate only
            rows.append([get("項目ID"), get("指標名"), get("単位"), format_fiscal_year(fiscal), values[c],
                         get("目標値"), _rate(rate)])
    return rows


def effect_records(table: FinanceTable, year: int) -> list[list[object]]:
    """効果額集計's item rows: this year's 実績 (the report holds no targets; they stay empty)."""
    col = {name: i for i, name in enumerate(table.header)}
    kind, key, amount = col.get("区分"), col.get("項目ID"), col.get("効果額（千円）")
    rows = []
    for values in table.rows:
        if key is None or amount is None or not values[key] or (kind is not None and values[kind] != "項目"):
            continue
        if values[amount] is not None:
            rows.append([values[key], format_fiscal_year(year), None, values[amount], None])
    return rows


def history_kpi_records(history: PlanHistory) -> list[list[object]]:
    """Every KPI's actual of each year up to the published one, from the history, with its 達成率 that year."""
    rows = []
    for item_id, record in history.records.items():
        for found in record.kpis:
            kpi = found.kpi
            for y in history.shown_years():
                actual = found.actuals.get(y)
                if actual is not None:
                    rows.append([item_id, kpi.name, kpi.unit, format_fiscal_year(y), actual, kpi.target,
                                 _rate(kpi.achievement(actual))])
    return rows


def history_effect_records(history: PlanHistory) -> list[list[object]]:
    """Every item's 効果額 by plan year from the history: the target, the actual and whether it is 確定 or 見込み."""
    rows = []
    for item_id, record in history.records.items():
        for y, effect in sorted(record.trend.by_year.items()):
            if effect.target is None and effect.actual is None:
                continue  # a year with neither is not a record (never a 0)
            certainty = (EFFECT_ESTIMATED if effect.estimate else EFFECT_CONFIRMED) if effect.actual is not None else None
            rows.append([item_id, format_fiscal_year(y), effect.target, effect.actual, certainty])
    return rows


def write_table_csvs(tables: list[FinanceTable], year: int, out_dir: str | os.PathLike,
                     history: PlanHistory | None = None) -> list[Path]:
    """KPI_R8.csv and 効果額_R8.csv from the history (every year: 達成率, targets, 確定・見込) or, without
    one, from the report's KPI一覧 and 効果額集計 (this year's 達成率 and actuals only)."""
    by_sheet = {t.sheet: t for t in tables}
    tag = format_fiscal_year(year)
    written = []
    if history is not None:
        written.append(write_csv(Path(out_dir) / f"KPI_{tag}.csv", KPI_CSV_HEADERS, history_kpi_records(history)))
    elif KPI_SHEET in by_sheet:
        written.append(write_csv(Path(out_dir) / f"KPI_{tag}.csv", KPI_CSV_HEADERS,
                                 kpi_records(by_sheet[KPI_SHEET], year)))
    if history is not None:
        written.append(write_csv(Path(out_dir) / f"効果額_{tag}.csv", EFFECTS_CSV_HEADERS,
                                 history_effect_records(history)))
    elif EFFECTS_SHEET in by_sheet:
        written.append(write_csv(Path(out_dir) / f"効果額_{tag}.csv", EFFECTS_CSV_HEADERS,
                                 effect_records(by_sheet[EFFECTS_SHEET], year)))
    return written
