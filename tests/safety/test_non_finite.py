"""NaN and infinity from a crafted workbook never reach a writer or a JSON file."""

from __future__ import annotations

import json
import math

import openpyxl
import pytest
from click.testing import CliRunner
from hostile import members, write_zip
from records import small_plan, submission
from standin import build_department_workbook, fill

from addin.cli import cli
from addin.consolidation.summary import summarize
from addin.jsonio import write_json
from addin.reports.workbook import write_report

EFFECT_COLUMN = "G"  # 効果額（千円）
T_INPUT = "入力"


def _strict_json(path):
    def refuse(constant):
        pytest.fail(f"{path.name} holds {constant}")

    return json.loads(path.read_text(encoding="utf-8"), parse_constant=refuse)


def _numbers(path):
    book = openpyxl.load_workbook(path)
    return [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, float)]


@pytest.mark.parametrize("crafted", ["NaN", "INF", "-1e999"])
def test_a_crafted_effect_cell_through_validate_and_consolidate(plan, plan_path, tmp_path, crafted):
    folder = tmp_path / "提出"
    folder.mkdir()
    for dept in plan.departments[:2]:
        wb = build_department_workbook(plan, dept, 2026)
        fill(wb)
        wb[T_INPUT][f"{EFFECT_COLUMN}5"] = 987654321  # replaced below by the crafted text
        wb.save(folder / f"R8_{dept}.xlsx")
    path = folder / f"R8_{plan.departments[0]}.xlsx"
    parts = members(path)
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(b'<v>987654321</v>', f'<v>{crafted}</v>'.encode())
    assert parts["xl/worksheets/sheet1.xml"] != sheet
    write_zip(path, parts)
    out = tmp_path / "出力"
    result = CliRunner().invoke(cli, ["validate", str(plan_path), str(folder), "--year", "R8", "--json", str(out / "v.json"),
                                      "--report", str(out / "v.xlsx"), "--return-dir", str(out / "差戻し")])
    assert result.exit_code == 1, result.output
    data = _strict_json(out / "v.json")
    assert [i["code"] for f in data["files"] for i in f["issues"]] == ["not_a_number"]
    result = CliRunner().invoke(cli, ["consolidate", str(plan_path), str(folder), "--year", "R8",
                                      "--out", str(out / "集約.xlsx"), "--json", str(out / "集約.json")])
    assert result.exit_code == 1, result.output
    _strict_json(out / "集約.json")
    for book in [out / "v.xlsx", out / "集約.xlsx", *(out / "差戻し").glob("*.xlsx")]:
        assert all(math.isfinite(v) for v in _numbers(book))



def test_a_non_finite_amount_in_the_records_is_blank_in_the_report_and_null_in_json(tmp_path):
    plan = small_plan()
    records = [submission(plan, "税務課", 2026, {"1-(1)-2": {"effect": float("nan")}}),
               submission(plan, "総務課", 2026, {"1-(2)-1": {"effect": float("inf")}})]
    summary = summarize(plan, 2026, records, [])
    write_report(summary, tmp_path / "集約.xlsx")  # XlsxWriter refuses NaN: this crashed
    assert all(math.isfinite(v) for v in _numbers(tmp_path / "集約.xlsx"))
    data = _strict_json(write_json(summary.to_json(), tmp_path / "集約.json"))
    effects = {i["item_id"]: i["effect_thousand_yen"] for i in data["items"]}
    assert effects["1-(1)-2"] is None and effects["1-(2)-1"] is None


def test_json_never_holds_nan_at_any_depth(tmp_path):
    data = _strict_json(write_json({"a": [1.5, float("nan"), {"b": (float("-inf"),)}]}, tmp_path / "x.json"))
    assert data == {"a": [1.5, None, {"b": [None]}]}


def test_an_infinite_amount_in_a_crafted_report_is_blank_in_the_finance_outputs(tmp_path):
    import re

    from addin.reports.finance import export_finance

    plan = small_plan()
    summary = summarize(plan, 2026, [submission(plan, "税務課", 2026)], [])
    report = write_report(summary, tmp_path / "集約_R8.xlsx")
    parts = members(report)
    sheet = "xl/worksheets/sheet4.xml"  # 効果額集計
    text = parts[sheet].decode()
    crafted = re.sub(r'(<c r="[A-Z]+\d+"[^>]*><v>)100(</v>)', r"\g<1>1E999\g<2>", text, count=1)
    assert crafted != text
    parts[sheet] = crafted.encode()
    write_zip(report, parts)
    paths = export_finance(report, tmp_path / "財政課_R8.xlsx", tmp_path / "csv")
    for path in paths:
        if path.suffix == ".csv":
            assert "inf" not in path.read_text(encoding="utf-8-sig").lower()
        else:
            assert all(math.isfinite(v) for v in _numbers(path))
