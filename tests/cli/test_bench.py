"""`reform bench` runs end to end on a few departments and reports every phase (timings are not asserted)."""

from __future__ import annotations

from addin.devtools.bench import run_bench, synthetic_plan


def test_synthetic_plan_shape():
    plan = synthetic_plan(3)
    assert len(plan.departments) == 3
    assert all(len(plan.items_for(d)) == 12 and len(plan.kpis_led_by(d)) == 4 for d in plan.departments)


def test_bench_table_and_reuse(tmp_path):
    table = run_bench(2, tmp_path)
    for phase in ("generate", "validate+consolidate", "pandas (hand-written)", "floor (calamine + write-only)"):
        assert phase in table
    assert "/ pandas script" in table and "/ floor" in table and "prepared 2 filled workbooks" in table
    assert "prepared" not in run_bench(2, tmp_path)  # the workbooks are reused
    assert (tmp_path / "n2" / "work" / "集約.xlsx").exists()
