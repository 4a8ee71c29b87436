"""The compound-file writer: olefile reads back every stream; the directory follows [MS-CFB]."""

from __future__ import annotations

import io
import random
import struct

import olefile
import pytest

from addin.xlam.cfb import MINI_CUTOFF, NOSTREAM, entry_order, write_compound_file

FILES = {
    "PROJECT": b"ID=x\r\n" * 20,
    "PROJECTwm": b"\x00\x00",
    "VBA/dir": bytes(range(256)) * 20,  # regular sectors
    "VBA/_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x01\x00",
    "VBA/ThisWorkbook": b"t" * (MINI_CUTOFF - 1),  # largest mini stream
    "VBA/Sheet1": b"s" * MINI_CUTOFF,  # smallest regular stream
    "VBA/ReformRibbon": b"r" * 1000,
    "VBA/xlwings": random.Random(1).randbytes(45_000),
    "VBA/Empty": b"",
}


def _open(data: bytes) -> olefile.OleFileIO:
    return olefile.OleFileIO(io.BytesIO(data))


def test_every_stream_reads_back_identical():
    ole = _open(write_compound_file(FILES))
    listed = {"/".join(path) for path in ole.listdir()}
    assert listed == set(FILES)
    for path, data in FILES.items():
        assert ole.openstream(path).read() == data, path
    assert ole.get_type("VBA") == olefile.STGTY_STORAGE


def test_header_is_version_3_with_512_byte_sectors():
    data = write_compound_file(FILES)
    ole = _open(data)
    assert data[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    assert (ole.minor_version, ole.dll_version) == (0x3E, 3)
    assert (ole.sector_size, ole.mini_sector_size, ole.mini_stream_cutoff_size) == (512, 64, 4096)
    assert (len(data) - 512) % 512 == 0


def test_small_streams_live_in_the_mini_stream():
    data = write_compound_file(FILES)
    ole = _open(data)
    ole.loadminifat()
    root = ole.root
    mini_total = sum(-(-len(d) // 64) * 64 for d in FILES.values() if 0 < len(d) < MINI_CUTOFF)
    assert root.size == mini_total
    # A mini-stream entry starts at a mini sector, a regular one at a file sector after the header.
    sheet = ole.direntries[ole._find("VBA/Sheet1")]
    book = ole.direntries[ole._find("VBA/ThisWorkbook")]
    assert sheet.size == MINI_CUTOFF and book.size == MINI_CUTOFF - 1


def _check_red_black(ole: olefile.OleFileIO, child_sid: int) -> list[str]:
    """In-order names of a sibling tree, asserting the red-black rules on the way."""
    entries = ole.direntries

    def walk(sid: int, parent_red: bool) -> tuple[int, list[str]]:
        if sid == NOSTREAM:
            return 1, []
        entry = entries[sid]
        red = entry.color == 0
        assert not (red and parent_red), f"red {entry.name} under a red parent"
        left_black, left_names = walk(entry.sid_left, red)
        right_black, right_names = walk(entry.sid_right, red)
        assert left_black == right_black, f"unequal black heights under {entry.name}"
        return left_black + (0 if red else 1), left_names + [entry.name] + right_names

    if child_sid != NOSTREAM:
        assert entries[child_sid].color == 1, "the root of a sibling tree is black"
    return walk(child_sid, False)[1]


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 6, 7, 8, 12, 15, 16, 40])
def test_siblings_form_a_sorted_red_black_tree(count):
    names = [f"Module{i}" for i in range(count)] + ["a", "ZZ", "xlwings"][: count % 4]
    ole = _open(write_compound_file({f"VBA/{n}": b"x" for n in names}))
    vba = ole.direntries[ole._find("VBA")]
    in_order = _check_red_black(ole, vba.sid_child)
    assert in_order == sorted(names, key=entry_order)


def test_sibling_order_is_length_first_then_upper_case():
    # "_" (0x5F) sorts after the upper-case letters.
    names = ["dir", "PROJECTwm", "_VBA_PROJECT", "Sheet1", "ThisWorkbook", "xlwings", "ReformRibbon", "B", "a"]
    assert sorted(names, key=entry_order) == [
        "a", "B", "dir", "Sheet1", "xlwings", "PROJECTwm", "ReformRibbon", "ThisWorkbook", "_VBA_PROJECT",
    ]


def test_many_fat_sectors_are_listed_in_difat_sectors():
    big = random.Random(2).randbytes(7_200_000)  # > 109 FAT sectors
    data = write_compound_file({"big": big, "small": b"s"})
    first_difat, difat_count = struct.unpack_from("<II", data, 0x44)
    assert difat_count >= 1 and first_difat != 0xFFFFFFFE
    ole = _open(data)
    assert ole.openstream("big").read() == big
    assert ole.openstream("small").read() == b"s"


@pytest.mark.parametrize(
    ("files", "fragment"),
    [
        ({"a": b"2", "a/b": b"1"}, "both a stream and a storage"),
        ({"a/b": b"1", "a": b"2"}, "duplicate entry"),
        ({"x" * 32: b"1"}, "longer than 31"),
    ],
)
def test_impossible_trees_raise(files, fragment):
    with pytest.raises(ValueError) as exc_info:
        write_compound_file(files)
    assert fragment in str(exc_info.value)
