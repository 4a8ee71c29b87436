"""Messages as a clerk reads them, on generated forms edited the way clerks edit them.

Each test takes 財政課's R8 form from the real generator, fills it with valid
answers, then does one thing a clerk does (inserts a row, renames a sheet,
types ▲100 or 順調) and asserts the exact Japanese message of that cell. Other
issues a later form version may add are not asserted here, only the ones named.
"""

from __future__ import annotations

import pytest
from hostile import convert, soffice
from standin import address

from addin.forms.fill import fill_department_workbook
from addin.forms.generate import build_department_workbook
from addin.validation.validate import validate_file

YEAR = 2026
DEPT = "財政課"


def _form(plan, **changes):
    """The generated form with valid answers; ``changes`` {項目ID: {header: value}} typed over them."""
    wb = build_department_workbook(plan, DEPT, YEAR)
    answers = {i.item_id: {"取組状況": "計画どおり実施した。", "自己評価": "B", "進捗": "予定どおり"}
               for i in plan.items_for(DEPT)}
    for item_id, values in changes.items():
        answers[item_id].update(values)
    fill_department_workbook(wb, answers, {k.key: {"実績値": k.baseline or 1} for k in plan.kpis_led_by(DEPT)})
    return wb


def _issues(plan, wb, tmp_path, through_libreoffice=False):
    path = tmp_path / f"R8_{DEPT}.xlsx"
    wb.save(path)
    if through_libreoffice:
        path = convert(path, "xlsx", tmp_path / "lo", tmp_path / "profile")
    return validate_file(path, plan, YEAR).issues


def _at(issues, cell, code=None):
    found = [i for i in issues if i.cell == cell and (code is None or i.code == code)]
    assert len(found) == 1, [(i.code, i.cell, i.message) for i in issues]
    return found[0]


def _items(plan):
    return [i.item_id for i in plan.items_for(DEPT)]


@pytest.mark.parametrize("through_libreoffice", [False, pytest.param(True, marks=pytest.mark.skipif(
    soffice() is None, reason="LibreOffice is not installed"))])
def test_an_inserted_row_is_an_extra_row_to_move_and_delete(plan, tmp_path, through_libreoffice):
    wb = _form(plan)
    ws = wb["入力"]
    first = _items(plan)[0]
    row = int(address(wb, "入力", first, "項目ID")[1:]) + 1
    ws.insert_rows(row)
    text_col = address(wb, "入力", first, "取組状況").rstrip("0123456789")
    ws[f"{text_col}{row}"] = "窓口の案内表示も見直した。"
    issues = _issues(plan, wb, tmp_path, through_libreoffice)
    issue = _at(issues, f"{text_col}{row}")
    assert (issue.code, issue.severity, issue.item_id) == ("extra_row", "error", None)
    assert issue.text == (f"{row}行目は配布した様式にない行です（「窓口の案内表示も見直した。」と入力されています）。"
                          "入力した内容を該当する改革項目の行に移してから、この行を削除してください。")
    assert not [i for i in issues if i.code == "required"]  # never 「項目ID が入力されていません」


def test_a_renamed_sheet_is_to_be_renamed_back(plan, tmp_path):
    wb = _form(plan)
    wb["入力"].title = "入力 (財政課)"
    (issue,) = [i for i in _issues(plan, wb, tmp_path) if i.code == "wrong_template"]
    assert issue.text == "シート「入力」の名前が「入力 (財政課)」に変わっています。シート名を「入力」に戻してください。"
    assert issue.message.startswith("R8_財政課.xlsx のシート「入力」: ")


def test_a_negative_amount_is_quoted_as_typed(plan, tmp_path):
    item = _items(plan)[0]
    wb = _form(plan, **{item: {"効果額（千円）": "▲100"}})
    issue = _at(_issues(plan, wb, tmp_path), address(wb, "入力", item, "効果額（千円）"), "out_of_range")
    assert issue.value == "▲100"
    assert issue.text == "「▲100」はマイナスです。効果額は削減・増収できた額を0以上の千円単位で入力してください。"


def test_numbers_are_written_as_people_write_them(plan, tmp_path):
    wb = _form(plan)
    key = plan.kpis_led_by(DEPT)[0].key
    cell = address(wb, "KPI実績", key, "実績値")
    wb["KPI実績"][cell] = -5600000.0
    issue = _at(_issues(plan, wb, tmp_path), cell, "out_of_range")
    assert issue.text.startswith("「-5,600,000」はマイナスです。")


def test_a_synonym_is_read_and_said(plan, tmp_path):
    item = _items(plan)[1]
    wb = _form(plan, **{item: {"進捗": "順調"}})
    issue = _at(_issues(plan, wb, tmp_path), address(wb, "入力", item, "進捗"))
    assert (issue.code, issue.severity, issue.item_id) == ("reinterpreted", "warning", item)
    assert issue.text == "「順調」を「予定どおり」として読み取りました。意味が違う場合は、リストから選び直してください。"


def test_yen_read_as_thousands_is_said(plan, tmp_path):
    item = _items(plan)[0]
    wb = _form(plan, **{item: {"効果額（千円）": "1,234円"}})
    issue = _at(_issues(plan, wb, tmp_path), address(wb, "入力", item, "効果額（千円）"), "reinterpreted")
    assert issue.text == ("「1,234円」を 1.234千円 として読み取りました（この欄は千円単位です）。"
                          "千円単位の金額のつもりなら「円」を消して入力し直してください。")


def test_full_width_and_plain_units_are_not_reinterpretations(plan, tmp_path):
    first, second = _items(plan)[:2]
    wb = _form(plan, **{first: {"自己評価": "Ａ", "効果額（千円）": "1,234千円"}, second: {"進捗": "予定通り"}})
    assert not [i for i in _issues(plan, wb, tmp_path) if i.code == "reinterpreted"]


@pytest.mark.parametrize("grade, progress, effect, variant, column, text", [
    ("A", "未着手", None, "graded_not_started", "自己評価",
     "自己評価が「A」ですが、進捗は「未着手」です。どちらかが誤っていないか確認し、未着手なら自己評価を見直してください。"),
    ("B", "未着手", None, "graded_not_started", "自己評価",
     "自己評価が「B」ですが、進捗は「未着手」です。どちらかが誤っていないか確認し、未着手なら自己評価を見直してください。"),
    ("-", "予定どおり", 5600, "dash_with_effect", "効果額（千円）",
     "自己評価が「-」（評価しない）ですが、効果額「5,600」千円が入力されています。"
     "効果があった場合は自己評価を A・B・C から選び、効果がない場合は効果額を空欄にしてください。"),
    ("A", "遅れ", None, "late_graded_a", "自己評価",
     "進捗が「遅れ」ですが、自己評価は「A」です。どちらかが誤っていないか確認し、遅れているなら自己評価を見直してください。"),
])
def test_contradicting_answers_are_warnings(plan, tmp_path, grade, progress, effect, variant, column, text):
    item = _items(plan)[0]
    values = {"自己評価": grade, "進捗": progress}
    if effect is not None:
        values["効果額（千円）"] = effect
    wb = _form(plan, **{item: values})
    issue = _at(_issues(plan, wb, tmp_path), address(wb, "入力", item, column), "inconsistent")
    assert (issue.severity, issue.variant, issue.item_id) == ("warning", variant, item)
    assert issue.text == text


def test_agreeing_answers_are_not_warned(plan, tmp_path):
    first, second, third = _items(plan)[:3]
    wb = _form(plan, **{first: {"自己評価": "C", "進捗": "未着手"}, second: {"自己評価": "-", "進捗": "未着手"},
                        third: {"自己評価": "B", "進捗": "遅れ", "効果額（千円）": 100}})
    assert not [i for i in _issues(plan, wb, tmp_path) if i.code == "inconsistent"]


def test_wrong_year_in_reiwa_words(plan, tmp_path):
    from addin.forms import layout as T

    wb = _form(plan)
    ws = wb[T.META_SHEET]
    cell = next(r[1] for r in ws.iter_rows() if r[0].value == T.META_YEAR)
    cell.value = "R7"
    (issue,) = [i for i in _issues(plan, wb, tmp_path) if i.code == "wrong_year"]
    assert issue.text == ("令和7年度の様式です（今回提出していただくのは令和8年度の様式です）。"
                          "令和8年度の様式に入力し直して、提出し直してください。")


def test_a_renamed_sheet_is_found_among_other_sheets_by_its_old_name(plan, tmp_path):
    wb = _form(plan)
    wb.create_sheet("課内メモ")
    wb["KPI実績"].title = "KPI実績（提出用）"
    (issue,) = [i for i in _issues(plan, wb, tmp_path) if i.code == "wrong_template"]
    assert issue.text == "シート「KPI実績」の名前が「KPI実績（提出用）」に変わっています。シート名を「KPI実績」に戻してください。"


def test_a_deleted_sheet_says_both_ways_back(plan, tmp_path):
    wb = _form(plan)
    wb.create_sheet("課内メモ")
    wb.create_sheet("作業用")
    del wb["入力"]
    (issue,) = [i for i in _issues(plan, wb, tmp_path) if i.code == "wrong_template"]
    assert issue.text == ("シート「入力」がありません。シート名を変えた場合は、シート名を「入力」に戻してください。"
                          "シートを削除した場合は、事務局が配布した様式に入力し直して、提出し直してください。")


def test_an_erased_item_id_is_to_be_typed_back(plan, tmp_path):
    wb = _form(plan)
    item = _items(plan)[1]
    cell = address(wb, "入力", item, "項目ID")
    wb["入力"][cell] = None
    issue = _at(_issues(plan, wb, tmp_path), cell, "required")
    assert issue.text == "この行の「項目ID」が消されています。配布した様式のとおりに項目IDを入力し直してください。"


@pytest.mark.parametrize("sheet, key_of, name_header, name, input_header", [
    ("入力", lambda plan: _items(plan)[0], "改革項目", "窓口のキャッシュレス化（追加）", "取組状況"),
    ("KPI実績", lambda plan: plan.kpis_led_by(DEPT)[0].key, "指標名", "窓口での決済件数", "実績値"),
])
def test_an_inserted_row_with_a_name_typed_is_still_an_extra_row(plan, tmp_path, sheet, key_of, name_header, name,
                                                                 input_header):
    wb = _form(plan)
    key = key_of(plan)
    row = int(address(wb, sheet, key, "項目ID")[1:]) + 1
    wb[sheet].insert_rows(row)
    name_col = address(wb, sheet, key, name_header).rstrip("0123456789")
    wb[sheet][f"{name_col}{row}"] = name  # the clerk names the new row, but no 項目ID
    wb[sheet][f"{address(wb, sheet, key, input_header).rstrip('0123456789')}{row}"] = "12"
    issue = _at(_issues(plan, wb, tmp_path), f"{name_col}{row}")
    assert issue.code == "extra_row" and f"「{name}」と入力されています" in issue.text
    assert not [i for i in _issues(plan, wb, tmp_path) if i.code == "required" and i.column == "項目ID"]


def test_an_inserted_kpi_row_is_an_extra_row(plan, tmp_path):
    wb = _form(plan)
    key = plan.kpis_led_by(DEPT)[0].key
    row = int(address(wb, "KPI実績", key, "項目ID")[1:]) + 1
    ws = wb["KPI実績"]
    ws.insert_rows(row)
    note_col = address(wb, "KPI実績", key, "備考").rstrip("0123456789")
    ws[f"{note_col}{row}"] = "補足"
    issue = _at(_issues(plan, wb, tmp_path), f"{note_col}{row}")
    assert issue.code == "extra_row"
    assert issue.text == (f"{row}行目は配布した様式にない行です（「補足」と入力されています）。"
                          "入力した内容を該当する指標の行の「備考」などに移してから、この行を削除してください。")
