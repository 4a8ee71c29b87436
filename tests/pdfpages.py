"""Words and their boxes on the pages of a PDF (``pdftotext -bbox``), for the render tests."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
FULL_WIDTH = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]{2,}")  # kana and kanji: one glyph is one font size wide

Page = tuple[float, list[tuple[float, float, float, float, str]]]


def pdf_pages(pdf: Path) -> list[Page]:
    """(width, words with their boxes) of every page, in points."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True,
                          timeout=60).stdout.decode("utf-8")
    pages = []
    for page in html.split("<page ")[1:]:
        width = float(re.search(r'width="([\d.]+)"', page).group(1))
        pages.append((width, [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in WORD.findall(page)]))
    return pages


def page_text(page: Page) -> str:
    return "".join(w for *_box, w in page[1])
