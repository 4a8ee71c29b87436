"""R8 consolidated, the plan revised for R9, R9 consolidated over the same history; then R8 rebuilt from its snapshot.

Numbers are checked against sums of what the test itself typed into the forms, never against the report.
"""

from __future__ import annotations

import csv

import openpyxl
import pytest
from click.testing import CliRunner
from cycle import CONBINI, EFFECT_TARGETS, R8, R9, R10, build_cycle, report_json
from records import small_plan, store_year, submission

from addin.cli import cli
from addin.consolidation.effects import YearEffect
from addin.consolidation.history import History
from addin.consolidation.summary import summarize
from addin.plan.reader import read_plan
from addin.reports.finance import export_finance


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    return build_cycle(tmp_path_factory.mktemp("cycle"))


def _items(report):
    return {i["item_id"]: i for i in report["items"]}


def test_r9_forms_hold_the_items_active_in_r9(cycle):
    names = {p.stem for p in (cycle["tmp"] / "R9").iterdir()}
    assert "R9_税務課" in names  # still has 2-(1)-1
    tax = openpyxl.load_workbook(cycle["tmp"] / "R9" / "R9_税務課.xlsx")["入力"]
    ids = {c.value for c in tax["A"] if isinstance(c.value, str) and c.value[:1].isdigit()}
    assert ids == {"2-(1)-1"}  # 1-(1)-2 was completed in R8
    assert {i for i, _d in cycle["typed9"]} == {"1-(1)-1", "1-(2)-1", "1-(2)-2", "2-(1)-1"}  # no row for the repeat


def test_r9_totals_are_the_sums_typed_with_the_repeat_counted_once(cycle):
    r9 = cycle["r9"]
    assert r9["totals"]["effect_thousand_yen"] == sum(cycle["typed9"].values())
    assert sum(r9["totals"]["grades"].values()) == 4  # four items reported; the 再掲 row is not counted
    items = _items(r9)
    assert "1-(1)-2" not in items and items["1-(2)-2"]["state"] == "新規"
    repeat = items["2-(1)-2"]
    assert repeat["repeat_of"] == "1-(1)-1" and repeat["effect_thousand_yen"] == items["1-(1)-1"]["effect_thousand_yen"]
    assert cycle["r8"]["totals"]["effect_thousand_yen"] == sum(cycle["typed8"].values())
    assert "1-(2)-2" not in _items(cycle["r8"]) and "2-(1)-2" not in _items(cycle["r8"])


def test_r9_kpi_has_its_revised_target_this_years_target_and_both_years(cycle):
    [kpi] = [k for k in _items(cycle["r9"])["1-(1)-1"]["kpis"] if k["name"] == CONBINI[1]]
    assert kpi["target"] == 35 and kpi["target_this_year"] == 28
    assert kpi["achievement"] == pytest.approx((27 - 24) / (35 - 24))
    assert kpi["achievement_this_year"] == pytest.approx((27 - 24) / (28 - 24))
    assert kpi["history"] == {"R8": 26, "R9": 27}
    assert [c["kind"] for c in cycle["r9"]["plan_changes"]] == ["完了", "追加", "目標値変更"]
    assert cycle["r8"]["plan_changes"] == []


def test_r9_report_sheets_show_state_repeat_and_changes(cycle):
    wb = openpyxl.load_workbook(cycle["tmp"] / "出力" / "集約_R9.xlsx")
    text = [[c.value for c in row] for row in wb["取組状況一覧"].iter_rows()]
    [repeat_row] = [r for r in text if r[0] == "2-(1)-2"]
    assert any(isinstance(v, str) and "（No.1再掲）" in v for v in repeat_row)
    [new_row] = [r for r in text if r[0] == "1-(2)-2"]
    assert "新規" in new_row
    changes = [[c.value for c in row] for row in wb["計画変更一覧"].iter_rows()]
    assert [r[4] for r in changes if r[2] in ("1-(1)-2", "1-(2)-2", "1-(1)-1")] == ["完了", "追加", "目標値変更"]


def test_the_plan_of_each_year_is_kept_and_rebuilds_r8(cycle):
    tmp, db = cycle["tmp"], cycle["db"]
    out = tmp / "計画_R8時点.xlsx"
    result = CliRunner().invoke(cli, ["plan-snapshot", "--db", str(db), "--year", "R8", "--out", str(out)])
    assert result.exit_code == 0, result.output
    snapshot = read_plan(out)
    assert snapshot.fingerprint == cycle["r8_plan"].fingerprint != cycle["r9_plan"].fingerprint
    rebuilt = report_json(tmp, snapshot, R8, tmp / "R8", tmp / "再作成" / "集約_R8.xlsx", tmp / "再作成" / "reform.db")
    [kpi] = [k for k in _items(rebuilt)["1-(1)-1"]["kpis"] if k["name"] == CONBINI[1]]
    assert kpi["target"] == 30  # the target R8 was run with, not the one revised for R9
    assert rebuilt["totals"] == cycle["r8"]["totals"]


def test_plan_snapshot_says_what_is_missing(cycle, tmp_path):
    result = CliRunner().invoke(cli, ["plan-snapshot", "--db", str(cycle["db"]), "--year", "R10",
                                      "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2 and "R10の集約時の計画は履歴" in result.output
    assert not (tmp_path / "x.xlsx").exists()


def _typed_sum(typed, item_id=None):
    return sum(v for (i, _d), v in typed.items() if item_id in (None, i))


def test_effects_over_the_years_are_the_sums_typed_against_the_targets(cycle):
    r9, typed8, typed9 = cycle["r9"], cycle["typed8"], cycle["typed9"]
    items = _items(r9)
    for item_id in ("1-(1)-1", "1-(2)-1", "1-(2)-2", "2-(1)-1"):
        effects = items[item_id]["effects"]
        r8_typed = _typed_sum(typed8, item_id) or None  # 1-(2)-2 is new in R9: nobody reported it in R8
        targets = EFFECT_TARGETS.get(item_id, {})
        assert effects["by_year"]["R8"] == {"target": targets.get(R8), "actual": r8_typed, "estimate": False}
        assert effects["by_year"]["R9"]["actual"] == _typed_sum(typed9, item_id)
        assert effects["by_year"]["R10"] == {"target": targets.get(R10), "actual": None, "estimate": False}
        assert effects["cumulative_actual"] == (r8_typed or 0) + _typed_sum(typed9, item_id)
        assert effects["cumulative_target"] == (sum(t for y, t in targets.items() if y <= R9) or None)
    assert items["2-(1)-1"]["effects"]["by_year"]["R9"]["estimate"] is True  # one department's part is 見込み
    assert items["1-(1)-1"]["effects"]["by_year"]["R9"]["estimate"] is False
    assert items["2-(1)-1"]["effects"]["revenue"] == _typed_sum(typed9, "2-(1)-1")
    assert items["1-(1)-1"]["effects"]["reduction"] == _typed_sum(typed9, "1-(1)-1")
    totals = r9["totals"]  # 1-(1)-2, completed in R8, is not on R9's forms: its R8 amount still counts
    assert totals["effect_cumulative_thousand_yen"] == _typed_sum(typed8) + _typed_sum(typed9)
    assert totals["effect_cumulative_target_thousand_yen"] == 500 + 600 + 400 + 450 + 100
    assert items["2-(1)-2"]["effects"] == items["1-(1)-1"]["effects"]  # the repeat shows its source, counted once


def test_effect_trend_sheet_marks_estimates_and_leaves_unreported_years_blank(cycle):
    ws = openpyxl.load_workbook(cycle["tmp"] / "出力" / "集約_R9.xlsx")["効果額推移"]
    rows = [[c for c in row] for row in ws.iter_rows()]
    header_row = next(r for r in rows if r[0].value == "区分")
    col = {c.value: n for n, c in enumerate(header_row)}
    by_id = {r[1].value: r for r in rows if r[0].value == "項目"}
    estimated_cell = by_id["2-(1)-1"][col["R9実績"]]
    assert estimated_cell.value == _typed_sum(cycle["typed9"], "2-(1)-1") and "＊" in estimated_cell.number_format
    assert "＊" not in by_id["1-(1)-1"][col["R9実績"]].number_format
    assert by_id["1-(1)-1"][col["R10実績"]].value is None and by_id["1-(1)-1"][col["R10目標"]].value == 700
    [total] = [r for r in rows if r[0].value == "総計"]
    assert total[col["累計実績"]].value == cycle["r9"]["totals"]["effect_cumulative_thousand_yen"]
    assert "2-(1)-2" not in by_id  # the repeat is not an item of the trend
    done = by_id["1-(1)-2"]  # completed in R8: listed with its R8 amount, marked
    assert "（完了）" in done[2].value and done[col["R8実績"]].value == _typed_sum(cycle["typed8"], "1-(1)-2")


def test_effects_sheet_has_every_breakdown_the_kinds_apart_and_a_table_by_department(cycle):
    typed9 = cycle["typed9"]
    ws = openpyxl.load_workbook(cycle["tmp"] / "出力" / "集約_R9.xlsx")["効果額集計"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(r for r in rows if r[0] == "区分")
    col = {name: n for n, name in enumerate(header) if name}
    items = {r[1]: r for r in rows if r[0] == "項目"}
    new = items["1-(2)-2"]  # one department: its 内訳 is still given
    assert new[col["内訳（千円）"]] == f"【総務課】{typed9[('1-(2)-2', '総務課')]:,}"
    assert items["2-(1)-1"][col["歳入確保（千円）"]] == _typed_sum(typed9, "2-(1)-1")
    assert items["2-(1)-1"][col["歳出削減（千円）"]] is None
    start = next(n for n, r in enumerate(rows) if r[0] == "課別の効果額")
    by_department = {r[0]: r for r in rows[start + 2:] if r[0]}
    for department in {d for _i, d in typed9}:
        assert by_department[department][4] == sum(v for (_i, d), v in typed9.items() if d == department)
    assert by_department["総計"][4] == _typed_sum(typed9)


def test_finance_csv_keeps_the_estimate_the_workbook_shows_with_a_mark(cycle, tmp_path):
    export_finance(cycle["tmp"] / "出力" / "集約_R9.xlsx", tmp_path / "財政課_R9.xlsx", tmp_path / "csv")
    with open(tmp_path / "csv" / "効果額推移_R9.csv", encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))
    col = records[0].index("見込みを含む年度")
    by_id = {r[1]: r for r in records[1:]}
    assert by_id["2-(1)-1"][col] == "R9" and by_id["1-(1)-1"][col] == ""  # one department's R9 part is 見込み
    ws = openpyxl.load_workbook(tmp_path / "財政課_R9.xlsx")["効果額推移"]
    header_row = next(r for r in ws.iter_rows() if r[0].value == "区分")
    names = [c.value for c in header_row]
    assert "見込みを含む年度" not in names  # on paper the ＊ says it
    row = next(r for r in ws.iter_rows() if r[1].value == "2-(1)-1")
    assert "＊" in row[names.index("R9実績")].number_format


def test_a_later_consolidation_of_the_same_year_turns_an_estimate_into_confirmed(tmp_path):
    plan, db, item = small_plan(), tmp_path / "reform.db", "2-(1)-1"

    def r8(amount, certainty):
        store_year(db, plan, R8, [submission(plan, "税務課", R8, {item: {"effect": amount, "effect_kind": "歳入確保",
                                                                       "certainty": certainty, "basis": "寄附額"}})], [])
        with History(db) as history:
            parts = history.effect_parts(plan.settings.plan_name)
        [result] = [r for r in summarize(plan, R9, [], effect_history=parts).items if r.item.item_id == item]
        return result.trend.by_year[R8]

    assert r8(500, "見込み") == YearEffect(None, 500, True)
    assert r8(520, "確定") == YearEffect(None, 520, False)  # R8 consolidated again after the 決算: no longer ＊
