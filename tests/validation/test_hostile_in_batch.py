"""Hostile files beside valid ones: each is refused with a clear message, the others are still processed."""

from __future__ import annotations

import pytest

from addin.errors import PlanError
from addin.plan.reader import read_plan
from addin.validation.validate import validate_inputs
from tests import hostile, standin


def test_a_hostile_plan_is_a_plan_error(tmp_path):
    for path in (hostile.make_zip_bomb(tmp_path), hostile.make_xxe(tmp_path)):
        with pytest.raises(PlanError) as exc_info:
            read_plan(path)
        assert exc_info.value.problems[0].sheet == "（ファイル）"
        assert "passwd" not in str(exc_info.value)


def test_hostile_submissions_do_not_stop_the_batch(plan, tmp_path):
    folder = tmp_path / "提出"
    folder.mkdir()
    dept = plan.departments[0]
    standin.fill(standin.build_department_workbook(plan, dept, 2026)).save(folder / f"R8_{dept}.xlsx")
    hostile.make_zip_bomb(folder)
    hostile.make_xxe(folder)
    hostile.make_billion_laughs(folder)
    (folder / "R8_壊れ.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    run = validate_inputs(plan, [folder], 2026)
    by_status = {}
    for f in run.files:
        by_status.setdefault(f.status, []).append(f)
    assert [f.department for f in by_status["ok"]] == [dept]
    assert len(by_status["unreadable"]) == 4
    for f in by_status["unreadable"]:
        assert [i.code for i in f.issues] == ["unreadable"] and f.issues[0].message
        assert "root:" not in f.issues[0].message
