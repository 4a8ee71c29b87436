"""MS-OVBA compression: the examples of the specification, round trips and malformed input."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.xlam.ovba import CHUNK_SIZE, CompressionError, compress, decompress

# [MS-OVBA] 3.2.1 No Compression, 3.2.2 Normal Compression, 3.2.3 Maximum Compression.
SPEC_EXAMPLES = [
    (
        b"abcdefghijklmnopqrstuv.",
        "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E",
    ),
    (
        b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa",
        "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 20 6D"
        " 6E 6F 70 06 71 02 70 04 00 72 73 74 75 76 10 77 78 79 7A 00 2C",
    ),
    (b"a" * 73, "01 03 B0 02 61 45 00"),
]

# An earlier edition of 3.2.2 printed other, equally valid copy tokens (longer offsets).
OLD_NORMAL_EXAMPLE = (
    "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 30 6D"
    " 6E 6F 70 06 71 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C"
)


@pytest.mark.parametrize(("plain", "hex_bytes"), SPEC_EXAMPLES)
def test_compress_gives_the_bytes_of_the_specification(plain, hex_bytes):
    assert compress(plain) == bytes.fromhex(hex_bytes)


@pytest.mark.parametrize(("plain", "hex_bytes"), SPEC_EXAMPLES + [(SPEC_EXAMPLES[1][0], OLD_NORMAL_EXAMPLE)])
def test_decompress_reads_the_bytes_of_the_specification(plain, hex_bytes):
    assert decompress(bytes.fromhex(hex_bytes)) == plain


def test_empty_input_is_a_bare_signature():
    assert compress(b"") == b"\x01"
    assert decompress(b"\x01") == b""


def test_incompressible_full_chunk_is_stored_raw():
    noise = random.Random(7).randbytes(CHUNK_SIZE)
    tail = b"End Sub\r\n" * 100
    container = compress(noise + tail)
    header = int.from_bytes(container[1:3], "little")
    assert header == 0x3FFF  # raw chunk: size 4098 - 3, signature 0b011, flag 0
    assert container[3:3 + CHUNK_SIZE] == noise
    assert decompress(container) == noise + tail


def test_incompressible_last_chunk_is_padded_to_4096_bytes_as_the_specification_says():
    noise = random.Random(11).randbytes(4000)
    out = decompress(compress(noise))
    assert out == noise + b"\x00" * (CHUNK_SIZE - len(noise))


def _vba_like(seed: int, size: int) -> bytes:
    rnd = random.Random(seed)
    words = [b"Dim ", b"As String", b"If ", b"Then", b"End If", b"\r\n", b"    ", b"x", b"= ", b"&", b"'", b"Call "]
    out = bytearray()
    while len(out) < size:
        out += rnd.choice(words)
    return bytes(out[:size])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 20_000), st.integers(0, 2**32))
def test_round_trip_of_repetitive_text(size, seed):
    data = _vba_like(seed, size)
    assert decompress(compress(data)) == data


@settings(max_examples=60, deadline=None)
@given(st.binary(min_size=0, max_size=20_000))
def test_round_trip_of_random_bytes(data):
    out = decompress(compress(data))
    # Only an incompressible last chunk comes back padded with zeros (spec 2.4.1.3.10).
    assert out[: len(data)] == data
    assert set(out[len(data):]) <= {0}
    assert len(out) - len(data) < CHUNK_SIZE


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([b"a", b"b", b"ab", b"abc", b"\x00", b"xyz" * 50]), max_size=2000))
def test_round_trip_of_runs(parts):
    data = b"".join(parts)
    assert decompress(compress(data)) == data


@pytest.mark.parametrize("size", [0, 1, 2, 3, 4095, 4096, 4097, 8192, 8193, 20_480])
def test_round_trip_at_chunk_boundaries(size):
    data = _vba_like(size, size)
    container = compress(data)
    assert decompress(container) == data


def test_compressed_text_is_read_by_olevba_too():
    olevba = pytest.importorskip("oletools.olevba")
    data = _vba_like(3, 15_000)
    assert bytes(olevba.decompress_stream(bytearray(compress(data)))) == data


@pytest.mark.parametrize(
    ("container", "fragment"),
    [
        (b"", "signature"),
        (b"\x02\x00\xb0", "signature"),
        (b"\x01\x00", "cut off"),
        (b"\x01\x00\x00", "chunk signature"),
        (b"\x01\x02\xb0\x01\x00\x00", "before its chunk"),
    ],
)
def test_malformed_containers_raise(container, fragment):
    with pytest.raises(CompressionError) as exc_info:
        decompress(container)
    assert fragment in str(exc_info.value)
