"""The VBA compression of [MS-OVBA] section 2.4.1 (CompressedContainer), both directions.

Every module source and the ``dir`` stream of a VBA project are stored this way:
a signature byte 0x01, then chunks of at most 4096 decompressed bytes, each either
a sequence of flag bytes with literal and copy tokens, or a raw 4096-byte copy
when compressing would not make the chunk smaller.
"""

from __future__ import annotations

import struct

__all__ = ["compress", "decompress", "CompressionError"]

CHUNK_SIZE = 4096
_SIGNATURE = 0x01
_CHUNK_SIGNATURE = 0b011
_MIN_MATCH = 3


class CompressionError(ValueError):
    """A CompressedContainer that does not follow [MS-OVBA] 2.4.1."""


def _copy_token_split(position: int) -> tuple[int, int]:
    """Bit count of the offset and the largest length for a copy token at ``position`` in a chunk."""
    # [MS-OVBA] 2.4.1.3.19.1 CopyTokenHelp: the offset gets ceil(log2(position)) bits, at least 4.
    bit_count = max((position - 1).bit_length(), 4)
    length_bits = 16 - bit_count
    return bit_count, (1 << length_bits) - 1 + _MIN_MATCH


def _compress_chunk(data: bytes, start: int, end: int) -> bytes:
    """The CompressedChunk for ``data[start:end]`` (at most 4096 bytes), header included."""
    out = bytearray()
    pos = start
    while pos < end:
        flag_index = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            offset, length = _match(data, start, pos, end)
            if length >= _MIN_MATCH:
                bit_count, _ = _copy_token_split(pos - start)
                token = ((offset - 1) << (16 - bit_count)) | (length - _MIN_MATCH)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                pos += length
            else:
                out.append(data[pos])
                pos += 1
        out[flag_index] = flags
    if len(out) > CHUNK_SIZE:
        # [MS-OVBA] 2.4.1.3.7: store the chunk raw; a raw chunk always holds 4096 bytes.
        raw = data[start:end].ljust(CHUNK_SIZE, b"\x00")
        return struct.pack("<H", (CHUNK_SIZE + 2 - 3) | (_CHUNK_SIGNATURE << 12)) + raw
    header = (len(out) + 2 - 3) | (_CHUNK_SIGNATURE << 12) | 0x8000
    return struct.pack("<H", header) + bytes(out)


def _match(data: bytes, chunk_start: int, pos: int, end: int) -> tuple[int, int]:
    """The longest earlier match for ``data[pos:]`` inside the chunk, nearest first on ties."""
    _, max_length = _copy_token_split(pos - chunk_start)
    limit = min(max_length, end - pos)
    best_length = 0
    best_offset = 0
    if limit < _MIN_MATCH:
        return 0, 0
    first = data[pos]
    candidate = pos - 1
    while candidate >= chunk_start:
        # rfind() jumps back to the nearest earlier byte equal to the first one.
        candidate = data.rfind(first, chunk_start, candidate + 1)
        if candidate < 0:
            break
        length = 1
        while length < limit and data[candidate + length] == data[pos + length]:
            length += 1
        if length > best_length:
            best_length = length
            best_offset = pos - candidate
            if length == limit:
                break
        candidate -= 1
    if best_length < _MIN_MATCH:
        return 0, 0
    return best_offset, best_length


def compress(data: bytes) -> bytes:
    """Compress ``data`` into an [MS-OVBA] CompressedContainer."""
    data = bytes(data)
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), CHUNK_SIZE):
        out += _compress_chunk(data, start, min(start + CHUNK_SIZE, len(data)))
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """Decompress an [MS-OVBA] CompressedContainer; raise :class:`CompressionError` if malformed."""
    container = bytes(container)
    if not container or container[0] != _SIGNATURE:
        raise CompressionError("CompressedContainer does not start with signature byte 0x01")
    out = bytearray()
    pos = 1
    while pos < len(container):
        if pos + 2 > len(container):
            raise CompressionError(f"chunk header cut off at byte {pos}")
        (header,) = struct.unpack_from("<H", container, pos)
        if (header >> 12) & 0b111 != _CHUNK_SIGNATURE:
            raise CompressionError(f"bad chunk signature at byte {pos}")
        chunk_end = min(pos + (header & 0x0FFF) + 3, len(container))
        pos += 2
        if not header & 0x8000:
            out += container[pos:pos + CHUNK_SIZE]
            pos += CHUNK_SIZE
            continue
        chunk_start = len(out)
        while pos < chunk_end:
            flags = container[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if not flags & (1 << bit):
                    out.append(container[pos])
                    pos += 1
                    continue
                if pos + 2 > chunk_end:
                    raise CompressionError(f"copy token cut off at byte {pos}")
                (token,) = struct.unpack_from("<H", container, pos)
                pos += 2
                bit_count, _ = _copy_token_split(len(out) - chunk_start)
                offset = (token >> (16 - bit_count)) + 1
                length = (token & ((1 << (16 - bit_count)) - 1)) + _MIN_MATCH
                source = len(out) - offset
                if source < chunk_start:
                    raise CompressionError(f"copy token points before its chunk at byte {pos - 2}")
                for i in range(length):  # byte by byte: a copy may overlap its own output
                    out.append(out[source + i])
    return bytes(out)
