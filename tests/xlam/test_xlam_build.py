"""The built add-in: package parts, VBA project read back by olefile and olevba, ribbon, LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.dom import minidom

import olefile
import pytest

from addin.xlam import AddinBuildError, build_addin
from addin.xlam.ovba import decompress
from addin.xlam.package import CONFIG_SHEET, CONTENT_TYPES, REL_TYPES
from addin.xlam.sources import find_macros_dir, read_module
from addin.xlam.vbaproject import decrypt_project_data, encrypt_project_data

REPO = Path(__file__).resolve().parents[2]
MACROS = REPO / "macros"
BUTTON_IDS = {"btnGenerate", "btnValidate", "btnConsolidate", "btnGantt", "btnFinance", "btnPublish", "btnCheck", "btnSettings",
              "btnDoctor"}
XLWINGS_MODULES = {"xlwings", "Dictionary"}  # taken from the installed xlwings at build time
CUSTOMUI_NS = "http://schemas.microsoft.com/office/2009/07/customui"
PKG_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


@pytest.fixture(scope="module")
def xlam(tmp_path_factory) -> Path:
    return build_addin(tmp_path_factory.mktemp("addin") / "reform.xlam", MACROS)


@pytest.fixture(scope="module")
def vba_bin(xlam, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("vba") / "vbaProject.bin"
    with zipfile.ZipFile(xlam) as archive:
        path.write_bytes(archive.read("xl/vbaProject.bin"))
    return path


def _source_files() -> list[Path]:
    return sorted(p for p in MACROS.iterdir() if p.suffix in {".bas", ".cls"})


def _stored_lines(path: Path) -> list[str]:
    """The lines a module stream must hold for ``path``: the file's lines, a class header dropped."""
    lines = path.read_bytes().decode("ascii").splitlines()
    if path.suffix == ".cls" and lines[0].startswith("VERSION "):
        lines = lines[lines.index("END") + 1:]
    return lines


# ---- sources -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(MACROS.iterdir()), ids=lambda p: p.name)
def test_every_macro_source_is_ascii_with_crlf_lines(path):
    data = path.read_bytes()
    if path.suffix in {".bas", ".cls"}:
        data.decode("ascii")
        assert b"\n" not in data.replace(b"\r\n", b""), "VBA sources keep Windows line ends"


def test_ribbon_module_calls_runpython_with_the_button_id():
    text = (MACROS / "ReformRibbon.bas").read_text("ascii")
    assert "Public Sub OnRibbonAction(control As IRibbonControl)" in text
    assert ("RunPython(\"import addin.excel; addin.excel.dispatch('\" & control.Id & \"', "
            "xlwings_version='\" & XLWINGS_VERSION & \"')\")") in text
    assert "On Error GoTo Failed" in text


def _decoded(text: str) -> list[str]:
    import re

    return ["".join(chr(int(c, 16)) for c in codes.split()) for codes in re.findall(r'Jp\("([0-9A-F ]+)"\)', text)]


def test_japanese_text_of_the_ribbon_module_spells_what_we_mean():
    text = (MACROS / "ReformRibbon.bas").read_text("ascii")
    decoded = _decoded(text)
    assert "行革進行管理" in decoded
    joined = "\n".join(decoded)
    # Each cause of a RunPython that cannot start is named, with what to do.
    assert "設定された Python が見つかりません: " in decoded  # interpreter not found (Windows)
    assert "Python の場所が設定されていません。" in decoded  # no INTERPRETER_MAC (Mac)
    assert "RunPython に必要な xlwings の AppleScript（xlwings-" in decoded  # AppleScript missing (Mac)
    assert "xlwings の DLL が見つかりません。アドインは xlwings " in decoded  # error 53, version mismatch
    assert "「ModuleNotFoundError」: その Python に xlwings か reform-addin が入っていません。" in joined
    assert joined.count("install.bat") >= 3 and "install.sh" in joined and "「動作確認」を押してください" in joined
    assert "number = 53" in text and "XLWINGS_VERSION" in text


def test_the_error_handler_runs_for_every_button_and_names_it():
    text = (MACROS / "ReformRibbon.bas").read_text("ascii")
    body = text[text.index("Public Sub OnRibbonAction"):text.index("End Sub")]
    assert body.count("CannotRun(control.Id)") == 3  # before Python, after a failed start, on a VBA error
    assert "If result = -1 Then" in body


def test_no_vendored_xlwings_and_one_copy_of_our_macros():
    assert sorted(p.name for p in MACROS.iterdir()) == ["ReformRibbon.bas", "customUI14.xml"]
    assert not (REPO / "addin" / "macros").exists()


def test_macros_are_found_without_being_told_where():
    assert (find_macros_dir() / "ReformRibbon.bas").is_file()


# ---- ribbon --------------------------------------------------------------------------------------


def test_ribbon_xml_is_well_formed_with_every_button():
    doc = minidom.parse(str(MACROS / "customUI14.xml"))
    root = doc.documentElement
    assert root.namespaceURI is None or root.getAttribute("xmlns") == CUSTOMUI_NS
    assert root.getAttribute("xmlns") == CUSTOMUI_NS
    tabs = doc.getElementsByTagName("tab")
    assert [t.getAttribute("label") for t in tabs] == ["行革進行管理"]
    buttons = doc.getElementsByTagName("button")
    assert {b.getAttribute("id") for b in buttons} == BUTTON_IDS
    assert len(buttons) == len(BUTTON_IDS)
    for button in buttons:
        assert button.getAttribute("onAction") == "OnRibbonAction"
        assert button.getAttribute("size") == "large"
        assert button.getAttribute("imageMso")
    groups = {g.getAttribute("label"): [b.getAttribute("label") for b in g.getElementsByTagName("button")]
              for g in doc.getElementsByTagName("group")}
    assert groups == {
        "事務局": ["様式作成", "検証", "集約", "工程表", "財政課出力", "公表資料", "設定"],
        "各課": ["入力チェック"],
        "アドイン": ["動作確認"],
    }


def test_ribbon_the_vba_and_the_python_dispatch_agree_on_every_button():
    import re

    from addin.excel.dispatch import BUTTONS

    doc = minidom.parse(str(MACROS / "customUI14.xml"))
    ribbon = {b.getAttribute("id"): b.getAttribute("label") for b in doc.getElementsByTagName("button")}
    text = (MACROS / "ReformRibbon.bas").read_text("ascii")
    vba = {case: _decoded(call)[0] for case, call in re.findall(r'Case "(\w+)": ButtonLabel = (Jp\("[0-9A-F ]+"\))', text)}
    assert ribbon == vba == BUTTONS
    assert set(ribbon) == BUTTON_IDS


# imageMso names found in every Excel list of OfficeDev/office-fluent-ui-command-identifiers
# (Office 2016, 2019, Microsoft 365 Current, Monthly Enterprise and Semi-Annual Enterprise Channel),
# checked 2026-12-02. ChartTypeBarInsertGallery is only in the Office 2013 list.
ICONS_IN_EVERY_LIST = {"FileNew", "DataValidation", "Consolidate", "ChartTypeColumnInsertGallery", "FileSaveAs",
                       "PropertySheet", "DataValidationCircleInvalid", "ErrorChecking", "FileSaveAsPdfOrXps"}


def test_ribbon_icons_are_names_of_the_office_icon_lists():
    doc = minidom.parse(str(MACROS / "customUI14.xml"))
    icons = {b.getAttribute("id"): b.getAttribute("imageMso") for b in doc.getElementsByTagName("button")}
    assert set(icons.values()) <= ICONS_IN_EVERY_LIST, "check a new imageMso against the Office lists first"
    assert icons["btnGantt"] == "ChartTypeColumnInsertGallery"


# ---- package -------------------------------------------------------------------------------------


def _rels(archive: zipfile.ZipFile, name: str) -> dict[str, str]:
    doc = minidom.parseString(archive.read(name))
    return {r.getAttribute("Type"): r.getAttribute("Target") for r in doc.getElementsByTagNameNS(PKG_RELS_NS, "Relationship")}


def test_package_has_the_parts_of_a_macro_enabled_addin(xlam):
    with zipfile.ZipFile(xlam) as archive:
        assert archive.testzip() is None
        names = set(archive.namelist())
        assert {
            "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
            "xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/vbaProject.bin", "customUI/customUI14.xml",
        } <= names
        for name in names - {"xl/vbaProject.bin"}:
            minidom.parseString(archive.read(name))
        types = minidom.parseString(archive.read("[Content_Types].xml"))
        overrides = {o.getAttribute("PartName"): o.getAttribute("ContentType") for o in types.getElementsByTagName("Override")}
        assert overrides["/xl/workbook.xml"] == CONTENT_TYPES["workbook"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
        assert overrides["/xl/vbaProject.bin"] == "application/vnd.ms-office.vbaProject"
        root_rels = _rels(archive, "_rels/.rels")
        assert root_rels[REL_TYPES["officeDocument"]] == "xl/workbook.xml"
        assert root_rels["http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"] == "customUI/customUI14.xml"
        book_rels = _rels(archive, "xl/_rels/workbook.xml.rels")
        assert book_rels["http://schemas.microsoft.com/office/2006/relationships/vbaProject"] == "vbaProject.bin"
        assert archive.read("customUI/customUI14.xml") == (MACROS / "customUI14.xml").read_bytes()


def test_workbook_code_names_match_the_document_modules(xlam, vba_bin):
    with zipfile.ZipFile(xlam) as archive:
        book = minidom.parseString(archive.read("xl/workbook.xml"))
        sheet = minidom.parseString(archive.read("xl/worksheets/sheet1.xml"))
    assert book.getElementsByTagName("workbookPr")[0].getAttribute("codeName") == "ThisWorkbook"
    assert [s.getAttribute("name") for s in book.getElementsByTagName("sheet")] == [CONFIG_SHEET]
    assert sheet.getElementsByTagName("sheetPr")[0].getAttribute("codeName") == "Sheet1"
    project = olefile.OleFileIO(str(vba_bin)).openstream("PROJECT").read().decode("ascii")
    assert "Document=ThisWorkbook/&H00000000" in project.splitlines()
    assert "Document=Sheet1/&H00000000" in project.splitlines()


def test_build_is_reproducible(xlam, tmp_path):
    again = build_addin(tmp_path / "again.xlam", MACROS)
    assert again.read_bytes() == xlam.read_bytes()


def test_default_output_is_workbooks_reform_xlam(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = build_addin(macros_dir=MACROS)
    assert out == Path("workbooks") / "reform.xlam"
    assert (tmp_path / "workbooks" / "reform.xlam").is_file()
    assert [p.name for p in (tmp_path / "workbooks").iterdir()] == ["reform.xlam"]  # no temporary left


# ---- VBA project ---------------------------------------------------------------------------------


def test_vba_project_has_the_expected_streams(vba_bin):
    ole = olefile.OleFileIO(str(vba_bin))
    modules = {p.stem for p in _source_files()} | {"ThisWorkbook", "Sheet1"} | XLWINGS_MODULES
    assert {"/".join(p) for p in ole.listdir()} == {"PROJECT", "PROJECTwm", "VBA/dir", "VBA/_VBA_PROJECT"} | {
        f"VBA/{m}" for m in modules
    }
    # Version 0xFFFF: no performance cache, the host compiles from source.
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000100")


@pytest.mark.parametrize("path", _source_files(), ids=lambda p: p.name)
def test_module_stream_holds_the_source_exactly_from_offset_0(vba_bin, path):
    stored = olefile.OleFileIO(str(vba_bin)).openstream(f"VBA/{path.stem}").read()
    expected = "\r\n".join(_stored_lines(path)) + "\r\n"
    assert decompress(stored) == expected.encode("ascii")
    assert read_module(path).code == expected


def test_olevba_extracts_every_module_identical_to_its_source(vba_bin):
    """Identical means: the same lines as the file, Attribute lines included, CRLF or LF alike.

    Only the export header of a class file (VERSION 1.0 CLASS / BEGIN ... END) is not
    part of a module's code, as in files Excel exports and imports.
    """
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(vba_bin))
    try:
        assert parser.detect_vba_macros()
        extracted = {name: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()
    expected_names = {f"{p.stem}{p.suffix}" for p in _source_files()}
    assert expected_names | {"ThisWorkbook.cls", "Sheet1.cls", "xlwings.bas", "Dictionary.cls"} == set(extracted)
    for path in _source_files():
        name = f"{path.stem}{path.suffix}"
        assert extracted[name].replace("\r\n", "\n").split("\n") == _stored_lines(path) + [""], name
    assert extracted["ThisWorkbook.cls"].splitlines()[0] == 'Attribute VB_Name = "ThisWorkbook"'


def test_olevba_reads_the_dir_stream_project_properties(vba_bin):
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(vba_bin))
    try:
        projects = list(parser.find_vba_projects())
        assert projects == [("", "PROJECT", "VBA/dir")] or len(projects) == 1
        assert len(list(parser.extract_macros())) == len(_source_files()) + 2 + len(XLWINGS_MODULES)
    finally:
        parser.close()


def test_project_protection_fields_decrypt_to_unprotected_and_visible(vba_bin):
    lines = olefile.OleFileIO(str(vba_bin)).openstream("PROJECT").read().decode("ascii").splitlines()
    values = {k: v.strip('"') for k, _, v in (line.partition("=") for line in lines if "=" in line)}
    project_id = values["ID"]
    assert decrypt_project_data(values["CMG"], project_id) == bytes(4)
    assert decrypt_project_data(values["DPB"], project_id) == b"\x00"
    assert decrypt_project_data(values["GC"], project_id) == b"\xff"
    assert values["Name"] == "reform"


def test_encryption_matches_a_project_saved_by_excel():
    # CMG/DPB/GC of a project Excel saved (xlwings' quickstart add-in), decrypted with its ID.
    project_id = "{318BEE36-5BE1-492A-826D-473DB19B0F30}"
    assert decrypt_project_data("5D5F8AADDAA8DEA8DEA8DEA8DE", project_id) == bytes(4)
    assert decrypt_project_data("5D5F8AADDAADDBADDBAD", project_id) == b"\x00"
    assert decrypt_project_data("5D5F8AADDAADDBADDB52", project_id) == b"\xff"
    assert encrypt_project_data(b"\xff", project_id, 0x5D).startswith("5D5F8A")
    for seed in range(256):
        assert decrypt_project_data(encrypt_project_data(b"\x01\x02", project_id, seed), project_id) == b"\x01\x02"


# ---- failures ------------------------------------------------------------------------------------


def _copy_macros(tmp_path: Path) -> Path:
    target = tmp_path / "macros"
    shutil.copytree(MACROS, target)
    return target


def test_non_ascii_source_is_refused_with_its_position(tmp_path):
    macros = _copy_macros(tmp_path)
    (macros / "Extra.bas").write_bytes('Attribute VB_Name = "Extra"\r\n\' 日本語\r\n'.encode("utf-8"))
    with pytest.raises(AddinBuildError) as exc_info:
        build_addin(tmp_path / "out.xlam", macros)
    assert exc_info.value.path == macros / "Extra.bas"
    assert "ASCII" in exc_info.value.reason
    assert not (tmp_path / "out.xlam").exists()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Sub X()\r\nEnd Sub\r\n", "Attribute VB_Name"),
        ('Attribute VB_Name = "Other"\r\n', "ファイル名"),
    ],
)
def test_module_without_matching_name_is_refused(tmp_path, text, fragment):
    macros = _copy_macros(tmp_path)
    (macros / "Extra.bas").write_bytes(text.encode("ascii"))
    with pytest.raises(AddinBuildError) as exc_info:
        build_addin(tmp_path / "out.xlam", macros)
    assert fragment in exc_info.value.reason


def test_broken_ribbon_xml_is_refused(tmp_path):
    macros = _copy_macros(tmp_path)
    (macros / "customUI14.xml").write_text("<customUI><ribbon>", encoding="utf-8")
    with pytest.raises(AddinBuildError) as exc_info:
        build_addin(tmp_path / "out.xlam", macros)
    assert "XML" in exc_info.value.reason


def test_missing_macros_folder_is_refused(tmp_path):
    with pytest.raises(AddinBuildError) as exc_info:
        build_addin(tmp_path / "out.xlam", tmp_path / "nowhere")
    assert "macros" in exc_info.value.reason


# ---- LibreOffice ---------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not on PATH; CI installs it")
def test_libreoffice_opens_the_addin(xlam, tmp_path):
    out_dir = tmp_path / "converted"
    profile = (tmp_path / "profile").as_uri()
    result = subprocess.run(
        [
            "soffice", f"-env:UserInstallation={profile}", "--headless", "--infilter=Calc Office Open XML",
            "--convert-to", "xlsx", "--outdir", str(out_dir), str(xlam),
        ],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    converted = out_dir / "reform.xlsx"
    assert converted.is_file() and converted.stat().st_size > 0, result.stdout + result.stderr
    with zipfile.ZipFile(converted) as archive:
        assert "xl/workbook.xml" in archive.namelist()
        assert CONFIG_SHEET.encode() in archive.read("xl/workbook.xml")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not on PATH; CI installs it")
def test_libreoffice_imports_every_vba_module(xlam, tmp_path):
    """LibreOffice parses the dir stream and module streams itself and writes them anew into an .xls."""
    from oletools.olevba import VBA_Parser

    out_dir = tmp_path / "converted"
    result = subprocess.run(
        [
            "soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
            "--infilter=Calc Office Open XML", "--convert-to", "xls:MS Excel 97", "--outdir", str(out_dir), str(xlam),
        ],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    parser = VBA_Parser(str(out_dir / "reform.xls"))
    try:
        modules = {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()
    assert set(modules) == {p.stem for p in _source_files()} | {"ThisWorkbook", "Sheet1"} | XLWINGS_MODULES
    assert "addin.excel.dispatch('\" & control.Id & \"', xlwings_version=" in modules["ReformRibbon"]
    assert 'Public Const PROJECT_NAME As String = "reform"' in modules["xlwings"]


def test_committed_addin_is_up_to_date(xlam):
    committed = REPO / "workbooks" / "reform.xlam"
    if not committed.exists():
        pytest.skip("workbooks/reform.xlam is not in this checkout; build it with: reform build-addin")
    with zipfile.ZipFile(committed) as old, zipfile.ZipFile(xlam) as new:
        assert old.namelist() == new.namelist(), "run: reform build-addin"
        for name in new.namelist():
            assert old.read(name) == new.read(name), f"{name} is stale; run: reform build-addin"
