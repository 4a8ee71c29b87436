"""Golden files: a workbook dumped as JSON of cell values and the formats that matter (xlsx bytes are not stable).

Regenerate deliberately with ``REFORM_UPDATE_GOLDEN=1 python -m pytest tests/test_report.py``
and review the diff before committing.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path

GOLDEN_DIR = Path(__file__).parent / "golden"
UPDATE = os.environ.get("REFORM_UPDATE_GOLDEN") == "1"


def _value(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def dump_sheet(ws) -> dict:
    """Values (with their number format where not General), layout, validations, conditional formats, charts."""
    cells = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            value = _value(cell.value)
            cells[cell.coordinate] = value if cell.number_format == "General" else [value, cell.number_format]
    conditional = []
    for rng in ws.conditional_formatting:
        for rule in rng.rules:
            conditional.append([str(rng.sqref), rule.type, rule.operator, list(rule.formula or [])])
    return {
        "cells": cells,
        "freeze_panes": ws.freeze_panes,
        "auto_filter": ws.auto_filter.ref,
        "print_title_rows": ws.print_title_rows,
        "orientation": ws.page_setup.orientation,
        "fit_to_width": ws.page_setup.fitToWidth,
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "validations": sorted([str(dv.sqref), dv.type, dv.formula1] for dv in ws.data_validations.dataValidation),
        "conditional": sorted(conditional),
        "charts": len(getattr(ws, "_charts", [])),
    }


def dump_workbook(wb, skip: tuple[str, ...] = ()) -> dict:
    return {"sheets": wb.sheetnames, **{ws.title: dump_sheet(ws) for ws in wb.worksheets if ws.title not in skip}}


def check_golden(name: str, data: dict) -> None:
    """Compare ``data`` with ``golden/<name>.json`` (or write it when regenerating)."""
    path = GOLDEN_DIR / f"{name}.json"
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=str) + "\n"
    if UPDATE or not path.exists():
        path.write_text(text, encoding="utf-8")
        if not UPDATE:
            raise AssertionError(f"golden file {path.name} was missing and has been written; review and commit it")
        return
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert json.loads(text) == expected, f"{path.name} differs; regenerate with REFORM_UPDATE_GOLDEN=1 if intended"
