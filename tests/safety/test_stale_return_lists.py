"""A department that fixed its file loses its old send-back list on the next validate, so nobody acts on it."""

from __future__ import annotations

from click.testing import CliRunner
from standin import build_department_workbook, fill

from addin.cli import cli


def _submit(plan, folder, department, grade):
    wb = build_department_workbook(plan, department, 2026)
    fill(wb, {plan.items_for(department)[0].item_id: {"自己評価": grade}})
    wb.save(folder / f"R8_{department}.xlsx")


def test_the_old_list_goes_when_the_file_is_fixed(plan, plan_path, tmp_path):
    folder, lists = tmp_path / "提出", tmp_path / "差戻し_R8"
    folder.mkdir()
    fixer, still_wrong, absent = plan.departments[:3]
    for department in (fixer, still_wrong, absent):
        _submit(plan, folder, department, "Z")
    validate = ["validate", str(plan_path), str(folder), "--year", "R8", "--return-dir", str(lists)]
    assert CliRunner().invoke(cli, validate).exit_code == 1
    names = {f"差戻し_R8_{d}.xlsx" for d in (fixer, still_wrong, absent)}
    assert names <= {p.name for p in lists.iterdir()}

    _submit(plan, folder, fixer, "B")  # fixed
    (folder / f"R8_{absent}.xlsx").unlink()  # not in this run: its list is not known to be stale
    result = CliRunner().invoke(cli, validate)
    assert result.exit_code == 1, result.output
    left = {p.name for p in lists.iterdir()}
    assert f"差戻し_R8_{fixer}.xlsx" not in left
    assert {f"差戻し_R8_{still_wrong}.xlsx", f"差戻し_R8_{absent}.xlsx"} <= left
    assert f"古い差戻しリストを削除しました: {lists / f'差戻し_R8_{fixer}.xlsx'}" in result.output


def test_lists_in_the_submission_folder_go_too(plan, plan_path, tmp_path):
    folder = tmp_path / "提出"
    folder.mkdir()
    department = plan.departments[0]
    _submit(plan, folder, department, "Z")
    validate = ["validate", str(plan_path), str(folder), "--year", "R8", "--return-dir", str(folder)]
    assert CliRunner().invoke(cli, validate).exit_code == 1
    assert (folder / f"差戻し_R8_{department}.xlsx").exists()
    _submit(plan, folder, department, "B")
    assert CliRunner().invoke(cli, validate).exit_code == 0
    assert not (folder / f"差戻し_R8_{department}.xlsx").exists()


def test_a_list_named_as_an_input_is_never_removed(plan, plan_path, tmp_path):
    folder = tmp_path / "提出"
    folder.mkdir()
    department = plan.departments[0]
    _submit(plan, folder, department, "B")
    old = folder / f"差戻し_R8_{department}.xlsx"
    old.write_bytes(b"an old list, named as an input")
    result = CliRunner().invoke(cli, ["validate", str(plan_path), str(folder / f"R8_{department}.xlsx"), str(old),
                                      "--year", "R8", "--return-dir", str(folder)])
    assert result.exit_code == 0, result.output
    assert old.read_bytes() == b"an old list, named as an input"
