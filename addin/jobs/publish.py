"""reform publish: the publication set written from a consolidated report (no plan workbook needed)."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from addin.consolidation.history import HISTORY_FILE
from addin.errors import ReformError
from addin.reports.evaluation_sheet import write_evaluation_sheet
from addin.reports.finance import read_finance_tables
from addin.reports.item_history import PlanHistory, load_plan_history
from addin.reports.item_sheets import item_sheets_name, write_item_sheets
from addin.reports.opendata import write_grades_csv, write_status_csv, write_table_csvs
from addin.reports.publication import read_public_items, read_report_settings, write_status_list
from addin.vocab import YES

__all__ = ["Published", "publish", "to_pdf", "NoConverter"]


class NoConverter(ReformError):
    """--pdf was asked for, but no LibreOffice is installed."""


@dataclass
class Published:
    """What publish wrote, and what it could not write (in Japanese, for the user)."""

    paths: list[Path]
    notes: list[str] = field(default_factory=list)

    @property
    def books(self) -> list[Path]:
        return [p for p in self.paths if p.suffix == ".xlsx"]


def publish(report: str | os.PathLike, out_dir: str | os.PathLike, made: date | None = None,
            db: str | os.PathLike | None = None) -> Published:
    """Write the workbooks and CSVs of the publication set into ``out_dir``.

    Earlier years (個票, 過年度評価, 効果額 by year) come from the history database ``db``,
    by default the ``reform.db`` beside the report; without it the rest is still written and a
    note says why 個票 is missing.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    info, tables = read_finance_tables(report, made)
    items = read_public_items(report)
    settings = read_report_settings(report)
    comments = settings.get("コメントの公表") == YES
    notes: list[str] = []
    try:  # the history is keyed by the plan's own name (設定), the title's when the report predates _設定
        history = load_plan_history(Path(db) if db else Path(report).parent / HISTORY_FILE,
                                    settings.get("計画名") or info.plan_name, info.year)
    except ReformError as exc:
        history = None
        notes.append(f"個票（{item_sheets_name(info.year)}）は作成していません。{exc}")
    paths = [write_status_list(items, info, out_dir, comments)]
    if history is not None:
        paths.append(write_item_sheets(history, items, out_dir, info.plan_name, info.made, comments, info.author))
    paths.append(write_evaluation_sheet(items, info, tables, out_dir, _grades(history)))
    paths += [write_status_csv(items, info.year, out_dir), write_grades_csv(items, info.year, out_dir),
              *write_table_csvs(tables, info.year, out_dir, history)]
    return Published(paths, notes)


def _grades(history: PlanHistory | None) -> dict[str, dict[int, str | None]]:
    return {item_id: record.grades for item_id, record in history.records.items()} if history else {}


def to_pdf(books: list[Path], out_dir: Path) -> list[Path]:
    """A PDF of each workbook through LibreOffice headless, beside it."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise NoConverter("PDF を作るには LibreOffice をインストールしてください（または Excel で開き「PDF/XPS 形式で保存」）。"
                          "Excel のブックはすでに書き出してあります。")
    done = []
    for book in books:
        pdf = out_dir / f"{book.stem}.pdf"
        try:
            subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out_dir), str(book)],
                           check=True, capture_output=True, timeout=300)
        except (OSError, subprocess.SubprocessError) as exc:
            raise NoConverter(f"{book.name} を PDF にできませんでした（{type(exc).__name__}）。LibreOffice を閉じてから"
                              "もう一度実行するか、Excel で開いて「PDF/XPS 形式で保存」してください。") from exc
        if not pdf.exists():
            raise NoConverter(f"{book.name} を PDF にできませんでした。Excel で開いて「PDF/XPS 形式で保存」してください。")
        done.append(pdf)
    return done
