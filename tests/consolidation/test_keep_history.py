"""The history never loses a year by accident: no valid submission writes nothing; replacing a year backs up first."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner
from records import small_plan
from standin import build_department_workbook, fill

from addin.backup import backup_name, backups_of, make_backup, rotate
from addin.cli import cli
from addin.jobs.consolidate import NothingToConsolidate, consolidate
from addin.plan.writer import write_plan

R8 = 2026


def _submit(plan, folder, year=R8, grade="B"):
    folder.mkdir(parents=True, exist_ok=True)
    for dept in plan.departments:
        wb = build_department_workbook(plan, dept, year)
        fill(wb, entries={i.item_id: {"自己評価": grade} for i in plan.items_for(dept)})
        wb.save(folder / f"R{year - 2018}_{dept}.xlsx")


def _count(db, table="submissions") -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


@pytest.fixture()
def consolidated(tmp_path):
    """A plan workbook, a year consolidated once (report + database), and an empty submission folder."""
    plan = small_plan()
    plan_path = write_plan(plan, tmp_path / "plan.xlsx")
    _submit(plan, tmp_path / "提出")
    out = tmp_path / "出力" / "集約_R8.xlsx"
    result = CliRunner().invoke(cli, ["consolidate", str(plan_path), str(tmp_path / "提出"), "--year", "R8",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    (tmp_path / "空").mkdir()
    return plan, plan_path, out, out.parent / "reform.db"


def _state(out, db):
    return out.read_bytes(), _count(db), _count(db, "item_grades"), sorted(p.name for p in out.parent.iterdir())


def test_an_empty_folder_writes_nothing_and_exits_2(consolidated, tmp_path):
    plan, plan_path, out, db = consolidated
    before = _state(out, db)
    assert before[1] == len(plan.departments)
    result = CliRunner().invoke(cli, ["consolidate", str(plan_path), str(tmp_path / "空"), "--year", "R8",
                                      "--out", str(out)])
    assert result.exit_code == 2
    assert "有効な提出が1件もない" in result.output and "--allow-empty" in result.output
    assert "Traceback" not in result.output
    assert _state(out, db) == before  # report, rows and folder untouched: no backup, no lock left behind


def test_a_folder_of_rejected_files_only_writes_nothing(consolidated, tmp_path):
    plan, plan_path, out, db = consolidated
    bad = tmp_path / "差戻し"
    bad.mkdir()
    wb = build_department_workbook(plan, "税務課", R8)
    fill(wb, entries={"1-(1)-2": {"自己評価": "S"}})
    wb.save(bad / "R8_税務課.xlsx")
    before = _state(out, db)
    result = CliRunner().invoke(cli, ["consolidate", str(plan_path), str(bad), "--year", "R8", "--out", str(out)])
    assert result.exit_code == 2 and "要修正" in result.output
    assert _state(out, db) == before


def test_the_library_refuses_too(tmp_path):
    with pytest.raises(NothingToConsolidate) as exc_info:
        consolidate(small_plan(), [tmp_path], R8, tmp_path / "集約.xlsx")
    assert exc_info.value.files == 0
    assert not list(tmp_path.iterdir())


def test_allow_empty_replaces_the_year_after_a_backup_of_the_database(consolidated, tmp_path):
    plan, plan_path, out, db = consolidated
    result = CliRunner().invoke(cli, ["consolidate", str(plan_path), str(tmp_path / "空"), "--year", "R8",
                                      "--out", str(out), "--allow-empty"])
    assert result.exit_code == 0, result.output
    assert _count(db) == 0
    [db_backup] = backups_of(db)
    assert _count(db_backup) == len(plan.departments)  # the year as it was, in the backup
    assert len(backups_of(out)) == 1


def test_re_consolidating_a_year_backs_up_the_database_first(tmp_path):
    plan = small_plan()
    _submit(plan, tmp_path / "in")
    out, db = tmp_path / "集約.xlsx", tmp_path / "reform.db"
    first = consolidate(plan, [tmp_path / "in"], R8, out)
    assert first.db_backup_path is None and backups_of(db) == []  # nothing to replace yet
    _submit(plan, tmp_path / "in", grade="C")
    second = consolidate(plan, [tmp_path / "in"], R8, out)
    assert second.db_backup_path == backups_of(db)[0]
    with sqlite3.connect(second.db_backup_path) as conn:
        assert {g for (g,) in conn.execute("SELECT grade FROM entries")} == {"B"}
    with sqlite3.connect(db) as conn:
        assert {g for (g,) in conn.execute("SELECT grade FROM entries")} == {"C"}


def test_backups_are_rotated_keeping_the_newest(tmp_path):
    report = tmp_path / "集約.xlsx"
    report.write_bytes(b"v0")
    start = datetime(2026, 11, 22, 15, 30, 0)
    made = []
    for n in range(13):
        report.write_bytes(f"v{n}".encode())
        made.append(make_backup(report, keep=10, when=start + timedelta(seconds=n // 2)))  # two in one second
    kept = backups_of(report)
    assert kept == made[-10:]
    assert kept[-1].read_bytes() == b"v12"
    assert made[-2].name == "集約.20261122-153005-2.bak.xlsx" and made[-1].name == "集約.20261122-153006.bak.xlsx"
    assert made[1] == backup_name(report, start, 2) and made[1].name == "集約.20261122-153000-2.bak.xlsx"
    other = tmp_path / "集約_R9.20261122-153000.bak.xlsx"  # another report's backup is not this one's
    other.write_bytes(b"x")
    assert rotate(report, keep=1) == made[-10:-1] and other.exists()
    assert backups_of(report) == [made[-1]]


def test_report_and_database_backups_both_rotate_to_the_number_set(tmp_path):
    plan = small_plan()
    plan = replace(plan, settings=replace(plan.settings, backup_keep=2))  # 設定「バックアップの保存数」 2
    _submit(plan, tmp_path / "in")
    out, db = tmp_path / "集約.xlsx", tmp_path / "reform.db"
    for _run in range(4):
        consolidate(plan, [tmp_path / "in"], R8, out)
    assert len(backups_of(out)) == 2 and len(backups_of(db)) == 2


def test_a_full_disk_under_the_database_is_named_and_keeps_the_year(consolidated):
    """SQLite's "database or disk is full" was the generic 「予期しない問題」; the transaction leaves the year whole."""
    from addin.consolidation.history import History
    from addin.errors import OutputError

    *_, db = consolidated
    before = _count(db, "item_grades")
    with History(db) as history:
        pages = history.conn.execute("PRAGMA page_count").fetchone()[0]
        history.conn.execute(f"PRAGMA max_page_count = {pages}")  # no page more: as a full disk
        plan_name = history.conn.execute("SELECT plan FROM item_grades LIMIT 1").fetchone()[0]
        with pytest.raises(OutputError) as info:
            history.store_grades(plan_name, 2026, [(f"x{n}", "A", "B", "C", "A", "長い" * 5000, None) for n in range(50)])
    assert "ディスクの空き容量が足りません" in str(info.value)
    assert _count(db, "item_grades") == before > 0
