"""reform consolidate and reform export-finance through the command line."""

from __future__ import annotations

import json

from click.testing import CliRunner
from standin import build_department_workbook, fill

from addin.cli import cli


def test_consolidate_and_export_finance(plan, plan_path, tmp_path):
    folder = tmp_path / "提出"
    folder.mkdir()
    for dept in plan.departments[:3]:
        wb = build_department_workbook(plan, dept, 2026)
        fill(wb)
        wb.save(folder / f"R8_{dept}.xlsx")
    (folder / "~$R8_財政課.xlsx").write_bytes(b"lock")
    runner = CliRunner()
    out = tmp_path / "集約.xlsx"
    result = runner.invoke(cli, ["consolidate", str(plan_path), str(folder), "--year", "R8", "--out", str(out),
                                 "--json", str(tmp_path / "集約.json")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "reform.db").exists()
    data = json.loads((tmp_path / "集約.json").read_text(encoding="utf-8"))
    assert data["submitted"] == plan.departments[:3] and data["missing"] == plan.departments[3:]
    assert data["totals"]["grades"]["B"] == sum(1 for i in data["items"] if i["grade"] == "B")
    result = runner.invoke(cli, ["export-finance", str(out), "--out", str(tmp_path / "財政課.xlsx"),
                                 "--csv", str(tmp_path / "csv")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "csv" / "効果額集計_R8.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    result = runner.invoke(cli, ["export-finance", str(plan_path), "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2 and "効果額集計" in result.output
