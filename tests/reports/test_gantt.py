"""The 工程表 as readers see it: a row per bar, a column per plan year, bars exactly where the plan puts them."""

from __future__ import annotations

import openpyxl
import pytest

from addin.fiscal import format_fiscal_year
from addin.plan.model import Bar, Item, Plan, Settings
from addin.reports.gantt import GANTT_HEADER_ROW, GANTT_SHEET, LATE_MARKER, MARKER, add_gantt_sheet, write_gantt
from addin.xlsx.styles import BAR_FILL, CURRENT_YEAR_HEADER_FILL, LATE_FILL
from addin.xlsx.writer import ReportBook

FIXED = ("項目ID", "取組", "改革項目", "工程", "実施担当")


def _rgb(cell) -> str | None:
    """The fill colour as RRGGBB (writers differ in the alpha byte they put in front)."""
    return cell.fill.fgColor.rgb[-6:] if cell.fill.fill_type == "solid" else None


def _colour(fill) -> str:
    return fill.fgColor.rgb[-6:]


def _gantt(plan, tmp_path, *args, **kwargs):
    """add_gantt_sheet into a new report book, saved and opened again as a reader sees it."""
    book = ReportBook(tmp_path / "g.xlsx")
    add_gantt_sheet(book, plan, *args, **kwargs)
    book.close()
    return openpyxl.load_workbook(tmp_path / "g.xlsx")


def _rows(ws):
    return list(ws.iter_rows(min_row=GANTT_HEADER_ROW + 1, max_row=ws.max_row))


def _expected_bars(plan):
    return [(item, bar) for item in plan.items for bar in plan.bars_for(item)]


@pytest.fixture(scope="module")
def gantt_book(plan, tmp_path_factory):
    path = write_gantt(plan, tmp_path_factory.mktemp("gantt") / "工程表.xlsx", 2026)
    return openpyxl.load_workbook(path)


def test_standalone_workbook_holds_only_the_gantt(plan, gantt_book):
    assert gantt_book.sheetnames == [GANTT_SHEET]
    ws = gantt_book[GANTT_SHEET]
    assert plan.settings.plan_name in ws["A1"].value and "R8～R12" in ws["A1"].value
    headers = [c.value for c in ws[GANTT_HEADER_ROW]]
    assert headers == [*FIXED, "R8", "R9", "R10", "R11", "R12"]


def test_one_row_per_bar_with_the_item_repeated(plan, gantt_book):
    ws = gantt_book[GANTT_SHEET]
    rows = _rows(ws)
    expected = _expected_bars(plan)
    assert len(rows) == len(expected) == len(plan.bars) + sum(1 for i in plan.items if not plan.bars_by_item.get(i.item_id))
    for row, (item, bar) in zip(rows, expected):
        assert [c.value for c in row[:5]] == [item.item_id, item.area, item.name, bar.label, "、".join(item.in_charge)]
    labels = [r[3].value for r in rows if r[0].value == "1-(1)-2"]
    assert labels == ["①公文書のうち公印を押印する文書の明確化、条例等の署名を省略する手法の検討",
                      "②公印押印事務の簡略化の実施、条例等の署名省略の実施"]


def test_item_without_bars_spans_the_whole_period(plan, gantt_book):
    item = plan.item("1-(1)-1")
    assert not plan.bars_by_item.get(item.item_id)
    (row,) = [r for r in _rows(gantt_book[GANTT_SHEET]) if r[0].value == item.item_id]
    assert row[3].value == item.name
    assert [c.value for c in row[5:]] == [MARKER] * 5


def test_bars_are_marked_and_filled_inside_and_empty_outside(plan, gantt_book):
    ws = gantt_book[GANTT_SHEET]
    for row, (_, bar) in zip(_rows(ws), _expected_bars(plan)):
        for offset, year in enumerate(plan.years):
            cell = row[len(FIXED) + offset]
            if bar.start <= year <= bar.end:
                assert cell.value == MARKER, (bar, year)
                assert _rgb(cell) == _colour(BAR_FILL)
            else:
                assert cell.value is None, (bar, year)
                assert cell.fill.fill_type is None, (bar, year)


def test_reporting_year_column_is_highlighted(gantt_book):
    ws = gantt_book[GANTT_SHEET]
    header = {c.value: c for c in ws[GANTT_HEADER_ROW]}
    assert _rgb(header["R8"]) == _colour(CURRENT_YEAR_HEADER_FILL)
    assert all(_rgb(header[y]) != _colour(CURRENT_YEAR_HEADER_FILL) for y in ("R9", "R10", "R11", "R12"))
    col = header["R8"].column
    for row in _rows(ws):
        assert row[col - 1].border.left.style == "medium" and row[col - 1].border.right.style == "medium"
    other = header["R10"].column
    assert all(row[other - 1].border.left.style == "thin" for row in _rows(ws))


def test_late_items_stand_out_in_the_report_year_of_the_bar_due_then(plan, tmp_path):
    progress = {"1-(1)-2": "遅れ", "1-(1)-3": "予定どおり", "1-(2)-1": "遅延"}  # 遅延 is how some clerks write 遅れ
    wb = _gantt(plan, tmp_path, 2027, progress, title="令和9年度 工程表")
    assert wb.sheetnames == [GANTT_SHEET]
    ws = wb[GANTT_SHEET]
    assert ws["A1"].value == "令和9年度 工程表"
    headers = [c.value for c in ws[GANTT_HEADER_ROW]]
    assert headers[:6] == [*FIXED, "進捗"]
    report_col = 6 + plan.years.index(2027)
    for row, (item, bar) in zip(_rows(ws), _expected_bars(plan)):
        due = bar.start <= 2027 <= bar.end and bar is next(b for b in plan.bars_for(item) if b.start <= 2027 <= b.end)
        late = item.item_id in ("1-(1)-2", "1-(2)-1") and due
        assert row[5].value == (progress.get(item.item_id) if due else None), "進捗 on the bar due this year only"
        if late:
            assert _rgb(row[5]) == _colour(LATE_FILL) and row[5].font.color.rgb.endswith("C00000")
        else:
            assert row[5].fill.fill_type is None
        for offset, year in enumerate(plan.years):
            cell = row[6 + offset]
            if bar.start <= year <= bar.end:
                here = late and 6 + offset == report_col
                assert cell.value == (LATE_MARKER if here else MARKER), (item.item_id, year)
                assert _rgb(cell) == _colour(LATE_FILL if here else BAR_FILL), (item.item_id, year)
            else:
                assert cell.value is None and cell.fill.fill_type is None


def test_a_late_item_is_not_painted_late_over_five_years_nor_on_a_later_phase(plan, tmp_path):
    """The defect as a reader met it: 遅れ in R8 turned R8～R12 red, and the later phase too."""
    ws = _gantt(plan, tmp_path, 2026, {"1-(1)-1": "遅れ", "1-(2)-1": "遅れ"})[GANTT_SHEET]
    rows = {}
    for row in _rows(ws):
        rows.setdefault(row[0].value, []).append(row)
    (whole,) = rows["1-(1)-1"]  # no 工程 rows: one bar over the whole period
    assert [c.value for c in whole[6:]] == [LATE_MARKER, MARKER, MARKER, MARKER, MARKER]
    assert [_rgb(c) for c in whole[6:]] == [_colour(LATE_FILL)] + [_colour(BAR_FILL)] * 4
    first, later = rows["1-(2)-1"]  # ① R8～R10, ② R11～R12
    assert first[5].value == "遅れ" and later[5].value is None
    assert [c.value for c in first[6:9]] == [LATE_MARKER, MARKER, MARKER]
    assert [c.value for c in later[9:]] == [MARKER, MARKER] and _rgb(later[9]) == _colour(BAR_FILL)


def test_progress_goes_to_the_later_phase_when_that_is_the_one_due(plan, tmp_path):
    ws = _gantt(plan, tmp_path, 2029, {"1-(2)-1": "遅れ"})[GANTT_SHEET]
    first, later = [r for r in _rows(ws) if r[0].value == "1-(2)-1"]
    assert first[5].value is None and later[5].value == "遅れ"
    assert [c.value for c in first[6:9]] == [MARKER] * 3
    assert later[6 + plan.years.index(2029)].value == LATE_MARKER and later[10].value == MARKER


def test_printing_and_reading_setup(gantt_book):
    ws = gantt_book[GANTT_SHEET]
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1)  # 1 is the default
    assert ws.print_title_rows == f"${GANTT_HEADER_ROW}:${GANTT_HEADER_ROW}"
    assert ws.freeze_panes == f"D{GANTT_HEADER_ROW + 1}"
    assert ws.auto_filter.ref.startswith(f"A{GANTT_HEADER_ROW}:")
    assert all(c.border.top.style for c in _rows(ws)[0])


def test_six_year_plan_of_another_city_without_year(tmp_path):
    settings = Settings("さくら市行財政改革実施計画", "さくら市", 2021, 2026)
    items = [Item("A-01", "財政", "(1) 歳入確保", "1", "市税収納率の向上", in_charge=("収納課",)),
             Item("A-02", "財政", "(1) 歳入確保", "2", "使用料の見直し", in_charge=("財政課", "関係各課"))]
    bars = [Bar("A-01", "①滞納整理の強化", 2021, 2022), Bar("A-01", "②口座振替の推進", 2025, 2026)]
    plan = Plan(settings, items, [], bars)
    ws = openpyxl.load_workbook(write_gantt(plan, tmp_path / "g.xlsx"))[GANTT_SHEET]
    headers = [c.value for c in ws[GANTT_HEADER_ROW]]
    assert headers[5:] == [format_fiscal_year(y) for y in range(2021, 2027)] == ["R3", "R4", "R5", "R6", "R7", "R8"]
    assert all(_rgb(c) != _colour(CURRENT_YEAR_HEADER_FILL) for c in ws[GANTT_HEADER_ROW][5:])
    grid = [[c.value for c in row[5:]] for row in _rows(ws)]
    assert grid == [
        [MARKER, MARKER, None, None, None, None],
        [None, None, None, None, MARKER, MARKER],
        [MARKER] * 6,
    ]
    assert _rows(ws)[2][4].value == "財政課、関係各課"
