"""Every command has a one-line summary and an Example; usage errors exit 2 with a Japanese message."""

import pytest
from click.testing import CliRunner

from addin.cli import cli

COMMANDS = ["demo", "sample-plan", "generate", "validate", "consolidate", "gantt", "export-finance", "build-addin", "publish", "plan-snapshot", "doctor", "bench"]


def test_the_commands_of_spec_exist():
    assert sorted(cli.commands) == sorted(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name):
    command = cli.commands[name]
    assert command.help and command.help.splitlines()[0].strip()
    assert f"Example: reform {name}" in command.help


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("reform ")


def test_a_year_outside_the_plan_is_a_usage_error(plan_path, tmp_path):
    result = CliRunner().invoke(cli, ["generate", str(plan_path), "--year", "R20", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "計画期間" in result.output


def test_a_broken_plan_exits_2_with_sheet_and_cell(tmp_path):
    import openpyxl

    path = tmp_path / "plan.xlsx"
    openpyxl.Workbook().save(path)
    result = CliRunner().invoke(cli, ["gantt", str(path), "--out", str(tmp_path / "g.xlsx")])
    assert result.exit_code == 2 and "シート「設定」がありません" in result.output
    assert "Traceback" not in result.output
