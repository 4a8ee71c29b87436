"""The used range of a sheet, bounded from its XML before any reader allocates it.

python-calamine allocates one dense grid from A1 to the farthest cell it is
told about: a single value in XFD1048576 asks for 512 GiB and aborts the whole
process (no exception to catch), one in BZ1048576 costs gigabytes. openpyxl
fills merged ranges cell by cell. So before either sees a file,
:func:`check_extent` streams the XML of the sheets a reader will load and
refuses the file at the first reference beyond ``MAX_ROWS`` or ``MAX_COLUMNS``:
the ``<dimension ref>``, every ``<row r>`` and ``<c r>`` (or, where a writer
omits ``r``, the position it implies) and every ``<mergeCell ref>``. The
dimension is only a claim: it may be missing or smaller than the cells.

The parse is expat with no namespace processing (names are matched by their
local part) and no DTD (the guard has refused any DOCTYPE already, and a
declaration here stops the scan too). It stops at the first far reference, so
a hostile sheet costs no more than an honest one.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.parsers import expat

from openpyxl.utils import get_column_letter

from addin.errors import UnreadableWorkbook
from addin.xlsx.refusals import AT_CELL, AT_ROW, FAR_CELL, UNSAFE_XML, Refusal
from addin.xlsx.scan import sheet_parts

__all__ = ["MAX_ROWS", "MAX_COLUMNS", "check_extent"]

MAX_ROWS = 100_000
MAX_COLUMNS = 200  # GR
_CHUNK = 64 * 1024
_REF = re.compile(r"\$?([A-Za-z]*)\$?([0-9]*)")
_NEAR = re.compile(r"([A-Z]|[A-G][A-Z])([0-9]{1,6})")
_LAST_COLUMN_2 = "GR"  # two letters compare as strings
_LAST_LETTERS = frozenset("cwnl")  # c, row, dimension, mergeCell
# The fast path, for parts up to _FAST_PART bytes (a department workbook's are about 20 KB): one search
# in C for anything that might be far finds nothing in an ordinary sheet, which then needs no parse.
_FAST_PART = 4 * 1024 * 1024
_MAYBE_FAR = re.compile(rb"""\s(?:r|ref)\s*=\s*(?:""|''|["'][^"'<]*?(?:[A-Za-z]{3}|[G-Zg-z][A-Za-z]|[0-9]{6}|&))""")
_WITHOUT_R = re.compile(rb"""<(?:[\w.-]+:)?(?:c|row)(?=[\s/>])(?![^>]*\sr\s*=)""")


class _Far(Exception):
    """Internal: the first reference beyond the limits (column and row, 1-based; 0 when not given)."""

    def __init__(self, column: int, row: int):
        super().__init__(column, row)
        self.column, self.row = column, row


def _column_number(letters: str) -> int:
    if len(letters) > 3:  # beyond XFD: no need to turn a thousand letters into a number
        return 16_385
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def _parse_ref(ref: str) -> tuple[int, int]:
    """(column, row) of ``XFD1048576`` / ``A`` / ``12``; 0 for a part that is not given or not a reference."""
    match = _REF.fullmatch(ref.strip())
    if match is None:
        return 0, 0
    letters, digits = match.groups()
    return (_column_number(letters) if letters else 0), (int(digits[:9]) if digits else 0)


class _Sheet:
    """Watches one sheet's elements; raises _Far at the first one beyond the limits."""

    def __init__(self):
        self.row = 0
        self.column = 0
        self.far_row = 0  # a far row is named by its first cell when it has one, else as a row

    def finish(self) -> None:
        if self.far_row:
            raise _Far(0, self.far_row)

    @staticmethod
    def _check(column: int, row: int) -> None:
        if column > MAX_COLUMNS or row > MAX_ROWS:
            raise _Far(column, row)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        # Called for every element of the sheet: the common ones (v, f, t) leave at the first test.
        if name[-1] not in _LAST_LETTERS:
            return
        local = name.rpartition(":")[2]
        if local == "c":
            self.cell(attrs.get("r"))
        elif local == "row":
            self.finish()
            ref = attrs.get("r")
            self.row = int(ref[:9]) if ref and ref.isdigit() else self.row + 1
            self.column = 0
            if self.row > MAX_ROWS:
                self.far_row = self.row
        elif local in ("dimension", "mergeCell"):
            self.finish()
            for part in attrs.get("ref", "").split(":"):
                self._check(*_parse_ref(part))

    def cell(self, ref: str | None) -> None:
        if self.far_row:
            self.row, self.far_row = self.far_row, 0
        if not ref:  # no r: the cell follows the previous one in its row
            self.column += 1
            self._check(self.column, self.row)
            return
        near = _NEAR.fullmatch(ref)  # the common case, A1 to GR999999, without arithmetic on the letters
        if near is not None:
            letters = near.group(1)
            if (len(letters) == 1 or letters <= _LAST_COLUMN_2) and int(near.group(2)) <= MAX_ROWS:
                self.column = _column_number(letters)
                return
        self.column, row = _parse_ref(ref)
        self._check(self.column, row or self.row)


def _refuse_declaration(*_args) -> None:
    raise Refusal(UNSAFE_XML)


def _plainly_near(data: bytes) -> bool:
    """True when a UTF-8 sheet cannot reach beyond the limits: every ``r``/``ref`` value is short and plain
    (no run of 3 letters, no pair from G, no 6 digits, no character reference, not empty) and every cell
    and row says where it is. Anything else, false alarms included, goes through expat."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
        return False  # UTF-16: the patterns are for ASCII-compatible bytes
    return _MAYBE_FAR.search(data) is None and _WITHOUT_R.search(data) is None


def _scan(part) -> None:
    """Stream one sheet part through expat; raises _Far, or expat.ExpatError on XML no reader accepts."""
    if part.seekable():
        head = part.read(_FAST_PART + 1)
        if len(head) <= _FAST_PART and _plainly_near(head):
            return
        part.seek(0)
    watcher = _Sheet()
    parser = expat.ParserCreate()
    parser.StartElementHandler = watcher.start
    parser.StartDoctypeDeclHandler = _refuse_declaration
    parser.EntityDeclHandler = _refuse_declaration
    while True:
        chunk = part.read(_CHUNK)
        parser.Parse(chunk, not chunk)
        if not chunk:
            watcher.finish()
            return


def _where(column: int, row: int) -> str:
    """Where the far reference is, as the message names it: a cell, a whole row or a whole column."""
    letters = get_column_letter(min(column, 16_384)) if column else ""
    if column and row:
        return AT_CELL.format(cell=f"{letters}{row}")
    return AT_ROW.format(row=row) if row else AT_CELL.format(cell=letters)


def check_extent(path: str | Path, sheets: list[str] | tuple[str, ...] | None = None) -> None:
    """Raise UnreadableWorkbook naming the sheet and the far cell when a sheet reaches beyond GR100000.

    ``sheets`` are the sheets a reader will load (absent ones are ignored); None means every sheet.
    Call it after :func:`addin.xlsx.guard.check_xlsx`, which bounds the parts' sizes, inside
    :func:`addin.xlsx.guard.reading`: XML that is not well-formed (no reader accepts it, and the scan
    cannot see past it) raises the parser's error.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = sheet_parts(archive)
            names = set(archive.namelist())
            for sheet, member in parts.items():
                if (sheets is not None and sheet not in sheets) or member not in names:
                    continue
                with archive.open(member) as part:
                    try:
                        _scan(part)
                    except _Far as far:
                        raise Refusal(FAR_CELL.format(sheet=sheet, where=_where(far.column, far.row))) from None
    except Refusal as refusal:
        raise UnreadableWorkbook(path, refusal.reason) from None
