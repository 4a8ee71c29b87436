"""Generated workbooks opened by a real spreadsheet program (LibreOffice): they print, and they survive a save."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import hostile
import pytest

from addin.forms import layout as T
from addin.forms.generate import COUNT_CELL, generate_workbooks
from addin.reports.gantt import write_gantt

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; CI installs it")
DEPARTMENT = "DX推進課"


def _pdf_text(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          timeout=60).stdout.decode("utf-8")


def _pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


@pytest.fixture(scope="module")
def workbook(plan, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("render")
    # An ASCII copy: command lines and PDF names stay simple on every OS.
    source = next(p for p in generate_workbooks(plan, 2026, out / "gen") if DEPARTMENT in p.name)
    return Path(shutil.copy(source, out / "department.xlsx"))


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("lo-profile")


def test_department_workbook_prints(plan, workbook, profile):
    pdf = hostile.convert(workbook, "pdf", workbook.parent / "pdf", profile)
    assert _pages(pdf) >= 1
    flat = re.sub(r"\s+", "", _pdf_text(pdf))
    assert DEPARTMENT in flat
    items = plan.items_for(DEPARTMENT)
    assert all(item.item_id in flat for item in items)
    # Long names wrap inside their cell and interleave with the next column in extracted text; a short one does not.
    assert min((item.name for item in items), key=len) in flat
    assert "取組状況" in flat and "自己評価の基準" in flat
    required = len(plan.items_for(DEPARTMENT)) * len(T.REQUIRED_INPUT_COLUMNS) + len(plan.kpis_led_by(DEPARTMENT))
    assert f"未入力・入力誤り{required}件" in flat, "the count of what is left is computed when the workbook opens"
    assert flat.count(DEPARTMENT) >= _pages(pdf), "every printed page names the department (page header)"


def test_gantt_prints(plan, tmp_path, profile):
    pdf = hostile.convert(write_gantt(plan, tmp_path / "gantt.xlsx", 2026), "pdf", tmp_path / "pdf", profile)
    assert _pages(pdf) >= 1
    flat = re.sub(r"\s+", "", _pdf_text(pdf))
    assert "工程表" in flat and "R12" in flat and plan.items[0].name in flat


def test_validations_and_protection_survive_a_save(plan, workbook, profile):
    original = openpyxl.load_workbook(workbook)
    saved = openpyxl.load_workbook(hostile.convert(workbook, "xlsx", workbook.parent / "resaved", profile))
    assert saved.sheetnames[: 3] == [T.INPUT_SHEET, T.KPI_SHEET, T.GUIDE_SHEET]
    # LibreOffice has no "very hidden" and writes the sheet back as hidden; Excel keeps veryHidden.
    assert saved[T.META_SHEET].sheet_state in ("hidden", "veryHidden")
    for sheet in (T.INPUT_SHEET, T.KPI_SHEET):
        def rules(wb):
            return sorted((str(dv.sqref), dv.type, (dv.formula1 or "").replace(" ", ""), dv.errorStyle or "stop")
                          for dv in wb[sheet].data_validations.dataValidation)
        assert rules(saved) == rules(original), sheet
        ws = saved[sheet]
        assert ws.protection.sheet
        assert ws["A5"].protection.locked
        assert not ws[f"{openpyxl.utils.get_column_letter(len(T.INPUT_HEADERS) if sheet == T.INPUT_SHEET else 6)}5"].protection.locked
    ws = saved[T.INPUT_SHEET]
    assert not ws["D5"].protection.locked and ws["C5"].protection.locked
    assert ws[COUNT_CELL].value.replace(" ", "").startswith("=SUMPRODUCT(")
    meta = saved[T.META_SHEET]
    assert meta["B2"].value == plan.fingerprint and meta["B3"].value == DEPARTMENT
