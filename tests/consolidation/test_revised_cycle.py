"""R8 consolidated, the plan revised for R9, R9 consolidated over the same history; then R8 rebuilt from its snapshot.

Numbers are checked against sums of what the test itself typed into the forms, never against the report.
"""

from __future__ import annotations

import json
from dataclasses import replace

import openpyxl
import pytest
from click.testing import CliRunner
from records import small_plan

from addin.cli import cli
from addin.forms.fill import fill_department_workbook
from addin.forms.generate import generate_workbooks
from addin.jobs.consolidate import consolidate
from addin.plan.model import Item
from addin.plan.reader import read_plan
from addin.plan.revisions import EffectTarget, Revision, YearTarget
from addin.plan.writer import write_plan

R8, R9, R10 = 2026, 2027, 2028
CONBINI = ("1-(1)-1", "コンビニ交付率")


def revise(plan):
    """1-(1)-2 完了 in R8, 1-(2)-2 新規 from R9, 2-(1)-2 repeats 1-(1)-1, コンビニ交付率 target 30 → 35 (R9: 28)."""
    items = [replace(i, state="完了", end_year=R8) if i.item_id == "1-(1)-2" else i for i in plan.items]
    items.insert(3, Item("1-(2)-2", "デジタル化の推進", "(2) 業務の効率化", "2", "文書管理の電子化",
                         in_charge=("総務課",), state="新規", start_year=R9))
    items.append(Item("2-(1)-2", "健全な財政運営", "(1) 収入の確保", "2", "行政手続のオンライン化",
                      in_charge=("DX推進課",), repeat_of="1-(1)-1"))
    kpis = [replace(k, target=35) if (k.item_id, k.name) == CONBINI else k for k in plan.kpis]
    return replace(plan, items=items, kpis=kpis, year_targets=[YearTarget(*CONBINI, R9, 28.0)],
                   effect_targets=[EffectTarget(i, y, t) for i, by_year in EFFECT_TARGETS.items() for y, t in by_year.items()],
                   revisions=[
        Revision("令和9年3月", R9, "1-(1)-2", "完了", "実施中", "完了", "キャッシュレス決済を全窓口に導入したため", "推進本部"),
        Revision("令和9年3月", R9, "1-(2)-2", "追加", None, "文書管理の電子化", "ペーパーレス化を進めるため", "推進本部"),
        Revision("令和9年3月", R9, "1-(1)-1", "目標値変更", "30%", "35%", "R8で目標に近づいたため", "推進本部"),
    ])


# 効果額目標 of the revised plan: R10 has a target and nobody reports R10 (a blank, never 0).
EFFECT_TARGETS = {"1-(1)-1": {R8: 500, R9: 600, R10: 700}, "2-(1)-1": {R8: 400, R9: 450}, "1-(2)-2": {R9: 100}}


def estimated(item_id: str, department: str, year: int) -> bool:
    """Which parts are typed as 見込み: 2-(1)-1 of 総務課 in R9 only."""
    return (item_id, department, year) == ("2-(1)-1", "総務課", R9)


def effect_of(item_id: str, department: str, year: int) -> int:
    """A distinct amount per item, department and year, so a sum that counts a row twice or misses one is wrong."""
    return 1000 * (year - R8 + 1) + 10 * sum(map(ord, item_id)) % 97 + len(department)


def submit(plan, year, forms, conbini):
    """Generate and fill every department's form; returns {(項目ID, department): 効果額} as typed."""
    typed = {}
    for path in generate_workbooks(plan, year, forms):
        department = path.stem.split("_", 1)[1]
        wb = openpyxl.load_workbook(path)
        items = plan.in_year(year).items_for(department)
        entries = {}
        for i in items:
            typed[(i.item_id, department)] = effect_of(i.item_id, department, year)
            entries[i.item_id] = {"取組状況": f"{i.name}を{year}年度に進めた（{department}）。", "自己評価": "B",
                                  "進捗": "予定どおり", "効果額（千円）": typed[(i.item_id, department)],
                                  "効果額の区分": "歳入確保" if i.item_id.startswith("2-") else "歳出削減",
                                  "算定根拠": "委託料の見直し",
                                  "確定・見込": "見込み" if estimated(i.item_id, department, year) else None,
                                  "今後の課題・方向性": "引き続き進める。"}
        kpis = {(k.item_id, k.name): {"実績値": conbini if (k.item_id, k.name) == CONBINI else k.baseline}
                for k in plan.in_year(year).kpis_led_by(department)}
        fill_department_workbook(wb, entries, kpis)
        wb.save(path)
    return typed


def report_json(tmp_path, plan, year, forms, out, db):
    result = consolidate(plan, [forms], year, out, db_path=db)
    assert result.run.exit_code == 0, [i.message for f in result.run.files for i in f.issues]
    return json.loads(json.dumps(result.to_json(), ensure_ascii=False))


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cycle")
    db = tmp / "出力" / "reform.db"
    r8_plan = read_plan(write_plan(small_plan(), tmp / "計画_R8.xlsx"))
    typed8 = submit(r8_plan, R8, tmp / "R8", conbini=26)
    r8 = report_json(tmp, r8_plan, R8, tmp / "R8", tmp / "出力" / "集約_R8.xlsx", db)
    r9_plan = read_plan(write_plan(revise(r8_plan), tmp / "計画_R9.xlsx"))
    typed9 = submit(r9_plan, R9, tmp / "R9", conbini=27)
    r9 = report_json(tmp, r9_plan, R9, tmp / "R9", tmp / "出力" / "集約_R9.xlsx", db)
    return dict(tmp=tmp, db=db, r8_plan=r8_plan, r9_plan=r9_plan, typed8=typed8, typed9=typed9, r8=r8, r9=r9)


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
