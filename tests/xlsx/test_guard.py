"""The guard: every hostile or broken file is refused with a Japanese reason that says what to do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import hostile
import pytest

from addin.errors import UnreadableWorkbook
from addin.xlsx import guard, sniff

ROOT = Path(__file__).resolve().parents[2]


def refused(path, **kwargs) -> UnreadableWorkbook:
    """The exception check_xlsx raises for ``path``; fails the test when it passes or is slow."""
    start = time.perf_counter()
    with pytest.raises(UnreadableWorkbook) as exc_info:
        guard.check_xlsx(path, **kwargs)
    assert time.perf_counter() - start < 5
    exc = exc_info.value
    assert exc.code == "unreadable"
    assert exc.path == path
    assert str(path) in str(exc) and exc.reason in str(exc)
    assert "Traceback" not in exc.reason and "Error" not in exc.reason
    return exc


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return hostile.make_simple(tmp_path_factory.mktemp("simple"))


@pytest.fixture(scope="module")
def valid(tmp_path_factory):
    return hostile.make_valid(tmp_path_factory.mktemp("valid"))


# --- the file itself --------------------------------------------------------------------------

def test_missing_file(tmp_path):
    exc = refused(tmp_path / "R8_総務課.xlsx")
    assert exc.reason == guard.MISSING and "見つかりません" in exc.reason


def test_folder(tmp_path):
    assert refused(tmp_path).reason == guard.NOT_A_FILE


def test_empty_file(corpus):
    exc = refused(corpus["empty.xlsx"])
    assert "空です" in exc.reason and "保存" in exc.reason


def test_file_over_the_size_limit(valid):
    exc = refused(valid, limits=guard.Limits(max_file_size=1000))
    assert "大きすぎる" in exc.reason and "上限" in exc.reason


# --- not a zip at all ---------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "phrase"), [
    ("csv.xlsx", "CSV やテキスト"),
    ("text.xlsx", "CSV やテキスト"),
    ("pdf.xlsx", "PDF ファイルです"),
    ("binary.xlsx", "Excel ブック（.xlsx）ではないか"),
])
def test_renamed_non_zip_files(corpus, name, phrase):
    exc = refused(corpus[name])
    assert phrase in exc.reason
    assert ".xlsx" in exc.reason


def test_truncated_workbook(corpus):
    assert refused(corpus["truncated.xlsx"]).reason == guard.CORRUPT


# --- zips that are not workbooks ------------------------------------------------------------------

@pytest.mark.parametrize(("name", "reason"), [
    ("plain.xlsx", guard.NOT_OOXML),
    ("ods.xlsx", guard.ODS),
    ("docx.xlsx", guard.OTHER_OFFICE),
    ("book.xlsb", guard.XLSB),
])
def test_zips_without_a_workbook(corpus, name, reason):
    assert refused(corpus[name]).reason == reason


def test_xlsb_says_save_as_xlsx(corpus):
    reason = refused(corpus["book.xlsb"]).reason
    assert ".xlsb" in reason and "名前を付けて保存" in reason and ".xlsx" in reason


@pytest.mark.parametrize("missing", ["[Content_Types].xml", "xl/workbook.xml"])
def test_missing_ooxml_part(valid, tmp_path, missing):
    path = hostile.rewrite(valid, tmp_path / "part.xlsx", {missing: None})
    assert refused(path).reason == guard.NOT_OOXML


# --- encrypted and legacy -------------------------------------------------------------------------

def test_encrypted_workbook(tmp_path):
    pytest.importorskip("msoffcrypto", reason="msoffcrypto-tool makes the encrypted workbook")
    exc = refused(hostile.make_encrypted(tmp_path))
    assert exc.reason == guard.ENCRYPTED
    assert "パスワード" in exc.reason and "ブックの保護" in exc.reason and "消去" in exc.reason


def test_other_ole_file(tmp_path):
    pytest.importorskip("msoffcrypto")
    # An encrypted package with its EncryptionInfo stream renamed is some other OLE file.
    data = hostile.make_encrypted(tmp_path).read_bytes()
    name = "EncryptionInfo".encode("utf-16-le")
    other = data.replace(name, "EncryptionXnfo".encode("utf-16-le")).replace(
        "EncryptedPackage".encode("utf-16-le"), "EncryptedPackagX".encode("utf-16-le"))
    path = tmp_path / "other.xlsx"
    path.write_bytes(other)
    assert refused(path).reason == guard.OTHER_OLE


def test_broken_ole_file(tmp_path):
    path = tmp_path / "broken.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert refused(path).reason == guard.CORRUPT


@pytest.fixture(scope="module")
def libreoffice(tmp_path_factory):
    if not hostile.soffice():
        pytest.skip("LibreOffice is not installed: cannot make a legacy .xls or a re-saved .xlsx")
    base = tmp_path_factory.mktemp("lo")
    src = hostile.make_valid(base)
    profile = base / "profile"
    return {
        "xls": hostile.convert(src, "xls", base / "xls", profile),
        "xlsx": hostile.convert(src, "xlsx", base / "xlsx", profile),
    }


def test_legacy_xls(libreoffice):
    exc = refused(libreoffice["xls"])
    assert exc.reason == guard.XLS
    assert exc.reason == ("Excel 97-2003 形式（.xls）です。Excel で開いて「名前を付けて保存」から"
                          " .xlsx 形式で保存し直してください。")


def test_legacy_xls_renamed_xlsx(libreoffice, tmp_path):
    path = tmp_path / "renamed.xlsx"
    path.write_bytes(libreoffice["xls"].read_bytes())
    assert refused(path).reason == guard.XLS


def test_biff_filepass_detection():
    bof = b"\x09\x08\x10\x00" + bytes(16)
    assert sniff._biff_has_filepass(bof + b"\x2f\x00\x06\x00" + bytes(6))
    assert not sniff._biff_has_filepass(bof + b"\xe1\x00\x02\x00" + bytes(2))


# --- valid workbooks pass ------------------------------------------------------------------------

def test_openpyxl_workbook_passes(valid):
    guard.check_xlsx(valid)
    book = guard.open_workbook(valid, read_only=True, data_only=True)
    with guard.reading(valid):
        rows = list(book["入力"].iter_rows(values_only=True))
    book.close()
    assert rows[1] == ("1-(1)-1", "行政手続のオンライン化", 1234)
    calamine = guard.open_calamine(valid)
    with guard.reading(valid):
        assert calamine.get_sheet_by_name("入力").to_python()[2] == ["1-(1)-2", "公印押印事務の見直し", 56]


def test_libreoffice_resaved_workbook_passes(libreoffice):
    path = libreoffice["xlsx"]
    guard.check_xlsx(path)
    assert guard.open_workbook(path)["入力"]["B2"].value == "行政手続のオンライン化"
    assert guard.open_calamine(path).get_sheet_by_name("入力").to_python()[1][2] == 1234


def test_xlsm_is_read_by_content(valid, tmp_path):
    """An .xlsm (or any name) is judged by content; macros are neither run nor kept."""
    for name in ("book.xlsm", "book.dat"):
        path = tmp_path / name
        path.write_bytes(valid.read_bytes())
        guard.check_xlsx(path)
        assert guard.open_workbook(path)["入力"]["A2"].value == "1-(1)-1"


# --- zip bombs -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    base = tmp_path_factory.mktemp("bombs")
    return {
        "honest": hostile.make_zip_bomb(base),
        "lying": hostile.make_lying_bomb(base),
        # Declared 150 MiB: under the total and, at about 75:1, under the ratio; only streaming stops it.
        "sly": hostile.make_lying_bomb(base, declared=150 * hostile.MiB, name="sly.xlsx"),
    }


def test_bomb_is_small_on_disk_and_huge_inside(bombs):
    path = bombs["honest"]
    assert path.stat().st_size < 5 * hostile.MiB
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo(hostile.SHEET).file_size > 2 * 1024 * hostile.MiB


def test_bomb_refused_by_ratio(bombs):
    assert refused(bombs["honest"]).reason == guard.BOMB


def test_bomb_refused_by_total_size(bombs):
    exc = refused(bombs["honest"], limits=guard.Limits(max_ratio=float("inf")))
    assert "大きすぎる" in exc.reason and "上限 200 MB" in exc.reason


def test_lying_bomb_stopped_while_streaming(bombs):
    with zipfile.ZipFile(bombs["lying"]) as zf:
        assert zf.getinfo(hostile.SHEET).file_size == 4096  # passes every central-directory check
    assert refused(bombs["lying"]).reason == guard.BOMB


def test_read_member_stops_at_its_limit(bombs):
    with zipfile.ZipFile(bombs["honest"]) as zf:
        start = time.perf_counter()
        with pytest.raises(UnreadableWorkbook) as exc_info:
            guard._read_member(zf, hostile.SHEET, 10 * hostile.MiB)
        assert time.perf_counter() - start < 2
    assert "大きすぎる" in exc_info.value.reason


def test_sly_bomb_passes_the_directory_checks_but_not_the_stream(bombs):
    with zipfile.ZipFile(bombs["sly"]) as zf:
        info = zf.getinfo(hostile.SHEET)
        assert info.file_size / info.compress_size < guard.DEFAULT_LIMITS.max_ratio
    assert refused(bombs["sly"]).reason == guard.BOMB


def test_read_member_stops_at_a_lying_size(bombs):
    with zipfile.ZipFile(bombs["lying"]) as zf:
        with pytest.raises(UnreadableWorkbook) as exc_info:
            guard._read_member(zf, hostile.SHEET, 100 * hostile.MiB)
    assert exc_info.value.reason == guard.BOMB


def test_read_member_returns_the_part(valid):
    with zipfile.ZipFile(valid) as zf:
        data = zf.read(hostile.SHEET)
        assert guard._read_member(zf, hostile.SHEET, len(data)) == data
        with pytest.raises(UnreadableWorkbook):
            guard._read_member(zf, hostile.SHEET, len(data) - 1)
        with pytest.raises(UnreadableWorkbook) as exc_info:
            guard._read_member(zf, "xl/nothing.xml", 100)
        assert exc_info.value.reason == guard.NOT_OOXML


def test_directory_bomb(tmp_path):
    path = hostile.make_many_members(tmp_path, 300)
    assert refused(path, limits=guard.Limits(max_members=200)).reason == guard.BOMB
    guard.check_xlsx(path)


_MEASURE = r"""
import json, resource, sys, time
from addin.xlsx import guard
from addin.errors import UnreadableWorkbook
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
reason = None
try:
    getattr(guard, sys.argv[2])(sys.argv[1])
except UnreadableWorkbook as exc:
    reason = exc.reason
seconds = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"reason": reason, "seconds": seconds, "growth_kib": after - before}))
"""


@pytest.mark.parametrize("kind", ["honest", "lying", "sly"])
@pytest.mark.parametrize("opener", ["check_xlsx", "open_workbook", "open_calamine"])
def test_bomb_time_and_memory(bombs, kind, opener):
    """In a fresh process: refused in seconds, peak RSS grows by far less than 1 GiB."""
    run = subprocess.run([sys.executable, "-c", _MEASURE, str(bombs[kind]), opener],
                         capture_output=True, text=True, cwd=ROOT, timeout=60, check=True)
    result = json.loads(run.stdout)
    assert result["reason"] == guard.BOMB
    assert result["seconds"] < 3
    assert result["growth_kib"] * 1024 < 1024 * hostile.MiB  # ru_maxrss is in KiB on Linux
    assert result["growth_kib"] * 1024 < 64 * hostile.MiB  # in practice: a few MiB


# --- XML attacks -------------------------------------------------------------------------------------

def test_xxe_refused_before_anything_is_parsed(tmp_path):
    path = hostile.make_xxe(tmp_path)
    for opener in (guard.check_xlsx, guard.open_workbook, guard.open_calamine):
        with pytest.raises(UnreadableWorkbook) as exc_info:
            opener(path)
        assert exc_info.value.reason == guard.UNSAFE_XML
        assert "安全でない内容が含まれているため読み込みません" in exc_info.value.reason
        assert "root:" not in str(exc_info.value)


def test_billion_laughs_refused(tmp_path):
    assert refused(hostile.make_billion_laughs(tmp_path)).reason == guard.UNSAFE_XML


_DOCTYPE = b'<!DOCTYPE x [<!ENTITY a "b">]>'
_ROOT = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'


@pytest.mark.parametrize(("label", "data"), [
    ("no declaration", _DOCTYPE + _ROOT),
    ("after comments and PIs", b'<?xml version="1.0"?>\n<!-- <root/> -->\n<?pi x?>' + _DOCTYPE + _ROOT),
    ("utf-8 BOM", b"\xef\xbb\xbf" + _DOCTYPE + _ROOT),
    ("utf-16 with BOM", ('\ufeff<?xml version="1.0" encoding="UTF-16"?>'
                         + (_DOCTYPE + _ROOT).decode()).encode("utf-16-le")),
    ("utf-16 without BOM", ('<?xml version="1.0" encoding="UTF-16"?>' + (_DOCTYPE + _ROOT).decode()).encode("utf-16-be")),
    ("bare markup declaration", b"<!ENTITY a 'b'>" + _ROOT),
])
def test_doctype_anywhere_in_the_prolog(valid, tmp_path, label, data):
    for part in (hostile.SHEET, "xl/sharedStrings.xml", "xl/styles.xml", "[Content_Types].xml", "_rels/.rels"):
        path = hostile.make_xml_variant(tmp_path, "variant.xlsx", part, data)
        assert refused(path).reason == guard.UNSAFE_XML, (label, part)


def test_doctype_in_a_part_not_named_xml(valid, tmp_path):
    # A relationship may point a reader at any part name; the content decides.
    path = hostile.make_xml_variant(tmp_path, "dat.xlsx", "xl/worksheets/sheet1.dat", _DOCTYPE + _ROOT)
    assert refused(path).reason == guard.UNSAFE_XML


def test_a_prolog_too_long_to_be_honest(tmp_path):
    data = b"<!--" + b"x" * 100_000 + b"-->" + _ROOT
    assert refused(hostile.make_xml_variant(tmp_path, "long.xlsx", hostile.SHEET, data)).reason == guard.UNSAFE_XML


@pytest.mark.parametrize("encoding", ["cp037", "utf-7", "shift_jis", "no-such-encoding"])
def test_encodings_that_could_hide_a_doctype(tmp_path, encoding):
    data = f'<?xml version="1.0" encoding="{encoding}"?>'.encode() + _ROOT
    path = hostile.make_xml_variant(tmp_path, "enc.xlsx", hostile.SHEET, data)
    assert refused(path).reason == guard.UNSUPPORTED


def test_doctype_text_inside_a_cell_is_fine(tmp_path):
    path = hostile.make_xml_variant(tmp_path, "cell.xlsx", hostile.SHEET, hostile.sheet_xml("&lt;!DOCTYPE x&gt; <![CDATA[<!DOCTYPE>]]>"))
    guard.check_xlsx(path)
    assert guard.open_workbook(path).active["A1"].value == "<!DOCTYPE x> <!DOCTYPE>"


def test_binary_members_are_not_taken_for_xml(valid, tmp_path):
    path = hostile.make_xml_variant(tmp_path, "png.xlsx", "xl/media/image1.png", b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
    guard.check_xlsx(path)


def test_openpyxl_is_defused_even_if_the_environment_says_no():
    code = ("import addin, openpyxl, defusedxml.ElementTree as d, openpyxl.xml.functions as f\n"
            "print(openpyxl.DEFUSEDXML, f.iterparse is d.iterparse, f.fromstring is d.fromstring)")
    env = dict(os.environ, OPENPYXL_DEFUSEDXML="False")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    assert out.stdout.split() == ["True", "True", "True"]


def test_xxe_refused_even_when_openpyxl_was_imported_undefused(tmp_path):
    """openpyxl imported first with defusing off: our DOCTYPE refusal still keeps files out of reports."""
    path = hostile.make_xxe(tmp_path)
    code = ("import openpyxl, sys\nassert not openpyxl.DEFUSEDXML\n"
            "from addin.xlsx import guard\nfrom addin.errors import UnreadableWorkbook\n"
            "try:\n    guard.open_workbook(sys.argv[1])\nexcept UnreadableWorkbook as exc:\n    print(exc.reason)\n")
    env = dict(os.environ, OPENPYXL_DEFUSEDXML="False")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=ROOT,
                         env=env, check=True)
    assert out.stdout.strip() == guard.UNSAFE_XML


def test_openpyxl_alone_refuses_entities(tmp_path):
    """Second line of defence: the parser openpyxl uses here refuses entity declarations by itself."""
    import openpyxl
    from defusedxml import DefusedXmlException

    with pytest.raises(ValueError) as exc_info:
        openpyxl.load_workbook(hostile.make_xxe(tmp_path))
    assert isinstance(exc_info.value.__cause__, DefusedXmlException)


# --- reader failures become UnreadableWorkbook ------------------------------------------------------

def test_broken_sheet_xml_becomes_unreadable(tmp_path, caplog):
    path = hostile.make_xml_variant(tmp_path, "broken.xlsx", hostile.SHEET, b"<worksheet><sheetData><row>")
    guard.check_xlsx(path)  # well-formedness is the parser's job
    with pytest.raises(UnreadableWorkbook) as exc_info:
        guard.open_workbook(path)
    assert exc_info.value.reason == guard.PARSE
    assert isinstance(exc_info.value.__cause__, Exception)
    assert "Traceback" in caplog.text or any(r.exc_info for r in caplog.records)


def test_lazy_calamine_failure_inside_reading(tmp_path):
    path = hostile.make_xml_variant(tmp_path, "broken.xlsx", hostile.SHEET, b"<worksheet><sheetData><row>")
    with pytest.raises(UnreadableWorkbook):  # the extent scan of the sheets to be read sees it first
        guard.open_calamine(path)
    book = guard.open_calamine(path, sheets=[])  # a sheet not announced is still guarded when it parses
    with pytest.raises(UnreadableWorkbook) as exc_info:
        with guard.reading(path):
            book.get_sheet_by_index(0).to_python()
    assert exc_info.value.reason == guard.PARSE


def test_reading_lets_interrupts_through():
    with pytest.raises(KeyboardInterrupt):
        with guard.reading("x.xlsx"):
            raise KeyboardInterrupt


def test_nothing_reaches_stderr(tmp_path):
    """A refused or broken file writes nothing on stderr: details go only to the log."""
    path = hostile.make_xml_variant(tmp_path, "broken.xlsx", hostile.SHEET, b"<worksheet><sheetData><row>")
    code = ("import sys\nfrom addin.xlsx import guard\nfrom addin.errors import UnreadableWorkbook\n"
            "try:\n    guard.open_workbook(sys.argv[1])\nexcept UnreadableWorkbook as exc:\n    print(exc.reason)\n")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == guard.PARSE
    assert out.stderr == ""


def test_a_defused_refusal_wrapped_by_openpyxl_reads_as_unsafe():
    from defusedxml import EntitiesForbidden

    with pytest.raises(UnreadableWorkbook) as exc_info:
        with guard.reading("x.xlsx"):
            try:
                raise EntitiesForbidden("a", None, None, None, None, None)
            except EntitiesForbidden as inner:
                raise ValueError("Unable to read workbook") from inner
    assert exc_info.value.reason == guard.UNSAFE_XML


def test_wrong_crc_is_corrupt(valid, tmp_path):
    entries = hostile._entries_from(valid, hostile.SHEET, *_deflated(b"<worksheet/>"))
    name, pieces, crc, csize, usize = entries[[e[0] for e in entries].index(hostile.SHEET)]
    entries[[e[0] for e in entries].index(hostile.SHEET)] = (name, pieces, crc ^ 1, csize, usize)
    assert refused(hostile.write_raw_zip(tmp_path / "crc.xlsx", entries)).reason == guard.CORRUPT


def _deflated(data: bytes):
    import zlib

    co = zlib.compressobj(6, zlib.DEFLATED, -15)
    return [co.compress(data) + co.flush()], zlib.crc32(data), len(data)


def test_compression_excel_never_uses(valid, tmp_path):
    path = tmp_path / "bzip2.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_BZIP2) as zf:
        for name, data in hostile.members(valid).items():
            zf.writestr(name, data)
    assert refused(path).reason == guard.UNSUPPORTED
