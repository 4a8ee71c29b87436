"""An R8 → R9 cycle over one history database, for the tests of every year-over-year feature.

R8 consolidated, the plan revised for R9 (an item completed, one new, a repeat, a KPI target
raised, 効果額目標), R9 consolidated over the same history. The tests check numbers against what
this module typed into the forms, never against the report.
"""

from __future__ import annotations

import json
from dataclasses import replace

import openpyxl
from records import small_plan

from addin.forms.fill import fill_department_workbook
from addin.forms.generate import generate_workbooks
from addin.jobs.consolidate import consolidate
from addin.plan.model import Item
from addin.plan.reader import read_plan
from addin.plan.revisions import EffectTarget, Revision, YearTarget
from addin.plan.writer import write_plan

R8, R9, R10 = 2026, 2027, 2028
CONBINI = ("1-(1)-1", "コンビニ交付率")


def revise(plan):
    """1-(1)-2 完了 in R8, 1-(2)-2 新規 from R9, 2-(1)-2 repeats 1-(1)-1, コンビニ交付率 target 30 → 35 (R9: 28)."""
    items = [replace(i, state="完了", end_year=R8) if i.item_id == "1-(1)-2" else i for i in plan.items]
    items.insert(3, Item("1-(2)-2", "デジタル化の推進", "(2) 業務の効率化", "2", "文書管理の電子化",
                         in_charge=("総務課",), state="新規", start_year=R9))
    items.append(Item("2-(1)-2", "健全な財政運営", "(1) 収入の確保", "2", "行政手続のオンライン化",
                      in_charge=("DX推進課",), repeat_of="1-(1)-1"))
    kpis = [replace(k, target=35) if (k.item_id, k.name) == CONBINI else k for k in plan.kpis]
    return replace(plan, items=items, kpis=kpis, year_targets=[YearTarget(*CONBINI, R9, 28.0)],
                   effect_targets=[EffectTarget(i, y, t) for i, by_year in EFFECT_TARGETS.items() for y, t in by_year.items()],
                   revisions=[
        Revision("令和9年3月", R9, "1-(1)-2", "完了", "実施中", "完了", "キャッシュレス決済を全窓口に導入したため", "推進本部"),
        Revision("令和9年3月", R9, "1-(2)-2", "追加", None, "文書管理の電子化", "ペーパーレス化を進めるため", "推進本部"),
        Revision("令和9年3月", R9, "1-(1)-1", "目標値変更", "30%", "35%", "R8で目標に近づいたため", "推進本部"),
    ])


# 効果額目標 of the revised plan: R10 has a target and nobody reports R10 (a blank, never 0).
EFFECT_TARGETS = {"1-(1)-1": {R8: 500, R9: 600, R10: 700}, "2-(1)-1": {R8: 400, R9: 450}, "1-(2)-2": {R9: 100}}


def estimated(item_id: str, department: str, year: int) -> bool:
    """Which parts are typed as 見込み: 2-(1)-1 of 総務課 in R9 only."""
    return (item_id, department, year) == ("2-(1)-1", "総務課", R9)


def effect_of(item_id: str, department: str, year: int) -> int:
    """A distinct amount per item, department and year, so a sum that counts a row twice or misses one is wrong."""
    return 1000 * (year - R8 + 1) + 10 * sum(map(ord, item_id)) % 97 + len(department)


def submit(plan, year, forms, conbini):
    """Generate and fill every department's form; returns {(項目ID, department): 効果額} as typed."""
    typed = {}
    for path in generate_workbooks(plan, year, forms):
        department = path.stem.split("_", 1)[1]
        wb = openpyxl.load_workbook(path)
        items = plan.in_year(year).items_for(department)
        entries = {}
        for i in items:
            typed[(i.item_id, department)] = effect_of(i.item_id, department, year)
            entries[i.item_id] = {"取組状況": f"{i.name}を{year}年度に進めた（{department}）。", "自己評価": "B",
                                  "進捗": "予定どおり", "効果額（千円）": typed[(i.item_id, department)],
                                  "効果額の区分": "歳入確保" if i.item_id.startswith("2-") else "歳出削減",
                                  "算定根拠": "委託料の見直し",
                                  "確定・見込": "見込み" if estimated(i.item_id, department, year) else None,
                                  "今後の課題・方向性": "引き続き進める。"}
        kpis = {(k.item_id, k.name): {"実績値": conbini if (k.item_id, k.name) == CONBINI else k.baseline}
                for k in plan.in_year(year).kpis_led_by(department)}
        fill_department_workbook(wb, entries, kpis)
        wb.save(path)
    return typed


def report_json(tmp_path, plan, year, forms, out, db):
    result = consolidate(plan, [forms], year, out, db_path=db)
    if result.run.exit_code != 0:
        raise AssertionError([i.message for f in result.run.files for i in f.issues])
    return json.loads(json.dumps(result.to_json(), ensure_ascii=False))


def build_cycle(tmp):
    """Both years written under ``tmp``: forms in R8/ and R9/, reports and reform.db in 出力/."""
    db = tmp / "出力" / "reform.db"
    r8_plan = read_plan(write_plan(small_plan(), tmp / "計画_R8.xlsx"))
    typed8 = submit(r8_plan, R8, tmp / "R8", conbini=26)
    r8 = report_json(tmp, r8_plan, R8, tmp / "R8", tmp / "出力" / "集約_R8.xlsx", db)
    r9_plan = read_plan(write_plan(revise(r8_plan), tmp / "計画_R9.xlsx"))
    typed9 = submit(r9_plan, R9, tmp / "R9", conbini=27)
    r9 = report_json(tmp, r9_plan, R9, tmp / "R9", tmp / "出力" / "集約_R9.xlsx", db)
    return dict(tmp=tmp, db=db, r8_plan=r8_plan, r9_plan=r9_plan, typed8=typed8, typed9=typed9, r8=r8, r9=r9)
