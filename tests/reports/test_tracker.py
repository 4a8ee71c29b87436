"""提出状況 as the secretariat reads it: a rejected file is 要修正（差戻し中） with its reason and links."""

from __future__ import annotations

import openpyxl
from standin import build_department_workbook, fill

from addin.jobs.consolidate import consolidate
from addin.jobs.validate import validate_and_report
from addin.reports.tracker import TRACKER_HEADERS

YEAR = 2026


def test_rejected_files_are_sent_back_never_missing(plan, tmp_path):
    folder = tmp_path / "提出"
    folder.mkdir()
    good, bad, broken = plan.departments[:3]
    fill(build_department_workbook(plan, good, YEAR)).save(folder / f"R8_{good}.xlsx")
    item = plan.items_for(bad)[0].item_id
    fill(build_department_workbook(plan, bad, YEAR), entries={item: {"自己評価": "E", "取組状況": None}}
         ).save(folder / f"R8_{bad}.xlsx")
    (folder / f"R8_{broken}.xlsx").write_bytes(b"not a workbook")
    out = tmp_path / "出力"
    # The 検証 button writes the send-back lists to 出力/差戻し_R8, the report to 出力/集約_R8.xlsx.
    validate_and_report(plan, [folder], YEAR, return_dir=out / "差戻し_R8")
    report = consolidate(plan, [folder], YEAR, out / "集約_R8.xlsx").report_path
    ws = openpyxl.load_workbook(report)["提出状況"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "担当課")
    assert tuple(c.value for c in ws[header]) == TRACKER_HEADERS
    assert TRACKER_HEADERS[2] == "提出日時（ファイルの更新日時）"
    rows = {ws.cell(r, 1).value: [c for c in ws[r]] for r in range(header + 1, ws.max_row + 1)}
    states = {dept: cells[3].value for dept, cells in rows.items()}
    assert states[good] == "提出済" and states[bad] == states[broken] == "要修正（差戻し中）"
    assert [d for d, s in states.items() if s == "未提出"] == plan.departments[3:]
    bad_row = rows[bad]
    assert bad_row[7].value.startswith("差戻し: ") and "選択肢以外（入力!E" in bad_row[7].value
    assert "未入力（入力!D" in bad_row[7].value
    assert rows[broken][7].value.startswith("ファイルを開けません: ")
    # Links: the file (relative to the report) and the send-back list written for the department.
    assert bad_row[1].hyperlink.target.replace("\\", "/") == f"../提出/R8_{bad}.xlsx"
    assert bad_row[6].value == f"差戻し_R8_{bad}.xlsx"
    assert bad_row[6].hyperlink.target.replace("\\", "/") == f"差戻し_R8/差戻し_R8_{bad}.xlsx"
    assert rows[good][6].value is None and rows[good][6].hyperlink is None
    assert "提出日時はファイルの更新日時です" in ws["A3"].value
