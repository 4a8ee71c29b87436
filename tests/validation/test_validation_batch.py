"""A batch of submitted files: what is skipped, what cannot be read, duplicates, inputs untouched,
the JSON shape of SPEC and the exit status of ``reform validate``."""

from __future__ import annotations

import json
import os
import zipfile

import pytest
from click.testing import CliRunner
from standin import build_department_workbook, fill

from addin.cli import cli
from addin.validation.validate import validate_inputs

YEAR = 2026


def write(plan, folder, department, **fill_args):
    path = folder / f"R8_{department}.xlsx"
    fill(build_department_workbook(plan, department, YEAR), **fill_args).save(path)
    return path


@pytest.fixture
def folder(plan, tmp_path):
    """A submission folder with two clean workbooks, in a subfolder too."""
    root = tmp_path / "提出"
    (root / "第2回").mkdir(parents=True)
    write(plan, root, "財政課")
    write(plan, root / "第2回", "税務課")
    return root


def test_lock_hidden_temp_and_other_files_are_skipped(plan, folder):
    for name in ("~$R8_財政課.xlsx", ".R8_隠し.xlsx", "メモ.txt", "R8_財政課.xlsx.tmp", "議事録.docx"):
        (folder / name).write_bytes(b"not excel")
    (folder / ".git").mkdir()
    (folder / ".git" / "R8_x.xlsx").write_bytes(b"x")
    run = validate_inputs(plan, [folder], YEAR)
    assert sorted(os.path.basename(p) for p in run.skipped) == sorted(
        ["~$R8_財政課.xlsx", ".R8_隠し.xlsx", "メモ.txt", "R8_財政課.xlsx.tmp", "議事録.docx"])
    assert [(os.path.basename(f.path), f.status) for f in run.files] == [("R8_財政課.xlsx", "ok"), ("R8_税務課.xlsx", "ok")]
    assert run.exit_code == 0


def _encrypted(path):
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)


def _broken(path):
    path.write_bytes(b"PK\x03\x04 this zip ends here")


def _empty(path):
    path.write_bytes(b"")


def _no_workbook(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")


def _bad_xml(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook><sheets><sheet")


@pytest.mark.parametrize("name,make", [("R8_財政課.xls", _encrypted), ("R8_財政課.xlsx", _encrypted),
                                       ("R8_財政課.xlsx", _broken), ("R8_財政課.xlsx", _empty),
                                       ("R8_財政課.xlsx", _no_workbook), ("R8_財政課.xlsx", _bad_xml)])
def test_unreadable_files_are_reported_and_the_batch_goes_on(plan, folder, tmp_path, name, make):
    bad = tmp_path / "bad" / name
    bad.parent.mkdir()
    make(bad)
    run = validate_inputs(plan, [bad, folder], YEAR)
    first = run.files[0]
    assert (first.status, [i.code for i in first.issues], first.department) == ("unreadable", ["unreadable"], "財政課")
    assert "Traceback" not in first.issues[0].message and first.issues[0].message.startswith(name)
    assert [f.status for f in run.files[1:]] == ["ok", "ok"]
    assert run.summary()["unreadable"] == 1 and run.exit_code == 1


def test_duplicate_submission_the_newer_is_used(plan, tmp_path):
    old = write(plan, tmp_path, "財政課")
    new = tmp_path / "R8_財政課（修正版）.xlsx"
    fill(build_department_workbook(plan, "財政課", YEAR), entries={"1-(1)-4": {"自己評価": "A"}}).save(new)
    os.utime(old, (1_700_000_000, 1_700_000_000))
    os.utime(new, (1_700_000_100, 1_700_000_100))
    run = validate_inputs(plan, [new, old], YEAR)
    flat = [(os.path.basename(f.path), f.status, f.superseded, [(i.code, i.severity) for i in f.issues]) for f in run.files]
    assert flat == [("R8_財政課（修正版）.xlsx", "ok", False, []),
                    ("R8_財政課.xlsx", "ok", True, [("duplicate_submission", "warning")])]
    assert [s.path for s in run.valid_submissions()] == [str(new)]
    assert "R8_財政課（修正版）.xlsx" in run.files[1].issues[0].message
    assert run.exit_code == 0


def test_same_time_the_later_name_wins(plan, tmp_path):
    first = write(plan, tmp_path, "財政課")
    second = tmp_path / "R8_財政課_再提出.xlsx"
    first.rename(second)
    first = write(plan, tmp_path, "財政課")
    for p in (first, second):
        os.utime(p, (1_700_000_000, 1_700_000_000))
    run = validate_inputs(plan, [second, first], YEAR)
    assert [(os.path.basename(f.path), f.superseded) for f in run.files] == [
        ("R8_財政課_再提出.xlsx", False), ("R8_財政課.xlsx", True)]


def test_inputs_are_never_modified(plan, folder):
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    validate_inputs(plan, [folder], YEAR)
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files} == before
    assert sorted(p for p in folder.rglob("*") if p.is_file()) == files


def test_progress_callback(plan, folder):
    seen = []
    validate_inputs(plan, [folder], YEAR, progress=lambda done, total, path: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]


def test_json_has_the_shape_of_spec(plan, folder):
    write(plan, folder, "税務課", entries={"1-(1)-3": {"自己評価": "Z"}})
    data = validate_inputs(plan, [folder], YEAR).to_json()
    assert set(data) == {"year", "files", "skipped", "summary"}
    assert data["year"] == "R8"
    assert set(data["summary"]) == {"files", "ok", "invalid", "unreadable", "errors", "warnings"}
    for f in data["files"]:
        assert set(f) == {"path", "department", "status", "issues"}
        assert f["status"] in ("ok", "invalid", "unreadable")
        for issue in f["issues"]:
            assert set(issue) == {"severity", "code", "file", "sheet", "cell", "item_id", "column", "value", "message"}
    json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("spoil,expected", [(False, 0), (True, 1)])
def test_cli_exit_status(plan, plan_path, folder, tmp_path, spoil, expected):
    if spoil:
        write(plan, folder, "財政課", entries={"1-(3)-2": {"取組状況": None}})
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["validate", str(plan_path), str(folder), "--year", "R8", "--json",
                                      str(out / "v.json"), "--report", str(out / "検証結果.xlsx"),
                                      "--return-dir", str(out / "差戻し")])
    assert result.exit_code == expected, result.output
    data = json.loads((out / "v.json").read_text(encoding="utf-8"))
    assert data["summary"]["errors"] == expected
    assert (out / "検証結果.xlsx").exists()
    returned = sorted(p.name for p in (out / "差戻し").glob("*.xlsx"))
    assert returned == (["差戻し_R8_財政課.xlsx", "督促_R8.xlsx"] if spoil else ["督促_R8.xlsx"])
    assert str(out / "差戻し" / "督促_R8.xlsx") in result.output


def test_cli_nothing_to_read_is_exit_2(plan_path, tmp_path):
    (tmp_path / "memo.txt").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(plan_path), str(tmp_path), "--year", "R8"])
    assert result.exit_code == 2


def test_send_back_lists_and_xlsb_in_the_submission_folder(tmp_path):
    from addin.validation.validate import collect_inputs

    (tmp_path / "差戻し_R8_財政課.xlsx").write_bytes(b"")
    (tmp_path / "R8_財政課.xlsb").write_bytes(b"")
    found = collect_inputs([tmp_path])
    assert [p.name for p in found.files] == ["R8_財政課.xlsb"]  # read, to say how to save it
    assert [os.path.basename(p) for p in found.skipped] == ["差戻し_R8_財政課.xlsx"]


def test_parallel_and_plain_paths_agree(plan, tmp_path, monkeypatch):
    """Many files are validated by worker processes; the result is the same as one by one."""
    import addin.validation.validate as V
    from tests import standin

    folder = tmp_path / "提出"
    folder.mkdir()
    for n, dept in enumerate(plan.departments):
        wb = standin.build_department_workbook(plan, dept, 2026)
        entries = {plan.items_for(dept)[0].item_id: {"自己評価": "E", "効果額（千円）": "たくさん"}} if n % 3 == 0 else {}
        standin.fill(wb, entries=entries).save(folder / f"R8_{dept}.xlsx")
        if n == 1:
            standin.fill(standin.build_department_workbook(plan, dept, 2026)).save(folder / f"R8_{dept}_再提出.xlsx")
    monkeypatch.setattr(V, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(V, "_CHUNK", 3)
    parallel = V.validate_inputs(plan, [folder], 2026, workers=2)
    plain = V.validate_inputs(plan, [folder], 2026, workers=1)
    assert parallel.to_json() == plain.to_json()
    assert [f.superseded for f in parallel.files] == [f.superseded for f in plain.files]
    assert [f.submission == g.submission for f, g in zip(parallel.files, plain.files)] == [True] * len(plain.files)
    assert parallel.summary()["invalid"] >= 3
