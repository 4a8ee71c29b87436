"""A full disk during any output write is named as such, leaves no partial file, no traceback, exit 2."""

from __future__ import annotations

import errno
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
import xlsxwriter.worksheet
from click.testing import CliRunner
from standin import build_department_workbook, fill

import addin.atomic
from addin.cli import cli

DISK_FULL = "ディスクの空き容量が足りません"


def _full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture()
def work(plan, plan_path, tmp_path, monkeypatch):
    """Two submissions; the scratch folder of XlsxWriter is a folder of the test, to see it is left empty."""
    folder = tmp_path / "提出"
    folder.mkdir()
    for dept in plan.departments[:2]:
        wb = build_department_workbook(plan, dept, 2026)
        fill(wb, {plan.items_for(dept)[0].item_id: {"自己評価": "Z"}})
        wb.save(folder / f"R8_{dept}.xlsx")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    (tmp_path / "出力").mkdir()
    return plan_path, folder, tmp_path / "出力", scratch


def _assert_disk_full(result, out: Path, scratch: Path, kept: dict[str, bytes] | None = None) -> None:
    assert result.exit_code == 2, result.output
    assert DISK_FULL in result.output and "Traceback" not in result.output, result.output
    left = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != "reform.log"}
    assert left == (kept or {})  # nothing partial: no temporary file, no half output
    assert not any(scratch.iterdir())


def _validate(plan_path, folder, *options):
    return CliRunner().invoke(cli, ["validate", str(plan_path), str(folder), "--year", "R8", *map(str, options)])


def test_a_full_disk_while_moving_the_json_into_place(work, monkeypatch):
    plan_path, folder, out, scratch = work
    monkeypatch.setattr(addin.atomic.os, "replace", _full)
    _assert_disk_full(_validate(plan_path, folder, "--json", out / "検証.json"), out, scratch)


def test_a_full_disk_while_xlsxwriter_saves(work, monkeypatch):
    plan_path, folder, out, scratch = work
    monkeypatch.setattr(zipfile.ZipFile, "write", _full)  # XlsxWriter wraps this in FileCreateError
    _assert_disk_full(_validate(plan_path, folder, "--report", out / "検証結果.xlsx"), out, scratch)


def test_a_full_disk_while_xlsxwriter_streams_rows(work, monkeypatch):
    plan_path, folder, out, scratch = work
    monkeypatch.setattr(xlsxwriter.worksheet.Worksheet, "_write_single_row", _full)
    _assert_disk_full(_validate(plan_path, folder, "--return-dir", out / "差戻し"), out, scratch)


def test_a_full_disk_while_backing_up_the_previous_report(work, monkeypatch):
    plan_path, folder, out, scratch = work
    report = out / "集約.xlsx"
    args = ["consolidate", str(plan_path), str(folder), "--year", "R8", "--out", str(report), "--db", str(out / "x.db"),
            "--allow-empty"]  # both submissions are rejected: the report is still to be written
    assert CliRunner().invoke(cli, args).exit_code == 1
    kept = {p.name: p.read_bytes() for p in out.iterdir() if p.name != "reform.log"}

    def half_copy(src, dst, **kwargs):
        Path(dst).write_bytes(Path(src).read_bytes()[:100])
        _full()

    monkeypatch.setattr(shutil, "copyfile", half_copy)
    _assert_disk_full(CliRunner().invoke(cli, args), out, scratch, kept)


def test_a_full_disk_under_the_log_shows_no_traceback(work, monkeypatch, capsys):
    import logging

    from addin.log import setup_log

    _, _, out, _ = work
    setup_log(out)
    handler = next(h for h in logging.getLogger("addin").handlers if getattr(h, "baseFilename", None))

    class FullDisk:
        def write(self, text):
            _full()

        def flush(self):
            _full()

    monkeypatch.setattr(handler, "stream", FullDisk())
    try:
        raise OSError(errno.ENOSPC, "No space left on device")
    except OSError:
        logging.getLogger("addin.test").exception("disk full")
    assert "Traceback" not in capsys.readouterr().err
