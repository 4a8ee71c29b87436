"""Evaluation stages: self → secretariat → committee, carried over, stored, and seen the next year.

The cycle of seed 002: departments grade themselves, the secretariat writes a provisional grade,
the committee confirms or changes it. Typed in the report, kept on every re-run, stored in the
history and shown beside the next year's.
"""

from __future__ import annotations

import sqlite3

import openpyxl
from openpyxl.utils import get_column_letter
from records import small_plan
from standin import build_department_workbook, fill

from addin.consolidation.history import SCHEMA_VERSION, History
from addin.jobs.consolidate import consolidate
from addin.reports.status import STATUS_HEADERS

R8, R9 = 2026, 2027


def _submit(plan, year, folder, grades: dict[str, str]):
    """Every department answers; 自己評価 per 項目ID from ``grades`` (default B)."""
    folder.mkdir(parents=True, exist_ok=True)
    for dept in plan.departments:
        wb = build_department_workbook(plan, dept, year)
        entries = {item.item_id: {"取組状況": f"{item.name}の実施状況（{dept}）", "自己評価": grades.get(item.item_id, "B"),
                                  "進捗": "予定どおり"} for item in plan.items_for(dept)}
        fill(wb, entries=entries, kpis={k.key: {"実績値": k.baseline} for k in plan.kpis_led_by(dept)})
        wb.save(folder / f"R{year - 2018}_{dept}.xlsx")


def _rows(path, sheet="取組状況一覧", key="項目ID"):
    """{key value: {header: value, "_row": sheet row}} of the table whose first header is ``key``."""
    ws = openpyxl.load_workbook(path)[sheet]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    top = next(i for i, r in enumerate(rows) if r and r[0] == key)
    headers = rows[top]
    return {str(r[0]): {h: v for h, v in zip(headers, r) if h} | {"_row": top + 2 + n}
            for n, r in enumerate(rows[top + 1:]) if r and r[0] is not None}, headers, ws


def _type(path, values: dict[tuple[str, str], str]) -> None:
    """Type into the report as the secretariat does: by item and column, then save."""
    rows, headers, ws = _rows(path)
    for (item_id, column), value in values.items():
        ws.cell(rows[item_id]["_row"], headers.index(column) + 1, value)
    ws.parent.save(path)


def test_committee_grade_survives_reruns_becomes_final_and_is_seen_next_year(tmp_path):
    plan = small_plan()
    db = tmp_path / "reform.db"
    _submit(plan, R8, tmp_path / "R8", {"1-(1)-1": "A"})
    report8 = tmp_path / "集約_R8.xlsx"
    consolidate(plan, [tmp_path / "R8"], R8, report8, db_path=db)
    _type(report8, {("1-(1)-1", "事務局評価"): "B", ("1-(1)-1", "事務局コメント"): "効果の根拠が弱い",
                    ("1-(1)-1", "委員会評価"): "Ｃ", ("1-(1)-1", "委員会意見"): "取組内容の見直しを",
                    ("1-(1)-2", "事務局評価"): "A"})
    for _run in range(2):  # survives two re-runs
        result = consolidate(plan, [tmp_path / "R8"], R8, report8, db_path=db)
    item = {i["item_id"]: i for i in result.to_json()["items"]}
    assert (item["1-(1)-1"]["grade_self"], item["1-(1)-1"]["grade_secretariat"],
            item["1-(1)-1"]["grade_committee"], item["1-(1)-1"]["grade"]) == ("A", "B", "C", "C")
    assert item["1-(1)-2"]["grade"] == "A" and item["1-(1)-2"]["grade_committee"] is None
    assert item["1-(1)-1"]["grade_history"] == {"R8": "C"}
    rows, _table, _ws = _rows(report8)
    assert (rows["1-(1)-1"]["委員会評価"], rows["1-(1)-1"]["委員会意見"]) == ("C", "取組内容の見直しを")
    assert rows["1-(1)-1"]["確定評価"] == "C"
    assert rows["1-(1)-1"]["評価の相違"] == "自己A→事務局B→委員会C"
    assert rows["1-(1)-2"]["評価の相違"] == "自己B→事務局A"
    totals = result.to_json()["totals"]["grades"]
    assert totals["C"] == 1 and totals["A"] == 1  # the final grade drives every summary
    with History(db) as h:
        stored = h.stage_grades(plan.settings.plan_name, R8)
    assert stored["1-(1)-1"] == {"self": "A", "secretariat": "B", "committee": "C", "final": "C",
                                 "secretariat_comment": "効果の根拠が弱い", "committee_comment": "取組内容の見直しを"}

    _submit(plan, R9, tmp_path / "R9", {})
    report9 = tmp_path / "集約_R9.xlsx"
    result9 = consolidate(plan, [tmp_path / "R9"], R9, report9, db_path=db)
    item9 = {i["item_id"]: i for i in result9.to_json()["items"]}
    assert item9["1-(1)-1"]["grade_history"] == {"R8": "C", "R9": "B"}
    assert item9["1-(1)-1"]["grade_committee"] is None  # R8's committee grade is not R9's
    stages = openpyxl.load_workbook(report9)["評価集計"]
    texts = {row[1].value: [c.value for c in row] for row in stages.iter_rows() if row[1].value}
    previous = texts["前年度（R8）の確定評価"]
    expected = {g: sum(1 for i in result.summary.items if i.grade == g) for g in "ABC-"}
    assert previous[4:8] == [expected["A"], expected["B"], expected["C"], expected["-"]]
    final9 = texts["確定評価"]
    assert final9[4:8] == [sum(1 for i in result9.summary.items if i.grade == g) for g in "ABC-"]
    assert len(stages._charts) == 1


def test_a_typed_grade_that_is_not_a_grade_stays_and_is_an_issue(tmp_path):
    plan = small_plan()
    _submit(plan, R8, tmp_path / "in", {"1-(1)-1": "A"})
    report = tmp_path / "集約.xlsx"
    consolidate(plan, [tmp_path / "in"], R8, report)
    _type(report, {("1-(1)-1", "事務局評価"): "A+", ("1-(1)-1", "委員会評価"): "B"})
    result = consolidate(plan, [tmp_path / "in"], R8, report)
    rows, _table, _ws = _rows(report)
    assert rows["1-(1)-1"]["事務局評価"] == "A+"  # kept as typed
    item = {i.item.item_id: i for i in result.summary.items}["1-(1)-1"]
    assert (item.override.grade, item.grade) == (None, "B")
    issues = [i for i in result.summary.report_issues if i.code == "invalid_choice"]
    assert [(i.sheet, i.cell, i.column, i.value) for i in issues] == [
        ("取組状況一覧", f"{get_column_letter(STATUS_HEADERS.index('事務局評価') + 1)}{rows['1-(1)-1']['_row']}", "事務局評価", "A+")]
    listed = [[c.value for c in row] for row in openpyxl.load_workbook(report)["検証結果"].iter_rows()]
    assert any("「A+」" in str(v) for row in listed for v in row)
    # Fixed on the next run: the issue goes away and the grade counts.
    _type(report, {("1-(1)-1", "事務局評価"): "C"})
    again = consolidate(plan, [tmp_path / "in"], R8, report)
    assert not [i for i in again.summary.report_issues if i.code == "invalid_choice"]
    assert {i.item.item_id: i for i in again.summary.items}["1-(1)-1"].grade == "B"  # committee B over C


def test_a_cell_polished_by_hand_is_listed_before_it_is_replaced(tmp_path):
    plan = small_plan()
    _submit(plan, R8, tmp_path / "in", {})
    report = tmp_path / "集約.xlsx"
    consolidate(plan, [tmp_path / "in"], R8, report)
    _type(report, {("1-(1)-2", "取組状況"): "事務局が手で整えた文章"})
    result = consolidate(plan, [tmp_path / "in"], R8, report)
    edits = [i for i in result.summary.report_issues if i.code == "altered_cell"]
    assert [(i.item_id, i.column, i.value) for i in edits] == [("1-(1)-2", "取組状況", "事務局が手で整えた文章")]
    assert "バックアップ" in edits[0].message and "事務局が手で整えた文章" in edits[0].message
    assert result.backup_path is not None
    rows, _t, _w = _rows(result.backup_path)
    assert rows["1-(1)-2"]["取組状況"] == "事務局が手で整えた文章"  # the backup keeps the edit
    rerun = consolidate(plan, [tmp_path / "in"], R8, report)
    assert not [i for i in rerun.summary.report_issues if i.code == "altered_cell"]  # listed once, then gone


def test_a_rejected_department_is_sent_back_not_missing(tmp_path):
    plan = small_plan()
    _submit(plan, R8, tmp_path / "in", {})
    wb = build_department_workbook(plan, "税務課", R8)
    fill(wb, entries={"1-(1)-2": {"自己評価": "S"}})
    wb.save(tmp_path / "in" / "R8_税務課.xlsx")
    result = consolidate(plan, [tmp_path / "in"], R8, tmp_path / "集約.xlsx")
    assert result.summary.rejected_departments == ["税務課"]
    rows, _t, _w = _rows(tmp_path / "集約.xlsx")
    assert rows["1-(1)-2"]["取組状況"] == "要修正（差戻し中）"
    assert "未提出" not in str(rows["2-(1)-1"]["取組状況"])


def test_a_database_of_schema_1_is_migrated_and_keeps_its_rows(tmp_path):
    from addin.consolidation.history import MIGRATIONS

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
        conn.execute("INSERT INTO submissions (plan, year, department, consolidated_at) VALUES ('p', 2026, '課', 'x')")
    with History(path) as h:
        assert h.version == SCHEMA_VERSION >= 2
        assert h.years("p") == [2026]
        assert h.final_grades("p") == {}
        h.store_grades("p", 2026, [("1-(1)-1", "A", None, "B", "B", None, "意見")])
        assert h.final_grades("p") == {"1-(1)-1": {2026: "B"}}
