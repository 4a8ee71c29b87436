"""財政課出力: a values-only workbook and UTF-8-BOM CSV files that a spreadsheet cannot run as formulas."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from records import small_plan, submission

from addin.consolidation.summary import summarize
from addin.plan.model import Item
from addin.reports.finance import ReportError, export_finance, neutralize
from addin.reports.workbook import write_report


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-1+2", "'-1+2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("安全な文字列", "安全な文字列"), (-500, -500), (-1.5, -1.5), (None, None),
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
    return write_report(summarize(plan, 2026, subs), tmp_path / "集約.xlsx")


def test_values_only_workbook(report, tmp_path):
    paths = export_finance(report, tmp_path / "財政課.xlsx")
    assert paths == [tmp_path / "財政課.xlsx"]
    wb = openpyxl.load_workbook(paths[0])
    assert wb.sheetnames == ["効果額集計", "KPI一覧"]
    for ws in wb.worksheets:
        assert not ws._charts
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                assert cell.hyperlink is None
    effects = [list(r) for r in wb["効果額集計"].iter_rows(values_only=True)]
    assert effects[0][:2] == ["区分", "項目ID"] and effects[-1][0] == "総計"
    tricky = next(r for r in effects if r[1] == "9-(1)-1")
    assert tricky[2] == "=SUM(1+1)" and tricky[-1] == -500  # text stays text, numbers stay numbers
    kpi = [list(r) for r in wb["KPI一覧"].iter_rows(values_only=True)]
    assert kpi[1][kpi[0].index("達成率")] == 0.5


def test_csv_is_utf8_bom_crlf_and_neutralized(report, tmp_path):
    paths = export_finance(report, tmp_path / "財政課.xlsx", tmp_path / "csv")
    assert [p.name for p in paths[1:]] == ["効果額集計.csv", "KPI一覧.csv"]
    raw = paths[1].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.endswith(b"\r\n")
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    tricky = next(r for r in rows if r[1] == "9-(1)-1")
    assert tricky[header.index("重点項目")] == "'=SUM(1+1)"
    assert tricky[header.index("取組")] == "'-危険な取組"
    assert tricky[header.index("改革項目")] == "'@cmd|' /C calc'!A0"
    assert tricky[header.index("効果額（千円）")] == "-500"  # a real negative number is kept as a number
    assert next(r for r in rows if r[1] == "1-(2)-1")[-1] == "1234.5"
    assert rows[-1][0] == "総計"
    for line in raw.split(b"\r\n")[:-1]:  # every record ends with CRLF (line breaks inside quoted cells are LF)
        assert not line.endswith(b"\r")


def test_not_a_report(tmp_path):
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.save(path)
    with pytest.raises(ReportError) as exc_info:
        export_finance(path, tmp_path / "out.xlsx")
    assert "効果額集計" in str(exc_info.value)
