"""The finance workbook printed by a real spreadsheet program (LibreOffice): one page wide, legible, nothing cut off."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import hostile
import pytest
from pdfpages import FULL_WIDTH, page_text, pdf_pages
from records import submission

from addin.consolidation.summary import summarize
from addin.reports.finance import export_finance
from addin.reports.workbook import write_report

pytestmark = pytest.mark.skipif(not hostile.soffice() or not shutil.which("pdftotext"),
                                reason="LibreOffice (soffice) and pdftotext are needed; CI installs them")
MADE = date(2026, 12, 2)


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("lo-profile")


@pytest.fixture(scope="module")
def summary(plan):
    """The default plan (36 items, 13 KPIs), every department reporting effects and KPI actuals."""
    subs = []
    for n, department in enumerate(plan.departments):
        entries = {item.item_id: {"effect": 1000 * (n + 1) + i} for i, item in enumerate(plan.items_for(department))}
        kpis = {k.name: (k.baseline or 0) + 1 for k in plan.kpis_led_by(department)}
        subs.append(submission(plan, department, 2026, entries, kpis))
    return summarize(plan, 2026, subs)


@pytest.fixture(scope="module")
def report(summary, tmp_path_factory) -> Path:
    return write_report(summary, tmp_path_factory.mktemp("report") / "集約_R8.xlsx")


@pytest.fixture(scope="module")
def pages(report, profile) -> list[tuple[float, list[tuple[float, float, float, float, str]]]]:
    """(width, words with their boxes) of every printed page of the finance workbook, in points."""
    out = report.parent / "finance"
    book = export_finance(report, out / "finance.xlsx", made=MADE)[0]  # an ASCII name: simple command lines
    pdf = hostile.convert(book, "pdf", out / "pdf", profile)
    result = pdf_pages(pdf)
    return result


def test_every_page_is_legible_on_a4(pages):
    assert pages
    for number, page in enumerate(pages, start=1):
        page_width, words = page
        assert page_width > 800, "A4 landscape is 842 pt wide"
        sizes = [(x1 - x0) / len(w) for x0, _y0, x1, _y1, w in words if FULL_WIDTH.fullmatch(w)]
        assert sizes, f"page {number} has no Japanese text"
        # A full-width character is one em wide: its advance is the printed font size.
        assert min(sizes) >= 7.95, f"page {number}: text printed at {min(sizes):.1f} pt"
        assert all(0 <= x0 and x1 <= page_width for x0, _y0, x1, _y1, _w in words), f"page {number} runs off"
        assert "項目ID" in page_text(page), f"page {number}: the header row is repeated on every page"


def test_nothing_is_cut_off(pages, summary):
    text = re.sub(r"\s+", "", "".join(page_text(p) for p in pages))
    assert "###" not in text  # a number too wide for its column
    for item in summary.items:
        assert item.item.item_id in text
    for result in summary.items:
        if result.effect is not None:
            assert f"{result.effect:,.0f}" in text, result.item.item_id
    assert f"{summary.effect_total:,.0f}" in text
    assert "第2次二本松市市政改革推進行動計画" in text and "令和8年度（R8）" in text and "2026年12月2日" in text
    for item in summary.items:  # short names stay on one line, so they can be found whole
        if len(item.item.name) <= 8:
            assert item.item.name in text
    # One page wide: the last column of each sheet is on every page that shows its header row.
    for page in pages:
        words = page_text(page)
        assert "効果額" in words or "方向" in words


def test_export_from_a_report_saved_by_libreoffice(report, profile, tmp_path):
    """The secretariat opened and saved the report: shared strings, its own styles; the export reads the same."""
    resaved = hostile.convert(report, "xlsx:Calc MS Excel 2007 XML", tmp_path / "resaved", profile)
    first = export_finance(report, tmp_path / "a" / "財政課_R8.xlsx", tmp_path / "a", made=MADE)
    second = export_finance(resaved, tmp_path / "b" / "財政課_R8.xlsx", tmp_path / "b", made=MADE)
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first[1:], second[1:]):
        assert a.read_bytes() == b.read_bytes(), a.name
