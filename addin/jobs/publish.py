"""reform publish: the publication set written from a consolidated report (no plan workbook needed)."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

from addin.errors import ReformError
from addin.reports.evaluation_sheet import write_evaluation_sheet
from addin.reports.finance import read_finance_tables
from addin.reports.opendata import write_grades_csv, write_status_csv, write_table_csvs
from addin.reports.publication import read_public_items, write_status_list

__all__ = ["publish", "to_pdf", "NoConverter"]


class NoConverter(ReformError):
    """--pdf was asked for, but no LibreOffice is installed."""


def publish(report: str | os.PathLike, out_dir: str | os.PathLike, made: date | None = None) -> list[Path]:
    """Write the workbooks and CSVs of the publication set into ``out_dir``; returns their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    info, tables = read_finance_tables(report, made)
    items = read_public_items(report)
    return [write_status_list(report, out_dir, made), write_status_csv(items, info.year, out_dir),
            write_grades_csv(items, info.year, out_dir), *write_table_csvs(tables, info.year, out_dir),
            write_evaluation_sheet(report, out_dir, made)]


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
