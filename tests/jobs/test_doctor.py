"""動作確認 / reform doctor: every check says ○ or × with what to do; the same checks from the CLI and the ribbon."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import addin.jobs.doctor as doctor
from addin.cli import cli
from addin.excel import dispatch
from addin.jobs.doctor import all_passed, applescript_path, report, run_checks, user_config_path
from addin.xlam.pinned import installed_xlwings
from tests.fake_book import FakeBook

XLWINGS_VERSION = installed_xlwings()[1]


def _by_label(checks):
    return {c.label: c for c in checks}


def _plan_in(folder: Path, plan_path: Path, **settings: str) -> Path:
    """The default plan workbook copied into ``folder``, 設定 rows changed as a secretariat would type them."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "計画.xlsx"
    wb = openpyxl.load_workbook(plan_path)
    ws = wb["設定"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in settings:
            row[1].value = settings.pop(row[0].value)
    for key, value in settings.items():
        ws.append([key, value])
    wb.save(target)
    return target


def test_without_a_plan_the_installation_checks_pass_here(tmp_path):
    checks = run_checks(home=tmp_path, platform="linux")
    by = _by_label(checks)
    assert by["Python"].ok and sys.executable in by["Python"].detail
    assert by["xlwings"].ok and XLWINGS_VERSION in by["xlwings"].detail
    assert by["addin パッケージ"].ok
    assert by["計画ワークブック"].ok is None
    assert all_passed(checks)
    assert report(checks).splitlines()[0].startswith("○ Python: ")


def test_an_addin_built_for_another_xlwings_is_named_as_a_version_mismatch(tmp_path):
    checks = run_checks(addin_xlwings="0.30.0", home=tmp_path, platform="linux")
    line = _by_label(checks)["xlwings"].line()
    assert line.startswith("× xlwings: ") and "版が違います" in line and "0.30.0" in line and XLWINGS_VERSION in line
    assert 'xlwings==0.30.0' in line
    assert not all_passed(checks)


def test_a_configured_interpreter_that_is_gone_is_reported_with_the_config_file(tmp_path):
    config = user_config_path("win32", tmp_path)
    config.parent.mkdir(parents=True)
    config.write_text('"INTERPRETER_WIN","C:\\\\nowhere\\\\python.exe"\n', encoding="utf-8")
    line = _by_label(run_checks(home=tmp_path, platform="win32"))["アドインが使う Python"].line()
    assert line.startswith("×") and "nowhere" in line and "install.bat" in line
    config.write_text(f'"INTERPRETER_WIN","{sys.executable}"\n', encoding="utf-8")
    assert _by_label(run_checks(home=tmp_path, platform="win32"))["アドインが使う Python"].ok


def test_on_mac_the_interpreter_and_the_applescript_are_checked(tmp_path):
    by = _by_label(run_checks(home=tmp_path, platform="darwin"))
    assert by["アドインが使う Python"].ok is False and "install.sh" in by["アドインが使う Python"].fix
    assert by["RunPython（AppleScript）"].ok is False and "runpython install" in by["RunPython（AppleScript）"].fix
    config = user_config_path("darwin", tmp_path)
    assert config == tmp_path / "Library/Containers/com.microsoft.Excel/Data/reform.conf"
    config.parent.mkdir(parents=True)
    config.write_text(f'"INTERPRETER_MAC","{sys.executable}"\n', encoding="utf-8")
    script = applescript_path(XLWINGS_VERSION, tmp_path)
    script.parent.mkdir(parents=True)
    shutil.copy(installed_xlwings()[0] / f"xlwings-{XLWINGS_VERSION}.applescript", script)
    assert all_passed(run_checks(home=tmp_path, platform="darwin"))


def test_plan_folders_and_history_are_checked(tmp_path, plan_path):
    plan = _plan_in(tmp_path / "事務局", plan_path, 報告年度="R8")
    by = _by_label(run_checks(plan, home=tmp_path, platform="linux"))
    assert by["計画ワークブック"].ok
    assert by["提出フォルダ"].ok is False and "提出_R8" in by["提出フォルダ"].detail and "設定シート" in by["提出フォルダ"].fix
    assert by["出力フォルダ"].ok and "最初の実行で作られます" in by["出力フォルダ"].detail
    (tmp_path / "事務局" / "提出_R8").mkdir()
    output = tmp_path / "事務局" / "出力_R8"
    output.mkdir()
    history = tmp_path / "事務局" / "reform.db"  # one per plan, beside it: not in the per-year 出力_R8
    history.write_bytes(b"this is not a database at all" * 100)
    by = _by_label(run_checks(plan, home=tmp_path, platform="linux"))
    assert by["提出フォルダ"].ok and by["出力フォルダ"].ok
    assert by["履歴データベース"].ok is False and "読めません" in by["履歴データベース"].detail
    assert str(history) in by["履歴データベース"].detail
    history.unlink()
    sqlite3.connect(history).execute("CREATE TABLE t (x)").connection.commit()
    assert all_passed(run_checks(plan, home=tmp_path, platform="linux"))


def test_settings_with_absolute_folders_are_used_as_given(tmp_path, plan_path):
    submit, output = tmp_path / "共有" / "提出", tmp_path / "共有" / "出力"
    submit.mkdir(parents=True)
    plan = _plan_in(tmp_path / "事務局", plan_path, 報告年度="R9", 提出フォルダ=str(submit), 出力フォルダ=str(output))
    by = _by_label(run_checks(plan, home=tmp_path, platform="linux"))
    assert by["提出フォルダ"].detail == str(submit)
    assert by["出力フォルダ"].ok and str(output) in by["出力フォルダ"].detail


def test_a_missing_library_is_named(tmp_path, monkeypatch):
    monkeypatch.setitem(doctor._LIBRARIES, "no_such_library_xyz", "no-such-library")
    check = _by_label(run_checks(home=tmp_path, platform="linux"))["addin パッケージ"]
    assert check.ok is False and "no-such-library" in check.detail


def test_reform_doctor_prints_the_checks_and_exits_by_the_result(tmp_path, plan_path, monkeypatch):
    monkeypatch.setattr(doctor.Path, "home", classmethod(lambda cls: tmp_path))
    runner = CliRunner()
    result = runner.invoke(cli, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "○ Python" in result.output and "○ xlwings" in result.output and "すべて問題ありません" in result.output
    plan = _plan_in(tmp_path / "事務局", plan_path, 報告年度="R8")
    result = runner.invoke(cli, ["doctor", str(plan)])
    assert result.exit_code == 1
    assert "× 提出フォルダ" in result.output and "→ フォルダを作るか" in result.output


def test_the_doctor_button_shows_the_same_checks_for_the_open_plan(tmp_path, plan_path):
    plan = _plan_in(tmp_path / "事務局", plan_path, 報告年度="R8")
    book = FakeBook(plan)
    message = dispatch("btnDoctor", book, xlwings_version=XLWINGS_VERSION)
    assert message == book.alerts[-1]
    assert f"○ xlwings: {XLWINGS_VERSION}（アドイン {XLWINGS_VERSION}）" in message
    assert "× 提出フォルダ" in message and str(tmp_path / "事務局" / "提出_R8") in message


def test_the_doctor_button_on_a_department_workbook_skips_the_plan(tmp_path):
    path = tmp_path / "R8_総務課.xlsx"
    openpyxl.Workbook().save(path)
    message = dispatch("btnDoctor", FakeBook(path), xlwings_version=XLWINGS_VERSION)
    assert "－ 計画ワークブック" in message


@pytest.mark.parametrize("button", ["btnGenerate", "btnCheck", "btnSettings"])
def test_other_buttons_refuse_a_different_xlwings_and_say_so(plan_path, button):
    book = FakeBook(plan_path)
    message = dispatch(button, book, xlwings_version="0.30.0")
    assert "xlwings 0.30.0 用" in message and XLWINGS_VERSION in message and "動作確認" in message
    assert book.active is None  # nothing was done
