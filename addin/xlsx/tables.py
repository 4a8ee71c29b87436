"""Find a table in a sheet by its header row, wherever it starts.

Readers pass plain rows (lists of values, from openpyxl or calamine); a table
is found by the row that holds its header names, so title rows above it and
extra columns beside it do not matter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterator, Sequence

from openpyxl.utils import get_column_letter

__all__ = ["Table", "find_table", "header_key", "cell_address"]

_SPACES = re.compile(r"\s+")


def header_key(value: object) -> str:
    """A header as compared: width-folded, without spaces or line breaks (効果額(千円) = 効果額（千円）)."""
    if value is None:
        return ""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(value)))


def cell_address(row_index: int, col_index: int) -> str:
    """A1 address from 0-based row and column indexes."""
    return f"{get_column_letter(col_index + 1)}{row_index + 1}"


@dataclass
class Table:
    """A located table: the header row and where each named column is (0-based)."""

    rows: Sequence[Sequence[object]]
    header_row: int
    columns: dict[str, int]

    def value(self, row: Sequence[object], name: str) -> object:
        """The value of column ``name`` in ``row`` (None where the row is short or the column absent)."""
        col = self.columns.get(name)
        if col is None or col >= len(row):
            return None
        return row[col]

    def address(self, row_index: int, name: str) -> str:
        """The A1 address of column ``name`` in the data row at ``row_index`` (0-based sheet row)."""
        return cell_address(row_index, self.columns[name])

    def data_rows(self) -> Iterator[tuple[int, Sequence[object]]]:
        """(0-based sheet row index, row) for every non-empty row below the header."""
        for index in range(self.header_row + 1, len(self.rows)):
            row = self.rows[index]
            if any(v is not None and str(v).strip() != "" for v in row):
                yield index, row


def find_table(rows: Sequence[Sequence[object]], required: Sequence[str],
               optional: Sequence[str] = (), max_scan: int = 30) -> Table | None:
    """The first row within ``max_scan`` rows holding every required header, or None."""
    wanted = {header_key(name): name for name in [*required, *optional]}
    needed = {header_key(name) for name in required}
    for index, row in enumerate(rows[:max_scan]):
        found: dict[str, int] = {}
        for col, value in enumerate(row):
            key = header_key(value)
            if key in wanted and wanted[key] not in found:
                found[wanted[key]] = col
        if needed <= {header_key(n) for n in found}:
            return Table(rows, index, found)
    return None


def missing_headers(rows: Sequence[Sequence[object]], required: Sequence[str], max_scan: int = 30) -> list[str]:
    """The required headers absent from the best-matching row (for a precise message)."""
    needed = [header_key(n) for n in required]
    best: set[str] = set()
    for row in rows[:max_scan]:
        keys = {header_key(v) for v in row}
        hits = {k for k in needed if k in keys}
        if len(hits) > len(best):
            best = hits
    return [name for name, key in zip(required, needed) if key not in best]
