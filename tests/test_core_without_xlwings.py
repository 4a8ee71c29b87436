"""The core must import and run with xlwings unimportable: only addin.excel may use it."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_core_imports_without_xlwings(tmp_path):
    code = (
        "import sys; sys.modules['xlwings'] = None\n"
        "import pkgutil, importlib, addin\n"
        "for m in pkgutil.walk_packages(addin.__path__, 'addin.'):\n"
        "    if not m.name.startswith('addin.excel') and m.name != 'addin.__main__':\n"
        "        importlib.import_module(m.name)\n"
        "from addin.plan.default import default_plan\n"
        "from addin.plan.writer import write_plan\n"
        f"write_plan(default_plan(), r'{tmp_path / 'p.xlsx'}')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_only_the_excel_layer_mentions_xlwings():
    offenders = [p for p in (ROOT / "addin").rglob("*.py")
                 if "excel" not in p.relative_to(ROOT / "addin").parts and "import xlwings" in p.read_text(encoding="utf-8")]
    assert offenders == []

