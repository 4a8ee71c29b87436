"""The demo's sample answers and the fill-by-header helper, through validation and consolidation."""

from __future__ import annotations

import csv
import json
from collections import Counter

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from standin import build_department_workbook

from addin.cli import cli
from addin.forms import layout as T
from addin.forms.fill import MissingColumn, fill_department_workbook, fill_sheet
from addin.jobs.consolidate import consolidate
from addin.jobs.demo import demo_answers, load_demo_data
from addin.normalize import parse_grade
from addin.plan.reader import read_plan


def test_sample_answers_are_deterministic_and_realistic(plan):
    data = load_demo_data()
    answers = demo_answers(plan, data)
    assert answers == demo_answers(plan, data)
    assert set(answers) == set(plan.departments)
    assert data.missing_department in plan.departments and data.error_department in plan.departments
    for dept in plan.departments:
        entries, kpis = answers[dept]
        assert set(entries) == {i.item_id for i in plan.items_for(dept)}
        assert set(kpis) == {k.key for k in plan.kpis_led_by(dept)}
        assert all(e["取組状況"] and e["今後の課題・方向性"] for e in entries.values())
    grades = Counter(parse_grade(e["自己評価"]) for d, (entries, _k) in answers.items() if d != data.error_department
                     for e in entries.values())
    assert set(grades) <= {"A", "B", "C"} and grades["C"] >= 1 and grades["A"] + grades["B"] > 4 * grades["C"]
    progress = Counter(e["進捗"] for entries, _k in answers.values() for e in entries.values())
    assert progress["予定どおり"] > len(plan.items) / 2 and progress["遅れ"] >= 1 and progress["完了"] >= 1


def test_the_demo_cycle_on_stand_in_workbooks(plan, tmp_path):
    data = load_demo_data()
    answers = demo_answers(plan, data)
    folder = tmp_path / "提出"
    folder.mkdir()
    for dept in plan.departments:
        if dept == data.missing_department:
            continue
        wb = build_department_workbook(plan, dept, data.year)
        entries, kpis = answers[dept]
        first_version = {i: {h: v for h, v in row.items() if h not in T.EFFECT_HEADERS} for i, row in entries.items()}
        fill_department_workbook(wb, first_version, kpis)  # the stand-in is a form of the first version
        wb.save(folder / f"R8_{dept}.xlsx")
    result = consolidate(plan, [folder], data.year, tmp_path / "集約.xlsx")
    bad = [f for f in result.run.files if f.status != "ok"]
    assert [(f.department, [i.code for i in f.issues]) for f in bad] == [(data.error_department, ["invalid_choice"])]
    # The valid files carry only the warnings the drawn answers earn: a 遅れ item graded A.
    warnings = sorted((f.department, i.item_id, i.code, i.variant) for f in result.run.files if f.status == "ok"
                      for i in f.issues)
    late_a = sorted((dept, item_id, "inconsistent", "late_graded_a") for dept, (entries, _k) in answers.items()
                    if dept not in (data.missing_department, data.error_department)
                    for item_id, row in entries.items() if row["進捗"] == "遅れ" and row["自己評価"] in ("A", "Ａ"))
    assert warnings == late_a and len(late_a) == 2
    summary = result.to_json()
    assert summary["missing"] == [data.missing_department, data.error_department]
    kpis = {k["name"]: k for item in summary["items"] for k in item["kpis"]}
    assert kpis["証明書等のコンビニ交付による交付率"]["actual"] == 27.5
    assert kpis["PPC用紙(A4)年間使用枚数"]["actual"] == 6_120_000
    assert kpis["ふるさと納税による寄附額"]["actual"] == 182_000
    assert kpis["年間超過勤務時間が150時間超の職員数"]["achievement"] == pytest.approx(13 / 45, abs=1e-6)
    effects = {i["item_id"]: i["effect_thousand_yen"] for i in summary["items"]}
    assert effects["1-(1)-1"] == 1234 and effects["2-(2)-2"] == 180_000 and effects["1-(1)-3"] == 450
    assert summary["totals"]["effect_thousand_yen"] == sum(v for v in effects.values() if v is not None)


def test_fill_sheet_finds_columns_by_name_wherever_they_are():
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "タイトル"
    for col, name in enumerate(["備考", "指標名", "実績値", "項目ID"], start=1):
        ws.cell(3, col, name)
    ws.append([None, "交付率", None, "1-(1)-1"])
    ws.append([None, "納付率", None, "1-(1)-3"])
    assert fill_sheet(ws, ("項目ID", "指標名"), {("1-(1)-3", "納付率"): {"実績値": "53%"}, ("9", "x"): {"実績値": 1}}) == 1
    assert ws["C5"].value == "53%" and ws["C4"].value is None
    with pytest.raises(MissingColumn):
        fill_sheet(ws, ("項目ID",), {"1-(1)-1": {"取組状況": "x"}})


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """One ``reform demo`` for the tests below (it runs two years)."""
    out = tmp_path_factory.mktemp("demo") / "demo-out"
    result = CliRunner().invoke(cli, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result


def test_demo_writes_the_whole_cycle(demo_run):
    out, result = demo_run
    printed = result.output.split()
    assert str(out / "集約_R8.xlsx") in printed and str(out / "reform.db") in printed
    assert len(list((out / "様式_R8").glob("R8_*.xlsx"))) == 11
    report = openpyxl.load_workbook(out / "集約_R8.xlsx")
    visible = [ws.title for ws in report.worksheets if ws.sheet_state == "visible"]
    assert visible == ["取組状況一覧", "KPI一覧", "評価集計", "効果額集計", "効果額推移", "工程表", "計画変更一覧", "提出状況",
                       "検証結果"]
    data = json.loads((out / "集約_R8.json").read_text(encoding="utf-8"))
    assert len(data["items"]) == 36
    assert data["missing"]  # one department never answers, one answers with an error
    assert any(p.endswith("R8_都市計画課.xlsx") for p in data["rejected"])
    assert sum(data["totals"]["grades"].values()) > 0
    assert list((out / "差戻し_R8").glob("差戻し_R8_*.xlsx"))
    assert (out / "財政課CSV_R8" / "効果額集計_R8.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    for name in ("公表_取組状況_R8.xlsx", "個票_R8.xlsx", "評価シート_R8.xlsx", "取組状況_R8.csv", "評価_R8.csv", "KPI_R8.csv",
                 "効果額_R8.csv"):
        assert str(out / "公表_R8" / name) in printed, name  # the publication set is part of the cycle


def test_demo_runs_a_second_year_on_the_revised_plan(demo_run):
    """R8 on the printed plan, a committee grade on the R8 report, the plan revised, R9 over the same history."""
    out, result = demo_run
    second = load_demo_data().second_year
    revised = read_plan(out / "計画_R9.xlsx")
    assert [r.kind for r in revised.revisions] == ["完了", "追加", "目標値変更"]
    assert revised.fingerprint != read_plan(out / "計画.xlsx").fingerprint
    done, new = second["completed"]["item"], second["new_item"]["item_id"]

    def form_ids(name):
        ws = openpyxl.load_workbook(out / "様式_R9" / name)["入力"]
        return {c.value for c in ws["A"]}

    assert done not in form_ids("R9_人事行政課.xlsx") and new in form_ids("R9_DX推進課.xlsx")
    r8 = json.loads((out / "集約_R8.json").read_text(encoding="utf-8"))
    r9 = json.loads((out / "集約_R9.json").read_text(encoding="utf-8"))
    r8_items, r9_items = ({i["item_id"]: i for i in r["items"]} for r in (r8, r9))
    assert done in r8_items and done not in r9_items and new not in r8_items
    assert r9_items[new]["state"] == "新規" and r9["plan_changes"][1]["item_id"] == new
    assert not r9["missing"] and not r9["rejected"]
    raised = second["raised_target"]
    [kpi] = [k for k in r9_items[raised["item"]]["kpis"] if k["name"] == raised["kpi"]]
    assert (kpi["target"], kpi["target_this_year"]) == (raised["target"], raised["year_target"])
    assert set(kpi["history"]) == {"R8", "R9"} and kpi["history"]["R8"] == 82.4
    committee = second["committee"]
    reviewed = r8_items[committee["item"]]
    assert reviewed["grade_committee"] == reviewed["grade"] == committee["grade"]
    assert r9_items[committee["item"]]["grade_history"]["R8"] == committee["grade"]  # stored, then seen a year later
    printed = result.output.split()
    for name in ("集約_R9.xlsx", "財政課_R9.xlsx", "公表_R9/公表_取組状況_R9.xlsx", "公表_R9/個票_R9.xlsx",
                 "公表_R9/評価シート_R9.xlsx"):
        assert str(out / name) in printed, name
    with open(out / "公表_R8" / "評価_R8.csv", encoding="utf-8-sig", newline="") as handle:
        published = {r[0]: r for r in csv.reader(handle)}
    assert published[committee["item"]][-2:] == [committee["grade"]] * 2  # R8 published again with the committee's grade
