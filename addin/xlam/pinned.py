"""The xlwings VBA modules of the add-in, taken at build time from the installed xlwings.

xlwings ships ``xlwings_custom_addin.bas`` (RunPython for a custom add-in; it
declares ``xlwings64-<version>.dll`` and on macOS calls
``AppleScriptTask("xlwings-<version>.applescript")``) and ``addin/Dictionary.cls``
(the ``Scripting.Dictionary`` stand-in its Mac code creates with ``New``). Add-in
and Python package must be the same xlwings version, so nothing is vendored: the
build reads the installed files, replaces exactly the ``PROJECT_NAME`` line, and
refuses a module whose ``XLWINGS_VERSION`` is not the installed ``__version__``.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
from pathlib import Path

from addin.xlam.sources import AddinBuildError, VbaModule, read_ascii, read_module_text

__all__ = [
    "CUSTOM_ADDIN_FILE",
    "DICTIONARY_FILE",
    "XLWINGS_HINT",
    "installed_xlwings",
    "required_xlwings",
    "pinned_modules",
    "declared_version",
]

CUSTOM_ADDIN_FILE = "xlwings_custom_addin.bas"
DICTIONARY_FILE = Path("addin") / "Dictionary.cls"
XLWINGS_HINT = 'xlwings がインストールされていません。pip install "reform-addin[excel]" を実行してから、もう一度作成してください。'
_VERSION_CONST = re.compile(r'^Public Const XLWINGS_VERSION As String = "([^"]+)"\r?$', re.MULTILINE)
_PROJECT_CONST = re.compile(r'^Public Const PROJECT_NAME As String = "[^"]*"(\r?)$', re.MULTILINE)
_INIT_VERSION = re.compile(r'^__version__\s*=\s*["\']([^"\']+)["\']', re.MULTILINE)
_PIN = re.compile(r"^xlwings\s*==\s*([0-9][^;\s]*)")


def installed_xlwings() -> tuple[Path, str] | None:
    """The folder and ``__version__`` of the installed xlwings (not imported), or None."""
    try:
        spec = importlib.util.find_spec("xlwings")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    init = folder / "__init__.py"
    match = _INIT_VERSION.search(init.read_text(encoding="utf-8")) if init.is_file() else None
    return (folder, match.group(1)) if match else None


def required_xlwings(distribution: str = "reform-addin") -> str | None:
    """The xlwings version the installed package pins (``xlwings==X`` of its ``excel`` extra), or None."""
    try:
        requirements = importlib.metadata.requires(distribution) or []
    except importlib.metadata.PackageNotFoundError:
        return None
    for requirement in requirements:
        match = _PIN.match(requirement)
        if match:
            return match.group(1)
    return None


def declared_version(code: str) -> str | None:
    """The ``XLWINGS_VERSION`` a VBA module declares, or None."""
    match = _VERSION_CONST.search(code)
    return match.group(1) if match else None


def _custom_addin_module(path: Path, project_name: str, version: str) -> VbaModule:
    text = read_ascii(path)
    declared = declared_version(text)
    if declared != version:
        raise AddinBuildError(
            path,
            f"xlwings の VBA モジュールの版（{declared}）がインストールされている xlwings（{version}）と違います。"
            f'xlwings を入れ直してください（pip install --force-reinstall "xlwings=={version}"）。',
        )
    text, count = _PROJECT_CONST.subn(lambda m: f'Public Const PROJECT_NAME As String = "{project_name}"{m.group(1)}', text)
    if count != 1:
        raise AddinBuildError(path, f"PROJECT_NAME の行が {count} 行あります（1 行のはずです）。この版の xlwings には対応していません。")
    return read_module_text(path, text, name="xlwings")


def pinned_modules(project_name: str) -> list[VbaModule]:
    """The xlwings module with our project name and its Dictionary class, from the installed xlwings."""
    found = installed_xlwings()
    if found is None:
        raise AddinBuildError("xlwings", XLWINGS_HINT)
    folder, version = found
    pinned = required_xlwings()
    if pinned is not None and pinned != version:
        raise AddinBuildError(
            folder,
            f"インストールされている xlwings（{version}）が、このパッケージの指定（{pinned}）と違います。"
            f'pip install "xlwings=={pinned}" を実行してから、もう一度作成してください。',
        )
    custom, dictionary = folder / CUSTOM_ADDIN_FILE, folder / DICTIONARY_FILE
    for path in (custom, dictionary):
        if not path.is_file():
            raise AddinBuildError(path, f"xlwings {version} に {path.name} がありません。この版の xlwings には対応していません。")
    return [_custom_addin_module(custom, project_name, version), read_module_text(dictionary)]
