"""Report workbooks written as a stream with XlsxWriter: each row once, in order, then flushed to disk.

openpyxl keeps every cell of a workbook as a Python object until it saves, and its
serializer costs several microseconds a cell; for a 12,000-item report that was most
of 集約's time and memory. Reports are written only once, so the report sheets describe
every cell with its final value and style, in row order, through this small layer, and
XlsxWriter in ``constant_memory`` mode writes them out as they come.

Styles stay the openpyxl objects of :mod:`addin.xlsx.styles` (one palette for the department
workbooks, which openpyxl still writes, and the reports); :meth:`ReportBook.style` turns
a combination into an XlsxWriter format once and caches it. Rows and columns are
1-based here, as in openpyxl and in Excel's A1 notation.

Text is always written as text: a department's answer starting with ``=`` or looking
like a URL stays a string (no formula injection, no surprise links). A text longer than
a cell holds (32,767 characters) is cut with a visible note at its end, and every cut is
handed to :func:`collect_cuts`, so the command can say so (never cut silently).
"""

from __future__ import annotations

import logging
import math
import os
import tempfile
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, Iterator, Sequence

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.utility import xl_cell_to_rowcol, xl_rowcol_to_cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection

__all__ = ["ReportBook", "ReportSheet", "write_book", "format_properties", "MAX_LINKS", "CELL_LIMIT", "CUT_NOTE",
           "Cut", "collect_cuts"]

log = logging.getLogger(__name__)

# openpyxl border style names → XlsxWriter border indexes.
_BORDER_INDEX = {"thin": 1, "medium": 2, "dashed": 3, "dotted": 4, "thick": 5, "double": 6, "hair": 7,
                 "mediumDashed": 8, "dashDot": 9, "mediumDashDot": 10, "dashDotDot": 11,
                 "mediumDashDotDot": 12, "slantDashDot": 13}
_VALIGN = {"center": "vcenter", "top": "top", "bottom": "bottom", "justify": "vjustify", "distributed": "vdistributed"}
_A4 = 9
MAX_LINKS = 65_530  # Excel's limit of hyperlinks on one sheet
CELL_LIMIT = 32_767  # Excel's limit of characters (UTF-16 units) in one cell
CUT_NOTE = "…【以下省略: Excel の1セルに入る32,767文字を超えました。全文は --json の出力と提出されたファイルにあります】"


@dataclass(frozen=True)
class Cut:
    """A text cut to fit a cell: where, and how long it was (characters)."""

    path: str
    sheet: str
    cell: str
    length: int


_cuts: ContextVar[list[Cut] | None] = ContextVar("reform_cuts", default=None)


@contextmanager
def collect_cuts() -> Iterator[list[Cut]]:
    """Collect every cut made by the workbooks written inside the ``with`` block."""
    found: list[Cut] = []
    token = _cuts.set(found)
    try:
        yield found
    finally:
        _cuts.reset(token)


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _fit(text: str) -> str:
    """``text`` if a cell holds it; else its start and CUT_NOTE, within CELL_LIMIT."""
    room = CELL_LIMIT - _units(CUT_NOTE)
    kept = text[:room]
    while _units(kept) > room:  # characters outside the BMP count twice in Excel
        kept = kept[:-1]
    return kept + CUT_NOTE


def _colour(value) -> str | None:
    """openpyxl's ``FF305496`` / ``305496`` → ``#305496``."""
    rgb = getattr(value, "rgb", None)
    if not isinstance(rgb, str):
        return None
    return f"#{rgb[-6:]}"


def format_properties(font: Font | None = None, fill: PatternFill | None = None, border: Border | None = None,
                      alignment: Alignment | None = None, number_format: str | None = None,
                      protection: Protection | None = None) -> dict[str, Any]:
    """XlsxWriter format properties for a combination of openpyxl style objects."""
    props: dict[str, Any] = {}
    if font is not None:
        props.update(font_name=font.name, font_size=font.sz, bold=bool(font.b), italic=bool(font.i))
        if _colour(font.color):
            props["font_color"] = _colour(font.color)
        if font.u:
            props["underline"] = 1
    if fill is not None and fill.fill_type == "solid" and _colour(fill.fgColor):
        props.update(pattern=1, bg_color=_colour(fill.fgColor))
    if border is not None:
        for side in ("left", "right", "top", "bottom"):
            edge = getattr(border, side)
            if edge is not None and edge.style:
                props[side] = _BORDER_INDEX.get(edge.style, 1)
                if _colour(edge.color):
                    props[f"{side}_color"] = _colour(edge.color)
    if alignment is not None:
        if alignment.horizontal and alignment.horizontal != "general":
            props["align"] = alignment.horizontal
        if alignment.vertical:
            props["valign"] = _VALIGN.get(alignment.vertical, alignment.vertical)
        if alignment.wrap_text:
            props["text_wrap"] = True
    if number_format and number_format != "General":
        props["num_format"] = number_format
    if protection is not None and protection.locked is False:
        props["locked"] = False
    return {k: v for k, v in props.items() if v is not None}


class ReportBook:
    """One output workbook; sheets appear in the order they are added."""

    def __init__(self, path: str | os.PathLike, *, title: str | None = None, author: str | None = None,
                 scratch: str | None = None):
        self.path = os.fspath(path)
        self.book = xlsxwriter.Workbook(self.path, {
            "constant_memory": True, **({"tmpdir": scratch} if scratch else {}),
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
            "default_date_format": "yyyy/mm/dd",
        })
        self.book.set_properties({k: v for k, v in (("title", title), ("author", author)) if v})
        self.cuts: list[tuple[str, str, int]] = []  # (sheet, cell, length) of every text cut to fit
        self._formats: dict[tuple, Any] = {}
        self._keep: list[object] = []  # the style objects behind cached keys (their ids must stay unique)

    def style(self, **attrs) -> Any:
        """The XlsxWriter format for ``font=``, ``fill=``, ``border=``, ``alignment=``, ``number_format=``."""
        # By identity: the styles are a few shared objects; XlsxWriter merges equal formats when it saves.
        key = (tuple(attrs), tuple(map(id, attrs.values())))
        found = self._formats.get(key)
        if found is None:
            found = self._formats[key] = self.book.add_format(format_properties(**attrs))
            self._keep.append(attrs)  # keeps the objects alive, so their ids are not reused
        return found

    def conditional_style(self, font: Font | None = None, fill: PatternFill | None = None) -> Any:
        """A format for a conditional rule (only colours, as Excel's own highlight styles)."""
        props = {}
        if font is not None and _colour(font.color):
            props["font_color"] = _colour(font.color)
        if fill is not None and _colour(fill.fgColor):
            props["bg_color"] = _colour(fill.fgColor)
        return self.book.add_format(props)

    def add_chart(self, options: dict):
        """An XlsxWriter chart, to be placed with ``sheet.ws.insert_chart``."""
        return self.book.add_chart(options)

    def add_sheet(self, name: str) -> "ReportSheet":
        return ReportSheet(self, self.book.add_worksheet(name))

    def close(self) -> None:
        """Save; a failed save (a full disk, a locked file) raises the OSError XlsxWriter wrapped."""
        try:
            self.book.close()
        except FileCreateError as exc:
            cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc))
            raise cause from exc

    def discard(self) -> None:
        """Close the scratch files of a book that will not be saved (so its folder can be removed)."""
        for sheet in self.book.worksheets():
            handle = getattr(sheet, "row_data_fh", None)
            if handle is not None and not handle.closed:
                handle.close()


def write_book(path: str | os.PathLike, fill: Callable[["ReportBook"], object], *, title: str | None = None,
               author: str | None = None):
    """Write a workbook atomically: ``fill(book)`` adds its sheets; returns the path written."""
    from addin.atomic import atomic_write

    def write(tmp) -> None:
        # XlsxWriter keeps each sheet's rows in scratch files until it saves: in a folder of their own,
        # removed whatever happens, so a full disk or a failure leaves none of them behind.
        with tempfile.TemporaryDirectory(prefix="reform-", ignore_cleanup_errors=True) as scratch:
            book = ReportBook(tmp, title=title, author=author, scratch=scratch)
            try:
                fill(book)
                book.close()
            finally:
                book.discard()
            cuts.extend(Cut(os.fspath(path), *cut) for cut in book.cuts)

    cuts: list[Cut] = []
    written = atomic_write(path, write)
    sink = _cuts.get()
    for cut in cuts:
        log.warning("text of %s characters cut to fit %s!%s of %s", cut.length, cut.sheet, cut.cell, cut.path)
        if sink is not None:
            sink.append(cut)
    return written


class ReportSheet:
    """One worksheet, written row by row (a row cannot be changed once a later row was written)."""

    def __init__(self, book: ReportBook, ws):
        self.book = book
        self.ws = ws
        self.name = ws.name
        self._links = 0

    def write(self, row: int, col: int, value: object, style: Any = None) -> None:
        """A value (text stays text), 1-based; a blank with a style is a styled empty cell."""
        r, c = row - 1, col - 1
        ws = self.ws
        if value is None or value == "":
            if style is not None:
                ws.write_blank(r, c, None, style)
        elif isinstance(value, str):
            ws.write_string(r, c, self._fitted(r, c, value), style)
        elif isinstance(value, bool):
            ws.write_boolean(r, c, value, style)
        elif isinstance(value, float) and not math.isfinite(value):
            # NaN or infinity (only a crafted file holds one): Excel has no such number; a blank, never a crash.
            ws.write_blank(r, c, None, style)
        elif isinstance(value, (int, float)):
            ws.write_number(r, c, value, style)
        elif isinstance(value, (datetime, date)):
            ws.write_datetime(r, c, value, style)
        else:
            ws.write_string(r, c, str(value), style)

    def _fitted(self, r: int, c: int, text: str) -> str:
        """The text, or its start with CUT_NOTE when a cell cannot hold it (the cut is recorded)."""
        if len(text) <= CELL_LIMIT // 2 or _units(text) <= CELL_LIMIT:
            return text
        self.book.cuts.append((self.name, xl_rowcol_to_cell(r, c), len(text)))
        return _fit(text)

    def write_row(self, row: int, values: Sequence[object], styles: Sequence[Any] | Any = None,
                  first_col: int = 1) -> None:
        """Values from ``first_col`` on; ``styles`` one per value or one for all."""
        many = isinstance(styles, (list, tuple))
        for offset, value in enumerate(values):
            self.write(row, first_col + offset, value, styles[offset] if many else styles)

    def link(self, row: int, col: int, target: str, location: str | None, text: str, style: Any = None,
             tooltip: str | None = None) -> None:
        """A cell linking to another file (``target``, relative to the report) at ``location``."""
        self._url(row, col, f"external:{target}" + (f"#{location}" if location else ""), text, style, tooltip)

    def link_sheet(self, row: int, col: int, sheet: str, text: str, style: Any = None) -> None:
        """A cell linking to cell A1 of another sheet of this workbook (an internal link: no file involved)."""
        quoted = sheet.replace("'", "''")
        self._url(row, col, f"internal:'{quoted}'!A1", text, style)

    def _url(self, row: int, col: int, url: str, text: str, style: Any, tooltip: str | None = None) -> None:
        # Past Excel's limit the cell keeps its text without a link.
        if self._links < MAX_LINKS and self.ws.write_url(row - 1, col - 1, url, style, text, tooltip) >= 0:
            self._links += 1
            return
        self.write(row, col, text, style)

    def merge(self, ref: str, value: object, style: Any = None) -> None:
        if isinstance(value, float) and not math.isfinite(value):
            value = ""
        elif isinstance(value, str):
            value = self._fitted(*xl_cell_to_rowcol(ref.split(":")[0]), value)
        self.ws.merge_range(ref, value, style)

    def height(self, row: int, points: float) -> None:
        """Set before the row is written (rows are flushed as the next one starts)."""
        self.ws.set_row(row - 1, points)

    def widths(self, widths: dict[int, float]) -> None:
        """Column widths by 1-based column, in Excel's character units."""
        for col, width in widths.items():
            self.ws.set_column(col - 1, col - 1, width)

    def freeze(self, cell: str) -> None:
        self.ws.freeze_panes(cell)

    def autofilter(self, ref: str) -> None:
        self.ws.autofilter(ref)

    def print_area(self, ref: str) -> None:
        self.ws.print_area(ref)

    def print_setup(self, header_rows: tuple[int, int] | None = None, landscape: bool = True) -> None:
        """A4, landscape by default, one page wide, header rows repeated, page numbers in the footer."""
        ws = self.ws
        ws.set_paper(_A4)
        if landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.fit_to_pages(1, 0)
        ws.center_horizontally()
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        # Header and footer inside the margins, or the page number is clipped.
        ws.set_header("", {"margin": 0.25})
        ws.set_footer("&C&P / &N", {"margin": 0.25})
        if header_rows:
            ws.repeat_rows(header_rows[0] - 1, header_rows[1] - 1)

    def highlight(self, ref: str, operator: str, value: str, font: Font | None = None,
                  fill: PatternFill | None = None) -> None:
        """A conditional format: cells ``operator`` (==, >=, <) ``value`` get the font colour and fill."""
        self.ws.conditional_format(ref, {"type": "cell", "criteria": operator, "value": value,
                                         "format": self.book.conditional_style(font, fill)})

    def choices(self, ref: str, choices: Sequence[str], title: str, message: str) -> None:
        """A dropdown that refuses anything else (blank allowed)."""
        self.ws.data_validation(ref, {"validate": "list", "source": list(choices), "ignore_blank": True,
                                      "error_title": title, "error_message": message, "error_type": "stop"})
