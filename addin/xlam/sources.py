"""The text sources of the add-in: where ``macros/`` is, and its VBA modules read as stored code.

A source checkout keeps them in ``macros/`` beside the package; an installed
package carries a copy as package data in ``addin/macros/`` (refreshed with
``python -m addin.xlam``; a test keeps the two equal).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from addin.errors import ReformError

__all__ = [
    "AddinBuildError",
    "VbaModule",
    "MODULE_SUFFIXES",
    "RIBBON_FILE",
    "find_macros_dir",
    "macro_files",
    "read_module",
    "read_modules",
    "sync_package_macros",
]

RIBBON_FILE = "customUI14.xml"
MODULE_SUFFIXES = {".bas": "standard", ".cls": "class"}
_REPO_MACROS = Path(__file__).resolve().parents[2] / "macros"
_PACKAGE_MACROS = Path(__file__).resolve().parents[1] / "macros"
_NAME_LINE = re.compile(r'^Attribute VB_Name = "([A-Za-z][A-Za-z0-9_]{0,30})"$')


class AddinBuildError(ReformError):
    """The add-in cannot be built from its sources; ``path`` is the file at fault."""

    def __init__(self, path: object, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


@dataclass(frozen=True)
class VbaModule:
    """One VBA module as the project stores it: CRLF lines, Attribute lines first."""

    name: str
    kind: str  # "standard", "class" or "document"
    code: str


def find_macros_dir(start: Path | None = None) -> Path:
    """The ``macros/`` folder: ``start`` if given, else the checkout's, else the package copy."""
    candidates = [Path(start)] if start is not None else [_REPO_MACROS, _PACKAGE_MACROS]
    for candidate in candidates:
        if (candidate / RIBBON_FILE).is_file() and (start is not None or (candidate / "ReformRibbon.bas").is_file()):
            return candidate
    raise AddinBuildError(
        candidates[0],
        f"アドインの元になる macros フォルダ（{RIBBON_FILE} を含む）が見つかりません。",
    )


def read_module(path: Path) -> VbaModule:
    """A ``.bas`` or ``.cls`` file as stored code; raise :class:`AddinBuildError` if it is not ASCII or unnamed."""
    raw = path.read_bytes()
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError as exc:
        raise AddinBuildError(
            path, f"VBA のソースは ASCII 文字だけで書いてください（{exc.start + 1} バイト目）。日本語は ChrW で組み立てます。"
        ) from exc
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    kind = MODULE_SUFFIXES[path.suffix.lower()]
    if kind == "class" and lines and lines[0].startswith("VERSION "):
        # The exported header (VERSION ... BEGIN ... END) is not part of the stored code.
        end = next((i for i, line in enumerate(lines) if line.strip() == "END"), None)
        if end is None:
            raise AddinBuildError(path, "クラスモジュールの先頭 (VERSION 1.0 CLASS / BEGIN / END) が閉じていません。")
        lines = lines[end + 1:]
    match = _NAME_LINE.match(lines[0]) if lines else None
    if match is None:
        raise AddinBuildError(path, '1 行目に Attribute VB_Name = "モジュール名" が必要です。')
    if match.group(1) != path.stem:
        raise AddinBuildError(path, f"モジュール名 {match.group(1)} をファイル名 {path.stem} と同じにしてください。")
    return VbaModule(match.group(1), kind, "\r\n".join(lines) + "\r\n")


def read_modules(macros_dir: Path) -> list[VbaModule]:
    """Every ``.bas`` and ``.cls`` module in ``macros_dir``, sorted by name."""
    paths = sorted(p for p in Path(macros_dir).iterdir() if p.suffix.lower() in MODULE_SUFFIXES)
    modules = [read_module(p) for p in paths]
    names = [m.name.upper() for m in modules]
    if len(set(names)) != len(names):
        raise AddinBuildError(macros_dir, "同じ名前のモジュールが二つあります。")
    return modules


def macro_files(macros_dir: Path) -> list[Path]:
    """The files of ``macros_dir`` that make the add-in."""
    return sorted(
        p for p in Path(macros_dir).iterdir() if p.suffix.lower() in MODULE_SUFFIXES or p.name == RIBBON_FILE
    )


def sync_package_macros(source: Path = _REPO_MACROS, target: Path = _PACKAGE_MACROS) -> list[Path]:
    """Copy the checkout's ``macros/`` into the package data folder; return the files copied."""
    target.mkdir(parents=True, exist_ok=True)
    wanted = {p.name for p in macro_files(source)}
    for stale in target.iterdir():
        if stale.is_file() and stale.name not in wanted:
            stale.unlink()
    copied = []
    for path in macro_files(source):
        shutil.copyfile(path, target / path.name)
        copied.append(target / path.name)
    return copied

