"""The command line, ``reform``: each command parses its input, calls one library function, presents the result.

Exit status: 0 success; 1 the input has validation errors (reports still written);
2 usage error or nothing usable to read.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from addin import __version__
from addin.cli.group import EXIT_USAGE, ReformGroup


def _year_option(required: bool = False):
    return click.option("--year", "year", metavar="R8", required=required,
                        help="報告年度（R8、令和8年度、2026 など）。省略すると計画の「報告年度」。")


def _resolve_year(plan, year: str | None) -> int:
    from addin.fiscal import FiscalYearError, parse_fiscal_year

    if year is None:
        if plan.settings.report_year is None:
            raise click.UsageError("--year を指定してください（計画の設定シートに報告年度がありません）。")
        return plan.settings.report_year
    try:
        value = parse_fiscal_year(year)
    except FiscalYearError as exc:
        raise click.BadParameter(str(exc), param_hint="--year") from exc
    if value not in plan.years:
        raise click.BadParameter(f"{year} は計画期間（{plan.period_label}）の外です。", param_hint="--year")
    return value


def _log_beside(folder: Path) -> None:
    """Details of any failure (tracebacks) go to reform.log in the output folder, never to the screen."""
    from addin.log import setup_log

    setup_log(folder)


def _check_outputs(plan: str | None, inputs, outputs) -> None:
    """Refuse, before anything is written, an output that is an input or another output."""
    from addin.outputs import PLAN, SUBMISSION, check_outputs
    from addin.validation.validate import collect_inputs

    files = collect_inputs(inputs).files + [Path(p) for p in inputs if Path(p).is_file()]
    check_outputs([(PLAN, plan), *((SUBMISSION, p) for p in files)], outputs)


def _load_plan(path: str):
    from addin.plan.reader import read_plan

    return read_plan(path)


@click.group(cls=ReformGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="reform", message="%(prog)s %(version)s")
def cli() -> None:
    """行財政改革・市政改革推進行動計画の進行管理ツール。"""


@cli.command()
@click.option("--out", "out", default="demo-out", show_default=True, type=click.Path(file_okay=False), help="出力フォルダ")
def demo(out: str) -> None:
    """内蔵の標準計画で2年分の流れ（様式作成→記入→検証→集約→財政課出力→公表、R8 の委員会評価、計画の改定、R9）を実行する。

    Example: reform demo --out demo-out
    """
    from addin.jobs.demo import run_demo

    _log_beside(Path(out))
    for path in run_demo(Path(out)):
        click.echo(str(path))


@cli.command("sample-plan")
@click.argument("path", type=click.Path(dir_okay=False))
def sample_plan(path: str) -> None:
    """内蔵の標準計画（第2次二本松市市政改革推進行動計画）を計画ワークブックとして書き出す。

    Example: reform sample-plan plan.xlsx
    """
    from addin.plan.default import default_plan
    from addin.plan.writer import write_plan

    click.echo(str(write_plan(default_plan(), path)))


@cli.command()
@click.argument("plan", type=click.Path(exists=True, dir_okay=False))
@_year_option()
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="様式を書き出すフォルダ")
@click.option("--db", "db", type=click.Path(dir_okay=False),
              help="履歴データベース（省略時は計画の出力フォルダ、なければ計画と同じフォルダの reform.db があれば使う）")
def generate(plan: str, year: str | None, out: str, db: str | None) -> None:
    """課ごとの入力様式（R8_<課名>.xlsx）を作成する。履歴に前年度があれば、前年度の記録を様式に表示する。

    Example: reform generate plan.xlsx --year R9 --out 様式 --db 出力/reform.db
    """
    from addin.fiscal import format_fiscal_year
    from addin.jobs.generate import generate_forms
    from addin.jobs.places import history_path

    _log_beside(Path(out))
    loaded = _load_plan(plan)
    if db is not None and not Path(db).is_file():
        raise click.BadParameter(f"{db} がありません。集約で作られた reform.db を指定してください。", param_hint="--db")
    history = Path(db) if db else history_path(loaded.settings, Path(plan).parent)
    result = generate_forms(loaded, _resolve_year(loaded, year), Path(out), history if history.is_file() else None)
    for path in result.paths:
        click.echo(str(path))
    if result.previous_year is not None:
        click.echo(f"前年度（{format_fiscal_year(result.previous_year)}）の記録を履歴 {result.db} から様式に表示しました。",
                   err=True)
    elif db:
        click.echo(f"履歴 {db} に前年度の集約がないため、前年度の記録のない様式を作りました。", err=True)


@cli.command()
@click.argument("plan", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="工程表の出力先 (.xlsx)")
@_year_option()
def gantt(plan: str, out: str, year: str | None) -> None:
    """計画から工程表（ガントチャート）を作成する。

    Example: reform gantt plan.xlsx --out 工程表.xlsx --year R8
    """
    from addin.reports.gantt import write_gantt

    _check_outputs(plan, (), [("--out", out)])
    loaded = _load_plan(plan)
    chosen = _resolve_year(loaded, year) if (year or loaded.settings.report_year) else None
    click.echo(str(write_gantt(loaded, Path(out), chosen)))


@cli.command()
@click.argument("plan", type=click.Path(exists=True, dir_okay=False))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@_year_option()
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="結果を JSON で書き出す")
@click.option("--report", "report", type=click.Path(dir_okay=False), help="検証結果シートの .xlsx を書き出す")
@click.option("--return-dir", "return_dir", type=click.Path(file_okay=False), help="課ごとの差戻しリストと督促リスト（督促_R8.xlsx）を書き出すフォルダ")
def validate(plan: str, inputs: tuple[str, ...], year: str | None, json_path: str | None, report: str | None,
             return_dir: str | None) -> None:
    """提出された課の入力様式（ファイルまたはフォルダ）を検証する。

    Example: reform validate plan.xlsx 提出/ --year R8 --json 検証.json --report 検証結果.xlsx
    """
    from addin.jobs.validate import validate_and_report

    outputs = [Path(p).parent for p in (json_path, report) if p] + ([Path(return_dir)] if return_dir else [])
    if outputs:
        _log_beside(outputs[0])
    loaded = _load_plan(plan)
    result = validate_and_report(loaded, inputs, _resolve_year(loaded, year), json_path=json_path, report=report,
                                 return_dir=return_dir)
    for path in [*result.return_lists, *([result.reminder_path] if result.reminder_path else [])]:
        click.echo(str(path))
    for path in result.removed_lists:
        click.echo(f"修正済みの課の古い差戻しリストを削除しました: {path}")
    run = result.run
    _echo_summary(run)
    if not run.files:
        click.echo("エラー: 検証できる .xlsx ファイルがありません。", err=True)
        sys.exit(EXIT_USAGE)
    sys.exit(run.exit_code)


def _echo_summary(run) -> None:
    s = run.summary()
    click.echo(f"ファイル {s['files']}件: 正常 {s['ok']} / 要修正 {s['invalid']} / 読めない {s['unreadable']}"
               f"（エラー {s['errors']}件、警告 {s['warnings']}件、対象外 {len(run.skipped)}件）")


@cli.command()
@click.argument("plan", type=click.Path(exists=True, dir_okay=False))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@_year_option()
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="集約結果の .xlsx")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="集約結果を JSON で書き出す")
@click.option("--db", "db", type=click.Path(dir_okay=False), help="履歴データベース（既定: 出力と同じフォルダの reform.db）")
@click.option("--allow-empty", "allow_empty", is_flag=True,
              help="有効な提出が1件もなくても集約する（その年度の履歴を置き換える。既定では何も書かずに終了 2）")
def consolidate(plan: str, inputs: tuple[str, ...], year: str | None, out: str, json_path: str | None, db: str | None,
                allow_empty: bool) -> None:
    """検証してから、正常な提出を集約した報告書（取組状況一覧・KPI一覧・評価集計・効果額集計・工程表・提出状況）を作る。

    Example: reform consolidate plan.xlsx 提出/ --year R8 --out 集約.xlsx --json 集約.json
    """
    from addin.jobs.consolidate import consolidate as run_consolidation
    from addin.jsonio import write_json

    _check_outputs(plan, inputs, [("--out", out), ("--json", json_path), ("--db", db)])
    _log_beside(Path(out).parent)
    loaded = _load_plan(plan)
    result = run_consolidation(loaded, [Path(p) for p in inputs], _resolve_year(loaded, year), Path(out),
                               db_path=Path(db) if db else None, allow_empty=allow_empty)
    if json_path:
        write_json(result.to_json(), json_path)
    click.echo(str(result.report_path))
    for issue in result.summary.report_issues:  # what the secretariat typed and the report could not use as is
        click.echo(f"{'エラー' if issue.severity == 'error' else '警告'}: {issue.message}")
    _echo_summary(result.run)
    sys.exit(result.run.exit_code)


@cli.command("export-finance")
@click.argument("report", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="値だけの .xlsx")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False), help="CSV（UTF-8 BOM 付き）を書き出すフォルダ")
def export_finance(report: str, out: str, csv_dir: str | None) -> None:
    """集約結果から財政課向けの値だけのブック（効果額集計・効果額推移・KPI一覧）と CSV（効果額集計_R8.csv など）を書き出す。

    Example: reform export-finance 集約_R8.xlsx --out 財政課_R8.xlsx --csv 財政課CSV_R8
    """
    from addin.outputs import check_outputs
    from addin.reports.finance import export_finance as run_export

    check_outputs([("集約結果", report)], [("--out", out)])
    for path in run_export(Path(report), Path(out), Path(csv_dir) if csv_dir else None):
        click.echo(str(path))


@cli.command("publish")
@click.argument("report", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="公表資料を書き出すフォルダ")
@click.option("--pdf", is_flag=True, help="各ブックの PDF も作る（LibreOffice が必要）")
@click.option("--db", "db", type=click.Path(exists=True, dir_okay=False),
              help="履歴データベース（既定: 集約結果と同じフォルダの reform.db）。個票と過年度の評価に使う")
def publish(report: str, out: str, pdf: bool, db: str | None) -> None:
    """集約結果から公表資料（公表_取組状況_R8.xlsx、個票_R8.xlsx、委員会用の評価シート_R8.xlsx、オープンデータの CSV）を書き出す。

    Example: reform publish 集約_R8.xlsx --out 公表_R8 --pdf
    """
    from addin.jobs.publish import publish as run_publish, to_pdf
    from addin.outputs import check_outputs

    check_outputs([("集約結果", report), ("履歴データベース", db)], [("--out", out)])
    published = run_publish(Path(report), Path(out), db=Path(db) if db else None)
    for path in published.paths:  # said before the PDFs, so a failed conversion still shows what was written
        click.echo(str(path))
    for note in published.notes:
        click.echo(note, err=True)
    for path in to_pdf(published.books, Path(out)) if pdf else []:
        click.echo(str(path))


@cli.command("plan-snapshot")
@click.option("--db", "db", required=True, type=click.Path(exists=True, dir_okay=False), help="履歴データベース（reform.db）")
@click.option("--year", "year", metavar="R8", required=True, help="集約した年度（R8、令和8年度、2026 など）")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="計画ワークブックの出力先 (.xlsx)")
@click.option("--plan-name", "plan_name", help="計画名（データベースに複数の計画があるとき）")
def plan_snapshot(db: str, year: str, out: str, plan_name: str | None) -> None:
    """その年度を集約したときの計画ワークブックを履歴から書き出す（計画の改定後に前年度の集約結果を作り直すため）。

    Example: reform plan-snapshot --db 出力/reform.db --year R8 --out 計画_R8時点.xlsx
    """
    from addin.fiscal import FiscalYearError, parse_fiscal_year
    from addin.jobs.snapshot import write_plan_snapshot

    try:
        value = parse_fiscal_year(year)
    except FiscalYearError as exc:
        raise click.BadParameter(str(exc), param_hint="--year") from exc
    from addin.outputs import check_outputs

    check_outputs([("履歴データベース", db)], [("--out", out)])
    click.echo(str(write_plan_snapshot(Path(db), value, Path(out), plan_name)))


@cli.command("build-addin")
@click.option("--out", "out", default="workbooks/reform.xlam", show_default=True, type=click.Path(dir_okay=False))
def build_addin(out: str) -> None:
    """macros/ のテキストから Excel アドイン（.xlam、リボン「行革進行管理」付き）を作る。

    Example: reform build-addin --out workbooks/reform.xlam
    """
    from addin.xlam.build import build_addin as build

    click.echo(str(build(Path(out))))


@cli.command()
@click.argument("plan", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--addin", "addin_file", type=click.Path(exists=True, dir_okay=False),
              help="Excel に追加した reform.xlam（その xlwings の版と比べる）")
def doctor(plan: str | None, addin_file: str | None) -> None:
    """動作確認: Python・xlwings・パッケージ・アドインの設定と、計画ワークブックのフォルダ・履歴データベースを確認する。

    Example: reform doctor 計画.xlsx --addin workbooks/reform.xlam
    """
    from addin.jobs.doctor import all_passed, report, run_checks

    checks = run_checks(Path(plan) if plan else None, addin_file=Path(addin_file) if addin_file else None)
    click.echo(report(checks))
    sys.exit(0 if all_passed(checks) else 1)


@cli.command()
@click.option("--departments", "departments", default=100, show_default=True, type=click.IntRange(1, 100000),
              help="合成する課の数")
@click.option("--out", "out", default="bench-out", show_default=True, type=click.Path(file_okay=False),
              help="合成したブックを置くフォルダ（再利用する）")
def bench(departments: int, out: str) -> None:
    """合成した N 課分のブックで様式作成・検証・集約の時間を測り、手書きの pandas 集約と読み込みの下限との比を出す。

    Example: reform bench --departments 1000
    """
    from addin.devtools.bench import run_bench

    click.echo(run_bench(departments, Path(out)))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="reform")


if __name__ == "__main__":
    main()
