"""The history database: every consolidated submission, so the next year shows the trend (推移).

A single SQLite file (stdlib ``sqlite3``, no server), default ``reform.db``
beside the report. The tool creates and migrates the schema itself:
``PRAGMA user_version`` is the schema version and :data:`MIGRATIONS` the list
of steps from each version to the next.

Rows are scoped by plan name (one database may serve several plans) and
fiscal year; storing a year again replaces that year's rows in one
transaction, so re-consolidating after a department resubmits is safe.

Schema (version 5)::

    submissions(id, plan, year, department, path, sha256, modified, consolidated_at, fingerprint)
    entries(submission_id → submissions, item_id, status, grade, progress, effect, next_steps)
    kpi_actuals(submission_id → submissions, item_id, kpi_name, actual, note)
    item_grades(plan, year, item_id, self, secretariat, committee, final,
                secretariat_comment, committee_comment)          -- since version 2
    plan_snapshots(plan, year, fingerprint, stored_at, workbook)  -- since version 3
    entries += effect_kind, certainty, basis, next_year_effect      -- since version 4
    entries += response                                             -- since version 5
"""

from __future__ import annotations

import errno
import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Iterable

from addin.consolidation.effects import Part
from addin.errors import OutputError, explain_os_error
from addin.validation.codes import render
from addin.validation.submission import Submission

__all__ = ["History", "HISTORY_FILE", "MIGRATIONS", "SCHEMA_VERSION"]

HISTORY_FILE = "reform.db"  # one per plan: every year's consolidation and the next year's forms use it

MIGRATIONS: list[str] = [
    # 0 -> 1
    """
    CREATE TABLE submissions (
        id INTEGER PRIMARY KEY,
        plan TEXT NOT NULL,
        year INTEGER NOT NULL,
        department TEXT NOT NULL,
        path TEXT,
        sha256 TEXT,
        modified TEXT,
        consolidated_at TEXT NOT NULL,
        fingerprint TEXT
    );
    CREATE INDEX submissions_plan_year ON submissions(plan, year);
    CREATE TABLE entries (
        submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
        item_id TEXT NOT NULL,
        status TEXT,
        grade TEXT,
        progress TEXT,
        effect REAL,
        next_steps TEXT
    );
    CREATE INDEX entries_submission ON entries(submission_id);
    CREATE TABLE kpi_actuals (
        submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
        item_id TEXT NOT NULL,
        kpi_name TEXT NOT NULL,
        actual REAL,
        note TEXT
    );
    CREATE INDEX kpi_actuals_submission ON kpi_actuals(submission_id);
    """,
    # 1 -> 2: the grades of every stage (自己 → 事務局 → 委員会) and the final grade, per item and year
    """
    CREATE TABLE item_grades (
        plan TEXT NOT NULL,
        year INTEGER NOT NULL,
        item_id TEXT NOT NULL,
        self TEXT,
        secretariat TEXT,
        committee TEXT,
        final TEXT,
        secretariat_comment TEXT,
        committee_comment TEXT,
        PRIMARY KEY (plan, year, item_id)
    );
    """,
    # 2 -> 3: the plan as it was when each year was consolidated (the plan workbook itself, so an
    # earlier year's report can be rebuilt after the plan was revised)
    """
    CREATE TABLE plan_snapshots (
        plan TEXT NOT NULL,
        year INTEGER NOT NULL,
        fingerprint TEXT,
        stored_at TEXT NOT NULL,
        workbook BLOB NOT NULL,
        PRIMARY KEY (plan, year)
    );
    """,
    # 3 -> 4: the 効果額 details (効果額の区分, 確定・見込, 算定根拠, 次年度見込額)
    """
    ALTER TABLE entries ADD COLUMN effect_kind TEXT;
    ALTER TABLE entries ADD COLUMN certainty TEXT;
    ALTER TABLE entries ADD COLUMN basis TEXT;
    ALTER TABLE entries ADD COLUMN next_year_effect REAL;
    """,
    # 4 -> 5: 前年度指摘への対応 (the department's answer to last year's comment)
    """
    ALTER TABLE entries ADD COLUMN response TEXT;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
BUSY_TIMEOUT = 30.0  # seconds SQLite waits for another connection's write before "database is locked"


def _busy(exc: sqlite3.Error) -> bool:
    """Another connection holds the database ("database is locked" / "database table is locked")."""
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc)


def _full(exc: sqlite3.Error) -> bool:
    """The disk (or the database's size limit) is full: "database or disk is full"."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF == sqlite3.SQLITE_FULL if code is not None else "is full" in str(exc)


def _iso(timestamp: float | None) -> str | None:
    return datetime.fromtimestamp(timestamp).isoformat(timespec="seconds") if timestamp is not None else None


class History:
    """The history database; use as a context manager (``with History(path) as h:``)."""

    def __init__(self, path: str | os.PathLike, timeout: float = BUSY_TIMEOUT):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, timeout=timeout)
        except (OSError, sqlite3.Error) as exc:
            raise OutputError(self.path, f"履歴データベースを開けません（{exc}）。保存先を確認してください。") from exc
        try:
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.migrate()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            if _busy(exc):
                raise self._busy_error() from exc
            raise OutputError(self.path, f"履歴データベースが壊れているか、別の形式です（{exc}）。"
                                         "--db で別のファイルを指定してください。") from exc
        except OutputError:
            self.conn.close()
            raise

    def _busy_error(self) -> OutputError:
        return OutputError(self.path, render("unreadable", "database_busy", {"path": str(self.path)}))

    def _write_error(self, exc: sqlite3.Error) -> OutputError:
        if _busy(exc):
            return self._busy_error()
        if _full(exc):  # the transaction was rolled back: the year's earlier rows are still there
            return OutputError(self.path, explain_os_error(OSError(errno.ENOSPC, "disk full")))
        return OutputError(self.path, f"履歴データベースに書き込めません（{exc}）。")

    def __enter__(self) -> "History":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    @property
    def version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Bring the schema up to :data:`SCHEMA_VERSION`, one step per transaction."""
        current = self.version
        if current > SCHEMA_VERSION:
            raise OutputError(self.path, "この履歴データベースは新しい版のツールで作られています。ツールを更新してください。")
        for step in range(current, SCHEMA_VERSION):
            self.conn.executescript(f"BEGIN; {MIGRATIONS[step]}; PRAGMA user_version = {step + 1}; COMMIT;")

    def has_year(self, plan: str, year: int) -> bool:
        """Whether ``year`` of ``plan`` has rows that storing it again would replace."""
        query = "SELECT 1 FROM {} WHERE plan = ? AND year = ? LIMIT 1"
        return any(self.conn.execute(query.format(t), (plan, year)).fetchone() for t in ("submissions", "item_grades"))

    def backup(self, make_backup) -> Path:
        """A consistent copy of the database, taken through SQLite (never a half-written file), via
        ``make_backup(path, copy)`` of :mod:`addin.backup`; returns the copy."""
        def copy(_source: Path, target: Path) -> None:
            target_conn = sqlite3.connect(target)
            try:
                self.conn.backup(target_conn)
            finally:
                target_conn.close()

        try:
            return make_backup(self.path, copy)
        except sqlite3.Error as exc:
            if _busy(exc) or _full(exc):
                raise self._write_error(exc) from exc
            raise OutputError(self.path, f"履歴データベースのバックアップを作れません（{exc}）。") from exc

    def store(self, plan: str, fingerprint: str | None, year: int, submissions: Iterable[Submission],
              now: datetime | None = None) -> int:
        """Replace ``year``'s rows of ``plan`` with ``submissions`` in one transaction; returns how many were stored."""
        stamp = (now or datetime.now()).isoformat(timespec="seconds")
        count = 0
        try:
            with self.conn:
                self.conn.execute("DELETE FROM submissions WHERE plan = ? AND year = ?", (plan, year))
                for sub in submissions:
                    cur = self.conn.execute(
                        "INSERT INTO submissions (plan, year, department, path, sha256, modified, consolidated_at, fingerprint)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (plan, year, sub.department, str(sub.path), sub.sha256, _iso(sub.modified), stamp, fingerprint))
                    sid = cur.lastrowid
                    self.conn.executemany(
                        "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [(sid, e.item_id, e.status, e.grade, e.progress, e.effect, e.next_steps, e.effect_kind,
                          e.certainty, e.basis, e.next_year_effect, e.response) for e in sub.entries])
                    self.conn.executemany(
                        "INSERT INTO kpi_actuals VALUES (?, ?, ?, ?, ?)",
                        [(sid, k.item_id, k.name, k.actual, k.note) for k in sub.kpis])
                    count += 1
        except sqlite3.Error as exc:
            raise self._write_error(exc) from exc
        return count

    def store_grades(self, plan: str, year: int, grades: Iterable[tuple]) -> None:
        """Replace ``year``'s stage grades of ``plan``: rows of (項目ID, self, secretariat, committee, final,
        事務局コメント, 委員会意見)."""
        try:
            with self.conn:
                self.conn.execute("DELETE FROM item_grades WHERE plan = ? AND year = ?", (plan, year))
                self.conn.executemany("INSERT INTO item_grades VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                      [(plan, year, *row) for row in grades])
        except sqlite3.Error as exc:
            raise self._write_error(exc) from exc

    def store_plan(self, plan: str, year: int, fingerprint: str | None, workbook: bytes,
                   now: datetime | None = None) -> None:
        """Keep the plan workbook ``year`` was consolidated with (replacing an earlier run's)."""
        stamp = (now or datetime.now()).isoformat(timespec="seconds")
        try:
            with self.conn:
                self.conn.execute("INSERT OR REPLACE INTO plan_snapshots VALUES (?, ?, ?, ?, ?)",
                                  (plan, year, fingerprint, stamp, workbook))
        except sqlite3.Error as exc:
            raise self._write_error(exc) from exc

    def plan_snapshot(self, plan: str, year: int) -> tuple[str | None, bytes] | None:
        """(fingerprint, plan workbook) kept for ``year``, or None."""
        row = self.conn.execute("SELECT fingerprint, workbook FROM plan_snapshots WHERE plan = ? AND year = ?",
                                (plan, year)).fetchone()
        return (row[0], bytes(row[1])) if row else None

    def plans(self) -> list[str]:
        """Every plan name with a stored year."""
        return [r[0] for r in self.conn.execute("SELECT DISTINCT plan FROM submissions ORDER BY plan")]

    def final_grades(self, plan: str) -> dict[str, dict[int, str | None]]:
        """{項目ID: {year: final grade}} over every stored year."""
        result: dict[str, dict[int, str | None]] = {}
        rows = self.conn.execute("SELECT item_id, year, final FROM item_grades WHERE plan = ? ORDER BY year", (plan,))
        for item_id, year, final in rows:
            result.setdefault(item_id, {})[year] = final
        return result

    def stage_grades(self, plan: str, year: int) -> dict[str, dict[str, str | None]]:
        """{項目ID: {"self", "secretariat", "committee", "final", "secretariat_comment", "committee_comment"}}."""
        keys = ("self", "secretariat", "committee", "final", "secretariat_comment", "committee_comment")
        rows = self.conn.execute(f"SELECT item_id, {', '.join(keys)} FROM item_grades WHERE plan = ? AND year = ?",
                                 (plan, year))
        return {r[0]: dict(zip(keys, r[1:])) for r in rows}

    def years(self, plan: str) -> list[int]:
        """Fiscal years stored for ``plan``."""
        rows = self.conn.execute("SELECT DISTINCT year FROM submissions WHERE plan = ? ORDER BY year", (plan,))
        return [r[0] for r in rows]

    def previous_year(self, plan: str, year: int) -> int | None:
        """The latest stored year before ``year``."""
        earlier = [y for y in self.years(plan) if y < year]
        return earlier[-1] if earlier else None

    def kpi_actuals(self, plan: str) -> dict[tuple[str, str], dict[int, float | None]]:
        """{(項目ID, 指標名): {year: actual}} over every stored year."""
        result: dict[tuple[str, str], dict[int, float | None]] = {}
        rows = self.conn.execute(
            "SELECT k.item_id, k.kpi_name, s.year, k.actual FROM kpi_actuals k JOIN submissions s ON s.id = k.submission_id"
            " WHERE s.plan = ? ORDER BY s.year", (plan,))
        for item_id, name, year, actual in rows:
            value = actual
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            result.setdefault((item_id, name), {})[year] = value
        return result

    def statuses(self, plan: str, year: int) -> dict[tuple[str, str], str]:
        """{(項目ID, 課): 取組状況} stored for ``year``."""
        rows = self.conn.execute(
            "SELECT e.item_id, s.department, e.status FROM entries e JOIN submissions s ON s.id = e.submission_id"
            " WHERE s.plan = ? AND s.year = ?", (plan, year))
        return {(item_id, dept): status for item_id, dept, status in rows if status}

    def entries(self, plan: str, year: int) -> dict[tuple[str, str], dict]:
        """{(項目ID, 課): {status, grade, progress, effect, next_steps, effect_kind, certainty, basis, next_year_effect,
        response}} stored for ``year``."""
        keys = ("status", "grade", "progress", "effect", "next_steps", "effect_kind", "certainty", "basis",
                "next_year_effect", "response")
        rows = self.conn.execute(
            f"SELECT e.item_id, s.department, {', '.join('e.' + k for k in keys)} FROM entries e"
            " JOIN submissions s ON s.id = e.submission_id WHERE s.plan = ? AND s.year = ?", (plan, year))
        return {(r[0], r[1]): dict(zip(keys, r[2:])) for r in rows}

    def effect_parts(self, plan: str) -> dict[str, dict[int, list[Part]]]:
        """{項目ID: {year: each department's 効果額 with its 区分 and 確定・見込}} over every stored year."""
        rows = self.conn.execute(
            "SELECT e.item_id, s.year, s.department, e.effect, e.effect_kind, e.certainty, e.next_year_effect"
            " FROM entries e JOIN submissions s ON s.id = e.submission_id WHERE s.plan = ? ORDER BY s.year, s.id",
            (plan,))
        result: dict[str, dict[int, list[Part]]] = {}
        for item_id, year, *part in rows:
            result.setdefault(item_id, {}).setdefault(year, []).append(Part(*part))
        return result

    def submissions(self, plan: str, year: int) -> list[dict]:
        """The stored submissions of ``year`` (department, path, sha256, modified, consolidated_at)."""
        rows = self.conn.execute(
            "SELECT department, path, sha256, modified, consolidated_at FROM submissions WHERE plan = ? AND year = ?"
            " ORDER BY id", (plan, year))
        keys = ("department", "path", "sha256", "modified", "consolidated_at")
        return [dict(zip(keys, r)) for r in rows]
