"""From records to a submission: cell-level checks of every row, then the workbook-level rules."""

from __future__ import annotations

from addin.fiscal import FiscalYearError, parse_fiscal_year
from addin.forms import layout as T
from addin.normalize import clean_text, normalize_name
from addin.validation.codes import make_issue, shown
from addin.validation.fields import ENTRY_SCHEMA, KPI_SCHEMA, check_row
from addin.validation.issues import ERROR, Issue
from addin.validation.records import RawRow, WorkbookRecords
from addin.validation.rules import Context, department_from_name, run_rules
from addin.validation.submission import EntryRow, KpiRow, Submission

__all__ = ["evaluate", "department_of"]

# EntryRow fields of form version 3, absent from older forms: (property, header).
_VERSION3_FIELDS = (("effect_kind", T.EFFECT_KIND), ("certainty", T.EFFECT_CERTAINTY), ("basis", T.EFFECT_BASIS),
                    ("next_year_effect", T.NEXT_YEAR_EFFECT), ("response", T.RESPONSE))


def department_of(records: WorkbookRecords) -> str | None:
    """The department from the hidden sheet, else from the file name ``R8_<課>.xlsx``."""
    text = normalize_name(records.meta_value(T.META_DEPARTMENT))
    if text:
        return text
    return department_from_name(records.path)


# The cells the plan fills on every row the form was generated with: a row with none is one the clerk inserted.
_ROW_KEYS = {T.INPUT_SHEET: ("項目ID", "改革項目", "主な取組"), T.KPI_SHEET: ("項目ID", "指標名", "単位")}


# The fixed cell a clerk who inserts a row types a name into.
_NAME_KEY = {T.INPUT_SHEET: "改革項目", T.KPI_SHEET: "指標名"}


def _inserted(raw: RawRow, known: frozenset[str]) -> bool:
    """A row without 項目ID whose name is none the plan knows: inserted by the clerk, who typed the name too."""
    item_id, name = raw.cells.get("項目ID"), raw.cells.get(_NAME_KEY[raw.sheet])
    if not known or item_id is None or item_id.value is not None or name is None or name.value is None:
        return False
    return clean_text(name.value) not in known


def extra_row(raw: RawRow, path: str, known: frozenset[str] = frozenset()) -> Issue | None:
    """``extra_row`` for a row that is none of the department's items, else None: no 項目ID and no fixed cell,
    or (``known``: the plan's names of this sheet) no 項目ID and a name the plan does not have."""
    if any(raw.cells[n].value is not None for n in _ROW_KEYS[raw.sheet] if n in raw.cells) and not _inserted(raw, known):
        return None
    typed = [(name, c) for name, c in raw.cells.items() if c.value is not None]
    if not typed:
        return None
    column, first = typed[0]
    return make_issue("extra_row", path, raw.sheet, first.cell, None, column, first.value,
                      variant="kpi" if raw.sheet == T.KPI_SHEET else None, row=raw.row, typed=shown(first.value, 30))


def _kpi_unit(plan, key: tuple, own: str | None) -> str | None:
    """The KPI's 単位 in the plan; without a plan (or for a KPI it lacks), the workbook's own 単位 cell."""
    kpi = plan.kpis_by_key.get(key) if plan is not None else None
    return kpi.unit if kpi is not None else own


def evaluate(records: WorkbookRecords, plan=None, year: int | None = None) -> tuple[Submission | None, list[Issue]]:
    """Check one workbook's records: ``(Submission or None, issues)``.

    Without a plan only the shape is checked (required, choices, numbers,
    lengths, duplicates), using the workbook's own fixed cells (its 単位
    column decides which KPIs are percents).
    """
    department = department_of(records)
    issues: list[Issue] = []
    ctx = Context(records, plan, year, department)
    item_names, kpi_names = plan.names if plan is not None else (frozenset(), frozenset())
    input_table = records.table(T.INPUT_SHEET)
    if input_table is not None:
        for raw in input_table.rows:
            extra = extra_row(raw, records.path, item_names)
            if extra is not None:
                issues.append(extra)
                continue
            record, cells, row_issues = check_row(raw, ENTRY_SCHEMA, records.path)
            issues.extend(row_issues)
            failed = {i.column for i in row_issues if i.severity == ERROR}
            entry = EntryRow(
                item_id=record.get("item_id"), row=raw.row,
                status=record.get("status") if "取組状況" not in failed else None,
                grade=record.get("grade") if "自己評価" not in failed else None,
                progress=record.get("progress") if "進捗" not in failed else None,
                effect=record.get("effect") if "効果額（千円）" not in failed else None,
                next_steps=record.get("next_steps") if "今後の課題・方向性" not in failed else None,
                **{prop: record.get(prop) if header not in failed else None for prop, header in _VERSION3_FIELDS},
                name=_text(record.get("name")),
                cells={n: c.cell for n, c in raw.cells.items()},
            )
            ctx.entries.append((entry, raw))
    kpi_table = records.table(T.KPI_SHEET)
    if kpi_table is not None:
        for raw in kpi_table.rows:
            extra = extra_row(raw, records.path, kpi_names)
            if extra is not None:
                issues.append(extra)
                continue
            item_id = _text(raw.cells["項目ID"].value)
            name = _text(raw.cells["指標名"].value)
            # The plan's unit decides (the actual is read in it); without a plan, the workbook's own 単位 cell.
            unit = _kpi_unit(plan, (_fold(item_id) if item_id else None, name), _text(raw.cells["単位"].value))
            record, cells, row_issues = check_row(raw, KPI_SCHEMA, records.path, unit=unit or "")
            issues.extend(row_issues)
            failed = {i.column for i in row_issues if i.severity == ERROR}
            kpi = KpiRow(
                item_id=record.get("item_id"), name=record.get("name"), row=raw.row,
                actual=record.get("actual") if "実績値" not in failed else None,
                note=record.get("note") if "備考" not in failed else None,
                unit=_text(record.get("unit")),
                cells={n: c.cell for n, c in raw.cells.items()},
            )
            ctx.kpis.append((kpi, raw))
    issues.extend(run_rules(ctx))
    if input_table is None or department is None:
        return None, issues
    meta_year = records.meta_value(T.META_YEAR)
    try:
        sub_year = parse_fiscal_year(meta_year) if meta_year is not None else year
    except FiscalYearError:
        sub_year = year
    submission = Submission(
        path=records.path, department=department, year=sub_year if sub_year is not None else 0,
        plan_name=_text(records.meta_value(T.META_PLAN_NAME)),
        fingerprint=_text(records.meta_value(T.META_FINGERPRINT)),
        template_version=_text(records.meta_value(T.META_VERSION)),
        entries=[e for e, _ in ctx.entries], kpis=[k for k, _ in ctx.kpis],
    )
    return submission, issues


def _text(value: object) -> str | None:
    return clean_text(value) if value is not None else None


def _fold(text: str) -> str:
    from addin.normalize import fold_width

    return fold_width(text)
