"""What the form's count cell counts, and what colours a cell orange: one condition for both.

Departments have neither Python nor the add-in, so the count is their only check before they
send: it must count what validation would reject among the cells Excel's own checks cannot
refuse (a blank or a cell of spaces, a value pasted past a list, a blank KPI 実績値). The
highlight uses the same expression on the range's first cell, so a cell is orange exactly when
it is counted. Add a kind of count here, in :func:`count_formula`, and nowhere else.
"""

from __future__ import annotations

from typing import NamedTuple

from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import quote_sheetname

from addin.forms import layout as T
from addin.xlsx.styles import MISSING_FILL

__all__ = ["Counted", "count_formula", "highlight_problems", "problem_condition"]
def _trimmed(ref: str) -> str:
    # Validation strips half- and full-width spaces (the IME types 「　」); Excel's TRIM only the former.
    return f'TRIM(SUBSTITUTE({ref},"\u3000"," "))'


_SEPARATOR = "|"


def problem_condition(ref: str, choices: tuple[str, ...] | None = None, required_if: str | None = None) -> str:
    """An Excel expression, non-zero where validation would reject the cell ``ref`` (a cell or a range).

    Blank or only spaces; with ``choices``, also anything that is none of them exactly (trimmed):
    the typed text is looked up as ``|text|`` in ``|A|B|…|`` (FIND: exact case, no wildcards), and a
    text holding ``|`` itself is never a choice. Only TRIM, SUBSTITUTE, LEN, FIND, ISERROR and
    ISNUMBER, in under 255 characters: Excel 2016 evaluates it in conditional formatting and,
    over a range, inside SUMPRODUCT.
    """
    trimmed = _trimmed(ref)
    if required_if is not None:  # required only where the cell ``required_if`` (same row) holds something
        return f"((LEN({required_if})>0)*{problem_condition(ref, choices)})"
    if choices is None:
        return f"(LEN({trimmed})=0)"
    listed = _SEPARATOR + _SEPARATOR.join(choices) + _SEPARATOR
    return (f'((ISERROR(FIND("{_SEPARATOR}"&{trimmed}&"{_SEPARATOR}","{listed}"))'
            f'+ISNUMBER(FIND("{_SEPARATOR}",{trimmed})))>0)')


class Counted(NamedTuple):
    """A range the count cell counts (on its own sheet): blank cells, and with ``choices`` cells none of them.

    With ``required_if`` (a range of the same rows) a cell counts only where that row's cell holds something.
    """

    range: str
    choices: tuple[str, ...] | None = None
    required_if: str | None = None


def count_formula(counted_by_sheet: dict[str, list[Counted]]) -> str:
    """The formula of the count cell (on 入力): every cell over both sheets that validation would reject.

    The one place the count is built: one SUMPRODUCT per range, of the same condition that
    colours the cell (:func:`problem_condition`): blank or only spaces, a value outside a list,
    a blank KPI 実績値. Plain ``str`` ranges count blank cells.
    """
    parts = []
    for sheet, ranges in counted_by_sheet.items():
        for counted in ranges:
            counted = counted if isinstance(counted, Counted) else Counted(counted)

            def on_sheet(rng: str | None) -> str | None:
                return rng if rng is None or sheet == T.INPUT_SHEET else f"{quote_sheetname(sheet)}!{rng}"

            condition = problem_condition(on_sheet(counted.range), counted.choices, on_sheet(counted.required_if))
            parts.append(f"SUMPRODUCT({condition}*1)")
    return "=" + ("+".join(parts) if parts else "0")


def highlight_problems(ws, counted: list[Counted]) -> None:
    """Orange until the cell holds something validation accepts: the same condition as the count."""
    for rng, choices, required_if in counted:
        condition = problem_condition(rng.split(":")[0], choices, required_if and required_if.split(":")[0])
        ws.conditional_formatting.add(rng, FormulaRule(formula=[condition], fill=MISSING_FILL, stopIfTrue=False))
