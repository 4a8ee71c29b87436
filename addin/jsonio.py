"""JSON outputs: UTF-8, Japanese kept readable, written atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path

from addin.atomic import atomic_path

__all__ = ["write_json"]


def write_json(data: object, path: str | os.PathLike) -> Path:
    """Write ``data`` as pretty UTF-8 JSON, atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    return Path(path)
