"""Every issue code, its severity, its Japanese label and the messages a clerk reads; and the Issue value.

This is the one place where codes meet words. An :class:`Issue` keeps its
code, its place (file, sheet, cell, item, column), the value as typed and the
details of the situation (template parameters); its Japanese message is built
from the table below when it is shown (``issue.text``, ``issue.message``), and
nothing ever parses a message back.

A code has one template, and a variant per situation where one template would
not say what to do (``wrong_template`` for a missing sheet differs from a
renamed one). To add a code: add a ``Code`` row (code, severity, label,
template, optionally ``variants``) and call ``make_issue("code", file, sheet,
cell, item_id, column, value, variant=..., **details)``. A template may use
``{value}``, ``{column}``, ``{item_id}`` and any detail; numbers are written
the way people write them (``5,600,000``), text exactly as typed.

The :class:`Issue` lives here, beside the table it renders from, so that an
issue can show its own message without an import cycle;
:mod:`addin.validation.issues` is its public home.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Mapping

__all__ = ["ERROR", "WARNING", "Code", "CODES", "Issue", "label", "make_issue", "where", "shown", "render"]

ERROR = "error"
WARNING = "warning"

_REDO = "事務局が配布した様式に入力し直して、提出し直してください。"
_MOVE_AND_DELETE = "入力した内容を該当する改革項目の行に移してから、この行を削除してください。"
NOTHING = "なし"  # an empty list in a message (plan_changed: nothing added, nothing removed)
_NOT_CONSOLIDATED = "有効な提出が1件もないため、集約しませんでした（集約結果と履歴データベースは変更していません）。"
_ALLOW_EMPTY = ("提出がないことをあえて記録する場合だけ、--allow-empty を付けて実行してください（その年度の履歴は"
                "置き換えられます。置き換える前の履歴データベースはバックアップに残ります）。")
_WAIT_AND_RETRY = "しばらく待ってから、やり直してください。"
_NOT_CARRIED = "事務局評価・委員会評価などの入力を引き継げないため、集約を中止しました（何も書き換えていません）。"


@dataclass(frozen=True)
class Code:
    """An issue code of SPEC, "Validation" (plus the warnings ``altered_cell`` and ``reinterpreted`` of this tool)."""

    code: str
    severity: str
    label: str       # short, for the 区分 column of reports
    template: str    # what is wrong and what to do
    variants: Mapping[str, str] = field(default_factory=dict)  # situation -> its own template

    def template_for(self, variant: str | None) -> str:
        """The template of one situation (the code's own when the variant is unknown or None)."""
        return self.variants.get(variant, self.template) if variant else self.template


CODES: dict[str, Code] = {c.code: c for c in (
    # The reasons are the refusals of addin.xlsx.guard (each says what to do), passed as a detail.
    Code("unreadable", ERROR, "読めないファイル", "{reason}", {
        # What is found while the input folders are walked, before any file is opened.
        "symlink_loop": "リンク（シンボリックリンク）が循環していて、元のファイルにたどり着けないため開けません。"
                        "リンクを削除し、元のファイルをこのフォルダに置いてください。",
        "undecodable_name": "ファイル名に読み取れない文字が含まれているため開けません（{shown_name}）。"
                            "ファイル名を変更してから、もう一度実行してください。",
        "folder_no_access": "フォルダを開けません（{error}）。読み取りの権限があるか確認し、"
                            "中のファイルを読めるフォルダに移してから、もう一度実行してください。",
        "crashed": "このファイルを読み込む途中で、読み取りの処理が異常終了しました（ほかのファイルは検証を続けました）。"
                   "Excel で開いて不要な行・列やシートを削除し、上書き保存し直したものを提出してもらってください。",
        "linked_folder": "リンク（シンボリックリンク）のフォルダは、ほかの場所のファイルを読み込まないよう読み飛ばしました。"
                         "中のファイルを直接このフォルダに置いてください。",
        # Refusals of a whole run: a file another run is using right now.
        "database_busy": "履歴データベース {path} は別の処理が使用中です（別の集約が書き込み中など）。"
                         "別のファイルを指定せず、" + _WAIT_AND_RETRY,
        "previous_report": "前回の集約結果を読めません（{reason}）。" + _NOT_CARRIED + "Excel で開けるか確かめてください。"
                           "開けない場合は、同じフォルダのバックアップ（{backup}）を元のファイル名に戻すか、"
                           "このファイルを別のフォルダに移してからやり直してください。",
        "output_busy": "{path} は別の集約（{owner}）が処理中です。{waited}秒待っても終わりませんでした。"
                       "別の集約が終わるまで" + _WAIT_AND_RETRY,
    }),
    Code("wrong_template", ERROR, "様式違い",
         "この課の入力様式ではないか、シートや見出しが消されています。" + _REDO, {
             "missing_sheet": "シート「{sheet}」がありません。シート名を変えた場合は、シート名を「{sheet}」に戻してください。"
                              "シートを削除した場合は、" + _REDO,
             "renamed_sheet": "シート「{sheet}」の名前が「{found}」に変わっています。シート名を「{sheet}」に戻してください。",
             "missing_headers": "シート「{sheet}」に見出し（{missing}）が見つかりません。見出しを書き換えた場合は元に戻してください。"
                                "戻せない場合は、" + _REDO,
             "report_missing_sheet": "前回の集約結果にシート「{sheet}」がありません。" + _NOT_CARRIED
                                     + "シート名を変えた場合は「{sheet}」に戻してからやり直してください。集約結果ではない"
                                       "ファイルなら、別の出力先を指定してください。",
             "report_missing_headers": "前回の集約結果のシート「{sheet}」に見出し（{missing}）が見つかりません。"
                                       + _NOT_CARRIED + "見出しを書き換えた場合は元に戻してからやり直してください。",
             "report_no_stamp": "前回の集約結果のシート「{sheet}」に計画名と年度がないため、どの計画・年度の集約結果か"
                                "確かめられません。" + _NOT_CARRIED + "シート「{sheet}」を戻すか、このファイルを別のフォルダに"
                                "移してからやり直してください。",
             "missing_meta": "様式の情報（非表示シート「{meta}」）がありません。この課の入力様式ではないか、シートが消されています。"
                             + _REDO,
             "missing_meta_key": "様式の情報（非表示シート「{meta}」）の「{column}」がありません。" + _REDO,
         }),
    Code("wrong_plan", ERROR, "計画違い",
         "今の計画「{plan}」で作った様式ではありません。" + _REDO, {
             "other_plan": "別の計画「{value}」の様式です。今の計画「{plan}」で作った様式（事務局が配布します）に入力し直して、"
                           "提出し直してください。",
             "other_city": "別の団体「{value}」の計画の様式です。{city}の計画「{plan}」で作った様式（事務局が配布します）に"
                           "入力し直して、提出し直してください。",
             "report_other_plan": "前回の集約結果は別の計画「{value}」のものです（今の計画は「{plan}」）。" + _NOT_CARRIED
                                  + "別のファイル名で出力するか、このファイルを別のフォルダに移してからやり直してください。",
             "old_plan": "計画が変更される前に作られた古い様式です。今の計画「{plan}」で作った様式（事務局が配布します）に"
                         "入力し直して、提出し直してください。",
             "unknown_department": "担当課「{value}」は計画の実施担当にありません。担当課の名前を変えていないか確認し、"
                                   + _REDO,
         }),
    Code("wrong_year", ERROR, "年度違い",
         "{found}の様式です（今回提出していただくのは{expected}の様式です）。{expected}の様式に入力し直して、提出し直してください。", {
             "report": "前回の集約結果は{found}のものです（今回は{expected}）。{found}の" + _NOT_CARRIED
                       + "{expected}の集約結果は別のファイル名（例: 集約_{expected}.xlsx）で出力してください。",
         }),
    Code("unknown_item", ERROR, "計画にない項目",
         "項目ID「{value}」は計画にありません。項目IDを書き換えた場合は元に戻してください。追加した行の場合は、"
         + _MOVE_AND_DELETE, {
             "not_assigned": "項目ID「{value}」は{department}の担当ではありません。項目IDを書き換えた場合は元に戻してください。"
                             "追加した行の場合は、" + _MOVE_AND_DELETE,
             "report_override": "項目ID「{item_id}」は今の計画にありません（削除されたか、項目IDが変わりました）。"
                                "前回までに入力されていた{column}「{value}」は捨てずに履歴データベースに残しています。"
                                "項目IDが変わった場合は、新しい項目の行に入力し直してください。",
             "kpi": "指標「{value}」（項目ID {item_id}）は{department}が報告する指標ではありません。指標名を書き換えた場合は"
                    "元に戻してください。追加した行の場合は、この行を削除してください。",
         }),
    Code("missing_item", ERROR, "行の不足",
         "改革項目「{name}」（項目ID {item_id}）の行がありません。行を削除した場合は、配布した様式から行を戻して入力してください。", {
             "kpi": "指標「{name}」（項目ID {item_id}）の行がありません。行を削除した場合は、配布した様式から行を戻して入力してください。",
         }),
    Code("duplicate_item", ERROR, "行の重複",
         "項目ID「{value}」の行が2つ以上あります（最初の行はセル {first}）。1行にまとめ、余分な行を削除してください。", {
             "kpi": "指標「{value}」（項目ID {item_id}）の行が2つ以上あります（最初の行はセル {first}）。"
                    "1行にまとめ、余分な行を削除してください。",
         }),
    Code("extra_row", ERROR, "追加された行",
         "{row}行目は配布した様式にない行です（「{typed}」と入力されています）。" + _MOVE_AND_DELETE, {
             "kpi": "{row}行目は配布した様式にない行です（「{typed}」と入力されています）。入力した内容を該当する指標の行の"
                    "「備考」などに移してから、この行を削除してください。",
         }),
    Code("required", ERROR, "未入力", "「{column}」が入力されていません。入力してください。", {
        "item_id": "この行の「項目ID」が消されています。配布した様式のとおりに項目IDを入力し直してください。",
        "effect_kind": "効果額を入力した行は「効果額の区分」を一覧（歳出削減・歳入確保）から選んでください。"
                       "効果額がない場合は効果額を空欄にしてください。",
        "basis": "効果額を入力した行は「算定根拠」（例: 委託料の削減 120千円×4件）を記入してください。"
                 "効果額がない場合は効果額を空欄にしてください。",
        "response": "前年度に事務局・委員会からコメントがありました（「前年度コメント」の列）。"
                    "今年度どう対応したかを「前年度指摘への対応」に記入してください。",
        # Refusals of a whole run: nothing valid to consolidate, so the history is left as it is.
        "no_submission": _NOT_CONSOLIDATED + "提出フォルダに各課の入力様式（.xlsx）があるか確認してください。"
                         + _ALLOW_EMPTY,
        "no_valid_submission": _NOT_CONSOLIDATED + "読み込んだ {files}件はすべて要修正か読めないファイルです。"
                               "検証結果を見て各課に直してもらってから集約してください。" + _ALLOW_EMPTY,
    }),
    Code("invalid_choice", ERROR, "選択肢以外",
         "「{value}」は選べない値です。{choices} のいずれかをリストから選んでください。", {
             "report_grade": "「{value}」は{column}として使えません。A、B、C、- のいずれかを選んでください。"
                             "直すまでは、この段階の評価はないものとして確定評価を決めています。",
         }),
    Code("not_a_number", ERROR, "数値でない", "「{value}」を数値として読めません。数値で入力してください。", {
        "effect": "「{value}」を数値として読めません。千円単位の数値（例: 1234、1,234千円、123万円）で入力してください。"
                  "効果がない場合は空欄にしてください。",
        "actual": "「{value}」を数値として読めません。数値（例: 1,234、26%、1.5万）で入力してください。"
                  "まだ分からない場合は空欄にして、備考に理由を書いてください。",
    }),
    Code("out_of_range", ERROR, "範囲外の値", "「{value}」はありえない値です。正しい値を入力してください。", {
        "effect": "「{value}」はマイナスです。効果額は削減・増収できた額を0以上の千円単位で入力してください。",
        "actual": "「{value}」はマイナスです。件数・率・金額はマイナスになりません。正しい実績値を入力してください。",
    }),
    Code("too_long", ERROR, "文字数超過", "{length}文字あります。{limit}文字以内にまとめてください。"),
    Code("formula_without_value", ERROR, "未計算の数式",
         "数式の計算結果が保存されていません。Excel で開いて再計算（F9）し、上書き保存してから提出してください。"
         "数式を使わず値を直接入力しても構いません。"),
    Code("duplicate_submission", WARNING, "重複提出",
         "{department}の{year}の様式が2つ以上提出されています。新しい方（{newer}）を使い、このファイルは集約に使いません。"
         "このファイルが正しい場合は、新しい方を取り下げて提出し直してください。"),
    Code("altered_cell", WARNING, "固定セルの変更",
         "計画で決まっている「{column}」が変更されています（計画: 「{expected}」、様式: 「{value}」）。"
         "集約には計画の内容を使います。元に戻すか、変更が必要なら事務局に相談してください。", {
             "report_edit": "前回の集約結果のセル {previous_cell} は手で修正されていましたが、提出内容で置き換えました"
                            "（修正されていた文：「{edited}」／今回の文：「{new}」）。修正した文は前回のファイルの"
                            "バックアップに残っています。残したい内容は事務局コメントに書いてください。",
         }),
    Code("inconsistent", WARNING, "矛盾する回答",
         "回答が互いに食い違っています。内容を確認し、必要なら直してください。", {
             "graded_not_started": "自己評価が「{value}」ですが、進捗は「未着手」です。どちらかが誤っていないか確認し、"
                                   "未着手なら自己評価を見直してください。",
             "dash_with_effect": "自己評価が「-」（評価しない）ですが、効果額「{effect}」千円が入力されています。"
                                 "効果があった場合は自己評価を A・B・C から選び、効果がない場合は効果額を空欄にしてください。",
             "late_graded_a": "進捗が「遅れ」ですが、自己評価は「A」です。どちらかが誤っていないか確認し、"
                              "遅れているなら自己評価を見直してください。",
             "copied_status": "取組状況が前年度（「前年度取組状況」の列）と同じ文です。今年度に実施した取組と"
                              "その成果を書いてください。",
         }),
    # The rest of a file's issues past the first MAX_ISSUES_PER_FILE, counted in one (SPEC, "Safety").
    Code("more_issues", ERROR, "ほかの問題",
         "このファイルにはほかに {count} 件の問題があります（エラー {errors} 件、警告 {warnings} 件。"
         "一覧には最初の {limit} 件だけを載せています）。同じ値を下の行までコピーしていないか確認し、"
         "不要な行を削除してから、もう一度入力チェックしてください。"),
    Code("reinterpreted", WARNING, "読み替え",
         "「{value}」を「{read_as}」として読み取りました。違う場合は直してください。", {
             "choice": "「{value}」を「{read_as}」として読み取りました。意味が違う場合は、リストから選び直してください。",
             "yen": "「{value}」を {read_as}千円 として読み取りました（この欄は千円単位です）。"
                    "千円単位の金額のつもりなら「円」を消して入力し直してください。",
         }),
    # KPI実績 (SPEC "Validation"): the unit of an actual, values that look wrong, actuals not reported.
    Code("unit_mismatch", ERROR, "単位違い",
         "「{value}」の単位がこの欄に合いません。単位を付けずに数値で入力してください。", {
             "percent": "「{value}」の単位は、この指標の単位「{unit}」に合いません。%の数値で入力してください"
                        "（例: 26 または 26%）。",
             "money": "「{value}」の単位は、この指標の単位「{unit}」に合いません。{unit}単位の数値（例: 182,000）か、"
                      "円を付けた金額（例: 182,000千円、1億8,200万円）で入力してください。",
             "count": "「{value}」の単位は、この指標の単位「{unit}」に合いません。{unit}の数を数値で入力してください"
                      "（例: 1,234）。",
         }),
    Code("implausible_value", WARNING, "疑わしい値",
         "「{value}」は達成率が{rate}%になり、値として疑わしいです。単位（{unit}）と桁を確認し、"
         "誤りなら直してください。正しい場合は備考に理由を書いてください。", {
             "fraction": "「{value}」は{unit}の指標としては小さすぎます（基準値は{baseline}{unit}）。割合で入力して"
                         "いないか確認してください。{percent}{unit}のつもりなら「{percent}」と入力してください。",
         }),
    Code("kpi_not_reported", WARNING, "KPI未報告",
         "指標「{name}」の実績値が入力されていません。実績値を入力してください。"
         "まだ分からない場合は、備考に理由（例: 集計中、公表は○月）を書いてください。"),
    # One per file of an earlier version of the same plan: the secretariat's business, never in a send-back list.
    Code("plan_changed", WARNING, "計画変更後の様式",
         "この様式は、計画「{plan}」が変更される前に作られたものです。各行を項目IDで照合し、計画で決まっている内容は"
         "今の計画のものを使って集約します（この課に入力し直してもらう必要はありません）。"
         "変わった内容: {changed}。追加された項目（この課は未報告）: {added}。"
         "計画からなくなった項目（集約しません）: {removed}。", {
             "unaffected": "この様式は、計画「{plan}」が変更される前に作られたものですが、この課の様式に関わる変更は"
                           "ありません。各行を項目IDで照合し、そのまま集約します（入力し直してもらう必要はありません）。",
         }),
)}


def label(code: str) -> str:
    """The Japanese label of a code (the code itself when unknown)."""
    found = CODES.get(code)
    return found.label if found else code


def shown(value: object, limit: int = 60) -> str:
    """A value as a person writes it: text as typed (shortened), ``5,600,000`` for numbers, dates as dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (list, tuple)):
        # A list in a message (the items of plan_changed): each element shown, none said as なし.
        return "、".join(shown(v, limit) for v in value) or NOTHING
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if value.is_integer():
            return f"{int(value):,}"
        return f"{Decimal(repr(value)):,f}"
    if isinstance(value, _dt.datetime) and value.time() == _dt.time(0):
        value = value.date()
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= limit else text[:limit - 3] + "…"


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


class _Params(dict):
    """format_map helper: every parameter written as people write it; an unknown one is left empty."""

    def __getitem__(self, key: str) -> str:
        return shown(dict.__getitem__(self, key)) if key in self else ""

    def __missing__(self, key: str) -> str:
        return ""


def render(code: str, variant: str | None = None, details: Mapping[str, object] | None = None) -> str:
    """The Japanese text (what is wrong, what to do) of one situation of a code."""
    return CODES[code].template_for(variant).format_map(_Params(details or {}))


@dataclass(frozen=True)
class Issue:
    """One problem, placed exactly: file, sheet, A1 cell, item and column; its message is computed."""

    severity: str
    code: str
    file: str
    sheet: str | None = None
    cell: str | None = None
    item_id: str | None = None
    column: str | None = None
    value: object = None            # as the department typed it
    variant: str | None = None      # which template of the code
    details: Mapping[str, object] = field(default_factory=dict, hash=False)  # template parameters

    @property
    def place(self) -> str:
        """Where, in a clerk's words (file, sheet, cell, column; the item when there is no cell)."""
        text = where(self.file, self.sheet, self.cell, self.column)
        if self.item_id and not self.cell:
            text += f"（項目ID {self.item_id}）"
        return text

    @property
    def text(self) -> str:
        """What is wrong and what to do, without the place (for a comment on the cell, a send-back list)."""
        params = {"value": self.value, "column": self.column or "", "item_id": self.item_id or "",
                  "sheet": self.sheet or "", **self.details}
        return render(self.code, self.variant, params)

    @property
    def message(self) -> str:
        """The whole message: place, then what is wrong and what to do."""
        place, text = self.place, self.text
        return f"{place}: {text}" if place else text

    @property
    def label(self) -> str:
        """The Japanese label of the code (区分)."""
        return label(self.code)

    def to_dict(self) -> dict:
        """The JSON shape of SPEC, "Validation" (``message`` computed)."""
        value = self.value
        if value is not None and not isinstance(value, (str, int, float, bool)):
            value = str(value)
        return {"severity": self.severity, "code": self.code, "file": self.file, "sheet": self.sheet,
                "cell": self.cell, "item_id": self.item_id, "column": self.column, "value": value,
                "message": self.message}


def make_issue(code: str, file: str | None, sheet: str | None = None, cell: str | None = None,
               item_id: str | None = None, column: str | None = None, value: object = None,
               severity: str | None = None, variant: str | None = None, **details: object) -> Issue:
    """An Issue of ``code`` at its place; ``variant`` picks the situation's template, ``details`` fill it."""
    if "text" in details:
        # Messages are never passed in: each situation is a template (variant) of its code in CODES.
        raise TypeError(f"make_issue({code!r}) takes no text=; add a variant to CODES[{code!r}] instead")
    spec = CODES[code]
    if variant is not None and variant not in spec.variants:
        raise KeyError(f"{code} has no variant {variant!r}")
    return Issue(severity or spec.severity, code, str(file) if file is not None else "", sheet, cell, item_id,
                 column, value, variant, dict(details))
