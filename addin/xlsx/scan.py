"""What python-calamine does not tell: which cells are percent-formatted and which formulas have no value.

``xl/styles.xml``, the workbook's sheet list and the XML of the sheets asked
for are read straight from the zip, one part at a time (each at most
``_MAX_PART`` bytes, held in memory while it is scanned); only three small sets
of A1 addresses per sheet are kept.

Each part is read one of two ways, which give the same answer (tests compare them):

* the reference path here (``_percent_styles_plain``, ``_scan_sheet_plain``,
  ``_targets_plain``, ``_sheets_plain``): defusedxml ``iterparse``, which
  refuses DTDs and entities;
* the fast path of :mod:`addin.xlsx.scan_fast` (about twice as fast on a whole
  department workbook): regular expressions over the bytes, taken only when
  its ``_markup`` vouches for the part. Anything else, and anything the fast
  path does not expect, sends the part to the reference path, which then
  decides (and raises its own error for a part it cannot read).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml.ElementTree import iterparse
from openpyxl.utils import get_column_letter

from addin.xlsx.scan_fast import _markup, _percent_styles_fast, _scan_sheet_fast, _sheets_fast, _targets_fast
from addin.xlsx.scan_parts import (
    _MAIN,
    _MAIN_URI,
    _PKG_REL,
    _PKG_REL_URI,
    _REL,
    _REL_URI,
    Cells,
    _column_index,
    _open_part,
    _percent_indexes,
    _read_part,
    _target,
    is_percent_format,
)

__all__ = ["CellFlags", "scan_cell_flags", "is_percent_format"]


@dataclass
class CellFlags:
    """Per sheet name: percent-formatted cells and formulas without a cached value (A1 addresses)."""

    percent: dict[str, set[str]] = field(default_factory=dict)
    formula_without_value: dict[str, set[str]] = field(default_factory=dict)
    formulas: dict[str, set[str]] = field(default_factory=dict)  # every formula cell, computed or not

    def is_percent(self, sheet: str, cell: str) -> bool:
        return cell in self.percent.get(sheet, ())

    def is_formula(self, sheet: str, cell: str) -> bool:
        return cell in self.formulas.get(sheet, ())

    def lacks_value(self, sheet: str, cell: str) -> bool:
        return cell in self.formula_without_value.get(sheet, ())


# --- reference path: streaming defusedxml iterparse --------------------------------------------------

def _percent_styles_plain(part) -> set[int]:
    """Indexes into cellXfs whose number format is a percent, from a file object of ``xl/styles.xml``."""
    custom: dict[int, str] = {}
    xf_formats: list[int] = []
    in_cell_xfs = False
    for event, elem in iterparse(part, events=("start", "end"), forbid_dtd=True):
        tag = elem.tag
        if tag == _MAIN + "cellXfs":
            in_cell_xfs = event == "start"
        elif event == "end" and tag == _MAIN + "numFmt":
            custom[int(elem.get("numFmtId", "0"))] = elem.get("formatCode", "")
        elif event == "end" and tag == _MAIN + "xf" and in_cell_xfs:
            xf_formats.append(int(elem.get("numFmtId", "0")))
            elem.clear()
    return _percent_indexes(custom, xf_formats)


def _scan_sheet_plain(part, percent_styles: set[int]) -> Cells:
    """Percent cells, formulas without a cached value and all formulas, from a file object of a sheet's XML."""
    percent: set[str] = set()
    missing: set[str] = set()
    formulas: set[str] = set()
    row_number, column = 0, 0
    for event, elem in iterparse(part, events=("start", "end"), forbid_dtd=True):
        tag = elem.tag
        if tag == _MAIN + "row":
            if event == "start":
                row_number = int(elem.get("r") or row_number + 1)
                column = 0
            else:
                elem.clear()  # keep memory flat on large sheets
            continue
        if tag != _MAIN + "c" or event != "end":
            continue
        ref = elem.get("r")
        if ref:
            column = _column_index(ref)
        else:  # some writers omit r: the cell follows the previous one
            column += 1
            ref = f"{get_column_letter(column)}{row_number}"
        style = elem.get("s")
        if style is not None and percent_styles and int(style) in percent_styles:
            percent.add(ref)
        if elem.find(_MAIN + "f") is not None:
            formulas.add(ref)
            value = elem.find(_MAIN + "v")
            # A formula returning "" is stored as t="str" with an empty <v>: that is a value.
            if value is None or (not value.text and elem.get("t") != "str"):
                missing.add(ref)
    return percent, missing, formulas


def _targets_plain(part) -> dict[str, str]:
    """Relationship id -> zip member, from a file object of ``xl/_rels/workbook.xml.rels``."""
    targets: dict[str, str] = {}
    for _event, elem in iterparse(part, forbid_dtd=True):
        if elem.tag == _PKG_REL + "Relationship":
            target = elem.get("Target", "")
            targets[elem.get("Id", "")] = _target(target)
    return targets


def _sheets_plain(part, targets: dict[str, str]) -> dict[str, str]:
    """Sheet name -> zip member, from a file object of ``xl/workbook.xml``."""
    result: dict[str, str] = {}
    for _event, elem in iterparse(part, forbid_dtd=True):
        if elem.tag == _MAIN + "sheet":
            target = targets.get(elem.get(_REL + "id", ""))
            if target:
                result[elem.get("name", "")] = target
    return result


def _fast_or_plain(data: bytes, uris: tuple[str, ...], fast, plain, *args):
    """``fast`` on the bytes when ``_markup`` vouches for them and nothing surprises it, else ``plain``."""
    markup = _markup(data, *uris)
    if markup is not None:
        try:
            return fast(data, markup, *args)
        except Exception:  # noqa: BLE001 - _Unsafe, or a bad value the reference path reports in its own words
            pass
    return plain(io.BytesIO(data), *args)


# --- the scan ---------------------------------------------------------------------------------------

def _percent_styles(archive: zipfile.ZipFile, fast: bool = True) -> set[int]:
    """Indexes into cellXfs whose number format is a percent."""
    if "xl/styles.xml" not in archive.namelist():
        return set()
    if not fast:
        with _open_part(archive, "xl/styles.xml") as part:
            return _percent_styles_plain(part)
    return _fast_or_plain(_read_part(archive, "xl/styles.xml"), (_MAIN_URI,),
                          _percent_styles_fast, _percent_styles_plain)


def _sheet_parts(archive: zipfile.ZipFile, fast: bool = True) -> dict[str, str]:
    """Sheet name -> zip member of its XML."""
    if not fast:
        with _open_part(archive, "xl/_rels/workbook.xml.rels") as part:
            targets = _targets_plain(part)
        with _open_part(archive, "xl/workbook.xml") as part:
            return _sheets_plain(part, targets)
    targets = _fast_or_plain(_read_part(archive, "xl/_rels/workbook.xml.rels"), (_PKG_REL_URI,),
                             _targets_fast, _targets_plain)
    return _fast_or_plain(_read_part(archive, "xl/workbook.xml"), (_MAIN_URI, _REL_URI),
                          _sheets_fast, _sheets_plain, targets)


def scan_cell_flags(path: str | Path, sheets: tuple[str, ...] | list[str]) -> CellFlags:
    """Percent-formatted cells and formulas without a cached value in the named sheets (absent sheets skipped)."""
    return _scan_cell_flags(path, sheets, fast=True)


def _scan_cell_flags(path: str | Path, sheets: tuple[str, ...] | list[str], *, fast: bool) -> CellFlags:
    """``fast=False`` reads every part with the reference path only (tests compare the two)."""
    flags = CellFlags()
    with zipfile.ZipFile(path) as archive:
        percent_styles = _percent_styles(archive, fast)
        parts = _sheet_parts(archive, fast)
        names = set(archive.namelist())
        for sheet in sheets:
            member = parts.get(sheet)
            if member is None or member not in names:
                continue
            if fast:
                cells = _fast_or_plain(_read_part(archive, member), (_MAIN_URI,),
                                       _scan_sheet_fast, _scan_sheet_plain, percent_styles)
            else:
                with _open_part(archive, member) as part:
                    cells = _scan_sheet_plain(part, percent_styles)
            flags.percent[sheet], flags.formula_without_value[sheet], flags.formulas[sheet] = cells
    return flags
