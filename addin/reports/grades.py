"""評価集計: A/B/C/- counts and shares per 重点項目, per 取組 and in total, with the meaning of each grade."""

from __future__ import annotations

from addin.consolidation.summary import GRADE_KEYS, Consolidation, ItemResult
from addin.reports.common import grade_colours, title_block, write_table
from addin.xlsx.styles import BODY_FONT, BOLD_FONT, CENTER, PERCENT_FORMAT, SUBTOTAL_FILL, TOTAL_FILL, WRAP_TOP
from addin.xlsx.writer import ReportBook, ReportSheet

__all__ = ["GRADES_SHEET", "GRADES_HEADERS", "GRADE_MEANINGS", "add_grades_sheet"]

GRADES_SHEET = "評価集計"
GRADES_HEADERS = ("区分", "重点項目", "取組", "項目数", "A", "B", "C", "-", "未提出", "A割合", "B割合", "C割合", "-割合")
# The meaning of each grade, in the words of the reform council's evaluation rules.
GRADE_MEANINGS = (
    ("A", "取組による成果・効果が増大している（数値目標が積み重なっている取組を含む）"),
    ("B", "以前と同様の成果・効果である"),
    ("C", "実施した取組の効果が薄い、又は取組内容に疑義がある（取組内容の見直しを含めて担当課へフィードバック）"),
    ("-", "当該年度に評価の対象となる取組がない（実施時期外など）"),
)
_WIDTHS = (8, 30, 30, 8, 6, 6, 6, 6, 8, 8, 8, 8, 8)


def _counts_row(kind: str, pillar: str | None, area: str | None, items: list[ItemResult],
                summary: Consolidation) -> list[object]:
    counts = summary.grade_counts(items)
    graded = sum(counts.values())
    shares = [counts[g] / graded if graded else None for g in GRADE_KEYS]
    return [kind, pillar, area, len(items), *[counts[g] for g in GRADE_KEYS], len(items) - graded, *shares]


def add_grades_sheet(book: ReportBook, summary: Consolidation) -> ReportSheet:
    """Add 評価集計 (counts use the final grade: 事務局評価 where set)."""
    sheet = book.add_sheet(GRADES_SHEET)
    title_block(sheet, summary, GRADES_SHEET,
                note="評価は事務局評価があればそれを、なければ各課の自己評価のうち最も低いものを使います。"
                     "割合は評価のある項目数に対する割合です（未提出の項目は含みません）。")
    rows: list[list[object]] = []
    kinds: list[str] = []
    pillars: dict[str, list[ItemResult]] = {}
    for result in summary.items:
        pillars.setdefault(result.item.pillar, []).append(result)
    for pillar, items in pillars.items():
        rows.append(_counts_row("重点項目", pillar, None, items, summary))
        kinds.append("pillar")
        areas: dict[str, list[ItemResult]] = {}
        for result in items:
            areas.setdefault(result.item.area, []).append(result)
        for area, area_items in areas.items():
            rows.append(_counts_row("取組", pillar, area, area_items, summary))
            kinds.append("area")
    rows.append(_counts_row("合計", None, None, summary.items, summary))
    kinds.append("total")
    centered = {name: {"alignment": CENTER} for name in GRADES_HEADERS[3:9]}
    shares = {name: {"alignment": CENTER, "number_format": PERCENT_FORMAT} for name in GRADES_HEADERS[9:]}

    def row_styles(index: int, _values) -> dict[str, dict] | None:
        if kinds[index] == "area":
            return None
        return {"*": {"font": BOLD_FONT, "fill": TOTAL_FILL if kinds[index] == "total" else SUBTOTAL_FILL}}

    _first, last = write_table(sheet, GRADES_HEADERS, rows, _WIDTHS, freeze_col=3,
                               column_styles={**centered, **shares}, row_styles=row_styles)
    legend = last + 2
    sheet.write(legend, 1, "評価の区分", book.style(font=BOLD_FONT))
    grade_style = book.style(font=BOLD_FONT, alignment=CENTER)
    meaning_style = book.style(font=BODY_FONT, alignment=WRAP_TOP)
    for offset, (grade, meaning) in enumerate(GRADE_MEANINGS, start=1):
        sheet.write(legend + offset, 1, grade, grade_style)
        sheet.merge(f"B{legend + offset}:I{legend + offset}", meaning, meaning_style)
    grade_colours(sheet, f"A{legend + 1}:A{legend + len(GRADE_MEANINGS)}")
    return sheet
