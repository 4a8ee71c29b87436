"""Walking the input folders never aborts (SPEC, "Safety"); nothing readable at all is exit 2 (SPEC, command line)."""

from __future__ import annotations

import json
import os

import pytest
import standin
from click.testing import CliRunner

from addin.cli import cli
from addin.validation.validate import validate_inputs


@pytest.fixture
def folder(plan, tmp_path):
    """A submission folder with one good workbook."""
    folder = tmp_path / "提出"
    folder.mkdir()
    dept = plan.departments[0]
    standin.fill(standin.build_department_workbook(plan, dept, 2026)).save(folder / f"R8_{dept}.xlsx")
    return folder


def _by_name(run) -> dict:
    return {os.path.basename(f.path): f for f in run.files}


def _refused(result) -> tuple[str, str | None]:
    (issue,) = result.issues
    return result.status, issue.variant


def test_symlink_loops_are_listed(plan, folder):
    os.symlink("loop.xlsx", folder / "loop.xlsx")
    os.symlink("b.xlsx", folder / "a.xlsx")
    os.symlink("a.xlsx", folder / "b.xlsx")
    files = _by_name(validate_inputs(plan, [folder], 2026))
    assert files[f"R8_{plan.departments[0]}.xlsx"].status == "ok"
    for name in ("loop.xlsx", "a.xlsx", "b.xlsx"):
        assert _refused(files[name]) == ("unreadable", "symlink_loop")
        assert "循環" in files[name].issues[0].message


def test_a_linked_subfolder_is_listed_not_followed(plan, folder, tmp_path):
    elsewhere = tmp_path / "よそ"
    elsewhere.mkdir()
    (elsewhere / "R8_よそ.xlsx").write_bytes((next(folder.glob("*.xlsx"))).read_bytes())
    os.symlink(elsewhere, folder / "リンク")
    os.symlink(folder, folder / "自分")  # a loop through a folder link
    files = _by_name(validate_inputs(plan, [folder], 2026))
    assert _refused(files["リンク"]) == ("unreadable", "linked_folder")
    assert _refused(files["自分"]) == ("unreadable", "linked_folder")
    assert "R8_よそ.xlsx" not in files


def test_a_subfolder_that_cannot_be_opened_is_listed(plan, folder, monkeypatch):
    # Root reads any folder whatever its mode, so the refusal of the file system is simulated at scandir.
    locked = folder / "鍵付き"
    locked.mkdir()
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path) == os.fspath(locked):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files = _by_name(validate_inputs(plan, [folder], 2026))
    assert _refused(files["鍵付き"]) == ("unreadable", "folder_no_access")
    assert "Permission denied" in files["鍵付き"].issues[0].message
    assert files[f"R8_{plan.departments[0]}.xlsx"].status == "ok"


def test_an_undecodable_file_name_is_listed_and_the_json_stays_utf8(plan_path, folder, tmp_path):
    good = next(folder.glob("*.xlsx"))
    raw = os.path.join(os.fsencode(folder), b"R8_\xff\xfe.xlsx")
    with open(raw, "wb") as fp:
        fp.write(good.read_bytes())
    with open(os.path.join(os.fsencode(folder), b"\x82\xa0.txt"), "wb") as fp:  # a cp932 name, not Excel
        fp.write(b"x")
    out = tmp_path / "v.json"
    result = CliRunner().invoke(cli, ["validate", str(plan_path), str(folder), "--year", "R8", "--json", str(out)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    data = json.loads(out.read_bytes().decode("utf-8"))  # strict UTF-8: no lone surrogate
    files = {os.path.basename(f["path"]): f for f in data["files"]}
    assert files[good.name]["status"] == "ok"
    bad = files[r"R8_\xff\xfe.xlsx"]
    assert bad["status"] == "unreadable" and "ファイル名を変更して" in bad["issues"][0]["message"]
    assert [os.path.basename(p) for p in data["skipped"]] == [r"\x82\xa0.txt"]


def test_a_folder_of_only_unreadable_files_exits_2(plan_path, tmp_path):
    folder = tmp_path / "提出"
    folder.mkdir()
    (folder / "R8_財政課.xlsx").write_bytes(b"PK\x03\x04 broken")
    (folder / "R8_総務課.xlsx").write_bytes(b"")
    result = CliRunner().invoke(cli, ["validate", str(plan_path), str(folder), "--year", "R8"])
    assert result.exit_code == 2, result.output
    assert "読めない 2" in result.output


def test_one_readable_file_beside_unreadable_ones_is_still_exit_1(plan_path, folder):
    (folder / "R8_財政課.xlsx").write_bytes(b"")
    result = CliRunner().invoke(cli, ["validate", str(plan_path), str(folder), "--year", "R8"])
    assert result.exit_code == 1, result.output


def test_every_output_copes_with_loops_and_undecodable_names(plan_path, folder, tmp_path):
    os.symlink("b.xlsx", folder / "a.xlsx")
    os.symlink("a.xlsx", folder / "b.xlsx")
    with open(os.path.join(os.fsencode(folder), b"R8_\xff.xlsx"), "wb") as fp:
        fp.write(b"")
    out = tmp_path / "出力"
    runner = CliRunner()
    checked = runner.invoke(cli, ["validate", str(plan_path), str(folder), "--year", "R8", "--report",
                                  str(out / "検証結果.xlsx"), "--return-dir", str(out / "差戻し")])
    assert checked.exit_code == 1, checked.output
    assert all("\\" not in p.name for p in (out / "差戻し").iterdir())  # no department read from a bad name
    merged = runner.invoke(cli, ["consolidate", str(plan_path), str(folder), "--year", "R8", "--out",
                                 str(out / "集約.xlsx")])
    assert merged.exit_code == 1, merged.output  # 提出状況 links every file, the loops included
    assert (out / "集約.xlsx").exists()
