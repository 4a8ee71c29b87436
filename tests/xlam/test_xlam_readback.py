"""The xlwings version an add-in file records, read back from ours and from add-ins Excel saved."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

import addin.xlam.pinned as pinned
from addin.jobs.doctor import run_checks
from addin.xlam import build_addin
from addin.xlam.pinned import CUSTOM_ADDIN_FILE, installed_xlwings
from addin.xlam.readback import addin_xlwings_version, module_offsets, module_source
from addin.xlam.ovba import decompress

REPO = Path(__file__).resolve().parents[2]
XLWINGS_DIR, XLWINGS_VERSION = installed_xlwings()


def test_the_committed_addin_records_the_installed_xlwings():
    assert addin_xlwings_version(REPO / "workbooks" / "reform.xlam") == XLWINGS_VERSION


@pytest.mark.parametrize("name", ["quickstart_addin.xlam", "quickstart_addin_ribbon.xlam"])
def test_an_addin_excel_saved_is_read_past_its_compiled_code(name):
    """Excel writes compiled code before a module's source (MODULEOFFSET > 0); xlwings' release
    tooling writes its own module anew at offset 0. Both are read."""
    import io

    import olefile

    vba = zipfile.ZipFile(XLWINGS_DIR / name).read("xl/vbaProject.bin")
    ole = olefile.OleFileIO(io.BytesIO(vba))
    offsets = module_offsets(decompress(ole.openstream("VBA/dir").read()))
    assert offsets["Dictionary"] > 0 and offsets["xlwings"] == 0
    assert module_source(vba, "Dictionary").startswith('Attribute VB_Name = "Dictionary"')
    assert module_source(vba, "xlwings").startswith('Attribute VB_Name = "xlwings"')
    assert module_source(vba, "NoSuchModule") is None
    assert addin_xlwings_version(XLWINGS_DIR / name) == XLWINGS_VERSION


def test_reform_doctor_names_an_addin_built_for_another_xlwings(tmp_path, monkeypatch):
    folder = tmp_path / "xlwings"
    (folder / "addin").mkdir(parents=True)
    text = (XLWINGS_DIR / CUSTOM_ADDIN_FILE).read_bytes().replace(f'"{XLWINGS_VERSION}"'.encode(), b'"0.30.0"')
    (folder / CUSTOM_ADDIN_FILE).write_bytes(text)
    shutil.copy(XLWINGS_DIR / "addin" / "Dictionary.cls", folder / "addin" / "Dictionary.cls")
    with monkeypatch.context() as patch:
        patch.setattr(pinned, "installed_xlwings", lambda: (folder, "0.30.0"))
        patch.setattr(pinned, "required_xlwings", lambda: None)
        old = build_addin(tmp_path / "old.xlam", REPO / "macros")
    assert addin_xlwings_version(old) == "0.30.0"
    checks = {c.label: c for c in run_checks(addin_file=old, home=tmp_path, platform="linux")}
    assert checks["アドイン"].ok and "0.30.0" in checks["アドイン"].detail
    assert checks["xlwings"].ok is False and "版が違います" in checks["xlwings"].detail
    assert checks["xlwings"].detail.startswith(f"{XLWINGS_VERSION}（アドイン 0.30.0）")
