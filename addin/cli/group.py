"""The ``reform`` group and command classes: Japanese usage errors, ReformError as exit 2, Ctrl+C as 130."""

from __future__ import annotations

import logging
import os
import re
import sys

import click

from addin.errors import ReformError

__all__ = ["EXIT_OK", "EXIT_INVALID", "EXIT_USAGE", "EXIT_INTERRUPTED", "ReformCommand", "ReformGroup"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
log = logging.getLogger(__name__)


class ReformCommand(click.Command):
    """Turns a ReformError into a Japanese message and exit 2; anything unexpected is logged, not dumped."""

    def invoke(self, ctx: click.Context):
        from addin.xlsx.writer import collect_cuts

        with collect_cuts() as cuts:
            try:
                return self._invoke(ctx)
            finally:
                _echo_cuts(cuts)

    def _invoke(self, ctx: click.Context):
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


def _echo_cuts(cuts) -> None:
    """A text cut to fit a cell is said, never silent (the cell itself ends with a note)."""
    from addin.xlsx.writer import CELL_LIMIT

    for cut in cuts:
        click.echo(f"注意: {cut.path} のシート「{cut.sheet}」セル {cut.cell} の文字（{cut.length:,}文字）は Excel の1セルの上限"
                   f"（{CELL_LIMIT:,}文字）を超えるため、途中までにして省略の印を付けました。全文は --json の出力と提出された"
                   "ファイルにあります。", err=True)


class ReformGroup(click.Group):
    """Click's English usage errors become Japanese (exit 2); Ctrl+C is said in Japanese and exits 130."""

    command_class = ReformCommand

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx is not None else "reform"
            click.echo(f"エラー: {_usage_message(exc)}\n使い方は「{command} --help」で確かめられます。", err=True)
            code = EXIT_USAGE
        except click.ClickException as exc:
            click.echo(f"エラー: {exc.format_message()}", err=True)
            code = exc.exit_code
        except (click.Abort, KeyboardInterrupt, EOFError):
            click.echo("\n中断しました（Ctrl+C）。必要ならもう一度実行してください。", err=True)
            code = EXIT_INTERRUPTED
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else EXIT_OK)


_PATH_PROBLEMS = (  # click.Path's messages (English) → what to do
    (re.compile(r"'(.+)' does not exist\.$"), "{} がありません。ファイル名とフォルダを確かめてください。"),
    (re.compile(r"'(.+)' is a file\.$"), "{} はファイルです。フォルダを指定してください。"),
    (re.compile(r"'(.+)' is a directory\.$"), "{} はフォルダです。ファイルを指定してください。"),
    (re.compile(r"'(.+)' is not readable\.$"), "{} を読めません。権限を確かめてください。"),
    (re.compile(r"'(.+)' is not writable\.$"), "{} に書き込めません。権限を確かめてください。"),
    (re.compile(r"^(.+) is not in the range (.+)\.$"), "{} は範囲（{}）の外です。"),
    (re.compile(r"^'(.*)' is not one of (.+)\.$"), "{} は選べません（{} のどれかにしてください）。"),
    (re.compile(r"^'(.*)' is not a valid (?:integer|float|number)"), "{} は数として読めません。数を指定してください。"),
)
_EXTRA = re.compile(r"unexpected extra arguments? \((.+)\)")


def _param_name(exc: click.BadParameter) -> str:
    param = exc.param
    if param is None:
        return exc.param_hint if isinstance(exc.param_hint, str) else "引数"
    return param.opts[0] if isinstance(param, click.Option) else param.human_readable_name


def _usage_message(exc: click.UsageError) -> str:
    """A usage error in Japanese; our own messages (already Japanese) are kept as they are."""
    if isinstance(exc, click.MissingParameter):
        return f"{_param_name(exc)} を指定してください。"
    if isinstance(exc, click.NoSuchOption):
        near = f"（{'、'.join(exc.possibilities)} のことですか）" if exc.possibilities else ""
        return f"{exc.option_name} というオプションはありません{near}。"
    if isinstance(getattr(exc, "command_name", None), str):  # click's NoSuchCommand
        return f"{exc.command_name} というコマンドはありません。「reform --help」で一覧を見られます。"
    if isinstance(exc, click.BadOptionUsage):
        return f"{exc.option_name} の後に値を指定してください。"
    if isinstance(exc, click.BadParameter):
        for pattern, text in _PATH_PROBLEMS:
            found = pattern.search(exc.message)
            if found:
                return f"{_param_name(exc)}: {text.format(*found.groups())}"
        if exc.message.isascii():
            return f"{_param_name(exc)} の値が正しくありません（{exc.message}）。"
        return f"{_param_name(exc)}: {exc.message}"
    extra = _EXTRA.search(exc.message)
    if extra:
        return f"余分な引数 {extra.group(1)} があります。ファイル名に空白があるときは \"\" で囲んでください。"
    if isinstance(exc, click.exceptions.NoArgsIsHelpError):
        return "コマンドを指定してください。\n" + exc.format_message()
    return exc.message if not exc.message.isascii() else f"コマンドの指定が正しくありません（{exc.message}）。"
