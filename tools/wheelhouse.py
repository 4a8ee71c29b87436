"""Build an offline install folder for closed municipal networks (LGWAN).

``python -m tools.wheelhouse --out wheelhouse`` collects every wheel the add-in
needs for Windows x64 (and for the running platform), the built add-in and
install scripts, so that one copied folder installs everything with
``pip install --no-index --find-links``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

__all__ = ["build_wheelhouse", "WINDOWS_TARGETS"]

ROOT = Path(__file__).resolve().parents[1]
# (pip --platform, --python-version) pairs for the secretariat's Windows PCs.
WINDOWS_TARGETS = [("win_amd64", "3.11"), ("win_amd64", "3.12")]
# pip evaluates environment markers for the machine it runs on, not for --platform,
# so Windows-only requirements of xlwings must be named explicitly.
WINDOWS_EXTRAS = ["pywin32>=224", "colorama"]

INSTALL_BAT = r"""@echo off
rem 行革進行管理アドイン: オフラインインストール（インターネット接続不要）
setlocal
cd /d "%~dp0"
py -3 -m venv "%USERPROFILE%\reform-venv" || python -m venv "%USERPROFILE%\reform-venv"
"%USERPROFILE%\reform-venv\Scripts\python.exe" -m pip install --no-index --find-links wheels "reform-addin[excel]"
if errorlevel 1 (
  echo インストールに失敗しました。表示されたメッセージを事務局に伝えてください。
  pause
  exit /b 1
)
echo インストールが完了しました。reform.xlam を Excel のアドインとして追加してください（README 参照）。
pause
"""

INSTALL_SH = """#!/bin/sh
# 行革進行管理アドイン: オフラインインストール（インターネット接続不要）
set -e
cd "$(dirname "$0")"
python3 -m venv "$HOME/reform-venv"
"$HOME/reform-venv/bin/python" -m pip install --no-index --find-links wheels "reform-addin[excel]"
echo "インストールが完了しました。"
"""


def _pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", *args], check=True)


def _requirements() -> list[str]:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["excel"]]


def build_wheelhouse(out: Path, windows: bool = True, this_platform: bool = True, addin: Path | None = None) -> Path:
    """Collect wheels (Windows x64 and/or this platform), the .xlam and install scripts under ``out``."""
    wheels = out / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    _pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(ROOT))
    requirements = _requirements()
    if this_platform:
        _pip("download", "--quiet", "--only-binary=:all:", "--dest", str(wheels), *requirements)
    if windows:
        for platform, version in WINDOWS_TARGETS:
            _pip("download", "--quiet", "--only-binary=:all:", "--platform", platform, "--python-version", version,
                 "--implementation", "cp", "--dest", str(wheels), *requirements, *WINDOWS_EXTRAS)
    if addin and addin.exists():
        shutil.copy2(addin, out / addin.name)
    (out / "install.bat").write_text(INSTALL_BAT.replace("\n", "\r\n"), encoding="cp932", errors="replace")
    (out / "install.sh").write_text(INSTALL_SH, encoding="utf-8")
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
    print(f"{out}（{sysconfig.get_platform()} と Windows x64 用）")


if __name__ == "__main__":
    main()
