"""Workbook-level rules: one table, one row per rule, each a small function that yields issues.

A rule row says its code and what it needs to run (the plan, the fiscal year,
an intact 入力 table); the words a clerk reads are the code's templates in
:mod:`addin.validation.codes` (one variant per situation). Adding a rule is
adding a row, a function, its template and a test.

Cell-level rules (required, choices, numbers, lengths) are the row schemas of
:mod:`addin.validation.fields`; the one rule across files, ``duplicate_submission``, runs
over every result of a batch.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from addin.fiscal import FiscalYearError, format_fiscal_year_long, parse_fiscal_year
from addin.forms import layout as T
from addin.normalize import normalize_name
from addin.validation.codes import CODES, make_issue
from addin.validation.issues import Issue
from addin.validation.kpi_checks import check_implausible, check_kpi_not_reported
from addin.validation.plan_changes import check_plan_changed, same_number
from addin.validation.previous_checks import check_copied_status, check_response
from addin.validation.records import RawRow, WorkbookRecords
from addin.validation.submission import EntryRow, FileResult, KpiRow
from addin.xlsx.tables import header_key

__all__ = ["Rule", "Context", "RULES", "BATCH_RULES", "run_rules", "run_batch_rules", "department_from_name"]

_FILE_NAME = re.compile(r"^(?:R|Ｒ|令和)?[0-9０-９]+(?:年度)?[_＿](.+)$")

PLAN, YEAR, META, INPUT, KPI = "plan", "year", "meta", "input", "kpi"


@dataclass
class Context:
    """One workbook's records after the cell-level checks, and what they are checked against."""

    records: WorkbookRecords
    plan: object | None  # addin.plan.model.Plan
    year: int | None
    department: str | None
    entries: list[tuple[EntryRow, RawRow]] = field(default_factory=list)
    kpis: list[tuple[KpiRow, RawRow]] = field(default_factory=list)

    @property
    def file(self) -> str:
        return self.records.path

    def available(self) -> set[str]:
        have = set()
        if self.plan is not None:
            have.add(PLAN)
        if self.year is not None:
            have.add(YEAR)
        if self.records.has_meta:
            have.add(META)
        if self.records.table(T.INPUT_SHEET) is not None:
            have.add(INPUT)
        if self.records.table(T.KPI_SHEET) is not None:
            have.add(KPI)
        return have

    def knows_department(self) -> bool:
        return self.plan is not None and self.plan.has_department(self.department)

    def other_plan(self) -> tuple[str, object, str] | None:
        """``(variant, value, cell)`` when the form was made from another plan (another 計画名 or 団体名)."""
        for key, variant in ((T.META_PLAN_NAME, "other_plan"), (T.META_MUNICIPALITY, "other_city")):
            found = self.records.meta_value(key)
            expected = self.plan.settings.plan_name if key == T.META_PLAN_NAME else self.plan.settings.municipality
            if found is not None and expected and header_key(found) != header_key(expected):
                return variant, found, self.records.meta[key].cell
        return None

    def from_earlier_plan(self) -> bool:
        """Made from an earlier version of this plan: the same 計画名 and 団体名, another fingerprint.

        Such a form is matched row by row by 項目ID against the current plan (plan_changed), so a
        cell the plan changed is never blamed on the department and nothing is asked again.
        """
        if self.plan is None or not self.records.has_meta or self.other_plan() is not None:
            return False
        found = self.records.meta_value(T.META_FINGERPRINT)
        return found is not None and str(found).strip() != self.plan.fingerprint


@dataclass(frozen=True)
class Rule:
    """One workbook-level rule."""

    name: str
    code: str
    check: Callable[["Rule", Context], Iterator[Issue]]
    needs: tuple[str, ...] = ()

    @property
    def severity(self) -> str:
        return CODES[self.code].severity

    def issue(self, ctx: Context, sheet: str | None = None, cell: str | None = None, item_id: str | None = None,
              column: str | None = None, value: object = None, variant: str | None = None,
              **details: object) -> Issue:
        """An issue of this rule's code; ``variant`` and ``details`` choose and fill its template."""
        return make_issue(self.code, ctx.file, sheet, cell, item_id, column, value, variant=variant, **details)


# ------------------------------------------------------------------ checks


# The form's own sheets, and the list 入力チェック adds (addin.validation.marks.CHECK_SHEET).
_KNOWN_SHEETS = {T.INPUT_SHEET, T.KPI_SHEET, T.META_SHEET, T.GUIDE_SHEET, "入力チェック結果"}


def check_template(rule: Rule, ctx: Context) -> Iterator[Issue]:
    records = ctx.records
    # A sheet the department renamed: the one sheet that is none of the form's own and keeps the
    # old name in the new one (「入力 (2)」), else the only sheet that is none of the form's own.
    strangers = [s for s in records.sheets if s not in _KNOWN_SHEETS]
    missing = [s for s in (T.INPUT_SHEET, T.KPI_SHEET) if s not in records.sheets]
    for sheet, headers in ((T.INPUT_SHEET, T.INPUT_HEADERS), (T.KPI_SHEET, T.KPI_HEADERS)):
        table = records.tables.get(sheet)
        if sheet not in records.sheets:
            if sheet == T.KPI_SHEET and not _leads_kpis(ctx):
                continue  # a department without KPIs does not need the sheet
            named = [s for s in strangers if sheet in s]
            renamed = named if named else (strangers if len(missing) == 1 else [])
            if len(renamed) == 1:
                yield rule.issue(ctx, sheet, variant="renamed_sheet", found=renamed[0])
            else:
                yield rule.issue(ctx, sheet, variant="missing_sheet")
        elif table is not None and table.header_row is None:
            yield rule.issue(ctx, sheet, variant="missing_headers", missing="、".join(table.missing))
    if not records.has_meta:
        yield rule.issue(ctx, variant="missing_meta", meta=T.META_SHEET)
    else:
        for key in (T.META_FINGERPRINT, T.META_DEPARTMENT, T.META_YEAR):
            if records.meta_value(key) is None:
                cell = records.meta.get(key)
                yield rule.issue(ctx, T.META_SHEET, cell.cell if cell else None, column=key,
                                 variant="missing_meta_key", meta=T.META_SHEET)


def _leads_kpis(ctx: Context) -> bool:
    if ctx.plan is None or ctx.department is None:
        return False
    return bool(ctx.plan.kpis_led_by(ctx.department))


def check_plan(rule: Rule, ctx: Context) -> Iterator[Issue]:
    other = ctx.other_plan()
    if other is not None:
        variant, found, cell = other
        column = T.META_PLAN_NAME if variant == "other_plan" else T.META_MUNICIPALITY
        yield rule.issue(ctx, T.META_SHEET, cell, column=column, value=found, variant=variant,
                         plan=ctx.plan.settings.plan_name, city=ctx.plan.settings.municipality)


def check_department(rule: Rule, ctx: Context) -> Iterator[Issue]:
    if ctx.department is None or ctx.plan.has_department(ctx.department):
        return
    cell = ctx.records.meta.get(T.META_DEPARTMENT)
    yield rule.issue(ctx, T.META_SHEET if cell else None, cell.cell if cell else None, column=T.META_DEPARTMENT,
                     value=ctx.department, variant="unknown_department", plan=ctx.plan.settings.plan_name)


def _year_words(value: object) -> str:
    try:
        return format_fiscal_year_long(parse_fiscal_year(value))
    except FiscalYearError:
        return f"「{value}」"


def check_year(rule: Rule, ctx: Context) -> Iterator[Issue]:
    cell = ctx.records.meta.get(T.META_YEAR)
    found = ctx.records.meta_value(T.META_YEAR)
    if found is None:
        return
    try:
        same = parse_fiscal_year(found) == ctx.year
    except FiscalYearError:
        same = False
    if not same:
        yield rule.issue(ctx, T.META_SHEET, cell.cell, column=T.META_YEAR, value=found, found=_year_words(found),
                         expected=format_fiscal_year_long(ctx.year))


def check_unknown_items(rule: Rule, ctx: Context) -> Iterator[Issue]:
    if not ctx.knows_department() or ctx.from_earlier_plan():
        return  # rows of items no longer in the plan are ignored (listed in plan_changed)
    assigned = {i.item_id for i in ctx.plan.items_for(ctx.department)}
    for entry, _raw in ctx.entries:
        if entry.item_id and entry.item_id not in assigned:
            variant = "not_assigned" if ctx.plan.item(entry.item_id) else None
            yield rule.issue(ctx, T.INPUT_SHEET, entry.cells.get("項目ID"), entry.item_id, "項目ID", entry.item_id,
                             variant=variant, department=ctx.department)
    kpis = {k.key for k in ctx.plan.kpis_led_by(ctx.department)}
    for kpi, _raw in ctx.kpis:
        if kpi.item_id and kpi.name and (kpi.item_id, kpi.name) not in kpis:
            yield rule.issue(ctx, T.KPI_SHEET, kpi.cells.get("指標名"), kpi.item_id, "指標名", kpi.name,
                             variant="kpi", department=ctx.department)


def check_missing_items(rule: Rule, ctx: Context) -> Iterator[Issue]:
    if not ctx.knows_department() or ctx.from_earlier_plan():
        return  # items added since the form was made are listed in plan_changed as not reported
    present = {e.item_id for e, _ in ctx.entries}
    for item in ctx.plan.items_for(ctx.department):
        if item.item_id not in present:
            yield rule.issue(ctx, T.INPUT_SHEET, None, item.item_id, name=item.name)
    if ctx.records.table(T.KPI_SHEET) is None:
        return
    present_kpis = {(k.item_id, k.name) for k, _ in ctx.kpis}
    for kpi in ctx.plan.kpis_led_by(ctx.department):
        if kpi.key not in present_kpis:
            yield rule.issue(ctx, T.KPI_SHEET, None, kpi.item_id, variant="kpi", name=kpi.name)


def check_duplicates(rule: Rule, ctx: Context) -> Iterator[Issue]:
    seen: dict[object, str] = {}
    for entry, _raw in ctx.entries:
        if not entry.item_id:
            continue
        cell = entry.cells.get("項目ID")
        if entry.item_id in seen:
            yield rule.issue(ctx, T.INPUT_SHEET, cell, entry.item_id, "項目ID", entry.item_id, first=seen[entry.item_id])
        else:
            seen[entry.item_id] = cell
    seen_kpis: dict[object, str] = {}
    for kpi, _raw in ctx.kpis:
        if not kpi.item_id or not kpi.name:
            continue
        cell = kpi.cells.get("指標名")
        if (kpi.item_id, kpi.name) in seen_kpis:
            yield rule.issue(ctx, T.KPI_SHEET, cell, kpi.item_id, "指標名", kpi.name, variant="kpi",
                             first=seen_kpis[(kpi.item_id, kpi.name)])
        else:
            seen_kpis[(kpi.item_id, kpi.name)] = cell


def check_fixed_cells(rule: Rule, ctx: Context) -> Iterator[Issue]:
    if ctx.from_earlier_plan():
        return  # the plan changed these cells, not the department: listed in plan_changed
    plan = ctx.plan
    # Only the first row of an item assigned to this department: other rows are errors already.
    assigned = {i.item_id for i in plan.items_for(ctx.department)} if ctx.knows_department() else set(plan.items_by_id)
    seen: set[str] = set()
    for entry, raw in ctx.entries:
        item = plan.item(entry.item_id) if entry.item_id in assigned and entry.item_id not in seen else None
        seen.add(entry.item_id)
        cell = raw.cells.get("改革項目")
        if item is None or cell is None or cell.formula_without_value:
            continue
        if header_key(cell.value) != header_key(item.name):
            yield rule.issue(ctx, T.INPUT_SHEET, cell.cell, item.item_id, "改革項目", cell.value, expected=item.name)
    kpis = {k.key: k for item_id in assigned for k in plan.kpis_by_item.get(item_id, ())}
    seen_kpis: set[tuple] = set()
    for kpi_row, raw in ctx.kpis:
        key = (kpi_row.item_id, kpi_row.name)
        kpi = kpis.get(key) if key not in seen_kpis else None
        seen_kpis.add(key)
        if kpi is None:
            continue
        unit = raw.cells.get("単位")
        if unit is not None and header_key(unit.value) != header_key(kpi.unit):
            yield rule.issue(ctx, T.KPI_SHEET, unit.cell, kpi.item_id, "単位", unit.value, expected=kpi.unit)
        for column, expected in (("基準値", kpi.baseline), ("目標値", kpi.target)):
            cell = raw.cells.get(column)
            if cell is not None and not cell.formula_without_value and not same_number(cell, expected, kpi.is_percent):
                yield rule.issue(ctx, T.KPI_SHEET, cell.cell, kpi.item_id, column, cell.value, expected=expected)


def check_duplicate_submissions(rule: Rule, results: list[FileResult]) -> Iterator[tuple[FileResult, Issue]]:
    """For each department and year sent twice or more, every file but the newest gets a warning."""
    groups: dict[tuple[str, int], list[FileResult]] = {}
    for result in results:
        sub = result.submission
        if sub is not None and result.status != "unreadable":
            groups.setdefault((sub.department, sub.year), []).append(result)
    for (department, year), group in groups.items():
        if len(group) < 2:
            continue
        group.sort(key=lambda r: (r.submission.modified or 0.0, os.path.basename(r.path), r.path))
        newest = group[-1]
        for older in group[:-1]:
            ctx = Context(records=WorkbookRecords(older.path, []), plan=None, year=year, department=department)
            yield older, rule.issue(ctx, department=department, year=format_fiscal_year_long(year),
                                    newer=os.path.basename(newest.path))


def check_inconsistent(rule: Rule, ctx: Context) -> Iterator[Issue]:
    """Answers of one row that contradict each other (each answer valid on its own)."""
    for entry, _raw in ctx.entries:
        grade_cell = entry.cells.get("自己評価")
        if entry.grade in ("A", "B") and entry.progress == "未着手":
            yield rule.issue(ctx, T.INPUT_SHEET, grade_cell, entry.item_id, "自己評価", entry.grade,
                             variant="graded_not_started")
        if entry.grade == "-" and entry.effect:
            yield rule.issue(ctx, T.INPUT_SHEET, entry.cells.get("効果額（千円）"), entry.item_id, "効果額（千円）",
                             entry.effect, variant="dash_with_effect", effect=entry.effect)
        if entry.progress == "遅れ" and entry.grade == "A":
            yield rule.issue(ctx, T.INPUT_SHEET, grade_cell, entry.item_id, "自己評価", entry.grade,
                             variant="late_graded_a")


# ------------------------------------------------------------------ the table

RULES: list[Rule] = [
    Rule("template", "wrong_template", check_template),
    Rule("plan", "wrong_plan", check_plan, needs=(PLAN, META)),
    Rule("plan_changed", "plan_changed", check_plan_changed, needs=(PLAN, META)),
    Rule("department", "wrong_plan", check_department, needs=(PLAN,)),
    Rule("year", "wrong_year", check_year, needs=(YEAR, META)),
    Rule("unknown_item", "unknown_item", check_unknown_items, needs=(PLAN, INPUT)),
    Rule("missing_item", "missing_item", check_missing_items, needs=(PLAN, INPUT)),
    Rule("duplicate_item", "duplicate_item", check_duplicates, needs=(INPUT,)),
    Rule("fixed_cells", "altered_cell", check_fixed_cells, needs=(PLAN, INPUT)),
    Rule("inconsistent", "inconsistent", check_inconsistent, needs=(INPUT,)),
    Rule("response", "required", check_response, needs=(INPUT,)),
    Rule("copied_status", "inconsistent", check_copied_status, needs=(INPUT,)),
    Rule("kpi_not_reported", "kpi_not_reported", check_kpi_not_reported, needs=(KPI,)),
    Rule("implausible_value", "implausible_value", check_implausible, needs=(PLAN, KPI)),
]

BATCH_RULES: list[Rule] = [
    Rule("duplicate_submission", "duplicate_submission", check_duplicate_submissions),
]


def run_rules(ctx: Context, rules: Iterable[Rule] = RULES) -> list[Issue]:
    """Every issue of every rule whose needs are met."""
    have = ctx.available()
    issues: list[Issue] = []
    for rule in rules:
        if set(rule.needs) <= have:
            issues.extend(rule.check(rule, ctx))
    return issues


def run_batch_rules(results: list[FileResult], rules: Iterable[Rule] = BATCH_RULES) -> list[tuple[FileResult, Issue]]:
    """Issues across files, each with the file result it belongs to."""
    return [pair for rule in rules for pair in rule.check(rule, results)]


def department_from_name(path: str) -> str | None:
    """``R8_財政課.xlsx`` -> ``財政課`` (the fallback when the hidden sheet is missing)."""
    stem = os.path.splitext(os.path.basename(path))[0]
    match = _FILE_NAME.match(stem)
    return normalize_name(match.group(1)) if match else None

