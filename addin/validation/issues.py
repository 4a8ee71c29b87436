"""A validation issue: a problem in the data, kept as a value (never raised)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["Issue", "ERROR", "WARNING"]

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One problem, placed exactly: file, sheet, A1 cell, item and column."""

    severity: str
    code: str
    file: str
    sheet: str | None = None
    cell: str | None = None
    item_id: str | None = None
    column: str | None = None
    value: object = None
    message: str = ""

    def to_dict(self) -> dict:
        """The JSON shape of SPEC, "Validation"."""
        data = asdict(self)
        if data["value"] is not None and not isinstance(data["value"], (str, int, float, bool)):
            data["value"] = str(data["value"])
        return data
