"""Department names from a plan or a hidden 様式情報 cell never steer a file out of its folder or onto another file."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from standin import build_department_workbook, fill

from addin.cli import cli
from addin.consolidation.summary import summarize
from addin.forms.generate import generate_workbooks
from addin.plan.model import Item, Plan, Settings
from addin.reports.tracker import find_return_lists, tracker_rows

# Every name a department can type into the 担当課 cell (XML cannot hold control characters).
HOSTILE = ["x/../../集約_R8", "x/../../../escape", "企画/財政課", "企画\\財政課", "..", "CON", "nul.txt", "財政課.",
           "財政課", "a" * 300, "財" * 300, "<>:\"|?*", unicodedata.normalize("NFD", "ガス課"), "ABC課", "abc課"]


def _snapshot(root: Path) -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}


def _submissions(plan, folder: Path, names) -> None:
    folder.mkdir(parents=True)
    for n, name in enumerate(names):
        wb = build_department_workbook(plan, name, 2026)
        fill(wb)
        wb.save(folder / f"R8_{n}.xlsx")


def test_validate_writes_every_send_back_list_inside_return_dir(plan, plan_path, tmp_path):
    _submissions(plan, tmp_path / "提出", HOSTILE)
    (tmp_path / "出力").mkdir()
    (tmp_path / "出力" / "集約_R8.xlsx").write_bytes(b"the report of the secretariat")
    (tmp_path / "escape.xlsx").write_bytes(b"outside")
    before = _snapshot(tmp_path)
    return_dir = tmp_path / "出力" / "差戻し_R8"
    result = CliRunner().invoke(cli, ["validate", str(plan_path), str(tmp_path / "提出"), "--year", "R8",
                                      "--return-dir", str(return_dir)])
    assert result.exit_code == 1, result.output
    after = _snapshot(tmp_path)
    assert {p: h for p, h in after.items() if p in before} == before  # no other file changed
    new = [p for p in after if p not in before]
    assert all(p.parent == return_dir for p in new), new
    lists = [p for p in new if p.name.startswith("差戻し_R8_")]
    sent_back = len(HOSTILE) - 1  # 財政課 is a plan department and its file is valid
    assert len(lists) == sent_back and len({p.name.casefold() for p in lists}) == sent_back  # none overwrote another
    titles = {openpyxl.load_workbook(p).properties.title for p in lists}
    assert all(any(f"・{name}）" in t for t in titles) for name in ("企画/財政課", "財政課.", "ABC課", "abc課", ".."))


def _hostile_plan() -> Plan:
    items = [Item(f"1-(1)-{n}", "柱", "(1) 分野", str(n), f"項目{n}", in_charge=(name,))
             for n, name in enumerate(HOSTILE, start=1)]
    return Plan(Settings("テスト市行財政改革実施計画", "テスト市", 2026, 2030, report_year=2026), items)


def test_generate_writes_every_form_inside_out(tmp_path):
    plan = _hostile_plan()
    out = tmp_path / "a" / "b" / "様式"
    paths = generate_workbooks(plan, 2026, out, workers=1)
    assert len(paths) == len(plan.departments) == len(HOSTILE)
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert sorted(written) == sorted(paths) and all(p.parent == out for p in written)
    assert len({p.name.casefold() for p in paths}) == len(HOSTILE)
    assert (out / "R8_財政課.xlsx").exists()  # an ordinary name is kept


def test_tracker_finds_each_departments_list_under_its_safe_name(plan, plan_path, tmp_path):
    _submissions(plan, tmp_path / "提出", HOSTILE)
    CliRunner().invoke(cli, ["validate", str(plan_path), str(tmp_path / "提出"), "--year", "R8",
                             "--return-dir", str(tmp_path / "出力")])
    from addin.validation.validate import validate_inputs

    run = validate_inputs(plan, [tmp_path / "提出"], 2026)
    departments = [f.department for f in run.files]
    found = find_return_lists(2026, [tmp_path / "出力"], departments)
    assert sorted(found) == sorted(set(departments) - {"財政課"}) and len(set(found.values())) == len(found)
    rows = tracker_rows(summarize(plan, 2026, [], [f.path for f in run.files]), run, found)
    assert all(r.return_list == found[r.department] for r in rows if r.file and r.department != "財政課")


def test_control_characters_escaped_in_the_xml_reach_no_file_name(plan, plan_path, tmp_path):
    # XML cannot hold a control character, but OOXML's _xHHHH_ escape brings one into the 担当課 cell.
    from hostile import members, write_zip

    folder = tmp_path / "提出"
    folder.mkdir()
    crafted = [b"a_x0000_b", b"a_x0001_b", b"x_x000A_/../../escape", b"_x001B_[31m"]
    for n, text in enumerate(crafted):
        wb = build_department_workbook(plan, "PLACEHOLDER", 2026)
        fill(wb)
        path = folder / f"R8_{n}.xlsx"
        wb.save(path)
        write_zip(path, {k: v.replace(b"PLACEHOLDER", text) for k, v in members(path).items()})
    before = _snapshot(tmp_path)
    return_dir = tmp_path / "出力" / "差戻し_R8"
    result = CliRunner().invoke(cli, ["validate", str(plan_path), str(folder), "--year", "R8",
                                      "--return-dir", str(return_dir)])
    assert result.exit_code == 1, result.output
    after = _snapshot(tmp_path)
    assert {p: h for p, h in after.items() if p in before} == before
    lists = [p for p in after if p not in before and p.name.startswith("差戻し_")]
    assert len(lists) == len(crafted) and all(p.parent == return_dir for p in lists)
    assert not any(c < " " for p in lists for c in p.name)
