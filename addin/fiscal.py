"""Japanese fiscal years: every accepted spelling in, ``R8`` out.

A fiscal year is kept as the Western calendar year in which it starts
(令和8年度 = FY2026 = April 2026 to March 2027), so arithmetic and ordering
are plain integers; only input and output know about eras.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata

from addin.vocab import ERA_LETTERS, ERAS

__all__ = ["parse_fiscal_year", "format_fiscal_year", "format_fiscal_year_long", "fiscal_years", "FiscalYearError",
           "japanese_date"]

_WEEKDAYS = "月火水木金土日"

# First Western year of each era, minus one: era year N is base + N.
_ERAS = {**ERAS, **{letter: ERAS[era] for letter, era in ERA_LETTERS.items()}}
_ERA_RE = re.compile(r"^(令和|平成|R|H)\s*(元|\d{1,2})\s*(年度|年)?$")
_WESTERN_RE = re.compile(r"^(\d{4})\s*(年度|年)?$")
_FY_RE = re.compile(r"^FY\s*(\d{4})$")


class FiscalYearError(ValueError):
    """A value that is not a fiscal year in any accepted form."""


def parse_fiscal_year(value: object) -> int:
    """Return the Western start year of a fiscal year given as R8, Ｒ８, 令和8年度, 2026 or 2026年度."""
    if isinstance(value, bool) or value is None:
        raise FiscalYearError(f"年度として読めません: {value!r}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        if 1900 <= value <= 2200:
            return value
        if 1 <= value <= 99:  # a bare era number typed into a year cell means Reiwa
            return _ERAS["R"] + value
        raise FiscalYearError(f"年度として読めません: {value!r}")
    text = unicodedata.normalize("NFKC", str(value)).strip().upper().replace(" ", "")
    match = _ERA_RE.match(text)
    if match:
        era, number = match.group(1), match.group(2)
        return _ERAS[era] + (1 if number == "元" else int(number))
    match = _WESTERN_RE.match(text) or _FY_RE.match(text)
    if match:
        year = int(match.group(1))
        if 1900 <= year <= 2200:
            return year
    if text.isdigit() and 1 <= int(text) <= 99:
        return _ERAS["R"] + int(text)
    raise FiscalYearError(f"年度として読めません: {value!r}（例: R8、令和8年度、2026年度）")


def format_fiscal_year(year: int) -> str:
    """Write a fiscal year the way every output does: ``R8`` (or ``H30`` before Reiwa)."""
    if year >= 2019:
        return f"R{year - _ERAS['R']}"
    return f"H{year - _ERAS['H']}"


def format_fiscal_year_long(year: int) -> str:
    """The spelled-out form for titles: ``令和8年度`` (``令和元年度``, ``平成30年度``)."""
    if year >= 2019:
        number = year - _ERAS["令和"]
        return f"令和{'元' if number == 1 else number}年度"
    return f"平成{year - _ERAS['平成']}年度"


def fiscal_years(start: int, end: int) -> list[int]:
    """Every fiscal year from start to end, both included."""
    return list(range(start, end + 1))


def japanese_date(day: _dt.date | _dt.datetime, weekday: bool = False) -> str:
    """``令和8年12月2日`` (``令和元年5月1日``; ``平成31年4月30日`` before Reiwa), optionally with ``（水）``."""
    if isinstance(day, _dt.datetime):
        day = day.date()
    if day >= _dt.date(2019, 5, 1):
        era, number = "令和", day.year - 2018
    else:
        era, number = "平成", day.year - 1988
    text = f"{era}{'元' if number == 1 else number}年{day.month}月{day.day}日"
    return text + (f"（{_WEEKDAYS[day.weekday()]}）" if weekday else "")
