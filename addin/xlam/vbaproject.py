"""The VBA project storage of [MS-OVBA] 2.2, written as the bytes of ``vbaProject.bin``.

No performance cache is written: ``_VBA_PROJECT`` carries version 0xFFFF, so the
host ignores compiled state and compiles every module from its source, which
each module stream holds compressed from offset 0 (MODULEOFFSET = 0).
"""

from __future__ import annotations

import struct
import uuid
from dataclasses import dataclass

from addin.xlam.cfb import write_compound_file
from addin.xlam.ovba import compress
from addin.xlam.sources import VbaModule

__all__ = ["VbaProjectFiles", "document_module", "encrypt_project_data", "decrypt_project_data", "vba_project_bin"]

CODE_PAGE = 1252  # the module sources are ASCII, readable in every code page Excel uses
LCID = 0x0409
_HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"

# References Excel puts in every new project: OLE Automation (stdole) and the
# Office object library, which defines IRibbonControl. The path part is only a
# hint; the host resolves a registered reference by its GUID.
_REFERENCES = [
    ("stdole", "*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\\Windows\\System32\\stdole2.tlb#OLE Automation"),
    (
        "Office",
        "*\\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#C:\\Program Files\\Common Files\\Microsoft Shared"
        "\\OFFICE16\\MSO.DLL#Microsoft Office 16.0 Object Library",
    ),
]

_DOCUMENT_BASES = {
    "workbook": "0{00020819-0000-0000-C000-000000000046}",
    "worksheet": "0{00020820-0000-0000-C000-000000000046}",
}


def document_module(name: str, host_class: str) -> VbaModule:
    """An empty document module (``ThisWorkbook``, a sheet) with the attributes Excel writes."""
    lines = [
        f'Attribute VB_Name = "{name}"',
        f'Attribute VB_Base = "{_DOCUMENT_BASES[host_class]}"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True",
        "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = True",
    ]
    return VbaModule(name, "document", "\r\n".join(lines) + "\r\n")


def _record(record_id: int, data: bytes) -> bytes:
    """One dir-stream record: id, 4-byte size, data."""
    return struct.pack("<HI", record_id, len(data)) + data


def _mbcs(text: str) -> bytes:
    return text.encode("cp1252")


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def _dir_stream(project_name: str, modules: list[VbaModule]) -> bytes:
    """The decompressed ``dir`` stream ([MS-OVBA] 2.3.4.2)."""
    out = bytearray()
    # PROJECTINFORMATION
    # SysKind 1 (32-bit Windows), as in xlwings' quickstart add-ins that Excel saved; 64-bit Excel writes 3.
    # With no performance cache the host compiles the sources anew, so either opens in 32- and 64-bit Excel.
    out += _record(0x0001, struct.pack("<I", 1))
    out += _record(0x0002, struct.pack("<I", LCID))
    out += _record(0x0014, struct.pack("<I", LCID))
    out += _record(0x0003, struct.pack("<H", CODE_PAGE))
    out += _record(0x0004, _mbcs(project_name))
    out += _record(0x0005, b"") + _record(0x0040, b"")  # docstring, unicode docstring
    out += _record(0x0006, b"") + _record(0x003D, b"")  # help file 1 and 2
    out += _record(0x0007, struct.pack("<I", 0))  # help context
    out += _record(0x0008, struct.pack("<I", 0))  # lib flags
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # PROJECTVERSION: Reserved=4, major 1, minor 0
    out += _record(0x000C, b"") + _record(0x003C, b"")  # constants, unicode constants
    # PROJECTREFERENCES
    for name, libid in _REFERENCES:
        out += _record(0x0016, _mbcs(name)) + _record(0x003E, _utf16(name))
        lib = _mbcs(libid)
        body = struct.pack("<I", len(lib)) + lib + struct.pack("<IH", 0, 0)
        out += _record(0x000D, body)
    # PROJECTMODULES
    out += _record(0x000F, struct.pack("<H", len(modules)))
    out += _record(0x0013, struct.pack("<H", 0xFFFF))  # PROJECTCOOKIE
    for module in modules:
        out += _record(0x0019, _mbcs(module.name)) + _record(0x0047, _utf16(module.name))
        out += _record(0x001A, _mbcs(module.name)) + _record(0x0032, _utf16(module.name))
        out += _record(0x001C, b"") + _record(0x0048, b"")  # docstring
        out += _record(0x0031, struct.pack("<I", 0))  # MODULEOFFSET: source at offset 0
        out += _record(0x001E, struct.pack("<I", 0))  # help context
        out += _record(0x002C, struct.pack("<H", 0xFFFF))  # MODULECOOKIE
        out += _record(0x0021 if module.kind == "standard" else 0x0022, b"")
        out += _record(0x002B, b"")  # module terminator
    out += _record(0x0010, b"")  # dir terminator
    return bytes(out)


def _vba_project_stream() -> bytes:
    """``_VBA_PROJECT``: Reserved1 0x61CC, Version 0xFFFF (no performance cache), Reserved2, Reserved3."""
    return struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0001)


def encrypt_project_data(data: bytes, project_id: str, seed: int) -> str:
    """[MS-OVBA] 2.4.3.2 Data Encryption of ``data``, as the hex text the PROJECT stream holds."""
    seed &= 0xFF
    version = 2
    proj_key = sum(project_id.encode("ascii")) & 0xFF
    version_enc = seed ^ version
    proj_key_enc = seed ^ proj_key
    out = bytearray([seed, version_enc, proj_key_enc])
    unencrypted1, encrypted1, encrypted2 = proj_key, proj_key_enc, version_enc
    ignored = [(seed * 7 + i) & 0xFF for i in range((seed & 6) // 2)]
    for byte in ignored + list(struct.pack("<I", len(data))) + list(data):
        byte_enc = byte ^ ((encrypted2 + unencrypted1) & 0xFF)
        out.append(byte_enc)
        encrypted2, encrypted1, unencrypted1 = encrypted1, byte_enc, byte
    return out.hex().upper()


def decrypt_project_data(text: str, project_id: str) -> bytes:
    """[MS-OVBA] 2.4.3.3 Data Decryption; raise ``ValueError`` if ``text`` does not fit ``project_id``."""
    raw = bytes.fromhex(text)
    seed, version_enc, proj_key_enc = raw[:3]
    if seed ^ version_enc != 2 or seed ^ proj_key_enc != sum(project_id.encode("ascii")) & 0xFF:
        raise ValueError("encrypted data does not belong to this project id")
    unencrypted1, encrypted1, encrypted2 = seed ^ proj_key_enc, proj_key_enc, version_enc
    plain = bytearray()
    for byte_enc in raw[3:]:
        byte = byte_enc ^ ((encrypted2 + unencrypted1) & 0xFF)
        plain.append(byte)
        encrypted2, encrypted1, unencrypted1 = encrypted1, byte_enc, byte
    ignored = (seed & 6) // 2
    length = struct.unpack_from("<I", plain, ignored)[0]
    data = bytes(plain[ignored + 4:])
    if len(data) != length:
        raise ValueError("encrypted data has the wrong length")
    return data


def _project_stream(project_name: str, project_id: str, modules: list[VbaModule]) -> bytes:
    """The ``PROJECT`` stream ([MS-OVBA] 2.3.1): module list, name, unprotected and visible."""
    lines = [f'ID="{project_id}"']
    for module in modules:
        if module.kind == "document":
            lines.append(f"Document={module.name}/&H00000000")
        elif module.kind == "class":
            lines.append(f"Class={module.name}")
        else:
            lines.append(f"Module={module.name}")
    seed = sum(project_name.encode()) & 0xFF
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        # Not protected, no password, visible: the deterministic seed keeps builds reproducible.
        f'CMG="{encrypt_project_data(bytes(4), project_id, seed)}"',
        f'DPB="{encrypt_project_data(bytes(1), project_id, seed + 1)}"',
        f'GC="{encrypt_project_data(bytes([0xFF]), project_id, seed + 2)}"',
        "",
        "[Host Extender Info]",
        _HOST_EXTENDER,
        "",
        "[Workspace]",
    ]
    lines += [f"{module.name}=0, 0, 0, 0, C" for module in modules]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _project_wm_stream(modules: list[VbaModule]) -> bytes:
    """``PROJECTwm``: each module name in MBCS and UTF-16, then a 0x0000 terminator."""
    out = bytearray()
    for module in modules:
        out += _mbcs(module.name) + b"\x00" + _utf16(module.name) + b"\x00\x00"
    return bytes(out + b"\x00\x00")


@dataclass(frozen=True)
class VbaProjectFiles:
    """The streams of a VBA project storage, by path inside the compound file."""

    streams: dict[str, bytes]

    def to_bytes(self) -> bytes:
        """The compound file ``vbaProject.bin``."""
        return write_compound_file(self.streams)


def vba_project_files(modules: list[VbaModule], project_name: str = "reform") -> VbaProjectFiles:
    """The streams for ``modules`` (document modules included), before packing into a compound file."""
    project_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:reform-addin:vba:{project_name}")).upper() + "}"
    streams = {
        "PROJECT": _project_stream(project_name, project_id, modules),
        "PROJECTwm": _project_wm_stream(modules),
        "VBA/_VBA_PROJECT": _vba_project_stream(),
        "VBA/dir": compress(_dir_stream(project_name, modules)),
    }
    for module in modules:
        streams[f"VBA/{module.name}"] = compress(module.code.encode("cp1252"))
    return VbaProjectFiles(streams)


def vba_project_bin(modules: list[VbaModule], project_name: str = "reform") -> bytes:
    """The bytes of ``vbaProject.bin`` holding ``modules``."""
    return vba_project_files(modules, project_name).to_bytes()
