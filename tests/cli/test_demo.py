"""The demo's sample answers and the fill-by-header helper, through validation and consolidation."""

from __future__ import annotations

import json
from collections import Counter

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from standin import build_department_workbook

from addin.cli import cli
from addin.forms.fill import MissingColumn, fill_department_workbook, fill_sheet
from addin.jobs.consolidate import consolidate
from addin.jobs.demo import demo_answers, load_demo_data
from addin.normalize import parse_grade


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
        fill_department_workbook(wb, *answers[dept])
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


def test_demo_writes_the_whole_cycle(tmp_path):
    out = tmp_path / "demo-out"
    result = CliRunner().invoke(cli, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    printed = result.output.split()
    assert str(out / "集約_R8.xlsx") in printed and str(out / "reform.db") in printed
    assert len(list((out / "様式_R8").glob("R8_*.xlsx"))) == 11
    report = openpyxl.load_workbook(out / "集約_R8.xlsx")
    visible = [ws.title for ws in report.worksheets if ws.sheet_state == "visible"]
    assert visible == ["取組状況一覧", "KPI一覧", "評価集計", "効果額集計", "工程表", "計画変更一覧", "提出状況", "検証結果"]
    data = json.loads((out / "集約_R8.json").read_text(encoding="utf-8"))
    assert len(data["items"]) == 36
    assert data["missing"]  # one department never answers, one answers with an error
    assert any(p.endswith("R8_都市計画課.xlsx") for p in data["rejected"])
    assert sum(data["totals"]["grades"].values()) > 0
    assert list((out / "差戻し_R8").glob("差戻し_R8_*.xlsx"))
    assert (out / "財政課CSV_R8" / "効果額集計_R8.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    for name in ("公表_取組状況_R8.xlsx", "評価シート_R8.xlsx", "取組状況_R8.csv", "評価_R8.csv", "KPI_R8.csv", "効果額_R8.csv"):
        assert str(out / "公表_R8" / name) in printed, name  # the publication set is part of the cycle
