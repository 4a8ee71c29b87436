"""A plan revised during the period: read, checked (every problem at once), written back, seen per year."""

from __future__ import annotations

from dataclasses import replace

import openpyxl
import pytest

from addin.errors import PlanError
from addin.plan.model import Plan
from addin.plan.reader import read_plan
from addin.plan.revisions import EffectTarget, Revision, YearTarget
from addin.plan.writer import write_plan

R8, R9, R10, R12 = 2026, 2027, 2028, 2030


def revised(plan: Plan) -> Plan:
    """1-(1)-2 done in R9, 1-(1)-3 merged into 1-(1)-1 after R9, 1-(2)-1 new from R10, 1-(2)-2 repeated by 2-(1)-1."""
    ids = [i.item_id for i in plan.items]
    changes = {
        "1-(1)-2": dict(state="完了", end_year=R9),
        "1-(1)-3": dict(state="統合", end_year=R9, merged_into="1-(1)-1"),
        "1-(2)-1": dict(state="新規", start_year=R10),
        ids[10]: dict(repeat_of="1-(2)-2"),
    }
    items = [replace(i, **changes.get(i.item_id, {})) for i in plan.items]
    kpi = plan.kpis[0]
    kpis = [replace(plan.kpis[0], old_name="旧・コンビニ交付率"), *plan.kpis[1:]]
    return replace(plan, items=items, kpis=kpis,
                   year_targets=[YearTarget(kpi.item_id, kpi.name, R8, 25.0), YearTarget(kpi.item_id, kpi.name, R9, 26.5)],
                   effect_targets=[EffectTarget("1-(1)-1", R8, 1200.0), EffectTarget("1-(1)-1", R9, 1500.0)],
                   revisions=[Revision("令和9年3月", R9, "1-(1)-2", "完了", "実施中", "完了", "押印見直しが完了したため", "推進本部")])


def test_a_revised_plan_round_trips_through_its_workbook(plan, tmp_path):
    original = revised(plan)
    back = read_plan(write_plan(original, tmp_path / "plan.xlsx"))
    fields = ("item_id", "state", "start_year", "end_year", "merged_into", "repeat_of", "in_charge")
    assert [[getattr(i, f) for f in fields] for i in back.items] == [[getattr(i, f) for f in fields] for i in original.items]
    assert back.kpis[0].old_name == "旧・コンビニ交付率"
    assert [(t.item_id, t.kpi_name, t.year, t.target) for t in back.year_targets] == \
        [(t.item_id, t.kpi_name, t.year, t.target) for t in original.year_targets]
    assert back.effect_target("1-(1)-1", R9) == 1500 and back.effect_target("1-(1)-1", R10) is None
    [revision] = back.revisions
    assert (revision.year, revision.item_id, revision.kind, revision.decided_by) == (R9, "1-(1)-2", "完了", "推進本部")


def test_an_unrevised_plan_reads_as_before(plan, tmp_path):
    """sample-plan writes the revision columns and sheets empty; reading gives the same plan and fingerprint."""
    back = read_plan(write_plan(plan, tmp_path / "plan.xlsx"))
    assert back.fingerprint == plan.fingerprint
    assert all(i.state == "継続" and i.start_year is None for i in back.items)
    assert not back.year_targets and not back.effect_targets and not back.revisions
    assert [i.item_id for i in back.in_year(R12).items] == [i.item_id for i in plan.items]


def test_each_year_sees_its_active_items_and_merged_departments(plan):
    p = revised(plan)
    repeat = p.items[10]
    r9, r10 = p.in_year(R9), p.in_year(R10)
    assert "1-(1)-2" in r9.items_by_id and "1-(1)-2" not in r10.items_by_id  # 完了 in R9: reported in R9 only
    assert "1-(2)-1" not in r9.items_by_id and "1-(2)-1" in r10.items_by_id  # 新規 from R10
    assert repeat.item_id not in r9.items_by_id  # a repeat never gets form rows
    merged = plan.item("1-(1)-3")
    assert set(merged.departments) - set(plan.item("1-(1)-1").departments)  # the test means something
    assert set(merged.departments) <= set(r10.item("1-(1)-1").departments)  # reports under 統合先 from R10
    assert set(r9.item("1-(1)-1").departments) == set(plan.item("1-(1)-1").departments)
    assert r10.in_year(R10) is r10 and r10.whole is p and r10.in_year(R9).whole is p
    assert r9.year_target(p.kpis[0], R9) == 26.5 and r9.year_target(p.kpis[0], R10) is None
    assert not {k.item_id for k in r10.kpis} - set(r10.items_by_id)


def _edit(plan_path, tmp_path, edit) -> str:
    wb = openpyxl.load_workbook(plan_path)
    edit(wb)
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    return str(path)


def test_every_revision_problem_is_reported_at_once_with_its_cell(plan, tmp_path):
    base = write_plan(revised(plan), tmp_path / "plan.xlsx")

    def spoil(wb):
        ws = wb["計画"]
        ws["J3"] = "終了"            # 1-(1)-2: not a 状態
        ws["J4"], ws["L4"] = "統合", None  # 1-(1)-3: 統合 without 終了年度
        ws["M4"] = "9-(9)-9"         # ... and a 統合先 that does not exist
        ws["K5"], ws["L5"] = "R11", "R10"  # 1-(2)-1: ends before it starts
        ws["L6"] = "R15"             # outside the period
        ws["N12"] = ws["A12"].value  # a repeat of itself
        wb["KPI年度目標"].append(["1-(1)-1", "存在しない指標", "R9", 10])
        wb["効果額目標"].append(["1-(1)-1", "R20", 100])
        wb["効果額目標"].append(["1-(1)-1", "R10", "たくさん"])
        wb["改定履歴"].append(["令和9年4月", "R9", "8-(8)-8", "改名", None, None, None, None])
    with pytest.raises(PlanError) as info:
        read_plan(_edit(base, tmp_path, spoil))
    found = {(p.sheet, p.cell) for p in info.value.problems}
    assert {("計画", "J3"), ("計画", "L4"), ("計画", "M4"), ("計画", "L5"), ("計画", "L6"), ("計画", "N12"),
            ("KPI年度目標", "B4"), ("効果額目標", "B4"), ("効果額目標", "C5"), ("改定履歴", "C3"), ("改定履歴", "D3")} <= found
    messages = " ".join(p.message for p in info.value.problems)
    assert "終了年度" in messages and "9-(9)-9" in messages and "計画期間" in messages


def test_a_merge_into_an_item_that_ends_first_is_refused(plan, tmp_path):
    p = revised(plan)
    items = [replace(i, end_year=R9) if i.item_id == "1-(1)-1" else i for i in p.items]
    with pytest.raises(PlanError) as info:
        read_plan(write_plan(replace(p, items=items), tmp_path / "plan.xlsx"))
    [problem] = info.value.problems
    assert problem.cell == "M4" and "R10以降" in problem.message
