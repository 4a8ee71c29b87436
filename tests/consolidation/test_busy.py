"""A database or an output in use by another run: named as such, waited for, never taken for a broken file.

Every test here runs the other side as a real process: the locks are the operating system's.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from records import small_plan
from standin import build_department_workbook, fill

from addin.consolidation.history import History
from addin.errors import OutputError
from addin.jobs.consolidate import consolidate
from addin.lock import lock_path, output_lock

R8 = 2026
DEADLINE = 60.0  # generous: only how long a test waits for the other process to get ready, never asserted


def _wait_for(path: Path, text: str = "") -> str:
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        if path.exists() and text in (found := path.read_text(encoding="utf-8")):
            return found
        time.sleep(0.05)
    raise AssertionError(f"{path} never said {text!r}")


def _start(code: str, *args: object) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)])


HOLD_DATABASE = """
import sqlite3, sys, time, pathlib
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
conn.execute("CREATE TABLE IF NOT EXISTS other_tool (x)")
pathlib.Path(sys.argv[2]).write_text("ready", encoding="utf-8")
while not pathlib.Path(sys.argv[3]).exists():
    time.sleep(0.05)
conn.execute("ROLLBACK")
"""

HOLD_OUTPUT = """
import sys, time, pathlib
from addin.lock import output_lock
with output_lock(sys.argv[1]):
    pathlib.Path(sys.argv[2]).write_text("ready", encoding="utf-8")
    while not pathlib.Path(sys.argv[3]).exists():
        time.sleep(0.05)
"""

WAIT_FOR_OUTPUT = """
import sys, pathlib
from addin.lock import output_lock
log = pathlib.Path(sys.argv[2])
def said(text):
    with log.open("a", encoding="utf-8") as f:
        f.write(text + "\\n")
with output_lock(sys.argv[1], on_wait=lambda owner: said("waiting " + owner)):
    said("acquired")
"""


@pytest.fixture()
def holder(tmp_path):
    """Start a process holding a lock (database or output) until the test ends."""
    started = []

    def start(code: str, target: Path) -> subprocess.Popen:
        ready, release = tmp_path / f"ready{len(started)}", tmp_path / f"release{len(started)}"
        proc = _start(code, target, ready, release)
        started.append((proc, release))
        _wait_for(ready, "ready")
        proc.release = lambda: (release.write_text("go"), proc.wait(DEADLINE))
        return proc

    yield start
    for proc, release in started:
        release.write_text("go")
        try:
            proc.wait(DEADLINE)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_a_locked_database_is_said_to_be_in_use_not_broken(tmp_path, holder):
    db = tmp_path / "reform.db"
    History(db).close()
    holder(HOLD_DATABASE, db)
    with pytest.raises(OutputError) as exc_info:
        History(db, timeout=0.1)
    reason = exc_info.value.reason
    assert "別の処理が使用中" in reason and "しばらく待ってから" in reason
    assert "壊れている" not in reason and "--db" not in reason


def test_a_database_locked_while_storing_is_said_to_be_in_use(tmp_path, holder):
    db = tmp_path / "reform.db"
    with History(db, timeout=0.1) as history:
        holder(HOLD_DATABASE, db)
        with pytest.raises(OutputError) as exc_info:
            history.store_grades("計画", R8, [("1", "A", None, None, "A", None, None)])
    assert "別の処理が使用中" in exc_info.value.reason


def test_two_runs_on_one_output_wait_for_each_other(tmp_path, holder):
    out = tmp_path / "集約.xlsx"
    first = holder(HOLD_OUTPUT, out)
    log = tmp_path / "second.log"
    second = _start(WAIT_FOR_OUTPUT, out, log)
    assert _wait_for(log, "waiting") == f"waiting pid {first.pid}\n"  # it waits, naming the holder
    first.release()
    assert second.wait(DEADLINE) == 0
    assert log.read_text(encoding="utf-8").splitlines() == [f"waiting pid {first.pid}", "acquired"]


def test_waiting_too_long_is_a_japanese_message_and_nothing_is_written(tmp_path, holder):
    plan = small_plan()
    folder = tmp_path / "in"
    folder.mkdir()
    for dept in plan.departments:
        wb = build_department_workbook(plan, dept, R8)
        fill(wb)
        wb.save(folder / f"R8_{dept}.xlsx")
    out = tmp_path / "出力" / "集約.xlsx"
    first = holder(HOLD_OUTPUT, out)
    with pytest.raises(OutputError) as exc_info:
        consolidate(plan, [folder], R8, out, lock_timeout=0.3)
    assert "別の集約" in exc_info.value.reason and f"pid {first.pid}" in exc_info.value.reason
    assert "しばらく待ってから" in exc_info.value.reason
    assert sorted(p.name for p in out.parent.iterdir()) == [lock_path(out).name]  # no report, no database


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX; on Windows the OS drops msvcrt locks the same way")
def test_the_lock_of_a_killed_run_does_not_block(tmp_path, holder):
    out = tmp_path / "集約.xlsx"
    first = holder(HOLD_OUTPUT, out)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(DEADLINE)
    assert lock_path(out).exists()  # the file stays behind ...
    with output_lock(out, timeout=DEADLINE) as held:  # ... and does not block
        assert held.read_text(encoding="ascii") == f"pid {os.getpid()}"
