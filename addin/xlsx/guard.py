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

import errno
import io
import logging
import os
import stat
import struct
import warnings
import zipfile
import zlib
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from addin import log as _log  # noqa: F401 - installs the package's NullHandler: no traceback on stderr
from addin.errors import UnreadableWorkbook
from addin.xlsx.extent import check_extent
from addin.xlsx.prolog import Prolog
from addin.xlsx.refusals import (  # noqa: F401 - the reasons are part of the guard's interface
    BOMB,
    CORRUPT,
    EMPTY,
    ENCRYPTED,
    MISSING,
    NO_ACCESS,
    NOT_A_FILE,
    NOT_OOXML,
    NOT_XLSX,
    ODS,
    OTHER_OFFICE,
    OTHER_OLE,
    OUT_OF_MEMORY,
    PARSE,
    PDF,
    TEXT,
    TOO_LARGE,
    UNSAFE_XML,
    UNSUPPORTED,
    XLS,
    XLS_ENCRYPTED,
    XLSB,
    Refusal,
)
from addin.xlsx.sniff import OLE_MAGIC, classify_ole, classify_other

__all__ = [
    "Limits",
    "DEFAULT_LIMITS",
    "check_xlsx",
    "open_workbook",
    "open_calamine",
    "reading",
]

_logger = logging.getLogger(__name__)

MiB = 1024 * 1024
_CHUNK = 64 * 1024
_OPENPYXL_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")


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


def _mb(size: int) -> str:
    return f"{size / MiB:,.0f}" if size >= MiB else f"{size / MiB:.1f}"


def check_xlsx(path, *, limits: Limits | None = None) -> None:
    """Raise UnreadableWorkbook with a Japanese reason unless ``path`` is a safe .xlsx/.xlsm."""
    limits = limits or DEFAULT_LIMITS
    try:
        _check(Path(path), limits)
    except Refusal as refusal:
        _logger.info("refused %s: %s", path, refusal.reason)
        raise UnreadableWorkbook(path, refusal.reason) from None


def _check(path: Path, limits: Limits) -> None:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise Refusal(MISSING) from None
    except OSError:
        raise Refusal(NO_ACCESS) from None
    if not stat.S_ISREG(st.st_mode):  # a folder, a pipe or a device would block or never end
        raise Refusal(NOT_A_FILE)
    if st.st_size == 0:
        raise Refusal(EMPTY)
    if st.st_size > limits.max_file_size:
        raise Refusal(TOO_LARGE.format(size=_mb(st.st_size), limit=_mb(limits.max_file_size)))
    try:
        fp = path.open("rb")
    except OSError:
        raise Refusal(NO_ACCESS) from None
    with fp:
        try:
            head = fp.read(4096)
            if head.startswith(OLE_MAGIC):
                raise Refusal(classify_ole(fp))
            if not head.startswith(b"PK\x03\x04"):
                raise Refusal(classify_other(head))
            _check_zip(fp, st.st_size, limits)
        except OSError as exc:  # a seek to an offset the directory made up is EINVAL
            raise Refusal(CORRUPT if exc.errno in (None, errno.EINVAL) else NO_ACCESS) from None


def _directory_bounds(fp, size: int) -> tuple[int, int]:
    """Entries and bytes of the central directory, read from the end record alone."""
    tail_len = min(size, 22 + 0xFFFF)
    fp.seek(size - tail_len)
    tail = fp.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise Refusal(CORRUPT)
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
        raise Refusal(BOMB)
    fp.seek(0)
    try:
        zf = zipfile.ZipFile(fp)
    except Exception:  # noqa: BLE001 - BadZipFile, but also bad names (UnicodeDecodeError), struct.error...
        _logger.info("zip directory unreadable", exc_info=True)
        raise Refusal(CORRUPT) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_members:
            raise Refusal(BOMB)
        _check_names(zf)
        total = 0
        for info in infos:
            total += info.file_size
            if (info.file_size >= limits.ratio_min_size
                    and info.file_size > limits.max_ratio * max(info.compress_size, 1)):
                raise Refusal(BOMB)
        if total > limits.max_total:
            raise Refusal(TOO_LARGE.format(size=_mb(total), limit=_mb(limits.max_total)))
        for info in infos:
            _scan_member(zf, info)


def _check_names(zf: zipfile.ZipFile) -> None:
    names = set(zf.namelist())
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return
    if "xl/workbook.bin" in names:
        raise Refusal(XLSB)
    if "mimetype" in names:
        try:
            kind = _read_member(zf, "mimetype", 256)
        except UnreadableWorkbook:
            kind = b""
        if kind.startswith(b"application/vnd.oasis.opendocument"):
            raise Refusal(ODS)
    if "word/document.xml" in names or "ppt/presentation.xml" in names:
        raise Refusal(OTHER_OFFICE)
    raise Refusal(NOT_OOXML)


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
        raise Refusal(UNSUPPORTED)  # a zip password: Excel never writes one
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise Refusal(UNSUPPORTED)
    local = _read_at(zf, info.header_offset, 30)
    if len(local) != 30 or local[:4] != b"PK\x03\x04":
        raise Refusal(CORRUPT)
    name_len, extra_len = struct.unpack_from("<HH", local, 26)
    pos = info.header_offset + 30 + name_len + extra_len
    left = info.compress_size
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    while left > 0:
        data = _read_at(zf, pos, min(_CHUNK, left))
        if not data:
            raise Refusal(CORRUPT)
        pos += len(data)
        left -= len(data)
        if inflater is None:
            yield data
            continue
        while True:
            try:
                out = inflater.decompress(data, _CHUNK)
            except zlib.error:
                raise Refusal(CORRUPT) from None
            if out:
                yield out
            data = inflater.unconsumed_tail
            if inflater.eof or (not data and len(out) < _CHUNK):
                break
        if inflater.eof:
            break
    if inflater is not None and not inflater.eof:
        raise Refusal(CORRUPT)


def _verified_chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int | None) -> Iterator[bytes]:
    """The member's bytes; stops past ``limit`` or its declared size, checks size and CRC at the end."""
    count = 0
    crc = 0
    for chunk in _chunks(zf, info):
        count += len(chunk)
        if count > info.file_size:
            raise Refusal(BOMB)  # the header lied: stop before inflating any further
        if limit is not None and count > limit:
            raise Refusal(TOO_LARGE.format(size=f"{_mb(count)} 以上", limit=_mb(limit)))
        crc = zlib.crc32(chunk, crc)
        yield chunk
    if count != info.file_size or crc != info.CRC:
        raise Refusal(CORRUPT)


def _read_member(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """Inflate one small member, streaming; raises UnreadableWorkbook past ``limit`` bytes."""
    try:
        return b"".join(_verified_chunks(zf, zf.getinfo(name), limit))
    except KeyError:
        raise UnreadableWorkbook(zf.filename, NOT_OOXML) from None
    except Refusal as refusal:
        raise UnreadableWorkbook(zf.filename, refusal.reason) from None


def _scan_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    prolog = Prolog()
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


def open_workbook(path, *, sheets: list[str] | tuple[str, ...] | None = None, limits: Limits | None = None, **kwargs):
    """check_xlsx and check_extent, then openpyxl.load_workbook with defused XML; failures become UnreadableWorkbook.

    ``sheets`` are the sheets the caller will read, for ``read_only=True`` only (None: every sheet): a full
    load parses every sheet and fills merged ranges cell by cell; a read-only one pads each row it yields
    to the sheet's dimension.
    """
    check_xlsx(path, limits=limits)
    with reading(path):
        check_extent(path, sheets if kwargs.get("read_only") else None)
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


def open_calamine(path, *, sheets: list[str] | tuple[str, ...] | None = None, limits: Limits | None = None):
    """check_xlsx and check_extent, then python-calamine for fast values; failures become UnreadableWorkbook.

    ``sheets`` are the sheets the caller will read (None: any): only their used range is bounded, since
    calamine parses a sheet when it is asked for and allocates its whole range at once.
    """
    check_xlsx(path, limits=limits)
    with reading(path):
        check_extent(path, sheets)
    with reading(path):
        from python_calamine import CalamineWorkbook

        return CalamineWorkbook.from_path(os.fspath(path))
