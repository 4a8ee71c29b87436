"""A writer for compound files ([MS-CFB]) version 3, as ``vbaProject.bin`` needs.

512-byte sectors; streams under 4096 bytes live in the mini stream (64-byte mini
sectors); FAT sectors past the 109 in the header are listed in DIFAT sectors.
The children of each storage form a red-black tree in the order [MS-CFB] 2.6.4
prescribes: shorter names first, then names compared in upper case.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

__all__ = ["write_compound_file", "entry_order"]

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
_ENTRIES_PER_FAT = SECTOR // 4
_DIFAT_IN_HEADER = 109

FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
DIFSECT = 0xFFFFFFFC
NOSTREAM = 0xFFFFFFFF

_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1


def entry_order(name: str) -> tuple[int, str]:
    """Sort key of a directory entry among its siblings ([MS-CFB] 2.6.4)."""
    return (len(name.encode("utf-16-le")) // 2, name.upper())


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list["_Entry"] = field(default_factory=list)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = _BLACK
    start: int = ENDOFCHAIN


def _tree(files: dict[str, bytes]) -> _Entry:
    """Storages and streams from ``{"VBA/dir": data, ...}``; ``/`` separates storages."""
    root = _Entry("Root Entry", _ROOT)
    for path, data in files.items():
        parts = path.split("/")
        node = root
        for part in parts[:-1]:
            found = next((c for c in node.children if c.name == part), None)
            if found is None:
                found = _Entry(part, _STORAGE)
                node.children.append(found)
            elif found.kind != _STORAGE:
                raise ValueError(f"{part!r} is both a stream and a storage")
            node = found
        if any(c.name == parts[-1] for c in node.children):
            raise ValueError(f"duplicate entry {path!r}")
        if len(parts[-1]) > 31:
            raise ValueError(f"entry name longer than 31 characters: {parts[-1]!r}")
        node.children.append(_Entry(parts[-1], _STREAM, bytes(data)))
    return root


def _flatten(root: _Entry) -> list[_Entry]:
    """Every entry in directory order, root first, with ids assigned."""
    entries = [root]
    pending = [root]
    while pending:
        node = pending.pop(0)
        for child in sorted(node.children, key=lambda e: entry_order(e.name)):
            child.sid = len(entries)
            entries.append(child)
            pending.append(child)
    return entries


def _link_siblings(node: _Entry) -> None:
    """Make ``node``'s children a balanced red-black tree: complete levels black, a partial last level red."""
    ordered = sorted(node.children, key=lambda e: entry_order(e.name))
    depth_of: dict[int, int] = {}

    def build(lo: int, hi: int, depth: int) -> int:
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        entry = ordered[mid]
        depth_of[id(entry)] = depth
        entry.left = build(lo, mid, depth + 1)
        entry.right = build(mid + 1, hi, depth + 1)
        return entry.sid

    node.child = build(0, len(ordered), 0)
    if ordered:
        deepest = max(depth_of.values())
        full = len(ordered) == (1 << (deepest + 1)) - 1
        for entry in ordered:
            # Middle splits put every leaf on the last two levels, so this keeps
            # equal black heights and never puts a red node under a red one.
            entry.color = _RED if (depth_of[id(entry)] == deepest and not full) else _BLACK
    for child in ordered:
        _link_siblings(child)


def _pad(data: bytes, size: int) -> bytes:
    """``data`` padded with zeros to a multiple of ``size``."""
    return data + b"\x00" * (-len(data) % size)


def _dir_entry(entry: _Entry, size: int) -> bytes:
    """One 128-byte directory entry."""
    name = entry.name.encode("utf-16-le") + b"\x00\x00"
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name, len(name), entry.kind, entry.color, entry.left, entry.right, entry.child,
        b"\x00" * 16, 0, 0, 0, entry.start, size,
    )


_EMPTY_ENTRY = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"\x00" * 16, 0, 0, 0, 0, 0)


def write_compound_file(files: dict[str, bytes]) -> bytes:
    """The bytes of a version 3 compound file holding ``files`` (``"storage/stream": data``)."""
    root = _tree(files)
    entries = _flatten(root)
    _link_siblings(root)
    streams = [e for e in entries if e.kind == _STREAM]

    # The mini stream and its mini FAT.
    mini_stream = bytearray()
    mini_fat: list[int] = []
    for entry in streams:
        if 0 < len(entry.data) < MINI_CUTOFF:
            first = len(mini_fat)
            count = -(-len(entry.data) // MINI_SECTOR)
            mini_fat += list(range(first + 1, first + count)) + [ENDOFCHAIN]
            entry.start = first
            mini_stream += _pad(entry.data, MINI_SECTOR)
    padding = -len(mini_fat) % _ENTRIES_PER_FAT
    mini_fat_bytes = struct.pack(f"<{len(mini_fat) + padding}I", *mini_fat, *[FREESECT] * padding)

    # Regular-sector blobs in file order, after the FAT and DIFAT sectors.
    dir_count = -(-len(entries) // (SECTOR // 128))
    blobs: list[tuple[str, bytes | None, int]] = [
        ("minifat", mini_fat_bytes, len(mini_fat_bytes) // SECTOR),
        ("dir", None, dir_count),
        ("ministream", bytes(mini_stream), -(-len(mini_stream) // SECTOR)),
    ]
    big = [e for e in streams if len(e.data) >= MINI_CUTOFF]
    for entry in big:
        blobs.append((f"stream{entry.sid}", entry.data, -(-len(entry.data) // SECTOR)))
    content = sum(count for _, _, count in blobs)

    fat_count = difat_count = 0
    while True:
        total = content + fat_count + difat_count
        need_fat = -(-total // _ENTRIES_PER_FAT)
        need_difat = -(-max(0, need_fat - _DIFAT_IN_HEADER) // (_ENTRIES_PER_FAT - 1))
        if (need_fat, need_difat) == (fat_count, difat_count):
            break
        fat_count, difat_count = need_fat, need_difat

    fat = [FREESECT] * (fat_count * _ENTRIES_PER_FAT)
    fat_sectors = list(range(fat_count))
    for s in fat_sectors:
        fat[s] = FATSECT
    difat_sectors = list(range(fat_count, fat_count + difat_count))
    for s in difat_sectors:
        fat[s] = DIFSECT
    next_sector = fat_count + difat_count
    starts: dict[str, int] = {}
    for name, _, count in blobs:
        if count == 0:
            starts[name] = ENDOFCHAIN
            continue
        starts[name] = next_sector
        for s in range(next_sector, next_sector + count - 1):
            fat[s] = s + 1
        fat[next_sector + count - 1] = ENDOFCHAIN
        next_sector += count

    root.start = starts["ministream"]
    for entry in big:
        entry.start = starts[f"stream{entry.sid}"]
    directory = bytearray()
    for entry in entries:
        size = len(mini_stream) if entry.kind == _ROOT else len(entry.data)
        if entry.kind == _STORAGE:
            entry.start, size = 0, 0
        elif entry.kind == _STREAM and size == 0:
            entry.start = ENDOFCHAIN
        directory += _dir_entry(entry, size)
    directory += _EMPTY_ENTRY * (dir_count * (SECTOR // 128) - len(entries))

    difat_all = fat_sectors + [FREESECT] * max(0, _DIFAT_IN_HEADER - fat_count)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"), b"\x00" * 16, 0x003E, 0x0003, 0xFFFE, 9, 6, b"\x00" * 6,
        0, fat_count, starts["dir"], 0, MINI_CUTOFF,
        starts["minifat"], len(mini_fat_bytes) // SECTOR,
        difat_sectors[0] if difat_sectors else ENDOFCHAIN, difat_count,
    ) + struct.pack(f"<{_DIFAT_IN_HEADER}I", *difat_all[:_DIFAT_IN_HEADER])

    out = bytearray(header)
    out += struct.pack(f"<{len(fat)}I", *fat)
    rest = difat_all[_DIFAT_IN_HEADER:] if fat_count > _DIFAT_IN_HEADER else []
    per = _ENTRIES_PER_FAT - 1
    for i, sector in enumerate(difat_sectors):
        ids = rest[i * per:(i + 1) * per]
        ids += [FREESECT] * (per - len(ids))
        nxt = difat_sectors[i + 1] if i + 1 < len(difat_sectors) else ENDOFCHAIN
        out += struct.pack(f"<{per}I", *ids) + struct.pack("<I", nxt)
    for name, data, count in blobs:
        payload = bytes(directory) if name == "dir" else data
        out += _pad(payload, SECTOR)[: count * SECTOR] if count else b""
    return bytes(out)
