"""The ``dir`` stream record by record, in the order [MS-OVBA] 2.3.4.2 prescribes."""

from __future__ import annotations

import struct

import pytest

from addin.xlam.build import project_modules
from addin.xlam.ovba import decompress
from addin.xlam.sources import find_macros_dir
from addin.xlam.vbaproject import vba_project_files


class Records:
    """A cursor over dir-stream records that insists on the expected id at each step."""

    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0

    def take(self, record_id: int, size: int | None = None) -> bytes:
        found, length = struct.unpack_from("<HI", self.data, self.pos)
        assert found == record_id, f"expected record 0x{record_id:04X} at {self.pos}, found 0x{found:04X}"
        if size is not None:
            assert length == size, f"record 0x{record_id:04X} has size {length}, expected {size}"
        body = self.data[self.pos + 6:self.pos + 6 + length]
        self.pos += 6 + length
        return body

    def peek(self) -> int:
        return struct.unpack_from("<H", self.data, self.pos)[0]


@pytest.fixture(scope="module")
def streams():
    modules = project_modules(find_macros_dir())
    return modules, vba_project_files(modules).streams


def test_dir_stream_follows_the_specification(streams):
    modules, files = streams
    r = Records(decompress(files["VBA/dir"]))
    # PROJECTINFORMATION
    assert struct.unpack("<I", r.take(0x0001, 4)) == (1,)
    assert struct.unpack("<I", r.take(0x0002, 4)) == (0x409,)
    assert struct.unpack("<I", r.take(0x0014, 4)) == (0x409,)
    assert struct.unpack("<H", r.take(0x0003, 2)) == (1252,)
    assert r.take(0x0004) == b"reform"
    r.take(0x0005), r.take(0x0040), r.take(0x0006), r.take(0x003D)
    r.take(0x0007, 4), r.take(0x0008, 4)
    assert struct.unpack_from("<HIIH", r.data, r.pos)[:2] == (0x0009, 4)
    r.pos += 12  # PROJECTVERSION: id, Reserved=4, major (4 bytes), minor (2 bytes)
    r.take(0x000C), r.take(0x003C)
    # PROJECTREFERENCES: name, unicode name, registered reference
    names = []
    while r.peek() == 0x0016:
        name = r.take(0x0016)
        assert r.take(0x003E) == name.decode().encode("utf-16-le")
        body = r.take(0x000D)
        (libid_size,) = struct.unpack_from("<I", body)
        assert body[4 + libid_size:] == bytes(6)
        assert body[4:6] == b"*\\"
        names.append(name)
    assert names == [b"stdole", b"Office"]
    # PROJECTMODULES
    assert struct.unpack("<H", r.take(0x000F, 2)) == (len(modules),)
    r.take(0x0013, 2)
    for module in modules:
        assert r.take(0x0019) == module.name.encode()
        assert r.take(0x0047) == module.name.encode("utf-16-le")
        assert r.take(0x001A) == module.name.encode()
        assert r.take(0x0032) == module.name.encode("utf-16-le")
        r.take(0x001C), r.take(0x0048)
        assert r.take(0x0031, 4) == bytes(4)  # MODULEOFFSET 0
        r.take(0x001E, 4), r.take(0x002C, 2)
        r.take(0x0021 if module.kind == "standard" else 0x0022, 0)
        r.take(0x002B, 0)
    r.take(0x0010, 0)
    assert r.pos == len(r.data)


def test_project_and_projectwm_list_the_same_modules(streams):
    modules, files = streams
    lines = files["PROJECT"].decode("ascii").split("\r\n")
    kinds = {"document": "Document", "class": "Class", "standard": "Module"}
    listed = [line for line in lines if line.split("=")[0] in {"Document", "Class", "Module"}]
    assert listed == [
        f"{kinds[m.kind]}={m.name}" + ("/&H00000000" if m.kind == "document" else "") for m in modules
    ]
    assert "[Host Extender Info]" in lines
    wm = files["PROJECTwm"]
    expected = b"".join(m.name.encode() + b"\0" + m.name.encode("utf-16-le") + b"\0\0" for m in modules) + b"\0\0"
    assert wm == expected


def test_documents_come_first_and_carry_the_excel_attributes(streams):
    modules, _ = streams
    assert [m.name for m in modules[:2]] == ["ThisWorkbook", "Sheet1"]
    assert 'Attribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"' in modules[0].code
    assert 'Attribute VB_Base = "0{00020820-0000-0000-C000-000000000046}"' in modules[1].code
    assert all(m.code.endswith("\r\n") for m in modules)
