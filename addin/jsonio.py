"""JSON outputs: UTF-8, Japanese kept readable, written atomically, always valid JSON.

A crafted workbook can hold NaN or infinity in a number cell; JSON has no such
values (Python would write ``NaN``, which other readers refuse), so they become null.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

from addin.atomic import atomic_path

__all__ = ["write_json", "finite"]


def finite(data: object) -> object:
    """``data`` with every NaN or infinite float (at any depth) replaced by None."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: finite(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [finite(value) for value in data]
    return data


def write_json(data: object, path: str | os.PathLike) -> Path:
    """Write ``data`` as pretty UTF-8 JSON, atomically; NaN and infinity are written as null."""
    text = json.dumps(finite(data), ensure_ascii=False, indent=2, default=str, allow_nan=False)
    with atomic_path(path) as tmp:
        tmp.write_text(text + "\n", encoding="utf-8")
    return Path(path)
