"""A text longer than Excel's 32,767 characters per cell is never cut silently: the cell says so, and so does the command."""

from __future__ import annotations

import json

import openpyxl
from click.testing import CliRunner
from standin import build_department_workbook, fill

from addin.cli import cli
from addin.plan.model import Item, Plan, Settings
from addin.plan.writer import write_plan
from addin.xlsx.writer import CELL_LIMIT, CUT_NOTE, collect_cuts, write_book

DEPARTMENTS = tuple(f"第{n}課" for n in range(1, 21))
STATUS = "計画どおり取り組んだ。" * 180  # 1,980 characters, under the form's limit; 20 of them pass a cell's


def test_a_joined_status_of_many_departments_is_cut_visibly_and_said(tmp_path):
    plan = Plan(Settings("テスト市行財政改革実施計画", "テスト市", 2026, 2030, report_year=2026),
                [Item("1-(1)-1", "柱", "(1) 分野", "1", "全課で取り組む項目", in_charge=DEPARTMENTS)])
    plan_path = write_plan(plan, tmp_path / "plan.xlsx")
    folder = tmp_path / "提出"
    folder.mkdir()
    for dept in DEPARTMENTS:
        wb = build_department_workbook(plan, dept, 2026)
        fill(wb, {"1-(1)-1": {"取組状況": STATUS}})
        wb.save(folder / f"R8_{dept}.xlsx")
    out = tmp_path / "集約.xlsx"
    result = CliRunner().invoke(cli, ["consolidate", str(plan_path), str(folder), "--year", "R8", "--out", str(out),
                                      "--json", str(tmp_path / "集約.json")])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["取組状況一覧"]
    cut = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.endswith(CUT_NOTE)]
    assert len(cut) == 1 and len(cut[0].value) <= CELL_LIMIT
    assert f"シート「取組状況一覧」セル {cut[0].coordinate}" in result.output and "32,767" in result.output
    whole = json.loads((tmp_path / "集約.json").read_text(encoding="utf-8"))["items"][0]["status"]
    assert all(text == STATUS for text in whole.values()) and len(whole) == len(DEPARTMENTS)


def test_every_cut_is_collected_with_its_place_and_length(tmp_path):
    long = "字" * 40_000
    emoji = "😀" * 20_000  # 20,000 characters, 40,000 UTF-16 units in Excel

    def fill_book(book):
        sheet = book.add_sheet("検証結果")
        sheet.write(1, 1, "短い文")
        sheet.write(2, 3, long)
        sheet.write(3, 1, emoji)

    with collect_cuts() as cuts:
        path = write_book(tmp_path / "x.xlsx", fill_book)
    assert [(c.sheet, c.cell, c.length) for c in cuts] == [("検証結果", "C2", 40_000), ("検証結果", "A3", 20_000)]
    ws = openpyxl.load_workbook(path)["検証結果"]
    assert ws["A1"].value == "短い文"
    assert ws["C2"].value.startswith("字" * 1000) and ws["C2"].value.endswith(CUT_NOTE)
    assert len(ws["A3"].value.encode("utf-16-le")) // 2 <= CELL_LIMIT and ws["A3"].value.endswith(CUT_NOTE)
