"""Build an offline install folder for closed municipal networks (LGWAN).

``python -m tools.wheelhouse --out wheelhouse`` collects every wheel the add-in
needs for Windows x64 on each CPython of :data:`WINDOWS_PYTHONS` (and for the
running platform), the built add-in and the install scripts, so that one copied
folder installs everything with ``pip install --no-index --find-links``.

:data:`WINDOWS_PYTHONS` runs from 3.11 to the newest CPython for which every
dependency publishes win_amd64 wheels. Checked 2026-12-02 without downloading
the wheels, by resolving the requirements for each version::

    pip install --dry-run --ignore-installed --target T --only-binary=:all: \\
        --platform win_amd64 --python-version 3.15 --implementation cp <requirements>

3.15 resolves (python-calamine 0.9.1, numpy 2.5.5, pandas 3.1.1, rpds-py, pywin32 312,
xlwings 0.37.8); 3.16 does not (no python-calamine wheel yet). Add a version here
when it resolves.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

__all__ = ["build_wheelhouse", "WINDOWS_PYTHONS", "WINDOWS_TARGETS", "install_bat", "install_sh", "requirements"]

ROOT = Path(__file__).resolve().parents[1]
WINDOWS_PYTHONS = ["3.11", "3.12", "3.13", "3.14", "3.15"]
# (pip --platform, --python-version) pairs for the secretariat's Windows PCs.
WINDOWS_TARGETS = [("win_amd64", version) for version in WINDOWS_PYTHONS]
# pip evaluates environment markers for the machine it runs on, not for --platform,
# so Windows-only requirements of xlwings must be named explicitly.
WINDOWS_EXTRAS = ["pywin32>=224", "colorama"]
VENV_NAME = "reform-venv"

_INSTALL_BAT = r"""@echo off
rem 行革進行管理アドイン: オフラインインストール（インターネット接続不要）
rem 同梱の wheel が対応する Python（Windows 64 ビット版 {first}～{last}）のうち、いちばん新しいものを使います。
setlocal
cd /d "%~dp0"
set "VENV=%USERPROFILE%\{venv}"
set "CONF=%USERPROFILE%\.reform\reform.conf"
set "PY="
for %%V in ({newest_first}) do (
  if not defined PY (
    py -%%V -c "import platform, sys; sys.exit(0 if platform.machine() == 'AMD64' else 1)" >nul 2>&1 && set "PY=py -%%V"
  )
)
if not defined PY (
  python -c "import platform, sys; sys.exit(0 if {lowest} <= sys.version_info[:2] <= {highest} and platform.machine() == 'AMD64' else 1)" >nul 2>&1 && set "PY=python"
)
if not defined PY goto nopython
echo 使用する Python: %PY%
%PY% -m venv --clear "%VENV%"
if errorlevel 1 goto failed
"%VENV%\Scripts\python.exe" -m pip install --no-index --find-links wheels "reform-addin[excel]"
if errorlevel 1 goto failed
rem アドイン（xlwings）が使う Python を設定ファイルに書きます（ほかの設定行は残します）。
if not exist "%USERPROFILE%\.reform" mkdir "%USERPROFILE%\.reform"
if exist "%CONF%" (findstr /v /i /c:"\"INTERPRETER_WIN\"" "%CONF%" > "%CONF%.new") else (type nul > "%CONF%.new")
>> "%CONF%.new" echo "INTERPRETER_WIN","%VENV%\Scripts\python.exe"
move /y "%CONF%.new" "%CONF%" >nul
"%VENV%\Scripts\reform.exe" doctor
echo.
echo インストールが完了しました。reform.xlam を Excel のアドインとして追加し、リボンの「動作確認」を押してください（README 参照）。
pause
exit /b 0

:nopython
echo この PC に、同梱の wheel が対応する Python が見つかりません。
echo 対応している Python: Windows 64 ビット版の {first}～{last}
echo python.org から Windows installer (64-bit) をダウンロードしてインストールし、もう一度 install.bat を実行してください。
echo （インストーラで「py launcher」を含めてください。32 ビット版や ARM64 版には対応していません。）
pause
exit /b 1

:failed
echo インストールに失敗しました。表示されたメッセージを事務局に伝えてください。
pause
exit /b 1
"""

_INSTALL_SH = """#!/bin/sh
# 行革進行管理アドイン: macOS へのインストール
# venv を作り、同梱の wheel（足りないものはインターネットから）で reform-addin と xlwings {xlwings} を入れ、
# RunPython の AppleScript を入れて（xlwings runpython install）、アドインが使う Python を設定ファイルに書きます。
set -e
cd "$(dirname "$0")"
VENV="${{REFORM_VENV:-$HOME/{venv}}}"
PYTHON="${{PYTHON:-python3}}"
"$PYTHON" -m venv --clear "$VENV"
if ! "$VENV/bin/python" -m pip install --no-index --find-links wheels "reform-addin[excel]"; then
  echo "同梱の wheel だけでは入れられませんでした。インターネットから不足分を取得します。"
  "$VENV/bin/python" -m pip install --find-links wheels "reform-addin[excel]"
fi
if [ "$(uname)" = "Darwin" ]; then
  # xlwings runpython install と同じ処理（venv の xlwings のその関数を直接呼びます）:
  # RunPython が呼ぶ ~/Library/Application Scripts/com.microsoft.Excel/xlwings-{xlwings}.applescript を入れます。
  "$VENV/bin/python" -c "from xlwings.cli import runpython_install; runpython_install(None)"
  CONTAINER="$HOME/Library/Containers/com.microsoft.Excel/Data"
  if [ ! -d "$CONTAINER" ]; then
    echo "Excel を一度起動して終了してから、もう一度 install.sh を実行してください（設定ファイルの置き場所がまだありません）。"
    exit 1
  fi
  # The AppleScript runs the interpreter through the login shell: only an absolute path is sure.
  CONF="$CONTAINER/reform.conf"
  if [ -f "$CONF" ]; then grep -v -i '^"INTERPRETER_MAC"' "$CONF" > "$CONF.new" || true; else : > "$CONF.new"; fi
  printf '"INTERPRETER_MAC","%s"\\n' "$VENV/bin/python" >> "$CONF.new"
  mv "$CONF.new" "$CONF"
fi
"$VENV/bin/reform" doctor || true
echo "インストールが完了しました。reform.xlam を Excel の「ツール → Excel アドイン」で追加し、リボンの「動作確認」を押してください。"
"""


def _pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", *args], check=True)


def requirements() -> list[str]:
    """The package's requirements and its ``excel`` extra (which pins xlwings), from pyproject.toml."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["excel"]]


def pinned_xlwings() -> str:
    """The exact xlwings version of the ``excel`` extra."""
    pins = [r.split("==", 1)[1] for r in requirements() if r.replace(" ", "").startswith("xlwings==")]
    if len(pins) != 1:
        raise SystemExit("pyproject.toml の excel に xlwings==X.Y.Z の指定がありません。")
    return pins[0]


def install_bat() -> str:
    """The Windows install script (newest covered Python first), with CRLF line ends for cmd.exe."""
    versions = [tuple(int(p) for p in v.split(".")) for v in WINDOWS_PYTHONS]
    text = _INSTALL_BAT.format(
        venv=VENV_NAME, first=WINDOWS_PYTHONS[0], last=WINDOWS_PYTHONS[-1],
        newest_first=" ".join(reversed(WINDOWS_PYTHONS)), lowest=min(versions), highest=max(versions),
    )
    return text.replace("\n", "\r\n")


def install_sh() -> str:
    """The macOS install script."""
    return _INSTALL_SH.format(venv=VENV_NAME, xlwings=pinned_xlwings())


def build_wheelhouse(out: Path, windows: bool = True, this_platform: bool = True, addin: Path | None = None) -> Path:
    """Collect wheels (Windows x64 and/or this platform), the .xlam and install scripts under ``out``."""
    wheels = out / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    _pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(ROOT))
    needed = requirements()
    pinned_xlwings()  # the bundle holds exactly the pinned xlwings, the one the add-in is built from
    if this_platform:
        _pip("download", "--quiet", "--only-binary=:all:", "--dest", str(wheels), *needed)
    if windows:
        for platform, version in WINDOWS_TARGETS:
            _pip("download", "--quiet", "--only-binary=:all:", "--platform", platform, "--python-version", version,
                 "--implementation", "cp", "--dest", str(wheels), *needed, *WINDOWS_EXTRAS)
    if addin and addin.exists():
        shutil.copy2(addin, out / addin.name)
    (out / "install.bat").write_bytes(install_bat().encode("cp932"))
    (out / "install.sh").write_text(install_sh(), encoding="utf-8", newline="\n")
    (out / "install.sh").chmod(0o755)
    return out


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: ``python -m tools.wheelhouse --out wheelhouse``."""
    parser = argparse.ArgumentParser(description="オフラインインストール用フォルダを作る")
    parser.add_argument("--out", default="wheelhouse", type=Path)
    parser.add_argument("--no-windows", action="store_true", help="Windows x64 の wheel を含めない")
    parser.add_argument("--addin", default=ROOT / "workbooks" / "reform.xlam", type=Path)
    args = parser.parse_args(argv)
    out = build_wheelhouse(args.out, windows=not args.no_windows, addin=args.addin)
    print(f"{out}（{sysconfig.get_platform()} と Windows x64 Python {WINDOWS_PYTHONS[0]}～{WINDOWS_PYTHONS[-1]} 用）")


if __name__ == "__main__":
    main()
