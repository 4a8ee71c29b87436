"""The files a validation reads, from the files and folders given: what is read, skipped or refused.

Walking the folders never aborts (SPEC, "Safety"): a symlink loop, a file name that is not
valid in the file system's encoding, a folder that cannot be opened and a linked folder are
each one refused entry with a reason (an ``unreadable`` issue of its own), listed with the
other files. Linked folders are not followed, so a link cannot pull in files from elsewhere
nor loop. Every name that is shown (JSON, reports, log) is valid UTF-8: bytes that do not
decode are written as ``\\xff``.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

__all__ = ["Inputs", "Refused", "collect_inputs", "shown_path", "EXCEL_SUFFIXES", "RETURN_LIST_PREFIX",
           "REMINDER_LIST_PREFIX"]

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb"}  # .xls and .xlsb are read only to say how to save them
_TEMP_SUFFIXES = {".tmp", ".bak", ".crdownload", ".part"}
RETURN_LIST_PREFIX = "差戻し_"  # our own send-back lists, in case they land in the submission folder
REMINDER_LIST_PREFIX = "督促_"  # and our own reminder list


@dataclass(frozen=True)
class Refused:
    """An entry that cannot be read at all: its shown path and the ``unreadable`` variant that says why."""

    path: str
    variant: str
    details: dict = field(default_factory=dict, hash=False)


@dataclass
class Inputs:
    """What :func:`collect_inputs` found."""

    files: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)


def shown_path(path: str | os.PathLike) -> str:
    """The path as text that is always valid UTF-8 (undecodable bytes as ``\\xff``)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _decodable(path: Path) -> bool:
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:  # surrogateescape'd bytes of a name that is not UTF-8
        return False
    return True


def _skip(path: Path) -> bool:
    """Lock files (~$), hidden and temporary files and anything not Excel: skipped, never errors."""
    name = path.name
    if name.startswith(("~$", ".", "~", RETURN_LIST_PREFIX, REMINDER_LIST_PREFIX)) or path.suffix.lower() in _TEMP_SUFFIXES:
        return True
    return path.suffix.lower() not in EXCEL_SUFFIXES


class _Collector:
    def __init__(self):
        self.found = Inputs()
        self.seen: set[Path] = set()

    def refuse(self, path, variant: str, **details) -> None:
        self.found.refused.append(Refused(shown_path(path), variant, details))

    def add(self, path: Path) -> None:
        if _skip(path):
            self.found.skipped.append(shown_path(path))
            return
        if not _decodable(path):
            self.refuse(path, "undecodable_name", shown_name=shown_path(path.name))
            return
        try:
            path.stat()
            key = path.resolve()
        except RuntimeError:  # resolve() of a symlink loop in some Python versions
            key = None
        except OSError as exc:  # a missing target is the reader's to name; a loop is named here
            key = None if exc.errno == errno.ELOOP else path.absolute()
        if key is None:
            self.refuse(path, "symlink_loop")
            return
        if key in self.seen:
            return
        self.seen.add(key)
        self.found.files.append(path)

    def folder_error(self, exc: OSError) -> None:
        self.refuse(exc.filename or "", "folder_no_access", error=exc.strerror or type(exc).__name__)

    def walk(self, folder: Path) -> None:
        for root, dirs, names in os.walk(folder, onerror=self.folder_error):
            kept = []
            for name in sorted(dirs):
                if name.startswith("."):
                    continue  # hidden folders (.git, .Trash) are not submissions
                if os.path.islink(os.path.join(root, name)):
                    self.refuse(Path(root) / name, "linked_folder")
                    continue
                kept.append(name)
            dirs[:] = kept
            for name in sorted(names):
                self.add(Path(root) / name)


def collect_inputs(inputs: Iterable[str | os.PathLike]) -> Inputs:
    """Files to validate, files skipped and entries refused, from files and folders (recursive, hidden
    folders ignored, linked folders refused)."""
    collector = _Collector()
    for entry in inputs:
        path = Path(entry)
        if path.is_dir():
            collector.walk(path)
        elif path.exists() or path.is_symlink():
            collector.add(path)
        else:
            collector.found.skipped.append(shown_path(path))
    return collector.found
