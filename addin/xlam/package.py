"""The Open XML package of a macro-enabled add-in (.xlam): parts, content types, relationships.

The workbook is minimal: ``ThisWorkbook`` plus one sheet, the xlwings config sheet
``_reform.conf`` of a custom add-in (inactive while its name starts with ``_``;
renamed to ``reform.conf`` its settings override the user's ``reform.conf`` file).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

__all__ = [
    "CONFIG_SHEET",
    "SHEET_CODE_NAME",
    "WORKBOOK_CODE_NAME",
    "CONTENT_TYPES",
    "REL_TYPES",
    "write_xlam",
]

WORKBOOK_CODE_NAME = "ThisWorkbook"
SHEET_CODE_NAME = "Sheet1"
CONFIG_SHEET = "_reform.conf"
# Keys of the xlwings config sheet, left blank: a blank value means the default.
CONFIG_KEYS = ["Interpreter_Win", "Interpreter_Mac", "PYTHONPATH", "Conda Path", "Conda Env", "Show Console"]

CONTENT_TYPES = {
    "workbook": "application/vnd.ms-excel.addin.macroEnabled.main+xml",
    "vbaProject": "application/vnd.ms-office.vbaProject",
    "worksheet": "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
    "styles": "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
    "core": "application/vnd.openxmlformats-package.core-properties+xml",
    "app": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    "rels": "application/vnd.openxmlformats-package.relationships+xml",
}

REL_TYPES = {
    "officeDocument": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "core": "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
    "app": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties",
    "ui": "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility",
    "worksheet": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet",
    "styles": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles",
    "vbaProject": "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
}

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# A fixed date keeps the package byte-for-byte reproducible.
_ZIP_DATE = (2024, 4, 1, 0, 0, 0)


def _content_types() -> str:
    overrides = [
        ("/xl/workbook.xml", CONTENT_TYPES["workbook"]),
        ("/xl/worksheets/sheet1.xml", CONTENT_TYPES["worksheet"]),
        ("/xl/styles.xml", CONTENT_TYPES["styles"]),
        ("/xl/vbaProject.bin", CONTENT_TYPES["vbaProject"]),
        ("/docProps/core.xml", CONTENT_TYPES["core"]),
        ("/docProps/app.xml", CONTENT_TYPES["app"]),
    ]
    return (
        _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="{CONTENT_TYPES["rels"]}"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides)
        + "</Types>"
    )


def _relationships(rels: list[tuple[str, str]]) -> str:
    return (
        _XML + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{REL_TYPES[kind]}" Target="{target}"/>'
            for i, (kind, target) in enumerate(rels, start=1)
        )
        + "</Relationships>"
    )


def _workbook() -> str:
    return (
        _XML + f'<workbook xmlns="{_MAIN}" xmlns:r="{_R}">'
        f'<workbookPr codeName="{WORKBOOK_CODE_NAME}"/>'
        '<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="16000" windowHeight="9000"/></bookViews>'
        f'<sheets><sheet name="{escape(CONFIG_SHEET)}" sheetId="1" r:id="rId1"/></sheets>'
        '<calcPr calcId="191029"/>'
        "</workbook>"
    )


def _config_sheet() -> str:
    rows = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>{escape(key)}</t></is></c></row>'
        for i, key in enumerate(CONFIG_KEYS, start=1)
    )
    return (
        _XML + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_R}">'
        f'<sheetPr codeName="{SHEET_CODE_NAME}"/>'
        f'<dimension ref="A1:A{len(CONFIG_KEYS)}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        '<cols><col min="1" max="1" width="18" customWidth="1"/><col min="2" max="2" width="40" customWidth="1"/></cols>'
        f"<sheetData>{rows}</sheetData>"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )


def _styles() -> str:
    return (
        _XML + f'<styleSheet xmlns="{_MAIN}">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def _core(title: str) -> str:
    return (
        _XML + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">2024-04-01T00:00:00Z</dcterms:created>'
        "</cp:coreProperties>"
    )


def _app() -> str:
    return (
        _XML + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>Microsoft Excel</Application></Properties>"
    )


def package_parts(vba_project: bytes, custom_ui: bytes, title: str = "行革進行管理") -> dict[str, bytes]:
    """Every part of the add-in package by its name in the zip, ``[Content_Types].xml`` first."""
    parts = {
        "[Content_Types].xml": _content_types(),
        "_rels/.rels": _relationships(
            [
                ("officeDocument", "xl/workbook.xml"),
                ("core", "docProps/core.xml"),
                ("app", "docProps/app.xml"),
                ("ui", "customUI/customUI14.xml"),
            ]
        ),
        "docProps/core.xml": _core(title),
        "docProps/app.xml": _app(),
        "xl/workbook.xml": _workbook(),
        "xl/_rels/workbook.xml.rels": _relationships(
            [
                ("worksheet", "worksheets/sheet1.xml"),
                ("styles", "styles.xml"),
                ("vbaProject", "vbaProject.bin"),
            ]
        ),
        "xl/worksheets/sheet1.xml": _config_sheet(),
        "xl/styles.xml": _styles(),
        "xl/vbaProject.bin": vba_project,
        "customUI/customUI14.xml": custom_ui,
    }
    return {name: data.encode("utf-8") if isinstance(data, str) else data for name, data in parts.items()}


def write_xlam(path: Path, parts: dict[str, bytes]) -> None:
    """Write ``parts`` as a zip package at ``path``, deflated, with fixed timestamps."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
