"""What a file that is not an .xlsx is, from its first bytes: legacy .xls, encrypted workbook, PDF, text."""

from __future__ import annotations

import logging
import struct

from addin.xlsx.refusals import CORRUPT, ENCRYPTED, NOT_XLSX, OTHER_OLE, PDF, TEXT, XLS, XLS_ENCRYPTED

__all__ = ["OLE_MAGIC", "classify_ole", "classify_other"]

_logger = logging.getLogger(__name__)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def classify_ole(fp) -> str:
    """The reason to refuse an OLE compound file: encrypted workbook, legacy .xls (encrypted or not), other."""
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


def classify_other(head: bytes) -> str:
    """The reason to refuse a file that is neither OLE nor zip, from its first bytes: PDF, text or CSV, other."""
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
