"""Reading what a plan records of its life over the period, and checking it (SPEC, "Plan revisions").

The 計画 columns 状態 / 開始年度 / 終了年度 / 統合先 / 再掲元, the KPI column 旧指標名 and the sheets
KPI年度目標, 効果額目標 and 改定履歴 are all optional. Every problem is collected with its sheet and
cell, so the secretariat fixes them all at once (like every plan problem).
"""

from __future__ import annotations

from typing import Protocol, Sequence

from addin.fiscal import format_fiscal_year
from addin.normalize import NotANumber, clean_text, normalize_id, parse_amount_thousand_yen, parse_number
from addin.plan import layout as S
from addin.plan.model import Item, Kpi, Settings
from addin.plan.revisions import EffectTarget, Revision, YearTarget
from addin.vocab import ITEM_STATE_DEFAULT, ITEM_STATE_MERGED, ITEM_STATES, ITEM_STATES_ENDED, REVISION_KINDS
from addin.xlsx.tables import Table

__all__ = ["LifeCells", "read_item_life", "check_item_lives", "read_year_targets", "read_effect_targets",
           "read_revisions"]

LifeCells = dict[str, dict[str, str]]  # 項目ID -> column -> A1 address, for messages


class _Reader(Protocol):
    def problem(self, sheet: str, cell: str | None, message: str) -> None: ...
    def year(self, sheet: str, cell: str, value: object, label: str) -> int | None: ...
    def optional_table(self, workbook, sheet: str, required: Sequence[str]) -> Table | None: ...


def _period(settings: Settings | None) -> str:
    return f"{format_fiscal_year(settings.start_year)}～{format_fiscal_year(settings.end_year)}" if settings else ""


def _outside(settings: Settings | None, year: int | None) -> bool:
    return settings is not None and year is not None and not settings.start_year <= year <= settings.end_year


def read_item_life(reader: _Reader, table: Table, index: int, row: Sequence[object], item_id: str,
                   cells: LifeCells) -> dict:
    """The Item fields of 状態 / 開始年度 / 終了年度 / 統合先 / 再掲元 of one 計画 row (checked one by one)."""
    address = {name: table.address(index, name) for name in S.ITEM_OPTIONAL if name in table.columns}
    cells[item_id] = address
    state = clean_text(table.value(row, "状態")) or ITEM_STATE_DEFAULT
    if state not in ITEM_STATES:
        reader.problem(S.ITEMS_SHEET, address["状態"],
                       f"項目ID「{item_id}」の状態「{state}」は使えません。{'・'.join(ITEM_STATES)}のいずれかを入力してください。")
        state = ITEM_STATE_DEFAULT
    years = {}
    for name in ("開始年度", "終了年度"):
        value = table.value(row, name)
        years[name] = None if clean_text(value) is None else reader.year(S.ITEMS_SHEET, address[name], value, name)
    return {"state": state, "start_year": years["開始年度"], "end_year": years["終了年度"],
            "merged_into": normalize_id(table.value(row, "統合先")), "repeat_of": normalize_id(table.value(row, "再掲元"))}


def check_item_lives(reader: _Reader, items: list[Item], settings: Settings | None, cells: LifeCells) -> None:
    """The checks that need the other items: years inside the period, 統合先 and 再掲元 that make sense."""
    by_id = {item.item_id: item for item in items}
    for item in items:
        at = cells.get(item.item_id, {})
        _check_years(reader, item, settings, at)
        _check_merge(reader, item, by_id, settings, at)
        if item.repeat_of is not None:
            source = by_id.get(item.repeat_of)
            problem = ("は計画シートにありません" if source is None else "自身です" if source is item
                       else "も再掲の項目です（再掲元には元の項目を指定します）" if source.is_repeat else None)
            if problem:
                reader.problem(S.ITEMS_SHEET, at.get("再掲元"), f"項目ID「{item.item_id}」の再掲元「{item.repeat_of}」{problem}。")


def _check_years(reader: _Reader, item: Item, settings: Settings | None, at: dict[str, str]) -> None:
    start, end = item.start_year, item.end_year
    for name, year in (("開始年度", start), ("終了年度", end)):
        if _outside(settings, year):
            reader.problem(S.ITEMS_SHEET, at.get(name), f"項目ID「{item.item_id}」の{name}（{format_fiscal_year(year)}）が"
                                                        f"計画期間（{_period(settings)}）の外です。")
    if start is not None and end is not None and end < start:
        reader.problem(S.ITEMS_SHEET, at.get("終了年度"), f"項目ID「{item.item_id}」の終了年度（{format_fiscal_year(end)}）が"
                                                      f"開始年度（{format_fiscal_year(start)}）より前です。")
    if item.state in ITEM_STATES_ENDED and end is None:
        reader.problem(S.ITEMS_SHEET, at.get("終了年度", at.get("状態")),
                       f"項目ID「{item.item_id}」は状態が「{item.state}」なので、終了年度（最後に報告する年度）を入力してください。")


def _check_merge(reader: _Reader, item: Item, by_id: dict[str, Item], settings: Settings | None,
                 at: dict[str, str]) -> None:
    if item.state == ITEM_STATE_MERGED and item.merged_into is None:
        reader.problem(S.ITEMS_SHEET, at.get("統合先", at.get("状態")),
                       f"項目ID「{item.item_id}」は状態が「統合」なので、統合先の項目IDを入力してください。")
    if item.merged_into is None:
        return
    target = by_id.get(item.merged_into)
    if item.state != ITEM_STATE_MERGED:
        reader.problem(S.ITEMS_SHEET, at.get("状態"), f"項目ID「{item.item_id}」に統合先がありますが、状態が「統合」ではありません。")
    if target is None or target is item or target.is_repeat:
        why = "は計画シートにありません" if target is None else "自身です" if target is item else "は再掲の項目です"
        reader.problem(S.ITEMS_SHEET, at.get("統合先"), f"項目ID「{item.item_id}」の統合先「{item.merged_into}」{why}。")
        return
    last = item.end_year
    target_end = target.end_year or (settings.end_year if settings else None)
    if last is not None and target_end is not None and target_end <= last:
        reader.problem(S.ITEMS_SHEET, at.get("統合先"),
                       f"項目ID「{item.item_id}」の統合先「{target.item_id}」は{format_fiscal_year(target_end)}で終わるため、"
                       f"統合後（{format_fiscal_year(last + 1)}以降）に報告できません。統合先か終了年度を見直してください。")


def _year_in_period(reader: _Reader, sheet: str, cell: str, value: object, settings: Settings | None) -> int | None:
    year = reader.year(sheet, cell, value, "年度")
    if _outside(settings, year):
        reader.problem(sheet, cell, f"年度（{format_fiscal_year(year)}）が計画期間（{_period(settings)}）の外です。")
        return None
    return year


def read_year_targets(reader: _Reader, workbook, kpis: list[Kpi], settings: Settings | None) -> list[YearTarget]:
    """KPI年度目標: one target per KPI and year; a row for an unknown KPI is a problem with its cell."""
    table = reader.optional_table(workbook, S.YEAR_TARGET_SHEET, S.YEAR_TARGET_HEADERS)
    if table is None:
        return []
    known = {k.key for k in kpis}
    targets: dict[tuple[str, str, int], YearTarget] = {}
    sheet = S.YEAR_TARGET_SHEET
    for index, row in table.data_rows():
        item_id, name = normalize_id(table.value(row, "項目ID")), clean_text(table.value(row, "指標名"))
        if (item_id, name) not in known:
            reader.problem(sheet, table.address(index, "指標名"),
                           f"項目ID「{item_id or '（空欄）'}」の指標「{name or '（空欄）'}」はKPIシートにありません。")
            continue
        year = _year_in_period(reader, sheet, table.address(index, "年度"), table.value(row, "年度"), settings)
        target = _number(reader, sheet, table.address(index, "目標値"), table.value(row, "目標値"), parse_number)
        if year is None or target is None:
            continue
        if (item_id, name, year) in targets:
            reader.problem(sheet, table.address(index, "年度"), f"指標「{name}」の{format_fiscal_year(year)}の目標値が重複しています。")
            continue
        targets[(item_id, name, year)] = YearTarget(item_id, name, year, target, index + 1)
    return list(targets.values())


def read_effect_targets(reader: _Reader, workbook, item_ids: set[str], settings: Settings | None) -> list[EffectTarget]:
    """効果額目標: one amount (千円) per item and year."""
    table = reader.optional_table(workbook, S.EFFECT_TARGET_SHEET, S.EFFECT_TARGET_HEADERS)
    if table is None:
        return []
    targets: dict[tuple[str, int], EffectTarget] = {}
    sheet = S.EFFECT_TARGET_SHEET
    for index, row in table.data_rows():
        item_id = normalize_id(table.value(row, "項目ID"))
        if item_id not in item_ids:
            reader.problem(sheet, table.address(index, "項目ID"), f"項目ID「{item_id or '（空欄）'}」は計画シートにありません。")
            continue
        year = _year_in_period(reader, sheet, table.address(index, "年度"), table.value(row, "年度"), settings)
        column = "目標額（千円）"
        amount = _number(reader, sheet, table.address(index, column), table.value(row, column), parse_amount_thousand_yen)
        if year is None or amount is None:
            continue
        if (item_id, year) in targets:
            reader.problem(sheet, table.address(index, "年度"), f"項目ID「{item_id}」の{format_fiscal_year(year)}の目標額が重複しています。")
            continue
        targets[(item_id, year)] = EffectTarget(item_id, year, amount, index + 1)
    return list(targets.values())


def _number(reader: _Reader, sheet: str, cell: str, value: object, parse) -> float | None:
    try:
        number = parse(value)
    except NotANumber:
        number = None
    if number is None:
        reader.problem(sheet, cell, f"「{value if value is not None else '（空欄）'}」を数値として読めません。数値を入力してください。")
    return number


def read_revisions(reader: _Reader, workbook, item_ids: set[str], settings: Settings | None) -> list[Revision]:
    """改定履歴, in the order written; 項目ID may be blank for a change of the whole plan."""
    table = reader.optional_table(workbook, S.REVISION_SHEET, S.REVISION_HEADERS)
    if table is None:
        return []
    revisions = []
    sheet = S.REVISION_SHEET
    for index, row in table.data_rows():
        item_id = normalize_id(table.value(row, "項目ID"))
        if item_id is not None and item_id not in item_ids:
            reader.problem(sheet, table.address(index, "項目ID"), f"項目ID「{item_id}」は計画シートにありません。")
        kind = clean_text(table.value(row, "区分"))
        if kind not in REVISION_KINDS:
            reader.problem(sheet, table.address(index, "区分"), f"区分「{kind or '（空欄）'}」は使えません。"
                                                              f"{'・'.join(REVISION_KINDS)}のいずれかを入力してください。")
        year = _year_in_period(reader, sheet, table.address(index, "適用年度"), table.value(row, "適用年度"), settings)
        if year is None or kind not in REVISION_KINDS:
            continue
        date = table.value(row, "改定日")
        revisions.append(Revision(date if not isinstance(date, str) else clean_text(date), year, item_id, kind,
                                  *(clean_text(table.value(row, n)) for n in ("変更前", "変更後", "理由", "決定機関")),
                                  row=index + 1))
    return revisions
