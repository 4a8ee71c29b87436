"""Normalization of what departments type: widths, Japanese numbers, grades, percents.

Every parser takes a raw cell value (str, int, float, None) and returns a
clean value or raises :class:`NotANumber`/:class:`NotAChoice`; validation turns
those into issues. Numbers are computed in Decimal so 1.1万円 is exactly 11千円.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from addin.vocab import GRADES, MONEY_UNITS, PERCENT_SUFFIXES, PERCENT_UNITS, PROGRESS, PROGRESS_SYNONYMS

__all__ = [
    "fold_width", "same_text", "clean_text", "parse_number", "parse_amount_thousand_yen", "parse_percent",
    "parse_grade", "parse_choice", "grade_spellings", "progress_spellings", "NotANumber", "NotAChoice",
    "normalize_id", "normalize_name", "parse_in_unit", "unit_kind", "WrongUnit", "PERCENT", "MONEY", "COUNT",
]


_DASHES = "-－ー―‐−–—ｰ"
_MULTIPLIERS = {"十": 10, "百": 100, "千": 1000}
_SECTIONS = {"万": 10**4, "億": 10**8, "兆": 10**12}
_TOKEN = re.compile(r"(\d+(?:\.\d+)?|\.\d+)|([十百千万億兆])")
_NEGATIVE_MARKS = ("△", "▲", "-", "マイナス")


class NotANumber(ValueError):
    """A number cell whose text does not parse."""


class NotAChoice(ValueError):
    """A choice cell whose value is not one of the allowed values."""


class WrongUnit(ValueError):
    """A number typed with a unit that does not fit its column (「5件」 for a KPI in %)."""


def fold_width(text: str) -> str:
    """Full-width digits, letters, ％ ， － and spaces to half width (NFKC), trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


_ID_DASHES = str.maketrans({ch: "-" for ch in _DASHES})
_ID_SPACES = re.compile(r"\s+")


def normalize_id(value: object) -> str | None:
    """An 項目ID as a key: NFKC, dashes folded to '-', no spaces (``１－（１）－ ４`` is ``1-(1)-4``); None when empty.

    The plan and the submissions both go through here, so an ID typed in full
    width in the plan still matches the form generated from it, and two
    spellings of one ID are a duplicate rather than two items.
    """
    text = clean_text(value)
    if text is None:
        return None
    return _ID_SPACES.sub("", fold_width(text).translate(_ID_DASHES)) or None


def normalize_name(value: object) -> str | None:
    """A department name as a key: NFKC (which also joins NFD spellings), inner spaces removed; None when empty.

    ``ＤＸ推進課`` and ``DX推進課``, or a name typed with a decomposed ガ, are one department.
    """
    text = clean_text(value)
    if text is None:
        return None
    return _ID_SPACES.sub("", fold_width(text)) or None


def clean_text(value: object) -> str | None:
    """Text as typed, trimmed; empty and whitespace-only cells are None."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").strip()
    return text or None


_ALL_SPACES = re.compile(r"\s+")


def same_text(a: object, b: object) -> bool:
    """Two texts that differ only in spaces and line breaks (a text copied from last year); empty is never the same."""
    if not a or not b:
        return False
    return _ALL_SPACES.sub("", str(a)) == _ALL_SPACES.sub("", str(b))


def _to_number(value: Decimal) -> int | float:
    value = value.quantize(Decimal("0.000001")).normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def _split_number(text: str) -> tuple[Decimal, str]:
    """Parse '1億5千万円' into (150000000, '円'); the unit is what follows the number."""
    s = fold_width(text).replace(",", "").replace(" ", "").replace("\u3000", "")
    negative = False
    for mark in _NEGATIVE_MARKS:
        if s.startswith(mark):
            negative, s = True, s[len(mark):]
            break
    if s.startswith("+"):
        s = s[1:]
    total = Decimal(0)
    section = Decimal(0)
    current: Decimal | None = None
    pos = 0
    seen_digit = False
    while pos < len(s):
        match = _TOKEN.match(s, pos)
        if not match:
            break
        number, mult = match.groups()
        if number is not None:
            if current is not None:
                break  # two numbers in a row ('12 34'): not one amount
            current = Decimal(number)
            seen_digit = True
        elif mult in _MULTIPLIERS:
            section += (current if current is not None else Decimal(1)) * _MULTIPLIERS[mult]
            current = None
        else:
            section += current if current is not None else Decimal(0)
            total += (section if section else Decimal(1)) * _SECTIONS[mult]
            section, current = Decimal(0), None
        pos = match.end()
    if not seen_digit:
        raise NotANumber(text)
    total += section + (current if current is not None else Decimal(0))
    return (-total if negative else total), s[pos:]


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_blank_or_cell_number(value: object) -> bool:
    """True for an empty cell or a numeric cell; a boolean cell is never a number."""
    if isinstance(value, bool):
        raise NotANumber(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise NotANumber(value)  # NaN or infinity: only a crafted file holds one, and no report can show it
    return _is_blank(value) or isinstance(value, (int, float))


def parse_number(value: object) -> int | float | None:
    """A plain number from a cell: 1,234 / １，２３４ / 1.5万 / △500. Units are ignored."""
    if _is_blank_or_cell_number(value):
        return None if _is_blank(value) else _to_number(Decimal(str(value)))
    try:
        number, unit = _split_number(str(value))
    except InvalidOperation as exc:
        raise NotANumber(value) from exc
    if any(ch.isdigit() for ch in unit):
        raise NotANumber(value)  # '12 34', '1.2.3': not one number
    return _to_number(number)


def parse_amount_thousand_yen(value: object) -> int | float | None:
    """An amount in 千円: 1234 / 1234千円 / 123万円 (=1,230) / 1億5千万円 (=150,000) / 500円 (=0.5)."""
    if _is_blank_or_cell_number(value):
        return None if _is_blank(value) else _to_number(Decimal(str(value)))
    text = str(value)
    number, unit = _split_number(text)
    unit = unit.strip()
    # Kanji multipliers (千, 万, 億) were applied while parsing, so the number is in yen whenever
    # one was written or the unit is 円; a bare number is already in 千円.
    if unit.startswith("円") or any(ch in fold_width(text) for ch in "千万億兆"):
        if unit not in ("", "円"):
            raise NotANumber(value)
        return _to_number(number / 1000)
    if unit:
        raise NotANumber(value)
    return _to_number(number)


def parse_percent(value: object, number_format: str | None = None) -> int | float | None:
    """A percent as a number of percent: 26, '26%', '２６％' and 0.26 in a %-formatted cell all give 26."""
    if _is_blank_or_cell_number(value):
        if _is_blank(value):
            return None
        number = Decimal(str(value))
        if number_format and "%" in number_format:
            number *= 100
        return _to_number(number)
    number, unit = _split_number(str(value))
    if unit.strip() not in PERCENT_SUFFIXES:
        raise NotANumber(value)
    return _to_number(number)


PERCENT, MONEY, COUNT = "percent", "money", "count"


def unit_kind(unit: object) -> str:
    """What a KPI's 単位 measures: ``percent`` (%), ``money`` (円, 千円, 万円, 百万円, 億円) or ``count`` (件, 人, 枚…)."""
    text = fold_width(str(unit)) if unit is not None else ""
    if text in {fold_width(u) for u in PERCENT_UNITS}:
        return PERCENT
    return MONEY if text in MONEY_UNITS else COUNT


def parse_in_unit(value: object, unit: object, number_format: str | None = None) -> int | float | None:
    """A KPI actual in the KPI's own ``unit``; a plain number is already in that unit.

    %: as :func:`parse_percent`. Money: an amount typed in yen (182,000千円, 1.82億円, 1億8,200万円,
    182000000円, and 1.82億 as for 効果額; the kanji multipliers are applied while parsing) is converted
    to the KPI's unit, so for a KPI in 千円 all of them are 182,000. Counts: the KPI's own unit may follow (612万枚).
    Any other unit raises :class:`WrongUnit`; text that is no number raises :class:`NotANumber`.
    """
    kind = unit_kind(unit)
    if _is_blank_or_cell_number(value):
        return parse_percent(value, number_format) if kind == PERCENT else parse_number(value)
    number, suffix = _split_number(str(value))
    suffix = suffix.strip()
    if any(ch.isdigit() for ch in suffix):
        raise NotANumber(value)  # '12 34', '1.2.3': not one number
    own = fold_width(str(unit)) if unit is not None else ""
    if kind == PERCENT and suffix in PERCENT_SUFFIXES:
        return _to_number(number)
    if kind == MONEY and (suffix == "円" or (not suffix and any(ch in fold_width(str(value)) for ch in "千万億兆"))):
        # As for 効果額: a kanji multiplier means yen (1.82億 is 1.82億円), whatever the KPI's unit.
        return _to_number(number / MONEY_UNITS[own])
    if not suffix or (kind == COUNT and own and own.startswith(suffix)):
        return _to_number(number)
    if kind == COUNT and own[:1] in _SECTIONS and own[1:] == suffix:
        return _to_number(number / _SECTIONS[own[0]])  # 「620万枚」 for a KPI in 万枚 is 620
    raise WrongUnit(value)


def grade_spellings() -> tuple[str, ...]:
    """The one-character spellings of a grade that :func:`parse_grade` accepts (a, Ａ, ｂ, －, ー …).

    The form's own count of what is wrong looks typed text up among these.
    """
    letters = [g for g in GRADES if g != "-"]
    letters += [g.lower() for g in letters]
    full = [chr(ord(g) + 0xFEE0) for g in letters]  # Ａ is A shifted into the full-width block
    return tuple(dict.fromkeys([*letters, *full, *_DASHES]))


def progress_spellings() -> tuple[str, ...]:
    """What :func:`parse_choice` accepts for 進捗: the values and their usual synonyms."""
    return tuple(dict.fromkeys([*PROGRESS, *PROGRESS_SYNONYMS]))


def parse_grade(value: object) -> str | None:
    """自己評価: A/B/C/- in either width or case; None when empty."""
    text = clean_text(value)
    if text is None:
        return None
    text = fold_width(text).upper()
    if text and all(ch in _DASHES for ch in text):
        return "-"
    if text in GRADES:
        return text
    raise NotAChoice(value)


def parse_choice(value: object, choices: tuple[str, ...] = PROGRESS) -> str | None:
    """A dropdown value, forgiving of width and the usual synonyms; None when empty."""
    text = clean_text(value)
    if text is None:
        return None
    text = fold_width(text)
    if text in choices:
        return text
    synonym = PROGRESS_SYNONYMS.get(text)
    if synonym in choices:
        return synonym
    raise NotAChoice(value)
