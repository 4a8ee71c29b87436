"""addin.xlsx.scan finds percent formats and formulas without a value in what Excel, openpyxl and LibreOffice write."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import NamedStyle

from addin.devtools.bench import _fill, synthetic_plan
from addin.xlsx import scan as X
from tests import hostile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEETS = ("入力", "KPI実績", "Sheet", "odd", "記入要領", "様式情報")


def agree(path: Path) -> X.CellFlags:
    """The flags of the whole file; the sheet list read back must name every sheet the file has."""
    flags = X.scan_cell_flags(path, SHEETS)
    with zipfile.ZipFile(path) as archive:
        assert set(X.sheet_parts(archive)) == set(openpyxl.load_workbook(path, read_only=True).sheetnames)
    return flags


# --- workbooks ------------------------------------------------------------------------------------

def openpyxl_book(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "入力"
    ws.append(["項目ID", "率", "件数", "合計", "文字"])
    ws.append(["1-(1)-1", 0.25, 3, "=C2*2", '=IF(C2>5,"多","")'])
    ws.append(["1-(1)-2", 0.5, 4, "=SUM(C2:C3)", "literal %"])
    ws["B2"].number_format = "0%"
    ws["B3"].number_format = "0.0%;[Red]-0.0%"
    ws["C2"].number_format = '0"%"'  # a literal %, not a percent
    ws["C3"].number_format = "0.00%"
    ws.cell(row=10, column=8, value="=A1").number_format = "0%"
    style = NamedStyle(name="rate", number_format="0.0%")
    ws["D3"].style = style
    other = wb.create_sheet("KPI実績")
    other["A1"] = "=入力!B2"
    other["B5"] = 0.1
    other["B5"].number_format = "#,##0.0%"
    wb.save(path)
    return path


STYLES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          b'<styleSheet xmlns="' + MAIN.encode() + b'"><numFmts count="3">'
          b'<numFmt numFmtId="164" formatCode="0.0%"/>'
          b'<numFmt numFmtId="165" formatCode="&quot;%&quot;0"/>'
          b"<numFmt numFmtId='166' formatCode='0&#37;'/></numFmts>"
          b'<cellStyleXfs count="1"><xf numFmtId="9"/></cellStyleXfs>'
          b'<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="9"/><xf numFmtId="164"><alignment/></xf>'
          b'<xf numFmtId="165"/><xf numFmtId="166" applyNumberFormat="1"/><xf numFmtId="10"/></cellXfs>'
          b'<dxfs count="1"><dxf><numFmt numFmtId="167" formatCode="0%"/></dxf></dxfs></styleSheet>')


def raw_book(path: Path, sheet: bytes, styles: bytes = STYLES) -> Path:
    """A minimal xlsx written by hand: one sheet named "odd" with the XML given."""
    return hostile.write_zip(path, {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            b'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="'
            b'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            b'<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            b'spreadsheetml.styles+xml"/></Types>'),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="' + MAIN.encode() + b'" xmlns:r="'
            + REL.encode() + b'"><sheets><sheet name="odd" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/styles" Target="/xl/styles.xml"/></Relationships>'),
        "xl/styles.xml": styles,
        "xl/worksheets/sheet1.xml": sheet,
    })


def worksheet(rows: str, *, root: str = f'<worksheet xmlns="{MAIN}">', close: str = "</worksheet>",
              prefix: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{root}'
            f"<{prefix}sheetData>{rows}</{prefix}sheetData>{close}").encode()


ODD_ROWS = (
    # shared formulas, <f/>, t="str" with empty values, a cached value, no value at all
    '<row r="1"><c r="A1" s="1"><f t="shared" ref="A1:A3" si="0">B1*2</f><v>2</v></c>'
    '<c r="B1" s="2"><f t="shared" si="0"/><v></v></c><c r="C1"><f/></c>'
    '<c r="D1" t="str"><f>""</f><v></v></c><c r="E1" t="str"><f>""</f><v/></c>'
    '<c r="F1" t="n"><f>1</f><v/></c><c r="G1" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>'
    # no r on cells, and a row without r
    '<row r="3"><c s="3"><v>1</v></c><c><f>A3</f></c><c r="F3" s="4"/><c s="5"><f>1</f><v>1</v></c></row>'
    '<row><c s="1"><f>1</f></c><c/><c s="2"/></row>'
    # attribute order, single quotes, whitespace and '>' inside values, references in values
    "<row r='7' spans=\"1:3\"><c t='str' s='1' r='A7'><f>\"\"</f><v></v></c>"
    '<c\n  t="n"\n  r="B7"\ts = "3" foo="a>b"><f ca="1">NOW()</f></c><c r="C&#55;" s="&#52;"><v>1</v></c></row>'
    # text that looks like cells, rich text, an element of another namespace named c
    '<row r="8"><c r="A8" t="inlineStr"><is><t>&lt;c r="Z9"&gt;&lt;f&gt;</t></is></c>'
    '<c r="B8" t="inlineStr"><is><r><rPr><b/></rPr><t>x</t></r></is></c>'
    '<c r="C8" xmlns:o="urn:other"><o:f>1</o:f><o:v/><o:c r="Q1"><o:f/></o:c></c>'
    '<c r="D8"><is><v>1</v></is><f>1</f></c></row>'
)


def odd_book(path: Path) -> Path:
    return raw_book(path, worksheet(ODD_ROWS))


def prefixed_book(path: Path) -> Path:
    rows = (ODD_ROWS.replace("<row", "<x:row").replace("</row", "</x:row").replace("<c", "<x:c")
            .replace("</c>", "</x:c>").replace("<f", "<x:f").replace("</f>", "</x:f>")
            .replace("<v", "<x:v").replace("</v>", "</x:v>"))
    sheet = worksheet(rows, root=f'<x:worksheet xmlns:x="{MAIN}" xmlns:r="{REL}">', close="</x:worksheet>",
                      prefix="x:")
    return raw_book(path, sheet)


EXCEL_ROOT = (
    f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac xr xr2 xr3" '
    'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" '
    'xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" '
    'xr:uid="{00000000-0001-0000-0000-000000000000}">')
EXCEL_EXT = (
    '<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:conditionalFormattings>'
    '<x14:conditionalFormatting xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:cfRule type="expression" priority="1" id="{1}"><xm:f>入力!$A$1&gt;0</xm:f></x14:cfRule>'
    '<xm:sqref>A1:B2</xm:sqref></x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst>'
    '</worksheet>')


def excel_like_book(path: Path) -> Path:
    """What Excel writes around the cells: mc, x14ac and xr on the root, prefixed attributes, an extLst."""
    rows = ('<row r="1" spans="1:3" x14ac:dyDescent="0.4"><c r="A1" s="1" t="s"><v>0</v></c>'
            '<c r="B1" s="2"><f>A1*2</f><v>4</v></c><c r="C1" t="str"><f>""</f><v></v></c></row>'
            '<row r="2" spans="1:3" ht="18.75" customHeight="1" x14ac:dyDescent="0.4">'
            '<c r="A2" s="5"><f t="shared" ref="A2:B2" si="0">A1+1</f><v>1</v></c>'
            '<c r="B2" s="4"><f t="shared" si="0"/><v>2</v></c></row>')
    return raw_book(path, worksheet(rows, root=EXCEL_ROOT, close=EXCEL_EXT))


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("books")
    made = {"openpyxl": openpyxl_book(base / "openpyxl.xlsx"), "odd": odd_book(base / "odd.xlsx"),
            "prefixed": prefixed_book(base / "prefixed.xlsx"), "excel": excel_like_book(base / "excel.xlsx")}
    plan = synthetic_plan(3)
    for index, dept in enumerate(plan.departments):
        made[dept] = base / f"dept{index}.xlsx"
        _fill(plan, dept, index).save(made[dept])
    return made


def test_openpyxl_workbook(books):
    flags = agree(books["openpyxl"])
    assert flags.percent["入力"] == {"B2", "B3", "C3", "D3", "H10"}
    assert flags.formulas["入力"] == {"D2", "E2", "D3", "H10"}
    assert flags.formula_without_value["入力"] == {"D2", "E2", "D3", "H10"}
    assert flags.percent["KPI実績"] == {"B5"}


def test_odd_cells(books):
    flags = agree(books["odd"])
    assert flags.formulas["odd"] == {"A1", "B1", "C1", "D1", "E1", "F1", "G1", "B3", "G3", "A4",
                                     "A7", "B7", "D8"}
    assert flags.formula_without_value["odd"] == {"B1", "C1", "F1", "B3", "A4", "B7", "D8"}
    assert flags.percent["odd"] == {"A1", "B1", "F3", "G3", "A4", "C4", "A7", "C7"}


def test_what_excel_writes_around_cells(books):
    flags = agree(books["excel"])
    assert flags.formulas["odd"] == {"B1", "C1", "A2", "B2"} and not flags.formula_without_value["odd"]
    assert flags.percent["odd"] == {"A1", "B1", "A2", "B2"}


def test_namespace_prefixes(books):
    assert agree(books["prefixed"]) == agree(books["odd"])


def test_department_workbooks(books):
    for name, path in books.items():
        if name.startswith("第"):
            agree(path)


@pytest.fixture(scope="module")
def resaved(books, tmp_path_factory) -> dict[str, Path]:
    if not hostile.soffice():
        pytest.skip("LibreOffice is not installed")
    base = tmp_path_factory.mktemp("lo")
    return {name: hostile.convert(path, "xlsx", base / name, base / "profile")
            for name, path in books.items() if name in ("openpyxl", "odd", "第00001課")}


def test_resaved_by_libreoffice(books, resaved):
    for name, path in resaved.items():
        flags = agree(path)
        assert flags.formulas == agree(books[name]).formulas, name
