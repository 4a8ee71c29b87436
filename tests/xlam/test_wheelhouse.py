"""The offline bundle: Windows targets, the generated install scripts, and a real install from it with no index."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from addin.xlam.pinned import installed_xlwings
from tools.wheelhouse import WINDOWS_PYTHONS, WINDOWS_TARGETS, build_wheelhouse, install_bat, install_sh, requirements

XLWINGS_DIR, XLWINGS_VERSION = installed_xlwings()


def test_windows_targets_are_every_cpython_from_311_to_315():
    assert WINDOWS_PYTHONS == ["3.11", "3.12", "3.13", "3.14", "3.15"]
    assert WINDOWS_TARGETS == [("win_amd64", v) for v in WINDOWS_PYTHONS]


def test_the_bundle_asks_for_exactly_the_pinned_xlwings():
    assert [r for r in requirements() if r.startswith("xlwings")] == [f"xlwings=={XLWINGS_VERSION}"]


def test_install_bat_tries_the_newest_covered_python_first_and_says_when_there_is_none():
    text = install_bat()
    assert text.count("\r\n") > 20 and "\n" not in text.replace("\r\n", "")  # cmd.exe line ends
    text.encode("cp932")  # the code page of a Japanese cmd.exe
    assert "for %%V in (3.15 3.14 3.13 3.12 3.11) do (" in text
    assert 'py -%%V -c "import platform, sys; sys.exit(0 if platform.machine() == \'AMD64\' else 1)"' in text
    assert "(3, 11) <= sys.version_info[:2] <= (3, 15)" in text  # the fallback python on PATH
    none = text[text.index(":nopython"):text.index(":failed")]
    assert "対応している Python: Windows 64 ビット版の 3.11～3.15" in none and "install.bat" in none
    # The add-in is set to the venv's python.exe (RunPython hides its console window itself).
    assert '>> "%CONF%.new" echo "INTERPRETER_WIN","%VENV%\\Scripts\\python.exe"' in text
    assert 'set "CONF=%USERPROFILE%\\.reform\\reform.conf"' in text
    assert '--no-index --find-links wheels "reform-addin[excel]"' in text


def test_install_sh_installs_runpython_and_writes_an_absolute_interpreter():
    text = install_sh()
    assert "xlwings runpython install" in text
    assert '"$VENV/bin/python" -c "from xlwings.cli import runpython_install; runpython_install(None)"' in text
    assert "printf '\"INTERPRETER_MAC\",\"%s\"\\n' \"$VENV/bin/python\"" in text
    assert "Library/Containers/com.microsoft.Excel/Data" in text and f"xlwings-{XLWINGS_VERSION}" in text


def test_offline_install_from_the_bundle_then_build_the_addin_from_the_installed_package(tmp_path):
    bundle = build_wheelhouse(tmp_path / "wheelhouse", windows=False)
    assert (bundle / "install.bat").read_bytes().count(b"\r\n") > 20
    wheels = sorted(p.name for p in (bundle / "wheels").iterdir())
    ours = [bundle / "wheels" / n for n in wheels if n.startswith("reform_addin-")]
    assert len(ours) == 1
    with zipfile.ZipFile(ours[0]) as wheel:
        carried = sorted(n.split("/")[-1] for n in wheel.namelist() if n.startswith("addin/macros/"))
    repo_macros = Path(__file__).resolve().parents[2] / "macros"
    assert carried == sorted(p.name for p in repo_macros.iterdir()) == ["ReformRibbon.bas", "customUI14.xml"]
    assert [n for n in wheels if n.lower().startswith("xlwings-")] == [
        n for n in wheels if n.lower().startswith(f"xlwings-{XLWINGS_VERSION}-")
    ] != []
    # install.sh as a Mac runs it: a fake `uname` says Darwin, HOME is a fresh folder where Excel has run once.
    home, fake_bin = tmp_path / "home", tmp_path / "bin"
    (home / "Library" / "Containers" / "com.microsoft.Excel" / "Data").mkdir(parents=True)
    fake_bin.mkdir()
    (fake_bin / "uname").write_text("#!/bin/sh\necho Darwin\n")
    (fake_bin / "uname").chmod(0o755)
    venv = tmp_path / "venv"
    env = {**os.environ, "HOME": str(home), "PATH": f"{fake_bin}{os.pathsep}{os.environ['PATH']}",
           "REFORM_VENV": str(venv), "PYTHON": sys.executable}
    result = subprocess.run(["sh", str(bundle / "install.sh")], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    script = home / "Library" / "Application Scripts" / "com.microsoft.Excel" / f"xlwings-{XLWINGS_VERSION}.applescript"
    assert script.read_bytes() == (XLWINGS_DIR / script.name).read_bytes()
    conf = (home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / "reform.conf").read_text()
    assert conf == f'"INTERPRETER_MAC","{venv}/bin/python"\n'
    assert Path(re.match(r'"INTERPRETER_MAC","(.*)"', conf).group(1)).is_absolute()
    assert "○ xlwings" in result.stdout  # reform doctor ran from the new venv

    python = venv / "bin" / "python"
    version = subprocess.run([str(venv / "bin" / "reform"), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("reform ")
    # The installed package carries its data: the default plan loads outside the source tree.
    code = "from addin.plan.default import default_plan; print(len(default_plan().items))"
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert out.stdout.strip() == "36"
    # ... and builds the add-in from its own copy of macros/ and the installed xlwings.
    built = subprocess.run([str(venv / "bin" / "reform"), "build-addin", "--out", "a.xlam"], cwd=tmp_path,
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    committed = Path(__file__).resolve().parents[2] / "workbooks" / "reform.xlam"
    with zipfile.ZipFile(tmp_path / "a.xlam") as new, zipfile.ZipFile(committed) as old:
        assert new.read("xl/vbaProject.bin") == old.read("xl/vbaProject.bin")
        assert new.read("customUI/customUI14.xml") == old.read("customUI/customUI14.xml")
