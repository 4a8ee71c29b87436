"""Cell-level checks: normalize each row as its JSON Schema says, then collect every schema error.

A row's schema (``addin/schemas/*.schema.json``) is the rule set: each
property's ``title`` is its header, ``x-parse`` names the normalizer below,
``enum``/``maxLength``/``minimum``/``required`` are the limits. Text that does
not parse as a number is reported here (``not_a_number``) and left out of the
record, so the schema sees only clean values.
"""

from __future__ import annotations

import datetime as _dt
import json
from decimal import InvalidOperation
from functools import lru_cache
from importlib import resources
from typing import Callable

from jsonschema import Draft202012Validator

from addin.normalize import (
    NotAChoice,
    NotANumber,
    WrongUnit,
    clean_text,
    fold_width,
    normalize_id,
    parse_amount_thousand_yen,
    parse_choice,
    parse_grade,
    parse_in_unit,
    unit_kind,
)
from addin.validation.codes import CODES, make_issue
from addin.validation.issues import Issue
from addin.validation.records import RawCell, RawRow
from addin.vocab import EFFECT_CERTAINTIES, EFFECT_KINDS

__all__ = ["schema", "validator", "check_row", "ENTRY_SCHEMA", "KPI_SCHEMA", "SCHEMA_CODES"]

ENTRY_SCHEMA = "entry_row"
KPI_SCHEMA = "kpi_row"

# jsonschema keyword -> SPEC code.
SCHEMA_CODES = {
    "required": "required", "minLength": "required",
    "enum": "invalid_choice", "const": "invalid_choice", "pattern": "invalid_choice",
    "maxLength": "too_long",
    "minimum": "out_of_range", "maximum": "out_of_range", "exclusiveMinimum": "out_of_range",
    "exclusiveMaximum": "out_of_range",
    "type": "not_a_number",
}


@lru_cache(maxsize=None)
def schema(name: str) -> dict:
    """A row schema by name (``entry_row``, ``kpi_row``)."""
    text = resources.files("addin").joinpath(f"schemas/{name}.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=None)
def validator(name: str) -> Draft202012Validator:
    """The checked validator of a row schema."""
    data = schema(name)
    Draft202012Validator.check_schema(data)
    return Draft202012Validator(data)


def _text(value: object) -> str | None:
    if isinstance(value, _dt.datetime):
        value = value.date() if value.time() == _dt.time(0) else value
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    return clean_text(value)


def _id(value: object) -> str | None:
    return normalize_id(_text(value))


def _choice(parser: Callable[[object], str | None]) -> Callable[[RawCell, str | None], object]:
    def parse(cell: RawCell, unit: str | None) -> object:
        try:
            return parser(cell.value)
        except NotAChoice:
            return _text(cell.value)  # kept as typed: the schema's enum reports it
    return parse


def _number(parse: Callable[[object], object]) -> Callable[[RawCell, str | None], object]:
    def run(cell: RawCell, unit: str | None) -> object:
        if isinstance(cell.value, (_dt.date, _dt.time, _dt.datetime, bool)):
            raise NotANumber(cell.value)
        try:
            return parse(cell.value)
        except (InvalidOperation, ArithmeticError) as exc:
            raise NotANumber(cell.value) from exc
    return run


def _kpi_actual(cell: RawCell, unit: str | None) -> object:
    # In the KPI's own unit: 182,000千円 is 182,000 for a KPI in 千円, never 182,000,000 (SPEC "KPI実績").
    return _number(lambda v: parse_in_unit(v, unit, "0%" if cell.percent else None))(cell, unit)


PARSERS: dict[str, Callable[[RawCell, str | None], object]] = {
    "raw": lambda cell, _unit: cell.value,
    "text": lambda cell, _unit: _text(cell.value),
    "id": lambda cell, _unit: _id(cell.value),
    "grade": _choice(parse_grade),
    "progress": _choice(parse_choice),
    "amount": _number(parse_amount_thousand_yen),
    "effect_kind": _choice(lambda v: parse_choice(v, EFFECT_KINDS)),
    "certainty": _choice(lambda v: parse_choice(v, EFFECT_CERTAINTIES)),
    "kpi_actual": _kpi_actual,
}


# Other spellings of a progress word (said without a warning); any other synonym may mean something else.
_SAME_WORD = frozenset({"予定通り", "予定とおり", "前倒", "遅れている", "完了済", "完了済み"})


def _reinterpretation(spec: dict, cell: RawCell, value: object) -> tuple[str, object] | None:
    """``(variant, read_as)`` when a typed value was read as something the clerk may not have meant."""
    typed = clean_text(cell.value) if isinstance(cell.value, str) else None
    if typed is None or value is None:
        return None
    parse = spec.get("x-parse")
    if parse == "progress" and fold_width(typed) != value and fold_width(typed) not in _SAME_WORD:
        return "choice", value  # 「順調」 read as 予定どおり
    if parse == "amount":
        unit = fold_width(typed).rstrip().rstrip("円")
        if fold_width(typed).rstrip().endswith("円") and not unit.endswith(("千", "万", "億", "兆")):
            return "yen", value  # 「1,234円」 read as 1.234 千円
    return None


def check_row(raw: RawRow, name: str, file: str, percent_unit: bool = False,
              unit: str | None = None) -> tuple[dict, dict[str, str], list[Issue]]:
    """Normalize one row and check it: ``(record, cells, issues)``; ``cells`` maps a property to its A1 address.

    ``unit`` is the KPI's 単位 (its actual is read in it); ``percent_unit`` alone means a KPI in %.
    """
    unit = unit if unit is not None else ("%" if percent_unit else None)
    props = schema(name)["properties"]
    record: dict[str, object] = {}
    cells: dict[str, str] = {}
    issues: list[Issue] = []
    unknown: set[str] = set()  # formulas without a value: neither empty nor filled
    for prop, spec in props.items():
        cell = raw.cells.get(spec["title"])
        if cell is None:
            continue
        cells[prop] = cell.cell
        if cell.formula_without_value:
            unknown.add(prop)
            continue
        try:
            value = PARSERS[spec.get("x-parse", "raw")](cell, unit)
        except NotANumber:
            unknown.add(prop)
            issues.append(_issue("not_a_number", raw, file, prop, spec, cell, None))
            continue
        except WrongUnit:
            unknown.add(prop)
            issues.append(make_issue("unit_mismatch", file, raw.sheet, cell.cell, None, spec["title"], cell.value,
                                     variant=unit_kind(unit), unit=unit))
            continue
        if value is not None:
            record[prop] = value
            again = _reinterpretation(spec, cell, value)
            if again is not None:
                issues.append(make_issue("reinterpreted", file, raw.sheet, cell.cell, None, spec["title"], cell.value,
                                         variant=again[0], read_as=again[1]))
    item_id = record.get("item_id") if isinstance(record.get("item_id"), str) else None
    for prop, cell_address in cells.items():
        if prop in unknown and raw.cells[props[prop]["title"]].formula_without_value:
            issues.append(make_issue("formula_without_value", file, raw.sheet, cell_address, item_id, props[prop]["title"]))
    reported: set[str] = set()
    for error in validator(name).iter_errors(record):
        code = SCHEMA_CODES.get(error.validator, "invalid_choice")
        if error.validator == "required":
            targets = [p for p in error.validator_value if p not in record and p not in unknown]
        elif error.validator == "dependentRequired":  # only columns the form has: earlier forms lack them
            code = "required"
            targets = [p for key, needed in error.validator_value.items() if key in record
                       for p in needed if p not in record and p not in unknown and p in cells]
        else:
            targets = [error.absolute_path[0]] if error.absolute_path else []
        for prop in targets:
            if (prop, code) in reported or prop in unknown and code == "required":
                continue
            reported.add((prop, code))
            spec = props.get(prop, {"title": prop})
            issues.append(_issue(code, raw, file, prop, spec, raw.cells.get(spec["title"]), item_id,
                                 value=record.get(prop)))
    for issue in issues:
        if issue.item_id is None and item_id:
            issues[issues.index(issue)] = _with_item(issue, item_id)
    order = {address: n for n, address in enumerate(cells.values())}
    issues.sort(key=lambda i: order.get(i.cell, len(order)))
    return record, cells, issues


def _with_item(issue: Issue, item_id: str) -> Issue:
    from dataclasses import replace

    return replace(issue, item_id=item_id)


def _issue(code: str, raw: RawRow, file: str, prop: str, spec: dict, cell: RawCell | None, item_id: str | None,
           value: object = None) -> Issue:
    """An issue of one cell; its value is the cell as typed (``▲100``, not the parsed ``-100``)."""
    typed = cell.value if cell is not None and cell.value is not None else value
    details: dict[str, object] = {}
    if code == "invalid_choice":
        details["choices"] = "、".join(str(c) for c in spec.get("enum", ()))
    elif code == "too_long":
        details.update(length=len(str(value)), limit=spec.get("maxLength"))
    # A column with its own words (効果額, 実績値, 項目ID) has a variant of the same name in the template table.
    variant = prop if prop in CODES[code].variants else None
    return make_issue(code, file, raw.sheet, cell.cell if cell is not None else None, item_id, spec["title"],
                      typed, variant=variant, **details)
