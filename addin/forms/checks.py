"""The form's own checks (Excel data validation): lists and limits that refuse, as typed, what validation rejects.

Error style ``stop`` everywhere: departments have neither Python nor the add-in, so a value Excel
lets through must be one validation accepts. Each check also carries the prompt the clerk sees
when the cell is selected.
"""

from __future__ import annotations

from typing import Callable

from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from addin.fiscal import format_fiscal_year_long
from addin.forms import layout as T
from addin.vocab import EFFECT_CERTAINTIES, EFFECT_KINDS, GRADES, PROGRESS

__all__ = ["add_input_checks", "add_response_check", "add_kpi_checks"]

# Leading marks that make an amount negative (SPEC: out_of_range), refused as typed.
_NEGATIVE_AMOUNT_FORMULA = ('AND(LEFT({c},1)<>"-",LEFT({c},1)<>"－",LEFT({c},1)<>"△",LEFT({c},1)<>"▲",'
                            'LEFT({c},4)<>"マイナス")')


def _validation(ws: Worksheet, ref: str, *, type: str, formula1: str | None = None, operator: str | None = None,
                error_style: str, error_title: str, error: str, prompt_title: str, prompt: str) -> DataValidation:
    dv = DataValidation(type=type, formula1=formula1, operator=operator, allow_blank=True,
                        showErrorMessage=True, errorStyle=error_style, errorTitle=error_title, error=error,
                        showInputMessage=True, promptTitle=prompt_title, prompt=prompt)
    dv.add(ref)
    ws.add_data_validation(dv)
    return dv


def add_input_checks(ws: Worksheet, ref: Callable[[str], str], amount: str, year_long: str) -> None:
    """The checks of 入力's input columns; ``ref(header)`` is the column's data range, ``amount`` its first 効果額 cell."""
    _validation(ws, ref("取組状況"), type="textLength", operator="lessThanOrEqual", formula1=str(T.STATUS_MAX_LENGTH),
                error_style="stop", error_title="文字数の上限",
                error=f"取組状況は{T.STATUS_MAX_LENGTH:,}字以内で入力してください。",
                prompt_title="取組状況（必須）",
                prompt=f"{year_long}に実施した取組の内容と成果を具体的に記入してください（{T.STATUS_MAX_LENGTH:,}字以内）。")
    _validation(ws, ref("自己評価"), type="list", formula1=f'"{",".join(GRADES)}"',
                error_style="stop", error_title="自己評価",
                error="自己評価は一覧の A・B・C・- から選んでください。一覧にない値は入力できません。",
                prompt_title="自己評価（必須）",
                prompt="A：効果が増大　B：以前と同様の成果・効果　C：効果が薄い又は取組内容に疑義　-：評価対象外（未実施など）")
    _validation(ws, ref("進捗"), type="list", formula1=f'"{",".join(PROGRESS)}"',
                error_style="stop", error_title="進捗",
                error=f"進捗は一覧の {'・'.join(PROGRESS)} から選んでください。一覧にない値は入力できません。",
                prompt_title="進捗（必須）", prompt=f"「{T.INPUT_PHASE}」の予定に対する進み具合を一覧から選んでください。")
    _validation(ws, ref("効果額（千円）"), type="custom", formula1=_NEGATIVE_AMOUNT_FORMULA.format(c=amount),
                error_style="stop", error_title="効果額",
                error="効果額にマイナスは入力できません。削減額・増収額をプラスの金額で入力してください。",
                prompt_title="効果額（千円）（任意）",
                prompt="取組による削減額・増収額を千円単位で入力してください。例：1,234　123万円（=1,230千円）。効果額がなければ空欄のまま。")
    _validation(ws, ref("今後の課題・方向性"), type="textLength", operator="lessThanOrEqual",
                formula1=str(T.TEXT_MAX_LENGTH), error_style="stop", error_title="文字数の上限",
                error=f"{T.TEXT_MAX_LENGTH:,}字以内で入力してください。",
                prompt_title="今後の課題・方向性（任意）", prompt="次年度以降の課題と取組の方向性を記入してください。")
    _validation(ws, ref(T.EFFECT_KIND), type="list", formula1=f'"{",".join(EFFECT_KINDS)}"', error_style="stop",
                error_title=T.EFFECT_KIND, error=f"{'・'.join(EFFECT_KINDS)} から選んでください。",
                prompt_title=f"{T.EFFECT_KIND}（効果額がある行は必須）",
                prompt="経費を減らした効果は歳出削減、収入を増やした効果は歳入確保を選んでください。")
    _validation(ws, ref(T.EFFECT_CERTAINTY), type="list", formula1=f'"{",".join(EFFECT_CERTAINTIES)}"',
                error_style="stop", error_title=T.EFFECT_CERTAINTY, error=f"{'・'.join(EFFECT_CERTAINTIES)} から選んでください。",
                prompt_title=f"{T.EFFECT_CERTAINTY}（任意）",
                prompt="決算などで確定した額は確定、見込みの額は見込みを選んでください（空欄は確定として扱います）。")
    _validation(ws, ref(T.EFFECT_BASIS), type="textLength", operator="lessThanOrEqual",
                formula1=str(T.BASIS_MAX_LENGTH), error_style="stop", error_title="文字数の上限",
                error=f"{T.BASIS_MAX_LENGTH:,}字以内で入力してください。",
                prompt_title=f"{T.EFFECT_BASIS}（効果額がある行は必須）",
                prompt="効果額の計算方法を記入してください。例：委託料の見直し 120千円×4件＝480千円")
    next_year = ref(T.NEXT_YEAR_EFFECT).split(":")[0]
    _validation(ws, ref(T.NEXT_YEAR_EFFECT), type="custom", formula1=_NEGATIVE_AMOUNT_FORMULA.format(c=next_year),
                error_style="stop", error_title=T.NEXT_YEAR_EFFECT, error="マイナスは入力できません。",
                prompt_title=f"{T.NEXT_YEAR_EFFECT}（任意）",
                prompt="次年度に見込まれる効果額を千円単位で入力してください。")


def add_response_check(ws: Worksheet, rng: str) -> None:
    """前年度指摘への対応: a length limit and what to write."""
    _validation(ws, rng, type="textLength", operator="lessThanOrEqual", formula1=str(T.TEXT_MAX_LENGTH),
                error_style="stop", error_title="文字数の上限", error=f"{T.TEXT_MAX_LENGTH:,}字以内で入力してください。",
                prompt_title=f"{T.RESPONSE}（前年度コメントがある行は必須）",
                prompt="「前年度コメント」の指摘に、今年度どう対応したかを記入してください。")


def add_kpi_checks(ws: Worksheet, actuals: str, notes: str, year: int) -> None:
    """The checks of KPI実績: no negative 実績値, a length limit on 備考."""
    actual = actuals.split(":")[0]
    _validation(ws, actuals, type="custom", formula1=_NEGATIVE_AMOUNT_FORMULA.format(c=actual),
                error_style="stop", error_title="実績値",
                error="実績値にマイナスは入力できません。",
                prompt_title="実績値",
                prompt=f"{format_fiscal_year_long(year)}の実績を単位（基準値・目標値と同じ）で入力してください。"
                       "%の指標は 26 または 26% と入力します。未確定なら空欄のまま備考に理由を書いてください。")
    _validation(ws, notes, type="textLength", operator="lessThanOrEqual",
                formula1=str(T.TEXT_MAX_LENGTH), error_style="stop", error_title="文字数の上限",
                error=f"{T.TEXT_MAX_LENGTH:,}字以内で入力してください。",
                prompt_title="備考（任意）", prompt="算定方法の補足や、実績値が未確定の理由などを記入してください。")
