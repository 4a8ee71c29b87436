"""The installation checks of 動作確認 and ``reform doctor``: one line each, ○ or × and what to do.

The ribbon button and the command line run the same checks: Python (path and
version), xlwings (installed, the version this package pins, the version the
add-in was built with), the package and its libraries importable, the
interpreter the add-in is set to use, on macOS the AppleScript of RunPython,
and with a plan workbook its 設定, 提出フォルダ, 出力フォルダ and the history
database. A check that does not apply (no plan given) is shown as －.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import locale
import os
import sqlite3
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from addin.errors import ReformError
from addin.jobs.places import history_path, plan_folders
from addin.xlam.build import PROJECT_NAME
from addin.xlam.pinned import installed_xlwings, required_xlwings

__all__ = ["Check", "MIN_PYTHON", "run_checks", "report", "all_passed", "user_config_path", "applescript_path"]

MIN_PYTHON = (3, 11)  # the oldest Python the offline bundle has wheels for
# What a button needs beyond the standard library: import name → distribution to name in the fix.
_LIBRARIES = {"openpyxl": "openpyxl", "python_calamine": "python-calamine", "pandas": "pandas",
              "xlsxwriter": "XlsxWriter", "jsonschema": "jsonschema", "defusedxml": "defusedxml"}
_REINSTALL = "install.bat（Mac は install.sh）をもう一度実行してください"


@dataclass(frozen=True)
class Check:
    """One line of the report: ``ok`` True (○), False (×) or None (not applicable, －)."""

    label: str
    ok: bool | None
    detail: str
    fix: str = ""

    def line(self) -> str:
        """The line as shown: mark, label, what was found, and for × what to do."""
        mark = {True: "○", False: "×", None: "－"}[self.ok]
        text = f"{mark} {self.label}: {self.detail}"
        return f"{text}\n    → {self.fix}" if self.ok is False and self.fix else text


def user_config_path(platform: str = sys.platform, home: Path | None = None) -> Path:
    """The add-in's user config file, where the xlwings VBA of our add-in looks for INTERPRETER_WIN/MAC."""
    home = Path(home) if home is not None else Path.home()
    if platform == "darwin":
        # Excel on macOS is sandboxed: its "home folder" is the container.
        return home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / f"{PROJECT_NAME}.conf"
    return home / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf"


def applescript_path(version: str, home: Path | None = None) -> Path:
    """Where ``xlwings runpython install`` puts the AppleScript that RunPython calls on macOS."""
    home = Path(home) if home is not None else Path.home()
    return home / "Library" / "Application Scripts" / "com.microsoft.Excel" / f"xlwings-{version}.applescript"


def read_user_config(path: Path) -> dict[str, str]:
    """The ``"KEY","value"`` lines of an xlwings config file, keys upper-cased (as the VBA reads them)."""
    values: dict[str, str] = {}
    try:
        raw = path.read_bytes()
    except OSError:
        return values
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # install.bat writes it with cmd.exe's code page (cp932), which is also what the VBA reads.
        text = raw.decode(locale.getpreferredencoding(False), errors="replace")
    for line in text.splitlines():
        key, sep, value = line.partition(",")
        if sep:
            values[key.strip().strip('"').upper()] = value.strip().strip('"')
    return values


def _python() -> Check:
    version = ".".join(str(v) for v in sys.version_info[:3])
    ok = sys.version_info[:2] >= MIN_PYTHON
    return Check("Python", ok, f"{version}（{sys.executable}）",
                 f"Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} 以上をインストールし、{_REINSTALL}")


def _xlwings(addin_version: str | None) -> Check:
    found = installed_xlwings()
    pinned = required_xlwings()
    if found is None:
        return Check("xlwings", False, "インストールされていません", f'{_REINSTALL}（または pip install "reform-addin[excel]"）')
    version = found[1]
    expected = addin_version or pinned
    against = f"アドイン {addin_version}" if addin_version else (f"このパッケージの指定 {pinned}" if pinned else "")
    detail = f"{version}" + (f"（{against}）" if against else "")
    if expected and version != expected:
        return Check("xlwings", False, f"{detail}: 版が違います",
                     f'アドインと xlwings は同じ版でなければ動きません。{_REINSTALL}'
                     f'（または pip install "xlwings=={expected}"）')
    if addin_version and pinned and addin_version != pinned:
        return Check("xlwings", False, f"{detail}: このパッケージの指定は {pinned} です",
                     "reform build-addin でアドインを作り直し、Excel に追加し直してください")
    return Check("xlwings", True, detail)


def _package() -> Check:
    try:
        version = importlib.metadata.version("reform-addin")
    except importlib.metadata.PackageNotFoundError:
        version = "（ソースから実行）"
    missing = []
    for module, distribution in _LIBRARIES.items():
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(distribution)
    where = Path(__file__).resolve().parents[1]
    if missing:
        return Check("addin パッケージ", False, f"{version}（{where}）: {', '.join(missing)} が読み込めません", _REINSTALL)
    return Check("addin パッケージ", True, f"{version}（{where}）")


def _interpreter(platform: str, home: Path | None) -> Check:
    path = user_config_path(platform, home)
    key = "INTERPRETER_MAC" if platform == "darwin" else "INTERPRETER_WIN"
    value = read_user_config(path).get(key, "")
    if not value:
        if platform == "darwin":
            return Check("アドインが使う Python", False, f"{path} に {key} がありません",
                         "install.sh を実行してください（venv の python の絶対パスを書き込みます）")
        return Check("アドインが使う Python", True, "設定なし（PATH 上の python を使います）")
    if not Path(value).is_file():
        return Check("アドインが使う Python", False, f"{key} = {value} が見つかりません",
                     f"{_REINSTALL}（または {path} の {key} を直してください）")
    return Check("アドインが使う Python", True, f"{key} = {value}")


def _applescript(home: Path | None) -> Check:
    found = installed_xlwings()
    version = found[1] if found else (required_xlwings() or "?")
    path = applescript_path(version, home)
    if path.is_file():
        return Check("RunPython（AppleScript）", True, str(path))
    return Check("RunPython（AppleScript）", False, f"{path} がありません",
                 "install.sh を実行するか、ターミナルで ~/reform-venv/bin/xlwings runpython install を実行してください")


def _history(db: Path) -> Check:
    from addin.consolidation.history import SCHEMA_VERSION

    if not db.exists():
        return Check("履歴データベース", True, f"{db} はまだありません（最初の集約で作られます）")
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return Check("履歴データベース", False, f"{db} を読めません（{exc}）",
                     "別のプログラムが使っていないか確認し、壊れている場合は別名で保存し直してください")
    if version > SCHEMA_VERSION:
        return Check("履歴データベース", False, f"{db} は新しい版のツールで作られています（版 {version}）",
                     "このツールを新しい版に更新してください")
    return Check("履歴データベース", True, str(db))


def _plan_checks(plan_file: Path, base: Path) -> list[Check]:
    from addin.plan.reader import read_plan

    try:
        plan = read_plan(plan_file)
    except ReformError as exc:
        return [Check("計画ワークブック", False, str(exc), "計画ワークブックを直してから、もう一度確認してください")]
    settings = plan.settings
    checks = [Check("計画ワークブック", True, f"{settings.plan_name}（{settings.municipality}、{base}）")]
    if settings.report_year is None and not (settings.submit_folder and settings.output_folder):
        checks.append(Check("報告年度", False, "設定シートの「報告年度」が空欄です", "R8 のように入力してください"))
        return checks
    submit, output = plan_folders(settings, base)
    if submit.is_dir():
        checks.append(Check("提出フォルダ", True, str(submit)))
    else:
        checks.append(Check("提出フォルダ", False, f"{submit} がありません",
                            "フォルダを作るか、設定シートの「提出フォルダ」を直してください"))
    if output.is_dir():
        writable = os.access(output, os.W_OK)
        checks.append(Check("出力フォルダ", writable, str(output) + ("" if writable else ": 書き込めません"),
                            "書き込めるフォルダを設定シートの「出力フォルダ」に指定してください"))
    elif output.parent.is_dir():
        checks.append(Check("出力フォルダ", True, f"{output}（最初の実行で作られます）"))
    else:
        checks.append(Check("出力フォルダ", False, f"{output} も、その親フォルダもありません",
                            "設定シートの「出力フォルダ」を直してください"))
    checks.append(_history(history_path(settings, base)))
    return checks


def _addin_file(path: Path) -> tuple[Check, str | None]:
    """The add-in file and the xlwings version it records."""
    from addin.xlam.readback import addin_xlwings_version

    try:
        version = addin_xlwings_version(path)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        return Check("アドイン", False, f"{path} を読めません（{exc}）", "reform build-addin で作り直してください"), None
    if version is None:
        return Check("アドイン", False, f"{path} に xlwings のモジュールがありません",
                     "reform build-addin で作り直してください"), None
    return Check("アドイン", True, f"{path}（xlwings {version} 用）"), version


def run_checks(plan_file: Path | None = None, base: Path | None = None, addin_xlwings: str | None = None,
               platform: str = sys.platform, home: Path | None = None, addin_file: Path | None = None) -> list[Check]:
    """Every check; ``plan_file`` is read, its folders resolved under ``base`` (default: the plan's folder).

    The add-in's xlwings version is ``addin_xlwings`` (the ribbon passes it) or read from ``addin_file``.
    """
    checks = []
    if addin_file is not None:
        check, version = _addin_file(Path(addin_file))
        checks.append(check)
        addin_xlwings = addin_xlwings or version
    checks = [_python(), _xlwings(addin_xlwings), _package(), *checks, _interpreter(platform, home)]
    if platform == "darwin":
        checks.append(_applescript(home))
    if plan_file is None:
        checks.append(Check("計画ワークブック", None, "指定なし（計画ワークブックを指定すると、設定とフォルダも確認します）"))
    else:
        checks += _plan_checks(Path(plan_file), Path(base) if base is not None else Path(plan_file).resolve().parent)
    return checks


def all_passed(checks: list[Check]) -> bool:
    """True when no check failed (not applicable ones do not count)."""
    return all(c.ok is not False for c in checks)


def report(checks: list[Check]) -> str:
    """The lines of ``checks`` and a closing sentence."""
    end = "すべて問題ありません。" if all_passed(checks) else "× の項目を、→ のとおり直してください。"
    return "\n".join(c.line() for c in checks) + "\n" + end
