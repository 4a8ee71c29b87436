"""Builds every hostile or broken file the guard must refuse, at test time (no binaries in the repo).

Each ``make_*`` function writes one file under the folder it is given and
returns its path. The zip bombs are streamed: a block of blanks is deflated
once after a full flush (so it needs no history) and repeated, so a 2 GiB part
costs about 2 MB to write and nothing to hold.
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import openpyxl

MiB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def make_valid(folder: Path, name: str = "valid.xlsx") -> Path:
    """A small, ordinary workbook written by openpyxl."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "入力"
    sheet.append(["項目ID", "改革項目", "効果額（千円）"])
    sheet.append(["1-(1)-1", "行政手続のオンライン化", 1234])
    sheet.append(["1-(1)-2", "公印押印事務の見直し", 56])
    path = folder / name
    book.save(path)
    return path


def members(path: Path) -> dict[str, bytes]:
    """Every member of a (small, trusted) zip, in order."""
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def write_zip(path: Path, parts: dict[str, bytes]) -> Path:
    """Write ``parts`` as an ordinary deflated zip."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def rewrite(src: Path, dst: Path, replace: dict[str, bytes | None]) -> Path:
    """Copy the workbook ``src`` to ``dst`` with some members replaced (None drops one)."""
    parts = members(src)
    for name, data in replace.items():
        if data is None:
            parts.pop(name, None)
        else:
            parts[name] = data
    return write_zip(dst, parts)


# --- XML attacks ---------------------------------------------------------------------------------

def sheet_xml(cell_text: str, prolog: str = "") -> bytes:
    """A one-cell sheet whose A1 holds ``cell_text`` verbatim (an entity reference, say)."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"{prolog}"
        f'<worksheet xmlns="{_MAIN_NS}"><sheetData><row r="1">'
        f'<c r="A1" t="inlineStr"><is><t>{cell_text}</t></is></c>'
        "</row></sheetData></worksheet>"
    ).encode("utf-8")


XXE_DOCTYPE = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
LAUGHS_DOCTYPE = (
    '<!DOCTYPE worksheet [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    + "]>\n"
)


def make_xxe(folder: Path) -> Path:
    """A sheet whose A1 would show /etc/passwd if an external entity were resolved."""
    return rewrite(make_valid(folder), folder / "xxe.xlsx", {SHEET: sheet_xml("&xxe;", XXE_DOCTYPE)})


def make_billion_laughs(folder: Path) -> Path:
    """A sheet whose A1 would expand to 10**9 'lol's."""
    return rewrite(make_valid(folder), folder / "laughs.xlsx", {SHEET: sheet_xml("&lol9;", LAUGHS_DOCTYPE)})


def make_xml_variant(folder: Path, name: str, part: str, data: bytes) -> Path:
    """The valid workbook with one part replaced by ``data``."""
    return rewrite(make_valid(folder), folder / name, {part: data})


# --- zip bombs -----------------------------------------------------------------------------------

def _deflated_blanks(prefix: bytes, blank_mib: int, suffix: bytes) -> tuple[list[bytes], int, int]:
    """Raw deflate pieces for prefix + blank_mib MiB of spaces + suffix, with CRC and size."""
    block = b" " * MiB
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = co.compress(prefix) + co.flush(zlib.Z_FULL_FLUSH)
    body = co.compress(block) + co.flush(zlib.Z_FULL_FLUSH)
    assert co.compress(block) + co.flush(zlib.Z_FULL_FLUSH) == body  # history-free, so repeatable
    tail = co.compress(suffix) + co.flush()
    crc = zlib.crc32(prefix)
    for _ in range(blank_mib):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(suffix, crc)
    pieces = [head] + [body] * blank_mib + [tail]
    return pieces, crc, len(prefix) + blank_mib * MiB + len(suffix)


def write_raw_zip(path: Path, entries: list[tuple[str, list[bytes], int, int, int]]) -> Path:
    """Write deflated entries (name, raw pieces, crc, compressed size, declared size) byte by byte.

    The sizes are written as given, so a test can make the headers lie.
    """
    directory = io.BytesIO()
    with path.open("wb") as out:
        for name, pieces, crc, csize, usize in entries:
            offset = out.tell()
            raw_name = name.encode("utf-8")
            out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0x800, 8, 0, 0x21, crc, csize, usize,
                                  len(raw_name), 0))
            out.write(raw_name)
            for piece in pieces:
                out.write(piece)
            directory.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0x800, 8, 0, 0x21, crc, csize,
                                        usize, len(raw_name), 0, 0, 0, 0, 0, offset))
            directory.write(raw_name)
        start = out.tell()
        out.write(directory.getvalue())
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                              len(directory.getvalue()), start, 0))
    return path


def _entries_from(path: Path, replace: str, pieces: list[bytes], crc: int, declared: int) -> list:
    entries = []
    for name, data in members(path).items():
        if name == replace:
            entries.append((name, pieces, crc, sum(map(len, pieces)), declared))
        else:
            co = zlib.compressobj(6, zlib.DEFLATED, -15)
            raw = co.compress(data) + co.flush()
            entries.append((name, [raw], zlib.crc32(data), len(raw), len(data)))
    return entries


def _bomb_sheet(blank_mib: int) -> tuple[list[bytes], int, int]:
    prefix = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN_NS}"><sheetData>'.encode()
    return _deflated_blanks(prefix, blank_mib, b"</sheetData></worksheet>")


def make_zip_bomb(folder: Path, blank_mib: int = 2048) -> Path:
    """A valid workbook whose sheet part inflates to ``blank_mib`` MiB of blanks, honestly declared."""
    pieces, crc, size = _bomb_sheet(blank_mib)
    entries = _entries_from(make_valid(folder), SHEET, pieces, crc, size)
    return write_raw_zip(folder / "bomb.xlsx", entries)


def make_lying_bomb(folder: Path, blank_mib: int = 2048, declared: int = 4096, name: str = "lying.xlsx") -> Path:
    """The same bomb, but its headers claim the sheet part is only ``declared`` bytes."""
    pieces, crc, _size = _bomb_sheet(blank_mib)
    entries = _entries_from(make_valid(folder), SHEET, pieces, crc, declared)
    return write_raw_zip(folder / name, entries)


def make_many_members(folder: Path, count: int) -> Path:
    """A workbook with ``count`` extra tiny members (a directory bomb)."""
    parts = members(make_valid(folder))
    parts.update({f"xl/media/x{i}.bin": b"" for i in range(count)})
    return write_zip(folder / "many.xlsx", parts)


# --- other formats ------------------------------------------------------------------------------

def make_encrypted(folder: Path, password: str = "secret") -> Path:
    """The valid workbook encrypted the way Excel does (needs msoffcrypto-tool)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    src = make_valid(folder)
    out = folder / "encrypted.xlsx"
    with src.open("rb") as plain, out.open("wb") as sealed:
        OOXMLFile(plain).encrypt(password, sealed)
    return out


def soffice() -> str | None:
    """The LibreOffice binary, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(src: Path, fmt: str, out_dir: Path, profile: Path) -> Path:
    """Convert ``src`` with headless LibreOffice into ``out_dir`` (own profile: parallel runs do not clash)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [soffice(), f"-env:UserInstallation={profile.absolute().as_uri()}", "--headless",
         "--convert-to", fmt, "--outdir", str(out_dir), str(src)],
        check=True, capture_output=True, timeout=180,
    )
    result = out_dir / (src.stem + "." + fmt.split(":")[0])
    assert result.exists(), f"no {result.name} after conversion"
    return result


def make_simple(folder: Path) -> dict[str, Path]:
    """Files that are plainly not workbooks: empty, text, CSV, PDF, random zip, ods, docx, xlsb."""
    made = {}

    def put(name: str, data: bytes) -> None:
        made[name] = folder / name
        made[name].write_bytes(data)

    put("empty.xlsx", b"")
    put("csv.xlsx", "項目ID,効果額\n1-(1)-1,1234\n".encode("cp932"))
    put("text.xlsx", "これはテキストです。\n".encode("utf-8"))
    put("pdf.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    put("binary.xlsx", bytes(range(256)) * 4)
    put("truncated.xlsx", make_valid(folder, "to_truncate.xlsx").read_bytes()[:700])
    write_zip(folder / "plain.xlsx", {"readme.txt": b"hello"})
    made["plain.xlsx"] = folder / "plain.xlsx"
    write_zip(folder / "ods.xlsx", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                                   "content.xml": b"<office:document-content/>"})
    made["ods.xlsx"] = folder / "ods.xlsx"
    write_zip(folder / "docx.xlsx", {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    made["docx.xlsx"] = folder / "docx.xlsx"
    write_zip(folder / "book.xlsb", {"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x83\x01\x00"})
    made["book.xlsb"] = folder / "book.xlsb"
    return made


# --- far cells: a used range that would make a reader allocate gigabytes -------------------------

def add_far_cell(src: Path, dst: Path, sheet: str, xml: str = '<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>',
                 row: int = 1048576) -> Path:
    """Copy the workbook ``src`` to ``dst`` with ``xml`` (cells) appended in a new last row ``row`` of ``sheet``."""
    from addin.xlsx.scan import sheet_parts

    with zipfile.ZipFile(src) as zf:
        member = sheet_parts(zf)[sheet]
    data = members(src)[member].decode("utf-8")
    row_xml = f'<row r="{row}">{xml}</row>' if row else xml
    if "</sheetData>" in data:
        data = data.replace("</sheetData>", row_xml + "</sheetData>")
    else:
        data = data.replace("<sheetData/>", f"<sheetData>{row_xml}</sheetData>")
    return rewrite(src, dst, {member: data.encode("utf-8")})


def replace_in_sheet(src: Path, dst: Path, sheet: str, old: str, new: str) -> Path:
    """Copy ``src`` to ``dst`` with one text replaced in the XML of ``sheet`` (a dimension, say)."""
    from addin.xlsx.scan import sheet_parts

    with zipfile.ZipFile(src) as zf:
        member = sheet_parts(zf)[sheet]
    data = members(src)[member].decode("utf-8")
    assert old in data, old
    return rewrite(src, dst, {member: data.replace(old, new, 1).encode("utf-8")})
