"""Excel in, records out: a department workbook read once into raw cells with their A1 addresses.

Values come from python-calamine (fast; it keeps dates, full-width text and
numbers stored as text as they are). What calamine does not say — which cells
are percent-formatted, which formulas were never computed — comes from one
streaming pass over the XML (:mod:`addin.xlsx.scan`). An open openpyxl workbook
(入力チェック) is read the same way through :func:`records_from_openpyxl`.

Everything after this module works on :class:`WorkbookRecords`.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from addin.forms import layout as T
from addin.validation.records import RawCell, RawRow, RawTable, WorkbookRecords
from addin.xlsx.guard import open_calamine, reading
from addin.xlsx.scan import is_percent_format, scan_cell_flags
from addin.xlsx.tables import find_table, header_key, missing_headers

__all__ = ["read_records", "records_from_openpyxl", "TABLE_HEADERS"]

TABLE_HEADERS = {T.INPUT_SHEET: T.INPUT_HEADERS, T.KPI_SHEET: T.KPI_HEADERS}
_META_SCAN_ROWS = 50
_INPUTS = {T.INPUT_SHEET: T.INPUT_COLUMNS, T.KPI_SHEET: T.KPI_INPUT_COLUMNS}
_OPTIONAL = {T.INPUT_SHEET: T.OPTIONAL_INPUT_HEADERS}  # read when the form has them (last year's record)


def _a1(row: int, col: int) -> str:
    """A1 address from 0-based indexes."""
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col + 1)}{row + 1}"


def _empty_to_none(value: object) -> object:
    return None if value == "" else value


def _build(path: str, grids: dict[str, list[list[object]]], percent, no_value, formula) -> WorkbookRecords:
    """Records from plain grids (0-based, anchored at A1) plus the three flag lookups."""
    records = WorkbookRecords(path=path, sheets=list(grids))
    meta_rows = grids.get(T.META_SHEET)
    if meta_rows is not None:
        wanted = {header_key(k): k for k in T.META_KEYS}
        for r, row in enumerate(meta_rows[:_META_SCAN_ROWS]):
            if len(row) >= 1 and header_key(row[0]) in wanted:
                key = wanted[header_key(row[0])]
                if key not in records.meta:
                    value = _empty_to_none(row[1]) if len(row) > 1 else None
                    address = _a1(r, 1)
                    records.meta[key] = RawCell(value, address, False, no_value(T.META_SHEET, address),
                                                formula(T.META_SHEET, address))
    for sheet, headers in TABLE_HEADERS.items():
        grid = grids.get(sheet)
        if grid is None:
            continue
        found = find_table(grid, headers, optional=_OPTIONAL.get(sheet, ()))
        if found is None:
            records.tables[sheet] = RawTable(sheet, None, missing=missing_headers(grid, headers))
            continue
        table = RawTable(sheet, found.header_row + 1)
        for index, row in found.data_rows():
            cells = {}
            for name, col in found.columns.items():
                address = _a1(index, col)
                value = _empty_to_none(row[col]) if col < len(row) else None
                cells[name] = RawCell(value, address, percent(sheet, address), no_value(sheet, address),
                                      formula(sheet, address))
            if _is_data_row(cells, _INPUTS[sheet]):
                table.rows.append(RawRow(sheet, index + 1, cells))
        records.tables[sheet] = table
    return records


def _is_data_row(cells: dict[str, "RawCell"], inputs: tuple[str, ...]) -> bool:
    """A row with a 項目ID, or with something typed in an input column.

    A row without 項目ID whose input cells hold only formulas (a 合計 row) or
    nothing (a label, a note under the table) is not a department's answer.
    """
    if any(c.value is not None or c.formula_without_value for c in cells.values()) is False:
        return False
    item = cells.get("項目ID")
    if item is not None and (item.value is not None or item.formula_without_value):
        return True
    return any(cells[n].value is not None and not cells[n].formula for n in inputs if n in cells)


def read_records(path: str | Path) -> WorkbookRecords:
    """Read a department workbook file once; raises UnreadableWorkbook when it cannot be read."""
    wanted = [T.META_SHEET, *TABLE_HEADERS]
    book = open_calamine(path, sheets=wanted)  # a far cell in these sheets is refused before calamine allocates
    with reading(path):  # a part that does not parse (even a panic in the Rust reader) is one Japanese message
        names = list(book.sheet_names)
        grids = {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                 for name in names if name in wanted}
        flags = scan_cell_flags(path, [n for n in wanted if n in names])
    grids_all = {name: grids.get(name, []) for name in names}
    return _build(str(path), grids_all, flags.is_percent, flags.lacks_value, flags.is_formula)


def records_from_openpyxl(wb, path: str | Path = "") -> WorkbookRecords:
    """Records from an open openpyxl workbook (入力チェック); a formula cell has no value there."""
    grids: dict[str, list[list[object]]] = {}
    percent: dict[str, set[str]] = {}
    formulas: dict[str, set[str]] = {}
    for ws in wb.worksheets:
        if ws.title not in (T.META_SHEET, *TABLE_HEADERS):
            grids[ws.title] = []
            continue
        grid: list[list[object]] = []
        percent[ws.title], formulas[ws.title] = set(), set()
        for row in ws.iter_rows():
            values = []
            for cell in row:
                value = cell.value
                if cell.data_type == "f":
                    formulas[ws.title].add(cell.coordinate)
                    value = None
                elif isinstance(value, _dt.datetime) and value.time() == _dt.time(0):
                    value = value.date()
                if value is not None and is_percent_format(cell.number_format):
                    percent[ws.title].add(cell.coordinate)
                values.append(value)
            grid.append(values)
        grids[ws.title] = grid
    in_formulas = lambda s, c: c in formulas.get(s, ())  # noqa: E731 - openpyxl keeps no cached value
    return _build(str(path), grids, lambda s, c: c in percent.get(s, ()), in_formulas, in_formulas)

