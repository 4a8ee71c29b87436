"""Fill a department workbook the way a clerk does: cells found by header name and row key, not by position.

Used by ``reform demo``, by tests and by the benchmark; works on any sheet whose
table has a header row (the header row may move, columns may be reordered).
"""

from __future__ import annotations

from typing import Hashable, Mapping, Sequence

from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from addin.forms import layout as T
from addin.forms.cells import fit_row_height
from addin.xlsx.tables import find_table

__all__ = ["fill_sheet", "fill_department_workbook", "MissingColumn"]


class MissingColumn(KeyError):
    """A header asked for that the sheet does not have."""


def fill_sheet(ws: Worksheet, key_headers: Sequence[str], values: Mapping[Hashable, Mapping[str, object]],
               required: Sequence[str] = ()) -> int:
    """Write ``values`` {key: {header: value}} into ``ws``; the key is the value of ``key_headers`` (one: a scalar,
    several: a tuple). Returns how many rows were written; keys without a row are ignored."""
    grid = [[cell.value for cell in row] for row in ws.iter_rows()]
    headers = {h for per_row in values.values() for h in per_row}
    table = find_table(grid, [*key_headers, *required], optional=sorted(headers))
    if table is None:
        raise MissingColumn(f"シート「{ws.title}」に見出し {'・'.join(key_headers)} がありません。")
    missing = headers - set(table.columns)
    if missing:
        raise MissingColumn(f"シート「{ws.title}」に見出し {'・'.join(sorted(missing))} がありません。")
    written = 0
    for index, row in table.data_rows():
        key_values = tuple(table.value(row, h) for h in key_headers)
        key = key_values[0] if len(key_headers) == 1 else key_values
        if key not in values:
            continue
        for header, value in values[key].items():
            ws.cell(row=index + 1, column=table.columns[header] + 1, value=value)
        # As Excel does when a clerk types into a row of automatic height: the row grows with its text.
        fit_row_height(ws, index + 1, ws.row_dimensions[index + 1].height or 0.0)
        written += 1
    return written


def fill_department_workbook(wb: Workbook, entries: Mapping[str, Mapping[str, object]] | None = None,
                             kpis: Mapping[tuple[str, str], Mapping[str, object]] | None = None) -> tuple[int, int]:
    """Fill 入力 by 項目ID and KPI実績 by (項目ID, 指標名); returns the rows written in each."""
    done = fill_sheet(wb[T.INPUT_SHEET], ("項目ID",), entries or {}) if entries else 0
    done_kpi = fill_sheet(wb[T.KPI_SHEET], ("項目ID", "指標名"), kpis or {}) if kpis else 0
    return done, done_kpi
