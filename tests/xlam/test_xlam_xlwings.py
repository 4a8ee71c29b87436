"""The xlwings modules of the add-in come from the installed xlwings, version-locked, classes as Excel stores them."""

from __future__ import annotations

import re
import shutil
import tomllib
import zipfile
from pathlib import Path

import olefile
import pytest

import addin.xlam.pinned as pinned
from addin.xlam import AddinBuildError, build_addin
from addin.xlam.ovba import decompress
from addin.xlam.sources import CLASS_ATTRIBUTES, read_module
from addin.xlam.pinned import CUSTOM_ADDIN_FILE, installed_xlwings, required_xlwings, pinned_modules

REPO = Path(__file__).resolve().parents[2]
MACROS = REPO / "macros"
XLWINGS_DIR, XLWINGS_VERSION = installed_xlwings()


@pytest.fixture(scope="module")
def modules(tmp_path_factory) -> dict[str, str]:
    """Every module of a freshly built add-in, read back with olevba."""
    from oletools.olevba import VBA_Parser

    xlam = build_addin(tmp_path_factory.mktemp("addin") / "reform.xlam", MACROS)
    parser = VBA_Parser(str(xlam))
    try:
        return {name.rsplit(".", 1)[0]: code.replace("\r\n", "\n") for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def test_the_installed_version_is_the_pinned_one():
    import xlwings

    assert XLWINGS_VERSION == xlwings.__version__
    extras = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert f"xlwings=={XLWINGS_VERSION}" in extras["excel"]
    assert f"xlwings=={XLWINGS_VERSION}" in extras["test"]
    assert required_xlwings() == XLWINGS_VERSION


def test_the_xlwings_module_is_the_installed_one_with_only_the_project_name_changed(modules):
    original = (XLWINGS_DIR / CUSTOM_ADDIN_FILE).read_bytes().decode("ascii").replace("\r\n", "\n").split("\n")
    built = modules["xlwings"].split("\n")
    assert len(built) == len(original)
    changed = [(a, b) for a, b in zip(original, built) if a != b]
    assert changed == [('Public Const PROJECT_NAME As String = "myaddin"', 'Public Const PROJECT_NAME As String = "reform"')]


def test_dll_and_applescript_names_carry_the_installed_version(modules):
    code = modules["xlwings"]
    assert f'Public Const XLWINGS_VERSION As String = "{XLWINGS_VERSION}"' in code
    assert f'Lib "xlwings64-{XLWINGS_VERSION}.dll"' in code
    assert 'AppleScriptTask("xlwings-" & XLWINGS_VERSION & ".applescript"' in code
    # The AppleScript that `xlwings runpython install` copies is the one of this very version.
    assert (XLWINGS_DIR / f"xlwings-{XLWINGS_VERSION}.applescript").is_file()
    # The custom add-in flavour runs Python for the active (plan) workbook, not the add-in itself.
    assert 'XLPy.SetAttr XLPy.Module("xlwings._xlwindows"), "BOOK_CALLER", ActiveWorkbook' in code


def _class_modules(vba_bin: bytes) -> list[str]:
    import io

    ole = olefile.OleFileIO(io.BytesIO(vba_bin))
    project = ole.openstream("PROJECT").read().decode("ascii").splitlines()
    return [line.split("=", 1)[1] for line in project if line.startswith("Class=")]


def test_every_class_module_carries_the_attributes_excel_writes(tmp_path):
    macros = tmp_path / "macros"
    shutil.copytree(MACROS, macros)
    # A class written by hand with only a name gets the rest; a value it gives is kept.
    (macros / "Extra.cls").write_bytes(b'Attribute VB_Name = "Extra"\r\nAttribute VB_PredeclaredId = True\r\n'
                                       b"Option Explicit\r\nPublic Value As Long\r\n")
    xlam = build_addin(tmp_path / "reform.xlam", macros)
    vba_bin = zipfile.ZipFile(xlam).read("xl/vbaProject.bin")
    classes = _class_modules(vba_bin)
    assert sorted(classes) == ["Dictionary", "Extra"]
    ole = olefile.OleFileIO(vba_bin)
    for name in classes:
        lines = decompress(ole.openstream(f"VBA/{name}").read()).decode("ascii").split("\r\n")
        assert lines[0] == f'Attribute VB_Name = "{name}"'
        keys = [re.match(r"Attribute (VB_\w+) = ", line).group(1) for line in lines[1:8]]
        assert keys == [key for key, _ in CLASS_ATTRIBUTES], name
        assert lines[1] == 'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"'
    extra = decompress(ole.openstream("VBA/Extra").read()).decode("ascii").split("\r\n")
    assert "Attribute VB_PredeclaredId = True" in extra[1:8]
    assert extra[8:10] == ["Option Explicit", "Public Value As Long"]


def test_the_dictionary_header_is_the_one_excel_saved_in_xlwings_own_addin(modules):
    """xlwings' quickstart add-in was saved by Excel: our Dictionary starts with the same attribute lines."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(XLWINGS_DIR / "quickstart_addin_ribbon.xlam"))
    try:
        excel = {n: c.replace("\r\n", "\n") for _, _, n, c in parser.extract_macros()}["Dictionary.cls"]
    finally:
        parser.close()
    header = [line for line in excel.split("\n")[:12] if line.startswith("Attribute VB_")]
    assert modules["Dictionary"].split("\n")[: len(header)] == header
    assert len(header) >= 9  # VB_Name, the seven of CLASS_ATTRIBUTES, VB_Description


def test_an_exported_class_header_is_dropped_and_attributes_follow_the_name():
    module = read_module(XLWINGS_DIR / "addin" / "Dictionary.cls")
    lines = module.code.split("\r\n")
    assert not lines[0].startswith("VERSION")
    assert lines[8].startswith("Attribute VB_Description = ")


def _fake_xlwings(tmp_path: Path, version: str, declared: str) -> Path:
    folder = tmp_path / "xlwings"
    (folder / "addin").mkdir(parents=True)
    text = (XLWINGS_DIR / CUSTOM_ADDIN_FILE).read_bytes().decode("ascii")
    (folder / CUSTOM_ADDIN_FILE).write_bytes(text.replace(f'"{XLWINGS_VERSION}"', f'"{declared}"').encode("ascii"))
    shutil.copy(XLWINGS_DIR / "addin" / "Dictionary.cls", folder / "addin" / "Dictionary.cls")
    return folder


def test_a_module_of_another_version_than_the_installed_xlwings_fails_the_build(tmp_path, monkeypatch):
    folder = _fake_xlwings(tmp_path, XLWINGS_VERSION, "0.0.1")
    monkeypatch.setattr(pinned, "installed_xlwings", lambda: (folder, XLWINGS_VERSION))
    with pytest.raises(AddinBuildError) as exc_info:
        build_addin(tmp_path / "out.xlam", MACROS)
    assert "0.0.1" in exc_info.value.reason and XLWINGS_VERSION in exc_info.value.reason
    assert "版" in exc_info.value.reason
    assert not (tmp_path / "out.xlam").exists()


def test_an_installed_xlwings_other_than_the_pinned_one_fails_the_build(tmp_path, monkeypatch):
    folder = _fake_xlwings(tmp_path, "9.9.9", "9.9.9")
    monkeypatch.setattr(pinned, "installed_xlwings", lambda: (folder, "9.9.9"))
    with pytest.raises(AddinBuildError) as exc_info:
        pinned_modules("reform")
    assert f"xlwings=={XLWINGS_VERSION}" in exc_info.value.reason


def test_without_xlwings_the_build_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setattr(pinned, "installed_xlwings", lambda: None)
    with pytest.raises(AddinBuildError) as exc_info:
        build_addin(tmp_path / "out.xlam", MACROS)
    assert "reform-addin[excel]" in exc_info.value.reason


def test_a_project_name_line_missing_fails_the_build(tmp_path, monkeypatch):
    folder = _fake_xlwings(tmp_path, XLWINGS_VERSION, XLWINGS_VERSION)
    path = folder / CUSTOM_ADDIN_FILE
    path.write_bytes(path.read_bytes().replace(b"Public Const PROJECT_NAME", b"Const OTHER_NAME"))
    monkeypatch.setattr(pinned, "installed_xlwings", lambda: (folder, XLWINGS_VERSION))
    with pytest.raises(AddinBuildError) as exc_info:
        pinned_modules("reform")
    assert "PROJECT_NAME" in exc_info.value.reason
