"""reform publish: the public status list and its CSV carry the public columns only, grouped, one record per line."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from records import submission

from addin.cli import cli
from addin.consolidation.summary import summarize
from addin.jobs.publish import publish
from addin.reports.opendata import EFFECTS_CSV_HEADERS, GRADES_CSV_HEADERS, KPI_CSV_HEADERS, STATUS_CSV_HEADERS
from addin.reports.evaluation_sheet import CRITERIA_SHEET, EVALUATION_HEADERS
from addin.reports.publication import public_headers
from addin.vocab import GRADES
from addin.reports.status import STATUS_HEADERS
from addin.reports.workbook import write_report

MADE = date(2026, 12, 2)
# What only the secretariat sees: never in a public document.
INTERNAL = ("確認事項", "自己評価", "事務局評価", "事務局コメント", "委員会評価", "委員会意見", "評価の相違", "進捗")


@pytest.fixture(scope="module")
def summary(plan):
    subs = []
    for n, department in enumerate(plan.departments):
        entries = {item.item_id: {"status": f"=SUM(A1) 実施した\n二行目 {department}", "grade": "A" if n % 2 else "B"}
                   for item in plan.items_for(department)}
        subs.append(submission(plan, department, 2026, entries, {}))
    return summarize(plan, 2026, subs)


@pytest.fixture(scope="module")
def published(summary, tmp_path_factory) -> list[Path]:
    report = write_report(summary, tmp_path_factory.mktemp("report") / "集約_R8.xlsx")
    return publish(report, report.parent / "公表", made=MADE).paths


def _rows(path: Path) -> list[list[object]]:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_status_list_has_the_public_columns_only(published):
    rows = _rows(published[0])
    assert published[0].name == "公表_取組状況_R8.xlsx"
    header = next(r for r in rows if r and r[0] == "改革項目")
    assert tuple(header) == public_headers(2026)
    for name in INTERNAL:
        assert name in STATUS_HEADERS or name == "自己評価"
        assert name not in header
    legend = rows[-1][0]  # below the list, what each grade means: the public has no criteria sheet
    assert legend.startswith("評価　A：") and all(f"{g}：" in legend for g in GRADES)


def test_status_list_is_grouped_under_heading_rows(published, plan):
    rows = _rows(published[0])
    texts = [r[0] for r in rows if r and r[0]]
    pillars = list(dict.fromkeys(i.pillar for i in plan.items))
    for pillar in pillars:
        assert texts.count(pillar) == 1, pillar  # one heading, not a column on every row
    areas = list(dict.fromkeys((i.pillar, i.area) for i in plan.items))
    assert sum(1 for t in texts if t.startswith("　")) == len(areas)
    for item in plan.items:
        row = next(r for r in rows if r[0] == f"{item.number} {item.name}".strip())
        assert row[2] == (item.content or None) and row[1] == (item.actions or None)


def test_status_list_carries_the_final_grade(published, summary):
    rows = _rows(published[0])
    for result in summary.items:
        name = f"{result.item.number} {result.item.name}".strip()
        row = next(r for r in rows if r[0] == name)
        assert row[-1] == result.grade


def test_status_csv_is_one_record_per_line(published, summary):
    path = next(p for p in published if p.suffix == ".csv")
    assert path.name == "取組状況_R8.csv"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    lines = raw.decode("utf-8-sig").split("\r\n")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))
    assert tuple(records[0]) == STATUS_CSV_HEADERS
    assert len(records) == len(summary.items) + 1 == len([line for line in lines if line])
    assert all("\n" not in field for record in records for field in record)
    for record in records[1:]:
        assert record[5].startswith("'=") or record[5].startswith("【"), record[5]  # no formula, Japanese intact
        assert "実施した" in record[5]


def test_cli_publish_writes_the_set(summary, tmp_path):
    report = write_report(summary, tmp_path / "集約_R8.xlsx")
    result = CliRunner().invoke(cli, ["publish", str(report), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "公表_取組状況_R8.xlsx").exists()
    assert (tmp_path / "out" / "取組状況_R8.csv").exists()


def test_cli_publish_without_libreoffice_says_what_to_do(summary, tmp_path, monkeypatch):
    report = write_report(summary, tmp_path / "集約_R8.xlsx")
    monkeypatch.setattr("shutil.which", lambda name: None)
    result = CliRunner().invoke(cli, ["publish", str(report), "--out", str(tmp_path / "out"), "--pdf"])
    assert result.exit_code == 2, result.output
    assert "LibreOffice" in result.output and "インストール" in result.output
    assert (tmp_path / "out" / "公表_取組状況_R8.xlsx").exists()  # the workbooks are written all the same


def _records(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))
    assert len([line for line in raw.decode("utf-8-sig").split("\r\n") if line]) == len(records)
    return records


def test_grades_csv_has_every_stage_and_the_final_grade(published, summary):
    path = next(p for p in published if p.name == "評価_R8.csv")
    records = _records(path)
    assert tuple(records[0]) == GRADES_CSV_HEADERS
    final = {r.item.item_id: r.grade for r in summary.items}
    assert {r[0]: r[5] for r in records[1:]} == {k: v or "" for k, v in final.items()}
    assert all("\n" not in f for r in records for f in r)


def test_kpi_csv_is_long_format_up_to_this_year(summary, tmp_path):
    plan = summary.plan
    kpi = plan.kpis[0]
    department = next(d for d in plan.departments if kpi in plan.kpis_led_by(d))
    subs = [submission(plan, department, 2026, {}, {kpi.name: 7})]
    report = write_report(summarize(plan, 2026, subs), tmp_path / "集約_R8.xlsx")
    path = next(p for p in publish(report, tmp_path / "out", made=MADE).paths if p.name == "KPI_R8.csv")
    records = _records(path)
    assert tuple(records[0]) == KPI_CSV_HEADERS
    assert [r[:5] for r in records[1:]] == [[kpi.item_id, kpi.name, kpi.unit or "", "R8", "7"]]


def test_effects_csv_lists_the_items_with_an_effect(summary, tmp_path):
    plan = summary.plan
    department = plan.departments[0]
    item = plan.items_for(department)[0]
    subs = [submission(plan, department, 2026, {item.item_id: {"effect": 1500}}, {})]
    result = summarize(plan, 2026, subs)
    report = write_report(result, tmp_path / "集約_R8.xlsx")
    path = next(p for p in publish(report, tmp_path / "out", made=MADE).paths if p.name == "効果額_R8.csv")
    records = _records(path)
    assert tuple(records[0]) == EFFECTS_CSV_HEADERS
    expected = [[r.item.item_id, "R8", f"{r.effect:g}"] for r in result.items if r.effect is not None]
    assert [r[:2] + r[3:4] for r in records[1:]] == expected
    assert [item.item_id, "R8", "1500"] in expected


def test_evaluation_sheet_has_the_committee_inputs_and_the_criteria(published, summary):
    path = next(p for p in published if p.name == "評価シート_R8.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["評価シート", CRITERIA_SHEET]
    ws = wb["評価シート"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header = next(r for r in rows if r and r[0] == "No.")
    assert tuple(header) == EVALUATION_HEADERS
    col = {name: i for i, name in enumerate(header)}
    by_name = {r[col["改革項目"]]: r for r in rows if r and r[0] not in (None, "No.") and r[1]}
    for result in summary.items:
        row = by_name[result.item.name]
        assert row[col["委員会評価"]] is None and row[col["委員会意見"]] is None  # left for the committee
        assert row[col["事務局評価（案）"]] == result.grade
        for department, grade in result.grades.items():
            assert f"【{department}】{grade or '－'}" in row[col["個別評価"]]
    refs = [str(dv.sqref) for dv in ws.data_validations.dataValidation]
    letter = "ABCDEFGHIJ"[col["委員会評価"]]
    assert any(ref.startswith(f"{letter}") for ref in refs)
    criteria = [r[0] for r in wb[CRITERIA_SHEET].iter_rows(values_only=True) if r and r[0] in GRADES]
    assert criteria == list(GRADES)


def test_evaluation_sheet_shows_kpi_change_and_effect(summary, tmp_path):
    plan = summary.plan
    kpi = plan.kpis[0]
    department = next(d for d in plan.departments if kpi in plan.kpis_led_by(d))
    item = next(i for i in plan.items_for(department) if i.item_id == kpi.item_id)
    subs = [submission(plan, department, 2026, {item.item_id: {"effect": 2500}}, {kpi.name: 7})]
    report = write_report(summarize(plan, 2026, subs), tmp_path / "集約_R8.xlsx")
    path = next(p for p in publish(report, tmp_path / "out", made=MADE).paths if p.name == "評価シート_R8.xlsx")
    rows = [list(r) for r in openpyxl.load_workbook(path)["評価シート"].iter_rows(values_only=True)]
    row = next(r for r in rows if r[1] == item.name)
    outcome = row[EVALUATION_HEADERS.index("成果及び効果")]
    assert f"{kpi.name}：" in outcome and "→ 7" in outcome and "効果額：2,500千円" in outcome


def test_cli_publish_pdf_when_the_converter_fails_is_a_message(summary, tmp_path, monkeypatch):
    import subprocess

    report = write_report(summary, tmp_path / "集約_R8.xlsx")

    def broken(*_args, **_kwargs):
        raise subprocess.TimeoutExpired("soffice", 300)

    monkeypatch.setattr("shutil.which", lambda name: "/usr/bin/soffice")
    monkeypatch.setattr("subprocess.run", broken)
    result = CliRunner().invoke(cli, ["publish", str(report), "--out", str(tmp_path / "out"), "--pdf"])
    assert result.exit_code == 2, result.output
    assert "PDF にできませんでした" in result.output and "Traceback" not in result.output
