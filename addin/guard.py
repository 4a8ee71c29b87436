"""Placeholder opener; replaced by the hardened guard (zip-bomb, XML and format checks).

Until the hardened guard lands, these three names keep its signatures so
callers need not change: :func:`check_xlsx`, :func:`open_workbook`,
:func:`open_calamine`, each raising :class:`UnreadableWorkbook` with a
Japanese reason that says what to do.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

from .errors import UnreadableWorkbook

__all__ = ["check_xlsx", "open_workbook", "open_calamine"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_xlsx(path) -> None:
    """Raise UnreadableWorkbook unless ``path`` looks like a readable .xlsx (zip with a workbook part)."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise UnreadableWorkbook(path, f"ファイルを開けません（{exc.strerror or exc}）。ファイルの場所と権限を確認してください。") from exc
    if not head:
        raise UnreadableWorkbook(path, "ファイルが空です（0バイト）。保存し直したファイルを提出してもらってください。")
    if head == _OLE_MAGIC:
        if path.suffix.lower() == ".xls":
            raise UnreadableWorkbook(path, "古い形式（.xls）のファイルです。配布した様式（.xlsx）に入力し直してもらってください。")
        raise UnreadableWorkbook(path, "パスワードで保護（暗号化）されているか、古い形式のファイルです。"
                                       "パスワードを解除し、.xlsx 形式で保存し直してもらってください。")
    if not head.startswith(b"PK"):
        raise UnreadableWorkbook(path, "Excel ファイル（.xlsx）ではありません。配布した様式で提出してもらってください。")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableWorkbook(path, "ファイルが壊れています。Excel で開けるか確認し、保存し直して提出してもらってください。") from exc
    if "xl/workbook.xml" not in names:
        raise UnreadableWorkbook(path, "Excel ファイル（.xlsx）ではありません。配布した様式で提出してもらってください。")


def open_workbook(path, **kwargs):
    """Open an .xlsx with openpyxl; any failure becomes UnreadableWorkbook."""
    check_xlsx(path)
    try:
        return openpyxl.load_workbook(path, **kwargs)
    except Exception as exc:  # noqa: BLE001 - every reader failure is one Japanese message
        raise UnreadableWorkbook(path, f"Excel ファイル（.xlsx）として開けません（{type(exc).__name__}）。") from exc


def open_calamine(path):
    """Open an .xlsx with python-calamine for fast value reads; any failure becomes UnreadableWorkbook."""
    from python_calamine import CalamineWorkbook

    check_xlsx(path)
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # noqa: BLE001
        raise UnreadableWorkbook(path, f"Excel ファイル（.xlsx）として開けません（{type(exc).__name__}）。"
                                       "Excel で開けるか確認し、保存し直して提出してもらってください。") from exc
