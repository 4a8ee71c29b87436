"""What both readers of a workbook's XML in :mod:`addin.xlsx.scan` share: names, limits, small helpers."""

from __future__ import annotations

import posixpath
import re
import zipfile

from openpyxl.utils import column_index_from_string

__all__ = ["is_percent_format"]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_BUILTIN_PERCENT = {9, 10}
# Text in quotes, escaped characters and [..] sections (colors, locales) are not the format's own '%'.
_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_MAX_PART = 200 * 1024 * 1024  # an uncompressed part larger than this is not a department workbook
_MAIN_URI = _MAIN[1:-1]
_REL_URI = _REL[1:-1]
_PKG_REL_URI = _PKG_REL[1:-1]

Cells = tuple[set[str], set[str], set[str]]  # percent, formula without value, formula


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


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    with _open_part(archive, name) as part:
        return part.read()


def _percent_indexes(custom: dict[int, str], xf_formats: list[int]) -> set[int]:
    return {index for index, fmt in enumerate(xf_formats)
            if (fmt in custom and is_percent_format(custom[fmt])) or (fmt not in custom and fmt in _BUILTIN_PERCENT)}


def _target(target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
