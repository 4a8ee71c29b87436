"""Consolidation on records: grades, effects, KPI achievement, history, hints and the --json shape of SPEC."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from records import small_plan, submission

from addin.consolidation.summary import (
    IMPROVED,
    UNCHANGED,
    WORSENED,
    Override,
    achievement,
    direction,
    summarize,
    worst_grade,
)
from addin.plan.model import Kpi

R8, R9 = 2026, 2027


@pytest.mark.parametrize("grades, expected", [
    ([], None), ([None], None), (["A"], "A"), (["A", "B"], "B"), (["B", "C", "A"], "C"),
    (["-"], "-"), (["-", "-"], "-"), (["-", "A"], "A"), (["-", "C"], "C"),
])
def test_item_grade_is_the_worst_submitted(grades, expected):
    assert worst_grade(grades) == expected


def _kpi(baseline, target, method="改善"):
    return Kpi("x", "k", "件", 2024, baseline, 2030, target, method)


@pytest.mark.parametrize("kpi, actual, expected", [
    (_kpi(24, 30), 27, 0.5),
    (_kpi(24, 30), 30, 1.0),
    (_kpi(24, 30), 21, -0.5),
    (_kpi(85, 40), 60, pytest.approx(25 / 45, abs=1e-6)),  # lower is better: 85人⇒40人
    (_kpi(85, 40), 90, pytest.approx(-5 / 45, abs=1e-6)),
    (_kpi(150000, 250000, "比率"), 200000, 0.8),
    (_kpi(629, 560, "比率"), 700, 0.8),                     # lower is better: 目標 ÷ 実績
    (_kpi(10, 10), 12, None),                              # zero denominator
    (_kpi(10, 20, "比率"), 0, 0.0),
    (_kpi(20, 10, "比率"), 0, None),
    (_kpi(None, 20), 12, None),
    (_kpi(10, 20), None, None),
])
def test_achievement(kpi, actual, expected):
    assert achievement(kpi, actual) == expected


def test_direction_takes_the_better_direction_into_account():
    up, down = _kpi(24, 30), _kpi(85, 40)
    assert direction(up, 25, 27) == IMPROVED
    assert direction(up, 27, 25) == WORSENED
    assert direction(down, 70, 60) == IMPROVED
    assert direction(down, 60, 70) == WORSENED
    assert direction(down, 60, 60) == UNCHANGED
    assert direction(up, None, 60) is None


def test_summary_per_item():
    plan = small_plan()
    subs = [
        submission(plan, "DX推進課", R8, {"1-(1)-1": {"grade": "A", "effect": 1234}}, {"コンビニ交付率": 27}),
        submission(plan, "市民課", R8, {"1-(1)-1": {"grade": "C", "effect": None}}),
        submission(plan, "税務課", R8, {"2-(1)-1": {"effect": 123.5}}, {"寄附額": 200000}),
    ]
    result = summarize(plan, R8, subs, rejected=["R8_総務課.xlsx"])
    item = {r.item.item_id: r for r in result.items}
    assert item["1-(1)-1"].grades == {"DX推進課": "A", "市民課": "C"}
    assert item["1-(1)-1"].grade == "C"
    assert item["1-(1)-1"].effect == 1234
    assert item["1-(1)-1"].kpis[0].achievement == 0.5
    assert item["1-(2)-1"].grade is None and item["1-(2)-1"].effect is None  # 総務課 did not submit
    assert item["2-(1)-1"].grades == {"税務課": "B"}
    assert item["2-(1)-1"].kpis[0].achievement == 0.8
    assert result.submitted == ["DX推進課", "市民課", "税務課"]
    assert result.missing == ["総務課"]
    assert result.rejected == ["R8_総務課.xlsx"]
    assert result.grade_counts() == {"A": 0, "B": 2, "C": 1, "-": 0}
    assert result.effect_total == 1234 + 100 + 123.5


def test_kpis_belong_to_the_lead_department():
    plan = small_plan()
    lead = submission(plan, "DX推進課", R8, kpis={"コンビニ交付率": 26})
    other = submission(plan, "市民課", R8)
    other.kpis.append(type(lead.kpis[0])("1-(1)-1", "コンビニ交付率", 9, actual=99))
    result = summarize(plan, R8, [other, lead])
    kpi = result.items[0].kpis[0]
    assert (kpi.department, kpi.actual) == ("DX推進課", 26)


def test_override_is_the_grade_in_every_summary():
    plan = small_plan()
    subs = [submission(plan, d, R8) for d in plan.departments]
    result = summarize(plan, R8, subs, overrides={"1-(1)-2": Override("C", "要確認"), "1-(2)-1": Override(None, "メモ")})
    item = {r.item.item_id: r for r in result.items}
    assert item["1-(1)-2"].self_grade == "B" and item["1-(1)-2"].grade == "C"
    assert item["1-(2)-1"].grade == "B"
    assert result.grade_counts() == {"A": 0, "B": 3, "C": 1, "-": 0}
    assert result.to_json()["items"][1]["grade"] == "C"


def test_history_trend_and_direction():
    plan = small_plan()
    history = {("1-(2)-1", "コピー用紙の使用枚数"): {R8: 600}, ("1-(1)-1", "コンビニ交付率"): {R8: 26, 2031: 1}}
    subs = [submission(plan, "総務課", R9, kpis={"コピー用紙の使用枚数": 590}),
            submission(plan, "DX推進課", R9, kpis={"コンビニ交付率": 25})]
    result = summarize(plan, R9, subs, kpi_history=history)
    paper = result.items[2].kpis[0]
    assert paper.history == {R8: 600, R9: 590}
    assert (paper.previous_year, paper.previous, paper.direction) == (R8, 600, IMPROVED)
    rate = result.items[0].kpis[0]
    assert rate.history == {R8: 26, R9: 25}  # years outside the plan are left out
    assert rate.direction == WORSENED
    assert result.to_json()["items"][0]["kpis"][0]["history"] == {"R8": 26, "R9": 25}


def _hints(result, item_id):
    return next(r.hints for r in result.items if r.item.item_id == item_id)


def test_hint_when_a_is_contradicted_by_the_kpis():
    plan = small_plan()
    below_baseline = summarize(plan, R8, [submission(plan, "DX推進課", R8, {"1-(1)-1": {"grade": "A"}},
                                                     {"コンビニ交付率": 22})])
    assert any("基準値" in h and "悪化" in h for h in _hints(below_baseline, "1-(1)-1"))
    fell = summarize(plan, R9, [submission(plan, "DX推進課", R9, {"1-(1)-1": {"grade": "A"}}, {"コンビニ交付率": 26})],
                     kpi_history={("1-(1)-1", "コンビニ交付率"): {R8: 28}})
    assert any("前年度より悪化" in h for h in _hints(fell, "1-(1)-1"))
    fine = summarize(plan, R9, [submission(plan, "DX推進課", R9, {"1-(1)-1": {"grade": "A"}}, {"コンビニ交付率": 29})],
                     kpi_history={("1-(1)-1", "コンビニ交付率"): {R8: 28}})
    assert _hints(fine, "1-(1)-1") == []
    assert fine.items[0].grade == "A"  # a hint never changes the grade


def test_hint_when_c_although_every_kpi_is_met():
    plan = small_plan()
    result = summarize(plan, R8, [submission(plan, "税務課", R8, {"2-(1)-1": {"grade": "C"}}, {"寄附額": 260000})])
    assert any("目標値を達成" in h for h in _hints(result, "2-(1)-1"))
    assert result.items[3].grade == "C"


def test_status_copied_from_last_year_is_flagged():
    plan = small_plan()
    last_year = {("1-(1)-2", "税務課"): "キャッシュレス決済の利用拡大について計画どおり取り組んだ。",
                 ("2-(1)-1", "税務課"): "寄附額は2億円となった。"}
    sub = submission(plan, "税務課", R9, {"1-(1)-2": {"status": "キャッシュレス決済の利用拡大について\n計画どおり取り組んだ。 "},
                                          "2-(1)-1": {"status": "寄附額は2億3千万円となった。"}})
    result = summarize(plan, R9, [sub], previous_status=last_year, previous_year=R8)
    item = {r.item.item_id: r for r in result.items}
    assert item["1-(1)-2"].copied == ["税務課"]
    assert any("R8と同じ文章" in h for h in item["1-(1)-2"].hints)
    assert item["2-(1)-1"].copied == []


SPEC_ITEM_KEYS = {"item_id", "pillar", "area", "name", "departments", "grades", "grade", "status", "progress",
                  "effect_thousand_yen", "effects", "kpis", "schedule",
                  "grade_self", "grade_secretariat", "grade_committee", "grade_history", "state", "repeat_of"}


def test_json_keys_match_spec_exactly():
    plan = small_plan()
    data = summarize(plan, R8, [submission(plan, d, R8) for d in plan.departments[:2]], ["bad.xlsx"]).to_json()
    assert set(data) == {"year", "items", "totals", "submitted", "missing", "rejected", "plan_changes"}
    assert data["year"] == "R8"
    assert set(data["totals"]) == {"grades", "effect_thousand_yen", "effect_cumulative_thousand_yen",
                                   "effect_cumulative_target_thousand_yen"}
    assert list(data["totals"]["grades"]) == ["A", "B", "C", "-"]
    for item in data["items"]:
        assert set(item) == SPEC_ITEM_KEYS
        assert set(item["effects"]) == {"by_year", "cumulative_target", "cumulative_actual", "reduction", "revenue",
                                        "next_year_estimate"}
        assert list(item["effects"]["by_year"]) == ["R8", "R9", "R10", "R11", "R12"]
        assert set(item["effects"]["by_year"]["R8"]) == {"target", "actual", "estimate"}
        for kpi in item["kpis"]:
            assert set(kpi) == {"name", "unit", "baseline", "target", "actual", "achievement", "history",
                                "target_this_year", "achievement_this_year"}
        for bar in item["schedule"]:
            assert set(bar) == {"label", "start", "end"} and bar["start"].startswith("R")
    assert data["items"][1]["schedule"] == [{"label": "①検討", "start": "R8", "end": "R9"},
                                            {"label": "②実施", "start": "R10", "end": "R12"}]
    assert data["submitted"] == ["DX推進課", "市民課"] and data["missing"] == ["税務課", "総務課"]


def test_another_city_and_a_six_year_period():
    plan = small_plan(2021, 2026, name="別市行政改革大綱実施計画", city="別市")
    assert len(plan.years) == 6
    subs = [submission(plan, d, 2023, kpis={"コンビニ交付率": 27}) for d in plan.departments]
    result = summarize(plan, 2023, subs, kpi_history={("1-(1)-1", "コンビニ交付率"): {2021: 25, 2022: 26}})
    data = result.to_json()
    assert data["year"] == "R5"
    assert data["items"][0]["kpis"][0]["history"] == {"R3": 25, "R4": 26, "R5": 27}
    assert data["items"][0]["schedule"] == [{"label": "行政手続のオンライン化", "start": "R3", "end": "R8"}]
    assert result.missing == []


grade_st = st.sampled_from(["A", "B", "C", "-", None])
effect_st = st.one_of(st.none(), st.integers(0, 10**7), st.floats(0, 10**6, allow_nan=False).map(lambda v: round(v, 1)))


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_totals_equal_the_sum_of_the_inputs(data):
    plan = small_plan()
    subs = []
    expected_total = 0.0
    for dept in plan.departments:
        if not data.draw(st.booleans(), label=f"{dept} submits"):
            continue
        entries = {}
        for item in plan.items_for(dept):
            effect = data.draw(effect_st)
            entries[item.item_id] = {"grade": data.draw(grade_st), "effect": effect}
            expected_total += effect or 0
        subs.append(submission(plan, dept, R8, entries))
    result = summarize(plan, R8, subs)
    assert result.effect_total == pytest.approx(expected_total, rel=1e-9, abs=1e-6)
    counts = result.grade_counts()
    graded = [r for r in result.items if r.grade is not None]
    assert sum(counts.values()) == len(graded) <= len(plan.items)
    for r in result.items:
        assert r.grade == worst_grade(r.grades.values())
        known = [v for v in r.effects.values() if v is not None]
        assert (r.effect is None) == (not known)
