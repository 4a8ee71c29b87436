"""No false errors on workbooks filled the way departments really fill them, and the same records after
a re-save by LibreOffice (shared strings, its own styles, cached values)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import asdict

import pytest
from standin import build_department_workbook, fill

from addin.validation.check import evaluate
from addin.validation.read import read_records
from addin.validation.validate import validate_file

YEAR = 2026
RATE = ("1-(1)-1", "証明書等のコンビニ交付による交付率")
CASHLESS = ("1-(1)-3", "市税等のキャッシュレス決済による納付率")
FEE = ("1-(1)-3", "証明書等交付手数料のキャッシュレス決済による納付率")


def realistic(plan):
    """DX推進課's workbook as a clerk fills it: widths, units, synonyms, pasted text."""
    wb = fill(build_department_workbook(plan, "DX推進課", YEAR), entries={
        "1-(1)-1": {"取組状況": "コンビニ交付の周知を行った。\n", "自己評価": "Ａ", "進捗": "予定通り", "効果額（千円）": "１，２３４"},
        "1-(1)-3": {"取組状況": "  キャッシュレス決済の対象を拡大した。  ", "自己評価": "ｂ", "進捗": "前倒し", "効果額（千円）": "123万円"},
        "1-(2)-1": {"自己評価": "－", "進捗": "未着手", "効果額（千円）": "1億5千万円"},
        "1-(2)-2": {"自己評価": "C", "進捗": "遅れ", "効果額（千円）": "2.5億円", "今後の課題・方向性": None},
    # 市税等のキャッシュレス納付率 starts at 50 %: 26 % there would be an implausible_value (achievement −240 %).
    }, kpis={RATE: {"実績値": "２６％"}, CASHLESS: {"実績値": "53.2%"}, FEE: {"実績値": 0.26}})
    ws = wb["KPI実績"]
    ws["F7"].number_format = "0%"  # the FEE row: a percent-formatted cell holding 0.26
    return wb


EXPECTED_ENTRIES = [
    ("1-(1)-1", "コンビニ交付の周知を行った。", "A", "予定どおり", 1234),
    ("1-(1)-3", "キャッシュレス決済の対象を拡大した。", "B", "前倒し", 1230),
    ("1-(2)-1", "計画どおり検討を進めた。", "-", "未着手", 150000),
    ("1-(2)-2", "計画どおり検討を進めた。", "C", "遅れ", 250000),
]


def test_real_filling_gives_no_false_error(plan, tmp_path):
    path = tmp_path / "R8_DX推進課.xlsx"
    realistic(plan).save(path)
    result = validate_file(path, plan, YEAR)
    # No error; the one warning is a real contradiction (自己評価 － with a 効果額), said to the department.
    assert [(i.severity, i.code, i.item_id, i.variant) for i in result.issues] == [
        ("warning", "inconsistent", "1-(2)-1", "dash_with_effect")]
    sub = result.submission
    assert [(e.item_id, e.status, e.grade, e.progress, e.effect) for e in sub.entries] == EXPECTED_ENTRIES
    assert [(k.item_id, k.name, k.actual) for k in sub.kpis] == [(*RATE, 26), (*CASHLESS, 53.2), (*FEE, 26)]


def test_numbers_stored_as_text_and_full_width_ids(plan, tmp_path):
    wb = fill(build_department_workbook(plan, "財政課", YEAR), entries={"1-(1)-4": {"効果額（千円）": "500"}},
              kpis={("2-(2)-10", "PPC用紙(A4)年間使用枚数"): {"実績値": "６２０万"}})
    wb["入力"]["A5"] = "１－（１）－４"  # retyped in full width
    wb.save(tmp_path / "R8_財政課.xlsx")
    sub, issues = evaluate(read_records(tmp_path / "R8_財政課.xlsx"), plan, YEAR)
    assert issues == []
    assert (sub.entries[0].item_id, sub.entries[0].effect, sub.kpis[0].actual) == ("1-(1)-4", 500, 6200000)


def _records_view(records):
    """Everything the checks see, without the path."""
    return {"sheets": sorted(records.sheets), "meta": {k: asdict(v) for k, v in records.meta.items()},
            "tables": {name: [(r.row, {h: asdict(c) for h, c in r.cells.items()}) for r in t.rows]
                       for name, t in records.tables.items()}}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_resave_gives_identical_records(plan, tmp_path):
    originals = tmp_path / "orig"
    originals.mkdir()
    realistic(plan).save(originals / "R8_DX推進課.xlsx")
    spoiled = fill(build_department_workbook(plan, "財政課", YEAR),
                   entries={"1-(3)-2": {"自己評価": "D", "取組状況": None}, "1-(1)-4": {"効果額（千円）": "たくさん"}})
    spoiled.save(originals / "R8_財政課.xlsx")
    out = tmp_path / "lo"
    names = sorted(p.name for p in originals.iterdir())
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), *[str(originals / n) for n in names]],
                   check=True, capture_output=True, timeout=180)
    for name in names:
        before, after = read_records(originals / name), read_records(out / name)
        assert _records_view(after) == _records_view(before), name
        a = validate_file(originals / name, plan, YEAR)
        b = validate_file(out / name, plan, YEAR)
        flat = lambda r: [(i.code, i.sheet, i.cell, i.item_id, i.value) for i in r.issues]  # noqa: E731
        assert flat(b) == flat(a)
        assert [asdict(e) for e in b.submission.entries] == [asdict(e) for e in a.submission.entries]
        assert [asdict(k) for k in b.submission.kpis] == [asdict(k) for k in a.submission.kpis]


def test_a_total_row_under_the_table_is_not_an_answer(plan, tmp_path):
    wb = fill(build_department_workbook(plan, "財政課", YEAR))
    ws = wb["入力"]
    last = ws.max_row + 1
    ws[f"B{last}"] = "合計"
    ws[f"G{last}"] = f"=SUM(G5:G{last - 1})"
    ws[f"B{last + 2}"] = "※ 効果額は千円単位で入力してください。"
    wb.save(tmp_path / "R8_財政課.xlsx")
    assert validate_file(tmp_path / "R8_財政課.xlsx", plan, YEAR).issues == []


def test_a_formula_typed_by_the_department_is_read_by_its_cached_value(plan, tmp_path):
    """LibreOffice computes and stores the value; the reader uses it like any typed value."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    wb = fill(build_department_workbook(plan, "財政課", YEAR), entries={"1-(1)-4": {"効果額（千円）": "=1200+34"}})
    src = tmp_path / "src"
    src.mkdir()
    wb.save(src / "R8_財政課.xlsx")
    assert [i.code for i in validate_file(src / "R8_財政課.xlsx", plan, YEAR).issues] == ["formula_without_value"]
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
                    "xlsx", "--outdir", str(tmp_path / "lo"), str(src / "R8_財政課.xlsx")],
                   check=True, capture_output=True, timeout=180)
    result = validate_file(tmp_path / "lo" / "R8_財政課.xlsx", plan, YEAR)
    assert result.issues == [] and result.submission.entries[0].effect == 1234
