"""The records a department workbook is read into: raw cells with their A1 addresses, rows, tables.

Everything after the reader (:mod:`addin.validation.read`) works on these, so
checks and tests build them in memory without opening a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from addin.forms import layout as T

__all__ = ["RawCell", "RawRow", "RawTable", "WorkbookRecords"]


@dataclass(frozen=True)
class RawCell:
    """One cell as stored: its value (None when empty), its A1 address and what the XML says about it."""

    value: object
    cell: str
    percent: bool = False
    formula_without_value: bool = False
    formula: bool = False  # any formula, with or without a cached value


@dataclass
class RawRow:
    """One data row of a table: header name -> cell."""

    sheet: str
    row: int  # 1-based
    cells: dict[str, RawCell]


@dataclass
class RawTable:
    """A table found by its header row; ``missing`` names the required headers not found."""

    sheet: str
    header_row: int | None  # 1-based, None when the headers were not found
    rows: list[RawRow] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@dataclass
class WorkbookRecords:
    """Everything the checks need from one department workbook."""

    path: str
    sheets: list[str]
    meta: dict[str, RawCell] = field(default_factory=dict)  # 様式情報 label -> value cell
    tables: dict[str, RawTable] = field(default_factory=dict)  # only sheets that exist

    @property
    def has_meta(self) -> bool:
        return T.META_SHEET in self.sheets

    def meta_value(self, key: str) -> object:
        cell = self.meta.get(key)
        return None if cell is None else cell.value

    def table(self, sheet: str) -> RawTable | None:
        """The sheet's table when its headers were all found."""
        table = self.tables.get(sheet)
        return table if table is not None and table.header_row is not None else None
