"""Generate the department entry workbooks: one macro-free .xlsx per department and fiscal year.

The layout (sheet names, headers, the header row, which columns are input) comes from
:mod:`addin.forms.layout`; this module only decides how it looks and how Excel guides the
department while it types. Departments have neither Python nor the add-in, so the form itself
must tell the truth: Excel's checks refuse (error style ``stop``) exactly what validation would
reject as typed (a value outside a list, a negative amount, text over its limit), and the count
cell counts what validation would reject among the cells Excel cannot refuse (blank or only
spaces, a value pasted past the list), with the same condition that colours the cell orange.
Free-form values SPEC accepts (123万円, 全角の数字) are not lists and get through.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Iterator

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.worksheet import Worksheet

from addin.atomic import atomic_write
from addin.errors import ReformError
from addin.fiscal import format_fiscal_year, format_fiscal_year_long
from addin.forms import layout as T
from addin.forms import previous
from addin.forms.cells import fit_row_height, mark_overflow
from addin.forms.checks import add_input_checks, add_kpi_checks, add_response_check
from addin.forms.count import Counted, count_formula, highlight_problems, problem_condition
from addin.forms.cells import fixed as _fixed
from addin.forms.cells import input_cell as _input
from addin.forms.guide import build_guide_sheet, build_meta_sheet, print_header
from addin.names import distinct_parts, file_part, inside
from addin.normalize import grade_spellings, progress_spellings
from addin.outputs import PLAN, check_outputs
from addin.plan.model import Item, Kpi, Plan
from addin.vocab import EFFECT_KINDS
from addin.xlsx.styles import (
    BOLD_FONT,
    CENTER,
    COUNT_FONT,
    DONE_FONT,
    LOCKED,
    NOTE_FONT,
    SUBTITLE_FONT,
    TITLE_FONT,
    WRAP_TOP,
    protect_sheet,
    set_widths,
    setup_print,
    style_header_row,
)

__all__ = ["build_department_workbook", "generate_workbooks", "count_formula", "problem_condition", "Counted",
           "INPUT_LAYOUT", "KPI_LAYOUT", "COUNT_LABEL", "COUNT_DONE"]

FIRST_DATA_ROW = T.HEADER_ROW + 1
COUNT_CELL = "D2"  # on 入力: 「未入力・入力誤り N 件」, computed by Excel on open
COUNT_LABEL = "未入力・入力誤り"
COUNT_DONE = "提出できます"
# A number shown as 「未入力・入力誤り 3 件」, and as 「提出できます」 exactly when it is 0.
COUNT_FORMAT = f'"{COUNT_LABEL} "0" 件";"{COUNT_LABEL} "0" 件";"{COUNT_DONE}"'
# Title-area inputs (not required, not read by validation): who filled the form and how to reach them.
WRITER_LABEL, WRITER_CELL = ("E2", "記入者"), "F2"
CONTACT_LABEL, CONTACT_CELL = ("G2", "連絡先"), "H2"

# Column order of each table: the read-back headers first, in their first version's places (cell
# addresses in earlier messages and tests stay valid), then the grey reference columns.
INPUT_LAYOUT = T.INPUT_HEADERS + T.EFFECT_HEADERS + (T.INPUT_ROLE, T.INPUT_PHASE)
KPI_LAYOUT = T.KPI_HEADERS + (T.KPI_BASELINE_YEAR, T.KPI_TARGET_YEAR, T.KPI_DIRECTION, T.KPI_YEAR_TARGET)
INPUT_WIDTHS = {"項目ID": 9, "改革項目": 20, "主な取組": 28, "取組状況": 46, "自己評価": 9, "進捗": 11,
                "効果額（千円）": 12, "今後の課題・方向性": 30, T.EFFECT_KIND: 11, T.EFFECT_CERTAINTY: 9,
                T.EFFECT_BASIS: 30, T.NEXT_YEAR_EFFECT: 12, T.INPUT_ROLE: 16, T.INPUT_PHASE: 24}
KPI_WIDTHS = {"項目ID": 9, "指標名": 36, "単位": 8, "基準値": 13, "目標値": 13, "実績値": 13, "備考": 40,
              T.KPI_BASELINE_YEAR: 9, T.KPI_TARGET_YEAR: 9, T.KPI_DIRECTION: 8, T.KPI_YEAR_TARGET: 11}
PREVIOUS_NOTE = (f"灰色の「前年度…」の列は前年度の記録です。「{T.RESPONSE}」は、前年度に事務局・委員会のコメントがあった行"
                 "（黄色のセル）だけ記入が必要です。")
MIN_ROW_HEIGHT = 75.0  # points: room for a few lines of 取組状況 before anyone resizes the row
WHOLE_PERIOD = "計画期間を通じて実施"
NO_PHASE_THIS_YEAR = "（今年度に当たる工程なし）"
UP, DOWN = "増やす", "減らす"

def _lay_out_table(ws, cols: dict[str, str], freeze_at: str, columns: int, rows: int,
                   pages_wide: int = 1) -> tuple[int, int]:
    """Frozen header, print setup and print area of an input table; returns its first and last data rows.

    A table too wide for one legible A4 page (last year's record beside this year's) prints
    ``pages_wide`` pages across, the key columns before ``freeze_at`` repeated on each.
    """
    first, last = FIRST_DATA_ROW, FIRST_DATA_ROW + rows - 1
    ws.freeze_panes = f"{cols[freeze_at]}{FIRST_DATA_ROW}"
    setup_print(ws, f"{T.HEADER_ROW}:{T.HEADER_ROW}")
    if pages_wide > 1:
        ws.page_setup.fitToWidth = pages_wide
        ws.print_title_cols = f"A:{get_column_letter(column_index_from_string(cols[freeze_at]) - 1)}"
    ws.print_area = f"A1:{get_column_letter(columns)}{max(last, T.HEADER_ROW)}"
    return first, last


def _column_letters(headers: tuple[str, ...]) -> dict[str, str]:
    return {name: get_column_letter(i) for i, name in enumerate(headers, start=1)}


def _title_block(ws: Worksheet, title: str) -> None:
    ws.cell(row=1, column=1, value=title).font = TITLE_FONT
    ws.row_dimensions[1].height = 24


def _writer_cells(ws: Worksheet) -> None:
    """記入者 and 連絡先: who filled the form (optional inputs in the title area)."""
    for (label_ref, label), input_ref in ((WRITER_LABEL, WRITER_CELL), (CONTACT_LABEL, CONTACT_CELL)):
        ws[label_ref] = label
        ws[label_ref].font = BOLD_FONT
        ws[label_ref].alignment = Alignment(horizontal="right", vertical="center")
        _input(ws[input_ref], Alignment(vertical="center", shrink_to_fit=True))


def _info_row(ws: Worksheet, department: str, year: int) -> None:
    ws["A2"] = "担当課"
    ws["A2"].font = BOLD_FONT
    ws["B2"] = department
    ws["B2"].font = SUBTITLE_FONT
    ws["C2"] = f"報告年度　{format_fiscal_year_long(year)}（{format_fiscal_year(year)}）"
    ws["C2"].font = SUBTITLE_FONT
    for ref in ("A2", "B2", "C2"):
        ws[ref].alignment = Alignment(vertical="center")
    ws.row_dimensions[2].height = 20


def _role(item: Item, department: str) -> str:
    """主担当, or 関係課 with the lead named (the lead reports the KPIs)."""
    if item.lead == department:
        return T.LEAD_ROLE
    return f"{T.RELATED_ROLE}\n（主担当：{item.lead}）"


def _phase_this_year(plan: Plan, item: Item, year: int) -> str:
    """The 工程 whose bar includes ``year`` (進捗 is judged against it)."""
    if not plan.bars_by_item.get(item.item_id):
        return f"{WHOLE_PERIOD}（{plan.period_label}）"
    labels = [f"{bar.label}（{format_fiscal_year(bar.start)}～{format_fiscal_year(bar.end)}）"
              for bar in plan.bars_for(item) if bar.start <= year <= bar.end]
    return "\n".join(labels) or NO_PHASE_THIS_YEAR


def _direction(kpi: Kpi) -> str | None:
    if kpi.baseline is None or kpi.target is None or kpi.baseline == kpi.target:
        return None
    return DOWN if kpi.lower_is_better else UP


def _build_input_sheet(ws: Worksheet, plan: Plan, department: str, year: int, items: list[Item],
                       carry: previous.CarryOver | None) -> list[Counted]:
    """Fill 入力 (with last year's record when ``carry``); returns the ranges the count cell counts."""
    layout = INPUT_LAYOUT + previous.input_headers(carry)
    cols = _column_letters(layout)
    year_long = format_fiscal_year_long(year)
    _title_block(ws, f"{year_long} {plan.settings.plan_name} 取組状況調書（{department}）")
    _info_row(ws, department, year)
    _writer_cells(ws)
    ws["A3"] = ("黄色のセルに入力してください。灰色のセルは計画で定められた内容のため変更できません。"
                "オレンジ色のセルは未入力か一覧にない値です（正しく入力すると色が消えます）。"
                f"進捗は「{T.INPUT_PHASE}」の予定に対して選んでください。" + (PREVIOUS_NOTE if carry else ""))
    ws["A3"].font = NOTE_FONT
    for col, name in enumerate(layout, start=1):
        ws.cell(row=T.HEADER_ROW, column=col, value=name)
    style_header_row(ws, T.HEADER_ROW, 1, len(layout))
    ws.row_dimensions[T.HEADER_ROW].height = 30
    set_widths(ws, {cols[name]: width for name, width in {**INPUT_WIDTHS, **previous.WIDTHS}.items() if name in cols})

    for row, item in enumerate(items, start=FIRST_DATA_ROW):
        _fixed(ws[f"{cols['項目ID']}{row}"], item.item_id, align=Alignment(horizontal="center", vertical="top"))
        _fixed(ws[f"{cols['改革項目']}{row}"], item.name)
        _fixed(ws[f"{cols['主な取組']}{row}"], item.actions or item.content or None)
        _fixed(ws[f"{cols[T.INPUT_ROLE]}{row}"], _role(item, department))
        _fixed(ws[f"{cols[T.INPUT_PHASE]}{row}"], _phase_this_year(plan, item, year))
        for name in T.INPUT_COLUMNS:
            centered = name in ("自己評価", "進捗", T.EFFECT_KIND, T.EFFECT_CERTAINTY)
            _input(ws[f"{cols[name]}{row}"], CENTER if centered else WRAP_TOP)
        for name in ("効果額（千円）", T.NEXT_YEAR_EFFECT):
            ws[f"{cols[name]}{row}"].number_format = "#,##0"
            ws[f"{cols[name]}{row}"].alignment = Alignment(horizontal="right", vertical="top")
        if carry:
            previous.write_input_row(ws, cols, row, item, department, carry)
        fit_row_height(ws, row, MIN_ROW_HEIGHT)

    first, last = _lay_out_table(ws, cols, "主な取組", len(layout), len(items), pages_wide=2 if carry else 1)
    if last < first:
        return []

    def ref(name: str) -> str:
        return f"{cols[name]}{first}:{cols[name]}{last}"

    add_input_checks(ws, ref, f"{cols['効果額（千円）']}{first}", year_long)
    for name in ("取組状況", "今後の課題・方向性", T.EFFECT_BASIS):
        mark_overflow(ws, ref(name), INPUT_WIDTHS[name])
    choices = {"自己評価": grade_spellings(), "進捗": progress_spellings()}
    counted = [Counted(ref(name), choices.get(name)) for name in T.REQUIRED_INPUT_COLUMNS]
    # With an amount, its 区分 and 算定根拠 are required too (the same rule as validation's).
    counted += [Counted(ref(T.EFFECT_KIND), EFFECT_KINDS, ref("効果額（千円）")),
                Counted(ref(T.EFFECT_BASIS), required_if=ref("効果額（千円）"))]
    if carry:
        add_response_check(ws, ref(T.RESPONSE))
        mark_overflow(ws, ref(T.RESPONSE), previous.WIDTHS[T.RESPONSE])
        counted.append(Counted(ref(T.RESPONSE), required_if=ref(T.PREV_COMMENT)))
    highlight_problems(ws, counted)
    return counted


def _kpi_number_format(value: float | None) -> str:
    # "#,##0.##" alone shows "24." for whole numbers; keep the dot only where there are decimals.
    if value is None or float(value).is_integer():
        return "#,##0"
    return "#,##0.##"


def _build_kpi_sheet(ws: Worksheet, plan: Plan, department: str, year: int, kpis: list[Kpi],
                     carry: previous.CarryOver | None) -> list[Counted]:
    """Fill KPI実績 (every earlier year's actual when ``carry``); returns the ranges the count cell counts."""
    layout = KPI_LAYOUT + previous.kpi_headers(carry)
    cols = _column_letters(layout)
    _title_block(ws, f"{format_fiscal_year_long(year)} KPI実績（{department}）")
    _info_row(ws, department, year)
    if kpis:
        ws["A3"] = (f"{format_fiscal_year_long(year)}の実績値を黄色のセルに入力してください（未確定なら空欄のまま備考に理由を書いてください。"
                    "空欄の実績値は「入力」シートの件数に数えられます）。"
                    "単位が「%」の指標は 26 または 26% のように入力してください（どちらも26%として扱います）。")
        ws["A3"].font = NOTE_FONT
    else:
        ws["A3"] = "この課が報告するKPIはありません（この課が主担当の改革項目にKPIがないため、このシートへの入力は不要です）。"
        ws["A3"].font = SUBTITLE_FONT
    for col, name in enumerate(layout, start=1):
        ws.cell(row=T.HEADER_ROW, column=col, value=name)
    style_header_row(ws, T.HEADER_ROW, 1, len(layout))
    ws.row_dimensions[T.HEADER_ROW].height = 30
    set_widths(ws, {cols[name]: KPI_WIDTHS.get(name, 11) for name in layout})
    right = Alignment(horizontal="right", vertical="top")
    center = Alignment(horizontal="center", vertical="top", wrap_text=True)
    for row, kpi in enumerate(kpis, start=FIRST_DATA_ROW):
        _fixed(ws[f"{cols['項目ID']}{row}"], kpi.item_id, align=Alignment(horizontal="center", vertical="top"))
        _fixed(ws[f"{cols['指標名']}{row}"], kpi.name)
        _fixed(ws[f"{cols['単位']}{row}"], kpi.unit, align=center)
        _fixed(ws[f"{cols['基準値']}{row}"], kpi.baseline, _kpi_number_format(kpi.baseline), right)
        _fixed(ws[f"{cols['目標値']}{row}"], kpi.target, _kpi_number_format(kpi.target), right)
        _fixed(ws[f"{cols[T.KPI_BASELINE_YEAR]}{row}"], format_fiscal_year(kpi.baseline_year), align=center)
        _fixed(ws[f"{cols[T.KPI_TARGET_YEAR]}{row}"], format_fiscal_year(kpi.target_year), align=center)
        _fixed(ws[f"{cols[T.KPI_DIRECTION]}{row}"], _direction(kpi), align=center)
        this_year = plan.year_target(kpi, year)
        _fixed(ws[f"{cols[T.KPI_YEAR_TARGET]}{row}"], this_year, _kpi_number_format(this_year), right)
        if carry:
            previous.write_kpi_row(ws, cols, row, kpi, carry, _kpi_number_format(kpi.baseline))
        _input(ws[f"{cols['実績値']}{row}"], right)
        _input(ws[f"{cols['備考']}{row}"])
        fit_row_height(ws, row, 30.0)

    first, last = _lay_out_table(ws, cols, "単位", len(layout), len(kpis))
    if last < first:
        return []

    actual = f"{cols['実績値']}{first}"
    add_kpi_checks(ws, f"{actual}:{cols['実績値']}{last}", f"{cols['備考']}{first}:{cols['備考']}{last}", year)
    mark_overflow(ws, f"{cols['備考']}{first}:{cols['備考']}{last}", KPI_WIDTHS["備考"])
    counted = [Counted(f"{actual}:{cols['実績値']}{last}")]
    highlight_problems(ws, counted)
    return counted


def build_department_workbook(plan: Plan, department: str, year: int, created: datetime | None = None,
                              carryover: previous.CarryOver | None = None) -> Workbook:
    """The entry workbook of one department for one fiscal year (入力, KPI実績, 記入要領, very hidden 様式情報).

    With ``carryover`` (last year's record from the history) the form shows it beside this year's cells.
    """
    plan = plan.in_year(year)  # the items active this year, merged items under their 統合先
    items = plan.items_for(department)
    if not items:
        raise ReformError(f"計画に「{department}」が担当する改革項目がありません。課名を確認してください。")
    wb = Workbook()
    ws_input = wb.active
    ws_input.title = T.INPUT_SHEET
    ws_kpi = wb.create_sheet(T.KPI_SHEET)
    ws_guide = wb.create_sheet(T.GUIDE_SHEET)
    ws_meta = wb.create_sheet(T.META_SHEET)

    counted = {T.INPUT_SHEET: _build_input_sheet(ws_input, plan, department, year, items, carryover),
               T.KPI_SHEET: _build_kpi_sheet(ws_kpi, plan, department, year, plan.kpis_led_by(department), carryover)}
    count = ws_input[COUNT_CELL]
    count.value = count_formula(counted)
    count.number_format = COUNT_FORMAT
    count.font = COUNT_FONT
    count.alignment = Alignment(horizontal="center", vertical="center")
    ws_input[COUNT_CELL].protection = LOCKED
    ws_input.conditional_formatting.add(COUNT_CELL, CellIsRule(operator="equal", formula=["0"], font=DONE_FONT))
    for ws in (ws_input, ws_kpi):
        protect_sheet(ws)
    build_guide_sheet(ws_guide, plan, department, year)
    build_meta_sheet(ws_meta, plan, department, year, created or datetime.now())
    for ws in (ws_input, ws_kpi, ws_guide):
        print_header(ws, plan, department, year)
    # Sheets cannot be added, removed, renamed or unhidden; no password, as the sheets (the
    # secretariat unprotects with 校閲 → ブックの保護).
    wb.security = WorkbookProtection(lockStructure=True)

    # openpyxl stores no computed values: ask Excel to compute every formula (the count) when opening.
    wb.calculation.fullCalcOnLoad = True
    wb.active = 0
    return wb


PARALLEL_MIN_DEPARTMENTS = 32  # below this, starting worker processes costs more than it saves
_CHUNK = 16
_worker_job: tuple | None = None


def _init_worker(*job) -> None:
    global _worker_job
    _worker_job = job


def _write_one(plan: Plan, year: int, out_dir: Path, created: datetime, tagged: frozenset[str],
               carryover: previous.CarryOver | None, department: str) -> Path:
    wb = build_department_workbook(plan, department, year, created, carryover)
    name = T.workbook_name(format_fiscal_year(year), department, tagged=department in tagged)
    return atomic_write(inside(out_dir, name), wb.save)


def _write_chunk(departments: list[str]) -> list[Path]:
    return [_write_one(*_worker_job, department) for department in departments]


def _written(plan: Plan, year: int, out_dir: Path, created: datetime, departments: list[str],
             workers: int, carryover: previous.CarryOver | None) -> Iterator[list[Path]]:
    """Paths in plan order, a chunk at a time; many departments are spread over the processor's cores."""
    # Departments whose names differ only in letter case would share one file on Windows and macOS.
    parts = distinct_parts(departments)
    tagged = frozenset(d for d in departments if parts[d] != file_part(d))
    forms = [inside(out_dir, T.workbook_name(format_fiscal_year(year), d, tagged=d in tagged)) for d in departments]
    check_outputs([(PLAN, plan.source)], [("様式", path) for path in forms])  # never the plan itself
    job = (plan, year, out_dir, created, tagged, carryover)
    if workers < 2 or len(departments) < PARALLEL_MIN_DEPARTMENTS:
        for department in departments:
            yield [_write_one(*job, department)]
        return
    from addin.workers import pool as worker_pool

    chunks = [departments[i:i + _CHUNK] for i in range(0, len(departments), _CHUNK)]
    # The plan goes to each worker once (initializer); an error in a worker is raised here as it was.
    plan.compute_lookups()
    with worker_pool(workers, _init_worker, job) as pool:  # they end with this process
        yield from pool.map(_write_chunk, chunks)


def generate_workbooks(plan: Plan, year: int, out_dir: str | Path, workers: int | None = None,
                       carryover: previous.CarryOver | None = None) -> list[Path]:
    """Write one entry workbook per department (never 関係課) into ``out_dir``; returns the paths in plan order.

    ``carryover``: last year's record (:func:`addin.consolidation.carryover.load_carryover`), shown on every form.
    """
    out_dir = Path(out_dir)
    plan = plan.in_year(year)
    departments = list(plan.departments)
    workers = (os.cpu_count() or 1) if workers is None else workers
    progress = None
    if sys.stderr is not None and sys.stderr.isatty():
        from tqdm import tqdm

        progress = tqdm(total=len(departments), desc="様式作成", unit="課", file=sys.stderr)
    paths: list[Path] = []
    try:
        for chunk in _written(plan, year, out_dir, datetime.now(), departments, workers, carryover):
            paths.extend(chunk)
            if progress is not None:
                progress.update(len(chunk))
    finally:
        if progress is not None:
            progress.close()
    return paths
