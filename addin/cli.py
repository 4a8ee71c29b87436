"""The command line, ``reform``: each command parses its input, calls one library function, presents the result.

Exit status: 0 success; 1 the input has validation errors (reports still written);
2 usage error or nothing usable to read.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import ReformError

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
log = logging.getLogger("reform")


class ReformCommand(click.Command):
    """Turns a ReformError into a Japanese message and exit 2; anything unexpected is logged, not dumped."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ReformError as exc:
            click.echo(f"エラー: {exc}", err=True)
            ctx.exit(EXIT_USAGE)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - no traceback reaches the user
            if os.environ.get("REFORM_DEBUG"):
                raise
            log.exception("unexpected error")
            click.echo(f"エラー: 予期しない問題で処理を中断しました（{type(exc).__name__}: {exc}）。"
                       "REFORM_DEBUG=1 を付けて再実行すると詳細が表示されます。", err=True)
            ctx.exit(EXIT_USAGE)


class ReformGroup(click.Group):
    command_class = ReformCommand


def _year_option(required: bool = False):
    return click.option("--year", "year", metavar="R8", required=required,
                        help="報告年度（R8、令和8年度、2026 など）。省略すると計画の「報告年度」。")


def _resolve_year(plan, year: str | None) -> int:
    from .fiscal import FiscalYearError, parse_fiscal_year

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


def _load_plan(path: str):
    from .plan_reader import read_plan

    return read_plan(path)


@click.group(cls=ReformGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="reform", message="%(prog)s %(version)s")
def cli() -> None:
    """行財政改革・市政改革推進行動計画の進行管理ツール。"""


@cli.command()
@click.option("--out", "out", default="demo-out", show_default=True, type=click.Path(file_okay=False), help="出力フォルダ")
def demo(out: str) -> None:
    """内蔵の標準計画で1年分の流れ（様式作成→記入→検証→集約→財政課出力）を実行する。

    Example: reform demo --out demo-out
    """
    from .demo import run_demo

    for path in run_demo(Path(out)):
        click.echo(str(path))


@cli.command("sample-plan")
@click.argument("path", type=click.Path(dir_okay=False))
def sample_plan(path: str) -> None:
    """内蔵の標準計画（第2次二本松市市政改革推進行動計画）を計画ワークブックとして書き出す。

    Example: reform sample-plan plan.xlsx
    """
    from .default_plan import default_plan
    from .plan_writer import write_plan

    click.echo(str(write_plan(default_plan(), path)))


@cli.command()
@click.argument("plan", type=click.Path(exists=True, dir_okay=False))
@_year_option()
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="様式を書き出すフォルダ")
def generate(plan: str, year: str | None, out: str) -> None:
    """課ごとの入力様式（R8_<課名>.xlsx）を作成する。

    Example: reform generate plan.xlsx --year R8 --out 様式
    """
    from .generate import generate_workbooks

    loaded = _load_plan(plan)
    for path in generate_workbooks(loaded, _resolve_year(loaded, year), Path(out)):
        click.echo(str(path))


@cli.command()
@click.argument("plan", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="工程表の出力先 (.xlsx)")
@_year_option()
def gantt(plan: str, out: str, year: str | None) -> None:
    """計画から工程表（ガントチャート）を作成する。

    Example: reform gantt plan.xlsx --out 工程表.xlsx --year R8
    """
    from .gantt import write_gantt

    loaded = _load_plan(plan)
    chosen = _resolve_year(loaded, year) if (year or loaded.settings.report_year) else None
    click.echo(str(write_gantt(loaded, Path(out), chosen)))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="reform")


if __name__ == "__main__":
    main()
