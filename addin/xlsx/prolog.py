"""The prolog of an XML part: a DOCTYPE or an unsafe encoding before the root element is refused.

XML allows entity declarations only before the root element, so watching the
prolog of every part, as it is inflated, is enough to refuse billion laughs and
external entities before any parser sees the part.
"""

from __future__ import annotations

import codecs
import re

from addin.xlsx.refusals import UNSAFE_XML, UNSUPPORTED, Refusal

__all__ = ["Prolog"]

_PROLOG_CAP = 64 * 1024  # characters before the root element; Excel writes about 60

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Encodings in which "<!DOCTYPE" is written as the ASCII bytes we look for (or that we decode).
_SAFE_DECLARED = {"utf-8", "utf-16", "utf-16-le", "utf-16-be", "ascii", "latin-1", "iso8859-1"}
_ENCODING_DECL = re.compile(r"""^<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]*)["']""")
_WS = " \t\r\n"


class Prolog:
    """Watches the start of one member; refuses a DOCTYPE before the root element of XML."""

    def __init__(self):
        self.done = False
        self._raw = b""
        self._decoder = None
        self._text = ""
        self._pos = 0

    def feed(self, data: bytes, final: bool = False) -> None:
        if self.done:
            return
        if self._decoder is None:
            self._raw += data
            if len(self._raw) < 4 and not final:
                return
            encoding, skip = "utf-8", 0
            for bom, name in _BOMS:
                if self._raw.startswith(bom):
                    encoding, skip = name, len(bom)
                    break
            else:
                if self._raw.startswith(b"<\x00"):
                    encoding = "utf-16-le"
                elif self._raw.startswith(b"\x00<"):
                    encoding = "utf-16-be"
            self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
            data, self._raw = self._raw[skip:], b""
        self._text += self._decoder.decode(data, final)
        self._scan(final)

    def _scan(self, final: bool) -> None:
        text = self._text
        while True:
            pos = self._pos
            while pos < len(text) and text[pos] in _WS:
                pos += 1
            self._pos = pos
            if pos > _PROLOG_CAP:
                raise Refusal(UNSAFE_XML)  # a prolog this long only hides something
            rest = text[pos:pos + 4]
            if not rest:
                break
            if rest[0] != "<":
                self.done = True  # not XML (or text before the root, which no parser accepts)
                return
            if len(rest) < 2:
                break
            if rest.startswith("<?"):
                end = text.find("?>", pos + 2)
                if end < 0:
                    break
                if pos == 0:
                    self._check_declaration(text[: end + 2])
                self._pos = end + 2
            elif rest.startswith("<!--"):
                end = text.find("-->", pos + 4)
                if end < 0:
                    break
                self._pos = end + 3
            elif rest.startswith("<!"):
                if len(rest) < 4 and "<!--".startswith(rest) and not final:
                    break
                raise Refusal(UNSAFE_XML)  # <!DOCTYPE, or a markup declaration outside one
            else:
                self.done = True  # the root element: no declaration can follow
                return
        if len(text) > _PROLOG_CAP:
            raise Refusal(UNSAFE_XML)

    @staticmethod
    def _check_declaration(decl: str) -> None:
        match = _ENCODING_DECL.match(decl)
        if not match:
            return
        try:
            name = codecs.lookup(match.group(1)).name
        except LookupError:
            raise Refusal(UNSUPPORTED) from None
        if name not in _SAFE_DECLARED:
            raise Refusal(UNSUPPORTED)
