"""The form tells the truth without the add-in: edited as a clerk edits it, recalculated by a real
spreadsheet program (LibreOffice), its count cell says what validation will say.

A clerk types spaces, pastes a value past a dropdown, leaves a KPI 実績値 blank, pastes a long
text; the count is read back from the values LibreOffice computed and saved.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import hostile
import pytest

from addin.forms import layout as T
from addin.forms.fill import fill_department_workbook
from addin.forms.generate import COUNT_CELL, build_department_workbook
from addin.validation.validate import validate_inputs

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; CI installs it")
YEAR = 2026
DEPARTMENT = "DX推進課"
FIRST = T.HEADER_ROW + 1


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("lo-profile")


def _count(wb, tmp_path: Path, profile: Path, name: str = "form") -> int:
    """The count cell as LibreOffice computes it on opening the saved form."""
    path = tmp_path / f"{name}.xlsx"
    wb.save(path)
    computed = openpyxl.load_workbook(hostile.convert(path, "xlsx", tmp_path / f"{name}_calc", profile), data_only=True)
    return computed[T.INPUT_SHEET][COUNT_CELL].value


def _complete(plan) -> tuple[dict, dict]:
    """Every required cell of DX推進課 filled with what validation accepts."""
    entries = {item.item_id: {"取組状況": "窓口の手続を見直した。", "自己評価": "B", "進捗": "予定どおり"}
               for item in plan.items_for(DEPARTMENT)}
    kpis = {kpi.key: {"実績値": 10} for kpi in plan.kpis_led_by(DEPARTMENT)}
    return entries, kpis


def _rejected_on_input(plan, wb, tmp_path: Path) -> set[str]:
    """The cells of 入力 and KPI実績 validation rejects as missing or not a choice."""
    folder = tmp_path / "submitted"
    folder.mkdir(exist_ok=True)
    wb.save(folder / T.workbook_name("R8", DEPARTMENT))
    run = validate_inputs(plan, [folder], YEAR, workers=1)
    return {f"{i.sheet}!{i.cell}" for i in run.issues if i.code in ("required", "invalid_choice")}


def test_a_complete_form_counts_zero_and_says_it_can_be_sent(plan, tmp_path, profile):
    wb = build_department_workbook(plan, DEPARTMENT, YEAR)
    fill_department_workbook(wb, *_complete(plan))
    assert _count(wb, tmp_path, profile) == 0
    assert _rejected_on_input(plan, wb, tmp_path) == set()
    path = tmp_path / "complete.xlsx"
    wb.save(path)
    pdf = hostile.convert(path, "pdf", tmp_path / "pdf", profile)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    assert "提出できます" in text


def test_spaces_values_past_the_list_and_blank_kpis_are_counted_as_validation_rejects_them(plan, tmp_path, profile):
    items = plan.items_for(DEPARTMENT)
    entries, kpis = _complete(plan)
    entries[items[0].item_id]["取組状況"] = "　 　"          # IME and ASCII spaces: blank to validation
    entries[items[0].item_id]["進捗"] = "遅れ|完了"          # two choices in one cell
    entries[items[1].item_id]["自己評価"] = "AB"            # pasted past the dropdown
    entries[items[2].item_id]["進捗"] = "たぶん順調"        # pasted past the dropdown
    entries[items[3].item_id]["自己評価"] = "ａ"            # full width, lower case: validation accepts it
    entries[items[2].item_id]["自己評価"] = "－"            # a full-width dash: validation accepts it
    entries[items[3].item_id]["進捗"] = "予定通り"          # a synonym validation accepts
    first_kpi = plan.kpis_led_by(DEPARTMENT)[0].key
    kpis[first_kpi]["実績値"] = None                        # a blank KPI 実績値 is counted too
    wb = build_department_workbook(plan, DEPARTMENT, YEAR)
    fill_department_workbook(wb, entries, kpis)

    rejected = _rejected_on_input(plan, wb, tmp_path)
    assert rejected == {f"{T.INPUT_SHEET}!D{FIRST}", f"{T.INPUT_SHEET}!F{FIRST}", f"{T.INPUT_SHEET}!E{FIRST + 1}",
                        f"{T.INPUT_SHEET}!F{FIRST + 2}"}
    assert _count(wb, tmp_path, profile) == len(rejected) + 1, "the cells validation rejects and the blank KPI"


def test_a_blank_form_counts_every_required_cell_and_every_kpi(plan, tmp_path, profile):
    wb = build_department_workbook(plan, DEPARTMENT, YEAR)
    expected = len(plan.items_for(DEPARTMENT)) * len(T.REQUIRED_INPUT_COLUMNS) + len(plan.kpis_led_by(DEPARTMENT))
    assert _count(wb, tmp_path, profile) == expected


def test_a_long_status_is_printed_whole(plan, tmp_path, profile):
    """A 462-character 取組状況 (as a clerk pasted one) grows its row: its last sentence is on the printout."""
    item = plan.items_for(DEPARTMENT)[0]
    text = ("窓口での証明書交付とオンライン申請の利用状況を調査し、コンビニ交付の周知を広報紙とホームページで行った。" * 9)
    text = text[:462 - len("最後の一文まで印刷される。")] + "最後の一文まで印刷される。"
    assert len(text) == 462
    wb = build_department_workbook(plan, DEPARTMENT, YEAR)
    fill_department_workbook(wb, {item.item_id: {"取組状況": text, "自己評価": "A", "進捗": "予定どおり"}})
    ws = wb[T.INPUT_SHEET]
    assert ws[f"D{FIRST}"].alignment.wrap_text
    assert ws.row_dimensions[FIRST].height > 5 * 17, "taller than the five lines a fixed row showed"
    path = tmp_path / "long.xlsx"
    wb.save(path)
    pdf = hostile.convert(path, "pdf", tmp_path / "pdf", profile)
    flat = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                             check=True).stdout.decode())
    assert "最後の一文まで印刷される。" in flat
