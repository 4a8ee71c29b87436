"""評価集計: A/B/C/- counts and shares per 重点項目, per 取組 and in total, with the meaning of each grade."""

from __future__ import annotations

from addin.consolidation.summary import STAGE_LABELS, Consolidation, ItemResult
from addin.fiscal import format_fiscal_year
from addin.reports.common import grade_colours, title_block, write_table
from addin.vocab import GRADES
from addin.xlsx.styles import BODY_FONT, BOLD_FONT, CENTER, PERCENT_FORMAT, SUBTOTAL_FILL, TOTAL_FILL, WRAP_TOP
from addin.xlsx.writer import ReportBook, ReportSheet

__all__ = ["GRADES_SHEET", "GRADES_HEADERS", "GRADE_MEANINGS", "grade_legend", "add_grades_sheet"]

GRADES_SHEET = "評価集計"
GRADES_HEADERS = ("区分", "重点項目", "取組", "項目数", "A", "B", "C", "-", "未提出", "A割合", "B割合", "C割合", "-割合")
# The meaning of each grade, in the words of the reform council's evaluation rules.
GRADE_MEANINGS = (
    ("A", "取組による成果・効果が増大している（数値目標が積み重なっている取組を含む）"),
    ("B", "以前と同様の成果・効果である"),
    ("C", "実施した取組の効果が薄い、又は取組内容に疑義がある（取組内容の見直しを含めて担当課へフィードバック）"),
    ("-", "当該年度に評価の対象となる取組がない（実施時期外など）"),
)


def grade_legend() -> str:
    """評価 A：…　B：… in one line of text, for a public document whose reader has no criteria sheet."""
    return "評価　" + "　".join(f"{grade}：{meaning}" for grade, meaning in GRADE_MEANINGS)


_WIDTHS = (8, 30, 30, 8, 6, 6, 6, 6, 8, 8, 8, 8, 8)


def _counts_row(kind: str, pillar: str | None, area: str | None, items: list[ItemResult],
                summary: Consolidation) -> list[object]:
    counts = summary.grade_counts(items)
    graded = sum(counts.values())
    shares = [counts[g] / graded if graded else None for g in GRADES]
    return [kind, pillar, area, len(items), *[counts[g] for g in GRADES], len(items) - graded, *shares]


def add_grades_sheet(book: ReportBook, summary: Consolidation) -> ReportSheet:
    """Add 評価集計: counts of the final grade by 重点項目 and 取組, the counts per stage beside last year's, a chart."""
    sheet = book.add_sheet(GRADES_SHEET)
    title_block(sheet, summary, GRADES_SHEET,
                note="評価は確定評価（委員会評価、なければ事務局評価、なければ各課の自己評価のうち最も低いもの）です。"
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
    stages_top = legend + len(GRADE_MEANINGS) + 2
    sheet.ws.set_h_pagebreaks([stages_top - 1])  # the stages and the chart on a page of their own
    below = _stage_table(sheet, summary, stages_top)
    _chart(sheet, summary, pillars, below + 2)
    return sheet


STAGE_HEADERS = ("段階", "", "項目数", *GRADES, "評価なし")  # from column B, aligned with the table above
_STAGE_NAMES = {"self": "自己評価（各課）", "secretariat": "事務局評価", "committee": "委員会評価", "final": "確定評価"}


def _stage_table(sheet: ReportSheet, summary: Consolidation, top: int) -> int:
    """Counts per stage (自己 → 事務局 → 委員会 → 確定) and the previous year's final counts; returns its last row."""
    book = sheet.book
    header = book.style(font=BOLD_FONT, fill=SUBTOTAL_FILL, alignment=CENTER)
    body = book.style(font=BODY_FONT, alignment=CENTER)
    label = book.style(font=BODY_FONT)
    sheet.write(top, 1, "評価の段階別の件数（自己評価 → 事務局評価 → 委員会評価 → 確定評価）", book.style(font=BOLD_FONT))
    sheet.write_row(top + 1, STAGE_HEADERS, header, first_col=2)
    rows: list[tuple[str, dict[str, int]]] = [(_STAGE_NAMES[stage], summary.grade_counts(stage=stage))
                                               for stage in STAGE_LABELS]
    previous = summary.previous_grade_counts()
    if previous is not None:
        rows.append((f"前年度（{format_fiscal_year(summary.previous_year)}）の確定評価", previous))
    total = len(summary.items)
    for offset, (name, counts) in enumerate(rows, start=2):
        graded = sum(counts.values())
        sheet.write(top + offset, 2, name, label)
        sheet.write_row(top + offset, [total, *[counts[g] for g in GRADES], total - graded], body, first_col=4)
    return top + 1 + len(rows)


def _chart(sheet: ReportSheet, summary: Consolidation, pillars: dict[str, list[ItemResult]], top: int) -> None:
    """The share of A/B/C/- (確定評価) per 重点項目: a small table and a 100 % stacked bar chart of it."""
    book = sheet.book
    header = book.style(font=BOLD_FONT, fill=SUBTOTAL_FILL, alignment=CENTER)
    body = book.style(font=BODY_FONT, alignment=CENTER)
    sheet.write(top, 1, "重点項目別の確定評価の割合（グラフのもとの件数）", book.style(font=BOLD_FONT))
    sheet.write_row(top + 1, ("重点項目", "", "", *GRADES), header, first_col=2)
    names = list(pillars)
    for offset, pillar in enumerate(names, start=2):
        counts = summary.grade_counts(pillars[pillar])
        sheet.write(top + offset, 2, pillar, book.style(font=BODY_FONT))
        sheet.write_row(top + offset, [counts[g] for g in GRADES], body, first_col=5)
    first, last = top + 1, top + len(names)  # 0-based rows of the data, for the chart's ranges
    chart = book.add_chart({"type": "bar", "subtype": "percent_stacked"})
    colours = {"A": "#4472C4", "B": "#A5A5A5", "C": "#ED7D31", "-": "#D9D9D9"}
    for col, grade in enumerate(GRADES, start=4):
        chart.add_series({"name": grade, "categories": [sheet.ws.name, first, 1, last, 1],
                          "values": [sheet.ws.name, first, col, last, col], "fill": {"color": colours[grade]},
                          "data_labels": {"value": True, "num_format": '0;-0;""'}})
    chart.set_title({"name": "重点項目別の確定評価の割合", "name_font": {"size": 11}})
    chart.set_x_axis({"num_format": "0%", "major_gridlines": {"visible": True}})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"position": "bottom"})
    height = max(220, 60 + 40 * len(names))
    chart.set_size({"width": 720, "height": height})
    sheet.ws.insert_chart(f"B{top + len(names) + 3}", chart)
