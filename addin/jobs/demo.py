"""``reform demo``: one fiscal year of the whole cycle on the embedded default plan.

plan workbook → department workbooks → filled by the departments (sample
answers from ``data/demo_entries.toml``; one department never answers, one
answers with a mistake) → validation report and send-back lists →
consolidated report, JSON and history → finance export (xlsx and CSV) → publication set (公表_R8).
Deterministic: the same files every run.
"""

from __future__ import annotations

import random
import shutil
import unicodedata
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import tomllib

from addin.atomic import atomic_write
from addin.fiscal import format_fiscal_year, parse_fiscal_year
from addin.forms.layout import workbook_name
from addin.plan.model import Plan

__all__ = ["DemoData", "load_demo_data", "demo_answers", "run_demo"]


@dataclass
class DemoData:
    """The sample answers: per item texts and values, weights for what is drawn, who is missing or wrong."""

    seed: int
    year: int
    missing_department: str | None
    error_department: str | None
    error: dict
    grade_weights: dict[str, int]
    progress_weights: dict[str, int]
    items: dict[str, dict] = field(default_factory=dict)
    contacts: dict[str, str] = field(default_factory=dict)  # 設定: deadline, submit_to, contact


def load_demo_data(text: str | None = None) -> DemoData:
    """Read ``data/demo_entries.toml`` (or ``text``)."""
    if text is None:
        text = resources.files("addin").joinpath("data/demo_entries.toml").read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    return DemoData(raw["seed"], parse_fiscal_year(raw["year"]), raw.get("missing_department"),
                    raw.get("error_department"), raw.get("error", {}), raw["weights"]["grade"],
                    raw["weights"]["progress"], raw.get("items", {}), raw.get("contacts", {}))


def _draw(rng: random.Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _full_width(text: str) -> str:
    return "".join(unicodedata.lookup(f"FULLWIDTH LATIN CAPITAL LETTER {c}") if "A" <= c <= "Z" else c for c in text)


def demo_answers(plan: Plan, data: DemoData) -> dict[str, tuple[dict, dict]]:
    """{department: (entries {項目ID: {header: value}}, kpis {(項目ID, 指標名): {header: value}})} for every department."""
    rng = random.Random(data.seed)
    answers: dict[str, tuple[dict, dict]] = {d: ({}, {}) for d in plan.departments}
    for item in plan.items:
        sample = data.items.get(item.item_id, {})
        statuses = sample.get("status") or [f"{item.name}について、計画に沿って取組を進めた。"]
        for n, dept in enumerate(item.departments):
            grade = sample.get("grade") or _draw(rng, data.grade_weights)
            if rng.random() < 0.1:
                grade = _full_width(grade)  # some clerks type Ａ
            answers[dept][0][item.item_id] = {
                "取組状況": statuses[n % len(statuses)],
                "自己評価": grade,
                "進捗": sample.get("progress") or _draw(rng, data.progress_weights),
                "効果額（千円）": sample.get("effect") if n == 0 else None,  # the lead reports the amount
                "今後の課題・方向性": sample.get("next"),
            }
        if item.lead:
            for kpi in plan.kpis_by_item.get(item.item_id, []):
                actual = sample.get("kpi", {}).get(kpi.name)
                answers[item.lead][1][kpi.key] = {"実績値": actual}
    if data.error_department in answers and data.error:
        entries = answers[data.error_department][0]
        entries.setdefault(data.error["item"], {})[data.error["column"]] = data.error["value"]
    return answers


def run_demo(out_dir: str | Path) -> list[Path]:
    """Run the whole cycle under ``out_dir`` and return every file written."""
    from openpyxl import load_workbook

    from addin.forms.fill import fill_department_workbook
    from addin.forms.generate import generate_workbooks
    from addin.jobs.consolidate import consolidate
    from addin.jobs.validate import validate_and_report
    from addin.jobs.publish import publish
    from addin.jsonio import write_json
    from addin.plan.default import default_plan
    from addin.plan.writer import write_plan
    from addin.reports.finance import export_finance

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = load_demo_data()
    plan = default_plan()
    plan = replace(plan, settings=replace(plan.settings, **data.contacts))
    year = data.year
    label = format_fiscal_year(year)
    written: list[Path] = [write_plan(plan, out / "計画.xlsx")]

    blank = out / f"様式_{label}"
    written += generate_workbooks(plan, year, blank)
    returned = out / f"提出_{label}"
    if returned.exists():
        shutil.rmtree(returned)
    returned.mkdir(parents=True)
    answers = demo_answers(plan, data)
    for path in sorted(blank.glob("*.xlsx")):
        wb = load_workbook(path)
        department = next((d for d in plan.departments if path.name == workbook_name(label, d)), None)
        if department is None or department == data.missing_department:
            continue
        entries, kpis = answers[department]
        fill_department_workbook(wb, entries, kpis)
        target = returned / path.name
        written.append(atomic_write(target, wb.save))  # a full disk leaves no half workbook

    written += validate_and_report(plan, [returned], year, report=out / f"検証結果_{label}.xlsx",
                                   return_dir=out / f"差戻し_{label}").written

    result = consolidate(plan, [returned], year, out / f"集約_{label}.xlsx", db_path=out / "reform.db")
    written += [result.report_path, write_json(result.to_json(), out / f"集約_{label}.json"), result.db_path]
    written += export_finance(result.report_path, out / f"財政課_{label}.xlsx", out / f"財政課CSV_{label}")
    written += publish(result.report_path, out / f"公表_{label}")
    return written
