"""The department workbooks as the departments see them: one per department, its items, its KPIs, guides, protection."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from addin.errors import ReformError
from addin.fiscal import format_fiscal_year
from addin.forms import layout as T
from addin.forms.count import Counted, problem_condition
from addin.vocab import EFFECT_KINDS
from addin.forms.generate import (COUNT_CELL, INPUT_LAYOUT, KPI_LAYOUT, build_department_workbook, count_formula,
                                  generate_workbooks)
from addin.normalize import grade_spellings, progress_spellings
from addin.vocab import GRADES, PROGRESS
from addin.plan.model import NON_DEPARTMENTS, Bar, Item, Kpi, Plan, Settings
from addin.xlsx.styles import FIXED_FILL, INPUT_FILL, MISSING_FILL

YEAR = 2026
FIRST = T.HEADER_ROW + 1


@pytest.fixture(scope="module")
def generated(plan, tmp_path_factory):
    """Every department workbook of the default plan, written and read back."""
    out = tmp_path_factory.mktemp("gen")
    paths = generate_workbooks(plan, YEAR, out)
    return out, paths


def _open(path: Path):
    return openpyxl.load_workbook(path)


def _col(headers: tuple[str, ...], name: str) -> str:
    return openpyxl.utils.get_column_letter(headers.index(name) + 1)


def _table(ws, headers: tuple[str, ...]) -> list[tuple]:
    return [row for row in ws.iter_rows(min_row=FIRST, max_col=len(headers), values_only=True)
            if any(v is not None for v in row)]


def _validations(ws) -> dict[str, object]:
    """Data validations keyed by the header of the single column they cover."""
    headers = [c.value for c in ws[T.HEADER_ROW]]
    result = {}
    for dv in ws.data_validations.dataValidation:
        ranges = list(dv.sqref.ranges)
        assert len(ranges) == 1, dv.sqref
        min_col, min_row, max_col, max_row = range_boundaries(ranges[0].coord)
        assert min_col == max_col
        result[headers[min_col - 1]] = (dv, min_row, max_row)
    return result


# --- one workbook per department -------------------------------------------------------------

def test_one_workbook_per_department_named_by_year(plan, generated):
    out, paths = generated
    assert [p.name for p in paths] == [T.workbook_name("R8", d) for d in plan.departments]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)
    assert len(paths) == 11
    assert not any(name in p.name for p in paths for name in NON_DEPARTMENTS)
    assert all(p.suffix == ".xlsx" for p in paths)


def test_no_workbook_for_related_departments(plan):
    for name in NON_DEPARTMENTS:
        with pytest.raises(ReformError) as exc_info:
            build_department_workbook(plan, name, YEAR)
        assert name in str(exc_info.value)


def test_sheets_in_order_input_first_and_active(generated):
    for path in generated[1]:
        wb = _open(path)
        assert wb.sheetnames == [T.INPUT_SHEET, T.KPI_SHEET, T.GUIDE_SHEET, T.META_SHEET]
        assert wb.active.title == T.INPUT_SHEET
        assert wb[T.META_SHEET].sheet_state == "veryHidden", "not listed under 再表示"
        assert wb.security.lockStructure and not wb.security.workbookPassword, "structure locked, no password"
        assert all(wb[s].sheet_state == "visible" for s in (T.INPUT_SHEET, T.KPI_SHEET, T.GUIDE_SHEET))
        assert not wb.vba_archive


def test_input_rows_are_exactly_the_departments_items(plan, generated):
    for dept, path in zip(plan.departments, generated[1]):
        ws = _open(path)[T.INPUT_SHEET]
        assert tuple(c.value for c in ws[T.HEADER_ROW]) == INPUT_LAYOUT
        assert INPUT_LAYOUT[:len(T.INPUT_HEADERS)] == T.INPUT_HEADERS, "read-back columns keep their places"
        rows = _table(ws, T.INPUT_HEADERS)
        expected = [(i.item_id, i.name, i.actions or None) for i in plan.items_for(dept)]
        assert [r[:3] for r in rows] == expected
        assert all(v is None for r in rows for v in r[3:]), "input cells start empty"
        assert dept in ws["A1"].value and "令和8年度" in ws["A1"].value and plan.settings.plan_name in ws["A1"].value


def test_kpi_rows_are_exactly_the_kpis_the_department_leads(plan, generated):
    seen = []
    for dept, path in zip(plan.departments, generated[1]):
        ws = _open(path)[T.KPI_SHEET]
        assert tuple(c.value for c in ws[T.HEADER_ROW]) == KPI_LAYOUT
        assert KPI_LAYOUT[:len(T.KPI_HEADERS)] == T.KPI_HEADERS
        rows = _table(ws, T.KPI_HEADERS)
        expected = [(k.item_id, k.name, k.unit, k.baseline, k.target, None, None) for k in plan.kpis_led_by(dept)]
        assert rows == expected
        seen += [(r[0], r[1]) for r in rows]
    assert sorted(seen) == sorted(k.key for k in plan.kpis), "every KPI is reported by exactly one department"


def test_department_without_kpis_gets_header_and_a_note_but_no_fake_row(plan, generated):
    dept = "生活環境課"
    assert plan.kpis_led_by(dept) == []
    ws = _open(generated[0] / T.workbook_name("R8", dept))[T.KPI_SHEET]
    assert tuple(c.value for c in ws[T.HEADER_ROW]) == KPI_LAYOUT
    assert _table(ws, T.KPI_HEADERS) == []
    notes = [c.value for row in ws.iter_rows(max_row=T.HEADER_ROW - 1) for c in row if c.value]
    assert any("報告するKPIはありません" in str(v) for v in notes)
    assert not ws.data_validations.dataValidation


def test_percent_kpis_show_the_unit_and_plain_numbers(generated):
    ws = _open(generated[0] / "R8_DX推進課.xlsx")[T.KPI_SHEET]
    row = FIRST
    assert ws[f"A{row}"].value == "1-(1)-1"
    assert ws[f"C{row}"].value == "%"
    assert ws[f"D{row}"].value == 24 and ws[f"E{row}"].value == 30
    assert ws[f"D{row}"].number_format == "#,##0"


def test_large_kpi_values_have_thousands_separators(generated):
    ws = _open(generated[0] / "R8_財政課.xlsx")[T.KPI_SHEET]
    rows = {r[1]: i for i, r in enumerate(_table(ws, T.KPI_HEADERS), start=FIRST)}
    row = rows["PPC用紙(A4)年間使用枚数"]
    assert ws[f"D{row}"].value == 6290000 and ws[f"D{row}"].number_format == "#,##0"


# --- guides while typing ------------------------------------------------------------------------

def test_input_validations_cover_exactly_the_input_cells(plan, generated):
    for dept, path in zip(plan.departments, generated[1]):
        ws = _open(path)[T.INPUT_SHEET]
        last = FIRST + len(plan.items_for(dept)) - 1
        found = _validations(ws)
        assert set(found) == set(T.INPUT_COLUMNS)
        for name, (dv, first_row, last_row) in found.items():
            assert (first_row, last_row) == (FIRST, last), name
            assert dv.allow_blank and dv.showErrorMessage and dv.showInputMessage
            assert dv.promptTitle and dv.prompt and len(dv.promptTitle) <= 32 and len(dv.prompt) <= 255
            assert dv.errorTitle and dv.error and len(dv.errorTitle) <= 32 and len(dv.error) <= 225
        status = found["取組状況"][0]
        assert (status.type, status.operator, status.formula1, status.errorStyle) == (
            "textLength", "lessThanOrEqual", str(T.STATUS_MAX_LENGTH), "stop")
        grade = found["自己評価"][0]
        assert (grade.type, grade.formula1) == ("list", '"' + ",".join(GRADES) + '"') == ("list", '"A,B,C,-"')
        assert grade.errorStyle == "stop", "a value outside the list is refused, not asked about"
        progress = found["進捗"][0]
        assert (progress.type, progress.formula1) == ("list", '"予定どおり,前倒し,遅れ,未着手,完了"')
        assert progress.formula1.strip('"').split(",") == list(PROGRESS)
        amount = found["効果額（千円）"][0]
        assert amount.type == "custom" and amount.errorStyle == "stop", "a negative amount is refused"
        assert "万円" not in amount.formula1, "123万円 is not blocked: only leading minus signs are"
        assert all(dv.errorStyle == "stop" and "このまま" not in dv.error for dv, _, _ in found.values())
        assert f"LEFT({_col(T.INPUT_HEADERS, '効果額（千円）')}{FIRST},1)" in amount.formula1


def test_kpi_validations_cover_exactly_the_input_cells(plan, generated):
    for dept, path in zip(plan.departments, generated[1]):
        ws = _open(path)[T.KPI_SHEET]
        count = len(plan.kpis_led_by(dept))
        found = _validations(ws)
        if not count:
            assert found == {}
            continue
        assert set(found) == set(T.KPI_INPUT_COLUMNS)
        for name, (dv, first_row, last_row) in found.items():
            assert (first_row, last_row) == (FIRST, FIRST + count - 1)
            assert dv.errorStyle == "stop" and dv.prompt


def test_input_and_fixed_cells_look_different_and_are_protected(plan, generated):
    for dept, path in zip(plan.departments, generated[1]):
        wb = _open(path)
        for sheet, headers, inputs, count in (
            (T.INPUT_SHEET, T.INPUT_HEADERS, T.INPUT_COLUMNS, len(plan.items_for(dept))),
            (T.KPI_SHEET, T.KPI_HEADERS, T.KPI_INPUT_COLUMNS, len(plan.kpis_led_by(dept))),
        ):
            ws = wb[sheet]
            assert ws.protection.sheet, f"{sheet} is protected"
            assert ws.protection.password is None
            assert not ws.protection.formatRows and not ws.protection.formatColumns, "resizing stays allowed"
            for row in range(FIRST, FIRST + count):
                for col, name in enumerate(headers, start=1):
                    cell = ws.cell(row=row, column=col)
                    if name in inputs:
                        assert not cell.protection.locked, cell.coordinate
                        assert cell.fill.fgColor.rgb == INPUT_FILL.fgColor.rgb
                    else:
                        assert cell.protection.locked, cell.coordinate
                        assert cell.fill.fgColor.rgb == FIXED_FILL.fgColor.rgb
            assert ws.cell(row=T.HEADER_ROW, column=1).protection.locked


def test_empty_required_cells_are_highlighted(plan, generated):
    for dept, path in zip(plan.departments, generated[1]):
        ws = _open(path)[T.INPUT_SHEET]
        last = FIRST + len(plan.items_for(dept)) - 1
        rules = {range_boundaries(str(cf.sqref)): cf.rules for cf in ws.conditional_formatting}
        choices = {"自己評価": grade_spellings(), "進捗": progress_spellings()}
        for name in T.REQUIRED_INPUT_COLUMNS:
            col = _col(T.INPUT_HEADERS, name)
            (rule,) = [r for r in rules[range_boundaries(f"{col}{FIRST}:{col}{last}")] if r.dxf.fill is not None]
            assert rule.formula == [problem_condition(f"{col}{FIRST}", choices.get(name))], "as the count counts"
            assert len(rule.formula[0]) < 255, "Excel's limit for a conditional-format formula"
            colors = {rule.dxf.fill.fgColor.rgb, rule.dxf.fill.bgColor.rgb}
            assert MISSING_FILL.fgColor.rgb in colors


def test_remaining_count_formula_counts_every_required_cell(plan, generated):
    ws = _open(generated[0] / "R8_DX推進課.xlsx")[T.INPUT_SHEET]
    blank = '(LEN(TRIM(SUBSTITUTE({},"\u3000"," ")))=0)'
    assert ws[COUNT_CELL].value == "=" + "+".join([
        f"SUMPRODUCT({blank.format('D5:D8')}*1)",
        f"SUMPRODUCT({problem_condition('E5:E8', grade_spellings())}*1)",
        f"SUMPRODUCT({problem_condition('F5:F8', progress_spellings())}*1)",
        f"SUMPRODUCT({problem_condition('I5:I8', EFFECT_KINDS, 'G5:G8')}*1)",  # with an amount: its 区分
        f"SUMPRODUCT({problem_condition('K5:K8', None, 'G5:G8')}*1)",  # and its 算定根拠
        "SUMPRODUCT(" + blank.format(f"'KPI実績'!F5:F{FIRST + len(plan.kpis_led_by('DX推進課')) - 1}") + "*1)"]), "blank KPI 実績値 counted too"
    assert "未入力" in ws[COUNT_CELL].number_format and "提出できます" in ws[COUNT_CELL].number_format
    assert ws.parent.calculation.fullCalcOnLoad
    assert count_formula({T.INPUT_SHEET: [Counted("E5:E6", ("A",))], T.KPI_SHEET: [Counted("F5:F7")]}) == (
        '=SUMPRODUCT(((ISERROR(FIND("|"&TRIM(SUBSTITUTE(E5:E6,"\u3000"," "))&"|","|A|"))'
        '+ISNUMBER(FIND("|",TRIM(SUBSTITUTE(E5:E6,"\u3000"," ")))))>0)*1)'
        "+SUMPRODUCT(" + blank.format("'KPI実績'!F5:F7") + "*1)")
    assert count_formula({T.INPUT_SHEET: [], T.KPI_SHEET: []}) == "=0"


def test_layout_for_reading_and_printing(generated):
    ws = _open(generated[0] / "R8_人事行政課.xlsx")[T.INPUT_SHEET]
    assert ws.freeze_panes == "C5"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == f"${T.HEADER_ROW}:${T.HEADER_ROW}"
    widths = {c: ws.column_dimensions[c].width for c in "ABCDEFGH"}
    assert widths["D"] == max(widths.values()), "取組状況 is the widest column"
    for row in range(FIRST, FIRST + 10):
        assert ws.row_dimensions[row].height >= 60
        assert ws[f"C{row}"].alignment.wrap_text and ws[f"D{row}"].alignment.wrap_text


def test_guide_explains_grades_progress_amounts_and_rules(generated):
    ws = _open(generated[0] / "R8_税務課.xlsx")[T.GUIDE_SHEET]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    for phrase in ("効果が増大", "以前と同様の成果・効果", "効果が薄い", "疑義", "評価対象外", *PROGRESS,
                   "千円", "123万円", "１，２３４", "26%", "提出期限", "問合せ先", "シート名の変更", "税務課"):
        assert phrase in text, phrase
    assert ws.protection.sheet
    deadline = next(c for row in ws.iter_rows() for c in row if c.value == "提出期限")
    field = ws.cell(row=deadline.row, column=deadline.column + 1)
    assert field.value == "（設定シートに未記入）" and field.protection.locked, "shown from 設定, not an empty input"
    assert "はい" not in text, "lists refuse; nobody is told to press はい"


def test_hidden_sheet_records_plan_department_and_year(plan, generated):
    for dept, path in zip(plan.departments, generated[1]):
        ws = _open(path)[T.META_SHEET]
        meta = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(1, ws.max_row + 1)}
        assert tuple(meta) == T.META_KEYS
        assert meta[T.META_PLAN_NAME] == plan.settings.plan_name
        assert meta[T.META_FINGERPRINT] == plan.fingerprint
        assert meta[T.META_DEPARTMENT] == dept
        assert meta[T.META_YEAR] == "R8"
        assert meta[T.META_VERSION] == T.TEMPLATE_VERSION
        assert meta[T.META_CREATED]
        assert ws.protection.sheet


def test_quiet_when_not_on_a_terminal(plan, tmp_path, capsys):
    generate_workbooks(plan, YEAR, tmp_path)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_regenerating_replaces_files_without_leftovers(plan, tmp_path):
    first = generate_workbooks(plan, YEAR, tmp_path)
    second = generate_workbooks(plan, YEAR, tmp_path)
    assert first == second
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in first)


# --- another city, another period --------------------------------------------------------------

def other_city_plan() -> Plan:
    """A six-year plan (R3–R8) of another city, with a multi-department item and a %-KPI."""
    settings = Settings("第3次さくら市行財政改革大綱実施計画", "さくら市", 2021, 2026)
    items = [
        Item("A-01", "健全な財政運営", "(1) 歳入確保", "1", "市税収納率の向上", actions="①滞納整理の強化\n②口座振替の推進",
             in_charge=("収納課", "関係各課")),
        Item("A-02", "健全な財政運営", "(1) 歳入確保", "2", "使用料・手数料の見直し", in_charge=("財政課", "収納課")),
        Item("B-01", "行政運営", "(2) 組織", "1", "窓口業務の委託", in_charge=("関係課",)),
    ]
    kpis = [Kpi("A-01", "市税収納率", "%", 2020, 97.5, 2026, 98.6), Kpi("A-02", "見直し件数", "件", 2020, 0, 2026, 12)]
    bars = [Bar("A-01", "①滞納整理の強化", 2021, 2023), Bar("A-01", "②口座振替の推進", 2024, 2026)]
    return Plan(settings, items, kpis, bars)


def test_another_city_and_six_year_period(tmp_path):
    plan = other_city_plan()
    paths = generate_workbooks(plan, 2023, tmp_path)
    assert [p.name for p in paths] == ["R5_収納課.xlsx", "R5_財政課.xlsx"]
    wb = _open(tmp_path / "R5_収納課.xlsx")
    rows = _table(wb[T.INPUT_SHEET], T.INPUT_HEADERS)
    assert [r[0] for r in rows] == ["A-01", "A-02"]
    assert "令和5年度 第3次さくら市行財政改革大綱実施計画" in wb[T.INPUT_SHEET]["A1"].value
    kpis = _table(wb[T.KPI_SHEET], T.KPI_HEADERS)
    assert kpis == [("A-01", "市税収納率", "%", 97.5, 98.6, None, None)]
    assert wb[T.KPI_SHEET]["D5"].number_format == "#,##0.##"
    meta = wb[T.META_SHEET]
    assert meta["B4"].value == format_fiscal_year(2023) == "R5"
    assert meta["B2"].value == plan.fingerprint
    finance = _open(tmp_path / "R5_財政課.xlsx")
    assert [r[0] for r in _table(finance[T.INPUT_SHEET], T.INPUT_HEADERS)] == ["A-02"]
    assert _table(finance[T.KPI_SHEET], T.KPI_HEADERS) == [("A-02", "見直し件数", "件", 0, 12, None, None)], \
        "an item's KPIs go to its first listed department"


# --- many departments: worker processes -----------------------------------------------------------

def _fingerprint_of_book(path: Path) -> list:
    """What a department sees of a workbook, minus the creation time: values, styles, validations, formats."""
    wb = openpyxl.load_workbook(path)
    seen = []
    for ws in wb.worksheets:
        seen.append((ws.title, ws.sheet_state, ws.protection.sheet, ws.freeze_panes))
        for row in ws.iter_rows():
            for cell in row:
                if ws.title == T.META_SHEET and cell.column == 2 and cell.row > 1:
                    continue  # 作成日時 differs between two runs
                seen.append((cell.coordinate, cell.value, cell.number_format, cell.font.b, cell.fill.fgColor.rgb,
                             cell.protection.locked, cell.border.left.style))
        seen += sorted((str(dv.sqref), dv.type, dv.formula1) for dv in ws.data_validations.dataValidation)
        seen += sorted(str(cf.sqref) for cf in ws.conditional_formatting)
    return seen


def test_worker_processes_write_the_same_workbooks(plan, tmp_path, monkeypatch):
    import addin.forms.generate as generate

    serial = generate_workbooks(plan, YEAR, tmp_path / "serial", workers=1)
    monkeypatch.setattr(generate, "PARALLEL_MIN_DEPARTMENTS", 1)
    parallel = generate_workbooks(plan, YEAR, tmp_path / "parallel", workers=2)
    assert [p.name for p in parallel] == [p.name for p in serial]
    for a, b in zip(serial, parallel):
        assert _fingerprint_of_book(a) == _fingerprint_of_book(b), a.name


def test_an_error_in_a_worker_reaches_the_caller_as_it_was(plan, tmp_path, monkeypatch):
    import addin.forms.generate as generate
    from addin.errors import OutputError

    blocker = tmp_path / "様式"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    monkeypatch.setattr(generate, "PARALLEL_MIN_DEPARTMENTS", 1)
    with pytest.raises(OutputError) as exc_info:
        generate_workbooks(plan, YEAR, blocker, workers=2)
    assert "書き込めません" in str(exc_info.value) and exc_info.value.reason
