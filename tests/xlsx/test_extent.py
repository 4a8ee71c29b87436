"""A far cell is refused before any reader allocates the sheet's range (SPEC, "Safety").

python-calamine allocates one dense grid up to the farthest cell: one value in XFD1048576
aborts the process (SIGABRT, no exception), so the batch, plan and previous-report tests run
the command in a child process and look at its exit status and output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import hostile
import pytest
import standin

from addin.errors import UnreadableWorkbook
from addin.xlsx.extent import check_extent

FAR = "シート「入力」のセル XFD1048576 に値または書式があります。不要な行・列を削除して保存し直してください"


@pytest.fixture(scope="module")
def good(plan, tmp_path_factory) -> Path:
    dept = plan.departments[0]
    path = tmp_path_factory.mktemp("good") / f"R8_{dept}.xlsx"
    standin.fill(standin.build_department_workbook(plan, dept, 2026)).save(path)
    return path


def refusal(path, sheets=None) -> str:
    with pytest.raises(UnreadableWorkbook) as exc_info:
        check_extent(path, sheets)
    assert exc_info.value.code == "unreadable" and exc_info.value.path == path
    return exc_info.value.reason


def test_an_ordinary_workbook_passes(good):
    check_extent(good)


@pytest.mark.parametrize("xml, row, where", [
    ('<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>', 1048576, "セル XFD1048576"),
    ('<c r="XFD1048576" s="0"/>', 1048576, "セル XFD1048576"),  # a format alone
    ('<c r="BZ1048576"><v>1</v></c>', 1048576, "セル BZ1048576"),
    ('<c r="GS7"><v>1</v></c>', 7, "セル GS7"),  # one column too far
    ('<c r="A100001"><v>1</v></c>', 100001, "セル A100001"),  # one row too far
    ('', 1048576, "1048576 行目"),  # a formatted row with no cell
    ('<x:c r="XFD1048576"><x:v>1</x:v></x:c>', 1048576, "セル XFD1048576"),  # any prefix
    ("<c r='XFD1048576' foo='>'><v>1</v></c>", 1048576, "セル XFD1048576"),  # a '>' inside an attribute
])
def test_a_far_reference_names_sheet_and_cell(good, tmp_path, xml, row, where):
    path = hostile.add_far_cell(good, tmp_path / "far.xlsx", "入力", xml, row=row)
    reason = refusal(path)
    assert reason.startswith(f"シート「入力」の{where} に値または書式があります。不要な行・列を削除して保存し直してください")


def test_the_limits_themselves_are_accepted(good, tmp_path):
    path = hostile.add_far_cell(good, tmp_path / "edge.xlsx", "入力", '<c r="GR100000"><v>1</v></c>', row=100000)
    check_extent(path)


def test_cells_without_r_are_counted(good, tmp_path):
    cells = "<c><v>1</v></c>" * 201
    path = hostile.add_far_cell(good, tmp_path / "implicit.xlsx", "入力", cells, row=60)
    assert "セル GS60 " in refusal(path)


def test_a_lying_dimension_and_a_missing_one(good, tmp_path):
    lying = hostile.replace_in_sheet(good, tmp_path / "dim.xlsx", "入力", '<dimension ref="', '<dimension ref="A1:XFD1048576" x="')
    assert "セル XFD1048576 " in refusal(lying)
    # No dimension at all: the cells decide.
    no_dim = hostile.add_far_cell(good, tmp_path / "nodim0.xlsx", "入力")
    import re
    parts = hostile.members(no_dim)
    for name, data in parts.items():
        if b"<dimension" in data:
            parts[name] = re.sub(rb"<dimension[^>]*/>", b"", data)
    hostile.write_zip(tmp_path / "nodim.xlsx", parts)
    assert "セル XFD1048576 " in refusal(tmp_path / "nodim.xlsx")


def test_a_far_merged_range(good, tmp_path):
    path = hostile.replace_in_sheet(good, tmp_path / "merge.xlsx", "入力", "</sheetData>",
                                    '</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')
    assert "セル XFD1048576 " in refusal(path)


def test_only_the_sheets_read_are_bounded(good, tmp_path):
    path = hostile.add_far_cell(good, tmp_path / "other.xlsx", "入力")
    check_extent(path, ["KPI実績"])
    assert FAR in refusal(path, ["入力"])


def _reform(*args, cwd) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONFAULTHANDLER": ""}
    return subprocess.run([sys.executable, "-m", "addin", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_a_far_cell_is_one_unreadable_file_in_the_batch(plan_path, good, tmp_path):
    folder = tmp_path / "提出"
    folder.mkdir()
    (folder / good.name).write_bytes(good.read_bytes())
    hostile.add_far_cell(good, folder / "R8_遠いセル.xlsx", "入力")
    done = _reform("validate", plan_path, folder, "--year", "R8", "--json", tmp_path / "v.json", cwd=tmp_path)
    assert done.returncode == 1, done.stderr  # not -6 (SIGABRT): the batch survives
    files = {Path(f["path"]).name: f for f in json.loads((tmp_path / "v.json").read_text("utf-8"))["files"]}
    assert files[good.name]["status"] == "ok"
    far = files["R8_遠いセル.xlsx"]
    assert far["status"] == "unreadable" and FAR in far["issues"][0]["message"]


def test_a_far_cell_in_the_plan_is_a_plan_error(plan_path, tmp_path):
    far_plan = hostile.add_far_cell(plan_path, tmp_path / "計画.xlsx", "計画")
    done = _reform("gantt", far_plan, "--out", tmp_path / "g.xlsx", cwd=tmp_path)
    assert done.returncode == 2
    assert "シート「計画」のセル XFD1048576 に値または書式があります。不要な行・列を削除して保存し直してください" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "g.xlsx").exists()


def test_a_far_cell_in_the_previous_report_stops_the_run(plan_path, good, tmp_path):
    out = tmp_path / "集約.xlsx"
    first = _reform("consolidate", plan_path, good, "--year", "R8", "--out", out, cwd=tmp_path)
    assert first.returncode in (0, 1), first.stderr
    hostile.add_far_cell(out, tmp_path / "far.xlsx", "取組状況一覧")
    os.replace(tmp_path / "far.xlsx", out)
    before = out.read_bytes()
    again = _reform("consolidate", plan_path, good, "--year", "R8", "--out", out, cwd=tmp_path)
    assert again.returncode == 2
    assert "シート「取組状況一覧」のセル XFD1048576 に値または書式があります" in again.stderr
    assert out.read_bytes() == before  # nothing replaced


def test_a_character_reference_in_r_is_read_as_the_parser_reads_it(good, tmp_path):
    path = hostile.add_far_cell(good, tmp_path / "charref.xlsx", "入力", '<c r="&#88;FD1048576"><v>1</v></c>')
    assert "セル XFD1048576 " in refusal(path)


def test_a_utf16_sheet_is_scanned_too(good, tmp_path):
    far = hostile.add_far_cell(good, tmp_path / "far8.xlsx", "入力")
    import zipfile

    from addin.xlsx.scan import sheet_parts

    with zipfile.ZipFile(far) as zf:
        member = sheet_parts(zf)["入力"]
    text = hostile.members(far)[member].decode("utf-8")
    text = text.replace('encoding="UTF-8"', 'encoding="UTF-16"') if 'encoding="UTF-8"' in text else text
    path = hostile.rewrite(far, tmp_path / "far16.xlsx", {member: b"\xff\xfe" + text.encode("utf-16-le")})
    assert "セル XFD1048576 " in refusal(path)


def test_generated_forms_and_plans_need_no_parse(plan, plan_path, tmp_path):
    """The cheap path (one search, no XML parse) is the one ordinary workbooks take."""
    import zipfile

    from addin.forms.generate import generate_workbooks
    from addin.xlsx import extent
    from addin.xlsx.scan import sheet_parts

    forms = generate_workbooks(plan, 2026, tmp_path / "様式", workers=1)[:3]
    for path in [*forms, plan_path]:
        with zipfile.ZipFile(path) as zf:
            for sheet, member in sheet_parts(zf).items():
                assert extent._plainly_near(zf.read(member)), (path.name, sheet)
