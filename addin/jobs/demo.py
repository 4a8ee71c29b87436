"""``reform demo``: two fiscal years of the whole cycle on the embedded default plan.

R8: plan workbook → department workbooks → filled by the departments (sample answers from
``data/demo_entries.toml``; one department never answers, one answers with a mistake) → validation
report and send-back lists → consolidated report, JSON and history → finance export (xlsx and CSV)
→ publication set (公表_R8). Then the committee's grade is typed into the R8 report and R8 is
consolidated again; the plan is revised (``[second_year]`` of the same file) and R9 runs on the
revised plan over the same history database. Deterministic: the same contents every run.
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
from addin.forms import layout as T
from addin.forms.layout import workbook_name
from addin.plan.model import Item, Plan
from addin.plan.revisions import EffectTarget, Revision, YearTarget
from addin.vocab import ITEM_STATE_DONE, ITEM_STATE_NEW

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
    second_year: dict = field(default_factory=dict)  # the revision and answers of the demo's second year
    status_template: str | None = None  # 取組状況 of an item without a sample, with {name}


def load_demo_data(text: str | None = None) -> DemoData:
    """Read ``data/demo_entries.toml`` (or ``text``)."""
    if text is None:
        text = resources.files("addin").joinpath("data/demo_entries.toml").read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    return DemoData(raw["seed"], parse_fiscal_year(raw["year"]), raw.get("missing_department"),
                    raw.get("error_department"), raw.get("error", {}), raw["weights"]["grade"],
                    raw["weights"]["progress"], raw.get("items", {}), raw.get("contacts", {}),
                    raw.get("second_year", {}))


def _draw(rng: random.Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _full_width(text: str) -> str:
    return "".join(unicodedata.lookup(f"FULLWIDTH LATIN CAPITAL LETTER {c}") if "A" <= c <= "Z" else c for c in text)


def _effect_details(sample: dict) -> dict:
    """効果額の区分, 確定・見込 and 算定根拠 of a sample amount."""
    return {T.EFFECT_KIND: sample.get("effect_kind"), T.EFFECT_CERTAINTY: sample.get("certainty"),
            T.EFFECT_BASIS: sample.get("basis")}


def demo_answers(plan: Plan, data: DemoData) -> dict[str, tuple[dict, dict]]:
    """{department: (entries {項目ID: {header: value}}, kpis {(項目ID, 指標名): {header: value}})} for every department."""
    rng = random.Random(data.seed)
    answers: dict[str, tuple[dict, dict]] = {d: ({}, {}) for d in plan.departments}
    for item in plan.items:
        sample = data.items.get(item.item_id, {})
        template = data.status_template or "{name}について、計画に沿って取組を進めた。"
        statuses = sample.get("status") or [template.format(name=item.name)]
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
                **(_effect_details(sample) if n == 0 and sample.get("effect") is not None else {}),
                **({T.RESPONSE: sample["response"]} if sample.get("response") and n == 0 else {}),
            }
        if item.lead:
            for kpi in plan.kpis_by_item.get(item.item_id, []):
                actual = sample.get("kpi", {}).get(kpi.name)
                answers[item.lead][1][kpi.key] = {"実績値": actual}
    if data.error_department in answers and data.error:
        entries = answers[data.error_department][0]
        entries.setdefault(data.error["item"], {})[data.error["column"]] = data.error["value"]
    return answers


def second_year_data(data: DemoData) -> DemoData:
    """The answers of the second year: its own samples where given, else last year's carried on."""
    second = data.second_year
    items = {}
    for item_id, sample in data.items.items():
        items[item_id] = {"next": sample.get("next"), "effect": sample.get("effect"), "progress": sample.get("progress"),
                          "grade": sample.get("grade"), "effect_kind": sample.get("effect_kind"),
                          "basis": sample.get("basis"), "certainty": "見込み",  # R9's amounts are estimates
                          "kpi": {name: second["kpi"].get(name) for name in sample.get("kpi", {})}}
    for item_id, sample in second.get("items", {}).items():
        items.setdefault(item_id, {}).update(sample)
    return replace(data, seed=second["seed"], year=parse_fiscal_year(second["year"]), missing_department=None,
                   error_department=None, error={}, items=items, status_template=second["status"], second_year={})


def revise_plan(plan: Plan, data: DemoData) -> Plan:
    """The plan as revised for the second year: one item completed, one new item, one KPI target raised,
    and the 効果額目標 of the demo's assumption."""
    second = data.second_year
    year, first = parse_fiscal_year(second["year"]), data.year
    done, new, raised = second["completed"], second["new_item"], second["raised_target"]
    anchor = plan.item(new["after"])
    added = Item(new["item_id"], anchor.pillar, anchor.area, new["number"], new["name"], content=new["content"],
                 actions=new["actions"], in_charge=tuple(new["in_charge"]), state=ITEM_STATE_NEW, start_year=year)
    items = []
    for item in plan.items:
        items.append(replace(item, state=ITEM_STATE_DONE, end_year=first) if item.item_id == done["item"] else item)
        if item.item_id == anchor.item_id:
            items.append(added)
    kpi = plan.kpis_by_key[(raised["item"], raised["kpi"])]
    kpis = [replace(k, target=raised["target"]) if k is kpi else k for k in plan.kpis]

    def revision(item_id, kind, before, after, reason):
        return Revision(second["revised_on"], year, item_id, kind, before, after, reason, second["decided_by"])

    effect_targets = [EffectTarget(item_id, y, amount) for item_id, amounts in second.get("effect_targets", {}).items()
                      for y, amount in zip(plan.years, amounts)]
    return replace(plan, items=items, kpis=kpis, effect_targets=[*plan.effect_targets, *effect_targets], year_targets=[
        *plan.year_targets, YearTarget(kpi.item_id, kpi.name, year, raised["year_target"])], revisions=[
        *plan.revisions,
        revision(done["item"], "完了", "実施中", f"{format_fiscal_year(first)}で完了", done["reason"]),
        revision(added.item_id, "追加", None, added.name, new["reason"]),
        revision(kpi.item_id, "目標値変更", f"{kpi.target:g}{kpi.unit}", f"{raised['target']:g}{kpi.unit}", raised["reason"]),
    ])


def run_demo(out_dir: str | Path) -> list[Path]:
    """Run both demo years under ``out_dir`` and return every file written.

    R8 on the plan as printed; a committee grade typed on the R8 report and R8 consolidated again;
    the plan revised (``計画_R9.xlsx``); R9 on the revised plan over the same history database.
    """
    from addin.plan.default import default_plan
    from addin.plan.reader import read_plan
    from addin.plan.writer import write_plan

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = load_demo_data()
    plan = default_plan()
    plan = replace(plan, settings=replace(plan.settings, **data.contacts))
    written: list[Path] = [write_plan(plan, out / "計画.xlsx")]
    written += _run_year(plan, data, out)
    written += _committee_review(plan, data, out)
    written += _publish(out, data.year)  # after the committee: its grade is the final one the public sees
    second = second_year_data(data)
    revised = read_plan(write_plan(revise_plan(plan, data), out / f"計画_{format_fiscal_year(second.year)}.xlsx"))
    written.append(revised.source)
    written += _run_year(revised, second, out)
    written += _publish(out, second.year)
    return written


def _publish(out: Path, year: int) -> list[Path]:
    from addin.jobs.publish import publish

    label = format_fiscal_year(year)
    return publish(out / f"集約_{label}.xlsx", out / f"公表_{label}").paths


def _run_year(plan: Plan, data: DemoData, out: Path) -> list[Path]:
    """One year of the cycle: forms, the departments' answers, validation, consolidation, finance."""
    from openpyxl import load_workbook

    from addin.forms.fill import fill_department_workbook
    from addin.jobs.generate import generate_forms
    from addin.jobs.validate import validate_and_report
    from addin.reports.finance import export_finance

    year = data.year
    label = format_fiscal_year(year)
    blank = out / f"様式_{label}"
    written = generate_forms(plan, year, blank, out / "reform.db").paths  # R9's forms show R8's record
    returned = out / f"提出_{label}"
    if returned.exists():
        shutil.rmtree(returned)
    returned.mkdir(parents=True)
    year_plan = plan.in_year(year)
    answers = demo_answers(year_plan, data)
    for path in sorted(blank.glob("*.xlsx")):
        wb = load_workbook(path)
        department = next((d for d in year_plan.departments if path.name == workbook_name(label, d)), None)
        if department is None or department == data.missing_department:
            continue
        entries, kpis = answers[department]
        fill_department_workbook(wb, entries, kpis)
        target = returned / path.name
        written.append(atomic_write(target, wb.save))  # a full disk leaves no half workbook

    written += validate_and_report(plan, [returned], year, report=out / f"検証結果_{label}.xlsx",
                                   return_dir=out / f"差戻し_{label}").written
    result = _consolidate(plan, data, out)
    written += [result.report_path, out / f"集約_{label}.json", result.db_path]
    written += export_finance(result.report_path, out / f"財政課_{label}.xlsx", out / f"財政課CSV_{label}")
    return written


def _consolidate(plan: Plan, data: DemoData, out: Path):
    from addin.jobs.consolidate import consolidate
    from addin.jsonio import write_json

    label = format_fiscal_year(data.year)
    result = consolidate(plan, [out / f"提出_{label}"], data.year, out / f"集約_{label}.xlsx", db_path=out / "reform.db")
    write_json(result.to_json(), out / f"集約_{label}.json")
    return result


def _committee_review(plan: Plan, data: DemoData, out: Path) -> list[Path]:
    """The committee's grade and opinion typed into the first year's report, then that year consolidated again."""
    from openpyxl import load_workbook

    from addin.forms.fill import fill_sheet
    from addin.reports.status import COMMITTEE_COMMENT, COMMITTEE_GRADE, STATUS_SHEET

    review = data.second_year["committee"]
    report = out / f"集約_{format_fiscal_year(data.year)}.xlsx"
    wb = load_workbook(report)
    fill_sheet(wb[STATUS_SHEET], ("項目ID",), {review["item"]: {COMMITTEE_GRADE: review["grade"],
                                                               COMMITTEE_COMMENT: review["comment"]}})
    atomic_write(report, wb.save)
    result = _consolidate(plan, data, out)
    return [result.report_path]
