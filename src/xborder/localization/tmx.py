"""TMX 1.4b read and write (pure). Reading is all-or-nothing: any malformed element rejects the whole file with the
line and element named. Entity declarations are refused (no entity expansion attacks).

References: LISA/GALA TMX 1.4b specification (https://www.gala-global.org/tmx-14b).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from xborder.kernel import ErrorDetail, ValidationFailed, language_tag

__all__ = ["TmxUnit", "read_tmx", "write_tmx"]

_INLINE_CODES = frozenset({"bpt", "ept", "it", "ph", "ut"})  # native codes: their content is not text


@dataclass(frozen=True, slots=True)
class TmxUnit:
    """One <tu>: variants by language; `line` is where it starts in the file."""

    variants: dict[str, str]
    line: int
    tuid: str | None = None


class _Reader:
    def __init__(self) -> None:
        self.errors: list[ErrorDetail] = []
        self.units: list[TmxUnit] = []
        self.srclang: str | None = None
        self.stack: list[str] = []
        self.saw_root = False
        self.saw_body = False
        self.unit: dict[str, str] | None = None
        self.unit_line = 0
        self.unit_id: str | None = None
        self.tuv_lang: str | None = None
        self.tuv_line = 0
        self.segs = 0
        self.seg: list[str] | None = None
        self.code_depth = 0

    def error(self, line: int, element: str, message: str) -> None:
        self.errors.append(ErrorDetail(f"line {line}: <{element}> {message}", field=element, row=line,
                                       code="localization.invalid_tmx"))

    def start(self, parser: expat.XMLParserType, name: str, attrs: dict[str, str]) -> None:
        line = parser.CurrentLineNumber
        parent = self.stack[-1] if self.stack else None
        self.stack.append(name)
        if parent is None:
            self.saw_root = True
            if name != "tmx":
                self.error(line, name, "root element must be <tmx>")
            elif attrs.get("version") != "1.4":
                self.error(line, name, f"version must be 1.4, got {attrs.get('version')!r}")
        elif name == "header" and parent == "tmx":
            self.srclang = attrs.get("srclang")
            if not self.srclang:
                self.error(line, name, "lacks the required srclang attribute")
        elif name == "body" and parent == "tmx":
            self.saw_body = True
        elif name == "tu":
            if parent != "body":
                self.error(line, name, "must be inside <body>")
            self.unit, self.unit_line, self.unit_id = {}, line, attrs.get("tuid")
        elif name == "tuv":
            if parent != "tu":
                self.error(line, name, "must be inside <tu>")
            self.tuv_lang = attrs.get("xml:lang") or attrs.get("lang")
            self.tuv_line, self.segs = line, 0
            if not self.tuv_lang:
                self.error(line, name, "lacks xml:lang")
        elif name == "seg":
            if parent != "tuv":
                self.error(line, name, "must be inside <tuv>")
            self.seg, self.segs = [], self.segs + 1
        elif self.seg is not None and name in _INLINE_CODES:
            self.code_depth += 1

    def end(self, parser: expat.XMLParserType, name: str) -> None:
        self.stack.pop()
        if name == "seg" and self.seg is not None:
            text = "".join(self.seg)
            if self.unit is not None and self.tuv_lang:
                try:
                    lang = str(language_tag(self.tuv_lang, field="xml:lang"))
                except ValidationFailed:
                    self.error(self.tuv_line, "tuv", f"xml:lang {self.tuv_lang!r} is not a BCP 47 language tag")
                else:
                    if not text.strip():
                        self.error(self.tuv_line, "seg", "is empty")
                    self.unit[lang] = text
            self.seg = None
        elif name == "tuv" and self.segs != 1:
            self.error(self.tuv_line, "tuv", f"must hold exactly one <seg>, found {self.segs}")
        elif name in _INLINE_CODES and self.code_depth:
            self.code_depth -= 1
        elif name == "tu" and self.unit is not None:
            if len(self.unit) < 2:
                self.error(self.unit_line, "tu", "needs variants in at least two languages")
            else:
                self.units.append(TmxUnit(dict(self.unit), self.unit_line, self.unit_id))
            self.unit = None

    def text(self, data: str) -> None:
        if self.seg is not None and self.code_depth == 0:
            self.seg.append(data)


def read_tmx(content: bytes, *, max_units: int = 2_000_000) -> tuple[str, list[TmxUnit]]:
    """(header srclang, units) of a TMX 1.4b file.

    Raises:
        ValidationFailed: malformed XML or TMX structure; every problem names its line and element.
    """
    reader = _Reader()
    parser = expat.ParserCreate()
    parser.StartElementHandler = lambda name, attrs: reader.start(parser, name, attrs)
    parser.EndElementHandler = lambda name: reader.end(parser, name)
    parser.CharacterDataHandler = reader.text

    def refuse_entities(*args: object) -> None:
        raise ValidationFailed(f"line {parser.CurrentLineNumber}: entity declarations are not allowed in TMX",
                               code="localization.invalid_tmx",
                               details=[ErrorDetail("entity declaration", field="DOCTYPE", row=parser.CurrentLineNumber,
                                                    code="localization.invalid_tmx")])

    parser.EntityDeclHandler = refuse_entities
    try:
        parser.Parse(content, True)
    except expat.ExpatError as exc:
        raise ValidationFailed(f"line {exc.lineno}: not well-formed XML ({expat.errors.messages[exc.code]})",
                               code="localization.invalid_tmx",
                               details=[ErrorDetail(f"line {exc.lineno}, column {exc.offset}: "
                                                    f"{expat.errors.messages[exc.code]}", row=exc.lineno,
                                                    code="localization.invalid_tmx")]) from None
    if not reader.saw_root:
        reader.error(1, "tmx", "missing: the file is empty")
    elif not reader.saw_body:
        reader.error(1, "body", "missing")
    if len(reader.units) > max_units:
        reader.error(1, "body", f"holds more than {max_units} units")
    if reader.errors:
        raise ValidationFailed(f"{len(reader.errors)} problem(s) in the TMX file; nothing was imported",
                               code="localization.invalid_tmx", details=reader.errors)
    return str(language_tag(reader.srclang or "", field="srclang")), reader.units


def write_tmx(units: list[tuple[str, str, str, str]], *, source_language: str, tool: str = "xborder") -> bytes:
    """TMX 1.4b for (source_language, source_text, target_language, target_text) tuples."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<tmx version="1.4">',
             f'  <header creationtool={quoteattr(tool)} creationtoolversion="1" segtype="sentence" '
             f'o-tmf="xborder" adminlang="en" srclang={quoteattr(source_language)} datatype="plaintext"/>',
             "  <body>"]
    for src_lang, src, tgt_lang, tgt in units:
        lines.append("    <tu>")
        lines.append(f"      <tuv xml:lang={quoteattr(src_lang)}><seg>{escape(src)}</seg></tuv>")
        lines.append(f"      <tuv xml:lang={quoteattr(tgt_lang)}><seg>{escape(tgt)}</seg></tuv>")
        lines.append("    </tu>")
    lines += ["  </body>", "</tmx>", ""]
    return "\n".join(lines).encode("utf-8")
