"""The gate every reader passes before parsing an .xlsx: nothing crashes, nothing leaks.

:func:`check_xlsx` refuses, with a Japanese reason that says what to do, any
file that is not a safe Office Open XML workbook. It runs in bounded memory
and in time proportional to the file's declared content:

1. the file itself: missing, not a regular file, unreadable, empty, over
   ``Limits.max_file_size``;
2. the first bytes: an OLE compound file is an encrypted workbook (it has an
   ``EncryptionInfo`` stream), a legacy .xls (a ``Workbook``/``Book`` stream)
   or another old Office file; a PDF, text/CSV or anything else that is not a
   zip is refused by name;
3. the zip's end record, before :mod:`zipfile` reads the central directory:
   at most ``Limits.max_members`` entries and ``Limits.max_directory`` bytes;
4. the part names: ``[Content_Types].xml`` and ``xl/workbook.xml`` must be
   there (an .xlsb, .ods, .docx or .pptx is named as such);
5. the central directory only (nothing inflated): the declared uncompressed
   total is at most ``Limits.max_total`` and no member over
   ``Limits.ratio_min_size`` is compressed more than ``Limits.max_ratio``:1;
6. one streaming pass over every member with our own inflater, 64 KiB at a
   time: a member that inflates past its declared size (a lying header) is
   stopped there; truncated data and CRC mismatches are refused; a part that
   is XML is refused when its prolog has a ``<!DOCTYPE`` (entity definitions,
   billion laughs, external entities such as ``file:///etc/passwd``) or an
   encoding other than UTF-8/UTF-16 (an EBCDIC or UTF-7 part could hide one).
   Only the prolog is scanned: XML allows entity declarations nowhere else.

Decisions: .xlsm/.xltx/.xltm are read like .xlsx (values only; neither
openpyxl with ``keep_vba=False`` nor calamine runs or keeps macros); .xlsb is
refused with "save as .xlsx". The file's content decides, not its extension.

openpyxl parses with defusedxml only when ``OPENPYXL_DEFUSEDXML`` is "True"
(the default) at its import; :mod:`addin` sets it before anything imports
openpyxl. Our own DOCTYPE refusal happens first anyway, so a process that
imported openpyxl earlier with it off is still safe.

Lazy readers (openpyxl ``read_only=True``, calamine sheets) parse later: wrap
that work in :func:`reading` so its failures become :class:`UnreadableWorkbook`.
The file may change between the check and the parse; the readers re-check
nothing, so callers should not hand us files that are still being written.
"""

from __future__ import annotations

import codecs
import errno
import io
import logging
import os
import re
import stat
import struct
import warnings
import zipfile
import zlib
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from . import log as _log  # noqa: F401 - installs the package's NullHandler: no traceback on stderr
from .errors import UnreadableWorkbook

__all__ = [
    "Limits",
    "DEFAULT_LIMITS",
    "check_xlsx",
    "open_workbook",
    "open_calamine",
    "read_member",
    "open_member",
    "reading",
]

_logger = logging.getLogger(__name__)

MiB = 1024 * 1024
_CHUNK = 64 * 1024
_PROLOG_CAP = 64 * 1024  # characters before the root element; Excel writes about 60
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OPENPYXL_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")

_AFTER_SAVE = "Excel で開けるか確認し、「名前を付けて保存」から .xlsx 形式で保存し直してください。"
_ASK_SENDER = "提出元に確認し、Excel で保存し直したファイルを提出してもらってください。"

MISSING = "ファイルが見つかりません。ファイル名と保存場所を確認してください。"
NOT_A_FILE = "ファイルではありません（フォルダなど）。Excel ファイル（.xlsx）を指定してください。"
NO_ACCESS = "ファイルを開けません。読み取りの権限があるか、ほかのアプリで使用中でないかを確認してください。"
EMPTY = "ファイルが空です（0 バイト）。保存に失敗した可能性があります。元のファイルをもう一度保存して提出し直してください。"
XLS = "Excel 97-2003 形式（.xls）です。Excel で開いて「名前を付けて保存」から .xlsx 形式で保存し直してください。"
XLS_ENCRYPTED = ("パスワードで保護された Excel 97-2003 形式（.xls）です。Excel で開いてパスワードを外し、"
                 "「名前を付けて保存」から .xlsx 形式で保存し直してください。")
ENCRYPTED = ("パスワードで保護（暗号化）されているため読み込めません。Excel で開いて「ファイル」→「情報」→"
             "「ブックの保護」→「パスワードを使用して暗号化」でパスワードを消去して保存し、提出し直してください。")
OTHER_OLE = "Excel ブックではありません（Word など、ほかのソフトの古い形式のファイルです）。正しい Excel ファイル（.xlsx）を指定してください。"
XLSB = ("Excel バイナリブック（.xlsb）形式には対応していません。Excel で開いて「名前を付けて保存」から"
        "「Excel ブック（.xlsx）」形式で保存し直してください。")
ODS = "OpenDocument（.ods）形式です。開いて「名前を付けて保存」から「Excel ブック（.xlsx）」形式で保存し直してください。"
OTHER_OFFICE = "Word や PowerPoint のファイルで、Excel ブックではありません。正しい Excel ファイル（.xlsx）を指定してください。"
PDF = "PDF ファイルです。PDF からは読み込めません。元の Excel ファイル（.xlsx）を提出してもらってください。"
TEXT = "CSV やテキストのファイルで、Excel ブックではありません。Excel で開いて「名前を付けて保存」から .xlsx 形式で保存し直してください。"
NOT_XLSX = "Excel ブック（.xlsx）ではないか、ファイルが壊れています。" + _AFTER_SAVE
NOT_OOXML = "Excel ブックの形式になっていません（ZIP ファイルですが Excel の中身がありません）。正しい Excel ファイル（.xlsx）を指定してください。"
CORRUPT = "ファイルが壊れています（途中で切れているか、一部が傷んでいます）。元のファイルをもう一度保存して提出し直してください。"
TOO_LARGE = "ファイルの中身が大きすぎるため読み込みません（展開後 約{size} MB、上限 {limit} MB）。不要なシートや画像を削除して保存し直してください。"
BOMB = "安全でない内容が含まれているため読み込みません（異常に圧縮されたデータがあります）。" + _ASK_SENDER
UNSAFE_XML = ("安全でない内容が含まれているため読み込みません（Excel では作られない XML の宣言（DOCTYPE）があります）。"
              + _ASK_SENDER)
UNSUPPORTED = "Excel では作られない形式のデータが含まれているため読み込めません。" + _AFTER_SAVE
PARSE = "Excel ブックとして読み込めませんでした（中身が壊れているか、対応していない作り方のファイルです）。" + _AFTER_SAVE
OUT_OF_MEMORY = "ファイルが大きすぎて読み込めませんでした。不要なシートや画像を削除して保存し直してください。"


@dataclass(frozen=True)
class Limits:
    """Bounds for :func:`check_xlsx`; the defaults fit any real department or plan workbook."""

    max_file_size: int = 200 * MiB
    max_total: int = 200 * MiB  # declared uncompressed size of all members together
    max_ratio: float = 200.0  # uncompressed : compressed, for members of at least ratio_min_size
    ratio_min_size: int = 1 * MiB
    max_members: int = 10_000
    max_directory: int = 16 * MiB  # bytes of zip central directory


DEFAULT_LIMITS = Limits()


class _Refuse(Exception):
    """Internal: a reason to refuse, turned into UnreadableWorkbook with the path."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _mb(size: int) -> str:
    return f"{size / MiB:,.0f}" if size >= MiB else f"{size / MiB:.1f}"


def check_xlsx(path, *, limits: Limits | None = None) -> None:
    """Raise UnreadableWorkbook with a Japanese reason unless ``path`` is a safe .xlsx/.xlsm."""
    limits = limits or DEFAULT_LIMITS
    try:
        _check(Path(path), limits)
    except _Refuse as refusal:
        _logger.info("refused %s: %s", path, refusal.reason)
        raise UnreadableWorkbook(path, refusal.reason) from None


def _check(path: Path, limits: Limits) -> None:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise _Refuse(MISSING) from None
    except OSError:
        raise _Refuse(NO_ACCESS) from None
    if not stat.S_ISREG(st.st_mode):  # a folder, a pipe or a device would block or never end
        raise _Refuse(NOT_A_FILE)
    if st.st_size == 0:
        raise _Refuse(EMPTY)
    if st.st_size > limits.max_file_size:
        raise _Refuse(TOO_LARGE.format(size=_mb(st.st_size), limit=_mb(limits.max_file_size)))
    try:
        fp = path.open("rb")
    except OSError:
        raise _Refuse(NO_ACCESS) from None
    with fp:
        try:
            head = fp.read(4096)
            if head.startswith(_OLE_MAGIC):
                raise _Refuse(_classify_ole(fp))
            if not head.startswith(b"PK\x03\x04"):
                raise _Refuse(_classify_other(head))
            _check_zip(fp, st.st_size, limits)
        except OSError as exc:  # a seek to an offset the directory made up is EINVAL
            raise _Refuse(CORRUPT if exc.errno in (None, errno.EINVAL) else NO_ACCESS) from None


def _classify_ole(fp) -> str:
    import olefile

    try:
        fp.seek(0)
        with olefile.OleFileIO(fp) as ole:
            if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
                return ENCRYPTED
            for name in ("Workbook", "Book"):
                if ole.exists(name):
                    with ole.openstream(name) as stream:
                        return XLS_ENCRYPTED if _biff_has_filepass(stream.read(4096)) else XLS
    except Exception:  # noqa: BLE001 - a broken compound file is one message
        _logger.info("unreadable OLE file", exc_info=True)
        return CORRUPT
    return OTHER_OLE


def _biff_has_filepass(data: bytes) -> bool:
    """True when a BIFF stream is encrypted: FILEPASS (0x2F) follows the first BOF record."""
    pos = 0
    for _ in range(16):
        if pos + 4 > len(data):
            return False
        kind, length = struct.unpack_from("<HH", data, pos)
        if kind == 0x002F:
            return True
        pos += 4 + length
    return False


def _classify_other(head: bytes) -> str:
    if head.startswith(b"%PDF"):
        return PDF
    if b"\x00" not in head:
        for encoding in ("utf-8", "cp932"):
            try:
                head.decode(encoding)
            except UnicodeDecodeError as exc:
                if exc.start >= len(head) - 3:  # cut in the middle of a character
                    return TEXT
            else:
                return TEXT
    return NOT_XLSX


def _directory_bounds(fp, size: int) -> tuple[int, int]:
    """Entries and bytes of the central directory, read from the end record alone."""
    tail_len = min(size, 22 + 0xFFFF)
    fp.seek(size - tail_len)
    tail = fp.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise _Refuse(CORRUPT)
    _sig, _d, _dcd, _n_disk, entries, cd_size, _off, _clen = struct.unpack_from("<4s4H2LH", tail, at)
    if (entries == 0xFFFF or cd_size == 0xFFFFFFFF) and at >= 20:
        loc = tail[at - 20:at]
        if loc[:4] == b"PK\x06\x07":
            (offset64,) = struct.unpack_from("<Q", loc, 8)
            if offset64 + 56 <= size:
                fp.seek(offset64)
                rec = fp.read(56)
                if rec[:4] == b"PK\x06\x06":
                    entries, cd_size = struct.unpack_from("<QQ", rec, 32)
    return entries, cd_size


def _check_zip(fp, size: int, limits: Limits) -> None:
    entries, cd_size = _directory_bounds(fp, size)
    if entries > limits.max_members or cd_size > limits.max_directory:
        raise _Refuse(BOMB)
    fp.seek(0)
    try:
        zf = zipfile.ZipFile(fp)
    except Exception:  # noqa: BLE001 - BadZipFile, but also bad names (UnicodeDecodeError), struct.error...
        _logger.info("zip directory unreadable", exc_info=True)
        raise _Refuse(CORRUPT) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_members:
            raise _Refuse(BOMB)
        _check_names(zf)
        total = 0
        for info in infos:
            total += info.file_size
            if (info.file_size >= limits.ratio_min_size
                    and info.file_size > limits.max_ratio * max(info.compress_size, 1)):
                raise _Refuse(BOMB)
        if total > limits.max_total:
            raise _Refuse(TOO_LARGE.format(size=_mb(total), limit=_mb(limits.max_total)))
        for info in infos:
            _scan_member(zf, info)


def _check_names(zf: zipfile.ZipFile) -> None:
    names = set(zf.namelist())
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return
    if "xl/workbook.bin" in names:
        raise _Refuse(XLSB)
    if "mimetype" in names:
        try:
            kind = read_member(zf, "mimetype", 256)
        except UnreadableWorkbook:
            kind = b""
        if kind.startswith(b"application/vnd.oasis.opendocument"):
            raise _Refuse(ODS)
    if "word/document.xml" in names or "ppt/presentation.xml" in names:
        raise _Refuse(OTHER_OFFICE)
    raise _Refuse(NOT_OOXML)


def _read_at(zf: zipfile.ZipFile, pos: int, size: int) -> bytes:
    """Raw bytes of the zip file; zipfile shares the handle (under its lock) and seeks before each read."""
    if zf.fp is None:
        raise ValueError("the zip file is closed")
    with getattr(zf, "_lock", None) or nullcontext():
        zf.fp.seek(pos)
        return zf.fp.read(size)


def _chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """Inflate one member 64 KiB at a time from the raw bytes, whatever its header claims."""
    if info.flag_bits & 0x1:
        raise _Refuse(UNSUPPORTED)  # a zip password: Excel never writes one
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _Refuse(UNSUPPORTED)
    local = _read_at(zf, info.header_offset, 30)
    if len(local) != 30 or local[:4] != b"PK\x03\x04":
        raise _Refuse(CORRUPT)
    name_len, extra_len = struct.unpack_from("<HH", local, 26)
    pos = info.header_offset + 30 + name_len + extra_len
    left = info.compress_size
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    while left > 0:
        data = _read_at(zf, pos, min(_CHUNK, left))
        if not data:
            raise _Refuse(CORRUPT)
        pos += len(data)
        left -= len(data)
        if inflater is None:
            yield data
            continue
        while True:
            try:
                out = inflater.decompress(data, _CHUNK)
            except zlib.error:
                raise _Refuse(CORRUPT) from None
            if out:
                yield out
            data = inflater.unconsumed_tail
            if inflater.eof or (not data and len(out) < _CHUNK):
                break
        if inflater.eof:
            break
    if inflater is not None and not inflater.eof:
        raise _Refuse(CORRUPT)


def _verified_chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int | None) -> Iterator[bytes]:
    """The member's bytes; stops past ``limit`` or its declared size, checks size and CRC at the end."""
    count = 0
    crc = 0
    for chunk in _chunks(zf, info):
        count += len(chunk)
        if count > info.file_size:
            raise _Refuse(BOMB)  # the header lied: stop before inflating any further
        if limit is not None and count > limit:
            raise _Refuse(TOO_LARGE.format(size=f"{_mb(count)} 以上", limit=_mb(limit)))
        crc = zlib.crc32(chunk, crc)
        yield chunk
    if count != info.file_size or crc != info.CRC:
        raise _Refuse(CORRUPT)


def read_member(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """Inflate one member, streaming, and raise UnreadableWorkbook as soon as it passes ``limit`` bytes."""
    buf = bytearray()
    try:
        info = zf.getinfo(name)
        for chunk in _verified_chunks(zf, info, limit):
            buf += chunk
    except KeyError:
        raise UnreadableWorkbook(zf.filename, NOT_OOXML) from None
    except _Refuse as refusal:
        raise UnreadableWorkbook(zf.filename, refusal.reason) from None
    return bytes(buf)


class _MemberReader(io.RawIOBase):
    """A read-only file over :func:`_verified_chunks`, for ``iterparse`` and friends."""

    def __init__(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int | None):
        self._zf = zf
        self._chunks = _verified_chunks(zf, info, limit)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                return 0
            except _Refuse as refusal:
                raise UnreadableWorkbook(self._zf.filename, refusal.reason) from None
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def open_member(zf: zipfile.ZipFile, name: str, limit: int | None = None) -> io.BufferedReader:
    """A streaming file object over one member that raises UnreadableWorkbook past ``limit`` bytes."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise UnreadableWorkbook(zf.filename, NOT_OOXML) from None
    return io.BufferedReader(_MemberReader(zf, info, limit), _CHUNK)


# --- XML prolog -------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Encodings in which "<!DOCTYPE" is written as the ASCII bytes we look for (or that we decode).
_SAFE_DECLARED = {"utf-8", "utf-16", "utf-16-le", "utf-16-be", "ascii", "latin-1", "iso8859-1"}
_ENCODING_DECL = re.compile(r"""^<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]*)["']""")
_WS = " \t\r\n"


class _Prolog:
    """Watches the start of one member; refuses a DOCTYPE before the root element of XML."""

    def __init__(self):
        self.done = False
        self._raw = b""
        self._decoder = None
        self._text = ""
        self._pos = 0

    def feed(self, data: bytes, final: bool = False) -> None:
        if self.done:
            return
        if self._decoder is None:
            self._raw += data
            if len(self._raw) < 4 and not final:
                return
            encoding, skip = "utf-8", 0
            for bom, name in _BOMS:
                if self._raw.startswith(bom):
                    encoding, skip = name, len(bom)
                    break
            else:
                if self._raw.startswith(b"<\x00"):
                    encoding = "utf-16-le"
                elif self._raw.startswith(b"\x00<"):
                    encoding = "utf-16-be"
            self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
            data, self._raw = self._raw[skip:], b""
        self._text += self._decoder.decode(data, final)
        self._scan(final)

    def _scan(self, final: bool) -> None:
        text = self._text
        while True:
            pos = self._pos
            while pos < len(text) and text[pos] in _WS:
                pos += 1
            self._pos = pos
            if pos > _PROLOG_CAP:
                raise _Refuse(UNSAFE_XML)  # a prolog this long only hides something
            rest = text[pos:pos + 4]
            if not rest:
                break
            if rest[0] != "<":
                self.done = True  # not XML (or text before the root, which no parser accepts)
                return
            if len(rest) < 2:
                break
            if rest.startswith("<?"):
                end = text.find("?>", pos + 2)
                if end < 0:
                    break
                if pos == 0:
                    self._check_declaration(text[: end + 2])
                self._pos = end + 2
            elif rest.startswith("<!--"):
                end = text.find("-->", pos + 4)
                if end < 0:
                    break
                self._pos = end + 3
            elif rest.startswith("<!"):
                if len(rest) < 4 and "<!--".startswith(rest) and not final:
                    break
                raise _Refuse(UNSAFE_XML)  # <!DOCTYPE, or a markup declaration outside one
            else:
                self.done = True  # the root element: no declaration can follow
                return
        if len(text) > _PROLOG_CAP:
            raise _Refuse(UNSAFE_XML)

    @staticmethod
    def _check_declaration(decl: str) -> None:
        match = _ENCODING_DECL.match(decl)
        if not match:
            return
        try:
            name = codecs.lookup(match.group(1)).name
        except LookupError:
            raise _Refuse(UNSUPPORTED) from None
        if name not in _SAFE_DECLARED:
            raise _Refuse(UNSUPPORTED)


def _scan_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    prolog = _Prolog()
    for chunk in _verified_chunks(zf, info, None):
        prolog.feed(chunk)
    prolog.feed(b"", final=True)


# --- opening ---------------------------------------------------------------------------------


@contextmanager
def reading(path) -> Iterator[None]:
    """Turn any failure of a reader inside the block into UnreadableWorkbook (details go to the log)."""
    try:
        yield
    except UnreadableWorkbook:
        raise
    except BaseException as exc:
        # A Rust panic in calamine arrives as pyo3's PanicException, a BaseException.
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        _logger.warning("cannot read %s", path, exc_info=True)
        raise UnreadableWorkbook(path, _reason_for(exc)) from exc


def _reason_for(exc: BaseException) -> str:
    try:
        from defusedxml import DefusedXmlException
    except ImportError:  # pragma: no cover - defusedxml is a dependency
        DefusedXmlException = ()  # noqa: N806
    cause: BaseException | None = exc
    for _ in range(5):  # openpyxl wraps the parser's error in a ValueError
        if isinstance(cause, DefusedXmlException):
            return UNSAFE_XML
        cause = cause.__cause__ or cause.__context__ if cause else None
    if isinstance(exc, MemoryError):
        return OUT_OF_MEMORY
    if isinstance(exc, FileNotFoundError):
        return MISSING
    if isinstance(exc, PermissionError):
        return NO_ACCESS
    if isinstance(exc, zipfile.BadZipFile):
        return CORRUPT
    return PARSE


def open_workbook(path, *, limits: Limits | None = None, **kwargs):
    """check_xlsx, then openpyxl.load_workbook with defused XML; failures become UnreadableWorkbook."""
    check_xlsx(path, limits=limits)
    with reading(path):
        import openpyxl

        if not openpyxl.DEFUSEDXML:  # imported before addin with the variable off: our refusal still holds
            _logger.warning("openpyxl parses without defusedxml; relying on the DOCTYPE check alone")
        # openpyxl judges a path by its extension; a file object is judged by content, like check_xlsx.
        source = path if Path(path).suffix.lower() in _OPENPYXL_SUFFIXES else io.BytesIO(Path(path).read_bytes())
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            book = openpyxl.load_workbook(source, **kwargs)
        for warning in caught:
            _logger.info("%s: %s", path, warning.message)
        return book


def open_calamine(path, *, limits: Limits | None = None):
    """check_xlsx, then python-calamine for fast values; failures become UnreadableWorkbook."""
    check_xlsx(path, limits=limits)
    with reading(path):
        from python_calamine import CalamineWorkbook

        return CalamineWorkbook.from_path(os.fspath(path))
