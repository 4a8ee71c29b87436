"""Read back what an add-in file records: the xlwings version its VBA was built for.

Works on an add-in this package built and on one Excel saved, whose module
streams start with compiled code: the source begins at the MODULEOFFSET the
``dir`` stream gives ([MS-OVBA] 2.3.4.2.3.2.5).
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import olefile

from addin.xlam.ovba import decompress
from addin.xlam.pinned import declared_version

__all__ = ["module_offsets", "module_source", "addin_xlwings_version"]

_PROJECTVERSION = 0x0009  # its size field says 4, six bytes follow
_MODULENAME, _MODULEOFFSET = 0x0019, 0x0031


def module_offsets(dir_stream: bytes) -> dict[str, int]:
    """MODULENAME → MODULEOFFSET of a decompressed ``dir`` stream."""
    offsets: dict[str, int] = {}
    pos, name = 0, None
    while pos + 6 <= len(dir_stream):
        record_id, size = struct.unpack_from("<HI", dir_stream, pos)
        pos += 6
        if record_id == _PROJECTVERSION:
            size = 6
        data = dir_stream[pos:pos + size]
        pos += size
        if record_id == _MODULENAME:
            name = data.decode("latin-1")
        elif record_id == _MODULEOFFSET and name is not None:
            offsets[name] = struct.unpack("<I", data)[0]
    return offsets


def module_source(vba_project: bytes, name: str) -> str | None:
    """The source of module ``name`` in a ``vbaProject.bin``, or None if it has no such module."""
    ole = olefile.OleFileIO(io.BytesIO(vba_project))
    try:
        offsets = module_offsets(decompress(ole.openstream("VBA/dir").read()))
        if name not in offsets or not ole.exists(f"VBA/{name}"):
            return None
        stream = ole.openstream(f"VBA/{name}").read()
    finally:
        ole.close()
    return decompress(stream[offsets[name]:]).decode("latin-1")


def addin_xlwings_version(path: Path) -> str | None:
    """The ``XLWINGS_VERSION`` of the add-in's xlwings module; None if the file has none."""
    with zipfile.ZipFile(path) as archive:
        vba_project = archive.read("xl/vbaProject.bin")
    source = module_source(vba_project, "xlwings")
    return declared_version(source) if source else None
