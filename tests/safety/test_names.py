"""A name from a workbook or a plan becomes one safe file-name part, and stays inside its folder."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from addin.errors import OutputError
from addin.names import MAX_PART_BYTES, distinct_parts, file_part, inside

HOSTILE = [
    "x/../../集約_R8", "x/../../../escape", "企画/財政課", "..", ".", "", " ", "CON", "con", "nul.txt", "COM1",
    "LPT9.xlsx", "AUX .txt", "a\x00b", "a\nb", "tab\there", "\u202eslx.exe", "財" * 300, "a" * 300, "財政課.",
    "財政課 ", "財政課...", "a\\b", "C:\\Windows", "<>:\"|?*", "/etc/passwd", "\\\\server\\share",
    unicodedata.normalize("NFD", "ガス課"), unicodedata.normalize("NFD", "プール管理課"), "~$財政課", "..財政課",
]
_WINDOWS_FORBIDDEN = set('<>:"|?*/\\')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}


@pytest.mark.parametrize("name", HOSTILE)
def test_every_hostile_name_becomes_one_harmless_part(name):
    part = file_part(name)
    assert part and part == part.strip(" .")
    assert not (_WINDOWS_FORBIDDEN & set(part)) and ".." not in part
    assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in part)
    assert part.split(".")[0].upper() not in _RESERVED
    assert len(part.encode("utf-8")) <= MAX_PART_BYTES
    assert Path(part).name == part and file_part(part) == part  # already safe: kept as is


@pytest.mark.parametrize("name", HOSTILE)
def test_the_joined_path_stays_in_its_folder(tmp_path, name):
    path = inside(tmp_path, f"差戻し_R8_{file_part(name)}.xlsx")
    assert path.resolve().parent == tmp_path.resolve()


def test_ordinary_japanese_names_are_kept_as_they_are():
    for name in ("財政課", "DX推進課", "市民協働推進課", "R8_企画政策課"):
        assert file_part(name) == name


def test_a_long_name_is_cut_between_characters_and_stays_readable():
    part = file_part("行財政改革推進" * 50)
    assert part.startswith("行財政改革推進行財政改革推進") and len(part.encode("utf-8")) <= MAX_PART_BYTES


def test_names_that_clean_to_the_same_text_stay_distinct_and_stable():
    names = ["企画/財政課", "企画\\財政課", "企画:財政課", "企画_財政課", "財政課.", "財政課", "a\x00b", "a\x01b"]
    parts = [file_part(n) for n in names]
    assert len(set(parts)) == len(parts)
    assert parts == [file_part(n) for n in names]


def test_names_equal_but_for_case_get_distinct_files():
    parts = distinct_parts(["ABC課", "abc課", "財政課"])
    assert len({p.casefold() for p in parts.values()}) == 3 and parts["財政課"] == "財政課"


@pytest.mark.parametrize("name", ["../x.xlsx", "a/b.xlsx", "..", ""])
def test_a_path_leaving_its_folder_is_refused(tmp_path, name):
    with pytest.raises(OutputError) as exc_info:
        inside(tmp_path, name)
    assert "フォルダ" in str(exc_info.value)


def test_a_symlink_pointing_out_of_the_folder_is_refused(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "差戻し_R8_財政課.xlsx").symlink_to(tmp_path / "elsewhere.xlsx")
    with pytest.raises(OutputError):
        inside(tmp_path / "out", "差戻し_R8_財政課.xlsx")
