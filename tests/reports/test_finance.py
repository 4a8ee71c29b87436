"""財政課出力: a values-only workbook laid out for A4 and UTF-8-BOM CSV files, one record a line, never run as formulas."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import openpyxl
import pytest
from records import small_plan, submission

from addin.consolidation.summary import summarize
from addin.plan.model import Item
from addin.reports.finance import FINANCE_SHEETS, ReportError, export_finance, neutralize
from addin.reports.finance_book import BODY_POINTS, MIN_SCALE, column_px, display_text, fit_widths, printed_scale
from addin.reports.workbook import write_report

MADE = date(2026, 12, 2)


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-1+2", "'-1+2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("安全な文字列", "安全な文字列"), (-500, -500), (-1.5, -1.5), (None, None),
    ("-", "-"), ("－", "－"), ("--", "'--"),
])
def test_neutralize(value, expected):
    assert neutralize(value) == expected


@pytest.fixture()
def report(tmp_path):
    plan = small_plan()
    tricky = [Item("9-(1)-1", "=SUM(1+1)", "-危険な取組", "1", "@cmd|' /C calc'!A0", in_charge=("総務課",))]
    plan.items.extend(tricky)
    subs = [submission(plan, d, 2026, {"9-(1)-1": {"effect": -500}, "1-(2)-1": {"effect": 1234.5}},
                       {"コンビニ交付率": 27}) for d in plan.departments]
    return write_report(summarize(plan, 2026, subs), tmp_path / "集約_R8.xlsx")


def _header_row(ws, first: str) -> int:
    return next(r for r in range(1, 20) if ws.cell(r, 1).value == first)


def _table(ws, first: str) -> list[list[object]]:
    """The header row and the data rows (up to the first empty row)."""
    rows = [list(r) for r in ws.iter_rows(min_row=_header_row(ws, first), values_only=True)]
    end = next((i for i, r in enumerate(rows) if all(v is None for v in r)), len(rows))
    return rows[:end]


def _widths(ws, count: int) -> list[float]:
    """Column widths as set (the file stores them with Excel's 5 px of padding; a group of columns is one entry)."""
    widths = {}
    for dim in ws.column_dimensions.values():
        for col in range(dim.min, dim.max + 1):
            widths[col] = dim.width - 5 / 7
    return [widths[c] for c in range(1, count + 1)]


def test_values_only_workbook(report, tmp_path):
    paths = export_finance(report, tmp_path / "財政課_R8.xlsx")
    assert paths == [tmp_path / "財政課_R8.xlsx"]
    with zipfile.ZipFile(paths[0]) as zf:
        names = zf.namelist()
    assert not [n for n in names if "externalLink" in n or "chart" in n or "drawing" in n], names
    wb = openpyxl.load_workbook(paths[0])
    assert wb.sheetnames == ["効果額集計", "効果額推移", "KPI一覧"]
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                assert cell.hyperlink is None
    effects = _table(wb["効果額集計"], "区分")
    assert effects[0][:2] == ["区分", "項目ID"] and effects[-1][0] == "総計"
    tricky = next(r for r in effects if r[1] == "9-(1)-1")
    assert tricky[2] == "=SUM(1+1)" and tricky[-1] == -500  # text stays text, numbers stay numbers
    kpi = _table(wb["KPI一覧"], "項目ID")
    assert kpi[1][kpi[0].index("達成率")] == 0.5  # a fraction, shown as 50.0%
    assert "推移" not in kpi[0]  # restates the year columns; left out to keep the page legible


def test_title_block_names_plan_year_source_and_date(report, tmp_path):
    wb = openpyxl.load_workbook(export_finance(report, tmp_path / "財政課_R8.xlsx", made=MADE)[0])
    for ws in wb.worksheets:
        title, source = ws["A1"].value, ws["A2"].value
        assert title == f"テスト市行財政改革実施計画　令和8年度（R8）　{ws.title}"
        assert "集約_R8.xlsx" in source and "2026年12月2日" in source
        assert ws["A1"].font.sz > BODY_POINTS and ws["A1"].font.b
        assert "テスト市行財政改革実施計画" in ws.oddHeader.left.text and "R8" in ws.oddHeader.left.text
    assert wb["効果額集計"]["A4"].value.startswith("単位: 千円")  # the report's note comes along
    assert wb.properties.title == "テスト市行財政改革実施計画 R8 財政課出力"


def test_layout_formats_filter_and_print_setup(report, tmp_path):
    wb = openpyxl.load_workbook(export_finance(report, tmp_path / "財政課_R8.xlsx")[0])
    for ws, first in ((wb["効果額集計"], "区分"), (wb["KPI一覧"], "項目ID")):
        header_row = _header_row(ws, first)
        rows = _table(ws, first)
        header = rows[0]
        last_col = openpyxl.utils.get_column_letter(len(header))
        assert ws.auto_filter.ref == f"A{header_row}:{last_col}{header_row + len(rows) - 1}"
        assert ws.print_title_rows == f"${header_row}:${header_row}"
        setup = ws.page_setup
        assert str(setup.paperSize) == ws.PAPERSIZE_A4 and setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToHeight == 0
        assert setup.fitToWidth in (None, 1)  # absent means 1, the OOXML default: one page wide
        widths = _widths(ws, len(header))
        # One page wide at a legible scale, in Excel and in LibreOffice's wider rendering alike.
        assert printed_scale(widths) * BODY_POINTS >= 8, (ws.title, widths)
        for r, values in enumerate(rows[1:], start=header_row + 1):
            for c, value in enumerate(values, start=1):
                cell = ws.cell(r, c)
                assert cell.font.sz >= BODY_POINTS
                if isinstance(value, str):
                    assert cell.alignment.wrap_text, cell.coordinate
                elif isinstance(value, (int, float)):  # a number never wraps: its column shows it whole
                    shown = display_text(value, cell.number_format)
                    assert widths[c - 1] >= len(shown) + 0.99, (ws.title, header[c - 1], value)
    effects = wb["効果額集計"]
    header_row = _header_row(effects, "区分")
    col = [c.value for c in effects[header_row]].index("効果額（千円）") + 1
    amount = [effects.cell(r, col) for r in range(header_row + 1, effects.max_row + 1)
              if effects.cell(r, col).value is not None]
    assert amount and all(c.number_format == "#,##0" for c in amount)
    kpi = wb["KPI一覧"]
    header_row = _header_row(kpi, "項目ID")
    col = [c.value for c in kpi[header_row]].index("達成率") + 1
    assert kpi.cell(header_row + 1, col).number_format == "0.0%"


def test_departments_on_one_line_and_long_text_rows_grow(report, tmp_path):
    wb = openpyxl.load_workbook(export_finance(report, tmp_path / "財政課_R8.xlsx")[0])
    ws = wb["効果額集計"]
    header_row = _header_row(ws, "区分")
    row = next(r for r in range(header_row + 1, ws.max_row + 1) if ws.cell(r, 2).value == "1-(1)-1")
    assert ws.cell(row, 6).value == "DX推進課、市民課"  # all of 実施担当, not its last line
    assert ws.cell(row, 7).value == "【DX推進課】100\n【市民課】100"  # 内訳 keeps one line per department
    assert ws.row_dimensions[row].height >= 2 * 15


def test_fit_widths_narrows_text_not_numbers():
    needs, mins = [40.0] * 6 + [12.0], [8.0] * 6 + [12.0]
    widths = fit_widths(needs, mins)
    assert printed_scale(needs) < MIN_SCALE <= printed_scale(widths)
    assert widths[-1] == 12.0 and all(8.0 <= w < 40.0 for w in widths[:-1])
    assert fit_widths([10.0, 12.0], [5.0, 5.0]) == [10.0, 12.0]  # fits already: untouched
    assert column_px(10) > 7 * 10 + 5  # LibreOffice's wider rendering is the one budgeted


def _csv_rows(path) -> tuple[bytes, list[list[str]]]:
    raw = path.read_bytes()
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_is_utf8_bom_crlf_one_record_a_line_and_neutralized(report, tmp_path):
    paths = export_finance(report, tmp_path / "財政課_R8.xlsx", tmp_path / "csv")
    assert [p.name for p in paths[1:]] == ["効果額集計_R8.csv", "効果額推移_R8.csv", "KPI一覧_R8.csv"]
    for path in paths[1:]:
        raw, rows = _csv_rows(path)
        assert raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\r\n")
        lines = raw[3:].split(b"\r\n")[:-1]
        assert len(lines) == len(rows)  # one record per line: no line break inside a field
        assert not any(b"\n" in line or b"\r" in line for line in lines)
        assert len({len(r) for r in rows}) == 1
    _raw, rows = _csv_rows(paths[1])
    header = rows[0]
    assert header[:3] == ["区分", "項目ID", "重点項目"]
    tricky = next(r for r in rows if r[1] == "9-(1)-1")
    assert tricky[header.index("重点項目")] == "'=SUM(1+1)"
    assert tricky[header.index("取組")] == "'-危険な取組"
    assert tricky[header.index("改革項目")] == "'@cmd|' /C calc'!A0"
    assert tricky[header.index("効果額（千円）")] == "-500"  # a real negative number is kept as a number
    assert next(r for r in rows if r[1] == "1-(2)-1")[-1] == "1234.5"
    first = next(r for r in rows if r[1] == "1-(1)-1")
    assert first[header.index("実施担当")] == "DX推進課、市民課"
    assert first[header.index("内訳（千円）")] == "【DX推進課】100 【市民課】100"
    assert first[header.index("改革項目")] == "行政手続のオンライン化"
    assert rows[-1][0] == "総計"
    _raw, kpi = _csv_rows(paths[3])
    assert kpi[1][kpi[0].index("達成率")] == "50.0%"  # Excel reads it back as a percentage
    assert kpi[1][kpi[0].index("R8")] == "27"


def _add_trend_sheet(report, out):
    """A 効果額推移 as the consolidated report may carry it: headline block, a two-row header, marks, ratios."""
    wb = openpyxl.load_workbook(report)
    del wb["効果額推移"]  # the report's own is replaced by one of another layout
    ws = wb.create_sheet("効果額推移", index=wb.sheetnames.index("効果額集計") + 1)
    ws.append(["テスト市行財政改革実施計画　令和8年度 効果額推移"])
    ws.append(["テスト市　計画期間 R8～R12"])
    ws.append(["単位: 千円。（見込）は見込み額を含みます。"])
    ws.append(["目標", 3000, "当年度実績", 1500, "累計", 2500, "進捗率", 0.25])
    ws["H4"].number_format = "0.0%"
    ws.append([])
    ws.append(["項目ID", "改革項目", "R8", None, "R9", None, "累計目標", "累計実績", "達成率"])
    ws.append([None, None, "目標", "実績", "目標", "実績", None, None, None])
    ws.merge_cells("C6:D6")
    ws.merge_cells("E6:F6")
    ws.append(["1-(1)-1", "行政手続のオンライン化", 1000, 1000, 1000, "600（見込）", 2000, 1600, 0.8])
    ws.append(["1-(1)-2", "=キャッシュレス", 500, None, 500, -100, 1000, -100, -0.1])
    ws["B9"].data_type = "s"  # a text that looks like a formula, as the report writes it
    ws["F9"].number_format = '#,##0"（見込）"'  # an estimate marked by its format
    ws.append(["1-(1)-3", "改行が\r\nある\u2028名前", None, None, None, None, None, None, None])
    ws.append(["総計", None, 1500, 1000, 1500, 500, 3000, 1500, 0.5])
    wb.save(out)
    return out


def test_trend_sheet_is_carried_when_the_report_has_it(report, tmp_path):
    assert [s.name for s in FINANCE_SHEETS] == ["効果額集計", "効果額推移", "KPI一覧"]
    source = _add_trend_sheet(report, tmp_path / "集約.xlsx")
    paths = export_finance(source, tmp_path / "財政課_R8.xlsx", tmp_path / "csv")
    assert [p.name for p in paths[1:]] == ["効果額集計_R8.csv", "効果額推移_R8.csv", "KPI一覧_R8.csv"]
    wb = openpyxl.load_workbook(paths[0])
    assert wb.sheetnames == ["効果額集計", "効果額推移", "KPI一覧"]
    ws = wb["効果額推移"]
    assert ws["A1"].value == "テスト市行財政改革実施計画　令和8年度（R8）　効果額推移"
    headline = next(r for r in range(1, 10) if ws.cell(r, 1).value == "目標")
    assert [ws.cell(headline, c).value for c in (2, 8)] == [3000, 0.25] and ws.cell(headline, 8).number_format == "0.0%"
    rows = _table(ws, "項目ID")
    header = ["項目ID", "改革項目", "R8 目標", "R8 実績", "R9 目標", "R9 実績", "累計目標", "累計実績", "達成率"]
    assert rows[0] == [name.replace(" ", "\n") for name in header]  # one header row, the year above the column
    assert rows[1][5] == "600（見込）" and rows[-1][0] == "総計"
    estimate = ws.cell(_header_row(ws, "項目ID") + 2, 6)
    assert estimate.value == -100 and estimate.number_format == '#,##0"（見込）"'  # the mark is kept
    assert _widths(ws, 9)[5] >= len("-100（見込）") + 4  # wide enough for the mark: never ###
    _raw, csv_rows = _csv_rows(paths[2])
    assert csv_rows[0] == header
    assert csv_rows[1] == ["1-(1)-1", "行政手続のオンライン化", "1000", "1000", "1000", "600（見込）", "2000", "1600", "80.0%"]
    assert csv_rows[2][1] == "'=キャッシュレス" and csv_rows[2][5] == "-100" and csv_rows[2][-1] == "-10.0%"
    assert csv_rows[3][:3] == ["1-(1)-3", "改行が ある 名前", ""]  # any line break becomes a space; blank stays blank
    assert len(csv_rows) == 5


def test_a_trend_sheet_of_another_layout_is_still_carried(report, tmp_path):
    """効果額推移 is being built elsewhere: without 項目ID its first all-text row is taken as the header."""
    wb = openpyxl.load_workbook(report)
    del wb["効果額推移"]
    ws = wb.create_sheet("効果額推移", index=wb.sheetnames.index("効果額集計") + 1)
    ws.append(["テスト市行財政改革実施計画　令和8年度 効果額推移"])
    ws.append(["目標", 3000, "累計", 2500])
    ws.append(["No.", "取組", "R8 目標", "R8 実績"])
    ws.append(["1", "行政手続のオンライン化", 1000, 800])
    wb.save(tmp_path / "別様式.xlsx")
    paths = export_finance(tmp_path / "別様式.xlsx", tmp_path / "財政課_R8.xlsx", tmp_path / "csv")
    _raw, rows = _csv_rows(tmp_path / "csv" / "効果額推移_R8.csv")
    assert rows == [["No.", "取組", "R8 目標", "R8 実績"], ["1", "行政手続のオンライン化", "1000", "800"]]
    assert openpyxl.load_workbook(paths[0]).sheetnames == ["効果額集計", "効果額推移", "KPI一覧"]


def test_a_report_without_a_trend_sheet_skips_it(report, tmp_path):
    wb = openpyxl.load_workbook(report)
    del wb["効果額推移"]  # a report of an earlier version
    wb.save(tmp_path / "旧.xlsx")
    paths = export_finance(tmp_path / "旧.xlsx", tmp_path / "財政課_R8.xlsx", tmp_path / "csv")
    assert openpyxl.load_workbook(paths[0]).sheetnames == ["効果額集計", "KPI一覧"]
    assert [p.name for p in paths[1:]] == ["効果額集計_R8.csv", "KPI一覧_R8.csv"]


def _bare_report(path):
    """The two sheets with their headers only: no title rows, no document title."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    wb.create_sheet("効果額集計").append(["区分", "項目ID", "効果額（千円）"])
    wb["効果額集計"].append(["項目", "1-(1)-1", 100])
    wb.create_sheet("KPI一覧").append(["項目ID", "指標名", "達成率"])
    wb["KPI一覧"].append(["1-(1)-1", "交付率", 0.25])
    wb.save(path)
    return path


def test_year_from_the_file_name_when_the_report_has_no_title(tmp_path):
    paths = export_finance(_bare_report(tmp_path / "集約_R9.xlsx"), tmp_path / "財政課.xlsx", tmp_path / "csv")
    assert [p.name for p in paths[1:]] == ["効果額集計_R9.csv", "KPI一覧_R9.csv"]
    assert openpyxl.load_workbook(paths[0])["KPI一覧"]["A1"].value == "令和9年度（R9）　KPI一覧"
    with pytest.raises(ReportError) as exc_info:
        export_finance(_bare_report(tmp_path / "集約.xlsx"), tmp_path / "x.xlsx")
    assert "年度が分かりません" in str(exc_info.value)


def test_not_a_report(tmp_path):
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.save(path)
    with pytest.raises(ReportError) as exc_info:
        export_finance(path, tmp_path / "out.xlsx")
    assert "効果額集計" in str(exc_info.value)
    assert not (tmp_path / "out.xlsx").exists()


def test_an_output_never_replaces_the_report(report, tmp_path):
    before = report.read_bytes()
    with pytest.raises(ReportError) as exc_info:
        export_finance(report, report)
    assert "集約結果そのもの" in str(exc_info.value)
    assert report.read_bytes() == before


def test_a_far_cell_refuses_the_report_only_in_a_sheet_finance_reads(report, tmp_path):
    """The used range is bounded before openpyxl pads every row to the dimension (SPEC, "Safety")."""
    import hostile

    elsewhere = hostile.add_far_cell(report, tmp_path / "ほか.xlsx", "取組状況一覧")
    assert export_finance(elsewhere, tmp_path / "財政課_ほか.xlsx")  # a sheet finance never reads
    far = hostile.add_far_cell(report, tmp_path / "遠い.xlsx", "効果額集計")
    with pytest.raises(ReportError) as exc_info:
        export_finance(far, tmp_path / "財政課_遠い.xlsx")
    assert "シート「効果額集計」のセル XFD1048576 に値または書式があります" in str(exc_info.value)
