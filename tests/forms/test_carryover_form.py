"""R9 forms over R8's history: last year's record in the right rows, a response required where R8 had a
comment, and what validation makes of it; a form without history looks as before."""

from __future__ import annotations

from dataclasses import replace

import openpyxl
import hostile
import pytest
from click.testing import CliRunner
from records import R8_REVIEWED, small_plan, store_year, submission

from addin.cli import cli
from addin.consolidation.history import History
from addin.forms import layout as T
from addin.forms.fill import fill_department_workbook
from addin.forms.generate import COUNT_CELL, INPUT_LAYOUT
from addin.forms.previous import NEW_ITEM
from addin.jobs.consolidate import consolidate
from addin.jobs.generate import generate_forms
from addin.jobs.publish import publish
from addin.plan.model import Item
from addin.plan.revisions import YearTarget
from addin.plan.writer import write_plan
from addin.validation.validate import validate_inputs

R8, R9 = 2026, 2027


def r9_plan(plan):
    """1-(1)-1 handed over from DX推進課 to 市民課 alone; 1-(2)-2 new in R9; a 単年度目標 for コンビニ交付率."""
    items = [replace(i, in_charge=("市民課",)) if i.item_id == "1-(1)-1" else i for i in plan.items]
    items.insert(3, Item("1-(2)-2", "デジタル化の推進", "(2) 業務の効率化", "2", "文書管理の電子化", in_charge=("総務課",),
                         state="新規", start_year=R9))
    return replace(plan, items=items, year_targets=[YearTarget("1-(1)-1", "コンビニ交付率", R9, 27.5)])


@pytest.fixture()
def history(tmp_path):
    plan = small_plan()
    db = tmp_path / "reform.db"
    subs = [submission(plan, "税務課", R8, {"1-(1)-2": {"status": "R8の税務課の文", "effect": 300, "next_steps": "R9は拡大"},
                                           "2-(1)-1": {"status": "寄附の返礼品を見直した。"}}, {"寄附額": 182000}),
            submission(plan, "DX推進課", R8, {"1-(1)-1": {"status": "R8のDXの文", "grade": "A"}}, {"コンビニ交付率": 26})]
    store_year(db, plan, R8, subs, R8_REVIEWED + [("2-(1)-1", "B", None, None, "B", None, None)])
    return r9_plan(plan), db


def _rows(ws):
    header = [c.value for c in ws[T.HEADER_ROW]]
    rows = {}
    for row in ws.iter_rows(min_row=T.HEADER_ROW + 1):
        if row[0].value:
            key = row[0].value if ws.title == T.INPUT_SHEET else (row[0].value, row[1].value)
            rows[key] = {h: c for h, c in zip(header, row)}
    return header, rows


def test_r9_forms_show_r8_in_the_right_rows(history, tmp_path):
    plan, db = history
    result = generate_forms(plan, R9, tmp_path / "様式", db)
    assert result.previous_year == R8
    tax = openpyxl.load_workbook(tmp_path / "様式" / "R9_税務課.xlsx")
    header, rows = _rows(tax[T.INPUT_SHEET])
    assert tuple(header[:len(INPUT_LAYOUT)]) == INPUT_LAYOUT  # the read-back columns keep their places
    own = rows["1-(1)-2"]
    assert [own[h].value for h in T.PREVIOUS_COLUMNS] == ["R8の税務課の文", "C", "【委員会】見直しを", "R9は拡大", 300]
    assert own[T.RESPONSE].protection.locked is False  # R8 had a comment: the department answers it
    assert all(own[h].protection.locked for h in T.PREVIOUS_COLUMNS)
    plain = rows["2-(1)-1"]
    assert plain[T.PREV_STATUS].value == "寄附の返礼品を見直した。" and plain[T.PREV_COMMENT].value is None
    assert plain[T.RESPONSE].protection.locked is True  # nothing to answer
    citizens = openpyxl.load_workbook(tmp_path / "様式" / "R9_市民課.xlsx")
    _h, rows = _rows(citizens[T.INPUT_SHEET])
    assert rows["1-(1)-1"][T.PREV_STATUS].value == "【前担当：DX推進課】R8のDXの文"  # taken over
    assert rows["1-(1)-1"][T.PREV_COMMENT].value == "【事務局】根拠を示すこと"
    header, kpis = _rows(citizens[T.KPI_SHEET])
    kpi = kpis[("1-(1)-1", "コンビニ交付率")]
    assert kpi["R8実績"].value == 26 and kpi[T.KPI_YEAR_TARGET].value == 27.5
    general = openpyxl.load_workbook(tmp_path / "様式" / "R9_総務課.xlsx")
    _h, rows = _rows(general[T.INPUT_SHEET])
    assert rows["1-(2)-2"][T.PREV_STATUS].value == NEW_ITEM
    assert _rows(tax[T.KPI_SHEET])[1][("2-(1)-1", "寄附額")]["R8実績"].value == 182000


def test_a_form_without_history_looks_as_before(tmp_path):
    plan = small_plan()
    result = generate_forms(plan, R8, tmp_path / "様式", tmp_path / "none.db")
    assert result.previous_year is None
    ws = openpyxl.load_workbook(result.paths[0])[T.INPUT_SHEET]
    assert tuple(c.value for c in ws[T.HEADER_ROW]) == INPUT_LAYOUT


def _fill(path, entries=None):
    wb = openpyxl.load_workbook(path)
    department = path.stem.split("_", 1)[1]
    rows = _rows(wb[T.INPUT_SHEET])[1]
    values = {i: {"取組状況": f"{i}の今年度の取組（{department}）", "自己評価": "B", "進捗": "予定どおり"} for i in rows}
    for item_id, extra in (entries or {}).items():
        if item_id in values:
            values[item_id].update(extra)
    kpis = {k: {"実績値": 27} for k in _rows(wb[T.KPI_SHEET])[1]}
    fill_department_workbook(wb, values, kpis)
    wb.save(path)
    return wb


def test_validation_asks_for_the_response_and_flags_last_years_text(history, tmp_path):
    plan, db = history
    forms = tmp_path / "様式"
    generate_forms(plan, R9, forms, db)
    _fill(forms / "R9_税務課.xlsx", {"2-(1)-1": {"取組状況": "寄附の返礼品を 見直した。"}})  # R8's text, one space added
    for name in ("R9_市民課.xlsx", "R9_総務課.xlsx"):
        _fill(forms / name, {"1-(1)-1": {T.RESPONSE: "根拠として利用件数を示した。"}})
    run = validate_inputs(plan, [forms / "R9_税務課.xlsx", forms / "R9_市民課.xlsx", forms / "R9_総務課.xlsx"], R9,
                          workers=1)
    by_file = {f.department: f for f in run.files}
    tax = by_file["税務課"]
    [missing] = [i for i in tax.issues if i.code == "required"]
    assert (missing.sheet, missing.item_id, missing.column) == (T.INPUT_SHEET, "1-(1)-2", T.RESPONSE)
    assert "前年度指摘への対応" in missing.message and "前年度コメント" in missing.message
    [copied] = [i for i in tax.issues if i.code == "inconsistent"]
    assert copied.item_id == "2-(1)-1" and "前年度" in copied.message
    assert by_file["市民課"].status == "ok" and by_file["総務課"].status == "ok"
    _fill(forms / "R9_税務課.xlsx", {"1-(1)-2": {T.RESPONSE: "対象を全窓口に広げた。"}})
    again = validate_inputs(plan, [forms / "R9_税務課.xlsx"], R9, workers=1)
    assert again.files[0].status == "ok" and not [i for i in again.issues if i.code == "required"]


@pytest.mark.skipif(hostile.soffice() is None, reason="LibreOffice (soffice) is not installed; CI installs it")
def test_the_count_cell_counts_a_missing_response_only_where_asked(history, tmp_path):
    plan, db = history
    forms = tmp_path / "様式"
    generate_forms(plan, R9, forms, db)
    path = forms / "R9_税務課.xlsx"
    _fill(path)
    profile = tmp_path / "profile"

    def count():
        computed = hostile.convert(path, "xlsx", tmp_path / f"calc{len(list(tmp_path.iterdir()))}", profile)
        return openpyxl.load_workbook(computed, data_only=True)[T.INPUT_SHEET][COUNT_CELL].value

    assert count() == 1  # 1-(1)-2's response; 2-(1)-1 has no comment and asks for none
    _fill(path, {"1-(1)-2": {T.RESPONSE: "対象を全窓口に広げた。"}})
    assert count() == 0


def test_generate_uses_the_plans_history_and_says_so(history, tmp_path):
    plan, db = history
    folder = tmp_path / "事務局"
    folder.mkdir()
    plan_path = write_plan(plan, folder / "計画.xlsx")
    db.rename(folder / "reform.db")  # no 出力フォルダ in 設定: the history lives beside the plan
    result = CliRunner().invoke(cli, ["generate", str(plan_path), "--year", "R9", "--out", str(tmp_path / "様式")])
    assert result.exit_code == 0, result.output
    assert "前年度（R8）の記録を履歴" in result.output
    ws = openpyxl.load_workbook(tmp_path / "様式" / "R9_税務課.xlsx")[T.INPUT_SHEET]
    assert T.PREV_STATUS in [c.value for c in ws[T.HEADER_ROW]]
    missing = CliRunner().invoke(cli, ["generate", str(plan_path), "--year", "R9", "--out", str(tmp_path / "x"),
                                       "--db", str(tmp_path / "なし.db")])
    assert missing.exit_code == 2 and "なし.db がありません" in missing.output


def test_the_response_reaches_the_report_and_the_history(history, tmp_path):
    plan, db = history
    forms = tmp_path / "様式"
    generate_forms(plan, R9, forms, db)
    _fill(forms / "R9_税務課.xlsx", {"1-(1)-2": {T.RESPONSE: "対象を全窓口に広げた。"}})
    result = consolidate(plan, [forms / "R9_税務課.xlsx"], R9, tmp_path / "集約_R9.xlsx", db_path=db)
    assert result.run.exit_code == 0
    ws = openpyxl.load_workbook(tmp_path / "集約_R9.xlsx")["取組状況一覧"]
    header = next(r for r in ws.iter_rows(values_only=True) if r[0] == "項目ID")
    [row] = [r for r in ws.iter_rows(values_only=True) if r[0] == "1-(1)-2"]
    assert row[header.index(T.RESPONSE)] == "対象を全窓口に広げた。"  # beside 委員会意見, where the committee asked
    with History(db) as stored:
        assert stored.entries(plan.settings.plan_name, R9)[("1-(1)-2", "税務課")]["response"] == "対象を全窓口に広げた。"
    sheet = next(p for p in publish(tmp_path / "集約_R9.xlsx", tmp_path / "公表").paths if p.name == "評価シート_R9.xlsx")
    rows = list(openpyxl.load_workbook(sheet)["評価シート"].iter_rows(values_only=True))
    [row] = [r for r in rows if r[1] == plan.item("1-(1)-2").name]
    assert "【前年度指摘への対応】対象を全窓口に広げた。" in row[3]  # the committee reads the answer beside the work
