"""Every issue code: its severity, its Japanese label and the message a clerk reads.

This is the one place where codes meet words. Messages say what to do; the
place (file, sheet, cell, column) is put in front by :func:`make_issue`, so a
template only says what is wrong and how to fix it. ``{value}``, ``{column}``
and any keyword given to :func:`make_issue` may be used in a template.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from addin.validation.issues import ERROR, WARNING, Issue

__all__ = ["Code", "CODES", "Blank", "label", "make_issue", "where"]


@dataclass(frozen=True)
class Code:
    """An issue code of SPEC, "Validation" (plus ``altered_cell``, a warning of this tool)."""

    code: str
    severity: str
    label: str       # short, for the 区分 column of reports
    template: str    # what is wrong and what to do


CODES: dict[str, Code] = {c.code: c for c in (
    Code("unreadable", ERROR, "読めないファイル", "{reason}"),
    # Workbook-level codes: their messages are the templates of addin.validation.rules.RULES.
    Code("wrong_template", ERROR, "様式違い", "{detail}"),
    Code("wrong_plan", ERROR, "計画違い", "{detail}"),
    Code("wrong_year", ERROR, "年度違い", "{detail}"),
    Code("unknown_item", ERROR, "計画にない項目", "{detail}"),
    Code("missing_item", ERROR, "行の不足", "{detail}"),
    Code("duplicate_item", ERROR, "行の重複", "{detail}"),
    Code("required", ERROR, "未入力", "「{column}」が入力されていません。入力してください。"),
    Code("invalid_choice", ERROR, "選択肢以外",
         "「{value}」は選べない値です。{choices} のいずれかをリストから選んでください。"),
    Code("not_a_number", ERROR, "数値でない",
         "「{value}」を数値として読めません。{hint}"),
    Code("out_of_range", ERROR, "範囲外の値", "「{value}」は{detail}"),
    Code("too_long", ERROR, "文字数超過",
         "{length}文字あります。{limit}文字以内にまとめてください。"),
    Code("formula_without_value", ERROR, "未計算の数式",
         "数式の計算結果が保存されていません。Excel で開いて再計算（F9）し、上書き保存してから提出してください。"
         "数式を使わず値を直接入力しても構いません。"),
    Code("duplicate_submission", WARNING, "重複提出", "{detail}"),
    Code("altered_cell", WARNING, "固定セルの変更", "{detail}"),
)}


def label(code: str) -> str:
    """The Japanese label of a code (the code itself when unknown)."""
    found = CODES.get(code)
    return found.label if found else code


def where(file: str | None, sheet: str | None = None, cell: str | None = None, column: str | None = None) -> str:
    """``R8_財政課.xlsx のシート「入力」セル E5（自己評価）``: the place, in a clerk's words."""
    text = os.path.basename(str(file)) if file else ""
    if sheet:
        text += (" の" if text else "") + f"シート「{sheet}」"
    if cell:
        text += (" " if text else "") + f"セル {cell}" + (f"（{column}）" if column else "")
    elif column:
        text += (" の" if text else "") + f"列「{column}」"
    return text


def make_issue(code: str, file: str | None, sheet: str | None = None, cell: str | None = None,
               item_id: str | None = None, column: str | None = None, value: object = None,
               severity: str | None = None, text: str | None = None, **fmt: object) -> Issue:
    """An Issue whose message is ``text`` (or the code's template), prefixed with where the problem is."""
    spec = CODES[code]
    if text is None:
        fields = {"value": "" if value is None else value, "column": column or "", "item_id": item_id or "", **fmt}
        text = spec.template.format_map(Blank(fields))
    place = where(file, sheet, cell, column)
    if item_id and not cell:
        place += f"（項目ID {item_id}）"
    message = f"{place}: {text}" if place else text
    return Issue(severity or spec.severity, code, str(file) if file is not None else "", sheet, cell, item_id,
                 column, value, message)


class Blank(dict):
    """format_map helper: an unknown placeholder is left empty."""

    def __missing__(self, key: str) -> str:
        return ""
