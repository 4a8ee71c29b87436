"""Fuzzing: random bytes and mutated workbooks never raise anything but UnreadableWorkbook."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import hostile
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.errors import UnreadableWorkbook
from addin.xlsx import guard as guard

_FOLDER = Path(tempfile.mkdtemp(prefix="guard-fuzz-"))
VALID = hostile.make_valid(_FOLDER).read_bytes()
PARTS = hostile.members(_FOLDER / "valid.xlsx")
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def survive(data: bytes) -> None:
    """Every opener either reads ``data`` or refuses it with UnreadableWorkbook, and reads in full."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.xlsx"
        path.write_bytes(data)
        try:
            guard.check_xlsx(path)
        except UnreadableWorkbook as exc:
            assert exc.reason and exc.code == "unreadable"
        for opener in (_openpyxl, _openpyxl_lazy, _calamine):
            try:
                opener(path)
            except UnreadableWorkbook as exc:
                assert exc.reason and exc.code == "unreadable"


def _openpyxl(path):
    book = guard.open_workbook(path)
    with guard.reading(path):
        for sheet in book.worksheets:
            list(sheet.values)


def _openpyxl_lazy(path):
    book = guard.open_workbook(path, read_only=True, data_only=True)
    with guard.reading(path):
        for sheet in book.worksheets:
            list(sheet.values)
        book.close()


def _calamine(path):
    book = guard.open_calamine(path)
    with guard.reading(path):
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()


@FUZZ
@given(st.binary(max_size=2048))
def test_random_bytes(data):
    survive(data)


@FUZZ
@given(st.sampled_from([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<?xml", b"%PDF"]), st.binary(max_size=2048))
def test_random_bytes_behind_a_known_signature(magic, data):
    survive(magic + data)


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), min_size=1, max_size=8),
       st.integers(1, len(VALID)))
def test_mutated_workbook_bytes(changes, keep):
    data = bytearray(VALID)
    for position, value in changes:
        data[position] = value
    survive(bytes(data[:keep]))


@FUZZ
@given(st.sampled_from(sorted(PARTS)), st.data())
def test_mutated_parts_rezipped(name, draw):
    """Mutations inside a part, zipped again with correct CRCs: reaches the parsers themselves."""
    original = PARTS[name]
    content = bytearray(original)
    edits = draw.draw(st.lists(st.tuples(st.integers(0, max(len(content) - 1, 0)),
                                         st.sampled_from(b"<>/=\"'&;!?x0 \x00\xff")), max_size=6))
    for position, value in edits:
        if content:
            content[position] = value
    cut = draw.draw(st.integers(0, len(content)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for part, data in PARTS.items():
            zf.writestr(part, bytes(content[:cut]) if part == name else data)
    survive(buffer.getvalue())


@pytest.mark.parametrize("name", sorted(PARTS))
def test_each_part_dropped_or_emptied(name):
    for replacement in (None, b""):
        parts = {k: v for k, v in PARTS.items() if not (k == name and replacement is None)}
        if replacement is not None:
            parts[name] = replacement
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for part, data in parts.items():
                zf.writestr(part, data)
        survive(buffer.getvalue())
