"""Ribbon buttons → library calls. ``dispatch(button_id)`` is what the VBA RunPython calls.

Every button reads its settings from the open plan workbook's 設定 sheet
(報告年度, 提出フォルダ, 出力フォルダ), calls the same library functions as the
command line, writes what it did into the sheet 実行結果 and tells the user in a
Japanese message box. No traceback ever reaches the user: details go to the log.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from addin.errors import ReformError
from addin.excel.book import ExcelBook, caller_book
from addin.fiscal import format_fiscal_year
from addin.jobs.places import history_path, plan_folders
from addin.validation.issues import ERROR

__all__ = ["dispatch", "BUTTONS", "RESULT_SHEET", "CHECK_SHEET"]

log = logging.getLogger(__name__)
RESULT_SHEET = "実行結果"
CHECK_SHEET = "入力チェック結果"  # addin.validation.marks.CHECK_SHEET


@dataclass
class Context:
    """The plan behind the open workbook and the folders the buttons use."""

    book: ExcelBook
    plan: object
    year: int
    submit_dir: Path
    output_dir: Path
    db: Path  # the plan's history database (addin.jobs.places): the same file every year

    @property
    def year_label(self) -> str:
        return format_fiscal_year(self.year)


def _saved_copy(book: ExcelBook, folder: Path) -> Path:
    """A copy of the open book as it is on screen, unsaved edits included."""
    target = folder / f"copy{book.path.suffix or '.xlsx'}"
    book.save_copy(target)
    return target



def _context(book: ExcelBook, tmp: Path) -> Context:
    from addin.plan.reader import read_plan

    plan = read_plan(_saved_copy(book, tmp))
    settings = plan.settings
    if settings.report_year is None:
        raise ReformError("設定シートの「報告年度」が空欄です。R8 のように入力してから、もう一度押してください。")
    from addin.log import setup_log

    base = book.path.parent
    context = Context(book, plan, settings.report_year, *plan_folders(settings, base), history_path(settings, base))
    setup_log(context.output_dir)
    return context


def _record(book: ExcelBook, action: str, lines: list[tuple[str, object]]) -> None:
    """Append what a button did to the sheet 実行結果 of the open workbook."""
    rows = book.sheet_rows(RESULT_SHEET) or [["日時", "操作", "項目", "内容"]]
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M")
    rows = [list(r) for r in rows if any(v is not None for v in r)]
    rows += [[stamp, action, key, str(value)] for key, value in lines]
    book.write_rows(RESULT_SHEET, rows)


def _generate(ctx: Context) -> str:
    from addin.jobs.generate import generate_forms

    out = ctx.output_dir / f"様式_{ctx.year_label}"
    result = generate_forms(ctx.plan, ctx.year, out, ctx.db if ctx.db.is_file() else None)
    shown = f"{format_fiscal_year(result.previous_year)}（{ctx.db}）" if result.previous_year else "なし（初年度または履歴なし）"
    _record(ctx.book, "様式作成", [("出力先", out), ("作成数", len(result.paths)), ("前年度の記録", shown)])
    return f"{len(result.paths)} 課分の入力様式を作成しました。\n{out}\n前年度の記録: {shown}"


def _validate(ctx: Context) -> str:
    from addin.jobs.validate import validate_and_report

    result = validate_and_report(ctx.plan, [ctx.submit_dir], ctx.year,
                                 report=ctx.output_dir / f"検証結果_{ctx.year_label}.xlsx",
                                 return_dir=ctx.output_dir / f"差戻し_{ctx.year_label}")
    run, report = result.run, result.report_path
    _record(ctx.book, "検証", [("提出フォルダ", ctx.submit_dir), ("検証結果", report), *run.summary_lines(),
                               ("差戻しリスト", len(result.return_lists)), ("督促リスト", result.reminder_path)])
    s = run.summary()
    return (f"{s['files']} 件を検証しました。正常 {s['ok']} 件、要修正 {s['invalid']} 件、読めない {s['unreadable']} 件。\n"
            f"検証結果: {report}\n差戻しリスト {len(result.return_lists)} 件と督促リスト: {result.reminder_path.parent}")


def _consolidate(ctx: Context) -> str:
    from addin.jobs.consolidate import consolidate

    result = consolidate(ctx.plan, [ctx.submit_dir], ctx.year, ctx.output_dir / f"集約_{ctx.year_label}.xlsx",
                         db_path=ctx.db)
    _record(ctx.book, "集約", [("集約結果", result.report_path), *result.run.summary_lines(),
                               *(("要確認", issue.message) for issue in result.summary.report_issues)])
    return f"集約しました。\n{result.report_path}" + "".join(f"\n{i.message}" for i in result.summary.report_issues[:5])


def _gantt(ctx: Context) -> str:
    from addin.reports.gantt import write_gantt

    path = write_gantt(ctx.plan, ctx.output_dir / f"工程表_{ctx.year_label}.xlsx", ctx.year)
    _record(ctx.book, "工程表", [("出力先", path)])
    return f"工程表を作成しました。\n{path}"


def _finance(ctx: Context) -> str:
    from addin.reports.finance import export_finance

    report = ctx.output_dir / f"集約_{ctx.year_label}.xlsx"
    if not report.exists():
        raise ReformError(f"集約結果 {report} がありません。先に「集約」を押してください。")
    paths = export_finance(report, ctx.output_dir / f"財政課_{ctx.year_label}.xlsx", ctx.output_dir / f"財政課CSV_{ctx.year_label}")
    _record(ctx.book, "財政課出力", [("出力先", p) for p in paths])
    return "財政課向けの集計を書き出しました。\n" + "\n".join(str(p) for p in paths)


def _publish(ctx: Context) -> str:
    from addin.jobs.publish import publish

    report = ctx.output_dir / f"集約_{ctx.year_label}.xlsx"
    if not report.exists():
        raise ReformError(f"集約結果 {report} がありません。先に「集約」を押してください。")
    out = ctx.output_dir / f"公表_{ctx.year_label}"
    published = publish(report, out, db=ctx.db)
    notes = list(published.notes)
    pdfs = []
    for book in published.books:  # Excel's own PDF export: what the secretariat prints is what Excel shows
        pdf = book.with_suffix(".pdf")
        try:
            ctx.book.export_pdf(book, pdf)
            pdfs.append(pdf)
        except Exception as exc:  # noqa: BLE001 - one PDF failing keeps the workbooks and the other PDFs
            log.exception("PDF export failed: %s", book)
            notes.append(f"{book.name} の PDF を作れませんでした（{type(exc).__name__}）。ブックを開いて"
                         "「ファイル」→「エクスポート」→「PDF/XPS の作成」で保存してください。")
    _record(ctx.book, "公表資料", [("出力先", out), *(("作成", p.name) for p in published.paths + pdfs),
                                  *(("注意", n) for n in notes)])
    return (f"公表資料 {len(published.paths)} 件と PDF {len(pdfs)} 件を作成しました。\n{out}"
            + "".join(f"\n{n}" for n in notes))


class _CheckTarget:
    """The open workbook as a :class:`addin.validation.marks.MarkTarget`: the library decides, the book applies."""

    def __init__(self, book: ExcelBook):
        self.book = book
        self.cell_state, self.restore_cell, self.mark_cell = book.cell_state, book.restore_cell, book.mark_cell

    def check_rows(self) -> list[list[object]] | None:
        return self.book.sheet_rows(CHECK_SHEET)

    def write_check_rows(self, rows: list[list[object]]) -> None:
        from addin.validation.marks import CHECK_HEADERS

        self.book.write_rows(CHECK_SHEET, rows, hidden_columns=(len(CHECK_HEADERS),))


def _check(book: ExcelBook, tmp: Path) -> str:
    """入力チェック: validate the open department workbook, mark its bad cells, list the issues (labels, not codes)."""
    from addin.validation.marks import apply_check
    from addin.validation.validate import check_workbook

    issues = check_workbook(_saved_copy(book, tmp))
    apply_check(_CheckTarget(book), issues)
    errors = sum(1 for i in issues if i.severity == ERROR)
    if not issues:
        return "入力チェック: 問題は見つかりませんでした。このまま提出できます。"
    return (f"入力チェック: エラー {errors} 件、警告 {len(issues) - errors} 件。\n"
            f"色の付いたセルとシート「{CHECK_SHEET}」を確認して修正してください。")


def _settings(book: ExcelBook, tmp: Path) -> str | None:
    if book.activate("設定"):
        return None
    raise ReformError("このブックに「設定」シートがありません。計画ワークブックを開いてから押してください。")


def _doctor(book: ExcelBook, tmp: Path, addin_xlwings: str | None = None) -> str:
    """動作確認: the checks of ``reform doctor``, the open book as the plan when it has a 設定 sheet."""
    from addin.jobs.doctor import report, run_checks

    plan_file = _saved_copy(book, tmp) if book.sheet_rows("設定") is not None else None
    return "動作確認\n" + report(run_checks(plan_file, book.path.parent, addin_xlwings))


def _xlwings_mismatch(addin_xlwings: str | None) -> str | None:
    """The message when the add-in was built for another xlwings than the one Python has."""
    if not addin_xlwings:
        return None
    import xlwings

    if addin_xlwings != xlwings.__version__:
        return (f"アドインは xlwings {addin_xlwings} 用ですが、Python の xlwings は {xlwings.__version__} です。"
                "版が違うと正しく動きません。install.bat（Mac は install.sh）をもう一度実行するか、"
                f"pip install \"xlwings=={addin_xlwings}\" を実行してください。「動作確認」で確かめられます。")
    return None


_PLAN_ACTIONS: dict[str, tuple[str, Callable[[Context], str]]] = {
    "btnGenerate": ("様式作成", _generate),
    "btnValidate": ("検証", _validate),
    "btnConsolidate": ("集約", _consolidate),
    "btnGantt": ("工程表", _gantt),
    "btnFinance": ("財政課出力", _finance),
    "btnPublish": ("公表資料", _publish),
}
_BOOK_ACTIONS: dict[str, tuple[str, Callable[[ExcelBook, Path], str | None]]] = {
    "btnCheck": ("入力チェック", _check),
    "btnSettings": ("設定", _settings),
}
BUTTONS = {**{k: v[0] for k, v in _PLAN_ACTIONS.items()}, **{k: v[0] for k, v in _BOOK_ACTIONS.items()},
           "btnDoctor": "動作確認"}


def dispatch(button_id: str, book: ExcelBook | None = None, xlwings_version: str | None = None) -> str | None:
    """Run the action of one ribbon button on the open workbook; returns the message shown.

    ``xlwings_version`` is the add-in's (its VBA passes ``XLWINGS_VERSION``): any other button
    than 動作確認 refuses to run on a different xlwings and says so.
    """
    if book is None:
        book = caller_book()
    label = BUTTONS.get(button_id)
    if label is None:
        book.alert(f"不明なボタンです（{button_id}）。アドインを入れ直してください。")
        return None
    book.status(f"{label}を実行しています…")
    try:
        with tempfile.TemporaryDirectory(prefix="reform-") as tmp:
            mismatch = None if button_id == "btnDoctor" else _xlwings_mismatch(xlwings_version)
            if mismatch:
                message = mismatch
            elif button_id == "btnDoctor":
                message = _doctor(book, Path(tmp), xlwings_version)
            elif button_id in _PLAN_ACTIONS:
                message = _PLAN_ACTIONS[button_id][1](_context(book, Path(tmp)))
            else:
                message = _BOOK_ACTIONS[button_id][1](book, Path(tmp))
    except ReformError as exc:
        message = f"{label}できませんでした。\n{exc}"
    except Exception as exc:  # noqa: BLE001 - a message box, never a traceback
        log.exception("button %s failed", button_id)
        message = f"{label}の途中で問題が起きました（{type(exc).__name__}: {exc}）。"
    finally:
        book.status(None)
    if message:
        book.alert(message)
    return message
