"""Nothing typed by the secretariat is dropped: items gone from the plan, a report of another year, a broken report."""

from __future__ import annotations

import dataclasses

import openpyxl
import pytest
from click.testing import CliRunner
from records import small_plan
from standin import build_department_workbook, fill

from addin.cli import cli
from addin.consolidation.history import History
from addin.errors import UnreadableWorkbook
from addin.jobs.consolidate import consolidate
from addin.plan.model import Plan
from addin.plan.writer import write_plan

R8, R9 = 2026, 2027
GONE = "1-(1)-2"  # キャッシュレス決済の拡大, removed in the revision below


def _submit(plan, year, folder):
    folder.mkdir(parents=True, exist_ok=True)
    for dept in plan.departments:
        wb = build_department_workbook(plan, dept, year)
        fill(wb)
        wb.save(folder / f"R{year - 2018}_{dept}.xlsx")


def _type(path, values: dict[tuple[str, str], str], sheet="取組状況一覧") -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "項目ID")
    cols = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    rows = {ws.cell(r, 1).value: r for r in range(header + 1, ws.max_row + 1)}
    for (item_id, column), value in values.items():
        ws.cell(rows[item_id], cols[column], value)
    wb.save(path)


def _revised(plan: Plan) -> Plan:
    """The plan after a revision (見直し) that removed one item."""
    return dataclasses.replace(plan, items=[i for i in plan.items if i.item_id != GONE],
                               bars=[b for b in plan.bars if b.item_id != GONE])


def _issue_rows(path) -> list[list]:
    return [[c.value for c in row] for row in openpyxl.load_workbook(path)["検証結果"].iter_rows()]


TYPED = {(GONE, "事務局評価"): "C", (GONE, "事務局コメント"): "決済手段の拡大が遅れている",
         (GONE, "委員会意見"): "次年度は重点的に確認する"}


def test_an_override_of_an_item_gone_from_the_plan_is_listed_and_kept(tmp_path):
    plan = small_plan()
    _submit(plan, R8, tmp_path / "in")
    out, db = tmp_path / "集約.xlsx", tmp_path / "reform.db"
    consolidate(plan, [tmp_path / "in"], R8, out)
    _type(out, TYPED)
    revised = _revised(plan)
    _submit(revised, R8, tmp_path / "in")
    for _run in range(2):  # still there on the run after: the report no longer has the row, the database has it
        result = consolidate(revised, [tmp_path / "in"], R8, out)
        assert list(result.orphans) == [GONE]
        issues = [i for i in result.summary.report_issues if i.code == "unknown_item"]
        assert sorted((i.item_id, i.column, i.value) for i in issues) == sorted(
            (item, column, text) for (item, column), text in TYPED.items())
        assert all("今の計画にありません" in i.message and "残しています" in i.message for i in issues)
        listed = _issue_rows(out)
        for text in TYPED.values():
            assert any(row[6] == GONE and row[8] == text and "今の計画にありません" in str(row[9]) for row in listed)
        with History(db) as h:
            kept = h.stage_grades(plan.settings.plan_name, R8)[GONE]
        assert (kept["secretariat"], kept["secretariat_comment"], kept["committee_comment"]) == (
            "C", "決済手段の拡大が遅れている", "次年度は重点的に確認する")


def test_an_item_gone_from_the_plan_is_reported_on_the_command_output(tmp_path):
    plan = small_plan()
    _submit(plan, R8, tmp_path / "in")
    out = tmp_path / "集約.xlsx"
    consolidate(plan, [tmp_path / "in"], R8, out)
    _type(out, TYPED)
    revised = _revised(plan)
    _submit(revised, R8, tmp_path / "in")
    plan_path = write_plan(revised, tmp_path / "plan.xlsx")
    result = CliRunner().invoke(cli, ["consolidate", str(plan_path), str(tmp_path / "in"), "--year", "R8",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"項目ID「{GONE}」は今の計画にありません" in result.output
    assert "「決済手段の拡大が遅れている」" in result.output


def test_a_report_of_another_year_is_not_carried_into_this_one(tmp_path):
    plan = small_plan()
    _submit(plan, R8, tmp_path / "R8")
    out, db = tmp_path / "集約.xlsx", tmp_path / "reform.db"
    consolidate(plan, [tmp_path / "R8"], R8, out)
    _type(out, {("1-(1)-1", "事務局評価"): "C", ("1-(1)-1", "委員会評価"): "C"})
    before = out.read_bytes()
    _submit(plan, R9, tmp_path / "R9")
    with pytest.raises(UnreadableWorkbook) as exc_info:
        consolidate(plan, [tmp_path / "R9"], R9, out)
    assert exc_info.value.code == "wrong_year"
    assert "R8のもの" in exc_info.value.reason and "集約_R9.xlsx" in exc_info.value.reason
    assert out.read_bytes() == before
    with History(db) as h:
        assert h.years(plan.settings.plan_name) == [R8]


def test_a_report_of_another_plan_is_not_carried(tmp_path):
    plan = small_plan()
    _submit(plan, R8, tmp_path / "in")
    out = tmp_path / "集約.xlsx"
    consolidate(plan, [tmp_path / "in"], R8, out)
    other = small_plan(name="別市行財政改革大綱")
    _submit(other, R8, tmp_path / "other")
    with pytest.raises(UnreadableWorkbook) as exc_info:
        consolidate(other, [tmp_path / "other"], R8, out)
    assert exc_info.value.code == "wrong_plan" and "テスト市行財政改革実施計画" in exc_info.value.reason


def _renamed_sheet(path):
    wb = openpyxl.load_workbook(path)
    wb["取組状況一覧"].title = "取組状況"
    wb.save(path)


def _renamed_header(path):
    wb = openpyxl.load_workbook(path)
    ws = wb["取組状況一覧"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "項目ID")
    cell = next(c for c in ws[header] if c.value == "委員会評価")
    cell.value = "委員会の評価"
    wb.save(path)


def _broken(path):
    path.write_bytes(path.read_bytes()[:2000])


@pytest.mark.parametrize("damage, words", [
    (_renamed_sheet, "シート「取組状況一覧」がありません"),
    (_renamed_header, "見出し（委員会評価）が見つかりません"),
    (_broken, "前回の集約結果を読めません"),
])
def test_a_previous_report_that_cannot_be_read_stops_the_run(tmp_path, damage, words):
    plan = small_plan()
    _submit(plan, R8, tmp_path / "in")
    out = tmp_path / "集約.xlsx"
    consolidate(plan, [tmp_path / "in"], R8, out)
    consolidate(plan, [tmp_path / "in"], R8, out)  # a backup exists
    _type(out, {("1-(1)-1", "委員会評価"): "C"})
    damage(out)
    before = out.read_bytes()
    plan_path = write_plan(plan, tmp_path / "plan.xlsx")
    result = CliRunner().invoke(cli, ["consolidate", str(plan_path), str(tmp_path / "in"), "--year", "R8",
                                      "--out", str(out)])
    assert result.exit_code == 2
    assert str(out) in result.output and words in result.output and "集約を中止しました" in result.output
    assert "Traceback" not in result.output
    assert out.read_bytes() == before
