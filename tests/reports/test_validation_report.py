"""The 検証結果 workbook and the send-back lists, as the secretariat opens them."""

from __future__ import annotations

import openpyxl
from standin import build_department_workbook, fill

from addin.reports.validation import ISSUE_HEADERS, add_issue_sheet, write_return_lists, write_validation_report
from addin.validation.validate import validate_inputs
from addin.xlsx.writer import ReportBook

YEAR = 2026


def test_report_rows_link_to_their_cells(plan, tmp_path):
    folder = tmp_path / "提出"
    folder.mkdir()
    fill(build_department_workbook(plan, "財政課", YEAR), entries={"1-(3)-2": {"自己評価": "D"}}).save(folder / "R8_財政課.xlsx")
    fill(build_department_workbook(plan, "税務課", YEAR)).save(folder / "R8_税務課.xlsx")
    run = validate_inputs(plan, [folder], YEAR)
    path = write_validation_report(run, plan, tmp_path / "out" / "検証結果.xlsx")
    ws = openpyxl.load_workbook(path)["検証結果"]
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "重要度")
    assert tuple(c.value for c in ws[header][:10]) == ISSUE_HEADERS
    row = [c.value for c in ws[header + 1][:10]]
    assert row[:9] == ["エラー", "選択肢以外", "R8_財政課.xlsx", "財政課", "入力", "E6", "1-(3)-2", "自己評価", "D"]
    link = ws.cell(header + 1, 6).hyperlink
    # Relative, with the backslashes Excel itself writes on Windows.
    assert (link.target, link.location) == ("..\\提出\\R8_財政課.xlsx", "'入力'!E6")
    assert ws.freeze_panes == f"A{header + 1}" and ws.auto_filter.ref.startswith(f"A{header}")
    assert ws.page_setup.orientation == "landscape"


def _with_contacts(plan, monkeypatch, **values):
    """The plan with 設定 rows 提出期限, 提出先, 問合せ先 (read by their labels, whatever the model calls them)."""
    import copy
    import types

    from addin.reports import letters

    fields = {"提出期限": "x_deadline", "提出先": "x_submit_to", "問合せ先": "x_contact"}
    monkeypatch.setattr(letters, "SETTING_ROWS", {**letters.SETTING_ROWS, **fields})
    settings = types.SimpleNamespace(**vars(plan.settings), **{fields[k]: v for k, v in values.items()})
    copied = copy.copy(plan)
    object.__setattr__(copied, "settings", settings)
    return copied


def _sheet_text(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_return_lists_only_for_departments_with_something_to_fix_or_check(plan, tmp_path):
    fill(build_department_workbook(plan, "財政課", YEAR), entries={"1-(3)-2": {"取組状況": None}}).save(tmp_path / "R8_財政課.xlsx")
    fill(build_department_workbook(plan, "税務課", YEAR)).save(tmp_path / "R8_税務課.xlsx")
    run = validate_inputs(plan, [tmp_path], YEAR)
    paths = write_return_lists(run, plan, tmp_path / "差戻し")
    assert [p.name for p in paths] == ["差戻し_R8_財政課.xlsx"]
    ws = openpyxl.load_workbook(paths[0]).active
    rows = [r for r in _sheet_text(ws) if r[3] == "D6"]
    assert rows and rows[0][8] == "「取組状況」が入力されていません。入力してください。"


def test_the_send_back_list_as_the_department_reads_it(plan, tmp_path, monkeypatch):
    """Errors and warnings, the 改革項目 of each row, the date, the deadline, whom to ask, 令和 years."""
    import datetime as dt

    from addin.reports.validation import RETURN_HEADERS

    plan = _with_contacts(plan, monkeypatch, 提出期限=dt.date(2026, 5, 29), 提出先="行政改革推進室（共有フォルダ）",
                          問合せ先="行政改革推進室 内線1234")
    wb = fill(build_department_workbook(plan, "財政課", YEAR),
              entries={"1-(3)-2": {"自己評価": "D"}, "2-(1)-3": {"進捗": "順調", "自己評価": "A"},
                       "1-(1)-4": {"効果額（千円）": "▲100"}})
    folder = tmp_path / "提出"
    folder.mkdir()
    wb.save(folder / "R8_財政課.xlsx")
    run = validate_inputs(plan, [folder], YEAR)
    (path,) = write_return_lists(run, plan, tmp_path / "差戻し", today=dt.date(2026, 6, 3))
    ws = openpyxl.load_workbook(path)["差戻し"]
    grid = _sheet_text(ws)
    letter = [r[0] for r in grid[:14] if r[0]]
    assert letter == [
        "入力様式の修正のお願い（令和8年度・財政課）",
        "作成日: 令和8年6月3日",
        "財政課 ご担当者様",
        f"{plan.settings.plan_name} 事務局",
        "令和8年度の進行管理の入力様式（R8_財政課.xlsx）を確認したところ、下の表の2件について修正が必要です"
        "（ほかに確認のお願いが1件あります）。",
        "表の「セル」の場所を、「直し方」のとおりに直してください（セルの場所をクリックすると開きます）。",
        "修正したら上書き保存し、同じファイル名で再提出期限までに提出先へ提出し直してください。",
        "再提出期限: 令和8年5月29日（金）",
        "提出先: 行政改革推進室（共有フォルダ）",
        "問合せ先: 行政改革推進室 内線1234",
        "No.",
    ]
    header = next(n for n, r in enumerate(grid) if r[0] == "No.")
    assert tuple(grid[header][:9]) == RETURN_HEADERS and RETURN_HEADERS[-1] == "直し方"
    body = [r[:9] for r in grid[header + 1:]]
    assert body == [
        [1, "要修正", "入力", "G5", "1-(1)-4", plan.item("1-(1)-4").name, "効果額（千円）", "▲100",
         "「▲100」はマイナスです。効果額は削減・増収できた額を0以上の千円単位で入力してください。"],
        [2, "要修正", "入力", "E6", "1-(3)-2", plan.item("1-(3)-2").name, "自己評価", "D",
         "「D」は選べない値です。A、B、C、- のいずれかをリストから選んでください。"],
        [3, "要確認", "入力", "F7", "2-(1)-3", plan.item("2-(1)-3").name, "進捗", "順調",
         "「順調」を「予定どおり」として読み取りました。意味が違う場合は、リストから選び直してください。"],
    ]
    assert ws.cell(header + 2, 4).hyperlink.target == "R8_財政課.xlsx"
    assert openpyxl.load_workbook(path).properties.title == "入力様式の修正のお願い（令和8年度・財政課）"


def test_warnings_alone_reach_the_department_and_plan_changed_does_not(plan, tmp_path):
    import datetime as dt

    from addin.reports.validation import department_issues
    from addin.validation.codes import CODES, Code

    wb = fill(build_department_workbook(plan, "財政課", YEAR), entries={"1-(3)-2": {"自己評価": "A", "進捗": "未着手"}})
    wb.save(tmp_path / "R8_財政課.xlsx")
    run = validate_inputs(plan, [tmp_path], YEAR)
    (path,) = write_return_lists(run, plan, tmp_path / "差戻し", today=dt.date(2026, 6, 3))
    ws = openpyxl.load_workbook(path)["確認のお願い"]
    grid = _sheet_text(ws)
    assert grid[0][0] == "入力内容の確認のお願い（令和8年度・財政課）"
    assert "提出を受け付けました。下の表の1件について、内容の確認をお願いします。" in grid[5][0]
    assert any(r[0] == "提出期限: （設定シートに未記入）" for r in grid)
    assert [r[1] for r in grid if r[3] == "E6"] == ["要確認"]
    # The secretariat's own warning never goes to the department.
    from dataclasses import replace

    CODES.setdefault("plan_changed", Code("plan_changed", "warning", "計画の変更", "計画が変わりました。"))
    try:
        result = run.files[0]
        changed = replace(result.issues[0], code="plan_changed", variant=None)
        assert department_issues([replace(result, issues=[changed])]) == []
        assert department_issues([result]) == result.issues
    finally:
        if CODES["plan_changed"].template == "計画が変わりました。":
            del CODES["plan_changed"]


def test_the_reminder_lists_departments_that_sent_nothing(plan, tmp_path, monkeypatch):
    import datetime as dt

    from addin.reports.reminder import REMINDER_HEADERS, write_reminder_list

    plan = _with_contacts(plan, monkeypatch, 提出期限="5月29日（金）17時", 提出先="行政改革推進室", 問合せ先="内線1234")
    folder = tmp_path / "提出"
    folder.mkdir()
    sent = plan.departments[:2]
    fill(build_department_workbook(plan, sent[0], YEAR)).save(folder / f"R8_{sent[0]}.xlsx")
    fill(build_department_workbook(plan, sent[1], YEAR), entries={plan.items_for(sent[1])[0].item_id: {"自己評価": "E"}}
         ).save(folder / f"R8_{sent[1]}.xlsx")
    run = validate_inputs(plan, [folder], YEAR)
    path = write_reminder_list(run, plan, tmp_path / "差戻し", today=dt.date(2026, 6, 1))
    assert path.name == "督促_R8.xlsx"
    grid = _sheet_text(openpyxl.load_workbook(path)["督促"])
    assert [r[0] for r in grid[:6]] == ["未提出の課（督促）（令和8年度）", "作成日: 令和8年6月1日",
                                        f"計画: {plan.settings.plan_name}", "提出期限: 5月29日（金）17時",
                                        "提出先: 行政改革推進室", "問合せ先: 内線1234"]
    header = next(n for n, r in enumerate(grid) if r[0] == "No.")
    assert tuple(grid[header][:6]) == REMINDER_HEADERS
    missing = [d for d in plan.departments if d not in sent]
    body = grid[header + 1:]
    assert [r[1] for r in body] == missing  # the rejected one is not chased here: it has a send-back list
    first = body[0]
    assert first[2] == f"{len(plan.items_for(missing[0]))}件" and first[3:5] == ["5月29日（金）17時", "内線1234"]
    assert first[5] == (f"{missing[0]} ご担当者様　令和8年度の{plan.settings.plan_name}の進行管理の入力様式が、"
                        "まだ提出されていません。提出期限（5月29日（金）17時）までに、提出先（行政改革推進室）へ"
                        "提出してください。ご不明な点は 内線1234 までお問い合わせください。")


def test_validate_with_return_dir_writes_the_reminder_too(plan, tmp_path):
    from addin.jobs.validate import validate_and_report

    folder = tmp_path / "提出"
    folder.mkdir()
    fill(build_department_workbook(plan, "財政課", YEAR)).save(folder / "R8_財政課.xlsx")
    result = validate_and_report(plan, [folder], YEAR, return_dir=tmp_path / "out")
    assert result.reminder_path == tmp_path / "out" / "督促_R8.xlsx" and result.reminder_path in result.written
    # Our own lists landing in the submission folder are never validated as submissions.
    import shutil

    shutil.copy(result.reminder_path, folder / result.reminder_path.name)
    assert [f.path for f in validate_inputs(plan, [folder], YEAR).files] == [str(folder / "R8_財政課.xlsx")]


def test_add_issue_sheet_is_reusable(plan, tmp_path):
    book = ReportBook(tmp_path / "r.xlsx")
    add_issue_sheet(book, [], "検証結果")
    book.close()
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx")["検証結果"]
    assert (ws.title, ws["A3"].value, ws["J4"].value) == ("検証結果", "重要度", "問題は見つかりませんでした。")
