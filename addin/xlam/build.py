"""``reform build-addin``: the add-in ``workbooks/reform.xlam`` from ``macros/`` and the installed xlwings."""

from __future__ import annotations

from pathlib import Path
from xml.dom import minidom
from xml.parsers.expat import ExpatError

from addin.atomic import atomic_path
from addin.xlam.package import SHEET_CODE_NAME, WORKBOOK_CODE_NAME, package_parts, write_xlam
from addin.xlam.sources import RIBBON_FILE, AddinBuildError, VbaModule, find_macros_dir, read_modules
from addin.xlam.vbaproject import document_module, vba_project_bin
from addin.xlam.pinned import pinned_modules

__all__ = ["DEFAULT_OUT", "PROJECT_NAME", "build_addin", "project_modules"]

DEFAULT_OUT = Path("workbooks") / "reform.xlam"
PROJECT_NAME = "reform"


def project_modules(macros_dir: Path, project_name: str = PROJECT_NAME) -> list[VbaModule]:
    """The document modules Excel expects, then the modules of ``macros_dir`` and of xlwings, by name."""
    modules = [document_module(WORKBOOK_CODE_NAME, "workbook"), document_module(SHEET_CODE_NAME, "worksheet")]
    taken = {m.name.upper(): "Excel" for m in modules}
    taken.update({m.name.upper(): "xlwings" for m in pinned_modules(project_name)})
    sources = read_modules(macros_dir)
    for module in sources:
        if module.name.upper() in taken:
            raise AddinBuildError(macros_dir / module.name,
                                  f"モジュール名 {module.name} は {taken[module.name.upper()]} が使う名前です。別の名前にしてください。")
    return modules + sorted(sources + pinned_modules(project_name), key=lambda m: m.name.upper())


def _ribbon(macros_dir: Path) -> bytes:
    """The ribbon XML, checked to be well-formed."""
    path = macros_dir / RIBBON_FILE
    data = path.read_bytes()
    try:
        minidom.parseString(data)
    except ExpatError as exc:
        raise AddinBuildError(path, f"リボンの XML が正しくありません（{exc}）。") from exc
    return data


def build_addin(out: Path | None = None, macros_dir: Path | None = None) -> Path:
    """Build the .xlam add-in from ``macros_dir`` and write it atomically to ``out``; return its path."""
    macros_dir = find_macros_dir(macros_dir)
    target = Path(out) if out is not None else DEFAULT_OUT
    parts = package_parts(vba_project_bin(project_modules(macros_dir), PROJECT_NAME), _ribbon(macros_dir))
    with atomic_path(target) as tmp:
        write_xlam(tmp, parts)
    return target
