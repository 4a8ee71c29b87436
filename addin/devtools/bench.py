"""``reform bench``: time generate / validate / consolidate on N synthetic departments, honestly.

Every phase runs in a fresh Python process on the same files, so wall time and
peak memory (max RSS of the process and its workers) are those a user sees.
From the same run it prints the ratio to (a) the script a secretariat would
write by hand (pandas ``read_excel(sheet_name=None, header=None)`` of every
file, concat, ``to_excel``) and (b) a floor: a python-calamine read of every
sheet plus an openpyxl write-only dump of the rows.

``header=None`` because row 1 of a department workbook is its title, which names
the department: with pandas' default header row every file brings its own
columns, and the concatenated table is thousands of columns wide (at 1,000
departments it ran for more than 8 minutes and 1.6 GiB), which is not a script
anyone would keep.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from addin.fiscal import format_fiscal_year
from addin.plan.model import Item, Kpi, Plan, Settings

__all__ = ["synthetic_plan", "prepare", "run_bench", "ITEMS_PER_DEPARTMENT"]

ITEMS_PER_DEPARTMENT = 12
KPIS_PER_DEPARTMENT = 4
YEAR = 2026
_PROGRESS = ("予定どおり", "予定どおり", "前倒し", "遅れ", "完了")
_GRADES = ("A", "B", "B", "C", "-")


def synthetic_plan(departments: int) -> Plan:
    """A plan with ``departments`` departments of 12 items and 4 KPIs each (R8–R12)."""
    items, kpis = [], []
    for d in range(departments):
        dept = f"第{d + 1:05d}課"
        for i in range(ITEMS_PER_DEPARTMENT):
            item_id = f"{d + 1}-({i // 4 + 1})-{i % 4 + 1}"
            items.append(Item(item_id, f"重点項目{d % 3 + 1}", f"({i // 4 + 1}) 取組{i // 4 + 1}", str(i % 4 + 1),
                              f"改革項目{d + 1}-{i + 1}", content="推進内容", actions="①検討\n②実施", in_charge=(dept,)))
            if i < KPIS_PER_DEPARTMENT:
                kpis.append(Kpi(item_id, f"指標{i + 1}", "%" if i % 2 else "件", 2024, 10.0 + i, 2030, 50.0 + i))
    settings = Settings("ベンチマーク計画", "ベンチ市", 2026, 2030, report_year=YEAR)
    return Plan(settings, items, kpis, [])


def _fill(plan: Plan, department: str, index: int):
    """A generated workbook for ``department`` with every input cell filled."""
    from addin.forms import layout as T
    from addin.forms.generate import build_department_workbook
    from addin.xlsx.tables import find_table

    wb = build_department_workbook(plan, department, YEAR)
    for sheet, headers, values in (
        (T.INPUT_SHEET, T.INPUT_HEADERS + T.EFFECT_HEADERS, lambda r: {
            "取組状況": f"令和8年度は計画どおり取組を進め、{r + 1}件の見直しを行った。", "自己評価": _GRADES[(index + r) % 5],
            "進捗": _PROGRESS[(index + r) % 5], "効果額（千円）": (index * 7 + r * 13) % 5000,
            "今後の課題・方向性": "引き続き取組を進める。", T.EFFECT_KIND: "歳出削減",
            T.EFFECT_CERTAINTY: "確定" if r % 3 else "見込み", T.EFFECT_BASIS: "委託料の見直しによる削減",
            T.NEXT_YEAR_EFFECT: (index + r) % 700}),
        (T.KPI_SHEET, T.KPI_HEADERS, lambda r: {"実績値": 20 + (index + r) % 30, "備考": None}),
    ):
        ws = wb[sheet]
        rows = [[c.value for c in row] for row in ws.iter_rows(max_row=T.HEADER_ROW + 1)]
        table = find_table(rows, headers)
        for r, row_index in enumerate(range(table.header_row + 2, ws.max_row + 1)):
            for name, value in values(r).items():
                ws.cell(row=row_index, column=table.columns[name] + 1, value=value)
    return wb


def prepare(departments: int, out: Path) -> tuple[Path, Path, float]:
    """Write the plan and the filled department workbooks (reused when present); returns (plan, folder, seconds)."""
    from addin.plan.writer import write_plan

    plan = synthetic_plan(departments)
    base = out / f"n{departments}"
    submissions = base / "提出"
    plan_path = base / "plan.xlsx"
    marker = base / "ready.json"
    if marker.exists() and plan_path.exists():
        return plan_path, submissions, 0.0
    submissions.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    write_plan(plan, plan_path)
    indexes = list(range(len(plan.departments)))
    chunks = [(departments, submissions, indexes[i:i + 50]) for i in range(0, len(indexes), 50)]
    if len(chunks) > 1 and (os.cpu_count() or 1) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor() as pool:
            list(pool.map(_write_filled, chunks))
    else:
        for chunk in chunks:
            _write_filled(chunk)
    marker.write_text(json.dumps({"departments": departments}), encoding="utf-8")
    return plan_path, submissions, time.perf_counter() - started


@lru_cache(maxsize=1)
def _plan_of_worker(departments: int) -> Plan:
    return synthetic_plan(departments)


def _write_filled(job: tuple[int, Path, list[int]]) -> None:
    """Write the filled workbooks of some departments (a worker builds the synthetic plan once: cheaper than pickling it)."""
    departments, folder, indexes = job
    plan = _plan_of_worker(departments)
    for index in indexes:
        dept = plan.departments[index]
        _fill(plan, dept, index).save(folder / f"{format_fiscal_year(YEAR)}_{dept}.xlsx")


# Each phase is a small program run in its own process; {plan}, {inputs}, {out} are filled in.
_PHASES = {
    "generate": "from addin.plan.reader import read_plan; from addin.forms.generate import generate_workbooks\n"
                "generate_workbooks(read_plan(r'{plan}'), 2026, __import__('pathlib').Path(r'{out}') / 'generated')",
    "validate": "from addin.plan.reader import read_plan; from addin.validation.validate import validate_inputs\n"
                "validate_inputs(read_plan(r'{plan}'), [__import__('pathlib').Path(r'{inputs}')], 2026)",
    "validate+consolidate": "from pathlib import Path; from addin.plan.reader import read_plan; from addin.jobs.consolidate import consolidate\n"
                            "consolidate(read_plan(r'{plan}'), [Path(r'{inputs}')], 2026, Path(r'{out}') / '集約.xlsx', db_path=Path(r'{out}') / 'bench.db')",
    "pandas (hand-written)": "import pandas as pd; from pathlib import Path\n"
                             "frames = []\n"
                             "for p in sorted(Path(r'{inputs}').glob('*.xlsx')):\n"
                             "    for name, df in pd.read_excel(p, sheet_name=None, header=None).items():\n"
                             "        df['file'] = p.name; df['sheet'] = name; frames.append(df)\n"
                             "pd.concat(frames).to_excel(Path(r'{out}') / 'pandas.xlsx', index=False)",
    "floor (calamine + write-only)": "from pathlib import Path; from python_calamine import CalamineWorkbook; from openpyxl import Workbook\n"
                                     "wb = Workbook(write_only=True); ws = wb.create_sheet('all')\n"
                                     "for p in sorted(Path(r'{inputs}').glob('*.xlsx')):\n"
                                     "    book = CalamineWorkbook.from_path(str(p))\n"
                                     "    for name in book.sheet_names:\n"
                                     "        for row in book.get_sheet_by_name(name).to_python():\n"
                                     "            ws.append([p.name, name, *row])\n"
                                     "wb.save(Path(r'{out}') / 'floor.xlsx')",
}


@dataclass
class Timing:
    phase: str
    seconds: float
    peak_mib: float


def _tree_rss_mib(root: int) -> float:
    """Resident memory of a process and all its descendants (Linux /proc), in MiB."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(rss.get(pid, 0) for pid in tree) / 2**20


def _run_phase(name: str, code: str) -> Timing:
    """Run one phase in a fresh process; peak memory sums the process and its workers."""
    root = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    # stderr goes to a file, not a pipe: openpyxl warns once per file, and a full pipe would stall the phase.
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL, stderr=errors)
        peak = 0.0
        sample = os.path.isdir("/proc")
        while proc.poll() is None:
            if sample:
                peak = max(peak, _tree_rss_mib(proc.pid))
            time.sleep(0.1)
        seconds = time.perf_counter() - started
        if proc.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"{name} failed: {errors.read().decode('utf-8', 'replace')[-2000:]}")
    return Timing(name, seconds, peak)


def run_bench(departments: int, out: Path) -> str:
    """Prepare the files, time every phase in its own process and return the table as text."""
    plan_path, inputs, prep_seconds = prepare(departments, out)
    work = out / f"n{departments}" / "work"
    work.mkdir(parents=True, exist_ok=True)
    timings = {name: _run_phase(name, code.format(plan=plan_path, inputs=inputs, out=work)) for name, code in _PHASES.items()}
    ours = timings["validate+consolidate"].seconds
    pandas_s = timings["pandas (hand-written)"].seconds
    floor_s = timings["floor (calamine + write-only)"].seconds
    lines = [f"reform bench: {departments} departments × {ITEMS_PER_DEPARTMENT} items "
             f"({departments * ITEMS_PER_DEPARTMENT} entry rows), cpu={os.cpu_count()}",
             f"{'phase':<32}{'seconds':>10}{'peak MiB':>10}"]
    lines += [f"{t.phase:<32}{t.seconds:>10.2f}{t.peak_mib:>10.0f}" for t in timings.values()]
    lines += [f"validate+consolidate / pandas script = {ours / pandas_s:.2f}×  (target ≤ 0.35×)",
              f"validate+consolidate / floor         = {ours / floor_s:.2f}×  (target ≤ 2.5×)"]
    if prep_seconds:
        lines.append(f"(prepared {departments} filled workbooks in {prep_seconds:.1f} s; reused on the next run)")
    return "\n".join(lines)
