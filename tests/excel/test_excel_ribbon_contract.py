"""The command the ribbon's VBA hands to RunPython runs the dispatch, for every button of the ribbon."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from xml.dom import minidom

import pytest

import addin.excel
from addin.xlam.pinned import installed_xlwings
from tests.fake_book import FakeBook

# addin.excel.dispatch is the function (re-exported by the package); the module is reached by name.
dispatch_module = importlib.import_module("addin.excel.dispatch")
MACROS = Path(__file__).resolve().parents[2] / "macros"
RIBBON_IDS = sorted(b.getAttribute("id") for b in minidom.parse(str(MACROS / "customUI14.xml")).getElementsByTagName("button"))


def _python_command(button_id: str, xlwings_version: str) -> str:
    """The Python code RunPython receives, as the VBA of ReformRibbon.bas builds it."""
    text = (MACROS / "ReformRibbon.bas").read_text("ascii")
    vba = re.search(r"result = RunPython\((.*)\)\r?$", text, re.MULTILINE).group(1)
    values = {"control.Id": button_id, "XLWINGS_VERSION": xlwings_version}
    parts = [p.strip() for p in vba.split("&")]
    return "".join(p[1:-1].replace('""', '"') if p.startswith('"') else values[p] for p in parts)


@pytest.mark.parametrize("button_id", RIBBON_IDS)
def test_every_button_command_reaches_the_dispatch_with_the_addin_version(button_id, plan_path, monkeypatch):
    calls = []
    monkeypatch.setattr(addin.excel, "dispatch", lambda *a, **k: calls.append((a, k)))
    exec(_python_command(button_id, "0.37.8"), {})
    assert calls == [((button_id,), {"xlwings_version": "0.37.8"})]


def test_the_doctor_command_runs_end_to_end_on_a_fake_book(plan_path, monkeypatch):
    book = FakeBook(plan_path)
    monkeypatch.setattr(dispatch_module, "caller_book", lambda: book)
    version = installed_xlwings()[1]
    exec(_python_command("btnDoctor", version), {})
    assert book.alerts and book.alerts[-1].startswith("動作確認\n○ Python")
    assert f"（アドイン {version}）" in book.alerts[-1]


def test_every_line_of_the_vba_fits_the_vba_editor():
    for path in MACROS.glob("*.bas"):
        for number, line in enumerate(path.read_bytes().split(b"\r\n"), start=1):
            assert len(line) <= 1023, f"{path.name}:{number}"
