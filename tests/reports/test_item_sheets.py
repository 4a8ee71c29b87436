"""個票 and the history-backed parts of the publication set, over an R8 → R9 cycle with a revised plan.

Numbers are checked against what the cycle typed into the forms and the plan's targets.
"""

from __future__ import annotations

import csv
import re
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import hostile
import openpyxl
import pytest
from cycle import CONBINI, EFFECT_TARGETS, R8, R9, R10, build_cycle, estimated
from pdfpages import FULL_WIDTH, page_text, pdf_pages
from records import small_plan, store_year, submission

from addin.consolidation.history import History
from addin.consolidation.summary import summarize
from addin.jobs.publish import publish
from addin.plan.writer import plan_workbook_bytes
from addin.reports.evaluation_sheet import EVALUATION_HEADERS
from addin.reports.item_history import load_plan_history
from addin.reports.item_sheets import INDEX_SHEET, write_item_sheets
from addin.reports.opendata import EFFECTS_CSV_HEADERS
from addin.reports.publication import read_public_items, read_report_settings
from addin.reports.workbook import write_report

MADE = date(2027, 12, 2)
R9_ITEMS = ["1-(1)-1", "1-(2)-1", "1-(2)-2", "2-(1)-1"]  # active in R9, the 再掲 2-(1)-2 and the completed 1-(1)-2 left out


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    return build_cycle(tmp_path_factory.mktemp("cycle"))


@pytest.fixture(scope="module")
def published(cycle):
    return publish(cycle["tmp"] / "出力" / "集約_R9.xlsx", cycle["tmp"] / "公表_R9", made=MADE)


def _sheet_rows(ws) -> list[list[object]]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def _row(rows, first: str) -> list[object]:
    return next(r for r in rows if r[0] == first or (isinstance(r[0], str) and r[0].startswith(first)))


def _typed(typed, item_id):
    return sum(v for (i, _d), v in typed.items() if i == item_id) or None


def test_one_sheet_per_active_item_and_an_index(published):
    path = next(p for p in published.paths if p.name == "個票_R9.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [INDEX_SHEET, *R9_ITEMS]
    for name in R9_ITEMS:
        ws = wb[name]
        assert ws.page_setup.orientation == "portrait" and ws.page_setup.paperSize == 9  # A4
        setup = ws.page_setup  # one page wide (1 is the default, left out of the file), as many pages down as needed
        assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (None, 1) and setup.fitToHeight == 0
    index = _sheet_rows(wb[INDEX_SHEET])
    assert [r[0] for r in index[3:] if r[0] and r[0][0].isdigit()] == R9_ITEMS
    assert index[3][0] == "デジタル化の推進"  # a heading row per 重点項目
    link = wb[INDEX_SHEET]["C5"].hyperlink
    assert link.location == "'1-(1)-1'!A1" and not link.target  # a link inside the workbook, to no file
    assert published.notes == []


def test_the_item_sheet_shows_every_year_against_its_targets(published, cycle):
    wb = openpyxl.load_workbook(next(p for p in published.paths if p.name == "個票_R9.xlsx"))
    rows = _sheet_rows(wb["1-(1)-1"])
    header = _row(rows, "区分")  # the first year table with 区分 is 財政効果額
    col = {name: i for i, name in enumerate(header) if name}
    target, actual = _row(rows, "目標"), _row(rows, "実績")
    assert [target[col[y]] for y in ("R8", "R9", "R10")] == [EFFECT_TARGETS["1-(1)-1"][y] for y in (R8, R9, R10)]
    r8, r9 = _typed(cycle["typed8"], "1-(1)-1"), _typed(cycle["typed9"], "1-(1)-1")
    assert [actual[col["R8"]], actual[col["R9"]], actual[col["R10"]]] == [r8, r9, None]
    assert actual[col["累計（R9まで）"]] == r8 + r9 and target[col["累計（R9まで）"]] == 500 + 600
    assert actual[col["達成率"]] == pytest.approx((r8 + r9) / 1100, abs=1e-6)
    kpi = next(r for r in rows if isinstance(r[0], str) and r[0].startswith(CONBINI[1]))
    kpi_header = _row(rows, "指標（実績）")
    kcol = {name: i for i, name in enumerate(kpi_header) if name}
    assert (kpi[kcol["R8"]], kpi[kcol["R9"]], kpi[kcol["目標値"]]) == (26, 27, 35)  # the R9 plan's raised target
    assert kpi[kcol["達成率（R9）"]] == pytest.approx((27 - 24) / (35 - 24), abs=1e-6)
    single = rows[rows.index(kpi) + 1]
    assert single[0].strip() == "単年度目標" and single[kcol["R9"]] == 28
    statuses = [r for r in rows if r[0] in ("R8", "R9") and isinstance(r[2], str) and "年度に進めた" in r[2]]
    assert {(r[0], r[1]) for r in statuses} == {(y, d) for (i, d) in cycle["typed8"] if i == "1-(1)-1" for y in ["R8"]} \
        | {(y, d) for (i, d) in cycle["typed9"] if i == "1-(1)-1" for y in ["R9"]}
    grades = _row(rows, "評価（確定）")
    assert grades[col["R8"]] == "B" and grades[col["R9"]] == "B"
    assert rows[rows.index(grades) + 1][0].startswith("評価　A：")  # the grades' meaning under them
    schedule = rows[rows.index(_row(rows, "工程")) + 2]  # heading, header, then the bar: no 工程 rows, its own years
    assert [schedule[col[y]] for y in ("R8", "R9", "R10", "R11", "R12")] == ["●"] * 5 and schedule[-2] == "R8～R12"


def test_a_new_item_has_no_earlier_year_and_an_estimate_is_marked(published, cycle):
    wb = openpyxl.load_workbook(next(p for p in published.paths if p.name == "個票_R9.xlsx"))
    rows = _sheet_rows(wb["1-(2)-2"])
    col = {name: i for i, name in enumerate(_row(rows, "区分")) if name}
    assert _row(rows, "実績")[col["R8"]] is None  # new in R9: nobody reported R8, a blank and never 0
    assert not any(r[0] == "R8" for r in rows)
    ws = wb["2-(1)-1"]
    rows = _sheet_rows(ws)
    col = {name: i for i, name in enumerate(_row(rows, "区分")) if name}
    number = rows.index(_row(rows, "実績")) + 1
    assert any(estimated("2-(1)-1", d, R9) for (_i, d) in cycle["typed9"])
    assert "＊" in ws.cell(number, col["R9"] + 1).number_format
    assert "＊" not in ws.cell(number, col["R8"] + 1).number_format


def test_no_internal_text_and_no_comment_unless_the_plan_says_so(published):
    wb = openpyxl.load_workbook(next(p for p in published.paths if p.name == "個票_R9.xlsx"))
    text = " ".join(str(v) for ws in wb for r in _sheet_rows(ws) for v in r if v is not None)
    for internal in ("確認事項", ".xlsx", "事務局コメント", "委員会意見", "sha256", "提出状況"):
        assert internal not in text
    assert "事務局・委員会のコメント" not in text


def test_comments_appear_when_published(cycle, tmp_path):
    report = cycle["tmp"] / "出力" / "集約_R9.xlsx"
    assert read_report_settings(report)["コメントの公表"] == "しない"
    history = load_plan_history(cycle["db"], cycle["r9_plan"].settings.plan_name, R9)
    # Typed into the report after the consolidation: the report's comment is the one shown.
    items = [replace(i, committee_comment="取組の成果を市民に分かりやすく示すこと。") if i.item_id == "1-(1)-1" else i
             for i in read_public_items(report)]
    path = write_item_sheets(history, items, tmp_path, "計画", MADE, comments=True)
    rows = _sheet_rows(openpyxl.load_workbook(path)["1-(1)-1"])
    assert ["R9", "委員会", "取組の成果を市民に分かりやすく示すこと。"] in [r[:3] for r in rows]


def test_evaluation_sheet_shows_the_earlier_grades(published):
    path = next(p for p in published.paths if p.name == "評価シート_R9.xlsx")
    rows = _sheet_rows(openpyxl.load_workbook(path)["評価シート"])
    header = next(r for r in rows if r[0] == "No.")
    assert tuple(header) == EVALUATION_HEADERS
    earlier = [r[header.index("過年度評価")] for r in rows if r[1] and r[0] not in (None, "No.")]
    assert "R8：B" in earlier and None in earlier  # 1-(2)-2 is new in R9


def test_effects_csv_has_every_year_with_targets_and_certainty(published, cycle):
    path = next(p for p in published.paths if p.name == "効果額_R9.csv")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))
    assert tuple(records[0]) == EFFECTS_CSV_HEADERS
    got = {(r[0], r[1]): r[2:] for r in records[1:]}
    r8, r9 = _typed(cycle["typed8"], "1-(1)-1"), _typed(cycle["typed9"], "1-(1)-1")
    assert got[("1-(1)-1", "R8")] == ["500", str(r8), "確定"]
    assert got[("1-(1)-1", "R9")] == ["600", str(r9), "確定"]
    assert got[("1-(1)-1", "R10")] == ["700", "", ""]  # a target, nobody reported yet
    assert got[("2-(1)-1", "R9")][2] == "見込み"
    assert ("1-(2)-2", "R8") not in got  # new in R9: no target, no actual


def test_kpi_csv_has_every_years_actual_and_rate_from_the_history(published):
    path = next(p for p in published.paths if p.name == "KPI_R9.csv")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))
    conbini = [r for r in records[1:] if (r[0], r[1]) == CONBINI]
    # Both years against the R9 plan's target 35 from the baseline 24.
    assert [(r[3], r[4], r[5], r[6]) for r in conbini] == [("R8", "26", "35", f"{2 / 11:.1%}"),
                                                            ("R9", "27", "35", f"{3 / 11:.1%}")]


def test_without_a_history_the_rest_is_written_and_the_reason_given(cycle, tmp_path):
    report = shutil.copy(cycle["tmp"] / "出力" / "集約_R9.xlsx", tmp_path / "集約_R9.xlsx")
    result = publish(report, tmp_path / "公表", made=MADE)
    names = {p.name for p in result.paths}
    assert "個票_R9.xlsx" not in names and {"公表_取組状況_R9.xlsx", "評価シート_R9.xlsx", "効果額_R9.csv"} <= names
    [note] = result.notes
    assert "個票" in note and "reform.db" in note and "--db" in note


needs_soffice = pytest.mark.skipif(not hostile.soffice() or not shutil.which("pdftotext"),
                                   reason="LibreOffice (soffice) and pdftotext are needed; CI installs them")


@needs_soffice
def test_a_long_text_pasted_by_a_clerk_is_printed_whole(cycle, tmp_path):
    report = cycle["tmp"] / "出力" / "集約_R9.xlsx"
    history = load_plan_history(cycle["db"], cycle["r9_plan"].settings.plan_name, R9)
    long = "".join(f"第{n:03d}段落の取組の説明です。" for n in range(250))  # about 4,000 characters
    history.records["1-(1)-1"].statuses[R9] = [("DX推進課", long)]
    path = write_item_sheets(history, read_public_items(report), tmp_path, "計画", MADE)
    pdf = hostile.convert(Path(shutil.copy(path, tmp_path / "book.xlsx")), "pdf", tmp_path / "pdf", tmp_path / "profile")
    text = re.sub(r"\s+", "", "".join(page_text(p) for p in pdf_pages(pdf)))
    # Rows (and pages) may break a paragraph anywhere; every character is still printed.
    assert min(text.count(ch) for ch in "段落説") >= 250
    found = [n for n in range(250) if f"第{n:03d}段落" in text]
    assert len(found) >= 245 and found[-1] == 249


@needs_soffice
def test_item_sheets_print_legibly_one_page_wide_on_a4_portrait(published, tmp_path):
    book = shutil.copy(next(p for p in published.paths if p.name == "個票_R9.xlsx"), tmp_path / "book.xlsx")
    pages = pdf_pages(hostile.convert(Path(book), "pdf", tmp_path / "pdf", tmp_path / "profile"))
    assert len(pages) == 1 + len(R9_ITEMS)  # the index and one page per item
    for number, (width, words) in enumerate(pages, start=1):
        assert width < 600, "A4 portrait is 595 pt wide"
        sizes = [(x1 - x0) / len(w) for x0, _y0, x1, _y1, w in words if FULL_WIDTH.fullmatch(w)]
        assert sizes and min(sizes) >= 7.95, f"page {number}: text printed at {min(sizes):.1f} pt"
        assert all(0 <= x0 and x1 <= width for x0, _y0, x1, _y1, _w in words), f"page {number} runs off"
    text = re.sub(r"\s+", "", "".join(page_text(p) for p in pages[1:]))
    assert "###" not in text
    for label in ("工程", "成果指標（KPI）", "財政効果額（千円）", "評価（確定）", "取組状況", "今後の課題・方向性"):
        assert text.count(label) >= len(R9_ITEMS)


@needs_soffice
def test_a_six_year_plan_with_large_amounts_prints_legibly(tmp_path):
    plan = small_plan(2021, 2026)  # R3–R8: six year columns
    year = 2026
    subs = [submission(plan, d, year, {i.item_id: {"effect": 1234567} for i in plan.items_for(d)}, {"寄附額": 182000})
            for d in plan.departments]
    store_year(tmp_path / "reform.db", plan, year, subs, [])
    with History(tmp_path / "reform.db") as history:
        history.store_plan(plan.settings.plan_name, year, plan.fingerprint, plan_workbook_bytes(plan))
    report = write_report(summarize(plan, year, subs), tmp_path / "集約_R8.xlsx")
    book = next(p for p in publish(report, tmp_path / "公表", made=MADE).paths if p.name == "個票_R8.xlsx")
    pages = pdf_pages(hostile.convert(Path(shutil.copy(book, tmp_path / "book.xlsx")), "pdf", tmp_path / "pdf",
                                      tmp_path / "profile"))
    for number, (width, words) in enumerate(pages, start=1):
        sizes = [(x1 - x0) / len(w) for x0, _y0, x1, _y1, w in words if FULL_WIDTH.fullmatch(w)]
        assert width < 600 and min(sizes) >= 7.95, f"page {number}: text printed at {min(sizes):.1f} pt"
    text = re.sub(r"\s+", "", "".join(page_text(p) for p in pages))
    assert "###" not in text and "R3" in text and "2,469,134" in text  # 2-(1)-1: two departments' 1,234,567


def test_sheet_names_are_valid_and_unique_whatever_the_item_id():
    from addin.reports.item_sheets import sheet_title

    taken: set[str] = set()
    names = [sheet_title(i, taken) for i in ("1-(1)-1", "[A]/1:2*?", "A1", "a1", "目次", "x" * 40, "'引用'")]
    assert names[0] == "1-(1)-1" and names[1] == "_A__1_2__" and names[3] == "a1_2"  # Excel ignores case
    assert names[4] != INDEX_SHEET and all(len(n) <= 31 and n and not n.startswith("'") for n in names)
    assert len({n.casefold() for n in names}) == len(names)


def test_a_negative_rate_stays_a_number_while_formula_like_text_is_neutralized(tmp_path):
    from addin.reports.opendata import _rate, write_csv

    path = write_csv(tmp_path / "x.csv", ("達成率", "備考"), [[_rate(-0.125), "-悪化"], [_rate(0.5), "=1+1"]])
    with open(path, encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle))[1:] == [["-12.5%", "'-悪化"], ["50.0%", "'=1+1"]]


def test_a_merged_items_department_reports_on_the_sheet_of_the_item_it_joined(tmp_path):
    plan = small_plan()
    plan = replace(plan, items=[replace(i, state="統合", end_year=2026, merged_into="1-(1)-1")
                                if i.item_id == "1-(1)-2" else i for i in plan.items])
    r8, r9 = plan.in_year(2026), plan.in_year(2027)
    db = tmp_path / "reform.db"
    store_year(db, plan, 2026, [submission(r8, d, 2026) for d in r8.departments], [])
    subs = [submission(r9, d, 2027, {"1-(1)-1": {"status": f"統合後の取組（{d}）"}}) for d in r9.departments]
    store_year(db, plan, 2027, subs, [])
    with History(db) as history:
        history.store_plan(plan.settings.plan_name, 2027, plan.fingerprint, plan_workbook_bytes(plan))
    report = write_report(summarize(r9, 2027, subs), tmp_path / "集約_R9.xlsx")
    book = next(p for p in publish(report, tmp_path / "公表", made=MADE).paths if p.name == "個票_R9.xlsx")
    wb = openpyxl.load_workbook(book)
    assert "1-(1)-2" not in wb.sheetnames  # merged at the end of R8: no sheet of its own in R9
    rows = _sheet_rows(wb["1-(1)-1"])
    assert ["R9", "税務課", "統合後の取組（税務課）"] in [r[:3] for r in rows]  # 1-(1)-2's department, under 統合先
    assert "税務課" in _row(rows, "実施担当")[1]  # the plan as R9 sees it: 統合先 with the merged item's departments


@needs_soffice
def test_a_report_saved_again_by_a_spreadsheet_program_publishes_the_same(published, cycle, tmp_path):
    # The secretariat types the committee's grades into the report and saves it: hidden sheets, shared strings
    # and styles are the program's own afterwards.
    saved = hostile.convert(shutil.copy(cycle["tmp"] / "出力" / "集約_R9.xlsx", tmp_path / "集約_R9.xlsx"), "xlsx",
                            tmp_path / "saved", tmp_path / "profile")
    again = publish(saved, tmp_path / "公表", made=MADE, db=cycle["db"])
    assert again.notes == [] and sorted(p.name for p in again.paths) == sorted(p.name for p in published.paths)
    for name in ("取組状況_R9.csv", "評価_R9.csv", "KPI_R9.csv", "効果額_R9.csv"):
        assert (tmp_path / "公表" / name).read_bytes() == next(p for p in published.paths if p.name == name).read_bytes()
    before = _sheet_rows(openpyxl.load_workbook(next(p for p in published.paths if p.name == "個票_R9.xlsx"))["1-(1)-1"])
    after = _sheet_rows(openpyxl.load_workbook(tmp_path / "公表" / "個票_R9.xlsx")["1-(1)-1"])
    assert after == before
