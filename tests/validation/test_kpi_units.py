"""KPI actuals are read in the KPI's own unit (SPEC "KPI実績"): money, percent, counts; a unit that does not fit is
``unit_mismatch``. Each typed value goes through the generated form, validation and consolidation into KPI一覧."""

from __future__ import annotations

import openpyxl
import pytest

from addin.forms import layout as T
from addin.forms.fill import fill_department_workbook
from addin.forms.generate import build_department_workbook
from addin.jobs.consolidate import consolidate
from addin.reports.kpi import KPI_SHEET
from addin.validation.validate import validate_file
from addin.xlsx.tables import find_table

YEAR = 2026
FURUSATO = ("2-(2)-2", "ふるさと納税による寄附額")  # 千円, 150,000 ⇒ 250,000: 182,000 is 32 %


def _form(plan, tmp_path, department, kpis, name=None):
    wb = build_department_workbook(plan, department, YEAR)
    entries = {i.item_id: {"取組状況": "計画どおり進めた。", "自己評価": "B", "進捗": "予定どおり"}
               for i in plan.items_for(department)}
    fill_department_workbook(wb, entries, kpis)
    folder = tmp_path / (name or "in")
    folder.mkdir(exist_ok=True)
    path = folder / f"R8_{department}.xlsx"
    wb.save(path)
    return path


def _kpi(plan, key):
    return plan.kpis_by_key[key]


def _department(plan, key):
    return plan.item(key[0]).lead


@pytest.mark.parametrize("typed", ["182,000千円", "1.82億円", "18200万円", "1億8,200万円", "182000000円",
                                   "１８２，０００", 182000])
def test_a_money_kpi_reads_amounts_in_its_own_unit(plan, tmp_path, typed):
    assert _kpi(plan, FURUSATO).unit == "千円"
    department = _department(plan, FURUSATO)
    path = _form(plan, tmp_path, department, {FURUSATO: {"実績値": typed}})
    result = validate_file(path, plan, YEAR)
    assert result.status == "ok", [i.message for i in result.issues]
    assert not [i for i in result.issues if i.code in ("unit_mismatch", "implausible_value")]
    (actual,) = [k.actual for k in result.submission.kpis if (k.item_id, k.name) == FURUSATO]
    assert actual == 182_000

    done = consolidate(plan, [path.parent], YEAR, tmp_path / "report.xlsx", db_path=tmp_path / "r.db")
    (kpi,) = [k for item in done.to_json()["items"] for k in item["kpis"] if k["name"] == FURUSATO[1]]
    assert kpi["actual"] == 182_000
    assert kpi["achievement"] == pytest.approx(0.32)  # (182,000 − 150,000) ÷ (250,000 − 150,000)
    ws = openpyxl.load_workbook(tmp_path / "report.xlsx")[KPI_SHEET]
    table = find_table([[c.value for c in row] for row in ws.iter_rows()], ["指標名", "R8", "達成率"])
    (row,) = [r for _i, r in table.data_rows() if table.value(r, "指標名") == FURUSATO[1]]
    assert table.value(row, "R8") == 182_000
    assert table.value(row, "達成率") == pytest.approx(0.32)


@pytest.mark.parametrize("unit, typed, expected", [
    ("円", "182,000千円", 182_000_000), ("万円", "1億8,200万円", 18_200), ("百万円", "1.82億円", 182),
    ("億円", "182000000円", 1.82), ("千円", "1.82億", 182_000), ("千円", "18.2万", 182),  # 万 and 億 mean yen, as for 効果額
    ("千円", "182000", 182_000),  # a plain number is in the KPI's unit
])
def test_every_money_unit(unit, typed, expected):
    from addin.normalize import parse_in_unit

    assert parse_in_unit(typed, unit) == expected


@pytest.mark.parametrize("key, typed, unit", [
    (("1-(1)-1", "証明書等のコンビニ交付による交付率"), "5件", "%"),
    (("2-(2)-10", "街路灯LED化更新数(累計)"), "3万円", "基"),
    (FURUSATO, "5件", "千円"),
])
def test_a_unit_that_does_not_fit_the_kpi_is_unit_mismatch(plan, tmp_path, key, typed, unit):
    assert _kpi(plan, key).unit == unit
    department = _department(plan, key)
    path = _form(plan, tmp_path, department, {key: {"実績値": typed}})
    result = validate_file(path, plan, YEAR)
    (issue,) = [i for i in result.issues if i.code == "unit_mismatch"]
    assert (issue.severity, issue.sheet, issue.item_id, issue.column, issue.value) == (
        "error", T.KPI_SHEET, key[0], "実績値", typed)
    assert result.status == "invalid"
    assert f"「{typed}」" in issue.message and f"「{unit}」" in issue.message and "入力してください" in issue.message
    assert not [i for i in result.issues if i.code == "not_a_number"]


@pytest.mark.parametrize("typed, unit, expected", [
    ("612万枚", "枚", 6_120_000), ("612万", "枚", 6_120_000), ("620万枚", "万枚", 620), ("620", "万枚", 620),
    ("72人", "人", 72), ("345基", "基", 345),
])
def test_a_count_reads_its_own_unit(typed, unit, expected):
    from addin.normalize import parse_in_unit

    assert parse_in_unit(typed, unit) == expected


def test_counts_keep_their_own_unit(plan, tmp_path):
    ppc = ("2-(2)-10", "PPC用紙(A4)年間使用枚数")
    path = _form(plan, tmp_path, _department(plan, ppc), {ppc: {"実績値": "612万枚"}})
    result = validate_file(path, plan, YEAR)
    assert not [i for i in result.issues if i.severity == "error"]
    assert [k.actual for k in result.submission.kpis if (k.item_id, k.name) == ppc] == [6_120_000]
