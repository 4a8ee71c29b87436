"""The SQLite history: schema created and migrated, a year replaced in one transaction, the queries."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest
from records import small_plan, submission

from addin.consolidation.history import SCHEMA_VERSION, History
from addin.errors import OutputError

PLAN = "テスト市行財政改革実施計画"


def test_schema_is_created_with_its_version(tmp_path):
    with History(tmp_path / "h.db") as h:
        assert h.version == SCHEMA_VERSION
    with History(tmp_path / "h.db") as h:  # opening again migrates nothing
        assert h.version == SCHEMA_VERSION


def test_a_newer_database_is_refused(tmp_path):
    path = tmp_path / "h.db"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(OutputError) as exc_info:
        History(path)
    assert "新しい版" in exc_info.value.reason


def test_not_a_database(tmp_path):
    path = tmp_path / "h.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(OutputError):
        History(path)


def test_store_replaces_the_year_and_queries(tmp_path):
    plan = small_plan()
    subs = [submission(plan, "DX推進課", 2026, {"1-(1)-1": {"status": "周知を行った。"}}, {"コンビニ交付率": 26}),
            submission(plan, "総務課", 2026, kpis={"コピー用紙の使用枚数": 600.5})]
    subs[0].sha256, subs[0].modified = "ab" * 32, datetime(2026, 5, 1, 9, 30).timestamp()
    with History(tmp_path / "h.db") as h:
        assert h.store(PLAN, plan.fingerprint, 2026, subs) == 2
        assert h.store(PLAN, plan.fingerprint, 2027, subs[:1]) == 1
        assert h.store(PLAN, plan.fingerprint, 2026, subs[:1]) == 1  # replaces 2026
        assert h.store("別の計画", None, 2026, subs) == 2               # another plan is kept apart
        assert h.years(PLAN) == [2026, 2027]
        assert h.previous_year(PLAN, 2027) == 2026 and h.previous_year(PLAN, 2026) is None
        stored = h.submissions(PLAN, 2026)
        assert [s["department"] for s in stored] == ["DX推進課"]
        assert stored[0]["sha256"] == "ab" * 32 and stored[0]["modified"] == "2026-05-01T09:30:00"
        assert h.kpi_actuals(PLAN) == {("1-(1)-1", "コンビニ交付率"): {2026: 26, 2027: 26}}
        assert h.statuses(PLAN, 2026)[("1-(1)-1", "DX推進課")] == "周知を行った。"
        assert h.kpi_actuals("別の計画")[("1-(2)-1", "コピー用紙の使用枚数")] == {2026: 600.5}
        rows = h.conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
        assert rows == 3 * len(plan.items_for("DX推進課")) + len(plan.items_for("総務課"))  # cascaded deletes


def test_a_failed_store_leaves_the_year_as_it_was(tmp_path):
    plan = small_plan()
    good = submission(plan, "DX推進課", 2026, kpis={"コンビニ交付率": 26})
    bad = submission(plan, "総務課", 2026)
    bad.department = None  # NOT NULL violated in the middle of the transaction
    with History(tmp_path / "h.db") as h:
        h.store(PLAN, None, 2026, [good])
        with pytest.raises(OutputError):
            h.store(PLAN, None, 2026, [good, bad])
        assert [s["department"] for s in h.submissions(PLAN, 2026)] == ["DX推進課"]


def test_a_database_of_schema_2_gets_plan_snapshots_and_keeps_its_rows(tmp_path):
    from addin.consolidation.history import MIGRATIONS

    path = tmp_path / "v2.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(MIGRATIONS[0] + ";" + MIGRATIONS[1] + "; PRAGMA user_version = 2;")
        conn.execute("INSERT INTO submissions (plan, year, department, consolidated_at) VALUES ('p', 2026, '課', 'x')")
    with History(path) as h:
        assert h.version == SCHEMA_VERSION >= 3
        assert h.years("p") == [2026] and h.plans() == ["p"]
        assert h.plan_snapshot("p", 2026) is None  # consolidated before snapshots were kept
        h.store_plan("p", 2026, "abc", b"PK-1")
        h.store_plan("p", 2026, "def", b"PK-2")  # re-consolidating the year replaces its snapshot
        assert h.plan_snapshot("p", 2026) == ("def", b"PK-2")
