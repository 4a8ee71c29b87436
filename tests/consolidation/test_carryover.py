"""Last year's record, as the next year's form shows it: own text, take-over, new item, comments."""

from __future__ import annotations

from records import R8_REVIEWED, small_plan, store_year, submission

from addin.consolidation.carryover import NEW_ITEM, load_carryover

R8, R9 = 2026, 2027


def _history(tmp_path, plan):
    db = tmp_path / "reform.db"
    subs = [submission(plan, "税務課", R8, {"1-(1)-2": {"status": "R8の税務課の文", "effect": 300,
                                                      "next_steps": "R9は拡大"}}),
            submission(plan, "DX推進課", R8, {"1-(1)-1": {"status": "R8のDXの文", "grade": "A"}}, {"コンビニ交付率": 26})]
    store_year(db, plan, R8, subs, R8_REVIEWED + [("2-(1)-1", None, None, None, None, None, None)])
    return db


def test_own_record_takeover_and_new_item(tmp_path):
    plan = small_plan()
    carry = load_carryover(_history(tmp_path, plan), plan.settings.plan_name, R9, plan.years)
    assert carry.year == R8
    own = carry.row("1-(1)-2", "税務課")
    assert (own.status, own.grade, own.effect, own.next_steps) == ("R8の税務課の文", "C", 300, "R9は拡大")
    assert own.comment == "【委員会】見直しを" and carry.has_comment("1-(1)-2")
    assert carry.row("1-(1)-1", "市民課", ("DX推進課", "市民課")).status is None  # a co-department: not 前担当
    taken = carry.row("1-(1)-1", "市民課", ("市民課",))  # DX推進課 handed the item over to 市民課
    assert taken.status == "【前担当：DX推進課】R8のDXの文" and taken.grade == "B"
    assert taken.comment == "【事務局】根拠を示すこと"
    assert carry.row("1-(2)-1", "総務課").status == NEW_ITEM  # not in R8's report at all
    empty = carry.row("2-(1)-1", "総務課", ("税務課", "総務課"))  # in R8's report, 総務課 did not report it
    assert empty.status is None and not carry.has_comment("2-(1)-1")
    assert carry.kpi_actuals[("1-(1)-1", "コンビニ交付率")] == {R8: 26}
    assert carry.kpi_years() == [R8]


def test_no_previous_year_no_carryover(tmp_path):
    plan = small_plan()
    db = _history(tmp_path, plan)
    assert load_carryover(db, plan.settings.plan_name, R8, plan.years) is None  # first plan year
    assert load_carryover(db, plan.settings.plan_name, R9 + 1, plan.years) is None  # R9 never consolidated
    assert load_carryover(tmp_path / "none.db", plan.settings.plan_name, R9, plan.years) is None
    assert not (tmp_path / "none.db").exists()
