"""Shared fixtures: the default plan, written plan workbooks, temporary folders."""

from __future__ import annotations

import pytest

from addin.plan.default import default_plan
from addin.plan.writer import write_plan


@pytest.fixture(scope="session")
def plan():
    """The embedded default plan."""
    return default_plan()


@pytest.fixture(scope="session")
def plan_path(tmp_path_factory, plan):
    """The default plan written as a plan workbook."""
    return write_plan(plan, tmp_path_factory.mktemp("plan") / "plan.xlsx")


import sys  # noqa: E402
from pathlib import Path  # noqa: E402

# The stand-in generator and other test helpers are plain modules beside the tests.
sys.path.insert(0, str(Path(__file__).parent))
