"""The public status list printed by LibreOffice: A4 landscape, legible, header repeated, nothing cut off."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import hostile
import openpyxl
import pytest
from pdfpages import FULL_WIDTH, page_text, pdf_pages
from records import submission

from addin.consolidation.summary import summarize
from addin.jobs.publish import publish
from addin.reports.workbook import write_report

pytestmark = pytest.mark.skipif(not hostile.soffice() or not shutil.which("pdftotext"),
                                reason="LibreOffice (soffice) and pdftotext are needed; CI installs them")
MADE = date(2026, 12, 2)


@pytest.fixture(scope="module")
def summary(plan):
    subs = []
    for department in plan.departments:
        entries = {item.item_id: {"status": f"{item.name}について{department}が取組を進めた。", "grade": "B"}
                   for item in plan.items_for(department)}
        subs.append(submission(plan, department, 2026, entries, {}))
    return summarize(plan, 2026, subs)


# Each workbook of the set: its file name and a header found on every printed page.
BOOKS = {"公表_取組状況_R8.xlsx": "改革項目", "評価シート_R8.xlsx": "委員会意見"}


@pytest.fixture(scope="module")
def written(summary, tmp_path_factory):
    root = tmp_path_factory.mktemp("publish")
    report = write_report(summary, root / "集約_R8.xlsx")
    return publish(report, root / "out", made=MADE).paths


@pytest.fixture(scope="module", params=sorted(BOOKS))
def pages(request, written, tmp_path_factory):
    root = tmp_path_factory.mktemp("render")
    book = next(p for p in written if p.name == request.param)
    simple = shutil.copy(book, root / "book.xlsx")  # an ASCII name: simple command lines
    pdf = hostile.convert(Path(simple), "pdf", root / "pdf", root / "profile")
    result = pdf_pages(pdf)
    return request.param, result


def test_every_page_is_legible_on_a4_landscape(pages):
    name, pages = pages
    assert pages
    for number, (page_width, words) in enumerate(pages, start=1):
        assert page_width > 800, "A4 landscape is 842 pt wide"
        sizes = [(x1 - x0) / len(w) for x0, _y0, x1, _y1, w in words if FULL_WIDTH.fullmatch(w)]
        assert sizes and min(sizes) >= 7.95, f"page {number}: text printed at {min(sizes):.1f} pt"
        assert all(0 <= x0 and x1 <= page_width for x0, _y0, x1, _y1, _w in words), f"page {number} runs off"
        page_text = "".join(w for *_box, w in words)
        if "判断基準" in page_text:
            continue  # the criteria sheet of 評価シート: one short table, no page header
        assert BOOKS[name] in page_text and "評価" in page_text, f"page {number}: header row repeated"
        assert "第2次二本松市市政改革推進行動計画" in page_text and "令和8年12月2日" in page_text  # page header


def test_nothing_is_cut_off(pages, summary):
    name, pages = pages
    text = re.sub(r"\s+", "", "".join(page_text(p) for p in pages))
    assert "###" not in text
    for result in summary.items:
        if len(result.item.name) <= 8:
            assert result.item.name in text
    internal = ("確認事項", ".xlsx") if name.startswith("評価シート") else ("確認事項", "事務局コメント", "委員会意見", ".xlsx")
    for column in internal:
        assert column not in text


def test_publish_pdf_writes_one_pdf_per_workbook(written, tmp_path):
    from click.testing import CliRunner

    from addin.cli import cli

    report = written[0].parent.parent / "集約_R8.xlsx"
    result = CliRunner().invoke(cli, ["publish", str(report), "--out", str(tmp_path / "out"), "--pdf"])
    assert result.exit_code == 0, result.output
    for name in ("公表_取組状況_R8.pdf", "評価シート_R8.pdf"):
        pdf = tmp_path / "out" / name
        assert pdf.read_bytes().startswith(b"%PDF"), name


def test_a_long_status_goes_on_over_rows_and_prints_whole(plan, tmp_path):
    long = "".join(f"第{n:03d}段落の取組の説明です。" for n in range(200))  # about 3,200 characters
    department = plan.departments[0]
    item = plan.items_for(department)[0]
    summary = summarize(plan, 2026, [submission(plan, department, 2026, {item.item_id: {"status": long}}, {})])
    report = write_report(summary, tmp_path / "集約_R8.xlsx")
    book = next(p for p in publish(report, tmp_path / "out", made=MADE).paths if p.name == "公表_取組状況_R8.xlsx")
    pdf = hostile.convert(Path(shutil.copy(book, tmp_path / "book.xlsx")), "pdf", tmp_path / "pdf", tmp_path / "profile")
    text = re.sub(r"\s+", "", "".join(page_text(p) for p in pdf_pages(pdf)))
    assert min(text.count(ch) for ch in "段落説") >= 200  # every character printed, wherever rows break it
    assert "第199段落" in text



def test_comments_are_published_only_when_the_plan_says_so(plan, tmp_path):
    from dataclasses import replace

    from addin.consolidation.summary import Override

    shown = replace(plan, settings=replace(plan.settings, publish_comments=True))  # 設定「コメントの公表」する
    item = plan.items_for(plan.departments[0])[0]
    overrides = {item.item_id: Override(comment="成果指標の根拠を示すこと。", committee_comment="市民への周知を強化されたい。")}
    subs = [submission(shown, d, 2026) for d in shown.departments]
    report = write_report(summarize(shown, 2026, subs, overrides=overrides), tmp_path / "集約_R8.xlsx")
    book = next(p for p in publish(report, tmp_path / "out", made=MADE).paths if p.name == "公表_取組状況_R8.xlsx")
    pdf = hostile.convert(Path(shutil.copy(book, tmp_path / "book.xlsx")), "pdf", tmp_path / "pdf", tmp_path / "profile")
    pages = pdf_pages(pdf)
    text = re.sub(r"\s+", "", "".join(page_text(p) for p in pages))
    assert "事務局・委員会の意見" in text and "【事務局】成果指標の根拠を示すこと。" in text and "【委員会】市民への周知" in text
    for number, (page_width, words) in enumerate(pages, start=1):
        sizes = [(x1 - x0) / len(w) for x0, _y0, x1, _y1, w in words if FULL_WIDTH.fullmatch(w)]
        assert min(sizes) >= 7.95 and all(x1 <= page_width for *_b, x1, _y1, _w in words), f"page {number}"
    hidden = write_report(summarize(plan, 2026, [submission(plan, d, 2026) for d in plan.departments],
                                    overrides=overrides), tmp_path / "既定" / "集約_R8.xlsx")
    book = next(p for p in publish(hidden, tmp_path / "既定" / "out", made=MADE).paths if p.suffix == ".xlsx")
    cells = [c for row in openpyxl.load_workbook(book).worksheets[0].iter_rows(values_only=True) for c in row if c]
    assert not any("成果指標の根拠" in str(c) for c in cells) and "事務局・委員会の意見" not in cells
