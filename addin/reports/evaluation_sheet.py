"""評価シート_R8.xlsx: the committee's evaluation sheet (seed 002) from a consolidated report.

Per item: No., 改革項目, 担当課, 取組内容, 成果及び効果 (KPI change and 効果額), 個別評価
(each department's self-grade), 過年度評価 (the final grade of each earlier year, from the
history database when there is one), 事務局評価（案）and 事務局コメント, and empty 委員会評価 /
委員会意見 cells the committee fills in (a dropdown of A/B/C/-). A second sheet holds the
grading criteria. The committee's sheet always carries the secretariat's comment.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Mapping

from openpyxl.utils import get_column_letter

from addin.fiscal import format_fiscal_year, format_fiscal_year_long
from addin.reports.common import header_cells, number_text
from addin.reports.effects import EFFECTS_SHEET
from addin.reports.finance_book import FinanceTable, ReportInfo
from addin.reports.grades import GRADE_MEANINGS
from addin.reports.kpi import KPI_SHEET
from addin.reports.publication import HEADER_ROW, PublicItem, grouped_sheet
from addin.vocab import GRADES
from addin.xlsx.styles import BODY_FONT, CENTER, INPUT_FILL, THIN_BORDER, TITLE_FONT, WRAP_TOP
from addin.xlsx.writer import ReportBook, write_book

__all__ = ["EVALUATION_HEADERS", "CRITERIA_SHEET", "outcomes", "write_evaluation_sheet", "evaluation_sheet_name", "earlier_grades"]

EVALUATION_HEADERS = ("No.", "改革項目", "担当課", "取組内容", "成果及び効果", "個別評価", "過年度評価", "事務局評価（案）",
                      "事務局コメント", "委員会評価", "委員会意見")
_WIDTHS = (4, 14, 8, 21, 19, 10, 8, 7, 13, 7, 14)
CRITERIA_SHEET = "評価の判断基準"


def evaluation_sheet_name(year: int) -> str:
    return f"評価シート_{format_fiscal_year(year)}.xlsx"


def outcomes(tables: list[FinanceTable], year: int) -> dict[str, str]:
    """項目ID → 成果及び効果: each KPI from its baseline to this year's actual against the target, and the 効果額."""
    by_sheet = {t.sheet: t for t in tables}
    lines: dict[str, list[str]] = {}
    tag = format_fiscal_year(year)
    if KPI_SHEET in by_sheet:
        kpi = by_sheet[KPI_SHEET]
        col = {name: i for i, name in enumerate(kpi.header)}
        for row in kpi.rows:
            get = lambda name: row[col[name]] if name in col else None  # noqa: E731 - one short accessor
            unit = get("単位") or ""
            if get(tag) is None:
                continue
            lines.setdefault(str(get("項目ID")), []).append(
                f"{get('指標名')}：{number_text(get('基準値'))}{unit}（{get('基準年度') or '基準'}）→ "
                f"{number_text(get(tag))}{unit}（{tag}）／目標 {number_text(get('目標値'))}{unit}")
    if EFFECTS_SHEET in by_sheet:
        eff = by_sheet[EFFECTS_SHEET]
        col = {name: i for i, name in enumerate(eff.header)}
        for row in eff.rows:
            amount = row[col["効果額（千円）"]] if "効果額（千円）" in col else None
            if row[col["区分"]] == "項目" and amount is not None:
                lines.setdefault(str(row[col["項目ID"]]), []).append(f"効果額：{number_text(amount)}千円")
    return {key: "\n".join(value) for key, value in lines.items()}


def _add_criteria(book: ReportBook) -> None:
    sheet = book.add_sheet(CRITERIA_SHEET)
    sheet.write(1, 1, "評価の判断基準", book.style(font=TITLE_FONT))
    sheet.widths({1: 8, 2: 90})
    header_cells(sheet, HEADER_ROW, ("評価", "判断基準"))
    grade = book.style(font=BODY_FONT, alignment=CENTER, border=THIN_BORDER)
    text = book.style(font=BODY_FONT, alignment=WRAP_TOP, border=THIN_BORDER)
    for index, (name, meaning) in enumerate(GRADE_MEANINGS, start=HEADER_ROW + 1):
        sheet.write_row(index, (name, meaning), (grade, text))
    sheet.print_setup(header_rows=(HEADER_ROW, HEADER_ROW))


def earlier_grades(grades: Mapping[str, Mapping[int, str | None]], year: int) -> dict[str, str]:
    """項目ID → 「R8：B」 lines of every year before ``year`` that has a final grade."""
    return {item_id: "\n".join(f"{format_fiscal_year(y)}：{g}" for y, g in sorted(by_year.items()) if y < year and g)
            for item_id, by_year in grades.items()}


def _fill(book: ReportBook, items: list[PublicItem], found: dict[str, str], earlier: dict[str, str], plan_name: str,
          year: int, made: date) -> None:
    title = f"{plan_name}　{format_fiscal_year_long(year)} 評価シート".strip("　")
    body = book.style(font=BODY_FONT, alignment=WRAP_TOP, border=THIN_BORDER)
    grade = book.style(font=BODY_FONT, alignment=CENTER, border=THIN_BORDER)
    typed_grade = book.style(font=BODY_FONT, alignment=CENTER, border=THIN_BORDER, fill=INPUT_FILL)
    typed = book.style(font=BODY_FONT, alignment=WRAP_TOP, border=THIN_BORDER, fill=INPUT_FILL)
    styles = [grade, body, body, body, body, body, grade, grade, body, typed_grade, typed]

    def values(item: PublicItem) -> list[object]:
        content = f"{item.status}\n\n【前年度指摘への対応】{item.response}" if item.response else item.status
        return [item.number, item.name, item.in_charge, content, found.get(item.item_id),
                item.self_grade.replace(" 【", "\n【"), earlier.get(item.item_id), item.secretariat_grade or item.grade,
                item.comment, None, None]

    sheet, last = grouped_sheet(book, "評価シート", title, made, EVALUATION_HEADERS, _WIDTHS, items, values, styles)
    letter = get_column_letter(EVALUATION_HEADERS.index("委員会評価") + 1)
    sheet.choices(f"{letter}{HEADER_ROW + 1}:{letter}{max(last, HEADER_ROW + 1)}", GRADES, title="委員会評価",
                  message="A、B、C、- のいずれかを選んでください。")
    _add_criteria(book)


def write_evaluation_sheet(items: list[PublicItem], info: ReportInfo, tables: list[FinanceTable],
                           out_dir: str | os.PathLike, grades: Mapping[str, Mapping[int, str | None]] | None = None) -> Path:
    """Write 評価シート_R8.xlsx into ``out_dir`` from the report's items and tables; ``grades`` {項目ID: {year: final}}
    from the history; returns its path."""
    out = Path(out_dir) / evaluation_sheet_name(info.year)
    earlier = earlier_grades(grades or {}, info.year)
    return write_book(out, lambda book: _fill(book, items, outcomes(tables, info.year), earlier, info.plan_name,
                                              info.year, info.made),
                      title=f"{info.plan_name} {format_fiscal_year(info.year)} 評価シート".strip(), author=info.author)
