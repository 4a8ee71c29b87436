"""A plan edited after the forms went out (SPEC "Validation", plan_changed): the forms of the earlier version
are matched by 項目ID, one warning per file names what changed, nobody is asked to re-enter anything."""

from __future__ import annotations

import openpyxl
import pytest

from addin.jobs.demo import run_demo
from addin.plan.reader import read_plan
from addin.reports.validation import department_issues
from addin.validation.validate import validate_inputs

YEAR = 2026
NEW_ITEM = "2-(2)-99"
PPC = ("2-(2)-10", "PPC用紙(A4)年間使用枚数")


def _edit_plan(source, target):
    """One 推進内容 reworded, one KPI target revised, one item added for 財政課."""
    wb = openpyxl.load_workbook(source)
    ws = wb["計画"]
    headers = [c.value for c in ws[1]]
    content = headers.index("推進内容") + 1
    ws.cell(2, content).value = ws.cell(2, content).value + "（表現を修正）"
    last = [c.value for c in ws[ws.max_row]]
    row = dict(zip(headers, last))
    row.update({"項目ID": NEW_ITEM, "No.": "99", "改革項目": "公共施設の使用料の見直し", "継続項目": None,
                "推進内容": "受益者負担の適正化を図る。", "主な取組": "使用料の見直し", "実施担当": "財政課"})
    ws.append([row[h] for h in headers])
    kpi = wb["KPI"]
    kpi_headers = [c.value for c in kpi[1]]
    for r in range(2, kpi.max_row + 1):
        if kpi.cell(r, kpi_headers.index("指標名") + 1).value == PPC[1]:
            kpi.cell(r, kpi_headers.index("目標値") + 1).value = 5_500_000
    wb.save(target)
    return target


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    run_demo(out)
    return out


@pytest.fixture(scope="module")
def runs(demo):
    before = validate_inputs(read_plan(demo / "計画.xlsx"), [demo / "提出_R8"], YEAR, workers=1)
    edited = read_plan(_edit_plan(demo / "計画.xlsx", demo / "計画_改定.xlsx"))
    after = validate_inputs(edited, [demo / "提出_R8"], YEAR, workers=1)
    return before, after, edited


def _codes(run, code):
    return {f.department: [i for i in f.issues if i.code == code] for f in run.files}


def test_no_form_is_rejected_for_a_plan_edit(runs):
    before, after, _plan = runs
    assert len(after.files) == 10
    assert not [i for i in after.issues if i.code in ("wrong_plan", "missing_item", "unknown_item", "altered_cell")]
    # The only errors are the demo's own mistake (都市計画課's 「AB」), exactly as before the edit.
    errors = lambda run: sorted((i.file, i.code, i.cell) for i in run.issues if i.severity == "error")
    assert errors(after) == errors(before)
    assert [f.status for f in after.files] == [f.status for f in before.files]


def test_each_form_has_exactly_one_plan_changed_naming_what_changed(runs):
    _before, after, _plan = runs
    found = _codes(after, "plan_changed")
    assert all(len(issues) == 1 for issues in found.values()), found
    for issues in found.values():
        assert issues[0].severity == "warning"
        assert "入力し直してください" not in issues[0].message and "提出し直してください" not in issues[0].message
    finance = found["財政課"][0].message
    assert "目標値（2-(2)-10 PPC用紙(A4)年間使用枚数）" in finance
    assert f"追加された項目（この課は未報告）: {NEW_ITEM} 公共施設の使用料の見直し" in finance
    assert "変更される前" in found["DX推進課"][0].message and "関わる変更はありません" in found["DX推進課"][0].message


def test_the_new_item_is_not_reported_for_finance_and_the_rest_is_consolidated(runs):
    from addin.consolidation.summary import summarize

    _before, after, plan = runs
    summary = summarize(plan, YEAR, after.valid_submissions())
    by_id = {r.item.item_id: r for r in summary.items}
    assert by_id[NEW_ITEM].grades == {} and not by_id[NEW_ITEM].submitted
    assert "財政課" in summary.submitted
    (ppc,) = [k for k in by_id[PPC[0]].kpis if k.kpi.name == PPC[1]]
    assert ppc.kpi.target == 5_500_000 and ppc.actual == 6_120_000  # the current plan's target is used


def test_departments_never_see_plan_changed(runs):
    _before, after, _plan = runs
    told = department_issues(after.files)
    assert told and not [i for i in told if i.code == "plan_changed"]


def test_another_plan_is_still_wrong_plan(demo, tmp_path):
    wb = openpyxl.load_workbook(demo / "計画.xlsx")
    ws = wb["設定"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "団体名":
            row[1].value = "架空市"
    wb.save(tmp_path / "other.xlsx")
    run = validate_inputs(read_plan(tmp_path / "other.xlsx"), [demo / "提出_R8" / "R8_財政課.xlsx"], YEAR, workers=1)
    (issue,) = [i for i in run.issues if i.code == "wrong_plan"]
    assert issue.value == "二本松市" and not [i for i in run.issues if i.code == "plan_changed"]
