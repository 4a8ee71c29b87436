"""Plans and submissions built in memory: consolidation works on records, so its tests build records."""

from __future__ import annotations

from addin.plan.model import Bar, Item, Kpi, Plan, Settings
from addin.validation.submission import EntryRow, KpiRow, Submission


def small_plan(start: int = 2026, end: int = 2030, name: str = "テスト市行財政改革実施計画",
               city: str = "テスト市") -> Plan:
    """Two pillars, four items, three KPIs (one lower-is-better, one 比率), four departments."""
    items = [
        Item("1-(1)-1", "デジタル化の推進", "(1) 手続のオンライン化", "1", "行政手続のオンライン化",
             in_charge=("DX推進課", "市民課", "関係課")),
        Item("1-(1)-2", "デジタル化の推進", "(1) 手続のオンライン化", "2", "キャッシュレス決済の拡大",
             in_charge=("税務課",)),
        Item("1-(2)-1", "デジタル化の推進", "(2) 業務の効率化", "1", "ペーパーレス化の推進", in_charge=("総務課",)),
        Item("2-(1)-1", "健全な財政運営", "(1) 収入の確保", "1", "ふるさと納税の推進", in_charge=("税務課", "総務課")),
    ]
    kpis = [
        Kpi("1-(1)-1", "コンビニ交付率", "%", start - 2, 24, end, 30),
        Kpi("1-(2)-1", "コピー用紙の使用枚数", "万枚", start - 2, 629, end, 560),
        Kpi("2-(1)-1", "寄附額", "千円", start - 2, 150000, end, 250000, method="比率"),
    ]
    bars = [Bar("1-(1)-2", "①検討", start, start + 1), Bar("1-(1)-2", "②実施", start + 2, end)]
    return Plan(Settings(name, city, start, end, report_year=start), items, kpis, bars)


def submission(plan: Plan, department: str, year: int, entries: dict | None = None, kpis: dict | None = None,
               default_grade: str = "B") -> Submission:
    """A valid submission of ``department``: every assigned item, its led KPIs; ``entries`` {項目ID: {field: value}},
    ``kpis`` {指標名: actual}."""
    rows = []
    for n, item in enumerate(plan.items_for(department), start=5):
        values = {"status": f"{item.name}について計画どおり取り組んだ。", "grade": default_grade,
                  "progress": "予定どおり", "effect": 100, "next_steps": "引き続き取り組む。"}
        values.update((entries or {}).get(item.item_id, {}))
        rows.append(EntryRow(item.item_id, n, **values))
    kpi_rows = [KpiRow(k.item_id, k.name, n, actual=(kpis or {}).get(k.name), unit=k.unit)
                for n, k in enumerate(plan.kpis_led_by(department), start=5)]
    return Submission(f"R{year - 2018}_{department}.xlsx", department, year, plan.settings.plan_name, plan.fingerprint,
                      entries=rows, kpis=kpi_rows)


# R8's stage grades of the carry-over tests: a 事務局コメント on 1-(1)-1, a 委員会意見 (and grade) on 1-(1)-2.
R8_REVIEWED = [("1-(1)-1", "A", "B", None, "B", "根拠を示すこと", None), ("1-(1)-2", "B", None, "C", "C", None, "見直しを")]


def store_year(db, plan: Plan, year: int, submissions: list[Submission], grades: list[tuple]) -> None:
    """A consolidated year in the history at ``db``: its submissions and its stage grades."""
    from addin.consolidation.history import History

    with History(db) as h:
        h.store(plan.settings.plan_name, plan.fingerprint, year, submissions)
        h.store_grades(plan.settings.plan_name, year, grades)
