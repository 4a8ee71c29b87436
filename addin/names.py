"""Names from a workbook or a plan made safe as part of a file name, and kept inside their folder.

A department name comes from the plan or from a hidden cell a department can edit,
so it may hold anything: ``x/../../集約_R8``, ``CON``, control characters, 300
characters. :func:`file_part` turns any text into one harmless file-name part;
:func:`inside` joins it to its folder and refuses a path that leaves the folder.

A name that had to be changed gets a short tag derived from the original text, so
two departments whose names clean to the same text never share (and overwrite) a file,
and the same department always gets the same name (the 提出状況 finds its list by it).
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path

from addin.errors import OutputError

__all__ = ["file_part", "distinct_parts", "inside", "MAX_PART_BYTES"]

# A file name has at most 255 bytes on most file systems; the part leaves room for a
# prefix such as 差戻し_R8_, the tag and the extension. 120 bytes are 40 kanji.
MAX_PART_BYTES = 120
_FORBIDDEN = re.compile(r'[/\\<>:"|?*]|\.{2,}')
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"{p}{n}" for p in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³"))}
_TAG_BYTES = 9  # "_" and 8 hex digits


def _is_control(char: str) -> bool:
    # Cc: NUL, newlines, escapes; Cf: invisible format marks such as the right-to-left override.
    return unicodedata.category(char) in ("Cc", "Cf")


def _clip(text: str, limit: int) -> str:
    """At most ``limit`` UTF-8 bytes, cut between characters (never inside a kanji)."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")


def _cleaned(text: str, limit: int) -> str:
    name = unicodedata.normalize("NFC", text)
    name = "".join("_" if _is_control(c) else c for c in name)
    name = _FORBIDDEN.sub("_", name)
    name = _clip(name.strip(" .\u3000"), limit).rstrip(" .\u3000")  # Windows drops trailing dots and spaces
    if name.split(".")[0].upper().rstrip(" ") in _RESERVED:
        name = "_" + name
    return name or "_"


def file_part(text: object, max_bytes: int = MAX_PART_BYTES, tagged: bool = False) -> str:
    """``text`` as one safe file-name part (no separators, ``..``, control or Windows-forbidden characters,
    no reserved device name, at most ``max_bytes`` UTF-8 bytes, never empty); changed names get a tag.

    ``tagged`` adds the tag to an unchanged name too: for a name that differs from another
    only in letter case, which Windows and macOS file systems take for the same file."""
    original = "" if text is None else str(text)
    name = _cleaned(original, max_bytes)
    if name == original and not tagged:
        return name
    tag = hashlib.sha1(original.encode("utf-8", errors="surrogatepass")).hexdigest()[:8]
    return f"{_cleaned(original, max_bytes - _TAG_BYTES)}_{tag}"


def distinct_parts(texts) -> dict[str, str]:
    """{text: file-name part} for a batch; names equal but for letter case are all tagged, so none replaces another."""
    texts = list(dict.fromkeys(texts))
    counts: dict[str, int] = {}
    for text in texts:
        key = file_part(text).casefold()
        counts[key] = counts.get(key, 0) + 1
    return {text: file_part(text, tagged=counts[file_part(text).casefold()] > 1) for text in texts}


def inside(folder: str | os.PathLike, name: str) -> Path:
    """``folder / name``, refused (OutputError) unless it is a file directly inside ``folder``."""
    folder = Path(folder)
    path = folder / name
    base = folder.resolve()
    target = path.resolve()
    if target.parent != base or name in ("", ".", "..") or Path(name).name != name:
        raise OutputError(path, f"ファイル名「{name}」はフォルダ {folder} の外を指すため、書き出しません。")
    return path
