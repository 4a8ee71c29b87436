"""An output that would replace an input or another output is refused before anything is written (exit 2)."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from standin import build_department_workbook, fill

from addin.cli import cli
from addin.errors import OutputConflict
from addin.outputs import check_outputs


@pytest.fixture()
def work(plan, plan_path, tmp_path):
    """A plan and two submissions (one with an error) in tmp_path; returns (plan, folder)."""
    shutil.copy(plan_path, tmp_path / "plan.xlsx")
    folder = tmp_path / "提出"
    folder.mkdir()
    for n, dept in enumerate(plan.departments[:2]):
        wb = build_department_workbook(plan, dept, 2026)
        fill(wb, {plan.items_for(dept)[0].item_id: {"自己評価": "Z"}} if n else None)
        wb.save(folder / f"R8_{dept}.xlsx")
    return tmp_path / "plan.xlsx", folder


def _snapshot(root: Path) -> dict[Path, str]:
    # reform.log is the log beside the outputs, started before the check
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file() and p.name != "reform.log"}


def _refused(args, root: Path, *names: str):
    before = _snapshot(root)
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 2, result.output
    assert "同じファイル" in result.output and all(name in result.output for name in names), result.output
    assert "Traceback" not in result.output
    assert _snapshot(root) == before  # nothing written, nothing replaced


def test_consolidate_out_equal_to_the_plan_is_refused(work, tmp_path):
    plan, folder = work
    _refused(["consolidate", plan, folder, "--year", "R8", "--out", plan], tmp_path, str(plan))


def test_consolidate_out_equal_to_a_submission_is_refused(work, tmp_path):
    plan, folder = work
    submission = sorted(folder.iterdir())[0]
    _refused(["consolidate", plan, folder, "--year", "R8", "--out", submission], tmp_path, str(submission))


def test_consolidate_json_equal_to_out_or_the_plan_is_refused(work, tmp_path):
    plan, folder = work
    out = tmp_path / "集約.xlsx"
    _refused(["consolidate", plan, folder, "--year", "R8", "--out", out, "--json", out], tmp_path, "--json", "--out")
    _refused(["consolidate", plan, folder, "--year", "R8", "--out", out, "--json", plan], tmp_path, str(plan))


def test_validate_report_or_json_equal_to_an_input_is_refused(work, tmp_path):
    plan, folder = work
    submission = sorted(folder.iterdir())[0]
    _refused(["validate", plan, folder, "--year", "R8", "--report", submission], tmp_path, str(submission))
    _refused(["validate", plan, folder, "--year", "R8", "--json", plan], tmp_path, str(plan))
    _refused(["validate", plan, folder, "--year", "R8", "--json", tmp_path / "v.x", "--report", tmp_path / "v.x"],
             tmp_path, "--report", "--json")


def test_validate_return_dir_whose_list_would_replace_an_input_is_refused(plan, work, tmp_path):
    plan_file, folder = work
    # A department's send-back list given back as a submission, with the same folder as --return-dir.
    returned = folder / f"差戻し_R8_{plan.departments[1]}.xlsx"
    shutil.copy(sorted(folder.iterdir())[1], returned)
    _refused(["validate", plan_file, folder, returned, "--year", "R8", "--return-dir", folder], tmp_path, str(returned))


def test_gantt_and_finance_out_equal_to_their_input_are_refused(work, tmp_path):
    plan, _ = work
    _refused(["gantt", plan, "--out", plan, "--year", "R8"], tmp_path, str(plan))
    _refused(["export-finance", plan, "--out", plan], tmp_path, str(plan))


def test_another_spelling_of_the_same_file_is_the_same_file(tmp_path):
    (tmp_path / "a").mkdir()
    plan = tmp_path / "plan.xlsx"
    plan.write_bytes(b"plan")
    os.link(plan, tmp_path / "link.xlsx")
    for spelling in (tmp_path / "a" / ".." / "plan.xlsx", tmp_path / "link.xlsx", tmp_path / "PLAN.xlsx"):
        with pytest.raises(OutputConflict) as exc_info:
            check_outputs([("計画ワークブック", plan)], [("--out", spelling)])
        assert exc_info.value.other == plan and exc_info.value.label == "--out"
    check_outputs([("計画ワークブック", plan)], [("--out", tmp_path / "集約.xlsx"), ("--json", None)])


def test_generate_never_writes_a_form_over_the_plan(plan, plan_path, tmp_path):
    forms = tmp_path / "様式"
    forms.mkdir()
    trap = forms / f"R8_{plan.departments[0]}.xlsx"  # the plan kept where its first form would go
    shutil.copy(plan_path, trap)
    _refused(["generate", trap, "--year", "R8", "--out", forms], tmp_path, str(trap))


def test_many_outputs_are_checked_in_linear_time(tmp_path, monkeypatch):
    """Forms for 1,000 departments: each path is looked at once (pairwise checks made generate 3× slower)."""
    import addin.outputs as outputs

    calls = []
    real = outputs._identities
    monkeypatch.setattr(outputs, "_identities", lambda path: calls.append(path) or real(path))
    forms = [("様式", tmp_path / f"R8_課{n}.xlsx") for n in range(500)]
    outputs.check_outputs([("計画ワークブック", tmp_path / "plan.xlsx")], forms)
    assert len(calls) == 501
    with pytest.raises(outputs.OutputConflict):
        outputs.check_outputs([], [*forms, ("様式", tmp_path / "r8_課7.XLSX")])  # one file on Windows and macOS
