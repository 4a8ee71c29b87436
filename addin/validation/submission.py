"""The model of a department's submission and of a validation run over many files.

Readers turn a workbook into a :class:`Submission` (plain records with their
cell addresses); validation wraps each file in a :class:`FileResult`;
consolidation works only on the valid submissions of a :class:`ValidationRun`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from addin.fiscal import format_fiscal_year
from addin.validation.issues import ERROR, WARNING, Issue
from addin.vocab import RUN_SUMMARY_LABELS

__all__ = ["EntryRow", "KpiRow", "Submission", "FileResult", "ValidationRun", "OK", "INVALID", "UNREADABLE"]

OK, INVALID, UNREADABLE = "ok", "invalid", "unreadable"


@dataclass
class EntryRow:
    """One row of sheet 入力, normalized; ``cells`` maps a header name to its A1 address."""

    item_id: str
    row: int
    status: str | None = None           # 取組状況
    grade: str | None = None            # 自己評価: A B C -
    progress: str | None = None         # 進捗
    effect: float | int | None = None   # 効果額（千円）
    next_steps: str | None = None       # 今後の課題・方向性
    effect_kind: str | None = None      # 効果額の区分: 歳出削減 / 歳入確保
    certainty: str | None = None        # 確定・見込: 確定 / 見込み (None: 確定)
    basis: str | None = None            # 算定根拠
    next_year_effect: float | int | None = None  # 次年度見込額（千円）
    response: str | None = None         # 前年度指摘への対応 (forms with last year's record)
    name: str | None = None             # 改革項目 as found in the file (fixed cell)
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class KpiRow:
    """One row of sheet KPI実績, normalized (percent KPIs in percent: 26 means 26%)."""

    item_id: str
    name: str
    row: int
    actual: float | int | None = None
    note: str | None = None
    unit: str | None = None
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class Submission:
    """What one department reported for one fiscal year."""

    path: str
    department: str
    year: int
    plan_name: str | None = None
    fingerprint: str | None = None
    template_version: str | None = None
    modified: float | None = None  # file time, seconds since the epoch: the newer of two submissions wins
    sha256: str | None = None
    entries: list[EntryRow] = field(default_factory=list)
    kpis: list[KpiRow] = field(default_factory=list)


@dataclass
class FileResult:
    """One input file after validation."""

    path: str
    department: str | None
    status: str
    issues: list[Issue] = field(default_factory=list)
    submission: Submission | None = None
    superseded: bool = False  # an older file of a department that sent two: validated, not consolidated

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == WARNING)

    def to_dict(self) -> dict:
        return {"path": self.path, "department": self.department, "status": self.status,
                "issues": [i.to_dict() for i in self.issues]}


@dataclass
class ValidationRun:
    """Every input of one validate or consolidate call."""

    year: int
    files: list[FileResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def issues(self) -> list[Issue]:
        return [i for f in self.files for i in f.issues]

    def summary(self) -> dict:
        return {
            "files": len(self.files),
            "ok": sum(1 for f in self.files if f.status == OK),
            "invalid": sum(1 for f in self.files if f.status == INVALID),
            "unreadable": sum(1 for f in self.files if f.status == UNREADABLE),
            "errors": sum(f.errors for f in self.files),
            "warnings": sum(f.warnings for f in self.files),
        }

    def summary_lines(self) -> list[tuple[str, int]]:
        """The counts of :meth:`summary` with the labels every sheet shows them under."""
        counts = self.summary()
        return [(label, counts[key]) for key, label in RUN_SUMMARY_LABELS]

    def valid_submissions(self) -> list[Submission]:
        """The submissions to consolidate: valid files, the newest per department."""
        return [f.submission for f in self.files if f.status == OK and f.submission is not None and not f.superseded]

    @property
    def exit_code(self) -> int:
        """0 when nothing is wrong, 1 when any file has an error, 2 when no file could be read at all
        (SPEC: 2 = nothing usable to read)."""
        if self.files and all(f.status == UNREADABLE for f in self.files):
            return 2
        return 1 if any(f.errors for f in self.files) else 0

    def to_json(self) -> dict:
        """The ``--json`` shape of SPEC, "Validation"."""
        return {"year": format_fiscal_year(self.year), "files": [f.to_dict() for f in self.files],
                "skipped": list(self.skipped), "summary": self.summary()}
