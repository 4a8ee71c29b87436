"""Generate the department entry workbooks: one macro-free .xlsx per department and fiscal year.

The layout (sheet names, headers, the header row, which columns are input) comes from
:mod:`addin.forms.layout`; this module only decides how it looks and how Excel guides the
department while it types. Excel's own checks here guide and never replace validation:
anything SPEC accepts (全角のＡ, 123万円, 予定通り) must get through, so only the text-length
limit of 取組状況 blocks; the other checks ask "continue?" (error style ``warning``).
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Iterator

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from addin.atomic import atomic_write
from addin.errors import ReformError
from addin.fiscal import format_fiscal_year, format_fiscal_year_long
from addin.forms import layout as T
from addin.forms.cells import LINE_HEIGHT
from addin.forms.cells import fixed as _fixed
from addin.forms.cells import input_cell as _input
from addin.forms.guide import build_guide_sheet, build_meta_sheet
from addin.names import distinct_parts, file_part, inside
from addin.outputs import PLAN, check_outputs
from addin.vocab import GRADES, PROGRESS
from addin.plan.model import Item, Kpi, Plan
from addin.xlsx.styles import (
    BOLD_FONT,
    CENTER,
    COUNT_FONT,
    DONE_FONT,
    LOCKED,
    MISSING_FILL,
    NOTE_FONT,
    SUBTITLE_FONT,
    TITLE_FONT,
    WRAP_TOP,
    protect_sheet,
    set_widths,
    setup_print,
    style_header_row,
    text_lines,
)

__all__ = ["build_department_workbook", "generate_workbooks", "count_formula"]

FIRST_DATA_ROW = T.HEADER_ROW + 1
COUNT_CELL = "D2"  # on 入力: 「未入力 N 件」, computed by Excel on open
# A number shown as 「未入力 3 件」, and as 「未入力なし」 once everything required is filled.
COUNT_FORMAT = '"未入力 "0" 件";"未入力 "0" 件";"未入力なし"'

INPUT_WIDTHS = {"項目ID": 9, "改革項目": 20, "主な取組": 32, "取組状況": 46, "自己評価": 9, "進捗": 11,
                "効果額（千円）": 12, "今後の課題・方向性": 34}
KPI_WIDTHS = {"項目ID": 9, "指標名": 40, "単位": 8, "基準値": 13, "目標値": 13, "実績値": 13, "備考": 46}
MIN_ROW_HEIGHT = 75.0  # points: room for a few lines of 取組状況 before anyone resizes the row

# Leading marks that make an amount negative (SPEC: out_of_range); checked by Excel as a warning.
_NEGATIVE_AMOUNT_FORMULA = ('AND(LEFT({c},1)<>"-",LEFT({c},1)<>"－",LEFT({c},1)<>"△",LEFT({c},1)<>"▲",'
                            'LEFT({c},4)<>"マイナス")')


def _lay_out_table(ws, cols: dict[str, str], widths: dict[str, float], freeze_at: str, columns: int,
                   rows: int) -> tuple[int, int]:
    """Widths, frozen header, print setup and print area of an input table; returns its first and last data rows."""
    first, last = FIRST_DATA_ROW, FIRST_DATA_ROW + rows - 1
    set_widths(ws, {cols[name]: width for name, width in widths.items()})
    ws.freeze_panes = f"{cols[freeze_at]}{FIRST_DATA_ROW}"
    setup_print(ws, f"{T.HEADER_ROW}:{T.HEADER_ROW}")
    ws.print_area = f"A1:{get_column_letter(columns)}{max(last, T.HEADER_ROW)}"
    return first, last


def _column_letters(headers: tuple[str, ...]) -> dict[str, str]:
    return {name: get_column_letter(i) for i, name in enumerate(headers, start=1)}


def _title_block(ws: Worksheet, title: str) -> None:
    ws.cell(row=1, column=1, value=title).font = TITLE_FONT
    ws.row_dimensions[1].height = 24


def _validation(ws: Worksheet, ref: str, *, type: str, formula1: str | None = None, operator: str | None = None,
                error_style: str, error_title: str, error: str, prompt_title: str, prompt: str) -> DataValidation:
    dv = DataValidation(type=type, formula1=formula1, operator=operator, allow_blank=True,
                        showErrorMessage=True, errorStyle=error_style, errorTitle=error_title, error=error,
                        showInputMessage=True, promptTitle=prompt_title, prompt=prompt)
    dv.add(ref)
    ws.add_data_validation(dv)
    return dv


def _highlight_missing(ws: Worksheet, ref: str, top_left: str) -> None:
    """Required and still empty (or only spaces): orange until filled."""
    ws.conditional_formatting.add(ref, FormulaRule(formula=[f'LEN(TRIM({top_left}))=0'], fill=MISSING_FILL,
                                                   stopIfTrue=False))


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


def _required_ranges(columns: dict[str, str], required: tuple[str, ...], first: int, last: int) -> list[str]:
    if last < first:
        return []
    return [f"{columns[name]}{first}:{columns[name]}{last}" for name in required]


def _build_input_sheet(ws: Worksheet, plan: Plan, department: str, year: int, items: list[Item]) -> list[str]:
    """Fill 入力; returns the ranges of its required cells (for the count of what is left)."""
    cols = _column_letters(T.INPUT_HEADERS)
    year_long = format_fiscal_year_long(year)
    _title_block(ws, f"{year_long} {plan.settings.plan_name} 取組状況調書（{department}）")
    _info_row(ws, department, year)
    ws["A3"] = ("黄色のセルに入力してください。灰色のセルは計画で定められた内容のため変更できません。"
                "オレンジ色のセルは未入力の必須項目です（入力すると色が消えます）。")
    ws["A3"].font = NOTE_FONT
    for col, name in enumerate(T.INPUT_HEADERS, start=1):
        ws.cell(row=T.HEADER_ROW, column=col, value=name)
    style_header_row(ws, T.HEADER_ROW, 1, len(T.INPUT_HEADERS))
    ws.row_dimensions[T.HEADER_ROW].height = 30

    for row, item in enumerate(items, start=FIRST_DATA_ROW):
        _fixed(ws[f"{cols['項目ID']}{row}"], item.item_id, align=Alignment(horizontal="center", vertical="top"))
        _fixed(ws[f"{cols['改革項目']}{row}"], item.name)
        _fixed(ws[f"{cols['主な取組']}{row}"], item.actions or item.content or None)
        for name in T.INPUT_COLUMNS:
            centered = name in ("自己評価", "進捗")
            _input(ws[f"{cols[name]}{row}"], CENTER if centered else WRAP_TOP)
        ws[f"{cols['効果額（千円）']}{row}"].number_format = "#,##0"
        ws[f"{cols['効果額（千円）']}{row}"].alignment = Alignment(horizontal="right", vertical="top")
        lines = max(text_lines(item.name, INPUT_WIDTHS["改革項目"]),
                    text_lines(item.actions or item.content or "", INPUT_WIDTHS["主な取組"]))
        ws.row_dimensions[row].height = max(MIN_ROW_HEIGHT, lines * LINE_HEIGHT + 6)

    first, last = _lay_out_table(ws, cols, INPUT_WIDTHS, "主な取組", len(T.INPUT_HEADERS), len(items))
    if last < first:
        return []

    def ref(name: str) -> str:
        return f"{cols[name]}{first}:{cols[name]}{last}"

    _validation(ws, ref("取組状況"), type="textLength", operator="lessThanOrEqual", formula1=str(T.STATUS_MAX_LENGTH),
                error_style="stop", error_title="文字数の上限",
                error=f"取組状況は{T.STATUS_MAX_LENGTH:,}字以内で入力してください。",
                prompt_title="取組状況（必須）",
                prompt=f"{year_long}に実施した取組の内容と成果を具体的に記入してください（{T.STATUS_MAX_LENGTH:,}字以内）。")
    _validation(ws, ref("自己評価"), type="list", formula1=f'"{",".join(GRADES)}"',
                error_style="warning", error_title="自己評価",
                error="自己評価は A・B・C・- のいずれかを選んでください（全角のＡ・Ｂ・Ｃも受け付けます）。このまま入力しますか？",
                prompt_title="自己評価（必須）",
                prompt="A：効果が増大　B：以前と同様の成果・効果　C：効果が薄い又は取組内容に疑義　-：評価対象外（未実施など）")
    _validation(ws, ref("進捗"), type="list", formula1=f'"{",".join(PROGRESS)}"',
                error_style="warning", error_title="進捗",
                error=f"進捗は {'・'.join(PROGRESS)} のいずれかを選んでください。このまま入力しますか？",
                prompt_title="進捗（必須）", prompt="工程表の予定に対する進み具合を一覧から選んでください。")
    amount = f"{cols['効果額（千円）']}{first}"
    _validation(ws, ref("効果額（千円）"), type="custom", formula1=_NEGATIVE_AMOUNT_FORMULA.format(c=amount),
                error_style="warning", error_title="効果額",
                error="効果額にマイナスは入力できません。削減額・増収額をプラスの金額で入力してください。このまま入力しますか？",
                prompt_title="効果額（千円）（任意）",
                prompt="取組による削減額・増収額を千円単位で入力してください。例：1,234　123万円（=1,230千円）。効果額がなければ空欄のまま。")
    _validation(ws, ref("今後の課題・方向性"), type="textLength", operator="lessThanOrEqual",
                formula1=str(T.TEXT_MAX_LENGTH), error_style="warning", error_title="文字数の上限",
                error=f"{T.TEXT_MAX_LENGTH:,}字以内で入力してください。このまま入力しますか？",
                prompt_title="今後の課題・方向性（任意）", prompt="次年度以降の課題と取組の方向性を記入してください。")
    ranges = _required_ranges(cols, T.REQUIRED_INPUT_COLUMNS, first, last)
    for name, rng in zip(T.REQUIRED_INPUT_COLUMNS, ranges):
        _highlight_missing(ws, rng, f"{cols[name]}{first}")
    return ranges


def _kpi_number_format(value: float | None) -> str:
    # "#,##0.##" alone shows "24." for whole numbers; keep the dot only where there are decimals.
    if value is None or float(value).is_integer():
        return "#,##0"
    return "#,##0.##"


def _build_kpi_sheet(ws: Worksheet, plan: Plan, department: str, year: int, kpis: list[Kpi]) -> list[str]:
    """Fill KPI実績; returns the ranges of its required cells."""
    cols = _column_letters(T.KPI_HEADERS)
    _title_block(ws, f"{format_fiscal_year_long(year)} KPI実績（{department}）")
    _info_row(ws, department, year)
    if kpis:
        ws["A3"] = (f"{format_fiscal_year_long(year)}の実績値を黄色のセルに入力してください。"
                    "単位が「%」の指標は 26 または 26% のように入力してください（どちらも26%として扱います）。")
        ws["A3"].font = NOTE_FONT
    else:
        ws["A3"] = "この課が報告するKPIはありません（この課が主担当の改革項目にKPIがないため、このシートへの入力は不要です）。"
        ws["A3"].font = SUBTITLE_FONT
    for col, name in enumerate(T.KPI_HEADERS, start=1):
        ws.cell(row=T.HEADER_ROW, column=col, value=name)
    style_header_row(ws, T.HEADER_ROW, 1, len(T.KPI_HEADERS))
    ws.row_dimensions[T.HEADER_ROW].height = 30
    right = Alignment(horizontal="right", vertical="top")
    for row, kpi in enumerate(kpis, start=FIRST_DATA_ROW):
        _fixed(ws[f"{cols['項目ID']}{row}"], kpi.item_id, align=Alignment(horizontal="center", vertical="top"))
        _fixed(ws[f"{cols['指標名']}{row}"], kpi.name)
        _fixed(ws[f"{cols['単位']}{row}"], kpi.unit, align=Alignment(horizontal="center", vertical="top"))
        _fixed(ws[f"{cols['基準値']}{row}"], kpi.baseline, _kpi_number_format(kpi.baseline), right)
        _fixed(ws[f"{cols['目標値']}{row}"], kpi.target, _kpi_number_format(kpi.target), right)
        _input(ws[f"{cols['実績値']}{row}"], right)
        _input(ws[f"{cols['備考']}{row}"])
        ws.row_dimensions[row].height = max(30.0, text_lines(kpi.name, KPI_WIDTHS["指標名"]) * LINE_HEIGHT + 6)

    first, last = _lay_out_table(ws, cols, KPI_WIDTHS, "単位", len(T.KPI_HEADERS), len(kpis))
    if last < first:
        return []

    actual = f"{cols['実績値']}{first}"
    _validation(ws, f"{actual}:{cols['実績値']}{last}", type="custom", formula1=_NEGATIVE_AMOUNT_FORMULA.format(c=actual),
                error_style="warning", error_title="実績値",
                error="実績値にマイナスは入力できません。このまま入力しますか？",
                prompt_title="実績値",
                prompt=f"{format_fiscal_year_long(year)}の実績を単位（基準値・目標値と同じ）で入力してください。"
                       "%の指標は 26 または 26% と入力します。未確定なら空欄のまま備考に理由を書いてください。")
    _validation(ws, f"{cols['備考']}{first}:{cols['備考']}{last}", type="textLength", operator="lessThanOrEqual",
                formula1=str(T.TEXT_MAX_LENGTH), error_style="warning", error_title="文字数の上限",
                error=f"{T.TEXT_MAX_LENGTH:,}字以内で入力してください。このまま入力しますか？",
                prompt_title="備考（任意）", prompt="算定方法の補足や、実績値が未確定の理由などを記入してください。")
    ranges = _required_ranges(cols, T.REQUIRED_KPI_COLUMNS, first, last)
    for name, rng in zip(T.REQUIRED_KPI_COLUMNS, ranges):
        _highlight_missing(ws, rng, f"{cols[name]}{first}")
    return ranges


def count_formula(ranges_by_sheet: dict[str, list[str]]) -> str:
    """The formula of the 「未入力 N 件」 cell: blank required cells over both sheets.

    COUNTBLANK counts empty cells and cells holding ""; a cell of only spaces counts as filled here
    (validation still reports it).
    """
    parts = [f"COUNTBLANK({quote_sheetname(sheet)}!{rng})" if sheet != T.INPUT_SHEET else f"COUNTBLANK({rng})"
             for sheet, ranges in ranges_by_sheet.items() for rng in ranges]
    return "=" + ("+".join(parts) if parts else "0")


def build_department_workbook(plan: Plan, department: str, year: int, created: datetime | None = None) -> Workbook:
    """The entry workbook of one department for one fiscal year (入力, KPI実績, 記入要領, hidden 様式情報)."""
    items = plan.items_for(department)
    if not items:
        raise ReformError(f"計画に「{department}」が担当する改革項目がありません。課名を確認してください。")
    wb = Workbook()
    ws_input = wb.active
    ws_input.title = T.INPUT_SHEET
    ws_kpi = wb.create_sheet(T.KPI_SHEET)
    ws_guide = wb.create_sheet(T.GUIDE_SHEET)
    ws_meta = wb.create_sheet(T.META_SHEET)

    ranges = {T.INPUT_SHEET: _build_input_sheet(ws_input, plan, department, year, items),
              T.KPI_SHEET: _build_kpi_sheet(ws_kpi, plan, department, year, plan.kpis_led_by(department))}
    count = ws_input[COUNT_CELL]
    count.value = count_formula(ranges)
    count.number_format = COUNT_FORMAT
    count.font = COUNT_FONT
    count.alignment = Alignment(horizontal="center", vertical="center")
    ws_input[COUNT_CELL].protection = LOCKED
    ws_input.conditional_formatting.add(COUNT_CELL, CellIsRule(operator="equal", formula=["0"], font=DONE_FONT))
    for ws in (ws_input, ws_kpi):
        protect_sheet(ws)
    build_guide_sheet(ws_guide, plan, department, year)
    build_meta_sheet(ws_meta, plan, department, year, created or datetime.now())

    # openpyxl stores no computed values: ask Excel to compute every formula (the count) when opening.
    wb.calculation.fullCalcOnLoad = True
    wb.active = 0
    return wb


PARALLEL_MIN_DEPARTMENTS = 32  # below this, starting worker processes costs more than it saves
_CHUNK = 16
_worker_job: tuple | None = None


def _init_worker(plan: Plan, year: int, out_dir: Path, created: datetime, tagged: frozenset[str]) -> None:
    global _worker_job
    _worker_job = (plan, year, out_dir, created, tagged)


def _write_one(plan: Plan, year: int, out_dir: Path, created: datetime, tagged: frozenset[str],
               department: str) -> Path:
    wb = build_department_workbook(plan, department, year, created)
    name = T.workbook_name(format_fiscal_year(year), department, tagged=department in tagged)
    return atomic_write(inside(out_dir, name), wb.save)


def _write_chunk(departments: list[str]) -> list[Path]:
    return [_write_one(*_worker_job, department) for department in departments]


def _written(plan: Plan, year: int, out_dir: Path, created: datetime, departments: list[str],
             workers: int) -> Iterator[list[Path]]:
    """Paths in plan order, a chunk at a time; many departments are spread over the processor's cores."""
    # Departments whose names differ only in letter case would share one file on Windows and macOS.
    parts = distinct_parts(departments)
    tagged = frozenset(d for d in departments if parts[d] != file_part(d))
    forms = [inside(out_dir, T.workbook_name(format_fiscal_year(year), d, tagged=d in tagged)) for d in departments]
    check_outputs([(PLAN, plan.source)], [("様式", path) for path in forms])  # never the plan itself
    job = (plan, year, out_dir, created, tagged)
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


def generate_workbooks(plan: Plan, year: int, out_dir: str | Path, workers: int | None = None) -> list[Path]:
    """Write one entry workbook per department (never 関係課) into ``out_dir``; returns the paths in plan order."""
    out_dir = Path(out_dir)
    departments = list(plan.departments)
    workers = (os.cpu_count() or 1) if workers is None else workers
    progress = None
    if sys.stderr is not None and sys.stderr.isatty():
        from tqdm import tqdm

        progress = tqdm(total=len(departments), desc="様式作成", unit="課", file=sys.stderr)
    paths: list[Path] = []
    try:
        for chunk in _written(plan, year, out_dir, datetime.now(), departments, workers):
            paths.extend(chunk)
            if progress is not None:
                progress.update(len(chunk))
    finally:
        if progress is not None:
            progress.close()
    return paths
