"""Warnings on KPI actuals: implausible_value (a fraction for a %, an achievement far outside the plan) and
kpi_not_reported (実績値 and 備考 empty); the form counts and highlights a blank 実績値 as LibreOffice computes it."""

from __future__ import annotations

import shutil
import subprocess

import openpyxl
import pytest

from addin.forms import layout as T
from addin.forms.fill import fill_department_workbook
from addin.forms.generate import COUNT_CELL, build_department_workbook
from addin.reports.validation import department_issues
from addin.validation.validate import validate_file

YEAR = 2026
CASHLESS = ("1-(1)-3", "市税等のキャッシュレス決済による納付率")  # %, 50 ⇒ 60
FURUSATO = ("2-(2)-2", "ふるさと納税による寄附額")              # 千円, 150,000 ⇒ 250,000
PPC = ("2-(2)-10", "PPC用紙(A4)年間使用枚数")                  # 枚, 6,290,000 ⇒ 5,600,000
LED = ("2-(2)-10", "街路灯LED化更新数(累計)")                   # 基, 303 ⇒ 495


def _filled(plan, department, kpis):
    wb = build_department_workbook(plan, department, YEAR)
    entries = {i.item_id: {"取組状況": "計画どおり進めた。", "自己評価": "B", "進捗": "予定どおり"}
               for i in plan.items_for(department)}
    fill_department_workbook(wb, entries, kpis)
    return wb


def _validate(plan, tmp_path, department, kpis):
    path = tmp_path / f"R8_{department}.xlsx"
    _filled(plan, department, kpis).save(path)
    return validate_file(path, plan, YEAR)


def _only(result, code):
    return [i for i in result.issues if i.code == code]


def test_a_percent_typed_as_a_fraction_is_implausible(plan, tmp_path):
    others = {k.key: {"実績値": k.baseline} for k in plan.kpis_led_by("DX推進課")}
    result = _validate(plan, tmp_path, "DX推進課", {**others, CASHLESS: {"実績値": 0.532}})
    (issue,) = _only(result, "implausible_value")
    assert (issue.severity, issue.sheet, issue.item_id, issue.column, issue.value) == (
        "warning", T.KPI_SHEET, CASHLESS[0], "実績値", 0.532)
    assert result.status == "ok"  # a warning: consolidated, and the department is asked to check
    assert "53.2%のつもりなら「53.2」と入力" in issue.message and "基準値は50%" in issue.message and "確認" in issue.message
    assert issue in department_issues([result])


@pytest.mark.parametrize("typed, rate", [(182_000_000, "181,850"), (10_000, "-140")])
def test_an_achievement_far_outside_the_plan_is_implausible(plan, tmp_path, typed, rate):
    result = _validate(plan, tmp_path, "特命担当", {FURUSATO: {"実績値": typed}})
    (issue,) = _only(result, "implausible_value")
    assert issue.item_id == FURUSATO[0] and f"達成率が{rate}%" in issue.message and "千円" in issue.message


def test_plausible_actuals_raise_nothing(plan, tmp_path):
    result = _validate(plan, tmp_path, "特命担当", {FURUSATO: {"実績値": 182_000}})
    assert not _only(result, "implausible_value") and not _only(result, "kpi_not_reported")


def test_a_blank_actual_without_a_note_is_kpi_not_reported(plan, tmp_path):
    result = _validate(plan, tmp_path, "財政課", {PPC: {"実績値": 6_120_000}, LED: {"実績値": None}})
    (issue,) = _only(result, "kpi_not_reported")
    assert (issue.severity, issue.sheet, issue.cell, issue.item_id) == ("warning", T.KPI_SHEET, "F6", LED[0])
    assert LED[1] in issue.message and "備考" in issue.message
    assert result.status == "ok" and issue in department_issues([result])
    explained = _validate(plan, tmp_path, "財政課", {PPC: {"実績値": 6_120_000},
                                                      LED: {"実績値": None, "備考": "集計中（7月公表）"}})
    assert not _only(explained, "kpi_not_reported")


def test_the_form_highlights_a_blank_actual(plan):
    ws = build_department_workbook(plan, "財政課", YEAR)[T.KPI_SHEET]
    ranges = [str(cf.sqref) for cf in ws.conditional_formatting]
    assert "F5:F6" in ranges


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; CI installs it")
def test_the_count_cell_counts_a_blank_actual_when_recalculated(plan, tmp_path):
    source = tmp_path / "finance.xlsx"
    _filled(plan, "財政課", {PPC: {"実績値": 6_120_000}, LED: {"実績値": None}}).save(source)
    out = tmp_path / "recalculated"
    subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=240)
    ws = openpyxl.load_workbook(out / "finance.xlsx", data_only=True)[T.INPUT_SHEET]
    assert ws[COUNT_CELL].value == 1  # everything on 入力 is filled; one 実績値 is blank
