"""The embedded default plan (第2次二本松市市政改革推進行動計画, R8–R12), read from readable data."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import tomllib

from addin.fiscal import parse_fiscal_year
from addin.plan.model import Bar, Item, Kpi, Plan, Settings, split_departments

__all__ = ["default_plan", "plan_from_toml"]

_AREA_NUMBER = re.compile(r"^\s*[(（]\s*(\d+)\s*[)）]")


def plan_from_toml(text: str) -> Plan:
    """Build a Plan from the nested pillars → areas → items TOML layout of ``data/default_plan.toml``."""
    data = tomllib.loads(text)
    raw = data["settings"]
    start, end = parse_fiscal_year(raw["start_year"]), parse_fiscal_year(raw["end_year"])
    settings = Settings(
        plan_name=raw["plan_name"], municipality=raw["municipality"], start_year=start, end_year=end,
        report_year=parse_fiscal_year(raw["report_year"]) if raw.get("report_year") else None,
        deadline=raw.get("deadline"), submit_to=raw.get("submit_to"), contact=raw.get("contact"),
    )
    base_year = parse_fiscal_year(raw.get("kpi_baseline_year", "R6"))
    items: list[Item] = []
    kpis: list[Kpi] = []
    bars: list[Bar] = []
    for p_index, pillar in enumerate(data["pillars"], start=1):
        for a_index, area in enumerate(pillar["areas"], start=1):
            match = _AREA_NUMBER.match(area["name"])
            area_no = int(match.group(1)) if match else a_index
            for entry in area["items"]:
                item_id = f"{p_index}-({area_no})-{entry['no']}"
                items.append(Item(
                    item_id=item_id, pillar=pillar["name"], area=area["name"], number=str(entry["no"]),
                    name=entry["name"], continuing=entry.get("continuing", False), content=entry.get("content", ""),
                    actions=entry.get("actions", ""), in_charge=split_departments(entry["in_charge"]),
                ))
                for kpi in entry.get("kpis", []):
                    kpis.append(Kpi(item_id, kpi["name"], kpi["unit"], parse_fiscal_year(kpi.get("baseline_year", base_year)),
                                    kpi["baseline"], parse_fiscal_year(kpi.get("target_year", end)), kpi["target"],
                                    kpi.get("method", "改善")))
                for bar in entry.get("bars", []):
                    bars.append(Bar(item_id, bar["label"], parse_fiscal_year(bar["start"]), parse_fiscal_year(bar["end"])))
    return Plan(settings, items, kpis, bars, source="（内蔵の標準計画）")


@lru_cache(maxsize=1)
def default_plan() -> Plan:
    """The embedded default plan: 36 items, 13 KPIs, R8–R12."""
    text = resources.files("addin").joinpath("data/default_plan.toml").read_text(encoding="utf-8")
    return plan_from_toml(text)
