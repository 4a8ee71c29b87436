"""The text sources of the add-in: where ``macros/`` is, and its VBA modules read as stored code.

``macros/`` at the top of the checkout is the only copy. A wheel carries it as
``addin/macros/``: ``setup.py`` copies it into the build (never into the checkout),
so an installed package builds the same add-in.
"""

from __future__ import annotations

import re
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
    "CLASS_ATTRIBUTES",
    "read_ascii",
    "read_module",
    "read_module_text",
    "read_modules",
]

RIBBON_FILE = "customUI14.xml"
MODULE_SUFFIXES = {".bas": "standard", ".cls": "class"}
_REPO_MACROS = Path(__file__).resolve().parents[2] / "macros"
_PACKAGE_MACROS = Path(__file__).resolve().parents[1] / "macros"
_NAME_LINE = re.compile(r'^Attribute VB_Name = "([A-Za-z][A-Za-z0-9_]{0,30})"$')
_ATTRIBUTE_LINE = re.compile(r"^Attribute (VB_[A-Za-z]+) = (.*)$")
# The module attributes of a class module in the order Excel writes them, with Excel's values for a
# new class (Instancing = PublicNotCreatable). VB_Base names the class module's base class; a class
# stored without it fails at its first ``New`` in live Excel ("Invalid procedure call or argument").
CLASS_ATTRIBUTES = [
    ("VB_Base", '"0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"'),
    ("VB_GlobalNameSpace", "False"),
    ("VB_Creatable", "False"),
    ("VB_PredeclaredId", "False"),
    ("VB_Exposed", "True"),
    ("VB_TemplateDerived", "False"),
    ("VB_Customizable", "False"),
]


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


def _class_attributes(lines: list[str]) -> list[str]:
    """``lines`` after VB_Name with the class attributes Excel writes, in its order, the source's values kept."""
    given: dict[str, str] = {}
    rest_start = 0
    for rest_start, line in enumerate(lines):
        match = _ATTRIBUTE_LINE.match(line)
        if match is None:
            break
        given[match.group(1)] = match.group(2)
    else:
        rest_start = len(lines)
    standard = [f"Attribute {key} = {given.pop(key, value)}" for key, value in CLASS_ATTRIBUTES]
    # Other module attributes (VB_Description) follow the standard ones, as in an Excel export.
    extra = [f"Attribute {key} = {value}" for key, value in given.items()]
    return standard + extra + lines[rest_start:]


def read_ascii(path: Path) -> str:
    """The text of a VBA source; raise :class:`AddinBuildError` naming the first byte that is not ASCII."""
    raw = Path(path).read_bytes()
    try:
        return raw.decode("ascii")
    except UnicodeDecodeError as exc:
        raise AddinBuildError(
            path, f"VBA のソースは ASCII 文字だけで書いてください（{exc.start + 1} バイト目）。日本語は ChrW で組み立てます。"
        ) from exc


def read_module_text(path: Path, text: str | None = None, name: str | None = None) -> VbaModule:
    """A ``.bas`` or ``.cls`` source (``text`` if given, else the file) as stored code, named ``name`` or the file's stem.

    Raise :class:`AddinBuildError` if it is not ASCII or not named. A class module gets the
    attributes Excel writes (:data:`CLASS_ATTRIBUTES`).
    """
    if text is None:
        text = read_ascii(path)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    kind = MODULE_SUFFIXES[Path(path).suffix.lower()]
    if kind == "class" and lines and lines[0].startswith("VERSION "):
        # The exported header (VERSION ... BEGIN ... END) is not part of the stored code.
        end = next((i for i, line in enumerate(lines) if line.strip() == "END"), None)
        if end is None:
            raise AddinBuildError(path, "クラスモジュールの先頭 (VERSION 1.0 CLASS / BEGIN / END) が閉じていません。")
        lines = lines[end + 1:]
    match = _NAME_LINE.match(lines[0]) if lines else None
    if match is None:
        raise AddinBuildError(path, '1 行目に Attribute VB_Name = "モジュール名" が必要です。')
    expected = name or Path(path).stem
    if match.group(1) != expected:
        raise AddinBuildError(path, f"モジュール名 {match.group(1)} をファイル名 {expected} と同じにしてください。")
    if kind == "class":
        lines = lines[:1] + _class_attributes(lines[1:])
    return VbaModule(match.group(1), kind, "\r\n".join(lines) + "\r\n")


def read_module(path: Path) -> VbaModule:
    """A ``.bas`` or ``.cls`` file as stored code (see :func:`read_module_text`)."""
    return read_module_text(path)


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
