"""The exception tree: for jobs that cannot be done at all.

Problems *in* the data (a wrong cell in a department workbook) are values,
:class:`addin.validation.issues.Issue`; exceptions are only for "cannot do the job"::

    ReformError                 base of everything the tool raises on purpose
    ├── PlanError               the plan workbook is missing or broken (carries problems)
    ├── UnreadableWorkbook      a file is not a readable, safe .xlsx (carries code and reason)
    └── OutputError             an output cannot be written (open in Excel, no permission, disk full)
        └── OutputConflict      an output path is an input or another output of the same run

Every message is Japanese and says what to do; the CLI and the Excel glue
show ``str(exc)`` and never a traceback.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass

__all__ = ["ReformError", "PlanError", "PlanProblem", "UnreadableWorkbook", "OutputError", "OutputConflict", "explain_os_error"]


class ReformError(Exception):
    """Base class of every error the tool raises on purpose."""


@dataclass(frozen=True)
class PlanProblem:
    """One problem in the plan workbook, with its place."""

    sheet: str
    cell: str | None
    message: str

    def __str__(self) -> str:
        where = f"シート「{self.sheet}」" + (f" セル {self.cell}" if self.cell else "")
        return f"{where}: {self.message}"


class PlanError(ReformError):
    """The plan workbook cannot be used; ``problems`` lists every reason found."""

    def __init__(self, path: object, problems: list[PlanProblem]):
        self.path = path
        self.problems = list(problems)
        lines = [f"計画ワークブック {path} に問題があります（{len(self.problems)}件）。修正してからやり直してください。"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))

    def __reduce__(self):  # rebuilt from its fields when it crosses from a worker process
        return (type(self), (self.path, self.problems))


class UnreadableWorkbook(ReformError):
    """A file that is not a readable, safe .xlsx; ``reason`` says what to do."""

    def __init__(self, path: object, reason: str, code: str = "unreadable"):
        self.path = path
        self.reason = reason
        self.code = code
        super().__init__(f"{path}: {reason}")

    def __reduce__(self):
        return (type(self), (self.path, self.reason, self.code))


class OutputError(ReformError):
    """An output file cannot be written; nothing half-written is left behind."""

    def __init__(self, path: object, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path} に書き込めません: {reason}")

    def __reduce__(self):
        return (type(self), (self.path, self.reason))


class OutputConflict(OutputError):
    """An output would replace an input or another output; refused before anything is written."""

    def __init__(self, label: str, path: object, other_label: str, other: object):
        self.label, self.other_label, self.other = label, other_label, other
        super().__init__(path, f"{label}（{path}）が{other_label}（{other}）と同じファイルです。"
                               "上書きしないよう、別の出力先を指定してください。")

    def __reduce__(self):
        return (type(self), (self.label, self.path, self.other_label, self.other))


def explain_os_error(exc: OSError) -> str:
    """A Japanese reason, with what to do, for a failed write."""
    if isinstance(exc, PermissionError):
        return "ファイルが Excel などで開かれているか、書き込み権限がありません。ファイルを閉じてからやり直してください。"
    if exc.errno == errno.ENOSPC:
        return "ディスクの空き容量が足りません。空きを作ってからやり直してください。"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return "保存先のフォルダがありません。フォルダを確認してください。"
    if exc.errno == errno.EROFS:
        return "保存先が読み取り専用です。別のフォルダを指定してください。"
    return f"保存できませんでした（{exc.strerror or exc}）。"
