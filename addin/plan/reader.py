"""Read a plan workbook into a :class:`~addin.plan.model.Plan`, or say exactly what is wrong."""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from typing import Sequence

from addin.backup import KEEP
from addin.errors import PlanError, PlanProblem, UnreadableWorkbook
from addin.fiscal import FiscalYearError, format_fiscal_year, parse_fiscal_year
from addin.normalize import NotANumber, clean_text, fold_width, normalize_id, parse_number
from addin.plan import layout as S
from addin.plan.life import (LifeCells, check_item_lives, read_effect_targets, read_item_life, read_revisions,
                             read_year_targets)
from addin.plan.spellings import DepartmentSpellings
from addin.plan.model import IMPROVEMENT, KPI_METHODS, Bar, Item, Kpi, Plan, Settings, split_departments
from addin.vocab import NO, YES
from addin.xlsx.guard import open_calamine, reading  # the hardened opener: size, zip-bomb and XML checks
from addin.xlsx.tables import Table, find_table, missing_headers

__all__ = ["read_plan"]


def _cell(value: object) -> object:
    """calamine's value as openpyxl gives it: None for an empty cell, 3 rather than 3.0."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _sheet_rows(workbook, name: str) -> list[list[object]] | None:
    if name not in workbook.sheet_names:
        return None
    return [[_cell(v) for v in row] for row in workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)]


def _load(path: Path):
    """Values only, with the fast reader: a plan of thousands of items is read in a fraction of a second.

    A sheet reaching beyond GR100000 is refused before calamine allocates it (a PlanError naming the cell).
    """
    return open_calamine(path, sheets=(S.SETTINGS_SHEET, S.ITEMS_SHEET, S.KPI_SHEET, S.SCHEDULE_SHEET, *S.OPTIONAL_SHEETS))


class _Reader:
    """Collects every problem of one plan workbook before giving up."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[PlanProblem] = []
        self.life_cells: LifeCells = {}

    def problem(self, sheet: str, cell: str | None, message: str) -> None:
        self.problems.append(PlanProblem(sheet, cell, message))

    def table(self, workbook, sheet: str, required: Sequence[str], optional: Sequence[str] = ()) -> Table | None:
        rows = _sheet_rows(workbook, sheet)
        if rows is None:
            self.problem(sheet, None, f"シート「{sheet}」がありません。reform sample-plan で作った計画ワークブックを元にしてください。")
            return None
        table = find_table(rows, required, optional)
        if table is None:
            missing = "、".join(missing_headers(rows, required))
            self.problem(sheet, None, f"見出し行に {missing} がありません。見出しは「{'」「'.join(required)}」としてください。")
        return table

    def optional_table(self, workbook, sheet: str, required: Sequence[str]) -> Table | None:
        """A sheet the plan may leave out; when it is there, its header row must be complete."""
        if sheet not in workbook.sheet_names:
            return None
        return self.table(workbook, sheet, required)

    def year(self, sheet: str, cell: str, value: object, label: str) -> int | None:
        try:
            return parse_fiscal_year(value)
        except FiscalYearError:
            self.problem(sheet, cell, f"{label}「{value if value is not None else '（空欄）'}」を年度として読めません。R8、令和8年度、2026年度のように入力してください。")
            return None

    # ---- sheets

    def settings(self, workbook) -> Settings | None:
        table = self.table(workbook, S.SETTINGS_SHEET, S.SETTINGS_HEADERS)
        if table is None:
            return None
        values: dict[str, tuple[object, str]] = {}
        for index, row in table.data_rows():
            label = clean_text(table.value(row, "項目"))
            if label:
                values[fold_width(label)] = (table.value(row, "値"), table.address(index, "値"))
        for label in S.REQUIRED_SETTINGS:
            if clean_text(values.get(label, (None, ""))[0]) is None:
                self.problem(S.SETTINGS_SHEET, values.get(label, (None, None))[1], f"「{label}」が入力されていません。")
        if any(p.sheet == S.SETTINGS_SHEET for p in self.problems):
            return None
        fields: dict[str, object] = {}
        for label, field_name in S.SETTING_ROWS.items():
            value, cell = values.get(label, (None, None))
            if field_name.endswith("_year"):
                fields[field_name] = None if clean_text(value) is None else self.year(S.SETTINGS_SHEET, cell, value, label)
            elif field_name == "deadline" and isinstance(value, (_dt.date, _dt.datetime)):
                fields[field_name] = value  # a date cell: letters write it in 和暦
            elif field_name == "publish_comments":
                fields[field_name] = self.yes_no(cell, value, label)
            elif field_name == "backup_keep":
                fields[field_name] = self.count(cell, value, label, default=KEEP)
            else:
                fields[field_name] = clean_text(value)
        start, end = fields["start_year"], fields["end_year"]
        if start is None or end is None:
            return None
        if end < start:
            self.problem(S.SETTINGS_SHEET, values["終了年度"][1], f"終了年度（{format_fiscal_year(end)}）が開始年度（{format_fiscal_year(start)}）より前です。")
            return None
        report = fields["report_year"]
        if report is not None and not start <= report <= end:
            self.problem(S.SETTINGS_SHEET, values["報告年度"][1], f"報告年度（{format_fiscal_year(report)}）が計画期間（{format_fiscal_year(start)}～{format_fiscal_year(end)}）の外です。")
        return Settings(**fields)  # type: ignore[arg-type]

    def yes_no(self, cell: str | None, value: object, label: str) -> bool:
        """する / しない (blank = しない)."""
        text = clean_text(value)
        if text is None or text == NO:
            return False
        if text != YES:
            self.problem(S.SETTINGS_SHEET, cell, f"「{label}」は「{YES}」か「{NO}」で入力してください（今は「{text}」）。")
        return text == YES

    def count(self, cell: str | None, value: object, label: str, default: int) -> int:
        """A whole number of 1 or more (blank = ``default``)."""
        try:
            number = parse_number(value)
        except NotANumber:
            number = 0
        if number is None:
            return default
        if number < 1 or number != int(number):
            self.problem(S.SETTINGS_SHEET, cell, f"「{label}」は1以上の整数で入力してください（今は「{clean_text(value)}」）。")
            return default
        return int(number)

    def items(self, workbook) -> list[Item]:
        table = self.table(workbook, S.ITEMS_SHEET, S.ITEM_HEADERS, S.ITEM_OPTIONAL)
        if table is None:
            return []
        spellings = DepartmentSpellings(self)
        items: list[Item] = []
        seen: dict[str, tuple[str, str]] = {}  # normalized ID -> (as typed, cell)
        for index, row in table.data_rows():
            typed = clean_text(table.value(row, "項目ID"))
            item_id = normalize_id(typed)
            id_cell = table.address(index, "項目ID")
            if item_id is None:
                self.problem(S.ITEMS_SHEET, id_cell, "項目IDが空欄です。行ごとに重複しない項目IDを入力してください。")
                continue
            if item_id in seen:
                first_typed, first_cell = seen[item_id]
                spelling = "" if first_typed == typed else f"（全角・半角などの書き方が違うだけで「{first_typed}」と同じです）"
                self.problem(S.ITEMS_SHEET, id_cell,
                             f"項目ID「{typed}」が重複しています{spelling}（最初は {first_cell}）。別の項目IDにしてください。")
                continue
            seen[item_id] = (typed, id_cell)
            name = clean_text(table.value(row, "改革項目"))
            if name is None:
                self.problem(S.ITEMS_SHEET, table.address(index, "改革項目"), f"項目ID「{item_id}」の改革項目が空欄です。")
            in_charge = split_departments(table.value(row, "実施担当"))
            spellings.add(table.value(row, "実施担当"), table.address(index, "実施担当"))
            item = Item(
                item_id=item_id,
                pillar=clean_text(table.value(row, "重点項目")) or "",
                area=clean_text(table.value(row, "取組")) or "",
                number=clean_text(table.value(row, "No.")) or "",
                name=name or "",
                continuing=(clean_text(table.value(row, "継続項目")) or "").upper() in S.CONTINUING_MARKS,
                content=clean_text(table.value(row, "推進内容")) or "",
                actions=clean_text(table.value(row, "主な取組")) or "",
                in_charge=in_charge,
                row=index + 1,
                **read_item_life(self, table, index, row, item_id, self.life_cells),
            )
            if not item.departments:
                self.problem(S.ITEMS_SHEET, table.address(index, "実施担当"),
                             f"項目ID「{item_id}」の実施担当に課がありません（関係課だけでは様式を作れません）。")
            items.append(item)
        if not items and table is not None and not any(p.sheet == S.ITEMS_SHEET for p in self.problems):
            self.problem(S.ITEMS_SHEET, None, "改革項目が1行もありません。")
        return items

    def kpis(self, workbook, item_ids: set[str]) -> list[Kpi]:
        table = self.table(workbook, S.KPI_SHEET, S.KPI_HEADERS, S.KPI_OPTIONAL)
        if table is None:
            return []
        kpis: list[Kpi] = []
        seen: set[tuple[str, str]] = set()
        for index, row in table.data_rows():
            item_id = normalize_id(table.value(row, "項目ID"))
            name = clean_text(table.value(row, "指標名"))
            if not self.known_item(S.KPI_SHEET, table.address(index, "項目ID"), item_id, item_ids):
                continue
            if name is None:
                self.problem(S.KPI_SHEET, table.address(index, "指標名"), f"項目ID「{item_id}」の指標名が空欄です。")
                continue
            if (item_id, name) in seen:
                self.problem(S.KPI_SHEET, table.address(index, "指標名"), f"項目ID「{item_id}」の指標「{name}」が重複しています。")
                continue
            seen.add((item_id, name))
            numbers = {}
            for column in ("基準値", "目標値"):
                try:
                    numbers[column] = parse_number(table.value(row, column))
                except NotANumber:
                    self.problem(S.KPI_SHEET, table.address(index, column), f"{column}「{table.value(row, column)}」を数値として読めません。")
                    numbers[column] = None
            method = clean_text(table.value(row, "算定方法")) or IMPROVEMENT
            if method not in KPI_METHODS:
                self.problem(S.KPI_SHEET, table.address(index, "算定方法"), f"算定方法「{method}」は使えません。「改善」か「比率」を入力してください。")
                method = IMPROVEMENT
            base_year = self.year(S.KPI_SHEET, table.address(index, "基準年度"), table.value(row, "基準年度"), "基準年度")
            target_year = self.year(S.KPI_SHEET, table.address(index, "目標年度"), table.value(row, "目標年度"), "目標年度")
            if base_year is None or target_year is None:
                continue
            kpis.append(Kpi(item_id, name, clean_text(table.value(row, "単位")) or "", base_year,
                            numbers["基準値"], target_year, numbers["目標値"], method, index + 1,
                            clean_text(table.value(row, "旧指標名"))))
        return kpis

    def bars(self, workbook, item_ids: set[str], settings: Settings | None) -> list[Bar]:
        table = self.table(workbook, S.SCHEDULE_SHEET, S.SCHEDULE_HEADERS)
        if table is None:
            return []
        bars: list[Bar] = []
        for index, row in table.data_rows():
            item_id = normalize_id(table.value(row, "項目ID"))
            if not self.known_item(S.SCHEDULE_SHEET, table.address(index, "項目ID"), item_id, item_ids):
                continue
            label = clean_text(table.value(row, "工程")) or ""
            start = self.year(S.SCHEDULE_SHEET, table.address(index, "開始年度"), table.value(row, "開始年度"), "開始年度")
            end = self.year(S.SCHEDULE_SHEET, table.address(index, "終了年度"), table.value(row, "終了年度"), "終了年度")
            if start is None or end is None:
                continue
            if end < start:
                self.problem(S.SCHEDULE_SHEET, table.address(index, "終了年度"),
                             f"工程「{label}」の終了年度（{format_fiscal_year(end)}）が開始年度（{format_fiscal_year(start)}）より前です。")
                continue
            if settings and (start < settings.start_year or end > settings.end_year):
                self.problem(S.SCHEDULE_SHEET, table.address(index, "開始年度" if start < settings.start_year else "終了年度"),
                             f"工程「{label}」（{format_fiscal_year(start)}～{format_fiscal_year(end)}）が計画期間"
                             f"（{format_fiscal_year(settings.start_year)}～{format_fiscal_year(settings.end_year)}）の外にはみ出しています。")
                continue
            bars.append(Bar(item_id, label, start, end, index + 1))
        return bars

    def known_item(self, sheet: str, cell: str, item_id: str | None, item_ids: set[str]) -> bool:
        if item_id is None:
            self.problem(sheet, cell, "項目IDが空欄です。")
            return False
        if item_id not in item_ids:
            self.problem(sheet, cell, f"項目ID「{item_id}」は計画シートにありません。")
            return False
        return True


def read_plan(path: str | os.PathLike) -> Plan:
    """Read and check a plan workbook; raises PlanError listing every problem found."""
    path = Path(path)
    reader = _Reader(path)
    try:
        workbook = _load(path)
        try:
            with reading(path):  # sheets parse lazily: their failures are unreadable-file messages too
                settings = reader.settings(workbook)
                items = reader.items(workbook)
                item_ids = {item.item_id for item in items}
                check_item_lives(reader, items, settings, reader.life_cells)
                kpis = reader.kpis(workbook, item_ids)
                bars = reader.bars(workbook, item_ids, settings)
                year_targets = read_year_targets(reader, workbook, kpis, settings)
                effect_targets = read_effect_targets(reader, workbook, item_ids, settings)
                revisions = read_revisions(reader, workbook, item_ids, settings)
        finally:
            workbook.close()
    except UnreadableWorkbook as exc:
        raise PlanError(path, [PlanProblem("（ファイル）", None, exc.reason)]) from exc
    if reader.problems or settings is None:
        raise PlanError(path, reader.problems)
    return Plan(settings, items, kpis, bars, source=str(path), year_targets=year_targets,
                effect_targets=effect_targets, revisions=revisions)
