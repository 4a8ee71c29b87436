"""What the form carries besides the table: the context a department needs to answer, and who answered.

Departments read the form alone (no add-in, no plan): which 工程 is due this year (進捗 is judged
against it), whether they lead the item, the KPI's years and direction, when and where to send,
and on every printed page whose form it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import openpyxl

from addin.forms import layout as T
from addin.forms.generate import INPUT_LAYOUT, KPI_LAYOUT, build_department_workbook
from addin.plan.reader import read_plan
from addin.plan.writer import write_plan
from addin.validation.validate import validate_inputs

YEAR = 2026
FIRST = T.HEADER_ROW + 1


def _rows(ws, layout) -> dict[str, dict[str, object]]:
    """Data rows by 項目ID (KPI rows by 項目ID and 指標名), as {header: value}."""
    result = {}
    for row in ws.iter_rows(min_row=FIRST, max_col=len(layout), values_only=True):
        if row[0] is None:
            continue
        values = dict(zip(layout, row))
        key = row[0] if layout is INPUT_LAYOUT else (row[0], row[1])
        result[key] = values
    return result


def test_role_says_lead_or_related_with_the_lead_named(plan):
    lead = _rows(build_department_workbook(plan, "DX推進課", YEAR)[T.INPUT_SHEET], INPUT_LAYOUT)
    related = _rows(build_department_workbook(plan, "市民課", YEAR)[T.INPUT_SHEET], INPUT_LAYOUT)
    assert lead["1-(1)-1"][T.INPUT_ROLE] == "主担当"
    assert related["1-(1)-1"][T.INPUT_ROLE] == "関係課\n（主担当：DX推進課）"


def test_phase_of_this_year_is_the_bar_that_includes_it(plan):
    def phase(department, item_id, year):
        ws = build_department_workbook(plan, department, year)[T.INPUT_SHEET]
        return _rows(ws, INPUT_LAYOUT)[item_id][T.INPUT_PHASE]

    # 1-(2)-1: ① R8～R10, ② R11～R12.
    bars = plan.bars_by_item["1-(2)-1"]
    assert phase("DX推進課", "1-(2)-1", 2026) == f"{bars[0].label}（R8～R10）"
    assert phase("DX推進課", "1-(2)-1", 2029) == f"{bars[1].label}（R11～R12）"
    # 1-(1)-5: ② and ③ both run R11～R12.
    both = plan.bars_by_item["1-(1)-5"][1:]
    assert phase("市民課", "1-(1)-5", 2030) == "\n".join(f"{b.label}（R11～R12）" for b in both)
    # No 工程 rows: the item runs through the whole period.
    assert phase("DX推進課", "1-(1)-1", 2026) == "計画期間を通じて実施（R8～R12）"


def test_reference_columns_are_grey_and_locked(plan):
    ws = build_department_workbook(plan, "DX推進課", YEAR)[T.INPUT_SHEET]
    for name in (T.INPUT_ROLE, T.INPUT_PHASE):
        cell = ws.cell(row=FIRST, column=INPUT_LAYOUT.index(name) + 1)
        assert cell.protection.locked and cell.value


def test_kpi_shows_baseline_and_target_years_and_direction(plan):
    rows = _rows(build_department_workbook(plan, "財政課", YEAR)[T.KPI_SHEET], KPI_LAYOUT)
    paper = next(v for k, v in rows.items() if k[1].startswith("PPC用紙"))
    assert (paper[T.KPI_BASELINE_YEAR], paper[T.KPI_TARGET_YEAR], paper[T.KPI_DIRECTION]) == ("R6", "R12", "減らす")
    lights = next(v for k, v in rows.items() if "街路灯" in k[1])
    assert lights[T.KPI_DIRECTION] == "増やす"


def test_writer_and_contact_are_optional_inputs_in_the_title_area(plan):
    ws = build_department_workbook(plan, "DX推進課", YEAR)[T.INPUT_SHEET]
    labels = {c.value: c for row in ws.iter_rows(max_row=T.HEADER_ROW - 1) for c in row if c.value}
    for label in ("記入者", "連絡先"):
        field = ws.cell(row=labels[label].row, column=labels[label].column + 1)
        assert field.value is None and not field.protection.locked


def test_guide_shows_deadline_place_and_contact_from_the_plans_settings(plan, tmp_path):
    settings = replace(plan.settings, deadline=dt.datetime(2027, 5, 28), submit_to="行政改革推進室（共有フォルダ）",
                       contact="行政改革推進室 内線1234")
    written = write_plan(replace(plan, settings=settings), tmp_path / "plan.xlsx")
    read = read_plan(written)
    assert (read.settings.submit_to, read.settings.contact) == ("行政改革推進室（共有フォルダ）", "行政改革推進室 内線1234")
    assert read.fingerprint == plan.fingerprint, "forms made before the rows were filled still match the plan"
    ws = build_department_workbook(read, "税務課", YEAR)[T.GUIDE_SHEET]
    shown = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2) for r in range(1, 10)}
    assert shown["提出期限"].value == "令和9年5月28日（金）"
    assert shown["提出先"].value == "行政改革推進室（共有フォルダ）"
    assert shown["問合せ先（事務局）"].value == "行政改革推進室 内線1234"
    assert all(cell.protection.locked for cell in shown.values() if cell.value), "shown, not empty yellow cells"


def test_every_printed_sheet_names_the_department_and_the_page(plan):
    wb = build_department_workbook(plan, "DX推進課", YEAR)
    for sheet in (T.INPUT_SHEET, T.KPI_SHEET, T.GUIDE_SHEET):
        ws = wb[sheet]
        assert ws.oddHeader.right.text == "DX推進課"
        assert "取組状況調書" in ws.oddHeader.left.text
        assert ws.oddFooter.center.text == "&P / &N"
        assert not ws.HeaderFooter.differentFirst, "page 2 onward carries the same header"


def test_an_ampersand_in_a_department_name_is_printed_not_read_as_a_code(plan):
    item = replace(plan.items[0], in_charge=("企画&DX課",))
    wb = build_department_workbook(replace(plan, items=[item], kpis=[], bars=[]), "企画&DX課", YEAR)
    assert wb[T.INPUT_SHEET].oddHeader.right.text == "企画&&DX課"


def test_a_generated_form_still_validates_with_its_new_columns_and_title_inputs(plan, tmp_path):
    from addin.forms.fill import fill_department_workbook

    wb = build_department_workbook(plan, "DX推進課", YEAR)
    fill_department_workbook(
        wb, {i.item_id: {"取組状況": "実施した。", "自己評価": "A", "進捗": "予定どおり"} for i in plan.items_for("DX推進課")},
        {k.key: {"実績値": 10} for k in plan.kpis_led_by("DX推進課")})
    wb[T.INPUT_SHEET]["F2"] = "山田　太郎"
    wb[T.INPUT_SHEET]["H2"] = "内線1234"
    wb.save(tmp_path / "R8_DX推進課.xlsx")
    run = validate_inputs(plan, [tmp_path], YEAR, workers=1)
    assert [f.status for f in run.files] == ["ok"], [i.code for i in run.issues]
    assert not [i for i in run.issues if i.severity == "error"]


def test_the_meta_sheet_is_very_hidden_and_still_read(plan, tmp_path):
    wb = build_department_workbook(plan, "DX推進課", YEAR)
    wb.save(tmp_path / "R8_DX推進課.xlsx")
    assert openpyxl.load_workbook(tmp_path / "R8_DX推進課.xlsx")[T.META_SHEET].sheet_state == "veryHidden"
    run = validate_inputs(plan, [tmp_path], YEAR, workers=1)
    assert run.files[0].department == "DX推進課"
    assert not {i.code for i in run.issues} & {"wrong_template", "wrong_plan", "wrong_year"}


def test_text_longer_than_the_tallest_row_turns_red(plan):
    """Excel rows stop at 409 points: what does not fit is hidden, so the form says so (red text)."""
    from openpyxl.utils import range_boundaries

    from addin.forms.cells import MAX_ROW_HEIGHT, OVERFLOW_FONT, fit_row_height, visible_characters
    from addin.forms.generate import INPUT_WIDTHS

    wb = build_department_workbook(plan, "DX推進課", YEAR)
    ws = wb[T.INPUT_SHEET]
    limit = visible_characters(INPUT_WIDTHS["取組状況"])
    red = [r for cf in ws.conditional_formatting for r in cf.rules
           if range_boundaries(str(cf.sqref))[:2] == (4, FIRST) and r.dxf.font is not None]
    assert [r.formula for r in red] == [[f"LEN(D{FIRST})>{limit}"]]
    assert red[0].dxf.font.color.rgb.endswith(OVERFLOW_FONT.color.rgb[-6:])
    ws[f"D{FIRST}"] = "あ" * limit
    assert fit_row_height(ws, FIRST, 0) <= MAX_ROW_HEIGHT, "up to the limit, the row still shows it all"
    ws[f"D{FIRST}"] = "あ" * (limit + 40)
    assert fit_row_height(ws, FIRST, 0) == MAX_ROW_HEIGHT
    guide = "".join(str(c.value) for row in wb[T.GUIDE_SHEET].iter_rows() for c in row if c.value)
    assert "赤色" in guide and "ダブルクリック" in guide
