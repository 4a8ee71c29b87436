"""Usage errors and Ctrl+C are reported in Japanese, with no traceback; usage exits 2, Ctrl+C 130."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import click
import pytest
from click.testing import CliRunner

from addin.cli import cli

ENGLISH = ("Usage:", "Error:", "Missing", "No such", "does not exist", "Aborted", "Traceback", "Try '")


@pytest.mark.parametrize("args, said", [
    (["validate"], "PLAN を指定してください"),
    (["validate", "存在しない計画.xlsx", "提出"], "存在しない計画.xlsx がありません"),
    (["consolidate", "--bogus"], "--bogus というオプションはありません"),
    (["consolidat"], "consolidat というコマンドはありません"),
    (["gantt", "x.xlsx", "--out"], "--out の後に値を指定してください"),
    (["bench", "--departments", "0"], "範囲"),
    (["bench", "--departments", "many"], "数として読めません"),
    (["sample-plan", "a.xlsx", "b.xlsx"], "余分な引数 b.xlsx"),
])
def test_usage_errors_are_japanese_and_exit_2(args, said):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert said in result.output and "--help" in result.output
    assert not any(word in result.output for word in ENGLISH), result.output


def test_our_own_japanese_usage_messages_are_kept(plan_path):
    result = CliRunner().invoke(cli, ["gantt", str(plan_path), "--out", "x.xlsx", "--year", "R99"])
    assert result.exit_code == 2 and "--year" in result.output and "計画期間" in result.output


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, click.Abort])
def test_an_interrupted_command_says_so_in_japanese_and_exits_130(monkeypatch, tmp_path, interrupt):
    import addin.jobs.demo

    def stopped(out):
        raise interrupt()

    monkeypatch.setattr(addin.jobs.demo, "run_demo", stopped)
    result = CliRunner().invoke(cli, ["demo", "--out", str(tmp_path / "demo")])
    assert result.exit_code == 130 and "中断しました" in result.output
    assert not any(word in result.output for word in ENGLISH), result.output


def test_ctrl_c_in_a_real_process(tmp_path):
    # The real console entry point, with a stand-in for a long job that says when it has started.
    script = textwrap.dedent("""
        import sys, time
        import addin.jobs.demo

        def slow(out):
            print("started", flush=True)
            time.sleep(60)

        addin.jobs.demo.run_demo = slow
        from addin.cli import main
        sys.argv = ["reform", "demo", "--out", sys.argv[1]]
        main()
    """)
    process = subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "demo")], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, encoding="utf-8", cwd=os.getcwd())
    try:
        assert process.stdout.readline().strip() == "started"
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130
    assert "中断しました" in err and "Traceback" not in err + out and "Aborted" not in err + out
