"""Validation of submitted department workbooks: one file, a batch of files and folders, and 入力チェック.

Bad data is a value: every problem is an :class:`~addin.validation.issues.Issue` in a
:class:`~addin.validation.submission.FileResult`; one broken file never stops a batch.
Inputs are only read, never written.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable, Iterable, Iterator

from addin.errors import UnreadableWorkbook
from addin.validation.check import department_of, evaluate
from addin.validation.codes import make_issue
from addin.validation.inputs import (  # noqa: F401 - the prefixes and suffixes are imported from here too
    EXCEL_SUFFIXES,
    REMINDER_LIST_PREFIX,
    RETURN_LIST_PREFIX,
    Refused,
    collect_inputs,
)
from addin.validation.issues import ERROR, WARNING, Issue
from addin.validation.marks import mark_workbook
from addin.validation.read import read_records, records_from_openpyxl
from addin.validation.rules import department_from_name, run_batch_rules
from addin.validation.submission import INVALID, OK, UNREADABLE, FileResult, ValidationRun

__all__ = ["validate_file", "validate_inputs", "collect_inputs", "check_workbook", "mark_workbook", "EXCEL_SUFFIXES"]

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]

MAX_ISSUES_PER_FILE = 1_000  # SPEC, "Safety": the rest are counted in one more_issues issue


def capped(issues: list[Issue], path: str | os.PathLike) -> list[Issue]:
    """The first MAX_ISSUES_PER_FILE issues, and one ``more_issues`` counting the rest (a fill-down of a
    wrong value to the last row is one mistake, not millions of lines in every report)."""
    if len(issues) <= MAX_ISSUES_PER_FILE:
        return issues
    rest = issues[MAX_ISSUES_PER_FILE:]
    errors = sum(1 for i in rest if i.severity == ERROR)
    more = make_issue("more_issues", str(path), severity=ERROR if errors else WARNING, count=len(rest),
                      errors=errors, warnings=len(rest) - errors, limit=MAX_ISSUES_PER_FILE)
    return [*issues[:MAX_ISSUES_PER_FILE], more]


def _unreadable(path: Path, reason: str) -> FileResult:
    issue = make_issue("unreadable", str(path), reason=reason)
    return FileResult(str(path), department_from_name(str(path)), UNREADABLE, [issue])


def _refused(entry: Refused) -> FileResult:
    issue = make_issue("unreadable", entry.path, variant=entry.variant, **entry.details)
    # Only a file's own name says which department sent it; a folder's or an undecodable one does not.
    department = department_from_name(entry.path) if entry.variant == "symlink_loop" else None
    return FileResult(entry.path, department, UNREADABLE, [issue])


def validate_file(path: str | os.PathLike, plan, year: int) -> FileResult:
    """Validate one department workbook against the plan and fiscal year; never raises on bad data."""
    path = Path(path)
    plan = plan.in_year(year) if plan is not None else None
    try:
        records = read_records(path)
        submission, issues = evaluate(records, plan, year)
        issues = capped(issues, path)
        if submission is not None:
            stat = path.stat()
            submission.modified = stat.st_mtime
            submission.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    except UnreadableWorkbook as exc:
        log.info("unreadable %s: %s", path, exc.reason)
        return _unreadable(path, exc.reason)
    except Exception:  # noqa: BLE001 - one bad file never stops the batch; details go to the log
        log.exception("validation of %s failed", path)
        return _unreadable(path, "このファイルは読み取りの途中で問題が起きたため検証できませんでした。"
                                 "Excel で開いて上書き保存し直したものを提出してもらってください。")
    status = INVALID if any(i.severity == ERROR for i in issues) else OK
    department = submission.department if submission is not None else department_of(records)
    return FileResult(str(path), department, status, issues, submission)


def _progress_bar(total: int):
    if total < 2 or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc="検証", unit="ファイル", file=sys.stderr, leave=False)


PARALLEL_MIN_FILES = 64  # below this, starting worker processes costs more than it saves
_CHUNK = 32
_worker_plan: tuple | None = None


def _init_worker(plan, year: int) -> None:
    global _worker_plan
    _worker_plan = (plan, year)


def _validate_chunk(paths: list[Path]) -> list[FileResult]:
    plan, year = _worker_plan
    return [validate_file(path, plan, year) for path in paths]


def _results(files: list[Path], plan, year: int, workers: int) -> Iterator[list[FileResult]]:
    """Results in input order, a chunk at a time; many files are spread over the processor's cores."""
    if workers < 2 or len(files) < PARALLEL_MIN_FILES:
        for path in files:
            yield [validate_file(path, plan, year)]
        return
    from addin.workers import pool as worker_pool

    chunks = [files[i:i + _CHUNK] for i in range(0, len(files), _CHUNK)]
    # The plan goes to each worker once (initializer), not with every chunk, its lookups already computed.
    if plan is not None:
        plan.compute_lookups()
    with worker_pool(workers, _init_worker, (plan, year)) as pool:  # workers end if this process is killed
        futures = [pool.submit(_validate_chunk, chunk) for chunk in chunks]
        for chunk, future in zip(chunks, futures):
            try:
                yield future.result()
            except BrokenProcessPool:
                # A worker died inside a native reader (an abort, a segfault, the OOM killer): the pool is
                # gone with every chunk not yet done. Those chunks are read again one file at a time, so
                # only the file that kills its reader is lost, as one unreadable entry.
                yield _recover(chunk, plan, year)


def _recover(paths: list[Path], plan, year: int) -> list[FileResult]:
    """Validate ``paths`` one task each on a single worker: when it dies, the file it was on (the first
    not done) is unreadable, and a new worker takes the rest (one process start per crash)."""
    from addin.workers import pool as worker_pool

    results: list[FileResult] = []
    while len(results) < len(paths):
        rest = paths[len(results):]
        with worker_pool(1, _init_worker, (plan, year)) as pool:
            futures = [pool.submit(_validate_chunk, [path]) for path in rest]
            for path, future in zip(rest, futures):
                try:
                    results.extend(future.result())
                except BrokenProcessPool:
                    log.warning("the reader process died on %s", path)
                    issue = make_issue("unreadable", str(path), variant="crashed")
                    results.append(FileResult(str(path), department_from_name(str(path)), UNREADABLE, [issue]))
                    break
    return results


def validate_inputs(plan, inputs: Iterable[str | os.PathLike], year: int,
                    progress: Progress | None = None, workers: int | None = None) -> ValidationRun:
    """Validate every department workbook in ``inputs`` (files and folders); ``progress(done, total, path)``."""
    plan = plan.in_year(year) if plan is not None else None  # once here: every worker gets this year's view
    found = collect_inputs(inputs)
    files = found.files
    run = ValidationRun(year=year, skipped=found.skipped)
    bar = _progress_bar(len(files))
    workers = (os.cpu_count() or 1) if workers is None else workers
    try:
        for chunk in _results(files, plan, year, workers):
            run.files.extend(chunk)
            if bar is not None:
                bar.update(len(chunk))
            if progress is not None:
                progress(len(run.files), len(files), run.files[-1].path)
    finally:
        if bar is not None:
            bar.close()
    run.files.extend(_refused(entry) for entry in found.refused)
    for result, issue in run_batch_rules(run.files):
        result.issues.append(issue)
        result.superseded = True
    return run


def check_workbook(path_or_workbook, plan=None, year: int | None = None) -> list[Issue]:
    """入力チェック of one department workbook (a path or an open openpyxl workbook).

    Without a plan, only what the workbook itself says is checked: required
    cells, choices, numbers, lengths, duplicate rows. Raises UnreadableWorkbook
    when a path cannot be read.
    """
    if isinstance(path_or_workbook, (str, os.PathLike)):
        records = read_records(path_or_workbook)
    else:
        records = records_from_openpyxl(path_or_workbook, getattr(path_or_workbook, "path", "") or "")
    if plan is not None and year is not None:
        plan = plan.in_year(year)
    _submission, issues = evaluate(records, plan, year)
    return capped(issues, getattr(records, "path", ""))
