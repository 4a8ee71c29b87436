"""What every letter to a department carries: the date in 和暦, the deadline, where to send, whom to ask.

The send-back lists (差戻し) and the reminder list (督促) are the secretariat's
voice to the departments; both take 提出期限, 提出先 and 問合せ先 from the plan's
設定 sheet. Those rows are optional: a plan without them gets a visible blank
(「（設定シートに未記入）」), never a missing line.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from addin.fiscal import japanese_date
from addin.plan.layout import SETTING_ROWS
from addin.vocab import SETTING_NOT_SET

__all__ = ["Contacts", "contacts_of", "japanese_date", "NOT_SET"]

NOT_SET = SETTING_NOT_SET


def _setting(settings, label: str) -> object:
    """A 設定 row by its label, whatever field the plan model gives it (None when the plan has no such row)."""
    name = SETTING_ROWS.get(label)
    for field in (name, {"提出期限": "deadline", "提出先": "submit_to", "問合せ先": "contact"}.get(label)):
        value = getattr(settings, field, None) if field else None
        if value not in (None, ""):
            return value
    return None


def _words(value: object) -> str:
    if value is None:
        return NOT_SET
    if isinstance(value, (_dt.date, _dt.datetime)):
        return japanese_date(value, weekday=True)
    return str(value).strip() or NOT_SET


@dataclass(frozen=True)
class Contacts:
    """提出期限, 提出先 and 問合せ先 as a letter writes them."""

    deadline: str
    submit_to: str
    contact: str


def contacts_of(plan) -> Contacts:
    """The plan's 設定 rows 提出期限, 提出先, 問合せ先 (each blank-safe)."""
    settings = getattr(plan, "settings", None)
    return Contacts(*(_words(_setting(settings, label)) for label in ("提出期限", "提出先", "問合せ先")))
