"""Worker processes end with the command (SPEC, "Safety"): kill -9 of the parent leaves no worker behind.

A real child process validates 64 files with two workers and stops inside its progress
callback, its pool still open; the test finds the workers in /proc, kills the child with
SIGKILL and waits (up to a deadline, not a timing claim) for the workers to be gone.
"""

from __future__ import annotations

import faulthandler
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import standin

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers through /proc")

CHILD = """
import sys, time
from pathlib import Path
from addin.plan.reader import read_plan
from addin.validation.validate import validate_inputs

def stop_here(done, total, path):
    print("ready", flush=True)
    time.sleep(3600)

validate_inputs(read_plan(sys.argv[1]), [Path(sys.argv[2])], 2026, progress=stop_here, workers=2)
"""


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a live process, None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return fields[0], int(fields[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and stat[1] == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[0] != "Z"  # a zombie has ended; only its exit status is left


def test_workers_die_with_a_killed_parent(plan, plan_path, tmp_path):
    folder = tmp_path / "提出"
    folder.mkdir()
    dept = plan.departments[0]
    data_path = folder / f"R8_{dept}.xlsx"
    standin.fill(standin.build_department_workbook(plan, dept, 2026)).save(data_path)
    for n in range(63):  # 64 files: the batch is spread over worker processes
        (folder / f"R8_{dept}_{n:02}.xlsx").write_bytes(data_path.read_bytes())
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(plan_path), str(folder)], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    workers: list[int] = []
    try:
        ready, _, _ = select.select([child.stdout], [], [], 120)
        assert ready and child.stdout.readline().strip() == "ready"
        workers = [pid for pid in _children(child.pid) if _alive(pid)]
        assert workers, "the child validated without worker processes"
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        deadline = time.monotonic() + 15
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [pid for pid in workers if _alive(pid)] == []
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        for pid in workers:  # never leave a stray process behind, even when the test fails
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_worker_that_dies_in_a_reader_loses_only_its_file(plan, tmp_path, monkeypatch):
    """An abort inside a native reader (as calamine's on a 512 GiB allocation) kills the worker process,
    not the batch: that file is one unreadable entry and every other file is validated."""
    import multiprocessing

    import addin.validation.validate as V

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the reader is replaced in the parent; only forked workers inherit it")
    real = V.read_records

    def read_or_abort(path):
        if "crash" in Path(path).name:
            faulthandler.disable()  # pytest's dump of the dying worker would only clutter the output
            os.abort()  # what a Rust panic=abort or a failed allocation does: no exception, no cleanup
        return real(path)

    monkeypatch.setattr(V, "read_records", read_or_abort)
    folder = tmp_path / "提出"
    folder.mkdir()
    dept = plan.departments[0]
    data = folder / f"R8_{dept}.xlsx"
    standin.fill(standin.build_department_workbook(plan, dept, 2026)).save(data)
    for n in range(70):
        (folder / f"R8_{dept}_{n:02}.xlsx").write_bytes(data.read_bytes())
    (folder / "R8_crash.xlsx").write_bytes(data.read_bytes())
    run = V.validate_inputs(plan, [folder], 2026, workers=2)
    assert len(run.files) == 72
    crashed = [f for f in run.files if f.status == "unreadable"]
    assert [Path(f.path).name for f in crashed] == ["R8_crash.xlsx"]
    assert crashed[0].issues[0].variant == "crashed" and "異常終了" in crashed[0].issues[0].message
    assert all(f.status != "unreadable" for f in run.files if f is not crashed[0])
