"""What python-calamine does not tell: which cells are percent-formatted and which formulas have no value.

One streaming pass over ``xl/styles.xml`` and over the XML of the sheets asked
for, straight from the zip, with a parser that refuses DTDs and entities. It
keeps only two small sets of A1 addresses per sheet, so its cost grows with the
number of cells and not with anything held in memory.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml.ElementTree import iterparse
from openpyxl.utils import column_index_from_string, get_column_letter

__all__ = ["CellFlags", "scan_cell_flags", "is_percent_format"]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_BUILTIN_PERCENT = {9, 10}
# Text in quotes, escaped characters and [..] sections (colors, locales) are not the format's own '%'.
_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_MAX_PART = 200 * 1024 * 1024  # an uncompressed part larger than this is not a department workbook


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


def is_percent_format(code: str | None) -> bool:
    """True for a number format that shows a percent (``0%``, ``0.0%;[Red]-0.0%``), not for a literal '%'."""
    if not code:
        return False
    return "%" in _LITERALS.sub("", code)


def _column_index(ref: str) -> int:
    letters = ref.rstrip("0123456789")
    return column_index_from_string(letters)


def _open_part(archive: zipfile.ZipFile, name: str):
    info = archive.getinfo(name)
    if info.file_size > _MAX_PART:
        raise ValueError(f"{name} is too large ({info.file_size} bytes)")
    return archive.open(info)


def _percent_styles(archive: zipfile.ZipFile) -> set[int]:
    """Indexes into cellXfs whose number format is a percent."""
    if "xl/styles.xml" not in archive.namelist():
        return set()
    custom: dict[int, str] = {}
    xf_formats: list[int] = []
    in_cell_xfs = False
    with _open_part(archive, "xl/styles.xml") as part:
        for event, elem in iterparse(part, events=("start", "end"), forbid_dtd=True):
            tag = elem.tag
            if tag == _MAIN + "cellXfs":
                in_cell_xfs = event == "start"
            elif event == "end" and tag == _MAIN + "numFmt":
                custom[int(elem.get("numFmtId", "0"))] = elem.get("formatCode", "")
            elif event == "end" and tag == _MAIN + "xf" and in_cell_xfs:
                xf_formats.append(int(elem.get("numFmtId", "0")))
                elem.clear()
    return {index for index, fmt in enumerate(xf_formats)
            if (fmt in custom and is_percent_format(custom[fmt])) or (fmt not in custom and fmt in _BUILTIN_PERCENT)}


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> zip member of its XML."""
    targets: dict[str, str] = {}
    with _open_part(archive, "xl/_rels/workbook.xml.rels") as part:
        for _event, elem in iterparse(part, forbid_dtd=True):
            if elem.tag == _PKG_REL + "Relationship":
                target = elem.get("Target", "")
                targets[elem.get("Id", "")] = (target.lstrip("/") if target.startswith("/")
                                               else posixpath.normpath(posixpath.join("xl", target)))
    result: dict[str, str] = {}
    with _open_part(archive, "xl/workbook.xml") as part:
        for _event, elem in iterparse(part, forbid_dtd=True):
            if elem.tag == _MAIN + "sheet":
                target = targets.get(elem.get(_REL + "id", ""))
                if target:
                    result[elem.get("name", "")] = target
    return result


def scan_cell_flags(path: str | Path, sheets: tuple[str, ...] | list[str]) -> CellFlags:
    """Percent-formatted cells and formulas without a cached value in the named sheets (absent sheets skipped)."""
    flags = CellFlags()
    with zipfile.ZipFile(path) as archive:
        percent_styles = _percent_styles(archive)
        parts = _sheet_parts(archive)
        names = set(archive.namelist())
        for sheet in sheets:
            member = parts.get(sheet)
            if member is None or member not in names:
                continue
            percent: set[str] = set()
            missing: set[str] = set()
            formulas: set[str] = set()
            row_number, column = 0, 0
            with _open_part(archive, member) as part:
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
            flags.percent[sheet] = percent
            flags.formula_without_value[sheet] = missing
            flags.formulas[sheet] = formulas
    return flags
