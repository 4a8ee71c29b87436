"""The consolidated report: golden dump, overrides carried over with a backup, history across years, open file."""

from __future__ import annotations

import json
import os
import sqlite3

import hostile
import openpyxl
import pytest
from golden import check_golden, dump_workbook
from records import small_plan, submission
from standin import build_department_workbook, fill

from addin.consolidation.history import History
from addin.consolidation.summary import Override, summarize
from addin.errors import OutputError
from addin.jobs.consolidate import consolidate
from addin.reports.workbook import REPORT_SHEETS, read_overrides, write_report
from addin.xlsx.tables import find_table

R8, R9 = 2026, 2027


def _summary():
    plan = small_plan()
    subs = [
        submission(plan, "DX推進課", R8, {"1-(1)-1": {"grade": "A", "effect": 1234, "progress": "遅れ"}},
                   {"コンビニ交付率": 22}),
        submission(plan, "市民課", R8, {"1-(1)-1": {"grade": "B", "status": "コンビニ交付サービスの周知を行い、交付率は27.5%となった。"}}),
        submission(plan, "税務課", R8, {"2-(1)-1": {"grade": "C", "effect": 5600}, "1-(1)-2": {"grade": "-", "effect": None}},
                   {"寄附額": 260000}),
    ]
    return summarize(plan, R8, subs, rejected=["R8_総務課.xlsx"], overrides={"2-(1)-1": Override("A", "目標達成のためA")})


def _report(tmp_path):
    return openpyxl.load_workbook(write_report(_summary(), tmp_path / "集約.xlsx"))


def test_report_golden(tmp_path):
    wb = _report(tmp_path)
    assert [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"] == list(REPORT_SHEETS)
    assert wb["_原本"].sheet_state == "veryHidden"
    check_golden("report_small_plan", dump_workbook(wb, skip=("工程表", "_原本")))


def test_every_sheet_has_title_freeze_filter_and_print_setup(tmp_path):
    wb = _report(tmp_path)
    for name in ("取組状況一覧", "KPI一覧", "評価集計", "効果額集計", "提出状況"):
        ws = wb[name]
        assert "テスト市行財政改革実施計画" in ws["A1"].value and "令和8年度" in ws["A1"].value
        assert ws.freeze_panes and ws.auto_filter.ref and ws.print_title_rows
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth in (None, 1)  # 1 is the default
    assert len(wb["KPI一覧"]._charts) == 1


def _table(ws, *headers):
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    table = find_table(rows, headers)
    names = [h for h in rows[table.header_row]]
    return [{name: row[i] for i, name in enumerate(names) if name} for _i, row in table.data_rows()]


def _write_submissions(plan, year, folder, actuals, grades=None):
    folder.mkdir(parents=True, exist_ok=True)
    for dept in plan.departments:
        wb = build_department_workbook(plan, dept, year)
        kpis = {k.key: {"実績値": actuals.get(k.name)} for k in plan.kpis_led_by(dept)}
        entries = {item_id: {"自己評価": g} for item_id, g in (grades or {}).items()}
        fill(wb, entries=entries, kpis=kpis)
        wb.save(folder / f"R{year - 2018}_{dept}.xlsx")


def test_overrides_survive_a_rerun_and_the_previous_report_is_kept(tmp_path):
    plan = small_plan()
    _write_submissions(plan, R8, tmp_path / "in", {"コンビニ交付率": 26})
    out = tmp_path / "集約.xlsx"
    first = consolidate(plan, [tmp_path / "in"], R8, out)
    assert first.backup_path is None and first.summary.items[1].grade == "B"
    wb = openpyxl.load_workbook(out)
    ws = wb["取組状況一覧"]
    rows = _table(ws, "項目ID", "事務局評価")
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "項目ID")
    cols = {ws.cell(header_row, c).value: c for c in range(1, ws.max_column + 1)}
    target = header_row + 1 + [r["項目ID"] for r in rows].index("1-(1)-2")
    ws.cell(target, cols["事務局評価"], "Ｃ")  # typed in full width
    ws.cell(target, cols["事務局コメント"], "効果額の根拠を確認すること")
    wb.save(out)

    second = consolidate(plan, [tmp_path / "in"], R8, out)
    assert second.backup_path is not None and second.backup_path.exists()
    assert second.backup_path.name.startswith("集約.") and second.backup_path.name.endswith(".bak.xlsx")
    assert read_overrides(second.backup_path)["1-(1)-2"] == Override("C", "効果額の根拠を確認すること")
    item = {r.item.item_id: r for r in second.summary.items}["1-(1)-2"]
    assert item.grade == "C" and item.self_grade == "B"
    assert second.to_json()["totals"]["grades"]["C"] == 1
    after = {r["項目ID"]: r for r in _table(openpyxl.load_workbook(out)["取組状況一覧"], "項目ID", "事務局評価")}
    assert after["1-(1)-2"]["事務局評価"] == "C"
    assert after["1-(1)-2"]["事務局コメント"] == "効果額の根拠を確認すること"
    assert after["1-(1)-2"]["確定評価"] == "C"
    grades = _table(openpyxl.load_workbook(out)["評価集計"], "区分", "項目数")
    total = next(r for r in grades if r["区分"] == "合計")
    assert total["C"] == 1 and total["項目数"] == len(plan.items)


def test_two_years_in_the_database(tmp_path):
    plan = small_plan()
    db = tmp_path / "hist.db"
    _write_submissions(plan, R8, tmp_path / "R8", {"コンビニ交付率": 26, "コピー用紙の使用枚数": 610, "寄附額": 180000})
    consolidate(plan, [tmp_path / "R8"], R8, tmp_path / "集約R8.xlsx", db_path=db)
    _write_submissions(plan, R9, tmp_path / "R9", {"コンビニ交付率": 25, "コピー用紙の使用枚数": 590, "寄附額": 180000})
    result = consolidate(plan, [tmp_path / "R9"], R9, tmp_path / "集約R9.xlsx", db_path=db)
    kpis = {k["name"]: k for item in result.to_json()["items"] for k in item["kpis"]}
    assert kpis["コンビニ交付率"]["history"] == {"R8": 26, "R9": 25}
    assert kpis["コピー用紙の使用枚数"]["history"] == {"R8": 610, "R9": 590}
    rows = {r["指標名"]: r for r in _table(openpyxl.load_workbook(tmp_path / "集約R9.xlsx")["KPI一覧"], "項目ID", "指標名")}
    assert (rows["コンビニ交付率"]["R8"], rows["コンビニ交付率"]["R9"]) == (26, 25)
    assert rows["コンビニ交付率"]["方向"] == "↓ 悪化"
    assert rows["コピー用紙の使用枚数"]["方向"] == "↓ 改善"  # lower is better
    assert rows["寄附額"]["方向"] == "→ 横ばい"
    assert rows["コンビニ交付率"]["推移"] == "R8 26 → R9 25"
    # Every submitted 取組状況 equals last year's (the stand-in fills the same text): each is flagged.
    assert all(r.copied == list(r.grades) for r in result.summary.items)
    # Consolidating R9 again replaces R9's rows, R8 stays.
    consolidate(plan, [tmp_path / "R9"], R9, tmp_path / "集約R9.xlsx", db_path=db)
    with History(db) as h:
        assert h.years(plan.settings.plan_name) == [R8, R9]
        assert len(h.submissions(plan.settings.plan_name, R9)) == len(plan.departments)


def test_report_open_in_excel_is_a_japanese_error_and_history_is_untouched(tmp_path, monkeypatch):
    plan = small_plan()
    _write_submissions(plan, R8, tmp_path / "in", {})
    db = tmp_path / "reform.db"

    def locked(*_args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(OutputError) as exc_info:
        consolidate(plan, [tmp_path / "in"], R8, tmp_path / "集約.xlsx", db_path=db)
    assert "Excel" in exc_info.value.reason and "閉じて" in exc_info.value.reason
    assert not (tmp_path / "集約.xlsx").exists()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 0


def test_rejected_and_missing_departments(tmp_path):
    plan = small_plan()
    _write_submissions(plan, R8, tmp_path / "in", {})
    (tmp_path / "in" / "R8_総務課.xlsx").unlink()
    wb = build_department_workbook(plan, "税務課", R8)
    fill(wb, entries={"1-(1)-2": {"自己評価": "S"}})
    wb.save(tmp_path / "in" / "R8_税務課.xlsx")
    result = consolidate(plan, [tmp_path / "in"], R8, tmp_path / "集約.xlsx")
    data = result.to_json()
    assert data["missing"] == ["税務課", "総務課"]
    assert [os.path.basename(p) for p in data["rejected"]] == ["R8_税務課.xlsx"]
    assert result.run.exit_code == 1
    tracker = _table(openpyxl.load_workbook(tmp_path / "集約.xlsx")["提出状況"], "担当課", "状態")
    assert [(r["担当課"], r["状態"]) for r in tracker] == [("総務課", "未提出"), ("税務課", "要修正（差戻し中）"),
                                                        ("DX推進課", "提出済"), ("市民課", "提出済")]
    assert tracker[1]["エラー件数"] == 1 and tracker[1]["備考"] == "差戻し: 選択肢以外（入力!E5）"
    issues = _table(openpyxl.load_workbook(tmp_path / "集約.xlsx")["検証結果"], "重要度", "内容")
    errors = [i for i in issues if i["重要度"] == "エラー"]
    assert len(errors) == 1 and errors[0]["項目ID"] == "1-(1)-2"
    # DX推進課 left its KPI 実績値 blank without a 備考: a warning, its file is still consolidated.
    assert [(i["担当課"], i["区分"]) for i in issues if i["重要度"] != "エラー"] == [("DX推進課", "KPI未報告")]
    json.dumps(data, ensure_ascii=False)


def _cells(ws, item_id: str) -> dict[str, str]:
    """{header: A1 address} of the row of ``item_id`` in 取組状況一覧."""
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "項目ID")
    row = next(r for r in range(header_row + 1, ws.max_row + 1) if ws.cell(r, 1).value == item_id)
    return {ws.cell(header_row, c).value: ws.cell(row, c).coordinate for c in range(1, ws.max_column + 1)}


def test_a_typed_grade_that_is_not_a_grade_is_kept_as_typed(tmp_path):
    summary = _summary()
    path = write_report(summary, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["取組状況一覧"]
    cells = _cells(ws, "1-(1)-1")
    ws[cells["事務局評価"]] = "優"
    ws[cells["事務局コメント"]] = "コメントだけ"
    wb.save(path)
    overrides = read_overrides(path)
    assert overrides["1-(1)-1"] == Override(None, "コメントだけ", typed=(("事務局評価", "優"),))
    assert overrides["1-(1)-1"].grade is None
    assert overrides["2-(1)-1"] == Override("A", "目標達成のためA")
    assert read_overrides(tmp_path / "missing.xlsx") == {}


@pytest.mark.skipif(not hostile.soffice(), reason="LibreOffice (soffice) is not installed")
def test_overrides_typed_and_saved_in_a_spreadsheet_application_are_read_back(tmp_path):
    # The secretariat types in the report and saves it in Excel/LibreOffice: shared strings, its own styles.
    out = write_report(_summary(), tmp_path / "集約.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb["取組状況一覧"]
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "項目ID")
    cols = {ws.cell(header_row, c).value: c for c in range(1, ws.max_column + 1)}
    row = next(r for r in range(header_row + 1, ws.max_row + 1) if ws.cell(r, 1).value == "1-(2)-1")
    ws.cell(row, cols["事務局評価"], "B")
    ws.cell(row, cols["事務局コメント"], "次年度に再確認")
    typed = tmp_path / "typed" / "集約.xlsx"
    typed.parent.mkdir()
    wb.save(typed)
    resaved = hostile.convert(typed, "xlsx:Calc MS Excel 2007 XML", tmp_path / "resaved", tmp_path / "profile")
    overrides = read_overrides(resaved)
    assert overrides["1-(2)-1"] == Override("B", "次年度に再確認")
    assert overrides["2-(1)-1"] == Override("A", "目標達成のためA")  # the one carried over from before


@pytest.mark.parametrize("text", ["", "短い", "あ" * 2000, "\n".join(["い" * 50] * 40), "う\n" * 60])
def test_row_pieces_keep_every_character_within_a_row(text):
    from addin.reports.common import ROW_LINES, _lines, row_pieces

    pieces = row_pieces(text, 58)
    assert all(_lines(p, 58) <= ROW_LINES for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")
    assert len(pieces) == 1 or all(pieces)
