"""The fast path of :mod:`addin.xlsx.scan`: regular expressions over the bytes of a part the XML parser vouched for.

It looks only at the elements that matter (``numFmt``, ``cellXfs`` and ``xf``;
``row``, ``c`` and the ``f``/``v`` children of ``c``; ``Relationship``;
``sheet``), and only after :func:`_markup` has vouched for the part: UTF-8, no
``<!`` at all (no DOCTYPE, entity declaration, comment or CDATA section), no
processing instruction after the XML declaration, well-formed with namespaces
according to expat (run with no per-element callbacks), and the namespaces that
matter bound on the root element only and never rebound. In such a part every
``<`` starts a tag and no entity can expand, so the expressions cannot be fooled
by text. Whatever it does not expect raises :class:`_Unsafe`, and the caller
reads the part with the reference path instead.
"""

from __future__ import annotations

import functools
import re
from xml.parsers import expat

from openpyxl.utils import get_column_letter

from addin.xlsx.scan_parts import Cells, _column_index, _percent_indexes, _target

_BOM = b"\xef\xbb\xbf"
_XML_DECL = re.compile(rb"""<\?xml\s+version\s*=\s*(["'])[0-9.]+\1"""
                       rb"""(?:\s+encoding\s*=\s*(["'])([A-Za-z][A-Za-z0-9._-]*)\2)?"""
                       rb"""(?:\s+standalone\s*=\s*(["'])(?:yes|no)\4)?\s*\?>""")
# What follows a tag's name up to '>' or '/>': its attributes (a value may hold '>', never '<'), '/' or ''.
_ATTR_SRC = rb"""\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*')"""
_ATTRS = b"((?:" + _ATTR_SRC + rb")*)\s*(/?)>"
_ATTRS_RE = re.compile(_ATTRS)
_ATTR = re.compile(rb"""([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ATTR_DOUBLE = re.compile(rb'([^\s=]+)\s*=\s*"([^"]*)"')
_TAG = re.compile(rb"<(/?)([^\s/>]+)")
_REFERENCE = re.compile(r"&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(lt|gt|amp|quot|apos));")
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


class _Unsafe(Exception):
    """The fast path does not account for something in this part; the reference path reads it."""


def _markup(data: bytes, *uris: str) -> tuple[frozenset[bytes], ...] | None:
    """For each namespace in ``uris``, the prefixes bound to it (b"" for the default namespace); None if unsafe.

    None unless the part is UTF-8 without NUL bytes (a UTF-16 part parses too,
    but not as these bytes), has no ``<!`` and no processing instruction but
    the XML declaration, is well-formed with namespaces, and binds these
    namespaces on its root element only, with none of their prefixes rebound
    further in. Then every ``<`` starts a tag, and a name's prefix alone says
    which of these namespaces, if any, it is in.
    """
    start = 3 if data.startswith(_BOM) else 0
    if data.startswith(b"<?", start):
        decl = _XML_DECL.match(data, start)
        if decl is None or (decl.group(3) is not None and decl.group(3).lower() != b"utf-8"):
            return None
        start = decl.end()
    elif not data.startswith(b"<", start):
        return None
    if b"<!" in data or b"\x00" in data or data.find(b"<?", start) >= 0:
        return None
    root = data.find(b"<", start)
    if root < 0:
        return None
    declared: list[tuple[int, str, str]] = []
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartNamespaceDeclHandler = lambda prefix, uri: declared.append((parser.CurrentByteIndex, prefix or "", uri))
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        return None
    finally:
        parser.StartNamespaceDeclHandler = None  # no reference cycle through the handler
    bound = {prefix: uri for index, prefix, uri in declared if index == root and uri in uris}
    for index, prefix, uri in declared:
        if index != root and (uri in uris or prefix in bound):
            return None
    return tuple(frozenset(prefix.encode() for prefix, bound_uri in bound.items() if bound_uri == uri) for uri in uris)


def _qualifier(prefixes: frozenset[bytes]) -> bytes:
    """A regular expression for the prefix part of a name in one namespace ('' for the default namespace)."""
    return b"(?:" + b"|".join(re.escape(p) + b":" if p else b"" for p in sorted(prefixes)) + b")"


@functools.lru_cache(maxsize=64)
def _tags(prefixes: frozenset[bytes], names: tuple[bytes, ...]) -> re.Pattern[bytes]:
    """Every start or end tag of the named elements: '/' for an end tag, local name, attributes, '/' if empty.

    Where the rest cannot be read, the last group takes the next byte instead
    (without consuming it), so no tag is ever passed over.
    """
    return re.compile(b"<(/?)" + _qualifier(prefixes) + b"(" + b"|".join(names) + rb")(?=[\s/>])(?:"
                      + _ATTRS + rb"|(?=([\s\S])))")


@functools.lru_cache(maxsize=64)
def _cell_patterns(prefixes: frozenset[bytes]) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """Rows and whole cells; the start tag of an f element.

    The first gives: 'row' for a row; r, the letters of r, s and t when they
    come first in this order, double-quoted and plain; the attributes after
    them; '/' for an empty element; a cell's content (not for an empty cell nor
    for a row); a last group that matches, empty, only where the rest cannot be
    read. Content never holds a row or cell tag, so none is passed over.
    """
    q = _qualifier(prefixes)
    usual = rb'(?:\s+r="(([A-Z]*)[0-9]*)")?(?:\s+s="([0-9]*)")?(?:\s+t="([A-Za-z]*)")?'
    content = rb"([^<]*(?:<(?!/?" + q + rb"(?:row|c)[\s/>])[^<]*)*)</" + q + rb"c\s*>"
    elements = re.compile(b"<" + q + rb"(?:(?P<row>row)|c)(?=[\s/>])(?:" + usual + b"((?:" + _ATTR_SRC + rb")*)"
                          + rb"\s*(?P<empty>/)?>(?(row)|(?(empty)|" + content + b"))|())")
    return elements, re.compile(b"<" + q + rb"f(?=[\s/>])")


_COLUMNS: dict[bytes, int] = {}  # column letters -> index, for r values in the usual form


def _resolve(match: re.Match[str]) -> str:
    hexadecimal, decimal, entity = match.groups()
    if hexadecimal:
        return chr(int(hexadecimal, 16))
    if decimal:
        return chr(int(decimal))
    return _ENTITIES[entity]


def _text(raw: bytes) -> str:
    """An attribute value as the XML parser reports it: line ends and tabs as spaces, references resolved."""
    value = raw.decode("utf-8")
    if "&" in value or "\r" in value or "\n" in value or "\t" in value:
        value = value.replace("\r\n", " ").replace("\r", " ").replace("\n", " ").replace("\t", " ")
        value = _REFERENCE.sub(_resolve, value)
    return value


@functools.lru_cache(maxsize=64)
def _attribute_pattern(name: bytes) -> re.Pattern[bytes]:
    other = rb"""\s+(?!""" + re.escape(name) + rb"""\s*=)[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*')"""
    return re.compile(b"(?:" + other + rb")*\s+" + re.escape(name) + rb"""\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _attribute(span: bytes, name: bytes) -> bytes | None:
    """One raw attribute value from the attributes of a start tag, read from the first one on; None if absent."""
    found = _attribute_pattern(name).match(span)
    if found is None:
        return None
    double, single = found.groups()
    return double if double is not None else single


def _get(span: bytes, name: bytes, default: str) -> str:
    """Like ``elem.get(name, default)`` for the attributes of a start tag."""
    raw = _attribute(span, name)
    return default if raw is None else _text(raw)


def _attributes(span: bytes) -> dict[bytes, bytes]:
    """Raw attribute values by qualified name (a prefixed name such as x:r is not r)."""
    if b"'" not in span:
        return dict(_ATTR_DOUBLE.findall(span))
    return {name: double or single for name, double, single in _ATTR.findall(span)}


def _ends(data: bytes, prefixes: frozenset[bytes], names: tuple[bytes, ...]) -> list[tuple[bytes, bytes | None]]:
    """(local name, raw attributes or None for a start) of the named elements, as iterparse reports them.

    (name, None) at a start tag and (name, attributes) at the end of the
    element (both at once for an empty element), in document order.
    """
    events: list[tuple[bytes, bytes | None]] = []
    if not prefixes:
        return events
    open_elements: list[tuple[bytes, bytes]] = []
    for slash, name, span, empty, unread in _tags(prefixes, names).findall(data):
        if unread:
            raise _Unsafe("a tag the expression does not read")
        if slash:
            if not open_elements or open_elements[-1][0] != name:
                raise _Unsafe("an end tag without its start tag")
            events.append((name, open_elements.pop()[1]))
            continue
        events.append((name, None))
        if empty:
            events.append((name, span))
        else:
            open_elements.append((name, span))
    return events


def _percent_styles_fast(data: bytes, markup: tuple[frozenset[bytes]]) -> set[int]:
    """What ``_percent_styles_plain`` gives, from the bytes of ``xl/styles.xml``."""
    main = markup[0]
    custom: dict[int, str] = {}
    xf_formats: list[int] = []
    if not main:
        return set()
    in_cell_xfs = False
    for name, span in _ends(data, main, (b"cellXfs", b"xf", b"numFmt")):
        if name == b"cellXfs":
            in_cell_xfs = span is None
        elif span is None:
            continue
        elif name == b"numFmt":
            custom[int(_get(span, b"numFmtId", "0"))] = _get(span, b"formatCode", "")
        elif in_cell_xfs:
            xf_formats.append(int(_get(span, b"numFmtId", "0")))
    return _percent_indexes(custom, xf_formats)


def _children(content: bytes, f_names: frozenset[bytes], v_names: frozenset[bytes]) -> tuple[bool, bytes | None]:
    """Whether a cell's content has an f child, and the text of its first v child (None: no v child)."""
    has_formula = False
    value: bytes | None = None
    depth = 0
    for tag in _TAG.finditer(content):
        if tag.group(1):
            depth -= 1
            continue
        head = _ATTRS_RE.match(content, tag.end())
        if head is None:
            raise _Unsafe("a start tag the expression does not read")
        if depth == 0:
            name = tag.group(2)
            if name in f_names:
                has_formula = True
            elif name in v_names and value is None:
                value = b"" if head.group(2) else content[head.end():content.index(b"<", head.end())]
        if not head.group(2):
            depth += 1
    return has_formula, value


def _scan_sheet_fast(data: bytes, markup: tuple[frozenset[bytes]], percent_styles: set[int]) -> Cells:
    """What ``_scan_sheet_plain`` gives, from the bytes of a sheet's XML."""
    main = markup[0]
    percent: set[str] = set()
    missing: set[str] = set()
    formulas: set[str] = set()
    if not main:
        return percent, missing, formulas
    elements, formula = _cell_patterns(main)
    probe = b"<f" if main == {b""} else None  # a cheaper first look for the usual default namespace
    f_names = frozenset(p + b":f" if p else b"f" for p in main)
    v_names = frozenset(p + b":v" if p else b"v" for p in main)
    row_number, column = 0, 0
    for element in elements.finditer(data):
        row, ref, letters, style, kind, rest, _empty, content, unread = element.groups()
        if unread is not None:
            raise _Unsafe("a row or cell tag the expression does not read")
        if ref is not None:
            ref = ref.decode("ascii")
        elif rest and (raw := _attribute(rest, b"r")) is not None:  # r in another place or form
            ref, letters = _text(raw), None
        if row:
            row_number = int(ref or row_number + 1)
            column = 0
            continue
        if ref:
            if letters is None:
                column = _column_index(ref)
            else:
                column = _COLUMNS.get(letters) or _COLUMNS.setdefault(letters, _column_index(ref))
        else:  # some writers omit r: the cell follows the previous one
            column += 1
            ref = f"{get_column_letter(column)}{row_number}"
        if percent_styles:
            if style is None and rest and (raw := _attribute(rest, b"s")) is not None:
                style = _text(raw)
            if style is not None and int(style) in percent_styles:
                percent.add(ref)
        if not content or (probe not in content if probe else formula.search(content) is None):
            continue
        has_formula, value = _children(content, f_names, v_names)
        if has_formula:
            formulas.add(ref)
            # A formula returning "" is stored as t="str" with an empty <v>: that is a value.
            if kind is not None:
                kind = kind.decode("ascii")
            elif rest and (raw := _attribute(rest, b"t")) is not None:
                kind = _text(raw)
            if value is None or (not value and kind != "str"):
                missing.add(ref)
    return percent, missing, formulas


def _targets_fast(data: bytes, markup: tuple[frozenset[bytes]]) -> dict[str, str]:
    targets: dict[str, str] = {}
    for _name, span in _ends(data, markup[0], (b"Relationship",)):
        if span is not None:
            attrs = _attributes(span)
            target = _text(attrs.get(b"Target", b""))
            targets[_text(attrs.get(b"Id", b""))] = _target(target)
    return targets


def _sheets_fast(data: bytes, markup: tuple[frozenset[bytes], frozenset[bytes]],
                 targets: dict[str, str]) -> dict[str, str]:
    main, rel = markup
    ids = [p + b":id" for p in rel if p]  # an attribute without a prefix is in no namespace
    result: dict[str, str] = {}
    for _name, span in _ends(data, main, (b"sheet",)):
        if span is None:
            continue
        attrs = _attributes(span)
        raw = next((attrs[key] for key in ids if key in attrs), b"")
        target = targets.get(_text(raw))
        if target:
            result[_text(attrs.get(b"name", b""))] = target
    return result
