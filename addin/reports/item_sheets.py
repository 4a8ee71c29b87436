"""個票_R8.xlsx: one A4-portrait sheet per active item, as the per-item sheets of the published reports.

Each sheet, one page wide: the plan name and year, No. and 改革項目, 重点項目, 取組, 実施担当,
推進内容, 主な取組; the 工程 over the plan years with this year framed; the KPIs with every year's
actual and target; 効果額 by year (目標 / 実績, ＊ = 見込み) with 累計; the final grade by year;
取組状況 by year and department; this year's 今後の課題・方向性 — and the secretariat's and the
committee's comments only where 設定 「コメントの公表」 says する. Sheets are named by 項目ID;
the first sheet (目次) links to them.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from openpyxl.styles import Border, Font
from openpyxl.utils import get_column_letter

from addin.consolidation.effects import EffectTrend
from addin.fiscal import format_fiscal_year, format_fiscal_year_long, japanese_date
from addin.reports.common import ROW_LINES, header_cells, number_format, number_text, row_height, row_pieces
from addin.reports.effect_trend import ESTIMATE_FORMAT
from addin.reports.gantt import MARKER
from addin.reports.grades import grade_legend
from addin.reports.item_history import ItemRecord, PlanHistory
from addin.reports.publication import PublicItem
from addin.xlsx.styles import (AMOUNT_FORMAT, BAR_FILL, BODY_FONT, BOLD_FONT, CENTER, CURRENT_YEAR_HEADER_FILL,
                               CURRENT_YEAR_SIDE, HEADER_FILL, HEADER_FONT, PERCENT_FORMAT, SECTION_FILL,
                               FONT_NAME, SUBTITLE_FONT, THIN_BORDER,
                               TITLE_FONT, WRAP_TOP)
from addin.xlsx.writer import ReportBook, write_book

__all__ = ["INDEX_SHEET", "item_sheets_name", "sheet_title", "write_item_sheets"]

INDEX_SHEET = "目次"
_LABEL, _SUB, _TOTAL, _RATE = 12.0, 9.0, 10.0, 8.0
# Shared by the plan years. About 80 units in all print one page wide on A4 portrait with the
# 9 pt notes still at 8 pt or more (LibreOffice, whose column unit is wider than Excel's).
_YEARS_WIDTH = 40.0
# Notes in 10 pt (not the reports' 9 pt): a six-year plan prints at about 85 %, still 8 pt.
_NOTE_FONT = Font(name=FONT_NAME, size=10, color="595959")
_LINK_FONT = Font(name=FONT_NAME, size=10, color="0563C1", underline="single")
_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
_CURRENT = Border(left=CURRENT_YEAR_SIDE, right=CURRENT_YEAR_SIDE, top=THIN_BORDER.top, bottom=THIN_BORDER.bottom)


def item_sheets_name(year: int) -> str:
    return f"個票_{format_fiscal_year(year)}.xlsx"


def sheet_title(item_id: str, taken: set[str]) -> str:
    """A valid, unique sheet name for an item: its 項目ID, characters Excel refuses replaced, ≤ 31 characters."""
    base = item_id.translate(_FORBIDDEN).strip("'")[:28] or "項目"
    name, n = base, 2
    while name.casefold() in taken or name == INDEX_SHEET:
        name, n = f"{base}_{n}", n + 1
    taken.add(name.casefold())
    return name


class _Sheet:
    """One item's sheet: a grid of label, sub-label, the plan years, a total and a rate column."""

    def __init__(self, book: ReportBook, name: str, history: PlanHistory):
        self.book, self.sheet, self.row = book, book.add_sheet(name), 1
        self.years, self.year = history.years, history.year
        year_width = max(_YEARS_WIDTH / max(len(self.years), 1), 7.5)  # 7.5: room for 1,234,567
        self.widths = [_LABEL, _SUB, *[year_width] * len(self.years), _TOTAL, _RATE]
        self.last = len(self.widths)
        self.sheet.widths(dict(enumerate(self.widths, start=1)))
        self.body = book.style(font=BODY_FONT, alignment=WRAP_TOP, border=THIN_BORDER)
        self.label = book.style(font=BOLD_FONT, alignment=WRAP_TOP, border=THIN_BORDER, fill=SECTION_FILL)
        self.center = self.centred()
        self.rate = book.style(font=BODY_FONT, border=THIN_BORDER, number_format=PERCENT_FORMAT)
        self.note = book.style(font=_NOTE_FONT, alignment=WRAP_TOP)

    # Cell styles of a year column are framed in this year's column (``year`` None: not a year column).
    def _border(self, year: int | None):
        return _CURRENT if year == self.year else THIN_BORDER

    def centred(self, year: int | None = None, fill=None):
        """A centred cell (a grade, a ● of the 工程), with ``fill`` if given."""
        return self.book.style(font=BODY_FONT, alignment=CENTER, border=self._border(year),
                               **({"fill": fill} if fill else {}))

    def amount(self, year: int | None = None, estimate: bool = False):
        """A 千円 cell, marked ＊ when it holds a 見込み."""
        return self.book.style(font=BODY_FONT, border=self._border(year),
                               number_format=ESTIMATE_FORMAT if estimate else AMOUNT_FORMAT)

    def number(self, value: object, year: int | None = None):
        """A number cell: whole numbers without, fractions with decimals."""
        return self.book.style(font=BODY_FONT, border=self._border(year), number_format=number_format(value))

    def col(self, year: int) -> int:
        return 3 + self.years.index(year)

    def ref(self, first: int, last: int) -> str:
        return f"{get_column_letter(first)}{self.row}:{get_column_letter(last)}{self.row}"

    def span(self, first: int, last: int, value: object, style) -> None:
        if first == last:
            self.sheet.write(self.row, first, value, style)
        else:
            self.sheet.merge(self.ref(first, last), value, style)

    def fit(self, texts: list[tuple[object, float]]) -> None:
        """Height of the current row for wrapped text, given (value, width) pairs."""
        height = row_height([t for t, _w in texts], [w for _t, w in texts], cap=ROW_LINES)
        if height:
            self.sheet.height(self.row, height)

    def width(self, first: int, last: int) -> float:
        return sum(self.widths[first - 1:last])

    def line(self, label: str, text: str, label_to: int = 1) -> None:
        """A label cell and a text merged over the rest of the row (a long text goes on over more rows)."""
        self.labelled([(label, label_to)], text)

    def labelled(self, labels: list[tuple[str, int]], text: str) -> None:
        """Label cells (text, last column) and ``text`` merged after them; a text taller than a row
        continues on the next rows under empty labels."""
        first = labels[-1][1] + 1
        for n, piece in enumerate(row_pieces(text or "", self.width(first, self.last))):
            shown = [(piece, self.width(first, self.last))]
            if n == 0:
                starts = [1] + [last + 1 for _label, last in labels[:-1]]
                shown += [(label, self.width(start, last)) for start, (label, last) in zip(starts, labels)]
            self.fit(shown)
            start = 1
            for label, last in labels:
                self.span(start, last, label if n == 0 else None, self.label)
                start = last + 1
            self.span(first, self.last, piece or None, self.body)
            self.row += 1

    def heading(self, text: str) -> None:
        self.row += 1  # one empty row between blocks
        self.sheet.write(self.row, 1, text, self.book.style(font=SUBTITLE_FONT))
        self.row += 1

    def year_header(self, first: str, totals: tuple[str, str]) -> None:
        """The header row of a year table: ``first`` over columns 1–2, the years, then the two totals.

        A total given only once ("期間", "") spans both last columns; this year's header is framed.
        """
        first_total = self.width(self.last - 1, self.last - 1 if totals[1] else self.last)
        self.fit([(first, self.width(1, 2)), (totals[0], first_total), (totals[1], self.width(self.last, self.last))])
        style = self.book.style(font=HEADER_FONT, fill=HEADER_FILL, alignment=CENTER, border=THIN_BORDER)
        current = self.book.style(font=HEADER_FONT, fill=CURRENT_YEAR_HEADER_FILL, alignment=CENTER, border=_CURRENT)
        self.span(1, 2, first, style)
        for y in self.years:
            self.sheet.write(self.row, self.col(y), format_fiscal_year(y), current if y == self.year else style)
        if totals[1]:
            self.sheet.write_row(self.row, totals, style, first_col=self.last - 1)
        else:
            self.span(self.last - 1, self.last, totals[0] or None, style)
        self.row += 1


def _basics(s: _Sheet, record: ItemRecord, plan_name: str, year: int) -> None:
    found = record.item
    s.span(1, s.last, f"{plan_name}　{format_fiscal_year_long(year)} 個票（項目ID {found.item_id}）".strip("　"),
           s.book.style(font=_NOTE_FONT))
    s.row += 1
    s.sheet.height(s.row, 24)
    s.span(1, s.last, f"No.{found.number}　{found.name}", s.book.style(font=TITLE_FONT))
    s.row += 1
    s.line("重点項目", found.pillar)
    s.line("取組", found.area)
    s.line("実施担当", "、".join(found.in_charge))
    s.line("推進内容", found.content)
    s.line("主な取組", found.actions)


def _schedule(s: _Sheet, record: ItemRecord) -> None:
    s.heading("工程")
    s.year_header("工程", ("期間", ""))
    for bar in record.bars:
        s.fit([(bar.label, s.width(1, 2))])
        s.span(1, 2, bar.label, s.body)
        for y in s.years:
            inside = bar.start <= y <= bar.end
            # ● as in the 工程表: the bar still shows on a black-and-white print
            s.sheet.write(s.row, s.col(y), MARKER if inside else "", s.centred(y, BAR_FILL if inside else None))
        period = format_fiscal_year(bar.start) + ("" if bar.start == bar.end else f"～{format_fiscal_year(bar.end)}")
        s.span(s.last - 1, s.last, period, s.center)
        s.row += 1


def _kpis(s: _Sheet, record: ItemRecord) -> None:
    s.heading("成果指標（KPI）")
    s.year_header("指標（実績）", ("目標値", f"達成率（{format_fiscal_year(s.year)}）"))
    if not record.kpis:
        s.line("指標", "（成果指標の設定はありません）", label_to=2)
        return
    for found in record.kpis:
        kpi = found.kpi
        unit = f"（{kpi.unit}）" if kpi.unit else ""
        name = f"{kpi.name}{unit}\n基準 {format_fiscal_year(kpi.baseline_year)}：{number_text(kpi.baseline)}"
        s.fit([(name, s.width(1, 2))])
        s.span(1, 2, name, s.body)
        _year_values(s, found.actuals)
        s.sheet.write(s.row, s.last - 1, kpi.target, s.number(kpi.target))
        s.sheet.write(s.row, s.last, kpi.achievement(found.actuals.get(s.year)), s.rate)
        s.row += 1
        if any(v is not None for v in found.targets.values()):
            s.span(1, 2, "　単年度目標", s.body)
            _year_values(s, found.targets)
            s.span(s.last - 1, s.last, None, s.body)
            s.row += 1


def _year_values(s: _Sheet, values: dict[int, float | None]) -> None:
    for y in s.years:
        value = values.get(y)
        s.sheet.write(s.row, s.col(y), value, s.number(value, y))


def _effects(s: _Sheet, trend: EffectTrend) -> None:
    s.heading("財政効果額（千円）")
    s.year_header("区分", (f"累計（{format_fiscal_year(s.year)}まで）", "達成率"))
    rows = (("目標", {y: (e.target, False) for y, e in trend.by_year.items()}, trend.cumulative_target, False, None),
            ("実績", {y: (e.actual, e.estimate) for y, e in trend.by_year.items() if y <= s.year},
             trend.cumulative_actual, trend.cumulative_estimate, trend.achievement))
    for label, cells, total, total_estimate, rate in rows:
        s.span(1, 2, label, s.label)
        for y in s.years:
            value, estimate = cells.get(y, (None, False))
            s.sheet.write(s.row, s.col(y), value, s.amount(y, estimate))
        s.sheet.write(s.row, s.last - 1, total, s.amount(estimate=total_estimate))
        s.sheet.write(s.row, s.last, rate, s.rate)
        s.row += 1
    note = "＊は見込み額。空欄は報告・目標のない年度。"
    if trend.period_target is not None:
        progress = f"{trend.progress:.1%}" if trend.progress is not None else "－"
        note = f"計画期間の目標 {trend.period_target:,.0f}千円に対する進捗率 {progress}。" + note
    s.span(1, s.last, note, s.note)
    s.row += 1


def _grades(s: _Sheet, grades: dict[int, str | None]) -> None:
    s.heading("評価")
    s.year_header("区分", ("", ""))
    s.span(1, 2, "評価（確定）", s.label)
    for y in s.years:
        s.sheet.write(s.row, s.col(y), grades.get(y) if y <= s.year else None, s.centred(y))
    s.span(s.last - 1, s.last, None, s.center)
    s.row += 1
    legend = grade_legend()
    s.fit([(legend, s.width(1, s.last))])
    s.span(1, s.last, legend, s.note)
    s.row += 1


def _texts(s: _Sheet, title: str, lines: list[tuple[str, str, str]], empty: str = "（報告はありません）") -> None:
    """(年度, 課, text) rows under a heading; one row saying so when there is none."""
    s.heading(title)
    if not lines:
        s.line("", empty, label_to=2)
        return
    for year_label, dept, text in lines:
        s.labelled([(year_label, 1), (dept, 2)], text)


def _item_sheet(book: ReportBook, name: str, history: PlanHistory, record: ItemRecord, item: PublicItem | None,
                plan_name: str, made: date, comments: bool) -> None:
    s = _Sheet(book, name, history)
    _basics(s, record, plan_name, history.year)
    _schedule(s, record)
    _kpis(s, record)
    _effects(s, record.trend)
    grades = dict(record.grades)
    if item is not None and item.grade:
        grades[history.year] = item.grade  # the report's final grade: a committee grade typed since counts
    _grades(s, grades)
    _texts(s, "取組状況", [(format_fiscal_year(y), dept, text) for y, lines in sorted(record.statuses.items())
                         for dept, text in lines])
    tag = format_fiscal_year(history.year)
    _texts(s, "今後の課題・方向性", [(tag, dept, text) for dept, text in record.next_steps])
    if comments:
        # The report's comments when it has the item (typed since the consolidation count), else the history's.
        secretariat, committee = ((item.comment, item.committee_comment) if item is not None else
                                  (record.comments.get("secretariat_comment"), record.comments.get("committee_comment")))
        said = [(tag, label, text) for label, text in (("事務局", secretariat), ("委員会", committee)) if text]
        _texts(s, "事務局・委員会のコメント", said, "（コメントはありません）")
    s.sheet.print_setup(landscape=False)
    s.sheet.print_area(f"A1:{get_column_letter(s.last)}{s.row}")
    s.sheet.ws.set_header(f"&L&10{plan_name.replace('&', '&&')}&R&10{japanese_date(made)}", {"margin": 0.25})


def _index(book: ReportBook, history: PlanHistory, names: dict[str, str], items: dict[str, PublicItem],
           plan_name: str) -> None:
    sheet = book.add_sheet(INDEX_SHEET)
    sheet.write(1, 1, f"{plan_name}　{format_fiscal_year_long(history.year)} 個票 目次".strip("　"),
                book.style(font=SUBTITLE_FONT))
    widths = (10, 5, 46, 24, 6)
    sheet.widths(dict(enumerate(widths, start=1)))
    header_cells(sheet, 3, ("項目ID", "No.", "改革項目", "実施担当", "評価"))
    body = book.style(font=BODY_FONT, alignment=WRAP_TOP, border=THIN_BORDER)
    link = book.style(font=_LINK_FONT, alignment=WRAP_TOP, border=THIN_BORDER)
    grade = book.style(font=BODY_FONT, alignment=CENTER, border=THIN_BORDER)
    heading = book.style(font=BOLD_FONT, fill=SECTION_FILL, border=THIN_BORDER)
    row, pillar = 4, None
    for item_id, name in names.items():
        record = history.records[item_id]
        if record.item.pillar != pillar:  # a heading row per 重点項目, as in the plan
            pillar = record.item.pillar
            sheet.merge(f"A{row}:E{row}", pillar, heading)
            row += 1
        shown = items.get(item_id)
        values = (item_id, record.item.number, record.item.name, "、".join(record.item.departments),
                  shown.grade if shown else record.grades.get(history.year))
        height = row_height(values[2:4], widths[2:4])  # the texts; 項目ID, No. and 評価 are short ASCII
        if height:
            sheet.height(row, height)
        sheet.write_row(row, values[:2], (body, grade))
        sheet.link_sheet(row, 3, name, values[2], link)
        sheet.write_row(row, values[3:], (body, grade), first_col=4)
        row += 1
    sheet.print_setup(header_rows=(3, 3), landscape=False)


def write_item_sheets(history: PlanHistory, items: list[PublicItem], out_dir: str | os.PathLike, plan_name: str,
                      made: date, comments: bool = False, author: str | None = None) -> Path:
    """Write 個票_R8.xlsx into ``out_dir``; returns its path."""
    by_id = {i.item_id: i for i in items}
    taken: set[str] = set()
    names = {item_id: sheet_title(item_id, taken) for item_id in history.records}

    def fill(book: ReportBook) -> None:
        _index(book, history, names, by_id, plan_name)
        for item_id, name in names.items():
            _item_sheet(book, name, history, history.records[item_id], by_id.get(item_id), plan_name, made, comments)

    out = Path(out_dir) / item_sheets_name(history.year)
    return write_book(out, fill, title=f"{plan_name} {format_fiscal_year(history.year)} 個票".strip(), author=author)
