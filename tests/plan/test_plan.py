"""The plan model and reader: the default plan, and broken plans with exact messages."""

from __future__ import annotations

import openpyxl
import pytest

from addin.errors import PlanError
from addin.plan.model import split_departments
from addin.plan.reader import read_plan


def test_default_plan_has_the_whole_seed(plan):
    assert len(plan.items) == 36
    assert len(plan.kpis) == 13
    assert plan.period_label == "R8～R12"
    assert [i.item_id for i in plan.items[:3]] == ["1-(1)-1", "1-(1)-2", "1-(1)-3"]
    assert len({i.item_id for i in plan.items}) == 36


def test_default_plan_numbers(plan):
    kpis = {k.name: k for k in plan.kpis}
    furusato = kpis["ふるさと納税による寄附額"]
    assert (furusato.unit, furusato.baseline, furusato.target) == ("千円", 150000, 250000)
    paper = kpis["PPC用紙(A4)年間使用枚数"]
    assert (paper.baseline, paper.target, paper.lower_is_better) == (6290000, 5600000, True)
    overtime = kpis["年間超過勤務時間が150時間超の職員数"]
    assert (overtime.unit, overtime.baseline, overtime.target) == ("人", 85, 40)
    assert all(k.baseline_year == 2024 and k.target_year == 2030 for k in plan.kpis)


def test_departments_exclude_kankeika(plan):
    item = plan.item("2-(2)-10")
    assert item.in_charge == ("財政課", "人事行政課", "土木課", "関係課")
    assert item.departments == ("財政課", "人事行政課", "土木課")
    assert item.lead == "財政課"
    assert "関係課" not in plan.departments


@pytest.mark.parametrize("text", ["財政課 人事行政課", "財政課\n人事行政課", "財政課　人事行政課", "財政課、人事行政課",
                                  "財政課・人事行政課", "財政課,人事行政課", "財政課，人事行政課"])
def test_split_departments(text):
    assert split_departments(text) == ("財政課", "人事行政課")


def test_round_trip_through_a_workbook(plan, plan_path):
    again = read_plan(plan_path)
    assert again.fingerprint == plan.fingerprint
    assert [b.label for b in again.bars] == [b.label for b in plan.bars]
    assert again.settings == plan.settings


def test_item_without_bars_spans_the_period(plan):
    bars = plan.bars_for(plan.item("1-(1)-4"))
    assert [(b.start, b.end) for b in bars] == [(2026, 2030)]


def _broken(plan_path, tmp_path, edit):
    wb = openpyxl.load_workbook(plan_path)
    edit(wb)
    path = tmp_path / "broken.xlsx"
    wb.save(path)
    with pytest.raises(PlanError) as exc_info:
        read_plan(path)
    return exc_info.value


def test_duplicate_item_id(plan_path, tmp_path):
    error = _broken(plan_path, tmp_path, lambda wb: wb["計画"].__setitem__("A3", "1-(1)-1"))
    assert any(p.sheet == "計画" and p.cell == "A3" and "重複" in p.message for p in error.problems)


def test_kpi_and_schedule_for_unknown_items(plan_path, tmp_path):
    def edit(wb):
        wb["KPI"]["A2"] = "9-(9)-9"
        wb["工程"]["A2"] = "9-(9)-9"
    error = _broken(plan_path, tmp_path, edit)
    places = {(p.sheet, p.cell) for p in error.problems}
    assert ("KPI", "A2") in places and ("工程", "A2") in places


def test_bad_years_and_bars(plan_path, tmp_path):
    def edit(wb):
        wb["工程"]["C2"] = "R10"  # starts after it ends (R9)
        wb["工程"]["D3"] = "R15"  # beyond the plan
        wb["KPI"]["D2"] = "来年"
    error = _broken(plan_path, tmp_path, edit)
    messages = {(p.sheet, p.cell): p.message for p in error.problems}
    assert "より前" in messages[("工程", "D2")]
    assert "はみ出して" in messages[("工程", "D3")]
    assert "年度として読めません" in messages[("KPI", "D2")]
    assert "計画ワークブック" in str(error)


def test_missing_sheet_and_header(plan_path, tmp_path):
    def edit(wb):
        del wb["工程"]
        wb["計画"]["I1"] = "担当"
    error = _broken(plan_path, tmp_path, edit)
    assert any(p.sheet == "工程" and "シート「工程」がありません" in p.message for p in error.problems)
    assert any(p.sheet == "計画" and "実施担当" in p.message for p in error.problems)


def test_other_city_six_years(tmp_path):
    """A plan of another city and period (R3–R8) reads the same way."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "設定"
    for row in [["項目", "値"], ["計画名", "湯沢市経営戦略"], ["団体名", "湯沢市"], ["開始年度", "令和3年度"], ["終了年度", 2026]]:
        ws.append(row)
    items = wb.create_sheet("計画")
    items.append(["No.", "項目ID", "重点項目", "取組", "改革項目", "継続項目", "推進内容", "主な取組", "実施担当", "備考"])
    items.append(["1", "I-1-1", "地域経営マネジメント", "1. 地域経営の仕組みづくり", "地域活動の促進", None, "…", "…", "協働事業推進課、企画課", "x"])
    kpi = wb.create_sheet("KPI")
    kpi.append(["項目ID", "指標名", "単位", "基準年度", "基準値", "目標年度", "目標値"])
    kpi.append(["I-1-1", "地域課題の解決に向けた講座の参加者数", "人", "R2", "78 人", "R8", "２００"])
    sched = wb.create_sheet("工程")
    sched.append(["項目ID", "工程", "開始年度", "終了年度"])
    sched.append(["I-1-1", "取組の検証", "2021年度", "R4"])
    path = tmp_path / "yuzawa.xlsx"
    wb.save(path)
    plan = read_plan(path)
    assert plan.years == [2021, 2022, 2023, 2024, 2025, 2026]
    assert plan.departments == ["協働事業推進課", "企画課"]
    assert (plan.kpis[0].baseline, plan.kpis[0].target) == (78, 200)
    assert (plan.bars[0].start, plan.bars[0].end) == (2021, 2022)


def test_fingerprint_ignores_int_versus_float(plan):
    import dataclasses

    floats = [dataclasses.replace(k, baseline=float(k.baseline), target=float(k.target)) for k in plan.kpis]
    again = dataclasses.replace(plan, kpis=floats)
    assert again.fingerprint == plan.fingerprint


def _setting_row(wb, label: str) -> int:
    return next(c.row for c in wb["設定"]["A"] if c.value == label)


def test_publication_and_backup_settings_are_read_and_checked(plan_path, tmp_path):
    settings = read_plan(plan_path).settings
    assert settings.publish_comments is False and settings.backup_keep == 10  # written by sample-plan as しない, 10

    def edit(wb):
        wb["設定"][f"B{_setting_row(wb, 'コメントの公表')}"] = "公開"
        wb["設定"][f"B{_setting_row(wb, 'バックアップの保存数')}"] = "0"
    error = _broken(plan_path, tmp_path, edit)
    messages = {p.message for p in error.problems if p.sheet == "設定"}
    assert any("「コメントの公表」は「する」か「しない」" in m and "公開" in m for m in messages)
    assert any("「バックアップの保存数」は1以上の整数" in m for m in messages)
    wb = openpyxl.load_workbook(plan_path)
    wb["設定"][f"B{_setting_row(wb, 'コメントの公表')}"] = "する"
    wb["設定"][f"B{_setting_row(wb, 'バックアップの保存数')}"] = "３"  # typed full-width
    wb.save(tmp_path / "ok.xlsx")
    changed = read_plan(tmp_path / "ok.xlsx").settings
    assert changed.publish_comments is True and changed.backup_keep == 3
